// The knowledge base (issue 7: KNW-1, INC-6): a workaround waits for a manager's approval before it
// is published (an operator cannot approve; a rejection needs its reason); Japanese search finds
// entries by a word of their body; a requester reads only the published FAQ; an entry whose review
// date passed is listed as stale until it is reviewed.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';

interface Entry { id: number; kind: string; status: string; stale: boolean; review_on: string; version: number }

describe('knowledge: workarounds approved before use, search, stale entries', () => {
    const server = useServer();
    let admin: SignedIn;
    let operator: SignedIn;
    let requester: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
        const org = (await admin.client.createOrganization({ name: unique('情報政策課'), kind: 'owner', note: '' })).data;
        for (const role of ['operator', 'requester'] as const) {
            const login = unique(`kn-${role}`);
            const password = strongPassword();
            await admin.client.createUser({ login, display_name: role, organization_id: org.id, roles: [role], password });
            if (role === 'operator') operator = await signIn(server, login, password);
            else requester = await signIn(server, login, password);
        }
    });

    test('a workaround is published only once a manager approves it', async () => {
        const word = unique('帳票サーバ');
        const w = await expectJson<Entry>(server, operator, 'POST', '/api/v1/knowledge', {
            kind: 'workaround', title: '帳票が出ないとき', body: `${word} のスプーラを再起動する`, tags: ['帳票'],
        }, 201);
        assert.equal(w.status, 'pending_approval');
        await expectProblem(await sendJson(server, operator, 'POST', `/api/v1/knowledge/${w.id}/actions`, { action: 'approve' }), 403);
        assert.deepEqual(errorFields(await expectProblem(
            await sendJson(server, admin, 'POST', `/api/v1/knowledge/${w.id}/actions`, { action: 'reject' }), 422)), ['comment']);
        const approved = await expectJson<Entry>(server, admin, 'POST', `/api/v1/knowledge/${w.id}/actions`, { action: 'approve' });
        assert.equal(approved.status, 'published');
        await expectProblem(await sendJson(server, admin, 'POST', `/api/v1/knowledge/${w.id}/actions`, { action: 'approve' }), 409);

        const found = await expectJson<{ items: Entry[] }>(server, operator, 'GET', `/api/v1/knowledge?q=${encodeURIComponent(word)}`);
        assert.deepEqual(found.items.map((e) => e.id), [w.id]);

        const faq = await expectJson<Entry>(server, admin, 'POST', '/api/v1/knowledge',
            { kind: 'faq', title: 'パスワードを忘れた', body: `${word} 窓口へ連絡してください`, review_on: '2020-04-01' }, 201);
        const theirs = await expectJson<{ items: Entry[] }>(server, requester, 'GET', `/api/v1/knowledge?q=${encodeURIComponent(word)}`);
        assert.deepEqual(theirs.items.map((e) => e.id), [faq.id], 'a requester reads the FAQ only');
        assert.equal((await sendJson(server, requester, 'GET', `/api/v1/knowledge/${w.id}`)).status, 404);

        assert.equal(faq.stale, true);
        const stale = await expectJson<{ items: Entry[] }>(server, admin, 'GET', '/api/v1/knowledge?stale=true');
        assert.ok(stale.items.some((e) => e.id === faq.id) && !stale.items.some((e) => e.id === w.id));
        const reviewed = await expectJson<Entry>(server, admin, 'POST', `/api/v1/knowledge/${faq.id}/actions`, { action: 'reviewed' });
        assert.equal(reviewed.stale, false);
    });

    test('entries linked to incidents and problems; an incident applies only an approved workaround', async () => {
        const w = await expectJson<Entry>(server, operator, 'POST', '/api/v1/knowledge',
            { kind: 'workaround', title: '帳票サーバ再起動による回避', body: 'サービスを再起動する' }, 201);
        const runbook = await expectJson<Entry>(server, operator, 'POST', '/api/v1/knowledge',
            { kind: 'runbook', title: '帳票サーバの確認手順', body: 'ログを確認する' }, 201);
        const inc = await expectJson<{ id: number; key: string }>(server, operator, 'POST', '/api/v1/incidents',
            { title: '帳票が出ない', source: 'user_report' }, 201);
        const prb = await expectJson<{ id: number; key: string }>(server, operator, 'POST', '/api/v1/problems', { title: '帳票サーバの不調' }, 201);
        const req = await expectJson<{ id: number }>(server, operator, 'POST', '/api/v1/requests', { title: 'x', request_type: 'other' }, 201);
        const link = (id: number, body: unknown) => sendJson(server, operator, 'POST', `/api/v1/knowledge/${id}/links`, body);

        await expectProblem(await link(w.id, { record_id: inc.id, applied: true }), 409, 'not approved yet');
        assert.deepEqual(errorFields(await expectProblem(await link(w.id, { record_id: req.id }), 422)), ['record_id']);
        assert.deepEqual(errorFields(await expectProblem(await link(runbook.id, { record_id: inc.id, applied: true }), 422)), ['applied']);
        assert.equal((await link(runbook.id, { record_id: inc.id })).status, 201);
        await expectProblem(await link(runbook.id, { record_id: inc.id }), 409, 'linked already');
        assert.equal((await link(w.id, { record_id: prb.id })).status, 201);

        await expectJson(server, admin, 'POST', `/api/v1/knowledge/${w.id}/actions`, { action: 'approve' });
        const applied = await link(w.id, { record_id: inc.id, applied: true });
        assert.equal(applied.status, 201, await applied.clone().text());
        const entry = (await applied.json()) as Entry & { links: { key: string; applied: boolean }[] };
        assert.deepEqual(entry.links.map((l) => [l.key, l.applied]), [[prb.key, false], [inc.key, true]]);
        const forIncident = await expectJson<{ items: Entry[] }>(server, operator, 'GET', `/api/v1/knowledge?record_id=${inc.id}`);
        assert.deepEqual(forIncident.items.map((e) => e.id).sort(), [w.id, runbook.id].sort());
        const timeline = await expectJson<{ items: { type: string; body: { knowledge_id: number; applied: boolean } }[] }>(
            server, operator, 'GET', `/api/v1/incidents/${inc.id}/timeline`);
        assert.deepEqual(timeline.items.filter((e) => e.type === 'knowledge').map((e) => [e.body.knowledge_id, e.body.applied]),
            [[runbook.id, false], [w.id, true]]);
        await expectProblem(await sendJson(server, requester, 'POST', `/api/v1/knowledge/${runbook.id}/links`, { record_id: inc.id }), 403);
        assert.equal((await sendJson(server, operator, 'DELETE', `/api/v1/knowledge/${runbook.id}/links/${inc.id}`)).status, 204);
        await expectProblem(await sendJson(server, operator, 'DELETE', `/api/v1/knowledge/${runbook.id}/links/${inc.id}`), 404);
    });
});
