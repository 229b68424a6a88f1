// Starts a real `unyo serve` for one test file: a fresh data directory, `unyo init` (which prints
// `admin password: <pw>` on stdout), then `serve` on 127.0.0.1 with an OS-chosen port, ready once
// it prints `listening on http://HOST:PORT` on stdout. `useServer()` registers the before/after
// hooks: after() always kills the server and removes the directory, and exit/signal hooks do the
// same if the test process ends early. Only a SIGKILL of the test process itself can leave one.
//
// UNYO_BIN selects the binary (default <repo>/build/unyo). UNYO_KEEP_DATA=1 keeps the data dirs.
// UNYO_API_PG_URL (a PostgreSQL server's URL, e.g. scripts/pg's) puts each server's data in a
// fresh database made there instead of the embedded SQLite.

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const UNYO_BIN = process.env['UNYO_BIN'] ?? path.join(REPO_ROOT, 'build', 'unyo');

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 15_000;
const CLI_TIMEOUT_MS = 30_000;
const LOG_LINES_KEPT = 200;

const KEEP_DATA = process.env['UNYO_KEEP_DATA'] === '1';
export const API_PG_URL = process.env['UNYO_API_PG_URL'];

// Servers of this process still running, and data directories not yet removed: cleaned up if the
// process exits or is told to stop before after() ran.
const live = new Set<ChildProcess>();
const dataDirs = new Set<string>();
function killAll(): void {
    for (const child of live) {
        child.kill('SIGKILL');
    }
    live.clear();
    for (const dir of KEEP_DATA ? [] : dataDirs) {
        rmSync(dir, { recursive: true, force: true });
    }
    dataDirs.clear();
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
        killAll();
        process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
}

export interface CliResult {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

/** A new, empty database on the PostgreSQL server of `url`; its URL. */
export async function freshDatabase(url: string): Promise<string> {
    const name = `unyo_api_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    await new Promise<void>((resolve, reject) => {
        const child = spawn('psql', [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql could not create ${name}: ${err}`))));
    });
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
}

/** Runs `unyo <args>` to completion (killed after 30 s). */
export function runUnyo(args: string[], timeoutMs = CLI_TIMEOUT_MS): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(UNYO_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        live.add(child);
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
        child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('error', (err) => {
            clearTimeout(timer);
            live.delete(child);
            reject(new Error(`cannot run ${UNYO_BIN} ${args.join(' ')}: ${err.message}`));
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            live.delete(child);
            resolve({ code, signal, stdout, stderr });
        });
    });
}

interface Exit {
    code: number | null;
    signal: NodeJS.Signals | null;
}

export class UnyoServer {
    dataDir = '';
    adminPassword = '';
    readonly adminLogin = 'admin';
    private url = '';
    private child: ChildProcess | null = null;
    private exited: Promise<Exit> | null = null;
    private readonly log: string[] = [];

    /** `http://127.0.0.1:PORT` of the running server (changes on restart). */
    get baseUrl(): string {
        assert.ok(this.url !== '', 'the server is not running');
        return this.url;
    }

    get running(): boolean {
        return this.child !== null;
    }

    /** The last lines the server printed, for failure messages. */
    recentOutput(): string {
        return this.log.join('\n');
    }

    /** Creates the data directory, runs `unyo init` and starts `unyo serve`. */
    async start(): Promise<void> {
        this.dataDir = await mkdtemp(path.join(tmpdir(), 'unyo-api-'));
        dataDirs.add(this.dataDir);
        const args = ['init', '--data-dir', this.dataDir, '--admin-login', this.adminLogin];
        if (API_PG_URL) args.push('--database', await freshDatabase(API_PG_URL));
        const init = await runUnyo(args);
        assert.equal(init.code, 0, `unyo init failed (${init.code ?? init.signal}):\n${init.stdout}\n${init.stderr}`);
        const match = /^admin password: (\S+)$/m.exec(init.stdout);
        assert.ok(
            match?.[1],
            `unyo init printed no "admin password: <pw>" line on stdout:\n--- stdout ---\n${init.stdout}\n--- stderr ---\n${init.stderr}`,
        );
        this.adminPassword = match[1];
        await this.serve();
    }

