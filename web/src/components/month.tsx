// One month as a wall calendar in a Japanese office reads: a week per row, Monday first, and the
// way to the month before, the month after and this one (kept in the URL as ?month=YYYY-MM).
// Months are `YYYY-MM` strings and "this month" is this month in Japan. Used by the business
// calendars, the planned stops and the availability page.

import type { ComponentChildren } from 'preact';

import type { Weekday } from '../api/client.ts';
import { setQuery } from '../app/router.tsx';
import { lang, t, type MessageKey } from '../i18n/index.ts';

/** Monday first, as calendars are read in Japanese offices. */
export const WEEK_FROM_MONDAY: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function weekdayLabel(day: Weekday): string {
    return t(`weekday.${day}` as MessageKey);
}

/** `YYYY-MM` of today in Japan. */
export function thisMonth(): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' }).format(new Date());
}

/** `YYYY-MM-DD` of today in Japan. */
export function todayInJapan(): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        new Date(),
    );
}

/** The day `by` days after `date` (`YYYY-MM-DD`; before it when negative). */
export function shiftDay(date: string, by: number): string {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d + by)).toISOString().slice(0, 10);
}

/** The weekday of `date` (`YYYY-MM-DD`). */
export function weekdayOf(date: string): Weekday {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return WEEK_FROM_MONDAY[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7] ?? 'mon';
}

/** `value` when it is a month (`YYYY-MM`), else this month. */
export function monthOrThisMonth(value: string): string {
    return /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : thisMonth();
}

/** The month `by` months after `month` (before it when negative). */
export function shiftMonth(month: string, by: number): string {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const d = new Date(Date.UTC(y, m - 1 + by, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** `2026年11月` (ja), `2026-11` (en). */
export function monthTitle(month: string): string {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return lang.value === 'ja' ? `${y}年${m}月` : `${y}-${String(m).padStart(2, '0')}`;
}

/** The month's title between the buttons to the month before and after, and one to this month. */
export function MonthNav({ month }: { month: string }) {
    const go = (to: string): void => setQuery({ month: to }, { replace: true });
    return (
        <div class="month-nav">
            <button type="button" class="button button-small" onClick={() => go(shiftMonth(month, -1))}>
                {t('calendar.prevMonth')}
            </button>
            <p class="month-title" aria-live="polite">
                {monthTitle(month)}
            </p>
            <button type="button" class="button button-small" onClick={() => go(shiftMonth(month, 1))}>
                {t('calendar.nextMonth')}
            </button>
            <button type="button" class="button button-small" onClick={() => go(thisMonth())}>
                {t('calendar.thisMonth')}
            </button>
        </div>
    );
}

/** What a day's cell shows under its number, and its class beside `month-day`. */
export interface MonthDay {
    class?: string;
    content: ComponentChildren;
}

/**
 * The days of `month` (`YYYY-MM-DD` each), a week per row, with blank cells before the 1st and after
 * the last; `day` says what each shows (null: a blank cell).
 */
export function MonthTable({
    month,
    caption,
    busy,
    day,
}: {
    month: string;
    caption: string;
    busy: boolean;
    day: (date: string) => MonthDay | null;
}) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    // Blank cells before the 1st: Monday is the first column.
    const lead = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
    const cells: (number | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length: last }, (_, i) => i + 1)];
    while (cells.length % 7 !== 0) {
        cells.push(null);
    }
    const weeks: (number | null)[][] = [];
    for (let i = 0; i < cells.length; i += 7) {
        weeks.push(cells.slice(i, i + 7));
    }
    return (
        <table class="month" aria-busy={busy}>
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    {WEEK_FROM_MONDAY.map((d) => (
                        <th key={d} scope="col" class={`month-head month-${d}`}>
                            {weekdayLabel(d)}
                        </th>
                    ))}
                </tr>
            </thead>
            <tbody>
                {weeks.map((week, i) => (
                    <tr key={i}>
                        {week.map((n, j) => {
                            const date = n === null ? null : `${month}-${String(n).padStart(2, '0')}`;
                            const shown = date === null ? null : day(date);
                            if (date === null || shown === null) {
                                return <td key={j} class="month-blank" />;
                            }
                            return (
                                <td key={date} class={shown.class ? `month-day ${shown.class}` : 'month-day'} data-date={date}>
                                    <span class="month-num">{n}</span>
                                    {shown.content}
                                </td>
                            );
                        })}
                    </tr>
                ))}
            </tbody>
        </table>
    );
}
