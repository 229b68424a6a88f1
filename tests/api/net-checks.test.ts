// The network checks through the real engine against real local peers: https with TLS
// verification and redirects, tls_cert (days left, issuer, name), dns, ntp, icmp, smtp and ftp
// greetings, the PostgreSQL handshake (the test cluster) and the MySQL greeting.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { useServer } from './harness.ts';
import { errorFields, expectJson, expectProblem, sendJson, signInAdmin, type SignedIn } from './helpers.ts';
import { until } from './smtp-sink.ts';

interface Status { state: string; last_value: number | null; message: string }
interface Monitor { id: number; name: string; status: Status | null }

// A CA, and a server certificate it signed for localhost and 127.0.0.1, valid for 10 days.
function makeCertificates(dir: string) {
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '60', '-subj', '/CN=unyo test CA');
    openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
        '-out', 'server.crt', '-days', '10', '-extfile', 'ext.cnf');
    return { ca: path.join(dir, 'ca.crt'), key: fs.readFileSync(path.join(dir, 'server.key')),
        cert: fs.readFileSync(path.join(dir, 'server.crt')) };
}

function listen(server: net.Server): Promise<number> {
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

function bindUdp(socket: dgram.Socket): Promise<number> {
    return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)));
}

// A server that writes `greeting` to each connection (and, for PostgreSQL-like ones, nothing else).
function greeter(greeting: Buffer | string): net.Server {
    return net.createServer((s) => {
        s.on('error', () => {});
        s.write(greeting);
        s.on('data', () => s.end());
    });
}

// DNS: juki.city.example.jp A 192.0.2.10; every other name NXDOMAIN.
function dnsServer(): dgram.Socket {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (q, peer) => {
        let at = 12;
        const labels: string[] = [];
        while (q[at] !== 0) {
            labels.push(q.subarray(at + 1, at + 1 + q[at]!).toString());
            at += 1 + q[at]!;
        }
        const question = q.subarray(12, at + 5);
        const known = labels.join('.') === 'juki.city.example.jp' && q.readUInt16BE(at + 1) === 1;
        const header = Buffer.from([q[0]!, q[1]!, 0x81, known ? 0x80 : 0x83, 0, 1, 0, known ? 1 : 0, 0, 0, 0, 0]);
        const answer = known ? Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10]) : Buffer.alloc(0);
        socket.send(Buffer.concat([header, question, answer]), peer.port, peer.address);
    });
    return socket;
}

// SNTP whose clock is 3 s ahead of ours.
function ntpServer(): dgram.Socket {
    const socket = dgram.createSocket('udp4');
    const stamp = (buf: Buffer, at: number, unixMs: number) => {
        const s = Math.floor(unixMs / 1000);
        buf.writeUInt32BE(s + 2208988800, at);
        buf.writeUInt32BE(Math.floor(((unixMs - s * 1000) / 1000) * 2 ** 32), at + 4);
    };
    socket.on('message', (req, peer) => {
        const reply = Buffer.alloc(48);
        reply[0] = (4 << 3) | 4;  // version 4, server
        reply[1] = 2;
        req.copy(reply, 24, 40, 48);  // originate = the client's transmit
        const now = Date.now() + 3000;
        stamp(reply, 32, now);
        stamp(reply, 40, now);
        socket.send(reply, peer.port, peer.address);
    });
    return socket;
}

function mysqlGreeting(): Buffer {
    const payload = Buffer.concat([Buffer.from([10]), Buffer.from('10.11.6-MariaDB\0'), Buffer.from([1, 0, 0, 0])]);
    return Buffer.concat([Buffer.from([payload.length, 0, 0, 0]), payload]);
}

