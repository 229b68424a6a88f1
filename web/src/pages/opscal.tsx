// The operation calendar (運用カレンダー, JOB-1, SLM-3; docs/jobs.md): one view of what is planned —
// the events of the operation plan, planned stops and jobnet starts — as a month (each day's items
// with their kind and time, coloured by where they come from) or a year (12 small months with the
// count per day). Clicking an item shows its details and the way to its page. Everyone reads it and
// may subscribe to it from a calendar client (a feed URL with a secret of its own, shown once);
// admins, managers and operators add, change and delete the events: once (Japan time) or recurring
// on a day rule of the business calendar (a maintenance window: the month's last business day
// 18:00–翌08:00 unless told otherwise).

import { useRef, useState } from 'preact/hooks';

import {
    OPS_EVENT_KINDS,
    type OpsCalendarItem,
    type OpsEvent,
    type OpsEventCreate,
    type OpsEventKind,
    type OpsFeedToken,
    type OpsRecurrence,
} from '../api/client.ts';
import { flash } from '../app/flash.ts';
import { Link, location, setQuery } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useAction } from '../components/action.tsx';
import type { ComparedField } from '../components/conflict.tsx';
import { useCreate } from '../components/create.ts';
import {
    CalendarField,
    dayRuleDraft,
    dayRuleFields,
    DayRuleFields,
    dayRuleInput,
    defined,
    type DayRuleDraft,
} from '../components/day-rule.tsx';
import { changedMembers, useEditForm } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { FieldError, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { scheduleSummary } from '../components/jobs.tsx';
import { MonthNav, monthOrThisMonth, MonthTable, monthTitle, shiftMonth, thisMonth, todayInJapan } from '../components/month.tsx';
import {
    Breadcrumb,
    CreateLink,
    CreatePage,
    DeleteRecord,
    EditFormSection,
    EditNotices,
    pendingEdit,
    type DraftFieldsProps,
} from '../components/record.tsx';
import { DataTable } from '../components/table.tsx';
import { Alert, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatTokyoDateTime, instantToTokyoInput, tokyoInputToRfc3339 } from '../i18n/format.ts';
import { isMessageKey, lang, t } from '../i18n/index.ts';

/** Who adds, changes and deletes events. */
export const OPSCAL_STAFF = ['admin', 'manager', 'operator'] as const;

const DAY_MS = 24 * 3_600_000;
const JST_OFFSET_MS = 9 * 3_600_000;

/** 保守作業, 停電, …: an event's kind in words. */
export function opsKindLabel(kind: string): string {
    const key = `opscal.kind.${kind}`;
    return isMessageKey(key) ? t(key) : kind;
}

/** An item's kind in words: the event's kind, 計画停止 or ジョブネット (the server's words otherwise). */
function itemKind(item: OpsCalendarItem): string {
    const key = item.source === 'event' ? `opscal.kind.${item.kind}` : `opscal.source.${item.source}`;
    return isMessageKey(key) ? t(key) : item.kind_label;
}

/** The instant a Japan day (`YYYY-MM-DD`) begins. */
function dayStart(date: string): number {
    return Date.parse(`${date}T00:00:00+09:00`);
}

/** `HH:MM` of an instant in Japan. */
function tokyoClock(ms: number): string {
    return new Date(ms + JST_OFFSET_MS).toISOString().slice(11, 16);
}

/** Whether the item covers part of the Japan day `date` (an instant item: when it falls in it). */
function isOn(item: OpsCalendarItem, date: string): boolean {
    const from = dayStart(date);
    const start = Date.parse(item.starts_at);
    const end = Math.max(Date.parse(item.ends_at), start + 1);
    return start < from + DAY_MS && end > from;
}

/** Whether the item starts on the Japan day `date` (the year view counts each item once). */
function startsOn(item: OpsCalendarItem, date: string): boolean {
    const from = dayStart(date);
    const start = Date.parse(item.starts_at);
    return start >= from && start < from + DAY_MS;
}

/** The item's time on the day `date`: `09:00〜17:00`, `18:00〜` and `〜08:00` across midnight, 終日. */
function timeOn(item: OpsCalendarItem, date: string): string {
    const from = dayStart(date);
    const start = Date.parse(item.starts_at);
    const end = Date.parse(item.ends_at);
    const begins = start >= from ? tokyoClock(start) : '';
    if (end <= start) {
        return begins;
    }
    const ends = end <= from + DAY_MS ? tokyoClock(end) : '';
    return begins === '' && ends === '' ? t('opscal.allDay') : `${begins}〜${ends}`;
}

/** The Japan instants of a period, as the API takes them. */
function period(fromDate: string, toDate: string) {
    return { from: `${fromDate}T00:00:00+09:00`, to: `${toDate}T00:00:00+09:00` };
}

/** A legend of the three colours, so that the colour is never the only way to tell. */
function Legend() {
    return (
        <p class="opscal-legend small">
            {(['event', 'planned_stop', 'jobnet'] as const).map((s) => (
                <span key={s} class={`opscal-item opscal-${s}`}>
                    {t(`opscal.sourceName.${s}`)}
                </span>
            ))}
        </p>
    );
}

/** One month: each day's items (time, [kind] title), a button each that selects it. */
function MonthView({ month, onSelect }: { month: string; onSelect: (item: OpsCalendarItem) => void }) {
    const items = useLoad(() => api.opsCalendar(period(`${month}-01`, `${shiftMonth(month, 1)}-01`)), [month]);
    const list = items.data?.items ?? [];
    return (
        <>
            <MonthNav month={month} />
            {items.error !== null && <ErrorAlert error={items.error} />}
            {items.loading && items.data === null && <Loading />}
            <MonthTable
                month={month}
                caption={t('opscal.monthCaption', { month: monthTitle(month) })}
                busy={items.loading}
                day={(date) => {
                    const here = list.filter((i) => isOn(i, date));
                    return {
                        class: here.length > 0 ? 'opscal-day' : undefined,
                        content: here.map((i) => (
                            <button
                                key={i.uid}
                                type="button"
                                class={`opscal-item opscal-${i.source}`}
                                data-source={i.source}
                                data-kind={i.kind}
                                title={`${itemKind(i)} ${i.title}`}
                                onClick={() => onSelect(i)}
                            >
                                <span class="opscal-time">{timeOn(i, date)}</span> [{itemKind(i)}] {i.title}
                            </button>
                        )),
                    };
                }}
            />
        </>
    );
}

/** A year: the 12 months small, each day with how many items start on it; a month's title opens it. */
function YearView({ month }: { month: string }) {
    const year = month.slice(0, 4);
    const next = String(Number(year) + 1);
    const items = useLoad(() => api.opsCalendar(period(`${year}-01-01`, `${next}-01-01`)), [year]);
    const list = items.data?.items ?? [];
    const go = (to: string, view: 'month' | 'year'): void => setQuery({ view: view === 'year' ? 'year' : undefined, month: to }, { replace: true });
    return (
        <>
            <div class="month-nav">
                <button type="button" class="button button-small" onClick={() => go(shiftMonth(month, -12), 'year')}>
                    {t('opscal.prevYear')}
                </button>
                <p class="month-title" aria-live="polite">
                    {lang.value === 'ja' ? `${year}年` : year}
                </p>
                <button type="button" class="button button-small" onClick={() => go(shiftMonth(month, 12), 'year')}>
                    {t('opscal.nextYear')}
                </button>
                <button type="button" class="button button-small" onClick={() => go(thisMonth(), 'year')}>
                    {t('opscal.thisYear')}
                </button>
            </div>
            {items.error !== null && <ErrorAlert error={items.error} />}
            {items.loading && items.data === null && <Loading />}
            <div class="opscal-year">
                {Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).map((m) => (
                    <div key={m} class="opscal-small-month" data-month={m}>
                        <button type="button" class="opscal-month-link" onClick={() => go(m, 'month')}>
                            {monthTitle(m)}
                        </button>
                        <MonthTable
                            month={m}
                            caption={t('opscal.monthCaption', { month: monthTitle(m) })}
                            busy={items.loading}
                            day={(date) => {
                                const count = list.filter((x) => startsOn(x, date)).length;
                                return {
                                    class: count > 0 ? 'opscal-day' : undefined,
                                    content: count > 0 && (
                                        <span class="opscal-count" title={t('opscal.count', { count })}>
                                            {count}
                                        </span>
                                    ),
                                };
                            }}
                        />
                    </div>
                ))}
            </div>
        </>
    );
}

