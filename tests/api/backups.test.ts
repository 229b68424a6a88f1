// unyo's own backup, as the "Done when" says: run the self-backup, corrupt one byte of the
// archive and see verify fail; run a restore drill and see its RTO/RPO record; and `unyo restore`
// into a fresh directory gives a server that starts with the same data and a verified audit chain.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeFileSync, writeSync, closeSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runUnyo, useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, unique } from './helpers.ts';

interface Generation {
    file: string;
    name: string;
    created_at: string;
    files: number;
    archive_sha256: string;
}
interface Drill {
    id: number;
    ok: boolean;
    duration_ms: number;
    data_age_ms: number;
    started_at: string;
    generation_at: string;
    message: string;
    actor: string;
}

function flipMiddleByte(file: string): void {
    const fd = openSync(file, 'r+');
    const at = Math.floor(statSync(file).size / 2);
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, at);
    b[0] = (b[0] ?? 0) ^ 0x01;
    writeSync(fd, b, 0, 1, at);
    closeSync(fd);
}

describe('backups: self-backup, verify, drill, restore', () => {
    const server = useServer();

    test('self-backup, a corrupted byte fails verify, drills record RTO and RPO, restore gives a working server', async () => {
        const admin = await signInAdmin(server);
        const json = <T>(method: string, p: string, body?: unknown, status = 200) =>
            expectJson<T>(server, admin, method, p, body, status);
        const kept = unique('残すデータ');
        await json('POST', '/api/v1/jobnets', { name: kept, jobs: [{ key: 'a', command: ['/bin/true'] }] }, 201);

        const g = await json<Generation>('POST', '/api/v1/backups', undefined, 201);
        assert.equal(g.name, 'unyo');
        assert.ok(g.files >= 2, 'the database and config.json at least');
        const list = await json<{ items: Generation[] }>('GET', '/api/v1/backups');
        assert.deepEqual(list.items.map((x) => x.file), [g.file]);

        const fine = await json<{ ok: boolean; problems: string[] }>('POST', `/api/v1/backups/${g.file}/verify`);
        assert.deepEqual(fine, { ...fine, ok: true, problems: [] });

        const drill = await json<Drill>('POST', `/api/v1/backups/${g.file}/drill`, undefined, 201);
        assert.equal(drill.ok, true, drill.message);
        assert.equal(drill.generation_at, g.created_at);
        // RPO evidence: the drill's start minus the generation's time; RTO: milliseconds, stored as measured.
        assert.equal(drill.data_age_ms, Date.parse(drill.started_at) - Date.parse(drill.generation_at));
        assert.ok(drill.duration_ms < 60_000, `${drill.duration_ms} ms`);
        const recorded = await json<{ items: Drill[] }>('GET', '/api/v1/backup-drills');
        assert.deepEqual(recorded.items.find((d) => d.id === drill.id), drill);
        assert.match(drill.message, /監査ログ \d+ 件/);
        assert.equal(drill.actor, server.adminLogin);

        // Restore drills restore the backup into a copy made before it is corrupted.
        const archive = path.join(server.dataDir, 'backups', g.file);
        const spare = mkdtempSync(path.join(tmpdir(), 'unyo-restore-'));
        try {
            // A restore into the live data directory is refused, whatever the flag says.
            const live = await expectProblem(
                await sendJson(server, admin, 'POST', `/api/v1/backups/${g.file}/restore`, { target: server.dataDir, overwrite: true }),
                409,
            );
            assert.deepEqual(errorFields(live), ['target']);

            const restoredDir = path.join(spare, 'var');
            const restored = await runUnyo(['restore', archive, '--data-dir', restoredDir]);
            assert.equal(restored.code, 0, restored.stderr);
            assert.match(restored.stdout, /audit chain ok: \d+ entries/);

            flipMiddleByte(archive);
            const broken = await json<{ ok: boolean; problems: string[] }>('POST', `/api/v1/backups/${g.file}/verify`);
            assert.equal(broken.ok, false);
            assert.match(broken.problems[0] ?? '', /SHA-256/);
            const failed = await json<Drill>('POST', `/api/v1/backups/${g.file}/drill`, undefined, 201);
            assert.equal(failed.ok, false);
            const drills = await json<{ items: Drill[] }>('GET', '/api/v1/backup-drills');
            assert.deepEqual(drills.items.map((d) => d.ok), [false, true]);

            // The restored directory serves the same data.
            await server.stop();
            rmSync(server.dataDir, { recursive: true, force: true });
            renameSync(restoredDir, server.dataDir);
            await server.restart();
            const again = await signInAdmin(server);
            const jobnets = await expectJson<{ items: { name: string }[] }>(server, again, 'GET', '/api/v1/jobnets');
            assert.deepEqual(jobnets.items.map((n) => n.name).filter((n) => n !== '月次運用報告書の作成と送付'), [kept]);
            const verify = await runUnyo(['audit', 'verify', '--data-dir', server.dataDir]);
            assert.equal(verify.code, 0, verify.stdout + verify.stderr);
        } finally {
            rmSync(spare, { recursive: true, force: true });
        }
    });

    test('an encrypted self-backup by hand verifies and restores with its key; a remote copy without a host key check is refused', async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'unyo-enc-backup-'));
        try {
            const data = path.join(dir, 'data');
            const init = await runUnyo(['init', '--data-dir', data]);
            assert.equal(init.code, 0, init.stderr);
            const key = path.join(dir, 'backup.key');
            writeFileSync(key, '0123456789abcdef'.repeat(4) + '\n', { mode: 0o600 });
            const configFile = path.join(data, 'config.json');
            const config = JSON.parse(readFileSync(configFile, 'utf8')) as { backup: Record<string, unknown> };
            config.backup.key_file = key;
            writeFileSync(configFile, JSON.stringify(config));
            const made = await runUnyo(['backup', '--data-dir', data]);
            assert.equal(made.code, 0, made.stderr);
            const archives = readdirSync(path.join(data, 'backups')).filter((f) => f.endsWith('.tar.zst.enc'));
            assert.equal(archives.length, 1, readdirSync(path.join(data, 'backups')).join(', '));
            const archive = path.join(data, 'backups', archives[0]!);
            assert.ok(!readFileSync(archive).includes(Buffer.from('SQLite format 3')), 'no plain database inside');
            const ok = await runUnyo(['backup', 'verify', archive]);
            assert.equal(ok.code, 0, ok.stdout + ok.stderr);
            const other = path.join(dir, 'other.key');
            writeFileSync(other, 'f'.repeat(64));
            const wrong = await runUnyo(['backup', 'verify', archive, '--key-file', other]);
            assert.equal(wrong.code, 1);
            assert.match(wrong.stdout, /is not the key/);
            const restored = await runUnyo(['restore', archive, '--data-dir', path.join(dir, 'restored')]);
            assert.equal(restored.code, 0, restored.stderr);
            assert.match(restored.stdout, /audit chain ok/);

            config.backup.remote = { url: 'sftp://127.0.0.1:22/srv/unyo/', user: 'unyo', private_key: key };
            writeFileSync(configFile, JSON.stringify(config));
            const refused = await runUnyo(['backup', '--data-dir', data]);
            assert.notEqual(refused.code, 0);
            assert.match(refused.stderr + refused.stdout, /backup\.remote\.known_hosts/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
