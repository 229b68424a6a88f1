// A monitor's measured values over a period (GET /monitors/{id}/results) drawn with uPlot: every
// check (`raw`) as one line, or per bucket (`1m`, `1h`) the average with the minimum and maximum as
// a band; the warning and critical thresholds as dashed lines. The canvas is for the eye; the same
// figures are said in words under it (count, minimum, average, maximum), for screen readers too.
// Values carry the unit of the monitor's type (ms, %, a load average, bytes/s, a count).
//
// uPlot styles its parts through the CSSOM (element.style), which the console's
// Content-Security-Policy allows; its stylesheet is bundled with ours. Colours come from the
// stylesheet's custom properties so that the chart follows the console's palette.

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import type { MonitorResults } from '../api/client.ts';
import { valueText } from './monitoring.tsx';
import { display, displayZone, formatDateTime, formatNumber } from '../i18n/format.ts';
import { lang, t } from '../i18n/index.ts';

const HEIGHT = 260;

/** The chart's series as uPlot takes them: x in seconds, then one array per line. */
function seriesData(results: MonitorResults): uPlot.AlignedData {
    const xs = results.items.map((r) => Date.parse(r.at) / 1000);
    if (results.step === 'raw') {
        return [xs, results.items.map((r) => r.value)];
    }
    return [
        xs,
        results.items.map((r) => r.avg),
        results.items.map((r) => r.min),
        results.items.map((r) => r.max),
    ];
}

export interface ValueSummary {
    count: number;
    min: number;
    max: number;
    avg: number;
}

/** The count, minimum, average and maximum of the measured values, or null when there are none. */
export function summarise(results: MonitorResults): ValueSummary | null {
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    if (results.step === 'raw') {
        for (const r of results.items) {
            if (r.value !== null) {
                count += 1;
                sum += r.value;
                min = Math.min(min, r.value);
                max = Math.max(max, r.value);
            }
        }
    } else {
        for (const r of results.items) {
            if (r.avg !== null && r.count > 0) {
                count += r.count;
                sum += r.avg * r.count;
                min = Math.min(min, r.min ?? r.avg);
                max = Math.max(max, r.max ?? r.avg);
            }
        }
    }
    return count === 0 ? null : { count, min, max, avg: sum / count };
}

function cssColour(name: string, fallback: string): string {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value === '' ? fallback : value;
}

/** A tick of the time axis in the display zone: the date for whole days, else the time (with the date at midnight). */
function timeTick(seconds: number, incr: number): string {
    const f = new Intl.DateTimeFormat('en-US', {
        timeZone: displayZone(),
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
    }).formatToParts(new Date(seconds * 1000));
    const get = (type: Intl.DateTimeFormatPartTypes): string => f.find((p) => p.type === type)?.value ?? '';
    const date = lang.value === 'ja' ? `${get('month')}/${get('day')}` : `${get('month')}-${get('day')}`;
    const time = incr < 60 ? `${get('hour')}:${get('minute')}:${get('second')}` : `${get('hour')}:${get('minute')}`;
    if (incr >= 86_400) {
        return date;
    }
    return get('hour') === '00' && get('minute') === '00' ? `${date}\n${time}` : time;
}

export function MonitorChart({
    results,
    from,
    to,
    warning,
    critical,
    label,
    type,
}: {
    results: MonitorResults;
    /** The period shown (ms): the time axis spans all of it, however few the values. */
    from: number;
    to: number;
    warning: number | null;
    critical: number | null;
    /** What the chart shows, for its heading and the summary. */
    label: string;
    /** The monitor's type, which says the value's unit (`12.3 ms`, `45.6%`). */
    type: string;
}) {
    const ms = (v: number | null | undefined): string => valueText(type, v);
    const ref = useRef<HTMLDivElement>(null);
    const summary = summarise(results);
    // Re-drawn for new data, a change of language or display zone (ticks and legend follow them).
    const zone = displayZone();
    const language = lang.value;
    const calendar = display.value.calendar;
    useEffect(() => {
        const el = ref.current;
        if (!el || summary === null) {
            return;
        }
        const line = cssColour('--primary', '#0a58a8');
        const band = cssColour('--primary-soft', '#e5eef9');
        const warn = cssColour('--warning-line', '#e0a800');
        const crit = cssColour('--danger', '#b3261e');
        const grid = cssColour('--border', '#cfd6df');
        const text = cssColour('--muted', '#4f5b6b');
        const data = seriesData(results);
        const n = data[0].length;
        const series: uPlot.Series[] = [
            { label: t('monitor.chartTime'), value: (_u, v) => (v === null ? '—' : formatDateTime(new Date(v * 1000))) },
        ];
        if (results.step === 'raw') {
            series.push({ label: t('monitor.chartValue'), stroke: line, width: 2, value: (_u, v) => ms(v) });
        } else {
            series.push(
                { label: t('monitor.chartAvg'), stroke: line, width: 2, value: (_u, v) => ms(v) },
                { label: t('monitor.chartMin'), stroke: band, width: 1, value: (_u, v) => ms(v) },
                { label: t('monitor.chartMax'), stroke: band, width: 1, value: (_u, v) => ms(v) },
            );
        }
        const thresholds: [number | null, string, string][] = [
            [warning, t('monitor.warning'), warn],
            [critical, t('monitor.critical'), crit],
        ];
        const lines: (number | null)[][] = [];
        for (const [value, name, colour] of thresholds) {
            if (value !== null) {
                series.push({ label: name, stroke: colour, width: 1, dash: [6, 4], points: { show: false }, value: () => ms(value) });
                lines.push(Array<number>(n).fill(value));
            }
        }
        const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
        const opts: uPlot.Options = {
            width: Math.max(el.clientWidth, 200),
            height: HEIGHT,
            tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone),
            series,
            bands: results.step === 'raw' ? [] : [{ series: [3, 2], fill: band }],
            scales: { x: { time: true, range: [from / 1000, to / 1000] } },
            axes: [
                { ...axis, values: (_u, splits, _i, _space, incr) => splits.map((s) => timeTick(s, incr)) },
                { ...axis, size: 72, values: (_u, splits) => splits.map((v) => valueText(type, v)) },
            ],
            cursor: { drag: { x: false, y: false } },
        };
        const plot = new uPlot(opts, [...data, ...lines] as uPlot.AlignedData, el);
        const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height: HEIGHT }));
        resize.observe(el);
        return () => {
            resize.disconnect();
            plot.destroy();
        };
    }, [results, from, to, warning, critical, zone, language, calendar, type]);

    if (summary === null) {
        return <p class="muted chart-empty">{t('monitor.noData')}</p>;
    }
    return (
        <figure class="chart">
            <div ref={ref} class="chart-canvas" aria-hidden="true" />
            <figcaption class="chart-summary">
                {t('monitor.chartSummary', {
                    what: label,
                    count: formatNumber(summary.count),
                    min: ms(summary.min),
                    avg: ms(summary.avg),
                    max: ms(summary.max),
                })}
                {results.step !== 'raw' && <span class="muted"> {t(`monitor.step.${results.step}`)}</span>}
            </figcaption>
        </figure>
    );
}