/** The page of what an item is about, if the user may open it. */
function itemHref(item: OpsCalendarItem): string | null {
    const staff = hasRole(...OPSCAL_STAFF);
    switch (item.source) {
        case 'planned_stop':
            return staff ? `/planned-stops/${item.ref_id}` : hasRole('vendor', 'viewer') ? '/planned-stops' : null;
        case 'jobnet':
            return `/jobnets/${item.ref_id}`;
        case 'event':
            return staff ? `/opscal/events/${item.ref_id}` : null;
    }
}

/** The selected item: kind, title, time (Japan), service, note, and the way to its page. */
function ItemDetails({ item, onClose }: { item: OpsCalendarItem; onClose: () => void }) {
    const href = itemHref(item);
    const instant = Date.parse(item.ends_at) <= Date.parse(item.starts_at);
    return (
        <Section title={t('opscal.details')} class="opscal-details">
            <dl class="props" data-uid={item.uid}>
                <dt>{t('opscal.kind')}</dt>
                <dd>
                    <span class={`opscal-item opscal-${item.source}`}>{itemKind(item)}</span>
                </dd>
                <dt>{t('opscal.titleField')}</dt>
                <dd>{item.title}</dd>
                <dt>{t('opscal.when')}</dt>
                <dd>
                    {formatTokyoDateTime(item.starts_at)}
                    {!instant && ` 〜 ${formatTokyoDateTime(item.ends_at)}`}
                </dd>
                {item.service && (
                    <>
                        <dt>{t('opscal.service')}</dt>
                        <dd>{item.service}</dd>
                    </>
                )}
                {item.note && (
                    <>
                        <dt>{t('opscal.note')}</dt>
                        <dd class="cell-note">{item.note}</dd>
                    </>
                )}
            </dl>
            <p class="row-actions">
                {href && <Link href={href}>{t(`opscal.open.${item.source}`)}</Link>}
                <button type="button" class="button button-small" onClick={onClose}>
                    {t('opscal.closeDetails')}
                </button>
            </p>
        </Section>
    );
}

