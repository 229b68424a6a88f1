// The handover ledger of confidential data and media in the console (docs/handovers.md, issue 7:
// SEC-4). Two handovers are recorded through the API: one due back ten days ago (overdue) and one
// due in ten days. An admin records a third through the form on /handovers: sent empty, the
// required members are named at their fields; filled in, it is listed. The overdue one is
// highlighted with 期限超過; the filters 未返却のみ and 返却期限を過ぎたもののみ (kept in the URL)
// narrow the list. On its page an entry is corrected (kept after a reload); a correction against a
// version changed meanwhile is refused with the server's message and the latest loaded. The overdue
// one's return is recorded (a date in the future refused at its field): it reads 消去 and leaves the
// outstanding list.

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

describe('console: the handover ledger', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    let overdueId = 0;
    let soonId = 0;
    const OVERDUE = '住民税 課税データ (令和8年度分)';
    const SOON = '国保 資格異動データ';
    const NEW = '介護保険 受給者台帳の写し';

    before(async () => {
        const client = app.admin.client;
        overdueId = (
            await client.createHandover({
                handed_on: japanDay(-30),
                direction: 'out',
                classification: 'personal',
                content: OVERDUE,
                means: '暗号化 USB メモリ',
                medium_id: 'USB-007',
                from_person: '税務 一郎',
                from_organization: '税務課',
                to_person: '委託 太郎',
                to_organization: 'C 社',
                approved_by: '税務課長',
                due_back_on: japanDay(-10),
            })
        ).data.id;
        soonId = (
            await client.createHandover({
                handed_on: japanDay(-2),
                content: SOON,
                means: 'LGWAN ファイル転送',
                from_person: '保険 花子',
                to_person: '委託 次郎',
                approved_by: '保険年金課長',
                due_back_on: japanDay(10),
            })
        ).data.id;
    });

    test('a handover is recorded through the form; the required members are named at their fields first', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '機密情報の授受', exact: true }).click();
        await page.getByRole('heading', { name: '機密情報・個人情報の授受管理簿', level: 1 }).waitFor();
        const form = page.getByRole('region', { name: '授受の記録' });
        assert.equal(await form.getByLabel('授受日').inputValue(), japanDay(0), 'today by default');
        await form.getByRole('button', { name: '記録する' }).click();
        // The errors are rendered after the click returns: wait for them before reading the fields.
        await form.locator('.field-error').getByText('入力してください').first().waitFor();
        for (const label of ['情報の内容', '手段・方法', '渡した人', '受け取った人', '事前承諾者']) {
            const field = form.getByLabel(label, { exact: true });
            assert.equal(await field.getAttribute('aria-invalid'), 'true', `${label} is named`);
        }
        assert.equal((await app.admin.client.listHandovers()).items.length, 2, 'nothing recorded');

        await form.getByLabel('区分').selectOption({ label: '受領' });
        await form.getByLabel('分類').selectOption({ label: '個人情報・機密情報' });
        await form.getByLabel('情報の内容', { exact: true }).fill(NEW);
        await form.getByLabel('手段・方法', { exact: true }).fill('手渡し (封緘)');
        await form.getByLabel('媒体番号').fill('DVD-12');
        await form.getByLabel('渡した人', { exact: true }).fill('介護 三郎');
        await form.getByLabel('渡した人の所属').fill('介護保険課');
        await form.getByLabel('受け取った人', { exact: true }).fill('運用 四郎');
        await form.getByLabel('事前承諾者', { exact: true }).fill('情報政策課長');
        await form.getByLabel('返却予定日').fill(japanDay(5));
        await form.getByRole('button', { name: '記録する' }).click();
        await form.getByText(`授受「${NEW}」を記録しました。`).waitFor();

        const made = (await app.admin.client.listHandovers()).items.find((h) => h.content === NEW);
        assert.ok(made);
        assert.deepEqual(
            [made.direction, made.classification, made.medium_id, made.from_organization, made.due_back_on],
            ['in', 'personal_confidential', 'DVD-12', '介護保険課', japanDay(5)],
        );
        const row = page.locator(`tr[data-handover="${made.id}"]`);
        await row.waitFor();
        assert.deepEqual(await row.locator('td').allTextContents(), [
            slash(japanDay(0)),
            '受領',
            '個人情報・機密情報',
            NEW,
            '手渡し (封緘)媒体 DVD-12',
            '介護 三郎 (介護保険課)',
            '運用 四郎',
            '情報政策課長',
            slash(japanDay(5)),
            '未返却',
        ]);
    });

    test('the overdue one is highlighted; the filters narrow the list and survive a reload', async () => {
        const { page } = suite;
        const overdue = page.locator(`tr[data-handover="${overdueId}"]`);
        assert.equal(await overdue.getAttribute('class'), 'row-danger');
        assert.equal((await overdue.locator('td').last().textContent())?.trim(), '期限超過');
        assert.equal(await page.locator(`tr[data-handover="${soonId}"]`).getAttribute('class'), null);
        await screenshot(page, 'd1-handovers');

        const filters = page.getByRole('search');
        await filters.getByLabel('返却期限を過ぎたもののみ').check();
        await filters.getByRole('button', { name: '検索', exact: true }).click();
        await page.waitForURL(/overdue=true/);
        await page.locator(`tr[data-handover="${soonId}"]`).waitFor({ state: 'detached' });
        assert.equal(await page.locator('tr[data-handover]').count(), 1);
        await page.reload();
        await overdue.waitFor();
        assert.equal(await page.locator('tr[data-handover]').count(), 1);
        assert.ok(await page.getByRole('search').getByLabel('返却期限を過ぎたもののみ').isChecked());
    });

    test("an entry is corrected on its page; a correction against a newer version is refused and the latest loaded", async () => {
        const { page } = suite;
        await page.goto(`${app.url}/handovers/${soonId}`);
        await page.getByRole('heading', { name: `${slash(japanDay(-2))} ${SOON}`, level: 1 }).waitFor();
        await page.getByRole('button', { name: '訂正', exact: true }).click();
        const form = page.getByRole('form', { name: '記録の訂正' });
        assert.equal(await form.getByLabel('手段・方法', { exact: true }).inputValue(), 'LGWAN ファイル転送', 'prefilled');
        await form.getByLabel('手段・方法', { exact: true }).fill('LGWAN ファイル転送 (暗号化 ZIP)');
        await form.getByLabel('受け取った人の所属').fill('D 社');
        await form.getByRole('button', { name: '保存' }).click();
        await page.getByText('訂正を保存しました。').waitFor();
        const stored = await app.admin.client.getHandover(soonId);
        assert.equal(stored.data.means, 'LGWAN ファイル転送 (暗号化 ZIP)');
        assert.equal(stored.data.to_organization, 'D 社');
        await page.reload();
        await page.locator('[data-handover-props]').getByText('委託 次郎 (D 社)').waitFor();

        await page.getByRole('button', { name: '訂正', exact: true }).click();
        await form.getByLabel('備考').fill('受領書あり');
        await app.admin.client.updateHandover(soonId, { note: '受領書は後日' }, stored.etag!);
        await form.getByRole('button', { name: '保存' }).click();
        await form.getByText('他の方が先に更新したため保存できませんでした。').waitFor();
        await form.getByText(`授受の記録 ${soonId} は他の方が変更しました (現在は版 ${stored.data.version + 1})`).waitFor();
        assert.equal(await form.getByLabel('備考').inputValue(), '受領書は後日');
        await form.getByRole('button', { name: 'キャンセル' }).click();
    });

    test('the return of the overdue one is recorded (not in the future); it leaves the outstanding list', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/handovers/${overdueId}`);
        await page.getByRole('heading', { name: `${slash(japanDay(-30))} ${OVERDUE}`, level: 1 }).waitFor();
        await page.locator('[data-handover-return-state]').getByText('期限超過').waitFor();
        const form = page.getByRole('form', { name: '返却の記録' });
        await form.getByLabel('返却日').fill(japanDay(1));
        await form.getByLabel('返却を受けた人').fill('税務 一郎');
        await form.getByLabel('処置').selectOption({ label: '消去' });
        await form.getByLabel('返却時の備考').fill('データ消去証明書を受領');
        await form.getByRole('button', { name: '返却を記録' }).click();
        await form.locator('.field-error').getByText('未来の日付にはできません').waitFor();
        assert.equal((await app.admin.client.getHandover(overdueId)).data.returned_on, null, 'nothing recorded');

        await form.getByLabel('返却日').fill(japanDay(0));
        await form.getByRole('button', { name: '返却を記録' }).click();
        await page.getByText('返却 (消去) を記録しました。').waitFor();
        await page.locator('[data-handover-return-state]').getByText(`${slash(japanDay(0))} 消去`).waitFor();
        assert.equal(await page.getByRole('form', { name: '返却の記録' }).count(), 0, 'returned once');
        const stored = (await app.admin.client.getHandover(overdueId)).data;
        assert.deepEqual(
            [stored.returned_on, stored.return_received_by, stored.disposition, stored.return_note, stored.outstanding, stored.overdue],
            [japanDay(0), '税務 一郎', 'erased', 'データ消去証明書を受領', false, false],
        );
        await screenshot(page, 'd2-handover-returned');

        await page.goto(`${app.url}/handovers?outstanding=true`);
        await page.locator(`tr[data-handover="${soonId}"]`).waitFor();
        assert.equal(await page.locator(`tr[data-handover="${overdueId}"]`).count(), 0, 'no longer outstanding');
        await page.goto(`${app.url}/handovers?overdue=true`);
        await page.getByRole('region', { name: '授受の一覧' }).getByText('該当するデータはありません。').waitFor();
    });

    test('a requester is refused the ledger; a viewer reads it without the form', async () => {
        await asNewUser(app, 'requester', '依頼 花子', '/handovers', async (page) => {
            await page.getByRole('heading', { name: 'アクセスできません', level: 1 }).waitFor();
            assert.equal(await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '機密情報の授受' }).count(), 0);
        });
        await asNewUser(app, 'viewer', '閲覧 三郎', '/handovers', async (page) => {
            await page.locator(`tr[data-handover="${soonId}"]`).waitFor();
            assert.equal(await page.getByRole('region', { name: '授受の記録' }).count(), 0);
        });
    });
});
