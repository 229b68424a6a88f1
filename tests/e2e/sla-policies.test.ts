// SLA policies in the console: the seed-003 defaults listed with each target's budget, calendar,
// start, stop condition and warning threshold; an admin shortens a target, which saves a new
// version that the next incident's clock follows (and one in force later does not touch it); a
// bad threshold is refused at its field; an operator reads the policies but is offered no change.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

const HOUR_MS = 3_600_000;

describe('console SLA policies', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');

    test('the default policies are listed with every target', async () => {
        const page = suite.page;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'SLA ポリシー' }).click();
        await page.getByRole('heading', { name: 'SLA ポリシー', level: 1 }).waitFor();

        const critical = page.getByRole('region', { name: '障害 (重大)' });
        assert.match((await critical.locator('.policy-applies').textContent()) ?? '', /障害.*重要度: 重大.*対象外の検知経路: 不正アクセス/);
        const recovery = critical.locator('tr[data-target="recovery"]');
        const cells = await recovery.getByRole('cell').allTextContents();
        assert.deepEqual(cells, [
            '復旧の報告 recovery',
            '24時間',
            '24時間 (暦時間)',
            '障害認知日時',
            '「復旧・本対応済み・完了」への移行',
            '—',
            '75 %',
        ]);

        const access = page.getByRole('region', { name: '不正アクセス' });
        assert.match((await access.locator('tr[data-target="response_start"]').textContent()) ?? '', /対応開始.*1時間.*「対応中・復旧・本対応済み・完了」への移行/);
        const notify = (await access.locator('tr[data-target="notify"]').getByRole('cell').allTextContents()).join('|');
        assert.match(notify, /発注者への通知日時の入力/);

        const inquiry = page.getByRole('region', { name: '問い合わせ' });
        const first = (await inquiry.locator('tr[data-target="first_answer"]').getByRole('cell').allTextContents()).join('|');
        assert.match(first, /8時間45分\|標準 \(平日 8:30–17:15\)\|登録日時/, 'one business day on the office calendar');
        await screenshot(page, '64-sla-policies');
    });

    test('an admin shortens a target: a new version that the next incident follows', async () => {
        const page = suite.page;
        await page.getByRole('region', { name: '障害 (通常)' }).getByRole('link', { name: '障害 (通常)' }).click();
        await page.getByRole('heading', { name: '障害 (通常)', level: 1 }).waitFor();
        const policyId = Number(new URL(page.url()).pathname.split('/').pop());

        // A bad threshold is refused at its field, and nothing is saved.
        await page.getByLabel('復旧の報告の警告 (%)').fill('150');
        await page.getByRole('button', { name: '保存' }).click();
        await page.locator('#target-recovery-warn-error').waitFor();
        assert.equal(await page.getByLabel('復旧の報告の警告 (%)').getAttribute('aria-invalid'), 'true');
        assert.equal((await app.admin.client.getSlaPolicy(policyId)).data.version, 1);

        await page.getByLabel('復旧の報告の警告 (%)').fill('80');
        await page.getByLabel('復旧の報告の期限 (時間)').fill('8');
        await page.getByRole('button', { name: '保存' }).click();
        await page.getByText(/版 2 として保存しました/).waitFor();
        const versions = page.getByRole('region', { name: '版の履歴' }).getByRole('row');
        assert.equal(await versions.count(), 3, 'a header and two versions');
        assert.match((await versions.nth(1).textContent()) ?? '', /^2.*admin/);
        const recovery = page.locator('tr[data-target="recovery"]');
        assert.match((await recovery.textContent()) ?? '', /8時間.*80 %/);
        await screenshot(page, '65-sla-policy-changed');

        const policy = (await app.admin.client.getSlaPolicy(policyId)).data;
        const target = policy.targets.find((x) => x.name === 'recovery');
        assert.equal(target?.duration_ms, 8 * HOUR_MS);
        assert.equal(target?.warn_percent, 80);

        // An incident raised now follows version 2; its notify clock keeps 12 h.
        const incident = (await app.admin.client.createRecord('incidents', { title: '新しい版の確認', source: 'monitoring' })).data;
        const span = (name: string): number => {
            const clock = incident.sla.find((c) => c.name === name);
            assert.ok(clock, name);
            return Date.parse(clock.target_at) - Date.parse(clock.started_at);
        };
        assert.equal(span('recovery'), 8 * HOUR_MS);
        assert.equal(span('notify'), 12 * HOUR_MS);

        // A version in force from a later instant leaves records raised before then alone.
        await page.getByLabel('復旧の報告の期限 (時間)').fill('6');
        await page.getByLabel('適用開始日時').fill('2099-01-01T09:00');
        await page.getByRole('button', { name: '保存' }).click();
        await page.getByText('版 3 として保存しました (2099/01/01 09:00 から適用)。').waitFor();
        const later = (await app.admin.client.createRecord('incidents', { title: '先の版の確認', source: 'monitoring' })).data;
        const clock = later.sla.find((c) => c.name === 'recovery');
        assert.ok(clock);
        assert.equal(Date.parse(clock.target_at) - Date.parse(clock.started_at), 8 * HOUR_MS, 'still version 2');
        assert.equal(
            (await app.admin.client.getSlaPolicy(policyId)).data.valid_from,
            '2099-01-01T00:00:00.000Z',
            'entered as Japan time',
        );
    });

    test('an operator reads the policies but is offered no change', async () => {
        await asNewUser(app, 'operator', '運用 花子', '/sla-policies', async (page) => {
            await page.getByRole('region', { name: '障害 (通常)' }).getByRole('link', { name: '障害 (通常)' }).click();
            await page.getByRole('heading', { name: '障害 (通常)', level: 1 }).waitFor();
            await page.getByRole('region', { name: '版の履歴' }).waitFor();
            assert.equal(await page.getByRole('region', { name: 'ポリシーの変更' }).count(), 0);
            assert.equal(await page.getByRole('button', { name: '保存' }).count(), 0);
        });
    });
});
