// The ledger's other cases from issue 4's "Done when", as a new user meets them in the console: a
// critical incident recognised at 23:00 on Friday 2026-11-20 (Japan time) has its recovery clock
// due 24 h later; an unauthorized-access incident has a response-start clock due 1 h after
// recognition; an issue is raised with an owner and a due date, and a later change of the due date
// (and of the owner) is kept in the timeline (ISS-1), as is support time spent on it (ISS-2).

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { Page } from 'playwright-core';

import type { User } from '../../web/src/api/client.ts';
import { strongPassword, unique } from '../api/helpers.ts';
import { screenshot, useAdminPage, useConsole } from './console.ts';

/** Raises an incident through the create form and waits for its page. */
async function raiseIncident(
    page: Page,
    base: string,
    fields: { title: string; severity: string; source: string; recognized: string },
): Promise<string> {
    await page.goto(`${base}/incidents/new`);
    await page.getByRole('heading', { name: '障害の起票', level: 1 }).waitFor();
    await page.getByLabel('件名').fill(fields.title);
    await page.getByLabel('重要度').selectOption({ label: fields.severity });
    await page.getByLabel('検知経路').selectOption({ label: fields.source });
    await page.getByLabel('障害認知日時').fill(fields.recognized);
    await page.getByRole('button', { name: '登録' }).click();
    await page.getByText(/INC-\d{6} を起票しました。/).waitFor();
    const key = /INC-\d{6}/.exec((await page.getByRole('heading', { level: 1 }).textContent()) ?? '')?.[0];
    assert.ok(key, 'the heading names the key');
    return key;
}

/** The SLA panel's clocks as `label → deadline text`. */
async function clockDeadlines(page: Page): Promise<Map<string, string>> {
    const clocks = page.getByRole('region', { name: 'SLA' }).getByRole('listitem');
    await clocks.first().waitFor();
    const out = new Map<string, string>();
    for (const clock of await clocks.all()) {
        const name = ((await clock.locator('.clock-name').textContent()) ?? '').replace(/\s*\(.*\)$/, '');
        out.set(name, ((await clock.locator('.clock-deadline').textContent()) ?? '').trim());
    }
    return out;
}

