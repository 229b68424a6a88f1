// Jobnets in the console (docs/jobs.md), on a server of their own. An admin defines a jobnet of
// three command jobs through the form, scheduled on the last open day of each month (closed days
// moved earlier): a wrong `after` is named under the jobs in place, then the jobnet is saved. Its
// page lists the planned starts of the next 12 months by month, as the server plans them. Run now
// opens the run: the middle job (`test -f` of a file that does not exist yet) fails and the third
// waits. Once the file exists, 「失敗したジョブから再実行」 (asked with a comment) makes the run
// succeed. The day's Gantt chart shows the run with a bar per job when opened, the run list
// filtered by the jobnet lists it, the dashboard counts it, and the alert its failure raised leads
// to it. A force-complete asked for after someone else skipped the job is refused in place with
// the server's reason. A viewer reads it all without the form, run now or actions. A jobnet with
// an approval job between two commands (made through the API) waits at it, shown 承認待ち with its
// message; an operator is offered no 承認 or 却下, a rejection without a comment cannot be sent, and
// the admin's approval with a comment lets the run end 正常終了. A judge whose condition fails
// (made through the API, on a job that exits 3 with success_codes [0, 3]) shows its verdict, runs
// its `else` branch and the join, and shows the branch not taken as 分岐により未実行 in the table,
// the graph and the Gantt chart (without a bar). A jobnet running another inside it lists the
// nested jobs as `sub/a`, `sub/b` (the graph with their prefix), and naming a jobnet that does not
// exist is refused under the jobs in Japanese. The YAML editor, opened from a jobnet's page, holds
// that jobnet only: a changed command is counted 更新 1 件 by 確認 (nothing written) and saved by
// 保存; an `after` naming a missing key is refused with the member named and nothing is written.
// From the list it holds every jobnet and downloads the text as jobnets.yaml. Every wait polls the
// page, which polls the server.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { JobDefinition } from '../../web/src/api/client.ts';
import { unique } from '../api/helpers.ts';
import { asNewUser, screenshot, tokyoDateTime, useAdminPage, useConsole } from './console.ts';

/** How long a run may take to reach a state (its jobs are `/bin/sh -c` one-liners). */
const RUN_MS = 30_000;

/** Today in Japan, `YYYY-MM-DD`. */
function tokyoToday(): string {
    return new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
}

