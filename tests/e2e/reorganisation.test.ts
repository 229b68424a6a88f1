// The April reorganisation (docs/reorganisation.md; ACC-6) in the console, for admins. The admin opens
// 年度替わりの一括変更 from the menu and uploads the personnel sheet as a CSV file: a sheet with a bad
// role is refused with the cell named in words (2 行目 ロール) and nothing staged; a sheet naming a
// login that does not exist shows that line's error in the diff and cannot be staged; the right
// sheet shows the diff (氏名, 所属 and ロール from → to, the organisation to be created, 1 user
// changing) and 登録 stages it for its date, opening the plan (予定, its diff). 今すぐ適用, asked first,
// applies it: 適用済み with each line's outcome, and the user changed. A second plan is cancelled
// (取消). A manager has no menu entry and is refused the page.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { Locator, Page } from 'playwright-core';

import { strongPassword, unique } from '../api/helpers.ts';
import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

const PLAN = '2099年4月1日 人事異動 E2E';
const HEADER = 'ログインID,氏名,所属,ロール,状態\r\n';

/** Each change of a diff's line as [member, from, to], as the page shows them. */
function changesOf(line: Locator): Promise<string[][]> {
    return line
        .locator('li[data-change]')
        .evaluateAll((items) =>
            items.map((li) => ['.change-field', '.change-old', '.change-new'].map((c) => li.querySelector(c)?.textContent ?? '')),
        );
}

async function chooseSheet(page: Page, text: string, name = 'jinji.csv'): Promise<void> {
    await page.getByLabel('人事異動表のファイル').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
}

