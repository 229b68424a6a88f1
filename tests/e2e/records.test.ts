// The ledger in the console, as a new user meets it: raise an incident for a failure recognised at
// 23:00 on Friday 2026-11-20 (Japan time), read its three clocks (due Saturday 11:00), walk it
// through isolation and recovery, fail to close it without a permanent fix and close it with one;
// export the list; a change whose document is not updated cannot be closed; the dashboard cards.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { screenshot, useAdminPage, useConsole } from './console.ts';

const TITLE = '住民記録システムの帳票が印刷できない';

describe('console record ledger', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/incidents', '障害');

    test('an incident raised for Friday 23:00 has three clocks due Saturday 11:00 and closes only with a permanent fix', async () => {
        const page = suite.page;
        await page.getByRole('link', { name: '障害を起票' }).click();
        await page.getByRole('heading', { name: '障害の起票', level: 1 }).waitFor();
        await page.getByLabel('件名').fill(TITLE);
        await page.getByLabel('重要度').selectOption({ label: '高' });
        await page.getByLabel('検知経路').selectOption({ label: '利用者からの連絡' });
        await page.getByLabel('障害認知日時').fill('2026-11-20T23:00');
        await page.getByLabel('事象').fill('住民票の写しを印刷するとエラーになる');
        await page.getByRole('button', { name: '登録' }).click();

        const heading = page.getByRole('heading', { level: 1 });
        await page.getByText(/INC-\d{6} を起票しました。/).waitFor();
        const key = /INC-\d{6}/.exec((await heading.textContent()) ?? '')?.[0];
        assert.ok(key, 'the heading names the key');
        assert.equal(await heading.textContent(), `${key} ${TITLE}`);
        assert.equal(await page.getByLabel('障害認知日時').inputValue(), '2026-11-20T23:00', 'shown back in Japan time');

        const sla = page.getByRole('region', { name: 'SLA' });
        const clocks = sla.getByRole('listitem');
        assert.equal(await clocks.count(), 3);
        for (const label of ['発注者への通知', '復旧見込みの連絡', '復旧の報告']) {
            const clock = clocks.filter({ hasText: label });
            assert.match((await clock.textContent()) ?? '', /期限 2026\/11\/21 11:00/, `${label} is due Saturday 11:00`);
        }
        // The time left (or overdue) counts every second.
        const status = sla.getByRole('timer').first();
        const before = await status.textContent();
        assert.match(before ?? '', /^(残り|.* 超過$)/);
        await page.waitForFunction(
            ([el, text]) => (el as Element).textContent !== text,
            [await status.elementHandle(), before] as const,
            { timeout: 3000 },
        );
        await screenshot(page, '50-incident-detail');

        const moves = page.getByRole('region', { name: '状態の変更' });
        for (const [button, state] of [
            ['切り分け開始', '切り分け中'],
            ['対応開始', '対応中'],
            ['復旧', '復旧'],
        ] as const) {
            await moves.getByRole('button', { name: button, exact: true }).click();
            await moves.getByText(`「${button}」を実行しました。`).waitFor();
            await page.locator('.page-header .badge', { hasText: state }).first().waitFor();
        }
        assert.equal(await moves.getByRole('button', { name: '完了', exact: true }).count(), 1, 'closing is offered once recovered');
        assert.equal(await moves.getByRole('button', { name: '切り分け開始' }).count(), 0, 'only allowed moves are shown');

        // Closing without a permanent fix is refused and says why at the field.
        await moves.getByRole('button', { name: '完了', exact: true }).click();
        await moves.getByText('「完了」を実行できません。').waitFor();
        await moves.getByText('本対応が未入力です').waitFor();
        await screenshot(page, '51-incident-close-refused');
        await moves.getByLabel('本対応').fill('プリンタドライバを更新し、手順書に反映した');
        await moves.getByRole('button', { name: '完了を実行' }).click();
        await moves.getByText('「完了」を実行しました。').waitFor();
        await page.locator('.page-header .badge', { hasText: '完了' }).waitFor();
        assert.equal(await moves.getByText('この状態から行える操作はありません。').count(), 1);

        const timeline = page.getByRole('region', { name: '経過' });
        await timeline.getByText('状態: 復旧 → 完了').waitFor();
        for (const text of ['起票 (受付)', '状態: 受付 → 切り分け中', '状態: 切り分け中 → 対応中', '本対応を変更']) {
            await timeline.getByText(text).first().waitFor();
        }
        const saved = await app.admin.client.listRecords('incidents', { q: TITLE });
        assert.equal(saved.items[0]?.status, 'closed');
        assert.equal(saved.items[0]?.['permanent_fix'], 'プリンタドライバを更新し、手順書に反映した');

        await timeline.getByLabel('コメント').fill('利用者へ復旧を連絡済み');
        await timeline.getByRole('button', { name: 'コメントを追加' }).click();
        await timeline.locator('.tl-comment-body', { hasText: '利用者へ復旧を連絡済み' }).waitFor();
        await screenshot(page, '52-incident-closed');
    });

    test('the incident list filters, and exports to Excel and CSV with the Japanese title', async () => {
        const page = suite.page;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '障害', exact: true }).click();
        await page.getByRole('heading', { name: '障害', level: 1 }).waitFor();
        const row = page.getByRole('row').filter({ hasText: TITLE });
        await row.waitFor();
        assert.match((await row.textContent()) ?? '', /完了.*高/);
        await screenshot(page, '53-incidents');

        await page.getByLabel('未完了のみ').check();
        await page.getByRole('button', { name: '検索' }).click();
        await page.getByText('0 件を表示').waitFor();
        assert.match(page.url(), /open=true/);
        await page.getByRole('button', { name: 'クリア' }).click();
        await row.waitFor();

        const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel' }).click()]);
        assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
        assert.equal((await readFile(await xlsx.path())).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');

        const [csv] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('link', { name: 'CSV', exact: true }).click(),
        ]);
        const bytes = await readFile(await csv.path());
        assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM');
        const text = new TextDecoder().decode(bytes.subarray(3));
        assert.ok(text.startsWith('キー,件名,状態'), text.slice(0, 80));
        assert.ok(text.includes(TITLE), 'the Japanese title is in the file');
        const sjis = (await page.getByRole('link', { name: 'CSV (Shift_JIS)' }).getAttribute('href')) ?? '';
        assert.match(sjis, /^\/api\/v1\/incidents\?.*encoding=cp932/);
    });

    test('a change whose document is not updated cannot be closed', async () => {
        const page = suite.page;
        await page.goto(`${app.url}/changes/new`);
        await page.getByRole('heading', { name: '変更の起票', level: 1 }).waitFor();
        await page.getByLabel('件名').fill('OS パッチ適用 (2026年11月)');
        await page.getByLabel('区分').selectOption({ label: '保守' });
        await page.getByRole('button', { name: '文書を追加' }).click();
        await page.getByLabel('文書名 1').fill('運用手順書');
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(/CHG-\d{6} を起票しました。/).waitFor();

        const moves = page.getByRole('region', { name: '状態の変更' });
        for (const button of ['承認', '実施開始']) {
            await moves.getByRole('button', { name: button, exact: true }).click();
            await moves.getByText(`「${button}」を実行しました。`).waitFor();
        }
        // A move with a required field asks for it first.
        await moves.getByRole('button', { name: '実施完了', exact: true }).click();
        await moves.getByLabel('実施結果').fill('全サーバーに適用した');
        await moves.getByRole('button', { name: '実施完了を実行' }).click();
        await moves.getByText('「実施完了」を実行しました。').waitFor();

        await moves.getByRole('button', { name: '完了', exact: true }).click();
        await moves.getByText('「完了」を実行できません。').waitFor();
        await moves.getByText('文書「運用手順書」の更新が済んでいません').waitFor();
        await page.locator('.page-header .badge', { hasText: '実施済み' }).waitFor();
        await screenshot(page, '54-change-documents-refused');

        // Marking the document updated in the same form closes it.
        await moves.getByLabel('更新済み').check();
        await moves.getByRole('button', { name: '完了を実行' }).click();
        await moves.getByText('「完了」を実行しました。').waitFor();
        await page.locator('.page-header .badge', { hasText: '完了' }).waitFor();
    });

    test('the dashboard shows open incidents by severity, clocks near breach and unanswered inquiries', async () => {
        const page = suite.page;
        const client = app.admin.client;
        await client.createRecord('incidents', {
            title: '基幹系停止',
            severity: 'critical',
            source: 'monitoring',
            recognized_at: '2026-11-20T23:00:00+09:00',
        });
        const inquiry = (await client.createRecord('inquiries', { title: '証明書の発行手順について', channel: 'phone' })).data;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'ダッシュボード' }).click();
        const open = page.getByRole('region', { name: '未完了の障害' });
        await open.getByText('未完了 合計 1 件').waitFor();
        assert.equal(await open.getByRole('link', { name: '1', exact: true }).count(), 1, 'one critical');
        const near = page.getByRole('region', { name: 'SLA 期限の近い障害' });
        await near.getByRole('listitem').first().waitFor();
        assert.equal(await near.getByRole('listitem').count(), 3, 'the critical incident’s three clocks');
        const inquiries = page.getByRole('region', { name: '未回答の問い合わせ' });
        await inquiries.getByText(inquiry.key).waitFor();
        await inquiries.getByText('未回答 1 件').waitFor();
        await screenshot(page, '55-dashboard-ledger');
    });
});
