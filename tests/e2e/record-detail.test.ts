// A record's page beyond its fields: files attached and downloaded (and refused in place when the
// type, the content or the size is wrong); the responsible organisation and the assignee chosen,
// saved and kept in the timeline, then used as list filters kept in the URL; similar past
// incidents offered when an incident is raised (INC-7) and listed beside it.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import type { Organization, User } from '../../web/src/api/client.ts';
import { strongPassword, unique } from '../api/helpers.ts';
import { screenshot, useAdminPage, useConsole } from './console.ts';

describe('console record detail', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/incidents', '障害');
    let org: Organization;
    let tanaka: User;

    before(async () => {
        const client = app.admin.client;
        org = (await client.createOrganization({ name: '情報政策課', kind: 'owner', code: unique('JS') })).data;
        tanaka = (
            await client.createUser({
                login: unique('tanaka'),
                display_name: '田中 一郎',
                organization_id: org.id,
                roles: ['operator'],
                password: strongPassword(),
            })
        ).data;
    });

    test('a file is attached, listed with its size and uploader, downloaded, and bad files are refused at the input', async () => {
        const page = suite.page;
        const client = app.admin.client;
        const incident = (
            await client.createRecord('incidents', { title: '帳票サーバーの応答遅延', source: 'monitoring' })
        ).data;
        await page.goto(`${app.url}/incidents/${incident.id}`);
        const files = page.getByRole('region', { name: '添付ファイル' });
        await files.getByText('添付ファイルはありません。').waitFor();

        const report = Buffer.from('障害報告書\r\n発生: 2026/11/20 23:00\r\n', 'utf8');
        const input = files.getByLabel('添付するファイル');
        await input.setInputFiles({ name: '障害報告書.txt', mimeType: 'text/plain', buffer: report });
        await files.getByRole('button', { name: '添付する', exact: true }).click();
        await files.getByText('「障害報告書.txt」を添付しました。').waitFor();
        const item = files.getByRole('listitem').filter({ hasText: '障害報告書.txt' });
        await item.waitFor();
        const text = (await item.textContent()) ?? '';
        assert.match(text, new RegExp(`${report.length} B`), 'the size in bytes');
        assert.match(text, /text\/plain/);
        assert.match(text, /登録 admin/);
        await page.getByRole('region', { name: '経過' }).getByText('「障害報告書.txt」を添付').waitFor();
        await screenshot(page, '56-record-attachments');

        const [download] = await Promise.all([
            page.waitForEvent('download'),
            files.getByRole('link', { name: '障害報告書.txt' }).click(),
        ]);
        assert.equal(download.suggestedFilename(), '障害報告書.txt');
        assert.deepEqual(await readFile(await download.path()), report, 'the same bytes come back');

        // A type the server does not accept: refused, with the reason at the input.
        await input.setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ\x90\x00') });
        await files.getByRole('button', { name: '添付する', exact: true }).click();
        await files.locator('#attachment-file-error').getByText('この種類のファイル (application/x-msdownload) は添付できません').waitFor();
        assert.equal(await input.getAttribute('aria-invalid'), 'true');

        // A file named PNG that is not one.
        await input.setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
        await files.getByRole('button', { name: '添付する', exact: true }).click();
        await files.locator('#attachment-file-error').getByText('ファイルの内容が種類 (image/png) と一致しません').waitFor();

        // Over the limit: refused before it is sent.
        await input.setInputFiles({ name: 'dump.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x25) });
        await files.getByRole('button', { name: '添付する', exact: true }).click();
        await files.locator('#attachment-file-error').getByText('ファイルが大きすぎます。10.0 MB 以下のファイルを添付してください。').waitFor();

        // A CSV that Windows calls an Excel file goes as text/csv and is accepted.
        await input.setInputFiles({ name: '影響範囲.csv', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from('課,件数\r\n市民課,3\r\n') });
        await files.getByRole('button', { name: '添付する', exact: true }).click();
        await files.getByText('「影響範囲.csv」を添付しました。').waitFor();
        assert.equal(await input.getAttribute('aria-invalid'), null, 'the refusal is gone');

        const stored = (await client.listAttachments('incidents', incident.id)).items;
        assert.deepEqual(
            stored.map((a) => [a.file_name, a.content_type]).sort(),
            [
                ['影響範囲.csv', 'text/csv'],
                ['障害報告書.txt', 'text/plain'],
            ],
            'only the accepted files were stored',
        );
    });

    test('the organisation and assignee are chosen on the record, kept in the timeline, and filter the list', async () => {
        const page = suite.page;
        const client = app.admin.client;
        const mine = (await client.createRecord('incidents', { title: '庁内ネットワークの瞬断', source: 'monitoring' })).data;
        const other = (await client.createRecord('incidents', { title: '窓口端末のプリンタ故障', source: 'user_report' })).data;
        await page.goto(`${app.url}/incidents/${mine.id}`);
        const fields = page.getByRole('region', { name: '記録内容' });
        const orgSelect = fields.getByLabel('担当組織');
        const assigneeSelect = fields.getByLabel('担当者', { exact: true });
        assert.equal(await orgSelect.inputValue(), '', 'none yet');
        await orgSelect.selectOption({ label: '情報政策課' });
        await assigneeSelect.selectOption({ label: `田中 一郎 (${tanaka.login})` });
        await fields.getByRole('button', { name: '保存' }).click();
        await page.getByText('保存しました。').waitFor();

        const timeline = page.getByRole('region', { name: '経過' });
        const orgChange = timeline.getByRole('listitem').filter({ hasText: '担当組織を変更' });
        await orgChange.waitFor();
        assert.match((await orgChange.textContent()) ?? '', /\(空\)\s*→\s*から次へ変更:情報政策課/);
        const assigneeChange = timeline.getByRole('listitem').filter({ hasText: '担当者を変更' });
        assert.match((await assigneeChange.textContent()) ?? '', new RegExp(`田中 一郎 \\(${tanaka.login}\\)`));
        const saved = (await client.getRecord('incidents', mine.id)).data;
        assert.equal(saved.organization_id, org.id);
        assert.equal(saved.assignee_id, tanaka.id);

        await page.reload();
        await fields.getByLabel('担当組織').waitFor();
        await page.waitForFunction(
            (id) => (document.querySelector('#rec-assignee') as HTMLSelectElement | null)?.value === id,
            String(tanaka.id),
        );
        assert.equal(await orgSelect.inputValue(), String(org.id), 'kept after a reload');

        // The list filters by organisation, then by assignee; both stay in the URL.
        await page.goto(`${app.url}/incidents`);
        const rows = page.getByRole('row');
        await rows.filter({ hasText: other.key }).waitFor();
        const filters = page.getByRole('search', { name: '絞り込み' });
        await filters.getByLabel('担当組織').selectOption({ label: '情報政策課' });
        await filters.getByRole('button', { name: '検索' }).click();
        await page.getByText('1 件を表示').waitFor();
        assert.match(page.url(), new RegExp(`organization_id=${org.id}`));
        assert.equal(await rows.filter({ hasText: mine.key }).count(), 1);
        assert.equal(await rows.filter({ hasText: other.key }).count(), 0);
        await screenshot(page, '57-incidents-by-organization');

        await filters.getByRole('button', { name: 'クリア' }).click();
        await rows.filter({ hasText: other.key }).waitFor();
        await filters.getByLabel('担当者').selectOption({ label: `田中 一郎 (${tanaka.login})` });
        await filters.getByRole('button', { name: '検索' }).click();
        await page.getByText('1 件を表示').waitFor();
        assert.match(page.url(), new RegExp(`assignee_id=${tanaka.id}`));
        await page.reload();
        await page.getByText('1 件を表示').waitFor();
        assert.equal(await rows.filter({ hasText: mine.key }).count(), 1, 'the filter survives a reload');
        assert.equal(await page.getByRole('search', { name: '絞り込み' }).getByLabel('担当者').inputValue(), String(tanaka.id));
    });

    test('raising an incident like a past one offers the past one, with its permanent fix', async () => {
        const page = suite.page;
        const past = (
            await app.admin.client.createRecord('incidents', {
                title: '財務会計システムにログインできない',
                source: 'user_report',
                event: '財務会計システムのログイン画面でタイムアウトする',
                permanent_fix: '認証サーバーの証明書を更新した',
            })
        ).data;
        await page.goto(`${app.url}/incidents/new`);
        await page.getByLabel('件名').fill('財務会計システムにログインできない (会計課)');
        await page.getByLabel('検知経路').selectOption({ label: '利用者からの連絡' });
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(/INC-\d{6} を起票しました。/).waitFor();

        const offered = page.getByRole('region', { name: /類似する過去の障害が \d+ 件あります/ });
        await offered.waitFor();
        const first = offered.getByRole('listitem').first();
        assert.match((await first.textContent()) ?? '', new RegExp(`${past.key} 財務会計システムにログインできない`));
        assert.match((await first.textContent()) ?? '', /本対応: 認証サーバーの証明書を更新した/);
        await screenshot(page, '58-incident-similar-offered');

        await offered.getByRole('button', { name: '閉じる' }).click();
        assert.equal(await offered.count(), 0, 'dismissed');
        // The incident's own panel keeps listing them, as links.
        const panel = page.getByRole('region', { name: '類似する過去の障害', exact: true });
        await panel.getByRole('link', { name: past.key }).click();
        await page.getByRole('heading', { name: `${past.key} 財務会計システムにログインできない`, level: 1 }).waitFor();
    });
});
