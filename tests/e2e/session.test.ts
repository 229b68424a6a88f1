// Signing in and out through the console: the messages a person sees for a wrong password, a
// locked account and a password that must be changed.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { BrowserContext, Page } from 'playwright-core';

import type { Organization, User } from '../../web/src/api/client.ts';
import { strongPassword, unique } from '../api/helpers.ts';
import {
    closeBrowser,
    firstPage,
    openBrowser,
    screenshot,
    signInPage,
    tokyoDateTime,
    useConsole,
} from './console.ts';

describe('console sign-in', () => {
    const app = useConsole();
    let browser: BrowserContext;
    let page: Page;
    let org: Organization;

    before(async () => {
        browser = await openBrowser();
        page = await firstPage(browser);
        org = (await app.admin.client.createOrganization({ name: unique('株式会社ログイン試験'), kind: 'vendor' })).data;
    });
    after(async () => {
        await closeBrowser(browser);
    });

    async function createUser(): Promise<{ user: User; password: string }> {
        const password = strongPassword();
        const login = unique('e2e');
        const { data: user } = await app.admin.client.createUser({
            login,
            display_name: `試験 ${login}`,
            organization_id: org.id,
            roles: ['operator'],
            password,
        });
        return { user, password };
    }

    test('the sign-in page is in Japanese with labelled fields', async () => {
        await page.goto(app.url);
        await page.getByRole('heading', { name: 'ログイン', level: 1 }).waitFor();
        assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
        assert.equal(await page.getByLabel('ログイン名').getAttribute('autocomplete'), 'username');
        assert.equal(await page.getByLabel('パスワード', { exact: true }).getAttribute('type'), 'password');
        await screenshot(page, '01-sign-in');
    });

    test('a wrong password says so, without telling whether the login exists', async () => {
        await page.goto(app.url);
        await page.getByLabel('ログイン名').fill(app.server.adminLogin);
        await page.getByLabel('パスワード', { exact: true }).fill('not-the-password');
        await page.getByRole('button', { name: 'ログイン', exact: true }).click();
        const alert = page.getByRole('alert');
        await alert.getByText('ログイン名またはパスワードが正しくありません。').waitFor();
        assert.equal(await page.getByLabel('パスワード', { exact: true }).inputValue(), '', 'the password is cleared');
        await screenshot(page, '02-sign-in-wrong-password');

        await page.getByLabel('ログイン名').fill(unique('nobody'));
        await page.getByLabel('パスワード', { exact: true }).fill('not-the-password');
        await page.getByRole('button', { name: 'ログイン', exact: true }).click();
        await alert.getByText('ログイン名またはパスワードが正しくありません。').waitFor();
    });

    test('a locked account shows until when it is locked', async () => {
        const { user, password } = await createUser();
        await page.goto(app.url);
        for (let i = 0; i < 5; i += 1) {
            await page.getByLabel('ログイン名').fill(user.login);
            await page.getByLabel('パスワード', { exact: true }).fill(`wrong-${i}`);
            await Promise.all([
                page.waitForResponse((r) => r.url().endsWith('/api/v1/session')),
                page.getByRole('button', { name: 'ログイン', exact: true }).click(),
            ]);
        }
        // Now locked: even the right password is refused with 423 and the time the lock ends.
        await page.getByLabel('ログイン名').fill(user.login);
        await page.getByLabel('パスワード', { exact: true }).fill(password);
        await page.getByRole('button', { name: 'ログイン', exact: true }).click();
        const locked = (await app.admin.client.getUser(user.id)).data.locked_until;
        assert.ok(locked, 'the API reports the account locked');
        await page
            .getByRole('alert')
            .getByText(`アカウントがロックされています。${tokyoDateTime(locked)} まではログインできません。`)
            .waitFor();
        await page.getByText('管理者にロック解除を依頼してください').waitFor();
        await screenshot(page, '03-sign-in-locked');
    });

    test('signing in opens the dashboard with the user and organisation in the header', async () => {
        await signInPage(page, app.url, app.server.adminLogin, app.server.adminPassword);
        const header = page.getByRole('banner');
        await header.getByText('unyo 運用管理').waitFor();
        await header.getByText('管理者').first().waitFor();
        await header.getByText('運用管理', { exact: true }).waitFor();
        await page.getByRole('heading', { name: 'ダッシュボード', level: 1 }).waitFor();
        await page.getByRole('region', { name: '本日のジョブ' }).getByText('本日これから').waitFor();
        await page.getByRole('region', { name: '今後の計画停止' }).getByText('予定されている計画停止はありません。').waitFor();
        await page.getByRole('region', { name: '監視状況' }).getByText('監視はまだ登録されていません。').waitFor();
        await page.getByRole('region', { name: '現在の問題' }).getByText('現在、問題はありません (監視 0 件)。').waitFor();
        await page.getByRole('region', { name: '未完了の障害' }).getByText('未完了 合計 0 件').waitFor();
        await page.getByRole('region', { name: '未回答の問い合わせ' }).getByText('未回答 0 件').waitFor();
        await page.getByRole('region', { name: '最近のログイン' }).getByRole('cell', { name: 'admin' }).first().waitFor();
        await page.getByRole('region', { name: 'アカウント状況' }).getByText('全アカウント').waitFor();
        const nav = page.getByRole('navigation', { name: 'メインメニュー' });
        for (const item of ['ダッシュボード', '障害', '問題', '変更', 'リリース', '課題', '問い合わせ', '依頼', '状態一覧', 'アラート', '計画停止', '稼働率', '通知先', '組織', '利用者', 'ログイン履歴', 'アカウント棚卸', '監査ログ', 'パスワード変更']) {
            await nav.getByRole('link', { name: item, exact: true }).waitFor();
        }
        await screenshot(page, '04-dashboard');
    });

    test('signing out returns to the sign-in page, and the session is gone', async () => {
        await page.getByRole('button', { name: 'ログアウト' }).click();
        await page.getByRole('heading', { name: 'ログイン', level: 1 }).waitFor();
        await page.reload();
        await page.getByRole('heading', { name: 'ログイン', level: 1 }).waitFor();
    });

    test('an ended session brings back the sign-in page, then the page that was asked for', async () => {
        const other = await openBrowser();
        try {
            const p = await firstPage(other);
            await signInPage(p, app.url, app.server.adminLogin, app.server.adminPassword, '/organizations');
            await p.getByRole('heading', { name: '組織', level: 1 }).waitFor();
            await other.clearCookies(); // as if the session expired on the server
            await p.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '利用者' }).click();
            await p.getByText('セッションの有効期限が切れました。もう一度ログインしてください。').waitFor();
            assert.equal(new URL(p.url()).pathname, '/users', 'the URL is kept');
            await p.getByLabel('ログイン名').fill(app.server.adminLogin);
            await p.getByLabel('パスワード', { exact: true }).fill(app.server.adminPassword);
            await p.getByRole('button', { name: 'ログイン', exact: true }).click();
            await p.getByRole('heading', { name: '利用者', level: 1 }).waitFor();
        } finally {
            await closeBrowser(other);
        }
    });

    test('non-admins see only their areas', async () => {
        const { user, password } = await createUser();
        const other = await openBrowser();
        try {
            const p = await firstPage(other);
            await signInPage(p, app.url, user.login, password);
            const nav = p.getByRole('navigation', { name: 'メインメニュー' });
            await nav.getByRole('link', { name: '利用者', exact: true }).waitFor();
            for (const hidden of ['アカウント棚卸', '監査ログ']) {
                assert.equal(await nav.getByRole('link', { name: hidden }).count(), 0, `${hidden} is hidden`);
            }
            await p.goto(`${app.url}/audit`);
            await p.getByRole('heading', { name: 'アクセスできません' }).waitFor();
        } finally {
            await closeBrowser(other);
        }
    });

    test('a reset password must be changed first; policy failures show under the field', async () => {
        const { user } = await createUser();
        const temporary = strongPassword();
        await app.admin.client.setUserPassword(user.id, temporary);
        const other = await openBrowser();
        try {
            const p = await firstPage(other);
            await p.goto(app.url);
            await p.getByLabel('ログイン名').fill(user.login);
            await p.getByLabel('パスワード', { exact: true }).fill(temporary);
            await p.getByRole('button', { name: 'ログイン', exact: true }).click();
            await p.getByRole('heading', { name: 'パスワードの変更が必要です' }).waitFor();
            assert.equal(await p.getByRole('navigation', { name: 'メインメニュー' }).count(), 0, 'nothing else is offered');

            await p.getByLabel('現在のパスワード').fill(temporary);
            await p.getByLabel('新しいパスワード', { exact: true }).fill('short');
            await p.getByLabel('新しいパスワード (確認)').fill('short');
            await p.getByRole('button', { name: 'パスワードを変更' }).click();
            const field = p.getByLabel('新しいパスワード', { exact: true });
            await p.locator('#new_password-error').getByText('8文字以上にしてください').waitFor();
            assert.equal(await field.getAttribute('aria-invalid'), 'true');
            assert.match((await field.getAttribute('aria-describedby')) ?? '', /new_password-error/);
            await screenshot(p, '05-password-policy');

            const next = strongPassword();
            await p.getByLabel('現在のパスワード').fill(temporary);
            await field.fill(next);
            await p.getByLabel('新しいパスワード (確認)').fill(next);
            await p.getByRole('button', { name: 'パスワードを変更' }).click();
            await p.getByRole('heading', { name: 'ダッシュボード', level: 1 }).waitFor();
            assert.equal((await app.admin.client.getUser(user.id)).data.must_change_password, false);
        } finally {
            await closeBrowser(other);
        }
    });
});
