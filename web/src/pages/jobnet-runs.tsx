// Jobnet runs (docs/jobs.md): a day's runs as a Gantt chart (本日の実行 unless another day is
// chosen: a bar per run, and per job when a run is opened, the start and end deadlines as lines,
// asked again every few seconds), the list of every run filtered by jobnet and status, and one
// run: its header, the DAG coloured by job state, the jobs with their output (a judge's verdict
// and why a job was bypassed shown open), the events, and the operator's actions (each asked with
// a comment first; an approval job's message beside 承認 / 却下; a 409 from the server is shown in
// place). The run is asked again every 2 s while it runs.

import { Fragment, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

import {
    ApiError,
    JOBNET_RUN_STATUSES,
    type JobnetRun,
    type JobnetRunAction,
    type JobnetRunDetail,
    type JobnetRunJob,
    type JobnetRunStatus,
} from '../api/client.ts';
import { Link, setQuery } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useAction } from '../components/action.tsx';
import { FilterBar, useUrlFilters, withAll } from '../components/filters.tsx';
import { fieldErrors } from '../components/errors.ts';
import { SelectField, TextAreaField } from '../components/form.tsx';
import {
    isJobActive,
    isRunActive,
    JOB_APPROVERS,
    JOB_OPERATORS,
    JobGraph,
    jobStatusLabel,
    JobStatusBadge,
    jobTypeLabel,
} from '../components/jobs.tsx';
import { LiveNote } from '../components/monitoring.tsx';
import { shiftDay, todayInJapan, weekdayLabel, weekdayOf } from '../components/month.tsx';
import { usePaged } from '../components/paged.tsx';
import { Breadcrumb, pendingEdit } from '../components/record.tsx';
import { DataTable, PagedTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePoll } from '../components/use-poll.ts';
import { formatElapsed, formatTokyoDateTime } from '../i18n/format.ts';
import { isMessageKey, t, type MessageKey } from '../i18n/index.ts';
import { serverMessage } from '../i18n/server.ts';

/** How often the day's chart is asked again. */
const DAY_POLL_MS = 5_000;
/** How often a running run is asked again, and one that is over. */
const RUN_POLL_MS = 2_000;
const IDLE_POLL_MS = 15_000;
const HOUR_MS = 3_600_000;

export function triggerLabel(trigger: string): string {
    const key = `jobRun.trigger.${trigger}`;
    return isMessageKey(key) ? t(key) : trigger;
}

/** A business day with its weekday: `2026-05-29 (金)`. */
export function businessDayText(day: string | null): string {
    return day ? `${day} (${weekdayLabel(weekdayOf(day))})` : '';
}

/** 開始遅延 / 終了遅延: the deadlines a run missed. */
function LateBadges({ run }: { run: JobnetRun }) {
    return (
        <>
            {run.start_late && <Badge tone="danger">{t('jobRun.startLate')}</Badge>}
            {run.end_late && <Badge tone="danger">{t('jobRun.endLate')}</Badge>}
            {run.held && <Badge tone="warning">{t('jobRun.held')}</Badge>}
        </>
    );
}

/** A run's row: its number (a link), jobnet, trigger, status, business day, times and lateness. */
function RunRow({ run, showJobnet }: { run: JobnetRun; showJobnet: boolean }) {
    return (
        <tr data-run={run.id} class={run.status === 'failed' ? 'row-danger' : undefined}>
            <td class="nowrap">
                <Link href={`/jobnet-runs/${run.id}`}>{t('jobRun.number', { id: run.id })}</Link>
            </td>
            {showJobnet && (
                <td>
                    <Link href={`/jobnets/${run.jobnet_id}`}>{run.jobnet_name}</Link>
                </td>
            )}
            <td>{triggerLabel(run.trigger)}</td>
            <td class="nowrap" data-run-status>
                <JobStatusBadge status={run.status} />
            </td>
            <td class="nowrap">{businessDayText(run.business_day)}</td>
            <td class="nowrap">
                <DateTime value={run.planned_at} />
            </td>
            <td class="nowrap">
                <DateTime value={run.started_at} />
            </td>
            <td class="nowrap">
                <DateTime value={run.ended_at} />
            </td>
            <td>
                <span class="badges">
                    <LateBadges run={run} />
                </span>
            </td>
        </tr>
    );
}

/** The columns of RunRow. */
export function runColumns(showJobnet: boolean): string[] {
    return [
        t('jobRun.run'),
        ...(showJobnet ? [t('jobRun.jobnet')] : []),
        t('jobRun.trigger'),
        t('jobRun.status'),
        t('jobRun.businessDay'),
        t('jobRun.plannedAt'),
        t('jobRun.startedAt'),
        t('jobRun.endedAt'),
        t('jobRun.late'),
    ];
}

