// Routing by the role division matrix in the console (docs/raci.md, ORG-3): with seed 000 imported
// through the API (its organisations made), an admin raises an incident and picks work item 113
// 障害切り分け in the record form (the items grouped under their headings, which cannot be picked;
// no matrix select while there is only one matrix). Under the picker the route shows: 主担当
// サーバアプリ開発等業者 and six 協力. Saved, the incident belongs to サーバアプリ開発等業者, its
// work item reads "113 障害切り分け" (sent as a number) and the timeline says how it was routed and
// that the organisation was set by it. Then the work item is changed to 112 in the detail form: the
// timeline names both items with the matrix, and the organisation stays (routing happens at creation).

import { describe, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { RaciMatrixDetail } from '../../web/src/api/client.ts';
import { screenshot, useAdminPage, useConsole } from './console.ts';

const SEED = readFileSync(path.resolve(import.meta.dirname, '../fixtures/seeds/raci_000.txt'), 'utf8');
const NAME = '年金システム 運用・保守の役割分担';
const TITLE = '年金システムの照会画面が表示されない';
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
const APP_DEV = 'サーバアプリ開発等業者';
/** Item 113 (障害切り分け): △ for every organisation but the app developer (○) and the last. */
const SUPPORT_113 = ORGS.filter((name, i) => name !== APP_DEV && i !== 7);

describe('console: routing a record by the role division matrix', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/incidents', '障害');
    let matrix: RaciMatrixDetail | null = null;
    let recordId = 0;

    const itemId = (seq: number): number => {
        const item = matrix?.items.find((i) => i.seq === seq);
        assert.ok(item, `work item ${seq}`);
        return item.id;
    };

    before(async () => {
        const imported = await app.admin.client.importRaci(SEED, { name: NAME, createOrganizations: true });
        assert.equal(imported.organizations_created.length, ORGS.length);
        matrix = imported.matrix;
    });

    test('an incident raised against work item 113 shows its route, goes to サーバアプリ開発等業者 and says so in the timeline', async () => {
        const { page } = suite;
        await page.getByRole('link', { name: '障害を起票' }).click();
        await page.getByRole('heading', { name: '障害の起票', level: 1 }).waitFor();
        await page.getByLabel('件名').fill(TITLE);
        await page.getByLabel('検知経路').selectOption({ label: '利用者からの連絡' });

        const picker = page.locator('[data-work-item-picker]');
        const item = picker.getByLabel('作業項目 (役割分担)');
        await picker.getByText(`役割分担表「${NAME}」の作業項目から選びます。`).waitFor();
        assert.equal(await picker.getByLabel('役割分担表', { exact: true }).count(), 0, 'no matrix select with one matrix');
        assert.equal(await item.inputValue(), '', 'optional: nothing chosen at first');
        // Work items only (135 rows less 27 headings), grouped under their headings.
        await item.locator('option[value="' + String(itemId(113)) + '"]').waitFor({ state: 'attached' });
        const labels = await item.locator('option').allTextContents();
        assert.equal(labels.length, 1 + 135 - 27, 'the empty choice and every work item');
        assert.ok(labels.includes('112 障害受付') && labels.includes('113 障害切り分け'));
        assert.ok(!labels.some((l) => l.includes('エンドユーザ検知時') || l.includes('障害時運用')), 'headings cannot be picked');
        assert.equal(
            await item.locator('option', { hasText: '113 障害切り分け' }).evaluate((o) => (o.parentElement as HTMLOptGroupElement).label),
            '障害時運用 / エンドユーザ検知時',
        );
        assert.equal(await picker.locator('[data-work-item-route]').count(), 0, 'no route before an item is chosen');

        await item.selectOption({ label: '113 障害切り分け' });
        const route = picker.locator('[data-work-item-route]');
        await route.waitFor();
        assert.equal(await route.locator('[data-route-main]').textContent(), APP_DEV);
        assert.deepEqual(await route.locator('[data-route-support] li').allTextContents(), SUPPORT_113);
        await route.getByText(`担当組織を選ばずに起票すると、担当組織は主担当の「${APP_DEV}」になります。`).waitFor();
        await screenshot(page, 'a6-routing-picker');

        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(/INC-\d{6} を起票しました。/).waitFor();
        recordId = Number(new URL(page.url()).pathname.split('/').pop());
        assert.ok(recordId > 0);

        const fields = page.getByRole('region', { name: '記録内容' });
        // The organisation was made by the import after this page loaded the organisations: it is
        // loaded again for its name.
        const orgShown = fields.getByLabel('担当組織').locator('option:checked');
        await orgShown.filter({ hasText: APP_DEV }).waitFor({ state: 'attached' });
        assert.equal(await orgShown.textContent(), APP_DEV);
        const shown = fields.getByLabel('作業項目 (役割分担)');
        assert.equal(await shown.locator('option:checked').textContent(), '113 障害切り分け');
        assert.equal(await fields.locator('[data-work-item-route] [data-route-main]').textContent(), APP_DEV);
        await fields.getByText('振り分け (担当組織の設定と各組織への連絡) は起票したときにだけ行われます。').waitFor();

        const saved = (await app.admin.client.getRecord('incidents', recordId)).data;
        const org = (await app.admin.client.listOrganizations({ limit: 500 })).items.find((o) => o.name === APP_DEV);
        assert.ok(org);
        assert.equal(saved.organization_id, org.id);
        assert.equal(saved['work_item_id'], itemId(113), 'sent as a number');

        const entry = page.getByRole('region', { name: '経過' }).locator('li.tl-routing');
        await entry.waitFor();
        assert.equal(
            await entry.locator('.tl-text').textContent(),
            `役割分担表「${NAME}」の作業項目 113 障害切り分け により振り分け: 主担当 ${APP_DEV}、協力 ${SUPPORT_113.join('、')}` +
                `(担当組織を ${APP_DEV} に設定)`,
        );
        assert.equal(await entry.locator('.tl-change').textContent(), `(担当組織を ${APP_DEV} に設定)`, 'assigned by the routing');
        await screenshot(page, 'a7-routing-detail');
    });

    test('the work item changed to 112 in the detail form: sent as a number, both items named in the timeline, the organisation kept', async () => {
        const { page } = suite;
        const fields = page.getByRole('region', { name: '記録内容' });
        await fields.getByLabel('作業項目 (役割分担)').selectOption({ label: '112 障害受付' });
        const route = fields.locator('[data-work-item-route]');
        await route.locator('[data-route-main]', { hasText: APP_DEV }).waitFor();
        await route.locator('[data-route-support]', { hasText: 'なし' }).waitFor();
        await fields.getByRole('button', { name: '保存' }).click();
        await page.getByText('保存しました。').waitFor();

        const saved = (await app.admin.client.getRecord('incidents', recordId)).data;
        assert.equal(saved['work_item_id'], itemId(112));
        const timeline = page.getByRole('region', { name: '経過' });
        const change = timeline.locator('li.tl-field', { hasText: '作業項目 (役割分担)を変更' });
        await change.waitFor();
        assert.equal(await change.locator('.change-old').textContent(), `113 障害切り分け (${NAME})`);
        assert.equal(await change.locator('.change-new').textContent(), `112 障害受付 (${NAME})`);
        assert.equal(await timeline.locator('li.tl-routing').count(), 1, 'no routing after creation');
        assert.equal(await fields.getByLabel('担当組織').locator('option:checked').textContent(), APP_DEV);
    });
});
