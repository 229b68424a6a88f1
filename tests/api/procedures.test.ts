// Procedures with approval gates (issue 7: PRC-1..8), as a new user would: install the seed
// procedures' templates, run the security-patch procedure and see it stop at the owner's approval
// (an operator, a vendor's manager cannot pass it; the owner's manager can), finish it with the
// evidence the last step needs; a rejection stops a run with its reason.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';

interface Step { key: string; title: string; status: string; by: string; comment: string; gate: { role: string; organization_kind: string } | null }
interface Run { id: number; status: string; next_step: string | null; waiting_for_approval: boolean; stop_reason: string; steps: Step[] }
interface Template { id: number; name: string; kind: string; steps: Step[] }

describe('procedures: templates, runs, approval gates', () => {
    const server = useServer();
    let admin: SignedIn;
    let operator: SignedIn;
    let ownerManager: SignedIn;
    let vendorManager: SignedIn;

    async function person(orgId: number, role: string): Promise<SignedIn> {
        const login = unique(`proc-${role}`);
        const password = strongPassword();
        await admin.client.createUser({ login, display_name: role, organization_id: orgId, roles: [role as 'operator'], password });
        return signIn(server, login, password);
    }

    before(async () => {
        admin = await signInAdmin(server);
        const owner = (await admin.client.createOrganization({ name: unique('発注者'), kind: 'owner', note: '' })).data;
        const vendor = (await admin.client.createOrganization({ name: unique('保守業者'), kind: 'vendor', note: '' })).data;
        operator = await person(vendor.id, 'operator');
        ownerManager = await person(owner.id, 'manager');
        vendorManager = await person(vendor.id, 'manager');
    });

    const act = (who: SignedIn, run: number, key: string, action: string, comment?: string) =>
        sendJson(server, who, 'POST', `/api/v1/procedure-runs/${run}/steps/${key}`, comment === undefined ? { action } : { action, comment });
    const ok = async (res: Response) => {
        const text = await res.text();
        assert.equal(res.status, 200, text);
        return JSON.parse(text) as Run;
    };

    test('the security-patch procedure stops at the owner\'s approval', async () => {
        const installed = await expectJson<{ created: number }>(server, admin, 'POST', '/api/v1/procedure-templates/defaults');
        assert.equal(installed.created, 11);
        assert.equal((await expectJson<{ created: number }>(server, admin, 'POST', '/api/v1/procedure-templates/defaults')).created, 0);
        const templates = await expectJson<{ items: Template[] }>(server, admin, 'GET', '/api/v1/procedure-templates');
        assert.deepEqual(templates.items.map((t) => t.kind).sort(), ['change', 'db_reorg', 'image_replacement', 'inspection', 'planned_stop',
            'power_outage', 'restore_drill', 'security_patch', 'security_patch_emergency', 'virus_definition', 'virus_detection']);
        const patch = templates.items.find((t) => t.kind === 'security_patch')!;
        assert.deepEqual(patch.steps.map((s) => s.title),
            ['セキュリティパッチ情報の提供', '机上検証', '稼働維持環境での実機検証', '適用有無判断', 'セキュリティパッチ適用']);

        let run = await expectJson<Run>(server, operator, 'POST', '/api/v1/procedure-runs', { template_id: patch.id, name: '2026年12月 定例パッチ' }, 201);
        assert.equal(run.next_step, 'info');
        await expectProblem(await act(operator, run.id, 'desk', 'complete'), 409, 'not next');
        for (const key of ['info', 'desk', 'verify']) run = await ok(await act(operator, run.id, key, 'complete'));
        assert.equal(run.next_step, 'decide');
        assert.equal(run.waiting_for_approval, true);
        await expectProblem(await act(operator, run.id, 'decide', 'complete'), 409, 'a gate is approved, not completed');
        await expectProblem(await act(operator, run.id, 'decide', 'approve'), 403, 'an operator cannot approve');
        await expectProblem(await act(vendorManager, run.id, 'decide', 'approve'), 403, 'the vendor\'s manager is not the owner');
        const still = await expectJson<Run>(server, admin, 'GET', `/api/v1/procedure-runs/${run.id}`);
        assert.equal(still.status, 'running');
        assert.equal(still.next_step, 'decide', 'it waits at the gate');

        run = await ok(await act(ownerManager, run.id, 'decide', 'approve', '適用する'));
        assert.equal(run.steps[3]!.status, 'approved');
        assert.equal(run.next_step, 'apply');
        assert.deepEqual(errorFields(await expectProblem(await act(operator, run.id, 'apply', 'complete'), 422)), ['comment']);
        run = await ok(await act(operator, run.id, 'apply', 'complete', '12/5 22:00 適用、再起動後の確認済み'));
        assert.equal(run.status, 'completed');
        assert.equal(run.next_step, null);
        assert.ok(run.steps.every((s) => s.by !== '' && s.status !== 'pending'));
        await expectProblem(await act(operator, run.id, 'apply', 'complete', 'again'), 409);
    });

    test('a rejected gate stops the run with its reason', async () => {
        const templates = await expectJson<{ items: Template[] }>(server, admin, 'GET', '/api/v1/procedure-templates');
        const inspection = templates.items.find((t) => t.kind === 'inspection')!;
        const run = await expectJson<Run>(server, operator, 'POST', '/api/v1/procedure-runs', { template_id: inspection.id }, 201);
        assert.equal(run.next_step, 'approve');
        assert.deepEqual(errorFields(await expectProblem(await act(ownerManager, run.id, 'approve', 'reject'), 422)), ['comment']);
        const stopped = await ok(await act(ownerManager, run.id, 'approve', 'reject', '繁忙期のため延期'));
        assert.equal(stopped.status, 'stopped');
        assert.match(stopped.stop_reason, /定期点検実施の承認.*繁忙期のため延期/);
        await expectProblem(await act(operator, run.id, 'arrange', 'complete'), 409);
        const bad = await sendJson(server, admin, 'POST', '/api/v1/procedure-templates', {
            name: unique('手順'), steps: [{ key: 'a', title: 'A', gate: { role: 'boss' } }, { key: 'a', title: '' }],
        });
        assert.deepEqual(errorFields(await expectProblem(bad, 422)).sort(), ['steps[0].gate.role', 'steps[1].key', 'steps[1].title']);
    });
});
