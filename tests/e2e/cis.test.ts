// Configuration items in the console (docs/cis.md, issue 7: CFG-1): two items made through the API,
// one whose support ends in 60 days (Japan time) and one in 400 days; the dashboard's
// 「サポート期限の近い構成」 names the first with 「あと 60 日」 and not the second; /cis lists them; an
// admin adds one through the form; the first item's page relates the new one to it as 稼働先
// (runs_on) and shows the impact of a failure of the server it runs on.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { screenshot, useAdminPage, useConsole } from './console.ts';

/** Today + `days` in Japan time, as YYYY-MM-DD (worked out here, not by the console's code). */
function japanDay(days: number): string {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        new Date(),
    );
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
}

describe('console: configuration items', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    let soonId = 0;
    let laterId = 0;
    const SOON = '年金業務アプリ E2E';
    const LATER = '帳票ミドルウェア E2E';
    const SERVER = '業務サーバ E2E';

    test('the dashboard warns of the support ending in 60 days, not of the one in 400', async () => {
        const soon = await app.admin.client.createCi({ name: SOON, type: 'application', version: '3.1', end_of_support: japanDay(60) });
        soonId = soon.data.id;
        const later = await app.admin.client.createCi({ name: LATER, type: 'middleware', end_of_support: japanDay(400) });
        laterId = later.data.id;
        assert.ok(soonId > 0 && laterId > 0);

        const { page } = suite;
        await page.reload();
        const card = page.getByRole('region', { name: 'サポート期限の近い構成' });
        const row = card.locator(`li[data-lifecycle-ci="${soonId}"]`);
        await row.waitFor();
        assert.equal(await row.getByRole('link').textContent(), SOON);
        assert.match((await row.textContent()) ?? '', /サポート終了/);
        assert.match((await row.textContent()) ?? '', new RegExp(japanDay(60).replaceAll('-', '/')));
        assert.equal((await row.locator('[data-days-left]').textContent())?.trim(), 'あと 60 日');
        assert.equal(await card.locator(`li[data-lifecycle-ci="${laterId}"]`).count(), 0, 'the one 400 days away is not told');
        assert.equal(await card.getByText(LATER).count(), 0);
        await screenshot(page, 'cis-dashboard-lifecycle');

        await row.getByRole('link', { name: SOON }).click();
        await page.waitForURL(new RegExp(`/cis/${soonId}$`));
        await page.getByRole('heading', { name: SOON, level: 1 }).waitFor();
    });

    test('the list shows both; an admin adds a server through the form', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '構成管理', exact: true }).click();
        await page.getByRole('heading', { name: '構成管理', level: 1 }).waitFor();
        const soonRow = page.locator(`tr[data-ci="${soonId}"]`);
        await soonRow.waitFor();
        const cells = await soonRow.locator('td').allTextContents();
        assert.deepEqual(cells, [SOON, 'アプリケーション', '3.1', '本番', '', japanDay(60).replaceAll('-', '/')]);
        await page.locator(`tr[data-ci="${laterId}"]`).getByRole('cell', { name: 'ミドルウェア', exact: true }).waitFor();

        const form = page.getByRole('region', { name: '構成アイテムの追加' });
        await form.getByLabel('名前', { exact: true }).fill(SERVER);
        await form.getByLabel('種別').selectOption({ label: 'ハードウェア' });
        await form.getByLabel('環境').selectOption({ label: '本番' });
        await form.getByLabel('サポート終了日').fill(japanDay(1000));
        await form.getByRole('button', { name: '追加' }).click();
        await form.getByText(`構成アイテム「${SERVER}」を追加しました。`).waitFor();
        await page.getByRole('link', { name: SERVER }).waitFor();
        const made = (await app.admin.client.listCis()).items.find((c) => c.name === SERVER);
        assert.ok(made, 'the server is stored');
        assert.equal(made.type, 'hardware');
        assert.equal(made.end_of_support, japanDay(1000));
    });

    test("the application's page relates it to the server as 稼働先; the server's impact lists it", async () => {
        const { page } = suite;
        await page.getByRole('link', { name: SOON }).click();
        await page.getByRole('heading', { name: SOON, level: 1 }).waitFor();
        const relations = page.getByRole('region', { name: '関係', exact: true });
        await relations.getByLabel('関係', { exact: true }).selectOption({ label: '稼働先' });
        await relations.getByLabel('相手の構成').selectOption({ label: SERVER });
        await relations.getByRole('button', { name: '関係を追加' }).click();
        await relations.getByText(`関係「稼働先: ${SERVER}」を追加しました。`).waitFor();
        const server = (await app.admin.client.listCis()).items.find((c) => c.name === SERVER);
        assert.ok(server);
        await relations.locator(`tr[data-relation="runs_on:${server.id}"]`).getByText('この構成の稼働先').waitFor();
        assert.deepEqual((await app.admin.client.listCiRelations(soonId)).items, [
            { from_id: soonId, to_id: server.id, kind: 'runs_on' },
        ]);
        await screenshot(page, 'cis-detail-relation');

        // The server's page: a failure of it affects the application running on it.
        await relations.getByRole('link', { name: SERVER }).click();
        await page.getByRole('heading', { name: SERVER, level: 1 }).waitFor();
        const impact = page.getByRole('region', { name: '影響を受ける構成' });
        const row = impact.locator(`tr[data-impact="${soonId}"]`);
        await row.waitFor();
        assert.deepEqual(await row.locator('td').allTextContents(), [SOON, '稼働先', '1']);
        await page.getByRole('region', { name: '関係', exact: true }).getByText('この構成を稼働先とする').waitFor();
        await screenshot(page, 'cis-impact');
    });
});
