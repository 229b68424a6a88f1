// Protocol-level behaviour: probes, metrics, the OpenAPI document, and the refusal of bad requests
// (malformed JSON, wrong content type, oversized body, invalid fields) without any change.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { ApiClient, paths } from '../../web/src/api/client.ts';
import { REPO_ROOT, useServer } from './harness.ts';
import { errorFields, expectApiError, expectProblem, postRaw, signInAdmin, unique, type Browser } from './helpers.ts';

// One server for the whole file: useServer() registers its hooks on this suite.
describe('http', () => {
    const server = useServer();
    let adminBrowser: Browser;
    let admin: ApiClient;

    before(async () => {
        adminBrowser = await signInAdmin(server);
        admin = adminBrowser.client;
    });

    /** Every organisation, for "nothing changed" comparisons. */
    async function allOrganizations(): Promise<unknown[]> {
        return admin.all(admin.listOrganizations, { limit: 500 });
    }

    describe('probes', () => {
        test('GET /healthz answers 200 {"status":"ok"}', async () => {
            const res = await fetch(new ApiClient({ baseUrl: server.baseUrl }).url(paths.healthz()));
            assert.equal(res.status, 200);
            assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
            assert.deepEqual(await res.json(), { status: 'ok' });
        });

        test('GET /readyz answers 200 {"status":"ready"} with the database up', async () => {
            const anonymous = new ApiClient({ baseUrl: server.baseUrl });
            assert.equal((await anonymous.ready()).status, 'ready');
        });

        test('GET /metrics is Prometheus text with the documented series', async () => {
            const anonymous = new ApiClient({ baseUrl: server.baseUrl });
            await anonymous.health(); // at least one request counted
            const res = await anonymous.raw('GET', paths.metrics());
            assert.equal(res.status, 200);
            assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
            const text = await res.text();
            const requests = text.split('\n').filter((l) => l.startsWith('unyo_http_requests_total{'));
            assert.ok(requests.length > 0, 'unyo_http_requests_total has samples');
            for (const line of requests) {
                assert.match(line, /method="[A-Z]+"/, line);
                assert.match(line, /route="[^"]+"/, line);
                assert.match(line, /status="\d{3}"/, line);
                assert.match(line, /\} \d+(\.\d+)?(e[+-]?\d+)?$/, line);
            }
            assert.ok(
                requests.some(
                    (l) => l.includes('method="GET"') && l.includes('/healthz') && l.includes('status="200"'),
                ),
                'the GET /healthz request is counted',
            );
            assert.match(text, /^unyo_http_request_duration_seconds_bucket\{.*le="\+Inf".*\} \d+/m);
            assert.match(text, /^unyo_http_request_duration_seconds_sum(\{.*\})? /m);
            assert.match(text, /^unyo_http_request_duration_seconds_count(\{.*\})? /m);
            assert.match(text, /^# TYPE unyo_http_request_duration_seconds histogram$/m);
            assert.match(text, /^unyo_db_writer_queue_depth(\{.*\})? \d+/m);
            assert.match(text, /^unyo_db_write_batches_total(\{.*\})? \d+/m);
        });

        test('GET /api/v1/openapi.json is OpenAPI 3.1 listing every route of docs/api.md', async () => {
            const doc = await readFile(path.join(REPO_ROOT, 'docs', 'api.md'), 'utf8');
            const routes = [...doc.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)` \|/gm)].map((m) => ({
                method: m[1]!.toLowerCase(),
                path: m[2]!,
            }));
            assert.ok(routes.length >= 25, `docs/api.md should list the routes (found ${routes.length})`);

            const spec = await new ApiClient({ baseUrl: server.baseUrl }).openapi();
            assert.match(String(spec['openapi']), /^3\.1\./);
            const specPaths = (spec['paths'] ?? {}) as Record<string, Record<string, unknown>>;
            const servers = (spec['servers'] ?? []) as { url?: string }[];
            const prefixes = [
                '',
                ...servers.map((s) => (s.url ?? '').replace(/^https?:\/\/[^/]+/, '').replace(/\/$/, '')),
            ];
            const missing: string[] = [];
            for (const route of routes) {
                const found = prefixes.some((prefix) => {
                    if (!route.path.startsWith(prefix)) {
                        return false;
                    }
                    const relative = prefix === '' ? route.path : route.path.slice(prefix.length) || '/';
                    return specPaths[relative]?.[route.method] !== undefined;
                });
                if (!found) {
                    missing.push(`${route.method.toUpperCase()} ${route.path}`);
                }
            }
            assert.deepEqual(missing, [], 'routes of docs/api.md missing from openapi.json');
        });
    });

    describe('bad requests change nothing', () => {
        test('malformed JSON → 400 problem', async () => {
            const before = await allOrganizations();
            const res = await admin.raw('POST', paths.organizations(), {
                headers: { 'Content-Type': 'application/json' },
                body: '{"name": "壊れたJSON", "kind": "vendor"',
            });
            await expectProblem(res, 400);
            assert.deepEqual(await allOrganizations(), before);
        });

        test('a JSON body that is not an object, or a field of the wrong type → 400 naming the field', async () => {
            const before = await allOrganizations();
            await expectProblem(
                await admin.raw('POST', paths.organizations(), {
                    headers: { 'Content-Type': 'application/json' },
                    body: '["name"]',
                }),
                400,
            );
            const problem = await expectProblem(
                await admin.raw('POST', paths.organizations(), {
                    headers: { 'Content-Type': 'application/json' },
                    body: JSON.stringify({ name: 12345, kind: 'vendor' }),
                }),
                400,
            );
            assert.ok(errorFields(problem).includes('name'), JSON.stringify(problem));
            assert.deepEqual(await allOrganizations(), before);
        });

        test('wrong content type → 415', async () => {
            const name = unique('text-plain');
            const before = await allOrganizations();
            const res = await admin.raw('POST', paths.organizations(), {
                headers: { 'Content-Type': 'text/plain' },
                body: JSON.stringify({ name, kind: 'vendor' }),
            });
            await expectProblem(res, 415);
            assert.deepEqual(await allOrganizations(), before);
        });

        test('body over 10 MiB → 413', async () => {
            const before = await allOrganizations();
            const name = unique('huge');
            const head = `{"name":"${name}","kind":"other","note":"`;
            const tail = '"}';
            const size = 10 * 1024 * 1024 + 1;
            const body = Buffer.alloc(size, 'a');
            body.write(head, 0);
            body.write(tail, size - tail.length);

            // A raw socket rather than fetch: the server may answer (and close) before it has read the
            // whole body, and we want that answer, not the write error that follows.
            const answer = await postRaw(admin.url(paths.organizations()), body, {
                'Content-Type': 'application/json',
                'X-CSRF-Token': admin.csrfToken ?? '',
                Cookie: adminBrowser.jar.header() ?? '',
            });
            assert.equal(answer.status, 413, answer.text.slice(0, 300));
            assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
            assert.deepEqual(await allOrganizations(), before);
        });

        test('a missing required field → 400/422 naming it; an unknown kind names `kind`', async () => {
            const before = await allOrganizations();
            const missing = await expectValidation(admin.createOrganization({ kind: 'vendor' } as never));
            assert.ok(missing.fieldMessages('name').length > 0, JSON.stringify(missing.problem));
            const badKind = await expectValidation(
                admin.createOrganization({ name: unique('bad-kind'), kind: 'supplier' } as never),
            );
            assert.ok(badKind.fieldMessages('kind').length > 0, JSON.stringify(badKind.problem));
            assert.deepEqual(await allOrganizations(), before);
        });

        test('limit outside 1–500 is refused and names `limit`', async () => {
            for (const limit of [0, 501]) {
                const err = await expectValidation(admin.listOrganizations({ limit }));
                assert.ok(err.fieldMessages('limit').length > 0, JSON.stringify(err.problem));
            }
        });

        test('an unknown id → 404 problem', async () => {
            await expectApiError(admin.getOrganization(987654321), 404);
            await expectApiError(admin.getUser(987654321), 404);
        });

        test('without a session → 401 problem', async () => {
            const anonymous = new ApiClient({ baseUrl: server.baseUrl });
            await expectApiError(anonymous.me(), 401);
            await expectApiError(anonymous.listOrganizations(), 401);
        });
    });

    describe('pagination', () => {
        test('limit and cursor walk the whole collection once', async () => {
            for (let i = 0; i < 3; i++) {
                await admin.createOrganization({ name: unique('page'), kind: 'other' });
            }
            const everything = await admin.listOrganizations({ limit: 500 });
            assert.equal(everything.next_cursor, null);
            assert.ok(everything.items.length >= 4); // the admin's organisation + 3

            const first = await admin.listOrganizations({ limit: 2 });
            assert.equal(first.items.length, 2);
            assert.equal(typeof first.next_cursor, 'string');
            const walked = await admin.all(admin.listOrganizations, { limit: 2 });
            assert.deepEqual(
                walked.map((o) => o.id).sort((a, b) => a - b),
                everything.items.map((o) => o.id).sort((a, b) => a - b),
            );
        });
    });

    /** Validation is 400 (malformed) or 422 (semantically invalid); either must name the field. */
    async function expectValidation(promise: Promise<unknown>) {
        try {
            await promise;
        } catch (err) {
            const e = err as { status?: number };
            if (e.status === 422) {
                return expectApiError(Promise.reject(err), 422);
            }
            return expectApiError(Promise.reject(err), 400);
        }
        assert.fail('expected a validation failure (400 or 422)');
    }
});
