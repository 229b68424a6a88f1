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
    type MonitorTarget,
    type MonitorType,
    type Severity,
} from '../api/client.ts';
import { flash } from '../app/flash.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useCreate } from '../components/create.ts';
import { fieldErrors } from '../components/errors.ts';
import { SelectField, TextField } from '../components/form.tsx';
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
    host: string;
    port: string;
    url: string;
    expect_status: string;
    keyword: string;
    path: string;
    iface: string;
    process: string;
    pattern: string;
    min: string;
    max: string;
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
        host: '',
        port: '',
        url: 'http://',
        expect_status: '',
        keyword: '',
        path: '/',
        iface: '',
        process: '',
        pattern: '',
        min: '',
        max: '',
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
        host: m.target.host ?? '',
        port: text(m.target.port),
        url: m.target.url ?? 'http://',
        expect_status: text(m.target.expect_status),
        keyword: m.target.keyword ?? '',
        path: m.target.path ?? '/',
        iface: m.target.interface ?? '',
        process: m.target.name ?? '',
        pattern: m.target.pattern ?? '',
        min: text(m.target.min),
        max: text(m.target.max),
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

function targetOf(d: MonitorDraft): MonitorTarget {
    switch (d.type) {
        case 'tcp': {
            const port = numberOf(d.port);
            return { host: d.host.trim(), ...(port === null ? {} : { port }) };
        }
        case 'http': {
            const status = numberOf(d.expect_status);
            return {
                url: d.url.trim(),
                ...(status === null ? {} : { expect_status: status }),
                ...(d.keyword.trim() === '' ? {} : { keyword: d.keyword.trim() }),
            };
        }
        case 'disk':
            return { path: d.path.trim() };
        case 'net_traffic':
            return d.iface.trim() === '' ? {} : { interface: d.iface.trim() };
        case 'process': {
            const min = numberOf(d.min);
            const max = numberOf(d.max);
            return {
                ...(d.process.trim() === '' ? {} : { name: d.process.trim() }),
                ...(d.pattern.trim() === '' ? {} : { pattern: d.pattern.trim() }),
                ...(min === null ? {} : { min }),
                ...(max === null ? {} : { max }),
            };
        }
        case 'heartbeat':
        case 'cpu':
        case 'memory':
        case 'load':
            return {};
    }
}

/** Every member of the draft as the API takes it (empty numbers left out, thresholds null). */
export function monitorInput(d: MonitorDraft): MonitorCreate {
    const input: MonitorCreate = {
        name: d.name.trim(),
        type: d.type,
        target: targetOf(d),
        service: d.service.trim(),
        parent_ids: d.parent_ids,
        severity: d.severity,
        enabled: d.enabled,
        warning: numberOf(d.warning),
        critical: numberOf(d.critical),
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
    const before = monitorInput(monitorDraft(base));
    const after = monitorInput(d);
    const patch: MonitorInput = {};
    for (const key of Object.keys(after) as (keyof MonitorCreate)[]) {
        if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) {
            Object.assign(patch, { [key]: after[key] });
        }
    }
    return patch;
}

