// The operation calendar (JOB-1, SLM-3): events once or recurring on business days, planned stops
// and jobnet starts in one list, and the iCalendar feed behind a token that reads nothing else.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, unique } from './helpers.ts';

interface Item {
    source: string;
    kind: string;
    title: string;
    starts_at: string;
    ends_at: string;
}

describe('operation calendar', () => {
    const server = useServer();

    test('events, planned stops and jobnet starts in one list and in the iCalendar feed', async () => {
        const admin = await signInAdmin(server);
        const json = <T>(method: string, p: string, body?: unknown, status = 200) =>
            expectJson<T>(server, admin, method, p, body, status);

        const bad = await expectProblem(
            await sendJson(server, admin, 'POST', '/api/v1/opscal/events', {
                kind: 'party',
                title: '',
                starts_at: '2027-01-10T09:00:00+09:00',
                recurrence: { days: { rule: 'someday' } },
            }),
            422,
        );
        for (const f of ['kind', 'title', 'recurrence.days.rule']) assert.ok(errorFields(bad).includes(f), f);

        // 月1回、平日18:00~翌8:00 by default: the last business day of each month.
        const maintenance = await json<{ recurrence: { days: { rule: string }; from: string; to: string } }>(
            'POST', '/api/v1/opscal/events', { kind: 'maintenance', title: '定例保守', starts_at: '2027-01-01T00:00:00+09:00' }, 201);
        assert.deepEqual(maintenance.recurrence, { days: { rule: 'last_open_day' }, from: '18:00', to: '08:00' });
        await json('POST', '/api/v1/opscal/events', {
            kind: 'power_outage',
            title: '法定点検停電, 本庁舎',
            note: '全サーバ停止\n復電後に起動確認',
            starts_at: '2027-02-14T08:00:00+09:00',
            ends_at: '2027-02-14T17:00:00+09:00',
        }, 201);
        await json('POST', '/api/v1/planned-stops', {
            kind: 'inspection',
            title: '定期点検',
            reason: '年次点検',
            starts_at: '2027-02-20T09:00:00+09:00',
            ends_at: '2027-02-20T12:00:00+09:00',
        }, 201);
        await json('POST', '/api/v1/jobnets', {
            name: unique('月末集計'),
            schedule: { days: { rule: 'last_open_day' }, start_times: ['23:00'], shift: 'earlier' },
            deadlines: { end_by: '04:00' },
            jobs: [{ key: 'a', command: ['/bin/true'] }],
        }, 201);

        const { items } = await json<{ items: Item[] }>(
            'GET', '/api/v1/opscal?from=2027-01-01T00:00:00%2B09:00&to=2027-03-01T00:00:00%2B09:00');
        const view = items.map((i) => `${i.source}:${i.kind}:${i.starts_at}–${i.ends_at}`);
        assert.deepEqual(view, [
            'event:maintenance:2027-01-29T09:00:00.000Z–2027-01-29T23:00:00.000Z', // Fri 1/29 18:00–8:00 JST
            'jobnet:jobnet:2027-01-29T14:00:00.000Z–2027-01-29T19:00:00.000Z', // 23:00 until the 04:00 deadline
            'event:power_outage:2027-02-13T23:00:00.000Z–2027-02-14T08:00:00.000Z',
            'planned_stop:inspection:2027-02-20T00:00:00.000Z–2027-02-20T03:00:00.000Z',
            'event:maintenance:2027-02-26T09:00:00.000Z–2027-02-26T23:00:00.000Z', // 2/28 is a Sunday
            'jobnet:jobnet:2027-02-26T14:00:00.000Z–2027-02-26T19:00:00.000Z',
        ]);

        const first = await json<{ token: string; path: string }>('POST', '/api/v1/opscal/feed-token', undefined, 201);
        const feed = await fetch(`${server.baseUrl}${first.path}&from=2027-02-01T00:00:00Z&to=2027-03-01T00:00:00Z`);
        assert.equal(feed.status, 200);
        assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar/);
        const ics = await feed.text();
        assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\n') && ics.endsWith('END:VCALENDAR\r\n'));
        assert.equal(ics.split('BEGIN:VEVENT').length - 1, 4);
        assert.match(ics, /SUMMARY:\[停電\] 法定点検停電\\, 本庁舎\r\n/);
        assert.match(ics, /DESCRIPTION:全サーバ停止\\n復電後に起動確認/);
        assert.match(ics, /DTSTART:20270213T230000Z\r\nDTEND:20270214T080000Z/);
        for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);

        // The feed's token reads the feed only, and a new one retires the old.
        const asApi = await fetch(`${server.baseUrl}/api/v1/opscal`, { headers: { Authorization: `Bearer ${first.token}` } });
        assert.equal(asApi.status, 401);
        await json('POST', '/api/v1/opscal/feed-token', undefined, 201);
        assert.equal((await fetch(`${server.baseUrl}${first.path}`)).status, 401);
    });
});
