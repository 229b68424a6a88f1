// Command monitors (Nagios plugins, Debian's monitoring-plugins among them) and log monitors
// (a file followed across rotation, and the syslog receiver over UDP and TCP) through the engine.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { useServer } from './harness.ts';
import {
    expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn,
} from './helpers.ts';
import { freePort, until } from './smtp-sink.ts';

interface Status { state: string; last_value: number | null; message: string }
interface Monitor { id: number; name: string; status: Status | null }

const PLUGINS = '/usr/lib/nagios/plugins';

describe('command and log monitors', () => {
    const server = useServer();
    let admin: SignedIn;
    let operator: SignedIn;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unyo-cmd-'));
    const listener = net.createServer((s) => s.end());
    let openPort = 0;

    const script = (name: string, body: string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
        return file;
    };

    before(async () => {
        admin = await signInAdmin(server);
        const login = unique('op');
        const password = strongPassword();
        await admin.client.createUser({ login, display_name: '運用 担当', organization_id: 1, roles: ['operator'], password });
        operator = await signIn(server, login, password);
        openPort = await new Promise((resolve) => listener.listen(0, '127.0.0.1', () =>
            resolve((listener.address() as net.AddressInfo).port)));
    });

    after(() => {
        listener.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const json = <T>(method: string, p: string, body?: unknown, status = 200) =>
        expectJson<T>(server, admin, method, p, body, status);

    async function status(name: string, want: (s: Status) => boolean, what: string): Promise<Status> {
        return until(what, async () => {
            const { items } = await json<{ items: Monitor[] }>('GET', '/api/v1/monitors');
            const s = items.find((m) => m.name === name)?.status;
            return s && s.state !== 'pending' && want(s) ? s : undefined;
        }, 20_000);
    }

    const common = { interval_s: 2, timeout_ms: 1500, retries: 1, service: '監視' };

    test('only an admin may add, change or delete a command monitor', async () => {
        const body = { ...common, name: 'コマンド (運用者)', type: 'command', target: { command: [`${PLUGINS}/check_dummy`, '0'] } };
        const denied = await expectProblem(await sendJson(server, operator, 'POST', '/api/v1/monitors', body), 403);
        assert.match(denied.detail ?? denied.title, /only an admin/);
        const tcp = await expectJson<{ id: number }>(server, operator, 'POST', '/api/v1/monitors',
            { ...common, name: 'TCP (運用者)', type: 'tcp', target: { host: '127.0.0.1', port: openPort } }, 201);
        await expectProblem(await sendJson(server, operator, 'PATCH', `/api/v1/monitors/${tcp.id}`,
            { type: 'command', target: body.target }, '"1"'), 403, 'nor turn a monitor into one');
        const made = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/monitors', body, 201);
        await expectProblem(await sendJson(server, operator, 'DELETE', `/api/v1/monitors/${made.id}`), 403, 'nor delete one');
        assert.equal((await sendJson(server, admin, 'DELETE', `/api/v1/monitors/${made.id}`)).status, 204);
        const bad = await expectProblem(await sendJson(server, admin, 'POST', '/api/v1/monitors',
            { ...body, target: { command: ['check_dummy'], env: { A: 1 } } }), 422);
        assert.deepEqual(bad.errors?.map((e) => e.field).sort(), ['target.command', 'target.env']);
    });

    test('plugins are judged by exit code and performance data', async () => {
        const made: Record<string, object> = {
            'check_tcp 開': { command: [`${PLUGINS}/check_tcp`, '-H', '127.0.0.1', '-p', String(openPort)] },
            'check_tcp 閉': { command: [`${PLUGINS}/check_tcp`, '-H', '127.0.0.1', '-p', String(await freePort())] },
            '待ち行列': { command: [script('queue.sh', 'echo "QUEUE WARNING - 42 jobs waiting | jobs=42;10;50;0"; exit 1')] },
            '環境': { command: [script('env.sh', 'echo "OK - place=$PLACE secret=${UNYO_ADMIN_PASSWORD:-none}"')], env: { PLACE: '市役所' } },
            '終わらない': { command: [script('slow.sh', 'sleep 30')] },
            '存在しない': { command: [path.join(dir, 'no-such-plugin')] },
        };
        for (const [name, target] of Object.entries(made)) {
            await json('POST', '/api/v1/monitors', { ...common, name, type: 'command', target }, 201);
        }
        const open = await status('check_tcp 開', () => true, 'check_tcp decided');
        assert.equal(open.state, 'ok', open.message);
        assert.match(open.message, /^TCP OK - /);
        assert.equal(typeof open.last_value, 'number', 'the time perfdata is the value');
        const closed = await status('check_tcp 閉', () => true, 'check_tcp on a closed port');
        assert.equal(closed.state, 'critical');
        assert.match(closed.message, /Connection refused/);
        const queue = await status('待ち行列', () => true, 'the queue plugin');
        assert.deepEqual([queue.state, queue.last_value, queue.message], ['warning', 42, 'QUEUE WARNING - 42 jobs waiting']);
        const env = await status('環境', () => true, 'the env plugin');
        assert.equal(env.message, 'OK - place=市役所 secret=none', 'a clean environment with the given variables');
        const slow = await status('終わらない', () => true, 'the slow plugin');
        assert.equal(slow.state, 'critical');
        assert.match(slow.message, /slow\.sh が 1500 ms で終わらないため打ち切りました$/);
        const missing = await status('存在しない', () => true, 'the missing plugin');
        assert.equal(missing.state, 'unknown');
        assert.match(missing.message, /no-such-plugin を実行できません \(No such file or directory\)/);
    });

    test('a log file: matches per interval, across a rename rotation', async () => {
        const log = path.join(dir, 'app.log');
        fs.writeFileSync(log, 'ERROR 昨日のエラー (履歴)\n');
        const name = 'アプリログ';
        await json('POST', '/api/v1/monitors', {
            ...common, interval_s: 1, timeout_ms: 900, name, type: 'log', target: { path: log, pattern: 'ERROR|致命的', exclude: 'retry' },
        }, 201);
        const quiet = await status(name, () => true, 'the log monitor decided');
        assert.equal(quiet.state, 'ok', 'history before the first check is not news');
        fs.appendFileSync(log, 'INFO 起動\nERROR retry 1/3\nERROR 住民票の発行に失敗しました\n');
        const hit = await status(name, (s) => s.state === 'critical', 'the new error seen');
        assert.equal(hit.message, `${log}: 1 件一致 (最後: ERROR 住民票の発行に失敗しました)`);
        await status(name, (s) => s.state === 'ok', 'quiet again in the next interval');
        fs.renameSync(log, `${log}.1`);
        fs.appendFileSync(`${log}.1`, 'ERROR 旧ファイルへの最後の書き込み\n');
        fs.writeFileSync(log, '致命的 データベース接続断\n');
        const rotated = await status(name, (s) => s.state === 'critical', 'both files read after rotation');
        assert.equal(rotated.last_value, 2, rotated.message);
        assert.match(rotated.message, /2 件一致 \(最後: 致命的 データベース接続断\)$/);
    });

    test('syslog over UDP and TCP feeds the log monitors that listen to it', async () => {
        const port = await freePort();
        const configFile = path.join(server.dataDir, 'config.json');
        const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
        config.monitoring.syslog_listen = `127.0.0.1:${port}`;
        fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
        await server.restart();
        const announced = new RegExp(`syslog receiver on 127\\.0\\.0\\.1:${port} \\(udp and tcp\\)`);
        await until('the receiver announced', async () => announced.test(server.recentOutput()) || undefined, 5_000);
        admin = await signInAdmin(server);
        const name = 'ファイアウォール ログイン失敗';
        await json('POST', '/api/v1/monitors', {
            ...common, name, type: 'log', target: { source: 'syslog', pattern: 'Failed password', host: 'fw01', severity: 'info' },
        }, 201);
        await status(name, (s) => s.state === 'ok', 'the syslog monitor decided');

        const udp = dgram.createSocket('udp4');
        const send = (line: string) => new Promise((resolve) => udp.send(line, port, '127.0.0.1', resolve));
        await send('<38>Nov 23 09:00:01 fw02 sshd[1]: Failed password for root from 192.0.2.9');  // another host
        await send('<39>Nov 23 09:00:01 fw01 sshd[1]: Failed password for debug');               // debug: too low
        await send('<38>Nov 23 09:00:02 fw01 sshd[1]: Failed password for root from 192.0.2.9');
        udp.close();
        const hit = await status(name, (s) => s.state === 'critical', 'the UDP message matched');
        assert.equal(hit.message, 'syslog: 1 件一致 (最後: Failed password for root from 192.0.2.9)');
        await status(name, (s) => s.state === 'ok', 'quiet again');

        const tcp = net.connect(port, '127.0.0.1');
        await new Promise((resolve) => tcp.once('connect', resolve));
        const framed = (msg: string) => `${Buffer.byteLength(msg)} ${msg}`;
        tcp.write(framed('<86>1 2026-11-23T09:05:00Z fw01 sshd 77 - - Failed password for 管理者'));
        tcp.write('<86>Nov 23 09:05:01 fw01 sshd[77]: Failed password for admin\n');
        tcp.end();
        const tcpHit = await status(name, (s) => s.state === 'critical', 'the TCP messages matched');
        assert.equal(tcpHit.last_value, 2, tcpHit.message);
        assert.match(tcpHit.message, /^syslog: 2 件一致 \(最後: Failed password for admin\)$/);
        const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
        const received = Number(/^unyo_monitor_syslog_messages_total (\d+)$/m.exec(metrics)?.[1]);
        assert.equal(received, 5, 'every message received is counted');
    });
});
