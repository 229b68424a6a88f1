// Inbound events: the generic POST /events and Prometheus Alertmanager's webhook open alerts and
// incidents like a monitor, deduplicated by key, and end them; acknowledgements may lapse.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, type SignedIn } from './helpers.ts';

interface Alert {
    id: number;
    source: string;
    status: string;
    severity: string;
    repeat_count: number;
    incident_id: number | null;
    incident_key: string | null;
    acknowledged: boolean;
    ack_expires_at: string | null;
}

describe('inbound events and Alertmanager', () => {
    const server = useServer();
    let admin: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
    });

    const json = <T>(method: string, p: string, body?: unknown, status = 200) =>
        expectJson<T>(server, admin, method, p, body, status);

    test('an event opens one alert and one incident, repeats count, and resolved ends it', async () => {
        const bad = await expectProblem(await sendJson(server, admin, 'POST', '/api/v1/events', {
            title: '', severity: 'urgent', status: 'open',
        }), 422);
        assert.deepEqual(errorFields(bad).sort(), ['key', 'severity', 'status', 'title']);

        const event = { key: 'jp1-nightly', title: '夜間バッチ異常終了', severity: 'critical', source: 'JP1/AJS3',
            host: 'batch01', service: '税務', message: 'ジョブ TAX010 が終了コード 8 で異常終了' };
        const first = await json<{ alert: Alert }>('POST', '/api/v1/events', event, 202);
        assert.equal(first.alert.status, 'open');
        assert.equal(first.alert.source, 'event');
        assert.ok(first.alert.incident_key?.startsWith('INC-'), 'an incident is opened');
        const again = await json<{ alert: Alert }>('POST', '/api/v1/events', event, 202);
        assert.equal(again.alert.id, first.alert.id);
        assert.equal(again.alert.repeat_count, 2);
        const incident = await json<{ severity: string; source: string; title: string }>(
            'GET', `/api/v1/incidents/${first.alert.incident_id}`);
        assert.equal(incident.severity, 'critical');
        assert.equal(incident.source, 'monitoring');
        assert.equal(incident.title, '夜間バッチ異常終了: 異常');

        const over = await json<{ alert: Alert }>('POST', '/api/v1/events', { ...event, status: 'resolved' }, 202);
        assert.equal(over.alert.status, 'resolved');
        const { items } = await json<{ items: { type: string; body: { event?: string; source?: string } }[] }>(
            'GET', `/api/v1/incidents/${first.alert.incident_id}/timeline`);
        assert.deepEqual(items.filter((e) => e.type === 'monitoring').map((e) => e.body.event), ['repeat', 'recovered']);
        const none = await json<{ alert: Alert | null }>('POST', '/api/v1/events', { key: 'never-fired', title: 'x', status: 'resolved' }, 202);
        assert.equal(none.alert, null, 'ending what never began changes nothing');
    });

    test('the Alertmanager webhook maps labels and fingerprints, and refuses a bad batch whole', async () => {
        const firing = (fingerprint: string, labels: Record<string, string>, status = 'firing') => ({
            status, labels, annotations: { summary: `${labels['alertname']} on ${labels['instance']}` },
            startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: '0001-01-01T00:00:00Z', fingerprint,
        });
        const before = (await json<{ items: Alert[] }>('GET', '/api/v1/alerts')).items.length;
        const bad = await expectProblem(await sendJson(server, admin, 'POST', '/api/v1/integrations/alertmanager', {
            version: '4', status: 'firing',
            alerts: [firing('a1', { alertname: 'NodeDown', instance: 'db01:9100', severity: 'critical' }), firing('a2', { instance: 'x' })],
        }), 422);
        assert.deepEqual(errorFields(bad), ['alerts[1].labels.alertname']);
        assert.equal((await json<{ items: Alert[] }>('GET', '/api/v1/alerts')).items.length, before, 'nothing was raised');

        const body = {
            version: '4', status: 'firing', receiver: 'unyo',
            alerts: [firing('fp-db', { alertname: 'NodeDown', instance: 'db01:9100', severity: 'critical', job: 'node' }),
                firing('fp-disk', { alertname: 'DiskFilling', instance: 'ap01:9100', severity: 'warning' })],
        };
        const { alerts } = await json<{ alerts: Alert[] }>('POST', '/api/v1/integrations/alertmanager', body);
        assert.deepEqual(alerts.map((a) => [a.source, a.status, a.severity]),
            [['alertmanager', 'open', 'critical'], ['alertmanager', 'open', 'medium']]);
        const repeat = await json<{ alerts: Alert[] }>('POST', '/api/v1/integrations/alertmanager', body);
        assert.deepEqual(repeat.alerts.map((a) => a.id), alerts.map((a) => a.id), 'deduplicated by fingerprint');

        const disk = alerts[1];
        assert.ok(disk);
        const past = await expectProblem(await sendJson(server, admin, 'POST', `/api/v1/alerts/${disk.id}/acknowledge`,
            { comment: '確認', expires_at: '2020-01-01T00:00:00Z' }), 422);
        assert.deepEqual(errorFields(past), ['expires_at']);
        const until = new Date(Date.now() + 3_600_000).toISOString();
        const acked = await json<Alert>('POST', `/api/v1/alerts/${disk.id}/acknowledge`, { comment: '容量追加を手配中', expires_at: until });
        assert.equal(acked.acknowledged, true);
        assert.equal(Date.parse(acked.ack_expires_at ?? ''), Date.parse(until));
        await expectProblem(await sendJson(server, admin, 'POST', `/api/v1/alerts/${disk.id}/acknowledge`, {}), 409);

        const resolved = await json<{ alerts: Alert[] }>('POST', '/api/v1/integrations/alertmanager', {
            version: '4', status: 'resolved',
            alerts: [firing('fp-db', { alertname: 'NodeDown', instance: 'db01:9100', severity: 'critical' }, 'resolved')],
        });
        assert.equal(resolved.alerts[0]?.status, 'resolved');
    });
    test('alerts page newest first with a cursor', async () => {
        for (let i = 0; i < 5; i++) await json('POST', '/api/v1/events', { key: `page-${i}`, title: `ページ ${i}` }, 202);
        const all = (await json<{ items: Alert[] }>('GET', '/api/v1/alerts?limit=500')).items.map((a) => a.id);
        const seen: number[] = [];
        let cursor: number | null = null;
        do {
            const page: { items: Alert[]; next_cursor: number | null } =
                await json('GET', `/api/v1/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
            assert.ok(page.items.length <= 2);
            seen.push(...page.items.map((a) => a.id));
            cursor = page.next_cursor;
        } while (cursor !== null);
        assert.deepEqual(seen, all, 'every alert once, in order');
        assert.ok(all.every((id, i) => i === 0 || id < all[i - 1]!), 'newest first');
        await expectProblem(await sendJson(server, admin, 'GET', '/api/v1/alerts?cursor=x'), 400, 'a bad cursor');
    });
    test('alert rules: the first match sets severity, only an admin writes them, every write versioned', async () => {
        const bad = await expectProblem(await sendJson(server, admin, 'POST', '/api/v1/alert-rules', {
            name: '誤り', match: { source: 'fax', monitor_type: 'telnet', monitor_ids: [987654] },
        }), 422);
        assert.deepEqual(errorFields(bad).sort(), ['match.monitor_ids', 'match.monitor_type', 'match.source', 'severity']);
        assert.equal((await json<{ items: unknown[] }>('GET', '/api/v1/alert-rules')).items.length, 0, 'nothing was written');
        const rule = await json<{ id: number; version: number }>('POST', '/api/v1/alert-rules', {
            name: '基幹バッチは最優先', position: 5, match: { source: 'event', name_contains: '基幹バッチ' }, severity: 'critical',
        }, 201);
        const raised = await json<{ alert: Alert & { rule_id: number } }>('POST', '/api/v1/events',
            { key: 'rule-batch', title: '基幹バッチ 異常終了', severity: 'low' }, 202);
        assert.deepEqual([raised.alert.severity, raised.alert.rule_id], ['critical', rule.id]);
        const untouched = await json<{ alert: Alert & { rule_id: number | null } }>('POST', '/api/v1/events',
            { key: 'rule-other', title: '別の通知', severity: 'low' }, 202);
        assert.deepEqual([untouched.alert.severity, untouched.alert.rule_id], ['low', null]);
        const changed = await sendJson(server, admin, 'PATCH', `/api/v1/alert-rules/${rule.id}`, { enabled: false }, `"${rule.version}"`);
        assert.equal(changed.status, 200, await changed.text());
        await expectProblem(await sendJson(server, admin, 'PATCH', `/api/v1/alert-rules/${rule.id}`, { enabled: true }, `"${rule.version}"`),
            412, 'a stale version');
        assert.equal((await sendJson(server, admin, 'DELETE', `/api/v1/alert-rules/${rule.id}`)).status, 204);
        const { items } = await json<{ items: { action: string }[] }>('GET', '/api/v1/audit?entity_type=alert_rule');
        assert.deepEqual(items.map((e) => e.action).sort(), ['alert_rule.create', 'alert_rule.delete', 'alert_rule.update']);
    });
});
