// Procedures in the console (docs/procedures.md, issue 7: PRC-1..8): the standard templates are
// installed through the API; the admin starts セキュリティパッチ適用 from /procedures and lands on the run,
// completes its first three steps and sees 承認待ち at 適用有無判断; an operator's 承認 is refused in
// words (この承認は発注者の管理者が行います); the admin approves, 完了 of the last step asks for its
// evidence, and with a comment the run is 完了.
//
// Steps proved by what unyo recorded: a run of a template whose steps want a succeeded jobnet run, a
// backup and an attachment, started for a change. Each step shows its responsible organisation; the
// job step is completed with the jobnet run picked from the succeeded ones (its proof links to the
// run); the backup step refuses a run without a backup job at the picker, and takes a restore drill
// (its proof names the backup and the RTO); the attachment step takes a file of the change (its
// proof links to the download). A run not started for a record says so at its attachment step.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { Page } from 'playwright-core';

import type { Id } from '../../web/src/api/client.ts';
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

    test('steps proved by a jobnet run, a restore drill and an attachment of the change; a refusal at the picker', async () => {
        const client = app.admin.client;
        const org = (await client.listOrganizations()).items[0]!;
        const template = await client.createProcedureTemplate({
            name: '証跡つき変更 E2E',
            kind: 'change',
            description: '',
            steps: [
                { key: 'batch', title: '夜間バッチの実行', evidence: 'job_run', organization_id: org.id, responsible: 'サーバ保守等業者' },
                { key: 'backup', title: '変更前バックアップ', evidence: 'backup' },
                { key: 'report', title: '作業報告書の添付', evidence: 'attachment' },
            ],
        });
        const change = (await client.createRecord('changes', { title: '住民記録システムの設定変更 E2E' })).data;
        await client.uploadAttachment('changes', change.id, new Blob(['作業報告書']), '作業報告書.txt', 'text/plain');
        // A succeeded plain run, and a backup of unyo's own data to drill.
        const jobnet = (await client.createJobnet({ name: '夜間バッチ E2E', jobs: [{ key: 'a', name: 'A', type: 'command', command: ['/bin/true'], after: [] }] })).data;
        const batchRun = (await client.startJobnetRun(jobnet.id)).data;
        const until = async (check: () => Promise<boolean>, what: string): Promise<void> => {
            for (let i = 0; i < 100; i += 1) {
                if (await check()) return;
                await new Promise((r) => setTimeout(r, 100));
            }
            assert.fail(what);
        };
        await until(async () => (await client.getJobnetRun(batchRun.id)).data.status === 'succeeded', 'the batch run succeeds');
        const generation = await client.createBackup();
        const drill = await client.drillBackup(generation.file);
        assert.ok(drill.ok, 'the drill passes');
        const run = await client.startProcedureRun({ template_id: template.id, record_id: change.id });

        const { page } = suite;
        await page.goto(`${app.url}/procedures/runs/${run.id}`);
        await page.getByRole('heading', { name: '証跡つき変更 E2E', level: 1 }).waitFor();
        await page.locator('[data-run-record]').getByRole('link', { name: `${change.key} 住民記録システムの設定変更 E2E` }).waitFor();
        const batch = step(page, 'batch');
        await batch.locator('[data-step-meta]').getByText(`担当: ${org.name} (サーバ保守等業者) ・ 証跡: 成功したジョブ実行`).waitFor();
        assert.equal(await step(page, 'backup').locator('[data-step-meta]').textContent(), '証跡: バックアップ (ジョブ実行またはリストア訓練)');

        // The job step: the run picked from the succeeded ones.
        const pickRun = batch.getByLabel('証跡 (成功したジョブ実行)');
        await pickRun.locator(`option[value="run:${batchRun.id}"]`).waitFor({ state: 'attached' });
        await pickRun.selectOption(`run:${batchRun.id}`);
        await batch.getByRole('button', { name: '完了', exact: true }).click();
        await page.locator('li[data-step="batch"][data-status="done"]').waitFor();
        const runProof = step(page, 'batch').locator('[data-step-proof="job_run"]');
        assert.equal(await runProof.getByRole('link', { name: '夜間バッチ E2E' }).getAttribute('href'), `/jobnet-runs/${batchRun.id}`);

        // The backup step: a run without a backup job is refused at the picker; the drill is taken.
        const backup = step(page, 'backup');
        const pickBackup = backup.getByLabel('証跡 (バックアップ (ジョブ実行またはリストア訓練))');
        await pickBackup.locator(`option[value="drill:${drill.id}"]`).waitFor({ state: 'attached' });
        await pickBackup.selectOption(`run:${batchRun.id}`);
        await backup.getByRole('button', { name: '完了', exact: true }).click();
        await backup.locator('.field-error').getByText(`ジョブ実行 #${batchRun.id} にはバックアップのジョブがありません`).waitFor();
        assert.equal(await pickBackup.getAttribute('aria-invalid'), 'true');
        assert.equal(await backup.getAttribute('data-status'), 'pending');
        await screenshot(page, 'procedures-proof-refused');
        await pickBackup.selectOption(`drill:${drill.id}`);
        await backup.getByRole('button', { name: '完了', exact: true }).click();
        await page.locator('li[data-step="backup"][data-status="done"]').waitFor();
        assert.match(
            (await step(page, 'backup').locator('[data-step-proof="drill"]').textContent()) ?? '',
            /^証跡: リストア訓練「unyo」 RTO \d+\.\d+ 秒 \(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}\)$/,
        );

        // The attachment step: a file of the change.
        const report = step(page, 'report');
        const pickFile = report.getByLabel('証跡 (記録の添付ファイル)');
        const option = pickFile.locator('option', { hasText: '作業報告書.txt' });
        await option.waitFor({ state: 'attached' });
        await pickFile.selectOption((await option.getAttribute('value'))!);
        await report.getByRole('button', { name: '完了', exact: true }).click();
        await page.locator('[data-run-status="completed"]').waitFor();
        const file = step(page, 'report').locator('[data-step-proof="attachment"]').getByRole('link', { name: '作業報告書.txt' });
        const attachmentId: Id = (await client.listAttachments('changes', change.id)).items[0]!.id;
        assert.equal(await file.getAttribute('href'), `/api/v1/changes/${change.id}/attachments/${attachmentId}`);
        await screenshot(page, 'procedures-proofs');

        const stored = await client.getProcedureRun(run.id);
        assert.deepEqual(
            stored.steps.map((s) => s.proof && Object.keys(s.proof)[0]),
            ['job_run_id', 'drill_id', 'attachment_id'],
        );

        // A run not started for a record cannot take an attachment, and says so.
        const filesOnly = await client.createProcedureTemplate({
            name: '添付のみ E2E',
            kind: 'other',
            description: '',
            steps: [{ key: 'report', title: '報告書の添付', evidence: 'attachment' }],
        });
        const loose = await client.startProcedureRun({ template_id: filesOnly.id });
        await page.goto(`${app.url}/procedures/runs/${loose.id}`);
        await step(page, 'report').getByText('この手順は記録に紐づけずに開始されたため、添付ファイルを証跡にできません。', { exact: false }).waitFor();
    });
});
