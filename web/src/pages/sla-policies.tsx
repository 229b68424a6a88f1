// SLA policies (INC-4, INQ-2): which records a policy applies to (kind, severities, sources) and
// each target's budget, calendar, start, stop condition, pause states and warning threshold; the
// policy's page adds its versions and, for admins and managers, a form that changes the targets'
// durations, warning thresholds and calendars as a new version in force from a chosen instant
// (PATCH with If-Match; a record's clocks follow the version in force when they started).

import type { ComponentChildren } from 'preact';

import type { BusinessCalendar, SlaPolicy, SlaPolicyPatch, SlaTarget, Workflow } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useWorkflows, workflowsError } from '../app/workflows.ts';
import { useEditForm } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { SelectField, TextField } from '../components/form.tsx';
import { Breadcrumb, EditFormSection, EditNotices, pendingEdit } from '../components/record.tsx';
import { DataTable } from '../components/table.tsx';
import { Badge, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime, tokyoInputToRfc3339 } from '../i18n/format.ts';
import { lang, t } from '../i18n/index.ts';
import { enumLabel, localLabel, recordFieldLabel, severityLabel, stateLabel } from '../i18n/labels.ts';

/** Who may change policies. */
export const POLICY_EDITORS = ['admin', 'manager'] as const;

const MINUTE_MS = 60_000;

/** `12時間`, `8時間45分`, `30分` (ja); `12 h`, `8 h 45 min` (en). */
export function formatSpan(ms: number): string {
    const minutes = Math.round(ms / MINUTE_MS);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    if (lang.value === 'ja') {
        return `${h > 0 ? `${h}時間` : ''}${m > 0 || h === 0 ? `${m}分` : ''}`;
    }
    return [h > 0 ? `${h} h` : '', m > 0 || h === 0 ? `${m} min` : ''].filter(Boolean).join(' ');
}

/** When a version takes effect; the seeded defaults apply from the start (the epoch). */
function validFromText(at: string): string {
    return Date.parse(at) <= 0 ? t('sla.fromStart') : formatDateTime(at);
}

/** `… から適用`, or `当初から適用` for the seeded defaults. */
function sinceText(at: string): string {
    return Date.parse(at) <= 0 ? t('sla.sinceStart') : t('sla.since', { at: formatDateTime(at) });
}

function kindWorkflow(workflows: Workflow[] | null, kind: string): Workflow | undefined {
    return workflows?.find((w) => w.kind === kind);
}

/** The calendar a target counts on: its name, or round the clock. */
function calendarText(calendars: BusinessCalendar[] | null, id: number | null): string {
    if (id === null) {
        return t('sla.roundTheClock');
    }
    return calendars?.find((c) => c.id === id)?.name ?? `#${id}`;
}

/** Which records a policy applies to, in words. */
function AppliesTo({ policy, workflow }: { policy: SlaPolicy; workflow: Workflow | undefined }) {
    const parts: ComponentChildren[] = [];
    parts.push(<Badge tone="info">{workflow ? localLabel(workflow) : policy.kind}</Badge>);
    parts.push(
        <span>
            {t('sla.severities')}:{' '}
            {policy.severities.length === 0 ? t('sla.any') : policy.severities.map(severityLabel).join('・')}
        </span>,
    );
    if (policy.sources.length > 0) {
        parts.push(
            <span>
                {t('sla.sources')}: {policy.sources.map((s) => enumLabel('source', s)).join('・')}
            </span>,
        );
    }
    if (policy.excluded_sources.length > 0) {
        parts.push(
            <span>
                {t('sla.excluded')}: {policy.excluded_sources.map((s) => enumLabel('source', s)).join('・')}
            </span>,
        );
    }
    return (
        <p class="policy-applies">
            {parts.map((p, i) => (
                <span key={i}>{p}</span>
            ))}
        </p>
    );
}

