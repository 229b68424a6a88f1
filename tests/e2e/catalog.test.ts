// The service catalogue in the console (docs/catalog.md): a service made through the API with a
// required field 設置場所 is offered to a requester at /catalog; sent without it, the field says so;
// filled in, the request is received (REQ-…, with a link to it) and the API lists it. A manager
// edits the service in its form, prefilled, routing it by a work item picked from an imported role
// division matrix (kept after a reload); an edit against a version changed meanwhile shows the
// server's message and loads the latest. Withdrawn, the service is marked 受付停止 for the admin and
// gone from a requester's portal; offered again, it is back.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { strongPassword, unique } from '../api/helpers.ts';
import { asNewUser, screenshot, useConsole } from './console.ts';

/** Today + `days` in Japan time, as YYYY-MM-DD. */
function japanDay(days: number): string {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        new Date(),
    );
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
}

describe('service catalogue', () => {
    const app = useConsole();

    test('a requester requests a service: the missing required field is named, then the request is received', async () => {
        const service = await app.admin.client.createCatalogService({
            name: 'プリンタ設置',
            description: '複合機を新しく設置します。',
            request_type: 'printer',
            requester_roles: ['requester'],
            lead_time_days: 5,
            form: [
                { name: 'place', label: '設置場所', type: 'text', required: true },
                { name: 'color', label: '色', type: 'enum', options: ['モノクロ', 'カラー'] },
                { name: 'when', label: '希望日', type: 'date' },
                { name: 'note', label: '備考', type: 'long_text' },
            ],
        });
        assert.equal(service.name, 'プリンタ設置');

        await asNewUser(app, 'requester', '依頼 太郎', '/catalog', async (page) => {
            await page.getByRole('heading', { name: 'サービスカタログ', level: 1 }).waitFor();
            const form = page.getByRole('form', { name: '「プリンタ設置」の依頼フォーム' });
            await form.waitFor();
            await page.getByText('複合機を新しく設置します。').waitFor();
            assert.equal(await form.getByLabel('希望日').getAttribute('type'), 'date');
            assert.equal(await form.locator('textarea').count(), 1);
            assert.deepEqual(await form.getByLabel('色').locator('option').allTextContents(), ['(選択してください)', 'モノクロ', 'カラー']);
            // No service-adding panel for a requester.
            assert.equal(await page.getByRole('region', { name: 'サービスの追加' }).count(), 0);

            await form.getByLabel('件名').fill('3階に設置');
            await form.getByRole('button', { name: '依頼する' }).click();
            const place = form.getByLabel('設置場所');
            await form.locator('.field-error').getByText('入力してください').waitFor();
            assert.equal(await place.getAttribute('aria-invalid'), 'true');
            assert.equal((await app.admin.client.listRecords('requests')).items.length, 0, 'nothing made');

            await place.fill('本館3階 東側');
            await form.getByLabel('色').selectOption('カラー');
            await form.getByRole('button', { name: '依頼する' }).click();
            const accepted = page.getByText(/^依頼 REQ-\S+ を受け付けました$/);
            await accepted.waitFor();
            const key = /REQ-\S+/.exec((await accepted.textContent()) ?? '')?.[0];
            assert.ok(key);
            const link = page.getByRole('link', { name: `${key} を開く` });
            const href = await link.getAttribute('href');
            const requests = (await app.admin.client.listRecords('requests')).items;
            assert.equal(requests.length, 1);
            const made = requests[0]!;
            assert.equal(made.key, key);
            assert.equal(href, `/requests/${made.id}`);
            assert.match(made.title, /プリンタ設置/);
            assert.match(made.description, /本館3階 東側/);
            assert.equal(made['request_type'], 'printer');
            await screenshot(page, 'b1-catalog-request');
        });
    });

    test('an admin adds a service from the console', async () => {
        await asNewUser(app, 'admin', '管理 花子', '/catalog', async (page) => {
            const panel = page.getByRole('region', { name: 'サービスの追加' });
            await panel.getByLabel('サービス名').fill('アカウント発行');
            await panel.getByLabel('依頼種別').selectOption({ label: 'アカウント' });
            await panel.getByLabel('フォームの項目 (JSON)').fill('[{"name": "user", "label": "利用者名", "type": "text", "required": true}]');
            await panel.getByRole('button', { name: 'サービスを追加' }).click();
            await page.getByText('サービス「アカウント発行」を追加しました。').waitFor();
            await page.getByRole('form', { name: '「アカウント発行」の依頼フォーム' }).getByLabel('利用者名').waitFor();
            const made = (await app.admin.client.listCatalog()).items.find((s) => s.name === 'アカウント発行');
            assert.ok(made);
            assert.equal(made.request_type, 'account');
            assert.deepEqual(made.requester_roles, ['requester']);
        });
    });

    test('a manager edits a service in its prefilled form and routes it by a work item picked from the matrix', async () => {
        const table = readFileSync(path.resolve(import.meta.dirname, '../fixtures/seeds/raci_001.txt'), 'utf8');
        const { matrix } = await app.admin.client.importRaci(table, { name: '国保 E2E', createOrganizations: true });
        const printer = matrix.items.find((i) => i.seq === 8);
        assert.ok(printer);
        const main = matrix.columns[3];
        assert.equal(main?.name, '既存ベンダ');
        const service = (await app.admin.client.listCatalog()).items.find((s) => s.name === 'プリンタ設置');
        assert.ok(service);

        await asNewUser(app, 'manager', '管理 五郎', '/catalog', async (page) => {
            const card = page.locator(`[data-catalog-service="${service.id}"]`);
            await card.getByRole('button', { name: '編集' }).click();
            const form = page.getByRole('form', { name: 'サービス「プリンタ設置」の編集' });
            // The same form as adding one, prefilled with the service.
            assert.equal(await form.getByLabel('サービス名').inputValue(), 'プリンタ設置');
            assert.equal(await form.getByLabel('依頼種別').inputValue(), 'printer');
            assert.equal(await form.getByLabel('説明').inputValue(), '複合機を新しく設置します。');
            assert.equal(await form.getByLabel('依頼者', { exact: true }).isChecked(), true);
            assert.equal(await form.getByLabel('運用担当', { exact: true }).isChecked(), false);
            assert.equal(await form.getByLabel('目標リードタイム (日)').inputValue(), '5');
            assert.match(await form.getByLabel('フォームの項目 (JSON)').inputValue(), /"label": "設置場所"/);

            await form.getByLabel('説明').fill('複合機の設置・移設を行います。');
            await form.getByLabel('目標リードタイム (日)').fill('3');
            await form.getByText('役割分担表「国保 E2E」の作業項目から選びます。').waitFor();
            await form.getByLabel('作業項目 (役割分担)').selectOption({ label: `8 ${printer.title}` });
            const route = form.locator('[data-work-item-route]');
            assert.equal((await route.locator('[data-route-main]').textContent())?.trim(), '既存ベンダ');
            await route.getByText('このサービスの依頼は主担当の「既存ベンダ」に割り当てられ、協力の組織にも連絡されます。').waitFor();
            await screenshot(page, 'catalog-edit-work-item');
            await form.getByRole('button', { name: '保存' }).click();
            await card.getByText('サービス「プリンタ設置」を保存しました。').waitFor();

            const stored = (await app.admin.client.getCatalogService(service.id)).data;
            assert.equal(stored.work_item_id, printer.id);
            assert.equal(stored.lead_time_days, 3);
            assert.equal(stored.description, '複合機の設置・移設を行います。');
            assert.equal(stored.name, 'プリンタ設置');
            assert.deepEqual(stored.form, service.form, 'the request form is not touched');
            assert.deepEqual(stored.requester_roles, ['requester']);

            // After a reload the card and the form show the change.
            await page.reload();
            await card.getByText('依頼種別: プリンタ / 目標リードタイム: 3 日').waitFor();
            await card.getByText('複合機の設置・移設を行います。').waitFor();
            await card.getByRole('button', { name: '編集' }).click();
            assert.equal(await form.getByLabel('作業項目 (役割分担)').inputValue(), String(printer.id));
            assert.equal(await form.getByLabel('目標リードタイム (日)').inputValue(), '3');

            // Someone else changes it meanwhile: the save is refused with the server's message and
            // the latest version is loaded into the form.
            const read = await app.admin.client.getCatalogService(service.id);
            await app.admin.client.updateCatalogService(service.id, { lead_time_days: 7 }, read.etag!);
            await form.getByLabel('説明').fill('上書きされない説明');
            await form.getByRole('button', { name: '保存' }).click();
            await form.getByText('他の方が先に更新したため保存できませんでした。').waitFor();
            await form.getByText(`サービス「プリンタ設置」は他の方が変更しました (現在は版 ${read.data.version + 1})`).waitFor();
            await form.getByText('最新の内容を読み込みました。').waitFor();
            assert.equal(await form.getByLabel('目標リードタイム (日)').inputValue(), '7');
            assert.equal(await form.getByLabel('説明').inputValue(), '複合機の設置・移設を行います。');
            const after = (await app.admin.client.getCatalogService(service.id)).data;
            assert.equal(after.description, '複合機の設置・移設を行います。', 'nothing of ours was saved');
            await card.getByText('依頼種別: プリンタ / 目標リードタイム: 7 日').waitFor();
            await screenshot(page, 'catalog-edit-conflict');
            await form.getByRole('button', { name: 'キャンセル' }).click();
            assert.equal(await form.count(), 0);
        });
    });

    test('withdrawn, a service is marked 受付停止 for the admin and gone from a requester\'s portal; offered again it is back', async () => {
        const service = (await app.admin.client.listCatalog()).items.find((s) => s.name === 'プリンタ設置');
        assert.ok(service);
        await asNewUser(app, 'admin', '管理 六郎', '/catalog', async (admin) => {
            const card = admin.locator(`[data-catalog-service="${service.id}"]`);
            await card.getByRole('button', { name: '受付を停止' }).click();
            await card.getByText('サービス「プリンタ設置」の受付を停止しました。').waitFor();
            await card.locator('[data-catalog-withdrawn]').getByText('受付停止', { exact: true }).waitFor();
            assert.equal(await admin.getByRole('form', { name: '「プリンタ設置」の依頼フォーム' }).count(), 0, 'not requested while withdrawn');
            assert.equal((await app.admin.client.getCatalogService(service.id)).data.enabled, false);
            await screenshot(admin, 'catalog-withdrawn');

            await asNewUser(app, 'requester', '依頼 次郎', '/catalog', async (requester) => {
                await requester.getByRole('form', { name: '「アカウント発行」の依頼フォーム' }).waitFor();
                assert.equal(await requester.getByRole('region', { name: 'プリンタ設置' }).count(), 0, 'gone from the portal');
                assert.equal(await requester.getByText('プリンタ設置').count(), 0);

                await card.getByRole('button', { name: '受付を再開' }).click();
                await card.getByText('サービス「プリンタ設置」の受付を再開しました。').waitFor();
                await card.locator('[data-catalog-withdrawn]').waitFor({ state: 'detached' });
                await admin.getByRole('form', { name: '「プリンタ設置」の依頼フォーム' }).waitFor();
                assert.equal((await app.admin.client.getCatalogService(service.id)).data.enabled, true);

                await requester.reload();
                await requester.getByRole('form', { name: '「プリンタ設置」の依頼フォーム' }).waitFor();
            });
        });
    });

    test('knowledge: an operator writes a workaround (承認待ち), an admin approves it (公開), a search finds it', async () => {
        const word = `回避語${Date.now().toString(36)}`;
        const title = `印刷が止まるときの回避策 ${word}`;
        await asNewUser(app, 'operator', '運用 次郎', '/knowledge', async (page) => {
            await page.getByRole('heading', { name: 'ナレッジ', level: 1 }).waitFor();
            const panel = page.getByRole('region', { name: 'ナレッジを書く' });
            await panel.getByLabel('種類').selectOption({ label: '回避策' });
            await panel.getByLabel('タイトル').fill(title);
            await panel.getByLabel('本文').fill('スプーラを再起動してから再送します。');
            await panel.getByRole('button', { name: '登録する' }).click();
            await page.getByRole('heading', { name: title, level: 1 }).waitFor();
            await page.locator('[data-knowledge-status]').getByText('承認待ち').waitFor();
            // An operator does not decide.
            assert.equal(await page.getByRole('button', { name: '承認' }).count(), 0);
        });
        const entry = (await app.admin.client.listKnowledge({ q: word })).items[0];
        assert.ok(entry);
        assert.equal(entry.status, 'pending_approval');
        assert.equal(entry.kind, 'workaround');

        await asNewUser(app, 'admin', '管理 三郎', '/knowledge', async (page) => {
            await page.getByRole('heading', { name: 'ナレッジ', level: 1 }).waitFor();
            const row = page.locator(`tr[data-knowledge="${entry.id}"]`);
            await row.getByText('承認待ち').waitFor();
            await row.getByRole('link', { name: title }).click();
            await page.getByRole('heading', { name: title, level: 1 }).waitFor();
            await page.getByRole('button', { name: '承認', exact: true }).click();
            await page.getByText('承認しました。公開されました。').waitFor();
            await page.locator('[data-knowledge-status]').getByText('公開').waitFor();
            assert.equal((await app.admin.client.getKnowledge(entry.id)).status, 'published');

            await page.getByRole('link', { name: 'ナレッジ一覧へ' }).click();
            const search = page.getByRole('search', { name: 'ナレッジの検索' });
            await search.getByLabel('キーワード').fill(word);
            await search.getByRole('button', { name: '検索' }).click();
            await page.waitForFunction(() => document.querySelectorAll('tr[data-knowledge]').length === 1);
            const found = page.locator(`tr[data-knowledge="${entry.id}"]`);
            await found.getByText('公開').waitFor();
            assert.equal(await found.locator('td').nth(1).textContent(), '回避策');
            await screenshot(page, 'b2-knowledge-search');
        });
    });

    test("knowledge: the writer names the owner and the review date; the entry shows the owner's name and that date", async () => {
        const org = (await app.admin.client.listOrganizations()).items[0];
        assert.ok(org);
        const ownerLogin = unique('kb-owner');
        const owner = (
            await app.admin.client.createUser({
                login: ownerLogin,
                display_name: '見直し 担当',
                organization_id: org.id,
                roles: ['operator'],
                password: strongPassword(),
            })
        ).data;
        const title = `プリンタの紙詰まり ${Date.now().toString(36)}`;
        const reviewOn = japanDay(180);
        await asNewUser(app, 'operator', '運用 七郎', '/knowledge', async (page) => {
            const panel = page.getByRole('region', { name: 'ナレッジを書く' });
            await panel.getByLabel('種類').selectOption({ label: 'FAQ' });
            await panel.getByLabel('タイトル').fill(title);
            await panel.getByLabel('本文').fill('トレイを引き出して紙を取り除きます。');
            const ownerField = panel.getByLabel('担当者');
            await ownerField.locator(`option[value="${owner.id}"]`).waitFor({ state: 'attached' });
            await ownerField.selectOption({ label: `見直し 担当 (${ownerLogin})` });
            await panel.getByLabel('見直し日').fill(reviewOn);
            await panel.getByRole('button', { name: '登録する' }).click();

            await page.getByRole('heading', { name: title, level: 1 }).waitFor();
            const facts = page.locator('dl[data-knowledge-entry]');
            await facts.locator('[data-knowledge-owner]').getByText(`見直し 担当 (${ownerLogin})`).waitFor();
            assert.equal(await facts.locator('[data-knowledge-review-on]').textContent(), reviewOn);
            const id = Number(/\/knowledge\/(\d+)$/.exec(page.url())?.[1]);
            const stored = await app.admin.client.getKnowledge(id);
            assert.equal(stored.owner_id, owner.id);
            assert.equal(stored.review_on, reviewOn);
            await page.reload();
            await facts.locator('[data-knowledge-owner]').getByText(`見直し 担当 (${ownerLogin})`).waitFor();
            await screenshot(page, 'b2-knowledge-owner');

            // Written without them: no owner, reviewed a year from today (the server's default).
            await page.getByRole('link', { name: 'ナレッジ一覧へ' }).click();
            await panel.getByLabel('タイトル').fill(`${title} 2`);
            await panel.getByLabel('本文').fill('電源を入れ直します。');
            await panel.getByRole('button', { name: '登録する' }).click();
            await page.getByRole('heading', { name: `${title} 2`, level: 1 }).waitFor();
            await facts.locator('[data-knowledge-owner]').getByText('未設定').waitFor();
            assert.equal(await facts.locator('[data-knowledge-review-on]').textContent(), japanDay(365));
        });
    });

    test('documents: an admin registers a document and records a version; the register shows 1 版 and its label', async () => {
        await asNewUser(app, 'admin', '管理 四郎', '/documents', async (page) => {
            await page.getByRole('heading', { name: '文書管理簿', level: 1 }).waitFor();
            const panel = page.getByRole('region', { name: '文書の登録' });
            await panel.getByLabel('文書名').fill('運用手順書');
            await panel.getByLabel('種類').fill('手順書');
            await panel.getByRole('button', { name: '登録する' }).click();
            await page.getByText('文書「運用手順書」を登録しました。').waitFor();
            const doc = (await app.admin.client.listDocuments()).items.find((d) => d.name === '運用手順書');
            assert.ok(doc);
            const row = page.locator(`tr[data-document="${doc.id}"]`);
            await row.getByText('0 版').waitFor();
            await row.getByRole('link', { name: '運用手順書' }).click();
            await page.getByRole('heading', { name: '運用手順書', level: 1 }).waitFor();
            const form = page.getByRole('region', { name: '新しい版' });
            await form.getByLabel('版', { exact: true }).fill('第1.0版');
            await form.getByLabel('備考').fill('初版');
            await form.getByRole('button', { name: '新しい版を登録' }).click();
            await page.getByText('版「第1.0版」を登録しました。').waitFor();
            assert.equal(await page.locator('[data-document-versions]').textContent(), '1 版');
            await page.locator('tr[data-document-version]').getByText('第1.0版').waitFor();
            const now = await app.admin.client.getDocument(doc.id);
            assert.equal(now.versions, 1);
            assert.equal(now.version_list?.[0]?.label, '第1.0版');

            await page.getByRole('link', { name: '文書管理簿へ' }).click();
            await page.locator(`tr[data-document="${doc.id}"]`).getByText('1 版').waitFor();
            await screenshot(page, 'b3-documents');
        });
    });
});