/** Runs as table rows (see runColumns). */
export function RunRows({ runs, showJobnet }: { runs: readonly JobnetRun[]; showJobnet: boolean }) {
    return (
        <>
            {runs.map((r) => (
                <RunRow key={r.id} run={r} showJobnet={showJobnet} />
            ))}
        </>
    );
}

// ---- the Gantt chart of a day ----

interface Span {
    from: number;
    to: number;
}

/** Where a run or job's bar goes: from its start (or plan) to its end, or now while it runs. */
function barOf(item: { started_at: string | null; ended_at: string | null }, fallback: string | null, now: number): Span | null {
    const start = item.started_at ?? fallback;
    if (!start) {
        return null;
    }
    const from = Date.parse(start);
    const to = item.ended_at ? Date.parse(item.ended_at) : Math.max(now, from);
    return { from, to };
}

interface TrackProps {
    span: Span;
    ticks: readonly number[];
    bar: Span | null;
    status: string;
    deadlines: { at: string | null; kind: 'start' | 'end' }[];
    now: number;
    title: string;
}

/** One row's track: the hour grid, the bar, the deadlines and now, over `span` (1000 units wide). */
function Track({ span, ticks, bar, status, deadlines, now, title }: TrackProps) {
    const x = (at: number): number => ((Math.min(Math.max(at, span.from), span.to) - span.from) / (span.to - span.from)) * 1000;
    return (
        <svg class="gantt-track" viewBox="0 0 1000 20" preserveAspectRatio="none" aria-hidden="true">
            {ticks.map((at) => (
                <line key={at} class="gantt-grid" x1={x(at)} x2={x(at)} y1={0} y2={20} vector-effect="non-scaling-stroke" />
            ))}
            {bar && (
                <rect class={`gantt-bar job-fill-${status}`} x={x(bar.from)} y={3} width={Math.max(x(bar.to) - x(bar.from), 3)} height={14}>
                    <title>{title}</title>
                </rect>
            )}
            {deadlines
                .filter((d) => d.at !== null)
                .map((d) => (
                    <line
                        key={d.kind}
                        class={`gantt-deadline gantt-deadline-${d.kind}`}
                        x1={x(Date.parse(d.at!))}
                        x2={x(Date.parse(d.at!))}
                        y1={0}
                        y2={20}
                        vector-effect="non-scaling-stroke"
                    >
                        <title>{`${t(d.kind === 'start' ? 'jobRun.startDeadline' : 'jobRun.endDeadline')} ${formatTokyoDateTime(d.at)}`}</title>
                    </line>
                ))}
            {now >= span.from && now <= span.to && (
                <line class="gantt-now" x1={x(now)} x2={x(now)} y1={0} y2={20} vector-effect="non-scaling-stroke" />
            )}
        </svg>
    );
}

/** A row of the chart (a run's, or one of its jobs'): its label, then its track. */
function GanttRow({ kind, id, label, ...track }: TrackProps & { kind: 'run' | 'job'; id: string; label: ComponentChildren }) {
    return (
        <tr class={`gantt-${kind}`} data-gantt-run={kind === 'run' ? id : undefined} data-gantt-job={kind === 'job' ? id : undefined}>
            <th scope="row" class="gantt-label">
                {label}
            </th>
            <td class="gantt-cell">
                <Track {...track} />
            </td>
        </tr>
    );
}

/** `HH:MM` of an instant in Japan. */
function tokyoClock(at: number): string {
    return formatTokyoDateTime(new Date(at)).slice(-5);
}

function barTitle(label: string, status: string, bar: Span | null): string {
    const times = bar ? ` ${tokyoClock(bar.from)}–${tokyoClock(bar.to)} (${formatElapsed(bar.to - bar.from)})` : '';
    return `${label} ${jobStatusLabel(status)}${times}`;
}

/** The jobs of an opened run, a row each (asked again while the run runs). */
function JobBars({ runId, span, ticks, now }: { runId: number; span: Span; ticks: readonly number[]; now: number }) {
    const run = usePoll(async () => (await api.getJobnetRun(runId)).data, DAY_POLL_MS, [runId]);
    if (run.data === null) {
        return (
            <tr class="gantt-job">
                <td colSpan={2}>{run.error !== null ? <ErrorAlert error={run.error} /> : <Loading />}</td>
            </tr>
        );
    }
    return (
        <>
            {run.data.jobs.map((j) => {
                // A bypassed job never ran: its row has no bar.
                const bar = j.status === 'bypassed' ? null : barOf(j, null, now);
                return (
                    <GanttRow
                        key={j.key}
                        kind="job"
                        id={j.key}
                        label={
                            <>
                                <span class="mono">{j.key}</span> <JobStatusBadge status={j.status} />
                            </>
                        }
                        span={span}
                        ticks={ticks}
                        bar={bar}
                        status={j.status}
                        deadlines={[]}
                        now={now}
                        title={barTitle(j.key, j.status, bar)}
                    />
                );
            })}
        </>
    );
}