function stopText(target: SlaTarget, workflow: Workflow | undefined): string {
    const parts: string[] = [];
    if (target.stop_field) {
        parts.push(t('sla.stopField', { field: workflow ? recordFieldLabel(workflow, target.stop_field) : target.stop_field }));
    }
    if (target.stop_states.length > 0) {
        const states = target.stop_states.map((s) => (workflow ? stateLabel(workflow, s) : s)).join('・');
        parts.push(t('sla.stopStates', { states }));
    }
    return parts.join(t('sla.or'));
}

function startText(target: SlaTarget, workflow: Workflow | undefined): string {
    if (target.start === 'created_at') {
        return t('col.createdAt');
    }
    return workflow ? recordFieldLabel(workflow, target.start) : target.start;
}

/** A policy's targets as a table. */
function TargetsTable({
    policy,
    workflow,
    calendars,
}: {
    policy: SlaPolicy;
    workflow: Workflow | undefined;
    calendars: BusinessCalendar[] | null;
}) {
    return (
        <DataTable
            caption={t('sla.targetsOf', { name: policy.name })}
            columns={[
                t('sla.target'),
                t('sla.duration'),
                t('sla.calendar'),
                t('sla.start'),
                t('sla.stop'),
                t('sla.pause'),
                t('sla.warnAt'),
            ]}
            busy={false}
            empty={policy.targets.length === 0}
        >
            {policy.targets.map((target) => (
                <tr key={target.name} data-target={target.name}>
                    <td>
                        {target.label} <span class="muted small mono">{target.name}</span>
                    </td>
                    <td class="nowrap">{formatSpan(target.duration_ms)}</td>
                    <td>{calendarText(calendars, target.calendar_id)}</td>
                    <td>{startText(target, workflow)}</td>
                    <td>{stopText(target, workflow)}</td>
                    <td>
                        {target.pause_states.length === 0
                            ? t('common.none')
                            : target.pause_states.map((s) => (workflow ? stateLabel(workflow, s) : s)).join('・')}
                    </td>
                    <td class="nowrap">{target.warn_percent} %</td>
                </tr>
            ))}
        </DataTable>
    );
}

export function SlaPolicyListPage() {
    const policies = useLoad(() => api.listSlaPolicies(), []);
    const calendars = useLoad(() => api.listCalendars(), []);
    const workflows = useWorkflows();
    // The kinds' words come from the workflows: wait for them (or their failure) rather than show codes.
    const ready = workflows !== null || workflowsError.value !== null;
    const items = ready ? (policies.data?.items ?? []) : [];
    return (
        <>
            <PageHeader title={t('sla.listTitle')} description={t('sla.listDescription')} />
            {policies.error !== null && <ErrorAlert error={policies.error} />}
            {(policies.data === null || !ready) && policies.error === null && <Loading />}
            {items.map((p) => {
                const workflow = kindWorkflow(workflows, p.kind);
                return (
                    <section key={p.id} class="panel policy" aria-labelledby={`policy-${p.id}`}>
                        <div class="policy-head">
                            <h2 class="panel-title" id={`policy-${p.id}`}>
                                <Link href={`/sla-policies/${p.id}`}>{p.name}</Link>
                            </h2>
                            <p class="muted small">
                                {t('sla.versionSince', { version: p.version, since: sinceText(p.valid_from) })}
                            </p>
                        </div>
                        <AppliesTo policy={p} workflow={workflow} />
                        <TargetsTable policy={p} workflow={workflow} calendars={calendars.data?.items ?? null} />
                    </section>
                );
            })}
        </>
    );
}

// ---- one policy, with its versions and the change form ----

interface TargetDraft {
    hours: string;
    minutes: string;
    warn: string;
    /** A calendar id, or '' for round the clock. */
    calendar: string;
}

interface PolicyDraft {
    targets: Record<string, TargetDraft>;
    /** `datetime-local` in Japan time; '' for now. */
    validFrom: string;
}

