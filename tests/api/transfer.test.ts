// file_transfer and judge jobs end to end over the API, with real servers on loopback
// (tests/unit/support/transfer_servers.py: SFTP by asyncssh, FTP by pyftpdlib): a jobnet sends a
// file over SFTP with a key and the host key checked, fetches it back over FTP checked against
// the checksum file it wrote, and a judge on the fetch's output picks the branch; a definition
// without any host key check is refused naming the field; a wrong host key fails the job.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, unique, type SignedIn } from './helpers.ts';
import { until } from './smtp-sink.ts';

interface Servers {
    ftp: number;
    sftp: number;
    user: string;
    password_file: string;
    client_key: string;
    host_key_sha256: string;
}
interface Run {
    id: number;
    status: string;
    jobs: { key: string; status: string; exit_code: number | null; output: string }[];
}

const script = path.resolve(import.meta.dirname, '../unit/support/transfer_servers.py');

describe('file transfer jobs over SFTP and FTP, judged on their output', () => {
    const server = useServer();
    let admin: SignedIn;
    const scratch = mkdtempSync(path.join(tmpdir(), 'unyo-transfer-api-'));
    const root = path.join(scratch, 'remote');
    let servers: Servers;
    let child: ChildProcess;

    before(async () => {
        admin = await signInAdmin(server);
        mkdirSync(root);
        child = spawn('/usr/bin/python3', ['-W', 'ignore', script, root, path.join(scratch, 'keys')], {
            stdio: ['pipe', 'pipe', 'inherit'],
        });
        const lines = createInterface({ input: child.stdout! });
        servers = await new Promise<Servers>((resolve, reject) => {
            lines.once('line', (l) => resolve(JSON.parse(l) as Servers));
            child.once('exit', (code) => reject(new Error(`the transfer servers exited (${code})`)));
        });
    });
    after(() => {
        child?.stdin?.end();
        child?.kill();
        rmSync(scratch, { recursive: true, force: true });
    });

    const json = <T>(method: string, p: string, body?: unknown, status = 200) =>
        expectJson<T>(server, admin, method, p, body, status);
    const sftp = (file: string, hostKey = servers.host_key_sha256) => ({
        url: `sftp://127.0.0.1:${servers.sftp}/${file}`,
        user: servers.user,
        private_key: servers.client_key,
        host_key_sha256: hostKey,
    });
    const runToEnd = async (jobnetId: number) => {
        const run = await json<Run>('POST', `/api/v1/jobnets/${jobnetId}/runs`, {}, 201);
        return until('the run to end', async () => {
            const r = await json<Run>('GET', `/api/v1/jobnet-runs/${run.id}`);
            return ['succeeded', 'failed'].includes(r.status) ? r : undefined;
        }, 30_000);
    };

    test('send over SFTP, fetch over FTP checked against the checksum file, and branch on the result', async () => {
        const local = path.join(scratch, '住民異動.csv');
        const back = path.join(scratch, 'back.csv');
        const data = '番号,氏名\n' + Array.from({ length: 5000 }, (_, i) => `${i},山田${i}`).join('\n') + '\n';
        writeFileSync(local, data);
        const n = await json<{ id: number }>('POST', '/api/v1/jobnets', {
            name: unique('連携ファイル送受信'),
            jobs: [
                { key: 'send', type: 'file_transfer',
                  transfer: { direction: 'put', local, ...sftp('renkei.csv'), sidecar: true, verify: true } },
                { key: 'fetch', type: 'file_transfer', after: ['send'],
                  transfer: { direction: 'get', local: back, url: `ftp://127.0.0.1:${servers.ftp}/renkei.csv`,
                              user: servers.user, password_file: servers.password_file, sidecar: true } },
                { key: 'checked', type: 'judge', after: ['fetch'],
                  judge: { job: 'fetch', output_contains: '照合済み', else: ['alarm'] } },
                { key: 'load', command: ['/bin/sh', '-c', `wc -l < '${back}'`], after: ['checked'] },
                { key: 'alarm', command: ['/bin/false'], after: ['checked'] },
            ],
        }, 201);
        const r = await runToEnd(n.id);
        const job = (k: string) => r.jobs.find((j) => j.key === k)!;
        assert.equal(r.status, 'succeeded', JSON.stringify(r.jobs));
        assert.equal(readFileSync(path.join(root, 'renkei.csv'), 'utf8'), data);
        assert.match(readFileSync(path.join(root, 'renkei.csv.sha256'), 'utf8'), /^[0-9a-f]{64} {2}renkei\.csv\n$/);
        assert.equal(readFileSync(back, 'utf8'), data);
        assert.match(job('send').output, /PUT .*住民異動\.csv → sftp:/);
        assert.match(job('fetch').output, /照合済み/);
        assert.equal(job('checked').exit_code, 0);
        assert.equal(job('load').output.trim(), '5001');
        assert.equal(job('alarm').status, 'bypassed');
    });

    test('no host key check is refused, and a wrong host key fails the job', async () => {
        const local = path.join(scratch, 'x.txt');
        writeFileSync(local, 'x');
        const { host_key_sha256: _, ...unchecked } = sftp('x.txt');
        const refused = await expectProblem(await sendJson(server, admin, 'POST', '/api/v1/jobnets', {
            name: unique('確認なし'),
            jobs: [{ key: 'send', type: 'file_transfer', transfer: { direction: 'put', local, ...unchecked } }],
        }), 422);
        assert.ok(errorFields(refused).includes('jobs[0].transfer.known_hosts'), JSON.stringify(refused.errors));

        const n = await json<{ id: number }>('POST', '/api/v1/jobnets', {
            name: unique('なりすまし'),
            jobs: [{ key: 'send', type: 'file_transfer',
                     transfer: { direction: 'put', local, ...sftp('x.txt', 'A'.repeat(43)) } }],
        }, 201);
        const r = await runToEnd(n.id);
        assert.equal(r.status, 'failed');
        assert.match(r.jobs[0]!.output, /fingerprint/);
        assert.throws(() => readFileSync(path.join(root, 'x.txt')), 'nothing was sent');
    });
});
