// Jobnets (ジョブネット, docs/jobs.md): named DAGs of batch jobs with a schedule on a business
// calendar. The list shows each one's schedule in words, next start and last run; a jobnet's page
// shows its jobs as a graph, its planned starts for the next 12 months by month (shifted ones with
// the day the rule chose), its recent runs, 「今すぐ実行」 for admins, managers and operators, and
// its definition as a form. Only admins define jobnets (a command job runs a program on the unyo
// host): the jobs are edited as JSON text (each job type's members listed under it) and checked by
// the server, whose refusals (`jobs[1].after`, `schedule.start_times`, …) are shown in place.
// Admins may also edit the same definitions as YAML (every jobnet from the list, or one from its
// page), for larger changes and for copying jobnets to another installation: the editor opens
// above the list (`/jobnets?edit=yaml`, `&name=` for one), checks the text with a dry run
// (created, updated, unchanged), saves it, downloads it, and lists the server's refusals
// (`jobnets[0].jobs[2].after`) under the text.

import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';

import {
    ApiError,
    withQuery,
    JOB_TYPES,
    JOBNET_RECOVERY_POLICIES,
    JOBNET_SHIFTS,
    SEVERITIES,
    type BusinessCalendar,
    type JobDefinition,
    type Jobnet,
    type JobnetCreate,
    type JobnetImportSummary,
    type JobnetInput,
    type JobnetPlannedStart,
    type JobnetRecoveryPolicy,
    type JobnetSchedule,
    type JobnetShift,
    type Monitor,
    type Severity,
} from '../api/client.ts';
import { hasMoved, Link, location, navigate } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useAction } from '../components/action.tsx';
import type { ComparedField } from '../components/conflict.tsx';
import { useCreate } from '../components/create.ts';
import { changedMembers, useEditForm } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import {
    CalendarField,
    dayRuleDraft,
    dayRuleFields,
    DayRuleFields,
    dayRuleInput,
    defined,
    entries,
    errorOf,
    numberOf,
    type DayRuleDraft,
} from '../components/day-rule.tsx';
import { CheckField, FieldSet, FormErrors, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import {
    JOB_OPERATORS,
    JOBNET_EDITORS,
    JobGraph,
    JobStatusBadge,
    jobTypeLabel,
    scheduleSummary,
} from '../components/jobs.tsx';
import { monthTitle, todayInJapan } from '../components/month.tsx';
import {
    Breadcrumb,
    CreatePage,
    DeleteRecord,
    EditFormSection,
    EditNotices,
    pendingEdit,
    RecordListPage,
    type DraftFieldsProps,
} from '../components/record.tsx';
import { DataTable } from '../components/table.tsx';
import { ActiveBadge, Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatTokyoDateTime } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { severityLabel } from '../i18n/labels.ts';
import { businessDayText, RunRows, runColumns } from './jobnet-runs.tsx';

// ---- the list ----

/** A schedule in words: the days, then the start times. */
function ScheduleText({ jobnet }: { jobnet: Pick<Jobnet, 'schedule'> }) {
    const s = scheduleSummary(jobnet.schedule);
    return (
        <span data-schedule>
            {s.days}
            {s.times && <span class="muted"> {s.times}</span>}
        </span>
    );
}

/** The last run's status as a link to it, or 未実行. */
function LastRun({ jobnet }: { jobnet: Pick<Jobnet, 'last_run'> }) {
    return jobnet.last_run ? (
        <Link href={`/jobnet-runs/${jobnet.last_run.id}`}>
            <JobStatusBadge status={jobnet.last_run.status} />
        </Link>
    ) : (
        <span class="muted">{t('jobnet.neverRun')}</span>
    );
}

export function JobnetListPage() {
    const list = useLoad(() => api.listJobnets(), []);
    const admin = hasRole(...JOBNET_EDITORS);
    const query = location.value.query;
    // The YAML editor is for admins only: others are shown the list as usual.
    const yaml = admin && query.get('edit') === 'yaml';
    const name = query.get('name') || undefined;
    return (
        <RecordListPage
            title={t('jobnet.listTitle')}
            description={t('jobnet.listDescription')}
            path="/jobnets"
            create={admin ? t('jobnet.create') : undefined}
            actions={
                admin && (
                    <Link class="button" href={yamlHref()}>
                        {t('jobnet.yamlEdit')}
                    </Link>
                )
            }
            list={list}
            columns={[
                t('jobnet.name'),
                t('jobnet.service'),
                t('jobnet.schedule'),
                t('jobnet.nextStart'),
                t('jobnet.lastRun'),
                t('field.status'),
            ]}
            row={(j) => (
                <tr key={j.id} data-jobnet={j.id} class={j.enabled ? undefined : 'row-disabled'}>
                    <td>
                        <Link href={`/jobnets/${j.id}`}>{j.name}</Link>
                        {j.description && <p class="muted small cell-note">{j.description}</p>}
                    </td>
                    <td>{j.service}</td>
                    <td>
                        <ScheduleText jobnet={j} />
                    </td>
                    <td class="nowrap">
                        <DateTime value={j.next_start_at} />
                    </td>
                    <td class="nowrap" data-last-run>
                        <LastRun jobnet={j} />
                    </td>
                    <td>
                        <ActiveBadge disabled={!j.enabled} />
                    </td>
                </tr>
            )}
        >
            {/* Keyed by what is edited: another jobnet (or all of them) starts from its own text. */}
            {yaml && <YamlEditor key={name ?? ''} name={name} onSaved={list.reload} />}
        </RecordListPage>
    );
}

// ---- the YAML editor ----

/** Where the YAML editor opens: above the list, for every jobnet or only the one named `name`. */
function yamlHref(name?: string): string {
    return withQuery('/jobnets', { edit: 'yaml', name });
}

const YAML_ID = 'jobnet-yaml';

/** 作成 N 件・更新 N 件・変更なし N 件. */
function importCounts(s: JobnetImportSummary): string {
    return t('jobnet.yamlCounts', { created: s.created, updated: s.updated, unchanged: s.unchanged });
}

/** The server's refusals of the text, a line each with the member it named (`jobnets[0].jobs[2].after: …`). */
function yamlErrorText(errors: Record<string, string>): string | undefined {
    const lines = Object.entries(errors).map(([field, message]) => (field === '' ? message : `${field}: ${message}`));
    return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Saves `text` as jobnets.yaml on the user's computer. */
function downloadYaml(text: string): void {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'jobnets.yaml';
    document.body.append(a);
    a.click();
    a.remove();
    // Later, not at once: the browser reads the blob after the click returns.
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The definitions of every jobnet (or of the one named `name`) as YAML text, as the server exports
 * them: 確認 asks the server what saving would do without writing anything, 保存 writes it (every
 * entry is checked first: all or nothing) and reloads the list (`onSaved`), ダウンロード saves the
 * text as it is on screen. The server's refusals name the entry and member and are listed under the
 * text. Jobnets are matched by name: a renamed one is created anew, the old one stays.
 */
function YamlEditor({ name, onSaved }: { name: string | undefined; onSaved: () => void }) {
    const exported = useLoad(() => api.exportJobnets(name), [name]);
    // null: the text as exported, not edited yet.
    const [edited, setEdited] = useState<string | null>(null);
    const [dryRun, setDryRun] = useState(true);
    const action = useAction();
    const text = edited ?? exported.data ?? '';
    const ready = exported.data !== null;
    useEffect(() => {
        if (ready && hasMoved()) {
            document.getElementById(YAML_ID)?.focus();
        }
    }, [ready]);
    const errors = fieldErrors(action.error);
    const send = async (dry: boolean): Promise<void> => {
        setDryRun(dry);
        await action.run(async () => {
            const summary = await api.importJobnets(text, { dryRun: dry });
            if (dry) {
                return t('jobnet.yamlChecked', { counts: importCounts(summary) });
            }
            onSaved();
            return t('jobnet.yamlSaved', { counts: importCounts(summary) });
        });
    };
    return (
        <Section title={name === undefined ? t('jobnet.yamlTitleAll') : t('jobnet.yamlTitleOne', { name })} class="jobnet-yaml">
            <p class="muted">{t('jobnet.yamlDescription')}</p>
            {exported.error !== null && <ErrorAlert error={exported.error} />}
            {exported.loading && !ready && <Loading />}
            {ready && (
                <form
                    class="form"
                    data-yaml-editor
                    noValidate
                    onSubmit={(e) => {
                        e.preventDefault();
                        void send(true);
                    }}
                >
                    {action.done && (
                        <div data-import-summary={dryRun ? 'dry-run' : 'saved'}>
                            <Alert tone={dryRun ? 'info' : 'success'} title={action.done} />
                        </div>
                    )}
                    {/* The field errors are listed under the text; the alert says what kind of failure it was. */}
                    <FormErrors error={action.error} shown={Object.keys(errors)} />
                    <TextAreaField
                        id={YAML_ID}
                        label={t('jobnet.yaml')}
                        hint={t('jobnet.yamlHint')}
                        value={text}
                        onValue={(value) => {
                            setEdited(value);
                            // A count shown for the text before the change no longer holds.
                            if (action.done !== null) {
                                action.reset();
                            }
                        }}
                        error={yamlErrorText(errors)}
                        rows={28}
                        class="mono code-input yaml-input"
                    />
                    <div class="form-actions">
                        <button type="submit" class="button" disabled={action.busy}>
                            {t('jobnet.yamlCheck')}
                        </button>
                        <button type="button" class="button button-primary" disabled={action.busy} onClick={() => void send(false)}>
                            {action.busy && !dryRun ? t('common.saving') : t('common.save')}
                        </button>
                        <button type="button" class="button" onClick={() => downloadYaml(text)}>
                            {t('jobnet.yamlDownload')}
                        </button>
                        <Link class="button button-quiet" href="/jobnets">
                            {t('jobnet.yamlClose')}
                        </Link>
                    </div>
                </form>
            )}
        </Section>
    );
}

// ---- the form ----

interface JobnetDraft extends DayRuleDraft {
    name: string;
    description: string;
    service: string;
    /** '' : the default calendar (Mon–Fri, national holidays and 12/29–1/3 closed). */
    calendar_id: string;
    severity: Severity;
    enabled: boolean;
    /** False: runs only when started by hand (schedule null). */
    scheduled: boolean;
    /** `HH:MM`, separated by commas or spaces. */
    start_times: string;
    base_time: string;
    shift: JobnetShift;
    max_shift_days: string;
    window_from: string;
    window_to: string;
    start_by: string;
    end_by: string;
    recovery: JobnetRecoveryPolicy;
    limit_min: string;
    allow_overlap: boolean;
    max_parallel: string;
    /** '' : none. */
    heartbeat_monitor_id: string;
    /** The jobs as JSON text. */
    jobs: string;
}

const EXAMPLE_JOBS: JobDefinition[] = [
    { key: 'extract', name: '抽出', type: 'command', command: ['/usr/local/bin/extract'], after: [] },
    { key: 'load', name: '取込', type: 'command', command: ['/usr/local/bin/load'], after: ['extract'] },
];

function jobsText(jobs: readonly JobDefinition[]): string {
    return JSON.stringify(jobs, null, 2);
}

function newDraft(): JobnetDraft {
    return {
        name: '',
        description: '',
        service: '',
        calendar_id: '',
        severity: 'high',
        enabled: true,
        scheduled: true,
        ...dayRuleDraft(undefined),
        start_times: '23:00',
        base_time: '',
        shift: 'later',
        max_shift_days: '',
        window_from: '',
        window_to: '',
        start_by: '',
        end_by: '',
        recovery: 'none',
        limit_min: '',
        allow_overlap: false,
        max_parallel: '',
        heartbeat_monitor_id: '',
        jobs: jobsText(EXAMPLE_JOBS),
    };
}

const text = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

function toDraft(j: Jobnet): JobnetDraft {
    const s = j.schedule;
    return {
        name: j.name,
        description: j.description,
        service: j.service,
        calendar_id: text(j.calendar_id),
        severity: j.severity,
        enabled: j.enabled,
        scheduled: s !== null,
        ...dayRuleDraft(s?.days),
        start_times: (s?.start_times ?? []).join(', '),
        base_time: s?.base_time ?? '',
        shift: s?.shift ?? 'later',
        max_shift_days: text(s?.max_shift_days),
        window_from: s?.window?.from ?? '',
        window_to: s?.window?.to ?? '',
        start_by: j.deadlines?.start_by ?? '',
        end_by: j.deadlines?.end_by ?? '',
        recovery: j.recovery.policy,
        limit_min: text(j.recovery.limit_min),
        allow_overlap: j.allow_overlap,
        max_parallel: text(j.max_parallel),
        heartbeat_monitor_id: text(j.heartbeat_monitor_id),
        jobs: jobsText(j.jobs),
    };
}

function scheduleInput(d: JobnetDraft): JobnetSchedule | null {
    if (!d.scheduled) {
        return null;
    }
    const from = d.window_from.trim();
    const to = d.window_to.trim();
    return defined({
        days: dayRuleInput(d),
        start_times: d.rule === 'cron' ? undefined : entries(d.start_times),
        base_time: d.base_time.trim() || undefined,
        shift: d.shift,
        max_shift_days: numberOf(d.max_shift_days),
        window: from === '' && to === '' ? undefined : { from, to },
    });
}

type ParsedJobs = { jobs: JobDefinition[]; error: null } | { jobs: null; error: string };

/** The jobs text read as JSON; the server checks the rest. */
function parseJobs(value: string): ParsedJobs {
    try {
        return { jobs: JSON.parse(value) as JobDefinition[], error: null };
    } catch (err) {
        return { jobs: null, error: t('jobnet.jobsNotJson', { message: err instanceof Error ? err.message : String(err) }) };
    }
}

/** Every member of the draft as the API takes it (empty optional members left out). */
function jobnetInput(d: JobnetDraft): JobnetCreate {
    const startBy = d.start_by.trim();
    const endBy = d.end_by.trim();
    return defined({
        name: d.name.trim(),
        description: d.description,
        service: d.service.trim(),
        calendar_id: d.calendar_id === '' ? null : Number(d.calendar_id),
        severity: d.severity,
        enabled: d.enabled,
        schedule: scheduleInput(d),
        // An empty object: no deadlines (the server refuses null here).
        deadlines: defined({ start_by: startBy || undefined, end_by: endBy || undefined }),
        recovery: defined({ policy: d.recovery, limit_min: numberOf(d.limit_min) }),
        allow_overlap: d.allow_overlap,
        max_parallel: numberOf(d.max_parallel),
        heartbeat_monitor_id: d.heartbeat_monitor_id === '' ? null : Number(d.heartbeat_monitor_id),
        // Unreadable text is never sent (see readyInput): the draft is then dirty with no jobs.
        jobs: parseJobs(d.jobs).jobs ?? [],
    });
}

/**
 * The input to send, or the refusal of jobs text that is not JSON, shaped as the server's 422 so the
 * form shows it under the text area like the server's own messages.
 */
function readyInput<I>(d: JobnetDraft, input: I): I {
    const parsed = parseJobs(d.jobs);
    if (parsed.error !== null) {
        throw new ApiError('POST', '', 422, {
            type: 'about:blank',
            title: 'Unprocessable',
            status: 422,
            errors: [{ field: 'jobs', message: parsed.error }],
        }, new Headers());
    }
    return input;
}

/** What changed (`schedule`, `deadlines`, `recovery` and `jobs` go whole). */
function jobnetPatch(base: Jobnet, d: JobnetDraft): JobnetInput {
    return changedMembers<JobnetInput>(jobnetInput(toDraft(base)), jobnetInput(d));
}

/** Fields shown in place; every `jobs…` refusal is shown under the jobs too. */
const SHOWN = [
    'name',
    'description',
    'service',
    'calendar_id',
    'severity',
    'enabled',
    'schedule',
    ...dayRuleFields('schedule.days'),
    'schedule.start_times',
    'schedule.base_time',
    'schedule.shift',
    'schedule.max_shift_days',
    'schedule.window',
    'schedule.window.from',
    'schedule.window.to',
    'deadlines',
    'deadlines.start_by',
    'deadlines.end_by',
    'recovery',
    'recovery.policy',
    'recovery.limit_min',
    'allow_overlap',
    'max_parallel',
    'heartbeat_monitor_id',
];

function shownOf(errors: Record<string, string>): string[] {
    return [...SHOWN, ...Object.keys(errors).filter(isJobsField)];
}

function isJobsField(field: string): boolean {
    return field === 'jobs' || field.startsWith('jobs[') || field.startsWith('jobs.');
}

/**
 * The refusals about the jobs, a line each with the path the server named (`jobs[1].after: …`),
 * or the jobs text's own JSON error.
 */
function jobsErrorText(errors: Record<string, string>, local: string | null): string | undefined {
    if (local !== null) {
        return local;
    }
    const lines = Object.entries(errors)
        .filter(([field]) => isJobsField(field))
        .map(([field, message]) => (field === 'jobs' ? message : `${field}: ${message}`));
    return lines.length > 0 ? lines.join('\n') : undefined;
}

/** The members of the draft typed as text. */
type TextMember = { [K in keyof JobnetDraft]: JobnetDraft[K] extends string ? K : never }[keyof JobnetDraft];

/**
 * What a text input of a draft member takes: its id (`jobnet-<member>`), value and change, read-only,
 * and its error (the member's own unless told).
 */
function binder({ draft, set, errors, readOnly }: DraftFieldsProps<JobnetDraft>) {
    return (member: TextMember, error: string | undefined = errors[member]) => ({
        id: `jobnet-${member.replace(/_/g, '-')}`,
        value: draft[member],
        onValue: (value: string) => set({ [member]: value }),
        error,
        readOnly,
    });
}

/** A clock time typed as `HH:MM` (text: a time picker cannot take the times as the API writes them). */
const CLOCK = { inputMode: 'numeric', autoComplete: 'off' } as const;

function ScheduleFields(props: DraftFieldsProps<JobnetDraft>) {
    const { draft, set, errors, readOnly } = props;
    const bind = binder(props);
    const rule = draft.rule;
    return (
        <FieldSet
            id="jobnet-schedule"
            legend={t('jobnet.schedule')}
            hint={t('jobnet.scheduleHint')}
            error={errorOf(errors, 'schedule')}
        >
            <CheckField
                id="jobnet-scheduled"
                label={t('jobnet.scheduled')}
                checked={draft.scheduled}
                onChecked={(scheduled) => set({ scheduled })}
                disabled={readOnly}
            />
            {draft.scheduled && (
                <div class="form-grid">
                    <DayRuleFields
                        id="jobnet"
                        prefix="schedule.days"
                        label={t('jobnet.rule')}
                        draft={draft}
                        set={set}
                        errors={errors}
                        readOnly={readOnly}
                    />
                    {rule !== 'cron' && (
                        <TextField
                            {...bind('start_times', errors['schedule.start_times'])}
                            label={t('jobnet.startTimes')}
                            hint={t('jobnet.startTimesHint')}
                            {...CLOCK}
                        />
                    )}
                    <TextField
                        {...bind('base_time', errors['schedule.base_time'])}
                        label={t('jobnet.baseTime')}
                        hint={t('jobnet.baseTimeHint')}
                        {...CLOCK}
                        placeholder="00:00"
                    />
                    <SelectField
                        id="jobnet-shift"
                        label={t('jobnet.shift')}
                        value={draft.shift}
                        onValue={(v) => set({ shift: v as JobnetShift })}
                        options={JOBNET_SHIFTS.map((s) => ({ value: s, label: t(`jobnet.shiftOption.${s}`) }))}
                        error={errors['schedule.shift']}
                        hint={t('jobnet.shiftHint')}
                        disabled={readOnly}
                    />
                    <TextField
                        {...bind('max_shift_days', errors['schedule.max_shift_days'])}
                        type="number"
                        label={t('jobnet.maxShiftDays')}
                        hint={t('jobnet.maxShiftDaysHint')}
                        min={0}
                        max={31}
                    />
                    <TextField
                        {...bind('window_from', errorOf(errors, 'schedule.window', 'schedule.window.from'))}
                        label={t('jobnet.windowFrom')}
                        hint={t('jobnet.windowHint')}
                        {...CLOCK}
                        placeholder="22:00"
                    />
                    <TextField
                        {...bind('window_to', errors['schedule.window.to'])}
                        label={t('jobnet.windowTo')}
                        {...CLOCK}
                        placeholder="05:00"
                    />
                </div>
            )}
        </FieldSet>
    );
}

/** How each job type is written (its members), and the members every job takes, opened on demand. */
function JobTypesHelp() {
    return (
        <details class="job-types-help field-wide" data-job-types-help>
            <summary>{t('jobnet.typesHelp')}</summary>
            <dl class="props">
                <dt>{t('jobnet.typesHelpCommon')}</dt>
                <dd>{t('jobnet.typeHelp.common')}</dd>
                {JOB_TYPES.map((type) => (
                    <Fragment key={type}>
                        <dt data-job-type={type}>
                            {jobTypeLabel(type)} <code>{type}</code>
                        </dt>
                        <dd>{t(`jobnet.typeHelp.${type}`)}</dd>
                    </Fragment>
                ))}
            </dl>
        </details>
    );
}

function JobnetFields({
    draft,
    set,
    errors,
    readOnly,
    calendars,
    monitors,
}: DraftFieldsProps<JobnetDraft> & {
    calendars: readonly BusinessCalendar[] | null;
    monitors: readonly Monitor[] | null;
}) {
    const parsed = parseJobs(draft.jobs);
    const bind = binder({ draft, set, errors, readOnly });
    const heartbeats = (monitors ?? []).filter((m) => m.type === 'heartbeat');
    return (
        <div class="form-grid">
            <TextField
                {...bind('name')}
                label={t('jobnet.name')}
                required
                maxLength={200}
            />
            <TextField
                {...bind('service')}
                label={t('jobnet.service')}
                hint={t('jobnet.serviceHint')}
                maxLength={200}
            />
            <CalendarField
                id="jobnet-calendar"
                value={draft.calendar_id}
                onValue={(calendar_id) => set({ calendar_id })}
                calendars={calendars}
                error={errors['calendar_id']}
                readOnly={readOnly}
            />
            <SelectField
                id="jobnet-severity"
                label={t('jobnet.severity')}
                value={draft.severity}
                onValue={(v) => set({ severity: v as Severity })}
                options={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))}
                error={errors['severity']}
                hint={t('jobnet.severityHint')}
                disabled={readOnly}
            />
            <TextAreaField
                {...bind('description')}
                label={t('jobnet.description')}
                rows={2}
            />
            <CheckField
                id="jobnet-enabled"
                label={t('jobnet.enabled')}
                checked={draft.enabled}
                onChecked={(enabled) => set({ enabled })}
                error={errors['enabled']}
                hint={t('jobnet.enabledHint')}
                disabled={readOnly}
            />
            <ScheduleFields draft={draft} set={set} errors={errors} readOnly={readOnly} />
            <FieldSet
                id="jobnet-limits"
                legend={t('jobnet.limits')}
                error={errorOf(errors, 'deadlines', 'recovery')}
            >
                <div class="form-grid">
                    <TextField
                        {...bind('start_by', errors['deadlines.start_by'])}
                        label={t('jobnet.startBy')}
                        hint={t('jobnet.startByHint')}
                        {...CLOCK}
                        placeholder="23:30"
                    />
                    <TextField
                        {...bind('end_by', errors['deadlines.end_by'])}
                        label={t('jobnet.endBy')}
                        hint={t('jobnet.endByHint')}
                        {...CLOCK}
                        placeholder="04:00"
                    />
                    <SelectField
                        id="jobnet-recovery"
                        label={t('jobnet.recovery')}
                        value={draft.recovery}
                        onValue={(v) => set({ recovery: v as JobnetRecoveryPolicy })}
                        options={JOBNET_RECOVERY_POLICIES.map((p) => ({ value: p, label: t(`jobnet.recoveryOption.${p}`) }))}
                        error={errors['recovery.policy']}
                        hint={t(`jobnet.recoveryHint.${draft.recovery}`)}
                        disabled={readOnly}
                    />
                    <TextField
                        {...bind('limit_min', errors['recovery.limit_min'])}
                        type="number"
                        label={t('jobnet.limitMin')}
                        hint={t('jobnet.limitMinHint')}
                        min={0}
                    />
                    <TextField
                        {...bind('max_parallel')}
                        type="number"
                        label={t('jobnet.maxParallel')}
                        hint={t('jobnet.maxParallelHint')}
                        min={0}
                    />
                    <SelectField
                        id="jobnet-heartbeat"
                        label={t('jobnet.heartbeat')}
                        value={draft.heartbeat_monitor_id}
                        onValue={(heartbeat_monitor_id) => set({ heartbeat_monitor_id })}
                        options={[
                            { value: '', label: t('jobnet.noHeartbeat') },
                            ...heartbeats.map((m) => ({ value: String(m.id), label: m.name })),
                            ...(draft.heartbeat_monitor_id !== '' && !heartbeats.some((m) => String(m.id) === draft.heartbeat_monitor_id)
                                ? [{ value: draft.heartbeat_monitor_id, label: `#${draft.heartbeat_monitor_id}` }]
                                : []),
                        ]}
                        error={errors['heartbeat_monitor_id']}
                        hint={t('jobnet.heartbeatHint')}
                        disabled={readOnly}
                    />
                    <CheckField
                        id="jobnet-allow-overlap"
                        label={t('jobnet.allowOverlap')}
                        checked={draft.allow_overlap}
                        onChecked={(allow_overlap) => set({ allow_overlap })}
                        error={errors['allow_overlap']}
                        hint={t('jobnet.allowOverlapHint')}
                        disabled={readOnly}
                    />
                </div>
            </FieldSet>
            <TextAreaField
                {...bind('jobs', jobsErrorText(errors, parsed.error))}
                label={t('jobnet.jobs')}
                hint={t('jobnet.jobsHint')}
                rows={16}
                class="mono code-input"
            />
            <JobTypesHelp />
        </div>
    );
}

/** The calendars the form offers and the heartbeat monitors (those who cannot list them see ids). */
function usePickable() {
    const calendars = useLoad(async () => (await api.listCalendars()).items, []);
    const monitors = useLoad(async () => (await api.listMonitors()).items, []);
    return { calendars: calendars.data, monitors: monitors.data };
}

export function JobnetCreatePage() {
    const [draft, setDraft] = useState<JobnetDraft>(newDraft);
    const { calendars, monitors } = usePickable();
    const form = useCreate(async (idempotencyKey) => {
        const res = await api.createJobnet(readyInput(draft, jobnetInput(draft)), { idempotencyKey });
        return { path: `/jobnets/${res.data.id}`, message: t('jobnet.created', { name: res.data.name }) };
    });
    const errors = fieldErrors(form.error);
    return (
        <CreatePage
            title={t('jobnet.createTitle')}
            description={t('jobnet.createDescription')}
            back={{ href: '/jobnets', label: t('jobnet.listTitle') }}
            form={form}
            shown={shownOf(errors)}
        >
            <JobnetFields
                draft={draft}
                set={(p) => setDraft((d) => ({ ...d, ...p }))}
                errors={errors}
                readOnly={false}
                calendars={calendars}
                monitors={monitors}
            />
        </CreatePage>
    );
}

// ---- a jobnet's page ----

/** Planned starts are listed this many months ahead. */
const PREVIEW_MONTHS = 12;
/** Months opened at first (the others are listed closed, with their count). */
const PREVIEW_OPEN = 3;

/** The planned starts of the next 12 months by month: Japan time, business day, shifted ones marked. */
function SchedulePreview({ jobnet }: { jobnet: Jobnet }) {
    const today = todayInJapan();
    const [y, m, d] = today.split('-').map(Number) as [number, number, number];
    const to = new Date(Date.UTC(y, m - 1 + PREVIEW_MONTHS, d)).toISOString().slice(0, 10);
    const starts = useLoad(() => api.jobnetSchedule(jobnet.id, { from: today, to }), [jobnet.id, jobnet.version]);
    if (jobnet.schedule === null) {
        return <p class="muted">{t('jobnet.manualOnlyNote')}</p>;
    }
    const months = new Map<string, JobnetPlannedStart[]>();
    for (const item of starts.data?.items ?? []) {
        const month = item.business_day.slice(0, 7);
        months.set(month, [...(months.get(month) ?? []), item]);
    }
    return (
        <div class="schedule-preview" data-schedule-preview>
            {starts.error !== null && <ErrorAlert error={starts.error} />}
            {starts.loading && starts.data === null && <Loading />}
            {starts.data !== null && months.size === 0 && <p class="muted">{t('jobnet.noStarts')}</p>}
            {starts.data !== null && months.size > 0 && (
                <p class="small muted">{t('jobnet.previewCount', { count: starts.data.items.length, from: today, to })}</p>
            )}
            {[...months].map(([month, items], i) => (
                <details key={month} class="preview-month" open={i < PREVIEW_OPEN} data-month={month}>
                    <summary>{t('jobnet.previewMonth', { month: monthTitle(month), count: items.length })}</summary>
                    <DataTable
                        caption={monthTitle(month)}
                        columns={[t('jobnet.startAt'), t('jobRun.businessDay'), t('jobnet.note')]}
                        busy={false}
                        empty={false}
                    >
                        {items.map((item) => (
                            <tr key={item.start_at} data-start={item.start_at} class={item.shifted_from ? 'row-warning' : undefined}>
                                <td class="nowrap">
                                    <time dateTime={item.start_at}>{formatTokyoDateTime(item.start_at)}</time>
                                </td>
                                <td class="nowrap">{businessDayText(item.business_day)}</td>
                                <td>
                                    {item.shifted_from && (
                                        <>
                                            <Badge tone="warning">{t('jobnet.shifted')}</Badge>{' '}
                                            <span data-shifted-from>{t('jobnet.shiftedFrom', { day: businessDayText(item.shifted_from) })}</span>
                                        </>
                                    )}
                                </td>
                            </tr>
                        ))}
                    </DataTable>
                </details>
            ))}
        </div>
    );
}

/** 「今すぐ実行」: starts a run and opens it; a refusal (409: a run is active) is shown beside it. */
function RunNow({ jobnet }: { jobnet: Jobnet }) {
    const action = useAction();
    const start = async (): Promise<void> => {
        await action.run(async () => {
            const res = await api.startJobnetRun(jobnet.id);
            navigate(`/jobnet-runs/${res.data.id}`);
            return '';
        });
    };
    return (
        <div class="run-now">
            <button type="button" class="button button-primary" disabled={action.busy} onClick={() => void start()}>
                {t('jobnet.runNow')}
            </button>
            {action.error !== null && (
                <div class="run-now-error">
                    <ErrorAlert error={action.error} />
                </div>
            )}
        </div>
    );
}

/** The jobnet's latest runs (ten), newest first. */
function RecentRuns({ jobnet }: { jobnet: Jobnet }) {
    const runs = useLoad(() => api.listJobnetRuns({ jobnet_id: jobnet.id, limit: 10 }), [jobnet.id]);
    return (
        <>
            {runs.error !== null && <ErrorAlert error={runs.error} />}
            <DataTable
                caption={t('jobnet.recentRuns')}
                columns={runColumns(false)}
                busy={runs.loading}
                empty={runs.data !== null && runs.data.items.length === 0}
            >
                <RunRows runs={runs.data?.items ?? []} showJobnet={false} />
            </DataTable>
            <p class="small">
                <Link href={`/jobnet-runs?jobnet_id=${jobnet.id}`}>{t('jobnet.allRuns')}</Link>
            </p>
        </>
    );
}

export function JobnetPage({ id }: { id: string }) {
    const jobnetId = Number(id);
    const form = useEditForm(() => api.getJobnet(jobnetId), id, toDraft);
    const { calendars, monitors } = usePickable();
    const { edit, draft } = form;
    const admin = hasRole(...JOBNET_EDITORS);
    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(t('jobnet.title'), edit);
    }
    const patch = jobnetPatch(current, draft);
    const parsed = parseJobs(draft.jobs);
    const errors = fieldErrors(edit.error);
    const calendarName =
        current.calendar_id === null
            ? t('jobnet.defaultCalendar')
            : (calendars?.find((c) => c.id === current.calendar_id)?.name ?? `#${current.calendar_id}`);
    const compared: ComparedField<Jobnet>[] = [
        { key: 'name', label: t('jobnet.name') },
        { key: 'service', label: t('jobnet.service') },
        { key: 'schedule', label: t('jobnet.schedule'), show: (v) => Object.values(scheduleSummary(v as Jobnet['schedule'])).join(' ') },
        { key: 'jobs', label: t('jobnet.jobs'), show: (v) => (v as JobDefinition[]).map((j) => j.key).join(', ') },
        { key: 'enabled', label: t('jobnet.enabled'), show: (v) => (v ? t('status.active') : t('status.disabled')) },
    ];
    return (
        <>
            <PageHeader
                title={current.name}
                description={t('jobnet.detailDescription', { version: current.version })}
                actions={
                    <>
                        <ActiveBadge disabled={!current.enabled} />
                        {hasRole(...JOB_OPERATORS) && <RunNow jobnet={current} />}
                    </>
                }
            />
            <Breadcrumb href="/jobnets" label={t('jobnet.listTitle')} />
            <EditNotices form={form} path={`/jobnets/${id}`} fields={compared} />
            <div class="record-layout">
                <div class="record-main">
                    <Section title={t('jobnet.graph')}>
                        {/* The draft's jobs while they read as JSON: the graph follows the edit. */}
                        <JobGraph
                            jobs={Array.isArray(parsed.jobs) ? parsed.jobs : current.jobs}
                            label={t('jobnet.graphLabel', { name: current.name })}
                        />
                    </Section>
                    <Section title={t('jobnet.preview')}>
                        <SchedulePreview jobnet={current} />
                    </Section>
                </div>
                <div class="record-side">
                    <Section title={t('jobnet.overview')}>
                        <dl class="props">
                            <dt>{t('jobnet.schedule')}</dt>
                            <dd>
                                <ScheduleText jobnet={current} />
                            </dd>
                            <dt>{t('jobnet.calendar')}</dt>
                            <dd>{calendarName}</dd>
                            <dt>{t('jobnet.nextStart')}</dt>
                            <dd>
                                <DateTime value={current.next_start_at} />
                            </dd>
                            {current.last_run !== undefined && (
                                <>
                                    <dt>{t('jobnet.lastRun')}</dt>
                                    <dd>
                                        <LastRun jobnet={current} />
                                    </dd>
                                </>
                            )}
                            <dt>{t('jobnet.service')}</dt>
                            <dd>{current.service || t('common.none')}</dd>
                            <dt>{t('jobnet.severity')}</dt>
                            <dd>{severityLabel(current.severity)}</dd>
                        </dl>
                    </Section>
                </div>
            </div>
            <Section title={t('jobnet.recentRuns')}>
                <RecentRuns jobnet={current} />
            </Section>
            <EditFormSection
                title={t('jobnet.definition')}
                form={form}
                update={(etag) => api.updateJobnet(jobnetId, readyInput(draft, patch), etag)}
                dirty={Object.keys(patch).length > 0 || parsed.error !== null}
                shown={shownOf(errors)}
                readOnly={!admin}
                times={current}
                before={
                    admin ? (
                        <p class="jobnet-yaml-link">
                            <Link class="button button-small" href={yamlHref(current.name)}>
                                {t('jobnet.yamlEdit')}
                            </Link>{' '}
                            <span class="muted small">{t('jobnet.yamlEditHint')}</span>
                        </p>
                    ) : (
                        <Alert tone="info" title={t('jobnet.adminsOnly')} />
                    )
                }
                after={
                    admin && (
                        <DeleteRecord
                            label={t('jobnet.delete')}
                            confirm={t('jobnet.deleteConfirm', { name: current.name })}
                            submit={t('jobnet.deleteSubmit')}
                            remove={() => api.deleteJobnet(current.id)}
                            then={{ path: '/jobnets', message: t('jobnet.deleted', { name: current.name }) }}
                        >
                            <p>{t('jobnet.deleteNotice')}</p>
                        </DeleteRecord>
                    )
                }
            >
                <JobnetFields
                    draft={draft}
                    set={form.change}
                    errors={errors}
                    readOnly={!admin}
                    calendars={calendars}
                    monitors={monitors}
                />
            </EditFormSection>
        </>
    );
}