describe('network monitors', () => {
    const server = useServer();
    let admin: SignedIn;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unyo-net-'));
    const closers: (() => void)[] = [];
    const ports: Record<string, number> = {};
    let ca = '';

    before(async () => {
        admin = await signInAdmin(server);
        const certs = makeCertificates(dir);
        ca = certs.ca;
        const web = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
            if (req.url === '/old') {
                res.writeHead(301, { location: '/' }).end();
            } else {
                res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>住民票システム 稼働中</h1>');
            }
        });
        ports['https'] = await listen(web);
        // A small site: / → /guide/ (→ ../forms/apply.html, a broken image, a page that fails), an
        // external link that is not followed, and /old that redirects.
        const site: Record<string, [number, string]> = {
            '/': [200, '<a href="/guide/">案内</a> <a href="/old">旧</a> <a href="http://192.0.2.1/">外部</a> <a href="mailto:a@b.jp">m</a>'],
            '/guide/': [200, '<a href="../forms/apply.html">申請</a><img src="img/missing.png"><a href="/error">障害</a>'],
            '/forms/apply.html': [200, '<a href="/deeper-than-the-depth">深い</a>'],
            '/new': [200, 'ok'],
            '/error': [500, 'internal error'],
        };
        const pages = http.createServer((req, res) => {
            if (req.url === '/old') return void res.writeHead(302, { location: '/new' }).end();
            const [status, body] = site[req.url ?? ''] ?? [404, 'not found'];
            res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
        });
        ports['site'] = await listen(pages);
        closers.push(() => pages.close());
        const servers: Record<string, net.Server> = {
            smtp: greeter('220 mail.city.example.jp ESMTP\r\n'),
            smtpBusy: greeter('421 too busy\r\n'),
            ftp: greeter('220-Welcome to the city FTP\r\n220 ready\r\n'),
            mysql: greeter(mysqlGreeting()),
            ssh: greeter('SSH-2.0-OpenSSH_9.2\r\n'),
        };
        for (const [name, s] of Object.entries(servers)) ports[name] = await listen(s);
        const dns = dnsServer();
        const ntp = ntpServer();
        ports['dns'] = await bindUdp(dns);
        ports['ntp'] = await bindUdp(ntp);
        closers.push(() => web.close(), () => dns.close(), () => ntp.close(),
            ...Object.values(servers).map((s) => () => s.close()));
    });

    after(() => {
        for (const close of closers) close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const json = <T>(method: string, p: string, body?: unknown, status = 200) =>
        expectJson<T>(server, admin, method, p, body, status);

    async function decided(names: string[]): Promise<Map<string, Status>> {
        return until('every monitor decided', async () => {
            const { items } = await json<{ items: Monitor[] }>('GET', '/api/v1/monitors');
            const mine = items.filter((m) => names.includes(m.name));
            return mine.length === names.length && mine.every((m) => m.status && m.status.state !== 'pending')
                ? new Map(mine.map((m) => [m.name, m.status!])) : undefined;
        }, 20_000);
    }

    async function create(prefix: string, monitors: { name: string; type: string; target: object; [k: string]: unknown }[]) {
        const common = { service: prefix, interval_s: 2, timeout_ms: 1500, retries: 1 };
        for (const m of monitors) await json('POST', '/api/v1/monitors', { ...common, ...m, name: `${prefix} ${m.name}` }, 201);
        const states = await decided(monitors.map((m) => `${prefix} ${m.name}`));
        return (name: string) => states.get(`${prefix} ${name}`)!;
    }

    test('bad network targets are refused naming the member', async () => {
        const cases: [object, string[]][] = [
            [{ type: 'http', target: { url: 'ftp://x' } }, ['target.url']],
            [{ type: 'http', target: { url: 'https://x', tls_verify: 'no', ca_file: 'ca.crt' } }, ['target.ca_file', 'target.tls_verify']],
            [{ type: 'dns', target: { name: 'x.jp', record_type: 'SRV' } }, ['target.record_type']],
            [{ type: 'icmp', target: { host: 'x', count: 50 } }, ['target.count']],
            [{ type: 'smtp', target: { port: 70000 } }, ['target.host', 'target.port']],
            [{ type: 'tls_cert', target: { host: 'x' }, warning: 7, critical: 30 }, ['warning']],
        ];
        for (const [body, fields] of cases) {
            const p = await expectProblem(await sendJson(server, admin, 'POST', '/api/v1/monitors', { name: 'x', ...body }), 422);
            assert.deepEqual(errorFields(p).sort(), fields, JSON.stringify(body));
        }
    });

    test('https: verified against the CA, redirects followed, failures named', async () => {
        const base = `https://127.0.0.1:${ports['https']}`;
        const state = await create('HTTPS', [
            { name: '検証あり', type: 'http', target: { url: `${base}/`, ca_file: ca, keyword: '稼働中' } },
            { name: 'リダイレクト', type: 'http', target: { url: `${base}/old`, ca_file: ca, keyword: '住民票' } },
            { name: 'リダイレクトを追わない', type: 'http', target: { url: `${base}/old`, ca_file: ca, follow_redirects: false, expect_status: 200 } },
            { name: 'localhost 名で検証', type: 'http', target: { url: `https://localhost:${ports['https']}/`, ca_file: ca } },
            { name: '信頼されない証明書', type: 'http', target: { url: `${base}/` } },
            { name: '検証しない', type: 'http', target: { url: `${base}/`, tls_verify: false } },
        ]);
        for (const name of ['検証あり', 'リダイレクト', 'localhost 名で検証', '検証しない']) {
            assert.equal(state(name).state, 'ok', `${name}: ${state(name).message}`);
            assert.match(state(name).message, /^HTTP 200 /);
        }
        assert.equal(state('リダイレクトを追わない').state, 'critical');
        assert.match(state('リダイレクトを追わない').message, /HTTP 301$/);
        assert.equal(state('信頼されない証明書').state, 'critical');
        assert.match(state('信頼されない証明書').message, /証明書を検証できません \(.*certificate.*\)/);
    });

    test('links: the site crawled to its depth, broken links and page errors named', async () => {
        const url = `http://127.0.0.1:${ports['site']}/`;
        const state = await create('リンク', [
            { name: '深さ 2', type: 'links', target: { url, depth: 2 } },
            { name: '深さ 0', type: 'links', target: { url, depth: 0 } },
            { name: '上限 3 ページ', type: 'links', target: { url, depth: 2, max_pages: 3 } },
            { name: '開始ページ不在', type: 'links', target: { url: `${url}nowhere` } },
        ]);
        const deep = state('深さ 2');
        assert.equal(deep.state, 'warning', deep.message);
        assert.equal(deep.last_value, 2);
        assert.equal(deep.message, '6 ページ確認, 壊れたリンク 2 件: /guide/img/missing.png (HTTP 404), /error (HTTP 500)');
        assert.deepEqual([state('深さ 0').state, state('深さ 0').message], ['ok', '1 ページ確認, 壊れたリンクなし']);
        assert.match(state('上限 3 ページ').message, /^3 ページ確認, 壊れたリンクなし \(上限 3 ページまたは時間で打ち切り\)$/);
        assert.equal(state('開始ページ不在').state, 'critical');
        assert.match(state('開始ページ不在').message, /nowhere: HTTP 404$/);
    });

    test('tls_cert: days left graded (lower is worse), issuer and name told', async () => {
        const state = await create('証明書', [
            { name: '既定の閾値', type: 'tls_cert', target: { host: '127.0.0.1', port: ports['https'], ca_file: ca } },
            { name: '厳しい閾値', type: 'tls_cert', target: { host: '127.0.0.1', port: ports['https'], ca_file: ca }, warning: 40, critical: 20 },
            { name: '名前違い', type: 'tls_cert', target: { host: '127.0.0.1', port: ports['https'], ca_file: ca, server_name: 'www.other.example.jp' } },
            { name: '信頼されない', type: 'tls_cert', target: { host: '127.0.0.1', port: ports['https'] } },
            { name: '検証しない', type: 'tls_cert', target: { host: '127.0.0.1', port: ports['https'], tls_verify: false } },
        ]);
        const days = state('既定の閾値');
        assert.equal(days.state, 'warning', `10 days left is under the default 30: ${days.message}`);
        assert.ok(days.last_value! > 9.9 && days.last_value! <= 10, `about 10 days left (${days.last_value})`);
        assert.match(days.message, /残り 10\.0 日\), 発行者 unyo test CA$/);
        assert.equal(state('厳しい閾値').state, 'critical');
        assert.equal(state('名前違い').state, 'critical');
        assert.match(state('名前違い').message, /^証明書に名前 www\.other\.example\.jp がありません/);
        assert.equal(state('信頼されない').state, 'critical');
        assert.match(state('信頼されない').message, /^証明書を検証できません/);
        assert.equal(state('検証しない').state, 'warning', 'without verification only the days count');
    });

    test('dns, ntp and icmp', async () => {
        const dns = { server: '127.0.0.1', port: ports['dns'] };
        const state = await create('UDP', [
            { name: 'DNS', type: 'dns', target: { ...dns, name: 'juki.city.example.jp', expect: '192.0.2.10' } },
            { name: 'DNS 期待違い', type: 'dns', target: { ...dns, name: 'juki.city.example.jp', expect: '192.0.2.99' } },
            { name: 'DNS 存在しない', type: 'dns', target: { ...dns, name: 'nowhere.example.jp' } },
            { name: 'NTP', type: 'ntp', target: { host: '127.0.0.1', port: ports['ntp'] } },
            { name: 'NTP 応答なし', type: 'ntp', target: { host: '127.0.0.1', port: ports['smtp'] } },
            { name: 'ping', type: 'icmp', target: { host: '127.0.0.1', count: 2 } },
            { name: 'ping IPv6', type: 'icmp', target: { host: '::1', count: 2 } },
            { name: 'ping 応答なし', type: 'icmp', target: { host: '203.0.113.77', count: 1 } },
        ]);
        assert.equal(state('DNS').state, 'ok', state('DNS').message);
        assert.match(state('DNS').message, /^DNS juki\.city\.example\.jp A \(127\.0\.0\.1\): 192\.0\.2\.10 /);
        assert.equal(state('DNS 期待違い').state, 'critical');
        assert.match(state('DNS 期待違い').message, /192\.0\.2\.99 がありません \(応答: 192\.0\.2\.10\)/);
        assert.equal(state('DNS 存在しない').state, 'critical');
        assert.match(state('DNS 存在しない').message, /NXDOMAIN$/);
        const ntp = state('NTP');
        assert.equal(ntp.state, 'warning', `3 s ahead is over the default 1 s: ${ntp.message}`);
        assert.ok(Math.abs(ntp.last_value! - 3000) < 200, `offset about 3000 ms (${ntp.last_value})`);
        assert.match(ntp.message, /時刻差 \+\d+\.\d ms \(stratum 2/);
        assert.equal(state('NTP 応答なし').state, 'critical');
        assert.equal(state('ping').state, 'ok', state('ping').message);
        assert.match(state('ping').message, /損失 0% \(2\/2\)/);
        assert.equal(state('ping IPv6').state, 'ok', state('ping IPv6').message);
        assert.match(state('ping IPv6').message, /^ping ::1: 平均 \d+\.\d+ ms, 損失 0% \(2\/2\)$/);
        assert.equal(state('ping 応答なし').state, 'critical');
        assert.match(state('ping 応答なし').message, /応答なし \(1 回送信\)/);
    });

    test('smtp, ftp, postgres and mysql greetings', async () => {
        const pg = new URL(process.env['UNYO_TEST_PG_URL'] ?? 'postgresql://127.0.0.1:5432/none');
        const state = await create('TCP', [
            { name: 'SMTP', type: 'smtp', target: { host: '127.0.0.1', port: ports['smtp'] } },
            { name: 'SMTP 421', type: 'smtp', target: { host: '127.0.0.1', port: ports['smtpBusy'] } },
            { name: 'FTP', type: 'ftp', target: { host: '127.0.0.1', port: ports['ftp'] } },
            { name: 'MySQL', type: 'mysql', target: { host: '127.0.0.1', port: ports['mysql'] } },
            { name: 'MySQL ではない', type: 'mysql', target: { host: '127.0.0.1', port: ports['ssh'] } },
            { name: 'PostgreSQL', type: 'postgres', target: { host: pg.hostname, port: Number(pg.port) } },
        ]);
        assert.equal(state('SMTP').state, 'ok', state('SMTP').message);
        assert.match(state('SMTP').message, /^SMTP \d+\.\d ms: 220 mail\.city\.example\.jp ESMTP$/);
        assert.equal(state('SMTP 421').state, 'critical');
        assert.match(state('SMTP 421').message, /の応答: 421 too busy$/);
        assert.equal(state('FTP').state, 'ok', state('FTP').message);
        assert.match(state('FTP').message, /: 220 ready$/, 'a multi-line greeting is read to its end');
        assert.equal(state('MySQL').state, 'ok');
        assert.match(state('MySQL').message, /^MySQL 10\.11\.6-MariaDB 応答/);
        assert.equal(state('MySQL ではない').state, 'critical');
        if (process.env['UNYO_TEST_PG_URL']) {
            assert.equal(state('PostgreSQL').state, 'ok', state('PostgreSQL').message);
            assert.match(state('PostgreSQL').message, /^PostgreSQL 応答 /);
        } else {
            assert.equal(state('PostgreSQL').state, 'critical', 'no cluster at the default port here');
        }
    });
});
