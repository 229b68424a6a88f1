// Monitoring in the console: an operator's day. A TCP monitor is added through the form (a port out
// of range is refused at the port first) for a port nothing listens on; the status board shows it
// critical in its service's group; the alert is on the alert list with its incident, and is
// acknowledged with a comment (a second acknowledgement made meanwhile is said so); the dashboard
// puts the failing monitor and the unacknowledged alert first; the incident's page shows the
// notifications sent about it. A planned stop less than 14 days ahead asks for the short-notice
// reason, is refused without it and saved with it; the availability table lists the monitor under
// its service and marks a used-up allowance; a mail channel keeps its password to itself.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';

import { ApiError, type MonitorAlert } from '../../web/src/api/client.ts';
import { unique } from '../api/helpers.ts';
// A free port is one nothing listens on: a TCP check of it fails.
import { freePort as closedPort, until } from '../api/smtp-sink.ts';
import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

/** `YYYY-MM-DDTHH:MM` of `ms` in Japan time, as a datetime-local input takes it (the console's default zone). */
function tokyoInput(ms: number): string {
    return new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16);
}

/** Today's date in Japan. */
function tokyoToday(): string {
    return new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
}

const LIVE_MS = 20_000;

describe('console monitoring', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/', 'ダッシュボード');
    const service = `住民記録-${unique('s')}`;
    const name = `住基DB ポート ${unique('m')}`;
    const other = `住基AP ポート ${unique('m')}`;
    const up = `住基 Web ${unique('m')}`;
    let monitorId = 0;
    let otherId = 0;
    let upId = 0;
    /** A TCP monitor of the service on a port nothing listens on: critical after its first check. */
    const failingMonitor = async (monitorName: string): Promise<number> =>
        (
            await app.admin.client.createMonitor({
                name: monitorName,
                type: 'tcp',
                service,
                target: { host: '127.0.0.1', port: await closedPort() },
                interval_s: 2,
                timeout_ms: 500,
                retries: 1,
            })
        ).data.id;
    // A webhook receiver, so that the incident's notifications are really sent.
    const received: string[] = [];
    const hook = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
            received.push(body);
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end('{}');
        });
    });

    before(async () => {
        await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
        const port = (hook.address() as net.AddressInfo).port;
        await app.admin.client.createChannel({
            name: '運用チャット',
            type: 'webhook',
            url: `http://127.0.0.1:${port}/hook`,
            format: 'generic',
        });
        // A second failing monitor of the same service, made through the API: its alert is the one
        // acknowledged elsewhere while the form is open.
        otherId = await failingMonitor(other);
    });
    before(async () => {
        // One monitor that answers (the webhook receiver's port): it is ok and has values.
        upId = (
            await app.admin.client.createMonitor({
                name: up,
                type: 'tcp',
                service,
                target: { host: '127.0.0.1', port: (hook.address() as net.AddressInfo).port },
                interval_s: 2,
                timeout_ms: 1000,
                retries: 1,
            })
        ).data.id;
    });
    after(async () => {
        hook.closeAllConnections();
        await new Promise<void>((resolve) => hook.close(() => resolve()));
    });

    async function openAlertOf(id: number): Promise<MonitorAlert> {
        return until(`the open alert of monitor ${id}`, async () =>
            (await app.admin.client.listAlerts({ status: 'open' })).items.find((a) => a.monitor_id === id && a.incident_id !== null),
            LIVE_MS,
        );
    }

    test('a TCP monitor is added through the form; a port out of range is refused at the port', async () => {
        const page = suite.page;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '状態一覧' }).click();
        await page.getByRole('heading', { name: '監視の状態', level: 1 }).waitFor();
        await page.getByRole('link', { name: '監視を追加' }).click();
        await page.getByRole('heading', { name: '監視の追加', level: 1 }).waitFor();
        await page.getByLabel('監視名').fill(name);
        assert.equal(await page.getByLabel('種類').inputValue(), 'tcp');
        assert.equal(await page.getByLabel('URL', { exact: true }).count(), 0, 'only the fields of the chosen type');
        await page.getByLabel('ホスト').fill('127.0.0.1');
        await page.getByLabel('ポート', { exact: true }).fill('70000');
        await page.getByLabel('業務システム').fill(service);
        await page.getByLabel('確認間隔 (秒)').fill('2');
        await page.getByLabel('タイムアウト (ミリ秒)').fill('500');
        await page.getByLabel('異常と判定するまでの回数').fill('1');
        await page.getByRole('button', { name: '登録' }).click();

        const portError = page.locator('#mon-target-port-error');
        await portError.waitFor();
        assert.equal(await portError.innerText(), 'ポート番号 (1〜65535) を入力してください');
        assert.equal(await page.getByLabel('ポート', { exact: true }).getAttribute('aria-invalid'), 'true');
        assert.equal(await page.locator('#mon-target-host-error').count(), 0, 'the host was fine');
        await screenshot(page, '70-monitor-port-refused');
        assert.ok(
            !(await app.admin.client.listMonitors()).items.some((m) => m.name === name),
            'nothing was saved',
        );

        await page.getByLabel('ポート', { exact: true }).fill(String(await closedPort()));
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(`監視「${name}」を登録しました。`).waitFor();
        const path = new URL(page.url()).pathname;
        assert.match(path, /^\/monitors\/\d+$/);
        monitorId = Number(path.split('/')[2]);
        const saved = (await app.admin.client.getMonitor(monitorId)).data;
        assert.equal(saved.type, 'tcp');
        assert.equal(saved.service, service);
        assert.equal(saved.interval_s, 2);
        assert.equal(saved.retries, 1);
        assert.equal(saved.target.host, '127.0.0.1');
    });

    test('a host check shows its own target fields; a relative disk path is refused at the path', async (t) => {
        // Host checks came after the first monitoring release: a server without them refuses the type.
        const probe = await app.admin.client
            .createMonitor({ name: unique('probe'), type: 'disk', target: { path: 'relative' } })
            .then(
                () => assert.fail('a relative path is refused'),
                (err: unknown) => (err instanceof ApiError ? err.problem.errors?.map((e) => e.field) ?? [] : []),
            );
        if (probe.includes('type')) {
            t.skip('this server has no host checks');
            return;
        }
        assert.deepEqual(probe, ['target.path']);
        const page = suite.page;
        const disk = `ルート領域 ${unique('m')}`;
        await page.goto(`${app.url}/monitors/new`);
        await page.getByRole('heading', { name: '監視の追加', level: 1 }).waitFor();
        await page.getByLabel('監視名').fill(disk);
        await page.getByLabel('種類').selectOption('disk');
        assert.equal(await page.getByLabel('ホスト').count(), 0, 'no host for a disk');
        await page.getByLabel('警告のしきい値 (%)').waitFor();
        await page.getByLabel('確認間隔 (秒)').fill('2');
        await page.getByLabel('タイムアウト (ミリ秒)').fill('1000');
        await page.getByLabel('パス').fill('var');
        await page.getByRole('button', { name: '登録' }).click();
        await page.locator('#mon-target-path-error').getByText('/ で始まる絶対パスを入力してください').waitFor();
        await page.getByLabel('パス').fill('/');
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(`監視「${disk}」を登録しました。`).waitFor();
        const id = Number(new URL(page.url()).pathname.split('/')[2]);
        assert.deepEqual((await app.admin.client.getMonitor(id)).data.target, { path: '/' });
        // Its value is a percentage once checked.
        await page.getByRole('region', { name: '現在の状態' }).getByText(/^\d+\.\d%$/).waitFor({ timeout: LIVE_MS });
        await app.admin.client.deleteMonitor(id);
    });

    test('the status board shows it critical in its service, in words as well as colour', async () => {
        const page = suite.page;
        await page.getByRole('link', { name: '監視の状態' }).click();
        await page.getByRole('heading', { name: '監視の状態', level: 1 }).waitFor();
        const group = page.getByRole('region', { name: service });
        const tile = group.locator(`li[data-monitor="${monitorId}"]`);
        await tile.getByRole('link', { name }).waitFor();
        // The board asks again every few seconds: the first failing check turns it critical.
        await tile.locator('[data-state="critical"]').waitFor({ timeout: LIVE_MS });
        assert.match(await tile.innerText(), /異常/);
        assert.match(await tile.innerText(), /に接続できません/);
        await group.locator(`li[data-monitor="${otherId}"] [data-state="critical"]`).waitFor({ timeout: LIVE_MS });
        await group.locator(`li[data-monitor="${upId}"] [data-state="ok"]`).waitFor({ timeout: LIVE_MS });
        assert.match(await group.getByRole('group', { name: `${service} の状態別件数` }).innerText(), /異常\s*2/, 'two critical in the group, counted in words');
        assert.equal(await group.locator('.state-count[data-state="critical"] dd').innerText(), '2');
        assert.equal(await group.locator('.state-count[data-state="ok"] dd').innerText(), '1', 'the monitor of an open port');
        await screenshot(page, '71-monitor-board');
    });

    test("the monitor's page: live state, history band and table, values, availability", async () => {
        const page = suite.page;
        await page.getByRole('region', { name: service }).getByRole('link', { name }).click();
        await page.getByRole('heading', { name, level: 1 }).waitFor();
        const now = page.getByRole('region', { name: '現在の状態' });
        await now.locator('[data-state="critical"]').first().waitFor({ timeout: LIVE_MS });
        const history = page.getByRole('region', { name: '状態の推移' });
        await history.getByRole('img', { name: /期間中の状態: .*異常/ }).waitFor();
        await history.getByRole('cell', { name: /に接続できません/ }).first().waitFor();
        assert.equal(await page.getByRole('button', { name: '7日間' }).getAttribute('aria-pressed'), 'true', '7 days unless chosen');

        // A closed port measures nothing: no values, so no chart.
        await page.getByRole('region', { name: '測定値の推移' }).getByText('データがありません').waitFor();
        const availability = page.getByRole('region', { name: '期間中の稼働率' });
        await availability.getByText('目標 99.90%').waitFor();
        await page.getByRole('button', { name: '24時間' }).click();
        assert.match(page.url(), /period=24h/);
        await screenshot(page, '72-monitor-detail');
    });

    test("an answering monitor's values are charted (where the server keeps results)", async () => {
        const page = suite.page;
        await until('the open port monitor ok', async () =>
            (await app.admin.client.getMonitor(upId)).data.status?.state === 'ok' ? true : undefined,
            LIVE_MS,
        );
        const results = await app.admin.client.raw('GET', `/api/v1/monitors/${upId}/results`);
        await results.body?.cancel();
        await page.goto(`${app.url}/monitors/${upId}?period=6h`);
        await page.getByRole('heading', { name: up, level: 1 }).waitFor();
        const values = page.getByRole('region', { name: '測定値の推移' });
        if (results.status === 404) {
            // A server from before …/results: the chart says so instead of failing.
            await values.getByText('データがありません').waitFor();
        } else {
            assert.equal(results.status, 200);
            const caption = values.locator('figcaption');
            await caption.waitFor({ timeout: LIVE_MS });
            assert.match(await caption.innerText(), /^TCP の応答時間: \d+ 件、最小 [\d.,]+ ms・平均 [\d.,]+ ms・最大 [\d.,]+ ms/);
            await values.locator('canvas').waitFor();
        }
        await screenshot(page, '72-monitor-values');
    });

    test('the alert is listed with its incident and acknowledged with a comment; a second one is refused', async () => {
        const page = suite.page;
        const mine = await openAlertOf(monitorId);
        const theirs = await openAlertOf(otherId);
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'アラート', exact: true }).click();
        await page.getByRole('heading', { name: 'アラート', level: 1 }).waitFor();
        assert.equal(await page.getByRole('button', { name: '未解決' }).getAttribute('aria-pressed'), 'true');
        const row = page.locator(`tr[data-alert="${mine.id}"]`);
        await row.getByRole('link', { name }).waitFor();
        const incident = row.getByRole('link', { name: mine.incident_key ?? '' });
        assert.equal(await incident.getAttribute('href'), `/incidents/${mine.incident_id}`);
        assert.match(await row.innerText(), /未解決/);
        assert.match(await row.innerText(), /未確認/);

        // Someone else acknowledges the other alert while this form is open: refused, and said so.
        const theirRow = page.locator(`tr[data-alert="${theirs.id}"]`);
        await theirRow.getByRole('button', { name: `${other} のアラートを確認 (Ack)` }).click();
        await page.getByLabel('確認コメント').fill('こちらでも確認');
        await app.admin.client.acknowledgeAlert(theirs.id, { comment: '別の担当者が確認' });
        await page.getByRole('button', { name: '確認する' }).click();
        await page.getByText('このアラートは既に確認されています。').waitFor();
        await theirRow.getByText('別の担当者が確認').waitFor();

        const comment = '住基DBサーバを確認中。保守事業者に連絡済み';
        await row.getByRole('button', { name: `${name} のアラートを確認 (Ack)` }).click();
        const form = page.getByRole('form', { name: `アラート ${mine.id} の確認` });
        await form.getByLabel('確認コメント').fill(comment);
        // Servers that let acknowledgements lapse say `acknowledged`; the expiry is sent only when filled.
        const lapsing = 'acknowledged' in mine;
        const expires = Date.now() + 2 * 3_600_000;
        if (lapsing) {
            await form.getByLabel('確認の有効期限').fill(tokyoInput(expires));
        }
        await form.getByRole('button', { name: '確認する' }).click();
        await page.getByText('アラートを確認しました。').waitFor();
        await row.getByText(comment).waitFor();
        assert.match(await row.innerText(), /確認済み/);
        assert.match(await row.innerText(), new RegExp(app.server.adminLogin));
        const stored = (await app.admin.client.listAlerts({ status: 'open' })).items.find((a) => a.id === mine.id);
        assert.equal(stored?.ack_comment, comment);
        assert.equal(stored?.acknowledged_by, app.server.adminLogin);
        if (lapsing) {
            assert.ok(stored?.ack_expires_at, 'the expiry was sent');
            assert.ok(Math.abs(Date.parse(stored.ack_expires_at) - expires) < 60_000, 'the expiry as typed, in Japan time');
            assert.equal(stored.acknowledged, true);
            assert.match(await row.innerText(), /有効期限/);
        }
        await assert.rejects(
            app.admin.client.acknowledgeAlert(mine.id, { comment: 'again' }),
            (err: unknown) => err instanceof ApiError && err.status === 409,
        );
        await screenshot(page, '73-alerts-acknowledged');

        // The incident it opened, with the notifications sent about it.
        await incident.click();
        await page.getByRole('heading', { name: new RegExp(`^${mine.incident_key}`), level: 1 }).waitFor();
        await until('the webhook delivery', async () => {
            const log = await app.admin.client.listNotifications({ record_id: mine.incident_id ?? 0 });
            return log.items.some((d) => d.status === 'sent') ? true : undefined;
        }, LIVE_MS);
        assert.ok(received.some((body) => body.includes(mine.incident_key ?? '-')), 'the receiver got the alert');
        await page.reload();
        const log = page.getByRole('region', { name: '通知履歴' });
        await log.getByText('運用チャット').first().waitFor();
        await log.getByText('送信済み').first().waitFor();
    });

    test('the dashboard puts the failing monitor and the unacknowledged alert first', async () => {
        const page = suite.page;
        // A third monitor fails and nobody acknowledges it.
        const loud = `証明書発行 ${unique('m')}`;
        const loudId = await failingMonitor(loud);
        await openAlertOf(loudId);
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'ダッシュボード' }).click();
        await page.getByRole('heading', { name: 'ダッシュボード', level: 1 }).waitFor();
        const problems = page.getByRole('region', { name: '現在の問題' });
        const failing = problems.getByRole('heading', { name: /異常・警告の監視/ });
        await failing.waitFor({ timeout: LIVE_MS });
        await problems.locator(`li[data-monitor="${monitorId}"]`).getByRole('link', { name }).waitFor();
        const unacked = problems.getByRole('heading', { name: '未確認のアラート (1 件)' });
        await unacked.waitFor({ timeout: LIVE_MS });
        await problems.locator('li[data-alert]').getByRole('link', { name: loud }).waitFor();
        assert.equal(await problems.locator('li[data-alert]').filter({ hasText: name }).count(), 0, 'the acknowledged alert is not listed');
        const top = await problems.boundingBox();
        const ledger = await page.getByRole('region', { name: '未完了の障害' }).boundingBox();
        assert.ok(top && ledger && top.y < ledger.y, 'current problems come before the ledger');
        await page.getByRole('region', { name: '監視状況' }).getByText('異常').first().waitFor();
        await screenshot(page, '74-dashboard-problems');
    });

    test('a planned stop within 14 days needs the short-notice reason; refused without, saved with', async () => {
        const page = suite.page;
        const title = `住基 緊急パッチ適用 ${unique('p')}`;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '計画停止' }).click();
        await page.getByRole('heading', { name: '計画停止', level: 1 }).waitFor();
        await page.getByRole('link', { name: '計画停止を登録' }).click();
        await page.getByRole('heading', { name: '計画停止の登録', level: 1 }).waitFor();
        await page.getByLabel('種別').selectOption('security');
        await page.getByLabel('件名').fill(title);
        await page.getByLabel('理由・内容').fill('緊急の脆弱性修正');
        assert.equal(await page.getByLabel('事前に周知できない理由').count(), 0, 'not asked before a start is given');
        const start = Date.now() + 2 * 86_400_000;
        await page.getByLabel('開始日時').fill(tokyoInput(start));
        await page.getByLabel('終了日時').fill(tokyoInput(start + 2 * 3_600_000));
        await page.getByLabel('事前に周知できない理由').waitFor();
        await page.getByLabel('業務システムを選ぶ').check();
        await page.getByRole('group', { name: '対象の業務システム' }).getByLabel(service).check();
        await page.getByRole('button', { name: '登録' }).click();

        const error = page.locator('#stop-short-notice-reason-error');
        await error.waitFor();
        assert.equal(await error.innerText(), '開始まで14日未満のため、事前に周知できない理由を入力してください');
        assert.equal(await page.getByLabel('事前に周知できない理由').getAttribute('aria-invalid'), 'true');
        await screenshot(page, '75-planned-stop-short-notice');
        assert.ok(!(await app.admin.client.listPlannedStops()).items.some((s) => s.title === title), 'nothing was saved');

        await page.getByLabel('事前に周知できない理由').fill('ベンダーの緊急修正が本日公開されたため');
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(`計画停止「${title}」を登録しました。`).waitFor();
        const stop = (await app.admin.client.listPlannedStops()).items.find((s) => s.title === title);
        assert.ok(stop, 'saved');
        assert.equal(stop.kind, 'security');
        assert.deepEqual(stop.services, [service]);
        assert.equal(Math.abs(Date.parse(stop.starts_at) - start) < 60_000, true, 'the start as typed, in Japan time');
        const row = page.locator(`tr[data-stop="${stop.id}"]`);
        assert.match(await row.innerText(), new RegExp(`${stop.kind_label}[\\s\\S]*臨時`));
        assert.match(await row.innerText(), /ベンダーの緊急修正/);
        assert.match(await row.innerText(), /未承認/);

        // The month of the stop marks its day.
        const day = tokyoInput(start).slice(0, 10);
        await page.goto(`${app.url}/planned-stops?month=${day.slice(0, 7)}`);
        const cell = page.locator(`td[data-date="${day}"]`);
        await cell.getByText(title).waitFor();
        assert.match(await cell.innerText(), /停止あり/);

        await page.getByRole('button', { name: `計画停止「${title}」を承認` }).click();
        // Approval asks first and says that the notice goes out.
        const confirm = page.getByRole('group', { name: `計画停止「${title}」を承認しますか？` });
        await confirm.getByText('「計画停止のお知らせ」が送信されます').waitFor();
        await confirm.getByRole('button', { name: '承認する' }).click();
        await page.getByText(`計画停止「${title}」を承認しました。`).waitFor();
        await row.getByText('承認済み').waitFor();
        assert.equal((await app.admin.client.getPlannedStop(stop.id)).data.approved_by, app.server.adminLogin);
        await screenshot(page, '76-planned-stops');
    });

    test('availability lists the monitor under its service and marks a used-up allowance', async () => {
        const page = suite.page;
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '稼働率' }).click();
        await page.getByRole('heading', { name: '稼働率', level: 1 }).waitFor();
        await page.getByRole('columnheader', { name: service }).waitFor();
        const row = page.locator(`tr[data-monitor="${monitorId}"]`);
        await row.getByRole('link', { name }).waitFor();
        assert.match(await row.innerText(), /0\.000%/, 'down since it was added');

        // Today at 99.99 %: the allowance is at most 8.6 s, which the outage has used up.
        const today = tokyoToday();
        await until('the allowance used up', async () => {
            const [a] = (
                await app.admin.client.availability({
                    monitor_id: monitorId,
                    from: new Date(Date.parse(`${today}T00:00:00+09:00`)).toISOString(),
                    to: new Date().toISOString(),
                    target: 0.9999,
                })
            ).items;
            return a && a.remaining_budget_ms < 0 ? true : undefined;
        }, LIVE_MS);
        await page.goto(`${app.url}/availability?from=${today}&to=${today}&target=0.9999`);
        await page.getByRole('columnheader', { name: service }).waitFor();
        await row.getByText('超過').first().waitFor();
        assert.equal(await row.getAttribute('class'), 'row-danger');
        assert.match(await row.innerText(), /99\.99%/);
        await screenshot(page, '77-availability');
    });

    test('a mail channel is added; its password is never shown back; a failed test says why', async () => {
        const page = suite.page;
        const channel = `防災メール ${unique('c')}`;
        const password = 'Mail-Secret-7431';
        await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '通知先' }).click();
        await page.getByRole('heading', { name: '通知先', level: 1 }).waitFor();
        await page.getByRole('link', { name: '通知先を追加' }).click();
        await page.getByRole('heading', { name: '通知先の追加', level: 1 }).waitFor();
        await page.getByLabel('名前').fill(channel);
        await page.getByLabel('SMTP サーバー').fill('127.0.0.1');
        await page.getByLabel('ポート', { exact: true }).fill(String(await closedPort()));
        await page.getByLabel('差出人').fill('unyo@example.lg.jp');
        await page.getByLabel('宛先').fill('jouhou@example.lg.jp\nbousai@example.lg.jp');
        await page.getByLabel('SMTP 認証のユーザー名').fill('unyo');
        await page.getByLabel('SMTP 認証のパスワード').fill(password);
        await page.getByLabel(/^エスカレーション.*\(分\)$/).fill('30');
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(`通知先「${channel}」を登録しました。`).waitFor();

        const id = Number(new URL(page.url()).pathname.split('/')[2]);
        const stored = (await app.admin.client.getChannel(id)).data;
        assert.equal(stored.type, 'smtp');
        assert.ok(stored.type === 'smtp' && stored.password_set, 'the password is set');
        assert.deepEqual(stored.type === 'smtp' ? stored.to : [], ['jouhou@example.lg.jp', 'bousai@example.lg.jp']);
        assert.equal('password' in stored, false, 'the API never sends it');
        assert.equal(stored.escalate_after_min, 30);
        await page.locator('[data-password-state]').getByText('パスワード設定済み').waitFor();
        assert.equal(await page.getByLabel('SMTP 認証のパスワード').inputValue(), '', 'the input stays empty');
        assert.equal((await page.content()).includes(password), false, 'nowhere on the page');

        await page.getByRole('button', { name: 'テスト送信' }).click();
        await page.getByText('テストメッセージを送信できませんでした。').waitFor();
        await screenshot(page, '78-channel-smtp');

        await page.goto(`${app.url}/notification-channels`);
        const row = page.getByRole('row').filter({ hasText: channel });
        assert.match(await row.innerText(), /jouhou@example\.lg\.jp, bousai@example\.lg\.jp/);
        assert.match(await row.innerText(), /パスワード設定済み/);
        assert.match(await row.innerText(), /30 分後にエスカレーション/);
    });

    test('a viewer reads the board but is offered no change; channels are not in the menu', async () => {
        await asNewUser(app, 'viewer', '閲覧 花子', '/monitors', async (page) => {
            await page.getByRole('heading', { name: '監視の状態', level: 1 }).waitFor();
            await page.getByRole('region', { name: service }).getByRole('link', { name }).waitFor();
            assert.equal(await page.getByRole('link', { name: '監視を追加' }).count(), 0);
            const nav = page.getByRole('navigation', { name: 'メインメニュー' });
            await nav.getByRole('link', { name: 'アラート', exact: true }).waitFor();
            assert.equal(await nav.getByRole('link', { name: '通知先' }).count(), 0);
            await nav.getByRole('link', { name: 'アラート', exact: true }).click();
            await page.locator('tr[data-alert]').first().waitFor();
            assert.equal(await page.getByRole('button', { name: /確認 \(Ack\)/ }).count(), 0, 'viewers do not acknowledge');
        });
    });

    test('a monitor is changed with If-Match (a change made meanwhile is not overwritten) and deleted after confirming', async () => {
        const page = suite.page;
        await page.goto(`${app.url}/monitors/${upId}`);
        await page.getByRole('heading', { name: up, level: 1 }).waitFor();
        await page.getByLabel('異常と判定するまでの回数').fill('3');
        await page.getByRole('button', { name: '保存' }).click();
        await page.getByText('保存しました。').waitFor();
        assert.equal((await app.admin.client.getMonitor(upId)).data.retries, 3);

        const fresh = await app.admin.client.getMonitor(upId);
        await app.admin.client.updateMonitor(upId, { timeout_ms: 1500 }, fresh.etag ?? '');
        await page.getByLabel('確認間隔 (秒)').fill('5');
        await page.getByRole('button', { name: '保存' }).click();
        await page.getByText('他の方がこの内容を先に更新しました。').waitFor();
        const kept = (await app.admin.client.getMonitor(upId)).data;
        assert.equal(kept.interval_s, 2, 'nothing of ours was saved');
        assert.equal(kept.timeout_ms, 1500);

        await page.getByRole('button', { name: '最新の内容を読み込む (入力中の変更は破棄されます)' }).click();
        await page.getByRole('button', { name: '監視を削除' }).click();
        await page.getByText(`監視「${up}」を削除しますか？`).waitFor();
        assert.ok((await app.admin.client.listMonitors()).items.some((m) => m.id === upId), 'not before confirming');
        await page.getByRole('button', { name: '削除する' }).click();
        await page.getByText(`監視「${up}」を削除しました。`).waitFor();
        assert.equal(new URL(page.url()).pathname, '/monitors');
        assert.ok(!(await app.admin.client.listMonitors()).items.some((m) => m.id === upId), 'deleted');
    });
});
