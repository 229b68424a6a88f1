// SLA clocks (INC-4, INQ-2) as people watch them: the deadline in the display zone (Japan time by
// default) and the time left counting down every second, in calm colours until the warning
// threshold (amber) and the breach (red); a met clock says 達成 and when.

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

import type { SlaClock } from '../api/client.ts';
import { formatDateTime, formatDuration } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';

/** The current time in ms, re-rendering the caller every second. */
export function useNow(): number {
    const [now, setNow] = useState(() => Date.now());
    useEffect(() => {
        const timer = window.setInterval(() => setNow(Date.now()), 1000);
        return () => window.clearInterval(timer);
    }, []);
    return now;
}

export type ClockTone = 'normal' | 'warning' | 'breached' | 'met' | 'paused';

/** How a clock stands at `now` (a running clock breaches at its deadline without a reload). */
export function clockTone(clock: SlaClock, now: number): ClockTone {
    if (clock.state === 'met') {
        return 'met';
    }
    if (clock.state === 'breached' || Date.parse(clock.target_at) <= now) {
        return 'breached';
    }
    if (clock.state === 'paused') {
        return 'paused';
    }
    return clock.warning || Date.parse(clock.warn_at) <= now ? 'warning' : 'normal';
}

/** The milliseconds left at `now` (negative once overdue); a paused clock keeps what it had, a
 * stopped one (met, in time or late) what it had when it stopped. */
export function clockRemaining(clock: SlaClock, now: number): number {
    if (clock.state === 'paused') {
        return clock.remaining_ms;
    }
    return Date.parse(clock.target_at) - (clock.met_at ? Date.parse(clock.met_at) : now);
}

/** What a clock says at `now`: 残り 03:12:05, 1日 02:00:00 超過, 達成 2026/11/21 09:30, 一時停止中,
 * and for one stopped after its deadline 1日 02:00:00 超過で停止 2026/11/22 11:30 (no longer counting). */
export function clockStatus(clock: SlaClock, now: number): string {
    const tone = clockTone(clock, now);
    if (tone === 'met') {
        return t('sla.met', { at: formatDateTime(clock.met_at) });
    }
    if (tone === 'paused') {
        return t('sla.paused');
    }
    const left = clockRemaining(clock, now);
    if (clock.met_at) {
        return t('sla.metLate', { time: formatDuration(left), at: formatDateTime(clock.met_at) });
    }
    return left < 0 ? t('sla.overdue', { time: formatDuration(left) }) : t('sla.remaining', { time: formatDuration(left) });
}

const TONE_WORD = {
    normal: 'sla.running',
    warning: 'sla.warning',
    breached: 'sla.breached',
    met: 'sla.done',
    paused: 'sla.paused',
} as const;

/** One clock in a row: label, deadline, and the live status with its colour. */
export function ClockRow({ clock, now, lead }: { clock: SlaClock; now: number; lead?: ComponentChildren }) {
    const tone = clockTone(clock, now);
    return (
        <li class={`clock clock-${tone}`} data-clock={clock.name}>
            <span class="clock-mark" aria-hidden="true" />
            <span class="clock-name">
                {lead}
                {clock.label}
                <span class="visually-hidden"> ({t(TONE_WORD[tone])})</span>
            </span>
            <span class="clock-deadline">
                {t('sla.deadline')} <time dateTime={clock.target_at}>{formatDateTime(clock.target_at)}</time>
            </span>
            <span class="clock-status" role="timer" aria-live="off">
                {clockStatus(clock, now)}
            </span>
        </li>
    );
}

/** A record's clocks, counting down. */
export function SlaClocks({ clocks }: { clocks: readonly SlaClock[] }) {
    const now = useNow();
    if (clocks.length === 0) {
        return <p class="muted">{t('record.noSla')}</p>;
    }
    return (
        <ul class="clocks">
            {clocks.map((c) => (
                <ClockRow key={c.name} clock={c} now={now} />
            ))}
        </ul>
    );
}
