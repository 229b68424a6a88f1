// Accounts on the managed systems (ACC-4) and their periodic review, and the inventory of
// configuration items (CFG-2): dormant and leavers' accounts listed; a review lists the active
// accounts, wants a reason to keep a suspect one, refuses to close while anything is undecided,
// and on closing disables and deletes what was so decided and marks the rest reviewed; an
// inventory records each item confirmed, changed or missing with who and when.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';

interface Account {
    id: number; account: string; status: string; dormant: boolean; leaver: boolean; review_due: boolean;
    last_reviewed_on: string | null; last_reviewed_by: string; version: number;
}
interface Item { subject_id: number; subject_name: string; detail: Record<string, unknown>; decision: string; comment: string; decided_by: string; decided_at: string | null }
interface Run { id: number; status: string; counts: Record<string, number>; items: Item[]; closed_by: string }

const day = (offset: number) => new Date(Date.now() + 9 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

describe('accounts on the managed systems, their review, and the inventory', () => {
    const server = useServer();
    let admin: SignedIn;
    let operator: SignedIn;
    let requester: SignedIn;
    let system: { id: number };
    let org: { id: number };

    async function person(orgId: number, role: string): Promise<{ who: SignedIn; id: number; login: string }> {
        const login = unique(`acc-${role}`);
        const password = strongPassword();
        const made = (await admin.client.createUser({ login, display_name: role, organization_id: orgId, roles: [role as 'operator'], password })).data;
        return { who: await signIn(server, login, password), id: made.id, login };
    }
    const account = (body: Record<string, unknown>) =>
        expectJson<Account>(server, operator, 'POST', '/api/v1/managed-accounts', { ci_id: system.id, ...body }, 201);

    before(async () => {
        admin = await signInAdmin(server);
        org = (await admin.client.createOrganization({ name: unique('住民課'), kind: 'owner', note: '' })).data;
        operator = (await person(org.id, 'operator')).who;
        requester = (await person(org.id, 'requester')).who;
        system = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/cis', { name: unique('住民記録システム'), type: 'application' }, 201);
    });

    test('dormant and leavers listed; a review applies its decisions when it closes', async () => {
        const bad = await sendJson(server, operator, 'POST', '/api/v1/managed-accounts',
            { ci_id: 999999, account: '', privilege: 'root', last_used_on: 'yesterday' });
        assert.deepEqual(errorFields(await expectProblem(bad, 422)).sort(), ['account', 'last_used_on', 'privilege']);
        const missing = await sendJson(server, operator, 'POST', '/api/v1/managed-accounts', { ci_id: 999999, account: 'x' });
        assert.deepEqual(errorFields(await expectProblem(missing, 422)), ['ci_id']);

        const leaverUser = await person(org.id, 'viewer');
        const active = await account({ account: unique('tanaka'), holder: '田中', privilege: 'general', last_used_on: day(-3) });
        const dormant = await account({ account: unique('sato'), holder: '佐藤', last_used_on: day(-120) });
        const leaving = await account({ account: unique('suzuki'), holder: '鈴木', last_used_on: day(-1), leaves_on: day(-1) });
        const disabledHolder = await account({ account: unique('ito'), holder: '伊藤', holder_user_id: leaverUser.id, last_used_on: day(-1) });
        const admin1 = await account({ account: unique('admin'), privilege: 'privileged', last_used_on: day(-1) });
        await expectProblem(await sendJson(server, operator, 'POST', '/api/v1/managed-accounts', { ci_id: system.id, account: active.account }), 409);
        await expectProblem(await sendJson(server, requester, 'GET', '/api/v1/managed-accounts'), 403);

        // The holder leaves: their unyo user is disabled.
        const u = await sendJson(server, admin, 'GET', `/api/v1/users/${leaverUser.id}`);
        const etag = u.headers.get('etag')!;
        assert.equal((await sendJson(server, admin, 'PATCH', `/api/v1/users/${leaverUser.id}`, { disabled: true }, etag)).status, 200);

        const names = async (q: string) =>
            (await expectJson<{ items: Account[] }>(server, operator, 'GET', `/api/v1/managed-accounts?ci_id=${system.id}&${q}`)).items.map((a) => a.id).sort();
        assert.deepEqual(await names('dormant=true'), [dormant.id]);
        assert.deepEqual(await names('dormant=true&dormant_days=2'), [active.id, dormant.id].sort());
        assert.deepEqual(await names('leavers=true'), [leaving.id, disabledHolder.id].sort());
        assert.equal((await names('review_due=true')).length, 5, 'never reviewed');
        await expectProblem(await sendJson(server, operator, 'GET', '/api/v1/managed-accounts?dormant_days=0'), 400);

        const review = await expectJson<Run>(server, operator, 'POST', '/api/v1/account-reviews', { name: '2026年度 下期 棚卸', ci_id: system.id }, 201);
        assert.equal(review.counts['total'], 5);
        assert.equal(review.items.find((i) => i.subject_id === dormant.id)!.detail['dormant'], true);
        const decide = (subject: number, decision: string, comment?: string) =>
            sendJson(server, operator, 'POST', `/api/v1/account-reviews/${review.id}/items/${subject}`, comment === undefined ? { decision } : { decision, comment });
        assert.deepEqual(errorFields(await expectProblem(await decide(dormant.id, 'keep'), 422)), ['comment'], 'a suspect account kept needs a reason');
        assert.deepEqual(errorFields(await expectProblem(await decide(active.id, 'freeze'), 422)), ['decision']);
        await expectProblem(await decide(999999, 'keep'), 404);
        assert.equal((await decide(active.id, 'keep')).status, 200);
        assert.equal((await decide(dormant.id, 'keep', '年度末処理で使用')).status, 200);
        assert.equal((await decide(leaving.id, 'disable')).status, 200);
        await expectProblem(await sendJson(server, operator, 'POST', `/api/v1/account-reviews/${review.id}/close`, {}), 409, 'two undecided');
        assert.equal((await decide(disabledHolder.id, 'delete')).status, 200);
        assert.equal((await decide(admin1.id, 'keep')).status, 200);
        const closed = await expectJson<Run>(server, operator, 'POST', `/api/v1/account-reviews/${review.id}/close`, { note: '承認: 課長' });
        assert.equal(closed.status, 'closed');
        assert.deepEqual([closed.counts['keep'], closed.counts['disable'], closed.counts['delete'], closed.counts['pending']], [3, 1, 1, 0]);
        assert.ok(closed.items.every((i) => i.decided_by !== '' && i.decided_at !== null), 'who and when, each');
        await expectProblem(await decide(active.id, 'disable'), 409, 'closed');

        const after = await expectJson<{ items: Account[] }>(server, operator, 'GET', `/api/v1/managed-accounts?ci_id=${system.id}`);
        const byId = new Map(after.items.map((a) => [a.id, a]));
        assert.equal(byId.get(leaving.id)!.status, 'disabled');
        assert.equal(byId.get(disabledHolder.id)!.status, 'deleted');
        assert.equal(byId.get(active.id)!.status, 'active');
        assert.equal(byId.get(active.id)!.last_reviewed_on, day(0));
        assert.equal(byId.get(active.id)!.review_due, false);
        assert.deepEqual(await names('leavers=true'), [], 'no active leaver remains');
    });

    test('an inventory of the configuration items: confirmed, changed, missing', async () => {
        const type = 'printer';
        const printers: { id: number }[] = [];
        for (const n of ['1F', '2F', '3F']) {
            printers.push(await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/cis', { name: unique(`プリンタ ${n}`), type }, 201));
        }
        const run = await expectJson<Run>(server, operator, 'POST', '/api/v1/inventories', { name: '2026年12月 プリンタ棚卸', type }, 201);
        assert.equal(run.counts['total'], 3);
        const decide = (subject: number, decision: string, comment?: string) =>
            sendJson(server, operator, 'POST', `/api/v1/inventories/${run.id}/items/${subject}`, comment === undefined ? { decision } : { decision, comment });
        assert.equal((await decide(printers[0]!.id, 'confirmed')).status, 200);
        assert.deepEqual(errorFields(await expectProblem(await decide(printers[1]!.id, 'missing'), 422)), ['comment']);
        assert.deepEqual(errorFields(await expectProblem(await decide(printers[1]!.id, 'keep'), 422)), ['decision'], 'not a review');
        assert.equal((await decide(printers[1]!.id, 'missing', '設置場所に無し。総務課に確認中')).status, 200);
        await expectProblem(await sendJson(server, operator, 'POST', `/api/v1/inventories/${run.id}/close`, {}), 409);
        assert.equal((await decide(printers[2]!.id, 'changed', '機種更新: A3 カラー')).status, 200);
        const closed = await expectJson<Run>(server, operator, 'POST', `/api/v1/inventories/${run.id}/close`, {});
        assert.deepEqual([closed.status, closed.counts['confirmed'], closed.counts['changed'], closed.counts['missing']], ['closed', 1, 1, 1]);
        assert.equal(closed.items.find((i) => i.subject_id === printers[1]!.id)!.comment, '設置場所に無し。総務課に確認中');
        await expectProblem(await sendJson(server, operator, 'GET', `/api/v1/account-reviews/${run.id}`), 404, 'an inventory is not a review');
        const list = await expectJson<{ items: Run[] }>(server, operator, 'GET', '/api/v1/inventories');
        assert.ok(list.items.some((r) => r.id === run.id && r.status === 'closed'));
        await expectProblem(await sendJson(server, operator, 'POST', '/api/v1/inventories', { name: 'x', type: 'no-such-type' }), 409, 'nothing to list');
    });
});
