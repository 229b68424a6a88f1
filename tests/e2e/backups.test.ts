// unyo's own backups in the console (docs/operations.md, Backups and restore): an admin takes a
// generation now, verifies it (正常), runs a restore drill and sees its row with RTO and RPO; restores
// it from its row into an empty directory (every file of the generation lands there), is refused a
// directory inside the live data directory (nothing written), a relative path, and a directory not
// empty until 上書き is ticked; after one byte of the archive is flipped on disk, verify lists the
// problem in the generation's row, a drill of it is recorded as failed and a restore of it is
// refused. An operator verifies but is offered no restore; a viewer is not offered the page.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

/** The confirmation of a restore: files, size, target. */
const RESTORED = /^([\d,]+) ファイル \((.+)\) を (.+) に復元しました。$/;

/** The regular files under `dir`, as paths relative to it (sorted). */
function filesUnder(dir: string): string[] {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
        .sort();
}

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
    const scratch: string[] = [];
    /** A fresh empty directory outside the server's data directory, removed after the suite. */
    const freshDir = (): string => {
        const dir = mkdtempSync(path.join(tmpdir(), 'unyo-e2e-restore-'));
        scratch.push(dir);
        return dir;
    };
    after(() => {
        for (const dir of scratch) {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    test('an admin backs up now, verifies the generation and runs a restore drill with RTO and RPO', async () => {
        const { page } = suite;
        await page.getByText('稼働中のデータディレクトリへのリストアはコンソールからは行えません').waitFor();
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

    test('an admin restores the generation into an empty directory; the live data directory, a relative path and a full directory are refused at the field', async () => {
        const { page } = suite;
        const generation = (await app.admin.client.listBackups()).items.find((g) => g.file === file);
        assert.ok(generation, 'the generation of the first test');
        const row = page.locator(`tr[data-backup="${file}"]`);
        const opener = row.getByRole('button', { name: `${file} をリストア` });
        assert.equal(await opener.getAttribute('aria-expanded'), 'false');
        await opener.click();
        assert.equal(await opener.getAttribute('aria-expanded'), 'true');
        const form = page.getByRole('form', { name: `${file} のリストア先` });
        await form.getByText('稼働中のサーバーのデータディレクトリ (その中や、それを含むディレクトリも) は復元先にできません').waitFor();
        await form.getByText(`unyo restore ${file} --data-dir 新しいディレクトリ`, { exact: false }).waitFor();
        const target = form.getByLabel('復元先ディレクトリ');
        const overwrite = form.getByLabel('空でないディレクトリに上書きする');
        assert.equal(await overwrite.isChecked(), false, 'overwriting is off at first');
        const run = form.getByRole('button', { name: '実行' });
        const fieldError = form.locator('.field-error');

        // Inside the running server's data directory: refused, nothing written there.
        const inside = path.join(app.server.dataDir, 'restored-here');
        await target.fill(inside);
        await run.click();
        await fieldError.getByText('稼働中のサーバーのデータディレクトリには復元できません', { exact: false }).waitFor();
        assert.equal(await target.getAttribute('aria-invalid'), 'true');
        assert.equal(existsSync(inside), false, `nothing is written to ${inside}`);
        assert.equal(await row.locator('[data-restored]').count(), 0);

        // A relative path.
        await target.fill('restored-here');
        await run.click();
        await fieldError.getByText('/ で始まる絶対パスで指定してください').waitFor();

        // An empty directory elsewhere: every file of the generation is written there.
        const dir = freshDir();
        await target.fill(dir);
        await run.click();
        const done = row.locator('[data-restored]');
        await done.waitFor();
        const said = RESTORED.exec((await done.textContent()) ?? '');
        assert.ok(said, `the confirmation: ${await done.textContent()}`);
        assert.equal(Number(said[1]!.replaceAll(',', '')), generation.files);
        assert.equal(said[3], dir);
        assert.equal(await form.count(), 0, 'the form closes after the restore');
        const written = filesUnder(dir);
        assert.ok(written.includes('unyo.db'), `unyo.db restored (${written.join(', ')})`);
        assert.ok(written.includes('config.json'), `config.json restored (${written.join(', ')})`);
        assert.equal(written.length, generation.files, 'as many files as the generation holds');
        assert.deepEqual(written.filter((f) => f.endsWith('.partial')), []);
        assert.equal(
            written.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0),
            generation.bytes,
            'as many bytes as the generation holds',
        );
        assert.match(said[2]!, /^[\d,]+ B$|^\d+\.\d (KB|MB)$/);

        // The same directory again: not empty, so only with 上書き.
        await opener.click();
        await target.fill(dir);
        await run.click();
        await fieldError.getByText(`${dir} は空ではありません。既存のデータに上書きして復元するには「空でないディレクトリに上書きする」をオンにしてください`).waitFor();
        assert.equal(await done.count(), 0, 'no confirmation for a refusal');
        await screenshot(page, '92-backups-restore-refused');
        await overwrite.check();
        await run.click();
        await done.waitFor();
        const again = RESTORED.exec((await done.textContent()) ?? '');
        assert.ok(again, `the confirmation: ${await done.textContent()}`);
        assert.equal(again[3], dir);
        assert.equal(filesUnder(dir).length, generation.files);
        await screenshot(page, '92-backups-restored');
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

        // A restore of it is refused before anything is written.
        const target = path.join(freshDir(), 'restored');
        await row.getByRole('button', { name: `${file} をリストア` }).click();
        const form = page.getByRole('form', { name: `${file} のリストア先` });
        await form.getByLabel('復元先ディレクトリ').fill(target);
        await form.getByRole('button', { name: '実行' }).click();
        await form
            .locator('.field-error')
            .getByText(/^バックアップの検証で異常が見つかったため復元しません: アーカイブの SHA-256 \([0-9a-f]{64}\) がマニフェストの値 \([0-9a-f]{64}\) と一致しません$/)
            .waitFor();
        assert.equal(existsSync(target), false, `nothing is written to ${target}`);
        await form.getByRole('button', { name: 'キャンセル' }).click();
        assert.equal(await form.count(), 0);
    });

    test('an operator verifies a generation but is offered neither a backup nor a restore', async () => {
        await asNewUser(app, 'operator', '運用 バックアップ', '/backups', async (page) => {
            const row = page.locator(`tr[data-backup="${file}"]`);
            await row.getByRole('button', { name: `${file} を検証` }).waitFor();
            await row.getByRole('button', { name: `${file} のリストア訓練` }).waitFor();
            assert.equal(await row.getByRole('button', { name: `${file} をリストア` }).count(), 0);
            assert.equal(await page.getByRole('button', { name: 'リストア', exact: true }).count(), 0);
            assert.equal(await page.getByRole('button', { name: '今すぐバックアップ' }).count(), 0);
        });
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
