// Organisations and users: creation, optimistic concurrency (ETag / If-Match), idempotent retries,
// role and organisation boundaries, login history and the account inventory.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { paths, type Organization, type Role, type User } from '../../web/src/api/client.ts';
import { useServer } from './harness.ts';
import {
    RFC3339_MS_UTC,
    browser,
    expectApiError,
    expectProblem,
    signIn,
    signInAdmin,
    strongPassword,
    unique,
    type Browser,
    type SignedIn,
} from './helpers.ts';

// One server for the whole file: useServer() registers its hooks on this suite.
describe('accounts', () => {
    const server = useServer();
    let admin: SignedIn;
    let vendor: Organization; // 株式会社テスト保守
    let other: Organization; // a second organisation, for boundaries

    before(async () => {
        admin = await signInAdmin(server);
        vendor = (
            await admin.client.createOrganization({ name: '株式会社テスト保守', kind: 'vendor', code: 'TEST-HOSHU' })
        ).data;
        other = (await admin.client.createOrganization({ name: '別組織 運用課', kind: 'owner' })).data;
    });

    async function createUser(organization: Organization, roles: Role[]): Promise<{ user: User; password: string }> {
        const login = unique(roles[0] ?? 'user');
        const password = strongPassword();
        const { data: user } = await admin.client.createUser({
            login,
            display_name: `試験 ${login}`,
            organization_id: organization.id,
            roles,
            password,
            email: `${login}@example.jp`,
        });
        return { user, password };
    }

    function assertStatus(err: unknown, allowed: number[], what: string): void {
        assert.ok(
            err instanceof Error && 'status' in err && allowed.includes(err.status as number),
            `${what}: expected ${allowed.join(' or ')}, got ${String(err)}`,
        );
    }

    describe('organisations', () => {
        test('create answers 201 with the organisation and an ETag; GET answers the same', async () => {
            const created = await admin.client.createOrganization({
                name: '株式会社テスト保守 西日本支店',
                kind: 'vendor',
                note: '保守契約 第2024-17号',
            });
            assert.equal(created.status, 201);
            const org = created.data;
            assert.equal(typeof org.id, 'number');
            assert.equal(org.name, '株式会社テスト保守 西日本支店');
            assert.equal(org.kind, 'vendor');
            assert.equal(org.note, '保守契約 第2024-17号');
            assert.equal(org.disabled, false);
            assert.equal(typeof org.version, 'number');
            assert.match(org.created_at, RFC3339_MS_UTC);
            assert.match(org.updated_at, RFC3339_MS_UTC);
            assert.match(created.etag ?? '', /^"[^"]+"$/, 'ETag is a quoted string');
            assert.equal(created.etag, `"${org.version}"`);

            const fetched = await admin.client.getOrganization(org.id);
            assert.deepEqual(fetched.data, org);
            assert.equal(fetched.etag, created.etag);
            assert.equal(vendor.name, '株式会社テスト保守');
            assert.equal(vendor.code, 'TEST-HOSHU');
        });

        test('a taken name or code → 409 and no second row', async () => {
            await expectApiError(
                admin.client.createOrganization({ name: '株式会社テスト保守', kind: 'vendor' }),
                409,
                'name',
            );
            await expectApiError(
                admin.client.createOrganization({ name: unique('other-name'), kind: 'vendor', code: 'TEST-HOSHU' }),
                409,
                'code',
            );
            const all = await admin.client.all(admin.client.listOrganizations, { limit: 500 });
            assert.equal(all.filter((o) => o.name === '株式会社テスト保守').length, 1);
            assert.equal(all.filter((o) => o.code === 'TEST-HOSHU').length, 1);
        });

        test('q finds an organisation by part of its Japanese name', async () => {
            const found = await admin.client.listOrganizations({ q: 'テスト保守' });
            assert.ok(found.items.some((o) => o.id === vendor.id));
            assert.ok(!found.items.some((o) => o.id === other.id));
        });

        test('PATCH needs If-Match: missing → 428, stale → 412 and unchanged, fresh → 200 with a new ETag', async () => {
            const { data: org, etag } = await admin.client.createOrganization({
                name: unique('楽観的'),
                kind: 'other',
            });
            assert.ok(etag);

            const missing = await admin.client.raw('PATCH', paths.organization(org.id), {
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ note: 'no if-match' }),
            });
            await expectProblem(missing, 428);
            assert.deepEqual((await admin.client.getOrganization(org.id)).data, org);

            const updated = await admin.client.updateOrganization(org.id, { note: '一回目' }, etag);
            assert.equal(updated.status, 200);
            assert.equal(updated.data.note, '一回目');
            assert.equal(updated.data.name, org.name, 'fields not in the patch are kept');
            assert.ok(updated.data.version > org.version);
            assert.ok(updated.etag && updated.etag !== etag, 'a new ETag');

            const stale = await expectApiError(
                admin.client.updateOrganization(org.id, { note: '古い版から' }, etag),
                412,
            );
            assert.ok(stale.problem.title);
            const now = await admin.client.getOrganization(org.id);
            assert.deepEqual(now.data, updated.data, 'a stale update changes nothing');
            assert.equal(now.etag, updated.etag);

            const second = await admin.client.updateOrganization(
                org.id,
                { name: `${org.name} 改`, disabled: true },
                now.etag!,
            );
            assert.equal(second.data.name, `${org.name} 改`);
            assert.equal(second.data.disabled, true);
        });

        test('a retry with the same Idempotency-Key replays the first answer; another body → 422', async () => {
            const key = unique('idem');
            const input = { name: unique('冪等'), kind: 'other' as const };
            const first = await admin.client.createOrganization(input, { idempotencyKey: key });
            assert.equal(first.status, 201);
            assert.equal(first.replayed, false);

            const retry = await admin.client.createOrganization(input, { idempotencyKey: key });
            assert.equal(retry.status, 201);
            assert.equal(retry.headers.get('Idempotent-Replayed'), 'true');
            assert.deepEqual(retry.data, first.data);

            const all = await admin.client.all(admin.client.listOrganizations, { limit: 500 });
            assert.equal(all.filter((o) => o.name === input.name).length, 1, 'only one row');

            const otherBody = await expectApiError(
                admin.client.createOrganization({ ...input, name: unique('冪等-別') }, { idempotencyKey: key }),
                422,
            );
            assert.ok(otherBody.problem.title);
            const after = await admin.client.all(admin.client.listOrganizations, { limit: 500 });
            assert.equal(after.length, all.length, 'the conflicting retry created nothing');
        });

        test('Idempotency-Key is per user, and longer than 200 characters is refused', async () => {
            const { user, password } = await createUser(vendor, ['admin']);
            const second = await signIn(server, user.login, password);
            const key = unique('shared-key');
            const a = await admin.client.createOrganization(
                { name: unique('鍵A'), kind: 'other' },
                { idempotencyKey: key },
            );
            const b = await second.client.createOrganization(
                { name: unique('鍵B'), kind: 'other' },
                { idempotencyKey: key },
            );
            assert.equal(b.status, 201);
            assert.equal(b.replayed, false);
            assert.notEqual(b.data.id, a.data.id);

            const err = await admin.client
                .createOrganization({ name: unique('long-key'), kind: 'other' }, { idempotencyKey: 'k'.repeat(201) })
                .catch((e: unknown) => e);
            assertStatus(err, [400, 422], 'a 201-character key');
        });

        test('an organisation with users cannot be deleted (409); an empty one can (204)', async () => {
            const { data: busy } = await admin.client.createOrganization({ name: unique('在籍あり'), kind: 'other' });
            const { user } = await createUser(busy, ['viewer']);
            await expectApiError(admin.client.deleteOrganization(busy.id), 409);
            assert.deepEqual((await admin.client.getOrganization(busy.id)).data, busy);
            await admin.client.deleteUser(user.id);
            await admin.client.deleteOrganization(busy.id);
            await expectApiError(admin.client.getOrganization(busy.id), 404);
        });
    });

    describe('users', () => {
        test('create answers 201 with the user, no secret, and an ETag', async () => {
            const password = strongPassword();
            const created = await admin.client.createUser({
                login: 'tanaka.hanako',
                display_name: '田中 花子',
                organization_id: vendor.id,
                roles: ['operator', 'vendor'],
                password,
                email: 'tanaka@example.jp',
            });
            assert.equal(created.status, 201);
            const user = created.data;
            assert.equal(user.login, 'tanaka.hanako');
            assert.equal(user.display_name, '田中 花子');
            assert.equal(user.organization_id, vendor.id);
            assert.deepEqual([...user.roles].sort(), ['operator', 'vendor']);
            assert.equal(user.email, 'tanaka@example.jp');
            assert.equal(user.disabled, false);
            assert.equal(user.locked_until, null);
            assert.equal(user.failed_logins, 0);
            assert.equal(user.last_login_at, null);
            assert.match(user.created_at, RFC3339_MS_UTC);
            assert.equal(created.etag, `"${user.version}"`);
            const text = JSON.stringify(user);
            assert.ok(!text.includes(password), 'the password is never echoed');
            assert.ok(!/hash/i.test(Object.keys(user).join(',')), 'no hash field');

            await expectApiError(
                admin.client.createUser({
                    login: 'tanaka.hanako',
                    display_name: '別人',
                    organization_id: other.id,
                    roles: ['viewer'],
                    password: strongPassword(),
                }),
                409,
                'login taken',
            );
            const err = await admin.client
                .createUser({
                    login: unique('ghost'),
                    display_name: '存在しない組織',
                    organization_id: 987654321,
                    roles: ['viewer'],
                    password: strongPassword(),
                })
                .catch((e: unknown) => e);
            assertStatus(err, [400, 404, 409, 422], 'an unknown organisation');
        });

        test('a missing field is named; an unknown role is refused', async () => {
            const missing = await admin.client
                .createUser({
                    login: unique('no-name'),
                    organization_id: vendor.id,
                    roles: ['viewer'],
                    password: strongPassword(),
                } as never)
                .catch((e: unknown) => e);
            assertStatus(missing, [400, 422], 'missing display_name');
            assert.ok((missing as { fieldMessages(f: string): string[] }).fieldMessages('display_name').length > 0);

            const role = await admin.client
                .createUser({
                    login: unique('bad-role'),
                    display_name: '役割違い',
                    organization_id: vendor.id,
                    roles: ['superuser' as Role],
                    password: strongPassword(),
                })
                .catch((e: unknown) => e);
            assertStatus(role, [400, 422], 'unknown role');
            assert.ok((role as { fieldMessages(f: string): string[] }).fieldMessages('roles').length > 0);
        });

        test('PATCH user follows If-Match; disabling prevents sign-in', async () => {
            const { user, password } = await createUser(vendor, ['viewer']);
            const { etag } = await admin.client.getUser(user.id);
            assert.ok(etag);
            const updated = await admin.client.updateUser(
                user.id,
                { display_name: '更新 済み', roles: ['viewer', 'requester'] },
                etag,
            );
            assert.equal(updated.data.display_name, '更新 済み');
            assert.deepEqual([...updated.data.roles].sort(), ['requester', 'viewer']);
            await expectApiError(admin.client.updateUser(user.id, { disabled: true }, etag), 412);
            assert.equal((await admin.client.getUser(user.id)).data.disabled, false);

            await admin.client.updateUser(user.id, { disabled: true }, updated.etag!);
            const err = await browser(server)
                .client.login(user.login, password)
                .catch((e: unknown) => e);
            assertStatus(err, [401, 403, 423], 'a disabled user signing in');
        });

        test('admin sets a password (must_change_password) and deletes a user; not oneself', async () => {
            const { user } = await createUser(other, ['requester']);
            const next = strongPassword();
            await admin.client.setUserPassword(user.id, next);
            assert.equal((await admin.client.getUser(user.id)).data.must_change_password, true);
            const signedIn = await signIn(server, user.login, next);
            assert.equal(signedIn.session.user.must_change_password, true);

            await admin.client.deleteUser(user.id);
            await expectApiError(admin.client.getUser(user.id), 404);

            const self = await admin.client.deleteUser(admin.session.user.id).catch((e: unknown) => e);
            assertStatus(self, [403, 409, 422], 'deleting oneself');
            assert.equal((await admin.client.me()).user.id, admin.session.user.id);
        });

        test('set password with a weak password → 422 naming `password`', async () => {
            const { user } = await createUser(other, ['viewer']);
            const err = await expectApiError(admin.client.setUserPassword(user.id, 'weak'), 422);
            assert.equal(err.problem.errors?.[0]?.field, 'password');
            assert.deepEqual((await admin.client.getUser(user.id)).data, user, 'nothing changed');
        });
    });

    describe('roles and organisations', () => {
        let viewer: Browser;
        let operator: Browser;
        let operatorUser: User;
        let stranger: User; // an operator of the other organisation

        before(async () => {
            const v = await createUser(vendor, ['viewer']);
            const o = await createUser(vendor, ['operator']);
            stranger = (await createUser(other, ['operator'])).user;
            operatorUser = o.user;
            [viewer, operator] = await Promise.all([
                signIn(server, v.user.login, v.password),
                signIn(server, o.user.login, o.password),
            ]);
        });

        test('viewers and operators cannot create, change or delete organisations (403), nothing changes', async () => {
            const before = await admin.client.all(admin.client.listOrganizations, { limit: 500 });
            for (const [who, b] of [
                ['viewer', viewer],
                ['operator', operator],
            ] as const) {
                await expectApiError(b.client.createOrganization({ name: unique(who), kind: 'other' }), 403, who);
                const { etag } = await b.client.getOrganization(vendor.id);
                await expectApiError(b.client.updateOrganization(vendor.id, { note: who }, etag!), 403, who);
                await expectApiError(b.client.deleteOrganization(other.id), 403, who);
                await expectApiError(
                    b.client.createUser({
                        login: unique(who),
                        display_name: who,
                        organization_id: vendor.id,
                        roles: ['admin'],
                        password: strongPassword(),
                    }),
                    403,
                    who,
                );
            }
            assert.deepEqual(await admin.client.all(admin.client.listOrganizations, { limit: 500 }), before);
        });

        test('an operator lists only users of their own organisation', async () => {
            const own = await operator.client.all(operator.client.listUsers, { limit: 500 });
            assert.ok(own.some((u) => u.id === operatorUser.id));
            assert.ok(
                own.every((u) => u.organization_id === vendor.id),
                'only the own organisation',
            );
            assert.ok(!own.some((u) => u.id === stranger.id));

            try {
                const asked = await operator.client.listUsers({ organization_id: other.id });
                assert.deepEqual(asked.items, [], 'listing another organisation shows nobody');
            } catch (err) {
                assertStatus(err, [403], 'listing another organisation');
            }
            const single = await operator.client.getUser(stranger.id).catch((e: unknown) => e);
            assertStatus(single, [403, 404], "reading another organisation's user");
        });

        test('a viewer cannot list users (403); admins see everyone', async () => {
            await expectApiError(viewer.client.listUsers(), 403, 'viewer listing users');
            const all = await admin.client.all(admin.client.listUsers, { limit: 500 });
            assert.ok(all.some((u) => u.id === stranger.id) && all.some((u) => u.id === operatorUser.id));
        });

        test('non-admins get 403 from the audit log, the inventory and user administration', async () => {
            for (const [who, b] of [
                ['viewer', viewer],
                ['operator', operator],
            ] as const) {
                await expectApiError(b.client.audit(), 403, `${who} audit`);
                await expectApiError(b.client.accountInventory(), 403, `${who} inventory`);
                await expectApiError(b.client.unlockUser(operatorUser.id), 403, `${who} unlock`);
                await expectApiError(
                    b.client.setUserPassword(operatorUser.id, strongPassword()),
                    403,
                    `${who} set password`,
                );
                await expectApiError(b.client.deleteUser(stranger.id), 403, `${who} delete user`);
            }
            assert.equal((await admin.client.getUser(stranger.id)).data.id, stranger.id);
        });
    });

    describe('login history and inventory', () => {
        test('login history records success and failure with address and user agent, newest first', async () => {
            const { user, password } = await createUser(vendor, ['operator']);
            const failedAgent = 'unyo-api-test/1.0 (failure)';
            const okAgent = 'unyo-api-test/1.0 (success)';
            await expectApiError(browser(server, failedAgent).client.login(user.login, 'Wrong-password-9'), 401);
            const me = await signIn(server, user.login, password, okAgent);

            const history = await admin.client.loginHistory({ login: user.login });
            const [latest, earlier] = history.items;
            assert.ok(latest && earlier, JSON.stringify(history));
            assert.equal(latest.success, true);
            assert.equal(latest.reason, 'ok');
            assert.equal(latest.user_id, user.id);
            assert.equal(latest.user_agent, okAgent);
            assert.match(latest.address, /127\.0\.0\.1/);
            assert.match(latest.at, RFC3339_MS_UTC);
            assert.equal(earlier.success, false);
            assert.equal(earlier.reason, 'bad_credentials');
            assert.equal(earlier.user_agent, failedAgent);
            assert.match(earlier.address, /127\.0\.0\.1/);
            assert.ok(Date.parse(latest.at) >= Date.parse(earlier.at));

            const failures = await admin.client.loginHistory({ login: user.login, success: false });
            assert.ok(failures.items.length >= 1 && failures.items.every((e) => !e.success));

            const own = await me.client.all(me.client.loginHistory, { limit: 500 });
            assert.ok(own.length >= 2);
            assert.ok(
                own.every((e) => e.login === user.login),
                'a non-admin sees only their own history',
            );

            const unknownLogin = unique('nobody');
            await expectApiError(browser(server).client.login(unknownLogin, 'Wrong-password-9'), 401);
            const unknown = await admin.client.loginHistory({ login: unknownLogin });
            assert.equal(unknown.items.length, 1, 'failures for unknown logins are recorded too');
            assert.equal(unknown.items[0]?.user_id, null);
            assert.equal(unknown.items[0]?.success, false);
        });

        test('account inventory lists every user with last login and `dormant`', async () => {
            const { user: never } = await createUser(other, ['viewer']);
            const inventory = await admin.client.accountInventory();
            assert.equal(inventory.dormant_days, 90);
            assert.match(inventory.generated_at, RFC3339_MS_UTC);
            const users = await admin.client.all(admin.client.listUsers, { limit: 500 });
            assert.deepEqual(
                inventory.items.map((i) => i.user_id).sort((a, b) => a - b),
                users.map((u) => u.id).sort((a, b) => a - b),
                'one item per user',
            );
            for (const item of inventory.items) {
                assert.equal(typeof item.dormant, 'boolean', JSON.stringify(item));
                assert.equal(typeof item.locked, 'boolean', JSON.stringify(item));
            }
            const adminItem = inventory.items.find((i) => i.login === server.adminLogin);
            assert.ok(adminItem);
            assert.equal(adminItem.dormant, false, 'the admin signed in today');
            assert.equal(adminItem.days_since_login, 0);
            assert.notEqual(adminItem.last_login_at, null);
            const neverItem = inventory.items.find((i) => i.user_id === never.id);
            assert.ok(neverItem);
            assert.equal(neverItem.last_login_at, null);

            const custom = await admin.client.accountInventory({ dormant_days: 30 });
            assert.equal(custom.dormant_days, 30);
        });
    });
});
