// Escalation routes (体制図, docs/escalation.md; INC-9) in the console. An admin registers the general
// route from /escalation-routes (reached through the menu): two levels, 一次対応 with an organisation
// and a user, 二次対応 with an outside contact whose address is wrong, refused at that contact's own
// field in level 2 (`levels[1].contacts[0].email`) with nothing saved; once right, the list shows
// the route (全システム, its severities, 2 レベル, 未確認). A system's own route not confirmed for a
// long time shows 見直し期限; 「確認済みにする」 confirms it today, and a confirmation against a version
// changed meanwhile is refused with the server's message and the latest loaded. The admin edits the
// general route (a third level added, kept after a reload).
//
// An incident of high severity: its page shows the route, each level's due time in Japan time and
// 未連絡; 「次のレベルへエスカレーション」 with a comment tells level 1 (手動), again level 2, whose
// contact's phone is on the timeline to be called; once every level is told the refusal is shown
// in words. A viewer reads the routes without the form; a requester is refused the page.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { EscalationRoute } from '../../web/src/api/client.ts';
import { asNewUser, screenshot, tokyoDateTime, useAdminPage, useConsole } from './console.ts';

const GENERAL = '全般の体制図 E2E';
const SYSTEM = '住民記録システム E2E';
const SYSTEM_ROUTE = '住民記録システムの体制図 E2E';

/** Today in Japan, YYYY-MM-DD (worked out here, not by the console's code). */
function todayInTokyo(): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