/** The hours on the axis, every `step` hours of Japan time within `span`. */
function hourTicks(span: Span, step: number): number[] {
    // Japan is UTC+9 all year: a Japan hour starts on a UTC hour.
    const first = Math.ceil(span.from / HOUR_MS) * HOUR_MS;
    const ticks: number[] = [];
    for (let at = first; at <= span.to; at += HOUR_MS) {
        if (Number(tokyoClock(at).slice(0, 2)) % step === 0) {
            ticks.push(at);
        }
    }
    return ticks;
}

/** The lines of the chart: their class and words. */
const LEGEND: readonly (readonly [string, MessageKey])[] = [
    ['gantt-deadline gantt-deadline-start', 'jobRun.startDeadline'],
    ['gantt-deadline gantt-deadline-end', 'jobRun.endDeadline'],
    ['gantt-now', 'jobRun.now'],
];

/**
 * The runs of a day as bars on a time axis (Japan time): the day itself, widened to take in runs
 * and deadlines that reach past it. Each run can be opened to show a bar per job.
 */
function Gantt({ runs, day, now }: { runs: readonly JobnetRun[]; day: Span; now: number }) {
    const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
    const bars = runs.map((r) => ({ run: r, bar: barOf(r, r.planned_at, now) }));
    const instants = bars.flatMap(({ run, bar }) => [
        ...(bar ? [bar.from, bar.to] : []),
        ...[run.start_deadline_at, run.end_deadline_at].filter((d): d is string => d !== null).map(Date.parse),
    ]);
    // Whole hours, at most half a day either side of the day.
    const span: Span = {
        from: Math.max(Math.floor(Math.min(day.from, ...instants) / HOUR_MS) * HOUR_MS, day.from - 12 * HOUR_MS),
        to: Math.min(Math.ceil(Math.max(day.to, ...instants) / HOUR_MS) * HOUR_MS, day.to + 12 * HOUR_MS),
    };
    const ticks = hourTicks(span, span.to - span.from > 30 * HOUR_MS ? 6 : 3);
    const x = (at: number): number => ((at - span.from) / (span.to - span.from)) * 1000;
    const toggle = (id: number): void => {
        const next = new Set(open);
        if (!next.delete(id)) {
            next.add(id);
        }
        setOpen(next);
    };
    return (
        <div class="gantt-wrap">
            <table class="gantt">
                <caption class="visually-hidden">{t('jobRun.ganttCaption')}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="gantt-label">
                            {t('jobRun.run')}
                        </th>
                        <th scope="col" class="gantt-cell">
                            <svg class="gantt-axis" viewBox="0 0 1000 22" role="img" aria-label={t('jobRun.axis')}>
                                {ticks.map((at, i) => (
                                    <text
                                        key={at}
                                        x={x(at)}
                                        y={15}
                                        text-anchor={i === 0 && x(at) < 20 ? 'start' : x(at) > 980 ? 'end' : 'middle'}
                                    >
                                        {tokyoClock(at)}
                                    </text>
                                ))}
                            </svg>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {bars.map(({ run, bar }) => {
                        const opened = open.has(run.id);
                        return (
                            <Fragment key={run.id}>
                                <GanttRow
                                    kind="run"
                                    id={String(run.id)}
                                    label={
                                        <>
                                            <button
                                                type="button"
                                                class="button button-small gantt-toggle"
                                                aria-expanded={opened}
                                                aria-label={t(opened ? 'jobRun.closeJobs' : 'jobRun.openJobs', {
                                                    name: t('jobRun.heading', { name: run.jobnet_name, id: run.id }),
                                                })}
                                                onClick={() => toggle(run.id)}
                                            >
                                                {opened ? '−' : '+'}
                                            </button>
                                            <Link href={`/jobnet-runs/${run.id}`}>{run.jobnet_name}</Link>{' '}
                                            <JobStatusBadge status={run.status} /> <LateBadges run={run} />
                                        </>
                                    }
                                    span={span}
                                    ticks={ticks}
                                    bar={bar}
                                    status={run.status}
                                    deadlines={[
                                        { at: run.start_deadline_at, kind: 'start' },
                                        { at: run.end_deadline_at, kind: 'end' },
                                    ]}
                                    now={now}
                                    title={barTitle(run.jobnet_name, run.status, bar)}
                                />
                                {opened && <JobBars runId={run.id} span={span} ticks={ticks} now={now} />}
                            </Fragment>
                        );
                    })}
                </tbody>
            </table>
            <ul class="gantt-legend small">
                {LEGEND.map(([cls, label]) => (
                    <li key={cls}>
                        <svg class="legend-line" viewBox="0 0 10 14" aria-hidden="true">
                            <line class={cls} x1={5} x2={5} y1={0} y2={14} />
                        </svg>
                        {t(label)}
                    </li>
                ))}
            </ul>
        </div>
    );
}

