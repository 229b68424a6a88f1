// A service seen as a whole, alerts a page at a time, and who is told what. On a server of its own
// (so that the number of alerts is known): a service of two monitors, one down and one up, has its
// own row on the availability page with the combined figure the server gives; an alert names its
// monitor (a link) and an event's alert its source; more alerts than a page go to a second page
// and back; a channel is added with the planned-stop and outage topics and lists them, and one
// with none ticked is refused at the topics; approving and cancelling an approved planned stop say
// first that a notice will be sent, and the planned-stop channel receives both notices.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';

import type { ServiceAvailability } from '../../web/src/api/client.ts';
import { unique } from '../api/helpers.ts';
import { freePort as closedPort, until } from '../api/smtp-sink.ts';
import { screenshot, useAdminPage, useConsole } from './console.ts';

const LIVE_MS = 20_000;
/** The alert list's page (the API's default). */
const PAGE_SIZE = 50;

describe('console: services as a whole, alert pages, channel topics', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    const service = `税務-${unique('s')}`;
    const down = `課税DB ポート ${unique('m')}`;
    const up = `課税 Web ${unique('m')}`;
    let downId = 0;
    let upId = 0;
    // A webhook receiver: the answering monitor's port, and the planned-stop channel's endpoint.
    const received: string[] = [];
    const hook = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
            received.push(body);
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end('{}');
        });
    });
    const hookPort = (): number => (hook.address() as net.AddressInfo).port;

    before(async () => {
        await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
        const tcp = async (name: string, port: number): Promise<number> =>
            (
                await app.admin.client.createMonitor({
                    name,
                    type: 'tcp',
                    service,
                    target: { host: '127.0.0.1', port },
                    interval_s: 2,
                    timeout_ms: 500,
                    retries: 1,
                })
            ).data.id;
        downId = await tcp(down, await closedPort());
        upId = await tcp(up, hookPort());
    });
    after(async () => {
        hook.closeAllConnections();
        await new Promise<void>((resolve) => hook.close(() => resolve()));
    });

    test('the availability page shows the service as a whole above its monitors', async () => {
        // Once both are checked the service is down (one of its monitors is): 0 %, over its allowance.
        const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
        const whole = await until<ServiceAvailability>('the service measured', async () => {
            const answer = await app.admin.client.availability({
                service,
                from: new Date(Date.parse(`${today}T00:00:00+09:00`)).toISOString(),
                to: new Date().toISOString(),
            });
            const items = answer.items;
            const measured = items.length === 2 && items.every((a) => a.availability !== null);
            return measured && answer.service && answer.service.down_ms > 0 ? answer.service : undefined;
        }, LIVE_MS);
        assert.equal(whole.availability, 0, 'down while any of its monitors is down');
        assert.equal(whole.monitors, 2);

        const page = suite.page;
        await page.goto(`${app.url}/availability?from=${today}&to=${today}`);
        await page.getByRole('heading', { name: '稼働率', level: 1 }).waitFor();
        await page.getByRole('columnheader', { name: service }).waitFor();
        const row = page.locator(`tr[data-service="${service}"]`);
        await row.waitFor();
        const header = row.getByRole('rowheader');
        assert.match(await header.innerText(), /サービス全体/);
        assert.match(await header.innerText(), /監視 2 件をまとめて/);
        const cells = row.getByRole('cell');
        assert.equal(await cells.nth(0).innerText(), '0.000%', 'the combined figure, not an average of the monitors');
        assert.match(await cells.nth(7).innerText(), /超過/, 'the down time used up the allowance');
        assert.match((await row.getAttribute('class')) ?? '', /\bservice-row\b/);

        // Its monitors follow it: the one down at 0 %, the one up at 100 %.
        const order = await page.locator('tbody tr').evaluateAll((rows) =>
            rows.map((r) => r.getAttribute('data-service') ?? r.getAttribute('data-monitor') ?? ''),
        );
        const at = order.indexOf(service);
        assert.deepEqual(new Set(order.slice(at + 1, at + 3)), new Set([String(downId), String(upId)]), 'its two monitors right after it');
        assert.match(await page.locator(`tr[data-monitor="${downId}"]`).innerText(), /0\.000%/);
        assert.match(await page.locator(`tr[data-monitor="${upId}"]`).innerText(), /100\.000%/);
        await screenshot(page, '79-availability-service');
    });

    test("an alert names its monitor with a link; an event's alert names its source", async () => {
        const alert = await until('the open alert of the monitor down', async () =>
            (await app.admin.client.listAlerts({ status: 'open' })).items.find((a) => a.monitor_id === downId),
            LIVE_MS,
        );
        assert.equal(alert.monitor_name, down);
        const event = (await app.admin.client.sendEvent({ key: unique('batch'), title: '夜間バッチ 異常終了' })).alert;
        assert.ok(event);
        assert.equal(event.monitor_name, null);

        const page = suite.page;
        await page.goto(`${app.url}/alerts`);
        await page.getByRole('heading', { name: 'アラート', level: 1 }).waitFor();
        const row = page.locator(`tr[data-alert="${alert.id}"]`);
        const link = row.getByRole('link', { name: down });
        await link.waitFor();
        assert.equal(await link.getAttribute('href'), `/monitors/${downId}`);
        const eventRow = page.locator(`tr[data-alert="${event.id}"]`);
        await eventRow.waitFor();
        assert.match(await eventRow.innerText(), /イベント/);
        assert.match(await eventRow.innerText(), /夜間バッチ 異常終了/);
        assert.equal(await eventRow.locator('a[href^="/monitors/"]').count(), 0, 'no monitor to link to');
    });

    test('more alerts than a page: next shows the older ones, previous comes back', async () => {
        // Distinct keys: one open alert each.
        const keys = Array.from({ length: PAGE_SIZE + 1 }, (_, i) => `${unique('bulk')}-${i}`);
        const ids: number[] = [];
        for (const key of keys) {
            const { alert } = await app.admin.client.sendEvent({ key, title: `一括 ${key}`, severity: 'low' });
            assert.ok(alert);
            ids.push(alert.id);
        }
        const oldest = ids[0] ?? 0;
        const newest = ids[ids.length - 1] ?? 0;

        const page = suite.page;
        await page.goto(`${app.url}/alerts`);
        await page.getByRole('heading', { name: 'アラート', level: 1 }).waitFor();
        const pager = page.getByRole('navigation', { name: 'ページ移動' });
        const next = pager.getByRole('button', { name: '次へ' });
        const prev = pager.getByRole('button', { name: '前へ' });
        await page.locator(`tr[data-alert="${newest}"]`).waitFor();
        assert.equal(await page.locator('tr[data-alert]').count(), PAGE_SIZE, 'one page');
        assert.equal(await page.locator(`tr[data-alert="${oldest}"]`).count(), 0, 'the oldest is on a later page');
        assert.equal(await pager.getByText('1 ページ目').count(), 1);
        assert.equal(await prev.isDisabled(), true);
        assert.equal(await next.isEnabled(), true);

        await next.click();
        await pager.getByText('2 ページ目').waitFor();
        await page.locator(`tr[data-alert="${oldest}"]`).waitFor();
        assert.equal(await page.locator(`tr[data-alert="${newest}"]`).count(), 0);
        assert.equal(await prev.isEnabled(), true);
        await screenshot(page, '80-alerts-second-page');

        await prev.click();
        await pager.getByText('1 ページ目').waitFor();
        await page.locator(`tr[data-alert="${newest}"]`).waitFor();
        assert.equal(await page.locator(`tr[data-alert="${oldest}"]`).count(), 0);
    });

    test('a channel with the planned-stop and outage topics; none ticked is refused at the topics', async () => {
        const page = suite.page;
        const channel = `住民向け案内 ${unique('c')}`;
        await page.goto(`${app.url}/notification-channels/new`);
        await page.getByRole('heading', { name: '通知先の追加', level: 1 }).waitFor();
        await page.getByLabel('名前').fill(channel);
        await page.getByLabel('種類').selectOption('webhook');
        await page.getByLabel('Webhook の URL').fill(`http://127.0.0.1:${hookPort()}/residents`);
        const topics = page.getByRole('group', { name: '通知する内容' });
        const alerts = topics.getByLabel('運用者向け障害通知');
        const stops = topics.getByLabel('計画停止のお知らせ');
        const outages = topics.getByLabel('利用者向け停止・復旧のお知らせ');
        assert.equal(await alerts.isChecked(), true, 'the default: alerts');
        assert.equal(await stops.isChecked(), true, 'the default: planned stops');
        assert.equal(await outages.isChecked(), false);
        await page.getByLabel(/利用者向けお知らせまでの時間/).fill('15');

        await alerts.uncheck();
        await stops.uncheck();
        await page.getByRole('button', { name: '登録' }).click();
        const error = page.locator('#ch-topics-error');
        await error.waitFor();
        assert.equal(await error.innerText(), '通知する内容を 1 つ以上選んでください');
        assert.equal(await outages.getAttribute('aria-invalid'), 'true');
        assert.ok(!(await app.admin.client.listChannels()).items.some((c) => c.name === channel), 'nothing was saved');
        await screenshot(page, '81-channel-topics-refused');

        await stops.check();
        await outages.check();
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(`通知先「${channel}」を登録しました。`).waitFor();
        const id = Number(new URL(page.url()).pathname.split('/')[2]);
        const stored = (await app.admin.client.getChannel(id)).data;
        assert.deepEqual([...(stored.topics ?? [])].sort(), ['outages', 'planned_stops']);
        assert.equal(stored.escalate_after_min, 15);
        // The channel's page ticks what it hears.
        assert.equal(await page.getByLabel('計画停止のお知らせ').isChecked(), true);
        assert.equal(await page.getByLabel('利用者向け停止・復旧のお知らせ').isChecked(), true);
        assert.equal(await page.getByLabel('運用者向け障害通知').isChecked(), false);

        await page.goto(`${app.url}/notification-channels`);
        const row = page.getByRole('row').filter({ hasText: channel });
        await row.waitFor();
        const listed = row.locator('[data-topics]');
        assert.equal(await listed.getAttribute('data-topics'), 'planned_stops outages');
        assert.match(await listed.innerText(), /計画停止のお知らせ[\s\S]*利用者向け停止・復旧のお知らせ/);
        assert.doesNotMatch(await listed.innerText(), /運用者向け障害通知/);
        assert.match(await row.innerText(), /15 分後にエスカレーション/);
        await screenshot(page, '82-channel-topics');
    });

    test('approving and cancelling a planned stop say a notice is sent, and the channel gets both', async () => {
        const title = `課税システム 定期点検 ${unique('p')}`;
        const start = Date.now() + 20 * 86_400_000;
        const stop = (
            await app.admin.client.createPlannedStop({
                kind: 'inspection',
                title,
                scope: 'services',
                services: [service],
                starts_at: new Date(start).toISOString(),
                ends_at: new Date(start + 3 * 3_600_000).toISOString(),
            })
        ).data;
        const page = suite.page;
        await page.goto(`${app.url}/planned-stops`);
        await page.getByRole('heading', { name: '計画停止', level: 1 }).waitFor();
        const row = page.locator(`tr[data-stop="${stop.id}"]`);

        await row.getByRole('button', { name: `計画停止「${title}」を承認` }).click();
        const approving = row.getByRole('group', { name: `計画停止「${title}」を承認しますか？` });
        assert.match(await approving.innerText(), /承認すると、計画停止のお知らせを受け取る通知先に「計画停止のお知らせ」が送信されます。/);
        assert.equal((await app.admin.client.getPlannedStop(stop.id)).data.approved_at, null, 'not before confirming');
        await approving.getByRole('button', { name: '承認する' }).click();
        await page.getByText(`計画停止「${title}」を承認しました。`).waitFor();
        await row.getByText('承認済み').waitFor();

        await row.getByRole('button', { name: `計画停止「${title}」を取り消す` }).click();
        const cancelling = row.getByRole('group', { name: `計画停止「${title}」を取り消しますか？` });
        assert.match(await cancelling.innerText(), /取り消すと計画停止のお知らせを受け取る通知先に「計画停止の中止」が送信されます。/);
        await screenshot(page, '83-planned-stop-cancel-notice');
        await cancelling.getByRole('button', { name: '取り消す' }).click();
        await page.getByText(`計画停止「${title}」を取り消しました。`).waitFor();

        // The channel of the previous test hears planned stops at /residents.
        const heard = (): string[] =>
            received.map((body) => {
                try {
                    return JSON.stringify(JSON.parse(body));
                } catch {
                    return body;
                }
            });
        await until('the notice and the cancellation', async () =>
            heard().some((b) => b.includes('計画停止のお知らせ') && b.includes(title)) &&
            heard().some((b) => b.includes('計画停止の中止') && b.includes(title))
                ? true
                : undefined,
            LIVE_MS,
        );
    });
});
