// Security advisories (SEC-1) as an operator on a closed network would use them: a MyJVN file
// carried in is read (dry run first), its products matched against the configuration items'
// names, CPEs and versions; the affected advisory opens the security-patch procedure, which
// stops at the owner's approval and, once done, shows the advisory patched. Re-reading the file
// changes nothing that was decided; bad files and fields are named and change nothing.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signIn, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';

interface Match { ci_id: number; verdict: string }
interface Advisory {
    id: number; ref: string; status: string; severity: string; version: number; affected_count: number; unknown_count: number;
    matches?: Match[]; procedure: { id: number; status: string } | null; procedure_run_id: number | null;
}
interface ImportAnswer { dry_run: boolean; created: number; updated: number; unchanged: number; advisories: Advisory[] }
interface Run { id: number; name: string; status: string; next_step: string | null; waiting_for_approval: boolean }

describe('security advisories matched to configuration items and patched by procedure', () => {
    const server = useServer();
    let admin: SignedIn;
    let operator: SignedIn;
    let ownerManager: SignedIn;
    let requester: SignedIn;

    async function person(orgId: number, role: string): Promise<SignedIn> {
        const login = unique(`adv-${role}`);
        const password = strongPassword();
        await admin.client.createUser({ login, display_name: role, organization_id: orgId, roles: [role as 'operator'], password });
        return signIn(server, login, password);
    }
    const upload = (who: SignedIn, body: string, query = '') =>
        fetch(`${server.baseUrl}/api/v1/advisories/import${query}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/xml', Cookie: who.jar.header() ?? '', 'X-CSRF-Token': who.session.csrf_token },
            body,
        });

    before(async () => {
        admin = await signInAdmin(server);
        const owner = (await admin.client.createOrganization({ name: unique('発注者'), kind: 'owner', note: '' })).data;
        const vendor = (await admin.client.createOrganization({ name: unique('保守業者'), kind: 'vendor', note: '' })).data;
        operator = await person(vendor.id, 'operator');
        ownerManager = await person(owner.id, 'manager');
        requester = await person(owner.id, 'requester');
    });

    test('a MyJVN file is matched, the affected advisory patched through its procedure', async () => {
        const web = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/cis',
            { name: unique('Webサーバ'), type: 'middleware', version: '2.4.57', attributes: { cpe: 'cpe:/a:example:http_server:2.4.57' } }, 201);
        const newer = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/cis',
            { name: unique('Example HTTP Server 検証'), type: 'middleware', version: '2.4.62', environment: 'staging' }, 201);
        const av = await expectJson<{ id: number }>(server, admin, 'POST', '/api/v1/cis',
            { name: unique('Sample VirusGuard Server for Windows'), type: 'software' }, 201);
        await expectJson(server, admin, 'POST', '/api/v1/procedure-templates/defaults');
        const file = readFileSync(path.resolve(import.meta.dirname, '../fixtures/advisories/vuldef.xml'), 'utf8');

        // Bad input: named, nothing recorded.
        const broken = await upload(operator, '<VULDEF-Document><Vulinfo>');
        assert.deepEqual(errorFields(await expectProblem(broken, 422)), ['file']);
        await expectProblem(await upload(requester, file), 403);

        const dry = await upload(operator, file, '?dry_run=true');
        assert.equal(dry.status, 200, await dry.clone().text());
        const preview = (await dry.json()) as ImportAnswer;
        assert.deepEqual([preview.dry_run, preview.created], [true, 2]);
        assert.equal((await expectJson<{ items: Advisory[] }>(server, operator, 'GET', '/api/v1/advisories')).items.length, 0);

        const res = await upload(operator, file);
        assert.equal(res.status, 201, await res.clone().text());
        const imported = (await res.json()) as ImportAnswer;
        assert.equal(imported.created, 2);
        const http = imported.advisories.find((a) => a.ref === 'JVNDB-2026-100001')!;
        assert.equal(http.severity, 'high');
        assert.deepEqual([http.affected_count, http.unknown_count], [1, 0], 'the live server is affected, the newer one not');

        const detail = await expectJson<Advisory>(server, operator, 'GET', `/api/v1/advisories/${http.id}`);
        const verdicts = Object.fromEntries(detail.matches!.map((m) => [m.ci_id, m.verdict]));
        assert.deepEqual(verdicts, { [web.id]: 'affected', [newer.id]: 'not_affected' });
        const virus = imported.advisories.find((a) => a.ref === 'JVNDB-2026-100002')!;
        const virusDetail = await expectJson<Advisory>(server, operator, 'GET', `/api/v1/advisories/${virus.id}`);
        assert.deepEqual(virusDetail.matches!.map((m) => [m.ci_id, m.verdict]), [[av.id, 'unknown']], 'no version recorded: to be checked');
        const affected = await expectJson<{ items: Advisory[] }>(server, operator, 'GET', '/api/v1/advisories?affected=true');
        assert.equal(affected.items.length, 2);

        // The patch procedure: opened once, waits for the owner's approval, then patched.
        const opened = await expectJson<{ advisory: Advisory; run: Run }>(server, operator, 'POST', `/api/v1/advisories/${http.id}/procedure`, {}, 201);
        assert.match(opened.run.name, /^JVNDB-2026-100001 /);
        assert.equal(opened.advisory.status, 'patching');
        await expectProblem(await sendJson(server, operator, 'POST', `/api/v1/advisories/${http.id}/procedure`, {}), 409);
        const act = (who: SignedIn, key: string, action: string, comment?: string) =>
            sendJson(server, who, 'POST', `/api/v1/procedure-runs/${opened.run.id}/steps/${key}`, comment === undefined ? { action } : { action, comment });
        for (const key of ['info', 'desk', 'verify']) assert.equal((await act(operator, key, 'complete')).status, 200);
        const waiting = await expectJson<Run>(server, operator, 'GET', `/api/v1/procedure-runs/${opened.run.id}`);
        assert.deepEqual([waiting.next_step, waiting.waiting_for_approval], ['decide', true]);
        assert.equal((await act(ownerManager, 'decide', 'approve', '適用する')).status, 200);
        assert.equal((await act(operator, 'apply', 'complete', '12/5 22:00 適用済み')).status, 200);
        const patched = await expectJson<Advisory>(server, operator, 'GET', `/api/v1/advisories/${http.id}`);
        assert.equal(patched.status, 'patched');
        assert.deepEqual(patched.procedure, { id: opened.run.id, name: opened.run.name, status: 'completed' });

        // The critical one, decided not to apply: recorded with If-Match; the file read again
        // changes nothing decided.
        const bad = await sendJson(server, operator, 'PATCH', `/api/v1/advisories/${virus.id}`, { status: 'done' }, `"${virus.version}"`);
        assert.deepEqual(errorFields(await expectProblem(bad, 422)), ['status']);
        const accepted = await sendJson(server, operator, 'PATCH', `/api/v1/advisories/${virus.id}`,
            { status: 'accepted', note: '管理画面は閉域網のみ' }, `"${virus.version}"`);
        assert.equal(accepted.status, 200, await accepted.clone().text());
        await expectProblem(await sendJson(server, operator, 'POST', `/api/v1/advisories/${virus.id}/procedure`, {}), 409);
        const again = (await (await upload(operator, file)).json()) as ImportAnswer;
        assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 2]);
        const kept = await expectJson<Advisory>(server, operator, 'GET', `/api/v1/advisories/${virus.id}`);
        assert.equal(kept.status, 'accepted');
        const open = await expectJson<{ items: Advisory[] }>(server, operator, 'GET', '/api/v1/advisories?status=open');
        assert.equal(open.items.length, 0);
    });

    test('an advisory recorded by hand; the RSS overview read too', async () => {
        const made = await expectJson<Advisory>(server, operator, 'POST', '/api/v1/advisories', {
            source: 'vendor', ref: unique('VENDOR-SA'), title: 'ファームウェアの更新', severity: 'medium',
            products: [{ vendor: 'Example', name: 'Example Router', versions: ['< 3.1'] }],
        }, 201);
        assert.equal(made.status, 'open');
        const bad = await sendJson(server, operator, 'POST', '/api/v1/advisories', { ref: '', title: 'x', products: [{ cpe: 'apache' }, { vendor: 'v' }], cvss: 'high' });
        assert.deepEqual(errorFields(await expectProblem(bad, 422)).sort(), ['cvss', 'products[0].cpe', 'products[1].name', 'ref']);
        const rss = readFileSync(path.resolve(import.meta.dirname, '../fixtures/advisories/jvnrss.xml'), 'utf8');
        const res = await upload(operator, rss);
        assert.equal(res.status, 201, await res.clone().text());
        assert.equal(((await res.json()) as ImportAnswer).advisories[0]!.ref, 'JVNDB-2026-100003');
    });
});