/** `value` when it is a day (`YYYY-MM-DD`), else today in Japan. */
function dayOrToday(value: string): string {
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : todayInJapan();
}

/** The chosen day's runs as a Gantt chart, with the way to the day before, after and today. */
function DaySection({ day, onDay }: { day: string; onDay: (day: string) => void }) {
    const from = Date.parse(`${day}T00:00:00+09:00`);
    const span: Span = { from, to: from + 24 * HOUR_MS };
    const runs = usePoll(
        () =>
            api.listJobnetRuns({
                from: new Date(span.from).toISOString(),
                to: new Date(span.to).toISOString(),
                limit: 500,
            }),
        DAY_POLL_MS,
        [day],
    );
    const today = day === todayInJapan();
    const items = [...(runs.data?.items ?? [])].sort(
        (a, b) => Date.parse(a.started_at ?? a.planned_at ?? a.created_at) - Date.parse(b.started_at ?? b.planned_at ?? b.created_at),
    );
    const title = today ? t('jobRun.today') : t('jobRun.dayTitle', { day: businessDayText(day) });
    return (
        <Section title={title}>
            <div class="board-bar">
                <div class="month-nav">
                    <button type="button" class="button button-small" onClick={() => onDay(shiftDay(day, -1))}>
                        {t('jobRun.prevDay')}
                    </button>
                    <button type="button" class="button button-small" disabled={today} onClick={() => onDay(todayInJapan())}>
                        {t('jobRun.todayButton')}
                    </button>
                    <button type="button" class="button button-small" onClick={() => onDay(shiftDay(day, 1))}>
                        {t('jobRun.nextDay')}
                    </button>
                </div>
                <LiveNote polled={runs} intervalMs={DAY_POLL_MS} />
            </div>
            {runs.error !== null && <ErrorAlert error={runs.error} />}
            {runs.loading && runs.data === null && <Loading />}
            {runs.data !== null && items.length === 0 && <p class="muted">{t('jobRun.noneThatDay')}</p>}
            {items.length > 0 && <Gantt runs={items} day={span} now={runs.at ?? Date.now()} />}
        </Section>
    );
}

export function JobnetRunListPage() {
    const filters = useUrlFilters(['jobnet_id', 'status', 'day'] as const);
    const day = dayOrToday(filters.applied.day);
    const jobnets = useLoad(async () => (await api.listJobnets()).items, []);
    const { jobnet_id, status } = filters.applied;
    const paged = usePaged(
        (cursor) =>
            api.listJobnetRuns({
                jobnet_id: jobnet_id === '' ? undefined : Number(jobnet_id),
                status: status === '' ? undefined : (status as JobnetRunStatus),
                limit: 50,
                cursor,
            }),
        filters.key,
    );
    return (
        <>
            <PageHeader title={t('jobRun.listTitle')} description={t('jobRun.listDescription')} />
            <DaySection
                day={day}
                onDay={(d) => setQuery({ ...filters.applied, day: d === todayInJapan() ? undefined : d }, { replace: true })}
            />
            <Section title={t('jobRun.all')}>
                <FilterBar label={t('filter.label')} onApply={filters.apply} onClear={filters.clear}>
                    <SelectField
                        id="run-filter-jobnet"
                        label={t('jobRun.jobnet')}
                        {...filters.bind('jobnet_id')}
                        options={withAll((jobnets.data ?? []).map((j) => ({ value: String(j.id), label: j.name })))}
                    />
                    <SelectField
                        id="run-filter-status"
                        label={t('jobRun.status')}
                        {...filters.bind('status')}
                        options={withAll(JOBNET_RUN_STATUSES.map((s) => ({ value: s, label: jobStatusLabel(s) })))}
                    />
                </FilterBar>
                <PagedTable paged={paged} caption={t('jobRun.all')} columns={runColumns(true)}>
                    <RunRows runs={paged.items} showJobnet />
                </PagedTable>
            </Section>
        </>
    );
}

// ---- one run ----

