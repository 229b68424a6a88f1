// INQ-2: the assignee of an inquiry (and of any record) is told by mail when it becomes theirs —
// on receipt, and when someone else reassigns it — at their own address, not the channel's.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';
import { envelopeTo, sleep, SmtpSink, subject, until } from './smtp-sink.ts';

describe('the assignee is told by mail', () => {
    const server = useServer();
    const smtp = new SmtpSink();
    let admin: SignedIn;
    let operator: SignedIn;
    let operatorId = 0;
    let otherId = 0;

    async function json<T>(res: Response, status = 200): Promise<T> {
        const text = await res.text();
        assert.equal(res.status, status, text);
        return JSON.parse(text) as T;
    }

    before(async () => {
        admin = await signInAdmin(server);
        await smtp.start();
        await json(await sendJson(server, admin, 'POST', '/api/v1/notification-channels', smtp.channel()), 201);
        const password = strongPassword();
        const login = unique('helpdesk');
        operatorId = (await admin.client.createUser({
            login, display_name: '窓口 花子', email: 'hanako@example.lg.jp', organization_id: 1, roles: ['operator'], password,
        })).data.id;
        operator = await signIn(server, login, password);
        otherId = (await admin.client.createUser({
            login: unique('vendor'), display_name: '保守 太郎', email: 'taro@vendor.example.jp', organization_id: 1,
            roles: ['operator'], password: strongPassword(),
        })).data.id;
    });

    after(() => smtp.stop());

    test('an inquiry received for someone mails them, with the delivery in its log', async () => {
        const inquiry = await json<{ id: number; key: string }>(await sendJson(server, admin, 'POST', '/api/v1/inquiries', {
            title: '住民票の写しの交付について', channel: 'phone', assignee_id: operatorId,
        }), 201);
        const mail = await until('the mail to the assignee', async () => (await smtp.mails())[0]);
        assert.deepEqual(envelopeTo(mail), ['hanako@example.lg.jp'], "to the assignee only, not the channel's list");
        assert.equal(subject(mail), `【unyo】担当になりました: ${inquiry.key} 住民票の写しの交付について`);
        const log = await json<{ items: { status: string; recipients: string[] }[] }>(
            await sendJson(server, admin, 'GET', `/api/v1/notifications?record_id=${inquiry.id}`));
        assert.deepEqual(log.items.map((d) => [d.status, d.recipients]), [['sent', ['hanako@example.lg.jp']]]);
    });

    test('reassigning mails the new assignee; taking it oneself mails no one', async () => {
        const before = (await smtp.mails()).length;
        const mine = await json<{ id: number; version: number }>(await sendJson(server, operator, 'POST', '/api/v1/inquiries', {
            title: '窓口の受付時間', channel: 'mail', assignee_id: operatorId,
        }), 201);
        const moved = await json<{ key: string }>(
            await sendJson(server, operator, 'PATCH', `/api/v1/inquiries/${mine.id}`, { assignee_id: otherId }, `"${mine.version}"`));
        const mail = await until('the mail to the new assignee', async () =>
            (await smtp.mails()).find((m) => envelopeTo(m).includes('taro@vendor.example.jp')));
        assert.match(subject(mail), new RegExp(`^【unyo】担当になりました: ${moved.key}`));
        await sleep(1_500);
        assert.equal((await smtp.mails()).length, before + 1, 'no mail for taking one\'s own inquiry');
    });
});
