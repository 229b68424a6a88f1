// Exports from the list screens: the buttons use the server's `?format=` URLs with the filters on
// screen; the files are what a person downloads (UTF-8 with BOM, Shift_JIS, Excel).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import type { BrowserContext, Page } from 'playwright-core';

import { strongPassword, unique } from '../api/helpers.ts';
import { closeBrowser, firstPage, openBrowser, signInPage, useConsole } from './console.ts';

describe('console exports', () => {
    const app = useConsole();
    let browser: BrowserContext;
    let page: Page;
    const name = `佐藤 一郎 ${unique('x')}`;
    const login = unique('sato');

    before(async () => {
        const org = (await app.admin.client.createOrganization({ name: `株式会社${unique('出力')}`, kind: 'vendor' })).data;
        await app.admin.client.createUser({
            login,
            display_name: name,
            organization_id: org.id,
            roles: ['vendor'],
            password: strongPassword(),
        });
        browser = await openBrowser();
        page = await firstPage(browser);
        await signInPage(page, app.url, app.server.adminLogin, app.server.adminPassword, '/users');
        await page.getByRole('cell', { name }).waitFor();
    });
    after(async () => {
        await closeBrowser(browser);
    });

    test('CSV downloads as UTF-8 with a BOM and CRLF, with the Japanese name', async () => {
        const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('link', { name: 'CSV', exact: true }).click(),
        ]);
        assert.match(download.suggestedFilename(), /^users-\d{8}\.csv$/);
        const bytes = await readFile(await download.path());
        assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM');
        const text = new TextDecoder().decode(bytes.subarray(3));
        assert.ok(text.includes(name), `the CSV names ${name}:\n${text}`);
        assert.ok(text.startsWith('ID,ログイン名,表示名'), 'Japanese column titles');
        assert.ok(text.endsWith('\r\n') && !/[^\r]\n/.test(text), 'CRLF line ends');
    });

    test('the export follows the filters on screen', async () => {
        await page.getByRole('searchbox', { name: 'ログイン名・表示名' }).fill(login);
        await page.getByRole('button', { name: '検索' }).click();
        await page.getByText('1 件を表示').waitFor();
        const href = (await page.getByRole('link', { name: 'CSV', exact: true }).getAttribute('href')) ?? '';
        assert.match(href, new RegExp(`q=${login}`));
        const res = await page.request.get(app.url + href);
        const text = new TextDecoder().decode(await res.body());
        const lines = text.split('\r\n').filter((l) => l !== '');
        assert.equal(lines.length, 2, `title and one user:\n${text}`);
        assert.ok(lines[1]?.includes(name));
    });

    test('Shift_JIS and Excel are offered', async () => {
        const sjis = (await page.getByRole('link', { name: 'CSV (Shift_JIS)' }).getAttribute('href')) ?? '';
        assert.match(sjis, /format=csv/);
        assert.match(sjis, /encoding=cp932/);
        const res = await page.request.get(app.url + sjis);
        assert.equal(res.status(), 200);
        assert.match(res.headers()['content-type'] ?? '', /Shift_JIS/i);
        assert.ok(new TextDecoder('shift_jis').decode(await res.body()).includes(name));

        const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('link', { name: 'Excel' }).click(),
        ]);
        assert.match(download.suggestedFilename(), /^users-\d{8}\.xlsx$/);
        const xlsx = await readFile(await download.path());
        assert.equal(xlsx.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');
    });
});
