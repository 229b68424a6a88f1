// The documents register and the change gate (issue 7: DOC-1, CHG-2), as the "Done when" says:
// try to close a change whose document has no new version and be refused; a new version of the
// document lets it close. Documents show when they are due for review.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, unique, type SignedIn } from './helpers.ts';

interface Doc { id: number; name: string; versions: number; review_due: boolean; review_due_on: string; version_list: { label: string }[] }

describe('documents register and the change that must update them', () => {
    const server = useServer();
    let admin: SignedIn;
    before(async () => {
        admin = await signInAdmin(server);
    });
    const json = <T>(method: string, p: string, body?: unknown, status = 200) => expectJson<T>(server, admin, method, p, body, status);

    test('a change cannot close until its registered document has a new version', async () => {
        const doc = await json<Doc>('POST', '/api/v1/documents', { name: unique('運用手順書'), kind: '手順書', review_cycle_months: 12 }, 201);
        assert.equal(doc.versions, 0);
        assert.equal(doc.review_due, false);
        const v1 = await json<Doc>('POST', `/api/v1/documents/${doc.id}/versions`, { label: '第1版' }, 201);
        assert.equal(v1.versions, 1);

        const change = await json<{ id: number; key: string; version: number; documents: { name: string; document_id: number; done: boolean }[] }>(
            'POST', '/api/v1/changes', { title: 'バッチ処理時刻の変更', documents: [{ document_id: doc.id }] }, 201);
        assert.deepEqual(change.documents, [{ done: false, document_id: doc.id, name: doc.name }]);
        const move = (to: string, extra: Record<string, unknown> = {}) =>
            sendJson(server, admin, 'POST', `/api/v1/changes/${change.id}/transitions`, { to, ...extra });
        for (const [to, extra] of [['approved', {}], ['implementing', {}], ['implemented', { result: '変更済み' }]] as const) {
            const res = await move(to, extra);
            assert.equal(res.status, 200, await res.text());
        }
        const refused = await expectProblem(await move('closed'), 409);
        assert.deepEqual(errorFields(refused), ['documents']);
        assert.match(refused.errors![0]!.message, /has no new version since/);
        const still = await json<{ status: string }>('GET', `/api/v1/changes/${change.id}`);
        assert.equal(still.status, 'implemented');

        await json('POST', `/api/v1/documents/${doc.id}/versions`, { label: '第2版', note: `${change.key} に合わせて改訂` }, 201);
        const closed = await move('closed');
        assert.equal(closed.status, 200, await closed.text());

        const unknown = await sendJson(server, admin, 'POST', '/api/v1/changes', { title: 'x', documents: [{ document_id: 999999 }] });
        assert.deepEqual(errorFields(await expectProblem(unknown, 422)), ['documents']);
        const after = await json<Doc>('GET', `/api/v1/documents/${doc.id}`);
        assert.deepEqual(after.version_list.map((v) => v.label), ['第2版', '第1版']);
    });

    test('a document names the configuration items it describes; such an item keeps what depends on it', async () => {
        const ci = await json<{ id: number }>('POST', '/api/v1/cis', { name: unique('住民記録システム'), type: 'application' }, 201);
        const other = await json<{ id: number }>('POST', '/api/v1/cis', { name: unique('税務システム'), type: 'application' }, 201);
        const bad = await sendJson(server, admin, 'POST', '/api/v1/documents', { name: unique('設計書'), ci_ids: [999999] });
        assert.deepEqual(errorFields(await expectProblem(bad, 422)), ['ci_ids']);
        const doc = await json<{ id: number; ci_ids: number[]; version: number }>('POST', '/api/v1/documents',
            { name: unique('運用設計書'), kind: '設計書', ci_ids: [ci.id] }, 201);
        assert.deepEqual(doc.ci_ids, [ci.id]);
        const forCi = await json<{ items: { id: number }[] }>('GET', `/api/v1/documents?ci_id=${ci.id}`);
        assert.deepEqual(forCi.items.map((d) => d.id), [doc.id]);
        await expectProblem(await sendJson(server, admin, 'PUT', `/api/v1/documents/${doc.id}/cis`, { ci_ids: [other.id] }, '"9"'), 412);
        const moved = await sendJson(server, admin, 'PUT', `/api/v1/documents/${doc.id}/cis`, { ci_ids: [ci.id, other.id] }, `"${doc.version}"`);
        assert.equal(moved.status, 200, await moved.clone().text());
        assert.deepEqual(((await moved.json()) as { ci_ids: number[] }).ci_ids, [ci.id, other.id].sort((a, b) => a - b));

        // An item with accounts on it, or served by its own escalation route, is not deleted under them.
        await json('POST', '/api/v1/managed-accounts', { ci_id: other.id, account: 'svc' }, 201);
        await expectProblem(await sendJson(server, admin, 'DELETE', `/api/v1/cis/${other.id}`), 409);
        await json('POST', '/api/v1/escalation-routes', { name: unique('体制図'), ci_id: ci.id, levels: [{ name: '一次' }] }, 201);
        await expectProblem(await sendJson(server, admin, 'DELETE', `/api/v1/cis/${ci.id}`), 409);
        const third = await json<{ id: number }>('POST', '/api/v1/cis', { name: unique('掲示板'), type: 'application' }, 201);
        await sendJson(server, admin, 'PUT', `/api/v1/documents/${doc.id}/cis`, { ci_ids: [third.id] }, `"${doc.version + 1}"`);
        assert.equal((await sendJson(server, admin, 'DELETE', `/api/v1/cis/${third.id}`)).status, 204);
        assert.deepEqual((await json<{ ci_ids: number[] }>('GET', `/api/v1/documents/${doc.id}`)).ci_ids, [], 'the link goes with the item');
    });
});