/** 「HH:MM〜翌HH:MM」 of a recurrence (18:00 and 08:00 when not given). */
function windowText(r: OpsRecurrence): string {
    const from = r.from ?? '18:00';
    const to = r.to ?? '08:00';
    return t('opscal.window', { from, to, next: to <= from ? t('opscal.nextDay') : '' });
}

/** An event's time in words: once from–to, or its day rule, window, first and last day. */
function eventWhen(e: OpsEvent): string {
    if (!e.recurrence) {
        return `${formatTokyoDateTime(e.starts_at)} 〜 ${formatTokyoDateTime(e.ends_at)}`;
    }
    const r = e.recurrence;
    return [
        scheduleSummary({ days: r.days }).days,
        windowText(r),
        t('opscal.since', { at: formatTokyoDateTime(e.starts_at) }),
        r.until ? t('opscal.untilDay', { day: r.until }) : '',
    ]
        .filter(Boolean)
        .join(' ');
}

/** The events of the operation plan; staff open one to change it. */
function EventList() {
    const events = useLoad(() => api.listOpsEvents(), []);
    const staff = hasRole(...OPSCAL_STAFF);
    const items = events.data?.items ?? [];
    return (
        <Section title={t('opscal.events')}>
            {staff && (
                <p>
                    <CreateLink href="/opscal/events/new" label={t('opscal.createEvent')} />
                </p>
            )}
            {events.error !== null && <ErrorAlert error={events.error} />}
            <DataTable
                caption={t('opscal.events')}
                columns={[t('opscal.kind'), t('opscal.titleField'), t('opscal.when'), t('opscal.service'), t('opscal.createdBy')]}
                busy={events.loading}
                empty={events.data !== null && items.length === 0}
            >
                {items.map((e) => (
                    <tr key={e.id} data-event={e.id}>
                        <td>{opsKindLabel(e.kind)}</td>
                        <td>{staff ? <Link href={`/opscal/events/${e.id}`}>{e.title}</Link> : e.title}</td>
                        <td>{eventWhen(e)}</td>
                        <td>{e.service}</td>
                        <td class="mono">{e.created_by}</td>
                    </tr>
                ))}
            </DataTable>
        </Section>
    );
}

