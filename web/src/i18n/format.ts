// Dates and numbers as users read them: instants shown in Asia/Tokyo (or, by choice, the browser's
// zone), `YYYY/MM/DD HH:mm` in Japanese, optionally in the Japanese calendar (和暦, e.g.
// 令和8年11月23日 14:05). The display options are remembered in localStorage.

import { signal } from '@preact/signals';

import { lang, readStored, remember, t } from './index.ts';

export type CalendarChoice = 'gregorian' | 'japanese';
export type ZoneChoice = 'tokyo' | 'browser';

export interface DisplaySettings {
    calendar: CalendarChoice;
    zone: ZoneChoice;
}

const STORAGE_KEY = 'unyo.display';
const TOKYO = 'Asia/Tokyo';

function load(): DisplaySettings {
    const settings: DisplaySettings = { calendar: 'gregorian', zone: 'tokyo' };
    try {
        const parsed = JSON.parse(readStored(STORAGE_KEY) ?? '{}') as Partial<DisplaySettings>;
        if (parsed.calendar === 'japanese') {
            settings.calendar = 'japanese';
        }
        if (parsed.zone === 'browser') {
            settings.zone = 'browser';
        }
    } catch {
        // unreadable: defaults
    }
    return settings;
}

export const display = signal<DisplaySettings>(load());

export function setDisplay(patch: Partial<DisplaySettings>): void {
    display.value = { ...display.value, ...patch };
    remember(STORAGE_KEY, JSON.stringify(display.value));
}

/** The IANA zone instants are shown in. */
export function displayZone(): string {
    if (display.value.zone === 'browser') {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || TOKYO;
    }
    return TOKYO;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const key = locale + JSON.stringify(options);
    let f = formatters.get(key);
    if (!f) {
        f = new Intl.DateTimeFormat(locale, options);
        formatters.set(key, f);
    }
    return f;
}

interface Fields {
    year: string;
    month: string;
    day: string;
    hour: string;
    minute: string;
}

/** The wall-clock fields of `date` in `zone` (Gregorian, zero-padded, 24-hour). */
function fields(date: Date, zone: string): Fields {
    const parts = formatter('en-US', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
    }).formatToParts(date);
    const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
    return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

function parse(instant: string | Date): Date | null {
    const date = instant instanceof Date ? instant : new Date(instant);
    return Number.isNaN(date.getTime()) ? null : date;
}

function eraDate(date: Date, zone: string): string {
    if (lang.value === 'ja') {
        return formatter('ja-JP-u-ca-japanese', {
            timeZone: zone,
            era: 'long',
            year: 'numeric',
            month: 'long',
            day: 'numeric',
        }).format(date);
    }
    return formatter('en-US-u-ca-japanese', {
        timeZone: zone,
        era: 'short',
        year: 'numeric',
        month: 'short',
        day: 'numeric',
    }).format(date);
}

/**
 * `2026/11/23 14:05` (ja), `2026-11-23 14:05` (en), or `令和8年11月23日 14:05` with 和暦; in the display
 * zone unless `zone` is given.
 */
export function formatDateTime(instant: string | Date | null | undefined, zone = displayZone()): string {
    const date = instant == null ? null : parse(instant);
    if (!date) {
        return '';
    }
    const f = fields(date, zone);
    const time = `${f.hour}:${f.minute}`;
    if (display.value.calendar === 'japanese') {
        return `${eraDate(date, zone)} ${time}`;
    }
    const sep = lang.value === 'ja' ? '/' : '-';
    return `${f.year}${sep}${f.month}${sep}${f.day} ${time}`;
}

/** The date only, in the same style as `formatDateTime`. */
export function formatDate(instant: string | Date | null | undefined): string {
    const date = instant == null ? null : parse(instant);
    if (!date) {
        return '';
    }
    const zone = displayZone();
    if (display.value.calendar === 'japanese') {
        return eraDate(date, zone);
    }
    const f = fields(date, zone);
    const sep = lang.value === 'ja' ? '/' : '-';
    return `${f.year}${sep}${f.month}${sep}${f.day}`;
}

