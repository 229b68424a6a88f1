// Acknowledged writes survive a crash (SIGKILL right after the 201s), and SIGTERM stops cleanly.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { signInAdmin, unique } from './helpers.ts';

// One server for the whole file: useServer() registers its hooks on this suite.
describe('durability', () => {
    const server = useServer();

    test('50 concurrent creates, all acknowledged 201, survive kill -9', async () => {
        const { client } = await signInAdmin(server);
        const names = Array.from({ length: 50 }, () => unique('耐久'));
        const results = await Promise.all(names.map((name) => client.createOrganization({ name, kind: 'other' })));
        assert.deepEqual(
            results.map((r) => r.status),
            names.map(() => 201),
        );
        const ids = results.map((r) => r.data.id);
        assert.equal(new Set(ids).size, 50, 'fifty distinct ids');

        await server.kill9();
        await server.restart();

        const after = await signInAdmin(server);
        const all = await after.client.all(after.client.listOrganizations, { limit: 500 });
        const byId = new Map(all.map((o) => [o.id, o.name]));
        const lost = results.filter((r) => byId.get(r.data.id) !== r.data.name).map((r) => r.data.name);
        assert.deepEqual(lost, [], 'acknowledged organisations lost by the crash');
    });

    test('SIGTERM: the server exits 0 and serves the same data again', async () => {
        const { client } = await signInAdmin(server);
        const { data: org } = await client.createOrganization({ name: unique('停止前'), kind: 'other' });
        await server.stop(); // asserts exit code 0
        await server.restart();
        const again = await signInAdmin(server);
        assert.equal((await again.client.getOrganization(org.id)).data.name, org.name);
    });
});
