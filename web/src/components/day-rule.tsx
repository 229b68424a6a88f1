// A day rule (docs/jobs.md: every open day, weekdays, the n-th open day, the last open day, days
// from the month's end, dates, yearly month-days, cron) as form fields: the rule and only the
// members it uses. Shared by a jobnet's schedule and a recurring event of the operation calendar;
// the server checks the rule and its refusals (`schedule.days.n`, `recurrence.days.rule`) are shown
// under their inputs.

import { JOBNET_DAY_RULES, WEEKDAYS, type BusinessCalendar, type JobnetDayRule, type JobnetDayRuleKind } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { FieldSet, SelectField, TextAreaField, TextField } from './form.tsx';
import { WEEK_FROM_MONDAY, weekdayLabel } from './month.tsx';

/** A day rule as typed. */
export interface DayRuleDraft {
    rule: JobnetDayRuleKind;
    /** 0 (Sunday) to 6. */
    weekdays: number[];
    n: string;
    /** One a line. */
    dates: string;
    month_days: string;
    cron: string;
}

/** The draft of `days` (the first rule, every open day, when none). */
export function dayRuleDraft(days: JobnetDayRule | undefined, rule: JobnetDayRuleKind = 'every_open_day'): DayRuleDraft {
    return {
        rule: days?.rule ?? rule,
        weekdays: [...(days?.weekdays ?? [])],
        n: String(days?.n ?? 1),
        dates: (days?.dates ?? []).join('\n'),
        month_days: (days?.month_days ?? []).join('\n'),
        cron: days?.cron ?? '',
    };
}

/** A number typed in a field; undefined when empty (the server's default applies). */
export function numberOf(value: string): number | undefined {
    const v = value.trim();
    return v === '' ? undefined : Number(v);
}

/** The entries of a list typed one a line (or separated by commas and spaces). */
export function entries(value: string): string[] {
    return value
        .split(/[\s,、]+/)
        .map((s) => s.trim())
        .filter(Boolean);
}

