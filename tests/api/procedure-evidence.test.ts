// A procedure's steps prove themselves with what unyo recorded (PRC-1..8): a backup step by a
// jobnet run with a backup job or by a restore drill, a batch step by a succeeded jobnet run, a
// report step by an attachment of the run's record; wrong proof is named and changes nothing. A
// step raised against a work item of the role matrix goes to its main organisation when the run
// starts, and when it comes up its main and supporting organisations are mailed (ORG-3).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { jarFetch } from './cookie-jar.ts';
import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';
import { envelopeTo, SmtpSink, subject, until } from './smtp-sink.ts';

interface Step { key: string; status: string; organization_id: number | null; responsible: string; proof: Record<string, unknown> | null }
interface Run { id: number; status: string; next_step: string | null; steps: Step[] }
interface Matrix { columns: { name: string; organization_id: number | null }[]; items: { id: number; seq: number }[] }

describe('procedure steps proved by runs, drills and attachments; steps routed by work item', () => {
    const server = useServer();
    const smtp = new SmtpSink();
    let admin: SignedIn;

    before(async () => {
        admin = await signInAdmin(server);
        await smtp.start();
        await expectJson(server, admin, 'POST', '/api/v1/notification-channels', smtp.channel(), 201);
    });
    after(() => smtp.stop());

    test('proof checked against the record; the work item\'s organisations told', async () => {
        // The role table of seed 001: work item 8 (プリンタの設定) is 既存ベンダ's, others help.
        const table = readFileSync(path.resolve(import.meta.dirname, '../fixtures/seeds/raci_001.txt'), 'utf8');
        const res = await fetch(`${server.baseUrl}/api/v1/raci/import?name=${encodeURIComponent(unique('国保'))}&create_organizations=true`, {
            method: 'POST',
            headers: { 'Content-Type': 'text/plain', Cookie: admin.jar.header() ?? '', 'X-CSRF-Token': admin.session.csrf_token },
            body: table,
        });
        assert.equal(res.status, 201, await res.clone().text());
        const m = ((await res.json()) as { matrix: Matrix }).matrix;
        const item = m.items.find((i) => i.seq === 8)!;
        const main = m.columns[3]!;
        await admin.client.createUser({ login: unique('printer'), display_name: '既存 担当', email: 'printer@vendor.example.jp',
            organization_id: main.organization_id!, roles: ['vendor'], password: strongPassword() });

        const bad = await sendJson(server, admin, 'POST', '/api/v1/procedure-templates', {
            name: unique('変更手順'), kind: 'change',
            steps: [{ key: 'a', title: 'A', evidence: 'photo' }, { key: 'b', title: 'B', work_item_id: 999999 }],
        });
        assert.deepEqual(errorFields(await expectProblem(bad, 422)), ['steps[0].evidence']);
        const missingItem = await sendJson(server, admin, 'POST', '/api/v1/procedure-templates', {
            name: unique('変更手順'), kind: 'change', steps: [{ key: 'b', title: 'B', work_item_id: 999999 }],
        });
        assert.deepEqual(errorFields(await expectProblem(missingItem, 422)), ['steps[0].work_item_id']);
        const template = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/procedure-templates', {
            name: unique('プリンタ更改手順'), kind: 'change',
            steps: [
                { key: 'backup', title: 'バックアップ取得', evidence: 'backup' },
                { key: 'batch', title: '夜間バッチの確認', evidence: 'job_run' },
                { key: 'report', title: '作業報告書', evidence: 'attachment' },
                { key: 'printer', title: 'プリンタの設定', work_item_id: item.id },
            ],
        }, 201);

        // What the proof is made of: a nightly jobnet with a backup and a restore drill; a request
        // record with the report attached.
        const data = mkdtempSync(path.join(tmpdir(), 'unyo-evidence-'));
        writeFileSync(path.join(data, 'juki.csv'), '1,住民\n');
        const dest = mkdtempSync(path.join(tmpdir(), 'unyo-evidence-dest-'));
        const net = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/jobnets', {
            name: unique('夜間バックアップ'),
            jobs: [
                { key: 'backup', type: 'backup', backup: { name: 'juki', sources: [{ path: data, as: 'juki' }], destination: dest } },
                { key: 'drill', type: 'restore_drill', drill: { destination: dest, name: 'juki' }, after: ['backup'] },
            ],
        }, 201);
        const plain = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/jobnets',
            { name: unique('確認'), jobs: [{ key: 'true', command: ['/bin/true'] }] }, 201);
        const finished = async (jobnet: number) => {
            const run = await expectJson<{ id: number }>(server, admin, 'POST', `/api/v1/jobnets/${jobnet}/runs`, {}, 201);
            return until('the run', async () => {
                const r = await expectJson<{ id: number; status: string }>(server, admin, 'GET', `/api/v1/jobnet-runs/${run.id}`);
                return r.status === 'succeeded' || r.status === 'failed' ? r : undefined;
            });
        };
        const backupRun = await finished(net.id);
        assert.equal(backupRun.status, 'succeeded');
        const plainRun = await finished(plain.id);
        const drills = await expectJson<{ items: { id: number; ok: boolean }[] }>(server, admin, 'GET', '/api/v1/backup-drills');
        const drill = drills.items.find((d) => d.ok)!;
        const record = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/requests', { title: 'プリンタ更改', request_type: 'printer' }, 201);
        const upload = await jarFetch(admin.jar)(`${server.baseUrl}/api/v1/requests/${record.id}/attachments?name=${encodeURIComponent('作業報告書.pdf')}`, {
            method: 'POST', headers: { 'X-CSRF-Token': admin.session.csrf_token, 'Content-Type': 'application/pdf' }, body: '%PDF-1.7\n報告\n%%EOF',
        });
        assert.equal(upload.status, 201, await upload.clone().text());
        const attachment = (await upload.json()) as { id: number };

        const run = await expectJson<Run>(server, admin, 'POST', '/api/v1/procedure-runs', { template_id: template.id, record_id: record.id }, 201);
        const printer = run.steps.find((s) => s.key === 'printer')!;
        assert.deepEqual([printer.organization_id, printer.responsible], [main.organization_id, main.name], 'the work item\'s main organisation');
        const act = (key: string, evidence?: Record<string, number>) =>
            sendJson(server, admin, 'POST', `/api/v1/procedure-runs/${run.id}/steps/${key}`, evidence ? { action: 'complete', evidence } : { action: 'complete' });

        assert.deepEqual(errorFields(await expectProblem(await act('backup'), 422)), ['evidence.job_run_id']);
        assert.deepEqual(errorFields(await expectProblem(await act('backup', { job_run_id: plainRun.id }), 422)), ['evidence.job_run_id'],
            'a run without a backup job is no backup');
        assert.deepEqual(errorFields(await expectProblem(await act('backup', { drill_id: 999999 }), 422)), ['evidence.drill_id']);
        let done = (await (await act('backup', { drill_id: drill.id })).json()) as Run;
        assert.equal(done.steps[0]!.proof!['drill_id'], drill.id);
        assert.deepEqual(errorFields(await expectProblem(await act('batch', { job_run_id: 999999 }), 422)), ['evidence.job_run_id']);
        done = (await (await act('batch', { job_run_id: backupRun.id })).json()) as Run;
        assert.equal(done.steps[1]!.proof!['job_run_id'], backupRun.id);
        assert.deepEqual(errorFields(await expectProblem(await act('report', { attachment_id: 999999 }), 422)), ['evidence.attachment_id']);

        // The report step done: the printer step comes up, its organisation is told.
        const res2 = await act('report', { attachment_id: attachment.id });
        assert.equal(res2.status, 200, await res2.clone().text());
        done = (await res2.json()) as Run;
        assert.equal(done.steps[2]!.proof!['file_name'], '作業報告書.pdf');
        assert.equal(done.next_step, 'printer');
        const mail = await until('the main organisation\'s mail', async () =>
            (await smtp.mails()).find((x) => envelopeTo(x).includes('printer@vendor.example.jp')));
        assert.match(subject(mail), /^【unyo】手順の作業依頼: 手順「.*」の「プリンタの設定」$/);
    });
});