/** 「カレンダーを購読」: a new feed URL (the old one stops working), shown once with a copy button. */
function Subscribe() {
    const action = useAction();
    const [feed, setFeed] = useState<OpsFeedToken | null>(null);
    const [copied, setCopied] = useState(false);
    const input = useRef<HTMLInputElement>(null);
    const url = feed ? `${window.location.origin}${feed.path}` : '';
    const copy = async (): Promise<void> => {
        try {
            await navigator.clipboard.writeText(url);
            setCopied(true);
        } catch {
            // No clipboard (an insecure origin): select the text for the user to copy.
            input.current?.select();
        }
    };
    return (
        <Section title={t('opscal.subscribe')}>
            <p class="hint">{t('opscal.subscribeHint')}</p>
            <p>
                <button
                    type="button"
                    class="button"
                    disabled={action.busy}
                    onClick={() =>
                        void action.run(async () => {
                            setCopied(false);
                            setFeed(await api.newOpsFeedToken());
                            return '';
                        })
                    }
                >
                    {feed ? t('opscal.feedAgain') : t('opscal.feedIssue')}
                </button>
            </p>
            {action.error !== null && <ErrorAlert error={action.error} />}
            {feed && (
                <Alert tone="warning" title={t('opscal.feedOnce')}>
                    <div class="feed-url">
                        <label for="opscal-feed-url">{t('opscal.feedUrl')}</label>
                        <input id="opscal-feed-url" ref={input} class="mono" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
                        <button type="button" class="button button-small" onClick={() => void copy()}>
                            {copied ? t('opscal.copied') : t('opscal.copy')}
                        </button>
                    </div>
                    <p>{t('opscal.feedOldStops')}</p>
                </Alert>
            )}
        </Section>
    );
}

export function OpsCalendarPage() {
    const query = location.value.query;
    const month = monthOrThisMonth(query.get('month') ?? '');
    const view = query.get('view') === 'year' ? 'year' : 'month';
    const [selected, setSelected] = useState<OpsCalendarItem | null>(null);
    const flashed = flash.value?.path === '/opscal' ? flash.value.text : null;
    return (
        <>
            <PageHeader title={t('opscal.title')} description={t('opscal.description')} />
            {flashed && <Alert tone="success" title={flashed} />}
            <Section title={view === 'year' ? t('opscal.yearView') : t('opscal.monthView')}>
                <div class="segmented opscal-views" role="group" aria-label={t('opscal.viewLabel')}>
                    {(['month', 'year'] as const).map((v) => (
                        <button
                            key={v}
                            type="button"
                            aria-pressed={view === v}
                            onClick={() => setQuery({ view: v === 'year' ? 'year' : undefined, month }, { replace: true })}
                        >
                            {t(`opscal.view.${v}`)}
                        </button>
                    ))}
                </div>
                <Legend />
                {view === 'year' ? (
                    <YearView key={month.slice(0, 4)} month={month} />
                ) : (
                    <MonthView key={month} month={month} onSelect={setSelected} />
                )}
            </Section>
            {selected && view === 'month' && <ItemDetails item={selected} onClose={() => setSelected(null)} />}
            <EventList />
            <Subscribe />
        </>
    );
}

// ---- an event's form ----

interface EventDraft extends DayRuleDraft {
    kind: OpsEventKind;
    title: string;
    note: string;
    service: string;
    repeat: boolean;
    /** `datetime-local` values, Japan time. */
    starts: string;
    ends: string;
    /** `HH:MM`; empty: 18:00 and 08:00. */
    from: string;
    to: string;
    /** `YYYY-MM-DD`; empty: no end. */
    until: string;
    calendar_id: string;
}

function newEventDraft(): EventDraft {
    return {
        kind: 'maintenance',
        title: '',
        note: '',
        service: '',
        repeat: true,
        starts: '',
        ends: '',
        from: '',
        to: '',
        until: '',
        calendar_id: '',
        ...dayRuleDraft(undefined, 'last_open_day'),
    };
}

