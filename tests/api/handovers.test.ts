// The handover ledger of confidential data and media (SEC-4), as seed 004 #16 asks: 授受および返却
// した日付、担当者、情報の内容、手段・方法 — recorded with the manager's prior consent, listed
// while outstanding and highlighted when past the return date, returned (or erased) once; bad
// input named, nothing changed; requesters do not read it.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';

interface Handover { id: number; version: number; outstanding: boolean; overdue: boolean; returned_on: string | null; disposition: string; handed_on: string }

const day = (offset: number) => new Date(Date.now() + 9 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

describe('the handover ledger of confidential data and media', () => {
    const server = useServer();
    let admin: SignedIn;
    let vendor: SignedIn;
    let requester: SignedIn;

    async function person(orgId: number, role: string): Promise<SignedIn> {
        const login = unique(`ho-${role}`);
        const password = strongPassword();
        await admin.client.createUser({ login, display_name: role, organization_id: orgId, roles: [role as 'operator'], password });
        return signIn(server, login, password);
    }

    before(async () => {
        admin = await signInAdmin(server);
        const owner = (await admin.client.createOrganization({ name: unique('市民課'), kind: 'owner', note: '' })).data;
        const maker = (await admin.client.createOrganization({ name: unique('保守業者'), kind: 'vendor', note: '' })).data;
        vendor = await person(maker.id, 'vendor');
        requester = await person(owner.id, 'requester');
    });

    test('recorded, outstanding, overdue, returned once', async () => {
        const bad = await sendJson(server, vendor, 'POST', '/api/v1/handovers', {
            handed_on: '2026-13-01', direction: 'sideways', classification: 'secret', content: '', means: 'USB',
            from_person: '保守 太郎', to_person: '市民課 花子', due_back_on: 'soon',
        });
        assert.deepEqual(errorFields(await expectProblem(bad, 422)).sort(),
            ['approved_by', 'classification', 'content', 'direction', 'due_back_on', 'handed_on']);
        const backwards = await sendJson(server, vendor, 'POST', '/api/v1/handovers', {
            handed_on: day(0), due_back_on: day(-1), content: '住民票データ', means: 'USB', from_person: 'a', to_person: 'b', approved_by: 'c',
        });
        assert.deepEqual(errorFields(await expectProblem(backwards, 422)), ['due_back_on']);
        assert.equal((await expectJson<{ items: Handover[] }>(server, vendor, 'GET', '/api/v1/handovers')).items.length, 0, 'nothing recorded');

        const late = await expectJson<Handover>(server, vendor, 'POST', '/api/v1/handovers', {
            handed_on: day(-10), direction: 'out', classification: 'personal', content: '障害調査用 住民記録ログ (2026/11 分)',
            means: '暗号化USBメモリ', medium_id: 'USB-007', from_person: '市民課 花子', from_organization: '市民課',
            to_person: '保守 太郎', to_organization: '保守業者', approved_by: '情報政策課長', due_back_on: day(-3),
        }, 201);
        assert.deepEqual([late.outstanding, late.overdue], [true, true]);
        const onTime = await expectJson<Handover>(server, vendor, 'POST', '/api/v1/handovers', {
            handed_on: day(0), content: '帳票テンプレート', means: 'ファイル転送', from_person: 'a', to_person: 'b', approved_by: 'c',
            classification: 'confidential', due_back_on: day(7),
        }, 201);
        assert.deepEqual([onTime.outstanding, onTime.overdue], [true, false]);
        const overdue = await expectJson<{ items: Handover[] }>(server, vendor, 'GET', '/api/v1/handovers?overdue=true');
        assert.deepEqual(overdue.items.map((h) => h.id), [late.id]);

        await expectProblem(await sendJson(server, requester, 'GET', '/api/v1/handovers'), 403);
        await expectProblem(await sendJson(server, requester, 'POST', '/api/v1/handovers', {}), 403);

        const future = await sendJson(server, vendor, 'POST', `/api/v1/handovers/${late.id}/return`,
            { returned_on: day(1), received_by: '市民課 花子' }, `"${late.version}"`);
        assert.deepEqual(errorFields(await expectProblem(future, 422)), ['returned_on']);
        await expectProblem(await sendJson(server, vendor, 'POST', `/api/v1/handovers/${late.id}/return`,
            { returned_on: day(0), received_by: '市民課 花子' }, '"99"'), 412);
        const back = await sendJson(server, vendor, 'POST', `/api/v1/handovers/${late.id}/return`,
            { returned_on: day(0), received_by: '市民課 花子', disposition: 'erased', note: 'データ消去証明書あり' }, `"${late.version}"`);
        assert.equal(back.status, 200, await back.clone().text());
        const returned = (await back.json()) as Handover;
        assert.deepEqual([returned.returned_on, returned.disposition, returned.outstanding, returned.overdue], [day(0), 'erased', false, false]);
        await expectProblem(await sendJson(server, vendor, 'POST', `/api/v1/handovers/${late.id}/return`,
            { returned_on: day(0), received_by: 'x' }, `"${returned.version}"`), 409);
        const outstanding = await expectJson<{ items: Handover[] }>(server, vendor, 'GET', '/api/v1/handovers?outstanding=true');
        assert.deepEqual(outstanding.items.map((h) => h.id), [onTime.id]);

        const fixed = await sendJson(server, vendor, 'PATCH', `/api/v1/handovers/${onTime.id}`, { means: 'LGWAN ファイル転送' }, `"${onTime.version}"`);
        assert.equal(fixed.status, 200, await fixed.clone().text());
        const audit = await expectJson<{ items: { action: string }[] }>(server, admin, 'GET', '/api/v1/audit?entity_type=handover');
        const actions = audit.items.filter((e) => e.action.startsWith('handover.')).map((e) => e.action).sort();
        assert.deepEqual(actions, ['handover.create', 'handover.create', 'handover.return', 'handover.update']);
    });
});
