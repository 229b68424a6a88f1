// The operation reports (RPT-1..4, SLM-1/2, ISS-1, JOB-4): with data made here — incidents of last
// month with met and breached clocks, a planned stop announced late and one in time, a batch that
// failed and was rerun, a backup with its restore drill, a virus definition jobnet, an inquiry and
// issues, one overdue — the monthly report's numbers are checked against that data by hand; the
// closed month is snapshotted and says when the data changed since; HTML, XLSX (typed cells), CSV,
// PDF; the yearly and daily reports; the settings; the CLI.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';

import { runUnyo, useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';
import { envelopeTo, sleep, SmtpSink, subject, until } from './smtp-sink.ts';

type Cell = string | number | boolean | null;
interface Table { name: string; caption_ja: string; columns: { ja: string; type: string }[]; rows: Cell[][] }
interface Section { id: string; missing: boolean; missing_ja: string | null; figures: { key: string; value: Cell; type: string }[]; tables: Table[]; note_ja: string }
interface Report { kind: string; period: string; closed: boolean; sections: Section[] }
interface Answer { report: Report; from_snapshot: boolean; snapshot_at: string | null; changed_since_snapshot: boolean; changed_sections: string[] }
interface Run { id: number; status: string }

const JST = 9 * 3600_000;
const pad = (n: number) => String(n).padStart(2, '0');
const monthOf = (ms: number) => {
    const d = new Date(ms + JST);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
};
const dayOf = (ms: number) => new Date(ms + JST).toISOString().slice(0, 10);

function section(r: Report, id: string): Section {
    const s = r.sections.find((x) => x.id === id);
    assert.ok(s, `section ${id} in ${r.sections.map((x) => x.id).join(', ')}`);
    return s;
}
function figure(r: Report, id: string, key: string): Cell {
    const f = section(r, id).figures.find((x) => x.key === key);
    assert.ok(f, `figure ${key}`);
    return f.value;
}
function table(r: Report, id: string, name: string): Table {
    const t = section(r, id).tables.find((x) => x.name === name);
    assert.ok(t, `table ${name}`);
    return t;
}

/** The entries of a ZIP file (stored or deflated), by name. */
function unzip(buf: Buffer): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    assert.ok(end >= 0, 'a ZIP file');
    let at = buf.readUInt32LE(end + 16);
    const count = buf.readUInt16LE(end + 10);
    for (let i = 0; i < count; i += 1) {
        const method = buf.readUInt16LE(at + 10);
        const size = buf.readUInt32LE(at + 20);
        const nameLength = buf.readUInt16LE(at + 28);
        const extra = buf.readUInt16LE(at + 30);
        const comment = buf.readUInt16LE(at + 32);
        const local = buf.readUInt32LE(at + 42);
        const name = buf.subarray(at + 46, at + 46 + nameLength).toString('utf8');
        const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(dataAt, dataAt + size);
        out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
        at += 46 + nameLength + extra + comment;
    }
    return out;
}