/** The catalogue's words for `action` under `part` (`jobAction.…`), their job form when `onJob` has its own. */
function actionText(part: 'label' | 'what', action: JobnetRunAction, onJob: boolean): string {
    const job = `jobAction.${part}.${action}Job`;
    const key = onJob && isMessageKey(job) ? job : `jobAction.${part}.${action}`;
    return isMessageKey(key) ? t(key) : action;
}

/** What an action is called, on a run or on one job. */
function actionLabel(action: JobnetRunAction, onJob: boolean): string {
    return actionText('label', action, onJob);
}

const FINISHED_JOB: readonly string[] = ['succeeded', 'failed', 'killed', 'skipped', 'forced', 'bypassed', 'lost'];
const BROKEN_JOB: readonly string[] = ['failed', 'killed', 'lost'];
/** The job states that let the jobs after them go on (a bypassed job's own dependents are bypassed or run by their other parents). */
const DONE_JOB: readonly string[] = ['succeeded', 'skipped', 'forced', 'bypassed'];

/**
 * Whether `action` fits the run (and `job`) as it stands, by the rules the server applies (a 409
 * otherwise): nothing fits a missed run; what needs a job stopped waits while one runs.
 */
export function actionFits(action: JobnetRunAction, run: JobnetRunDetail, job?: JobnetRunJob): boolean {
    if (run.status === 'missed') {
        return false;
    }
    if (job) {
        const waiting = job.status === 'pending' || job.status === 'retrying';
        switch (action) {
            case 'rerun_job':
                return FINISHED_JOB.includes(job.status);
            case 'skip':
                return waiting || BROKEN_JOB.includes(job.status);
            case 'force_complete':
                return BROKEN_JOB.includes(job.status);
            case 'hold':
                return waiting && !job.held;
            case 'release':
                return job.held;
            case 'kill':
                return job.status === 'running';
            case 'approve':
            case 'reject':
                return job.status === 'waiting_approval';
            default:
                return false;
        }
    }
    const running = run.jobs.some((j) => j.status === 'running');
    // Nothing bypasses an approval: a run's force-complete is refused while one waits.
    const approving = run.jobs.some((j) => j.status === 'waiting_approval');
    switch (action) {
        case 'rerun_failed':
            return run.jobs.some((j) => BROKEN_JOB.includes(j.status));
        case 'rerun_all':
            return !running;
        case 'force_complete':
            return !running && !approving && run.status !== 'succeeded' && run.jobs.some((j) => !DONE_JOB.includes(j.status));
        case 'hold':
            return isRunActive(run.status) && !run.held;
        case 'release':
            return isRunActive(run.status) && run.held;
        case 'kill':
            return isRunActive(run.status);
        default:
            return false;
    }
}

const RUN_ACTIONS: readonly JobnetRunAction[] = ['rerun_failed', 'rerun_all', 'force_complete', 'hold', 'release', 'kill'];
const JOB_ACTIONS: readonly JobnetRunAction[] = ['rerun_job', 'skip', 'force_complete', 'hold', 'release', 'kill'];
/** On an approval job, for admins and managers only (JOB-6). */
const APPROVAL_ACTIONS: readonly JobnetRunAction[] = ['approve', 'reject'];

interface Asked {
    action: JobnetRunAction;
    job?: string;
}

/**
 * The question before an action: what it does, a comment (kept in the audit and the run's events)
 * and the confirmation. A refusal (409: the action no longer fits, the run changed meanwhile) is
 * shown here, and `onRefused` fetches the run as it is now.
 */
