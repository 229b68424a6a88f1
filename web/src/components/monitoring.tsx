// The pieces the monitoring pages share: a state in words with its colour and mark (never colour
// alone), the monitors polled every few seconds, the "updated at" line of a live page, and a
// picker of monitors (a monitor's parents, the monitors a planned stop covers).

import type { Monitor, MonitorAlert, MonitorState } from '../api/client.ts';
import { api } from '../app/session.ts';
import { formatDateTime, formatNumber } from '../i18n/format.ts';
import { isMessageKey, t } from '../i18n/index.ts';
import { FieldSet, tickId } from './form.tsx';
import { kindOf, monitorTypeLabel } from './monitor-types.ts';
import { usePoll, type Polled } from './use-poll.ts';

/** Who may add, change and delete monitors and schedule planned stops. */
export const MONITOR_STAFF = ['admin', 'manager', 'operator'] as const;

/** How often the live pages ask again. */
export const LIVE_POLL_MS = 5_000;

/** Worst first: the order of counts and of problems. */
export const STATE_ORDER: readonly MonitorState[] = ['critical', 'warning', 'unknown', 'unreachable', 'pending', 'ok'];

/** The states that are a problem someone should look at (unreachable follows its parent's). */
export const PROBLEM_STATES: readonly MonitorState[] = ['critical', 'warning', 'unknown'];

/** A mark beside the words, so that a state is told apart without colour. */
const MARKS: Record<MonitorState, string> = {
    ok: '●',
    warning: '▲',
    critical: '✖',
    unknown: '?',
    unreachable: '⊘',
    pending: '…',
};

export function monitorStateLabel(state: string): string {
    const key = `monitorState.${state}`;
    return isMessageKey(key) ? t(key) : state;
}

/** The monitor's hard state, `pending` before the engine has one. */
export function stateOf(m: Monitor): MonitorState {
    return m.status?.state ?? 'pending';
}

/** The state's mark and words in its colour. */
export function StateBadge({ state }: { state: string }) {
    const known = STATE_ORDER.includes(state as MonitorState) ? (state as MonitorState) : 'unknown';
    return (
        <span class={`state state-${known}`} data-state={state}>
            <span class="state-mark" aria-hidden="true">
                {MARKS[known]}
            </span>
            {monitorStateLabel(state)}
        </span>
    );
}

/** Acknowledged and not lapsed (servers before expiries say only who acknowledged). */
export function isAcknowledged(a: MonitorAlert): boolean {
    return a.acknowledged ?? a.acknowledged_at !== null;
}

/** Where an alert came from: 監視, イベント, Alertmanager, 監視エンジン. */
export function alertSourceLabel(source: string): string {
    const key = `alert.source.${source}`;
    return isMessageKey(key) ? t(key) : source;
}

export { monitorTypeLabel };

/** What a monitor checks, in short: `db01:5432`, the URL, the path, the process, or the type. */
export function targetText(m: Pick<Monitor, 'type' | 'target'>): string {
    const summary = kindOf(m.type).summary;
    return summary ? summary(m.target) : monitorTypeLabel(m.type);
}

/** The unit of a type's measured value, for labels: ミリ秒, %, 日, 行, 件, or '' (a load average, a plugin's value). */
export function valueUnit(type: string): string {
    switch (kindOf(type).value) {
        case 'ms':
            return t('monitor.unit.ms');
        case 'percent':
            return '%';
        case 'bytesPerSecond':
            return t('monitor.unit.bytesPerSecond');
        case 'count':
            return t('monitor.unit.count');
        case 'days':
            return t('monitor.unit.days');
        case 'lines':
            return t('monitor.unit.lines');
        case 'links':
            return t('monitor.unit.links');
        default:
            return '';
    }
}

const BYTE_UNITS = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'] as const;

