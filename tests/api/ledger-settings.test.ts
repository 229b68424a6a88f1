// SLA policies changed over HTTP (versioned), watchers of a record, and saved list views.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';

interface Target {
    name: string;
    duration_ms: number;
    warn_percent: number;
    calendar_id: number | null;
}
interface Policy {
    id: number;
    name: string;
    version: number;
    targets: Target[];
    versions: { version: number; valid_from: string; changed_by: string }[];
}

describe('ledger settings', () => {
    const server = useServer();
    let admin: SignedIn;
    let operator: SignedIn;
    let operatorId: number;

    before(async () => {
        admin = await signInAdmin(server);
        const login = unique('op');
        const password = strongPassword();
        const user = await admin.client.createUser({
            login,
            display_name: '運用 担当',
            organization_id: 1,
            roles: ['operator'],
            password,
        });
        operatorId = user.data.id;
        operator = await signIn(server, login, password);
    });

    async function json<T>(res: Response, status = 200): Promise<T> {
        const text = await res.text();
        assert.equal(res.status, status, text);
        return JSON.parse(text) as T;
    }

    test('an SLA policy change is a new version that applies to clocks starting after it', async () => {
        const { items } = await json<{ items: Policy[] }>(await sendJson(server, admin, 'GET', '/api/v1/sla-policies'));
        const normal = items.find((p) => p.name === '障害 (通常)');
        assert.ok(normal);
        assert.equal(normal.version, 1);
        const path = `/api/v1/sla-policies/${normal.id}`;
        const change = { targets: [{ name: 'recovery', duration_ms: 36 * 3600_000, warn_percent: 80 }] };

        await expectProblem(await sendJson(server, admin, 'PATCH', path, change), 428, 'If-Match is required');
        await expectProblem(await sendJson(server, operator, 'PATCH', path, change, '"1"'), 403, 'operators may not');
        const bad = await expectProblem(
            await sendJson(server, admin, 'PATCH', path, {
                targets: [{ name: 'recovery', warn_percent: 100 }, { name: 'nope' }, { name: 'eta', calendar_id: 999 }],
            }, '"1"'),
            422,
        );
        assert.deepEqual(errorFields(bad), ['targets[0].warn_percent', 'targets[1].name', 'targets[2].calendar_id']);

        const before = await json<{ id: number; sla: { name: string; target_at: string }[] }>(
            await sendJson(server, admin, 'POST', '/api/v1/incidents', { title: '変更前', severity: 'high', source: 'other' }),
            201,
        );
        const res = await sendJson(server, admin, 'PATCH', path, change, '"1"');
        const changed = await json<Policy>(res);
        assert.equal(res.headers.get('etag'), '"2"');
        assert.equal(changed.version, 2);
        assert.deepEqual(changed.versions.map((v) => v.version), [1, 2]);
        assert.equal(changed.targets.find((t) => t.name === 'recovery')?.duration_ms, 36 * 3600_000);
        await expectProblem(await sendJson(server, admin, 'PATCH', path, change, '"1"'), 412, 'stale');

        const after = await json<{ created_at: string; sla: { name: string; target_at: string }[] }>(
            await sendJson(server, admin, 'POST', '/api/v1/incidents', { title: '変更後', severity: 'high', source: 'other' }),
            201,
        );
        const recovery = (r: { sla: { name: string; target_at: string }[] }) =>
            Date.parse(r.sla.find((c) => c.name === 'recovery')?.target_at ?? '');
        const old = await json<{ created_at: string; sla: { name: string; target_at: string }[] }>(
            await sendJson(server, admin, 'GET', `/api/v1/incidents/${before.id}`),
        );
        assert.equal(recovery(old) - Date.parse(old.created_at), 12 * 3600_000, 'the old terms stay');
        assert.equal(recovery(after) - Date.parse(after.created_at), 36 * 3600_000, 'the new terms apply');

        const audit = await json<{ items: { action: string; entity_id: string }[] }>(
            await sendJson(server, admin, 'GET', '/api/v1/audit?action=sla_policy.update'),
        );
        assert.ok(audit.items.some((e) => e.entity_id === String(normal.id)));
    });

    test('watchers: the raiser watches; others watch and stop; only staff add someone else', async () => {
        const inc = await json<{ id: number }>(
            await sendJson(server, operator, 'POST', '/api/v1/incidents', { title: '監視対象', severity: 'low', source: 'other' }),
            201,
        );
        const path = `/api/v1/incidents/${inc.id}/watchers`;
        const list = async () =>
            (await json<{ items: { login: string; user_id: number }[] }>(await sendJson(server, admin, 'GET', path))).items.map(
                (w) => w.user_id,
            );
        assert.deepEqual(await list(), [operatorId]);
        const added = await json<{ user_id: number; added_at: string }>(await sendJson(server, admin, 'POST', path), 201);
        assert.equal(added.user_id, admin.session.user.id);
        await json(await sendJson(server, admin, 'POST', path, {}), 200);
        assert.deepEqual(new Set(await list()), new Set([operatorId, admin.session.user.id]));
        const bad = await expectProblem(await sendJson(server, admin, 'POST', path, { user_id: 987654 }), 422);
        assert.deepEqual(errorFields(bad), ['user_id']);

        const requesterLogin = unique('req');
        const password = strongPassword();
        await admin.client.createUser({
            login: requesterLogin,
            display_name: '職員',
            organization_id: 1,
            roles: ['requester'],
            password,
        });
        const requester = await signIn(server, requesterLogin, password);
        await expectProblem(await sendJson(server, requester, 'POST', path), 404, 'a requester does not see it');

        assert.equal((await sendJson(server, operator, 'DELETE', `${path}/${operatorId}`)).status, 204);
        await expectProblem(await sendJson(server, operator, 'DELETE', `${path}/${operatorId}`), 404);
        assert.deepEqual(await list(), [admin.session.user.id]);
    });

    test('saved views: own and shared, named once per list, deleted by their owner', async () => {
        const mine = await json<{ id: number; query: string }>(
            await sendJson(server, operator, 'POST', '/api/v1/saved-views', {
                collection: 'incidents',
                name: '重大で未完了',
                query: '?severity=critical&open=true',
            }),
            201,
        );
        assert.equal(mine.query, 'severity=critical&open=true');
        const dup = await expectProblem(
            await sendJson(server, operator, 'POST', '/api/v1/saved-views', { collection: 'incidents', name: '重大で未完了' }),
            422,
        );
        assert.deepEqual(errorFields(dup), ['name']);
        const bad = await expectProblem(
            await sendJson(server, operator, 'POST', '/api/v1/saved-views', { collection: 'nothing', name: 'x', shared: true }),
            422,
        );
        assert.deepEqual(errorFields(bad), ['collection']);
        const notShared = await expectProblem(
            await sendJson(server, operator, 'POST', '/api/v1/saved-views', { collection: 'incidents', name: '共有', shared: true }),
            422,
        );
        assert.deepEqual(errorFields(notShared), ['shared']);
        await json(
            await sendJson(server, admin, 'POST', '/api/v1/saved-views', {
                collection: 'incidents',
                name: '全員向け',
                query: 'open=true',
                shared: true,
            }),
            201,
        );
        await json(
            await sendJson(server, admin, 'POST', '/api/v1/saved-views', { collection: 'problems', name: '問題', query: '' }),
            201,
        );
        const views = await json<{ items: { name: string; id: number }[] }>(
            await sendJson(server, operator, 'GET', '/api/v1/saved-views?collection=incidents'),
        );
        assert.deepEqual(views.items.map((v) => v.name).sort(), ['全員向け', '重大で未完了'].sort());
        const shared = views.items.find((v) => v.name === '全員向け');
        await expectProblem(await sendJson(server, operator, 'DELETE', `/api/v1/saved-views/${shared?.id}`), 404);
        assert.equal((await sendJson(server, operator, 'DELETE', `/api/v1/saved-views/${mine.id}`)).status, 204);
    });
});
