// Shared helpers of the API tests: signed-in clients, unique names, and assertions on failures.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';

import { ApiClient, ApiError, type Problem, type Session } from '../../web/src/api/client.ts';
import { CookieJar, jarFetch } from './cookie-jar.ts';
import type { UnyoServer } from './harness.ts';

export interface Browser {
    client: ApiClient;
    jar: CookieJar;
}

export type SignedIn = Browser & { session: Session };

/** A client with its own cookie jar (one simulated browser), not signed in. */
export function browser(server: UnyoServer, userAgent?: string): Browser {
    const jar = new CookieJar();
    const client = new ApiClient({
        baseUrl: server.baseUrl,
        fetch: jarFetch(jar, userAgent === undefined ? {} : { userAgent }),
    });
    return { client, jar };
}

/** A browser signed in as `login`. */
export async function signIn(
    server: UnyoServer,
    login: string,
    password: string,
    userAgent?: string,
): Promise<SignedIn> {
    const b = browser(server, userAgent);
    const session = await b.client.login(login, password);
    return { ...b, session };
}

/** A browser signed in as the admin created by `unyo init`. */
export function signInAdmin(server: UnyoServer): Promise<SignedIn> {
    return signIn(server, server.adminLogin, server.adminPassword);
}

/** A cookie-less client using a bearer token. */
export function bearer(server: UnyoServer, token: string): ApiClient {
    return new ApiClient({ baseUrl: server.baseUrl, token });
}

let counter = 0;
/** A name no other test uses: `prefix-<n>-<random>`. */
export function unique(prefix: string): string {
    counter += 1;
    return `${prefix}-${counter}-${randomBytes(3).toString('hex')}`;
}

/** A password that passes the default policy and contains no login made by `unique()`. */
export function strongPassword(): string {
    return `Qz7#${randomBytes(6).toString('base64url')}xK9!`;
}

/** Awaits `promise`, asserts it failed with an ApiError of `status`, and returns the error. */
export async function expectApiError(promise: Promise<unknown>, status: number, what = ''): Promise<ApiError> {
    try {
        const value = await promise;
        assert.fail(`${what} expected HTTP ${status}, but it succeeded: ${JSON.stringify(value)?.slice(0, 500)}`);
    } catch (err) {
        if (!(err instanceof ApiError)) {
            throw err;
        }
        assert.equal(err.status, status, `${what} ${err.message} ${JSON.stringify(err.problem)}`);
        assert.equal(err.problem.status, status, `${what} problem.status should repeat the HTTP status`);
        return err;
    }
}

/** Asserts a raw response is `application/problem+json` with `status` and returns the problem. */
export async function expectProblem(response: Response, status: number, what = ''): Promise<Problem> {
    const text = await response.text();
    assert.equal(
        response.status,
        status,
        `${what} expected HTTP ${status}, got ${response.status}: ${text.slice(0, 500)}`,
    );
    assert.match(
        response.headers.get('content-type') ?? '',
        /^application\/problem\+json/,
        `${what} errors are application/problem+json`,
    );
    const problem = JSON.parse(text) as Problem;
    assert.equal(problem.status, status);
    assert.equal(typeof problem.title, 'string');
    assert.equal(typeof problem.type, 'string');
    return problem;
}

/** The fields named by a problem's `errors`. */
export function errorFields(problem: Problem): string[] {
    return (problem.errors ?? []).map((e) => e.field);
}

export const RFC3339_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface RawAnswer {
    status: number;
    headers: Map<string, string>;
    text: string;
}

/**
 * POSTs `body` over a plain HTTP/1.1 socket and returns the final answer, even one sent before the
 * body was written (e.g. 413). Like curl, it sends `Expect: 100-continue` and writes the body only
 * after `100 Continue` or one second of silence; writing stops as soon as an answer starts. Fails
 * after 15 s without an answer.
 */
export function postRaw(url: string, body: Uint8Array, headers: Record<string, string>): Promise<RawAnswer> {
    const target = new URL(url);
    return new Promise((resolve, reject) => {
        const socket = net.connect(Number(target.port), target.hostname);
        let received = Buffer.alloc(0);
        let settled = false;
        let sending = false;
        const timer = setTimeout(() => finish(new Error('no answer within 15 s')), 15_000);

        /** The final answer parsed so far (interim 1xx answers skipped), or null. */
        function parse(): { answer: RawAnswer; complete: boolean } | null {
            let text = received.toString('latin1');
            for (;;) {
                const end = text.indexOf('\r\n\r\n');
                if (end < 0) {
                    return null;
                }
                const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
                const status = Number(statusLine.split(' ')[1]);
                if (status >= 100 && status < 200) {
                    text = text.slice(end + 4);
                    continue;
                }
                const fields = new Map<string, string>();
                for (const line of lines) {
                    const i = line.indexOf(':');
                    fields.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
                }
                const rest = Buffer.from(text.slice(end + 4), 'latin1');
                const want = Number(fields.get('content-length') ?? NaN);
                return {
                    answer: { status, headers: fields, text: rest.toString('utf8') },
                    complete: rest.length >= want,
                };
            }
        }
        function finish(err?: Error): void {
            if (settled) {
                return;
            }
            settled = true;
            clearTimeout(timer);
            socket.destroy();
            const parsed = parse();
            if (parsed) {
                resolve(parsed.answer);
            } else {
                reject(new Error(`no HTTP answer (${err?.message ?? 'connection closed'})`));
            }
        }
        async function sendBody(): Promise<void> {
            if (sending || settled) {
                return;
            }
            sending = true;
            const chunk = 64 * 1024;
            for (let offset = 0; offset < body.length && !settled && parse() === null; offset += chunk) {
                if (!socket.write(body.subarray(offset, offset + chunk))) {
                    await new Promise<void>((r) => {
                        socket.once('drain', r);
                        socket.once('close', r);
                        socket.once('data', r);
                    });
                }
            }
        }

        socket.on('data', (chunk: Buffer) => {
            received = Buffer.concat([received, chunk]);
            const parsed = parse();
            if (parsed?.complete) {
                finish();
            } else if (parsed === null && /^HTTP\/1\.1 100 /.test(received.toString('latin1'))) {
                void sendBody();
            }
        });
        socket.on('end', () => finish());
        socket.on('close', () => finish());
        socket.on('error', (err) => finish(err));
        socket.on('connect', () => {
            const all = { ...headers, 'Content-Length': String(body.length), Expect: '100-continue' };
            socket.write(
                `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
                    Object.entries(all)
                        .map(([k, v]) => `${k}: ${v}\r\n`)
                        .join('') +
                    '\r\n',
            );
            setTimeout(() => void sendBody(), 1000);
        });
    });
}

/** A JSON request by a signed-in browser (CSRF header; If-Match when `etag` is given). */
export function sendJson(
    server: UnyoServer,
    who: SignedIn,
    method: string,
    path: string,
    body?: unknown,
    etag?: string,
): Promise<Response> {
    const headers: Record<string, string> = { 'X-CSRF-Token': who.session.csrf_token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (etag !== undefined) headers['If-Match'] = etag;
    return jarFetch(who.jar)(`${server.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

/** sendJson that expects `status` (the answer's text in the failure) and parses the answer. */
export async function expectJson<T>(
    server: UnyoServer,
    who: SignedIn,
    method: string,
    path: string,
    body?: unknown,
    status = 200,
): Promise<T> {
    const res = await sendJson(server, who, method, path, body);
    const text = await res.text();
    assert.equal(res.status, status, `${method} ${path}: ${text}`);
    return JSON.parse(text) as T;
}
