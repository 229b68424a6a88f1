// The service catalogue (issue 7: CAT-1, REQ-1), as the "Done when" says: request a printer change
// from the catalogue and see it routed — seed 001's role table imported, a service routed by its
// work item 8 (プリンタの設定), a requester fills in its form and gets a request record assigned to
// the work item's main organisation with the needed-by date of the lead time; the form's required
// answers and the roles that may request are enforced.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';

interface Matrix { id: number; columns: { name: string; organization_id: number | null }[]; items: { id: number; seq: number }[] }

describe('service catalogue: a request routed by the role matrix', () => {
    const server = useServer();
    let admin: SignedIn;
    let requester: SignedIn;
    let operator: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
        const town = (await admin.client.createOrganization({ name: unique('市民課'), kind: 'owner', note: '' })).data;
        for (const [role, set] of [['requester', (s: SignedIn) => (requester = s)], ['operator', (s: SignedIn) => (operator = s)]] as const) {
            const login = unique(`cat-${role}`);
            const password = strongPassword();
            await admin.client.createUser({ login, display_name: '窓口 一郎', organization_id: town.id, roles: [role], password });
            set(await signIn(server, login, password));
        }
    });

    test('a printer change requested from the catalogue goes to the main organisation of its work item', async () => {
        const table = readFileSync(path.resolve(import.meta.dirname, '../fixtures/seeds/raci_001.txt'), 'utf8');
        const res = await fetch(`${server.baseUrl}/api/v1/raci/import?name=${encodeURIComponent(unique('国保'))}&create_organizations=true`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain', Cookie: admin.jar.header() ?? '', 'X-CSRF-Token': admin.session.csrf_token },
            body: table,
        });
        assert.equal(res.status, 201, await res.clone().text());
        const m = ((await res.json()) as { matrix: Matrix }).matrix;
        const printer = m.items.find((i) => i.seq === 8)!;
        const service = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/catalog', {
            name: unique('プリンタの設定変更'), description: 'プリンタの増設・変更', request_type: 'printer', requester_roles: ['requester'],
            work_item_id: printer.id, lead_time_days: 10,
            form: [{ name: 'location', label: '設置場所', required: true },
                   { name: 'model', label: '機種', type: 'enum', options: ['A3 モノクロ', 'A3 カラー'] }],
        }, 201);

        const portal = await expectJson<{ items: { id: number }[] }>(server, requester, 'GET', '/api/v1/catalog');
        assert.ok(portal.items.some((s) => s.id === service.id));
        const notMine = await expectJson<{ items: { id: number }[] }>(server, operator, 'GET', '/api/v1/catalog');
        assert.ok(!notMine.items.some((s) => s.id === service.id), 'an operator is not among its requesters');
        await expectProblem(await sendJson(server, operator, 'POST', `/api/v1/catalog/${service.id}/requests`, { answers: { location: 'x' } }), 403);
        const missing = await sendJson(server, requester, 'POST', `/api/v1/catalog/${service.id}/requests`, { answers: { model: 'A4' } });
        assert.deepEqual(errorFields(await expectProblem(missing, 422)).sort(), ['answers.location', 'answers.model']);

        const made = await expectJson<{ id: number; key: string; kind: string; organization_id: number; request_type: string; needed_by: string; description: string }>(
            server, requester, 'POST', `/api/v1/catalog/${service.id}/requests`,
            { title: '2階 市民課', answers: { location: '本庁舎 2階 市民課', model: 'A3 カラー' } }, 201);
        assert.match(made.key, /^REQ-/);
        assert.equal(made.request_type, 'printer');
        const main = m.columns[3]!;
        assert.equal(main.name, '既存ベンダ');
        assert.equal(made.organization_id, main.organization_id, 'routed to the work item\'s main organisation');
        const today = new Date(Date.now() + 9 * 3600_000);
        const due = new Date(today.getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
        assert.equal(made.needed_by, due);
        assert.match(made.description, /設置場所: 本庁舎 2階 市民課/);
        const timeline = await expectJson<{ items: { type: string; body: Record<string, unknown> }[] }>(
            server, admin, 'GET', `/api/v1/requests/${made.id}/timeline`);
        assert.equal(timeline.items.find((e) => e.type === 'routing')!.body['seq'], 8);
        const mine = await expectJson<{ id: number }>(server, requester, 'GET', `/api/v1/requests/${made.id}`);
        assert.equal(mine.id, made.id, 'the requester still sees what they asked for');

        // Changed with If-Match (a stale version refused and nothing changed), then withdrawn.
        const stale = await sendJson(server, admin, 'PATCH', `/api/v1/catalog/${service.id}`, { lead_time_days: 3 }, '"0"');
        await expectProblem(stale, 412);
        const bad = await sendJson(server, admin, 'PATCH', `/api/v1/catalog/${service.id}`, { lead_time_days: 999 }, '"1"');
        assert.deepEqual(errorFields(await expectProblem(bad, 422)), ['lead_time_days']);
        const edited = await sendJson(server, admin, 'PATCH', `/api/v1/catalog/${service.id}`, { lead_time_days: 3, enabled: false }, '"1"');
        assert.equal(edited.status, 200, await edited.clone().text());
        assert.equal(edited.headers.get('etag'), '"2"');
        const after = (await edited.json()) as { lead_time_days: number; enabled: boolean; name: string };
        assert.deepEqual([after.lead_time_days, after.enabled], [3, false]);
        const gone = await expectJson<{ items: { id: number }[] }>(server, requester, 'GET', '/api/v1/catalog');
        assert.ok(!gone.items.some((s) => s.id === service.id), 'a withdrawn service leaves the portal');
        await expectProblem(await sendJson(server, requester, 'POST', `/api/v1/catalog/${service.id}/requests`, { answers: { location: 'x' } }), 409);
        await expectProblem(await sendJson(server, requester, 'PATCH', `/api/v1/catalog/${service.id}`, { enabled: true }, '"2"'), 403);
        const still = await expectJson<{ id: number }>(server, requester, 'GET', `/api/v1/requests/${made.id}`);
        assert.equal(still.id, made.id, 'its past requests stay');
    });
});
