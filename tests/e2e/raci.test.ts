// Role division matrices in the console (docs/raci.md, issue 7: ORG-2): an admin pastes the table of
// seed 000 as copied from its document, ticks 組織がなければ作成する and checks it (135 rows, 8
// organisations to create, the reader's warning about a name spelled differently on a later page;
// nothing written), imports it and lands on the matrix: work item 112 (障害受付) under its headings
// with ○ only under サーバアプリ開発等業者; the header row and first columns stay in view while the
// table scrolls, and printed the controls go. Pressing the empty cell of 112 under
// サーバ運用監視サービス業者 makes it ○ (main), again △ (support), each as the API then answers; a
// change made elsewhere first is refused (412), the latest is shown and the user told; a column is
// pointed at no organisation and back. A taken name and a text without a table are refused at
// their fields. The TSV download reads back; a CSV file fills the form; a copy is imported and
// deleted. The Excel (XLSX) download is imported as a new matrix: its check reads the same 135
// items. A viewer and an operator see the marks and the mapped organisations but no buttons and no
// import panel.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

const SEED = readFileSync(path.resolve(import.meta.dirname, '../fixtures/seeds/raci_000.txt'), 'utf8');
const NAME = '年金システム 運用・保守の役割分担';
/** The organisations of seed 000, in the order of their columns. */
const ORGS = [
    '厚生労働省／日本年金機構',
    'サーバ保守等業者',
    '追加サーバシステム導入・保守業者',
    'サーバアプリ開発等業者',
    'サーバ運用監視サービス業者',
    '構築LAN構築業者',
    '5次端運用監視サービス業者',
    '画像システムネットワーク業者',
];
const APP_DEV = ORGS.indexOf('サーバアプリ開発等業者');
const MONITORING = ORGS.indexOf('サーバ運用監視サービス業者');

/** The matrix on the page. */
function matrixTable(page: Page) {
    return page.locator('table[data-raci-matrix]');
}

/** The marks of a row's organisation cells, left to right. */
async function marksOf(page: Page, seq: number): Promise<string[]> {
    return matrixTable(page).locator(`tr[data-seq="${seq}"] td[data-column] .raci-mark`).allTextContents();
}

/** A row of marks with `mark` at the given columns and nothing elsewhere. */
function marks(at: Record<number, string>): string[] {
    return ORGS.map((_, i) => at[i] ?? '');
}

