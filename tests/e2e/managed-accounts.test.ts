// Accounts on the managed systems and their periodic review in the console
// (docs/managed-accounts.md, docs/checklists.md; issue 7: ACC-4). Three accounts on 住民記録システム
// are registered through the API: yamada, not used for 200 days (休眠); suzuki, whose holder left
// yesterday (退職者); ops01, a privileged account used today. An admin registers a fourth through
// the form on /managed-accounts (without a system it is refused at システム; a login taken on the
// system is refused at アカウント). The list shows the badges and the leaver's row in red; the
// filters 休眠のみ and 退職者のみ (kept in the URL) narrow it. An account is changed on its page.
// Then a review of the system is started on /account-reviews: keeping the dormant account without
// a reason is refused at its comment, with one it is kept; suzuki is decided 停止; the review is
// closed, and the account list shows suzuki 停止 and every account reviewed today.

import { before, describe, test } from 'node:test';
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

const slash = (day: string): string => day.replaceAll('-', '/');
const SYSTEM = '住民記録システム E2E';
const OTHER = '財務会計システム E2E';

describe('console: accounts on the managed systems and their review', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    let systemId = 0;
    const ids: Record<string, number> = {};

    before(async () => {
        const client = app.admin.client;
        systemId = (await client.createCi({ name: SYSTEM, type: 'application' })).data.id;
        await client.createCi({ name: OTHER, type: 'application' });
        ids['yamada'] = (
            await client.createManagedAccount({ ci_id: systemId, account: 'yamada', holder: '山田 太郎', last_used_on: japanDay(-200) })
        ).data.id;
        ids['suzuki'] = (
            await client.createManagedAccount({
                ci_id: systemId,
                account: 'suzuki',
                holder: '鈴木 花子',
                last_used_on: japanDay(-3),
                leaves_on: japanDay(-1),
            })
        ).data.id;
        ids['ops01'] = (
            await client.createManagedAccount({ ci_id: systemId, account: 'ops01', holder: '運用担当', privilege: 'privileged', last_used_on: japanDay(0) })
        ).data.id;
    });

    test('an account is registered through the form; a missing system and a taken login are named at their fields', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '管理対象アカウント', exact: true }).click();
        await page.getByRole('heading', { name: '管理対象アカウント', level: 1 }).waitFor();
        const form = page.getByRole('region', { name: 'アカウントの登録' });
        await form.getByLabel('アカウント', { exact: true }).fill('tanaka');
        await form.getByLabel('保有者', { exact: true }).fill('田中 一郎');
        await form.getByRole('button', { name: '登録', exact: true }).click();
        await form.locator('.field-error').getByText('システム (構成アイテム) を選択してください').waitFor();
        assert.equal(await form.getByLabel('システム', { exact: true }).getAttribute('aria-invalid'), 'true');

        const system = form.getByLabel('システム', { exact: true });
        await system.locator(`option[value="${systemId}"]`).waitFor({ state: 'attached' });
        await system.selectOption({ label: SYSTEM });
        await form.getByLabel('権限').selectOption({ label: '一般' });
        await form.getByLabel('最終利用日').fill(japanDay(-1));
        await form.getByRole('button', { name: '登録', exact: true }).click();
        await form.getByText(`「${SYSTEM}」のアカウント「tanaka」を登録しました。`).waitFor();
        const made = (await app.admin.client.listManagedAccounts({ ci_id: systemId })).items.find((a) => a.account === 'tanaka');
        assert.ok(made);
        ids['tanaka'] = made.id;
        assert.equal(made.holder, '田中 一郎');
        assert.equal(made.last_used_on, japanDay(-1));

        // The same login again on the same system (the form keeps the system).
        await form.getByLabel('アカウント', { exact: true }).fill('tanaka');
        await form.getByRole('button', { name: '登録', exact: true }).click();
        await form.locator('.field-error').getByText('このシステムにはアカウント「tanaka」が既に登録されています').waitFor();
        assert.equal(await form.getByLabel('アカウント', { exact: true }).getAttribute('aria-invalid'), 'true');
    });

    test('the list shows what needs acting on; the filters narrow it and survive a reload', async () => {
        const { page } = suite;
        const row = (name: string) => page.locator(`tr[data-managed-account="${ids[name]}"]`);
        await row('tanaka').waitFor();
        assert.deepEqual(await row('yamada').locator('[data-attention] .badge').allTextContents(), ['休眠', '見直し期限']);
        assert.deepEqual(await row('suzuki').locator('[data-attention] .badge').allTextContents(), ['退職者', '見直し期限']);
        assert.deepEqual(await row('ops01').locator('[data-attention] .badge').allTextContents(), ['見直し期限']);
        assert.equal(await row('suzuki').getAttribute('class'), 'row-danger');
        assert.equal(await row('yamada').getAttribute('class'), 'row-warning');
        assert.deepEqual((await row('ops01').locator('td').allTextContents()).slice(0, 8), [
            SYSTEM,
            'ops01',
            '運用担当',
            '',
            '特権',
            '有効',
            slash(japanDay(0)),
            '',
        ]);
        await screenshot(page, 'e1-managed-accounts');

        const filters = page.getByRole('search');
        await filters.getByLabel('休眠のみ (90 日以上未使用)').check();
        await filters.getByRole('button', { name: '検索', exact: true }).click();
        await page.waitForURL(/dormant=true/);
        await row('ops01').waitFor({ state: 'detached' });
        assert.deepEqual(await page.locator('tr[data-managed-account] td:nth-child(2)').allTextContents(), ['yamada']);
        await page.reload();
        await row('yamada').waitFor();
        assert.equal(await page.locator('tr[data-managed-account]').count(), 1);

        await page.getByRole('search').getByRole('button', { name: 'クリア' }).click();
        await page.getByRole('search').getByLabel('退職者のみ').check();
        await page.getByRole('search').getByRole('button', { name: '検索', exact: true }).click();
        await page.waitForURL(/leavers=true/);
        await row('yamada').waitFor({ state: 'detached' });
        assert.deepEqual(await page.locator('tr[data-managed-account] td:nth-child(2)').allTextContents(), ['suzuki']);
        await page.getByRole('search').getByRole('button', { name: 'クリア' }).click();
    });

    test("an account is changed on its page: used today, it is no longer dormant", async () => {
        const { page } = suite;
        await page.goto(`${app.url}/managed-accounts/${ids['tanaka']}`);
        await page.getByRole('heading', { name: `tanaka (${SYSTEM})`, level: 1 }).waitFor();
        await page.getByRole('button', { name: '変更', exact: true }).click();
        const form = page.getByRole('form', { name: 'アカウントの変更' });
        assert.equal(await form.getByLabel('アカウント', { exact: true }).inputValue(), 'tanaka', 'prefilled');
        await form.getByLabel('権限').selectOption({ label: 'サービス' });
        await form.getByLabel('備考').fill('夜間バッチ用');
        await form.getByRole('button', { name: '保存' }).click();
        await page.getByText('アカウント「tanaka」を保存しました。').waitFor();
        const stored = (await app.admin.client.getManagedAccount(ids['tanaka']!)).data;
        assert.equal(stored.privilege, 'service');
        assert.equal(stored.note, '夜間バッチ用');
        await page.reload();
        await page.locator('[data-managed-account-props]').getByText('サービス').waitFor();
    });

    test('a review of the system: keeping a dormant account needs a reason, suzuki is disabled, closing applies it', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'アカウントの見直し', exact: true }).click();
        await page.getByRole('heading', { name: 'アカウントの見直し', level: 1 }).waitFor();
        const start = page.getByRole('region', { name: '見直しを始める' });
        await start.getByLabel('名前').fill('2026 年度下期 住民記録');
        const system = start.getByLabel('システム');
        await system.locator(`option[value="${systemId}"]`).waitFor({ state: 'attached' });
        await system.selectOption({ label: SYSTEM });
        await start.getByRole('button', { name: '開始' }).click();
        await page.getByRole('heading', { name: '2026 年度下期 住民記録', level: 1 }).waitFor();
        await page.getByText('「2026 年度下期 住民記録」を開始しました (対象 4 件)。').waitFor();
        const items = page.locator('[data-checklist-items]');
        assert.deepEqual(await items.locator('.checklist-title').allTextContents(), ['ops01', 'suzuki', 'tanaka', 'yamada']);
        const item = (name: string) => items.locator(`li[data-item="${ids[name]}"]`);
        await item('yamada').locator('[data-item-detail]').getByText('休眠').waitFor();
        await item('suzuki').locator('[data-item-detail]').getByText('退職者').waitFor();

        // Keeping the dormant account without a reason is refused at its comment.
        await item('yamada').getByRole('button', { name: '「yamada」を継続' }).click();
        await item('yamada').locator('.field-error').getByText('休眠・退職者のアカウントを継続する理由を入力してください').waitFor();
        assert.equal(await item('yamada').getByLabel('「yamada」のコメント').getAttribute('aria-invalid'), 'true');
        await item('yamada').getByLabel('「yamada」のコメント').fill('年度末の決算処理で使う');
        await item('yamada').getByRole('button', { name: '「yamada」を継続' }).click();
        await item('yamada').locator('[data-item-decision="keep"]').waitFor();
        await item('yamada').locator('[data-item-comment]').getByText('年度末の決算処理で使う').waitFor();

        await item('suzuki').getByRole('button', { name: '「suzuki」を停止' }).click();
        await item('suzuki').locator('[data-item-decision="disable"]').waitFor();
        await item('ops01').getByRole('button', { name: '「ops01」を継続' }).click();
        await item('ops01').locator('[data-item-decision="keep"]').waitFor();
        await item('tanaka').getByRole('button', { name: '「tanaka」を継続' }).click();
        await item('tanaka').locator('[data-item-decision="keep"]').waitFor();
        assert.equal(await page.locator('[data-checklist-progress]').textContent(), '4 / 4 件 (継続 3、停止 1)');
        await screenshot(page, 'e2-account-review');

        const close = page.getByRole('form', { name: '完了' });
        await close.getByLabel('完了時の備考').fill('情報政策課長 確認済み');
        await close.getByRole('button', { name: '完了にする' }).click();
        await page.getByText('見直しを完了しました。停止・削除と判定したアカウントに反映しました。').waitFor();
        await page.locator('[data-checklist-status]').getByText('完了').waitFor();
        assert.equal(await page.getByRole('button', { name: '「ops01」を継続' }).count(), 0, 'no decisions once closed');

        // The accounts as the review left them.
        await page.goto(`${app.url}/managed-accounts?ci_id=${systemId}`);
        const suzuki = page.locator(`tr[data-managed-account="${ids['suzuki']}"]`);
        await suzuki.waitFor();
        assert.equal((await suzuki.locator('td').nth(5).textContent())?.trim(), '停止');
        assert.equal(await suzuki.getAttribute('class'), 'row-disabled');
        const yamada = page.locator(`tr[data-managed-account="${ids['yamada']}"]`);
        assert.equal((await yamada.locator('td').nth(8).textContent())?.trim(), `${slash(japanDay(0))} admin`);
        assert.deepEqual(await yamada.locator('[data-attention] .badge').allTextContents(), ['休眠'], 'reviewed: no longer due');
        const stored = (await app.admin.client.getManagedAccount(ids['suzuki']!)).data;
        assert.equal(stored.status, 'disabled');
        assert.equal(stored.last_reviewed_on, japanDay(0));
        await screenshot(page, 'e3-managed-accounts-reviewed');
    });

    test('a requester is refused the accounts; a viewer reads them without the form', async () => {
        await asNewUser(app, 'requester', '依頼 次郎', '/managed-accounts', async (page) => {
            await page.getByRole('heading', { name: 'アクセスできません', level: 1 }).waitFor();
        });
        await asNewUser(app, 'viewer', '閲覧 四郎', '/account-reviews', async (page) => {
            await page.locator('tr[data-checklist]').first().waitFor();
            assert.equal(await page.getByRole('region', { name: '見直しを始める' }).count(), 0);
        });
    });
});