describe('console ledger clocks and issues', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/incidents', '障害');
    let owner: User;
    let deputy: User;

    before(async () => {
        const client = app.admin.client;
        const org = (await client.createOrganization({ name: '住民課', kind: 'owner' })).data;
        const make = async (display: string): Promise<User> =>
            (
                await client.createUser({
                    login: unique('staff'),
                    display_name: display,
                    organization_id: org.id,
                    roles: ['manager'],
                    password: strongPassword(),
                })
            ).data;
        owner = await make('佐藤 次郎');
        deputy = await make('鈴木 三郎');
    });

    test('a critical incident recognised Friday 23:00 has its recovery clock due 24 h later, Saturday 23:00', async () => {
        const page = suite.page;
        await raiseIncident(page, app.url, {
            title: '基幹系システム全面停止',
            severity: '重大',
            source: '監視',
            recognized: '2026-11-20T23:00',
        });
        const clocks = await clockDeadlines(page);
        assert.deepEqual(
            [...clocks.entries()].sort(),
            [
                ['復旧の報告', '期限 2026/11/21 23:00'],
                ['復旧見込みの連絡', '期限 2026/11/21 11:00'],
                ['発注者への通知', '期限 2026/11/21 11:00'],
            ].sort(),
            'recovery 24 h (critical), notify and ETA 12 h, all round the clock',
        );
        await screenshot(page, '60-incident-critical-clocks');
    });

    test('an unauthorized-access incident has a response-start clock due 1 h after recognition that stops on responding', async () => {
        const page = suite.page;
        const key = await raiseIncident(page, app.url, {
            title: '職員端末への不審なログイン',
            severity: '高',
            source: '不正アクセス',
            recognized: '2026-11-20T23:00',
        });
        const clocks = await clockDeadlines(page);
        assert.deepEqual(
            [...clocks.entries()].sort(),
            [
                ['対応開始', '期限 2026/11/21 00:00'],
                ['発注者への通知', '期限 2026/11/21 11:00'],
            ].sort(),
            'response start 1 h and notify 12 h; no recovery clock',
        );

        const moves = page.getByRole('region', { name: '状態の変更' });
        await moves.getByRole('button', { name: '対応開始', exact: true }).click();
        await moves.getByText('「対応開始」を実行しました。').waitFor();
        const start = page.getByRole('region', { name: 'SLA' }).locator('[data-clock="response_start"]');
        // Responding stops the clock: it no longer counts (recognised days ago, so it stopped late).
        const status = start.locator('.clock-status');
        await status.filter({ hasText: '超過で停止' }).waitFor();
        const stopped = await status.textContent();
        await page.waitForTimeout(1_500);  // the page re-renders every second
        assert.equal(await status.textContent(), stopped, 'a stopped clock does not count on');
        const saved = (await app.admin.client.listRecords('incidents', { q: key })).items[0];
        assert.ok(saved, 'the incident is listed');
        const detail = (await app.admin.client.getRecord('incidents', saved.id)).data;
        const clock = detail.sla.find((c) => c.name === 'response_start');
        assert.ok(clock?.met_at, 'the response-start clock has stopped');
        await screenshot(page, '61-incident-unauthorized-access');
    });

    test('an issue is raised with an owner and a due date; changing them is kept in the timeline', async () => {
        const page = suite.page;
        await page.goto(`${app.url}/issues/new`);
        await page.getByRole('heading', { name: '課題の起票', level: 1 }).waitFor();
        await page.getByLabel('件名').fill('庁内ネットワーク更改の進め方');
        // Both are required at creation: without them the form says so at the fields.
        await page.getByRole('button', { name: '登録' }).click();
        await page.locator('#rec-owner_id-error').waitFor();
        await page.locator('#rec-due_date-error').waitFor();

        await page.getByLabel('担当者 (責任者)').selectOption({ label: `佐藤 次郎 (${owner.login})` });
        await page.getByLabel('期限').fill('2026-12-01');
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(/ISS-\d{6} を起票しました。/).waitFor();
        assert.equal(await page.getByLabel('期限').inputValue(), '2026-12-01');

        await page.getByLabel('期限').fill('2026-12-15');
        await page.getByLabel('担当者 (責任者)').selectOption({ label: `鈴木 三郎 (${deputy.login})` });
        await page.getByRole('region', { name: '記録内容' }).getByRole('button', { name: '保存' }).click();
        await page.getByText('保存しました。').waitFor();

        const timeline = page.getByRole('region', { name: '経過' });
        const due = timeline.getByRole('listitem').filter({ hasText: '期限を変更' });
        await due.waitFor();
        assert.match((await due.textContent()) ?? '', /2026-12-01\s*→\s*から次へ変更:2026-12-15/);
        const changedOwner = timeline.getByRole('listitem').filter({ hasText: '担当者 (責任者)を変更' });
        assert.match(
            (await changedOwner.textContent()) ?? '',
            new RegExp(`佐藤 次郎 \\(${owner.login}\\)\\s*→\\s*から次へ変更:鈴木 三郎 \\(${deputy.login}\\)`),
        );
        // Who made the change is kept with it.
        assert.match((await due.locator('.tl-actor').textContent()) ?? '', /admin/);

        // Support time spent on the issue (ISS-2) shows in the timeline too.
        const id = Number(new URL(page.url()).pathname.split('/').pop());
        await app.admin.client.addTimeEntry(id, { work_date: '2026-11-20', minutes: 90, note: '構成案の検討' });
        await page.reload();
        const time = page.getByRole('region', { name: '経過' }).getByRole('listitem').filter({ hasText: '作業時間' });
        assert.match((await time.textContent()) ?? '', /作業時間 90 分を記録 \(2026-11-20\)\s*構成案の検討/);
        await screenshot(page, '62-issue-due-date-changed');
    });
});