/** As `formatDateTime`, in Japan time whatever the display zone (job schedules are Japan time). */
export function formatTokyoDateTime(instant: string | Date | null | undefined): string {
    return formatDateTime(instant, TOKYO);
}

/** Milliseconds to add to UTC to get the wall clock of `zone` at `date`. */
function offsetMs(date: Date, zone: string): number {
    const f = fields(date, zone);
    const wall = Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute));
    return wall - Math.floor(date.getTime() / 60_000) * 60_000;
}

/**
 * The instant (RFC 3339 UTC) of a `datetime-local` value read as wall time in the display zone;
 * undefined for an empty or malformed value.
 */
export function localInputToInstant(value: string): string | undefined {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
    if (!m) {
        return undefined;
    }
    const zone = displayZone();
    const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
    let utc = wall - offsetMs(new Date(wall), zone);
    const again = wall - offsetMs(new Date(utc), zone);
    if (again !== utc) {
        utc = again; // the guess fell on the other side of a DST change
    }
    return new Date(utc).toISOString();
}

/** The `datetime-local` value showing `instant` as wall time in the display zone. */
export function instantToLocalInput(instant: string | undefined | null): string {
    const date = instant ? parse(instant) : null;
    if (!date) {
        return '';
    }
    const f = fields(date, displayZone());
    return `${f.year}-${f.month}-${f.day}T${f.hour}:${f.minute}`;
}

/** A count with the digit grouping of the current language. */
export function formatNumber(value: number): string {
    return value.toLocaleString(lang.value === 'ja' ? 'ja-JP' : 'en-US');
}

/**
 * The `datetime-local` value of `instant` as wall time in Japan, whatever the display zone: the
 * ledger's times are entered in Japan time (as the contracts state them).
 */
export function instantToTokyoInput(instant: string | null | undefined): string {
    const date = instant ? parse(instant) : null;
    if (!date) {
        return '';
    }
    const f = fields(date, TOKYO);
    return `${f.year}-${f.month}-${f.day}T${f.hour}:${f.minute}`;
}

/** A `datetime-local` value read as Japan time, as RFC 3339 with `+09:00` (Japan has no DST). */
export function tokyoInputToRfc3339(value: string): string | undefined {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+09:00` : undefined;
}

/** A length of time as `HH:MM:SS`, with days in front when there are any (`2日 03:04:05`). */
export function formatDuration(ms: number): string {
    const total = Math.floor(Math.abs(ms) / 1000);
    const days = Math.floor(total / 86_400);
    const pad = (n: number): string => String(n).padStart(2, '0');
    const time = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
    return days > 0 ? t('duration.days', { days, time }) : time;
}

/**
 * A length of time in words to the second, zero parts left out: `1時間2分3秒`, `2日3時間`, `0秒`
 * (ja); `1 h 2 min 3 s`, `2 d 3 h` (en).
 */
export function formatElapsed(ms: number): string {
    let rest = Math.floor(Math.abs(ms) / 1000);
    const parts: [number, 'd' | 'h' | 'min' | 's'][] = [];
    for (const [size, unit] of [
        [86_400, 'd'],
        [3600, 'h'],
        [60, 'min'],
        [1, 's'],
    ] as const) {
        const n = Math.floor(rest / size);
        rest -= n * size;
        if (n > 0) {
            parts.push([n, unit]);
        }
    }
    if (parts.length === 0) {
        parts.push([0, 's']);
    }
    const ja = { d: '日', h: '時間', min: '分', s: '秒' } as const;
    const sign = ms < 0 ? '-' : '';
    if (lang.value === 'ja') {
        return sign + parts.map(([n, u]) => `${n}${ja[u]}`).join('');
    }
    return sign + parts.map(([n, u]) => `${n} ${u}`).join(' ');
}

/** A ratio as a percentage with `digits` decimals: `99.950%`. */
export function formatPercent(ratio: number, digits = 3): string {
    return `${(ratio * 100).toFixed(digits)}%`;
}