describe('console: escalation routes', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    let ciId = 0;
    let responder = '';
    let incidentId = 0;

    before(async () => {
        const client = app.admin.client;
        // A mail channel (nothing listens there): the levels' addresses are counted once queued on it.
        await client.createChannel({ name: '運用メール', type: 'smtp', host: '127.0.0.1', port: 9, from: 'unyo@example.lg.jp', to: ['ops@example.lg.jp'] });
        ciId = (await client.createCi({ name: SYSTEM, type: 'application' })).data.id;
        const org = (await client.listOrganizations()).items[0]!;
        responder = `一次 太郎`;
        await client.createUser({
            login: `first-${Date.now()}`,
            display_name: responder,
            email: 'ichiji@example.lg.jp',
            organization_id: org.id,
            roles: ['operator'],
            password: 'Escalation#2026-e2e',
        });
        // A system's route last confirmed long ago.
        const made = await client.createEscalationRoute({ name: SYSTEM_ROUTE, ci_id: ciId, levels: [{ name: '保守ベンダー', after_min: 0 }] });
        await client.updateEscalationRoute(made.data.id, { reviewed_on: '2025-01-06' }, made.etag!);
    });

    const findRoute = async (name: string): Promise<EscalationRoute> => {
        const route = (await app.admin.client.listEscalationRoutes()).items.find((r) => r.name === name);
        assert.ok(route, `${name} is stored`);
        return route;
    };

    test('an admin registers the general route; a bad address is refused at its contact in level 2', async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '体制図 (エスカレーション)' }).click();
        await page.getByRole('heading', { name: '体制図 (エスカレーション)', level: 1 }).waitFor();

        const form = page.getByRole('region', { name: '体制図の登録' });
        await form.getByLabel('体制図の名前').fill(GENERAL);
        assert.equal(await form.getByLabel('対象システム').locator('option:checked').textContent(), '全システム');
        const severities = form.getByRole('group', { name: '対象の重要度' });
        await severities.getByLabel('重大').check();
        await severities.getByLabel('高').check();

        const first = form.getByRole('group', { name: 'レベル 1', exact: true });
        await first.getByLabel('名前').fill('一次対応');
        await first.getByLabel('組織').selectOption({ label: '運用管理' });
        await first.getByLabel('連絡までの時間 (分)').fill('5');
        const add = first.getByLabel('利用者を追加');
        await add.locator('option', { hasText: responder }).waitFor({ state: 'attached' });
        await add.selectOption({ label: (await add.locator('option', { hasText: responder }).textContent())! });
        await first.locator('[data-level-users]').getByText(responder).waitFor();

        await form.getByRole('button', { name: 'レベルを追加' }).click();
        const second = form.getByRole('group', { name: 'レベル 2', exact: true });
        await second.getByLabel('名前').fill('二次対応 (ベンダー有識者)');
        await second.getByLabel('連絡までの時間 (分)').fill('30');
        await second.getByRole('button', { name: '連絡先を追加' }).click();
        await second.getByLabel('連絡先 1 の氏名').fill('ベンダ 次郎');
        await second.getByLabel('連絡先 1 の役割').fill('SE');
        await second.getByLabel('連絡先 1 のメールアドレス').fill('jiro at example.jp');
        await second.getByLabel('連絡先 1 の電話番号').fill('03-1234-5678');

        await form.getByRole('button', { name: '登録', exact: true }).click();
        const bad = second.getByLabel('連絡先 1 のメールアドレス');
        await second.locator('.field-error').getByText('メールアドレスを 1 つ入力してください').waitFor();
        assert.equal(await bad.getAttribute('aria-invalid'), 'true');
        assert.ok(!(await app.admin.client.listEscalationRoutes()).items.some((r) => r.name === GENERAL), 'nothing saved');
        await screenshot(page, 'escalation-contact-error');

        await bad.fill('jiro@example.jp');
        await form.getByRole('button', { name: '登録', exact: true }).click();
        await form.getByText(`体制図「${GENERAL}」を登録しました。`).waitFor();
        const made = await findRoute(GENERAL);
        assert.deepEqual(made.severities, ['critical', 'high']);
        assert.equal(made.ci_id, null);
        assert.deepEqual(
            made.levels.map((l) => [l.name, l.after_min, l.organization_id !== null, l.user_ids.length, l.contacts.map((c) => c.phone)]),
            [
                ['一次対応', 5, true, 1, []],
                ['二次対応 (ベンダー有識者)', 30, false, 0, ['03-1234-5678']],
            ],
        );

        const row = page.locator(`tr[data-route="${made.id}"]`);
        await row.waitFor();
        assert.deepEqual(await row.locator('td').allTextContents(), [GENERAL, '全システム', '重大、高', '2 レベル', '未確認 ']);
        await screenshot(page, 'escalation-routes');
    });

    test("a system's route not confirmed for long is due for review; 確認済みにする confirms it today; a stale confirmation is refused", async () => {
        const { page } = suite;
        const route = await findRoute(SYSTEM_ROUTE);
        const row = page.locator(`tr[data-route="${route.id}"]`);
        await row.getByText('見直し期限').waitFor();
        await row.getByRole('link', { name: SYSTEM }).waitFor();
        await row.getByRole('link', { name: SYSTEM_ROUTE }).click();
        await page.getByRole('heading', { name: SYSTEM_ROUTE, level: 1 }).waitFor();
        const props = page.locator('[data-route-props]');
        await props.getByText('2025/01/06').waitFor();
        await props.getByText('見直し期限').waitFor();

        await page.getByRole('button', { name: '確認済みにする' }).click();
        const today = todayInTokyo();
        await page.getByText(`体制図「${SYSTEM_ROUTE}」を ${today.replaceAll('-', '/')} に確認済みにしました。`).waitFor();
        assert.equal(await props.getByText('見直し期限').count(), 0);
        const stored = (await app.admin.client.getEscalationRoute(route.id)).data;
        assert.equal(stored.reviewed_on, today);
        assert.equal(stored.review_due, false);

        // Someone changes it meanwhile: the confirmation is refused with the server's words, the latest shown.
        const read = await app.admin.client.getEscalationRoute(route.id);
        await app.admin.client.updateEscalationRoute(route.id, { note: '保守ベンダーの窓口を変更' }, read.etag!);
        await page.getByRole('button', { name: '確認済みにする' }).click();
        await page.getByText(`体制図「${SYSTEM_ROUTE}」は他の方が変更しました`).waitFor();
        await props.getByText('保守ベンダーの窓口を変更').waitFor();
    });

    test('the admin adds a third level to the general route; kept after a reload', async () => {
        const { page } = suite;
        const route = await findRoute(GENERAL);
        await page.goto(`${app.url}/escalation-routes/${route.id}`);
        await page.getByRole('heading', { name: GENERAL, level: 1 }).waitFor();
        await page.getByRole('button', { name: '編集', exact: true }).click();
        const form = page.getByRole('form', { name: '体制図の編集' });
        assert.equal(await form.getByRole('group', { name: 'レベル 2', exact: true }).getByLabel('連絡先 1 の電話番号').inputValue(), '03-1234-5678');
        await form.getByRole('button', { name: 'レベルを追加' }).click();
        const third = form.getByRole('group', { name: 'レベル 3', exact: true });
        await third.getByLabel('名前').fill('責任者');
        await third.getByLabel('連絡までの時間 (分)').fill('60');
        await form.getByRole('button', { name: '保存' }).click();
        await page.getByText(`体制図「${GENERAL}」を保存しました。`).waitFor();
        await page.reload();
        await page.getByRole('heading', { name: GENERAL, level: 1 }).waitFor();
        const rows = page.locator('tr[data-level]');
        assert.deepEqual(await rows.locator('td:nth-child(2)').allTextContents(), ['一次対応', '二次対応 (ベンダー有識者)', '責任者']);
        assert.deepEqual(await rows.locator('td:nth-child(6)').allTextContents(), ['認知から 5 分後', '認知から 30 分後', '認知から 60 分後']);
        assert.equal(await rows.nth(1).locator('[data-contact]').textContent(), 'ベンダ 次郎 (SE) jiro@example.jp 03-1234-5678');
        await screenshot(page, 'escalation-route');
    });

    test("an incident's page shows its route and levels; escalating by hand tells them in turn, the phone on the timeline", async () => {
        const { page } = suite;
        const created = await app.admin.client.createRecord('incidents', { title: '住民票発行停止 E2E', severity: 'high', source: 'monitoring' });
        incidentId = created.data.id;
        const escalation = await app.admin.client.getIncidentEscalation(incidentId);
        await page.goto(`${app.url}/incidents/${incidentId}`);
        const panel = page.getByRole('region', { name: 'エスカレーション' });
        await panel.getByRole('link', { name: GENERAL }).waitFor();
        const levels = panel.locator('li[data-level]');
        assert.equal(await levels.count(), 3);
        const due = (min: number): string => tokyoDateTime(new Date(Date.parse(escalation.recognized_at) + min * 60_000).toISOString());
        assert.equal(
            await levels.nth(0).textContent(),
            `レベル 1 一次対応期限 ${due(5)} (認知から 5 分後)未連絡`,
        );
        await levels.nth(2).getByText(`期限 ${due(60)}`).waitFor();

        await panel.getByLabel('コメント (任意)').fill('住民票の発行が止まっています');
        await panel.getByRole('button', { name: '次のレベルへエスカレーション' }).click();
        await panel.getByText('レベル 1「一次対応」に連絡しました。').waitFor();
        await levels.nth(0).locator('[data-told]').getByText('手動').waitFor();
        assert.match((await levels.nth(0).locator('[data-told]').textContent()) ?? '', /^連絡 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 手動$/);
        await levels.nth(1).getByText('未連絡').waitFor();

        await panel.getByRole('button', { name: '次のレベルへエスカレーション' }).click();
        await panel.getByText('レベル 2「二次対応 (ベンダー有識者)」に連絡しました。').waitFor();

        const timeline = page.getByRole('region', { name: '経過' });
        const entries = timeline.locator('li.tl-escalation');
        await entries.nth(1).waitFor();
        const firstText = (await entries.nth(0).locator('.tl-text').textContent()) ?? '';
        assert.ok(
            firstText.startsWith(`エスカレーション: 体制図「${GENERAL}」のレベル 1「一次対応」 (運用管理) に連絡 (手動: admin)`),
            firstText,
        );
        await entries.nth(0).getByText('コメント: 住民票の発行が止まっています').waitFor();
        await entries.nth(0).getByText(`利用者: ${responder}`).waitFor();
        await entries.nth(0).getByText('メール 1 件を送信').waitFor();
        await entries.nth(1).getByText('メール 1 件を送信').waitFor();
        const phone = entries.nth(1).getByRole('link', { name: '☎ 03-1234-5678' });
        assert.equal(await phone.getAttribute('href'), 'tel:0312345678');
        assert.equal(await entries.nth(1).locator('[data-contact]').textContent(), 'ベンダ 次郎 (SE) ☎ 03-1234-5678');
        await screenshot(page, 'escalation-incident');

        // The last level by hand, then a refusal in words.
        await panel.getByRole('button', { name: '次のレベルへエスカレーション' }).click();
        await panel.getByText('レベル 3「責任者」に連絡しました。').waitFor();
        await panel.getByRole('button', { name: '次のレベルへエスカレーション' }).click();
        await panel.getByText(`体制図「${GENERAL}」のすべてのレベルに連絡済みです`).waitFor();
    });

    test('a viewer reads the routes without the form; a requester is refused the page', async () => {
        await asNewUser(app, 'viewer', '閲覧 体制', '/escalation-routes', async (page) => {
            await page.getByRole('heading', { name: '体制図 (エスカレーション)', level: 1 }).waitFor();
            await page.getByRole('link', { name: GENERAL }).waitFor();
            assert.equal(await page.getByRole('region', { name: '体制図の登録' }).count(), 0);
            await page.goto(`${app.url}/incidents/${incidentId}`);
            const panel = page.getByRole('region', { name: 'エスカレーション' });
            await panel.getByRole('link', { name: GENERAL }).waitFor();
            assert.equal(await panel.getByRole('button', { name: '次のレベルへエスカレーション' }).count(), 0);
        });
        await asNewUser(app, 'requester', '依頼 体制', '/escalation-routes', async (page) => {
            await page.getByRole('heading', { name: 'アクセスできません', level: 1 }).waitFor();
            assert.equal(await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '体制図 (エスカレーション)' }).count(), 0);
        });
    });
});
