// The audit log (newest first) with filters and paging. Entries committed while the page is open
// arrive over the SSE stream and appear at the top of the first page without a reload; the
// indicator says whether the live feed is connected.

import { useEffect, useRef, useState } from 'preact/hooks';

import type { AuditEntry, AuditQuery } from '../api/client.ts';
import { openStream, type StreamState } from '../api/stream.ts';
import { Link } from '../app/router.tsx';
import { api } from '../app/session.ts';
import { ExportButtons } from '../components/export.tsx';
import { FilterBar, useUrlFilters, withAll } from '../components/filters.tsx';
import { SelectField, TextField } from '../components/form.tsx';
import { usePaged } from '../components/paged.tsx';
import { PagedTable } from '../components/table.tsx';
import { TimeRange } from '../components/time-range.tsx';
import { Badge, DateTime, PageHeader } from '../components/ui.tsx';
import { t } from '../i18n/index.ts';
import { actionLabel, AUDIT_ACTIONS, entityLabel } from '../i18n/labels.ts';
import { PAGE_SIZE } from './organizations.tsx';

const LIVE_KEPT = 500;

function matches(entry: AuditEntry, f: AuditQuery): boolean {
    if (f.actor !== undefined && entry.actor_login !== String(f.actor)) {
        return false;
    }
    if (f.action !== undefined && entry.action !== f.action) {
        return false;
    }
    const at = Date.parse(entry.at);
    if (f.from !== undefined && at < Date.parse(f.from)) {
        return false;
    }
    if (f.to !== undefined && at >= Date.parse(f.to)) {
        return false;
    }
    return true;
}

function LiveIndicator({ state }: { state: StreamState }) {
    const label =
        state === 'open' ? t('audit.liveOn') : state === 'connecting' ? t('audit.liveConnecting') : t('audit.liveOff');
    return (
        <p class={`live live-${state}`} role="status" data-live={state}>
            <span class="live-dot" aria-hidden="true" />
            {label}
        </p>
    );
}

