// Records about a configuration item and the integration partners (docs/api.md on `ci_id`,
// docs/partners.md; CFG-3, INC-11). An application runs on a database server; the partner 税務システム
// (税務課) exchanges data with the application and has two contacts with addresses. An admin raises
// an incident about the database server, choosing it in the form's 構成アイテム select: saved as a
// number, the item linked under the select, and the timeline says in words which partner was told,
// through which item, and how many addresses were mailed. A viewer reads the item's name as a link
// to its page.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

const APP = '住民記録システム E2E';
const DB = 'DBサーバ E2E';
const PARTNER = '税務システム E2E';

describe('console: records about a configuration item, integration partners', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/incidents', '障害');
    let appId = 0;
    let dbId = 0;
    let incidentId = 0;

    before(async () => {
        const client = app.admin.client;
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
});
