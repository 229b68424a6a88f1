// Availability (SLM-1): for a month (this one up to now, or an earlier one) or dates chosen, every
// monitor grouped by service with its availability, the time up, down, not known and left out for
// planned stops (1時間2分3秒), the target and the downtime the target still allows — in red, and
// said in words, once it is used up. Availability is up ÷ (up + down) as the server computes it
// from the hard state changes; the budget is the period without its planned stops × (1 − target).
// Each service comes first as one timeline (サービス全体), as the server combines it: down while any
// of its monitors is down, left out while all are stopped — not a sum of its monitors' figures,
// which would count two monitors down at once twice.

import type { Availability, AvailabilityFigures, Monitor, ServiceAvailability } from '../api/client.ts';
import { Link, setQuery } from '../app/router.tsx';
import { api } from '../app/session.ts';
import { FilterBar, useUrlFilters } from '../components/filters.tsx';
import { SelectField, TextField } from '../components/form.tsx';
import { byService } from './monitors.tsx';
import { serviceLabel } from '../components/monitoring.tsx';
import { monthOrThisMonth, monthTitle, shiftMonth, thisMonth } from '../components/month.tsx';
import { DataTable } from '../components/table.tsx';
import { ErrorAlert, Loading, PageHeader } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime, formatElapsed, formatPercent } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';

const JST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 24 * 3_600_000;
const MONTHS_OFFERED = 13;
const TARGETS = ['0.99', '0.995', '0.999', '0.9995', '0.9999'] as const;
const DEFAULT_TARGET = '0.999';

/** `YYYY-MM` of this month in Japan, and the months before it. */
function recentMonths(count: number): string[] {
    const now = thisMonth();
    return Array.from({ length: count }, (_, i) => shiftMonth(now, -i));
}

/** Midnight (Japan) of `YYYY-MM-DD`, or NaN. */
function dayStart(date: string): number {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - JST_OFFSET_MS : NaN;
}

/** The period asked for in the URL: a month, or from–to dates (both days included); never past now. */
function periodOf(query: { month: string; from: string; to: string }, now = Date.now()): { from: number; to: number } | null {
    let from: number;
    let to: number;
    if (query.from !== '' || query.to !== '') {
        from = dayStart(query.from);
        to = dayStart(query.to) + DAY_MS;
    } else {
        const month = monthOrThisMonth(query.month);
        from = dayStart(`${month}-01`);
        const [y, m] = month.split('-').map(Number) as [number, number];
        to = Date.UTC(y, m, 1) - JST_OFFSET_MS;
    }
    to = Math.min(to, now);
    return Number.isFinite(from) && Number.isFinite(to) && from < to ? { from, to } : null;
}

/** Down time has used up what the target allows. */
function exhausted(a: AvailabilityFigures): boolean {
    return a.down_ms > 0 && a.remaining_budget_ms <= 0;
}

interface Loaded {
    items: Availability[];
    /** Each service as one timeline, as the server combines it (absent from older servers). */
    services: ServiceAvailability[];
}

async function loadAvailability(monitors: Monitor[], period: { from: number; to: number }, target: string): Promise<Loaded> {
    const range = { from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), target: Number(target) };
    const services = [...new Set(monitors.map((m) => m.service).filter((s) => s !== ''))];
    const unclassified = monitors.filter((m) => m.service === '');
    const pages = await Promise.all([
        ...services.map((service) => api.availability({ ...range, service })),
        ...unclassified.map((m) => api.availability({ ...range, monitor_id: m.id })),
    ]);
    return {
        items: pages.flatMap((p) => p.items),
        services: pages.flatMap((p) => (p.service ? [p.service] : [])),
    };
}

/** The figures after the row's title: ratio, up, down, unknown, excluded, target, budget, what is left. */
function FigureCells({ a }: { a: AvailabilityFigures }) {
    const over = exhausted(a);
    // Nothing measured: the server says null (servers before it said 1 with no time up or down).
    const measured = a.availability !== null && a.up_ms + a.down_ms > 0;
    return (
        <>
            <td class="num">{measured && a.availability !== null ? formatPercent(a.availability) : <span class="muted">{t('availability.noData')}</span>}</td>
            <td class="num nowrap">{formatElapsed(a.up_ms)}</td>
            <td class="num nowrap">{formatElapsed(a.down_ms)}</td>
            <td class="num nowrap">{formatElapsed(a.unknown_ms)}</td>
            <td class="num nowrap">{formatElapsed(a.excluded_ms)}</td>
            <td class="num">{formatPercent(a.target, 2)}</td>
            <td class="num nowrap">{formatElapsed(a.budget_ms)}</td>
            <td class={`num nowrap${over ? ' over-budget' : ''}`}>
                {over ? (
                    <>
                        <strong>{t('availability.exhausted')}</strong>
                        {a.remaining_budget_ms < 0 && <> {formatElapsed(-a.remaining_budget_ms)}</>}
                    </>
                ) : (
                    formatElapsed(a.remaining_budget_ms)
                )}
            </td>
        </>
    );
}

