// ORG-3 by mail: a failure raised against work item 113 of seed 000 (障害切り分け) reaches the
// people of its main organisation ("主担当として割り当てられました") and of each supporting one
// ("作業協力の依頼"), each at their own address, with the delivery in the record's log.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { useServer } from './harness.ts';
import { expectJson, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';
import { envelopeTo, SmtpSink, subject, until } from './smtp-sink.ts';

interface Matrix {
    id: number;
    columns: { position: number; name: string; organization_id: number | null }[];
    items: { id: number; seq: number }[];
}

describe('routing by the role matrix tells the organisations by mail', () => {
    const server = useServer();
    const smtp = new SmtpSink();
    let admin: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
        await smtp.start();
        await expectJson(server, admin, 'POST', '/api/v1/notification-channels', smtp.channel(), 201);
    });
    after(() => smtp.stop());

    test('the main organisation is told it is theirs, the supporting ones that they are to help', async () => {
        const table = readFileSync(path.resolve(import.meta.dirname, '../fixtures/seeds/raci_000.txt'), 'utf8');
        const res = await fetch(`${server.baseUrl}/api/v1/raci/import?name=${encodeURIComponent(unique('役割'))}&create_organizations=true`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain', Cookie: admin.jar.header() ?? '', 'X-CSRF-Token': admin.session.csrf_token },
            body: table,
        });
        assert.equal(res.status, 201, await res.clone().text());
        const m = ((await res.json()) as { matrix: Matrix }).matrix;
        const people: [number, string][] = [[3, 'dev@app.example.jp'], [4, 'ops@monitor.example.jp'], [7, 'img@image.example.jp']];
        const logins = new Map<number, { login: string; password: string }>();
        for (const [column, email] of people) {
            const login = unique('raci-mail');
            const password = strongPassword();
            await admin.client.createUser({
                login, display_name: '担当', email, organization_id: m.columns[column]!.organization_id!, roles: ['vendor'], password,
            });
            logins.set(column, { login, password });
        }
        const item = m.items.find((i) => i.seq === 113)!;
        const inc = await expectJson<{ id: number; key: string }>(server, admin, 'POST', '/api/v1/incidents',
            { title: '帳票が出力されない', severity: 'high', source: 'user_report', work_item_id: item.id }, 201);
        const main = await until('the main organisation\'s mail', async () =>
            (await smtp.mails()).find((x) => envelopeTo(x).includes('dev@app.example.jp')));
        assert.equal(subject(main), `【unyo】主担当として割り当てられました: ${inc.key} 帳票が出力されない`);
        const support = await until('the supporting organisation\'s mail', async () =>
            (await smtp.mails()).find((x) => envelopeTo(x).includes('ops@monitor.example.jp')));
        assert.equal(subject(support), `【unyo】作業協力の依頼: ${inc.key} 帳票が出力されない`);
        // The eighth organisation has no mark on 113: no mail.
        const log = await expectJson<{ items: { recipients: string[] }[] }>(server, admin, 'GET', `/api/v1/notifications?record_id=${inc.id}`);
        const everyone = log.items.flatMap((d) => d.recipients).sort();
        assert.deepEqual(everyone, ['dev@app.example.jp', 'ops@monitor.example.jp']);

        // A supporting organisation's vendor sees the record (to help with it); an organisation
        // without a mark on the work item does not.
        const helper = logins.get(4)!;
        const supporting = await signIn(server, helper.login, helper.password);
        const seen = await expectJson<{ key: string; support_organization_ids: number[] }>(
            server, supporting, 'GET', `/api/v1/incidents/${inc.id}`);
        assert.equal(seen.key, inc.key);
        assert.ok(seen.support_organization_ids.includes(m.columns[4]!.organization_id!));
        const listed = await expectJson<{ items: { id: number }[] }>(server, supporting, 'GET', '/api/v1/incidents?limit=100');
        assert.ok(listed.items.some((x) => x.id === inc.id), 'in its list too');
        const other = logins.get(7)!;
        const outsider = await signIn(server, other.login, other.password);
        assert.equal((await sendJson(server, outsider, 'GET', `/api/v1/incidents/${inc.id}`)).status, 404);
        const theirs = await expectJson<{ items: { id: number }[] }>(server, outsider, 'GET', '/api/v1/incidents?limit=100');
        assert.ok(!theirs.items.some((x) => x.id === inc.id));
    });
});