/** Field names the form shows in place (the rest go above it). */
export const MONITOR_SHOWN = [
    'name',
    'type',
    'target',
    'target.host',
    'target.port',
    'target.url',
    'target.expect_status',
    'target.keyword',
    'target.path',
    'target.interface',
    'target.name',
    'target.pattern',
    'target.min',
    'target.max',
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

export function MonitorFields({
    draft,
    set,
    errors,
    readOnly,
    self,
}: DraftFieldsProps<MonitorDraft> & { self?: number }) {
    const monitors = useLoad(async () => (await api.listMonitors()).items, []);
    return (
        <div class="form-grid">
            <TextField
                id="mon-name"
                label={t('monitor.name')}
                value={draft.name}
                onValue={(name) => set({ name })}
                error={errors['name']}
                required
                readOnly={readOnly}
                maxLength={200}
            />
            <SelectField
                id="mon-type"
                label={t('monitor.type')}
                value={draft.type}
                onValue={(v) => set({ type: v as MonitorType })}
                options={MONITOR_TYPES.map((ty) => ({ value: ty, label: monitorTypeLabel(ty) }))}
                error={errors['type']}
                hint={t(`monitor.typeHint.${draft.type}`)}
                required
                disabled={readOnly}
            />
            {draft.type === 'tcp' && (
                <>
                    <TextField
                        id="mon-target-host"
                        label={t('monitor.host')}
                        value={draft.host}
                        onValue={(host) => set({ host })}
                        error={errors['target.host']}
                        hint={t('monitor.hostHint')}
                        required
                        readOnly={readOnly}
                        autoComplete="off"
                    />
                    <TextField
                        id="mon-target-port"
                        type="number"
                        label={t('monitor.port')}
                        value={draft.port}
                        onValue={(port) => set({ port })}
                        error={errors['target.port']}
                        hint={t('monitor.portHint')}
                        required
                        readOnly={readOnly}
                        min={1}
                        max={65535}
                    />
                </>
            )}
            {draft.type === 'http' && (
                <>
                    <TextField
                        id="mon-target-url"
                        label={t('monitor.url')}
                        value={draft.url}
                        onValue={(url) => set({ url })}
                        error={errors['target.url']}
                        hint={t('monitor.urlHint')}
                        required
                        readOnly={readOnly}
                        wide
                        autoComplete="off"
                    />
                    <TextField
                        id="mon-target-expect-status"
                        type="number"
                        label={t('monitor.expectStatus')}
                        value={draft.expect_status}
                        onValue={(expect_status) => set({ expect_status })}
                        error={errors['target.expect_status']}
                        hint={t('monitor.expectStatusHint')}
                        readOnly={readOnly}
                        min={100}
                        max={599}
                    />
                    <TextField
                        id="mon-target-keyword"
                        label={t('monitor.keyword')}
                        value={draft.keyword}
                        onValue={(keyword) => set({ keyword })}
                        error={errors['target.keyword']}
                        hint={t('monitor.keywordHint')}
                        readOnly={readOnly}
                    />
                </>
            )}
            {draft.type === 'disk' && (
                <TextField
                    id="mon-target-path"
                    label={t('monitor.path')}
                    value={draft.path}
                    onValue={(path) => set({ path })}
                    error={errors['target.path']}
                    hint={t('monitor.pathHint')}
                    required
                    readOnly={readOnly}
                    autoComplete="off"
                />
            )}
            {draft.type === 'net_traffic' && (
                <TextField
                    id="mon-target-interface"
                    label={t('monitor.interface')}
                    value={draft.iface}
                    onValue={(iface) => set({ iface })}
                    error={errors['target.interface']}
                    hint={t('monitor.interfaceHint')}
                    readOnly={readOnly}
                    autoComplete="off"
                />
            )}
            {draft.type === 'process' && (
                <>
                    <TextField
                        id="mon-target-name"
                        label={t('monitor.processName')}
                        value={draft.process}
                        onValue={(process) => set({ process })}
                        error={errors['target.name']}
                        hint={t('monitor.processNameHint')}
                        readOnly={readOnly}
                        autoComplete="off"
                    />
                    <TextField
                        id="mon-target-pattern"
                        label={t('monitor.pattern')}
                        value={draft.pattern}
                        onValue={(pattern) => set({ pattern })}
                        error={errors['target.pattern']}
                        hint={t('monitor.patternHint')}
                        readOnly={readOnly}
                        autoComplete="off"
                    />
                    <TextField
                        id="mon-target-min"
                        type="number"
                        label={t('monitor.processMin')}
                        value={draft.min}
                        onValue={(min) => set({ min })}
                        error={errors['target.min']}
                        hint={t('monitor.processMinHint')}
                        readOnly={readOnly}
                        min={0}
                    />
                    <TextField
                        id="mon-target-max"
                        type="number"
                        label={t('monitor.processMax')}
                        value={draft.max}
                        onValue={(max) => set({ max })}
                        error={errors['target.max']}
                        hint={t('monitor.processMaxHint')}
                        readOnly={readOnly}
                        min={0}
                    />
                </>
            )}
            {errors['target'] && <p class="field-error field-wide">{errors['target']}</p>}
            <TextField
                id="mon-service"
                label={t('monitor.service')}
                value={draft.service}
                onValue={(service) => set({ service })}
                error={errors['service']}
                hint={t('monitor.serviceHint')}
                readOnly={readOnly}
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
                readOnly={readOnly}
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
                readOnly={readOnly}
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
                readOnly={readOnly}
                min={1}
                max={10}
            />
            {draft.type !== 'heartbeat' && (
                <>
                    <TextField
                        id="mon-warning"
                        type="number"
                        label={withUnit(t('monitor.warning'), draft.type)}
                        value={draft.warning}
                        onValue={(warning) => set({ warning })}
                        error={errors['warning']}
                        hint={t('monitor.thresholdHint')}
                        readOnly={readOnly}
                        min={0}
                    />
                    <TextField
                        id="mon-critical"
                        type="number"
                        label={withUnit(t('monitor.critical'), draft.type)}
                        value={draft.critical}
                        onValue={(critical) => set({ critical })}
                        error={errors['critical']}
                        readOnly={readOnly}
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
                disabled={readOnly}
            />
            <div class="field">
                <label class="check">
                    <input
                        id="mon-enabled"
                        type="checkbox"
                        checked={draft.enabled}
                        disabled={readOnly}
                        onChange={(e) => set({ enabled: e.currentTarget.checked })}
                    />
                    {t('monitor.enabled')}
                </label>
                {errors['enabled'] && <p class="field-error">{errors['enabled']}</p>}
            </div>
            <MonitorPicker
                id="mon-parent-ids"
                legend={t('monitor.parents')}
                hint={t('monitor.parentsHint')}
                monitors={monitors.data}
                chosen={draft.parent_ids}
                onChosen={(parent_ids) => set({ parent_ids })}
                exclude={self}
                error={errors['parent_ids']}
                readOnly={readOnly}
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
