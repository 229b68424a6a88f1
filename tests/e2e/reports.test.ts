// The operation reports in the console (報告書, RPT-1..4). An incident recognised last month is
// recorded through the API. An admin opens 報告書 from the menu, where 月次 and last month are the
// defaults, and shows the report: the incidents section counts it (障害件数 1) and lists its key
// and recognition time; the availability section says データなし (a fresh server has no
// monitors), unlike a count of 0; the month has ended, so the report is fixed (「… に確定した
// 報告書」). The file links carry the period, the format and 和暦, and the Excel one downloads. A
// second incident in the month makes the fixed report differ: the page names 障害 and the admin
// makes it again. The settings panel saves the default target (0.9995, read back through the API),
// a service's target and a recipient, naming a bad address at its row first; a save against
// settings changed meanwhile is refused and the latest loaded. A viewer reads the report (changed
// again since: said so) and the settings without any control to change either; a vendor is
// refused the page.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { asNewUser, screenshot, tokyoDateTime, useAdminPage, useConsole } from './console.ts';

/** Last month in Japan, `YYYY-MM` (worked out here, not by the console's code). */
function lastMonth(): string {
    const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' })
        .format(new Date())
        .split('-')
        .map(Number) as [number, number];
    const d = new Date(Date.UTC(y, m - 2, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

describe('console: the operation reports', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    const month = lastMonth();
    const recognizedAt = `${month}-10T10:00:00+09:00`;
    let incidentKey = '';

    before(async () => {
        const created = await app.admin.client.createRecord('incidents', {
            title: '住民票発行システムの応答遅延 (報告書 E2E)',
            severity: 'high',
            source: 'monitoring',
            recognized_at: recognizedAt,
            owner_notified_at: `${month}-10T11:30:00+09:00`,
        });
        incidentKey = created.data.key;
    });

    test('the monthly report of last month shows the incident, and availability as missing data', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '報告書', exact: true }).click();
        await page.getByRole('heading', { name: '報告書', level: 1 }).waitFor();
        const choice = page.getByRole('form', { name: '報告書の選択' });
        assert.equal(await choice.getByLabel('種類').inputValue(), 'monthly', '月次 by default');
        assert.equal(await choice.getByLabel('対象月').inputValue(), month, 'last month by default');
        await choice.getByLabel('種類').selectOption({ label: '月次' });
        await choice.getByLabel('対象月').fill(month);
        await choice.getByRole('button', { name: '表示', exact: true }).click();
        await page.waitForURL(new RegExp(`kind=monthly&month=${month}`));

        const incidents = page.locator('[data-report-section="incidents"]');
        const total = incidents.locator('[data-figure="incidents.total"]');
        await total.waitFor();
        assert.deepEqual(await total.locator('th, td').allTextContents(), ['障害件数', '1件']);
        const listed = incidents.locator('[data-table="incidents-list"] tbody tr', { hasText: incidentKey });
        await listed.waitFor();
        assert.ok((await listed.textContent())?.includes(tokyoDateTime(recognizedAt)), 'recognition time as the console shows instants');
        assert.equal(await incidents.locator('[data-missing]').count(), 0, 'a section with data is not missing');

        const availability = page.locator('[data-report-section="availability"] [data-missing]');
        await availability.getByText('データなし', { exact: true }).waitFor();
        await availability.getByText('この期間に監視が登録されていなかったため、稼働率を算出できません。').waitFor();
        await page.getByText(/に確定した報告書$/).waitFor();
        await screenshot(page, 'reports-monthly');

        for (const format of ['html', 'pdf', 'xlsx', 'csv']) {
            const href = (await page.locator(`[data-report-file="${format}"]`).getAttribute('href')) ?? '';
            assert.match(href, new RegExp(`^/api/v1/reports/monthly\\?month=${month}&format=${format}`), `${format} link`);
            assert.doesNotMatch(href, /wareki/, 'no 和暦 unless asked');
        }
        assert.match((await page.locator('[data-report-file="html"]').getAttribute('href')) ?? '', /download=true/);
        const open = page.locator('[data-report-file="open"]');
        assert.equal(await open.getAttribute('target'), '_blank');
        assert.doesNotMatch((await open.getAttribute('href')) ?? '', /download/, 'the HTML opened in place');
        const xlsx = await page.request.get(app.url + ((await page.locator('[data-report-file="xlsx"]').getAttribute('href')) ?? ''));
        assert.equal(xlsx.status(), 200);
        assert.match(xlsx.headers()['content-type'] ?? '', /spreadsheetml/);

        await choice.getByLabel('和暦を併記').check();
        await choice.getByRole('button', { name: '表示', exact: true }).click();
        await page.waitForURL(/wareki=true/);
        assert.match((await page.locator('[data-report-file="pdf"]').getAttribute('href')) ?? '', /wareki=true/);
    });

    test('a fixed report whose data changed says which sections, and an admin makes it again', async () => {
        const { page } = suite;
        await app.admin.client.createRecord('incidents', {
            title: '証明書コンビニ交付の停止 (報告書 E2E)',
            severity: 'medium',
            source: 'user_report',
            recognized_at: `${month}-12T09:00:00+09:00`,
        });
        await page.reload();
        const changed = page.locator('[data-report-changed]');
        await changed.getByText(/^確定後にデータが変わった節: .*障害/).waitFor();
        const total = page.locator('[data-report-section="incidents"] [data-figure="incidents.total"] td');
        assert.equal(await total.textContent(), '1件', 'the fixed report is shown');
        await page.locator('[data-report-section="incidents"]').getByText('確定後に変更あり').waitFor();
        await changed.getByRole('button', { name: '最新のデータで作り直す' }).click();
        await page.getByText('最新のデータで作り直し、確定しました。').waitFor();
        assert.equal(await total.textContent(), '2件');
        assert.equal(await page.locator('[data-report-changed]').count(), 0);
    });

    test('the settings are changed through the panel: a bad address is named at its row, the saved ones read back', async () => {
        const { page } = suite;
        const panel = page.getByRole('region', { name: '報告書の設定' });
        await panel.getByRole('button', { name: '設定を変更' }).click();
        const form = page.getByRole('form', { name: '報告書の設定の変更' });
        assert.equal(await form.getByLabel('既定の目標稼働率 (比率)').inputValue(), '0.999');
        await form.getByLabel('既定の目標稼働率 (比率)').fill('0.9995');
        await form.getByText('現在の入力: 99.95%').waitFor();
        await form.getByRole('button', { name: 'サービスを追加' }).click();
        await form.getByLabel('サービス 1 の名前').fill('住民記録');
        await form.getByLabel('サービス 1 の目標 (比率)').fill('0.9999');
        await form.getByRole('button', { name: '送付先を追加' }).click();
        await form.getByLabel('送付先 1 のメールアドレス').fill('定例会の皆さま');
        await form.getByRole('button', { name: '保存' }).click();
        await form.locator('.field-error').getByText('メールアドレスを 1 つ入力してください (name@example.jp など)').waitFor();
        assert.equal(await form.getByLabel('送付先 1 のメールアドレス').getAttribute('aria-invalid'), 'true');
        assert.equal((await app.admin.client.getReportSettings()).data.version, 0, 'nothing saved');

        await form.getByLabel('送付先 1 のメールアドレス').fill('teirei@example.jp');
        await form.getByRole('button', { name: '保存' }).click();
        await panel.getByText('報告書の設定を保存しました。').waitFor();
        const stored = await app.admin.client.getReportSettings();
        assert.equal(stored.data.default_availability_target, 0.9995);
        assert.deepEqual(stored.data.availability_targets, { 住民記録: 0.9999 });
        assert.deepEqual(stored.data.mail_to, ['teirei@example.jp']);
        await panel.locator('[data-setting="default_availability_target"]').getByText('0.9995 (99.95%)').waitFor();
        await screenshot(page, 'reports-settings');

        await panel.getByRole('button', { name: '設定を変更' }).click();
        await form.getByLabel(/年度の改善計画$/).fill('監視の閾値を見直す');
        await app.admin.client.updateReportSettings({ mail_to: ['jouhou@example.jp'] }, stored.etag!);
        await form.getByRole('button', { name: '保存' }).click();
        await form.getByText('他の方が先に更新したため保存できませんでした。').waitFor();
        await form.getByText(`報告書の設定は他の方が変更しました (現在は版 ${stored.data.version + 1})`).waitFor();
        assert.equal(await form.getByLabel('送付先 1 のメールアドレス').inputValue(), 'jouhou@example.jp', 'the latest loaded');
        await form.getByRole('button', { name: 'キャンセル' }).click();
    });

    test('a viewer reads the report and the settings without controls; a vendor is refused', async () => {
        await app.admin.client.createRecord('incidents', {
            title: '窓口端末の印刷不良 (報告書 E2E)',
            severity: 'low',
            source: 'user_report',
            recognized_at: `${month}-20T14:00:00+09:00`,
        });
        await asNewUser(app, 'viewer', '閲覧 報告', `/reports?kind=monthly&month=${month}`, async (page) => {
            await page.locator('[data-report-section="incidents"] [data-figure="incidents.total"]').waitFor();
            await page.locator('[data-report-section="availability"] [data-missing]').waitFor();
            const changed = page.locator('[data-report-changed]');
            await changed.getByText('表示しているのは確定時の内容です。作り直しは管理者または承認者が行います。').waitFor();
            await page.locator('[data-setting="default_availability_target"]').getByText('0.9995 (99.95%)').waitFor();
            assert.equal(await page.getByRole('button', { name: '設定を変更' }).count(), 0);
            assert.equal(await page.getByRole('button', { name: '最新のデータで作り直す' }).count(), 0);
            await page.locator('[data-report-file="xlsx"]').waitFor();
            await screenshot(page, 'reports-viewer');
        });
        await asNewUser(app, 'vendor', '保守 報告', '/reports', async (page) => {
            await page.getByRole('heading', { name: 'アクセスできません', level: 1 }).waitFor();
            assert.equal(await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '報告書' }).count(), 0);
        });
    });
});
