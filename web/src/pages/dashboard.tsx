// The dashboard: the status board of later issues (incidents, today's jobs, planned stops,
// monitoring) as announced cards, and what exists today — recent sign-ins and account status.

import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

import type { LoginEvent } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, currentMe, hasRole } from '../app/session.ts';
import { useLoad } from '../components/use-load.ts';
import { Badge, DateTime, ErrorAlert, Loading, PageHeader } from '../components/ui.tsx';
import { formatNumber } from '../i18n/format.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { reasonLabel, roleLabel } from '../i18n/labels.ts';

function Card({ title, children, footer }: { title: string; children: ComponentChildren; footer?: ComponentChildren }) {
    const id = useId();
    return (
        <section class="card" aria-labelledby={id}>
            <h2 id={id} class="card-title">
                {title}
            </h2>
            <div class="card-body">{children}</div>
            {footer && <div class="card-footer">{footer}</div>}
        </section>
    );
}

function ComingCard({ title, about }: { title: MessageKey; about: MessageKey }) {
    return (
        <Card title={t(title)}>
            <p class="coming">{t('dashboard.coming')}</p>
            <p class="muted">{t(about)}</p>
        </Card>
    );
}

/** 成功 / 失敗 / ロック中 / 無効: short enough for the card; the full reason is the cell's title. */
function shortResult(e: LoginEvent): string {
    if (e.success) {
        return t('result.success');
    }
    return e.reason === 'locked' ? t('status.locked') : e.reason === 'disabled' ? t('status.disabled') : t('result.failure');
}

function RecentSignIns() {
    const history = useLoad(() => api.loginHistory({ limit: 8 }), []);
    return (
        <Card
            title={t('dashboard.recentSignIns')}
            footer={<Link href="/login-history">{t('dashboard.toLoginHistory')}</Link>}
        >
            {history.loading && <Loading />}
            {history.error !== null && <ErrorAlert error={history.error} />}
            {history.data && history.data.items.length === 0 && <p class="muted">{t('common.noRows')}</p>}
            {history.data && history.data.items.length > 0 && (
                <table class="table table-compact">
                    <caption class="visually-hidden">{t('dashboard.recentSignIns')}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t('col.at')}</th>
                            <th scope="col">{t('col.login')}</th>
                            <th scope="col">{t('col.result')}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {history.data.items.map((e) => (
                            <tr key={e.id}>
                                <td class="nowrap">
                                    <DateTime value={e.at} />
                                </td>
                                <td class="mono nowrap">{e.login}</td>
                                <td title={reasonLabel(e.reason)}>
                                    <Badge tone={e.success ? 'success' : 'danger'}>{shortResult(e)}</Badge>
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
        </Card>
    );
}

function AccountStatus() {
    const inventory = useLoad(() => api.accountInventory(), []);
    const items = inventory.data?.items ?? [];
    const counts: { key: MessageKey; value: number; tone: string; filter: string }[] = [
        { key: 'inventory.total', value: items.length, tone: 'neutral', filter: '' },
        { key: 'inventory.dormant', value: items.filter((i) => i.dormant && !i.disabled).length, tone: 'warning', filter: 'dormant' },
        { key: 'inventory.locked', value: items.filter((i) => i.locked).length, tone: 'danger', filter: 'locked' },
        { key: 'inventory.disabled', value: items.filter((i) => i.disabled).length, tone: 'muted', filter: 'disabled' },
    ];
    return (
        <Card
            title={t('dashboard.accounts')}
            footer={<Link href="/accounts/inventory">{t('dashboard.toInventory')}</Link>}
        >
            {inventory.loading && <Loading />}
            {inventory.error !== null && <ErrorAlert error={inventory.error} />}
            {inventory.data && (
                <dl class="stats">
                    {counts.map((c) => (
                        <div key={c.key} class={`stat stat-${c.tone}`}>
                            <dt>{t(c.key)}</dt>
                            <dd>
                                <Link href={c.filter ? `/accounts/inventory?show=${c.filter}` : '/accounts/inventory'}>
                                    {formatNumber(c.value)}
                                </Link>
                            </dd>
                        </div>
                    ))}
                </dl>
            )}
        </Card>
    );
}

function MyAccount() {
    const me = currentMe();
    if (!me) {
        return null;
    }
    return (
        <Card title={t('dashboard.myAccount')} footer={<Link href="/password">{t('nav.password')}</Link>}>
            <dl class="props">
                <dt>{t('field.displayName')}</dt>
                <dd>
                    {me.user.display_name} ({me.user.login})
                </dd>
                <dt>{t('field.organization')}</dt>
                <dd>{me.organization.name}</dd>
                <dt>{t('field.roles')}</dt>
                <dd>{me.user.roles.map(roleLabel).join('、')}</dd>
                <dt>{t('col.passwordChanged')}</dt>
                <dd>
                    <DateTime value={me.user.password_changed_at} />
                </dd>
            </dl>
        </Card>
    );
}

export function DashboardPage() {
    return (
        <>
            <PageHeader title={t('nav.dashboard')} description={t('dashboard.description')} />
            <div class="cards cards-status">
                <ComingCard title="dashboard.incidents" about="dashboard.incidentsAbout" />
                <ComingCard title="dashboard.jobs" about="dashboard.jobsAbout" />
                <ComingCard title="dashboard.stops" about="dashboard.stopsAbout" />
                <ComingCard title="dashboard.monitoring" about="dashboard.monitoringAbout" />
            </div>
            <div class="cards">
                <RecentSignIns />
                {hasRole('admin') ? <AccountStatus /> : null}
                <MyAccount />
            </div>
        </>
    );
}
