// One monitor: its live state (asked again every few seconds), for a heartbeat the URL a job calls,
// and for a period (the last 6 hours to 30 days, 7 days unless chosen) the hard state changes as a
// coloured band and a table, the measured values as a chart, and the availability; then the
// monitor's settings, which admins, managers and operators change (If-Match; a 412 shows what the
// other person changed) or delete after confirming.

import { ApiError, paths, type Monitor, type MonitorEvent, type MonitorResults, type MonitorState } from '../api/client.ts';
import { Link, location, setQuery } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import type { ComparedField } from '../components/conflict.tsx';
import { useEditForm } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { MonitorChart } from '../components/monitor-chart.tsx';
import { mayChangeType } from '../components/monitor-types.ts';
import {
    LIVE_POLL_MS,
    LiveNote,
    MONITOR_STAFF,
    monitorStateLabel,
    monitorTypeLabel,
    serviceLabel,
    STATE_ORDER,
    StateBadge,
    targetText,
    valueText,
} from '../components/monitoring.tsx';
import { Breadcrumb, DeleteRecord, EditFormSection, EditNotices, pendingEdit } from '../components/record.tsx';
import { DataTable } from '../components/table.tsx';
import { DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { usePoll } from '../components/use-poll.ts';
import { formatDateTime, formatElapsed, formatPercent } from '../i18n/format.ts';
import { isMessageKey, t } from '../i18n/index.ts';
import { severityLabel } from '../i18n/labels.ts';
import { MONITOR_SHOWN, MonitorFields, monitorDraft, monitorPatch } from './monitors.tsx';

const HOUR_MS = 3_600_000;

/**
 * The periods offered. The chart's resolution is the server's choice (`step` left out: the finest
 * still kept that gives at most about 2,000 points), and its answer says which.
 */
const PERIODS = {
    '6h': { span: 6 * HOUR_MS },
    '24h': { span: 24 * HOUR_MS },
    '7d': { span: 7 * 24 * HOUR_MS },
    '30d': { span: 30 * 24 * HOUR_MS },
} as const satisfies Record<string, { span: number }>;
type PeriodKey = keyof typeof PERIODS;
const DEFAULT_PERIOD: PeriodKey = '7d';
/** The period's data is asked again this often (the live state every few seconds). */
const PERIOD_POLL_MS = 30_000;

function periodOf(query: URLSearchParams): PeriodKey {
    const p = query.get('period') ?? '';
    return p in PERIODS ? (p as PeriodKey) : DEFAULT_PERIOD;
}

interface Segment {
    start: number;
    end: number;
    state: MonitorState;
}

/** The period cut into stretches of one hard state; before the first change the state is not known yet (pending). */
export function segmentsOf(events: readonly MonitorEvent[], from: number, to: number): Segment[] {
    const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const out: Segment[] = [];
    let cursor = from;
    let state: MonitorState = 'pending';
    for (const e of sorted) {
        const at = Math.min(Math.max(Date.parse(e.at), from), to);
        if (at > cursor) {
            out.push({ start: cursor, end: at, state });
        }
        cursor = Math.max(cursor, at);
        state = e.to;
    }
    if (to > cursor) {
        out.push({ start: cursor, end: to, state });
    }
    // Neighbours of the same state are one stretch.
    return out.reduce<Segment[]>((acc, s) => {
        const last = acc[acc.length - 1];
        if (last && last.state === s.state && last.end === s.start) {
            last.end = s.end;
        } else {
            acc.push({ ...s });
        }
        return acc;
    }, []);
}

/** The states of the period as a coloured band, with the time in each state said in words beside it. */
function StateBand({ events, from, to }: { events: readonly MonitorEvent[]; from: number; to: number }) {
    const segments = segmentsOf(events, from, to);
    const span = Math.max(to - from, 1);
    const totals = STATE_ORDER.map((state) => ({
        state,
        ms: segments.filter((s) => s.state === state).reduce((sum, s) => sum + (s.end - s.start), 0),
    })).filter((x) => x.ms > 0);
    const summary = totals.map((x) => `${monitorStateLabel(x.state)} ${formatPercent(x.ms / span, 1)}`).join('、');
    return (
        <div class="band-wrap">
            <svg class="band" viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" aria-label={t('monitor.bandLabel', { summary })}>
                {segments.map((s) => (
                    <rect
                        key={s.start}
                        class={`band-${s.state}`}
                        x={((s.start - from) / span) * 1000}
                        y={0}
                        width={Math.max(((s.end - s.start) / span) * 1000, 0.5)}
                        height={24}
                    >
                        <title>{`${monitorStateLabel(s.state)} ${formatDateTime(new Date(s.start))} – ${formatDateTime(new Date(s.end))}`}</title>
                    </rect>
                ))}
            </svg>
            <div class="band-axis small muted">
                <span>{formatDateTime(new Date(from))}</span>
                <span>{formatDateTime(new Date(to))}</span>
            </div>
            <ul class="band-legend">
                {totals.map((x) => (
                    <li key={x.state}>
                        <StateBadge state={x.state} /> {formatElapsed(x.ms)} ({formatPercent(x.ms / span, 1)})
                    </li>
                ))}
            </ul>
        </div>
    );
}

/** `POST …/heartbeat`: the URL a batch job calls when it ends well, and how. */
function HeartbeatHelp({ monitor }: { monitor: Monitor }) {
    const url = `${window.location.origin}${paths.monitorPart(monitor.id, 'heartbeat')}`;
    return (
        <div class="heartbeat">
            <p>{t('monitor.heartbeatHelp', { seconds: monitor.interval_s })}</p>
            <p class="heartbeat-url">
                <span class="muted">{t('monitor.heartbeatUrl')}</span> <code data-heartbeat-url>{url}</code>
            </p>
            <pre class="heartbeat-example">
                <code>{`curl -fsS -X POST -H "Authorization: Bearer <${t('monitor.heartbeatToken')}>" ${url}`}</code>
            </pre>
            <p class="hint">{t('monitor.heartbeatTokenHint')}</p>
        </div>
    );
}

function LiveState({ monitor }: { monitor: Monitor }) {
    const s = monitor.status;
    return (
        <dl class="props">
            <dt>{t('monitor.state')}</dt>
            <dd>
                <StateBadge state={s?.state ?? 'pending'} />
            </dd>
            {s && s.soft_state !== s.state && s.state !== 'pending' && (
                <>
                    <dt>{t('monitor.softState')}</dt>
                    <dd>
                        {t('monitor.attempts', {
                            state: monitorStateLabel(s.soft_state),
                            attempts: s.attempts,
                            retries: monitor.retries,
                        })}
                    </dd>
                </>
            )}
            {s && s.soft_state === s.state && s.attempts > 0 && (
                <>
                    <dt>{t('monitor.failures')}</dt>
                    <dd>{t('monitor.failuresCount', { count: s.attempts })}</dd>
                </>
            )}
            <dt>{t('monitor.lastCheck')}</dt>
            <dd>
                <DateTime value={s?.last_check_at} empty={t('monitor.notChecked')} />
            </dd>
            {s?.last_value !== null && s?.last_value !== undefined && (
                <>
                    <dt>{t('monitor.lastValue')}</dt>
                    <dd>{valueText(monitor.type, s.last_value)}</dd>
                </>
            )}
            <dt>{t('monitor.message')}</dt>
            <dd class="live-message">{s?.message || t('common.none')}</dd>
            <dt>{t('monitor.target')}</dt>
            <dd class="mono">{targetText(monitor)}</dd>
            <dt>{t('monitor.severity')}</dt>
            <dd>{severityLabel(monitor.severity)}</dd>
        </dl>
    );
}

interface PeriodData {
    from: number;
    to: number;
    events: MonitorEvent[];
    /** null when the server has no results for this monitor (404: an older server). */
    results: MonitorResults | null;
    availability: Awaited<ReturnType<typeof api.availability>>['items'][number] | null;
}

async function loadPeriod(id: number, period: PeriodKey): Promise<PeriodData> {
    const to = Date.now();
    const from = to - PERIODS[period].span;
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const [events, results, availability] = await Promise.all([
        api.monitorEvents(id, range),
        api.monitorResults(id, range).catch((err: unknown) => {
            if (err instanceof ApiError && err.status === 404) {
                return null;
            }
            throw err;
        }),
        api.availability({ monitor_id: id, ...range }),
    ]);
    return { from, to, events: events.items, results, availability: availability.items[0] ?? null };
}

/** What the chart measures: the response time of a TCP or HTTP check, the CPU's busy %, … */
function valueWhat(type: string): string {
    const key = `monitor.valueOf.${type}`;
    return isMessageKey(key) ? t(key) : t('monitor.valueOf.other');
}

function PeriodPicker({ period }: { period: PeriodKey }) {
    return (
        <div class="segmented period-picker" role="group" aria-label={t('monitor.period')}>
            {(Object.keys(PERIODS) as PeriodKey[]).map((p) => (
                <button
                    key={p}
                    type="button"
                    aria-pressed={p === period}
                    onClick={() => setQuery({ period: p === DEFAULT_PERIOD ? undefined : p }, { replace: true })}
                >
                    {t(`monitor.period.${p}`)}
                </button>
            ))}
        </div>
    );
}

function PeriodSections({ monitor, period }: { monitor: Monitor; period: PeriodKey }) {
    const data = usePoll(() => loadPeriod(monitor.id, period), PERIOD_POLL_MS, [monitor.id, period]);
    const d = data.data;
    const a = d?.availability ?? null;
    return (
        <>
            {data.error !== null && <ErrorAlert error={data.error} />}
            <Section title={t('monitor.history')}>
                {d === null ? (
                    data.loading && <Loading />
                ) : (
                    <>
                        <StateBand events={d.events} from={d.from} to={d.to} />
                        <DataTable
                            caption={t('monitor.history')}
                            columns={[t('col.at'), t('monitor.change'), t('monitor.message')]}
                            busy={false}
                            empty={d.events.length === 0}
                        >
                            {[...d.events].reverse().map((e) => (
                                <tr key={e.id}>
                                    <td class="nowrap">
                                        <DateTime value={e.at} />
                                    </td>
                                    <td class="nowrap">
                                        <StateBadge state={e.from} />
                                        <span aria-hidden="true"> → </span>
                                        <span class="visually-hidden">{t('conflict.to')}</span>
                                        <StateBadge state={e.to} />
                                    </td>
                                    <td>{e.message}</td>
                                </tr>
                            ))}
                        </DataTable>
                    </>
                )}
            </Section>
            <Section title={t('monitor.values')}>
                {d === null ? (
                    data.loading && <Loading />
                ) : d.results === null ? (
                    <p class="muted chart-empty">{t('monitor.noData')}</p>
                ) : (
                    <MonitorChart
                        results={d.results}
                        from={d.from}
                        to={d.to}
                        warning={monitor.warning}
                        critical={monitor.critical}
                        label={valueWhat(monitor.type)}
                        type={monitor.type}
                    />
                )}
            </Section>
            <Section title={t('monitor.availability')}>
                {d === null ? (
                    data.loading && <Loading />
                ) : a === null ? (
                    <p class="muted">{t('monitor.noData')}</p>
                ) : (
                    <>
                        <dl class="props">
                            <dt>{t('availability.ratio')}</dt>
                            <dd class={a.remaining_budget_ms < 0 ? 'over-budget' : undefined}>
                                <strong>{a.availability !== null && a.up_ms + a.down_ms > 0 ? formatPercent(a.availability) : t('availability.noData')}</strong>{' '}
                                <span class="muted">({t('availability.targetIs', { target: formatPercent(a.target, 2) })})</span>
                            </dd>
                            <dt>{t('availability.up')}</dt>
                            <dd>{formatElapsed(a.up_ms)}</dd>
                            <dt>{t('availability.down')}</dt>
                            <dd>{formatElapsed(a.down_ms)}</dd>
                            <dt>{t('availability.unknown')}</dt>
                            <dd>{formatElapsed(a.unknown_ms)}</dd>
                            <dt>{t('availability.excluded')}</dt>
                            <dd>{formatElapsed(a.excluded_ms)}</dd>
                            <dt>{t('availability.remaining')}</dt>
                            <dd class={a.remaining_budget_ms < 0 ? 'over-budget' : undefined}>
                                {a.remaining_budget_ms < 0
                                    ? t('availability.overBy', { time: formatElapsed(-a.remaining_budget_ms) })
                                    : formatElapsed(a.remaining_budget_ms)}{' '}
                                <span class="muted">({t('availability.budgetIs', { time: formatElapsed(a.budget_ms) })})</span>
                            </dd>
                        </dl>
                        <p class="small">
                            <Link href="/availability">{t('monitor.toAvailability')}</Link>
                        </p>
                    </>
                )}
            </Section>
        </>
    );
}

/** Delete after saying what it does; then the status board with a confirmation. */
function DeleteMonitor({ monitor }: { monitor: Monitor }) {
    return (
        <DeleteRecord
            label={t('monitor.delete')}
            confirm={t('monitor.deleteConfirm', { name: monitor.name })}
            submit={t('monitor.deleteSubmit')}
            remove={() => api.deleteMonitor(monitor.id)}
            then={{ path: '/monitors', message: t('monitor.deleted', { name: monitor.name }) }}
        >
            <p>{t('monitor.deleteWhat')}</p>
        </DeleteRecord>
    );
}

export function MonitorPage({ id }: { id: string }) {
    const monitorId = Number(id);
    const form = useEditForm(() => api.getMonitor(monitorId), id, monitorDraft);
    const live = usePoll(async () => (await api.getMonitor(monitorId)).data, LIVE_POLL_MS, [monitorId]);
    const { edit, draft } = form;
    const period = periodOf(location.value.query);
    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(t('monitor.title'), edit);
    }
    // A command monitor is changed by admins only (the server refuses others).
    const staff = hasRole(...MONITOR_STAFF) && mayChangeType(current.type, (roles) => hasRole(...roles));
    // The live answer carries the state; the settings are those of the form's version.
    const shown: Monitor = { ...current, status: (live.data ?? current).status ?? null };
    const patch = monitorPatch(current, draft);
    const compared: ComparedField<Monitor>[] = [
        { key: 'name', label: t('monitor.name') },
        { key: 'type', label: t('monitor.type'), show: (v) => monitorTypeLabel(String(v)) },
        { key: 'target', label: t('monitor.target'), show: (v) => JSON.stringify(v) },
        { key: 'service', label: t('monitor.service') },
        { key: 'interval_s', label: t('monitor.intervalS') },
        { key: 'timeout_ms', label: t('monitor.timeoutMs') },
        { key: 'retries', label: t('monitor.retries') },
        { key: 'warning', label: t('monitor.warning') },
        { key: 'critical', label: t('monitor.critical') },
        { key: 'parent_ids', label: t('monitor.parents') },
        { key: 'severity', label: t('monitor.severity'), show: (v) => severityLabel(String(v)) },
        { key: 'enabled', label: t('monitor.enabled'), show: (v) => (v ? t('status.active') : t('status.disabled')) },
    ];
    return (
        <>
            <PageHeader
                title={current.name}
                description={t('monitor.detailDescription', {
                    type: monitorTypeLabel(current.type),
                    service: serviceLabel(current.service),
                })}
                actions={<StateBadge state={shown.status?.state ?? 'pending'} />}
            />
            <Breadcrumb href="/monitors" label={t('monitor.boardTitle')} />
            <EditNotices form={form} path={`/monitors/${id}`} fields={compared} />
            <div class="record-layout">
                <div class="record-main">
                    <div class="detail-bar">
                        <PeriodPicker period={period} />
                    </div>
                    <PeriodSections monitor={current} period={period} />
                </div>
                <div class="record-side">
                    <Section title={t('monitor.now')}>
                        <LiveNote polled={live} />
                        {live.error !== null && <ErrorAlert error={live.error} />}
                        <LiveState monitor={shown} />
                        {current.type === 'heartbeat' && <HeartbeatHelp monitor={current} />}
                    </Section>
                </div>
            </div>
            <EditFormSection
                title={t('monitor.settings')}
                form={form}
                update={(etag) => api.updateMonitor(monitorId, patch, etag)}
                dirty={Object.keys(patch).length > 0}
                shown={MONITOR_SHOWN}
                readOnly={!staff}
                times={current}
                after={staff && <DeleteMonitor monitor={current} />}
            >
                <MonitorFields
                    draft={draft}
                    set={form.change}
                    errors={fieldErrors(edit.error)}
                    readOnly={!staff}
                    self={monitorId}
                />
            </EditFormSection>
        </>
    );
}
