// The handover export page (引継ぎデータ出力, KNW-2; docs/export.md), admins only. An admin opens it
// from the menu beside バックアップ: it says what the file holds and how it is restored; 出力を開始
// starts an export, the page shows it running, then its progress at every table and the done state
// with the file's name, size and finish time; the download answers the zstd archive. The page stops
// asking for the progress once done. A start refused because one runs (409) is said in words, and a
// failed export shows why (both answered by a stand-in for the server: a real export takes
// milliseconds). Operators and managers have no menu item and are refused the page.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { DataExportStatus } from '../../web/src/api/client.ts';
import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

describe('console: the handover export', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    let exported: DataExportStatus | null = null;

    test('an admin starts an export from the menu, follows its progress and downloads the file', async () => {
        const { page } = suite;
        const menu = page.getByRole('navigation', { name: 'メインメニュー' });
        await menu.getByRole('link', { name: '引継ぎデータ出力', exact: true }).click();
        await page.getByRole('heading', { name: '引継ぎデータ出力', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/export');

        // What the file holds and how it is restored.
        const contents = page.locator('[data-export-contents]');
        for (const member of ['data/<table>.jsonl', 'manifest.json', 'SHA256SUMS', 'DATA-DICTIONARY.md']) {
            await contents.getByText(member, { exact: true }).waitFor();
        }
        assert.ok(((await contents.textContent()) ?? '').includes('日本語と英語'), 'the dictionary in both languages');
        const body = (await page.locator('main').textContent()) ?? '';
        assert.ok(body.includes('パスワードのハッシュ'), 'secrets are said to be left out');
        assert.ok(body.includes('unyo import FILE --data-dir NEW'), 'the import command');
        assert.ok(body.includes('unyo user passwd'), 'passwords set afterwards');
        await page.locator('[data-export-state="idle"]').waitFor();

        await page.getByRole('button', { name: '出力を開始', exact: true }).click();
        // The start answers "running"; the page asks again a second later.
        await page.locator('[data-export-state="running"]').waitFor();
        const done = page.locator('[data-export-state="done"]');
        await done.getByText('出力が完了しました。').waitFor();

        exported = await app.admin.client.getDataExport();
        assert.equal(exported.state, 'done');
        assert.ok(exported.tables_total > 0 && exported.tables_done === exported.tables_total, 'every table written');
        const progress = done.locator('progress');
        assert.equal(await progress.getAttribute('max'), String(exported.tables_total));
        assert.equal(await progress.getAttribute('value'), String(exported.tables_total), 'the bar is full');
        assert.equal(
            ((await done.locator('[data-export-counts]').textContent()) ?? '').replace(/,/g, ''),
            `テーブル ${exported.tables_total} / ${exported.tables_total}、${exported.rows} 行`,
        );
        assert.match(exported.file ?? '', /^unyo-export-\d{8}T\d{6}Z\.tar\.zst$/);
        assert.equal(await done.locator('[data-export-file]').textContent(), exported.file);
        assert.match((await done.locator('[data-export-size]').textContent()) ?? '', /^\d+(\.\d)? (B|KB|MB)$/, 'a size people read');
        assert.equal(await done.locator('[data-export-finished] time').getAttribute('datetime'), exported.finished_at);
        await screenshot(page, 'data-export-done');

        const link = done.getByRole('link', { name: 'ダウンロード', exact: true });
        const href = (await link.getAttribute('href')) ?? '';
        assert.equal(href, '/api/v1/export/file');
        // With the page's cookies, as a click on the link would.
        const file = await page.request.get(app.url + href);
        assert.equal(file.status(), 200);
        assert.match(file.headers()['content-disposition'] ?? '', new RegExp(`attachment; filename="${exported.file}"`));
        const bytes = await file.body();
        assert.equal(bytes.length, exported.bytes);
        assert.deepEqual([...bytes.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd], 'a zstd frame');
    });

    test('once done the page stops asking for the progress', async () => {
        const { page } = suite;
        await page.locator('[data-export-state="done"]').waitFor();
        let asked = 0;
        const count = (request: { url(): string }): void => {
            if (new URL(request.url()).pathname === '/api/v1/export') {
                asked += 1;
            }
        };
        page.on('request', count);
        // Twice the polling interval: a page still polling would have asked at least once.
        await page.waitForTimeout(2_200);
        page.off('request', count);
        assert.equal(asked, 0);
    });

    test('a start refused because one runs says so; a failed export says why', async () => {
        const { page } = suite;
        assert.ok(exported, 'the export of the first test');
        // A stand-in for the server: a real export is over before a second start could meet it.
        await page.route('**/api/v1/export', (route) =>
            route.request().method() === 'POST'
                ? route.fulfill({
                      status: 409,
                      contentType: 'application/problem+json',
                      body: JSON.stringify({
                          type: 'urn:unyo:problem:conflict',
                          title: 'Conflict',
                          status: 409,
                          detail: 'an export is running already; wait for it to finish',
                      }),
                  })
                : route.continue(),
        );
        await page.getByRole('button', { name: '出力を開始', exact: true }).click();
        await page.getByRole('alert').filter({ hasText: '出力は既に実行中です。' }).waitFor();
        await page.locator('[data-export-state="done"]').waitFor();
        await page.unroute('**/api/v1/export');

        const failed: DataExportStatus = {
            ...exported,
            state: 'failed',
            tables_done: 12,
            error: 'cannot write /srv/unyo/exports/unyo-export.tar.zst: No space left on device',
            bytes: 0,
        };
        await page.route('**/api/v1/export', (route) =>
            route.request().method() === 'GET'
                ? route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(failed) })
                : route.continue(),
        );
        await page.reload();
        const shown = page.locator('[data-export-state="failed"]');
        await shown.getByText('出力に失敗しました。').waitFor();
        await shown.getByText(failed.error ?? '').waitFor();
        assert.equal(await shown.getByRole('link', { name: 'ダウンロード' }).count(), 0, 'nothing to download');
        await page.unroute('**/api/v1/export');
    });

    for (const [role, who, name] of [
        ['operator', 'an operator', '運用 出力'],
        ['manager', 'a manager', '承認 出力'],
    ] as const) {
        test(`${who} has no handover export in the menu and is refused the page`, async () => {
            await asNewUser(app, role, name, '/export', async (page) => {
                await page.getByRole('heading', { name: 'アクセスできません', level: 1 }).waitFor();
                const menu = page.getByRole('navigation', { name: 'メインメニュー' });
                await menu.getByRole('link', { name: 'バックアップ', exact: true }).waitFor();
                assert.equal(await menu.getByRole('link', { name: '引継ぎデータ出力' }).count(), 0);
                assert.equal(await page.getByRole('button', { name: '出力を開始' }).count(), 0);
            });
        });
    }
});