describe('console: the April reorganisation', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    let login = '';
    let userId = 0;

    before(async () => {
        const client = app.admin.client;
        const org = (await client.listOrganizations()).items[0]!;
        login = unique('tanaka');
        userId = (
            await client.createUser({ login, display_name: '田中', organization_id: org.id, roles: ['viewer'], password: strongPassword() })
        ).data.id;
    });

    test('a bad cell is refused in words; an unknown login is an error of its line; the right sheet shows its diff and is staged', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '年度替わりの一括変更' }).click();
        await page.getByRole('heading', { name: '年度替わりの一括変更', level: 1 }).waitFor();
        const form = page.getByRole('region', { name: '人事異動表の取り込み' });
        await form.getByLabel('名前').fill(PLAN);
        await form.getByLabel('適用日').fill('2099-04-01');

        // A role that does not exist: the cell is named, nothing is staged.
        await chooseSheet(page, `${HEADER}${login},田中 一郎,こども家庭課,魔法使い,\r\n`);
        assert.equal(await form.getByLabel('形式').inputValue(), 'csv');
        await form.getByRole('button', { name: '確認', exact: true }).click();
        await form.locator('[data-sheet-errors]').getByText('2 行目 ロール: 「魔法使い」はロールではありません').waitFor();
        assert.equal((await app.admin.client.listReorganisations()).items.length, 0);

        // A login that does not exist: its line says so, and the sheet cannot be staged.
        await chooseSheet(page, `${HEADER}${login},田中 一郎,,,\r\nnobody-e2e,誰か,,,\r\n`);
        await form.getByRole('button', { name: '確認', exact: true }).click();
        const bad = form.locator('tr[data-line="3"]');
        await bad.locator('[data-line-error]').getByText('利用者 nobody-e2e は登録されていません', { exact: false }).waitFor();
        assert.equal(await form.getByRole('button', { name: '登録', exact: true }).isDisabled(), true);

        // The right sheet.
        await chooseSheet(page, `${HEADER}${login},田中 一郎,こども家庭課,運用担当・承認者,\r\n`);
        await form.getByRole('button', { name: '確認', exact: true }).click();
        const diff = form.locator('[data-reorg-diff]');
        await diff.waitFor();
        assert.equal(await diff.locator('[data-reorg-summary]').textContent(), '1 行のうち 1 人の利用者が変わります。');
        assert.deepEqual(await diff.locator('[data-reorg-new-orgs] li').allTextContents(), ['こども家庭課']);
        const line = diff.locator('tr[data-line="2"]');
        assert.equal(await line.locator('td').nth(1).textContent(), login);
        assert.deepEqual(await changesOf(line), [
            ['氏名', '田中', '田中 一郎'],
            ['所属', '運用管理', 'こども家庭課'],
            ['ロール', '閲覧者', '運用担当・承認者'],
        ]);
        assert.equal((await app.admin.client.listReorganisations()).items.length, 0, 'a check writes nothing');
        await screenshot(page, 'reorganisation-diff');

        await form.getByRole('button', { name: '登録', exact: true }).click();
        await page.waitForURL(/\/reorganisations\/\d+$/);
        await page.getByRole('heading', { name: PLAN, level: 1 }).waitFor();
        await page.getByText(`「${PLAN}」を登録しました。2099/04/01 に適用します。`).waitFor();
        assert.equal(await page.locator('[data-plan-status]').textContent(), '予定');
        await page.getByRole('region', { name: '現在の利用者との差分' }).locator('tr[data-line="2"]').waitFor();
        const stored = (await app.admin.client.listReorganisations()).items;
        assert.deepEqual(
            stored.map((p) => [p.name, p.effective_on, p.status]),
            [[PLAN, '2099-04-01', 'staged']],
        );
    });

    test('the list shows the plan; 今すぐ適用, asked first, applies it and says how each line went', async () => {
        const { page } = suite;
        await page.getByRole('link', { name: '変更の予定へ' }).click();
        await page.getByRole('heading', { name: '年度替わりの一括変更', level: 1 }).waitFor();
        const plan = (await app.admin.client.listReorganisations()).items[0]!;
        const row = page.locator(`tr[data-plan="${plan.id}"]`);
        await row.waitFor();
        assert.deepEqual((await row.locator('td').allTextContents()).slice(0, 4), [PLAN, '2099/04/01', '予定', '1']);
        await row.getByRole('link', { name: PLAN }).click();
        await page.getByRole('heading', { name: PLAN, level: 1 }).waitFor();

        await page.getByRole('button', { name: '今すぐ適用' }).click();
        await page.getByText(`「${PLAN}」を今すぐ適用しますか？1 人の利用者が変わります。`).waitFor();
        await page.getByRole('button', { name: '適用する' }).click();
        await page.getByText(`「${PLAN}」を適用しました。`).waitFor();
        assert.equal(await page.locator('[data-plan-status]').textContent(), '適用済み');
        const result = page.getByRole('region', { name: '適用結果' }).locator('tr[data-line="2"]');
        assert.deepEqual(await result.locator('td').allTextContents(), ['2', login, '適用', '']);
        await screenshot(page, 'reorganisation-applied');

        const user = (await app.admin.client.getUser(userId)).data;
        assert.equal(user.display_name, '田中 一郎');
        assert.deepEqual([...user.roles].sort(), ['manager', 'operator']);
        const orgs = (await app.admin.client.listOrganizations({ limit: 500 })).items;
        assert.equal(orgs.find((o) => o.id === user.organization_id)?.name, 'こども家庭課');
    });

    test('a second plan is cancelled after a confirmation', async () => {
        const { page } = suite;
        const staged = await app.admin.client.stageReorganisation(`ログインID,状態\r\n${login},退職\r\n`, {
            name: '退職 E2E',
            effective_on: '2099-04-01',
            format: 'csv',
        });
        await page.goto(`${app.url}/reorganisations/${staged.id}`);
        await page.getByRole('heading', { name: '退職 E2E', level: 1 }).waitFor();
        const line = page.getByRole('region', { name: '現在の利用者との差分' }).locator('tr[data-line="2"]');
        await line.waitFor();
        assert.deepEqual(await changesOf(line), [['状態', '在籍', '退職']]);
        await page.getByRole('button', { name: '取消' }).click();
        await page.getByRole('button', { name: '取り消す' }).click();
        await page.getByText('「退職 E2E」を取り消しました。').waitFor();
        assert.equal(await page.locator('[data-plan-status]').textContent(), '取消');
        assert.equal(await page.getByRole('button', { name: '今すぐ適用' }).count(), 0);
        assert.equal((await app.admin.client.getReorganisation(staged.id)).status, 'cancelled');
        assert.equal((await app.admin.client.getUser(userId)).data.disabled, false);
    });

    test('a manager has no menu entry and is refused the page', async () => {
        await asNewUser(app, 'manager', '承認 異動', '/reorganisations', async (page) => {
            await page.getByRole('heading', { name: 'アクセスできません', level: 1 }).waitFor();
            assert.equal(await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '年度替わりの一括変更' }).count(), 0);
        });
    });
});