function show(value: unknown): string {
    if (value === null || value === undefined) {
        return '—';
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
}

function AuditDetail({ entry }: { entry: AuditEntry }) {
    const before = entry.before ?? {};
    const after = entry.after ?? {};
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
        (k) => entry.before === null || entry.after === null || JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    return (
        <div class="audit-detail">
            {keys.length > 0 ? (
                <table class="table table-compact">
                    <thead>
                        <tr>
                            <th scope="col">{t('audit.field')}</th>
                            {entry.before !== null && <th scope="col">{t('audit.before')}</th>}
                            {entry.after !== null && <th scope="col">{t('audit.after')}</th>}
                        </tr>
                    </thead>
                    <tbody>
                        {keys.map((k) => (
                            <tr key={k}>
                                <th scope="row" class="mono">
                                    {k}
                                </th>
                                {entry.before !== null && <td class="mono">{show(before[k])}</td>}
                                {entry.after !== null && <td class="mono">{show(after[k])}</td>}
                            </tr>
                        ))}
                    </tbody>
                </table>
            ) : (
                <p class="muted">{t('audit.noChanges')}</p>
            )}
            <p class="muted mono small">
                seq {entry.seq} · hash {entry.hash}
            </p>
        </div>
    );
}

function EntityCell({ entry }: { entry: AuditEntry }) {
    const label = `${entityLabel(entry.entity_type)} #${entry.entity_id}`;
    if (entry.entity_type === 'user' && entry.action !== 'user.delete') {
        return <Link href={`/users/${entry.entity_id}`}>{label}</Link>;
    }
    if (entry.entity_type === 'organization' && entry.action !== 'organization.delete') {
        return <Link href={`/organizations/${entry.entity_id}`}>{label}</Link>;
    }
    return <>{label}</>;
}

function AuditRow({ entry, fresh }: { entry: AuditEntry; fresh: boolean }) {
    const [open, setOpen] = useState(false);
    const detailId = `audit-detail-${entry.seq}`;
    return (
        <>
            <tr class={fresh ? 'row-new' : undefined} data-seq={entry.seq}>
                <td class="nowrap">
                    <DateTime value={entry.at} />
                    {fresh && (
                        <>
                            {' '}
                            <Badge tone="info">{t('audit.new')}</Badge>
                        </>
                    )}
                </td>
                <td class="mono">{entry.actor_login ?? '—'}</td>
                <td>
                    {actionLabel(entry.action)} <span class="muted mono small">{entry.action}</span>
                </td>
                <td>
                    <EntityCell entry={entry} />
                </td>
                <td class="mono">{entry.address ?? ''}</td>
                <td>
                    <button
                        type="button"
                        class="button button-small button-quiet"
                        aria-expanded={open}
                        aria-controls={detailId}
                        onClick={() => setOpen(!open)}
                    >
                        {open ? t('audit.hide') : t('audit.show')}
                    </button>
                </td>
            </tr>
            {open && (
                <tr id={detailId} class="row-detail">
                    <td colSpan={6}>
                        <AuditDetail entry={entry} />
                    </td>
                </tr>
            )}
        </>
    );
}

export function AuditPage() {
    const f = useUrlFilters(['actor', 'action', 'from', 'to'] as const);
    const filters: AuditQuery = {
        actor: f.applied.actor || undefined,
        action: f.applied.action || undefined,
        from: f.applied.from || undefined,
        to: f.applied.to || undefined,
    };
    const paged = usePaged((cursor) => api.audit({ ...filters, cursor, limit: PAGE_SIZE }), f.key);
    const [live, setLive] = useState<AuditEntry[]>([]);
    const [streamState, setStreamState] = useState<StreamState>('connecting');
    const filtersRef = useRef(filters);
    filtersRef.current = filters;
    const pagedRef = useRef(paged);
    pagedRef.current = paged;

    // New filters: entries received earlier may not match them; the reload shows what does.
    useEffect(() => setLive([]), [f.key]);

    useEffect(() => {
        let opened = false;
        const sub = openStream(['audit'], {
            audit: (entry) => {
                if (matches(entry, filtersRef.current)) {
                    setLive((list) => (list.some((e) => e.seq === entry.seq) ? list : [entry, ...list].slice(0, LIVE_KEPT)));
                }
            },
            state: (state) => {
                if (state === 'open') {
                    if (opened && pagedRef.current.page === 1) {
                        pagedRef.current.reload(); // entries committed while disconnected
                    }
                    opened = true;
                }
                setStreamState(state);
            },
        });
        return () => sub.close();
    }, []);

    const onFirst = paged.page === 1;
    const loaded = new Set(paged.items.map((e) => e.seq));
    const newest = paged.items[0]?.seq ?? 0;
    const arrivals = live.filter((e) => !loaded.has(e.seq) && e.seq > newest);
    const rows = onFirst ? [...arrivals, ...paged.items] : paged.items;
    const freshSeqs = new Set(live.map((e) => e.seq));

    return (
        <>
            <PageHeader title={t('audit.title')} description={t('audit.description')} actions={<LiveIndicator state={streamState} />} />
            <FilterBar label={t('filter.label')} onApply={f.apply} onClear={f.clear}>
                <TextField
                    id="filter-actor"
                    label={t('audit.actor')}
                    {...f.bind('actor')}
                    hint={t('audit.actorHint')}
                    autoCapitalize="off"
                    spellcheck={false}
                />
                <SelectField
                    id="filter-action"
                    label={t('audit.action')}
                    {...f.bind('action')}
                    options={withAll(AUDIT_ACTIONS.map((a) => ({ value: a, label: `${actionLabel(a)} (${a})` })))}
                />
                <TimeRange from={f.bind('from')} to={f.bind('to')} />
            </FilterBar>
            <div class="list-toolbar">
                <p class="list-count" aria-live="polite">
                    {paged.loading ? t('common.loading') : t('list.count', { count: rows.length })}
                    {arrivals.length > 0 && onFirst && <span class="live-count">{t('audit.arrived', { count: arrivals.length })}</span>}
                </p>
                <ExportButtons resource="audit" filters={filters} />
            </div>
            {!onFirst && arrivals.length > 0 && (
                <div class="notice" role="status">
                    {t('audit.newOnFirst', { count: arrivals.length })}{' '}
                    <button type="button" class="button button-small" onClick={paged.first}>
                        {t('audit.toFirst')}
                    </button>
                </div>
            )}
            <PagedTable
                paged={paged}
                caption={t('audit.title')}
                columns={[
                    t('col.at'),
                    t('audit.actor'),
                    t('audit.action'),
                    t('audit.entity'),
                    t('col.address'),
                    { label: <span class="visually-hidden">{t('audit.detail')}</span> },
                ]}
                rows={rows.length}
                liveOff
            >
                {rows.map((e) => (
                    <AuditRow key={e.seq} entry={e} fresh={freshSeqs.has(e.seq)} />
                ))}
            </PagedTable>
        </>
    );
}
