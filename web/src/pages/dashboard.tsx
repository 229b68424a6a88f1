// The dashboard: current problems first (monitors failing now, open alerts nobody acknowledged,
// asked again every few seconds), then the ledger's live state (open incidents by severity, the
// SLA clocks nearest to breach, unanswered inquiries), the status cards (today's job runs by state,
// upcoming planned stops, the monitors by state), then recent sign-ins and account status.

import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

import { SEVERITIES, type LedgerRecord, type LoginEvent, type Monitor, type MonitorAlert, type SlaClock } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, currentMe, hasRole } from '../app/session.ts';
import {
    isAcknowledged,
    monitorStateLabel,
    PROBLEM_STATES,
    serviceLabel,
    STATE_ORDER,
    StateBadge,
    stateOf,
} from '../components/monitoring.tsx';
import { jobStatusLabel } from '../components/jobs.tsx';
import { todayInJapan } from '../components/month.tsx';
import { ClockRow, useNow } from '../components/sla.tsx';
import { useLoad, type Loaded } from '../components/use-load.ts';
import { usePoll } from '../components/use-poll.ts';
import { Badge, DateTime, ErrorAlert, Loading, PageHeader } from '../components/ui.tsx';
import { formatDuration, formatNumber } from '../i18n/format.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { reasonLabel, roleLabel, severityLabel } from '../i18n/labels.ts';
import { ciMilestoneLabel, civilDate, daysLeftText } from './cis.tsx';
import { stopKindLabel } from './planned-stops.tsx';
import { SeverityBadge } from './records.tsx';

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

/** A card of something loaded: a wait, the failure, or `children` of the data. */
function LoadedCard<T>({
    title,
    footer,
    loaded,
    children,
}: {
    title: string;
    footer?: ComponentChildren;
    loaded: Loaded<T>;
    children: (data: T) => ComponentChildren;
}) {
    return (
        <Card title={title} footer={footer}>
            {loaded.loading && <Loading />}
            {loaded.error !== null && <ErrorAlert error={loaded.error} />}
            {loaded.data !== null && children(loaded.data)}
        </Card>
    );
}