function ActionConfirm({
    runId,
    asked,
    onDone,
    onRefused,
    onCancel,
}: {
    runId: number;
    asked: Asked;
    onDone: (message: string) => void;
    onRefused: () => void;
    onCancel: () => void;
}) {
    const [comment, setComment] = useState('');
    const action = useAction();
    // A rejection says why (the server answers 422 naming `comment` otherwise).
    const commentRequired = asked.action === 'reject';
    const what = actionLabel(asked.action, asked.job !== undefined);
    const question = asked.job ? t('jobAction.confirmJob', { action: what, job: asked.job }) : t('jobAction.confirm', { action: what });
    const submit = async (): Promise<void> => {
        if (commentRequired && comment.trim() === '') {
            return;
        }
        const done = asked.job ? t('jobAction.doneJob', { action: what, job: asked.job }) : t('jobAction.done', { action: what });
        const failed = await action.run(async () => {
            await api.jobnetRunAction(runId, { action: asked.action, job: asked.job, comment: comment.trim() });
            return done;
        });
        if (failed === null) {
            onDone(done);
        } else if (failed instanceof ApiError && failed.status === 409) {
            onRefused();
        }
    };
    const id = `action-${asked.action}${asked.job ? `-${asked.job}` : ''}`;
    return (
        <form
            class="confirm action-confirm"
            aria-label={question}
            data-action={asked.action}
            onSubmit={(e) => {
                e.preventDefault();
                void submit();
            }}
        >
            <Alert tone="warning" title={question}>
                <p>{actionText('what', asked.action, asked.job !== undefined)}</p>
            </Alert>
            {action.error !== null &&
                (action.error instanceof ApiError && action.error.status === 409 ? (
                    <Alert tone="danger" title={t('jobAction.refused')}>
                        <p data-refusal>{serverMessage(action.error.problem.detail ?? action.error.problem.title)}</p>
                    </Alert>
                ) : (
                    <ErrorAlert error={action.error} />
                ))}
            <TextAreaField
                id={`${id}-comment`}
                label={t('jobAction.comment')}
                value={comment}
                onValue={setComment}
                hint={t(commentRequired ? 'jobAction.commentRequired' : 'jobAction.commentHint')}
                required={commentRequired}
                error={fieldErrors(action.error).comment}
            />
            <div class="form-actions">
                <button
                    type="submit"
                    class={`button ${asked.action === 'reject' ? 'button-danger' : 'button-primary'}`}
                    disabled={action.busy || (commentRequired && comment.trim() === '')}
                >
                    {t('jobAction.submit')}
                </button>
                <button type="button" class="button" disabled={action.busy} onClick={onCancel}>
                    {t('common.cancel')}
                </button>
            </div>
        </form>
    );
}

/** Buttons of the actions, those that do not fit the state disabled; `hold`/`release` as one. */
function ActionButtons({
    actions,
    fits,
    job,
    onAsk,
}: {
    actions: readonly JobnetRunAction[];
    fits: (a: JobnetRunAction) => boolean;
    job?: string;
    onAsk: (a: Asked) => void;
}) {
    // Hold and release share a place: whichever fits (hold when neither does).
    const shown = actions.filter((a) => (a === 'hold' ? !fits('release') : a === 'release' ? fits('release') : true));
    return (
        <span class="row-actions">
            {shown.map((a) => (
                <button
                    key={a}
                    type="button"
                    class={`button button-small${a === 'kill' || a === 'reject' ? ' button-danger' : a === 'approve' ? ' button-primary' : ''}`}
                    disabled={!fits(a)}
                    aria-label={job ? t('jobAction.ofJob', { action: actionLabel(a, true), job }) : undefined}
                    data-action={a}
                    onClick={() => onAsk({ action: a, job })}
                >
                    {actionLabel(a, job !== undefined)}
                </button>
            ))}
        </span>
    );
}

function RunHeader({ run }: { run: JobnetRunDetail }) {
    const params = Object.entries(run.params ?? {});
    return (
        <dl class="props">
            <dt>{t('jobRun.jobnet')}</dt>
            <dd>
                <Link href={`/jobnets/${run.jobnet_id}`}>{run.jobnet_name}</Link>
            </dd>
            <dt>{t('jobRun.status')}</dt>
            <dd data-run-status>
                <JobStatusBadge status={run.status} /> {run.held && <Badge tone="warning">{t('jobRun.held')}</Badge>}
            </dd>
            <dt>{t('jobRun.trigger')}</dt>
            <dd>
                {triggerLabel(run.trigger)}
                {run.created_by && <span class="muted"> ({run.created_by})</span>}
            </dd>
            <dt>{t('jobRun.businessDay')}</dt>
            <dd>{businessDayText(run.business_day) || t('common.none')}</dd>
            <dt>{t('jobRun.plannedAt')}</dt>
            <dd>
                <DateTime value={run.planned_at} />
            </dd>
            <dt>{t('jobRun.startedAt')}</dt>
            <dd>
                <DateTime value={run.started_at} />
            </dd>
            <dt>{t('jobRun.endedAt')}</dt>
            <dd>
                <DateTime value={run.ended_at} />
                {run.started_at && (
                    <span class="muted">
                        {' '}
                        ({formatElapsed((run.ended_at ? Date.parse(run.ended_at) : Date.now()) - Date.parse(run.started_at))})
                    </span>
                )}
            </dd>
            <dt>{t('jobRun.startDeadline')}</dt>
            <dd data-start-deadline>
                <DateTime value={run.start_deadline_at} empty={t('jobRun.noDeadline')} />{' '}
                {run.start_late ? (
                    <Badge tone="danger">{t('jobRun.startLate')}</Badge>
                ) : (
                    run.start_deadline_at && run.started_at && <Badge tone="success">{t('jobRun.inTime')}</Badge>
                )}
            </dd>
            <dt>{t('jobRun.endDeadline')}</dt>
            <dd data-end-deadline>
                <DateTime value={run.end_deadline_at} empty={t('jobRun.noDeadline')} />{' '}
                {run.end_late ? (
                    <Badge tone="danger">{t('jobRun.endLate')}</Badge>
                ) : (
                    run.end_deadline_at && run.status === 'succeeded' && <Badge tone="success">{t('jobRun.inTime')}</Badge>
                )}
            </dd>
            {params.length > 0 && (
                <>
                    <dt>{t('jobRun.params')}</dt>
                    <dd class="mono">{params.map(([k, v]) => `${k}=${v}`).join(' ')}</dd>
                </>
            )}
        </dl>
    );
}

