// The handover export (KNW-2): everything as JSON Lines per table with a manifest, checksums and
// the data dictionary, made by an admin over the API (with its progress) or by `unyo export`;
// `unyo import` restores it into a new data directory (never over data), checking every checksum
// first; export → import → export gives the same files apart from the export time, and the audit
// chain still verifies. Secrets are not exported.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { jarFetch } from './cookie-jar.ts';
import { API_PG_URL, freshDatabase, runUnyo, useServer } from './harness.ts';
import { expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';
import { until } from './smtp-sink.ts';

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else out.push(path.relative(dir, p));
        }
    };
    walk(dir);
    return out.sort();
}

function extract(archive: string, into: string): void {
    const r = spawnSync('tar', ['-I', 'zstd', '-xf', archive, '-C', into]);
    assert.equal(r.status, 0, r.stderr.toString());
}

describe('handover export and import', () => {
    const server = useServer();
    let admin: SignedIn;
    let viewer: SignedIn;
    const scratch = mkdtempSync(path.join(tmpdir(), 'unyo-export-api-'));
    after(() => rmSync(scratch, { recursive: true, force: true }));
    let incidentKey = '';
    const attachment = '%PDF-1.7\n障害報告書\n%%EOF';

    /** `unyo import` into a new directory (a fresh database on PostgreSQL runs). */
    async function importInto(archive: string, dir: string) {
        const args = ['import', archive, '--data-dir', dir];
        if (API_PG_URL) args.push('--database', await freshDatabase(API_PG_URL));
        return runUnyo(args, 120_000);
    }

    before(async () => {
        admin = await signInAdmin(server);
        const json = <T>(method: string, p: string, body?: unknown, status = 200) => expectJson<T>(server, admin, method, p, body, status);
        const org = (await admin.client.createOrganization({ name: unique('保守事業者'), kind: 'vendor', note: '' })).data;
        const login = unique('viewer');
        const password = strongPassword();
        await admin.client.createUser({ login, display_name: '閲覧 花子', organization_id: org.id, roles: ['viewer'], password });
        viewer = await signIn(server, login, password);
        const inc = await json<{ id: number; key: string }>('POST', '/api/v1/incidents', {
            title: '住民記録システム 帳票出力エラー', severity: 'high', source: 'user_report', event: '帳票が出力できない',
        }, 201);
        incidentKey = inc.key;
        await json('POST', `/api/v1/incidents/${inc.id}/comments`, { body: '切り分け中: 帳票サーバーのディスク使用率 98%' }, 201);
        const up = await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/incidents/${inc.id}/attachments?name=${encodeURIComponent('障害報告書.pdf')}`, {
            method: 'POST', headers: { 'X-CSRF-Token': admin.session.csrf_token, 'Content-Type': 'application/pdf' }, body: attachment,
        });
        assert.equal(up.status, 201, await up.clone().text());
        await json('POST', '/api/v1/cis', { name: unique('帳票サーバー'), type: 'hardware' }, 201);
        await json('POST', '/api/v1/monitors', { name: unique('帳票 死活'), type: 'heartbeat', service: '住民記録', interval_s: 60, target: {} }, 201);
        const n = await json<{ id: number }>('POST', '/api/v1/jobnets', { name: unique('夜間集計'), jobs: [{ key: 'a', command: ['/bin/echo', '集計'] }] }, 201);
        const run = await json<{ id: number }>('POST', `/api/v1/jobnets/${n.id}/runs`, {}, 201);
        await until('the run', async () => ((await json<{ status: string }>('GET', `/api/v1/jobnet-runs/${run.id}`)).status === 'succeeded' ? true : undefined));
    });

    test('an admin exports over the API and sees its progress; others may not', async () => {
        await expectProblem(await sendJson(server, viewer, 'POST', '/api/v1/export'), 403);
        await expectProblem(await sendJson(server, viewer, 'GET', '/api/v1/export'), 403);
        assert.equal((await expectJson<{ state: string }>(server, admin, 'GET', '/api/v1/export')).state, 'idle');
        const started = await expectJson<{ state: string }>(server, admin, 'POST', '/api/v1/export', undefined, 202);
        assert.ok(['running', 'done'].includes(started.state));
        const done = await until('the export', async () => {
            const s = await expectJson<{ state: string; tables_done: number; tables_total: number; rows: number; file: string; error: string | null }>(
                server, admin, 'GET', '/api/v1/export');
            return s.state === 'done' || s.state === 'failed' ? s : undefined;
        }, 60_000);
        assert.equal(done.state, 'done', done.error ?? '');
        assert.ok(done.tables_total > 50 && done.tables_done === done.tables_total, JSON.stringify(done));
        assert.match(done.file, /^unyo-export-\d{8}T\d{6}Z\.tar\.zst$/);
        const file = await sendJson(server, admin, 'GET', '/api/v1/export/file');
        assert.equal(file.status, 200);
        assert.match(file.headers.get('content-disposition') ?? '', /unyo-export-.*\.tar\.zst/);
        const bytes = Buffer.from(await file.arrayBuffer());
        assert.deepEqual([...bytes.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd], 'zstd');
        const audit = await expectJson<{ items: { action: string; actor_login: string }[] }>(server, admin, 'GET', '/api/v1/audit?entity_type=export');
        assert.deepEqual(audit.items.map((e) => [e.action, e.actor_login]), [['export.create', server.adminLogin]]);
    });

    test('export → import → export gives the same files; the audit chain verifies; no secrets; damage and data refused', async () => {
        const a = path.join(scratch, 'a.tar.zst');
        const exported = await runUnyo(['export', '--data-dir', server.dataDir, '--out', a], 120_000);
        assert.equal(exported.code, 0, exported.stderr);
        const dirA = path.join(scratch, 'a');
        rmSync(dirA, { recursive: true, force: true });
        spawnSync('mkdir', ['-p', dirA]);
        extract(a, dirA);
        const listed = files(dirA);
        for (const f of ['manifest.json', 'SHA256SUMS', 'DATA-DICTIONARY.md', 'data/records.jsonl', 'data/record_timeline.jsonl',
            'data/audit_log.jsonl', 'data/users.jsonl', 'data/monitors.jsonl', 'data/jobnet_runs.jsonl', 'data/cis.jsonl']) {
            assert.ok(listed.includes(f), `${f} in ${listed.join(' ')}`);
        }
        for (const secret of ['data/sessions.jsonl', 'data/password_history.jsonl', 'data/api_tokens.jsonl']) {
            assert.ok(!listed.includes(secret), `${secret} is not exported`);
        }
        const users = readFileSync(path.join(dirA, 'data/users.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        assert.equal(users.length, 2);
        assert.ok(users.every((u) => !('password_hash' in u)), 'no password hashes');
        const records = readFileSync(path.join(dirA, 'data/records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { key: string; title: string });
        assert.deepEqual(records.map((r) => [r.key, r.title]), [[incidentKey, '住民記録システム 帳票出力エラー']]);
        const sums = spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dirA });
        assert.equal(sums.status, 0, sums.stdout.toString() + sums.stderr.toString());
        assert.ok(listed.some((f) => f.startsWith('attachments/')), 'the attachment');
        const manifest = JSON.parse(readFileSync(path.join(dirA, 'manifest.json'), 'utf8')) as { format: string; tables: { table: string; rows: number }[] };
        assert.equal(manifest.format, 'unyo-export');
        assert.equal(manifest.tables.find((t) => t.table === 'records')?.rows, 1);
        const dictionary = readFileSync(path.join(dirA, 'DATA-DICTIONARY.md'), 'utf8');
        assert.match(dictionary, /### `records` — data\/records\.jsonl/);
        for (const t of manifest.tables) assert.ok(dictionary.includes(`### \`${t.table}\``), `${t.table} described`);

        // Into a new directory; the same files come out again.
        const restored = path.join(scratch, 'restored');
        const imported = await importInto(a, restored);
        assert.equal(imported.code, 0, imported.stdout + imported.stderr);
        assert.match(imported.stdout, /audit chain ok/);
        assert.match(imported.stdout, /2 accounts came without passwords/);
        const b = path.join(scratch, 'b.tar.zst');
        const again = await runUnyo(['export', '--data-dir', restored, '--out', b], 120_000);
        assert.equal(again.code, 0, again.stderr);
        const dirB = path.join(scratch, 'b');
        spawnSync('mkdir', ['-p', dirB]);
        extract(b, dirB);
        assert.deepEqual(files(dirB), listed);
        for (const f of listed) {
            if (f === 'manifest.json') continue;
            assert.ok(readFileSync(path.join(dirA, f)).equals(readFileSync(path.join(dirB, f))), `${f} is the same`);
        }
        const [ma, mb] = [dirA, dirB].map((d) => JSON.parse(readFileSync(path.join(d, 'manifest.json'), 'utf8')) as Record<string, unknown>);
        assert.notEqual(ma!['exported_at'], undefined);
        delete ma!['exported_at'];
        delete mb!['exported_at'];
        assert.deepEqual(mb, ma, 'the manifests differ only in the export time');
        const verify = await runUnyo(['audit', 'verify', '--data-dir', restored]);
        assert.equal(verify.code, 0, verify.stdout + verify.stderr);
        // The restored data is usable: the monthly report of the new directory reads the incident.
        const month = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 7);
        const report = await runUnyo(['report', 'monthly', '--data-dir', restored, '--month', month, '--format', 'json']);
        assert.equal(report.code, 0, report.stderr);
        assert.match(report.stdout, new RegExp(incidentKey));
        const passwd = await runUnyo(['user', 'passwd', '--data-dir', restored, '--login', server.adminLogin]);
        assert.equal(passwd.code, 0, passwd.stderr);

        // Never over data, and never a damaged archive.
        const over = await runUnyo(['import', a, '--data-dir', restored]);
        assert.equal(over.code, 2);
        assert.match(over.stderr, /initialised already/);
        writeFileSync(path.join(dirA, 'data/records.jsonl'), readFileSync(path.join(dirA, 'data/records.jsonl'), 'utf8').replace('帳票', '帳簿'));
        const damaged = path.join(scratch, 'damaged.tar.zst');
        const pack = spawnSync('tar', ['-I', 'zstd', '-cf', damaged, '-C', dirA, ...listed]);
        assert.equal(pack.status, 0, pack.stderr.toString());
        const refusedDir = path.join(scratch, 'refused');
        const refused = await importInto(damaged, refusedDir);
        assert.equal(refused.code, 2, refused.stdout + refused.stderr);
        assert.match(refused.stderr, /data\/records\.jsonl does not match its checksum/);
        assert.ok(!existsSync(path.join(refusedDir, 'config.json')), 'nothing left behind');
    });
});
