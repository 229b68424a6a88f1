// Watching records and saved list views in the console. The one who raises a record watches it
// from the start and can stop and start again; staff add and remove others (someone who may not
// see the record is refused at the picker); a viewer may watch but not add others. A list's
// filters are saved under a name, shared by an admin, applied from the list by another user who
// cannot delete them, and a duplicate name is refused at the name.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import type { BrowserContext, Page } from 'playwright-core';

import type { Organization, User } from '../../web/src/api/client.ts';
import { strongPassword, unique } from '../api/helpers.ts';
import { closeBrowser, firstPage, openBrowser, screenshot, signInPage, useAdminPage, useConsole } from './console.ts';

describe('console watchers and saved views', () => {
    const app = useConsole();
    const suite = useAdminPage(app, '/incidents', '障害');
    let owner: Organization;
    let operator: User;
    let operatorPassword = '';
    let viewer: User;
    let viewerPassword = '';
    let vendor: User;
    let other: { browser: BrowserContext; page: Page } | null = null;

    const make = async (org: Organization, display: string, role: 'operator' | 'viewer' | 'vendor') => {
        const password = strongPassword();
        const user = (
            await app.admin.client.createUser({
                login: unique(role),
                display_name: display,
                organization_id: org.id,
                roles: [role],
                password,
            })
        ).data;
        return { user, password };
    };

    before(async () => {
        owner = (await app.admin.client.createOrganization({ name: '総務課', kind: 'owner' })).data;
        const vendorOrg = (await app.admin.client.createOrganization({ name: '株式会社ほかの保守', kind: 'vendor' })).data;
        ({ user: operator, password: operatorPassword } = await make(owner, '田中 一郎', 'operator'));
        ({ user: viewer, password: viewerPassword } = await make(owner, '閲覧 専用', 'viewer'));
        ({ user: vendor } = await make(vendorOrg, '他社 保守員', 'vendor'));
    });
    after(async () => {
        if (other) {
            await closeBrowser(other.browser);
        }
    });

    /** A second person's browser, signed in at `pathname` (the one open before is closed). */
    const signInAs = async (login: string, password: string, pathname: string): Promise<Page> => {
        if (other) {
            await closeBrowser(other.browser);
        }
        const browser = await openBrowser();
        const page = await firstPage(browser);
        other = { browser, page };
        await signInPage(page, app.url, login, password, pathname);
        return page;
    };

    test('the raiser watches from the start, stops and starts again; staff add and remove others', async () => {
        const page = suite.page;
        const client = app.admin.client;
        const incident = (await client.createRecord('incidents', { title: '電子申請システムの障害', source: 'monitoring' })).data;
        await page.goto(`${app.url}/incidents/${incident.id}`);
        const watch = page.getByRole('region', { name: 'ウォッチ' });
        const list = watch.getByRole('list', { name: 'ウォッチしている人' });
        await list.getByText('管理者').waitFor();
        const toggle = watch.getByRole('button', { name: 'ウォッチをやめる' });
        assert.equal(await toggle.getAttribute('aria-pressed'), 'true');

        await toggle.click();
        await watch.getByText('ウォッチをやめました。').waitFor();
        await watch.getByText('ウォッチしている人はいません。').waitFor();
        assert.equal(await watch.getByRole('button', { name: 'ウォッチする' }).getAttribute('aria-pressed'), 'false');
        assert.equal((await client.listWatchers('incidents', incident.id)).items.length, 0);
        await watch.getByRole('button', { name: 'ウォッチする' }).click();
        await watch.getByText('ウォッチを始めました。').waitFor();
        await list.getByText('管理者').waitFor();

        await watch.getByLabel('ウォッチに追加する人').selectOption({ label: `田中 一郎 (${operator.login})` });
        await watch.getByRole('button', { name: '追加', exact: true }).click();
        await watch.getByText('田中 一郎 さんをウォッチに追加しました。').waitFor();
        await list.getByText('田中 一郎').waitFor();
        assert.deepEqual(
            (await client.listWatchers('incidents', incident.id)).items.map((w) => w.user_id).sort(),
            [app.admin.session.user.id, operator.id].sort(),
        );
        await screenshot(page, '66-record-watchers');

        // Someone of another vendor cannot see this record, so cannot watch it.
        await watch.getByLabel('ウォッチに追加する人').selectOption({ label: `他社 保守員 (${vendor.login})` });
        await watch.getByRole('button', { name: '追加', exact: true }).click();
        await watch.locator('#watcher-user-error').getByText(`利用者 ${vendor.id} は ${incident.key} を閲覧できません`).waitFor();

        await watch.getByRole('button', { name: '田中 一郎 さんをウォッチから外す' }).click();
        await watch.getByText('田中 一郎 さんをウォッチから外しました。').waitFor();
        await list.getByText('田中 一郎').waitFor({ state: 'detached' });
        assert.deepEqual(
            (await client.listWatchers('incidents', incident.id)).items.map((w) => w.user_id),
            [app.admin.session.user.id],
        );
    });

    test('a viewer may watch a record but is not offered to add others', async () => {
        const incident = (
            await app.admin.client.createRecord('incidents', { title: '庁内ポータルの表示崩れ', source: 'user_report' })
        ).data;
        const page = await signInAs(viewer.login, viewerPassword, `/incidents/${incident.id}`);
        const watch = page.getByRole('region', { name: 'ウォッチ' });
        await watch.getByRole('button', { name: 'ウォッチする' }).click();
        await watch.getByText('ウォッチを始めました。').waitFor();
        await watch.getByRole('list', { name: 'ウォッチしている人' }).getByText('閲覧 専用').waitFor();
        assert.equal(await watch.getByLabel('ウォッチに追加する人').count(), 0);
        assert.equal(await watch.getByRole('button', { name: /ウォッチから外す$/ }).count(), 0);
        assert.ok(
            (await app.admin.client.listWatchers('incidents', incident.id)).items.some((w) => w.user_id === viewer.id),
        );
    });

    test('filters are saved as a shared view, applied by another user, and a duplicate name is refused', async () => {
        const page = suite.page;
        const client = app.admin.client;
        const critical = (
            await client.createRecord('incidents', { title: '住民情報システム停止', severity: 'critical', source: 'monitoring' })
        ).data;
        await page.goto(`${app.url}/incidents`);
        const filters = page.getByRole('search', { name: '絞り込み' });
        await filters.getByLabel('重要度').selectOption({ label: '重大' });
        await filters.getByRole('button', { name: '検索' }).click();
        await page.getByText('1 件を表示').waitFor();

        const views = page.getByRole('region', { name: '保存したビュー' });
        await views.getByText('保存したビューはありません。').waitFor();
        await views.getByRole('button', { name: 'ビューを保存' }).click();
        await views.getByLabel('ビューの名前').fill('重大な障害');
        await views.getByLabel('全員に共有する').check();
        await views.getByRole('button', { name: 'この条件で保存' }).click();
        await views.getByText('ビュー「重大な障害」を保存しました。').waitFor();
        const view = views.getByRole('button', { name: '重大な障害', exact: true });
        assert.equal(await view.getAttribute('aria-current'), 'true', 'the view in force is marked');
        const saved = (await client.listSavedViews({ collection: 'incidents' })).items;
        assert.equal(saved.length, 1);
        assert.equal(saved[0]?.query, 'severity=critical');
        assert.equal(saved[0]?.shared, true);
        await screenshot(page, '67-incidents-saved-view');

        // The same name again is refused at the name.
        await views.getByRole('button', { name: 'ビューを保存' }).click();
        await views.getByLabel('ビューの名前').fill('重大な障害');
        await views.getByRole('button', { name: 'この条件で保存' }).click();
        await views.getByText('「重大な障害」という名前のビューは既にあります').waitFor();
        assert.equal(await views.getByLabel('ビューの名前').getAttribute('aria-invalid'), 'true');
        await views.getByRole('button', { name: 'キャンセル' }).click();

        // Another user applies the shared view from the list, but may not delete it.
        const other = await signInAs(operator.login, operatorPassword, '/incidents');
        const theirViews = other.getByRole('region', { name: '保存したビュー' });
        await theirViews.getByRole('button', { name: '重大な障害', exact: true }).click();
        await other.getByText('1 件を表示').waitFor();
        assert.match(other.url(), /\/incidents\?severity=critical$/);
        await other.getByRole('row').filter({ hasText: critical.key }).waitFor();
        assert.equal(await theirViews.getByText('共有').count(), 1);
        assert.equal(await theirViews.getByRole('button', { name: 'ビュー「重大な障害」を削除' }).count(), 0);
        // They save their own (no sharing offered) and see it beside the shared one.
        await theirViews.getByRole('button', { name: 'ビューを保存' }).click();
        assert.equal(await theirViews.getByLabel('全員に共有する').count(), 0);
        await theirViews.getByLabel('ビューの名前').fill('重大 (自分用)');
        await theirViews.getByRole('button', { name: 'この条件で保存' }).click();
        await theirViews.getByText('ビュー「重大 (自分用)」を保存しました。').waitFor();
        await theirViews.getByRole('button', { name: 'ビュー「重大 (自分用)」を削除' }).click();
        await theirViews.getByText('ビュー「重大 (自分用)」を削除しました。').waitFor();

        // The admin deletes the shared view.
        await page.goto(`${app.url}/incidents`);
        await views.getByRole('button', { name: 'ビュー「重大な障害」を削除' }).click();
        await views.getByText('ビュー「重大な障害」を削除しました。').waitFor();
        await views.getByText('保存したビューはありません。').waitFor();
        assert.equal((await client.listSavedViews({ collection: 'incidents' })).items.length, 0);
    });
});