describe('operation reports', () => {
    const server = useServer();
    let admin: SignedIn;
    let viewer: SignedIn;
    let vendor: SignedIn;
    const scratch = mkdtempSync(path.join(tmpdir(), 'unyo-reports-api-'));
    const smtp = new SmtpSink();
    after(() => rmSync(scratch, { recursive: true, force: true }));
    after(() => smtp.stop());

    const now = Date.now();
    const thisMonth = monthOf(now);
    const first = new Date(now + JST);
    const lastMonth = monthOf(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() - 1, 15) - JST);
    const at = (day: number, hh: number, mm: number) => `${lastMonth}-${pad(day)}T${pad(hh)}:${pad(mm)}:00+09:00`;
    const json = <T>(method: string, p: string, body?: unknown, status = 200) => expectJson<T>(server, admin, method, p, body, status);
    const monthly = (month: string, extra = '') => json<Answer>('GET', `/api/v1/reports/monthly?month=${month}${extra}`);

    async function person(role: string): Promise<SignedIn> {
        const login = unique(`rp-${role}`);
        const password = strongPassword();
        const org = (await admin.client.createOrganization({ name: unique(`組織-${role}`), kind: role === 'vendor' ? 'vendor' : 'owner', note: '' })).data;
        await admin.client.createUser({ login, display_name: role, organization_id: org.id, roles: [role as 'viewer'], password });
        return signIn(server, login, password);
    }

    before(async () => {
        admin = await signInAdmin(server);
        viewer = await person('viewer');
        vendor = await person('vendor');
    });

    test('settings: bad members named and nothing changed; planners change them with If-Match', async () => {
        const initial = await json<{ version: number; default_availability_target: number }>('GET', '/api/v1/reports/settings');
        assert.deepEqual([initial.version, initial.default_availability_target], [0, 0.999]);
        const bad = await expectProblem(await sendJson(server, admin, 'PUT', '/api/v1/reports/settings', {
            default_availability_target: 99.9,
            availability_targets: { 住民記録: 'high' },
            virus_jobnet_ids: [424242],
            mail_to: ['not-an-address'],
            improvement_plans: { R8: 'x' },
            colour: 'blue',
        }, '"0"'), 422);
        assert.deepEqual(errorFields(bad).sort(), ['availability_targets.住民記録', 'colour', 'default_availability_target',
            'improvement_plans.R8', 'mail_to[0]', 'virus_jobnet_ids[0]']);
        assert.equal((await json<{ version: number }>('GET', '/api/v1/reports/settings')).version, 0, 'nothing saved');
        await expectProblem(await sendJson(server, viewer, 'PUT', '/api/v1/reports/settings', { mail_to: [] }, '"0"'), 403);
        await expectProblem(await sendJson(server, admin, 'PUT', '/api/v1/reports/settings', { mail_to: ['teirei@city.example.jp'] }), 428);
        const ok = await sendJson(server, admin, 'PUT', '/api/v1/reports/settings', { mail_to: ['teirei@city.example.jp'] }, '"0"');
        assert.equal(ok.status, 200, await ok.clone().text());
        assert.deepEqual(((await ok.json()) as { mail_to: string[] }).mail_to, ['teirei@city.example.jp']);
        await expectProblem(await sendJson(server, admin, 'PUT', '/api/v1/reports/settings', { mail_to: [] }, '"0"'), 412);
    });

    test('last month: incidents by severity and source, clocks met and breached, times to notify and recover; snapshotted', async () => {
        // A: recognised 10:00, owner told 11:30 (90 min: met), recovered 14:00 (240 min).
        const a = await json<{ key: string }>('POST', '/api/v1/incidents', {
            title: '住民記録 帳票サーバー停止', severity: 'high', source: 'monitoring', recognized_at: at(10, 10, 0),
            owner_notified_at: at(10, 11, 30), recovered_at: at(10, 14, 0), cause: 'ディスク満杯', permanent_fix: 'ログ退避ジョブを追加',
        }, 201);
        // B: recognised 09:00 on the 12th, owner told 23:00 (840 min: the 12 h target breached), recovered 09:00 the next day.
        const b = await json<{ key: string }>('POST', '/api/v1/incidents', {
            title: '税務システム 応答遅延', severity: 'critical', source: 'user_report', recognized_at: at(12, 9, 0),
            owner_notified_at: at(12, 23, 0), recovered_at: at(13, 9, 0),
        }, 201);
        // Recognised this month: not in last month's report.
        await json('POST', '/api/v1/incidents', { title: '今月の障害', severity: 'low', source: 'other' }, 201);

        const first = await monthly(lastMonth);
        const r = first.report;
        assert.deepEqual([r.kind, r.period, r.closed, first.from_snapshot, first.changed_since_snapshot], ['monthly', lastMonth, true, false, false]);
        assert.ok(first.snapshot_at, 'a closed month is snapshotted when generated');
        assert.equal(figure(r, 'incidents', 'incidents.total'), 2);
        assert.equal(figure(r, 'incidents', 'incidents.notify_avg_min'), (90 + 840) / 2);
        assert.equal(figure(r, 'incidents', 'incidents.notify_max_min'), 840);
        assert.equal(figure(r, 'incidents', 'incidents.recover_avg_min'), (240 + 1440) / 2);
        assert.equal(figure(r, 'incidents', 'incidents.recover_max_min'), 1440);
        assert.deepEqual(table(r, 'incidents', 'incidents-by-severity').rows, [['重大', 1, 1], ['高', 1, 1], ['中', 0, 0], ['低', 0, 0]]);
        const bySource = Object.fromEntries(table(r, 'incidents', 'incidents-by-source').rows.map((row) => [row[0], row[1]]));
        assert.deepEqual([bySource['監視'], bySource['利用者からの連絡'], bySource['その他']], [1, 1, 0]);
        // Neither has an ETA given nor a recovered status: those clocks ran out for both.
        assert.deepEqual(table(r, 'incidents', 'incidents-sla').rows, [
            ['発注者への通知', 1, 1, 0], ['復旧見込みの連絡', 0, 2, 0], ['復旧の報告', 0, 2, 0],
        ]);
        assert.equal(figure(r, 'incidents', 'incidents.sla_breached'), 5);
        const list = table(r, 'incidents', 'incidents-list');
        assert.deepEqual(list.rows.map((row) => row[0]), [a.key, b.key]);
        const cols = list.columns.map((c) => c.ja);
        const rowA = list.rows[0]!;
        assert.equal(rowA[cols.indexOf('通知までの時間 (分)')], 90);
        assert.equal(rowA[cols.indexOf('原因')], 'ディスク満杯');
        assert.equal(rowA[cols.indexOf('本対応 (恒久対策)')], 'ログ退避ジョブを追加');
        assert.equal(rowA[cols.indexOf('障害認知日時')], new Date(at(10, 10, 0)).toISOString());
        assert.match(String(rowA[cols.indexOf('SLA')]), /^発注者への通知: 達成 \/ 復旧見込みの連絡: 未達 \/ 復旧の報告: 未達$/);
        assert.equal(section(r, 'availability').missing, true, 'no monitors: missing, not zero');

        // The same month again: the snapshot, unchanged.
        const again = await monthly(lastMonth);
        assert.deepEqual([again.from_snapshot, again.changed_since_snapshot, again.snapshot_at], [true, false, first.snapshot_at]);
        // An incident of that month entered late: the snapshot keeps its numbers and says what changed.
        await json('POST', '/api/v1/incidents', { title: '後日登録の障害', severity: 'medium', source: 'other', recognized_at: at(20, 8, 0) }, 201);
        const changed = await monthly(lastMonth);
        assert.deepEqual([changed.from_snapshot, changed.changed_since_snapshot, changed.changed_sections], [true, true, ['incidents']]);
        assert.equal(figure(changed.report, 'incidents', 'incidents.total'), 2);
        const html = await (await sendJson(server, admin, 'GET', `/api/v1/reports/monthly?month=${lastMonth}&format=html`)).text();
        assert.match(html, /確定後にデータが変わった節があります: incidents/);
        await expectProblem(await sendJson(server, viewer, 'GET', `/api/v1/reports/monthly?month=${lastMonth}&refresh=true`), 403);
        const refreshed = await monthly(lastMonth, '&refresh=true');
        assert.deepEqual([refreshed.from_snapshot, figure(refreshed.report, 'incidents', 'incidents.total')], [false, 3]);
        const audit = await json<{ items: { action: string; entity_id: string }[] }>('GET', '/api/v1/audit?entity_type=report_snapshot');
        assert.deepEqual(audit.items.map((e) => e.action).sort(), ['report_snapshot.create', 'report_snapshot.replace']);
    });

    test('this month: batch failed and rerun, backup and drill, virus updates, planned stops, inquiries, issues overdue first', async () => {
        const flag = path.join(scratch, 'input-ready');
        const batch = await json<{ id: number }>('POST', '/api/v1/jobnets', {
            name: unique('月次集計'), jobs: [{ key: 'load', name: '取込', command: ['/bin/sh', '-c', `test -f ${flag}`] }],
        }, 201);
        const run = await json<Run>('POST', `/api/v1/jobnets/${batch.id}/runs`, {}, 201);
        await until('the batch to fail', async () => ((await json<Run>('GET', `/api/v1/jobnet-runs/${run.id}`)).status === 'failed' ? true : undefined));
        writeFileSync(flag, 'ok');
        await json('POST', `/api/v1/jobnet-runs/${run.id}/actions`, { action: 'rerun_failed', comment: '入力ファイルを配置' });
        await until('the rerun to succeed', async () => ((await json<Run>('GET', `/api/v1/jobnet-runs/${run.id}`)).status === 'succeeded' ? true : undefined));

        const data = path.join(scratch, 'juki');
        mkdirSync(data, { recursive: true });
        writeFileSync(path.join(data, '住民.csv'), '番号,氏名\n1,山田\n');
        const dest = path.join(scratch, 'backups');
        const nightly = await json<{ id: number }>('POST', '/api/v1/jobnets', {
            name: unique('夜間バックアップ'),
            jobs: [
                { key: 'backup', type: 'backup', backup: { name: 'juki', sources: [{ path: data, as: 'juki' }], destination: dest, generations: 2 } },
                { key: 'drill', type: 'restore_drill', drill: { destination: dest, name: 'juki' }, after: ['backup'] },
            ],
        }, 201);
        const virus = await json<{ id: number }>('POST', '/api/v1/jobnets', { name: unique('ウイルス定義更新'), jobs: [{ key: 'update', command: ['/bin/true'] }] }, 201);
        for (const id of [nightly.id, virus.id]) {
            const r = await json<Run>('POST', `/api/v1/jobnets/${id}/runs`, {}, 201);
            await until('the run to end', async () => {
                const s = (await json<Run>('GET', `/api/v1/jobnet-runs/${r.id}`)).status;
                return s === 'succeeded' || s === 'failed' ? s : undefined;
            }).then((s) => assert.equal(s, 'succeeded'));
        }
        const settings = await json<{ version: number }>('GET', '/api/v1/reports/settings');
        const put = await sendJson(server, admin, 'PUT', '/api/v1/reports/settings', { virus_jobnet_ids: [virus.id] }, `"${settings.version}"`);
        assert.equal(put.status, 200, await put.text());

        // Planned stops: one approved 3 days ahead (late, with its reason), one 20 days ahead (in time).
        const stops: { id: number; start: number; title: string }[] = [];
        for (const [days, title] of [[3, '緊急パッチ適用'], [20, '定期点検']] as const) {
            const start = now + days * 86400_000;
            const s = await json<{ id: number; version: number }>('POST', '/api/v1/planned-stops', {
                kind: 'security', title, starts_at: new Date(start).toISOString(), ends_at: new Date(start + 2 * 3600_000).toISOString(),
                ...(days < 14 ? { short_notice_reason: '脆弱性の緊急対応' } : {}),
            }, 201);
            const approved = await sendJson(server, admin, 'POST', `/api/v1/planned-stops/${s.id}/approve`, undefined, `"${s.version}"`);
            assert.equal(approved.status, 200, await approved.text());
            stops.push({ id: s.id, start, title });
        }

        const inquiry = await json<{ id: number }>('POST', '/api/v1/inquiries', { title: '証明書の発行方法', requester: '市民課', channel: 'phone' }, 201);
        await json('POST', `/api/v1/inquiries/${inquiry.id}/transitions`, { to: 'answered', answer: '窓口で発行できます' });

        const me = (await json<{ user: { id: number } }>('GET', '/api/v1/me')).user;
        const soon = await json<{ key: string }>('POST', '/api/v1/issues', { title: '帳票レイアウトの見直し', owner_id: me.id, due_date: dayOf(now + 30 * 86400_000) }, 201);
        const late = await json<{ key: string }>('POST', '/api/v1/issues', { title: 'バックアップ手順書の改訂', owner_id: me.id, due_date: dayOf(now - 86400_000) }, 201);

        const r = (await monthly(thisMonth)).report;
        assert.equal(r.closed, false);
        assert.deepEqual(
            ['batch.runs', 'batch.succeeded', 'batch.failed', 'batch.reruns', 'batch.end_late'].map((k) => figure(r, 'batch', k)),
            [3, 3, 0, 1, 0]);
        const exceptions = table(r, 'batch', 'batch-exceptions');
        assert.equal(exceptions.rows.length, 1);
        assert.equal(exceptions.rows[0]![0], run.id);
        assert.equal(exceptions.rows[0]![exceptions.rows[0]!.length - 1], 1, 'one rerun');
        assert.deepEqual(['backups.runs', 'backups.failed', 'backups.drills', 'backups.last_drill_ok'].map((k) => figure(r, 'backups', k)), [1, 0, 1, true]);
        const backupRow = table(r, 'backups', 'backups').rows[0]!;
        assert.deepEqual([backupRow[0], backupRow[1], backupRow[2], backupRow[3], backupRow[5], backupRow[6]], ['juki', 1, 1, 0, 2, 1]);
        assert.equal(typeof figure(r, 'backups', 'backups.last_rto_min'), 'number');
        assert.deepEqual([figure(r, 'security', 'security.virus_updates'), figure(r, 'security', 'security.virus_updates_ok')], [1, 1]);
        assert.deepEqual(['inquiries.total', 'inquiries.answered', 'inquiries.sla_met', 'inquiries.sla_breached'].map((k) => figure(r, 'inquiries', k)), [1, 1, 1, 0]);
        assert.deepEqual(['issues.listed', 'issues.overdue'].map((k) => figure(r, 'issues', k)), [2, 1]);
        assert.deepEqual(table(r, 'issues', 'issues').rows.map((row) => [row[0], row[5]]), [[late.key, true], [soon.key, false]], 'overdue first');
        assert.equal(section(r, 'availability').missing, true);

        for (const s of stops) {
            const month = monthOf(s.start);
            const rep = month === thisMonth ? r : (await monthly(month)).report;
            const row = table(rep, 'planned_stops', 'planned-stops').rows.find((x) => x[0] === s.title);
            assert.ok(row, `${s.title} in ${month}`);
            const daysAhead = row[6] as number;
            assert.ok(Math.abs(daysAhead - (s.start - now) / 86400_000) < 0.1, `${daysAhead} days of notice`);
            assert.equal(row[7], s.title === '定期点検', 'announced 14 days ahead');
            assert.equal(row[8], s.title === '定期点検' ? '' : '脆弱性の緊急対応');
        }

        // A monitor of a service with its own target: availability is no longer missing.
        await json('POST', '/api/v1/monitors', { name: unique('住民記録 死活'), type: 'heartbeat', service: '住民記録', interval_s: 60, target: {} }, 201);
        const v = await json<{ version: number }>('GET', '/api/v1/reports/settings');
        assert.equal((await sendJson(server, admin, 'PUT', '/api/v1/reports/settings', { availability_targets: { 住民記録: 0.9995 } }, `"${v.version}"`)).status, 200);
        const withMonitor = (await monthly(thisMonth)).report;
        const avail = section(withMonitor, 'availability');
        assert.equal(avail.missing, false);
        assert.deepEqual(avail.tables[0]!.rows.map((row) => [row[0], row[1]]), [['住民記録', 99.95]]);

        // The daily report of today: the same three runs.
        const daily = await json<Answer>('GET', `/api/v1/reports/daily?date=${dayOf(Date.now())}`);
        assert.equal(figure(daily.report, 'batch', 'batch.runs'), 3);
    });

    test('formats: HTML master with 和暦, XLSX with typed numbers and dates, CSV per table or a ZIP, PDF', async () => {
        const get = (q: string) => sendJson(server, admin, 'GET', `/api/v1/reports/monthly?month=${thisMonth}${q}`);
        const html = await get('&format=html&wareki=true');
        assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
        const page = await html.text();
        assert.match(page, /<h1>月次運用報告書<\/h1>/);
        assert.match(page, /data-section="incidents"/);
        assert.match(page, /令和\d+年/);
        assert.match(page, /<svg class="chart"/);
        assert.doesNotMatch(page, /<script/);

        const xlsx = Buffer.from(await (await get('&format=xlsx')).arrayBuffer());
        const files = unzip(xlsx);
        const workbook = files.get('xl/workbook.xml')!.toString();
        const sheets = [...workbook.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]);
        assert.equal(sheets.length, 11);
        assert.equal(sheets[5], '06 バッチ処理（ジョブネット）');
        const strings = [...files.get('xl/sharedStrings.xml')!.toString().matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((m) => m[1]);
        const batchSheet = files.get('xl/worksheets/sheet6.xml')!.toString();
        // The row of 実行回数: its label a shared string, its value the number 3 (not text).
        const runsLabel = strings.indexOf('実行回数');
        const rowXml = [...batchSheet.matchAll(/<row [^>]*>(.*?)<\/row>/g)].map((m) => m[1]!).find((x) => x.includes(`<v>${runsLabel}</v>`));
        assert.ok(rowXml, 'a row labelled 実行回数');
        assert.match(rowXml, /<c r="B\d+"(?: s="\d+")?><v>3<\/v><\/c>/);
        // Dates and times are numbers with a date format.
        const styles = files.get('xl/styles.xml')!.toString();
        assert.match(styles, /formatCode="yyyy\/mm\/dd hh:mm"/);
        assert.match(batchSheet, /<c r="[A-Z]+\d+" s="\d+"><v>4\d{4}\.\d+<\/v><\/c>/, 'an instant as an Excel serial number');

        const csv = await get('&format=csv&table=batch-by-jobnet');
        assert.match(csv.headers.get('content-disposition') ?? '', /batch-by-jobnet\.csv/);
        const bytes = Buffer.from(await csv.arrayBuffer());
        assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for Excel');
        const text = bytes.subarray(3).toString('utf8');
        assert.ok(text.startsWith('ジョブネット,実行,正常終了,異常終了,再実行,終了期限の超過\r\n'), text);
        assert.match(text, /\r\n月次集計-[^,]+,1,1,0,1,0\r\n/);
        const zip = unzip(Buffer.from(await (await get('&format=csv')).arrayBuffer()));
        assert.ok(zip.has('incidents-list.csv') && zip.has('batch-figures.csv') && zip.has('next-month.csv'), [...zip.keys()].join(' '));

        const pdf = await get('&format=pdf');
        if (existsSync('/usr/bin/chromium')) {
            assert.equal(pdf.status, 200, await pdf.clone().text());
            assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString(), '%PDF');
        } else {
            assert.match((await expectProblem(pdf, 503)).detail ?? '', /Chromium/);
        }

        assert.deepEqual(errorFields(await expectProblem(await sendJson(server, admin, 'GET', '/api/v1/reports/monthly?month=2026-13'), 400)), ['month']);
        assert.deepEqual(errorFields(await expectProblem(await get('&format=doc'), 400)), ['format']);
        assert.deepEqual(errorFields(await expectProblem(await get('&format=csv&table=nope'), 400)), ['table']);
        assert.deepEqual(errorFields(await expectProblem(await sendJson(server, admin, 'GET', '/api/v1/reports/yearly?fiscal_year=R8'), 400)), ['fiscal_year']);
        await expectProblem(await sendJson(server, vendor, 'GET', `/api/v1/reports/monthly?month=${thisMonth}`), 403);
        assert.equal((await sendJson(server, viewer, 'GET', `/api/v1/reports/monthly?month=${thisMonth}`)).status, 200);
    });

    test('the yearly analysis by month with the improvement plan; the CLI writes the same report', async () => {
        const d = new Date(now + JST);
        const fy = d.getUTCMonth() >= 3 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
        const before = (await json<Answer>('GET', `/api/v1/reports/yearly?fiscal_year=${fy}`)).report;
        assert.equal(section(before, 'improvement_plan').missing, true);
        const trend = table(before, 'monthly_trend', 'monthly-trend');
        const months = (d.getUTCMonth() + 12 - 3) % 12 + 1;  // April is the first
        assert.equal(trend.rows.length, months);
        const row = (month: string) => trend.rows.find((r) => r[0] === month);
        assert.equal(row(thisMonth)?.[5], 3, 'batch runs this month');
        if (row(lastMonth)) assert.equal(row(lastMonth)?.[1], 3, 'incidents last month');
        const v = await json<{ version: number }>('GET', '/api/v1/reports/settings');
        const plan = '監視項目の見直しと夜間バッチの並列化';
        assert.equal((await sendJson(server, admin, 'PUT', '/api/v1/reports/settings', { improvement_plans: { [String(fy)]: plan } }, `"${v.version}"`)).status, 200);
        const after = (await json<Answer>('GET', `/api/v1/reports/yearly?fiscal_year=${fy}`)).report;
        assert.deepEqual([section(after, 'improvement_plan').missing, section(after, 'improvement_plan').note_ja], [false, plan]);

        const out = path.join(scratch, 'last-month.json');
        const cli = await runUnyo(['report', 'monthly', '--data-dir', server.dataDir, '--month', lastMonth, '--format', 'json', '--out', out]);
        assert.equal(cli.code, 0, cli.stderr);
        const { readFileSync } = await import('node:fs');
        const written = JSON.parse(readFileSync(out, 'utf8')) as Answer;
        assert.equal(written.from_snapshot, true, 'the closed month from its snapshot');
        assert.equal(figure(written.report, 'incidents', 'incidents.total'), 3);
        const bad = await runUnyo(['report', 'monthly', '--data-dir', server.dataDir, '--month', '2026-13']);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /YYYY-MM/);
    });

    test('the built-in jobnet: disabled until enabled, first business day 09:00; a run saves the report and mails its summary once', async () => {
        const { items } = await json<{ items: { id: number; name: string; enabled: boolean; schedule: { days: { rule: string; n: number }; start_times: string[] } | null; jobs: { type: string }[] }[] }>('GET', '/api/v1/jobnets');
        const builtin = items.find((n) => n.name === '月次運用報告書の作成と送付');
        assert.ok(builtin, items.map((n) => n.name).join(', '));
        assert.deepEqual([builtin.enabled, builtin.schedule?.days, builtin.schedule?.start_times, builtin.jobs.map((j) => j.type)],
            [false, { rule: 'nth_open_day', n: 1 }, ['09:00'], ['report']]);
        await smtp.start();
        await json('POST', '/api/v1/notification-channels', smtp.channel(), 201);
        for (let i = 0; i < 2; i += 1) {
            type Done = Run & { jobs: { output: string }[] };
            const started: Run = await json<Run>('POST', `/api/v1/jobnets/${builtin.id}/runs`, {}, 201);
            const done: Done = await until<Done>('the report run', async () => {
                const r: Done = await json<Done>('GET', `/api/v1/jobnet-runs/${started.id}`);
                return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
            }, 60_000);
            assert.equal(done.status, 'succeeded', done.jobs[0]?.output);
            assert.match(done.jobs[0]?.output ?? '', /written/);
        }
        for (const ext of ['html', 'xlsx']) {
            assert.ok(existsSync(path.join(server.dataDir, 'reports', `unyo-monthly-report-${lastMonth}.${ext}`)), ext);
        }
        const mail = await until('the summary mail', async () => (await smtp.mails())[0], 30_000);
        assert.deepEqual(envelopeTo(mail), ['teirei@city.example.jp']);
        assert.match(subject(mail), /^【unyo】月次運用報告書 \d{4}年\d{1,2}月/);
        await sleep(2_000);
        assert.equal((await smtp.mails()).length, 1, 'once per report, though the job ran twice');
    });
});
