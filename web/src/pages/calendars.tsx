// Business calendars: the list, create, and a calendar's page with its rules (hours per
// weekday, closed on national holidays and at the year end, closed and operating days) and a
// month view of GET /calendars/{id}/days saying for each day whether it is open and why not (the
// holiday's name under the law, 年末年始, 休業日, the weekday). Everyone may read calendars; admins
// and managers change them (the API enforces it; the console hides the buttons for others).

import { useState } from 'preact/hooks';

import {
    WEEKDAYS,
    type BusinessCalendar,
    type BusinessHours,
    type CalendarCreate,
    type CalendarDay,
    type CalendarInput,
    type CalendarTimeZone,
    type Weekday,
} from '../api/client.ts';
import { Link, location } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useCreate } from '../components/create.ts';
import { changedMembers, useEditForm } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { FieldError, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import {
    MonthNav,
    monthOrThisMonth,
    MonthTable,
    monthTitle,
    WEEK_FROM_MONDAY,
    weekdayLabel,
    type MonthDay,
} from '../components/month.tsx';
import { Breadcrumb, CreatePage, EditFormSection, EditNotices, pendingEdit, RecordListPage } from '../components/record.tsx';
import { Badge, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { lang, t, type MessageKey } from '../i18n/index.ts';

/** Who may create and change calendars. */
export const CALENDAR_EDITORS = ['admin', 'manager'] as const;

function hoursText(h: BusinessHours): string {
    return `${h.open}–${h.close}`;
}

/** `月〜金 08:30–17:15`, `毎日 00:00–24:00`; runs of weekdays with the same hours joined. */
export function weeklySummary(weekly: BusinessCalendar['weekly']): string {
    const open = WEEK_FROM_MONDAY.map((d) => ({ day: d, hours: weekly[d] }));
    if (open.every((o) => o.hours !== null && hoursText(o.hours) === hoursText(open[0]?.hours as BusinessHours))) {
        return `${t('calendar.everyDay')} ${hoursText(open[0]?.hours as BusinessHours)}`;
    }
    const runs: { from: Weekday; to: Weekday; hours: string }[] = [];
    for (const { day, hours } of open) {
        const last = runs[runs.length - 1];
        const text = hours ? hoursText(hours) : null;
        if (text === null) {
            runs.push({ from: day, to: day, hours: '' });
        } else if (last && last.hours === text) {
            last.to = day;
        } else {
            runs.push({ from: day, to: day, hours: text });
        }
    }
    const parts = runs
        .filter((r) => r.hours !== '')
        .map((r) =>
            r.from === r.to
                ? `${weekdayLabel(r.from)} ${r.hours}`
                : `${weekdayLabel(r.from)}${t('calendar.through')}${weekdayLabel(r.to)} ${r.hours}`,
        );
    return parts.length > 0 ? parts.join('、') : t('calendar.neverOpen');
}

// ---- the form ----

interface DayDraft {
    open: boolean;
    from: string;
    to: string;
}

interface CalendarDraft {
    name: string;
    description: string;
    time_zone: CalendarTimeZone;
    weekly: Record<Weekday, DayDraft>;
    national_holidays_closed: boolean;
    year_end_closed: boolean;
    closed_days: string[];
    open_days: string[];
    open_day_from: string;
    open_day_to: string;
}

const OFFICE: BusinessHours = { open: '08:30', close: '17:15' };

function newDraft(): CalendarDraft {
    const weekly = {} as Record<Weekday, DayDraft>;
    for (const d of WEEKDAYS) {
        weekly[d] = { open: d !== 'sat' && d !== 'sun', from: OFFICE.open, to: OFFICE.close };
    }
    return {
        name: '',
        description: '',
        time_zone: 'Asia/Tokyo',
        weekly,
        national_holidays_closed: true,
        year_end_closed: true,
        closed_days: [],
        open_days: [],
        open_day_from: OFFICE.open,
        open_day_to: OFFICE.close,
    };
}

function toDraft(c: BusinessCalendar): CalendarDraft {
    const weekly = {} as Record<Weekday, DayDraft>;
    for (const d of WEEKDAYS) {
        const h = c.weekly[d];
        weekly[d] = { open: h !== null, from: h?.open ?? OFFICE.open, to: h?.close ?? OFFICE.close };
    }
    return {
        name: c.name,
        description: c.description,
        time_zone: c.time_zone,
        weekly,
        national_holidays_closed: c.national_holidays_closed,
        year_end_closed: c.year_end_closed,
        closed_days: [...c.closed_days],
        open_days: [...c.open_days],
        open_day_from: c.open_day_hours?.open ?? OFFICE.open,
        open_day_to: c.open_day_hours?.close ?? OFFICE.close,
    };
}

/** Every rule of the draft, as the API takes it. */
function calendarInput(draft: CalendarDraft): CalendarCreate {
    const weekly: Record<Weekday, BusinessHours | null> = {} as Record<Weekday, BusinessHours | null>;
    for (const d of WEEKDAYS) {
        const day = draft.weekly[d];
        weekly[d] = day.open ? { open: day.from.trim(), close: day.to.trim() } : null;
    }
    const days = (list: string[]) => [...new Set(list)].sort();
    return {
        name: draft.name.trim(),
        description: draft.description,
        time_zone: draft.time_zone,
        weekly,
        national_holidays_closed: draft.national_holidays_closed,
        year_end_closed: draft.year_end_closed,
        closed_days: days(draft.closed_days),
        open_days: days(draft.open_days),
        open_day_hours: { open: draft.open_day_from.trim(), close: draft.open_day_to.trim() },
    };
}

/** What the draft changed against `base`. */
function calendarPatch(base: BusinessCalendar, draft: CalendarDraft): CalendarInput {
    return changedMembers(calendarInput(toDraft(base)), calendarInput(draft));
}

/** An editable list of dates: each with a remove button, and a date input to add one. */
function DayList({
    id,
    label,
    hint,
    days,
    onDays,
    error,
    readOnly,
}: {
    id: string;
    label: string;
    hint: string;
    days: string[];
    onDays: (days: string[]) => void;
    error: string | undefined;
    readOnly: boolean;
}) {
    const [adding, setAdding] = useState('');
    const add = (): void => {
        if (/^\d{4}-\d{2}-\d{2}$/.test(adding) && !days.includes(adding)) {
            onDays([...days, adding].sort());
        }
        setAdding('');
    };
    return (
        <fieldset class={`field field-wide${error ? ' field-invalid' : ''}`} aria-describedby={error ? `${id}-error` : `${id}-hint`}>
            <legend>{label}</legend>
            <p class="hint" id={`${id}-hint`}>
                {hint}
            </p>
            {days.length === 0 ? (
                <p class="muted small">{t('calendar.noDays')}</p>
            ) : (
                <ul class="day-list" aria-label={label}>
                    {days.map((d) => (
                        <li key={d} class="day-chip">
                            <span class="mono">{d}</span>
                            {!readOnly && (
                                <button
                                    type="button"
                                    class="button button-small"
                                    aria-label={t('calendar.removeDay', { date: d })}
                                    onClick={() => onDays(days.filter((x) => x !== d))}
                                >
                                    ×
                                </button>
                            )}
                        </li>
                    ))}
                </ul>
            )}
            {!readOnly && (
                <div class="day-add">
                    <input
                        id={id}
                        type="date"
                        aria-label={t('calendar.dayToAdd', { list: label })}
                        value={adding}
                        onInput={(e) => setAdding(e.currentTarget.value)}
                        onKeyDown={(e) => {
                            if (e.key === 'Enter') {
                                e.preventDefault();
                                add();
                            }
                        }}
                    />
                    <button type="button" class="button button-small" disabled={adding === ''} onClick={add}>
                        {t('calendar.addDay')}
                    </button>
                </div>
            )}
            <FieldError id={id} error={error} />
        </fieldset>
    );
}

/** The errors that name a weekday's hours (`weekly.mon`) or the week as a whole. */
function weeklyErrors(errors: Record<string, string>): { day: Partial<Record<Weekday, string>>; all?: string } {
    const day: Partial<Record<Weekday, string>> = {};
    for (const d of WEEKDAYS) {
        const e = errors[`weekly.${d}`];
        if (e) {
            day[d] = e;
        }
    }
    return { day, all: errors['weekly'] };
}

/** Field names the form shows in place (the rest go above it). */
const SHOWN = [
    'name',
    'description',
    'time_zone',
    'weekly',
    ...WEEKDAYS.map((d) => `weekly.${d}`),
    'national_holidays_closed',
    'year_end_closed',
    'closed_days',
    'open_days',
    'open_day_hours',
];

function CalendarFields({
    draft,
    set,
    errors,
    readOnly,
}: {
    draft: CalendarDraft;
    set: (patch: Partial<CalendarDraft>) => void;
    errors: Record<string, string>;
    readOnly: boolean;
}) {
    const week = weeklyErrors(errors);
    const setDay = (d: Weekday, patch: Partial<DayDraft>): void =>
        set({ weekly: { ...draft.weekly, [d]: { ...draft.weekly[d], ...patch } } });
    return (
        <div class="form-grid">
            <TextField
                id="cal-name"
                label={t('calendar.name')}
                value={draft.name}
                onValue={(name) => set({ name })}
                error={errors['name']}
                required
                readOnly={readOnly}
                maxLength={100}
                wide
            />
            <SelectField
                id="cal-zone"
                label={t('calendar.timeZone')}
                value={draft.time_zone}
                onValue={(v) => set({ time_zone: v as CalendarTimeZone })}
                options={[
                    { value: 'Asia/Tokyo', label: t('display.tokyo') },
                    { value: 'UTC', label: 'UTC' },
                ]}
                error={errors['time_zone']}
                disabled={readOnly}
            />
            <fieldset class={`field field-wide${week.all ? ' field-invalid' : ''}`}>
                <legend>{t('calendar.weekly')}</legend>
                <p class="hint">{t('calendar.weeklyHint')}</p>
                <table class="table weekly-table">
                    <thead>
                        <tr>
                            <th scope="col">{t('calendar.weekday')}</th>
                            <th scope="col">{t('calendar.openDay')}</th>
                            <th scope="col">{t('calendar.opens')}</th>
                            <th scope="col">{t('calendar.closes')}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {WEEK_FROM_MONDAY.map((d) => {
                            const day = draft.weekly[d];
                            const err = week.day[d];
                            return (
                                <tr key={d} class={err ? 'row-invalid' : undefined}>
                                    <th scope="row">{weekdayLabel(d)}</th>
                                    <td>
                                        <label class="check">
                                            <input
                                                type="checkbox"
                                                checked={day.open}
                                                disabled={readOnly}
                                                aria-label={t('calendar.openOn', { day: weekdayLabel(d) })}
                                                onChange={(e) => setDay(d, { open: e.currentTarget.checked })}
                                            />
                                            {day.open ? t('calendar.open') : t('calendar.closed')}
                                        </label>
                                    </td>
                                    <td>
                                        <input
                                            class="input-time"
                                            value={day.from}
                                            inputMode="numeric"
                                            placeholder="08:30"
                                            readOnly={readOnly}
                                            disabled={!day.open}
                                            aria-label={t('calendar.opensOn', { day: weekdayLabel(d) })}
                                            aria-invalid={err ? true : undefined}
                                            onInput={(e) => setDay(d, { from: e.currentTarget.value })}
                                        />
                                    </td>
                                    <td>
                                        <input
                                            class="input-time"
                                            value={day.to}
                                            inputMode="numeric"
                                            placeholder="17:15"
                                            readOnly={readOnly}
                                            disabled={!day.open}
                                            aria-label={t('calendar.closesOn', { day: weekdayLabel(d) })}
                                            aria-invalid={err ? true : undefined}
                                            onInput={(e) => setDay(d, { to: e.currentTarget.value })}
                                        />
                                        {err && <p class="field-error">{err}</p>}
                                    </td>
                                </tr>
                            );
                        })}
                    </tbody>
                </table>
                {week.all && <p class="field-error">{week.all}</p>}
            </fieldset>
            <div class="field field-wide">
                <label class="check">
                    <input
                        type="checkbox"
                        checked={draft.national_holidays_closed}
                        disabled={readOnly}
                        onChange={(e) => set({ national_holidays_closed: e.currentTarget.checked })}
                    />
                    {t('calendar.holidaysClosed')}
                </label>
                <label class="check">
                    <input
                        type="checkbox"
                        checked={draft.year_end_closed}
                        disabled={readOnly}
                        onChange={(e) => set({ year_end_closed: e.currentTarget.checked })}
                    />
                    {t('calendar.yearEndClosed')}
                </label>
            </div>
            <DayList
                id="cal-closed-days"
                label={t('calendar.closedDays')}
                hint={t('calendar.closedDaysHint')}
                days={draft.closed_days}
                onDays={(closed_days) => set({ closed_days })}
                error={errors['closed_days']}
                readOnly={readOnly}
            />
            <DayList
                id="cal-open-days"
                label={t('calendar.openDays')}
                hint={t('calendar.openDaysHint')}
                days={draft.open_days}
                onDays={(open_days) => set({ open_days })}
                error={errors['open_days']}
                readOnly={readOnly}
            />
            <TextField
                id="cal-open-day-from"
                label={t('calendar.openDayFrom')}
                value={draft.open_day_from}
                onValue={(open_day_from) => set({ open_day_from })}
                error={errors['open_day_hours']}
                inputMode="numeric"
                readOnly={readOnly}
            />
            <TextField
                id="cal-open-day-to"
                label={t('calendar.openDayTo')}
                value={draft.open_day_to}
                onValue={(open_day_to) => set({ open_day_to })}
                inputMode="numeric"
                readOnly={readOnly}
            />
            <TextAreaField
                id="cal-description"
                label={t('calendar.description')}
                value={draft.description}
                onValue={(description) => set({ description })}
                error={errors['description']}
                readOnly={readOnly}
            />
        </div>
    );
}

// ---- the pages ----

export function CalendarListPage() {
    const list = useLoad(() => api.listCalendars(), []);
    return (
        <RecordListPage
            title={t('calendar.listTitle')}
            description={t('calendar.listDescription')}
            path="/calendars"
            create={hasRole(...CALENDAR_EDITORS) ? t('calendar.create') : undefined}
            list={list}
            columns={[t('calendar.name'), t('calendar.weekly'), t('calendar.closures'), t('col.updatedAt')]}
            row={(c) => (
                <tr key={c.id}>
                    <td>
                        <Link href={`/calendars/${c.id}`}>{c.name}</Link>
                        {c.description && <p class="muted small cell-note">{c.description}</p>}
                    </td>
                    <td>{weeklySummary(c.weekly)}</td>
                    <td>
                        <span class="badges">
                            {c.national_holidays_closed && <Badge tone="neutral">{t('calendar.badgeHolidays')}</Badge>}
                            {c.year_end_closed && <Badge tone="neutral">{t('calendar.badgeYearEnd')}</Badge>}
                            {c.closed_days.length > 0 && (
                                <Badge tone="neutral">{t('calendar.badgeClosed', { count: c.closed_days.length })}</Badge>
                            )}
                            {c.open_days.length > 0 && (
                                <Badge tone="info">{t('calendar.badgeOpen', { count: c.open_days.length })}</Badge>
                            )}
                        </span>
                    </td>
                    <td class="nowrap">
                        <DateTime value={c.updated_at} />
                    </td>
                </tr>
            )}
        />
    );
}

export function CalendarCreatePage() {
    const [draft, setDraft] = useState<CalendarDraft>(newDraft);
    const form = useCreate(async (idempotencyKey) => {
        const res = await api.createCalendar(calendarInput(draft), { idempotencyKey });
        return { path: `/calendars/${res.data.id}`, message: t('calendar.created', { name: res.data.name }) };
    });
    return (
        <CreatePage
            title={t('calendar.createTitle')}
            back={{ href: '/calendars', label: t('calendar.listTitle') }}
            form={form}
            shown={SHOWN}
        >
            <CalendarFields
                draft={draft}
                set={(p) => setDraft((d) => ({ ...d, ...p }))}
                errors={fieldErrors(form.error)}
                readOnly={false}
            />
        </CreatePage>
    );
}

/** Why a day is closed, in the current language (holiday names stay as the law names them). */
function reasonText(day: CalendarDay): string {
    if (day.reason === '' || lang.value === 'ja' || day.reason === day.holiday) {
        return day.reason;
    }
    const key: Record<string, MessageKey> = {
        年末年始: 'calendar.reasonYearEnd',
        休業日: 'calendar.reasonClosed',
        日曜日: 'weekdayFull.sun',
        月曜日: 'weekdayFull.mon',
        火曜日: 'weekdayFull.tue',
        水曜日: 'weekdayFull.wed',
        木曜日: 'weekdayFull.thu',
        金曜日: 'weekdayFull.fri',
        土曜日: 'weekdayFull.sat',
    };
    const k = key[day.reason];
    return k ? t(k) : day.reason;
}

/** One month of a calendar: a week per row (Monday first), each day open with its hours or closed and why. */
function MonthView({ calendarId, month }: { calendarId: number; month: string }) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const from = `${month}-01`;
    const to = `${month}-${String(last).padStart(2, '0')}`;
    const days = useLoad(() => api.calendarDays(calendarId, { from, to }), [calendarId, month]);
    const byDate = new Map((days.data?.items ?? []).map((d) => [d.date, d]));
    const dayCell = (date: string): MonthDay | null => {
        const day = byDate.get(date);
        if (!day) {
            return null;
        }
        return {
            class: day.open ? 'month-open' : 'month-closed',
            content: (
                <>
                    <span class="month-state">{day.open ? t('calendar.open') : t('calendar.closed')}</span>
                    {day.open && day.hours && <span class="month-hours">{hoursText(day.hours)}</span>}
                    {!day.open && <span class="month-reason">{reasonText(day)}</span>}
                    {day.open && day.holiday && <span class="month-reason">{day.holiday}</span>}
                </>
            ),
        };
    };
    return (
        <Section title={t('calendar.month')}>
            <MonthNav month={month} />
            {days.error !== null && <ErrorAlert error={days.error} />}
            {days.loading && days.data === null && <Loading />}
            {days.data !== null && <MonthTable month={month} caption={monthTitle(month)} busy={days.loading} day={dayCell} />}
        </Section>
    );
}

export function CalendarEditPage({ id }: { id: string }) {
    const calendarId = Number(id);
    const form = useEditForm(() => api.getCalendar(calendarId), id, toDraft);
    const { edit, draft } = form;
    const editor = hasRole(...CALENDAR_EDITORS);
    const month = monthOrThisMonth(location.value.query.get('month') ?? '');
    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(t('calendar.editTitle'), edit);
    }
    const patch = calendarPatch(current, draft);
    return (
        <>
            <PageHeader title={current.name} description={t('calendar.editDescription', { version: current.version })} />
            <Breadcrumb href="/calendars" label={t('calendar.listTitle')} />
            <EditNotices
                form={form}
                path={`/calendars/${id}`}
                fields={[
                    { key: 'name', label: t('calendar.name') },
                    { key: 'weekly', label: t('calendar.weekly'), show: (v) => weeklySummary(v as BusinessCalendar['weekly']) },
                    { key: 'closed_days', label: t('calendar.closedDays') },
                    { key: 'open_days', label: t('calendar.openDays') },
                    { key: 'description', label: t('calendar.description') },
                ]}
            />
            {/* Keyed by version: the month view follows saved rule changes. */}
            <MonthView key={current.version} calendarId={calendarId} month={month} />
            <EditFormSection
                title={t('calendar.rules')}
                form={form}
                update={(etag) => api.updateCalendar(calendarId, patch, etag)}
                dirty={Object.keys(patch).length > 0}
                shown={SHOWN}
                readOnly={!editor}
                times={current}
            >
                <CalendarFields draft={draft} set={form.change} errors={fieldErrors(edit.error)} readOnly={!editor} />
            </EditFormSection>
        </>
    );
}
