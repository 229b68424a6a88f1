// Security advisories in the console (docs/advisories.md, issue 7: SEC-1). A web server is recorded
// as a configuration item with the CPE of Example HTTP Server and version 2.4.57, and the shipped
// procedure templates are installed. An admin reads tests/fixtures/advisories/vuldef.xml on
// /advisories: 内容を確認 says 新規 2 件 and what each affects without storing anything; 取り込む stores
// them and the list shows them, JVNDB-2026-100001 with one affected item; the filters 影響あり・要確認
// and 状態 (kept in the URL) narrow the list; a file with a document type declaration is refused at
// the file input. The advisory's page shows the web server as 影響あり (linked to its page), starts
// the patch procedure (パッチ適用手順を開始) and links to the run, which opens; the advisory reads
// 適用中. The other advisory is set 影響なし with a note; a change against a version changed meanwhile
// is refused with the server's message and the latest loaded. A viewer reads but does not change.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/advisories');
const WEB = 'Web サーバ E2E';
const REF = 'JVNDB-2026-100001';
const TITLE = 'Example HTTP Server におけるリクエスト処理の脆弱性';
const OTHER = 'JVNDB-2026-100002';

describe('console: security advisories', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    let webId = 0;

    const advisoryId = async (ref: string): Promise<number> => {
        const found = (await app.admin.client.listAdvisories()).items.find((a) => a.ref === ref);
        assert.ok(found, `${ref} is stored`);
        return found.id;
    };

    before(async () => {
        const client = app.admin.client;
        webId = (
            await client.createCi({
                name: WEB,
                type: 'middleware',
                version: '2.4.57',
                attributes: { cpe: 'cpe:/a:example:http_server:2.4.57' },
            })
        ).data.id;
        await client.installDefaultProcedureTemplates();
    });

    test('a file is checked first (nothing stored), then imported; the list shows what each advisory affects', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'セキュリティ情報', exact: true }).click();
        await page.getByRole('heading', { name: 'セキュリティ情報', level: 1 }).waitFor();
        const panel = page.getByRole('region', { name: 'ファイルから取り込む' });
        await panel.getByLabel('ファイル', { exact: true }).setInputFiles(path.join(FIXTURES, 'vuldef.xml'));
        assert.ok(await panel.getByRole('button', { name: '取り込む' }).isDisabled(), 'import waits for the check');
        await panel.getByRole('button', { name: '内容を確認' }).click();
        const preview = panel.locator('[data-advisory-preview]');
        await preview.getByText('確認結果 (まだ取り込んでいません): 新規 2 件、更新 0 件、変更なし 0 件').waitFor();
        const previewRow = preview.locator(`tr[data-preview-ref="${REF}"]`);
        assert.deepEqual(await previewRow.locator('td').allTextContents(), [REF, TITLE, '重要', '2026/11/20', '1', '0']);
        assert.equal((await app.admin.client.listAdvisories()).items.length, 0, 'a dry run stores nothing');
        await screenshot(page, 'c1-advisories-preview');

        await panel.getByRole('button', { name: '取り込む' }).click();
        await panel.getByText('「vuldef.xml」を取り込みました: 新規 2 件、更新 0 件、変更なし 0 件').waitFor();
        const id = await advisoryId(REF);
        const row = page.locator(`tr[data-advisory="${id}"]`);
        await row.waitFor();
        assert.deepEqual(await row.locator('td').allTextContents(), [REF, TITLE, '重要', '2026/11/20', '未対応', '1', '0']);
        await page.locator(`tr[data-advisory="${await advisoryId(OTHER)}"]`).getByText('緊急').waitFor();

        // The same file again: nothing new.
        await panel.getByLabel('ファイル', { exact: true }).setInputFiles(path.join(FIXTURES, 'vuldef.xml'));
        await panel.getByRole('button', { name: '内容を確認' }).click();
        await panel.getByText('確認結果 (まだ取り込んでいません): 新規 0 件、更新 0 件、変更なし 2 件').waitFor();
        await screenshot(page, 'c2-advisories');
    });

    test('a file with a document type declaration is refused at the file input', async () => {
        const { page } = suite;
        const panel = page.getByRole('region', { name: 'ファイルから取り込む' });
        const input = panel.getByLabel('ファイル', { exact: true });
        await input.setInputFiles({
            name: 'entities.xml',
            mimeType: 'application/xml',
            buffer: Buffer.from('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<x>&a;</x>\n'),
        });
        await panel.getByRole('button', { name: '内容を確認' }).click();
        await panel.locator('.field-error').getByText('文書型宣言 (DOCTYPE) を含むファイルは受け付けません', { exact: false }).waitFor();
        assert.equal(await input.getAttribute('aria-invalid'), 'true');
        assert.equal((await app.admin.client.listAdvisories()).items.length, 2);
    });

    test('the filters narrow the list and survive a reload', async () => {
        const { page } = suite;
        const filters = page.getByRole('search');
        await filters.getByLabel('影響あり・要確認の構成があるものだけ').check();
        await filters.getByRole('button', { name: '検索', exact: true }).click();
        await page.waitForURL(/affected=true/);
        const refs = page.locator('tr[data-advisory] td:first-child');
        await page.locator(`tr[data-advisory="${await advisoryId(OTHER)}"]`).waitFor({ state: 'detached' });
        assert.deepEqual(await refs.allTextContents(), [REF]);
        await page.reload();
        await page.locator(`tr[data-advisory="${await advisoryId(REF)}"]`).waitFor();
        assert.ok(await page.getByRole('search').getByLabel('影響あり・要確認の構成があるものだけ').isChecked());
        assert.deepEqual(await refs.allTextContents(), [REF]);

        await page.getByRole('search').getByRole('button', { name: 'クリア' }).click();
        await page.getByRole('search').getByLabel('状態').selectOption({ label: '適用中' });
        await page.getByRole('search').getByRole('button', { name: '検索', exact: true }).click();
        await page.waitForURL(/status=patching/);
        await page.getByRole('region', { name: 'セキュリティ情報の一覧' }).getByText('該当するデータはありません。').waitFor();
        await page.getByRole('search').getByRole('button', { name: 'クリア' }).click();
        await page.locator(`tr[data-advisory="${await advisoryId(OTHER)}"]`).waitFor();
    });

    test("the advisory's page shows the web server as 影響あり, starts the patch procedure and links to the run", async () => {
        const { page } = suite;
        const id = await advisoryId(REF);
        await page.getByRole('link', { name: REF }).click();
        await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
        const matches = page.getByRole('region', { name: '照合した構成アイテム' });
        const match = matches.locator(`tr[data-match="${webId}"]`);
        await match.waitFor();
        assert.deepEqual(await match.locator('td').allTextContents(), [WEB, '2.4.57', 'Example HTTP Server', '影響あり']);
        await match.getByRole('link', { name: WEB }).waitFor();

        const patching = page.getByRole('region', { name: 'パッチ適用' });
        assert.equal(await patching.getByLabel('緊急の手順 (セキュリティパッチ適用 (緊急)) で開始する').isChecked(), false, 'not critical');
        await patching.getByRole('button', { name: 'パッチ適用手順を開始' }).click();
        const started = patching.getByText(`手順「${REF} ${TITLE}」を開始しました。`);
        await started.waitFor();
        await page.locator('[data-advisory-status]').getByText('適用中').waitFor();
        const stored = (await app.admin.client.getAdvisory(id)).data;
        assert.equal(stored.status, 'patching');
        assert.ok(stored.procedure_run_id);
        await page.locator('[data-advisory-procedure]').getByRole('link', { name: `${REF} ${TITLE}` }).waitFor();
        await screenshot(page, 'c3-advisory-procedure');

        await patching.getByRole('link', { name: '手順を開く' }).click();
        await page.waitForURL(new RegExp(`/procedures/runs/${stored.procedure_run_id}$`));
        await page.getByRole('heading', { name: `${REF} ${TITLE}`, level: 1 }).waitFor();
        await page.getByText('セキュリティパッチ情報の提供').waitFor();
    });

    test('the other advisory is set 影響なし with a note; a change against a newer version is refused and the latest loaded', async () => {
        const { page } = suite;
        const id = await advisoryId(OTHER);
        await page.goto(`${app.url}/advisories/${id}`);
        await page.getByRole('heading', { name: 'サンプル製 ウイルス対策サーバにおける認証回避の脆弱性', level: 1 }).waitFor();
        const patching = page.getByRole('region', { name: 'パッチ適用' });
        assert.ok(await patching.getByLabel('緊急の手順 (セキュリティパッチ適用 (緊急)) で開始する').isChecked(), 'critical: the emergency one');

        const form = page.getByRole('form', { name: '状態の変更' });
        await form.getByLabel('状態').selectOption({ label: '影響なし' });
        await form.getByLabel('備考').fill('当庁では Sample VirusGuard を使っていない');
        await form.getByRole('button', { name: '変更する' }).click();
        await form.getByText('状態を「影響なし」にしました。').waitFor();
        await page.locator('[data-advisory-status]').getByText('影響なし').waitFor();
        await patching.getByText('「影響なし」のため、パッチ適用手順は開始できません。').waitFor();
        const saved = await app.admin.client.getAdvisory(id);
        assert.equal(saved.data.status, 'not_affected');
        assert.equal(saved.data.note, '当庁では Sample VirusGuard を使っていない');

        // Someone else changes it after the page read it.
        await app.admin.client.updateAdvisory(id, { status: 'open', note: '再確認中' }, saved.etag!);
        await form.getByLabel('状態').selectOption({ label: 'リスク受容' });
        await form.getByRole('button', { name: '変更する' }).click();
        await form.getByText('他の方が先に更新したため保存できませんでした。').waitFor();
        await form.getByText(`セキュリティ情報 ${OTHER} は他の方が変更しました (現在は版 ${saved.data.version + 1})`).waitFor();
        await form.getByText('最新の内容を読み込みました。', { exact: false }).waitFor();
        assert.equal(await form.getByLabel('状態').inputValue(), 'open');
        assert.equal(await form.getByLabel('備考').inputValue(), '再確認中');
        assert.equal((await app.admin.client.getAdvisory(id)).data.status, 'open', 'nothing of ours was saved');
    });

    test('a viewer reads an advisory but neither imports nor changes it', async () => {
        const id = await advisoryId(REF);
        await asNewUser(app, 'viewer', '閲覧 次郎', `/advisories/${id}`, async (page) => {
            await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
            await page.locator(`tr[data-match="${webId}"]`).getByText('影響あり').waitFor();
            assert.equal(await page.getByRole('form', { name: '状態の変更' }).count(), 0);
            assert.equal(await page.getByRole('button', { name: 'パッチ適用手順を開始' }).count(), 0);
            await page.getByRole('link', { name: 'セキュリティ情報へ' }).click();
            await page.getByRole('heading', { name: 'セキュリティ情報', level: 1 }).waitFor();
            await page.locator('tr[data-advisory]').first().waitFor();
            assert.equal(await page.getByRole('region', { name: 'ファイルから取り込む' }).count(), 0);
        });
    });
});
