// The pieces the jobnet pages share (docs/jobs.md): who may do what, a run's or job's state as a
// mark, words and colour (never colour alone), a job type in words, a schedule in words, and the
// DAG of a jobnet's jobs as an SVG (layers by dependency depth, arrows parent → child, boxes
// coloured by state in a run; the jobs of a nested jobnet, `sub/a`, with their prefix on a line of
// its own).

import { useId } from 'preact/hooks';

import { WEEKDAYS, type JobDefinition, type JobnetSchedule } from '../api/client.ts';
import { isMessageKey, t } from '../i18n/index.ts';
import { weekdayLabel } from './month.tsx';

/** Who may define jobnets: a command job runs a program on the unyo host as unyo's user. */
export const JOBNET_EDITORS = ['admin'] as const;

/** Who may start runs and act on them (rerun, skip, hold, kill, …). */
export const JOB_OPERATORS = ['admin', 'manager', 'operator'] as const;

/** Who may approve or reject an approval job (JOB-6: the owner decides, the operator reruns). */
export const JOB_APPROVERS = ['admin', 'manager'] as const;

/** Each state's look: the class of its colour (shared with the monitors' states) and a mark. */
const LOOKS: Record<string, { cls: string; mark: string }> = {
    waiting: { cls: 'pending', mark: '…' },
    pending: { cls: 'pending', mark: '…' },
    running: { cls: 'running', mark: '▶' },
    retrying: { cls: 'warning', mark: '↻' },
    succeeded: { cls: 'ok', mark: '●' },
    forced: { cls: 'ok', mark: '✔' },
    waiting_approval: { cls: 'warning', mark: '◇' },
    failed: { cls: 'critical', mark: '✖' },
    killed: { cls: 'warning', mark: '■' },
    skipped: { cls: 'unreachable', mark: '↷' },
    // A branch a judge did not take: it never ran (no start time), and what waits on it goes on.
    bypassed: { cls: 'unreachable', mark: '↛' },
    missed: { cls: 'unknown', mark: '?' },
    lost: { cls: 'unknown', mark: '?' },
};

/** The words of a run's or a job's status (実行中, 異常終了, …); the server's code when unknown. */
export function jobStatusLabel(status: string): string {
    const key = `jobStatus.${status}`;
    return isMessageKey(key) ? t(key) : status;
}

/** The mark of a run's or job's status. */
export function jobStatusMark(status: string): string {
    return LOOKS[status]?.mark ?? '?';
}

/** A run's or a job's status: its mark and words in its colour. */
export function JobStatusBadge({ status }: { status: string }) {
    const look = LOOKS[status] ?? { cls: 'unknown', mark: '?' };
    return (
        <span class={`state state-${look.cls}`} data-status={status}>
            <span class="state-mark" aria-hidden="true">
                {look.mark}
            </span>
            {jobStatusLabel(status)}
        </span>
    );
}

/** A job type in words (コマンド, 判定, …); the server's code when unknown. */
export function jobTypeLabel(type: string): string {
    const key = `jobType.${type}`;
    return isMessageKey(key) ? t(key) : type;
}

/** A run that is waiting or running (an action that ends it can answer before its jobs have stopped). */
export function isRunActive(status: string): boolean {
    return status === 'running' || status === 'waiting';
}

/** A job that is running or about to run again. */
export function isJobActive(status: string): boolean {
    return status === 'running' || status === 'retrying';
}

/**
 * The console page of what a job alert is about (docs/jobs.md, Alerts): the run of
 * `jobnet-run:{id}` (and its `:start-late` / `:end-late`), the jobnet of `jobnet:{id}:missed:…`.
 */
export function jobAlertHref(dedupKey: string): string | null {
    const run = /^jobnet-run:(\d+)(:|$)/.exec(dedupKey);
    if (run) {
        return `/jobnet-runs/${run[1]}`;
    }
    const jobnet = /^jobnet:(\d+):/.exec(dedupKey);
    return jobnet ? `/jobnets/${jobnet[1]}` : null;
}

// ---- a schedule in words ----

