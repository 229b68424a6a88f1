// Role division matrices over the API (issue 7: ORG-2), as a new user would: import the role table
// of seed 000 as its document prints it, first as a dry run (nothing written), then for real with
// its organisations made; see 135 work items with their marks (work item 112 with its main
// organisation, and a failure raised against it routed there); export it and import the export again to the same cells; change one cell with
// If-Match (a stale version is refused); seed 001 with its ●/○ legend gives 41 items; an operator
// cannot import; a name in use is refused.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { useServer } from './harness.ts';
import {
    errorFields, expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn,
} from './helpers.ts';

interface Item {
    id: number;
    seq: number;
    title: string;
    path: string[];
    section: boolean;
    cells: Record<string, 'main' | 'support'>;
}
interface Matrix {
    id: number;
    name: string;
    main_mark: string;
    support_mark: string;
    version: number;
    item_count: number;
    columns: { position: number; name: string; organization_id: number | null }[];
    items: Item[];
}
interface Imported {
    dry_run: boolean;
    matrix: Matrix;
    warnings: string[];
    organizations_created: string[];
    unmatched: string[];
}

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../fixtures/seeds', name), 'utf8');

describe('role division matrix: import as printed, read, export, change', () => {
    const server = useServer();
    let admin: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
    });

    const post = (who: SignedIn, query: string, body: string) =>
        fetch(`${server.baseUrl}/api/v1/raci/import?${query}`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain; charset=utf-8', Cookie: who.jar.header() ?? '', 'X-CSRF-Token': who.session.csrf_token },
            body,
        });
    const json = <T>(method: string, p: string, body?: unknown, status = 200) => expectJson<T>(server, admin, method, p, body, status);

    test('seed 000: a dry run writes nothing; the import gives 135 work items with their marks', async () => {
        const name = unique('年金システム役割分担');
        const dry = await post(admin, `name=${encodeURIComponent(name)}&dry_run=true&create_organizations=true`, fixture('raci_000.txt'));
        assert.equal(dry.status, 200, await dry.clone().text());
        const preview = (await dry.json()) as Imported;
        assert.equal(preview.dry_run, true);
        assert.equal(preview.matrix.item_count, 135);
        assert.equal(preview.organizations_created.length, 8);
        const list = await json<{ items: Matrix[] }>('GET', '/api/v1/raci');
        assert.ok(!list.items.some((m) => m.name === name), 'a dry run stores nothing');
        const orgs = await json<{ items: { name: string }[] }>('GET', '/api/v1/organizations?limit=500');
        assert.ok(!orgs.items.some((o) => o.name === 'サーバ運用監視サービス業者'), 'nor organisations');

        const res = await post(admin, `name=${encodeURIComponent(name)}&create_organizations=true`, fixture('raci_000.txt'));
        assert.equal(res.status, 201, await res.clone().text());
        const imported = (await res.json()) as Imported;
        assert.deepEqual(imported.organizations_created, imported.matrix.columns.map((c) => c.name));
        assert.deepEqual(imported.unmatched, []);
        assert.ok(imported.warnings.some((w) => w.includes('機構LAN構築業者')), imported.warnings.join('\n'));

        const m = await json<Matrix>('GET', `/api/v1/raci/${imported.matrix.id}`);
        assert.equal(m.main_mark, '○');
        assert.equal(m.support_mark, '△');
        assert.equal(m.items.length, 135);
        assert.deepEqual(m.items.map((i) => i.seq), Array.from({ length: 135 }, (_, i) => i + 1));
        assert.equal(m.items.filter((i) => i.section).length, 27);
        const accept = m.items.find((i) => i.seq === 112)!;
        assert.equal(accept.title, '障害受付');
        assert.deepEqual(accept.path, ['障害時運用', 'エンドユーザ検知時']);
        assert.deepEqual(accept.cells, { 3: 'main' });
        assert.equal(m.columns[3]!.name, 'サーバアプリ開発等業者');
        assert.notEqual(m.columns[3]!.organization_id, null);
        assert.deepEqual(m.items.find((i) => i.seq === 113)!.cells,
            { 0: 'support', 1: 'support', 2: 'support', 3: 'main', 4: 'support', 5: 'support', 6: 'support' });

        // A failure raised against work item 112 goes to its main organisation (ORG-3); the
        // timeline says who is main and who supports (113 has six supporting organisations).
        const inc = await json<{ id: number; organization_id: number | null }>('POST', '/api/v1/incidents',
            { title: '業務端末からログインできない', severity: 'high', source: 'user_report', work_item_id: accept.id }, 201);
        assert.equal(inc.organization_id, m.columns[3]!.organization_id);
        type Entry = { type: string; body: Record<string, unknown> };
        const timeline = await json<{ items: Entry[] }>('GET', `/api/v1/incidents/${inc.id}/timeline`);
        const routed = timeline.items.find((e) => e.type === 'routing');
        assert.ok(routed, JSON.stringify(timeline.items));
        assert.equal(routed.body['seq'], 112);
        assert.equal((routed.body['main'] as { column: string }).column, 'サーバアプリ開発等業者');
        assert.deepEqual(routed.body['support'], []);
        const isolate = m.items.find((i) => i.seq === 113)!;
        const inc2 = await json<{ id: number; organization_id: number | null }>('POST', '/api/v1/incidents',
            { title: '切り分け', severity: 'high', source: 'monitoring', work_item_id: isolate.id }, 201);
        const t2 = await json<{ items: Entry[] }>('GET', `/api/v1/incidents/${inc2.id}/timeline`);
        const support = t2.items.find((e) => e.type === 'routing')!.body['support'] as { column: string; organization_id: number }[];
        assert.deepEqual(support.map((x) => x.column), [0, 1, 2, 4, 5, 6].map((k) => m.columns[k]!.name));
        assert.ok(support.every((x) => x.organization_id > 0));
        const explicit = await json<{ organization_id: number | null }>('POST', '/api/v1/incidents',
            { title: '指定あり', severity: 'low', source: 'other', work_item_id: accept.id, organization_id: m.columns[0]!.organization_id }, 201);
        assert.equal(explicit.organization_id, m.columns[0]!.organization_id, 'an organisation given wins');
        const onHeading = await sendJson(server, admin, 'POST', '/api/v1/incidents',
            { title: '見出し', severity: 'low', source: 'other', work_item_id: m.items[0]!.id });
        const headingProblem = await expectProblem(onHeading, 422);
        assert.ok(headingProblem.errors?.some((e) => e.field === 'work_item_id' && /heading/.test(e.message)), JSON.stringify(headingProblem.errors));

        // Exported as a table and imported again: the same cells (organisations matched by name now).
        const tsv = await (await sendJson(server, admin, 'GET', `/api/v1/raci/${m.id}?format=tsv`)).text();
        assert.match(tsv, /^○ 作業主体 △ 作業協力\n項番\t作業項目/);
        const again = await post(admin, `name=${encodeURIComponent(name + '-再取込')}`, tsv);
        assert.equal(again.status, 201, await again.clone().text());
        const copy = (await again.json()) as Imported;
        assert.deepEqual(copy.organizations_created, []);
        assert.deepEqual(copy.matrix.columns.map((c) => c.organization_id), m.columns.map((c) => c.organization_id));
        assert.deepEqual(copy.matrix.items.map((i) => [i.seq, i.cells]), m.items.map((i) => [i.seq, i.cells]));
        assert.deepEqual(copy.warnings, []);

        // The same as a workbook (what owners keep in Excel): exported, then read back as XLSX.
        const book = await sendJson(server, admin, 'GET', `/api/v1/raci/${m.id}?format=xlsx`);
        assert.equal(book.status, 200);
        assert.match(book.headers.get('content-type') ?? '', /spreadsheetml/);
        const bytes = Buffer.from(await book.arrayBuffer());
        assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip');
        const fromBook = await fetch(`${server.baseUrl}/api/v1/raci/import?name=${encodeURIComponent(name + '-xlsx')}&format=xlsx&dry_run=true`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Cookie: admin.jar.header() ?? '',
                       'X-CSRF-Token': admin.session.csrf_token },
            body: bytes,
        });
        assert.equal(fromBook.status, 200, await fromBook.clone().text());
        const read = (await fromBook.json()) as Imported;
        assert.equal(read.matrix.item_count, 135);
        assert.deepEqual(read.matrix.items.map((i) => [i.seq, i.cells]), m.items.map((i) => [i.seq, i.cells]));
        const notBook = await post(admin, `name=x&format=xlsx`, 'not a workbook');
        assert.deepEqual(errorFields(await expectProblem(notBook, 422)), ['file']);

        // One cell, with the version read; a stale version changes nothing.
        const put = await sendJson(server, admin, 'PUT', `/api/v1/raci/${m.id}/cells`,
            { item_id: accept.id, column: 4, role: 'support' }, `"${m.version}"`);
        assert.equal(put.status, 200, await put.clone().text());
        const after = (await put.json()) as Matrix;
        assert.deepEqual(after.items.find((i) => i.seq === 112)!.cells, { 3: 'main', 4: 'support' });
        const stale = await sendJson(server, admin, 'PUT', `/api/v1/raci/${m.id}/cells`,
            { item_id: accept.id, column: 4, role: null }, `"${m.version}"`);
        await expectProblem(stale, 412);
        const bad = await sendJson(server, admin, 'PUT', `/api/v1/raci/${m.id}/cells`,
            { item_id: accept.id, column: 1, role: 'boss' }, `"${after.version}"`);
        assert.deepEqual(errorFields(await expectProblem(bad, 422)), ['role']);
        const outside = await sendJson(server, admin, 'PUT', `/api/v1/raci/${m.id}/cells`,
            { item_id: accept.id, column: 99, role: 'main' }, `"${after.version}"`);
        assert.deepEqual(errorFields(await expectProblem(outside, 422)), ['column']);
        const heading = m.items.find((i) => i.seq === 1)!;
        const refused = await sendJson(server, admin, 'PUT', `/api/v1/raci/${m.id}/cells`,
            { item_id: heading.id, column: 0, role: 'main' }, `"${after.version}"`);
        assert.deepEqual(errorFields(await expectProblem(refused, 422)), ['item_id']);

        const taken = await post(admin, `name=${encodeURIComponent(name)}`, fixture('raci_000.txt'));
        assert.deepEqual(errorFields(await expectProblem(taken, 409)), ['name']);
    });

    test('seed 001 with the ●/○ legend gives 41 work items; an operator cannot import; no table is refused', async () => {
        const res = await post(admin, `name=${encodeURIComponent(unique('国保役割分担'))}`, fixture('raci_001.txt'));
        assert.equal(res.status, 201, await res.clone().text());
        const imported = (await res.json()) as Imported;
        assert.equal(imported.matrix.main_mark, '●');
        assert.equal(imported.matrix.support_mark, '○');
        assert.equal(imported.matrix.items.length, 41);
        assert.deepEqual(imported.unmatched, ['国保連合会', 'クラウドベンダ', '市町村', '既存ベンダ', '他システムベンダ', '導入ベンダ']);
        const printer = imported.matrix.items.find((i) => i.seq === 8)!;
        assert.equal(printer.title, 'プリンタの設定（増設・変更）');
        assert.deepEqual(printer.cells, { 0: 'support', 3: 'main' });

        const org = (await admin.client.createOrganization({ name: unique('運用会社'), kind: 'vendor', note: '' })).data;
        const password = strongPassword();
        const login = unique('raci-op');
        await admin.client.createUser({ login, display_name: '運用 花子', organization_id: org.id, roles: ['operator'], password });
        const operator = await signIn(server, login, password);
        const denied = await post(operator, `name=x`, fixture('raci_001.txt'));
        assert.equal(denied.status, 403);

        const none = await post(admin, `name=${encodeURIComponent(unique('表なし'))}`, '役割分担\n1\t作業\t○\n');
        assert.deepEqual(errorFields(await expectProblem(none, 422)), ['file']);
    });
});
