// Configuration items in the console (docs/cis.md, issue 7: CFG-1): two items made through the API,
// one whose support ends in 60 days (Japan time) and one in 400 days; the dashboard's
// 「サポート期限の近い構成」 names the first with 「あと 60 日」 and not the second; /cis lists them; an
// admin adds one through the form; the first item's page relates the new one to it as 稼働先
// (runs_on) and shows the impact of a failure of the server it runs on. A manager edits an item on
// its page (a bad lifecycle date named at its field; every member changed, kept after a reload), an
// edit made against a version changed meanwhile is refused with the server's message and the latest
// version loaded, and the item is deleted after a confirmation, back on the list without it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

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
        await form.getByRole('button', { name: '追加', exact: true }).click();
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

    test('a manager edits every member of an item on its page; the change stays after a reload', async () => {
        const org = (await app.admin.client.createOrganization({ name: '情報政策課 E2E', kind: 'owner' })).data;
        const server = (await app.admin.client.listCis()).items.find((c) => c.name === SERVER);
        assert.ok(server);
        await asNewUser(app, 'manager', '構成 管理者', `/cis/${server.id}`, async (page) => {
            await page.getByRole('heading', { name: SERVER, level: 1 }).waitFor();
            await page.getByRole('button', { name: '編集', exact: true }).click();
            const form = page.getByRole('form', { name: '構成アイテムの編集' });
            // Prefilled with the item as stored.
            assert.equal(await form.getByLabel('名前', { exact: true }).inputValue(), SERVER);
            assert.equal(await form.getByLabel('サポート終了日').inputValue(), japanDay(1000));

            // The server's refusal is shown at the field it names; nothing is saved.
            await form.getByLabel('製品終了日').fill(japanDay(900));
            await form.getByRole('button', { name: '保存' }).click();
            const endOfLife = form.getByLabel('製品終了日');
            await form.locator('.field-error').getByText('サポート終了日より前の日付にはできません').waitFor();
            assert.equal(await endOfLife.getAttribute('aria-invalid'), 'true');
            assert.equal((await app.admin.client.getCi(server.id)).data.end_of_life, null);

            await form.getByLabel('名前', { exact: true }).fill(`${SERVER} 改`);
            await form.getByLabel('種別').selectOption({ label: 'ネットワーク' });
            await form.getByLabel('バージョン').fill('R2');
            await form.getByLabel('環境').selectOption({ label: '検証' });
            await form.getByLabel('組織').selectOption({ label: org.name });
            await form.getByLabel('リリース日').fill('2024-04-01');
            await form.getByLabel('販売終了日').fill(japanDay(500));
            await form.getByLabel('製品終了日').fill(japanDay(1200));
            await form.getByLabel('ライセンス数').fill('25');
            await form.getByLabel('ライセンス期限').fill(japanDay(365));
            await form.getByRole('button', { name: '属性を追加' }).click();
            await form.getByLabel('属性 1 の名前').fill('製造元');
            await form.getByLabel('属性 1 の値').fill('富士通');
            await form.getByLabel('備考').fill('2号機室 ラック3');
            await form.getByRole('button', { name: '保存' }).click();
            await page.getByText(`構成アイテム「${SERVER} 改」を保存しました。`).waitFor();

            const stored = (await app.admin.client.getCi(server.id)).data;
            assert.equal(stored.name, `${SERVER} 改`);
            assert.equal(stored.type, 'network');
            assert.equal(stored.version, 'R2');
            assert.equal(stored.environment, 'staging');
            assert.equal(stored.organization_id, org.id);
            assert.deepEqual(stored.attributes, { 製造元: '富士通' });
            assert.equal(stored.released_on, '2024-04-01');
            assert.equal(stored.end_of_sales, japanDay(500));
            assert.equal(stored.end_of_support, japanDay(1000), 'not touched, kept');
            assert.equal(stored.end_of_life, japanDay(1200));
            assert.equal(stored.licence_count, 25);
            assert.equal(stored.licence_expiry, japanDay(365));
            assert.equal(stored.note, '2号機室 ラック3');

            await page.reload();
            await page.getByRole('heading', { name: `${SERVER} 改`, level: 1 }).waitFor();
            const props = page.locator('[data-ci-props]');
            // The organisation's name comes with the organisations list, loaded beside the item.
            await props.getByText(org.name).waitFor();
            const text = (await props.innerText()).replace(/\s+/g, ' ');
            for (const shown of ['ネットワーク', 'R2', '検証', org.name, '2024/04/01', japanDay(1200).replaceAll('-', '/'), '25', '製造元 富士通', '2号機室 ラック3']) {
                assert.ok(text.includes(shown), `${shown} shown in: ${text}`);
            }
            await screenshot(page, 'cis-edited');
        });
    });

    test('an edit against a version changed meanwhile is refused with the server\'s message; the latest is loaded', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/cis/${soonId}`);
        await page.getByRole('heading', { name: SOON, level: 1 }).waitFor();
        await page.getByRole('button', { name: '編集', exact: true }).click();
        const form = page.getByRole('form', { name: '構成アイテムの編集' });
        await form.getByLabel('バージョン').fill('3.2');

        // Someone else changes the item after the page read it.
        const read = await app.admin.client.getCi(soonId);
        await app.admin.client.updateCi(soonId, { version: '4.0' }, read.etag!);

        await form.getByRole('button', { name: '保存' }).click();
        await form.getByText('他の方が先に更新したため保存できませんでした。').waitFor();
        await form.getByText(`構成アイテム ${soonId} は他の方が変更しました (現在は版 ${read.data.version_no + 1})`).waitFor();
        await form.getByText('最新の内容を読み込みました。').waitFor();
        assert.equal(await form.getByLabel('バージョン').inputValue(), '4.0', 'the latest version is in the form');
        assert.equal((await app.admin.client.getCi(soonId)).data.version, '4.0', 'nothing of ours was saved');
        await screenshot(page, 'cis-edit-conflict');

        // Saved again on the version loaded, it goes through.
        await form.getByLabel('バージョン').fill('4.1');
        await form.getByRole('button', { name: '保存' }).click();
        await page.getByText(`構成アイテム「${SOON}」を保存しました。`).waitFor();
        assert.equal((await app.admin.client.getCi(soonId)).data.version, '4.1');
    });

    test('an item is deleted after a confirmation; the list no longer shows it', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/cis/${laterId}`);
        await page.getByRole('heading', { name: LATER, level: 1 }).waitFor();
        await page.getByRole('button', { name: '削除', exact: true }).click();
        const question = page.getByRole('alert').filter({ hasText: `構成アイテム「${LATER}」を削除しますか?` });
        await question.waitFor();
        // Cancel first: nothing happens.
        await question.getByRole('button', { name: 'キャンセル' }).click();
        assert.ok((await app.admin.client.listCis()).items.some((c) => c.id === laterId));

        await page.getByRole('button', { name: '削除', exact: true }).click();
        await page.getByRole('button', { name: '削除する' }).click();
        await page.getByRole('heading', { name: '構成管理', level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/cis');
        await page.getByText(`構成アイテム「${LATER}」を削除しました。`).waitFor();
        await page.locator(`tr[data-ci="${soonId}"]`).waitFor();
        assert.equal(await page.locator(`tr[data-ci="${laterId}"]`).count(), 0);
        assert.ok(!(await app.admin.client.listCis()).items.some((c) => c.id === laterId), 'deleted in the store');
    });
});
