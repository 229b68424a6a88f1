// Administration through the console: organisations and users are created, listed, filtered and
// paged; an edit that races another tab is refused with a visible conflict, never overwriting;
// accounts are disabled, enabled and unlocked.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { BrowserContext, Page } from 'playwright-core';

import { strongPassword, unique } from '../api/helpers.ts';
import { closeBrowser, firstPage, openBrowser, screenshot, signInPage, useConsole } from './console.ts';

describe('console administration', () => {
    const app = useConsole();
    let browser: BrowserContext;
    let page: Page;
    const orgName = `株式会社${unique('保守ベンダー')}`;
    const displayName = `山田 花子 ${unique('n')}`;
    const login = unique('yamada');
    let orgPath = '';
    let userPath = '';

    before(async () => {
        browser = await openBrowser();
        page = await firstPage(browser);
        await signInPage(page, app.url, app.server.adminLogin, app.server.adminPassword);
    });
    after(async () => {
        await closeBrowser(browser);
    });

    test('an admin creates an organisation', async () => {
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '組織', exact: true }).click();
        await page.getByRole('heading', { name: '組織', level: 1 }).waitFor();
        await page.getByRole('link', { name: '組織を追加' }).click();
        await page.getByRole('heading', { name: '組織の追加' }).waitFor();
        await page.getByLabel('組織名').fill(orgName);
        await page.getByLabel('種別').selectOption('vendor');
        await page.getByLabel('コード').fill(unique('V'));
        await page.getByLabel('備考').fill('夜間バッチの保守を担当');
        await screenshot(page, '10-organization-create');
        await page.getByRole('button', { name: '登録' }).click();

        await page.getByRole('heading', { name: orgName, level: 1 }).waitFor();
        await page.getByText(`組織「${orgName}」を登録しました。`).waitFor();
        orgPath = new URL(page.url()).pathname;
        assert.match(orgPath, /^\/organizations\/\d+$/);
        const created = (await app.admin.client.listOrganizations({ q: orgName })).items;
        assert.equal(created.length, 1, 'exactly one organisation was created');
        assert.equal(created[0]?.kind, 'vendor');
        assert.equal(created[0]?.note, '夜間バッチの保守を担当');
    });

    test('a duplicate organisation name is refused with the reason', async () => {
        await page.goto(`${app.url}/organizations/new`);
        await page.getByLabel('組織名').fill(orgName);
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByRole('alert').getByText('他のデータと競合するため保存できません。').waitFor();
        await page.locator('#org-name-error').getByText(`組織「${orgName}」は既に登録されています`).waitFor();
        assert.equal(await page.getByLabel('組織名').getAttribute('aria-invalid'), 'true');
    });

    test('the organisation list filters and pages', async () => {
        for (let i = 0; i < 51; i += 1) {
            await app.admin.client.createOrganization({ name: `頁送り試験 ${String(i).padStart(2, '0')}`, kind: 'other' });
        }
        await page.goto(`${app.url}/organizations`);
        await page.getByRole('searchbox', { name: '組織名・コード' }).fill('頁送り試験');
        await page.getByRole('button', { name: '検索' }).click();
        await page.getByText('50 件を表示').waitFor();
        assert.match(page.url(), /\?q=/, 'the filter is in the URL');
        await page.getByRole('cell', { name: '頁送り試験 00' }).waitFor();
        await screenshot(page, '11-organizations');
        await page.getByRole('button', { name: '次へ' }).click();
        await page.getByText('2 ページ目').waitFor();
        await page.getByText('1 件を表示').waitFor();
        await page.getByRole('cell', { name: '頁送り試験 50' }).waitFor();
        assert.ok(await page.getByRole('button', { name: '次へ' }).isDisabled());
        await page.getByRole('button', { name: '前へ' }).click();
        await page.getByText('1 ページ目').waitFor();
        await page.getByRole('button', { name: 'クリア' }).click();
        await page.getByRole('link', { name: orgName }).waitFor();
    });

    test('an admin creates a user in that organisation', async () => {
        await page.goto(`${app.url}/users`);
        await page.getByRole('link', { name: '利用者を追加' }).click();
        await page.getByRole('heading', { name: '利用者の追加' }).waitFor();
        await page.getByLabel('ログイン名').fill(login);
        await page.getByLabel('表示名').fill(displayName);
        await page.getByLabel('メールアドレス').fill(`${login}@example.jp`);
        await page.getByLabel('所属組織').selectOption({ label: orgName });
        await page.getByRole('checkbox', { name: '保守事業者' }).check();
        // The policy is checked by the server and explained under the field.
        await page.getByLabel('初期パスワード').fill('abc');
        await page.getByRole('button', { name: '登録' }).click();
        await page.locator('#user-password-error').getByText('8文字以上にしてください').waitFor();
        await screenshot(page, '12-user-create-policy');
        await page.getByLabel('初期パスワード').fill(strongPassword());
        await page.getByRole('button', { name: '登録' }).click();

        await page.getByRole('heading', { name: `${displayName} (${login})`, level: 1 }).waitFor();
        userPath = new URL(page.url()).pathname;
        const users = (await app.admin.client.listUsers({ q: login })).items;
        assert.equal(users.length, 1);
        assert.equal(users[0]?.display_name, displayName);
        assert.deepEqual(users[0]?.roles, ['vendor']);

        await page.goto(`${app.url}/users?q=${encodeURIComponent(login)}`);
        const row = page.getByRole('row').filter({ hasText: login });
        await row.getByRole('cell', { name: orgName }).waitFor();
        await row.getByText('保守事業者').waitFor();
        await screenshot(page, '13-users');
    });

    test('an edit that races another tab shows the conflict and overwrites nothing', async () => {
        const tabA = page;
        const tabB = await browser.newPage();
        try {
            await tabA.goto(app.url + userPath);
            await tabB.goto(app.url + userPath);
            await tabA.getByLabel('表示名').waitFor();
            await tabB.getByLabel('表示名').waitFor();

            const fromA = `${displayName} (A)`;
            await tabA.getByLabel('表示名').fill(fromA);
            await tabA.getByRole('button', { name: '保存' }).click();
            await tabA.getByText('保存しました。').waitFor();

            await tabB.getByLabel('表示名').fill(`${displayName} (B)`);
            await tabB.getByRole('button', { name: '保存' }).click();
            const conflict = tabB.getByRole('alert').filter({ hasText: '他の方がこの内容を先に更新しました。' });
            await conflict.waitFor();
            await conflict.getByText('あなたの変更は保存されていません').waitFor();
            await conflict.getByText(fromA).waitFor(); // what the other tab changed
            await screenshot(tabB, '14-user-conflict');
            assert.equal(
                (await app.admin.client.getUser(Number(userPath.split('/').pop()))).data.display_name,
                fromA,
                'the second tab did not overwrite the first',
            );
            assert.equal(await tabB.getByLabel('表示名').inputValue(), `${displayName} (B)`, 'B keeps its input');
            assert.ok(await tabB.getByRole('button', { name: '保存' }).isDisabled(), 'B cannot save the stale version');

            await conflict.getByRole('button', { name: /最新の内容を読み込む/ }).click();
            await tabB.getByRole('alert').filter({ hasText: '他の方がこの内容を先に更新しました。' }).waitFor({ state: 'detached' });
            assert.equal(await tabB.getByLabel('表示名').inputValue(), fromA, 'the reload shows the latest version');
        } finally {
            await tabB.close();
        }
    });

    test('an organisation edit that races another tab is refused too', async () => {
        const tabB = await browser.newPage();
        try {
            await page.goto(app.url + orgPath);
            await tabB.goto(app.url + orgPath);
            await page.getByLabel('備考').fill('担当: 夜間');
            await page.getByRole('button', { name: '保存' }).click();
            await page.getByText('保存しました。').waitFor();
            await tabB.getByRole('button', { name: '無効にする' }).click();
            await tabB.getByRole('alert').filter({ hasText: '他の方がこの内容を先に更新しました。' }).waitFor();
            const org = (await app.admin.client.getOrganization(Number(orgPath.split('/').pop()))).data;
            assert.equal(org.disabled, false, 'the stale disable was not applied');
            assert.equal(org.note, '担当: 夜間');
        } finally {
            await tabB.close();
        }
    });

    test('a user is disabled, enabled and unlocked', async () => {
        const id = Number(userPath.split('/').pop());
        await page.goto(app.url + userPath);
        await page.getByRole('button', { name: '無効にする' }).click();
        await page.getByText('利用者を無効にしました。').waitFor();
        assert.equal((await app.admin.client.getUser(id)).data.disabled, true);
        await page.getByRole('button', { name: '有効にする' }).click();
        await page.getByText('利用者を有効にしました。').waitFor();
        assert.equal((await app.admin.client.getUser(id)).data.disabled, false);

        const anonymous = app.anonymous();
        for (let i = 0; i < 5; i += 1) {
            await anonymous.login(login, 'wrong').catch(() => undefined);
        }
        await page.reload();
        const locked = page.getByRole('alert').filter({ hasText: 'このアカウントは' });
        await locked.waitFor();
        await screenshot(page, '15-user-locked');
        await locked.getByRole('button', { name: 'ロックを解除' }).click();
        await page.getByText('ロックを解除しました。').waitFor();
        assert.equal((await app.admin.client.getUser(id)).data.locked_until, null);
    });
});
