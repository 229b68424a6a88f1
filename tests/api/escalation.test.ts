// The escalation route (体制図, INC-9) as data that incident escalation uses: a route's levels are
// told as their minutes since the failure was recognised pass while the incident is not recovered
// (mailed, and the timeline says whom with the phone numbers), the next level can be told by hand,
// a system's own route comes before the general one, and an incident no route serves is said so.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';
import { envelopeTo, SmtpSink, subject, until } from './smtp-sink.ts';

interface Level { level: number; name: string; told_at: string | null; reason: string | null }
interface Escalation { route: { id: number; name: string } | null; levels?: Level[] }
interface Entry { type: string; body: Record<string, unknown> }

describe('incidents escalate along the escalation route', () => {
    const server = useServer();
    const smtp = new SmtpSink();
    let admin: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
        await smtp.start();
        await expectJson(server, admin, 'POST', '/api/v1/notification-channels', smtp.channel(), 201);
    });
    after(() => smtp.stop());

    test('levels told when due, the next by hand, a system\'s own route first', async () => {
        const vendor = (await admin.client.createOrganization({ name: unique('保守業者'), kind: 'vendor', note: '' })).data;
        const people: number[] = [];
        for (const email of ['first@ops.example.jp', 'second@vendor.example.jp']) {
            const made = await admin.client.createUser({
                login: unique('esc'), display_name: email.split('@')[0]!, email, organization_id: vendor.id, roles: ['operator'], password: strongPassword(),
            });
            people.push(made.data.id);
        }
        const bad = await sendJson(server, admin, 'POST', '/api/v1/escalation-routes', {
            name: unique('体制図'), severities: ['urgent'],
            levels: [{ name: '一次対応', user_ids: [999999], after_min: 30 }, { name: '二次対応', after_min: 10, contacts: [{ email: 'x' }] }],
        });
        assert.deepEqual(errorFields(await expectProblem(bad, 422)).sort(),
            ['levels[1].after_min', 'levels[1].contacts[0].email', 'levels[1].contacts[0].name', 'severities']);
        const missing = await sendJson(server, admin, 'POST', '/api/v1/escalation-routes', { name: unique('体制図'), levels: [{ name: 'a', user_ids: [999999] }] });
        assert.deepEqual(errorFields(await expectProblem(missing, 422)), ['levels[0].user_ids']);
        assert.deepEqual(errorFields(await expectProblem(await sendJson(server, admin, 'POST', '/api/v1/escalation-routes', { name: 'x' }), 422)), ['levels']);

        const route = await expectJson<{ id: number; name: string; review_due: boolean }>(server, admin, 'POST', '/api/v1/escalation-routes', {
            name: unique('障害連絡体制図'), severities: ['critical', 'high'],
            levels: [
                { name: '一次対応', organization_id: vendor.id, user_ids: [people[0]], after_min: 0 },
                { name: '二次対応 (ベンダー有識者)', user_ids: [people[1]], after_min: 30,
                  contacts: [{ name: '保守 責任者', role: 'ベンダー', email: 'boss@vendor.example.jp', phone: '090-0000-0001' }] },
                { name: '責任者', contacts: [{ name: '情報政策課長', phone: '03-0000-0002' }], after_min: 120 },
            ],
        }, 201);
        assert.equal(route.review_due, false);

        const recognized = new Date(Date.now() - 40 * 60_000).toISOString();
        const inc = await expectJson<{ id: number; key: string }>(server, admin, 'POST', '/api/v1/incidents',
            { title: '住民記録システム 応答なし', severity: 'high', source: 'monitoring', recognized_at: recognized }, 201);
        const told = await until('the two levels due', async () => {
            const e = await expectJson<Escalation>(server, admin, 'GET', `/api/v1/incidents/${inc.id}/escalation`);
            return e.levels!.filter((l) => l.told_at !== null).length === 2 ? e : undefined;
        }, 25_000);
        assert.equal(told.route!.id, route.id);
        assert.deepEqual(told.levels!.map((l) => [l.level, l.reason]), [[1, 'elapsed'], [2, 'elapsed'], [3, null]], 'the third is not due for 80 minutes');
        const mail = await until('the second level\'s mail', async () =>
            (await smtp.mails()).find((m) => envelopeTo(m).includes('second@vendor.example.jp')));
        assert.equal(subject(mail), `【unyo】障害エスカレーション (二次対応 (ベンダー有識者)): ${inc.key} 住民記録システム 応答なし`);
        assert.ok(envelopeTo(mail).includes('boss@vendor.example.jp'), 'its contact with an address too');
        await until('the first level\'s mail', async () => (await smtp.mails()).find((m) => envelopeTo(m).includes('first@ops.example.jp')));
        const timeline = await expectJson<{ items: Entry[] }>(server, admin, 'GET', `/api/v1/incidents/${inc.id}/timeline`);
        const second = timeline.items.find((e) => e.type === 'escalation' && e.body['level'] === 2)!;
        assert.deepEqual(second.body['contacts'], [{ name: '保守 責任者', role: 'ベンダー', phone: '090-0000-0001' }]);
        assert.equal(second.body['mailed'], 2);

        // The operator escalates to the top now; nothing is left after it.
        const manual = await expectJson<Escalation>(server, admin, 'POST', `/api/v1/incidents/${inc.id}/escalate`, { comment: '復旧見込み立たず' });
        assert.deepEqual(manual.levels!.map((l) => l.reason), ['elapsed', 'elapsed', 'manual']);
        await expectProblem(await sendJson(server, admin, 'POST', `/api/v1/incidents/${inc.id}/escalate`, {}), 409);
        const third = (await expectJson<{ items: Entry[] }>(server, admin, 'GET', `/api/v1/incidents/${inc.id}/timeline`)).items
            .find((e) => e.type === 'escalation' && e.body['level'] === 3)!;
        assert.deepEqual([third.body['by'], third.body['comment'], third.body['mailed']], [admin.session.user.login, '復旧見込み立たず', 0],
            'no address: to be phoned, as the entry says');

        // Low severity: no route serves it.
        const low = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/incidents', { title: '軽微', severity: 'low', source: 'other' }, 201);
        const none = await expectJson<Escalation>(server, admin, 'GET', `/api/v1/incidents/${low.id}/escalation`);
        assert.deepEqual([none.route, none.levels], [null, []]);
        await expectProblem(await sendJson(server, admin, 'POST', `/api/v1/incidents/${low.id}/escalate`, {}), 409);

        // A system with its own route: that one, not the general one.
        const ci = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/cis', { name: unique('税務システム'), type: 'application' }, 201);
        const own = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/escalation-routes',
            { name: unique('税務システム体制図'), ci_id: ci.id, levels: [{ name: '税務ベンダー', after_min: 60 }] }, 201);
        const tax = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/incidents',
            { title: '税務 帳票不可', severity: 'high', source: 'user_report', ci_id: ci.id }, 201);
        assert.equal((await expectJson<Escalation>(server, admin, 'GET', `/api/v1/incidents/${tax.id}/escalation`)).route!.id, own.id);

        // Kept current: confirmed with If-Match, stale refused.
        await expectProblem(await sendJson(server, admin, 'PATCH', `/api/v1/escalation-routes/${own.id}`, { reviewed_on: '2026-12-01' }, '"7"'), 412);
        assert.deepEqual(errorFields(await expectProblem(await sendJson(server, admin, 'PATCH', `/api/v1/escalation-routes/${own.id}`,
            { reviewed_on: '2099-01-01' }, '"1"'), 422)), ['reviewed_on']);
        const confirmed = await sendJson(server, admin, 'PATCH', `/api/v1/escalation-routes/${own.id}`, { reviewed_on: '2026-12-01' }, '"1"');
        assert.equal(confirmed.status, 200, await confirmed.clone().text());
    });
});
