// Procedures in the console (docs/procedures.md, issue 7: PRC-1..8): the standard templates are
// installed through the API; the admin starts セキュリティパッチ適用 from /procedures and lands on the run,
// completes its first three steps and sees 承認待ち at 適用有無判断; an operator's 承認 is refused in
// words (この承認は発注者の管理者が行います); the admin approves, 完了 of the last step asks for its
// evidence, and with a comment the run is 完了.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { Page } from 'playwright-core';

import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

const PATCH = 'セキュリティパッチ適用';
const RUN_NAME = '2026年12月 セキュリティパッチ E2E';

function step(page: Page, key: string) {
    return page.locator(`li[data-step="${key}"]`);
}

describe('console: procedures', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/procedures', '手順');
    let runId = 0;

    test('the admin starts the security patch procedure from the list', async () => {
        const { created } = await app.admin.client.installDefaultProcedureTemplates();
        assert.ok(created >= 10, `the shipped templates are made (${created})`);
        const { page } = suite;
        await page.reload();
        await page.getByRole('heading', { name: '手順', level: 1 }).waitFor();
        const templates = page.getByRole('region', { name: '手順のテンプレート' });
        const row = templates.locator('tr[data-template]').filter({ has: page.getByRole('cell', { name: PATCH, exact: false }) }).first();
        await row.waitFor();
        assert.ok((await row.textContent())?.includes('5 手順'), 'the patch procedure has 5 steps');
        await templates.getByLabel('実施名').fill(RUN_NAME);
        await templates.getByRole('button', { name: `「${PATCH}」を開始`, exact: true }).click();
        await page.waitForURL(/\/procedures\/runs\/\d+$/);
        runId = Number(new URL(page.url()).pathname.split('/').pop());
        await page.getByRole('heading', { name: RUN_NAME, level: 1 }).waitFor();
        await page.getByText(`手順「${RUN_NAME}」を開始しました。`).waitFor();
        assert.equal(await page.locator('[data-run-status]').getAttribute('data-run-status'), 'running');
    });

    test('three steps completed; 適用有無判断 waits for approval', async () => {
        const { page } = suite;
        for (const key of ['info', 'desk', 'verify']) {
            const s = step(page, key);
            await s.getByRole('button', { name: '完了', exact: true }).click();
            await page.locator(`li[data-step="${key}"][data-status="done"]`).waitFor();
            assert.match((await s.locator('[data-step-by]').textContent()) ?? '', new RegExp(app.server.adminLogin));
        }
        const decide = step(page, 'decide');
        await decide.getByText('承認待ち').waitFor();
        await decide.getByText('承認: 発注者の管理者').waitFor();
        await decide.getByRole('button', { name: '承認', exact: true }).waitFor();
        await decide.getByRole('button', { name: '却下', exact: true }).waitFor();
        await screenshot(page, 'procedures-waiting');

        // The list says so too.
        const run = (await app.admin.client.listProcedureRuns()).items.find((r) => r.id === runId);
        assert.ok(run);
        assert.equal(run.next_step, 'decide');
        assert.equal(run.waiting_for_approval, true);
    });

    test("an operator's approval is refused in words", async () => {
        await asNewUser(app, 'operator', '運用 担当', `/procedures/runs/${runId}`, async (page) => {
            await page.getByRole('heading', { name: RUN_NAME, level: 1 }).waitFor();
            const decide = step(page, 'decide');
            await decide.getByRole('button', { name: '承認', exact: true }).click();
            await decide.getByText('この承認は発注者の管理者が行います').waitFor();
            assert.equal(await decide.getAttribute('data-status'), 'pending');
        });
        const run = await app.admin.client.getProcedureRun(runId);
        assert.equal(run.steps.find((s) => s.key === 'decide')?.status, 'pending');
    });

    test('the admin approves; the last step needs its evidence; with it the run is 完了', async () => {
        const { page } = suite;
        const decide = step(page, 'decide');
        await decide.getByRole('button', { name: '承認', exact: true }).click();
        await page.locator('li[data-step="decide"][data-status="approved"]').waitFor();
        await page.getByText('「適用有無判断」を承認しました。').waitFor();

        const apply = step(page, 'apply');
        await apply.getByRole('button', { name: '完了', exact: true }).click();
        await apply.getByText('実施した内容 (と記録の場所) を入力してください').waitFor();
        await apply.getByLabel('実施内容と記録の場所').fill('KB5000001 を本番 3 台に適用。記録: 作業報告書 No.123');
        await apply.getByRole('button', { name: '完了', exact: true }).click();
        await page.locator('li[data-step="apply"][data-status="done"]').waitFor();
        await page.locator('[data-run-status="completed"]').waitFor();
        await page.getByText('すべての手順が完了しました。').waitFor();
        assert.equal(
            await step(page, 'apply').locator('[data-step-comment]').textContent(),
            'KB5000001 を本番 3 台に適用。記録: 作業報告書 No.123',
        );
        await screenshot(page, 'procedures-completed');

        await page.getByRole('link', { name: '手順へ戻る' }).click();
        const row = page.locator(`tr[data-run="${runId}"]`);
        await row.waitFor();
        assert.ok((await row.textContent())?.includes('完了'));
    });
});
