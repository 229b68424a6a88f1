// Knowledge entries linked to the records they help with (docs/knowledge.md; KNW-1, INC-6). An
// approved workaround's page (関連する記録): an admin links a problem by its key and an incident by
// its id as having applied the workaround (回避策を適用); a key no record has is refused at the field;
// the problem's link is removed. A workaround not yet approved cannot be applied: the refusal is
// shown in words. On the incident's page (ナレッジ) the applied workaround is listed; a search finds
// the entries by a word, links one, and applies the approved workaround to a second incident; the
// timeline says so in words.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { KnowledgeEntry, LedgerRecord } from '../../web/src/api/client.ts';
import { screenshot, useAdminPage, useConsole } from './console.ts';

const APPROVED = 'DB 接続枯渇の回避策 E2E';
const PENDING = '帳票サーバ再起動の回避策 E2E';
const FAQ = 'パスワードを忘れたとき E2E';

describe('console: knowledge entries and records', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/knowledge', 'ナレッジ');
    let approved: KnowledgeEntry;
    let pending: KnowledgeEntry;
    let incident: LedgerRecord;
    let second: LedgerRecord;
    let problem: LedgerRecord;

    before(async () => {
        const client = app.admin.client;
        approved = await client.createKnowledge({ kind: 'workaround', title: APPROVED, body: 'コネクションプールを再起動する。' });
        approved = await client.actOnKnowledge(approved.id, 'approve');
        pending = await client.createKnowledge({ kind: 'workaround', title: PENDING, body: '帳票サーバのサービスを再起動する。' });
        await client.createKnowledge({ kind: 'faq', title: FAQ, body: 'パスワード再設定を依頼してください。' });
        incident = (await client.createRecord('incidents', { title: '住民票発行の遅延 E2E', severity: 'high', source: 'monitoring' })).data;
        second = (await client.createRecord('incidents', { title: '証明書発行の遅延 E2E', severity: 'medium', source: 'monitoring' })).data;
        problem = (await client.createRecord('problems', { title: 'DB 接続枯渇の根本原因 E2E' })).data;
    });

    test("an approved workaround's page links a problem by key and an incident by id as applied; an unknown key is refused; a link is removed", async () => {
        const { page } = suite;
        await page.goto(`${app.url}/knowledge/${approved.id}`);
        await page.getByRole('heading', { name: APPROVED, level: 1 }).waitFor();
        const section = page.getByRole('region', { name: '関連する記録' });
        await section.getByText('関連付けた記録はありません。').waitFor();

        const field = section.getByLabel('記録のキーまたは ID');
        await field.fill('INC-999999');
        await section.getByRole('button', { name: '関連付ける' }).click();
        await section.locator('.field-error').getByText('キー INC-999999 の記録はありません。').waitFor();

        await field.fill(problem.key);
        await section.getByRole('button', { name: '関連付ける' }).click();
        await section.getByText(`${problem.key} を関連付けました。`).waitFor();
        await section.locator(`li[data-record="${problem.id}"]`).getByRole('link', { name: problem.key }).waitFor();

        await field.fill(String(incident.id));
        await section.getByLabel('この障害でこの回避策を適用した').check();
        await section.getByRole('button', { name: '関連付ける' }).click();
        await section.getByText(`${incident.key} に回避策の適用を記録しました。`).waitFor();
        const applied = section.locator(`li[data-record="${incident.id}"]`);
        await applied.getByText('回避策を適用').waitFor();
        assert.equal(await applied.getByRole('link', { name: incident.key }).getAttribute('href'), `/incidents/${incident.id}`);

        const stored = await app.admin.client.getKnowledge(approved.id);
        assert.deepEqual(
            (stored.links ?? []).map((l) => [l.key, l.applied]).sort(),
            [
                [incident.key, true],
                [problem.key, false],
            ].sort(),
        );
        await screenshot(page, 'knowledge-records');

        await section.getByRole('button', { name: `${problem.key} との関連付けを外す` }).click();
        await section.getByText(`${problem.key} との関連付けを外しました。`).waitFor();
        assert.equal(await section.locator(`li[data-record="${problem.id}"]`).count(), 0);
        assert.deepEqual(((await app.admin.client.getKnowledge(approved.id)).links ?? []).map((l) => l.key), [incident.key]);
    });

    test('a workaround not approved is refused as applied, in words', async () => {
        const { page } = suite;
        await page.goto(`${app.url}/knowledge/${pending.id}`);
        await page.getByRole('heading', { name: PENDING, level: 1 }).waitFor();
        const section = page.getByRole('region', { name: '関連する記録' });
        await section.getByLabel('記録のキーまたは ID').fill(incident.key);
        await section.getByLabel('この障害でこの回避策を適用した').check();
        await section.getByRole('button', { name: '関連付ける' }).click();
        await section.getByRole('alert').waitFor();
        assert.match((await section.getByRole('alert').textContent()) ?? '', /承認/);
        assert.deepEqual((await app.admin.client.getKnowledge(pending.id)).links ?? [], []);
    });

    test("the incident's page lists its knowledge; a search links an entry and applies the workaround to another incident; the timeline says so", async () => {
        const { page } = suite;
        await page.goto(`${app.url}/incidents/${incident.id}`);
        const section = page.getByRole('region', { name: 'ナレッジ', exact: true });
        const listed = section.locator(`[data-record-knowledge] li[data-knowledge="${approved.id}"]`);
        await listed.getByRole('link', { name: APPROVED }).waitFor();
        await listed.getByText('回避策を適用').waitFor();

        await section.getByLabel('ナレッジを検索').fill('回避策');
        await section.getByRole('button', { name: '検索' }).click();
        const results = section.locator('[data-knowledge-results]');
        await results.locator(`li[data-knowledge="${pending.id}"]`).waitFor();
        assert.equal(await results.locator(`li[data-knowledge="${approved.id}"]`).getByText('関連付け済み').count(), 1);
        await results.getByRole('button', { name: `「${PENDING}」を関連付ける` }).click();
        await section.getByText(`ナレッジ「${PENDING}」を関連付けました。`).waitFor();
        await section.locator(`[data-record-knowledge] li[data-knowledge="${pending.id}"]`).waitFor();
        assert.equal(
            await section.getByRole('button', { name: `回避策「${PENDING}」を適用` }).count(),
            0,
            'a workaround not approved offers no apply',
        );

        const timeline = page.getByRole('region', { name: '経過' });
        const entries = timeline.locator('li.tl-knowledge .tl-text');
        await entries.nth(1).waitFor();
        const texts = await entries.allTextContents();
        assert.ok(texts[0]?.startsWith(`回避策を適用: 「${APPROVED}」`), texts[0]);
        assert.ok(texts[1]?.startsWith(`ナレッジ (回避策) を関連付け: 「${PENDING}」`), texts[1]);
        await screenshot(page, 'knowledge-incident');

        // A second incident applies the approved workaround from the search.
        await page.goto(`${app.url}/incidents/${second.id}`);
        const other = page.getByRole('region', { name: 'ナレッジ', exact: true });
        await other.getByText('関連付けたナレッジはありません。').waitFor();
        await other.getByLabel('ナレッジを検索').fill('DB 接続');
        await other.getByRole('button', { name: '検索' }).click();
        await other.getByRole('button', { name: `回避策「${APPROVED}」を適用` }).first().click();
        await other.getByText(`回避策「${APPROVED}」の適用を記録しました。`).waitFor();
        await other.locator(`[data-record-knowledge] li[data-knowledge="${approved.id}"]`).getByText('回避策を適用').waitFor();
        const links = (await app.admin.client.getKnowledge(approved.id)).links ?? [];
        assert.equal(links.find((l) => l.record_id === second.id)?.applied, true);
    });
});
