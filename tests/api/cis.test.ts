// Configuration items (issue 7: CFG-1, ENV-1): items with lifecycle dates, a warning list that
// shows an end of support 60 days ahead (and one passed) but not one a year away, relations and
// the impact of a failure, optimistic concurrency, and bad input named by field.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, unique, type SignedIn } from './helpers.ts';

interface Ci { id: number; name: string; version_no: number; end_of_support: string | null }
interface Milestone { ci_id: number; ci_name: string; milestone: string; date: string; days_left: number }

const day = (offset: number) => {
    const d = new Date(Date.now() + 9 * 3600_000 + offset * 86_400_000);  // Japan time's calendar day
    return d.toISOString().slice(0, 10);
};

describe('configuration items: lifecycle warnings, relations, impact', () => {
    const server = useServer();
    let admin: SignedIn;
    before(async () => {
        admin = await signInAdmin(server);
    });
    const json = <T>(method: string, p: string, body?: unknown, status = 200) => expectJson<T>(server, admin, method, p, body, status);

    test('an end of support 60 days ahead is warned of, with what a failure would touch', async () => {
        const os = await json<Ci>('POST', '/api/v1/cis', {
            name: unique('AIX 7.2'), type: 'software', version: '7.2', environment: 'production', end_of_support: day(60),
            end_of_life: day(400), attributes: { vendor: 'IBM' },
        }, 201);
        const server1 = await json<Ci>('POST', '/api/v1/cis', { name: unique('DBサーバ1号機'), type: 'hardware', end_of_support: day(-3) }, 201);
        const app = await json<Ci>('POST', '/api/v1/cis', { name: unique('住民記録システム'), type: 'application' }, 201);
        const later = await json<Ci>('POST', '/api/v1/cis', { name: unique('遠い製品'), type: 'middleware', end_of_support: day(365) }, 201);
        const partner = await json<Ci>('POST', '/api/v1/cis', { name: unique('連携先 税務'), type: 'managed_service' }, 201);

        const warned = await json<{ items: Milestone[] }>('GET', '/api/v1/cis/lifecycle?within_days=90');
        const mine = warned.items.filter((m) => [os.id, server1.id, later.id].includes(m.ci_id));
        assert.deepEqual(mine.map((m) => [m.ci_id, m.milestone, m.days_left]), [[server1.id, 'end_of_support', -3], [os.id, 'end_of_support', 60]]);

        await json('POST', `/api/v1/cis/${os.id}/relations`, { to_id: server1.id, kind: 'runs_on' });
        await json('POST', `/api/v1/cis/${app.id}/relations`, { to_id: os.id, kind: 'runs_on' });
        await json('POST', `/api/v1/cis/${app.id}/relations`, { to_id: partner.id, kind: 'connects_to' });
        const impact = await json<{ items: { ci_id: number; via: string; depth: number }[] }>('GET', `/api/v1/cis/${server1.id}/impact`);
        assert.deepEqual(impact.items.map((i) => [i.ci_id, i.via, i.depth]),
            [[os.id, 'runs_on', 1], [app.id, 'runs_on', 2], [partner.id, 'connects_to', 3]]);
        const bad = await sendJson(server, admin, 'POST', `/api/v1/cis/${app.id}/relations`, { to_id: app.id, kind: 'likes' });
        assert.ok((await expectProblem(bad, 422)).errors!.length >= 1);

        const stale = await sendJson(server, admin, 'PATCH', `/api/v1/cis/${os.id}`, { end_of_support: day(500) }, '"9"');
        await expectProblem(stale, 412);
        const moved = await sendJson(server, admin, 'PATCH', `/api/v1/cis/${os.id}`, { end_of_support: day(300) }, `"${os.version_no}"`);
        assert.equal(moved.status, 200, await moved.clone().text());
        const after = await json<{ items: Milestone[] }>('GET', '/api/v1/cis/lifecycle?within_days=90');
        assert.ok(!after.items.some((m) => m.ci_id === os.id), 'no longer within 90 days');

        const wrong = await sendJson(server, admin, 'POST', '/api/v1/cis', { name: '', type: 'toaster', end_of_support: '2026-13-01', licence_count: -1 });
        assert.deepEqual(errorFields(await expectProblem(wrong, 422)).sort(), ['end_of_support', 'licence_count', 'name', 'type']);
    });
});