/** The members of `obj` that are not undefined. */
export function defined<T extends object>(obj: T): T {
    return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** The rule as the API takes it: the rule and only the members it uses. */
export function dayRuleInput(d: DayRuleDraft): JobnetDayRule {
    const days: JobnetDayRule = { rule: d.rule };
    switch (d.rule) {
        case 'weekdays':
            days.weekdays = [...d.weekdays].sort((a, b) => a - b);
            break;
        case 'nth_open_day':
        case 'nth_day_from_end':
            days.n = numberOf(d.n);
            break;
        case 'dates':
            days.dates = entries(d.dates);
            break;
        case 'yearly':
            days.month_days = entries(d.month_days);
            break;
        case 'cron':
            days.cron = d.cron.trim();
            break;
    }
    return defined(days);
}

/** The messages of the named fields, joined (a member and its parts share an input). */
export function errorOf(errors: Record<string, string>, ...fields: string[]): string | undefined {
    const found = fields.map((f) => errors[f]).filter(Boolean);
    return found.length > 0 ? found.join(' ') : undefined;
}

/** The fields of a day rule that the server may name under `prefix` (`schedule.days`). */
export function dayRuleFields(prefix: string): string[] {
    return [prefix, ...['rule', 'weekdays', 'n', 'dates', 'month_days', 'cron'].map((m) => `${prefix}.${m}`)];
}

/** Weekday check boxes, Monday first; the API numbers them from Sunday (0). */
function WeekdayPicker({
    id,
    chosen,
    onChosen,
    error,
    readOnly,
}: {
    id: string;
    chosen: readonly number[];
    onChosen: (days: number[]) => void;
    error: string | undefined;
    readOnly: boolean;
}) {
    return (
        <FieldSet id={id} legend={t('jobnet.weekdays')} error={error}>
            <div class="check-row">
                {WEEK_FROM_MONDAY.map((day) => {
                    const n = WEEKDAYS.indexOf(day);
                    return (
                        <label key={day} class="check">
                            <input
                                type="checkbox"
                                checked={chosen.includes(n)}
                                disabled={readOnly}
                                onChange={(e) =>
                                    onChosen(e.currentTarget.checked ? [...chosen, n].sort((a, b) => a - b) : chosen.filter((x) => x !== n))
                                }
                            />
                            {weekdayLabel(day)}
                        </label>
                    );
                })}
            </div>
        </FieldSet>
    );
}

/**
 * The rule (a choice labelled `label`) and the members it uses, with ids `${id}-rule`, `${id}-n`, …
 * and the errors the server names under `prefix` (`schedule.days`, `recurrence.days`).
 */
export function DayRuleFields({
    id,
    prefix,
    label,
    draft,
    set,
    errors,
    readOnly,
}: {
    id: string;
    prefix: string;
    label: string;
    draft: DayRuleDraft;
    set: (patch: Partial<DayRuleDraft>) => void;
    errors: Record<string, string>;
    readOnly: boolean;
}) {
    const rule = draft.rule;
    const text = (member: 'n' | 'dates' | 'month_days' | 'cron') => ({
        id: `${id}-${member.replace(/_/g, '-')}`,
        value: draft[member],
        onValue: (value: string) => set({ [member]: value }),
        error: errors[`${prefix}.${member}`],
        readOnly,
    });
    return (
        <>
            <SelectField
                id={`${id}-rule`}
                label={label}
                value={rule}
                onValue={(v) => set({ rule: v as JobnetDayRuleKind })}
                options={JOBNET_DAY_RULES.map((r) => ({ value: r, label: t(`jobnet.rule.${r}`) }))}
                error={errorOf(errors, prefix, `${prefix}.rule`)}
                hint={t(`jobnet.ruleHint.${rule}`)}
                disabled={readOnly}
            />
            {rule === 'weekdays' && (
                <WeekdayPicker
                    id={`${id}-weekdays`}
                    chosen={draft.weekdays}
                    onChosen={(weekdays) => set({ weekdays })}
                    error={errors[`${prefix}.weekdays`]}
                    readOnly={readOnly}
                />
            )}
            {(rule === 'nth_open_day' || rule === 'nth_day_from_end') && (
                <TextField
                    {...text('n')}
                    type="number"
                    label={t(rule === 'nth_open_day' ? 'jobnet.nthOpenDay' : 'jobnet.nthDayFromEnd')}
                    min={1}
                    max={31}
                />
            )}
            {rule === 'dates' && (
                <TextAreaField {...text('dates')} label={t('jobnet.dates')} hint={t('jobnet.datesHint')} class="mono" />
            )}
            {rule === 'yearly' && (
                <TextAreaField {...text('month_days')} label={t('jobnet.monthDays')} hint={t('jobnet.monthDaysHint')} class="mono" />
            )}
            {rule === 'cron' && (
                <TextField {...text('cron')} label={t('jobnet.cron')} hint={t('jobnet.cronHint')} class="mono" autoComplete="off" />
            )}
        </>
    );
}

/**
 * The business calendar a rule counts on (`calendar_id` as text; empty: the server's default), the
 * chosen one by its id while the list loads or when it is gone.
 */
export function CalendarField({
    id,
    value,
    onValue,
    calendars,
    error,
    readOnly,
}: {
    id: string;
    value: string;
    onValue: (calendarId: string) => void;
    calendars: readonly BusinessCalendar[] | null;
    error: string | undefined;
    readOnly: boolean;
}) {
    return (
        <SelectField
            id={id}
            label={t('jobnet.calendar')}
            value={value}
            onValue={onValue}
            options={[
                { value: '', label: t('jobnet.defaultCalendar') },
                ...(calendars ?? []).map((c) => ({ value: String(c.id), label: c.name })),
                ...(value !== '' && !(calendars ?? []).some((c) => String(c.id) === value) ? [{ value, label: `#${value}` }] : []),
            ]}
            error={error}
            hint={t('jobnet.calendarHint')}
            disabled={readOnly}
        />
    );
}
