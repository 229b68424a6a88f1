// `unyo monitors export|import`: monitors as YAML, parents by name; an import validates every
// entry first, matches by name, and the running server's engine picks the changes up by itself.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { runUnyo, useServer } from './harness.ts';
import { sendJson, signInAdmin, type SignedIn } from './helpers.ts';
import { freePort, until } from './smtp-sink.ts';

interface Monitor {
    id: number;
    name: string;
    interval_s: number;
    parent_ids: number[];
    status: { state: string } | null;
}

describe('monitors as YAML', () => {
    const server = useServer();
    let admin: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
    });

    async function monitors(): Promise<Monitor[]> {
        const res = await sendJson(server, admin, 'GET', '/api/v1/monitors');
        assert.equal(res.status, 200);
        return ((await res.json()) as { items: Monitor[] }).items;
    }

    test('export, edit, import: created and updated by name, picked up by the engine', async () => {
        const closed = await freePort();
        for (const body of [
            { name: '基幹スイッチ', type: 'tcp', target: { host: '127.0.0.1', port: closed }, interval_s: 300 },
            { name: '住基DB', type: 'tcp', target: { host: '127.0.0.1', port: closed }, interval_s: 300, service: '住民記録' },
        ]) {
            assert.equal((await sendJson(server, admin, 'POST', '/api/v1/monitors', body)).status, 201);
        }
        const [sw] = (await monitors()).filter((m) => m.name === '基幹スイッチ');
        assert.ok(sw);
        const db = (await monitors()).find((m) => m.name === '住基DB');
        assert.equal((await sendJson(server, admin, 'PATCH', `/api/v1/monitors/${db?.id}`, { parent_ids: [sw.id] }, '"1"')).status, 200);

        const exported = await runUnyo(['monitors', 'export', '--data-dir', server.dataDir]);
        assert.equal(exported.code, 0, exported.stderr);
        assert.match(exported.stdout, /^monitors:$/m);
        assert.match(exported.stdout, /name: 住基DB/);
        assert.match(exported.stdout, /parents: \[基幹スイッチ\]/, 'parents by name');
        assert.match(exported.stdout, /service: 住民記録/);

        const at = exported.stdout.indexOf('- name: 住基DB');
        const edited = exported.stdout.slice(0, at) + exported.stdout.slice(at).replace('interval_s: 300', 'interval_s: 60') +
            `  - name: 住基AP\n    type: tcp\n    target: {host: 127.0.0.1, port: ${closed}}\n    interval_s: 1\n    timeout_ms: 500\n    retries: 1\n    parents: [住基DB]\n`;
        const file = path.join(server.dataDir, 'monitors.yaml');
        await writeFile(file, edited);

        const dry = await runUnyo(['monitors', 'import', '--data-dir', server.dataDir, '--dry-run', file]);
        assert.equal(dry.code, 0, dry.stderr);
        assert.equal(dry.stdout.trim(), '(dry run) created 1, updated 1, unchanged 1');
        assert.equal((await monitors()).length, 2, 'a dry run changes nothing');

        const real = await runUnyo(['monitors', 'import', '--data-dir', server.dataDir, file]);
        assert.equal(real.code, 0, real.stderr);
        assert.equal(real.stdout.trim(), 'created 1, updated 1, unchanged 1');
        const after = await monitors();
        const ap = after.find((m) => m.name === '住基AP');
        assert.deepEqual(ap?.parent_ids, [after.find((m) => m.name === '住基DB')?.id]);
        assert.equal(after.find((m) => m.name === '住基DB')?.interval_s, 60);
        const again = await runUnyo(['monitors', 'import', '--data-dir', server.dataDir, file]);
        assert.equal(again.stdout.trim(), 'created 0, updated 0, unchanged 3', 'importing twice changes nothing');

        await until('the engine checks the imported monitor', async () => {
            const m = (await monitors()).find((x) => x.name === '住基AP');
            return m?.status ? true : undefined;
        }, 30_000);
    });

    test('a bad file is refused whole, naming the entry and member', async () => {
        const before = (await monitors()).length;
        const file = path.join(server.dataDir, 'bad.yaml');
        await writeFile(file, 'monitors:\n  - name: 新しい監視\n    type: tcp\n    target: {host: a}\n  - name: もう一つ\n    type: heartbeat\n    parents: [ない親]\n');
        const r = await runUnyo(['monitors', 'import', '--data-dir', server.dataDir, file]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /monitors\[0\]\.target\.port: must be a port number/);
        assert.match(r.stderr, /monitors\[1\]\.parents: no monitor is named "ない親"/);
        assert.equal((await monitors()).length, before, 'nothing was created');
        await writeFile(file, 'monitors: [ {name: x, type: tcp');
        const broken = await runUnyo(['monitors', 'import', '--data-dir', server.dataDir, file]);
        assert.equal(broken.code, 2);
        assert.match(broken.stderr, /not YAML/);
    });
});
