// Holidays and business calendars over HTTP.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { expectProblem, sendJson, signInAdmin, type SignedIn } from './helpers.ts';
import { jarFetch } from './cookie-jar.ts';

describe('calendars', () => {
    const server = useServer();
    let admin: SignedIn;
    let call: typeof fetch;

    before(async () => {
        admin = await signInAdmin(server);
        call = jarFetch(admin.jar);
    });

    function send(method: string, path: string, body?: unknown, etag?: string): Promise<Response> {
        return sendJson(server, admin, method, path, body, etag);
    }

    test('holidays between two dates, with substitute and citizens holidays', async () => {
        const res = await call(`${server.baseUrl}/api/v1/holidays?from=2026-05-01&to=2026-09-30`);
        assert.equal(res.status, 200);
        const { items } = (await res.json()) as { items: { date: string; name: string }[] };
        assert.deepEqual(
            items.map((h) => `${h.date} ${h.name}`),
            [
                '2026-05-03 憲法記念日',
                '2026-05-04 みどりの日',
                '2026-05-05 こどもの日',
                '2026-05-06 振替休日',
                '2026-07-20 海の日',
                '2026-08-11 山の日',
                '2026-09-21 敬老の日',
                '2026-09-22 国民の休日',
                '2026-09-23 秋分の日',
            ],
        );
        const bad = await call(`${server.baseUrl}/api/v1/holidays?from=2026-05-01`);
        assert.equal((await expectProblem(bad, 400)).errors?.[0]?.field, 'to');
    });

    test('init creates the office-hours and 24x7 calendars', async () => {
        const res = await call(`${server.baseUrl}/api/v1/calendars`);
        const { items } = (await res.json()) as { items: { name: string }[] };
        assert.deepEqual(
            items.map((c) => c.name),
            ['標準 (平日 8:30–17:15)', '24時間365日'],
        );
    });

    test('a calendar is created, read day by day, changed with If-Match and deleted', async () => {
        const created = await send('POST', '/api/v1/calendars', {
            name: '土曜窓口',
            weekly: { sat: { open: '09:00', close: '12:00' } },
            open_days: ['2026-11-23'],
            closed_days: ['2026-11-24'],
        });
        assert.equal(created.status, 201);
        const cal = (await created.json()) as { id: number; version: number };
        const etag = created.headers.get('etag')!;

        const days = await call(`${server.baseUrl}/api/v1/calendars/${cal.id}/days?from=2026-11-21&to=2026-11-24`);
        const { items } = (await days.json()) as {
            items: { date: string; open: boolean; reason: string; hours: { open: string } | null }[];
        };
        assert.deepEqual(
            items.map((d) => [d.date, d.open, d.reason, d.hours?.open ?? null]),
            [
                ['2026-11-21', true, '', '09:00'],
                ['2026-11-22', false, '日曜日', null],
                ['2026-11-23', true, '', '08:30'],
                ['2026-11-24', false, '休業日', null],
            ],
        );

        const stale = await send('PATCH', `/api/v1/calendars/${cal.id}`, { year_end_closed: false }, '"99"');
        await expectProblem(stale, 412);
        const changed = await send('PATCH', `/api/v1/calendars/${cal.id}`, { year_end_closed: false }, etag);
        assert.equal(changed.status, 200);
        assert.equal(((await changed.json()) as { year_end_closed: boolean }).year_end_closed, false);
        assert.equal((await send('DELETE', `/api/v1/calendars/${cal.id}`)).status, 204);
        assert.equal((await call(`${server.baseUrl}/api/v1/calendars/${cal.id}`)).status, 404);
    });

    test('bad rules name their fields and change nothing', async () => {
        const res = await send('POST', '/api/v1/calendars', {
            name: '誤り',
            weekly: { mon: { open: '18:00', close: '09:00' } },
        });
        const problem = await expectProblem(res, 422);
        assert.equal(problem.errors?.[0]?.field, 'weekly.mon');
        const list = (await (await call(`${server.baseUrl}/api/v1/calendars`)).json()) as { items: { name: string }[] };
        assert.ok(!list.items.some((c) => c.name === '誤り'));
    });
});
