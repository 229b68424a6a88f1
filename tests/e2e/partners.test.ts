// Records about a configuration item and the integration partners (docs/api.md on `ci_id`,
// docs/partners.md; CFG-3, INC-11). An application runs on a database server; the partner 税務システム
// (税務課) exchanges data with the application and has two contacts with addresses. An admin raises
// an incident about the database server, choosing it in the form's 構成アイテム select: saved as a
// number, the item linked under the select, and the timeline says in words which partner was told,
// through which item, and how many addresses were mailed. A viewer reads the item's name as a link
// to its page.
//
// The list (/partners): an admin registers a partner through the form in the unified format with
// two contacts; a bad address is refused at the contact's own field and nothing is saved; once
// right, the list shows the partner's row, its contacts still there after a reload. The application's
// page lists the partners connected to it. A manager edits the partner (a contact removed, one
// added, the resend changed), kept after a reload; an edit against a version changed meanwhile is
// refused with the server's message and the latest loaded; the partner is deleted after a
// confirmation. A requester has no menu entry and is refused the page.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { Partner } from '../../web/src/api/client.ts';
import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

const APP = '住民記録システム E2E';
const DB = 'DBサーバ E2E';
const PARTNER = '税務システム E2E';
const NEW = '国保連合会伝送 E2E';