describe('console: jobnets and their runs', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/jobnets', 'ジョブネット');
    const name = `月末バッチ ${unique('j')}`;
    const flag = path.join(tmpdir(), `unyo-e2e-flag-${unique('f')}`);
    const jobs = (checkAfter: string): JobDefinition[] => [
        { key: 'prepare', name: '準備', type: 'command', command: ['/bin/sh', '-c', 'echo prepared'], after: [] },
        { key: 'check', name: '確認', type: 'command', command: ['/bin/sh', '-c', `test -f '${flag}'`], after: [checkAfter] },
        { key: 'report', name: '報告', type: 'command', command: ['/bin/sh', '-c', 'echo reported'], after: ['check'] },
    ];
    let jobnetId = 0;
    let runId = 0;
    after(async () => {
        await rm(flag, { force: true });
    });

    test('an admin creates a jobnet through the form; a wrong `after` is named under the jobs', async () => {
        const { page } = suite;
        await page.getByRole('link', { name: '新規', exact: true }).click();
        await page.getByRole('heading', { name: 'ジョブネットの新規作成', level: 1 }).waitFor();
        await page.getByLabel('ジョブネット名').fill(name);
        await page.getByLabel('業務システム').fill('会計');
        await page.getByLabel('実行日', { exact: true }).selectOption('last_open_day');
        await page.getByLabel('開始時刻').fill('23:00');
        await page.getByLabel('休業日の扱い').selectOption('earlier');
        await page.getByLabel('ジョブ (JSON)').fill(JSON.stringify(jobs('nosuch'), null, 2));
        await page.getByRole('button', { name: '登録', exact: true }).click();

        const error = page.locator('#jobnet-jobs-error');
        await error.waitFor();
        const text = (await error.textContent()) ?? '';
        assert.ok(text.includes('jobs[1].after'), `the refusal names jobs[1].after: ${text}`);
        assert.ok(text.includes('nosuch'), `the refusal names the unknown key: ${text}`);
        assert.equal(await page.getByLabel('ジョブ (JSON)').getAttribute('aria-invalid'), 'true');
        await screenshot(page, '93-jobnet-refused');

        await page.getByLabel('ジョブ (JSON)').fill(JSON.stringify(jobs('prepare'), null, 2));
        await page.getByRole('button', { name: '登録', exact: true }).click();
        await page.getByRole('heading', { name, level: 1 }).waitFor();
        await page.getByText(`ジョブネット「${name}」を登録しました。`).waitFor();
        const m = /\/jobnets\/(\d+)$/.exec(new URL(page.url()).pathname);
        assert.ok(m, `the jobnet's page opened: ${page.url()}`);
        jobnetId = Number(m[1]);

        const stored = (await app.admin.client.getJobnet(jobnetId)).data;
        assert.equal(stored.schedule?.days.rule, 'last_open_day');
        assert.equal(stored.schedule?.shift, 'earlier');
        assert.deepEqual(stored.schedule?.start_times, ['23:00']);
        assert.equal(stored.service, '会計');
        assert.deepEqual(
            stored.jobs.map((j) => [j.key, j.after]),
            [
                ['prepare', []],
                ['check', ['prepare']],
                ['report', ['check']],
            ],
        );
    });

    test("the jobnet's page draws its jobs and lists the planned starts of the next 12 months", async () => {
        const { page } = suite;
        const graph = page.getByRole('img', { name: `ジョブネット「${name}」のジョブの流れ` });
        await graph.waitFor();
        assert.equal(await graph.locator('[data-job]').count(), 3, 'a box per job');
        assert.equal(await graph.locator('[data-edge]').count(), 2, 'an arrow per dependency');
        assert.ok(((await page.locator('[data-schedule]').first().textContent()) ?? '').includes('毎月最終営業日'));

        const preview = page.locator('[data-schedule-preview]');
        await preview.locator('tr[data-start]').first().waitFor();
        const today = tokyoToday();
        const [y, mo, d] = today.split('-').map(Number) as [number, number, number];
        const to = new Date(Date.UTC(y, mo - 1 + 12, d)).toISOString().slice(0, 10);
        const planned = (await app.admin.client.jobnetSchedule(jobnetId, { from: today, to })).items;
        assert.ok(planned.length >= 12, `about one start a month: ${planned.length}`);
        const months = await preview.locator('details[data-month]').count();
        assert.ok(months >= 12, `the starts are listed by month: ${months}`);
        const first = planned[0]!;
        const row = preview.locator(`tr[data-start="${first.start_at}"]`);
        assert.ok(((await row.textContent()) ?? '').includes(tokyoDateTime(first.start_at)), 'the start in Japan time');
        assert.ok(((await row.textContent()) ?? '').includes(first.business_day), 'with its business day');
        assert.ok(tokyoDateTime(first.start_at).endsWith('23:00'), 'at the start time');
        await screenshot(page, '94-jobnet');
    });

    test('run now: the middle job fails and the third waits', async () => {
        const { page } = suite;
        await page.getByRole('button', { name: '今すぐ実行', exact: true }).click();
        await page.waitForURL(/\/jobnet-runs\/\d+$/);
        runId = Number(/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
        await page.getByRole('heading', { name: `${name} #${runId}`, level: 1 }).waitFor();

        const jobState = (key: string, status: string) =>
            page.locator(`tr[data-job="${key}"] [data-job-status] [data-status="${status}"]`);
        await jobState('check', 'failed').waitFor({ timeout: RUN_MS });
        await page.locator('[data-run-status] [data-status="failed"]').first().waitFor({ timeout: RUN_MS });
        await jobState('prepare', 'succeeded').waitFor();
        await jobState('report', 'pending').waitFor();
        assert.equal(((await page.locator('tr[data-job="check"] [data-exit-code]').textContent()) ?? '').trim(), '1');
        // The graph colours the failed job.
        await page.locator('.job-graph [data-job="check"][data-status="failed"]').waitFor();
        // Actions that do not fit are offered disabled.
        assert.equal(await page.getByRole('button', { name: 'report を強制停止' }).isDisabled(), true);
        assert.equal(await page.getByRole('button', { name: 'check を強制完了' }).isEnabled(), true);
        // The output of the first job, opened on demand.
        await page.locator('[data-output="prepare"] summary').click();
        await page.locator('[data-output="prepare"] pre').getByText('prepared').waitFor();
        await screenshot(page, '95-jobnet-run-failed');
    });

    test('once the file exists, rerunning the failed jobs makes the run succeed', async () => {
        const { page } = suite;
        await writeFile(flag, 'ok\n');
        await page.getByRole('button', { name: '失敗したジョブから再実行', exact: true }).click();
        await page.getByText('「失敗したジョブから再実行」を実行しますか？').waitFor();
        await page.getByLabel('コメント').fill('確認ファイルを置いたので再実行');
        await page.getByRole('button', { name: '実行する', exact: true }).click();
        await page.getByText('「失敗したジョブから再実行」を実行しました。').waitFor();

        await page.locator('[data-run-status] [data-status="succeeded"]').first().waitFor({ timeout: RUN_MS });
        for (const key of ['prepare', 'check', 'report']) {
            await page.locator(`tr[data-job="${key}"] [data-job-status] [data-status="succeeded"]`).waitFor();
        }
        await page.locator('tr[data-event="action"]').first().waitFor();
        await screenshot(page, '96-jobnet-run-succeeded');

        const run = (await app.admin.client.getJobnetRun(runId)).data;
        assert.equal(run.status, 'succeeded');
        const check = run.jobs.find((j) => j.key === 'check');
        assert.ok(check && check.attempt >= 2, `the failed job ran again: attempt ${check?.attempt}`);
        const action = run.events.find((e) => e.kind === 'action');
        assert.ok(action, 'the action is an event of the run');
        assert.ok(action.actor, 'the event says who acted');
    });

    test("the day's Gantt chart shows the run, with a bar per job when opened; the list filters by jobnet", async () => {
        const { page } = suite;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'ジョブ実行', exact: true }).click();
        await page.getByRole('heading', { name: 'ジョブ実行', level: 1 }).waitFor();
        const row = page.locator(`tr[data-gantt-run="${runId}"]`);
        await row.waitFor();
        await row.locator('[data-status="succeeded"]').waitFor();
        assert.equal(await row.locator('rect.gantt-bar').count(), 1, 'a bar for the run');
        await page.getByRole('button', { name: `「${name} #${runId}」のジョブを表示` }).click();
        await page.locator('tr[data-gantt-job="report"]').waitFor();
        assert.equal(await page.locator('tr[data-gantt-job] rect.gantt-bar').count(), 3, 'a bar per job');
        await screenshot(page, '97-jobnet-runs-today');

        await page.getByLabel('ジョブネット', { exact: true }).selectOption(String(jobnetId));
        await page.getByLabel('状態', { exact: true }).selectOption('succeeded');
        await page.getByRole('button', { name: '検索', exact: true }).click();
        await page.waitForURL(/status=succeeded/);
        await page.locator(`tr[data-run="${runId}"]`).waitFor();
        assert.equal(await page.locator('tr[data-run]').count(), 1, 'only the run of this jobnet');

        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'ジョブネット', exact: true }).click();
        const listed = page.locator(`tr[data-jobnet="${jobnetId}"]`);
        await listed.waitFor();
        const schedule = (await listed.locator('[data-schedule]').textContent()) ?? '';
        assert.ok(schedule.includes('毎月最終営業日') && schedule.includes('23:00'), `the schedule in words: ${schedule}`);
        await listed.locator('[data-last-run] [data-status="succeeded"]').waitFor();

        // The dashboard counts today's runs by state.
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'ダッシュボード', exact: true }).click();
        const succeeded = page.getByRole('region', { name: '本日のジョブ' }).locator('.stat', { hasText: '正常終了' });
        await succeeded.getByRole('link', { name: '1', exact: true }).waitFor();

        // The failure raised an alert (resolved by the success): its key leads to the run.
        await page.goto(`${app.url}/alerts?status=all`);
        await page.getByRole('link', { name: `jobnet-run:${runId}`, exact: true }).click();
        await page.getByRole('heading', { name: `${name} #${runId}`, level: 1 }).waitFor();
    });

    test('an action that no longer fits (someone acted meanwhile) is refused in place with the reason', async () => {
        const { page } = suite;
        await rm(flag, { force: true });
        const second = (await app.admin.client.startJobnetRun(jobnetId)).data;
        await page.goto(`${app.url}/jobnet-runs/${second.id}`);
        await page.locator('tr[data-job="check"] [data-job-status] [data-status="failed"]').waitFor({ timeout: RUN_MS });
        await page.getByRole('button', { name: 'check を強制完了' }).click();
        await page.getByText('ジョブ check を「強制完了」しますか？').waitFor();
        // Another operator skips the job first.
        await app.admin.client.jobnetRunAction(second.id, { action: 'skip', job: 'check', comment: '別の運用者' });
        await page.getByRole('button', { name: '実行する', exact: true }).click();
        const refusal = page.locator('[data-refusal]');
        await refusal.waitFor();
        const reason = (await refusal.textContent()) ?? '';
        assert.ok(reason.includes('ジョブ check はスキップです'), `the server's reason, in Japanese: ${reason}`);
        // The refusal fetches the run as it is now: the job skipped, and the run going on past it.
        await page.locator('tr[data-job="check"] [data-job-status] [data-status="skipped"]').waitFor();
        await page.locator('[data-run-status] [data-status="succeeded"]').first().waitFor({ timeout: RUN_MS });
        await screenshot(page, '98-jobnet-action-refused');
    });

    test('a viewer reads jobnets and runs but is offered neither the form, run now nor actions', async () => {
        await asNewUser(app, 'viewer', '閲覧 次郎', '/jobnets', async (page) => {
            await page.getByRole('heading', { name: 'ジョブネット', level: 1 }).waitFor();
            assert.equal(await page.getByRole('link', { name: '新規', exact: true }).count(), 0, 'no create');
            assert.equal(await page.getByRole('link', { name: 'YAMLで編集', exact: true }).count(), 0, 'no YAML editor');
            await page.getByRole('link', { name, exact: true }).click();
            await page.getByRole('heading', { name, level: 1 }).waitFor();
            await page.getByText('ジョブネットの定義を変更できるのは管理者だけです', { exact: false }).waitFor();
            assert.equal(await page.getByLabel('ジョブ (JSON)').getAttribute('readonly'), '', 'the jobs are read-only');
            assert.equal(await page.getByRole('button', { name: '保存', exact: true }).count(), 0, 'no save');
            assert.equal(await page.getByRole('button', { name: '今すぐ実行', exact: true }).count(), 0, 'no run now');
            assert.equal(await page.getByRole('link', { name: 'YAMLで編集', exact: true }).count(), 0, 'no YAML editor');
            // Nor by its address: the list alone.
            await page.goto(`${app.url}/jobnets?edit=yaml`);
            await page.getByRole('heading', { name: 'ジョブネット', level: 1 }).waitFor();
            await page.getByRole('link', { name, exact: true }).waitFor();
            assert.equal(await page.locator('[data-yaml-editor]').count(), 0, 'no YAML editor');
            await page.goto(`${app.url}/jobnet-runs/${runId}`);
            await page.getByRole('heading', { name: `${name} #${runId}`, level: 1 }).waitFor();
            await page.locator('tr[data-job="check"]').waitFor();
            assert.equal(await page.locator('button[data-action]').count(), 0, 'no actions');
        });
    });

    describe('an approval job (JOB-6)', () => {
        const approvalName = `承認バッチ ${unique('j')}`;
        let approvalJobnetId = 0;
        let approvalRunId = 0;

        test('run now: the approval job waits, shown as 承認待ち in the table and the graph', async () => {
            const { page } = suite;
            const created = await app.admin.client.createJobnet({
                name: approvalName,
                jobs: [
                    { key: 'check', name: '確認', type: 'command', command: ['/bin/true'], after: [] },
                    { key: 'ok', name: '承認', type: 'approval', approval: { message: '再実行してよいか' }, after: ['check'] },
                    { key: 'rerun', name: '再実行', type: 'command', command: ['/bin/true'], after: ['ok'] },
                ],
            });
            approvalJobnetId = created.data.id;
            await page.goto(`${app.url}/jobnets/${approvalJobnetId}`);
            await page.getByRole('heading', { name: approvalName, level: 1 }).waitFor();
            await page.getByRole('button', { name: '今すぐ実行', exact: true }).click();
            await page.waitForURL(/\/jobnet-runs\/\d+$/);
            approvalRunId = Number(/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
            await page.getByRole('heading', { name: `${approvalName} #${approvalRunId}`, level: 1 }).waitFor();

            const ok = page.locator('tr[data-job="ok"] [data-job-status] [data-status="waiting_approval"]');
            await ok.waitFor({ timeout: RUN_MS });
            assert.ok(((await ok.textContent()) ?? '').includes('承認待ち'), 'the status in words');
            // What the approver decides, beside 承認 and 却下.
            const message = page.locator('tr[data-job="ok"] td:has(button[data-action="approve"]) [data-approval-message="ok"]');
            assert.equal(((await message.textContent()) ?? '').trim(), '承認内容: 再実行してよいか');
            await page.locator('tr[data-job="check"] [data-job-status] [data-status="succeeded"]').waitFor();
            await page.locator('tr[data-job="rerun"] [data-job-status] [data-status="pending"]').waitFor();
            await page.locator('.job-graph [data-job="ok"][data-status="waiting_approval"]').waitFor();
            // The run's force-complete would bypass the approval: offered disabled.
            assert.equal(await page.getByRole('button', { name: '未完了のジョブを強制完了', exact: true }).isDisabled(), true);
            assert.equal(await page.getByRole('button', { name: 'ok をスキップ' }).isDisabled(), true);
            await screenshot(page, '99-jobnet-run-approval');
        });

        test('an operator sees 承認待ち but no 承認 or 却下', async () => {
            await asNewUser(app, 'operator', '運用 三郎', `/jobnet-runs/${approvalRunId}`, async (page) => {
                await page.getByRole('heading', { name: `${approvalName} #${approvalRunId}`, level: 1 }).waitFor();
                await page.locator('tr[data-job="ok"] [data-job-status] [data-status="waiting_approval"]').waitFor();
                // The message is shown to them too (beside the job's name).
                await page.locator('tr[data-job="ok"] [data-approval-message="ok"]').getByText('再実行してよいか').waitFor();
                // The operator's own actions are there, the approver's are not.
                await page.getByRole('button', { name: 'ok を保留' }).waitFor();
                assert.equal(await page.locator('button[data-action="approve"], button[data-action="reject"]').count(), 0);
                assert.equal(await page.getByRole('button', { name: /承認|却下/ }).count(), 0, 'no 承認 or 却下');
            });
        });

        test('a rejection needs a comment; the admin approves with one and the run ends 正常終了', async () => {
            const { page } = suite;
            await page.getByRole('button', { name: 'ok を却下' }).click();
            await page.getByText('ジョブ ok を「却下」しますか？').waitFor();
            assert.equal(await page.getByRole('button', { name: '実行する', exact: true }).isDisabled(), true, 'no rejection without a reason');
            await page.getByRole('button', { name: 'キャンセル', exact: true }).click();

            await page.getByRole('button', { name: 'ok を承認' }).click();
            await page.getByText('ジョブ ok を「承認」しますか？').waitFor();
            await page.getByLabel('コメント').fill('確認結果を見て承認');
            await page.getByRole('button', { name: '実行する', exact: true }).click();
            await page.getByText('ジョブ ok を「承認」しました。').waitFor();

            const status = page.locator('[data-run-status] [data-status="succeeded"]').first();
            await status.waitFor({ timeout: RUN_MS });
            assert.ok(((await status.textContent()) ?? '').includes('正常終了'));
            for (const key of ['check', 'ok', 'rerun']) {
                await page.locator(`tr[data-job="${key}"] [data-job-status] [data-status="succeeded"]`).waitFor();
            }
            assert.equal(await page.getByRole('button', { name: 'ok を承認' }).isDisabled(), true, 'nothing left to approve');
            await screenshot(page, '100-jobnet-run-approved');

            const run = (await app.admin.client.getJobnetRun(approvalRunId)).data;
            assert.equal(run.status, 'succeeded');
            const action = run.events.find((e) => e.kind === 'action' && e.job === 'ok');
            assert.ok(action, 'the approval is an event of the run');
            assert.ok(action.actor, 'the event says who approved');
        });
    });

    describe('a judge: the branch not taken is 分岐により未実行', () => {
        const judgeName = `判定バッチ ${unique('j')}`;
        let judgeRunId = 0;

        test('the run page shows the verdict, the branch taken and the bypassed one in the table and the graph', async () => {
            const { page } = suite;
            const created = await app.admin.client.createJobnet({
                name: judgeName,
                jobs: [
                    // Exit 3 counts as success here, so the judge gets its turn.
                    { key: 'check', name: '確認', type: 'command', command: ['/bin/sh', '-c', 'echo NG; exit 3'], success_codes: [0, 3], after: [] },
                    { key: 'j', name: '判定', type: 'judge', judge: { job: 'check', exit_codes: [0], else: ['light'] }, after: ['check'] },
                    { key: 'heavy', name: '本処理', type: 'command', command: ['/bin/sh', '-c', 'echo heavy'], after: ['j'] },
                    { key: 'light', name: '代替処理', type: 'command', command: ['/bin/sh', '-c', 'echo light'], after: ['j'] },
                    { key: 'archive', name: '保管', type: 'command', command: ['/bin/sh', '-c', 'echo archived'], after: ['heavy'] },
                    { key: 'summary', name: '集計', type: 'command', command: ['/bin/sh', '-c', 'echo summed'], after: ['heavy', 'light'] },
                ],
            });
            judgeRunId = (await app.admin.client.startJobnetRun(created.data.id)).data.id;
            await page.goto(`${app.url}/jobnet-runs/${judgeRunId}`);
            await page.getByRole('heading', { name: `${judgeName} #${judgeRunId}`, level: 1 }).waitFor();
            await page.locator('[data-run-status] [data-status="succeeded"]').first().waitFor({ timeout: RUN_MS });

            const jobState = (key: string, status: string) =>
                page.locator(`tr[data-job="${key}"] [data-job-status] [data-status="${status}"]`);
            for (const key of ['check', 'j', 'light', 'summary']) {
                await jobState(key, 'succeeded').waitFor();
            }
            for (const key of ['heavy', 'archive']) {
                const bypassed = jobState(key, 'bypassed');
                await bypassed.waitFor();
                assert.ok(((await bypassed.textContent()) ?? '').includes('分岐により未実行'), `${key}: the status in words`);
                await page.locator(`.job-graph [data-job="${key}"][data-status="bypassed"]`).waitFor();
            }
            assert.equal(((await page.locator('tr[data-job="check"] [data-exit-code]').textContent()) ?? '').trim(), '3');
            // The judge says 1: its condition does not hold.
            assert.equal(((await page.locator('tr[data-job="j"] [data-exit-code]').textContent()) ?? '').trim(), '1');
            assert.ok(((await page.locator('tr[data-job="j"] [data-job-type="judge"]').textContent()) ?? '').includes('判定'));

            // The verdict and why a job was bypassed are shown without opening them.
            const run = (await app.admin.client.getJobnetRun(judgeRunId)).data;
            const verdict = run.jobs.find((j) => j.key === 'j')?.output ?? '';
            assert.ok(verdict.includes('条件不成立'), `the server's verdict: ${verdict}`);
            const shown = page.locator('[data-output="j"] pre');
            await shown.waitFor({ state: 'attached' });
            assert.equal(await shown.isVisible(), true, 'the verdict is open');
            assert.equal(((await shown.textContent()) ?? '').trim(), verdict.trim());
            assert.ok(((await shown.textContent()) ?? '').includes('check の判定: 終了コード 3 ∈ [0]: 偽 → 条件不成立'));
            const why = page.locator('[data-output="heavy"] pre');
            await why.waitFor({ state: 'attached' });
            assert.equal(await why.isVisible(), true, 'the reason is open');
            assert.ok(((await why.textContent()) ?? '').includes('判定ジョブ j の条件が成立しなかったため実行しません'));
            assert.equal(run.jobs.find((j) => j.key === 'heavy')?.started_at, null, 'a bypassed job never started');

            // The events say so in words.
            const judged = page.locator('tr[data-event="job_judged"]');
            assert.ok(((await judged.textContent()) ?? '').includes('ジョブ判定'));
            assert.equal(await page.locator('tr[data-event="job_bypassed"]').count(), 2, 'an event per bypassed job');
            await screenshot(page, '101-jobnet-run-judge');
        });

        test("the day's Gantt chart lists the bypassed jobs without a bar", async () => {
            const { page } = suite;
            await page.goto(`${app.url}/jobnet-runs`);
            await page.getByRole('heading', { name: 'ジョブ実行', level: 1 }).waitFor();
            await page.getByRole('button', { name: `「${judgeName} #${judgeRunId}」のジョブを表示` }).click();
            const heavy = page.locator('tr[data-gantt-job="heavy"]');
            await heavy.locator('[data-status="bypassed"]').getByText('分岐により未実行').waitFor();
            assert.equal(await heavy.locator('rect.gantt-bar').count(), 0, 'no bar: it never ran');
            assert.equal(await page.locator('tr[data-gantt-job="light"] rect.gantt-bar').count(), 1, 'the branch taken has its bar');
        });
    });

    describe('a jobnet run inside another', () => {
        const innerName = `内側 ${unique('j')}`;
        const outerName = `外側 ${unique('j')}`;
        let outerId = 0;

        test('the run lists the nested jobs as sub/a and sub/b, after what sub waited for', async () => {
            const { page } = suite;
            await app.admin.client.createJobnet({
                name: innerName,
                jobs: [
                    { key: 'a', type: 'command', command: ['/bin/sh', '-c', 'echo inner-a'], after: [] },
                    { key: 'b', type: 'command', command: ['/bin/sh', '-c', 'echo inner-b'], after: ['a'] },
                ],
            });
            const outer = await app.admin.client.createJobnet({
                name: outerName,
                jobs: [
                    { key: 'pre', name: '前処理', type: 'command', command: ['/bin/true'], after: [] },
                    { key: 'sub', name: '内側', type: 'jobnet', jobnet: { name: innerName }, after: ['pre'] },
                    { key: 'post', name: '後処理', type: 'command', command: ['/bin/true'], after: ['sub'] },
                ],
            });
            outerId = outer.data.id;
            const runId = (await app.admin.client.startJobnetRun(outerId)).data.id;
            await page.goto(`${app.url}/jobnet-runs/${runId}`);
            await page.getByRole('heading', { name: `${outerName} #${runId}`, level: 1 }).waitFor();
            await page.locator('[data-run-status] [data-status="succeeded"]').first().waitFor({ timeout: RUN_MS });

            const keys = await page.locator('tr[data-job]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job')));
            assert.deepEqual([...keys].sort(), ['post', 'pre', 'sub/a', 'sub/b'], `the nested jobs in place of sub: ${keys.join(', ')}`);
            for (const key of ['sub/a', 'sub/b']) {
                await page.locator(`tr[data-job="${key}"] [data-job-status] [data-status="succeeded"]`).waitFor();
            }
            await page.locator('[data-output="sub/a"] summary').click();
            await page.locator('[data-output="sub/a"] pre').getByText('inner-a').waitFor();
            // The graph: the nested jobs with their prefix, wired between pre and post.
            const graph = page.locator('.job-graph');
            assert.equal(await graph.locator('[data-job="sub/b"] [data-prefix="sub/"]').count(), 1, 'the prefix on a line of its own');
            assert.equal(await graph.locator('[data-edge="pre→sub/a"]').count(), 1);
            assert.equal(await graph.locator('[data-edge="sub/a→sub/b"]').count(), 1);
            assert.equal(await graph.locator('[data-edge="sub/b→post"]').count(), 1);
            await screenshot(page, '102-jobnet-run-nested');
        });

        test('naming a jobnet that does not exist is refused under the jobs, in Japanese', async () => {
            const { page } = suite;
            await page.goto(`${app.url}/jobnets/${outerId}`);
            await page.getByRole('heading', { name: outerName, level: 1 }).waitFor();
            const jobs: JobDefinition[] = [
                { key: 'pre', type: 'command', command: ['/bin/true'], after: [] },
                { key: 'sub', type: 'jobnet', jobnet: { name: 'nosuch' }, after: ['pre'] },
            ];
            await page.getByLabel('ジョブ (JSON)').fill(JSON.stringify(jobs, null, 2));
            await page.getByRole('button', { name: '保存', exact: true }).click();
            const error = page.locator('#jobnet-jobs-error');
            await error.waitFor();
            const text = (await error.textContent()) ?? '';
            assert.ok(text.includes('jobs[1].jobnet.name'), `the refusal names the job: ${text}`);
            assert.ok(text.includes('ジョブネット「nosuch」はありません'), `the refusal in Japanese: ${text}`);

            // Under the jobs, how each type is written (opened on demand).
            const help = page.locator('[data-job-types-help]');
            await help.getByText('ジョブの種類と書き方', { exact: true }).click();
            for (const [type, label] of [
                ['judge', '判定'],
                ['jobnet', 'ジョブネット (入れ子)'],
                ['report', '運用報告書'],
                ['file_transfer', 'ファイル転送'],
            ] as const) {
                const term = help.locator(`dt[data-job-type="${type}"]`);
                await term.waitFor();
                assert.ok(((await term.textContent()) ?? '').includes(label), `${type} in words`);
            }
            assert.ok(((await help.textContent()) ?? '').includes('success_codes'), 'the members every job takes');
            const report = (await help.locator('dt[data-job-type="report"] + dd').textContent()) ?? '';
            assert.ok(report.includes('var/reports') && report.includes('mail: true'), `what a report job does: ${report}`);
            await screenshot(page, '103-jobnet-job-types');
        });
    });

    describe('the YAML editor', () => {
        const yamlName = `YAML バッチ ${unique('j')}`;
        const otherName = `別のバッチ ${unique('j')}`;
        let yamlId = 0;
        const yamlJobs: JobDefinition[] = [
            { key: 'first', name: '最初', type: 'command', command: ['/bin/sh', '-c', 'echo before-edit'], after: [] },
            { key: 'second', name: '次', type: 'command', command: ['/bin/true'], after: ['first'] },
        ];

        test("from a jobnet's page it holds that jobnet: 確認 counts the change, 保存 writes it", async () => {
            const { page } = suite;
            yamlId = (await app.admin.client.createJobnet({ name: yamlName, jobs: yamlJobs })).data.id;
            await app.admin.client.createJobnet({ name: otherName, jobs: [{ key: 'only', type: 'command', command: ['/bin/true'], after: [] }] });
            await page.goto(`${app.url}/jobnets/${yamlId}`);
            await page.getByRole('heading', { name: yamlName, level: 1 }).waitFor();
            await page.getByRole('link', { name: 'YAMLで編集', exact: true }).click();
            await page.getByRole('heading', { name: `ジョブネット「${yamlName}」を YAML で編集`, level: 2 }).waitFor();
            assert.equal(new URL(page.url()).searchParams.get('name'), yamlName, 'the address names the jobnet');

            const editor = page.getByLabel('定義 (YAML)', { exact: true });
            await editor.waitFor();
            const text = await editor.inputValue();
            assert.ok(text.includes(`name: ${yamlName}`), `the jobnet's definition: ${text}`);
            assert.ok(text.includes('echo before-edit'), 'with its jobs');
            assert.ok(!text.includes(otherName), 'and no other jobnet');

            const changed = text.replace('echo before-edit', 'echo after-edit');
            assert.notEqual(changed, text, 'the command is in the text');
            await editor.fill(changed);
            await page.getByRole('button', { name: '確認', exact: true }).click();
            const checked = page.locator('[data-import-summary="dry-run"]');
            await checked.waitFor();
            const checkedText = (await checked.textContent()) ?? '';
            assert.ok(checkedText.includes('作成 0 件・更新 1 件・変更なし 0 件'), `the dry run's counts: ${checkedText}`);
            assert.deepEqual(
                (await app.admin.client.getJobnet(yamlId)).data.jobs[0]?.command,
                ['/bin/sh', '-c', 'echo before-edit'],
                'the dry run wrote nothing',
            );
            await screenshot(page, '104-jobnet-yaml-checked');

            await page.getByRole('button', { name: '保存', exact: true }).click();
            const saved = page.locator('[data-import-summary="saved"]');
            await saved.waitFor();
            const savedText = (await saved.textContent()) ?? '';
            assert.ok(savedText.includes('保存しました') && savedText.includes('更新 1 件'), `the import's counts: ${savedText}`);
            const stored = (await app.admin.client.getJobnet(yamlId)).data;
            assert.deepEqual(stored.jobs[0]?.command, ['/bin/sh', '-c', 'echo after-edit'], 'the changed command is saved');
            assert.deepEqual(stored.jobs[1]?.after, ['first'], 'the rest as it was');
            // The list under the editor is reloaded and still shows the jobnet once.
            assert.equal(await page.locator(`tr[data-jobnet="${yamlId}"]`).count(), 1);
        });

        test('an `after` naming a missing key is refused with its member named, and nothing is written', async () => {
            const { page } = suite;
            const before = (await app.admin.client.getJobnet(yamlId)).data;
            const editor = page.getByLabel('定義 (YAML)', { exact: true });
            const text = await editor.inputValue();
            const broken = text.replace('after: [first]', 'after: [nosuch]');
            assert.notEqual(broken, text, "the second job's after is in the text");
            await editor.fill(broken.replace('echo after-edit', 'echo not-saved'));
            await page.getByRole('button', { name: '保存', exact: true }).click();

            const error = page.locator('#jobnet-yaml-error');
            await error.waitFor();
            const message = (await error.textContent()) ?? '';
            assert.ok(message.includes('jobnets[0].jobs[1].after'), `the refusal names the member: ${message}`);
            assert.ok(message.includes('キー「nosuch」のジョブはありません'), `the refusal in Japanese: ${message}`);
            assert.equal(await editor.getAttribute('aria-invalid'), 'true');
            assert.equal(await page.locator('[data-import-summary]').count(), 0, 'no counts for a refused text');
            await screenshot(page, '105-jobnet-yaml-refused');

            const after = (await app.admin.client.getJobnet(yamlId)).data;
            assert.equal(after.version, before.version, 'nothing was written');
            assert.deepEqual(after.jobs[0]?.command, ['/bin/sh', '-c', 'echo after-edit']);
            assert.deepEqual(after.jobs[1]?.after, ['first']);
        });

        test('from the list it holds every jobnet and downloads the text as jobnets.yaml', async () => {
            const { page } = suite;
            await page.goto(`${app.url}/jobnets`);
            await page.getByRole('heading', { name: 'ジョブネット', level: 1 }).waitFor();
            await page.getByRole('link', { name: 'YAMLで編集', exact: true }).click();
            await page.getByRole('heading', { name: 'すべてのジョブネットを YAML で編集', level: 2 }).waitFor();
            const editor = page.getByLabel('定義 (YAML)', { exact: true });
            await editor.waitFor();
            const text = await editor.inputValue();
            for (const n of [yamlName, otherName]) {
                assert.ok(text.includes(`name: ${n}`), `every jobnet: ${n}`);
            }
            const [download] = await Promise.all([
                page.waitForEvent('download'),
                page.getByRole('button', { name: 'ダウンロード', exact: true }).click(),
            ]);
            assert.equal(download.suggestedFilename(), 'jobnets.yaml');
            const file = await download.path();
            assert.equal(await readFile(file, 'utf8'), text, 'the text as shown');
        });
    });
});