/** The rule's days in words: 毎月最終営業日, 毎週 月・水・金, cron `0 23 * * 1-5`. */
function daysText(s: JobnetSchedule): string {
    const d = s.days;
    switch (d.rule) {
        case 'every_open_day':
            return t('jobnet.rule.every_open_day');
        case 'weekdays':
            return t('jobnet.summary.weekdays', {
                days: (d.weekdays ?? []).map((n) => weekdayLabel(WEEKDAYS[n] ?? 'sun')).join('・'),
            });
        case 'nth_open_day':
            return t('jobnet.summary.nthOpenDay', { n: d.n ?? 1 });
        case 'last_open_day':
            return t('jobnet.rule.last_open_day');
        case 'nth_day_from_end':
            return (d.n ?? 1) === 1 ? t('jobnet.summary.lastDay') : t('jobnet.summary.nthDayFromEnd', { n: d.n ?? 1 });
        case 'dates':
            return t('jobnet.summary.dates', { dates: listed(d.dates ?? []) });
        case 'yearly':
            return t('jobnet.summary.yearly', { days: listed(d.month_days ?? []) });
        case 'cron':
            return t('jobnet.summary.cron', { cron: d.cron ?? '' });
        default:
            return String(d.rule);
    }
}

/** The first few of a list, then how many more. */
function listed(items: readonly string[], shown = 3): string {
    const head = items.slice(0, shown).join('、');
    return items.length > shown ? t('jobnet.summary.more', { list: head, more: items.length - shown }) : head;
}

/** Rules that may choose a closed day, so the shift applies. */
const SHIFTING_RULES: readonly string[] = ['weekdays', 'nth_day_from_end', 'dates', 'yearly'];

/**
 * A schedule in words, as parts: the days (with what happens on a closed day when the rule may
 * choose one), the start times and the base time when it is not midnight. Null: 手動実行のみ.
 */
export function scheduleSummary(s: JobnetSchedule | null): { days: string; times: string } {
    if (!s) {
        return { days: t('jobnet.manualOnly'), times: '' };
    }
    let days = daysText(s);
    if (SHIFTING_RULES.includes(s.days.rule) && s.shift) {
        days = `${days} (${t(`jobnet.shiftShort.${s.shift}`)})`;
    }
    const starts = (s.start_times ?? []).join(', ');
    const base = s.base_time && s.base_time !== '00:00' ? t('jobnet.summary.base', { time: s.base_time }) : '';
    return { days, times: [starts, base].filter(Boolean).join(' ') };
}

// ---- the DAG ----

/** What the graph needs of a job: its key, name, parents and type (told in the box's title). */
export type GraphJob = Pick<JobDefinition, 'key' | 'name' | 'after'> & { type?: string };

const NODE_W = 168;
const NODE_H = 44;
/** A box of a graph with nested jobnets' jobs: room for the prefix line (`sub/`) above the key. */
const NESTED_NODE_H = 58;
/** The baseline step between the lines of a box. */
const LINE_H = 17;
const GAP_X = 56;
const GAP_Y = 14;
const PAD = 8;
/** Beyond this many jobs the graph is not drawn (the table lists them). */
export const GRAPH_MAX_JOBS = 300;

/**
 * Each job's layer: 0 without parents, else one more than its deepest parent. Unknown parents are
 * left out and a cycle (refused by the server, possible in a draft) counts as no parent.
 */
export function layersOf(jobs: readonly GraphJob[]): Map<string, number> {
    const byKey = new Map(jobs.map((j) => [j.key, j]));
    const depth = new Map<string, number>();
    const visiting = new Set<string>();
    const visit = (key: string): number => {
        const known = depth.get(key);
        if (known !== undefined) {
            return known;
        }
        if (visiting.has(key)) {
            return -1;
        }
        visiting.add(key);
        let d = 0;
        for (const parent of byKey.get(key)?.after ?? []) {
            if (byKey.has(parent)) {
                d = Math.max(d, visit(parent) + 1);
            }
        }
        visiting.delete(key);
        depth.set(key, d);
        return d;
    };
    for (const j of jobs) {
        visit(j.key);
    }
    return depth;
}