function toDraft(p: SlaPolicy): PolicyDraft {
    const targets: Record<string, TargetDraft> = {};
    for (const target of p.targets) {
        const minutes = Math.round(target.duration_ms / MINUTE_MS);
        targets[target.name] = {
            hours: String(Math.floor(minutes / 60)),
            minutes: String(minutes % 60),
            warn: String(target.warn_percent),
            calendar: target.calendar_id === null ? '' : String(target.calendar_id),
        };
    }
    return { targets, validFrom: '' };
}

/** A whole number typed in, or NaN. */
function whole(text: string): number {
    return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** The changed targets (each with only what changed) and the instant of effect. */
function policyPatch(base: SlaPolicy, draft: PolicyDraft): SlaPolicyPatch {
    const targets: SlaPolicyPatch['targets'] = [];
    for (const target of base.targets) {
        const d = draft.targets[target.name];
        if (!d) {
            continue;
        }
        const change: SlaPolicyPatch['targets'][number] = { name: target.name };
        // What is not a whole number goes as typed, so that the server names the field.
        const duration = (whole(d.hours) * 60 + whole(d.minutes)) * MINUTE_MS;
        if (duration !== target.duration_ms) {
            change.duration_ms = Number.isNaN(duration) ? (`${d.hours}:${d.minutes}` as unknown as number) : duration;
        }
        const warn = whole(d.warn);
        if (warn !== target.warn_percent) {
            change.warn_percent = Number.isNaN(warn) ? (d.warn as unknown as number) : warn;
        }
        const calendar = d.calendar === '' ? null : Number(d.calendar);
        if (calendar !== target.calendar_id) {
            change.calendar_id = calendar;
        }
        if (Object.keys(change).length > 1) {
            targets.push(change);
        }
    }
    const patch: SlaPolicyPatch = { targets };
    const from = tokyoInputToRfc3339(draft.validFrom);
    if (from) {
        patch.valid_from = from;
    }
    return patch;
}

function PolicyForm({
    policy,
    draft,
    set,
    errors,
    calendars,
}: {
    policy: SlaPolicy;
    draft: PolicyDraft;
    set: (patch: Partial<PolicyDraft>) => void;
    errors: Record<string, string>;
    calendars: BusinessCalendar[] | null;
}) {
    // The server names a target by its place in the sent list; the form sends changed targets only.
    const sentIndex = new Map(policyPatch(policy, draft).targets.map((c, i) => [c.name, i] as const));
    const errorOf = (name: string, field: string): string | undefined => {
        const i = sentIndex.get(name);
        return i === undefined ? undefined : errors[`targets[${i}].${field}`];
    };
    const setTarget = (name: string, patch: Partial<TargetDraft>): void => {
        const current = draft.targets[name];
        if (current) {
            set({ targets: { ...draft.targets, [name]: { ...current, ...patch } } });
        }
    };
    const calendarOptions = [
        { value: '', label: t('sla.roundTheClock') },
        ...(calendars ?? []).map((c) => ({ value: String(c.id), label: c.name })),
    ];
    return (
        <>
            {policy.targets.map((target) => {
                const d = draft.targets[target.name];
                if (!d) {
                    return null;
                }
                const id = `target-${target.name}`;
                return (
                    <fieldset key={target.name} class="target-edit" aria-labelledby={`${id}-legend`}>
                        <legend id={`${id}-legend`}>{target.label}</legend>
                        <div class="form-grid">
                            <TextField
                                id={`${id}-hours`}
                                label={t('sla.hours', { target: target.label })}
                                value={d.hours}
                                onValue={(hours) => setTarget(target.name, { hours })}
                                inputMode="numeric"
                                error={errorOf(target.name, 'duration_ms')}
                            />
                            <TextField
                                id={`${id}-minutes`}
                                label={t('sla.minutes', { target: target.label })}
                                value={d.minutes}
                                onValue={(minutes) => setTarget(target.name, { minutes })}
                                inputMode="numeric"
                            />
                            <TextField
                                id={`${id}-warn`}
                                label={t('sla.warnPercent', { target: target.label })}
                                value={d.warn}
                                onValue={(warn) => setTarget(target.name, { warn })}
                                inputMode="numeric"
                                error={errorOf(target.name, 'warn_percent')}
                            />
                            <SelectField
                                id={`${id}-calendar`}
                                label={t('sla.calendarOf', { target: target.label })}
                                value={d.calendar}
                                onValue={(calendar) => setTarget(target.name, { calendar })}
                                options={calendarOptions}
                                error={errorOf(target.name, 'calendar_id')}
                            />
                        </div>
                    </fieldset>
                );
            })}
            <TextField
                id="policy-valid-from"
                label={t('sla.validFrom')}
                type="datetime-local"
                value={draft.validFrom}
                onValue={(validFrom) => set({ validFrom })}
                hint={t('sla.validFromHint')}
                error={errors['valid_from']}
            />
        </>
    );
}

export function SlaPolicyPage({ id }: { id: string }) {
    const policyId = Number(id);
    const form = useEditForm(() => api.getSlaPolicy(policyId), id, toDraft);
    const { edit, draft } = form;
    const calendars = useLoad(() => api.listCalendars(), []);
    const workflows = useWorkflows();
    const editor = hasRole(...POLICY_EDITORS);
    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(t('sla.policyTitle'), edit);
    }
    const workflow = kindWorkflow(workflows, current.kind);
    const patch = policyPatch(current, draft);
    const errors = fieldErrors(edit.error);
    const shown = ['valid_from', ...Object.keys(errors).filter((k) => k.startsWith('targets['))];
    return (
        <>
            <PageHeader
                title={current.name}
                description={t('sla.versionSince', { version: current.version, since: sinceText(current.valid_from) })}
            />
            <Breadcrumb href="/sla-policies" label={t('sla.listTitle')} />
            <EditNotices
                form={form}
                path={`/sla-policies/${id}`}
                fields={[
                    {
                        key: 'targets',
                        label: t('sla.targets'),
                        show: (v) =>
                            (v as SlaTarget[])
                                .map((x) => `${x.label} ${formatSpan(x.duration_ms)} ${x.warn_percent}%`)
                                .join('、'),
                    },
                    { key: 'valid_from', label: t('sla.validFrom'), show: (v) => validFromText(String(v)) },
                ]}
            />
            <section class="panel policy">
                <AppliesTo policy={current} workflow={workflow} />
                <TargetsTable policy={current} workflow={workflow} calendars={calendars.data?.items ?? null} />
            </section>
            {editor && (
                <EditFormSection
                    title={t('sla.change')}
                    form={form}
                    update={(etag) => api.updateSlaPolicy(policyId, patch, etag)}
                    done={(p) => t('sla.savedVersion', { version: p.version, since: sinceText(p.valid_from) })}
                    dirty={patch.targets.length > 0}
                    shown={shown}
                    before={<p class="hint">{t('sla.changeHint')}</p>}
                >
                    <PolicyForm
                        policy={current}
                        draft={draft}
                        set={form.change}
                        errors={errors}
                        calendars={calendars.data?.items ?? null}
                    />
                </EditFormSection>
            )}
            <Section title={t('sla.versions')}>
                <DataTable
                    caption={t('sla.versions')}
                    columns={[t('sla.version'), t('sla.validFrom'), t('sla.changedBy'), t('sla.changedAt')]}
                    busy={false}
                    empty={current.versions.length === 0}
                >
                    {[...current.versions].reverse().map((v) => (
                        <tr key={v.version}>
                            <td>{v.version}</td>
                            <td>{validFromText(v.valid_from)}</td>
                            <td class="mono">{v.changed_by}</td>
                            <td>
                                <DateTime value={v.changed_at} />
                            </td>
                        </tr>
                    ))}
                </DataTable>
            </Section>
        </>
    );
}
