// Alert rules (MON-7) and changing a planned stop, on a server of their own. An admin adds a rule
// through the form (events whose name contains a word become critical) and finds it in the list; a
// rule with neither a severity nor channels is refused and the message stands next to 重要度; an
// event of low severity raised through the API then opens critical, decided by that rule, and the
// alerts page names the rule. An approved stop whose end is changed through the form is warned
// about first and comes back unapproved.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { unique } from '../api/helpers.ts';
import { screenshot, useAdminPage, useConsole } from './console.ts';

const DAY_MS = 24 * 3_600_000;

/** `YYYY-MM-DDTHH:mm` of an instant in Japan time, as a datetime-local input takes it (the browser runs in Tokyo). */
function tokyoInput(instant: number): string {
    return new Date(instant + 9 * 3_600_000).toISOString().slice(0, 16);
}

describe('console: alert rules and changing a planned stop', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/alert-rules', 'アラートルール');
    const ruleName = `イベントを重大に ${unique('r')}`;
    const word = unique('diskfull');

    test('an admin adds a rule through the form and it is listed', async () => {
        const { page } = suite;
        await page.getByRole('link', { name: 'ルールを追加' }).click();
        await page.getByRole('heading', { name: 'アラートルールの追加', level: 1 }).waitFor();
        await page.getByLabel('ルール名').fill(ruleName);
        await page.getByLabel('送信元', { exact: true }).selectOption('event');
        await page.getByLabel('名前に含む文字列').fill(word);
        await page.getByLabel('重要度', { exact: true }).selectOption('critical');
        await page.getByRole('button', { name: '登録', exact: true }).click();

        await page.getByText(`アラートルール「${ruleName}」を追加しました。`).waitFor();
        const row = page.locator('tr[data-rule]', { hasText: ruleName });
        await row.waitFor();
        const match = (await row.locator('[data-match]').textContent()) ?? '';
        assert.ok(match.includes('送信元: イベント'), `the match summary names the source: ${match}`);
        assert.ok(match.includes(`名前に「${word}」を含む`), `the match summary names the text: ${match}`);
        assert.equal((await row.locator('[data-severity]').textContent())?.trim(), '重大');
        assert.equal((await row.locator('[data-channels]').textContent())?.trim(), '全チャネル');
        await screenshot(page, '90-alert-rules-list');

        const stored = (await app.admin.client.listAlertRules()).items.find((r) => r.name === ruleName);
        assert.ok(stored, 'the rule is stored');
        assert.deepEqual(stored.match, { source: 'event', name_contains: word });
        assert.equal(stored.severity, 'critical');
        assert.equal(stored.channel_ids, null);
        assert.equal(stored.position, 100, 'the default position');
    });

    test('a rule with neither a severity nor channels is refused at the severity', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/alert-rules/new`);
        await page.getByRole('heading', { name: 'アラートルールの追加', level: 1 }).waitFor();
        await page.getByLabel('ルール名').fill(`何もしない ${unique('r')}`);
        await page.getByRole('button', { name: '登録', exact: true }).click();
        const error = page.locator('#rule-severity-error');
        await error.waitFor();
        assert.equal((await error.textContent())?.trim(), '重要度か通知先 (または両方) を指定してください');
        assert.equal(await page.getByLabel('重要度', { exact: true }).getAttribute('aria-invalid'), 'true');
        await screenshot(page, '91-alert-rule-refused');
    });

    test('an event that fits the rule opens critical, and the alerts page names the rule', async () => {
        const rule = (await app.admin.client.listAlertRules()).items.find((r) => r.name === ruleName);
        assert.ok(rule, 'the rule of the first test');
        const raised = await app.admin.client.sendEvent({ key: unique('ev'), title: `${word} on /var`, severity: 'low' });
        assert.ok(raised.alert, 'an alert opened');
        assert.equal(raised.alert.severity, 'critical', 'the rule set the severity');
        assert.equal(raised.alert.rule_id, rule.id, 'the alert names the deciding rule');

        const { page } = suite;
        await page.goto(`${app.url}/alerts`);
        const row = page.locator(`tr[data-alert="${raised.alert.id}"]`);
        await row.waitFor();
        await row.getByText(`ルール: ${ruleName}`).waitFor();
        assert.ok(((await row.textContent()) ?? '').includes('重大'), 'shown as critical');
    });

    test('changing an approved stop\'s end through the form warns first and clears the approval', async () => {
        const client = app.admin.client;
        const starts = Date.parse(new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 13) + ':00:00Z');
        const created = await client.createPlannedStop({
            kind: 'inspection',
            title: `定期点検 ${unique('s')}`,
            scope: 'all',
            starts_at: new Date(starts).toISOString(),
            ends_at: new Date(starts + 2 * 3_600_000).toISOString(),
        });
        const approved = await client.approvePlannedStop(created.data.id, `"${created.data.version}"`);
        assert.notEqual(approved.data.approved_at, null, 'approved to begin with');

        const { page } = suite;
        await page.goto(`${app.url}/planned-stops`);
        await page.getByRole('link', { name: `計画停止「${created.data.title}」を変更` }).click();
        await page.getByRole('heading', { name: created.data.title, level: 1 }).waitFor();
        const notice = page.locator('[data-reapprove-notice]');
        assert.ok(((await notice.textContent()) ?? '').includes('承認が取り消され'), 'the page says so before saving');

        const newEnd = starts + 3 * 3_600_000;
        await page.getByLabel('終了日時').fill(tokyoInput(newEnd));
        await page.getByText('日時または対象を変更したため、保存すると承認が取り消されます。').waitFor();
        await screenshot(page, '92-planned-stop-edit');
        await page.getByRole('button', { name: '保存', exact: true }).click();
        await page.getByText(`計画停止「${created.data.title}」を変更しました。承認が取り消されたため、改めて承認してください。`).waitFor();

        const stored = (await client.getPlannedStop(created.data.id)).data;
        assert.equal(Date.parse(stored.ends_at), newEnd, 'the new end is saved');
        assert.equal(stored.approved_at, null, 'the approval is cleared');
        await page.getByText('未承認', { exact: true }).first().waitFor();
    });
});
