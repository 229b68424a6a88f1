// Client-side routes: deep links load their page (after signing in), survive a reload with their
// filters, back and forward work, and the console is usable from the keyboard.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { BrowserContext, Page } from 'playwright-core';

import { strongPassword, unique } from '../api/helpers.ts';
import { closeBrowser, firstPage, openBrowser, screenshot, signInPage, useConsole } from './console.ts';

describe('console navigation', () => {
    const app = useConsole();
    let browser: BrowserContext;
    let page: Page;
    let userId = 0;

    before(async () => {
        const org = (await app.admin.client.createOrganization({ name: `${unique('深いリンク')}`, kind: 'owner' })).data;
        userId = (
            await app.admin.client.createUser({
                login: unique('deep'),
                display_name: '深井 リンク',
                organization_id: org.id,
                roles: ['viewer'],
                password: strongPassword(),
            })
        ).data.id;
        // Accounts that the inventory highlights: one disabled, one locked.
        const disabled = await app.admin.client.createUser({
            login: unique('disabled'),
            display_name: '無効 太郎',
            organization_id: org.id,
            roles: ['vendor'],
            password: strongPassword(),
        });
        await app.admin.client.updateUser(disabled.data.id, { disabled: true }, disabled.etag!);
        const lockedLogin = unique('locked');
        await app.admin.client.createUser({
            login: lockedLogin,
            display_name: '施錠 花子',
            organization_id: org.id,
            roles: ['operator'],
            password: strongPassword(),
        });
        for (let i = 0; i < 5; i += 1) {
            await app.anonymous().login(lockedLogin, 'wrong').catch(() => undefined);
        }
        browser = await openBrowser();
        page = await firstPage(browser);
    });
    after(async () => {
        await closeBrowser(browser);
    });

    test('a deep link opens its page right after signing in, and a reload keeps it', async () => {
        await signInPage(page, app.url, app.server.adminLogin, app.server.adminPassword, `/users/${userId}`);
        await page.getByRole('heading', { name: /^深井 リンク/, level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, `/users/${userId}`);
        await page.reload();
        await page.getByRole('heading', { name: /^深井 リンク/, level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, `/users/${userId}`);
    });

    test('filters in the URL survive a reload; back and forward work', async () => {
        await page.goto(`${app.url}/login-history?success=false`);
        await page.getByRole('heading', { name: 'ログイン履歴', level: 1 }).waitFor();
        assert.equal(await page.getByLabel('結果').inputValue(), 'false');
        await page.reload();
        assert.equal(await page.getByLabel('結果').inputValue(), 'false');

        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'アカウント棚卸' }).click();
        await page.getByRole('heading', { name: 'アカウント棚卸', level: 1 }).waitFor();
        await page.goBack();
        await page.getByRole('heading', { name: 'ログイン履歴', level: 1 }).waitFor();
        assert.equal(await page.getByLabel('結果').inputValue(), 'false');
        await page.goForward();
        await page.getByRole('heading', { name: 'アカウント棚卸', level: 1 }).waitFor();
    });

    test('an unknown path shows a not-found page inside the console', async () => {
        await page.goto(`${app.url}/no/such/page`);
        await page.getByRole('heading', { name: 'ページが見つかりません' }).waitFor();
        await page.getByRole('link', { name: 'ダッシュボードへ戻る' }).click();
        await page.getByRole('heading', { name: 'ダッシュボード', level: 1 }).waitFor();
    });

    test('the keyboard reaches everything: skip link, navigation with visible focus', async () => {
        await page.goto(`${app.url}/`);
        await page.getByRole('heading', { name: 'ダッシュボード', level: 1 }).waitFor();
        await page.keyboard.press('Tab');
        const skip = page.getByRole('link', { name: '本文へ移動' });
        assert.ok(await skip.evaluate((el) => el === document.activeElement), 'the first Tab reaches the skip link');
        assert.ok((await skip.boundingBox())!.y >= 0, 'the skip link is shown when focused');

        // Tab to the navigation link "利用者" and follow it with Enter.
        let reached = false;
        for (let i = 0; i < 80 && !reached; i += 1) {
            await page.keyboard.press('Tab');
            reached = await page.evaluate(() => document.activeElement?.textContent === '利用者');
        }
        assert.ok(reached, 'the navigation is reachable with Tab');
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
        assert.equal(outline, 'solid', 'the focused link has a visible outline');
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: '利用者', level: 1 }).waitFor();
        assert.ok(
            await page.evaluate(() => document.activeElement?.tagName === 'H1'),
            'the new page heading takes the focus',
        );
    });

    test('screenshots of the main pages', async () => {
        const pages: [string, string, string][] = [
            ['/login-history', 'ログイン履歴', '40-login-history'],
            ['/accounts/inventory?show=attention', 'アカウント棚卸', '41-account-inventory'],
            ['/audit', '監査ログ', '42-audit'],
            ['/password', 'パスワード変更', '43-password'],
            [`/organizations`, '組織', '44-organizations'],
        ];
        for (const [path, heading, name] of pages) {
            await page.goto(app.url + path);
            await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
            await page.locator('[aria-busy="true"], .loading').first().waitFor({ state: 'detached' }).catch(() => undefined);
            await screenshot(page, name);
        }
        await page.setViewportSize({ width: 1920, height: 1080 });
        await page.goto(`${app.url}/`);
        await page.getByRole('region', { name: 'アカウント状況' }).getByText('全アカウント').waitFor();
        await screenshot(page, '45-dashboard-1920');
        await page.setViewportSize({ width: 800, height: 1000 });
        await page.goto(`${app.url}/users`);
        await page.getByRole('heading', { name: '利用者', level: 1 }).waitFor();
        await screenshot(page, '46-users-narrow');
    });
});
