// Monitoring (MON-1..8): the status board — every monitor grouped by service (業務システム), each
// group with its count per state and a tile per monitor in the state's colour, mark and words,
// asked again every few seconds — and the form that adds or changes a monitor (the create page
// here; the monitor's own page is in monitor-detail.tsx). Everyone reads; admins, managers and
// operators change (the API enforces it; the console hides the buttons for others).

import { useState } from 'preact/hooks';

import {
    MONITOR_TYPES,
    SEVERITIES,
    type Monitor,
    type MonitorCreate,
    type MonitorInput,
    type MonitorState,
    type MonitorType,
    type Role,
    type Severity,
} from '../api/client.ts';
import { flash } from '../app/flash.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useCreate } from '../components/create.ts';
import { changedMembers } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { CheckField, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import {
    initialTarget,
    kindOf,
    mayChangeType,
    shownFields,
    switchTarget,
    TARGET_SHOWN,
    targetInput,
    targetValues,
    typesFor,
    type TargetField,
    type TargetValues,
} from '../components/monitor-types.ts';
import {
    compareServices,
    LiveNote,
    MONITOR_STAFF,
    MonitorPicker,
    monitorStateLabel,
    monitorTypeLabel,
    serviceLabel,
    STATE_ORDER,
    StateBadge,
    stateOf,
    targetText,
    useMonitors,
    valueUnit,
} from '../components/monitoring.tsx';
import { CreateLink, CreatePage, type DraftFieldsProps } from '../components/record.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { t } from '../i18n/index.ts';
import { severityLabel } from '../i18n/labels.ts';

// ---- the status board ----

/** How many monitors are in each state, worst first; zero counts are shown too (so they can be read). */
export function StateCounts({ monitors, label }: { monitors: readonly Monitor[]; label: string }) {
    return (
        <div role="group" aria-label={label}>
            <dl class="state-counts">
                {STATE_ORDER.map((s) => {
                    const n = monitors.filter((m) => stateOf(m) === s).length;
                    return (
                        <div key={s} class={`state-count state-count-${s}${n === 0 ? ' state-count-zero' : ''}`} data-state={s}>
                            <dt>{monitorStateLabel(s)}</dt>
                            <dd>{n}</dd>
                        </div>
                    );
                })}
            </dl>
        </div>
    );
}

function Tile({ monitor }: { monitor: Monitor }) {
    const state = stateOf(monitor);
    return (
        <li class={`tile tile-${state}`} data-monitor={monitor.id}>
            <div class="tile-head">
                <Link class="tile-name" href={`/monitors/${monitor.id}`}>
                    {monitor.name}
                </Link>
                <StateBadge state={state} />
            </div>
            <p class="tile-target mono">{targetText(monitor)}</p>
            {!monitor.enabled && <Badge tone="neutral">{t('status.disabled')}</Badge>}
            {monitor.status?.message && <p class="tile-message">{monitor.status.message}</p>}
            <p class="tile-checked small muted">
                {t('monitor.lastCheck')}: <DateTime value={monitor.status?.last_check_at} empty={t('monitor.notChecked')} />
            </p>
        </li>
    );
}

/** The monitors grouped by service, services by name and 未分類 last. */
export function byService(monitors: readonly Monitor[]): { service: string; monitors: Monitor[] }[] {
    const services = [...new Set(monitors.map((m) => m.service))].sort(compareServices);
    return services.map((service) => ({
        service,
        monitors: monitors.filter((m) => m.service === service).sort((a, b) => a.name.localeCompare(b.name, 'ja')),
    }));
}

/** The worst state among `monitors`. */
function worstOf(monitors: readonly Monitor[]): MonitorState {
    return STATE_ORDER.find((s) => monitors.some((m) => stateOf(m) === s)) ?? 'ok';
}

export function MonitorBoardPage() {
    const monitors = useMonitors();
    const staff = hasRole(...MONITOR_STAFF);
    const items = monitors.data ?? [];
    const flashed = flash.value?.path === '/monitors' ? flash.value.text : null;
    return (
        <>
            <PageHeader
                title={t('monitor.boardTitle')}
                description={t('monitor.boardDescription')}
                actions={staff && <CreateLink href="/monitors/new" label={t('monitor.create')} />}
            />
            {flashed && <Alert tone="success" title={flashed} />}
            <div class="board-bar">
                <LiveNote polled={monitors} />
                {monitors.data !== null && <StateCounts monitors={items} label={t('monitor.countsAll')} />}
            </div>
            {monitors.error !== null && <ErrorAlert error={monitors.error} />}
            {monitors.loading && <Loading />}
            {monitors.data !== null && items.length === 0 && <p class="muted">{t('monitor.none')}</p>}
            {byService(items).map((g) => {
                const name = serviceLabel(g.service);
                const headingId = `service-${encodeURIComponent(g.service || '-')}`;
                return (
                    <section
                        key={g.service}
                        class={`panel panel-compact board-group board-group-${worstOf(g.monitors)}`}
                        aria-labelledby={headingId}
                    >
                        <div class="board-group-head">
                            <h2 id={headingId} class="panel-title">
                                {name}
                            </h2>
                            <StateCounts monitors={g.monitors} label={t('monitor.countsOf', { service: name })} />
                        </div>
                        <ul class="tiles" aria-label={t('monitor.tilesOf', { service: name })}>
                            {g.monitors.map((m) => (
                                <Tile key={m.id} monitor={m} />
                            ))}
                        </ul>
                    </section>
                );
            })}
        </>
    );
}

// ---- the form ----

export interface MonitorDraft {
    name: string;
    type: MonitorType;
    service: string;
    /** The target's members as typed (see monitor-types.ts: which members a type has). */
    target: TargetValues;
    interval_s: string;
    timeout_ms: string;
    retries: string;
    warning: string;
    critical: string;
    parent_ids: number[];
    severity: Severity;
    enabled: boolean;
}

export function newMonitorDraft(): MonitorDraft {
    return {
        name: '',
        type: 'tcp',
        service: '',
        target: initialTarget('tcp'),
        interval_s: '60',
        timeout_ms: '5000',
        retries: '3',
        warning: '',
        critical: '',
        parent_ids: [],
        severity: 'high',
        enabled: true,
    };
}

const text = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

export function monitorDraft(m: Monitor): MonitorDraft {
    return {
        name: m.name,
        type: m.type,
        service: m.service,
        target: targetValues(m.type, m.target),
        interval_s: String(m.interval_s),
        timeout_ms: String(m.timeout_ms),
        retries: String(m.retries),
        warning: text(m.warning),
        critical: text(m.critical),
        parent_ids: [...m.parent_ids],
        severity: m.severity,
        enabled: m.enabled,
    };
}

/** A number typed in a field, `null` when empty (a number input reads empty for what is not a number). */
function numberOf(value: string): number | null {
    const v = value.trim();
    return v === '' ? null : Number(v);
}

/** Every member of the draft as the API takes it (empty numbers left out, thresholds null). */
export function monitorInput(d: MonitorDraft): MonitorCreate {
    const none = kindOf(d.type).thresholds === 'none';
    const input: MonitorCreate = {
        name: d.name.trim(),
        type: d.type,
        target: targetInput(d.type, d.target),
        service: d.service.trim(),
        parent_ids: d.parent_ids,
        severity: d.severity,
        enabled: d.enabled,
        warning: none ? null : numberOf(d.warning),
        critical: none ? null : numberOf(d.critical),
    };
    for (const key of ['interval_s', 'timeout_ms', 'retries'] as const) {
        const n = numberOf(d[key]);
        if (n !== null) {
            input[key] = n;
        }
    }
    return input;
}

/** What the draft changed against `base` (`target` is sent whole when any part changed). */
export function monitorPatch(base: Monitor, d: MonitorDraft): MonitorInput {
    return changedMembers(monitorInput(monitorDraft(base)), monitorInput(d));
}

/** Field names the form shows in place (the rest go above it). */
export const MONITOR_SHOWN = [
    'name',
    'type',
    'target',
    ...TARGET_SHOWN,
    'service',
    'interval_s',
    'timeout_ms',
    'retries',
    'warning',
    'critical',
    'parent_ids',
    'severity',
    'enabled',
];

/** Whether the signed-in user may choose or change a type (command monitors: admins only). */
const mayUse = (roles: readonly Role[]): boolean => hasRole(...roles);

/** `警告のしきい値 (ミリ秒)`: a label with the unit of the type's value, when it has one. */
function withUnit(label: string, type: string): string {
    const unit = valueUnit(type);
    return unit === '' ? label : `${label} (${unit})`;
}

/** The services already used, offered as suggestions for the service field. */
function ServiceSuggestions({ id, monitors }: { id: string; monitors: readonly Monitor[] | null }) {
    const services = [...new Set((monitors ?? []).map((m) => m.service).filter((s) => s !== ''))].sort(compareServices);
    return (
        <datalist id={id}>
            {services.map((s) => (
                <option key={s} value={s} />
            ))}
        </datalist>
    );
}

/** One target member's input, as its descriptor says; `target.<member>` errors are shown under it. */
function TargetInput({
    field,
    values,
    onValues,
    errors,
    readOnly,
}: {
    field: TargetField;
    values: TargetValues;
    onValues: (values: TargetValues) => void;
    errors: Record<string, string>;
    readOnly: boolean;
}) {
    const id = `mon-target-${field.member.replace(/_/g, '-')}`;
    const label = t(field.label);
    const hint = field.hint && t(field.hint, field.hintVars);
    const error = errors[`target.${field.member}`];
    const value = values[field.member];
    const str = typeof value === 'string' ? value : '';
    const put = (v: string | boolean): void => onValues({ ...values, [field.member]: v });
    // What the text inputs share.
    const text = { id, label, value: str, onValue: put, hint, error, required: field.required, readOnly };
    switch (field.kind) {
        case 'check':
            return (
                <CheckField
                    id={id}
                    label={label}
                    checked={typeof value === 'boolean' ? value : field.initial}
                    onChecked={put}
                    hint={hint}
                    error={error}
                    disabled={readOnly}
                />
            );
        case 'select':
            return (
                <SelectField
                    id={id}
                    label={label}
                    value={str}
                    onValue={put}
                    options={[
                        ...(field.empty ? [{ value: '', label: t(field.empty) }] : []),
                        ...field.options.map((o) => ({ value: o, label: field.optionLabel?.(o) ?? o })),
                    ]}
                    hint={hint}
                    error={error}
                    required={field.required}
                    disabled={readOnly}
                />
            );
        case 'list':
        case 'pairs':
            return <TextAreaField {...text} rows={4} />;
        case 'number':
            return <TextField {...text} type="number" min={field.min} max={field.max} />;
        case 'text':
            return <TextField {...text} wide={field.wide} autoComplete="off" />;
    }
}

export function MonitorFields({
    draft,
    set,
    errors,
    readOnly,
    self,
}: DraftFieldsProps<MonitorDraft> & { self?: number }) {
    const monitors = useLoad(async () => (await api.listMonitors()).items, []);
    const kind = kindOf(draft.type);
    // A type only admins may set (command) is offered to others only as the monitor's own type,
    // and then read-only: the server would refuse the change.
    const locked = readOnly || !mayChangeType(draft.type, mayUse);
    const lower = kind.thresholds === 'lower';
    return (
        <div class="form-grid">
            <TextField
                id="mon-name"
                label={t('monitor.name')}
                value={draft.name}
                onValue={(name) => set({ name })}
                error={errors['name']}
                required
                readOnly={locked}
                maxLength={200}
            />
            <SelectField
                id="mon-type"
                label={t('monitor.type')}
                value={draft.type}
                onValue={(v) => set({ type: v as MonitorType, target: switchTarget(draft.type, draft.target, v) })}
                options={typesFor(MONITOR_TYPES, mayUse, draft.type).map((ty) => ({ value: ty, label: monitorTypeLabel(ty) }))}
                error={errors['type']}
                hint={t(`monitor.typeHint.${draft.type}`)}
                required
                disabled={locked}
            />
            {shownFields(draft.type, draft.target).map((f) => (
                <TargetInput
                    key={f.member}
                    field={f}
                    values={draft.target}
                    onValues={(target) => set({ target })}
                    errors={errors}
                    readOnly={locked}
                />
            ))}
            {errors['target'] && <p class="field-error field-wide">{errors['target']}</p>}
            <TextField
                id="mon-service"
                label={t('monitor.service')}
                value={draft.service}
                onValue={(service) => set({ service })}
                error={errors['service']}
                hint={t('monitor.serviceHint')}
                readOnly={locked}
                maxLength={200}
                list="mon-service-list"
                autoComplete="off"
            />
            <ServiceSuggestions id="mon-service-list" monitors={monitors.data} />
            <TextField
                id="mon-interval-s"
                type="number"
                label={t('monitor.intervalS')}
                value={draft.interval_s}
                onValue={(interval_s) => set({ interval_s })}
                error={errors['interval_s']}
                hint={t('monitor.intervalHint')}
                readOnly={locked}
                min={1}
                max={86400}
            />
            <TextField
                id="mon-timeout-ms"
                type="number"
                label={t('monitor.timeoutMs')}
                value={draft.timeout_ms}
                onValue={(timeout_ms) => set({ timeout_ms })}
                error={errors['timeout_ms']}
                hint={t('monitor.timeoutHint')}
                readOnly={locked}
                min={100}
                max={120000}
            />
            <TextField
                id="mon-retries"
                type="number"
                label={t('monitor.retries')}
                value={draft.retries}
                onValue={(retries) => set({ retries })}
                error={errors['retries']}
                hint={t('monitor.retriesHint')}
                readOnly={locked}
                min={1}
                max={10}
            />
            {kind.thresholds !== 'none' && (
                <>
                    <TextField
                        id="mon-warning"
                        type="number"
                        label={withUnit(t(lower ? 'monitor.warningBelow' : 'monitor.warning'), draft.type)}
                        value={draft.warning}
                        onValue={(warning) => set({ warning })}
                        error={errors['warning']}
                        hint={t(kind.thresholdHint ?? 'monitor.thresholdHint')}
                        readOnly={locked}
                        min={0}
                    />
                    <TextField
                        id="mon-critical"
                        type="number"
                        label={withUnit(t(lower ? 'monitor.criticalBelow' : 'monitor.critical'), draft.type)}
                        value={draft.critical}
                        onValue={(critical) => set({ critical })}
                        error={errors['critical']}
                        readOnly={locked}
                        min={0}
                    />
                </>
            )}
            <SelectField
                id="mon-severity"
                label={t('monitor.severity')}
                value={draft.severity}
                onValue={(v) => set({ severity: v as Severity })}
                options={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))}
                error={errors['severity']}
                hint={t('monitor.severityHint')}
                disabled={locked}
            />
            <CheckField
                id="mon-enabled"
                label={t('monitor.enabled')}
                checked={draft.enabled}
                onChecked={(enabled) => set({ enabled })}
                error={errors['enabled']}
                disabled={locked}
            />
            <MonitorPicker
                id="mon-parent-ids"
                legend={t('monitor.parents')}
                hint={t('monitor.parentsHint')}
                monitors={monitors.data}
                chosen={draft.parent_ids}
                onChosen={(parent_ids) => set({ parent_ids })}
                exclude={self}
                error={errors['parent_ids']}
                readOnly={locked}
            />
        </div>
    );
}

export function MonitorCreatePage() {
    const [draft, setDraft] = useState<MonitorDraft>(newMonitorDraft);
    const form = useCreate(async (idempotencyKey) => {
        const res = await api.createMonitor(monitorInput(draft), { idempotencyKey });
        return { path: `/monitors/${res.data.id}`, message: t('monitor.created', { name: res.data.name }) };
    });
    return (
        <CreatePage
            title={t('monitor.createTitle')}
            back={{ href: '/monitors', label: t('monitor.boardTitle') }}
            form={form}
            shown={MONITOR_SHOWN}
        >
            <MonitorFields
                draft={draft}
                set={(p) => setDraft((d) => ({ ...d, ...p }))}
                errors={fieldErrors(form.error)}
                readOnly={false}
            />
        </CreatePage>
    );
}