function clip(text: string, max: number): string {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The end of `text` when it is too long (a prefix's innermost jobnet matters most). */
function clipStart(text: string, max: number): string {
    return text.length > max ? `…${text.slice(text.length - max + 1)}` : text;
}

/** A run job's key split at its last '/': the nested jobnets' prefix (`sub/inner/`) and its own key. */
export function splitJobKey(key: string): { prefix: string; leaf: string } {
    const at = key.lastIndexOf('/');
    return at < 0 ? { prefix: '', leaf: key } : { prefix: key.slice(0, at + 1), leaf: key.slice(at + 1) };
}

/**
 * The jobs as boxes in layers left to right (a job right of every job it waits for), with an arrow
 * from each parent to its child. With `statuses` (a run), each box has its job's colour and mark.
 */
export function JobGraph({
    jobs,
    statuses,
    label,
}: {
    jobs: readonly GraphJob[];
    statuses?: Readonly<Record<string, string>>;
    label: string;
}) {
    const markerId = `arrow-${useId()}`;
    if (jobs.length === 0) {
        return <p class="muted">{t('jobnet.noJobs')}</p>;
    }
    if (jobs.length > GRAPH_MAX_JOBS) {
        return <p class="muted">{t('jobnet.graphTooLarge', { count: jobs.length, max: GRAPH_MAX_JOBS })}</p>;
    }
    const layers = layersOf(jobs);
    const nodeH = jobs.some((j) => j.key.includes('/')) ? NESTED_NODE_H : NODE_H;
    const columns: GraphJob[][] = [];
    for (const j of jobs) {
        const d = layers.get(j.key) ?? 0;
        (columns[d] ??= []).push(j);
    }
    const place = new Map<string, { x: number; y: number }>();
    columns.forEach((col, i) =>
        col.forEach((j, row) => place.set(j.key, { x: PAD + i * (NODE_W + GAP_X), y: PAD + row * (nodeH + GAP_Y) })),
    );
    const width = PAD * 2 + columns.length * NODE_W + (columns.length - 1) * GAP_X;
    const rows = Math.max(...columns.map((c) => c?.length ?? 0));
    const height = PAD * 2 + rows * nodeH + (rows - 1) * GAP_Y;
    const edges = jobs.flatMap((j) =>
        (j.after ?? [])
            .filter((p) => place.has(p) && p !== j.key)
            .map((p) => ({ from: place.get(p)!, to: place.get(j.key)!, id: `${p}→${j.key}` })),
    );
    return (
        <div class="job-graph-wrap">
            <svg
                class="job-graph"
                viewBox={`0 0 ${width} ${height}`}
                width={width}
                height={height}
                role="img"
                aria-label={label}
            >
                <defs>
                    <marker id={markerId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
                        <path d="M0,0 L10,5 L0,10 z" class="job-graph-arrowhead" />
                    </marker>
                </defs>
                {edges.map((e) => {
                    const x1 = e.from.x + NODE_W;
                    const y1 = e.from.y + nodeH / 2;
                    const x2 = e.to.x;
                    const y2 = e.to.y + nodeH / 2;
                    const bend = Math.max((x2 - x1) / 2, 20);
                    return (
                        <path
                            key={e.id}
                            class="job-graph-edge"
                            d={`M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`}
                            marker-end={`url(#${markerId})`}
                            data-edge={e.id}
                        />
                    );
                })}
                {jobs.map((j) => {
                    const p = place.get(j.key)!;
                    const status = statuses?.[j.key];
                    const { prefix, leaf } = splitJobKey(j.key);
                    const name = j.name && j.name !== j.key && j.name !== leaf ? j.name : '';
                    // The lines (prefix, key, name) centred in the box.
                    const lines = (prefix ? 1 : 0) + 1 + (name ? 1 : 0);
                    const first = p.y + (nodeH - lines * LINE_H) / 2 + 13;
                    const keyY = first + (prefix ? LINE_H : 0);
                    return (
                        <g key={j.key} class="job-graph-node" data-job={j.key} data-status={status}>
                            <title>
                                {[j.key, name, j.type ? jobTypeLabel(j.type) : '', status ? jobStatusLabel(status) : '']
                                    .filter(Boolean)
                                    .join(' — ')}
                            </title>
                            <rect
                                class={`job-box job-fill-${status ?? 'none'}`}
                                x={p.x}
                                y={p.y}
                                width={NODE_W}
                                height={nodeH}
                                rx={4}
                            />
                            {prefix && (
                                <text class="job-graph-prefix" x={p.x + 8} y={first} data-prefix={prefix}>
                                    {clipStart(prefix, 24)}
                                </text>
                            )}
                            <text class="job-graph-key" x={p.x + 8} y={keyY}>
                                {status ? `${jobStatusMark(status)} ` : ''}
                                {clip(leaf, status ? 18 : 20)}
                            </text>
                            {name && (
                                <text class="job-graph-name" x={p.x + 8} y={keyY + LINE_H}>
                                    {clip(name, 14)}
                                </text>
                            )}
                        </g>
                    );
                })}
            </svg>
        </div>
    );
}