/** A job's state in words, with its hold and the time of its next attempt while it waits to retry. */
function JobState({ job }: { job: JobnetRunJob }) {
    return (
        <>
            <JobStatusBadge status={job.status} />
            {job.held && (
                <>
                    {' '}
                    <Badge tone="warning">{t('jobRun.held')}</Badge>
                </>
            )}
            {job.status === 'retrying' && job.next_attempt_at && (
                <p class="small muted">{t('jobRun.nextAttempt', { at: formatTokyoDateTime(job.next_attempt_at) })}</p>
            )}
        </>
    );
}

/** What an approval job asks the approver (its `approval.message`). */
function ApprovalMessage({ job }: { job: JobnetRunJob }) {
    return job.approval_message ? (
        <p class="small approval-message" data-approval-message={job.key}>
            {t('jobRun.approvalMessage', { message: job.approval_message })}
        </p>
    ) : null;
}

/** Outputs shown open: a judge's verdict and why a job was bypassed (a line each). */
function outputOpen(job: JobnetRunJob): boolean {
    return job.type === 'judge' || job.status === 'bypassed';
}

/**
 * Each job: its state, attempt, times and exit code, its actions, and its output (opened on demand,
 * except a judge's verdict and a bypass's reason).
 */
function JobTable({
    run,
    operator,
    approver,
    asked,
    onAsk,
    confirm,
}: {
    run: JobnetRunDetail;
    operator: boolean;
    /** Admin or manager: approves and rejects approval jobs. */
    approver: boolean;
    asked: Asked | null;
    onAsk: (a: Asked) => void;
    confirm: (a: Asked) => ComponentChildren;
}) {
    const columns = [
        t('jobRun.jobKey'),
        t('jobRun.jobName'),
        t('jobRun.status'),
        t('jobRun.attempt'),
        t('jobRun.startedAt'),
        t('jobRun.endedAt'),
        t('jobRun.exitCode'),
        ...(operator ? [t('jobRun.actions')] : []),
    ];
    return (
        <DataTable caption={t('jobRun.jobs')} columns={columns} busy={false} empty={run.jobs.length === 0}>
            {run.jobs.map((j) => (
                <Fragment key={j.key}>
                    <tr data-job={j.key} class={BROKEN_JOB.includes(j.status) ? 'row-danger' : undefined}>
                        <td class="mono">{j.key}</td>
                        <td>
                            {j.name}
                            {j.type !== 'command' && (
                                <span class="muted small nowrap" data-job-type={j.type}>
                                    {' '}
                                    ({jobTypeLabel(j.type)})
                                </span>
                            )}
                            {!approver && <ApprovalMessage job={j} />}
                        </td>
                        <td class="nowrap" data-job-status>
                            <JobState job={j} />
                        </td>
                        <td class="num">{j.attempt}</td>
                        <td class="nowrap">
                            <DateTime value={j.started_at} />
                        </td>
                        <td class="nowrap">
                            <DateTime value={j.ended_at} />
                        </td>
                        <td class="num" data-exit-code>
                            {j.exit_code ?? t('common.none')}
                        </td>
                        {operator && (
                            <td>
                                {approver && j.type === 'approval' && (
                                    <>
                                        <ApprovalMessage job={j} />
                                        <ActionButtons
                                            actions={APPROVAL_ACTIONS}
                                            fits={(a) => actionFits(a, run, j)}
                                            job={j.key}
                                            onAsk={onAsk}
                                        />
                                    </>
                                )}
                                <ActionButtons
                                    actions={JOB_ACTIONS}
                                    fits={(a) => actionFits(a, run, j)}
                                    job={j.key}
                                    onAsk={onAsk}
                                />
                            </td>
                        )}
                    </tr>
                    {asked?.job === j.key && (
                        <tr class="row-detail">
                            <td colSpan={columns.length}>{confirm(asked)}</td>
                        </tr>
                    )}
                    {(j.output !== '' || j.output_truncated) && (
                        <tr class="row-detail" data-output={j.key}>
                            <td colSpan={columns.length}>
                                <details class="job-output" open={outputOpen(j)}>
                                    <summary>{t('jobRun.output', { key: j.key, lines: j.output.split('\n').filter(Boolean).length })}</summary>
                                    <pre>{j.output}</pre>
                                    {j.output_truncated && <p class="small muted">{t('jobRun.outputTruncated')}</p>}
                                </details>
                            </td>
                        </tr>
                    )}
                </Fragment>
            ))}
        </DataTable>
    );
}

