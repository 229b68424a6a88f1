// What the console E2E tests share: a real `unyo serve` (tests/api/harness.ts: fresh data dir,
// port 0) serving the console it embeds, Debian's Chromium driven by playwright-core with a fresh
// profile per browser, screenshots under tests/e2e/screenshots/, and signing in through the page.
//
// UNYO_E2E_SERVE_DIST=1 puts a small proxy in front of the server that serves web/dist from disk
// and forwards /api/ (streams included) to it: for trying console changes against a binary built
// before them, without a C++ rebuild. The default, and `make test`, use the binary alone.

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { ApiClient, type Role } from '../../web/src/api/client.ts';
import { REPO_ROOT, UnyoServer } from '../api/harness.ts';
import { signInAdmin, strongPassword, unique, type SignedIn } from '../api/helpers.ts';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const CHROMIUM = process.env['UNYO_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
];
/** How long an expectation on the page may take before it fails (the console answers in ms). */
export const UI_TIMEOUT_MS = 10_000;

const profiles = new Set<string>();
process.on('exit', () => {
    for (const dir of profiles) {
        rmSync(dir, { recursive: true, force: true });
    }
});

/** A Chromium with a fresh profile (own cookies and storage): one person at one computer. */
export async function openBrowser(viewport = { width: 1440, height: 900 }): Promise<BrowserContext> {
    const profile = await mkdtemp(path.join(tmpdir(), 'unyo-e2e-profile-'));
    profiles.add(profile);
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport,
        locale: 'ja-JP',
        timezoneId: 'Asia/Tokyo',
        acceptDownloads: true,
    });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(UI_TIMEOUT_MS);
    profileOf.set(context, profile);
    return context;
}

const profileOf = new WeakMap<BrowserContext, string>();

/** Closes a browser from openBrowser() and removes its profile. */
export async function closeBrowser(context: BrowserContext): Promise<void> {
    await context.close();
    const profile = profileOf.get(context);
    if (profile) {
        await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
        profiles.delete(profile);
    }
}

/** The context's first page (a persistent context opens with one). */
export async function firstPage(context: BrowserContext): Promise<Page> {
    return context.pages()[0] ?? (await context.newPage());
}

/** Saves a full-page screenshot as tests/e2e/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Serves web/dist and forwards the server's own paths to `target` (see the header). */
function distProxy(target: string): Promise<{ url: string; close: () => Promise<void> }> {
    const dist = path.join(REPO_ROOT, 'web', 'dist');
    const upstream = new URL(target);
    const types: Record<string, string> = {
        '.html': 'text/html; charset=utf-8',
        '.js': 'text/javascript; charset=utf-8',
        '.css': 'text/css; charset=utf-8',
        '.svg': 'image/svg+xml',
    };
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (/^\/(api\/|healthz$|readyz$|metrics$)/.test(url.pathname)) {
            const forward = http.request(
                { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
                (answer) => {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            forward.on('error', () => res.destroy());
            res.on('close', () => forward.destroy());
            req.pipe(forward);
            return;
        }
        // Like the server: the file, else index.html for a path without an extension, else 404.
        const file = path.join(dist, path.normalize(url.pathname === '/' ? '/index.html' : url.pathname));
        const index = path.join(dist, 'index.html');
        const fallback = path.extname(file) === '' ? index : null;
        readFile(file.startsWith(dist + path.sep) ? file : index)
            .then((body) => ({ body, name: file }))
            .catch(() => (fallback ? readFile(fallback).then((body) => ({ body, name: fallback })) : Promise.reject()))
            .then(
                ({ body, name }) => {
                    res.writeHead(200, { 'Content-Type': types[path.extname(name)] ?? 'application/octet-stream' });
                    res.end(body);
                },
                () => {
                    res.writeHead(404);
                    res.end();
                },
            );
    });
    return new Promise((resolve) => {
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            resolve({
                url: `http://127.0.0.1:${port}`,
                close: () =>
                    new Promise<void>((done) => {
                        server.closeAllConnections();
                        server.close(() => done());
                    }),
            });
        });
    });
}

