// Planned stops (SLM-2, PLN-2): a month view marking the days a stop covers, the list of stops
// (the last 30 days to a year ahead) with approval and cancellation for admins and managers, and
// the form that schedules one. A stop that starts less than 14 days ahead needs the reason it
// could not be announced in time (short_notice_reason): the form asks for it as soon as the start
// is that near, and the server's refusal naming it is shown under it. During a stop the monitors
// it covers keep alerting silently (計画停止中) and its time is left out of availability. Approval
// and the cancellation of an approved stop are announced to the channels of the planned_stops topic.

import { useState } from 'preact/hooks';

import {
    ApiError,
    PLANNED_STOP_KINDS,
    type Monitor,
    type PlannedStop,
    type PlannedStopCreate,
    type PlannedStopKind,
    type PlannedStopPatch,
    type PlannedStopScope,
} from '../api/client.ts';
import { flash } from '../app/flash.ts';
import { Link, location } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import type { ComparedField } from '../components/conflict.tsx';
import { useCreate } from '../components/create.ts';
import { useEditForm } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { FieldError, FieldSet, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { compareServices, MONITOR_STAFF, MonitorPicker } from '../components/monitoring.tsx';
import { MonthNav, monthOrThisMonth, MonthTable, monthTitle, type MonthDay } from '../components/month.tsx';
import { Breadcrumb, CreateLink, CreatePage, EditFormSection, EditNotices, pendingEdit } from '../components/record.tsx';
import { DataTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { displayZone, formatDateTime, instantToLocalInput, localInputToInstant } from '../i18n/format.ts';
import { isMessageKey, t } from '../i18n/index.ts';

/** Who may approve and cancel planned stops. */
export const STOP_APPROVERS = ['admin', 'manager'] as const;

/** A stop starting sooner than this needs a short-notice reason (SLM-2). */
const NOTICE_MS = 14 * 24 * 3_600_000;
const JST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

export function stopKindLabel(kind: PlannedStopKind | string): string {
    const key = `stop.kind.${kind}`;
    return isMessageKey(key) ? t(key) : kind;
}

/** The instant midnight of `date` (YYYY-MM-DD) begins in Japan. */
function japanMidnight(y: number, m: number, d: number): number {
    return Date.UTC(y, m - 1, d) - JST_OFFSET_MS;
}

/** What a stop covers, in words: 全体, the services, or the monitors by name. */
function scopeText(stop: PlannedStop, monitors: readonly Monitor[] | null): string {
    switch (stop.scope) {
        case 'all':
            return t('stop.scope.all');
        case 'services':
            return stop.services.join('、');
        case 'monitors':
            return stop.monitor_ids.map((id) => monitors?.find((m) => m.id === id)?.name ?? `#${id}`).join('、');
    }
}

/** One month, Monday first: each day with the stops that cover part of it (Japan time). */
function StopMonth({ month, monitors }: { month: string; monitors: readonly Monitor[] | null }) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const start = japanMidnight(y, m, 1);
    const end = japanMidnight(y, m, last) + DAY_MS;
    const stops = useLoad(
        () => api.listPlannedStops({ from: new Date(start).toISOString(), to: new Date(end).toISOString() }),
        [month],
    );
    const items = stops.data?.items ?? [];
    const dayCell = (date: string): MonthDay => {
        const from = japanMidnight(y, m, Number(date.slice(8)));
        const here = items.filter((s) => Date.parse(s.starts_at) < from + DAY_MS && Date.parse(s.ends_at) > from);
        return {
            class: here.length > 0 ? 'month-stop' : undefined,
            content: (
                <>
                    {here.length > 0 && <span class="month-state">{t('stop.dayHasStop')}</span>}
                    {here.map((s) => (
                        <span key={s.id} class="month-reason" title={scopeText(s, monitors)}>
                            {s.title}
                        </span>
                    ))}
                </>
            ),
        };
    };
    return (
        <Section title={t('stop.month')}>
            <MonthNav month={month} />
            {stops.error !== null && <ErrorAlert error={stops.error} />}
            {stops.loading && stops.data === null && <Loading />}
            <MonthTable
                month={month}
                caption={t('stop.monthCaption', { month: monthTitle(month) })}
                busy={stops.loading}
                day={dayCell}
            />
        </Section>
    );
}

/** A stop approved and not over: cancelling it is announced (「計画停止の中止」). */
function announcedOnCancel(stop: PlannedStop, now = Date.now()): boolean {
    return stop.approved_at !== null && Date.parse(stop.ends_at) > now;
}

/**
 * Approve and cancel, for admins and managers. Both ask first and say what will be sent: approving
 * sends 「計画停止のお知らせ」 to the channels of the planned_stops topic (PLN-3), cancelling an
 * approved stop not yet over sends 「計画停止の中止」.
 */
function StopActions({ stop, onChanged }: { stop: PlannedStop; onChanged: (notice: { tone: 'success' | 'warning' | 'danger'; text: string }) => void }) {
    const [asking, setAsking] = useState<'approve' | 'cancel' | null>(null);
    const [busy, setBusy] = useState(false);
    const run = async (work: () => Promise<string>): Promise<void> => {
        setBusy(true);
        try {
            onChanged({ tone: 'success', text: await work() });
        } catch (err) {
            if (err instanceof ApiError && err.status === 412) {
                onChanged({ tone: 'warning', text: t('stop.changedMeanwhile') });
            } else if (err instanceof ApiError && err.status === 409) {
                onChanged({ tone: 'warning', text: t('stop.approvedAlready') });
            } else {
                onChanged({ tone: 'danger', text: err instanceof Error ? err.message : String(err) });
            }
        } finally {
            setBusy(false);
            setAsking(null);
        }
    };
    if (asking === 'approve') {
        const question = t('stop.approveConfirm', { title: stop.title });
        return (
            <div class="confirm" role="group" aria-label={question}>
                <p class="small">{question}</p>
                <p class="small" data-notice>
                    {t('stop.approveNotice')}
                </p>
                <button
                    type="button"
                    class="button button-small button-primary"
                    disabled={busy}
                    onClick={() =>
                        void run(async () => {
                            await api.approvePlannedStop(stop.id, `"${stop.version}"`);
                            return t('stop.approved', { title: stop.title });
                        })
                    }
                >
                    {t('stop.approveSubmit')}
                </button>
                <button type="button" class="button button-small" disabled={busy} onClick={() => setAsking(null)}>
                    {t('common.cancel')}
                </button>
            </div>
        );
    }
    if (asking === 'cancel') {
        const question = t('stop.cancelConfirm', { title: stop.title });
        return (
            <div class="confirm" role="group" aria-label={question}>
                <p class="small">{question}</p>
                <p class="small" data-notice>
                    {announcedOnCancel(stop) ? t('stop.cancelNotice') : t('stop.cancelSilent')}
                </p>
                <button
                    type="button"
                    class="button button-small button-danger"
                    disabled={busy}
                    onClick={() =>
                        void run(async () => {
                            await api.deletePlannedStop(stop.id);
                            return t('stop.cancelled', { title: stop.title });
                        })
                    }
                >
                    {t('stop.cancelSubmit')}
                </button>
                <button type="button" class="button button-small" disabled={busy} onClick={() => setAsking(null)}>
                    {t('common.cancel')}
                </button>
            </div>
        );
    }
    return (
        <span class="row-actions">
            {!stop.approved_at && (
                <button
                    type="button"
                    class="button button-small button-primary"
                    disabled={busy}
                    aria-label={t('stop.approveOf', { title: stop.title })}
                    onClick={() => setAsking('approve')}
                >
                    {t('stop.approve')}
                </button>
            )}
            <button
                type="button"
                class="button button-small"
                disabled={busy}
                aria-label={t('stop.cancelOf', { title: stop.title })}
                onClick={() => setAsking('cancel')}
            >
                {t('stop.cancel')}
            </button>
        </span>
    );
}

export function PlannedStopListPage() {
    const month = monthOrThisMonth(location.value.query.get('month') ?? '');
    const [tick, setTick] = useState(0);
    const stops = useLoad(() => api.listPlannedStops(), [tick]);
    const monitors = useLoad(async () => (await api.listMonitors()).items, []);
    const [notice, setNotice] = useState<{ tone: 'success' | 'warning' | 'danger'; text: string } | null>(null);
    const staff = hasRole(...MONITOR_STAFF);
    const approver = hasRole(...STOP_APPROVERS);
    const flashed = flash.value?.path === '/planned-stops' ? flash.value.text : null;
    const items = stops.data?.items ?? [];
    return (
        <>
            <PageHeader
                title={t('stop.listTitle')}
                description={t('stop.listDescription')}
                actions={staff && <CreateLink href="/planned-stops/new" label={t('stop.create')} />}
            />
            {flashed && !notice && <Alert tone="success" title={flashed} />}
            {notice && <Alert tone={notice.tone} title={notice.text} />}
            {/* Keyed by tick: the month follows approvals and cancellations. */}
            <StopMonth key={`${month}-${tick}`} month={month} monitors={monitors.data} />
            <Section title={t('stop.list')}>
                {stops.error !== null && <ErrorAlert error={stops.error} />}
                <DataTable
                    caption={t('stop.list')}
                    columns={[
                        t('stop.period'),
                        t('stop.kind'),
                        t('stop.title'),
                        t('stop.scope'),
                        t('stop.shortNotice'),
                        t('stop.approval'),
                        ...(staff ? [t('stop.actions')] : []),
                    ]}
                    busy={stops.loading}
                    empty={stops.data !== null && items.length === 0}
                >
                    {items.map((s) => (
                        <tr key={s.id} data-stop={s.id}>
                            <td class="nowrap">
                                <DateTime value={s.starts_at} />
                                <span aria-hidden="true"> 〜 </span>
                                <span class="visually-hidden">{t('stop.until')}</span>
                                <br />
                                <DateTime value={s.ends_at} />
                            </td>
                            <td>
                                {stopKindLabel(s.kind)}
                                <br />
                                <Badge tone={s.category === 'regular' ? 'neutral' : 'warning'}>{t(`stop.category.${s.category}`)}</Badge>
                            </td>
                            <td>
                                {s.title}
                                {s.reason && <p class="cell-note small">{s.reason}</p>}
                                <p class="small muted">{t('stop.createdBy', { login: s.created_by })}</p>
                            </td>
                            <td>{scopeText(s, monitors.data)}</td>
                            <td class="cell-note">{s.short_notice_reason ?? <span class="muted">{t('common.none')}</span>}</td>
                            <td>
                                {s.approved_at ? (
                                    <>
                                        <Badge tone="success">{t('stop.approvedBadge')}</Badge>{' '}
                                        <span class="mono">{s.approved_by}</span> <DateTime value={s.approved_at} />
                                    </>
                                ) : (
                                    <Badge tone="warning">{t('stop.notApproved')}</Badge>
                                )}
                            </td>
                            {staff && (
                                <td>
                                    {Date.parse(s.ends_at) > Date.now() && (
                                        <Link
                                            class="button button-small"
                                            href={`/planned-stops/${s.id}`}
                                            aria-label={t('stop.editOf', { title: s.title })}
                                        >
                                            {t('stop.edit')}
                                        </Link>
                                    )}{' '}
                                    {approver && (
                                        <StopActions
                                            stop={s}
                                            onChanged={(n) => {
                                                setNotice(n);
                                                setTick((x) => x + 1);
                                            }}
                                        />
                                    )}
                                </td>
                            )}
                        </tr>
                    ))}
                </DataTable>
            </Section>
        </>
    );
}

// ---- scheduling a stop ----

interface StopDraft {
    kind: PlannedStopKind;
    title: string;
    reason: string;
    scope: PlannedStopScope;
    services: string[];
    monitor_ids: number[];
    starts: string;
    ends: string;
    short_notice_reason: string;
}

const STOP_SHOWN = ['kind', 'title', 'reason', 'scope', 'services', 'monitor_ids', 'starts_at', 'ends_at', 'short_notice_reason'];

function stopInput(d: StopDraft): PlannedStopCreate {
    return {
        kind: d.kind,
        title: d.title.trim(),
        ...(d.reason.trim() === '' ? {} : { reason: d.reason.trim() }),
        scope: d.scope,
        ...(d.scope === 'services' ? { services: d.services } : {}),
        ...(d.scope === 'monitors' ? { monitor_ids: d.monitor_ids } : {}),
        starts_at: localInputToInstant(d.starts) ?? d.starts,
        ends_at: localInputToInstant(d.ends) ?? d.ends,
        ...(d.short_notice_reason.trim() === '' ? {} : { short_notice_reason: d.short_notice_reason.trim() }),
    };
}

/** Check boxes of the services the monitors name. */
function ServicePicker({
    services,
    chosen,
    onChosen,
    error,
}: {
    services: readonly string[];
    chosen: readonly string[];
    onChosen: (services: string[]) => void;
    error: string | undefined;
}) {
    return (
        <FieldSet id="stop-services" legend={t('stop.services')} error={error}>
            {services.length === 0 && <p class="muted small">{t('stop.noServices')}</p>}
            {services.map((s) => (
                <label key={s} class="check">
                    <input
                        type="checkbox"
                        checked={chosen.includes(s)}
                        onChange={(e) =>
                            onChosen(e.currentTarget.checked ? [...chosen, s] : chosen.filter((x) => x !== s))
                        }
                    />
                    {s}
                </label>
            ))}
        </FieldSet>
    );
}

/** The stop's fields, on the create and the edit page. */
function StopFields({
    draft,
    set,
    errors,
    monitors,
}: {
    draft: StopDraft;
    set: (patch: Partial<StopDraft>) => void;
    errors: Record<string, string>;
    monitors: readonly Monitor[] | null;
}) {
    const startsAt = localInputToInstant(draft.starts);
    const shortNotice =
        (startsAt !== undefined && Date.parse(startsAt) < Date.now() + NOTICE_MS) ||
        errors['short_notice_reason'] !== undefined ||
        draft.short_notice_reason !== '';
    const services = [...new Set((monitors ?? []).map((m) => m.service).filter((s) => s !== ''))].sort(compareServices);
    const zoneHint = t('filter.zoneHint', { zone: displayZone() });
    return (
        <div class="form-grid">
            <SelectField
                id="stop-kind"
                label={t('stop.kind')}
                value={draft.kind}
                onValue={(v) => set({ kind: v as PlannedStopKind })}
                options={PLANNED_STOP_KINDS.map((k) => ({
                    value: k,
                    label: `${stopKindLabel(k)} (${t(
                        k === 'inspection' || k === 'preventive' ? 'stop.category.regular' : 'stop.category.ad_hoc',
                    )})`,
                }))}
                error={errors['kind']}
                required
            />
            <TextField
                id="stop-title"
                label={t('stop.title')}
                value={draft.title}
                onValue={(title) => set({ title })}
                error={errors['title']}
                required
                maxLength={200}
            />
            <TextAreaField
                id="stop-reason"
                label={t('stop.reason')}
                value={draft.reason}
                onValue={(reason) => set({ reason })}
                error={errors['reason']}
            />
            <TextField
                id="stop-starts-at"
                type="datetime-local"
                label={t('stop.startsAt')}
                value={draft.starts}
                onValue={(starts) => set({ starts })}
                error={errors['starts_at']}
                hint={zoneHint}
                required
            />
            <TextField
                id="stop-ends-at"
                type="datetime-local"
                label={t('stop.endsAt')}
                value={draft.ends}
                onValue={(ends) => set({ ends })}
                error={errors['ends_at']}
                hint={zoneHint}
                required
            />
            {shortNotice && (
                <TextAreaField
                    id="stop-short-notice-reason"
                    label={t('stop.shortNoticeReason')}
                    value={draft.short_notice_reason}
                    onValue={(short_notice_reason) => set({ short_notice_reason })}
                    hint={t('stop.shortNoticeHint')}
                    error={errors['short_notice_reason']}
                />
            )}
            <fieldset class={`field field-wide${errors['scope'] ? ' field-invalid' : ''}`}>
                <legend>{t('stop.scope')}</legend>
                {(['all', 'services', 'monitors'] as const).map((s) => (
                    <label key={s} class="check">
                        <input type="radio" name="stop-scope" checked={draft.scope === s} onChange={() => set({ scope: s })} />
                        {t(`stop.scopeChoice.${s}`)}
                    </label>
                ))}
                <FieldError id="stop-scope" error={errors['scope']} />
            </fieldset>
            {draft.scope === 'services' && (
                <ServicePicker
                    services={services}
                    chosen={draft.services}
                    onChosen={(chosen) => set({ services: chosen })}
                    error={errors['services']}
                />
            )}
            {draft.scope === 'monitors' && (
                <MonitorPicker
                    id="stop-monitor-ids"
                    legend={t('stop.monitors')}
                    monitors={monitors}
                    chosen={draft.monitor_ids}
                    onChosen={(monitor_ids) => set({ monitor_ids })}
                    error={errors['monitor_ids']}
                    readOnly={false}
                />
            )}
        </div>
    );
}

export function PlannedStopCreatePage() {
    const [draft, setDraft] = useState<StopDraft>({
        kind: 'inspection',
        title: '',
        reason: '',
        scope: 'all',
        services: [],
        monitor_ids: [],
        starts: '',
        ends: '',
        short_notice_reason: '',
    });
    const monitors = useLoad(async () => (await api.listMonitors()).items, []);
    const set = (patch: Partial<StopDraft>): void => setDraft((d) => ({ ...d, ...patch }));
    const form = useCreate(async (idempotencyKey) => {
        const res = await api.createPlannedStop(stopInput(draft), { idempotencyKey });
        return { path: '/planned-stops', message: t('stop.created', { title: res.data.title }) };
    });
    return (
        <CreatePage
            title={t('stop.createTitle')}
            description={t('stop.createDescription')}
            back={{ href: '/planned-stops', label: t('stop.listTitle') }}
            form={form}
            shown={STOP_SHOWN}
        >
            <StopFields draft={draft} set={set} errors={fieldErrors(form.error)} monitors={monitors.data} />
        </CreatePage>
    );
}

// ---- changing a stop ----

function toStopDraft(stop: PlannedStop): StopDraft {
    return {
        kind: stop.kind,
        title: stop.title,
        reason: stop.reason,
        scope: stop.scope,
        services: [...stop.services],
        monitor_ids: [...stop.monitor_ids],
        starts: instantToLocalInput(stop.starts_at),
        ends: instantToLocalInput(stop.ends_at),
        short_notice_reason: stop.short_notice_reason ?? '',
    };
}

/** The members changed; time and scope compared as the server keeps them (instants, lists). */
function stopPatch(base: PlannedStop, d: StopDraft): PlannedStopPatch {
    const before = stopInput(toStopDraft(base));
    const after = stopInput(d);
    const patch: PlannedStopPatch = {};
    const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof PlannedStopCreate)[]);
    for (const key of keys) {
        const a = after[key];
        const b = before[key];
        const same =
            key === 'starts_at' || key === 'ends_at'
                ? Date.parse(String(a)) === Date.parse(String(b))
                : JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
        if (same) {
            continue;
        }
        if (a !== undefined) {
            Object.assign(patch, { [key]: a });
        } else if (key === 'reason' || key === 'short_notice_reason') {
            // A cleared text goes as empty (the server keeps it otherwise); the lists of another
            // scope are left for the server, which goes by the scope.
            Object.assign(patch, { [key]: '' });
        }
    }
    return patch;
}