describe('console: records about a configuration item, integration partners', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/incidents', '障害');
    let appId = 0;
    let dbId = 0;
    let incidentId = 0;

    before(async () => {
        const client = app.admin.client;
        // A mail channel (nothing listens there): the partners' addresses are counted once queued on it.
        await client.createChannel({ name: '運用メール', type: 'smtp', host: '127.0.0.1', port: 9, from: 'unyo@example.lg.jp', to: ['ops@example.lg.jp'] });
        appId = (await client.createCi({ name: APP, type: 'application', version: '5.2' })).data.id;
        dbId = (await client.createCi({ name: DB, type: 'hardware' })).data.id;
        await client.addCiRelation(appId, dbId, 'runs_on');
        await client.createPartner({
            name: PARTNER,
            department: '税務課',
            ci_id: appId,
            direction: 'send',
            contacts: [
                { name: '税務 一郎', email: 'ichiro@example.jp' },
                { name: '税務 二郎', email: 'jiro@example.jp', phone: '03-0000-0000' },
            ],
        });
    });

    test('an incident raised about the database server names it, links it, and the timeline tells which partner was informed', async () => {
        const { page } = suite;
        await page.getByRole('link', { name: '障害を起票' }).click();
        await page.getByRole('heading', { name: '障害の起票', level: 1 }).waitFor();
        await page.getByLabel('件名').fill('DB サーバの停止');
        await page.getByLabel('検知経路').selectOption({ label: '監視' });
        const ci = page.getByLabel('構成アイテム', { exact: true });
        await ci.locator(`option[value="${dbId}"]`).waitFor({ state: 'attached' });
        assert.equal(await ci.inputValue(), '', 'optional: nothing chosen at first');
        await ci.selectOption({ label: DB });
        await page.locator('[data-ci-field]').getByRole('link', { name: DB }).waitFor();
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(/INC-\d{6} を起票しました。/).waitFor();
        incidentId = Number(new URL(page.url()).pathname.split('/').pop());

        const stored = (await app.admin.client.getRecord('incidents', incidentId)).data;
        assert.equal(stored['ci_id'], dbId, 'sent as a number');

        const fields = page.getByRole('region', { name: '記録内容' });
        assert.equal(await fields.getByLabel('構成アイテム', { exact: true }).locator('option:checked').textContent(), DB);
        const entry = page.getByRole('region', { name: '経過' }).locator('li.tl-partners');
        await entry.waitFor();
        assert.equal(
            await entry.locator('.tl-text').textContent(),
            `連携先に影響を通知: ${PARTNER} (税務課) — ${APP}経由、2 件に送信`,
        );
        await screenshot(page, 'b1-incident-partners');

        // The link under the select opens the item's page.
        await fields.locator('[data-ci-field]').getByRole('link', { name: DB }).click();
        await page.getByRole('heading', { name: DB, level: 1 }).waitFor();
        assert.equal(new URL(page.url()).pathname, `/cis/${dbId}`);
    });

    test("a viewer reads the item's name as a link to its page", async () => {
        await asNewUser(app, 'viewer', '閲覧 花子', `/incidents/${incidentId}`, async (page) => {
            const fields = page.getByRole('region', { name: '記録内容' });
            const link = fields.locator('[data-ci-field]').getByRole('link', { name: DB });
            await link.waitFor();
            assert.equal(await fields.getByRole('combobox', { name: '構成アイテム' }).count(), 0, 'no select to change it');
            await link.click();
            await page.getByRole('heading', { name: DB, level: 1 }).waitFor();
        });
    });

    const findNew = async (): Promise<Partner> => {
        const made = (await app.admin.client.listPartners()).items.find((p) => p.name === NEW);
        assert.ok(made, `${NEW} is stored`);
        return made;
    };

    test('an admin registers a partner in the unified format; a bad address is refused at its contact; the contacts stay after a reload', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '連携先一覧', exact: true }).click();
        await page.getByRole('heading', { name: '連携先一覧', level: 1 }).waitFor();
        const headers = await page.getByRole('region', { name: '連携先の一覧' }).locator('th').allTextContents();
        assert.deepEqual(headers, [
            '連携先',
            '所管課',
            'ベンダー',
            '連携する構成アイテム',
            '方向',
            'タイミング',
            'サイクル',
            'プロトコル',
            '経路',
            '当日再送要否',
            '連絡先',
        ]);

        const form = page.getByRole('region', { name: '連携先の登録' });
        await form.getByLabel('連携先', { exact: true }).fill(NEW);
        await form.getByLabel('所管課').fill('保険年金課');
        await form.getByLabel('ベンダー').fill('B 社');
        const ci = form.getByLabel('連携する構成アイテム');
        await ci.locator(`option[value="${appId}"]`).waitFor({ state: 'attached' });
        await ci.selectOption({ label: `${APP} (5.2)` });
        await form.getByLabel('方向').selectOption({ label: '受信 (連携先から当方へ)' });
        await form.getByLabel('タイミング').fill('月次 5 日 9:00');
        await form.getByLabel('サイクル').fill('月次');
        await form.getByLabel('プロトコル').fill('HTTPS');
        await form.getByLabel('経路').selectOption({ label: 'データ連携基盤経由' });
        await form.getByLabel('当日再送要否').selectOption({ label: '要' });
        await form.getByLabel('再送の方法').fill('連携基盤から手動で再送');
        await form.getByRole('button', { name: '連絡先を追加' }).click();
        await form.getByLabel('連絡先 1 の氏名').fill('保険 太郎');
        await form.getByLabel('連絡先 1 の役割').fill('主担当');
        await form.getByLabel('連絡先 1 のメールアドレス').fill('taro@example.jp');
        await form.getByRole('button', { name: '連絡先を追加' }).click();
        await form.getByLabel('連絡先 2 の氏名').fill('保険 花子');
        await form.getByLabel('連絡先 2 のメールアドレス').fill('hanako at example.jp');
        await form.getByLabel('連絡先 2 の電話番号').fill('03-1111-2222');

        // The server names contacts[1].email: the message is at that field, nothing is saved.
        await form.getByRole('button', { name: '登録', exact: true }).click();
        const bad = form.getByLabel('連絡先 2 のメールアドレス');
        await form.locator('.field-error').getByText('メールアドレスを 1 つ入力してください').waitFor();
        assert.equal(await bad.getAttribute('aria-invalid'), 'true');
        assert.equal(await form.getByLabel('連絡先 1 のメールアドレス').getAttribute('aria-invalid'), null);
        assert.ok(!(await app.admin.client.listPartners()).items.some((p) => p.name === NEW), 'nothing saved');
        await screenshot(page, 'b2-partner-contact-error');

        await bad.fill('hanako@example.jp');
        await form.getByRole('button', { name: '登録', exact: true }).click();
        await form.getByText(`連携先「${NEW}」を登録しました。`).waitFor();
        const made = await findNew();
        assert.equal(made.ci_id, appId);
        assert.deepEqual(
            [made.direction, made.route, made.resend, made.inform],
            ['receive', 'data_platform', 'required', true],
        );

        await page.reload();
        const row = page.locator(`tr[data-partner="${made.id}"]`);
        await row.waitFor();
        await row.getByRole('link', { name: APP }).waitFor();
        assert.deepEqual(await row.locator('td').allTextContents(), [
            NEW,
            '保険年金課',
            'B 社',
            APP,
            '受信 (連携先から当方へ)',
            '月次 5 日 9:00',
            '月次',
            'HTTPS',
            'データ連携基盤経由',
            '要連携基盤から手動で再送',
            '保険 太郎 (主担当) taro@example.jp保険 花子 hanako@example.jp 03-1111-2222',
        ]);
        assert.deepEqual(await row.locator('[data-contact]').allTextContents(), [
            '保険 太郎 (主担当) taro@example.jp',
            '保険 花子 hanako@example.jp 03-1111-2222',
        ]);
        await screenshot(page, 'b3-partners');
    });

    test("the application's page lists the partners connected to it", async () => {
        const { page } = suite;
        await page.goto(`${app.url}/cis/${appId}`);
        await page.getByRole('heading', { name: APP, level: 1 }).waitFor();
        const section = page.getByRole('region', { name: '連携先', exact: true });
        const made = await findNew();
        await section.locator(`tr[data-partner="${made.id}"]`).waitFor();
        const names = await section.locator('tr[data-partner] td:first-child').allTextContents();
        assert.deepEqual(names, [NEW, PARTNER], 'both partners of the application, by name');
        // The database server has none of its own.
        await page.goto(`${app.url}/cis/${dbId}`);
        await page.getByRole('heading', { name: DB, level: 1 }).waitFor();
        await page.getByRole('region', { name: '連携先', exact: true }).getByText('該当するデータはありません。').waitFor();
    });

    test("a manager edits the partner's contacts and resend; kept after a reload", async () => {
        const made = await findNew();
        await asNewUser(app, 'manager', '連携 管理者', `/partners/${made.id}`, async (page) => {
            await page.getByRole('heading', { name: NEW, level: 1 }).waitFor();
            await page.getByRole('button', { name: '編集', exact: true }).click();
            const form = page.getByRole('form', { name: '連携先の編集' });
            assert.equal(await form.getByLabel('連絡先 2 の氏名').inputValue(), '保険 花子', 'prefilled');
            await form.getByRole('button', { name: '連絡先「保険 太郎」を削除' }).click();
            assert.equal(await form.getByLabel('連絡先 1 の氏名').inputValue(), '保険 花子');
            await form.getByRole('button', { name: '連絡先を追加' }).click();
            await form.getByLabel('連絡先 2 の氏名').fill('国保 次郎');
            await form.getByLabel('連絡先 2 の役割').fill('副担当');
            await form.getByLabel('連絡先 2 のメールアドレス').fill('jiro@example.jp');
            await form.getByLabel('当日再送要否').selectOption({ label: '要相談' });
            await form.getByRole('button', { name: '保存' }).click();
            await page.getByText(`連携先「${NEW}」を保存しました。`).waitFor();

            const stored = (await app.admin.client.getPartner(made.id)).data;
            assert.equal(stored.resend, 'ask');
            assert.deepEqual(
                stored.contacts.map((c) => [c.name, c.role, c.email, c.phone]),
                [
                    ['保険 花子', '', 'hanako@example.jp', '03-1111-2222'],
                    ['国保 次郎', '副担当', 'jiro@example.jp', ''],
                ],
            );
            await page.reload();
            await page.getByRole('heading', { name: NEW, level: 1 }).waitFor();
            assert.deepEqual(await page.locator('[data-partner-contacts] [data-contact]').allTextContents(), [
                '保険 花子 hanako@example.jp 03-1111-2222',
                '国保 次郎 (副担当) jiro@example.jp',
            ]);
            await page.locator('[data-partner-props]').getByText('要相談').waitFor();
            await screenshot(page, 'b4-partner-detail');
        });
    });

    test("an edit against a version changed meanwhile is refused with the server's message; the latest is loaded", async () => {
        const { page } = suite;
        const made = await findNew();
        await page.goto(`${app.url}/partners/${made.id}`);
        await page.getByRole('heading', { name: NEW, level: 1 }).waitFor();
        await page.getByRole('button', { name: '編集', exact: true }).click();
        const form = page.getByRole('form', { name: '連携先の編集' });
        await form.getByLabel('タイミング').fill('月次 6 日');

        const read = await app.admin.client.getPartner(made.id);
        await app.admin.client.updatePartner(made.id, { timing: '月次 10 日' }, read.etag!);

        await form.getByRole('button', { name: '保存' }).click();
        await form.getByText('他の方が先に更新したため保存できませんでした。').waitFor();
        await form.getByText(`連携先「${NEW}」は他の方が変更しました (現在は版 ${read.data.version + 1})`).waitFor();
        await form.getByText('最新の内容を読み込みました。', { exact: false }).waitFor();
        assert.equal(await form.getByLabel('タイミング').inputValue(), '月次 10 日');
        assert.equal((await app.admin.client.getPartner(made.id)).data.timing, '月次 10 日', 'nothing of ours was saved');
    });

    test('the partner is deleted after a confirmation; a requester has no menu entry and is refused the page', async () => {
        const { page } = suite;
        const made = await findNew();
        await page.goto(`${app.url}/partners/${made.id}`);
        await page.getByRole('heading', { name: NEW, level: 1 }).waitFor();
        await page.getByRole('button', { name: '削除', exact: true }).click();
        await page.getByRole('button', { name: '削除する' }).click();
        await page.getByRole('heading', { name: '連携先一覧', level: 1 }).waitFor();
        await page.getByText(`連携先「${NEW}」を削除しました。`).waitFor();
        assert.equal(await page.locator(`tr[data-partner="${made.id}"]`).count(), 0);
        assert.ok(!(await app.admin.client.listPartners()).items.some((p) => p.id === made.id));

        await asNewUser(app, 'requester', '依頼 太郎', '/partners', async (requester) => {
            await requester.getByRole('heading', { name: 'アクセスできません', level: 1 }).waitFor();
            const nav = requester.getByRole('navigation', { name: 'メインメニュー' });
            await nav.getByRole('link', { name: '構成管理', exact: true }).waitFor();
            assert.equal(await nav.getByRole('link', { name: '連携先一覧' }).count(), 0);
        });
    });
});
