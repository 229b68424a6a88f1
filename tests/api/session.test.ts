// Signing in and out, the session cookie, lockout, CSRF, bearer tokens and the password policy.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { ApiClient, paths, type Organization, type User } from '../../web/src/api/client.ts';
import { useServer } from './harness.ts';
import {
    bearer,
    browser,
    expectApiError,
    expectProblem,
    signIn,
    signInAdmin,
    strongPassword,
    unique,
    type Browser,
} from './helpers.ts';

// One server for the whole file: useServer() registers its hooks on this suite.
describe('session', () => {
    const server = useServer();
    let admin: Browser;
    let org: Organization;

    before(async () => {
        admin = await signInAdmin(server);
        org = (await admin.client.createOrganization({ name: unique('セッション試験'), kind: 'vendor' })).data;
    });

    async function createUser(roles: User['roles'] = ['operator']): Promise<{ user: User; password: string }> {
        const password = strongPassword();
        const login = unique('user');
        const { data: user } = await admin.client.createUser({
            login,
            display_name: `利用者 ${login}`,
            organization_id: org.id,
            roles,
            password,
        });
        return { user, password };
    }

    async function orgNames(): Promise<string[]> {
        return (await admin.client.all(admin.client.listOrganizations, { limit: 500 })).map((o) => o.name);
    }

    describe('login', () => {
        test('success answers {user, csrf_token} and sets an HttpOnly, SameSite=Strict session cookie', async () => {
            const b = browser(server);
            const session = await b.client.login(server.adminLogin, server.adminPassword);
            assert.equal(session.user.login, server.adminLogin);
            assert.ok(session.user.roles.includes('admin'));
            assert.equal(typeof session.csrf_token, 'string');
            assert.ok(session.csrf_token.length >= 16, 'the CSRF token is not trivially short');
            assert.ok(!('password' in session.user) && !('password_hash' in session.user), 'no secret in the user');

            const cookie = b.jar.lastSet('unyo_session');
            assert.ok(cookie, 'Set-Cookie: unyo_session');
            assert.ok(cookie.value.length >= 16, 'the session id is not trivially short');
            assert.ok(cookie.attributes.has('httponly'), cookie.raw);
            assert.equal(cookie.attributes.get('samesite')?.toLowerCase(), 'strict', cookie.raw);
            assert.equal(cookie.attributes.get('path'), '/', cookie.raw);

            const me = await b.client.me();
            assert.equal(me.user.id, session.user.id);
            assert.equal(me.organization.id, session.user.organization_id);
        });

        test('wrong password and unknown login answer the same 401', async () => {
            const wrong = await new ApiClient({ baseUrl: server.baseUrl }).raw('POST', paths.session(), {
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ login: server.adminLogin, password: 'Wrong-password-1' }),
            });
            const unknown = await new ApiClient({ baseUrl: server.baseUrl }).raw('POST', paths.session(), {
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ login: unique('nobody'), password: 'Wrong-password-1' }),
            });
            const a = await expectProblem(wrong, 401);
            const b = await expectProblem(unknown, 401);
            assert.deepEqual(a, b, 'the answer must not tell whether the login exists');
            assert.equal(wrong.headers.getSetCookie().length, 0, 'no session cookie on failure');
        });

        test('a signed-out session no longer works and the cookie is cleared', async () => {
            const { client, jar } = await signIn(server, server.adminLogin, server.adminPassword);
            const sessionId = jar.get('unyo_session');
            assert.ok(sessionId);
            await client.logout();
            const cleared = jar.lastSet('unyo_session');
            assert.ok(cleared, 'logout sends Set-Cookie for unyo_session');
            assert.equal(jar.get('unyo_session'), undefined, `the cookie is cleared: ${cleared.raw}`);

            // Replaying the old cookie must not work: the session is ended on the server, not just forgotten.
            const replay = await new ApiClient({ baseUrl: server.baseUrl }).raw('GET', paths.me(), {
                headers: { Cookie: `unyo_session=${sessionId}` },
            });
            await expectProblem(replay, 401);
        });
    });

    describe('lockout', () => {
        test('5 failures lock the account (423 even with the right password) until an admin unlocks it', async () => {
            const { user, password } = await createUser();
            const b = browser(server);
            for (let i = 1; i <= 4; i++) {
                await expectApiError(b.client.login(user.login, `Wrong-${i}-password`), 401, `failure ${i}`);
            }
            const fifth = await b.client.login(user.login, 'Wrong-5-password').catch((e: unknown) => e);
            assert.ok(
                fifth instanceof Error && 'status' in fifth && (fifth.status === 401 || fifth.status === 423),
                `the 5th failure answers 401 or 423: ${String(fifth)}`,
            );

            const locked = await expectApiError(
                b.client.login(user.login, password),
                423,
                'right password while locked',
            );
            const until = Date.parse(String(locked.problem.locked_until));
            assert.ok(until > Date.now(), `locked_until is in the future: ${String(locked.problem.locked_until)}`);
            assert.equal(b.jar.get('unyo_session'), undefined, 'no session while locked');

            const { data: lockedUser } = await admin.client.getUser(user.id);
            assert.notEqual(lockedUser.locked_until, null);
            assert.ok(lockedUser.failed_logins >= 5);
            const listed = await admin.client.listUsers({ status: 'locked', organization_id: org.id });
            assert.ok(
                listed.items.some((u) => u.id === user.id),
                'status=locked lists the user',
            );

            const { data: unlocked } = await admin.client.unlockUser(user.id);
            assert.equal(unlocked.id, user.id);
            assert.equal(unlocked.locked_until, null);
            assert.equal(unlocked.failed_logins, 0);

            const session = await b.client.login(user.login, password);
            assert.equal(session.user.id, user.id);
        });
    });

    describe('CSRF', () => {
        test('an unsafe request with the cookie but without or with a wrong X-CSRF-Token → 403, nothing created', async () => {
            const name = unique('csrf');
            const body = JSON.stringify({ name, kind: 'vendor' });
            const headers = { 'Content-Type': 'application/json' };
            const before = await orgNames();

            const without = await admin.client.raw('POST', paths.organizations(), { headers, body, csrf: false });
            await expectProblem(without, 403, 'without X-CSRF-Token');
            const wrong = await admin.client.raw('POST', paths.organizations(), {
                headers,
                body,
                csrf: 'not-the-token',
            });
            await expectProblem(wrong, 403, 'with a wrong X-CSRF-Token');
            const foreign = await signInAdmin(server);
            const crossed = await admin.client.raw('POST', paths.organizations(), {
                headers,
                body,
                csrf: foreign.client.csrfToken ?? '',
            });
            await expectProblem(crossed, 403, "with another session's X-CSRF-Token");
            assert.deepEqual(await orgNames(), before);

            // The same request with the right token goes through (the refusals above were about CSRF).
            const ok = await admin.client.raw('POST', paths.organizations(), { headers, body });
            assert.equal(ok.status, 201, await ok.text());
            assert.ok((await orgNames()).includes(name));
        });

        test('DELETE and PATCH need the token too', async () => {
            const { data: created, etag } = await admin.client.createOrganization({
                name: unique('csrf-del'),
                kind: 'other',
            });
            assert.ok(etag);
            const del = await admin.client.raw('DELETE', paths.organization(created.id), { csrf: false });
            await expectProblem(del, 403);
            const patch = await admin.client.raw('PATCH', paths.organization(created.id), {
                headers: { 'Content-Type': 'application/json', 'If-Match': etag },
                body: JSON.stringify({ note: 'changed' }),
                csrf: false,
            });
            await expectProblem(patch, 403);
            const { data: still } = await admin.client.getOrganization(created.id);
            assert.deepEqual(still, created);
        });
    });

    describe('bearer tokens', () => {
        test('a token works without cookie or CSRF and is refused once deleted', async () => {
            const { data: token, status } = await admin.client.createToken({ name: unique('ci'), expires_in_days: 30 });
            assert.equal(status, 201);
            assert.equal(typeof token.secret, 'string');
            assert.ok(token.secret.length >= 20);
            const expiresInDays = (Date.parse(token.expires_at) - Date.parse(token.created_at)) / 86_400_000;
            assert.ok(
                Math.abs(expiresInDays - 30) < 1,
                `expires in 30 days: ${token.created_at} → ${token.expires_at}`,
            );

            const listed = await admin.client.listTokens();
            const entry = listed.items.find((t) => t.id === token.id);
            assert.ok(entry, 'the token is listed');
            assert.ok(!('secret' in entry), 'the list never shows the secret');
            assert.ok(!JSON.stringify(listed).includes(token.secret), 'the secret appears nowhere in the list');

            const machine = bearer(server, token.secret);
            assert.equal((await machine.me()).user.login, server.adminLogin);
            const name = unique('bearer-org');
            const { status: created } = await machine.createOrganization({ name, kind: 'other' });
            assert.equal(created, 201, 'an unsafe request with a bearer token needs no CSRF token');

            await admin.client.deleteToken(token.id);
            await expectApiError(machine.me(), 401, 'deleted token');
            await expectApiError(machine.createOrganization({ name: unique('after-delete'), kind: 'other' }), 401);
            assert.ok(!(await admin.client.listTokens()).items.some((t) => t.id === token.id));
        });

        test('an unknown bearer token → 401', async () => {
            await expectApiError(bearer(server, 'unyo_not_a_real_token_0123456789').me(), 401);
        });

        test("another user cannot delete someone's token", async () => {
            const { data: token } = await admin.client.createToken({ name: unique('mine') });
            const { user, password } = await createUser(['operator']);
            const operator = await signIn(server, user.login, password);
            const err = await operator.client.deleteToken(token.id).catch((e: unknown) => e);
            assert.ok(
                err instanceof Error && 'status' in err && (err.status === 403 || err.status === 404),
                `403 or 404: ${String(err)}`,
            );
            assert.ok(
                (await admin.client.listTokens()).items.some((t) => t.id === token.id),
                'the token survives',
            );
            assert.ok(
                !(await operator.client.listTokens()).items.some((t) => t.id === token.id),
                "a user's list shows only their own tokens",
            );
        });
    });

    describe('password policy', () => {
        test('weak passwords → 422 naming `password`, one message per rule, and no user', async () => {
            const login = unique('weakling');
            const cases = {
                tooShort: 'Ab1!xyz',
                tooFewClasses: 'abcdefghijk12',
                containsLogin: `X9!${login.toUpperCase()}`,
            };
            const messages: Record<string, string> = {};
            for (const [rule, password] of Object.entries(cases)) {
                const err = await expectApiError(
                    admin.client.createUser({
                        login,
                        display_name: '弱いパスワード',
                        organization_id: org.id,
                        roles: ['viewer'],
                        password,
                    }),
                    422,
                    rule,
                );
                assert.equal(err.problem.errors?.[0]?.field, 'password', `${rule}: ${JSON.stringify(err.problem)}`);
                const message = err.problem.errors[0]!.message;
                assert.ok(typeof message === 'string' && message.length > 0);
                messages[rule] = message;
            }
            const distinct = new Set(Object.values(messages));
            assert.equal(distinct.size, 3, `each rule has its own message: ${JSON.stringify(messages)}`);
            const users = await admin.client.listUsers({ q: login });
            assert.ok(!users.items.some((u) => u.login === login), 'no user was created');
        });

        test('change own password: wrong current, weak and reused passwords are refused (422)', async () => {
            const { user, password } = await createUser(['viewer']);
            const me = await signIn(server, user.login, password);

            const wrongCurrent = await expectApiError(
                me.client.changePassword('Not-the-current-1', strongPassword()),
                422,
            );
            assert.ok(wrongCurrent.fieldMessages('current_password').length > 0, JSON.stringify(wrongCurrent.problem));
            const weak = await expectApiError(me.client.changePassword(password, 'short1A'), 422);
            assert.ok(weak.fieldMessages('new_password').length > 0, JSON.stringify(weak.problem));
            const same = await expectApiError(
                me.client.changePassword(password, password),
                422,
                'reuse of the current',
            );
            assert.ok(same.fieldMessages('new_password').length > 0, JSON.stringify(same.problem));

            const next = strongPassword();
            await me.client.changePassword(password, next);
            await expectApiError(browser(server).client.login(user.login, password), 401, 'old password');
            const again = await signIn(server, user.login, next);
            assert.notEqual(again.session.user.password_changed_at, null);
        });
    });
});