/** Counts in tiles, each a link to the list it counts. */
function Stats({
    stats,
    class: extra,
}: {
    stats: readonly { key: string; label: string; value: string; tone: string; href: string }[];
    class?: string;
}) {
    return (
        <dl class={extra ? `stats ${extra}` : 'stats'}>
            {stats.map((c) => (
                <div key={c.key} class={`stat stat-${c.tone}`}>
                    <dt>{c.label}</dt>
                    <dd>
                        <Link href={c.href}>{c.value}</Link>
                    </dd>
                </div>
            ))}
        </dl>
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
        <LoadedCard
            title={t('dashboard.recentSignIns')}
            footer={<Link href="/login-history">{t('dashboard.toLoginHistory')}</Link>}
            loaded={history}
        >
            {(data) =>
                data.items.length === 0 ? (
                    <p class="muted">{t('common.noRows')}</p>
                ) : (
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
                        {data.items.map((e) => (
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
                )
            }
        </LoadedCard>
    );
}

const SEVERITY_TONES = { critical: 'danger', high: 'warning', medium: 'neutral', low: 'muted' } as const;
/** Open incidents whose clocks are read for "nearest to breach" (the newest first). */
const CLOCK_RECORDS = 30;
const CLOCKS_SHOWN = 6;

/** A count that may have more behind it (one page of 500 is read). */
function countText(items: readonly unknown[], more: boolean): string {
    return more ? `${formatNumber(items.length)}+` : formatNumber(items.length);
}

/** Open incidents by severity, and the running clocks nearest to their deadline. */
function IncidentCards() {
    const open = useLoad(() => api.listRecords('incidents', { open: true, limit: 500 }), []);
    const clocks = useLoad(async () => {
        const items = open.data?.items ?? [];
        const details = await Promise.all(
            items.slice(0, CLOCK_RECORDS).map(async (r) => (await api.getRecord('incidents', r.id)).data),
        );
        return details
            .flatMap((r) => r.sla.filter((c) => c.state !== 'met').map((c) => ({ record: r as LedgerRecord, clock: c })))
            .sort((a, b) => Date.parse(a.clock.target_at) - Date.parse(b.clock.target_at))
            .slice(0, CLOCKS_SHOWN);
    }, [open.data]);
    return (
        <>
            <LoadedCard
                title={t('dashboard.openIncidents')}
                footer={<Link href="/incidents?open=true">{t('dashboard.toIncidents')}</Link>}
                loaded={open}
            >
                {({ items, next_cursor }) => (
                    <>
                        <Stats
                            class="stats-4"
                            stats={SEVERITIES.map((s) => ({
                                key: s,
                                label: severityLabel(s),
                                value: formatNumber(items.filter((r) => r.severity === s).length),
                                tone: SEVERITY_TONES[s],
                                href: `/incidents?severity=${s}&open=true`,
                            }))}
                        />
                        <p class="muted small stat-total">
                            {t('dashboard.openTotal', { count: countText(items, next_cursor !== null) })}
                        </p>
                    </>
                )}
            </LoadedCard>
            <LoadedCard title={t('dashboard.nearBreach')} loaded={clocks}>
                {(data) =>
                    data.length === 0 ? <p class="muted">{t('dashboard.noClocks')}</p> : <NearestClocks clocks={data} />
                }
            </LoadedCard>
        </>
    );
}

function NearestClocks({ clocks }: { clocks: readonly { record: LedgerRecord; clock: SlaClock }[] }) {
    const now = useNow();
    return (
        <ul class="clocks clocks-compact">
            {clocks.map(({ record, clock }) => (
                <ClockRow
                    key={`${record.id}-${clock.name}`}
                    clock={clock}
                    now={now}
                    lead={
                        <>
                            <Link class="mono" href={`/incidents/${record.id}`} title={record.title}>
                                {record.key}
                            </Link>{' '}
                        </>
                    }
                />
            ))}
        </ul>
    );
}

/** Inquiries not yet answered (受付, 回答準備中), the longest waiting first. */
function UnansweredInquiries() {
    const list = useLoad(() => api.listRecords('inquiries', { status: 'received,answering', limit: 500 }), []);
    const now = useNow();
    return (
        <LoadedCard
            title={t('dashboard.inquiries')}
            footer={<Link href="/inquiries?open=true">{t('dashboard.toInquiries')}</Link>}
            loaded={list}
        >
            {({ items, next_cursor }) => (
                <>
                    <p class="stat-line">{t('dashboard.inquiriesCount', { count: countText(items, next_cursor !== null) })}</p>
                    <ul class="ageing">
                        {[...items]
                            .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))
                            .slice(0, 5)
                            .map((r) => (
                                <li key={r.id}>
                                    <Link class="mono" href={`/inquiries/${r.id}`}>
                                        {r.key}
                                    </Link>
                                    <span class="ageing-title">{r.title}</span>
                                    <span class="ageing-time">
                                        {t('dashboard.waiting', { time: formatDuration(now - Date.parse(r.created_at)) })}
                                    </span>
                                </li>
                            ))}
                    </ul>
                </>
            )}
        </LoadedCard>
    );
}

function AccountStatus() {
    const inventory = useLoad(() => api.accountInventory(), []);
    return (
        <LoadedCard
            title={t('dashboard.accounts')}
            footer={<Link href="/accounts/inventory">{t('dashboard.toInventory')}</Link>}
            loaded={inventory}
        >
            {({ items }) => {
                const counts: { key: MessageKey; value: number; tone: string; filter: string }[] = [
                    { key: 'inventory.total', value: items.length, tone: 'neutral', filter: '' },
                    { key: 'inventory.dormant', value: items.filter((i) => i.dormant && !i.disabled).length, tone: 'warning', filter: 'dormant' },
                    { key: 'inventory.locked', value: items.filter((i) => i.locked).length, tone: 'danger', filter: 'locked' },
                    { key: 'inventory.disabled', value: items.filter((i) => i.disabled).length, tone: 'muted', filter: 'disabled' },
                ];
                return (
                    <Stats
                        stats={counts.map((c) => ({
                            key: c.key,
                            label: t(c.key),
                            value: formatNumber(c.value),
                            tone: c.tone,
                            href: c.filter ? `/accounts/inventory?show=${c.filter}` : '/accounts/inventory',
                        }))}
                    />
                );
            }}
        </LoadedCard>
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


/** Who is shown the monitoring (everyone but requesters, who only raise requests). */
const MONITORING_READERS = ['admin', 'manager', 'operator', 'vendor', 'viewer'] as const;
const PROBLEMS_POLL_MS = 10_000;

const STATE_TONES: Record<string, string> = {
    critical: 'danger',
    warning: 'warning',
    unknown: 'muted',
    unreachable: 'muted',
    pending: 'neutral',
    ok: 'success',
};

interface Situation {
    monitors: Monitor[];
    alerts: MonitorAlert[];
}

function useSituation() {
    return usePoll<Situation>(
        async () => {
            const [monitors, alerts] = await Promise.all([api.listMonitors(), api.listAlerts({ status: 'open', limit: 200 })]);
            return { monitors: monitors.items, alerts: alerts.items };
        },
        PROBLEMS_POLL_MS,
        [],
    );
}

/** Monitors failing now and open alerts nobody has acknowledged: what to look at first. */
function CurrentProblems({ situation }: { situation: ReturnType<typeof useSituation> }) {
    const id = useId();
    const data = situation.data;
    const failing = (data?.monitors ?? [])
        .filter((m) => PROBLEM_STATES.includes(stateOf(m)))
        .sort((a, b) => STATE_ORDER.indexOf(stateOf(a)) - STATE_ORDER.indexOf(stateOf(b)) || a.name.localeCompare(b.name, 'ja'));
    const unacknowledged = (data?.alerts ?? []).filter((a) => !isAcknowledged(a) && !a.suppressed);
    const nameOf = (monitorId: number | null): string =>
        data?.monitors.find((m) => m.id === monitorId)?.name ?? (monitorId === null ? '' : `#${monitorId}`);
    const calm = data !== null && failing.length === 0 && unacknowledged.length === 0;
    return (
        <section class={`problems${calm ? ' problems-calm' : data !== null ? ' problems-alarm' : ''}`} aria-labelledby={id}>
            <h2 id={id} class="problems-title">
                {t('dashboard.problems')}
            </h2>
            {situation.error !== null && <ErrorAlert error={situation.error} />}
            {situation.loading && <Loading />}
            {calm && <p class="problems-none">{t('dashboard.noProblems', { count: data.monitors.length })}</p>}
            {data !== null && !calm && (
                <div class="problems-lists">
                    <div>
                        <h3 class="problems-head">{t('dashboard.failingMonitors', { count: failing.length })}</h3>
                        {failing.length === 0 ? (
                            <p class="muted">{t('dashboard.noFailing')}</p>
                        ) : (
                            <ul class="problem-list">
                                {failing.map((m) => (
                                    <li key={m.id} data-monitor={m.id}>
                                        <StateBadge state={stateOf(m)} />
                                        <Link href={`/monitors/${m.id}`}>{m.name}</Link>
                                        <span class="muted small">{serviceLabel(m.service)}</span>
                                        {m.status?.message && <span class="problem-message small">{m.status.message}</span>}
                                    </li>
                                ))}
                            </ul>
                        )}
                    </div>
                    <div>
                        <h3 class="problems-head">{t('dashboard.unacknowledged', { count: unacknowledged.length })}</h3>
                        {unacknowledged.length === 0 ? (
                            <p class="muted">{t('dashboard.noUnacknowledged')}</p>
                        ) : (
                            <ul class="problem-list">
                                {unacknowledged.map((a) => (
                                    <li key={a.id} data-alert={a.id}>
                                        <SeverityBadge severity={a.severity} />
                                        <Link href="/alerts">{nameOf(a.monitor_id) || a.message}</Link>
                                        <span class="small">
                                            {t('dashboard.detectedAt')} <DateTime value={a.detected_at} />
                                        </span>
                                        {a.incident_id !== null && a.incident_key && (
                                            <Link class="mono small" href={`/incidents/${a.incident_id}`}>
                                                {a.incident_key}
                                            </Link>
                                        )}
                                    </li>
                                ))}
                            </ul>
                        )}
                    </div>
                </div>
            )}
        </section>
    );
}

/** The monitors by state, each count a way to the status board. */
function MonitoringCard({ situation }: { situation: ReturnType<typeof useSituation> }) {
    return (
        <LoadedCard
            title={t('dashboard.monitoring')}
            footer={<Link href="/monitors">{t('dashboard.toMonitors')}</Link>}
            loaded={situation}
        >
            {({ monitors }) =>
                monitors.length === 0 ? (
                    <p class="muted">{t('monitor.none')}</p>
                ) : (
                    <Stats
                        class="stats-3"
                        stats={STATE_ORDER.map((s) => ({
                            key: s,
                            label: monitorStateLabel(s),
                            value: formatNumber(monitors.filter((m) => stateOf(m) === s).length),
                            tone: STATE_TONES[s] ?? 'neutral',
                            href: '/monitors',
                        }))}
                    />
                )
            }
        </LoadedCard>
    );
}

/**
 * Today's job runs (the Japan day) by state, and the jobnets still to start today; each count a way
 * to the runs (or the jobnets) it counts.
 */
function JobsCard() {
    const jobs = useLoad(async () => {
        const from = Date.parse(`${todayInJapan()}T00:00:00+09:00`);
        const to = from + 86_400_000;
        const [runs, jobnets] = await Promise.all([
            api.listJobnetRuns({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit: 500 }),
            api.listJobnets(),
        ]);
        const later = jobnets.items.filter((j) => j.enabled && j.next_start_at && Date.parse(j.next_start_at) < to);
        return { runs: runs.items, later: later.length };
    }, []);
    return (
        <LoadedCard title={t('dashboard.jobs')} footer={<Link href="/jobnet-runs">{t('dashboard.toJobRuns')}</Link>} loaded={jobs}>
            {({ runs, later }) => (
                <Stats
                    class="stats-4"
                    stats={[
                        { key: 'later', label: t('dashboard.jobsLater'), value: formatNumber(later), tone: 'neutral', href: '/jobnets' },
                        ...(['running', 'failed', 'succeeded'] as const).map((s) => ({
                            key: s,
                            label: jobStatusLabel(s),
                            value: formatNumber(runs.filter((r) => r.status === s).length),
                            tone: s === 'failed' ? 'danger' : s === 'running' ? 'neutral' : 'success',
                            href: `/jobnet-runs?status=${s}`,
                        })),
                    ]}
                />
            )}
        </LoadedCard>
    );
}

const UPCOMING_SHOWN = 5;

/** The next planned stops (and one under way), soonest first. */
function StopsCard() {
    const stops = useLoad(
        () => api.listPlannedStops({ from: new Date().toISOString(), to: new Date(Date.now() + 366 * 86_400_000).toISOString() }),
        [],
    );
    return (
        <LoadedCard title={t('dashboard.stops')} footer={<Link href="/planned-stops">{t('dashboard.toStops')}</Link>} loaded={stops}>
            {({ items }) =>
                items.length === 0 ? (
                    <p class="muted">{t('dashboard.noStops')}</p>
                ) : (
                    <ul class="ageing">
                        {items.slice(0, UPCOMING_SHOWN).map((s) => (
                            <li key={s.id}>
                                <span class="ageing-title">{s.title}</span>
                                <span class="small muted">{stopKindLabel(s.kind)}</span>
                                <span class="ageing-time">
                                    <DateTime value={s.starts_at} />
                                </span>
                            </li>
                        ))}
                    </ul>
                )
            }
        </LoadedCard>
    );
}

const LIFECYCLE_DAYS = 90;

/**
 * End of sales, support and life and licence expiries within 90 days (passed ones too), soonest
 * first: each item's name, the milestone, its day and the days left (or past, in a warning colour).
 * Nothing is shown while there are none (or they cannot be read).
 */
function LifecycleCard() {
    const lifecycle = useLoad(() => api.ciLifecycle(LIFECYCLE_DAYS), []);
    const items = lifecycle.data?.items ?? [];
    if (items.length === 0) {
        return null;
    }
    return (
        <Card title={t('dashboard.lifecycle')} footer={<Link href="/cis">{t('dashboard.toCis')}</Link>}>
            <p class="small muted">{t('dashboard.lifecycleCaption')}</p>
            <ul class="ageing" data-lifecycle>
                {items.map((m) => (
                    <li key={`${m.ci_id}-${m.milestone}`} data-lifecycle-ci={m.ci_id} data-milestone={m.milestone}>
                        <Link href={`/cis/${m.ci_id}`}>{m.ci_name}</Link>
                        <span class="ageing-title small">{ciMilestoneLabel(m.milestone)}</span>
                        <span class="small">
                            <time dateTime={m.date}>{civilDate(m.date)}</time>
                        </span>
                        <span class="ageing-time" data-days-left>
                            {m.days_left < 0 ? <Badge tone="warning">{daysLeftText(m.days_left)}</Badge> : daysLeftText(m.days_left)}
                        </span>
                    </li>
                ))}
            </ul>
        </Card>
    );
}

/** Current problems first, then the ledger and the status cards; one poll feeds the problems and the monitoring card. */
function WithMonitoring() {
    const situation = useSituation();
    return (
        <>
            <CurrentProblems situation={situation} />
            <div class="cards cards-ledger">
                <IncidentCards />
                <UnansweredInquiries />
            </div>
            <div class="cards cards-status">
                <JobsCard />
                <StopsCard />
                <MonitoringCard situation={situation} />
            </div>
        </>
    );
}

export function DashboardPage() {
    return (
        <>
            <PageHeader title={t('nav.dashboard')} description={t('dashboard.description')} />
            {hasRole(...MONITORING_READERS) ? (
                <WithMonitoring />
            ) : (
                <div class="cards cards-ledger">
                    <IncidentCards />
                    <UnansweredInquiries />
                </div>
            )}
            <div class="cards">
                <LifecycleCard />
                <RecentSignIns />
                {hasRole('admin') ? <AccountStatus /> : null}
                <MyAccount />
            </div>
        </>
    );
}
