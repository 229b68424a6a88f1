// Monitoring end to end, as the "Done when" says: an HTTP and a TCP monitor on a local
// service; stopping the service gives exactly one mail (an SMTP sink: Debian's python3-aiosmtpd)
// and one incident recognised at the first failing check; restarting it writes the recovery to the
// incident; inside a planned stop the same outage gives no mail and no incident, and the
// availability leaves the stop's time out.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, type SignedIn } from './helpers.ts';
import { freePort, sleep, SmtpSink, subject, until } from './smtp-sink.ts';

/** A local web service that can be stopped and started on the same port. */
class Service {
    private server: http.Server | null = null;
    constructor(readonly port: number) {}
    async start(): Promise<void> {
        this.server = http.createServer((_req, res) => {
            res.setHeader('Content-Type', 'text/html; charset=utf-8');
            res.end('<h1>住民サービス</h1>');
        });
        await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    }
    async stop(): Promise<void> {
        const s = this.server;
        this.server = null;
        if (!s) return;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
    }
}

interface Incident {
    id: number;
    key: string;
    source: string;
    recognized_at: string;
}

describe('monitoring: alerts, incidents, mail, planned stops and availability', () => {
    const server = useServer();
    let admin: SignedIn;
    const smtp = new SmtpSink();
    let service: Service;
    let tcpId = 0;
    const startedAt = new Date().toISOString();

    before(async () => {
        admin = await signInAdmin(server);
        await smtp.start();
        const channel = await sendJson(server, admin, 'POST', '/api/v1/notification-channels', smtp.channel());
        assert.equal(channel.status, 201, await channel.text());
        service = new Service(await freePort());
        await service.start();
    });

    after(async () => {
        await smtp.stop();
        await service?.stop();
    });

    const mails = () => smtp.mails();
    const json = <T>(method: string, p: string, body?: unknown, status = 200) =>
        expectJson<T>(server, admin, method, p, body, status);
    const monitoringIncidents = async () =>
        (await json<{ items: Incident[] }>('GET', '/api/v1/incidents')).items.filter((i) => i.source === 'monitoring');

    test('bad monitors are refused naming the field', async () => {
        const bad = await expectProblem(
            await sendJson(server, admin, 'POST', '/api/v1/monitors', {
                name: 'x',
                type: 'tcp',
                target: { host: '127.0.0.1', port: 70000 },
                interval_s: 0,
            }),
            422,
        );
        assert.deepEqual(errorFields(bad).sort(), ['interval_s', 'target.port']);
        const typo = await expectProblem(
            await sendJson(server, admin, 'POST', '/api/v1/monitors', { name: 'x', type: 'gopher', target: {} }),
            422,
        );
        assert.deepEqual(errorFields(typo), ['type']);
    });

    test('a stopped service gives one mail and one incident, and its recovery is on the incident', async () => {
        const tcp = await json<{ id: number }>('POST', '/api/v1/monitors', {
            name: '住基サーバ ポート',
            type: 'tcp',
            service: '住民記録',
            target: { host: '127.0.0.1', port: service.port },
            interval_s: 1,
            timeout_ms: 500,
            retries: 2,
        }, 201);
        tcpId = tcp.id;
        await json('POST', '/api/v1/monitors', {
            name: '住基 トップページ',
            type: 'http',
            service: '住民記録',
            target: { url: `http://127.0.0.1:${service.port}/`, keyword: '住民サービス' },
            interval_s: 1,
            timeout_ms: 500,
            retries: 2,
            parent_ids: [tcp.id],
        }, 201);
        await until('both monitors ok', async () => {
            const { items } = await json<{ items: { status: { state: string } | null }[] }>('GET', '/api/v1/monitors');
            return items.every((m) => m.status?.state === 'ok') ? true : undefined;
        });

        const stoppedAt = Date.now();
        await service.stop();
        const [incident] = await until('an incident', async () => {
            const list = await monitoringIncidents();
            return list.length > 0 ? list : undefined;
        });
        assert.ok(incident);
        const recognized = Date.parse(incident.recognized_at);
        assert.ok(recognized >= stoppedAt && recognized <= stoppedAt + 2_000,
            `recognised at the first failing check (${incident.recognized_at}, stopped ${new Date(stoppedAt).toISOString()})`);
        const [mail] = await until('one mail', async () => {
            const m = await mails();
            return m.length > 0 ? m : undefined;
        });
        assert.match(subject(mail ?? ''), new RegExp(`障害検知: 住基サーバ ポート \\(異常\\) ${incident.key}`));
        await sleep(3_000);  // several more failing checks of both monitors
        assert.equal((await mails()).length, 1, 'exactly one mail: the page depends on the port');
        assert.equal((await monitoringIncidents()).length, 1, 'exactly one incident');
        const monitors = await json<{ items: { name: string; status: { state: string } }[] }>('GET', '/api/v1/monitors');
        assert.deepEqual(monitors.items.map((m) => m.status.state).sort(), ['critical', 'unreachable']);
        const alert = (await json<{ items: { incident_key: string; monitor_name: string; detect_to_notify_ms: number }[] }>(
            'GET', '/api/v1/alerts?status=open')).items;
        assert.equal(alert.length, 1);
        assert.equal(alert[0]?.incident_key, incident.key);
        assert.equal(alert[0]?.monitor_name, '住基サーバ ポート');
        assert.ok((alert[0]?.detect_to_notify_ms ?? -1) >= 0, 'detection to notification is measured');

        await service.start();
        const recovered = await until('the recovery on the incident', async () => {
            const { items } = await json<{ items: { type: string; body: { event?: string } }[] }>(
                'GET', `/api/v1/incidents/${incident.id}/timeline`);
            return items.find((e) => e.type === 'monitoring' && e.body.event === 'recovered');
        });
        assert.ok(recovered);
        await until('the recovery mail', async () => ((await mails()).length === 2 ? true : undefined));
        assert.ok((await mails()).some((m) => subject(m).startsWith('【unyo】復旧: 住基サーバ ポート')));
        const log = await json<{ items: { status: string }[] }>('GET', `/api/v1/notifications?record_id=${incident.id}`);
        assert.deepEqual(log.items.map((d) => d.status), ['sent', 'sent'], 'the delivery log of the incident');
    });

    test('every result is kept with its value and aggregated; /metrics counts the checks', async () => {
        type Point = { at: string; state: string; value?: number | null; count?: number; avg?: number | null };
        const since = `from=${encodeURIComponent(startedAt)}`;
        const raw = await json<{ step: string; items: Point[] }>('GET', `/api/v1/monitors/${tcpId}/results?step=raw&${since}`);
        assert.equal(raw.step, 'raw');
        assert.ok(raw.items.some((p) => p.state === 'critical' && p.value === null), 'the failed checks, without a value');
        assert.ok(raw.items.some((p) => p.state === 'ok' && typeof p.value === 'number'), 'the connect times');
        const minutes = await json<{ step: string; items: Point[] }>('GET', `/api/v1/monitors/${tcpId}/results?step=1m`);
        assert.equal(minutes.step, '1m');
        assert.ok(minutes.items.reduce((n, p) => n + (p.count ?? 0), 0) >= raw.items.length,
            'the minutes count every raw result (and any written since)');
        assert.equal((await json<{ step: string }>('GET', `/api/v1/monitors/${tcpId}/results`)).step, '1m',
            'a day is shown by the minute');
        const bad = await expectProblem(await sendJson(server, admin, 'GET', `/api/v1/monitors/${tcpId}/results?step=5m`), 400);
        assert.deepEqual(errorFields(bad), ['step']);
        const tooMany = await expectProblem(await sendJson(server, admin, 'GET', `/api/v1/monitors/${tcpId}/results?step=raw`), 400);
        assert.match(tooMany.detail ?? '', /about 86400 points \(at most 50000\)/, 'a day of a 1-second monitor, raw');

        const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
        const checks = /^unyo_monitor_checks_total\{type="tcp"\} (\d+)$/m.exec(metrics);
        assert.ok(checks && Number(checks[1]) >= raw.items.length, 'tcp checks counted');
        assert.match(metrics, /^unyo_monitor_check_lateness_seconds_count \d+$/m);
        assert.match(metrics, /^unyo_monitor_engine_loop_age_seconds [0-2]\.\d+$/m, 'the engine loop is alive');
        assert.match(metrics, /^unyo_monitor_checks_inconclusive_total \d+$/m, 'failures set aside while the loop was late');
        assert.match(metrics, /^unyo_monitor_loop_lag_max_seconds \d+\.\d{3}$/m, "the loop's largest delay");
    });

    test('inside a planned stop an outage gives no mail and no incident, and availability leaves it out', async () => {
        const soon = new Date(Date.now() + 60_000).toISOString();
        const late = await expectProblem(
            await sendJson(server, admin, 'POST', '/api/v1/planned-stops', {
                kind: 'security',
                title: '緊急パッチ適用',
                starts_at: soon,
                ends_at: new Date(Date.now() + 3_600_000).toISOString(),
            }),
            422,
        );
        assert.deepEqual(errorFields(late), ['short_notice_reason'], 'under 14 days ahead needs a reason');
        const stop = await json<{ id: number; kind_label: string; starts_at: string }>('POST', '/api/v1/planned-stops', {
            kind: 'security',
            title: '緊急パッチ適用',
            reason: '脆弱性対応',
            scope: 'services',
            services: ['住民記録'],
            starts_at: new Date(Date.now() - 1_000).toISOString(),
            ends_at: new Date(Date.now() + 3_600_000).toISOString(),
            short_notice_reason: '緊急の脆弱性のため2週間前の通知ができない',
        }, 201);
        assert.equal(stop.kind_label, 'セキュリティ保守');
        const page = await fetch(`${server.baseUrl}/maintenance`);
        assert.equal(page.status, 200, 'one service stopped: the whole is still in use');
        assert.match(await page.text(), /<h2>停止中のサービス<\/h2><ul><li>住民記録: 緊急パッチ適用 \(終了予定 /);

        const mailsBefore = (await mails()).length;
        await service.stop();
        await until('the suppressed alert', async () => {
            const { items } = await json<{ items: { suppressed: boolean; status: string }[] }>('GET', '/api/v1/alerts?status=open');
            return items.find((a) => a.suppressed);
        });
        await sleep(2_000);
        assert.equal((await monitoringIncidents()).length, 1, 'no new incident');
        assert.equal((await mails()).length, mailsBefore, 'no mail');

        const { items } = await json<{ items: { down_ms: number; excluded_ms: number; up_ms: number; availability: number; planned_stop_ids: number[] }[] }>(
            'GET', `/api/v1/availability?monitor_id=${tcpId}&from=${encodeURIComponent(startedAt)}&to=${encodeURIComponent(new Date().toISOString())}`);
        const a = items[0];
        assert.ok(a);
        assert.deepEqual(a.planned_stop_ids, [stop.id]);
        assert.ok(a.excluded_ms > 2_000, `the stop's time is left out (${a.excluded_ms} ms)`);
        assert.ok(a.down_ms > 1_000 && a.down_ms < 15_000, `only the first outage counts as down (${a.down_ms} ms)`);
        assert.ok(a.availability < 1 && a.availability > 0);

        // The service as one: down while any of its monitors is; the page is unreachable (not
        // down) behind the port, so the service's down time is the port's.
        const now = encodeURIComponent(new Date().toISOString());
        const hourBefore = new Date(Date.parse(startedAt) - 3_600_000).toISOString();  // before any monitor
        const svc = await json<{ items: { down_ms: number }[]; service: { name: string; monitors: number; down_ms: number; excluded_ms: number; availability: number } }>(
            'GET', `/api/v1/availability?service=${encodeURIComponent('住民記録')}&from=${encodeURIComponent(hourBefore)}&to=${now}`);
        assert.equal(svc.service.name, '住民記録');
        assert.equal(svc.service.monitors, svc.items.length);
        const downs = svc.items.map((i) => i.down_ms);
        assert.ok(svc.service.down_ms >= Math.max(...downs) && svc.service.down_ms <= downs.reduce((x, y) => x + y, 0),
            `the service is down while any monitor is (${svc.service.down_ms} of ${downs})`);
        assert.ok(svc.service.excluded_ms > 2_000, 'the stop covers the whole service');
        const stopMs = Date.now() - Date.parse(stop.starts_at ?? new Date().toISOString());
        assert.ok(svc.service.excluded_ms <= stopMs + 1_000, `only the stop is excluded, not the time before the monitors (${svc.service.excluded_ms} > ${stopMs})`);

        // Before the monitor existed: nothing measured, no budget spent or promised.
        const early = new Date(Date.parse(startedAt) - 3_600_000).toISOString();
        const before = await json<{ items: { availability: number | null; budget_ms: number; unknown_ms: number }[] }>(
            'GET', `/api/v1/availability?monitor_id=${tcpId}&from=${encodeURIComponent(early)}&to=${encodeURIComponent(startedAt)}`);
        assert.deepEqual(before.items.map((i) => [i.availability, i.budget_ms, i.unknown_ms]), [[null, 0, 0]]);
    });
});
