// Language and date display: Japanese by default, English on request (remembered across reloads),
// and the Japanese calendar (和暦) as a display option.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { screenshot, tokyoDateTime, useAdminPage, useConsole } from './console.ts';

describe('console language and dates', () => {
    const app = useConsole();
    const ui = useAdminPage(app, '/users', '利用者');

    test('switching to English changes every word and survives a reload', async () => {
        const { page } = ui;
        await page.getByRole('button', { name: 'English' }).click();
        await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        const nav = page.getByRole('navigation', { name: 'Main menu' });
        for (const item of ['Dashboard', 'Organisations', 'Users', 'Sign-in history', 'Account inventory', 'Audit log']) {
            await nav.getByRole('link', { name: item, exact: true }).waitFor();
        }
        await page.getByRole('button', { name: 'Sign out' }).waitFor();
        await page.getByRole('columnheader', { name: 'Display name' }).waitFor();
        await page.getByRole('link', { name: 'Excel' }).waitFor();
        assert.match(
            (await page.getByRole('link', { name: 'CSV', exact: true }).getAttribute('href')) ?? '',
            /lang=en/,
            'exports follow the language',
        );
        const body = await page.locator('body').innerText();
        assert.doesNotMatch(body.replace('unyo 運用管理', '').replace('日本語', ''), /[\u3040-\u30ff]/, 'no kana left');
        await screenshot(page, '20-users-english');

        await page.reload();
        await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    });

    test('switching back to Japanese', async () => {
        const { page } = ui;
        await page.getByRole('button', { name: '日本語' }).click();
        await page.getByRole('heading', { name: '利用者', level: 1 }).waitFor();
        assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
        await page.reload();
        await page.getByRole('heading', { name: '利用者', level: 1 }).waitFor();
        assert.doesNotMatch(
            (await page.getByRole('link', { name: 'CSV', exact: true }).getAttribute('href')) ?? '',
            /lang=/,
        );
    });

    test('dates are YYYY/MM/DD HH:mm in Japan time, or 和暦 by choice', async () => {
        const { page } = ui;
        const admin = (await app.admin.client.me()).user;
        await page.goto(`${app.url}/users/${admin.id}`);
        const created = page.locator(`time[datetime="${admin.created_at}"]`).first();
        await created.waitFor();
        const expected = tokyoDateTime(admin.created_at);
        assert.equal(await created.innerText(), expected);
        assert.match(expected, /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);

        await page.getByText('表示設定').click();
        await page.getByRole('radio', { name: /和暦/ }).check();
        assert.match(await created.innerText(), /^令和\d+年\d+月\d+日 \d{2}:\d{2}$/);
        await screenshot(page, '21-user-wareki');
        await page.keyboard.press('Escape');
        assert.equal(await page.locator('details.menu').getAttribute('open'), null, 'Escape closes the menu');
        await page.reload();
        await page.locator(`time[datetime="${admin.created_at}"]`).first().waitFor();
        assert.match(await page.locator(`time[datetime="${admin.created_at}"]`).first().innerText(), /^令和/);
        await page.getByText('表示設定').click();
        await page.getByRole('radio', { name: /西暦/ }).check();
        assert.equal(await page.locator(`time[datetime="${admin.created_at}"]`).first().innerText(), expected);
    });
});