function toEventDraft(e: OpsEvent): EventDraft {
    const r = e.recurrence;
    return {
        kind: e.kind,
        title: e.title,
        note: e.note,
        service: e.service,
        repeat: r !== null,
        starts: instantToTokyoInput(e.starts_at),
        ends: instantToTokyoInput(e.ends_at),
        from: r?.from ?? '',
        to: r?.to ?? '',
        until: r?.until ?? '',
        calendar_id: e.calendar_id === null ? '' : String(e.calendar_id),
        ...dayRuleDraft(r?.days, 'last_open_day'),
    };
}

/** The event as the API takes it: once with both times, or recurring from its start (today when empty). */
function eventInput(d: EventDraft): OpsEventCreate {
    const base = {
        kind: d.kind,
        title: d.title.trim(),
        note: d.note,
        service: d.service.trim(),
        calendar_id: d.calendar_id === '' ? null : Number(d.calendar_id),
    };
    if (!d.repeat) {
        return {
            ...base,
            starts_at: tokyoInputToRfc3339(d.starts) ?? d.starts,
            ends_at: tokyoInputToRfc3339(d.ends) ?? d.ends,
            recurrence: null,
        };
    }
    return {
        ...base,
        starts_at: tokyoInputToRfc3339(d.starts) ?? (d.starts === '' ? `${todayInJapan()}T00:00:00+09:00` : d.starts),
        recurrence: defined({
            days: dayRuleInput(d),
            from: d.from.trim() || undefined,
            to: d.to.trim() || undefined,
            until: d.until || undefined,
        }),
    };
}

const EVENT_SHOWN = [
    'kind',
    'title',
    'note',
    'service',
    'starts_at',
    'ends_at',
    'recurrence',
    ...dayRuleFields('recurrence.days'),
    'recurrence.from',
    'recurrence.to',
    'recurrence.until',
    'calendar_id',
];

/** A clock time typed as `HH:MM`. */
const CLOCK = { inputMode: 'numeric', autoComplete: 'off' } as const;

function EventFields({ draft, set, errors, readOnly }: DraftFieldsProps<EventDraft>) {
    const calendars = useLoad(async () => (await api.listCalendars()).items, []);
    const text = (member: 'title' | 'service' | 'note' | 'starts' | 'ends' | 'from' | 'to' | 'until', error: string | undefined) => ({
        id: `opscal-${member}`,
        value: draft[member],
        onValue: (value: string) => set({ [member]: value }),
        error,
        readOnly,
    });
    return (
        <div class="form-grid">
            <SelectField
                id="opscal-kind"
                label={t('opscal.kind')}
                value={draft.kind}
                onValue={(v) => set({ kind: v as OpsEventKind })}
                options={OPS_EVENT_KINDS.map((k) => ({ value: k, label: opsKindLabel(k) }))}
                error={errors['kind']}
                required
                disabled={readOnly}
            />
            <TextField {...text('title', errors['title'])} label={t('opscal.titleField')} required maxLength={200} />
            <TextField {...text('service', errors['service'])} label={t('opscal.service')} maxLength={200} />
            <TextAreaField {...text('note', errors['note'])} label={t('opscal.note')} rows={2} />
            <fieldset class={`field field-wide${errors['recurrence'] ? ' field-invalid' : ''}`}>
                <legend>{t('opscal.timing')}</legend>
                {([false, true] as const).map((repeat) => (
                    <label key={String(repeat)} class="check">
                        <input
                            type="radio"
                            name="opscal-repeat"
                            checked={draft.repeat === repeat}
                            disabled={readOnly}
                            onChange={() => set({ repeat })}
                        />
                        {t(repeat ? 'opscal.recurring' : 'opscal.once')}
                    </label>
                ))}
                <FieldError id="opscal-repeat" error={errors['recurrence']} />
            </fieldset>
            <TextField
                {...text('starts', errors['starts_at'])}
                type="datetime-local"
                label={t(draft.repeat ? 'opscal.recurringFrom' : 'opscal.startsAt')}
                hint={t(draft.repeat ? 'opscal.recurringFromHint' : 'record.timeHint')}
                required={!draft.repeat}
            />
            {draft.repeat ? (
                <>
                    <DayRuleFields
                        id="opscal"
                        prefix="recurrence.days"
                        label={t('opscal.days')}
                        draft={draft}
                        set={set}
                        errors={errors}
                        readOnly={readOnly}
                    />
                    <TextField
                        {...text('from', errors['recurrence.from'])}
                        label={t('opscal.from')}
                        hint={t('opscal.fromHint')}
                        placeholder="18:00"
                        {...CLOCK}
                    />
                    <TextField
                        {...text('to', errors['recurrence.to'])}
                        label={t('opscal.to')}
                        hint={t('opscal.toHint')}
                        placeholder="08:00"
                        {...CLOCK}
                    />
                    <TextField {...text('until', errors['recurrence.until'])} type="date" label={t('opscal.until')} hint={t('opscal.untilHint')} />
                    <CalendarField
                        id="opscal-calendar"
                        value={draft.calendar_id}
                        onValue={(calendar_id) => set({ calendar_id })}
                        calendars={calendars.data}
                        error={errors['calendar_id']}
                        readOnly={readOnly}
                    />
                </>
            ) : (
                <TextField
                    {...text('ends', errors['ends_at'])}
                    type="datetime-local"
                    label={t('opscal.endsAt')}
                    hint={t('record.timeHint')}
                    required
                />
            )}
        </div>
    );
}

