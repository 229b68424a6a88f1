// List exports (?format=csv|xlsx), the live event stream and the console's static fallback.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useServer } from './harness.ts';
import { expectProblem, signInAdmin, unique, type SignedIn } from './helpers.ts';
import { jarFetch } from './cookie-jar.ts';

describe('exports and streams', () => {
    const server = useServer();
    let admin: SignedIn;
    let get: typeof fetch;
    const orgName = `株式会社${unique('出力')}`;

    before(async () => {
        admin = await signInAdmin(server);
        get = jarFetch(admin.jar);
        await admin.client.createOrganization({ name: orgName, kind: 'vendor' });
    });

    test('users and organisations export as UTF-8 CSV with a BOM, CRLF and Japanese titles', async () => {
        const res = await get(`${server.baseUrl}/api/v1/organizations?format=csv`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
        assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="organizations-\d{8}\.csv"/);
        const bytes = new Uint8Array(await res.arrayBuffer());
        assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'BOM');
        const text = new TextDecoder().decode(bytes.slice(3));
        const lines = text.split('\r\n');
        assert.equal(lines[0], 'ID,コード,名称,種別,備考,無効,作成日時,更新日時');
        assert.ok(lines.some((l) => l.includes(orgName) && l.includes('事業者')), text);
        assert.equal(lines.at(-1), '', 'every line ends with CRLF');
    });

    test('CP932 and English are options', async () => {
        const res = await get(`${server.baseUrl}/api/v1/users?format=csv&encoding=cp932&lang=en`);
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /charset=Shift_JIS/);
        const text = new TextDecoder('shift_jis').decode(await res.arrayBuffer());
        assert.ok(text.startsWith('ID,Login,Display name'), text);
        assert.ok(text.includes('管理者'), 'the Japanese display name survives Shift_JIS');
    });

    test('XLSX is a workbook', async () => {
        const res = await get(`${server.baseUrl}/api/v1/audit?format=xlsx`);
        assert.equal(res.status, 200);
        assert.equal(
            res.headers.get('content-type'),
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        );
        const bytes = new Uint8Array(await res.arrayBuffer());
        assert.deepEqual([...bytes.slice(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'zip signature');
    });

    test('the export keeps the list filters and refuses an unknown format', async () => {
        const res = await get(`${server.baseUrl}/api/v1/audit?format=csv&action=organization.create&lang=en`);
        const rows = (await res.text()).split('\r\n').filter((l) => l.length > 0);
        assert.ok(rows.length >= 2);
        assert.ok(rows.slice(1).every((l) => l.includes('organization.create')), rows.join('\n'));
        const bad = await get(`${server.baseUrl}/api/v1/users?format=pdf`);
        const problem = await expectProblem(bad, 400);
        assert.equal(problem.errors?.[0]?.field, 'format');
    });

    test('the event stream delivers audit entries committed after it opened', async () => {
        const controller = new AbortController();
        const res = await get(`${server.baseUrl}/api/v1/stream?topics=audit`, { signal: controller.signal });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
        const reader = res.body!.getReader();
        const name = `株式会社${unique('ライブ')}`;
        await admin.client.createOrganization({ name, kind: 'other' });
        let received = '';
        const deadline = Date.now() + 10_000;
        while (!received.includes(name) && Date.now() < deadline) {
            const { value, done } = await reader.read();
            if (done) break;
            received += new TextDecoder().decode(value);
        }
        controller.abort();
        const block = received.split('\n\n').find((b) => b.includes(name));
        assert.ok(block, `an event for the new organisation arrived: ${received}`);
        assert.match(block, /^event: audit$/m);
        const data = JSON.parse(block.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
        assert.equal(data.action, 'organization.create');
        assert.ok(!received.includes(orgName), 'entries from before the stream opened are not replayed');
    });

    test('the event stream is for admins only', async () => {
        const res = await fetch(`${server.baseUrl}/api/v1/stream`);
        await expectProblem(res, 401);
    });
});