    /** Starts `unyo serve` on the existing data directory and waits for "listening on". */
    private async serve(): Promise<void> {
        assert.equal(this.child, null, 'the server is already running');
        this.log.length = 0;
        const child = spawn(UNYO_BIN, ['serve', '--data-dir', this.dataDir, '--listen', '127.0.0.1:0'], {
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        live.add(child);
        this.child = child;
        this.exited = new Promise<Exit>((resolve) => {
            child.on('exit', (code, signal) => {
                live.delete(child);
                resolve({ code, signal });
            });
        });

        const listening = new Promise<string>((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`unyo serve did not print "listening on" within ${START_TIMEOUT_MS} ms`)),
                START_TIMEOUT_MS,
            );
            const onLine = (line: string, stream: 'stdout' | 'stderr'): void => {
                this.log.push(`[${stream}] ${line}`);
                if (this.log.length > LOG_LINES_KEPT) {
                    this.log.shift();
                }
                const m = /\blistening on (http:\/\/[^\s/]+)/.exec(line);
                if (stream === 'stdout' && m?.[1]) {
                    clearTimeout(timer);
                    resolve(m[1]);
                }
            };
            for (const [name, stream] of [
                ['stdout', child.stdout],
                ['stderr', child.stderr],
            ] as const) {
                let pending = '';
                stream!.setEncoding('utf8').on('data', (chunk: string) => {
                    pending += chunk;
                    const lines = pending.split('\n');
                    pending = lines.pop() ?? '';
                    lines.forEach((line) => onLine(line, name));
                });
            }
            child.on('error', (err) => {
                clearTimeout(timer);
                reject(new Error(`cannot run ${UNYO_BIN}: ${err.message}`));
            });
            child.on('exit', (code, signal) => {
                clearTimeout(timer);
                reject(new Error(`unyo serve exited (${code ?? signal}) before listening`));
            });
        });

        try {
            this.url = await listening;
        } catch (err) {
            await this.kill9();
            throw new Error(`${(err as Error).message}\n--- server output ---\n${this.recentOutput()}`);
        }
    }

    /** SIGTERM, waits for the exit and asserts a clean one (code 0). */
    async stop(): Promise<void> {
        const child = this.child;
        assert.ok(child && this.exited, 'the server is not running');
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
        });
        const result = await Promise.race([this.exited, timeout]);
        clearTimeout(timer);
        if (result === 'timeout') {
            await this.kill9();
            assert.fail(`unyo serve did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM\n${this.recentOutput()}`);
        }
        this.reset();
        assert.deepEqual(
            result,
            { code: 0, signal: null },
            `unyo serve should exit 0 on SIGTERM\n--- server output ---\n${this.recentOutput()}`,
        );
    }

    /** SIGKILL: a crash. */
    async kill9(): Promise<void> {
        if (!this.child || !this.exited) {
            return;
        }
        this.child.kill('SIGKILL');
        await this.exited;
        this.reset();
    }

    /** Stops the server if it runs (cleanly, asserted), then serves the same data directory again. */
    async restart(): Promise<void> {
        if (this.child) {
            await this.stop();
        }
        await this.serve();
    }

    /** Kills the server if it still runs and removes the data directory. */
    async dispose(): Promise<void> {
        await this.kill9();
        if (this.dataDir !== '' && !KEEP_DATA) {
            await rm(this.dataDir, { recursive: true, force: true });
            dataDirs.delete(this.dataDir);
        }
    }

    private reset(): void {
        this.child = null;
        this.exited = null;
        this.url = '';
    }
}

/**
 * One server for the calling suite, started in before() and always disposed in after(). Call it
 * inside the file's top-level describe(): on Node 20, hooks registered at the file's top level run
 * once per child suite, not once per file.
 */
export function useServer(): UnyoServer {
    const server = new UnyoServer();
    before(async () => {
        await server.start();
    });
    after(async () => {
        await server.dispose();
    });
    return server;
}