function eventKindLabel(kind: string): string {
    const key = `jobEvent.${kind}`;
    return isMessageKey(key) ? t(key) : kind;
}

export function JobnetRunPage({ id }: { id: string }) {
    const runId = Number(id);
    const [active, setActive] = useState(true);
    const polled = usePoll(
        async () => {
            const data = (await api.getJobnetRun(runId)).data;
            // Killing a run ends it at once; its jobs follow as their processes stop.
            setActive(isRunActive(data.status) || data.jobs.some((j) => isJobActive(j.status)));
            return data;
        },
        active ? RUN_POLL_MS : IDLE_POLL_MS,
        [runId],
    );
    const [asked, setAsked] = useState<Asked | null>(null);
    const [done, setDone] = useState<string | null>(null);
    const operator = hasRole(...JOB_OPERATORS);
    const approver = hasRole(...JOB_APPROVERS);
    const run = polled.data;
    if (!run) {
        return pendingEdit(t('jobRun.title'), { current: null, loadError: polled.error });
    }
    // After an action, or a refusal saying the run changed: the run as it is now, then every 2 s while it runs.
    const refresh = (): void => {
        setActive(true);
        polled.reload();
    };
    const ask = (a: Asked): void => {
        setDone(null);
        setAsked(a);
    };
    const confirm = (a: Asked) => (
        <ActionConfirm
            key={`${a.action}-${a.job ?? ''}`}
            runId={run.id}
            asked={a}
            onCancel={() => setAsked(null)}
            onDone={(message) => {
                setAsked(null);
                setDone(message);
                refresh();
            }}
            onRefused={refresh}
        />
    );
    const statuses = Object.fromEntries(run.jobs.map((j) => [j.key, j.status]));
    return (
        <>
            <PageHeader
                title={t('jobRun.heading', { name: run.jobnet_name, id: run.id })}
                description={t('jobRun.description', { trigger: triggerLabel(run.trigger) })}
                actions={<JobStatusBadge status={run.status} />}
            />
            <Breadcrumb href="/jobnet-runs" label={t('jobRun.listTitle')} />
            {done && <Alert tone="success" title={done} />}
            <div class="record-layout">
                <div class="record-main">
                    <Section title={t('jobRun.graph')}>
                        <JobGraph jobs={run.jobs} statuses={statuses} label={t('jobRun.graphLabel', { name: run.jobnet_name })} />
                    </Section>
                    <Section title={t('jobRun.jobs')}>
                        <JobTable run={run} operator={operator} approver={approver} asked={asked} onAsk={ask} confirm={confirm} />
                    </Section>
                </div>
                <div class="record-side">
                    <Section title={t('jobRun.summary')}>
                        <LiveNote polled={polled} intervalMs={active ? RUN_POLL_MS : IDLE_POLL_MS} />
                        {polled.error !== null && <ErrorAlert error={polled.error} />}
                        <RunHeader run={run} />
                    </Section>
                    {operator && (
                        <Section title={t('jobRun.runActions')}>
                            <ActionButtons actions={RUN_ACTIONS} fits={(a) => actionFits(a, run)} onAsk={ask} />
                            {asked && asked.job === undefined && confirm(asked)}
                        </Section>
                    )}
                </div>
            </div>
            <Section title={t('jobRun.events')}>
                <DataTable
                    caption={t('jobRun.events')}
                    columns={[t('col.at'), t('jobRun.eventJob'), t('jobRun.eventKind'), t('jobRun.eventMessage'), t('jobRun.actor')]}
                    busy={false}
                    empty={run.events.length === 0}
                >
                    {run.events.map((e, i) => (
                        <tr key={i} data-event={e.kind}>
                            <td class="nowrap">
                                <DateTime value={e.at} />
                            </td>
                            <td class="mono">{e.job ?? ''}</td>
                            <td class="nowrap">{eventKindLabel(e.kind)}</td>
                            <td>{e.message}</td>
                            <td>{e.actor ?? ''}</td>
                        </tr>
                    ))}
                </DataTable>
            </Section>
        </>
    );
}
