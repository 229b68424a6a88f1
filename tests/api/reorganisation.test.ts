// The April reorganisation (ACC-6) over the API, as an admin would do it in March: upload the
// personnel sheet (CSV with Japanese headers), see the diff, stage it for April 1st, and — here —
// apply it at once; a second sheet is cancelled. Bad sheets are named by line and stage nothing;
// only admins may do any of it.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';

interface Change { field: string; from: string; to: string }
interface Diff { ok: boolean; users_changing: number; organizations_to_create: string[]; lines: { line: number; login: string; changes?: Change[]; error?: string }[] }
interface Plan { id: number; status: string; effective_on: string; diff?: Diff; result: { line: number; outcome: string }[] }

describe('the April reorganisation from a personnel sheet', () => {
    const server = useServer();
    let admin: SignedIn;
    let manager: SignedIn;
    const logins: Record<string, string> = {};
    const passwords: Record<string, string> = {};
    const newOrg = unique('こども家庭課');

    const upload = (who: SignedIn, query: string, body: string) =>
        fetch(`${server.baseUrl}/api/v1/reorganisations?${query}`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/csv', Cookie: who.jar.header() ?? '', 'X-CSRF-Token': who.session.csrf_token },
            body,
        });

    before(async () => {
        admin = await signInAdmin(server);
        const org = (await admin.client.createOrganization({ name: unique('市民課'), kind: 'owner', note: '' })).data;
        for (const [key, role] of [['tanaka', 'operator'], ['sato', 'viewer'], ['boss', 'manager']] as const) {
            logins[key] = unique(key);
            passwords[key] = strongPassword();
            await admin.client.createUser({ login: logins[key]!, display_name: key, organization_id: org.id, roles: [role], password: passwords[key]! });
        }
        manager = await signIn(server, logins['boss']!, passwords['boss']!);
    });

    test('uploaded, previewed, staged, applied; bad sheets named by line', async () => {
        const sheet = `\uFEFFログインID,氏名,所属,ロール,状態\r\n${logins['tanaka']},田中 一郎,${newOrg},運用担当・承認者,\r\n${logins['sato']},,,,退職\r\n`;
        const q = `name=${encodeURIComponent('令和9年度 4月異動')}&effective_on=2027-04-01`;
        await expectProblem(await upload(manager, q, sheet), 403);

        const bad = await upload(admin, q, `ログインID,ロール\r\n${logins['tanaka']},社長\r\nnobody,閲覧者\r\n`);
        assert.deepEqual(errorFields(await expectProblem(bad, 422)), ['line 2: roles']);
        const unknown = await upload(admin, q, `ログインID,状態\r\nnobody,退職\r\n`);
        assert.deepEqual(errorFields(await expectProblem(unknown, 422)), ['line 2: login']);
        assert.deepEqual(errorFields(await expectProblem(await upload(admin, 'effective_on=04-01', sheet), 400)).sort(), ['effective_on', 'name']);
        assert.deepEqual(errorFields(await expectProblem(await upload(admin, q, '氏名\r\n田中\r\n'), 422)), ['file']);
        assert.equal((await expectJson<{ items: Plan[] }>(server, admin, 'GET', '/api/v1/reorganisations')).items.length, 0, 'nothing staged');

        const dry = await upload(admin, `${q}&dry_run=true`, sheet);
        assert.equal(dry.status, 200, await dry.clone().text());
        const preview = ((await dry.json()) as { diff: Diff }).diff;
        assert.equal(preview.ok, true);
        assert.deepEqual(preview.organizations_to_create, [newOrg]);
        assert.deepEqual(preview.lines[0]!.changes!.map((c) => [c.field, c.to]),
            [['display_name', '田中 一郎'], ['organization', newOrg], ['roles', 'operator,manager']]);
        assert.deepEqual(preview.lines[1]!.changes, [{ field: 'status', from: 'active', to: 'disabled' }]);

        const staged = await upload(admin, q, sheet);
        assert.equal(staged.status, 201, await staged.clone().text());
        const plan = (await staged.json()) as Plan;
        assert.deepEqual([plan.status, plan.effective_on, plan.diff!.users_changing], ['staged', '2027-04-01', 2]);
        assert.ok(await signIn(server, logins['sato']!, passwords['sato']!), 'nothing changes before it is applied');

        const applied = await expectJson<Plan>(server, admin, 'POST', `/api/v1/reorganisations/${plan.id}/apply`, {});
        assert.equal(applied.status, 'applied');
        assert.deepEqual(applied.result.map((r) => r.outcome), ['applied', 'applied']);
        const users = await expectJson<{ items: { login: string; roles: string[]; disabled: boolean; organization_id: number }[] }>(
            server, admin, 'GET', '/api/v1/users?limit=200');
        const tanaka = users.items.find((u) => u.login === logins['tanaka'])!;
        assert.deepEqual([...tanaka.roles].sort(), ['manager', 'operator']);
        const orgs = await expectJson<{ items: { id: number; name: string }[] }>(server, admin, 'GET', '/api/v1/organizations?limit=500');
        assert.equal(orgs.items.find((o) => o.id === tanaka.organization_id)!.name, newOrg);
        assert.equal(users.items.find((u) => u.login === logins['sato'])!.disabled, true);
        await expectProblem(await sendJson(server, admin, 'POST', `/api/v1/reorganisations/${plan.id}/apply`, {}), 409);

        const second = (await (await upload(admin, `name=x&effective_on=2027-10-01`, `login,氏名\r\n${logins['boss']},課長\r\n`)).json()) as Plan;
        const cancelled = await expectJson<Plan>(server, admin, 'POST', `/api/v1/reorganisations/${second.id}/cancel`, {});
        assert.equal(cancelled.status, 'cancelled');
        await expectProblem(await sendJson(server, admin, 'POST', `/api/v1/reorganisations/${second.id}/apply`, {}), 409);
        const audit = await expectJson<{ items: { action: string }[] }>(server, admin, 'GET', '/api/v1/audit?entity_type=reorganisation');
        assert.deepEqual(audit.items.map((e) => e.action).sort(),
            ['reorganisation.apply', 'reorganisation.cancel', 'reorganisation.stage', 'reorganisation.stage']);
    });
});