export function OpsEventCreatePage() {
    const [draft, setDraft] = useState<EventDraft>(newEventDraft);
    // Until the user chooses, a maintenance window recurs and anything else happens once.
    const repeatChosen = useRef(false);
    const set = (patch: Partial<EventDraft>): void => {
        if ('repeat' in patch) {
            repeatChosen.current = true;
        } else if (patch.kind !== undefined && !repeatChosen.current) {
            patch = { ...patch, repeat: patch.kind === 'maintenance' };
        }
        setDraft((d) => ({ ...d, ...patch }));
    };
    const form = useCreate(async (idempotencyKey) => {
        const res = await api.createOpsEvent(eventInput(draft), { idempotencyKey });
        return { path: `/opscal/events/${res.data.id}`, message: t('opscal.eventCreated', { title: res.data.title }) };
    });
    return (
        <CreatePage
            title={t('opscal.createEventTitle')}
            description={t('opscal.createEventDescription')}
            back={{ href: '/opscal', label: t('opscal.title') }}
            form={form}
            shown={EVENT_SHOWN}
        >
            <EventFields draft={draft} set={set} errors={fieldErrors(form.error)} readOnly={false} />
        </CreatePage>
    );
}

export function OpsEventPage({ id }: { id: string }) {
    const eventId = Number(id);
    const form = useEditForm(() => api.getOpsEvent(eventId), id, toEventDraft);
    const { edit, draft } = form;
    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(t('opscal.eventTitle'), edit);
    }
    const patch = changedMembers<OpsEventCreate>(eventInput(toEventDraft(current)), eventInput(draft));
    const compared: ComparedField<OpsEvent>[] = [
        { key: 'title', label: t('opscal.titleField') },
        { key: 'kind', label: t('opscal.kind'), show: (v) => opsKindLabel(String(v)) },
        { key: 'starts_at', label: t('opscal.startsAt'), show: (v) => formatTokyoDateTime(String(v)) },
    ];
    return (
        <>
            <PageHeader title={current.title} description={eventWhen(current)} />
            <Breadcrumb href="/opscal" label={t('opscal.title')} />
            <EditNotices form={form} path={`/opscal/events/${id}`} fields={compared} />
            <EditFormSection
                title={t('opscal.eventTitle')}
                form={form}
                update={(etag) => api.updateOpsEvent(eventId, patch, etag)}
                dirty={Object.keys(patch).length > 0}
                shown={EVENT_SHOWN}
                times={current}
                after={
                    <DeleteRecord
                        label={t('opscal.deleteEvent')}
                        confirm={t('opscal.deleteConfirm', { title: current.title })}
                        submit={t('opscal.deleteSubmit')}
                        remove={() => api.deleteOpsEvent(current.id)}
                        then={{ path: '/opscal', message: t('opscal.eventDeleted', { title: current.title }) }}
                    />
                }
            >
                <EventFields draft={draft} set={form.change} errors={fieldErrors(edit.error)} readOnly={false} />
            </EditFormSection>
        </>
    );
}
