// The integration partner list (連携先一覧, CFG-3) and INC-11: a partner is listed in one format
// (direction, timing, cycle, protocol, route, same-day resend, contacts) against the configuration
// item of ours it exchanges data with; an incident about an item whose failure reaches that one
// mails the partner's contacts and says so in the incident's timeline, once; bad input is named
// by field and changes nothing.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';
import { envelopeTo, SmtpSink, subject, until } from './smtp-sink.ts';

interface Partner { id: number; name: string; ci_id: number | null; contacts: { email: string }[]; version: number }
interface Entry { type: string; body: { ci_id?: number; partners?: { id: number; name: string; via_ci_name: string; mailed: number }[] } }

describe('integration partners are informed of incidents that affect them', () => {
    const server = useServer();
    const smtp = new SmtpSink();
    let admin: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
        await smtp.start();
        await expectJson(server, admin, 'POST', '/api/v1/notification-channels', smtp.channel(), 201);
    });
    after(() => smtp.stop());

    test('a failure of the database server reaches the partner of the application that runs on it', async () => {
        const db = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/cis', { name: unique('DBサーバ'), type: 'hardware' }, 201);
        const app = await expectJson<{ id: number; name: string }>(server, admin, 'POST', '/api/v1/cis',
            { name: unique('住民記録システム'), type: 'application' }, 201);
        const lonely = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/cis', { name: unique('庁内掲示板'), type: 'application' }, 201);
        await expectJson(server, admin, 'POST', `/api/v1/cis/${app.id}/relations`, { to_id: db.id, kind: 'runs_on' });

        // Bad input: each bad member named, nothing listed.
        const bad = await sendJson(server, admin, 'POST', '/api/v1/partners', {
            name: '', ci_id: 999999, direction: 'sideways', route: 'pigeon', resend: 'maybe',
            contacts: [{ name: '担当', email: 'not-an-address' }, 'x'],
        });
        assert.deepEqual(errorFields(await expectProblem(bad, 422)).sort(),
            ['contacts[0].email', 'contacts[1]', 'direction', 'name', 'resend', 'route']);
        const missingCi = await sendJson(server, admin, 'POST', '/api/v1/partners', { name: unique('税務'), ci_id: 999999 });
        assert.deepEqual(errorFields(await expectProblem(missingCi, 422)), ['ci_id']);

        const name = unique('税務システム');
        const partner = await expectJson<Partner>(server, admin, 'POST', '/api/v1/partners', {
            name, department: '税務課', vendor: '税務ベンダー', ci_id: app.id, direction: 'send', timing: '日次 22:00',
            cycle: '日次', protocol: 'SFTP', route: 'data_platform', resend: 'required', resend_note: '当日 23:00 までに再送',
            contacts: [{ name: '税務 花子', role: '所管課', email: 'zeimu@city.example.jp', phone: '03-0000-0000' },
                       { name: '保守窓口', role: 'ベンダー', email: 'support@zeimu-vendor.example.jp' }],
        }, 201);
        await expectProblem(await sendJson(server, admin, 'POST', '/api/v1/partners', { name }), 409);
        const quiet = await expectJson<Partner>(server, admin, 'POST', '/api/v1/partners',
            { name: unique('統計システム'), ci_id: app.id, inform: false, contacts: [{ name: '統計', email: 'toukei@city.example.jp' }] }, 201);
        const listed = await expectJson<{ items: Partner[] }>(server, admin, 'GET', `/api/v1/partners?ci_id=${app.id}`);
        assert.deepEqual(listed.items.map((p) => p.id).sort(), [partner.id, quiet.id].sort());

        // Requesters do not read the list (it names people); a stale change is refused.
        const login = unique('partner-req');
        const password = strongPassword();
        const town = (await admin.client.createOrganization({ name: unique('総務課'), kind: 'owner', note: '' })).data;
        await admin.client.createUser({ login, display_name: '職員', organization_id: town.id, roles: ['requester'], password });
        const requester = await signIn(server, login, password);
        await expectProblem(await sendJson(server, requester, 'GET', '/api/v1/partners'), 403);
        await expectProblem(await sendJson(server, admin, 'PATCH', `/api/v1/partners/${partner.id}`, { timing: '日次 23:00' }, '"9"'), 412);

        // An incident about an item that affects nothing partnered: no entry, no mail.
        const other = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/incidents',
            { title: '掲示板が開かない', source: 'user_report', ci_id: lonely.id }, 201);
        const badCi = await sendJson(server, admin, 'POST', '/api/v1/incidents', { title: 'x', source: 'user_report', ci_id: 999999 });
        assert.deepEqual(errorFields(await expectProblem(badCi, 422)), ['ci_id']);

        const inc = await expectJson<{ id: number; key: string; ci_id: number; version: number }>(server, admin, 'POST', '/api/v1/incidents',
            { title: 'DBサーバ停止', source: 'monitoring', impact: '住民記録の照会不可', ci_id: db.id }, 201);
        assert.equal(inc.ci_id, db.id);
        const mail = await until('the partner\'s mail', async () =>
            (await smtp.mails()).find((m) => envelopeTo(m).includes('zeimu@city.example.jp')));
        assert.equal(subject(mail), `【unyo】連携先への影響のお知らせ: ${app.name} (${inc.key})`);
        assert.ok(envelopeTo(mail).includes('support@zeimu-vendor.example.jp'), 'every contact with an address');
        const timeline = await expectJson<{ items: Entry[] }>(server, admin, 'GET', `/api/v1/incidents/${inc.id}/timeline`);
        const told = timeline.items.filter((e) => e.type === 'partners');
        assert.equal(told.length, 1);
        assert.deepEqual(told[0]!.body.partners!.map((p) => [p.name, p.via_ci_name, p.mailed]), [[name, app.name, 2]]);
        const log = await expectJson<{ items: { recipients: string[] }[] }>(server, admin, 'GET', `/api/v1/notifications?record_id=${inc.id}`);
        assert.deepEqual(log.items.flatMap((d) => d.recipients).sort(), ['support@zeimu-vendor.example.jp', 'zeimu@city.example.jp'],
            'the partner that asked not to be told is not');
        const quietTimeline = await expectJson<{ items: Entry[] }>(server, admin, 'GET', `/api/v1/incidents/${other.id}/timeline`);
        assert.ok(!quietTimeline.items.some((e) => e.type === 'partners'));

        // Changed to the application itself and back: the partner was told already, not again.
        const moved = await sendJson(server, admin, 'PATCH', `/api/v1/incidents/${inc.id}`, { ci_id: app.id }, `"${inc.version}"`);
        assert.equal(moved.status, 200, await moved.clone().text());
        const back = await sendJson(server, admin, 'PATCH', `/api/v1/incidents/${inc.id}`, { ci_id: db.id }, `"${inc.version + 1}"`);
        assert.equal(back.status, 200, await back.clone().text());
        const again = await expectJson<{ items: Entry[] }>(server, admin, 'GET', `/api/v1/incidents/${inc.id}/timeline`);
        assert.equal(again.items.filter((e) => e.type === 'partners').length, 1);

        // Removing the application (its relations go with it) leaves the partner listed, connected to nothing.
        const del = await sendJson(server, admin, 'DELETE', `/api/v1/cis/${app.id}`);
        assert.equal(del.status, 204, await del.text());
        const after = await expectJson<Partner>(server, admin, 'GET', `/api/v1/partners/${partner.id}`);
        assert.equal(after.ci_id, null);
        const edited = await sendJson(server, admin, 'PATCH', `/api/v1/partners/${partner.id}`, { timing: '日次 23:00' }, `"${after.version}"`);
        assert.equal(edited.status, 200, await edited.clone().text());
        const gone = await sendJson(server, admin, 'DELETE', `/api/v1/partners/${partner.id}`);
        assert.equal(gone.status, 204);
        await expectProblem(await sendJson(server, admin, 'GET', `/api/v1/partners/${partner.id}`), 404);
    });

    test('a monitor watching a configuration item opens its incident about that item, and the partners are told', async () => {
        const db = await expectJson<{ id: number; name: string }>(server, admin, 'POST', '/api/v1/cis', { name: unique('帳票DB'), type: 'hardware' }, 201);
        const partner = await expectJson<Partner>(server, admin, 'POST', '/api/v1/partners', {
            name: unique('統合宛名システム'), ci_id: db.id, direction: 'receive', contacts: [{ name: '宛名', email: 'atena@city.example.jp' }],
        }, 201);
        const bad = await sendJson(server, admin, 'POST', '/api/v1/monitors', {
            name: unique('x'), type: 'tcp', target: { host: '127.0.0.1', port: 1 }, ci_id: 999999,
        });
        assert.deepEqual(errorFields(await expectProblem(bad, 422)), ['ci_id']);
        // A port nobody listens on.
        const port = await new Promise<number>((resolve) => {
            const srv = net.createServer().listen(0, '127.0.0.1', () => {
                const p = (srv.address() as net.AddressInfo).port;
                srv.close(() => resolve(p));
            });
        });
        const monitor = await expectJson<{ id: number; ci_id: number }>(server, admin, 'POST', '/api/v1/monitors', {
            name: unique('帳票DB ポート'), type: 'tcp', target: { host: '127.0.0.1', port }, interval_s: 1, timeout_ms: 500, retries: 1, ci_id: db.id,
        }, 201);
        assert.equal(monitor.ci_id, db.id);
        const incident = await until('the incident about the item', async () => {
            const list = await expectJson<{ items: { id: number; ci_id?: number; title: string }[] }>(server, admin, 'GET', '/api/v1/incidents?limit=50');
            return list.items.find((i) => i.ci_id === db.id);
        });
        const timeline = await expectJson<{ items: Entry[] }>(server, admin, 'GET', `/api/v1/incidents/${incident.id}/timeline`);
        const told = timeline.items.find((e) => e.type === 'partners');
        assert.deepEqual(told?.body.partners?.map((p) => [p.id, p.via_ci_name]), [[partner.id, db.name]]);
        assert.equal((await sendJson(server, admin, 'DELETE', `/api/v1/monitors/${monitor.id}`)).status, 204);
    });

    test('a jobnet serving a configuration item opens its failure\'s incident about that item', async () => {
        const app = await expectJson<{ id: number; name: string }>(server, admin, 'POST', '/api/v1/cis', { name: unique('国保システム'), type: 'application' }, 201);
        const partner = await expectJson<Partner>(server, admin, 'POST', '/api/v1/partners', {
            name: unique('国保連合会'), ci_id: app.id, direction: 'send', contacts: [{ name: '連合会', email: 'renraku@kokuho.example.jp' }],
        }, 201);
        const bad = await sendJson(server, admin, 'POST', '/api/v1/jobnets', { name: unique('x'), ci_id: 999999, jobs: [{ key: 'a', command: ['/bin/true'] }] });
        assert.deepEqual(errorFields(await expectProblem(bad, 422)), ['ci_id']);
        const net = await expectJson<{ id: number; ci_id: number }>(server, admin, 'POST', '/api/v1/jobnets',
            { name: unique('国保 月次連携'), ci_id: app.id, jobs: [{ key: 'send', command: ['/bin/false'] }] }, 201);
        assert.equal(net.ci_id, app.id);
        await expectJson(server, admin, 'POST', `/api/v1/jobnets/${net.id}/runs`, {}, 201);
        const incident = await until('the failure\'s incident about the item', async () => {
            const list = await expectJson<{ items: { id: number; ci_id?: number }[] }>(server, admin, 'GET', '/api/v1/incidents?limit=50');
            return list.items.find((i) => i.ci_id === app.id);
        });
        const timeline = await expectJson<{ items: Entry[] }>(server, admin, 'GET', `/api/v1/incidents/${incident.id}/timeline`);
        assert.deepEqual(timeline.items.find((e) => e.type === 'partners')?.body.partners?.map((p) => p.id), [partner.id]);
    });
});
