// Checks of the host unyo runs on (cpu, memory, disk, load, net_traffic, process) through the
// real engine: each gives a value and a state, and bad targets are refused naming the member.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, type SignedIn } from './helpers.ts';
import { until } from './smtp-sink.ts';

interface Monitor {
    id: number;
    name: string;
    status: { state: string; last_value: number | null; message: string } | null;
}

describe('host monitors', () => {
    const server = useServer();
    let admin: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
    });

    const json = <T>(method: string, p: string, body?: unknown, status = 200) =>
        expectJson<T>(server, admin, method, p, body, status);

    test('bad host targets are refused naming the member', async () => {
        const disk = await expectProblem(await sendJson(server, admin, 'POST', '/api/v1/monitors', {
            name: 'ディスク', type: 'disk', target: { path: 'var' },
        }), 422);
        assert.deepEqual(errorFields(disk), ['target.path']);
        const proc = await expectProblem(await sendJson(server, admin, 'POST', '/api/v1/monitors', {
            name: 'プロセス', type: 'process', target: { min: 3, max: 1 },
        }), 422);
        assert.deepEqual(errorFields(proc).sort(), ['target.max', 'target.name']);
    });

    test('each host check measures and grades', async () => {
        const common = { service: '監視サーバ', interval_s: 2, timeout_ms: 1500, retries: 1 };
        const made = [
            { name: 'CPU', type: 'cpu', target: {}, critical: 101 },
            { name: 'メモリ', type: 'memory', target: {}, critical: 101 },
            { name: 'ルート', type: 'disk', target: { path: '/' }, critical: 101 },
            { name: 'ロード', type: 'load', target: {} },
            { name: '通信量', type: 'net_traffic', target: {} },
            { name: 'unyo 本体', type: 'process', target: { pattern: 'serve', min: 1 } },
            { name: '存在しないデーモン', type: 'process', target: { name: 'no-such-daemon-x' } },
            { name: 'メモリ (厳しすぎる閾値)', type: 'memory', target: {}, warning: 0 },
        ];
        for (const m of made) await json('POST', '/api/v1/monitors', { ...common, ...m }, 201);
        const states = await until('every host monitor decided', async () => {
            const { items } = await json<{ items: Monitor[] }>('GET', '/api/v1/monitors');
            const mine = items.filter((m) => made.some((x) => x.name === m.name));
            return mine.length === made.length && mine.every((m) => m.status && m.status.state !== 'pending')
                ? new Map(mine.map((m) => [m.name, m.status])) : undefined;
        }, 20_000);
        for (const name of ['CPU', 'メモリ', 'ルート', 'ロード', '通信量', 'unyo 本体']) {
            assert.equal(states.get(name)?.state, 'ok', `${name}: ${states.get(name)?.message}`);
            assert.equal(typeof states.get(name)?.last_value, 'number', `${name} has a value`);
        }
        const percent = states.get('ルート')?.last_value ?? -1;
        assert.ok(percent >= 0 && percent <= 100, `a disk percentage (${percent})`);
        assert.equal(states.get('存在しないデーモン')?.state, 'critical');
        assert.equal(states.get('存在しないデーモン')?.message, 'プロセス no-such-daemon-x が 0 個 (期待 1 以上)');
        assert.equal(states.get('メモリ (厳しすぎる閾値)')?.state, 'warning', 'graded by its threshold');
    });
});
