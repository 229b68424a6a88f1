// What the tests that send mail share: free loopback ports, polling until something happens, and an
// SMTP sink (Debian's python3-aiosmtpd writing a Maildir) whose mails can be read back.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A TCP port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const port = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}

/** Polls `probe` every 200 ms until it answers something; fails after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 200));
    }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The decoded subject of a raw mail (unyo writes it as RFC 2047 base64 UTF-8). */
export function subject(mail: string): string {
    const m = /^Subject: =\?UTF-8\?B\?([^?]+)\?=/m.exec(mail);
    return m ? Buffer.from(m[1] ?? '', 'base64').toString('utf8') : '';
}

/** The envelope recipients aiosmtpd records in each mail's X-RcptTo header. */
export function envelopeTo(mail: string): string[] {
    const m = /^X-RcptTo: (.*)$/m.exec(mail);
    return m ? (m[1] ?? '').split(',').map((a) => a.trim()).filter(Boolean) : [];
}

/** An SMTP server on loopback keeping every mail it accepts. */
export class SmtpSink {
    private process: ChildProcess | null = null;
    private dir = '';
    port = 0;

    async start(): Promise<void> {
        this.dir = path.join(await mkdtemp(path.join(tmpdir(), 'unyo-mail-')), 'box');
        this.port = await freePort();
        this.process = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${this.port}`, '-c',
            'aiosmtpd.handlers.Mailbox', this.dir], { stdio: 'ignore' });
        await until('the SMTP sink', async () =>
            new Promise<true | undefined>((resolve) => {
                const s = net.connect(this.port, '127.0.0.1', () => {
                    s.destroy();
                    resolve(true);
                });
                s.on('error', () => resolve(undefined));
            }),
        );
    }

    async stop(): Promise<void> {
        this.process?.kill();
        if (this.dir) await rm(path.dirname(this.dir), { recursive: true, force: true });
    }

    /** The body of a notification channel that mails to this sink (to unyo-ops@example.lg.jp). */
    channel(name = '運用担当メール'): Record<string, unknown> {
        return { name, type: 'smtp', host: '127.0.0.1', port: this.port, from: 'unyo@example.lg.jp', to: ['unyo-ops@example.lg.jp'] };
    }

    /** Every mail accepted so far, raw. */
    async mails(): Promise<string[]> {
        try {
            const files = await readdir(path.join(this.dir, 'new'));
            return Promise.all(files.map((f) => readFile(path.join(this.dir, 'new', f), 'utf8')));
        } catch {
            return [];
        }
    }
}
