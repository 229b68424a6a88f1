// The operation calendar in the console (docs/jobs.md, Operation calendar), on a server of its own.
// An admin adds a one-off power outage through the form (an end before the start is refused under
// 終了日時 first) and a maintenance event without times, which recurs on the month's last business
// day 18:00–翌08:00 (a wrong n of the day rule is refused under its input first); a planned stop is
// scheduled through the API. February 2027's month view shows each on its days, with its kind and
// time, and the stop's details lead to its page; the year view counts them by the day they start. Changing the
// maintenance window's end moves it. The feed URL is issued once, fetched as text/calendar with the
// events in it, and stops working when a new one is issued. A viewer reads the calendar without
// the way to add or change events.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

const MONTH = '2027-02';

describe('console: operation calendar', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/opscal', '運用カレンダー');
    let stopId = 0;
    let maintenanceId = 0;

    const cell = (date: string) => suite.page.locator(`td[data-date="${date}"]`);

    test('an admin adds a one-off power outage; an end before the start is named in place', async () => {
        const { page } = suite;
        await page.getByRole('link', { name: '予定を登録' }).click();
        await page.getByRole('heading', { name: '運用予定の登録', level: 1 }).waitFor();
        await page.getByLabel('種別').selectOption('power_outage');
        // Another kind than maintenance happens once unless told.
        assert.ok(await page.getByLabel('一回', { exact: true }).isChecked());
        await page.getByLabel('題名').fill('法定点検停電');
        await page.getByLabel('業務システム').fill('本庁舎');
        await page.getByLabel('メモ').fill('全サーバ停止');
        await page.getByLabel('開始日時').fill('2027-02-14T08:00');
        await page.getByLabel('終了日時').fill('2027-02-14T07:00');
        await page.getByRole('button', { name: '登録', exact: true }).click();
        await page.locator('#opscal-ends-error').getByText('開始日時より後にしてください').waitFor();

        await page.getByLabel('終了日時').fill('2027-02-14T17:00');
        await page.getByRole('button', { name: '登録', exact: true }).click();
        await page.getByText('予定「法定点検停電」を登録しました。').waitFor();
        const events = (await app.admin.client.listOpsEvents()).items;
        assert.deepEqual(
            events.map((e) => [e.kind, e.starts_at, e.ends_at, e.recurrence]),
            [['power_outage', '2027-02-13T23:00:00.000Z', '2027-02-14T08:00:00.000Z', null]],
        );
    });

    test('a maintenance event without times recurs on the last business day 18:00–08:00; a wrong n is named in place', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/opscal/events/new`);
        await page.getByRole('heading', { name: '運用予定の登録', level: 1 }).waitFor();
        assert.equal(await page.getByLabel('種別').inputValue(), 'maintenance');
        assert.ok(await page.getByLabel('繰り返し', { exact: true }).isChecked());
        await page.getByLabel('題名').fill('定例保守');
        await page.getByLabel('繰り返しの開始日時').fill('2027-01-01T00:00');
        await page.getByLabel('繰り返す日').selectOption('nth_open_day');
        await page.getByLabel('何番目の営業日 (1〜31)').fill('40');
        await page.getByRole('button', { name: '登録', exact: true }).click();
        await page.locator('#opscal-n-error').waitFor();

        await page.getByLabel('繰り返す日').selectOption('last_open_day');
        await page.getByRole('button', { name: '登録', exact: true }).click();
        await page.getByText('予定「定例保守」を登録しました。').waitFor();
        maintenanceId = Number(new URL(page.url()).pathname.split('/').pop());
        const event = (await app.admin.client.getOpsEvent(maintenanceId)).data;
        assert.deepEqual(event.recurrence, { days: { rule: 'last_open_day' }, from: '18:00', to: '08:00' });
        await page.getByRole('heading', { name: '定例保守', level: 1 }).waitFor();
        await page.getByText(/毎月最終営業日 18:00〜翌08:00/).first().waitFor();
    });

    test('the month shows the events and a planned stop on their days; an item opens its details and page', async () => {
        const { page } = suite;
        stopId = (
            await app.admin.client.createPlannedStop({
                kind: 'inspection',
                title: '定期点検',
                reason: '年次点検',
                starts_at: '2027-02-20T09:00:00+09:00',
                ends_at: '2027-02-20T12:00:00+09:00',
            })
        ).data.id;
        await page.goto(`${app.url}/opscal?month=${MONTH}`);
        await page.getByText('2027年2月', { exact: true }).waitFor();

        const outage = cell('2027-02-14').locator('.opscal-item', { hasText: '法定点検停電' });
        assert.equal((await outage.textContent())?.trim(), '08:00〜17:00 [停電] 法定点検停電');
        assert.equal(await outage.getAttribute('data-source'), 'event');
        // 2/28 is a Sunday: the last business day is Friday the 26th, until 08:00 the next morning.
        const evening = cell('2027-02-26').locator('.opscal-item', { hasText: '定例保守' });
        assert.equal((await evening.textContent())?.trim(), '18:00〜 [保守作業] 定例保守');
        assert.equal(
            (await cell('2027-02-27').locator('.opscal-item', { hasText: '定例保守' }).textContent())?.trim(),
            '〜08:00 [保守作業] 定例保守',
        );
        assert.equal(await cell('2027-02-25').locator('.opscal-item').count(), 0);
        const stop = cell('2027-02-20').locator('.opscal-item', { hasText: '定期点検' });
        assert.equal((await stop.textContent())?.trim(), '09:00〜12:00 [計画停止] 定期点検');
        assert.equal(await stop.getAttribute('data-source'), 'planned_stop');
        await screenshot(page, '92-opscal-month');

        await outage.click();
        const details = page.getByRole('region', { name: '予定の詳細' });
        await details.getByText('全サーバ停止').waitFor();
        await details.getByText('2027/02/14 08:00 〜 2027/02/14 17:00').waitFor();
        await details.getByText('本庁舎').waitFor();
        await stop.click();
        await details.getByText('2027/02/20 09:00 〜 2027/02/20 12:00').waitFor();
        await details.getByRole('link', { name: '計画停止を開く' }).click();
        await page.waitForURL(`**/planned-stops/${stopId}`);
        await page.getByRole('heading', { name: '定期点検', level: 1 }).waitFor();
    });

    test('the year view counts the items starting each day, and a month title opens that month', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/opscal?month=${MONTH}`);
        await page.getByRole('button', { name: '年', exact: true }).click();
        await page.getByText('2027年', { exact: true }).waitFor();
        const feb = page.locator(`[data-month="${MONTH}"]`);
        await feb.locator('td[data-date="2027-02-14"] .opscal-count').getByText('1').waitFor();
        assert.equal((await feb.locator('td[data-date="2027-02-26"] .opscal-count').textContent())?.trim(), '1');
        // Each item once, on the day it starts (not the morning its window ends).
        assert.equal(await feb.locator('td[data-date="2027-02-27"] .opscal-count').count(), 0);
        assert.equal(await feb.locator('td[data-date="2027-02-25"] .opscal-count').count(), 0);
        // January's last business day is Friday the 29th.
        assert.equal(
            (await page.locator('[data-month="2027-01"] td[data-date="2027-01-29"] .opscal-count').textContent())?.trim(),
            '1',
        );
        await screenshot(page, '93-opscal-year');
        await feb.getByRole('button', { name: '2027年2月' }).click();
        await cell('2027-02-14').locator('.opscal-item').first().waitFor();
        assert.equal(new URL(page.url()).searchParams.get('view'), null);
    });

    test('changing the maintenance window moves it in the month', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/opscal/events/${maintenanceId}`);
        await page.getByRole('heading', { name: '定例保守', level: 1 }).waitFor();
        await page.getByLabel('終了時刻').fill('07:00');
        await page.getByRole('button', { name: '保存', exact: true }).click();
        await page.getByText('保存しました。').waitFor();
        assert.equal((await app.admin.client.getOpsEvent(maintenanceId)).data.recurrence?.to, '07:00');
        await page.goto(`${app.url}/opscal?month=${MONTH}`);
        await cell('2027-02-27').locator('.opscal-item', { hasText: '〜07:00 [保守作業] 定例保守' }).waitFor();
    });

    test('the feed URL is shown once, reads as text/calendar with the events, and a new one retires it', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/opscal`);
        const section = page.getByRole('region', { name: 'カレンダーを購読' });
        await section.getByRole('button', { name: '購読用 URL を発行' }).click();
        const input = section.getByLabel('購読用 URL');
        await input.waitFor();
        const url = await input.inputValue();
        assert.ok(url.startsWith(`${app.url}/api/v1/opscal.ics?token=`), url);
        await section.getByText('以前に発行した URL は使えなくなりました。', { exact: false }).waitFor();
        await section.getByRole('button', { name: 'コピー' }).waitFor();

        const feed = await fetch(`${url}&from=2027-02-01T00:00:00Z&to=2027-03-01T00:00:00Z`);
        assert.equal(feed.status, 200);
        assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar/);
        const ics = (await feed.text()).replace(/\r\n /g, '');
        assert.ok(ics.startsWith('BEGIN:VCALENDAR'));
        for (const summary of ['[停電] 法定点検停電', '[保守作業] 定例保守', '[計画停止] 定期点検']) {
            assert.ok(ics.includes(`SUMMARY:${summary}\r\n`), summary);
        }
        assert.match(ics, /DTSTART:20270213T230000Z\r\nDTEND:20270214T080000Z/);

        await section.getByRole('button', { name: '購読用 URL を発行し直す' }).click();
        await page.waitForFunction((old) => (document.getElementById('opscal-feed-url') as HTMLInputElement | null)?.value !== old, url);
        assert.equal((await fetch(url)).status, 401);
        assert.equal((await fetch(await input.inputValue())).status, 200);
    });

    test('a viewer sees the calendar and the events, but no way to add or change them', async () => {
        await asNewUser(app, 'viewer', '閲覧 予定', `/opscal?month=${MONTH}`, async (page) => {
            await page.getByRole('heading', { name: '運用カレンダー', level: 1 }).waitFor();
            await page.locator('td[data-date="2027-02-14"] .opscal-item', { hasText: '法定点検停電' }).waitFor();
            const events = page.getByRole('region', { name: '運用予定' });
            await events.getByRole('cell', { name: '定例保守' }).waitFor();
            assert.equal(await page.getByRole('link', { name: '予定を登録' }).count(), 0);
            assert.equal(await events.getByRole('link').count(), 0);
            await page.locator('td[data-date="2027-02-14"] .opscal-item').first().click();
            await page.getByRole('region', { name: '予定の詳細' }).getByText('全サーバ停止').waitFor();
            assert.equal(await page.getByRole('link', { name: '予定を開く' }).count(), 0);
            await page.goto(`${page.url().replace(/\/opscal.*$/, '')}/opscal/events/new`);
            await page.getByRole('heading', { name: 'アクセスできません' }).waitFor();
            assert.equal(await page.locator('form').count(), 0);
        });
    });
});