/** A measured value with its unit: `12.3 ms`, `45.6%`, `0.52`, `1.2 MiB/s`, `3`, `27 日`, `4 行`. */
export function valueText(type: string, value: number | null | undefined): string {
    if (value === null || value === undefined || !Number.isFinite(value)) {
        return '—';
    }
    switch (kindOf(type).value) {
        case 'ms':
            return `${formatNumber(Math.round(value * 10) / 10)} ms`;
        case 'percent':
            return `${value.toFixed(1)}%`;
        case 'load':
            return value.toFixed(2);
        case 'bytesPerSecond': {
            let v = value;
            let i = 0;
            while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1) {
                v /= 1024;
                i += 1;
            }
            return `${i === 0 ? Math.round(v) : v.toFixed(1)} ${BYTE_UNITS[i]}`;
        }
        case 'count':
            return formatNumber(Math.round(value));
        case 'days':
            return t('monitor.value.days', { n: formatNumber(Math.round(value * 10) / 10) });
        case 'lines':
            return t('monitor.value.lines', { n: formatNumber(Math.round(value)) });
        case 'links':
            return t('monitor.value.links', { n: formatNumber(Math.round(value)) });
        default:
            return formatNumber(Math.round(value * 100) / 100);
    }
}

/** The service's name, or 未分類 for monitors without one. */
export function serviceLabel(service: string): string {
    return service === '' ? t('monitor.noService') : service;
}

/** Every monitor with its live state, asked again every `intervalMs`. */
export function useMonitors(intervalMs = LIVE_POLL_MS): Polled<Monitor[]> {
    return usePoll(async () => (await api.listMonitors()).items, intervalMs, []);
}

/** 自動更新 (N 秒ごと) and when the data shown was loaded. */
export function LiveNote({ polled, intervalMs = LIVE_POLL_MS }: { polled: Polled<unknown>; intervalMs?: number }) {
    const failing = polled.error !== null && polled.data !== null;
    return (
        <p class={`live ${failing ? 'live-connecting' : 'live-open'}`} data-live={failing ? 'failing' : 'ok'}>
            <span class="live-dot" aria-hidden="true" />
            {t('monitor.live', { seconds: Math.round(intervalMs / 1000) })}
            {polled.at !== null && (
                <span class="live-at">{t('monitor.updatedAt', { at: formatTime(polled.at) })}</span>
            )}
            {failing && <span class="live-at">{t('monitor.liveFailing')}</span>}
        </p>
    );
}

/** `HH:MM:SS` of an instant in the display zone (the status board's "updated at"). */
function formatTime(at: number): string {
    const text = formatDateTime(new Date(at));
    const seconds = String(new Date(at).getSeconds()).padStart(2, '0');
    return `${text}:${seconds}`;
}

/** Check boxes of monitors, grouped by service; `exclude` leaves one out (a monitor is not its own parent). */
export function MonitorPicker({
    id,
    legend,
    hint,
    monitors,
    chosen,
    onChosen,
    exclude,
    error,
    readOnly,
}: {
    id: string;
    legend: string;
    hint?: string;
    monitors: readonly Monitor[] | null;
    chosen: readonly number[];
    onChosen: (ids: number[]) => void;
    exclude?: number;
    error: string | undefined;
    readOnly: boolean;
}) {
    const offered = (monitors ?? []).filter((m) => m.id !== exclude);
    const services = [...new Set(offered.map((m) => m.service))].sort(compareServices);
    return (
        <FieldSet id={id} legend={legend} hint={hint} error={error} class="monitor-picker">
            {monitors === null && <p class="muted small">{t('common.loading')}</p>}
            {monitors !== null && offered.length === 0 && <p class="muted small">{t('monitor.noneToPick')}</p>}
            {services.map((service) => (
                <div key={service} class="picker-group">
                    <p class="picker-group-title">{serviceLabel(service)}</p>
                    {offered
                        .filter((m) => m.service === service)
                        .map((m) => (
                            <label key={m.id} class="check">
                                <input
                                    type="checkbox"
                                    checked={chosen.includes(m.id)}
                                    disabled={readOnly}
                                    onChange={(e) => onChosen(tickId(chosen, m.id, e.currentTarget.checked))}
                                />
                                {m.name}
                            </label>
                        ))}
                </div>
            ))}
        </FieldSet>
    );
}

/** Services by name, 未分類 (the empty service) last. */
export function compareServices(a: string, b: string): number {
    if (a === '' || b === '') {
        return a === b ? 0 : a === '' ? 1 : -1;
    }
    return a.localeCompare(b, 'ja');
}