/** A new time or scope clears the approval (docs/api.md). */
function clearsApproval(patch: PlannedStopPatch): boolean {
    return ['starts_at', 'ends_at', 'scope', 'services', 'monitor_ids'].some((k) => k in patch);
}

/**
 * Changes a stop not yet over (admins, managers, operators; If-Match). The page says beforehand that
 * a new time or scope clears the approval, so the stop is approved and announced again; after such
 * a save the stop comes back unapproved and the page says so.
 */
export function PlannedStopEditPage({ id }: { id: string }) {
    const stopId = Number(id);
    const form = useEditForm(() => api.getPlannedStop(stopId), id, toStopDraft);
    const monitors = useLoad(async () => (await api.listMonitors()).items, []);
    const { edit, draft } = form;
    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(t('stop.editTitle'), edit);
    }
    const over = Date.parse(current.ends_at) <= Date.now();
    const patch = stopPatch(current, draft);
    const approvalAtStake = current.approved_at !== null && clearsApproval(patch);
    const compared: ComparedField<PlannedStop>[] = [
        { key: 'title', label: t('stop.title') },
        { key: 'starts_at', label: t('stop.startsAt'), show: (v) => (typeof v === 'string' ? formatDateTime(v) : '') },
        { key: 'ends_at', label: t('stop.endsAt'), show: (v) => (typeof v === 'string' ? formatDateTime(v) : '') },
        { key: 'scope', label: t('stop.scope') },
        { key: 'approved_at', label: t('stop.approval'), show: (v) => (v ? t('stop.approvedBadge') : t('stop.notApproved')) },
    ];
    return (
        <>
            <PageHeader
                title={current.title}
                description={t('stop.editDescription')}
                actions={
                    current.approved_at ? (
                        <Badge tone="success">{t('stop.approvedBadge')}</Badge>
                    ) : (
                        <Badge tone="warning">{t('stop.notApproved')}</Badge>
                    )
                }
            />
            <Breadcrumb href="/planned-stops" label={t('stop.listTitle')} />
            <EditNotices form={form} path={`/planned-stops/${id}`} fields={compared} />
            {over ? (
                <Alert tone="info" title={t('stop.over')} />
            ) : (
                <EditFormSection
                    title={t('stop.editTitle')}
                    form={form}
                    update={(etag) => api.updatePlannedStop(stopId, patch, etag)}
                    done={(stop) =>
                        current.approved_at !== null && stop.approved_at === null
                            ? t('stop.savedUnapproved', { title: stop.title })
                            : t('stop.saved', { title: stop.title })
                    }
                    dirty={Object.keys(patch).length > 0}
                    shown={STOP_SHOWN}
                    before={
                        <p class="hint" data-reapprove-notice>
                            {t('stop.reapproveNotice')}
                        </p>
                    }
                >
                    <StopFields draft={draft} set={form.change} errors={fieldErrors(edit.error)} monitors={monitors.data} />
                    {approvalAtStake && <Alert tone="warning" title={t('stop.reapproveWarn')} />}
                </EditFormSection>
            )}
        </>
    );
}