export interface ConsoleFixture {
    server: UnyoServer;
    /** Where the console is opened: the server itself (or the proxy, see the header). */
    readonly url: string;
    /** The admin signed in through the API (for arranging data and checking results). */
    readonly admin: SignedIn;
    /** A client of the same server that is not signed in. */
    anonymous(): ApiClient;
}

/**
 * Starts a fresh server for the calling suite and signs the admin in through the API. Call inside
 * the file's top-level describe() (see harness.ts on hook registration).
 */
export function useConsole(): ConsoleFixture {
    const server = new UnyoServer();
    let url = '';
    let admin: SignedIn | null = null;
    let proxy: { url: string; close: () => Promise<void> } | null = null;
    before(async () => {
        await server.start();
        url = server.baseUrl;
        if (process.env['UNYO_E2E_SERVE_DIST'] === '1') {
            proxy = await distProxy(server.baseUrl);
            url = proxy.url;
        }
        const index = await fetch(`${url}/`);
        const html = await index.text();
        assert.ok(
            index.status === 200 && html.includes('<div id="app">'),
            `GET / should answer the console's index.html (got ${index.status}); build the console ` +
                `(cd web && npm run build) before the binary, or set UNYO_E2E_SERVE_DIST=1`,
        );
        admin = await signInAdmin(server);
    });
    after(async () => {
        await proxy?.close();
        await server.dispose();
    });
    return {
        server,
        get url() {
            return url;
        },
        get admin() {
            assert.ok(admin, 'the server is not started');
            return admin;
        },
        anonymous: () => new ApiClient({ baseUrl: server.baseUrl }),
    };
}

/** Opens the console at `pathname` and signs in through the sign-in form. */
export async function signInPage(page: Page, base: string, login: string, password: string, pathname = '/'): Promise<void> {
    await page.goto(base + pathname);
    await page.getByLabel('ログイン名').fill(login);
    await page.getByLabel('パスワード', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.getByRole('button', { name: 'ログアウト' }).waitFor();
}

/**
 * As a new user with `role` (in the first organisation), in a browser of their own signed in at
 * `pathname`: runs `use(page)`, then closes the browser.
 */
export async function asNewUser(
    app: ConsoleFixture,
    role: Role,
    displayName: string,
    pathname: string,
    use: (page: Page) => Promise<void>,
): Promise<void> {
    const org = (await app.admin.client.listOrganizations()).items[0];
    assert.ok(org, 'an organisation to put the user in');
    const login = unique(role);
    const password = strongPassword();
    await app.admin.client.createUser({ login, display_name: displayName, organization_id: org.id, roles: [role], password });
    const browser = await openBrowser();
    try {
        const page = await firstPage(browser);
        await signInPage(page, app.url, login, password, pathname);
        await use(page);
    } finally {
        await closeBrowser(browser);
    }
}

export interface SuitePage {
    readonly browser: BrowserContext;
    readonly page: Page;
}

/**
 * For the calling suite: a fresh browser signed in as the admin at `pathname`, ready once the page's
 * `heading` shows; opened before the suite's tests and closed after them. Call inside the file's
 * top-level describe(), after useConsole().
 */
export function useAdminPage(app: ConsoleFixture, pathname: string, heading: string): SuitePage {
    let browser: BrowserContext | null = null;
    let page: Page | null = null;
    before(async () => {
        browser = await openBrowser();
        page = await firstPage(browser);
        await signInPage(page, app.url, app.server.adminLogin, app.server.adminPassword, pathname);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    });
    after(async () => {
        if (browser) {
            await closeBrowser(browser);
        }
    });
    return {
        get browser() {
            assert.ok(browser, 'the browser is not open');
            return browser;
        },
        get page() {
            assert.ok(page, 'the browser is not open');
            return page;
        },
    };
}

/** `YYYY/MM/DD HH:mm` in Japan time, as the console shows instants (worked out here, not by the console's code). */
export function tokyoDateTime(instant: string): string {
    const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: 'Asia/Tokyo',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
    }).formatToParts(new Date(instant));
    const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}/${get('month')}/${get('day')} ${get('hour')}:${get('minute')}`;
}
