// unyo's own backups in the console (docs/operations.md, Backups and restore): an admin takes a
// generation now, verifies it (正常), runs a restore drill and sees its row with RTO and RPO; after
// one byte of the archive is flipped on disk, verify lists the problem in the generation's row and
// a drill of it is recorded as failed. A viewer is not offered the page.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

function flipMiddleByte(file: string): void {
    const fd = openSync(file, 'r+');
    try {
        const at = Math.floor(statSync(file).size / 2);
        const b = Buffer.alloc(1);
        readSync(fd, b, 0, 1, at);
        b[0] = (b[0] ?? 0) ^ 0x01;
        writeSync(fd, b, 0, 1, at);
    } finally {
        closeSync(fd);
    }
}

describe('console: backups', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/backups', 'バックアップ');
    let file = '';

    test('an admin backs up now, verifies the generation and runs a restore drill with RTO and RPO', async () => {
        const { page } = suite;
        await page.getByText('稼働中のデータへのリストアはコンソールからは行いません').waitFor();
        await page.getByRole('button', { name: '今すぐバックアップ' }).click();
        await page.getByText(/^バックアップ unyo-.*\.tar\.zst を作成しました。$/).waitFor();
        const generations = await app.admin.client.listBackups();
        assert.equal(generations.items.length, 1);
        file = generations.items[0]!.file;
        const row = page.locator(`tr[data-backup="${file}"]`);
        await row.waitFor();
        const sha = generations.items[0]!.archive_sha256;
        assert.equal(await row.locator('code').getAttribute('title'), sha, 'the whole SHA-256 on hover');
        assert.equal((await row.locator('code').textContent())?.trim(), `${sha.slice(0, 12)}…`);

        await row.getByRole('button', { name: `${file} を検証` }).click();
        await row.locator('[data-verify="ok"]').getByText('正常').waitFor();

        await row.getByRole('button', { name: `${file} のリストア訓練` }).click();
        await row.getByText('リストア訓練が成功しました。').waitFor();
        const drills = page.getByRole('region', { name: 'リストア訓練の記録' });
        const drill = drills.locator('tr[data-drill]').first();
        await drill.waitFor();
        assert.match((await drill.locator('[data-rto]').textContent()) ?? '', /^\d+\.\d+ 秒$/);
        assert.match((await drill.locator('[data-rpo]').textContent()) ?? '', /^(1分未満|\d+分|\d+時間(\d+分)?)$/);
        await drill.getByText('成功').waitFor();
        await drill.getByText(file).waitFor();
        await drill.getByText(app.server.adminLogin).waitFor();
        await screenshot(page, '90-backups');
    });

    test('a flipped byte in the archive: verify lists the problem in place, a drill of it fails', async () => {
        const { page } = suite;
        flipMiddleByte(path.join(app.server.dataDir, 'backups', file));
        const row = page.locator(`tr[data-backup="${file}"]`);
        await row.getByRole('button', { name: `${file} を検証` }).click();
        const failed = row.locator('[data-verify="failed"]');
        await failed.getByText('異常あり').waitFor();
        assert.match((await failed.locator('li').first().textContent()) ?? '', /SHA-256/);

        await row.getByRole('button', { name: `${file} のリストア訓練` }).click();
        await row.getByText('リストア訓練は失敗しました。下の一覧に理由を記録しました。').waitFor();
        const rows = page.getByRole('region', { name: 'リストア訓練の記録' }).locator('tr[data-drill]');
        await rows.nth(1).waitFor();
        await rows.first().getByText('失敗').waitFor();
        await screenshot(page, '91-backups-corrupted');
    });

    test('a viewer has no backups in the menu and is refused the page', async () => {
        await asNewUser(app, 'viewer', '閲覧 バックアップ', '/backups', async (page) => {
            await page.getByRole('heading', { name: 'アクセスできません' }).waitFor();
            const menu = page.getByRole('navigation', { name: 'メインメニュー' });
            await menu.getByRole('link', { name: '運用カレンダー' }).waitFor();
            assert.equal(await menu.getByRole('link', { name: 'バックアップ' }).count(), 0);
        });
    });
});
