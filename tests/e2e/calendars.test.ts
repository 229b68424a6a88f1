// Business calendars in the console: the defaults `unyo init` makes are listed; an admin adds
// a calendar open Saturday mornings with a planned closed day, and its month view shows each day
// open with its hours or closed with the reason — the national holiday's name under the law
// (勤労感謝の日), 年末年始, 休業日, the weekday. A rule change shows at once; bad hours are refused
// at the weekday; a change made meanwhile elsewhere is never overwritten; an operator reads
// calendars but is offered no way to change them.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { Page } from 'playwright-core';

import { unique } from '../api/helpers.ts';
import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

/** The words of the month view's cell for `date`. */
async function dayText(page: Page, date: string): Promise<string> {
    const cell = page.locator(`td[data-date="${date}"]`);
    await cell.waitFor();
    return ((await cell.innerText()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('console business calendars', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    const name = `保守窓口 (土曜午前) ${unique('c')}`;
    let calendarPath = '';

    test('the calendars unyo init made are listed with their hours', async () => {
        const page = suite.page;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '営業日カレンダー' }).click();
        await page.getByRole('heading', { name: '営業日カレンダー', level: 1 }).waitFor();
        const standard = page.getByRole('row').filter({ hasText: '標準 (平日 8:30–17:15)' });
        assert.match((await standard.textContent()) ?? '', /月〜金 08:30–17:15.*祝日休業.*年末年始休業/);
        const always = page.getByRole('row').filter({ hasText: '24時間365日' });
        assert.match((await always.textContent()) ?? '', /毎日 00:00–24:00/);
    });

    test('an admin adds a calendar; its month shows holidays closed with their names', async () => {
        const page = suite.page;
        await page.getByRole('link', { name: 'カレンダーを追加' }).click();
        await page.getByRole('heading', { name: 'カレンダーの追加', level: 1 }).waitFor();
        await page.getByLabel('カレンダー名').fill(name);
        await page.getByLabel('土曜日に営業').check();
        await page.getByLabel('土曜日の始業').fill('09:00');
        await page.getByLabel('土曜日の終業').fill('12:00');
        await page.getByLabel('休業日に追加する日付').fill('2026-11-27');
        await page.getByRole('group', { name: '休業日' }).getByRole('button', { name: '日付を追加' }).click();
        await page.getByRole('group', { name: '休業日' }).getByText('2026-11-27').waitFor();
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(`カレンダー「${name}」を登録しました。`).waitFor();
        calendarPath = new URL(page.url()).pathname;
        assert.match(calendarPath, /^\/calendars\/\d+$/);

        const saved = (await app.admin.client.listCalendars()).items.find((c) => c.name === name);
        assert.ok(saved, 'created');
        assert.deepEqual(saved.weekly.sat, { open: '09:00', close: '12:00' });
        assert.equal(saved.weekly.sun, null);
        assert.deepEqual(saved.closed_days, ['2026-11-27']);

        await page.goto(`${app.url}${calendarPath}?month=2026-11`);
        await page.getByRole('table', { name: '2026年11月' }).waitFor();
        assert.equal(await dayText(page, '2026-11-23'), '23 休業 勤労感謝の日', 'a national holiday, by its name');
        assert.equal(await dayText(page, '2026-11-03'), '3 休業 文化の日');
        assert.equal(await dayText(page, '2026-11-27'), '27 休業 休業日', 'the closed day');
        assert.equal(await dayText(page, '2026-11-28'), '28 営業 09:00–12:00', 'Saturday morning');
        assert.equal(await dayText(page, '2026-11-22'), '22 休業 日曜日');
        assert.equal(await dayText(page, '2026-11-24'), '24 営業 08:30–17:15');
        await screenshot(page, '63-calendar-month');

        await page.getByRole('button', { name: '次の月' }).click();
        await page.getByRole('table', { name: '2026年12月' }).waitFor();
        assert.match(page.url(), /month=2026-12/);
        assert.equal(await dayText(page, '2026-12-29'), '29 休業 年末年始');
    });

    test('a rule change shows in the month at once; bad hours are refused at their weekday', async () => {
        const page = suite.page;
        await page.goto(`${app.url}${calendarPath}?month=2026-11`);
        await page.getByRole('table', { name: '2026年11月' }).waitFor();
        await page.getByLabel('国民の祝日・休日は休業').uncheck();
        await page.getByRole('button', { name: '保存' }).click();
        await page.getByText('保存しました。').waitFor();
        await page.waitForFunction(() => document.querySelector('td[data-date="2026-11-23"]')?.classList.contains('month-open'));
        assert.equal(await dayText(page, '2026-11-23'), '23 営業 08:30–17:15 勤労感謝の日', 'open, still named');

        await page.getByLabel('月曜日の始業').fill('18:00');
        await page.getByLabel('月曜日の終業').fill('09:00');
        await page.getByRole('button', { name: '保存' }).click();
        await page.getByText('始業と終業を HH:MM で入力し、始業を終業より前にしてください').waitFor();
        assert.equal(await page.getByLabel('月曜日の始業').getAttribute('aria-invalid'), 'true');
        const stored = (await app.admin.client.listCalendars()).items.find((c) => c.name === name);
        assert.ok(stored);
        assert.deepEqual(stored.weekly.mon, { open: '08:30', close: '17:15' }, 'nothing was saved');

        // Someone else changes the calendar meanwhile: saving is refused and says so (412).
        const fresh = await app.admin.client.getCalendar(stored.id);
        await app.admin.client.updateCalendar(stored.id, { description: '別の画面で更新' }, fresh.etag ?? '');
        await page.getByLabel('月曜日の始業').fill('09:00');
        await page.getByLabel('月曜日の終業').fill('17:00');
        await page.getByRole('button', { name: '保存' }).click();
        await page.getByText('他の方がこの内容を先に更新しました。').waitFor();
        assert.deepEqual((await app.admin.client.getCalendar(stored.id)).data.weekly.mon, { open: '08:30', close: '17:15' });
    });

    test('an operator reads calendars but is offered no change', async () => {
        await asNewUser(app, 'operator', '運用 太郎', '/calendars', async (page) => {
            await page.getByRole('heading', { name: '営業日カレンダー', level: 1 }).waitFor();
            await page.getByRole('link', { name: name }).click();
            await page.getByRole('heading', { name, level: 1 }).waitFor();
            await page.locator('td[data-date]').first().waitFor();
            assert.equal(await page.getByRole('link', { name: 'カレンダーを追加' }).count(), 0);
            assert.equal(await page.getByRole('button', { name: '保存' }).count(), 0, 'no save button');
            assert.equal(await page.getByLabel('カレンダー名').getAttribute('readonly'), '', 'read only');
            assert.equal(await page.getByRole('button', { name: '日付を追加' }).count(), 0);
        });
    });
});