function Row({ a }: { a: Availability }) {
    return (
        <tr class={exhausted(a) ? 'row-danger' : undefined} data-monitor={a.monitor_id}>
            <th scope="row" class="cell-title">
                <Link href={`/monitors/${a.monitor_id}`}>{a.name}</Link>
            </th>
            <FigureCells a={a} />
        </tr>
    );
}

/** サービス全体: the service as one timeline, above its monitors. */
function ServiceRow({ s }: { s: ServiceAvailability }) {
    return (
        <tr class={`service-row${exhausted(s) ? ' row-danger' : ''}`} data-service={s.name}>
            <th scope="row" class="cell-title">
                {t('availability.serviceTotal')}
                <span class="service-row-note">{t('availability.serviceMonitors', { count: s.monitors })}</span>
            </th>
            <FigureCells a={s} />
        </tr>
    );
}

export function AvailabilityPage() {
    const f = useUrlFilters(['month', 'from', 'to', 'target'] as const);
    const target = (TARGETS as readonly string[]).includes(f.applied.target) ? f.applied.target : DEFAULT_TARGET;
    const period = periodOf(f.applied);
    const months = recentMonths(MONTHS_OFFERED);
    const custom = f.draft.from !== '' || f.draft.to !== '' || f.draft.month === 'custom';
    const data = useLoad(async () => {
        const monitors = (await api.listMonitors()).items;
        return { monitors, ...(period ? await loadAvailability(monitors, period, target) : { items: [], services: [] }) };
    }, [f.key]);
    const items = data.data?.items ?? [];
    const services = data.data?.services ?? [];
    // Grouped as the status board groups them (the monitors of the answer, in the board's order).
    const groups = byService(data.data?.monitors ?? []).map((g) => ({
        service: g.service,
        total: g.service === '' ? undefined : services.find((s) => s.name === g.service),
        rows: g.monitors.map((m) => items.find((a) => a.monitor_id === m.id)).filter((a): a is Availability => a !== undefined),
    }));
    const columns = [
        t('availability.monitor'),
        t('availability.ratio'),
        t('availability.up'),
        t('availability.down'),
        t('availability.unknown'),
        t('availability.excluded'),
        t('availability.target'),
        t('availability.budget'),
        t('availability.remaining'),
    ];
    const apply = (): void => {
        const choice = f.draft.month;
        if (choice === 'custom' || (choice === '' && (f.draft.from !== '' || f.draft.to !== ''))) {
            setQuery({ from: f.draft.from, to: f.draft.to, target: f.draft.target });
        } else {
            setQuery({ month: choice, target: f.draft.target });
        }
    };
    return (
        <>
            <PageHeader title={t('availability.title')} description={t('availability.description')} />
            <FilterBar label={t('availability.period')} onApply={apply} onClear={f.clear}>
                <SelectField
                    id="avail-month"
                    label={t('availability.month')}
                    value={custom ? 'custom' : f.draft.month || (months[0] ?? '')}
                    onValue={(v) => {
                        f.set('month', v);
                        if (v !== 'custom') {
                            f.set('from', '');
                            f.set('to', '');
                        }
                    }}
                    options={[
                        ...months.map((m, i) => ({ value: m, label: i === 0 ? t('availability.thisMonth', { month: monthTitle(m) }) : monthTitle(m) })),
                        { value: 'custom', label: t('availability.custom') },
                    ]}
                />
                {custom && (
                    <>
                        <TextField id="avail-from" type="date" label={t('availability.fromDate')} {...f.bind('from')} />
                        <TextField id="avail-to" type="date" label={t('availability.toDate')} {...f.bind('to')} />
                    </>
                )}
                <SelectField
                    id="avail-target"
                    label={t('availability.target')}
                    value={f.draft.target || DEFAULT_TARGET}
                    onValue={(v) => f.set('target', v)}
                    options={TARGETS.map((v) => ({ value: v, label: formatPercent(Number(v), 2) }))}
                />
            </FilterBar>
            {period === null ? (
                <ErrorAlert error={new Error(t('availability.badPeriod'))} />
            ) : (
                <p class="muted small" data-period>
                    {t('availability.periodIs', { from: formatDateTime(new Date(period.from)), to: formatDateTime(new Date(period.to)) })}
                </p>
            )}
            {data.error !== null && <ErrorAlert error={data.error} />}
            {data.loading && data.data === null && <Loading />}
            <DataTable caption={t('availability.title')} columns={columns} busy={data.loading} empty={data.data !== null && items.length === 0}>
                {groups.map((g) => [
                    <tr key={`group-${g.service}`} class="group-row">
                        <th scope="colgroup" colSpan={columns.length}>
                            {serviceLabel(g.service)}
                        </th>
                    </tr>,
                    g.total && <ServiceRow key={`service-${g.service}`} s={g.total} />,
                    ...g.rows.map((a) => <Row key={a.monitor_id} a={a} />),
                ])}
            </DataTable>
            <p class="hint">{t('availability.how')}</p>
        </>
    );
}
