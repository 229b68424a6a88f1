// The audit log: every write is recorded with before/after, newest first, admin only; failed
// requests leave no entry; and `unyo audit verify` detects a row edited behind the server's back.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import type { AuditEntry, Organization, User } from '../../web/src/api/client.ts';
import { runUnyo, useServer } from './harness.ts';
import { RFC3339_MS_UTC, expectApiError, signInAdmin, strongPassword, unique, type SignedIn } from './helpers.ts';

// One server for the whole file: useServer() registers its hooks on this suite.
describe('audit', () => {
    const server = useServer();
    let admin: SignedIn;
    let org: Organization;
    let user: User;
    let userPassword: string;

    before(async () => {
        admin = await signInAdmin(server);
        org = (await admin.client.createOrganization({ name: '監査テスト株式会社', kind: 'vendor', note: '初期' }))
            .data;
        userPassword = strongPassword();
        user = (
            await admin.client.createUser({
                login: unique('audited'),
                display_name: '監査 太郎',
                organization_id: org.id,
                roles: ['operator'],
                password: userPassword,
            })
        ).data;
    });

    async function entries(query: Parameters<SignedIn['client']['audit']>[0] = {}): Promise<AuditEntry[]> {
        return admin.client.all(admin.client.audit, { limit: 500, ...query });
    }

    describe('audit log', () => {
        test('organization.create is recorded with actor, address, no before and the created row after', async () => {
            const found = (await entries({ action: 'organization.create' })).filter((e) => e.entity_id === String(org.id));
            assert.equal(found.length, 1, 'exactly one entry for the creation');
            const e = found[0]!;
            assert.equal(e.action, 'organization.create');
            assert.equal(e.entity_type, 'organization');
            assert.equal(e.actor_login, server.adminLogin);
            assert.equal(e.actor_id, admin.session.user.id);
            assert.equal(e.before, null);
            assert.equal(e.after?.['name'], '監査テスト株式会社');
            assert.equal(e.after?.['kind'], 'vendor');
            assert.match(e.at, RFC3339_MS_UTC);
            assert.match(e.address ?? '', /127\.0\.0\.1/);
            assert.equal(typeof e.seq, 'number');
            assert.ok(typeof e.hash === 'string' && e.hash.length >= 32, 'a hash of the chain');
        });

        test('user.create is recorded without the password', async () => {
            const found = (await entries({ action: 'user.create' })).filter((e) => e.entity_id === String(user.id));
            assert.equal(found.length, 1);
            const e = found[0]!;
            assert.equal(e.entity_type, 'user');
            assert.equal(e.before, null);
            assert.equal(e.after?.['login'], user.login);
            assert.equal(e.after?.['organization_id'], org.id);
            const text = JSON.stringify(e);
            assert.ok(!text.includes(userPassword), 'the password is not in the audit log');
            assert.ok(!/argon2/i.test(text), 'no password hash in the audit log');
        });

        test('organization.update records before and after', async () => {
            const { etag } = await admin.client.getOrganization(org.id);
            await admin.client.updateOrganization(org.id, { note: '更新後' }, etag!);
            const [e] = await entries({
                action: 'organization.update',
                entity_type: 'organization',
                entity_id: org.id,
            });
            assert.ok(e);
            assert.equal(e.before?.['note'], '初期');
            assert.equal(e.after?.['note'], '更新後');
            assert.equal(e.entity_id, String(org.id));
        });

        test('filters apply and the log is newest first with distinct hashes', async () => {
            const all = await entries();
            assert.ok(all.length >= 3);
            for (let i = 1; i < all.length; i++) {
                assert.ok(all[i - 1]!.seq > all[i]!.seq, `newest first: ${all[i - 1]!.seq} before ${all[i]!.seq}`);
            }
            assert.equal(new Set(all.map((e) => e.hash)).size, all.length, 'every entry has its own hash');
            const forOrg = await entries({ entity_type: 'organization', entity_id: org.id });
            assert.ok(forOrg.length >= 2);
            assert.ok(forOrg.every((e) => e.entity_type === 'organization' && e.entity_id === String(org.id)));
            const byAdmin = await entries({ actor: server.adminLogin });
            assert.ok(byAdmin.length >= 3 && byAdmin.every((e) => e.actor_login === server.adminLogin));
            const page = await admin.client.audit({ limit: 1 });
            assert.equal(page.items.length, 1);
            assert.equal(page.items[0]!.seq, all[0]!.seq);
        });

        test('a failed write leaves no audit entry', async () => {
            const before = await entries();
            await expectApiError(admin.client.createOrganization({ name: '監査テスト株式会社', kind: 'vendor' }), 409);
            await expectApiError(admin.client.updateOrganization(org.id, { note: 'x' }, '"999999"'), 412);
            const after = await entries();
            assert.deepEqual(
                after.filter((e) => !e.action.startsWith('session.')),
                before.filter((e) => !e.action.startsWith('session.')),
            );
        });
    });

    describe('unyo audit verify', () => {
        test('passes on the untouched chain and names the row edited behind the server', async () => {
            const all = await entries();
            assert.ok(
                all.some((e) => e.seq === 2),
                'seq 2 exists',
            );
            await server.stop(); // asserts a clean exit (code 0) on SIGTERM

            const clean = await runUnyo(['audit', 'verify', '--data-dir', server.dataDir]);
            assert.equal(clean.code, 0, `verify of an untouched log:\n${clean.stdout}\n${clean.stderr}`);

            const db = path.join(server.dataDir, 'unyo.db');
            await promisify(execFile)('sqlite3', [db, `UPDATE audit_log SET after_json = '{"x":1}' WHERE seq = 2`]);

            const tampered = await runUnyo(['audit', 'verify', '--data-dir', server.dataDir]);
            assert.notEqual(
                tampered.code,
                0,
                `verify must fail on a tampered log:\n${tampered.stdout}\n${tampered.stderr}`,
            );
            assert.equal(tampered.signal, null, 'verify ends by itself, not by a signal');
            const output = `${tampered.stdout}\n${tampered.stderr}`;
            assert.ok(
                output.split('\n').some((line) => /\bseq 2\b/.test(line)),
                `a line names seq 2:\n${output}`,
            );
        });
    });
});