describe('console: role division matrices', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/raci', '役割分担表');
    let matrixId = 0;

    /** Item 112 as the API has it now. */
    const item112 = async () => {
        const m = (await app.admin.client.getRaci(matrixId)).data;
        const item = m.items.find((i) => i.seq === 112);
        assert.ok(item, 'work item 112');
        return { matrix: m, item };
    };

    test('an admin pastes seed 000, checks it (135 items, 8 organisations, a warning; nothing written) and imports it', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '役割分担', exact: true }).waitFor();
        const panel = page.getByRole('region', { name: '役割分担表の取り込み' });
        await panel.getByLabel('名前', { exact: true }).fill(NAME);
        await panel.getByLabel('表', { exact: true }).fill(SEED);
        assert.equal(await panel.getByLabel('形式').inputValue(), 'text');
        const create = panel.getByLabel('組織がなければ作成する');
        assert.equal(await create.isChecked(), false, 'organisations are not made unless asked');
        await create.check();

        await panel.getByRole('button', { name: '確認' }).click();
        const preview = panel.locator('[data-raci-preview]');
        await preview.waitFor();
        assert.equal(await preview.locator('[data-raci-counts]').textContent(), '135 件の作業項目 (うち見出し 27 行)、8 組織');
        await preview.getByText('凡例: ○ 作業主体、△ 作業協力').waitFor();
        await preview.getByText('作成する組織 (8)').waitFor();
        assert.deepEqual(await preview.locator('[data-raci-names="created"] li').allTextContents(), ORGS);
        assert.equal(await preview.locator('[data-raci-names="unmatched"]').count(), 0);
        const warnings = await preview.locator('[data-raci-warnings] li').allTextContents();
        assert.ok(warnings.length >= 1, 'the reader says what it repaired');
        assert.ok(
            warnings.some((w) => w.includes('機構LAN構築業者') && w.includes('構築LAN構築業者')),
            `the later page's spelling is a warning: ${warnings.join(' / ')}`,
        );
        await preview.getByText(`注意 (${warnings.length} 件)`).waitFor();
        assert.deepEqual((await app.admin.client.listRaci()).items, [], 'a check stores nothing');
        const orgs = await app.admin.client.listOrganizations({ limit: 500 });
        assert.ok(!orgs.items.some((o) => o.name === 'サーバ運用監視サービス業者'), 'nor makes organisations');
        await screenshot(page, 'a0-raci-import-check');

        // Anything changed: the check no longer holds.
        await create.uncheck();
        assert.equal(await preview.count(), 0, 'the check goes when the form changes');
        await create.check();

        await panel.getByRole('button', { name: '取り込む' }).click();
        await page.waitForURL(/\/raci\/\d+$/);
        matrixId = Number(new URL(page.url()).pathname.split('/').pop());
        await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
        await page
            .getByText(`役割分担表「${NAME}」を取り込みました: 135 件の作業項目 (うち見出し 27 行)、8 組織。`, { exact: false })
            .waitFor();
        const list = await app.admin.client.listRaci();
        assert.deepEqual(list.items.map((m) => [m.id, m.name, m.item_count]), [[matrixId, NAME, 135]]);
        const made = (await app.admin.client.listOrganizations({ limit: 500 })).items.map((o) => o.name);
        for (const name of ORGS) {
            assert.ok(made.includes(name), `organisation ${name} made`);
        }
    });

    test('the matrix: item 112 under its headings with ○ only under サーバアプリ開発等業者, a legend, sticky header and columns, print', async () => {
        const { page } = suite;
        const table = matrixTable(page);
        await table.waitFor();
        assert.deepEqual(await table.locator('thead [data-column-name]').allTextContents(), ORGS);
        assert.deepEqual(
            await table.locator('thead th').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column') ?? th.textContent)),
            ['項番', '作業項目', '作業内容', '実施サイクル', ...ORGS.map((_, i) => String(i)), '備考'],
        );
        const legend = page.locator('[data-raci-legend]');
        assert.equal((await legend.textContent())?.replace(/\s+/g, ''), '凡例○作業主体△作業協力');
        await page.getByText('作業項目 135 行 (見出し 27 行を含む)・8 組織・更新', { exact: false }).waitFor();

        const row = table.locator('tr[data-seq="112"]');
        assert.equal(await row.locator('.raci-title').textContent(), '障害受付');
        assert.equal(await row.locator('.raci-title').getAttribute('data-depth'), '2', 'below two headings');
        await row.getByText('エンドユーザからの連絡を受け、関係各課及び委託先(開発担当)へ連絡').waitFor();
        assert.deepEqual(await marksOf(page, 112), marks({ [APP_DEV]: '○' }));
        assert.equal(await row.locator(`td[data-column="${APP_DEV}"]`).getAttribute('data-role'), 'main');
        // Its headings are rows across the whole table (項番 and one cell spanning the rest).
        const heading = table.locator('tr.raci-section', { hasText: 'エンドユーザ検知時' });
        assert.equal(await heading.locator('th').getAttribute('colspan'), String(ORGS.length + 4));
        await table.locator('tr.raci-section', { hasText: '障害時運用' }).first().waitFor();
        assert.equal(await table.locator('tbody tr.raci-section').count(), 27);
        assert.equal(await table.locator('tbody tr').count(), 135);
        // Item 113: △ for every organisation but the app developer (○) and the last.
        assert.deepEqual(await marksOf(page, 113), [...marks({ [APP_DEV]: '○' }).map((m, i) => (i === APP_DEV || i === 7 ? m : '△'))]);
        // Each column names the unyo organisation it stands for (printed; editors have a select on screen).
        const mapLabel = page.getByLabel('「サーバ運用監視サービス業者」に対応する unyo の組織');
        assert.equal(await mapLabel.locator('option:checked').textContent(), 'サーバ運用監視サービス業者');
        const mappedWords = table.locator(`thead th[data-column="${MONITORING}"] [data-column-org]`);
        assert.equal(await mappedWords.isVisible(), false, 'on screen the select says it');

        // The header row and the first two columns stay in view while the table scrolls.
        const frame = page.locator('.raci-scroll');
        const firstHeader = table.locator('thead th').first();
        const titleCell = row.locator('.raci-title');
        await frame.evaluate((el) => el.scrollTo(0, 0));
        const frameBox = await frame.boundingBox();
        assert.ok(frameBox);
        await frame.evaluate((el) => el.scrollTo(0, el.scrollHeight));
        const headerBox = await firstHeader.boundingBox();
        assert.ok(headerBox);
        assert.ok(Math.abs(headerBox.y - frameBox.y) <= 2, `the header row stays at the top (${headerBox.y} vs ${frameBox.y})`);
        // Sideways on a narrower screen, where the organisations' columns do not all fit.
        const viewport = page.viewportSize();
        await page.setViewportSize({ width: 1000, height: 800 });
        await row.scrollIntoViewIfNeeded();
        const before = await titleCell.boundingBox();
        const moved = await frame.evaluate((el) => {
            const from = el.scrollLeft;
            el.scrollTo(el.scrollWidth, el.scrollTop);
            return el.scrollLeft - from;
        });
        assert.ok(moved > 100, `the table is wider than its frame (scrolled ${moved}px)`);
        const afterScroll = await titleCell.boundingBox();
        assert.ok(before && afterScroll);
        assert.ok(Math.abs(afterScroll.x - before.x) <= 2, `作業項目 stays in view (${before.x} → ${afterScroll.x})`);
        await frame.evaluate((el) => el.scrollTo(0, 0));
        if (viewport) {
            await page.setViewportSize(viewport);
        }
        await screenshot(page, 'a1-raci-matrix');

        // Printed: the whole table, the header row repeated, no controls.
        await page.emulateMedia({ media: 'print' });
        try {
            assert.equal(await firstHeader.evaluate((el) => getComputedStyle(el).position), 'static');
            assert.equal(await table.locator('thead').evaluate((el) => getComputedStyle(el).display), 'table-header-group');
            assert.equal(await frame.evaluate((el) => getComputedStyle(el).overflow), 'visible');
            assert.equal(await mapLabel.isVisible(), false, 'no selects');
            assert.equal(await page.getByRole('button', { name: '印刷' }).isVisible(), false, 'no buttons');
            assert.equal(await page.locator('[data-raci-download="tsv"]').isVisible(), false, 'no links');
            assert.equal(await page.getByRole('navigation', { name: 'メインメニュー' }).isVisible(), false);
            assert.equal(await mappedWords.textContent(), 'unyo: サーバ運用監視サービス業者');
            assert.equal(await mappedWords.isVisible(), true, 'printed, the words say it');
        } finally {
            await page.emulateMedia({ media: 'screen' });
        }
        assert.equal(await firstHeader.evaluate((el) => getComputedStyle(el).position), 'sticky');
    });

    test('pressing the empty cell of 112 under サーバ運用監視サービス業者: ○ (main), then △ (support), as the API answers', async () => {
        const { page } = suite;
        const cell = matrixTable(page).locator(`tr[data-seq="112"] td[data-column="${MONITORING}"]`);
        assert.equal(await cell.getAttribute('data-role'), '');
        const button = cell.getByRole('button');
        assert.equal(await button.getAttribute('aria-label'), '項番 112 障害受付、サーバ運用監視サービス業者: 空欄 (押すと作業主体)');
        const { matrix: before } = await item112();

        await button.click();
        await matrixTable(page).locator(`tr[data-seq="112"] td[data-column="${MONITORING}"][data-role="main"]`).waitFor();
        assert.deepEqual(await marksOf(page, 112), marks({ [APP_DEV]: '○', [MONITORING]: '○' }));
        let now = await item112();
        assert.deepEqual(now.item.cells, { [APP_DEV]: 'main', [MONITORING]: 'main' });
        assert.equal(now.matrix.version, before.version + 1);
        await page.getByRole('status').getByText('項番 112 障害受付、サーバ運用監視サービス業者 を作業主体にしました。').waitFor();

        await button.click();
        await matrixTable(page).locator(`tr[data-seq="112"] td[data-column="${MONITORING}"][data-role="support"]`).waitFor();
        assert.deepEqual(await marksOf(page, 112), marks({ [APP_DEV]: '○', [MONITORING]: '△' }));
        now = await item112();
        assert.deepEqual(now.item.cells, { [APP_DEV]: 'main', [MONITORING]: 'support' });
        assert.equal(await button.getAttribute('aria-label'), '項番 112 障害受付、サーバ運用監視サービス業者: 作業協力 (押すと空欄)');
        await screenshot(page, 'a2-raci-cell-support');
    });

    test('a change made elsewhere first: nothing is changed, the latest is shown and the user told', async () => {
        const { page } = suite;
        const { matrix, item } = await item112();
        // Someone else marks column 5 of item 112 (the page still holds the version before).
        await app.admin.client.setRaciCell(matrixId, { item_id: item.id, column: 5, role: 'main' }, `"${matrix.version}"`);
        await matrixTable(page).locator(`tr[data-seq="112"] td[data-column="${MONITORING}"]`).getByRole('button').click();
        await page.getByText('他の方がこの役割分担表を先に変更していたため、変更しませんでした。最新の内容を読み込み直しました。').waitFor();
        await matrixTable(page).locator('tr[data-seq="112"] td[data-column="5"][data-role="main"]').waitFor();
        assert.deepEqual(await marksOf(page, 112), marks({ [APP_DEV]: '○', [MONITORING]: '△', 5: '○' }));
        const now = await item112();
        assert.deepEqual(now.item.cells, { [APP_DEV]: 'main', [MONITORING]: 'support', 5: 'main' }, 'the refused press changed nothing');
        await screenshot(page, 'a3-raci-conflict');

        // Pressed again with the version now shown: △ → empty.
        await matrixTable(page).locator(`tr[data-seq="112"] td[data-column="${MONITORING}"]`).getByRole('button').click();
        await matrixTable(page).locator(`tr[data-seq="112"] td[data-column="${MONITORING}"][data-role=""]`).waitFor();
        assert.equal(await page.getByText('他の方がこの役割分担表を先に変更していたため', { exact: false }).count(), 0);
        assert.deepEqual((await item112()).item.cells, { [APP_DEV]: 'main', 5: 'main' });
    });

    test('a column is pointed at no organisation, then back', async () => {
        const { page } = suite;
        const select = page.getByLabel('「サーバ運用監視サービス業者」に対応する unyo の組織');
        const org = (await app.admin.client.listOrganizations({ limit: 500 })).items.find((o) => o.name === 'サーバ運用監視サービス業者');
        assert.ok(org);
        assert.equal(await select.inputValue(), String(org.id));
        const mapped = matrixTable(page).locator(`thead th[data-column="${MONITORING}"] [data-column-org]`);

        await select.selectOption({ label: '(対応なし)' });
        await mapped.waitFor({ state: 'detached' });
        await page.getByRole('status').getByText('列「サーバ運用監視サービス業者」の組織への対応付けを外しました。').waitFor();
        assert.equal((await app.admin.client.getRaci(matrixId)).data.columns[MONITORING]!.organization_id, null);

        await select.selectOption({ label: 'サーバ運用監視サービス業者' });
        await mapped.waitFor({ state: 'attached' });
        assert.equal((await app.admin.client.getRaci(matrixId)).data.columns[MONITORING]!.organization_id, org.id);
    });

    test('a taken name and a text without a table are refused at their fields', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '役割分担', exact: true }).click();
        await page.getByRole('heading', { name: '役割分担表', level: 1 }).waitFor();
        const listed = page.locator(`tr[data-raci="${matrixId}"]`);
        await listed.getByRole('link', { name: NAME }).waitFor();
        assert.equal(await listed.locator('td.num').textContent(), '135');
        await listed.getByText('8 組織').waitFor();

        const panel = page.getByRole('region', { name: '役割分担表の取り込み' });
        const name = panel.getByLabel('名前', { exact: true });
        const table = panel.getByLabel('表', { exact: true });
        await name.fill(NAME);
        await table.fill(SEED);
        await panel.getByRole('button', { name: '確認' }).click();
        await panel.locator('.field-error').getByText(`役割分担表「${NAME}」は既に登録されています`).waitFor();
        assert.equal(await name.getAttribute('aria-invalid'), 'true');

        await name.fill('表のない文書');
        await table.fill('役割分担\n1\t作業\t○\n');
        await panel.getByRole('button', { name: '取り込む' }).click();
        await panel.locator('.field-error').getByText('表が見つかりません。「項番」を含む見出し行が必要です').waitFor();
        assert.equal(await table.getAttribute('aria-invalid'), 'true');
        assert.equal((await app.admin.client.listRaci()).items.length, 1, 'nothing imported');
        await screenshot(page, 'a4-raci-import-refused');
    });

    test('the TSV download reads back; a CSV file fills the form; the copy is imported and deleted', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/raci/${matrixId}`);
        await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-raci-download="tsv"]').click()]);
        assert.equal(download.suggestedFilename(), `raci-${matrixId}.tsv`);
        const file = await download.path();
        const tsv = readFileSync(file, 'utf8');
        assert.match(tsv, /^○ 作業主体 △ 作業協力\n項番\t作業項目/);
        assert.match(tsv, /\n112\t障害受付\t/);

        const csv = await (await app.admin.client.raw('GET', `/api/v1/raci/${matrixId}?format=csv`)).text();
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '役割分担', exact: true }).click();
        const panel = page.getByRole('region', { name: '役割分担表の取り込み' });
        await panel.getByLabel('ファイルから読み込む').setInputFiles({
            name: '年金システム写し.csv',
            mimeType: 'text/csv',
            buffer: Buffer.from(`\uFEFF${csv.replace(/^\uFEFF/, '')}`, 'utf8'),
        });
        const tableField = panel.getByLabel('表', { exact: true });
        await page.waitForFunction(() => (document.querySelector('[data-raci-import] textarea') as HTMLTextAreaElement | null)?.value !== '');
        const text = await tableField.inputValue();
        assert.ok(!text.startsWith('\uFEFF'), 'the BOM is dropped');
        assert.match(text, /^"?○ 作業主体 △ 作業協力"?\r?\n項番,作業項目,/, 'the file as exported');
        assert.equal(await panel.getByLabel('名前', { exact: true }).inputValue(), '年金システム写し', 'named after the file');
        assert.equal(await panel.getByLabel('形式').inputValue(), 'csv');
        await panel.getByRole('button', { name: '確認' }).click();
        const preview = panel.locator('[data-raci-preview]');
        assert.equal(await preview.locator('[data-raci-counts]').textContent(), '135 件の作業項目 (うち見出し 27 行)、8 組織');
        assert.deepEqual(await preview.locator('[data-raci-names="matched"] li').allTextContents(), ORGS, 'matched by name now');
        assert.equal(await preview.locator('[data-raci-names="created"]').count(), 0);

        await panel.getByRole('button', { name: '取り込む' }).click();
        await page.getByRole('heading', { name: '年金システム写し', level: 1 }).waitFor();
        const copyId = Number(new URL(page.url()).pathname.split('/').pop());
        assert.notEqual(copyId, matrixId);
        assert.deepEqual(await marksOf(page, 112), marks({ [APP_DEV]: '○', 5: '○' }), 'the cells as exported');

        await page.getByRole('button', { name: '役割分担表を削除' }).click();
        await page.getByText('役割分担表「年金システム写し」を削除しますか?', { exact: false }).waitFor();
        await page.getByRole('button', { name: '削除する' }).click();
        await page.getByText('役割分担表「年金システム写し」を削除しました。').waitFor();
        assert.equal(new URL(page.url()).pathname, '/raci');
        assert.deepEqual((await app.admin.client.listRaci()).items.map((m) => m.id), [matrixId]);
    });

    test('the Excel (XLSX) download imports again as a new matrix: its check reads the same items', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/raci/${matrixId}`);
        await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
        const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('link', { name: 'Excel (XLSX) で出力' }).click(),
        ]);
        assert.equal(download.suggestedFilename(), `raci-${matrixId}.xlsx`);
        const workbook = readFileSync(await download.path());
        assert.equal(workbook.subarray(0, 2).toString('latin1'), 'PK', 'a zip (an Office Open XML workbook)');

        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '役割分担', exact: true }).click();
        const panel = page.getByRole('region', { name: '役割分担表の取り込み' });
        await panel.getByLabel('ファイルから読み込む').setInputFiles({
            name: '年金システム Excel.xlsx',
            mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            buffer: workbook,
        });
        await panel.locator('[data-raci-workbook]').getByText('Excel ファイル「年金システム Excel.xlsx」の最初のシートを読み取ります。').waitFor();
        assert.equal(await panel.getByLabel('形式').inputValue(), 'xlsx', 'the format follows the extension');
        assert.equal(await panel.getByLabel('名前', { exact: true }).inputValue(), '年金システム Excel');
        assert.equal(await panel.getByLabel('表', { exact: true }).count(), 0, 'no text to paste for a workbook');
        await panel.getByRole('button', { name: '確認' }).click();
        const preview = panel.locator('[data-raci-preview]');
        assert.equal(await preview.locator('[data-raci-counts]').textContent(), '135 件の作業項目 (うち見出し 27 行)、8 組織');
        assert.deepEqual(await preview.locator('[data-raci-names="matched"] li').allTextContents(), ORGS);
        assert.deepEqual((await app.admin.client.listRaci()).items.map((m) => m.id), [matrixId], 'a check writes nothing');
        await screenshot(page, 'a5-raci-import-xlsx');

        await panel.getByRole('button', { name: '取り込む' }).click();
        await page.getByRole('heading', { name: '年金システム Excel', level: 1 }).waitFor();
        const copyId = Number(new URL(page.url()).pathname.split('/').pop());
        assert.deepEqual(await marksOf(page, 112), marks({ [APP_DEV]: '○', 5: '○' }), 'the cells as exported');
        await app.admin.client.deleteRaci(copyId);
    });

    for (const role of ['viewer', 'operator'] as const) {
        test(`${role === 'operator' ? 'an' : 'a'} ${role} sees the marks and the organisations but cannot change a cell, and has no import panel`, async () => {
            const before = (await app.admin.client.getRaci(matrixId)).data;
            await asNewUser(app, role, `${role} 役割`, `/raci/${matrixId}`, async (page) => {
                await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
                const table = matrixTable(page);
                await table.locator('tr[data-seq="112"]').waitFor();
                assert.deepEqual(await marksOf(page, 112), marks({ [APP_DEV]: '○', 5: '○' }));
                assert.equal(await table.locator('button').count(), 0, 'no cell is a button');
                assert.equal(await table.locator('select').count(), 0, 'no column select');
                assert.equal(
                    await table.locator(`thead th[data-column="${APP_DEV}"] [data-column-org]`).textContent(),
                    'unyo: サーバアプリ開発等業者',
                );
                await page.getByText('セルを押すと', { exact: false }).waitFor({ state: 'detached' });
                // Clicking an empty cell does nothing.
                const cell = table.locator(`tr[data-seq="112"] td[data-column="${MONITORING}"]`);
                await cell.click();
                await page.waitForTimeout(300);
                assert.equal(await cell.getAttribute('data-role'), '');
                assert.equal((await app.admin.client.getRaci(matrixId)).data.version, before.version, 'nothing changed');
                assert.equal(await page.getByRole('button', { name: '役割分担表を削除' }).count(), 0);
                assert.equal(await page.locator('[data-raci-download="csv"]').count(), 1, 'the download is offered to everyone');

                await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '役割分担', exact: true }).click();
                await page.getByRole('heading', { name: '役割分担表', level: 1 }).waitFor();
                await page.locator(`tr[data-raci="${matrixId}"]`).getByRole('link', { name: NAME }).waitFor();
                assert.equal(await page.getByRole('region', { name: '役割分担表の取り込み' }).count(), 0);
                assert.equal(await page.getByLabel('組織がなければ作成する').count(), 0);
                if (role === 'viewer') {
                    await screenshot(page, 'a5-raci-list-viewer');
                }
            });
        });
    }
});
