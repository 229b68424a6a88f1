// The audit log screen: filters and, while it is open, new entries arriving over the event stream
// without a reload.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { unique } from '../api/helpers.ts';
import { screenshot, useAdminPage, useConsole } from './console.ts';

describe('console audit log', () => {
    const app = useConsole();
    const ui = useAdminPage(app, '/audit', '監査ログ');

    test('new entries appear live, marked as new, without a reload', async () => {
        const { page } = ui;
        const live = page.locator('[data-live]');
        await page.locator('[data-live="open"]').waitFor();
        assert.equal(await live.innerText(), 'ライブ更新中');
        let navigations = 0;
        page.on('framenavigated', () => (navigations += 1));

        const name = `株式会社${unique('監査')}`;
        const org = (await app.admin.client.createOrganization({ name, kind: 'other' })).data;
        const row = page.getByRole('row').filter({ hasText: '組織の登録' }).filter({ hasText: `#${org.id}` });
        await row.waitFor({ timeout: 8_000 });
        await row.getByText('新着').waitFor();
        await page.getByText('(新着 1 件)').waitFor();
        await screenshot(page, '30-audit-live');

        await app.admin.client.updateOrganization(org.id, { note: '更新' }, `"${org.version}"`);
        await page.getByRole('row').filter({ hasText: '組織の更新' }).filter({ hasText: `#${org.id}` }).waitFor({ timeout: 8_000 });
        assert.equal(navigations, 0, 'the page was not reloaded');

        await page.getByRole('row').filter({ hasText: '組織の更新' }).getByRole('button', { name: '詳細' }).click();
        const detail = page.locator('.audit-detail');
        await detail.getByRole('rowheader', { name: 'note' }).waitFor();
        await detail.getByText('更新', { exact: true }).waitFor();
    });

    test('filters by action and actor; live entries respect the filters', async () => {
        const { page } = ui;
        await page.getByLabel('操作', { exact: true }).selectOption('user.unlock');
        await page.getByRole('button', { name: '検索' }).click();
        await page.getByText('該当するデータはありません。').waitFor();
        assert.match(page.url(), /action=user\.unlock/);
        // An entry of another action does not appear under this filter.
        await app.admin.client.createOrganization({ name: unique('対象外'), kind: 'other' });
        await page.waitForTimeout(2_500);
        assert.equal(await page.getByRole('row').filter({ hasText: '組織の登録' }).count(), 0);

        await page.getByLabel('操作', { exact: true }).selectOption('organization.create');
        await page.getByLabel('操作者').fill(app.server.adminLogin);
        await page.getByRole('button', { name: '検索' }).click();
        await page.getByRole('row').filter({ hasText: '組織の登録' }).first().waitFor();
        const actions = await page.locator('tbody tr[data-seq] td:nth-child(3) .mono').allInnerTexts();
        assert.ok(actions.length >= 2);
        assert.ok(actions.every((a) => a === 'organization.create'), actions.join());
        await page.getByLabel('操作者').fill('nobody');
        await page.getByRole('button', { name: '検索' }).click();
        await page.getByText('該当するデータはありません。').waitFor();
        await page.getByRole('button', { name: 'クリア' }).click();
        await page.getByRole('row').filter({ hasText: 'ログイン' }).first().waitFor();
    });
});
