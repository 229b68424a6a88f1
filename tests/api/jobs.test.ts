// Jobnets end to end over the API, as the "Done when" says: a nightly jobnet of three
// commands with a dependency, scheduled on the last business day of each month with shift
// `earlier`; its schedule for the next 12 months skips weekends, holidays and the year-end closure;
// run now, the middle job fails, an alert and an incident (source job) follow; the rerun from the
// failed job completes the run and ends the alert.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import path from 'node:path';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, unique, type SignedIn } from './helpers.ts';
import { until } from './smtp-sink.ts';

interface Job {
    key: string;
    status: string;
    attempt: number;
    exit_code: number | null;
    output: string;
}
interface Run {
    id: number;
    status: string;
    trigger: string;
    jobs: Job[];
    events: { kind: string; message: string; actor: string; job: string | null }[];
}
interface Alert {
    id: number;
    source: string;
    status: string;
    message: string;
    incident_id: number | null;
}

describe('jobnets: definition, schedule, runs, failure, alert and rerun', () => {
    const server = useServer();
    let admin: SignedIn;
    const scratch = mkdtempSync(path.join(tmpdir(), 'unyo-jobs-api-'));
    const flag = path.join(scratch, 'input-ready');
    let jobnetId = 0;

    before(async () => {
        admin = await signInAdmin(server);
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    const json = <T>(method: string, p: string, body?: unknown, status = 200) =>
        expectJson<T>(server, admin, method, p, body, status);

    const nightly = (name: string) => ({
        name,
        service: '住民記録',
        severity: 'high',
        schedule: {
            days: { rule: 'last_open_day' },
            start_times: ['23:00'],
            shift: 'earlier',
        },
        deadlines: { end_by: '04:00' },
        jobs: [
            { key: 'extract', name: '抽出', command: ['/bin/sh', '-c', 'echo 抽出 $UNYO_PARAM_MONTH'] },
            { key: 'load', name: '取込', command: ['/bin/sh', '-c', `test -f ${flag}`], after: ['extract'] },
            { key: 'report', name: '帳票', command: ['/bin/echo', 'done'], after: ['load'] },
        ],
    });

    test('a bad definition is refused naming each field, and nothing is written', async () => {
        const problem = await expectProblem(
            await sendJson(server, admin, 'POST', '/api/v1/jobnets', {
                name: 'bad',
                schedule: { days: { rule: 'last_open_day' }, start_times: ['12:00'] },
                jobs: [
                    { key: 'a', command: ['/bin/true'], after: ['b'] },
                    { key: 'b', command: ['/bin/true'], after: ['a'] },
                    { key: 'c', type: 'ftp' },
                ],
            }),
            422,
        );
        const fields = errorFields(problem);
        for (const f of ['schedule.start_times', 'jobs', 'jobs[2].type']) {
            assert.ok(fields.includes(f), `${f} in ${JSON.stringify(problem.errors)}`);
        }
        const list = await json<{ items: { name: string }[] }>('GET', '/api/v1/jobnets');
        assert.deepEqual(list.items.map((n) => n.name), ['月次運用報告書の作成と送付'], 'only the built-in one');
    });

    test('the schedule of the next 12 months lands on each month’s last business day', async () => {
        const n = await json<{ id: number; next_start_at: string; version: number }>(
            'POST', '/api/v1/jobnets', nightly(unique('月末バッチ')), 201);
        jobnetId = n.id;
        const plan = await json<{ items: { start_at: string; business_day: string; shifted_from?: string }[] }>(
            'GET', `/api/v1/jobnets/${n.id}/schedule?from=2026-12-01&to=2027-12-01`);
        assert.deepEqual(
            plan.items.map((i) => i.business_day),
            [
                '2026-12-28', // 12/29–12/31: year-end closure
                '2027-01-29', // 1/31 Sunday, 1/30 Saturday
                '2027-02-26', // 2/28 Sunday
                '2027-03-31',
                '2027-04-30',
                '2027-05-31',
                '2027-06-30',
                '2027-07-30', // 7/31 Saturday
                '2027-08-31',
                '2027-09-30',
                '2027-10-29', // 10/31 Sunday
                '2027-11-30',
            ],
        );
        // 23:00 Japan time of that day.
        assert.equal(plan.items[0]?.start_at, '2026-12-28T14:00:00.000Z');
        // The holidays are checked against the calendar's own answer, day by day.
        for (const item of plan.items) {
            const day = await json<{ items: { date: string; open: boolean }[] }>(
                'GET', `/api/v1/holidays?from=${item.business_day}&to=${item.business_day}`);
            assert.equal(day.items.length, 0, `${item.business_day} is no holiday`);
        }
        const bad = await expectProblem(
            await sendJson(server, admin, 'GET', `/api/v1/jobnets/${n.id}/schedule?from=2027-01-01&to=2026-01-01`), 400);
        assert.deepEqual(errorFields(bad), ['from']);
    });

    test('run now: the middle job fails, an alert and an incident follow; the rerun from it completes', async () => {
        const started = await json<Run>('POST', `/api/v1/jobnets/${jobnetId}/runs`, { params: { MONTH: '2026-11' } }, 201);
        assert.equal(started.trigger, 'manual');
        const failed = await until('the run to fail', async () => {
            const r = await json<Run>('GET', `/api/v1/jobnet-runs/${started.id}`);
            return r.status === 'failed' ? r : undefined;
        });
        const byKey = new Map(failed.jobs.map((j) => [j.key, j]));
        assert.equal(byKey.get('extract')?.status, 'succeeded');
        assert.equal(byKey.get('extract')?.output, '抽出 2026-11\n');
        assert.equal(byKey.get('load')?.status, 'failed');
        assert.equal(byKey.get('load')?.exit_code, 1);
        assert.equal(byKey.get('report')?.status, 'pending', 'the job after the failed one never started');

        const alert = await until('the job alert', async () => {
            const { items } = await json<{ items: Alert[] }>('GET', '/api/v1/alerts?status=open');
            return items.find((a) => a.source === 'job' && a.incident_id !== null);
        });
        assert.match(alert.message, /load/);
        const incident = await json<{ source: string; severity: string; title: string }>(
            'GET', `/api/v1/incidents/${alert.incident_id}`);
        assert.equal(incident.severity, 'high');
        assert.match(incident.title, /月末バッチ/);

        // An action that does not fit is refused with the reason and changes nothing.
        const refused = await expectProblem(
            await sendJson(server, admin, 'POST', `/api/v1/jobnet-runs/${started.id}/actions`, { action: 'rerun_job', job: 'report' }),
            409,
        );
        assert.match(refused.detail ?? '', /pending/);
        const noJob = await expectProblem(
            await sendJson(server, admin, 'POST', `/api/v1/jobnet-runs/${started.id}/actions`, { action: 'skip' }), 422);
        assert.deepEqual(errorFields(noJob), ['job']);

        writeFileSync(flag, 'ok');
        const rerun = await json<Run>('POST', `/api/v1/jobnet-runs/${started.id}/actions`, {
            action: 'rerun_failed',
            comment: '入力ファイルを配置した',
        });
        assert.equal(rerun.status, 'running');
        const done = await until('the run to succeed', async () => {
            const r = await json<Run>('GET', `/api/v1/jobnet-runs/${started.id}`);
            return r.status === 'succeeded' ? r : undefined;
        });
        const attempts = Object.fromEntries(done.jobs.map((j) => [j.key, j.attempt]));
        assert.deepEqual(attempts, { extract: 1, load: 2, report: 1 }, 'the succeeded job was not run again');
        const action = done.events.find((e) => e.kind === 'action');
        assert.equal(action?.actor, server.adminLogin);
        assert.equal(action?.message, 'rerun_failed: 入力ファイルを配置した');

        await until('the alert to end', async () => {
            const a = await json<Alert>('GET', `/api/v1/alerts/${alert.id}`).catch(() => undefined);
            if (a) return a.status === 'resolved' ? a : undefined;
            const { items } = await json<{ items: Alert[] }>('GET', '/api/v1/alerts?status=resolved');
            return items.find((x) => x.id === alert.id);
        });
        // The result report (RPT-3): the runs of that business day, and the run's jobs.
        const day = (await json<{ business_day: string }>('GET', `/api/v1/jobnet-runs/${started.id}`)).business_day;
        const csv = await (await sendJson(server, admin, 'GET', `/api/v1/jobnet-runs?business_day=${day}&format=csv`)).text();
        const [header, row] = csv.replace(/^\uFEFF/, '').split('\r\n');
        assert.match(header ?? '', /^実行ID,ジョブネット,サービス,業務日,契機,状態,予定,開始,終了,所要秒,開始遅延,終了遅延,ジョブ数,異常ジョブ,再実行回数$/);
        assert.match(row ?? '', new RegExp(`^${started.id},月末バッチ-[^,]+,住民記録,${day},manual,succeeded,.*,3,,1$`));
        const jobsCsv = await (await sendJson(server, admin, 'GET', `/api/v1/jobnet-runs/${started.id}?format=csv`)).text();
        assert.match(jobsCsv, /\r\nload,取込,succeeded,2,/);

        const audit = await json<{ items: { action: string }[] }>('GET', '/api/v1/audit?entity_type=jobnet_run');
        assert.ok(audit.items.some((e) => e.action === 'jobnet_run.rerun_failed'));
    });

    test('a backup job keeps its generations and a restore-drill job after it records the evidence', async () => {
        const data = path.join(scratch, 'juki');
        mkdirSync(path.join(data, '台帳'), { recursive: true });
        writeFileSync(path.join(data, '台帳', '住民.csv'), '番号,氏名\n1,山田\n');
        const dest = path.join(scratch, 'backups');
        const n = await json<{ id: number }>('POST', '/api/v1/jobnets', {
            name: unique('夜間バックアップ'),
            jobs: [
                { key: 'backup', type: 'backup', backup: { name: 'juki', sources: [{ path: data, as: 'juki' }], destination: dest, generations: 2 } },
                { key: 'drill', type: 'restore_drill', drill: { destination: dest, name: 'juki' }, after: ['backup'] },
            ],
        }, 201);
        const bad = await expectProblem(
            await sendJson(server, admin, 'POST', '/api/v1/jobnets', {
                name: unique('不正'),
                jobs: [{ key: 'b', type: 'backup', backup: { name: 'x', sources: [{ path: 'relative' }], destination: dest } }],
            }),
            422,
        );
        assert.deepEqual(errorFields(bad), ['jobs[0].backup.sources[0].path']);
        for (let i = 0; i < 3; i += 1) {
            const run = await json<Run>('POST', `/api/v1/jobnets/${n.id}/runs`, {}, 201);
            const done = await until('the backup run', async () => {
                const r = await json<Run>('GET', `/api/v1/jobnet-runs/${run.id}`);
                return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
            });
            assert.equal(done.status, 'succeeded', JSON.stringify(done.jobs.map((j) => [j.key, j.status, j.output])));
            assert.match(done.jobs[0]?.output ?? '', /juki-.*\.tar\.zst: 1 files/);
        }
        const archives = readdirSync(dest).filter((f) => f.endsWith('.tar.zst'));
        assert.equal(archives.length, 2, 'two generations kept');
        const drills = await json<{ items: { ok: boolean; backup_name: string; actor: string }[] }>('GET', '/api/v1/backup-drills');
        assert.equal(drills.items.length, 3);
        assert.ok(drills.items.every((d) => d.ok && d.backup_name === 'juki' && d.actor.startsWith('job:夜間バックアップ')),
            JSON.stringify(drills.items));
    });

    test('http and file_wait jobs: a file that arrives and stops growing, then an endpoint called', async () => {
        const hits: string[] = [];
        const endpoint = http.createServer((req, res) => {
            hits.push(`${req.method} ${req.url}`);
            res.statusCode = req.url === '/fail' ? 503 : 200;
            res.end('受付');
        });
        await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
        const port = (endpoint.address() as { port: number }).port;
        try {
            const arriving = path.join(scratch, 'arriving.csv');
            const n = await json<{ id: number }>('POST', '/api/v1/jobnets', {
                name: unique('連携'),
                jobs: [
                    { key: 'wait', type: 'file_wait', file_wait: { path: arriving, stable_s: 1 }, timeout_s: 30 },
                    { key: 'notify', type: 'http', http: { url: `http://127.0.0.1:${port}/done`, method: 'POST', body: '{}' }, after: ['wait'] },
                    { key: 'check', type: 'http', http: { url: `http://127.0.0.1:${port}/fail` }, after: ['notify'] },
                ],
            }, 201);
            const bad = await expectProblem(
                await sendJson(server, admin, 'POST', '/api/v1/jobnets', {
                    name: unique('不正'),
                    jobs: [{ key: 'h', type: 'http', http: { url: 'ftp://x', method: 'PATCH' } }],
                }),
                422,
            );
            assert.deepEqual(errorFields(bad).sort(), ['jobs[0].http.method', 'jobs[0].http.url']);
            const run = await json<Run>('POST', `/api/v1/jobnets/${n.id}/runs`, {}, 201);
            await new Promise((r) => setTimeout(r, 500));
            assert.equal(hits.length, 0, 'nothing called before the file is there');
            writeFileSync(arriving, 'a,b\n');
            const done = await until('the run to end', async () => {
                const r = await json<Run>('GET', `/api/v1/jobnet-runs/${run.id}`);
                return r.status === 'failed' ? r : undefined;
            });
            const byKey = new Map(done.jobs.map((j) => [j.key, j]));
            assert.equal(byKey.get('wait')?.status, 'succeeded');
            assert.match(byKey.get('wait')?.output ?? '', /is there: 4 bytes/);
            assert.equal(byKey.get('notify')?.status, 'succeeded');
            assert.equal(byKey.get('check')?.status, 'failed', 'a 503 is not the expected answer');
            assert.match(byKey.get('check')?.output ?? '', /503 \(NOT expected\)/);
            assert.deepEqual(hits, ['POST /done', 'GET /fail']);
        } finally {
            endpoint.close();
        }
    });

    test('a successful run beats its heartbeat monitor (MON-5)', async () => {
        const m = await json<{ id: number }>('POST', '/api/v1/monitors', {
            name: unique('夜間バッチ生存'),
            type: 'heartbeat',
            target: {},
            interval_s: 2,
            timeout_ms: 1000,
            retries: 1,
        }, 201);
        const state = async () => (await json<{ status: { state: string } | null }>('GET', `/api/v1/monitors/${m.id}`)).status?.state;
        await until('the heartbeat monitor to miss its beat', async () => ((await state()) === 'critical' ? true : undefined));
        const n = await json<{ id: number }>('POST', '/api/v1/jobnets', {
            name: unique('生存通知'),
            heartbeat_monitor_id: m.id,
            jobs: [{ key: 'a', command: ['/bin/true'] }],
        }, 201);
        await json('POST', `/api/v1/jobnets/${n.id}/runs`, {}, 201);
        await until('the heartbeat to arrive', async () => ((await state()) === 'ok' ? true : undefined));
        // Only a heartbeat monitor can be told.
        const tcp = await json<{ id: number }>('POST', '/api/v1/monitors', {
            name: unique('TCP'), type: 'tcp', target: { host: '127.0.0.1', port: 9 }, interval_s: 60, timeout_ms: 1000, retries: 1,
        }, 201);
        const wrong = await expectProblem(
            await sendJson(server, admin, 'PATCH', `/api/v1/jobnets/${n.id}`, { heartbeat_monitor_id: tcp.id }, '"1"'), 422);
        assert.deepEqual(errorFields(wrong), ['heartbeat_monitor_id']);
    });

    test('jobnets as YAML: exported by name, imported with every entry checked first', async () => {
        const yaml = await (await sendJson(server, admin, 'GET', '/api/v1/jobnets/export')).text();
        assert.match(yaml, /^# unyo jobnets/);
        assert.match(yaml, /- name: 月末バッチ-/);
        assert.match(yaml, /after: \[extract\]/);
        const importYaml = (text: string, dry = false) =>
            fetch(`${server.baseUrl}/api/v1/jobnets/import${dry ? '?dry_run=true' : ''}`, {
                method: 'POST',
                headers: { 'Content-Type': 'application/yaml', Cookie: admin.jar.header() ?? '', 'X-CSRF-Token': admin.session.csrf_token ?? '' },
                body: text,
            });
        const same = await importYaml(yaml, true);
        assert.equal(same.status, 200, await same.clone().text());
        const unchanged = (await same.json()) as { created: number; updated: number; unchanged: number };
        assert.equal(unchanged.created + unchanged.updated, 0);
        assert.ok(unchanged.unchanged >= 2);
        const added = yaml.replace('jobnets:\n', 'jobnets:\n  - name: 取込テスト\n    jobs:\n      - {key: a, command: [/bin/true]}\n');
        const made = (await (await importYaml(added)).json()) as { created: number };
        assert.equal(made.created, 1);
        const bad = await expectProblem(
            await importYaml('jobnets:\n  - name: 壊れ\n    jobs:\n      - {key: a, command: [/bin/true], after: [zz]}\n'), 422);
        assert.deepEqual(errorFields(bad), ['jobnets[0].jobs[0].after']);
        const names = (await json<{ items: { name: string }[] }>('GET', '/api/v1/jobnets')).items.map((n) => n.name);
        assert.ok(names.includes('取込テスト') && !names.includes('壊れ'));
    });

    test('a server killed with kill -9 mid-run follows its running job after the restart and runs nothing twice', async () => {
        const marks = path.join(scratch, 'marks');
        mkdirSync(marks, { recursive: true });
        const n = await json<{ id: number }>('POST', '/api/v1/jobnets', {
            name: unique('再起動'),
            jobs: [
                { key: 'first', command: ['/bin/sh', '-c', `echo x >> ${marks}/first`] },
                { key: 'long', command: ['/bin/sh', '-c', `echo x >> ${marks}/long; sleep 2`], after: ['first'] },
                { key: 'last', command: ['/bin/sh', '-c', `echo x >> ${marks}/last`], after: ['long'] },
            ],
        }, 201);
        const run = await json<Run>('POST', `/api/v1/jobnets/${n.id}/runs`, {}, 201);
        await until('the long job to run', async () => {
            const r = await json<Run>('GET', `/api/v1/jobnet-runs/${run.id}`);
            return r.jobs[1]?.status === 'running' ? r : undefined;
        });
        await server.kill9();
        await server.restart();
        admin = await signInAdmin(server);
        const done = await until('the run to end after the restart', async () => {
            const r = await json<Run>('GET', `/api/v1/jobnet-runs/${run.id}`);
            return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
        }, 20_000);
        assert.equal(done.status, 'succeeded', JSON.stringify(done.jobs));
        assert.deepEqual(done.jobs.map((j) => j.attempt), [1, 1, 1]);
        assert.ok(done.events.some((e) => e.kind === 'reconciled' && e.job === 'long'));
        for (const key of ['first', 'long', 'last']) {
            assert.equal(readFileSync(path.join(marks, key), 'utf8'), 'x\n', `${key} ran once`);
        }
    });

    test('no overlapping runs unless allowed; a jobnet with runs is kept, not deleted', async () => {
        const n = await json<{ id: number }>('POST', '/api/v1/jobnets', {
            name: unique('長時間'),
            jobs: [{ key: 'wait', command: ['/bin/sleep', '30'] }],
        }, 201);
        const first = await json<Run>('POST', `/api/v1/jobnets/${n.id}/runs`, {}, 201);
        const second = await expectProblem(await sendJson(server, admin, 'POST', `/api/v1/jobnets/${n.id}/runs`, {}), 409);
        assert.match(second.detail ?? '', /overlap/);
        await until('the job to run', async () => {
            const r = await json<Run>('GET', `/api/v1/jobnet-runs/${first.id}`);
            return r.jobs[0]?.status === 'running' ? r : undefined;
        });
        const killed = await json<Run>('POST', `/api/v1/jobnet-runs/${first.id}/actions`, { action: 'kill', comment: '誤実行' });
        assert.notEqual(killed.status, 'succeeded');
        await until('the run to be killed', async () => {
            const r = await json<Run>('GET', `/api/v1/jobnet-runs/${first.id}`);
            return r.status === 'killed' && r.jobs[0]?.status === 'killed' ? r : undefined;
        });
        const kept = await expectProblem(await sendJson(server, admin, 'DELETE', `/api/v1/jobnets/${n.id}`), 409);
        assert.match(kept.detail ?? '', /disable/);
        const runs = await json<{ items: Run[] }>('GET', `/api/v1/jobnet-runs?jobnet_id=${n.id}`);
        assert.deepEqual(runs.items.map((r) => r.id), [first.id]);
    });
});
