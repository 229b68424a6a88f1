// The ledger over HTTP: the incident of the issue's "Done when", a change gated on documents, an
// issue with owner and due date, scoping and the Excel export.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';
import { jarFetch } from './cookie-jar.ts';

interface Clock {
    name: string;
    state: string;
    target_at: string;
}
interface Rec {
    id: number;
    key: string;
    status: string;
    version: number;
    sla: Clock[];
    transitions: { to: string }[];
    [field: string]: unknown;
}

describe('records', () => {
    const server = useServer();
    let admin: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
    });

    function send(who: SignedIn, method: string, path: string, body?: unknown, etag?: string): Promise<Response> {
        return sendJson(server, who, method, path, body, etag);
    }
    async function ok(res: Response, status = 200): Promise<Rec> {
        const text = await res.text();
        assert.equal(res.status, status, text);
        return JSON.parse(text) as Rec;
    }

    test('an incident recognised Friday 23:00 has three clocks due Saturday 11:00 and closes only with a permanent fix', async () => {
        const inc = await ok(
            await send(admin, 'POST', '/api/v1/incidents', {
                title: '住民記録システムの帳票が印刷できない',
                severity: 'high',
                source: 'user_report',
                recognized_at: '2026-11-20T23:00:00+09:00',
                event: '帳票出力でエラー',
            }),
            201,
        );
        assert.match(inc.key, /^INC-\d{6}$/);
        assert.equal(inc.status, 'received');
        assert.deepEqual(
            inc.sla.map((c) => [c.name, c.target_at]),
            [
                ['notify', '2026-11-21T02:00:00.000Z'],
                ['eta', '2026-11-21T02:00:00.000Z'],
                ['recovery', '2026-11-21T02:00:00.000Z'],
            ],
        );
        assert.deepEqual(
            inc.transitions.map((t) => t.to),
            ['isolating', 'responding'],
        );

        const illegal = await send(admin, 'POST', `/api/v1/incidents/${inc.id}/transitions`, { to: 'closed' });
        await expectProblem(illegal, 409);
        for (const to of ['isolating', 'responding', 'recovered']) {
            const moved = await ok(await send(admin, 'POST', `/api/v1/incidents/${inc.id}/transitions`, { to }));
            assert.equal(moved.status, to);
        }
        const refused = await send(admin, 'POST', `/api/v1/incidents/${inc.id}/transitions`, { to: 'closed' });
        const problem = await expectProblem(refused, 409);
        assert.equal(problem.errors?.[0]?.field, 'permanent_fix');
        const closed = await ok(
            await send(admin, 'POST', `/api/v1/incidents/${inc.id}/transitions`, {
                to: 'closed',
                permanent_fix: 'プリンタドライバを更新し、手順書に反映',
            }),
        );
        assert.equal(closed.status, 'closed');
        assert.ok(closed['closed_at']);

        const timeline = (await (await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/incidents/${inc.id}/timeline`)).json()) as {
            items: { type: string; body: Record<string, unknown> }[];
        };
        assert.deepEqual(
            timeline.items.filter((e) => e.type === 'status').map((e) => e.body['to']),
            ['isolating', 'responding', 'recovered', 'closed'],
        );
    });

    test('a critical incident has 24 h to recover; unauthorized access 1 h to start', async () => {
        const critical = await ok(
            await send(admin, 'POST', '/api/v1/incidents', {
                title: '基幹系停止',
                severity: 'critical',
                source: 'monitoring',
                recognized_at: '2026-11-20T23:00:00+09:00',
            }),
            201,
        );
        assert.equal(critical.sla.find((c) => c.name === 'recovery')?.target_at, '2026-11-21T14:00:00.000Z');
        const intrusion = await ok(
            await send(admin, 'POST', '/api/v1/incidents', {
                title: '不審なログイン',
                source: 'unauthorized_access',
                recognized_at: '2026-11-20T23:00:00+09:00',
            }),
            201,
        );
        assert.deepEqual(
            intrusion.sla.map((c) => [c.name, c.target_at]),
            [
                ['notify', '2026-11-21T02:00:00.000Z'],
                ['response_start', '2026-11-20T15:00:00.000Z'],
            ],
        );
    });

    test('a change needs a manager and closes only when its documents are updated', async () => {
        const chg = await ok(
            await send(admin, 'POST', '/api/v1/changes', {
                title: 'OS パッチ適用',
                scope: 'maintenance',
                documents: [{ name: '運用手順書', done: false }, { name: 'システム構成図', done: false }],
            }),
            201,
        );
        for (const [to, extra] of [
            ['approved', {}],
            ['implementing', {}],
            ['implemented', { result: '適用完了' }],
        ] as const) {
            await ok(await send(admin, 'POST', `/api/v1/changes/${chg.id}/transitions`, { to, ...extra }));
        }
        const refused = await send(admin, 'POST', `/api/v1/changes/${chg.id}/transitions`, { to: 'closed' });
        assert.equal((await expectProblem(refused, 409)).errors?.[0]?.field, 'documents');
        const current = await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/changes/${chg.id}`);
        const etag = current.headers.get('etag')!;
        await ok(
            await send(
                admin,
                'PATCH',
                `/api/v1/changes/${chg.id}`,
                { documents: [{ name: '運用手順書', done: true }, { name: 'システム構成図', done: true }] },
                etag,
            ),
        );
        assert.equal((await ok(await send(admin, 'POST', `/api/v1/changes/${chg.id}/transitions`, { to: 'closed' }))).status, 'closed');
    });

    test('an issue needs an owner and a due date; a wrong field is named', async () => {
        const missing = await send(admin, 'POST', '/api/v1/issues', { title: '容量見直し' });
        const problem = await expectProblem(missing, 422);
        assert.deepEqual(problem.errors?.map((e) => e.field), ['owner_id', 'due_date']);
        const bad = await send(admin, 'POST', '/api/v1/issues', { title: 'x', owner_id: 1, due_date: '2026-13-01' });
        assert.equal((await expectProblem(bad, 422)).errors?.[0]?.field, 'due_date');
        const issue = await ok(
            await send(admin, 'POST', '/api/v1/issues', { title: '容量見直し', owner_id: 1, due_date: '2026-12-25' }),
            201,
        );
        assert.equal(issue['due_date'], '2026-12-25');
    });

    test('a release is judged only on an attached test-result report, stored by its SHA-256', async () => {
        const rel = await ok(
            await send(admin, 'POST', '/api/v1/releases', { title: '住民記録 2.4.0', system: '住民記録', release_version: '2.4.0' }),
            201,
        );
        const refused = await send(admin, 'POST', `/api/v1/releases/${rel.id}/transitions`, { to: 'approved', judgement_note: '試験完了' });
        assert.equal((await expectProblem(refused, 409)).errors?.[0]?.field, 'attachments');
        const post = (body: string, type: string) =>
            jarFetch(admin.jar)(`${server.baseUrl}/api/v1/releases/${rel.id}/attachments?name=${encodeURIComponent('試験結果報告書.pdf')}`, {
                method: 'POST',
                headers: { 'X-CSRF-Token': admin.session.csrf_token, 'Content-Type': type },
                body,
            });
        assert.equal((await expectProblem(await post('<html></html>', 'application/pdf'), 422)).errors?.[0]?.field, 'content_type');
        const pdf = '%PDF-1.7\n試験結果\n%%EOF';
        const uploaded = await post(pdf, 'application/pdf');
        assert.equal(uploaded.status, 201, await uploaded.clone().text());
        const meta = (await uploaded.json()) as { id: number; sha256: string };
        const download = await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/releases/${rel.id}/attachments/${meta.id}`);
        assert.equal(download.headers.get('content-type'), 'application/pdf');
        assert.match(download.headers.get('content-disposition') ?? '', /^attachment;/);
        assert.equal(await download.text(), pdf);
        const approved = await ok(await send(admin, 'POST', `/api/v1/releases/${rel.id}/transitions`, { to: 'approved', judgement_note: '試験完了' }));
        assert.equal(approved.status, 'approved');
    });

    test('support hours: time on issues against the monthly budget of 5 h', async () => {
        const issue = await ok(
            await send(admin, 'POST', '/api/v1/issues', { title: '帳票レイアウト軽微修正', owner_id: 1, due_date: '2026-12-10' }),
            201,
        );
        const entry = await send(admin, 'POST', `/api/v1/issues/${issue.id}/time-entries`, {
            work_date: '2026-11-24',
            minutes: 90,
            note: '様式修正',
        });
        assert.equal(entry.status, 201, await entry.clone().text());
        const bad = await send(admin, 'POST', `/api/v1/issues/${issue.id}/time-entries`, { work_date: '2026-11-24', minutes: 0 });
        assert.equal((await expectProblem(bad, 422)).errors?.[0]?.field, 'minutes');
        const hours = (await (await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/support-hours?month=2026-11`)).json()) as {
            budget_minutes: number;
            used_minutes: number;
            remaining_minutes: number;
        };
        assert.deepEqual([hours.budget_minutes, hours.used_minutes, hours.remaining_minutes], [300, 90, 210]);
    });

    test('unanswered inquiries are listed oldest first with their first-answer clock', async () => {
        const a = await ok(await send(admin, 'POST', '/api/v1/inquiries', { title: '証明書の発行時間', channel: 'phone' }), 201);
        const b = await ok(await send(admin, 'POST', '/api/v1/inquiries', { title: '操作方法', channel: 'mail' }), 201);
        await ok(await send(admin, 'POST', `/api/v1/inquiries/${b.id}/transitions`, { to: 'answered', answer: 'マニュアル p.12 をご覧ください' }));
        const ageing = (await (await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/inquiries/ageing`)).json()) as {
            items: (Rec & { age_hours: number })[];
        };
        assert.deepEqual(ageing.items.map((r) => r.key), [a.key]);
        assert.equal(ageing.items[0]?.sla[0]?.name, 'first_answer');
        const answered = await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/inquiries/${b.id}`);
        assert.ok(((await answered.json()) as Rec)['first_answered_at'], 'stamped by the first answer');
    });

    test('a vendor sees only its organisation’s records', async () => {
        const org = (await admin.client.createOrganization({ name: `株式会社${unique('ベンダ')}`, kind: 'vendor' })).data;
        const password = strongPassword();
        const login = unique('vendor');
        await admin.client.createUser({ login, display_name: '保守 担当', organization_id: org.id, roles: ['vendor'], password });
        const theirs = await ok(
            await send(admin, 'POST', '/api/v1/requests', { title: 'プリンタ追加', request_type: 'printer', organization_id: org.id }),
            201,
        );
        const vendor = await signIn(server, login, password);
        const list = (await (await jarFetch(vendor.jar)(`${server.baseUrl}/api/v1/requests`)).json()) as { items: Rec[] };
        assert.deepEqual(list.items.map((r) => r.key), [theirs.key]);
        const hidden = await jarFetch(vendor.jar)(`${server.baseUrl}/api/v1/incidents/1`);
        assert.equal(hidden.status, 404);
    });

    test('Japanese full-text search and similar past incidents', async () => {
        const first = await ok(
            await send(admin, 'POST', '/api/v1/incidents', {
                title: '税務システムで課税台帳が表示されない',
                source: 'user_report',
            }),
            201,
        );
        await ok(await send(admin, 'POST', `/api/v1/incidents/${first.id}/comments`, { body: 'アプリケーションサーバのメモリ枯渇を確認' }), 201);
        const found = (await (
            await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/incidents?q=${encodeURIComponent('メモリ枯渇')}`)
        ).json()) as { items: Rec[] };
        assert.deepEqual(found.items.map((r) => r.key), [first.key], 'a comment is searchable');
        const again = await ok(
            await send(admin, 'POST', '/api/v1/incidents', { title: '税務システムの課税台帳でエラー', source: 'monitoring' }),
            201,
        );
        const similar = again['similar'] as { key: string }[];
        assert.equal(similar[0]?.key, first.key, 'the past incident is offered');
    });

    test('the incident list exports to Excel and CSV with Japanese titles', async () => {
        const csv = await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/incidents?format=csv`);
        assert.equal(csv.status, 200);
        const text = new TextDecoder().decode((await csv.arrayBuffer()).slice(3));
        assert.ok(text.startsWith('キー,件名,状態,重要度'), text.slice(0, 80));
        assert.ok(text.includes('住民記録システムの帳票が印刷できない'));
        assert.ok(text.includes('完了'), 'status labels are Japanese');
        const xlsx = await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/incidents?format=xlsx`);
        assert.equal(xlsx.status, 200);
        const bytes = new Uint8Array(await xlsx.arrayBuffer());
        assert.deepEqual([...bytes.slice(0, 2)], [0x50, 0x4b]);
    });
});
