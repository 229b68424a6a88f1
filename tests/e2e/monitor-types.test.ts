// The monitor form for every type the server checks: a TLS certificate (days left, lower is worse:
// the thresholds say so, and a warning below the critical is refused at the warning), a DNS record
// of a chosen type (changed later on the monitor's page), a log of received syslog (its members
// appear only for syslog; a bad RE2 is refused at the pattern), an HTTP check that does not follow
// redirects, a site checked for broken links (a depth out of range is refused at the depth), and a
// Nagios plugin added by the admin one argument a line (a relative plugin path is refused at the
// plugin). An operator is not offered the command type and reads a command monitor without being
// able to change it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { Page } from 'playwright-core';

import { ApiError } from '../../web/src/api/client.ts';
import { unique } from '../api/helpers.ts';
import { freePort } from '../api/smtp-sink.ts';
import { asNewUser, screenshot, useAdminPage, useConsole } from './console.ts';

describe('console monitor types', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/monitors', '監視の状態');
    let commandId = 0;

    /** The add form with `name` typed and `type` chosen. */
    async function newMonitor(page: Page, name: string, type: string): Promise<void> {
        await page.goto(`${app.url}/monitors/new`);
        await page.getByRole('heading', { name: '監視の追加', level: 1 }).waitFor();
        await page.getByLabel('監視名').fill(name);
        await page.getByLabel('種類').selectOption(type);
    }

    /** Saves the form and answers the new monitor's id once its page shows. */
    async function save(page: Page, name: string): Promise<number> {
        await page.getByRole('button', { name: '登録' }).click();
        await page.getByText(`監視「${name}」を登録しました。`).waitFor();
        const path = new URL(page.url()).pathname;
        assert.match(path, /^\/monitors\/\d+$/);
        return Number(path.split('/')[2]);
    }

    test('a TLS certificate: thresholds are days left, and a warning below the critical is refused at the warning', async () => {
        const page = suite.page;
        const name = `住基 Web 証明書 ${unique('m')}`;
        await newMonitor(page, name, 'tls_cert');
        assert.equal(await page.getByLabel('警告のしきい値', { exact: false }).count(), 0, 'not the general labels');
        const warning = page.getByLabel('残り日数がこれ以下で警告 (日)');
        const critical = page.getByLabel('残り日数がこれ以下で異常 (日)');
        await warning.waitFor();
        await critical.waitFor();
        await page.locator('#mon-warning-hint').getByText('空欄なら 30 日で警告、7 日で異常').waitFor();
        assert.equal(await page.getByLabel('URL', { exact: true }).count(), 0, 'only the fields of the chosen type');
        await page.getByLabel('ホスト', { exact: true }).fill('127.0.0.1');
        await page.locator('#mon-target-port-hint').getByText('空欄なら 443').waitFor();
        const port = await freePort();
        await page.getByLabel('ポート', { exact: true }).fill(String(port));
        await page.getByLabel('証明書の名前').fill('www.city.example.lg.jp');
        const verify = page.getByLabel('証明書を検証する');
        assert.equal(await verify.isChecked(), true, 'verified unless unticked');
        await verify.uncheck();
        await warning.fill('7');
        await critical.fill('30');
        await page.getByRole('button', { name: '登録' }).click();
        const error = page.locator('#mon-warning-error');
        await error.waitFor();
        assert.match(await error.innerText(), /異常のしきい値以上にしてください/);
        assert.equal(await warning.getAttribute('aria-invalid'), 'true');

        await warning.fill('30');
        await critical.fill('7');
        const id = await save(page, name);
        const saved = (await app.admin.client.getMonitor(id)).data;
        assert.equal(saved.type, 'tls_cert');
        assert.deepEqual(saved.target, { host: '127.0.0.1', port, server_name: 'www.city.example.lg.jp', tls_verify: false });
        assert.equal(saved.warning, 30);
        assert.equal(saved.critical, 7);
        // The monitor's page says what it checks and keeps the days-left labels.
        const now = page.getByRole('region', { name: '現在の状態' });
        await now.getByText(`TLS 証明書 127.0.0.1:${port} / www.city.example.lg.jp`).waitFor();
        assert.equal(await page.getByLabel('残り日数がこれ以下で警告 (日)').inputValue(), '30');
        assert.equal(await page.getByLabel('証明書を検証する').isChecked(), false);
        await screenshot(page, '79-monitor-tls-cert');
    });

    test('a DNS record of a chosen type; its record type is changed on the monitor page', async () => {
        const page = suite.page;
        const name = `庁内 DNS ${unique('m')}`;
        await newMonitor(page, name, 'dns');
        const type = page.getByLabel('レコードの種類');
        assert.equal(await type.inputValue(), 'A', 'A unless chosen');
        await page.getByLabel('問い合わせる名前').fill('mail.city.example.lg.jp');
        await type.selectOption('MX');
        await page.getByLabel('DNS サーバー').fill('127.0.0.1');
        const port = await freePort();
        await page.getByLabel('ポート', { exact: true }).fill(String(port));
        await page.getByLabel('期待する値').fill('mx1.city.example.lg.jp');
        await page.getByLabel('警告のしきい値 (ミリ秒)').fill('200');
        const id = await save(page, name);
        assert.deepEqual((await app.admin.client.getMonitor(id)).data.target, {
            name: 'mail.city.example.lg.jp',
            record_type: 'MX',
            server: '127.0.0.1',
            port,
            expect: 'mx1.city.example.lg.jp',
        });
        await page.getByRole('region', { name: '現在の状態' }).getByText('DNS mail.city.example.lg.jp MX @127.0.0.1').waitFor();

        await page.getByLabel('レコードの種類').selectOption('AAAA');
        await page.getByLabel('期待する値').fill('');
        await page.getByRole('button', { name: '保存' }).click();
        await page.getByText('保存しました。').waitFor();
        assert.deepEqual((await app.admin.client.getMonitor(id)).data.target, {
            name: 'mail.city.example.lg.jp',
            record_type: 'AAAA',
            server: '127.0.0.1',
            port,
        });
    });

    test('a log of received syslog: host and severity only for syslog; a bad pattern is refused at the pattern', async () => {
        const page = suite.page;
        const name = `基幹 AP エラーログ ${unique('m')}`;
        await newMonitor(page, name, 'log');
        assert.equal(await page.getByLabel('読み取り元').inputValue(), 'file');
        await page.getByLabel('ログファイルのパス').waitFor();
        assert.equal(await page.getByLabel('送信元ホスト').count(), 0, 'no syslog host for a file');
        assert.equal(await page.getByLabel('重大度').count(), 0, 'no severity for a file');
        await page.getByLabel('読み取り元').selectOption('syslog');
        await page.getByLabel('送信元ホスト').fill('app01');
        await page.getByLabel('重大度').selectOption('err');
        assert.equal(await page.getByLabel('ログファイルのパス').count(), 0, 'no file path for syslog');
        assert.equal(await page.getByLabel('初回はファイルの先頭から読む').count(), 0);
        await page.locator('#mon-warning-hint').getByText('空欄なら 1 行でも一致すれば異常').waitFor();
        await page.getByLabel('警告のしきい値 (行)').waitFor();
        await page.getByLabel('検索パターン (RE2)').fill('ERROR(');
        await page.getByRole('button', { name: '登録' }).click();
        const error = page.locator('#mon-target-pattern-error');
        await error.waitFor();
        assert.match(await error.innerText(), /RE2 の正規表現として正しくありません/);
        assert.equal(await page.getByLabel('検索パターン (RE2)').getAttribute('aria-invalid'), 'true');
        assert.equal(await page.locator('#mon-target-host-error').count(), 0, 'the host was fine');
        await screenshot(page, '80-monitor-log-refused');

        await page.getByLabel('検索パターン (RE2)').fill('ERROR|FATAL');
        const id = await save(page, name);
        assert.deepEqual((await app.admin.client.getMonitor(id)).data.target, {
            source: 'syslog',
            host: 'app01',
            severity: 'err',
            pattern: 'ERROR|FATAL',
        });
        await page.getByRole('region', { name: '現在の状態' }).getByText('ログ syslog / app01 / err').waitFor();
    });

    test('an HTTPS check that does not follow redirects', async () => {
        const page = suite.page;
        const name = `電子申請 ${unique('m')}`;
        await newMonitor(page, name, 'http');
        await page.getByLabel('URL', { exact: true }).fill('https://shinsei.city.example.lg.jp/');
        await page.getByLabel('リダイレクトをたどる').uncheck();
        await page.getByLabel('CA 証明書ファイル').fill('/etc/ssl/certs/ca-certificates.crt');
        const id = await save(page, name);
        assert.deepEqual((await app.admin.client.getMonitor(id)).data.target, {
            url: 'https://shinsei.city.example.lg.jp/',
            follow_redirects: false,
            ca_file: '/etc/ssl/certs/ca-certificates.crt',
        });
    });

    test('a site checked for broken links: a depth out of range is refused at the depth', async () => {
        const probe = await app.admin.client
            .createMonitor({ name: unique('probe'), type: 'links', target: { url: 'http://127.0.0.1/', depth: 9 } })
            .then(
                () => assert.fail('a depth of 9 is refused'),
                (err: unknown) => (err instanceof ApiError ? err.problem.errors?.map((e) => e.field) ?? [] : []),
            );
        assert.deepEqual(probe, ['target.depth']);
        const page = suite.page;
        const name = `市ホームページ ${unique('m')}`;
        await newMonitor(page, name, 'links');
        await page.getByLabel('起点の URL').fill('https://www.city.example.lg.jp/');
        await page.getByLabel('たどる階層').fill('9');
        await page.getByLabel('最大ページ数').fill('20');
        await page.getByLabel('警告のしきい値 (件)').waitFor();
        await page.getByRole('button', { name: '登録' }).click();
        const error = page.locator('#mon-target-depth-error');
        await error.waitFor();
        assert.equal(await error.innerText(), '0〜5 階層を入力してください');
        assert.equal(await page.locator('#mon-target-max-pages-error').count(), 0, 'the page count was fine');
        await page.getByLabel('たどる階層').fill('2');
        const id = await save(page, name);
        assert.deepEqual((await app.admin.client.getMonitor(id)).data.target, {
            url: 'https://www.city.example.lg.jp/',
            depth: 2,
            max_pages: 20,
        });
    });

    test('the admin adds a Nagios plugin one argument a line; a relative plugin is refused at the plugin', async () => {
        const page = suite.page;
        const name = `プラグイン監視 ${unique('m')}`;
        await newMonitor(page, name, 'command');
        const command = page.getByLabel('プラグインと引数');
        await command.fill('echo\nOK - 正常 | users=3;5;10');
        await page.getByLabel('環境変数').fill('LANG=C\nTZ=Asia/Tokyo');
        await page.getByLabel('確認間隔 (秒)').fill('2');
        await page.getByLabel('タイムアウト (ミリ秒)').fill('1000');
        await page.getByRole('button', { name: '登録' }).click();
        const error = page.locator('#mon-target-command-error');
        await error.waitFor();
        assert.match(await error.innerText(), /プラグインの絶対パス/);
        assert.equal(await command.getAttribute('aria-invalid'), 'true');

        await command.fill('/bin/echo\nOK - 正常 | users=3;5;10\n');
        commandId = await save(page, name);
        const saved = (await app.admin.client.getMonitor(commandId)).data;
        assert.deepEqual(saved.target, { command: ['/bin/echo', 'OK - 正常 | users=3;5;10'], env: { LANG: 'C', TZ: 'Asia/Tokyo' } });
        assert.equal(await page.getByLabel('プラグインと引数').inputValue(), '/bin/echo\nOK - 正常 | users=3;5;10');
        await page.getByRole('region', { name: '現在の状態' }).getByText('/bin/echo OK - 正常 | users=3;5;10').waitFor();
        await screenshot(page, '81-monitor-command');
    });

    test('an operator is not offered the command type and cannot change a command monitor', async () => {
        assert.ok(commandId > 0, 'the command monitor was added');
        await asNewUser(app, 'operator', '運用 太郎', '/monitors/new', async (page) => {
            await page.getByRole('heading', { name: '監視の追加', level: 1 }).waitFor();
            const offered = await page.locator('#mon-type option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
            assert.ok(offered.includes('tls_cert') && offered.includes('log'), 'the other types are offered');
            assert.equal(offered.includes('command'), false, 'command is for admins only');

            await page.goto(`${app.url}/monitors/${commandId}`);
            await page.getByRole('heading', { name: /^プラグイン監視/, level: 1 }).waitFor();
            assert.equal(await page.getByLabel('プラグインと引数').getAttribute('readonly'), '', 'read only');
            assert.equal(await page.getByLabel('種類').isDisabled(), true);
            assert.equal(await page.getByRole('button', { name: '保存' }).count(), 0, 'nothing to save');
        });
    });
});
