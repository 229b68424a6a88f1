// Notices to the people who use the systems, by channel topic: planned stops announced on
// approval and their cancellation (PLN-3), and an outage told to the users while it lasts and
// when it ends (INC-10), while the operators' channel hears the alerts only.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { useServer } from './harness.ts';
import { expectJson, sendJson, signInAdmin, type SignedIn } from './helpers.ts';
import { envelopeTo, SmtpSink, subject, until } from './smtp-sink.ts';

const OPS = 'unyo-ops@example.lg.jp';
const USERS = 'shokuin-all@example.lg.jp';

describe('notices by topic', () => {
    const server = useServer();
    const smtp = new SmtpSink();
    let admin: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
        await smtp.start();
        await json('POST', '/api/v1/notification-channels', { ...smtp.channel('運用担当'), topics: ['alerts'] }, 201);
        await json('POST', '/api/v1/notification-channels',
            { ...smtp.channel('職員向け'), to: [USERS], topics: ['planned_stops', 'outages'] }, 201);
    });

    after(() => smtp.stop());

    const json = <T>(method: string, p: string, body?: unknown, status = 200) =>
        expectJson<T>(server, admin, method, p, body, status);

    // The subjects mailed to `to` so far.
    async function subjectsTo(to: string): Promise<string[]> {
        return (await smtp.mails()).filter((m) => envelopeTo(m).includes(to)).map(subject);
    }

    async function mailed(to: string, pattern: RegExp, what: string): Promise<string> {
        return until(what, async () => (await subjectsTo(to)).find((s) => pattern.test(s)), 30_000);
    }

    test('a planned stop is announced to its topic on approval, and its cancellation too', async () => {
        const start = new Date(Date.now() + 20 * 86400_000);
        const end = new Date(start.getTime() + 3 * 3600_000);
        const stop = await json<{ id: number; version: number }>('POST', '/api/v1/planned-stops', {
            kind: 'security', title: '基幹系 OS 更新', reason: '月例セキュリティパッチ',
            starts_at: start.toISOString(), ends_at: end.toISOString(),
        }, 201);
        assert.deepEqual(await subjectsTo(USERS), [], 'nothing before approval');
        const approved = await sendJson(server, admin, 'POST', `/api/v1/planned-stops/${stop.id}/approve`, undefined, `"${stop.version}"`);
        assert.equal(approved.status, 200, await approved.text());
        await mailed(USERS, /^【unyo】計画停止のお知らせ: 基幹系 OS 更新 \(\d{4}\/\d{2}\/\d{2}\)$/, 'the notice');

        // Moved by a day: the approval lapses, and approving again announces the new time.
        const moved = await sendJson(server, admin, 'PATCH', `/api/v1/planned-stops/${stop.id}`, {
            starts_at: new Date(start.getTime() + 86400_000).toISOString(), ends_at: new Date(end.getTime() + 86400_000).toISOString(),
        }, `"${stop.version + 1}"`);
        const movedStop = JSON.parse(await moved.text()) as { version: number; approved_at: string | null };
        assert.equal(moved.status, 200);
        assert.equal(movedStop.approved_at, null, 'a new time needs approval again');
        const renamed = await sendJson(server, admin, 'PATCH', `/api/v1/planned-stops/${stop.id}`, { ends_at: start.toISOString() },
            `"${movedStop.version}"`);
        assert.equal(renamed.status, 422, 'the end before the start is refused');
        const again = await sendJson(server, admin, 'POST', `/api/v1/planned-stops/${stop.id}/approve`, undefined, `"${movedStop.version}"`);
        assert.equal(again.status, 200, await again.text());
        await until('the second notice', async () =>
            (await subjectsTo(USERS)).filter((s) => s.startsWith('【unyo】計画停止のお知らせ')).length === 2 || undefined, 30_000);
        assert.equal((await sendJson(server, admin, 'DELETE', `/api/v1/planned-stops/${stop.id}`)).status, 204);
        await mailed(USERS, /^【unyo】計画停止の中止: 基幹系 OS 更新$/, 'the cancellation');
        assert.deepEqual((await subjectsTo(OPS)).filter((s) => s.includes('計画停止')), [],
            'the operators\' channel has only the alerts topic');
    });

    test('an outage is told to the users in their words, and its end', async () => {
        const listener = net.createServer((s) => s.end());
        const port = await new Promise<number>((resolve) =>
            listener.listen(0, '127.0.0.1', () => resolve((listener.address() as net.AddressInfo).port)));
        await json('POST', '/api/v1/monitors', {
            name: '住民情報 AP', service: '住民情報システム', type: 'tcp', target: { host: '127.0.0.1', port },
            interval_s: 1, timeout_ms: 500, retries: 1,
        }, 201);
        await until('the monitor is ok', async () => {
            const { items } = await json<{ items: { name: string; status: { state: string } | null }[] }>('GET', '/api/v1/monitors');
            return items.find((m) => m.name === '住民情報 AP')?.status?.state === 'ok' || undefined;
        });
        await new Promise((resolve) => listener.close(resolve));
        await mailed(OPS, /^【unyo】障害検知: 住民情報 AP/, 'the operators told of the alert');
        await mailed(USERS, /^【お知らせ】住民情報システム がご利用いただけません$/, 'the users told of the outage');
        assert.ok(!(await subjectsTo(USERS)).some((s) => s.startsWith('【unyo】障害検知')), 'no alert mail to the users');
        const back = net.createServer((s) => s.end());
        await new Promise<void>((resolve) => back.listen(port, '127.0.0.1', () => resolve()));
        try {
            await mailed(USERS, /^【お知らせ】住民情報システム は復旧しました$/, 'the users told it is back');
            await mailed(OPS, /^【unyo】復旧: 住民情報 AP/, 'the operators told of the recovery');
        } finally {
            back.close();
        }
    });

    test('the notice period and per-service maintenance pages come from config.json', async () => {
        const configFile = path.join(server.dataDir, 'config.json');
        const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
        config.planned_stops = { notice_days: 7, maintenance_pages: { '/maintenance/juki': '住民情報システム' } };
        fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
        await server.restart();
        admin = await signInAdmin(server);
        const in10days = Date.now() + 10 * 86400_000;
        await json('POST', '/api/v1/planned-stops', {
            kind: 'preventive', title: '予防保守', scope: 'services', services: ['住民情報システム'],
            starts_at: new Date(in10days).toISOString(), ends_at: new Date(in10days + 3600_000).toISOString(),
        }, 201);  // 10 days ahead is enough notice with notice_days 7
        const quiet = await fetch(`${server.baseUrl}/maintenance/juki`);
        assert.equal(quiet.status, 200);
        assert.match(await quiet.text(), /<h1>住民情報システムは現在ご利用いただけます<\/h1>/);
        const end = new Date(Date.now() + 3600_000);
        await json('POST', '/api/v1/planned-stops', {
            kind: 'security', title: '緊急パッチ', scope: 'services', services: ['住民情報システム'],
            starts_at: new Date(Date.now() - 1000).toISOString(), ends_at: end.toISOString(), short_notice_reason: '緊急',
        }, 201);
        const juki = await fetch(`${server.baseUrl}/maintenance/juki`);
        assert.equal(juki.status, 503);
        assert.equal(juki.headers.get('retry-after'), '300');
        assert.match(await juki.text(), /<h1>ただいまメンテナンス中です<\/h1><p>緊急パッチ<\/p><p>終了予定: /);
        const whole = await fetch(`${server.baseUrl}/maintenance`);
        assert.equal(whole.status, 200, 'the rest is in use');
        assert.match(await whole.text(), /停止中のサービス.*住民情報システム: 緊急パッチ/);

        config.planned_stops.maintenance_pages = { '/incidents': 'x' };
        fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
        await assert.rejects(server.restart(), /must be a path under \/maintenance\//, 'a page may not shadow the console');
        config.planned_stops.maintenance_pages = {};
        fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
        await server.restart();
    });
});
