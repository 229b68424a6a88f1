// Alert rules (MON-7): when an alert opens, the first enabled rule (by position, then id) whose
// match fits it sets its severity and the channels told. Admins, managers and operators read the
// rules in the order they are tried; only admins add, change (If-Match) and delete them. A rule
// leaves the severity as it is when none is chosen (null) and tells every channel of the alerts
// topic when no channel is ticked (null); the server wants at least one of the two.

import { useState } from 'preact/hooks';

import {
    ALERT_RULE_SOURCES,
    ALERT_RULE_STATES,
    MONITOR_TYPES,
    SEVERITIES,
    type AlertRule,
    type AlertRuleCreate,
    type AlertRuleInput,
    type AlertRuleMatch,
    type AlertRuleState,
    type Monitor,
    type NotificationChannel,
    type Severity,
} from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import type { ComparedField } from '../components/conflict.tsx';
import { useCreate } from '../components/create.ts';
import { changedMembers, useEditForm } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { CheckField, FieldError, FieldSet, SelectField, TextField, tickId } from '../components/form.tsx';
import { alertSourceLabel, MonitorPicker, monitorTypeLabel } from '../components/monitoring.tsx';
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
import { ActiveBadge, Badge, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { t } from '../i18n/index.ts';
import { severityLabel } from '../i18n/labels.ts';

/** Who may add, change and delete rules. */
export const RULE_EDITORS = ['admin'] as const;

function ruleStateLabel(state: string): string {
    return state === 'critical' || state === 'warning' || state === 'unknown' || state === 'flapping'
        ? t(`rule.state.${state}`)
        : state;
}

/** What a rule's match asks, in short; an empty match fits every alert. */
export function matchSummary(match: AlertRuleMatch, monitors: readonly Monitor[] | null): string[] {
    const parts: string[] = [];
    if (match.source) {
        parts.push(t('rule.summary.source', { source: alertSourceLabel(match.source) }));
    }
    if (match.service) {
        parts.push(t('rule.summary.service', { service: match.service }));
    }
    if (match.monitor_type) {
        parts.push(t('rule.summary.monitorType', { type: monitorTypeLabel(match.monitor_type) }));
    }
    if (match.monitor_ids && match.monitor_ids.length > 0) {
        const names = match.monitor_ids.map((id) => monitors?.find((m) => m.id === id)?.name ?? `#${id}`);
        parts.push(t('rule.summary.monitors', { monitors: names.join('、') }));
    }
    if (match.states && match.states.length > 0) {
        parts.push(t('rule.summary.states', { states: match.states.map(ruleStateLabel).join('、') }));
    }
    if (match.name_contains) {
        parts.push(t('rule.summary.nameContains', { text: match.name_contains }));
    }
    return parts;
}

function channelNames(ids: readonly number[], channels: readonly NotificationChannel[] | null): string[] {
    return ids.map((id) => channels?.find((c) => c.id === id)?.name ?? `#${id}`);
}

export function AlertRuleListPage() {
    const list = useLoad(() => api.listAlertRules(), []);
    const { monitors, channels } = usePickable();
    return (
        <RecordListPage
            title={t('rule.listTitle')}
            description={t('rule.listDescription')}
            path="/alert-rules"
            create={hasRole(...RULE_EDITORS) ? t('rule.create') : undefined}
            list={list}
            columns={[
                t('rule.position'),
                t('rule.name'),
                t('rule.match'),
                t('rule.severity'),
                t('rule.channels'),
                t('field.status'),
            ]}
            row={(r) => {
                const summary = matchSummary(r.match, monitors);
                return (
                    <tr key={r.id} data-rule={r.id} class={r.enabled ? undefined : 'row-disabled'}>
                        <td class="num">{r.position}</td>
                        <td>
                            <Link href={`/alert-rules/${r.id}`}>{r.name}</Link>
                        </td>
                        <td class="cell-note" data-match>
                            {summary.length === 0 ? t('rule.summary.all') : summary.join(' / ')}
                        </td>
                        <td data-severity>
                            {r.severity ? severityLabel(r.severity) : <span class="muted">{t('rule.severityKeep')}</span>}
                        </td>
                        <td data-channels>
                            {r.channel_ids === null ? (
                                <span class="muted">{t('rule.allChannels')}</span>
                            ) : (
                                <span class="badges">
                                    {channelNames(r.channel_ids, channels).map((name) => (
                                        <Badge key={name} tone="info">
                                            {name}
                                        </Badge>
                                    ))}
                                </span>
                            )}
                        </td>
                        <td>
                            <ActiveBadge disabled={!r.enabled} />
                        </td>
                    </tr>
                );
            }}
        />
    );
}

// ---- the form ----

interface RuleDraft {
    name: string;
    position: string;
    /** '' : any source. */
    source: string;
    service: string;
    /** '' : any type. */
    monitor_type: string;
    monitor_ids: number[];
    states: AlertRuleState[];
    name_contains: string;
    /** '' : keep the alert's own severity (null). */
    severity: string;
    /** None ticked: every channel of the alerts topic (null). */
    channel_ids: number[];
    enabled: boolean;
}

function newDraft(): RuleDraft {
    return {
        name: '',
        position: '100',
        source: '',
        service: '',
        monitor_type: '',
        monitor_ids: [],
        states: [],
        name_contains: '',
        severity: '',
        channel_ids: [],
        enabled: true,
    };
}

function toDraft(r: AlertRule): RuleDraft {
    const m = r.match;
    return {
        name: r.name,
        position: String(r.position),
        source: m.source ?? '',
        service: m.service ?? '',
        monitor_type: m.monitor_type ?? '',
        monitor_ids: [...(m.monitor_ids ?? [])],
        states: ALERT_RULE_STATES.filter((s) => m.states?.includes(s)),
        name_contains: m.name_contains ?? '',
        severity: r.severity ?? '',
        channel_ids: [...(r.channel_ids ?? [])].sort((a, b) => a - b),
        enabled: r.enabled,
    };
}

/** The match as the API takes it: only the members given (an empty one fits everything). */
function matchInput(d: RuleDraft): AlertRuleMatch {
    const service = d.service.trim();
    const contains = d.name_contains.trim();
    return {
        ...(d.source === '' ? {} : { source: d.source as AlertRuleMatch['source'] }),
        ...(service === '' ? {} : { service }),
        ...(d.monitor_type === '' ? {} : { monitor_type: d.monitor_type }),
        ...(d.monitor_ids.length === 0 ? {} : { monitor_ids: d.monitor_ids }),
        ...(d.states.length === 0 ? {} : { states: ALERT_RULE_STATES.filter((s) => d.states.includes(s)) }),
        ...(contains === '' ? {} : { name_contains: contains }),
    };
}

function ruleInput(d: RuleDraft): AlertRuleCreate {
    const position = d.position.trim();
    return {
        name: d.name.trim(),
        ...(position === '' ? {} : { position: Number(position) }),
        match: matchInput(d),
        // Both go even when null: the server then names `severity` (give one or the other).
        severity: d.severity === '' ? null : (d.severity as Severity),
        channel_ids: d.channel_ids.length === 0 ? null : [...d.channel_ids].sort((a, b) => a - b),
        enabled: d.enabled,
    };
}

/** What changed; `match` goes whole (the server replaces it). */
function rulePatch(base: AlertRule, d: RuleDraft): AlertRuleInput {
    return changedMembers(ruleInput(toDraft(base)), ruleInput(d));
}

const SHOWN = [
    'name',
    'position',
    'match',
    'match.source',
    'match.service',
    'match.monitor_type',
    'match.monitor_ids',
    'match.states',
    'match.name_contains',
    'severity',
    'channel_ids',
    'enabled',
];

/** Check boxes of the notification channels; none ticked: every channel of the alerts topic. */
function ChannelPicker({
    channels,
    chosen,
    onChosen,
    error,
    readOnly,
}: {
    channels: readonly NotificationChannel[] | null;
    chosen: readonly number[];
    onChosen: (ids: number[]) => void;
    error: string | undefined;
    readOnly: boolean;
}) {
    return (
        <FieldSet id="rule-channel-ids" legend={t('rule.channels')} hint={t('rule.channelsHint')} error={error}>
            {channels === null && <p class="muted small">{t('common.loading')}</p>}
            {channels !== null && channels.length === 0 && <p class="muted small">{t('rule.noChannels')}</p>}
            {(channels ?? []).map((c) => (
                <label key={c.id} class="check">
                    <input
                        type="checkbox"
                        checked={chosen.includes(c.id)}
                        disabled={readOnly}
                        aria-invalid={error ? true : undefined}
                        onChange={(e) => onChosen(tickId(chosen, c.id, e.currentTarget.checked))}
                    />
                    {c.name}
                </label>
            ))}
        </FieldSet>
    );
}

function RuleFields({
    draft,
    set,
    errors,
    readOnly,
    monitors,
    channels,
}: DraftFieldsProps<RuleDraft> & {
    monitors: readonly Monitor[] | null;
    channels: readonly NotificationChannel[] | null;
}) {
    const any = { value: '', label: t('rule.any') };
    return (
        <div class="form-grid">
            <TextField
                id="rule-name"
                label={t('rule.name')}
                value={draft.name}
                onValue={(name) => set({ name })}
                error={errors['name']}
                required
                readOnly={readOnly}
                maxLength={200}
            />
            <TextField
                id="rule-position"
                type="number"
                label={t('rule.position')}
                value={draft.position}
                onValue={(position) => set({ position })}
                error={errors['position']}
                hint={t('rule.positionHint')}
                readOnly={readOnly}
                min={0}
                max={1000000}
            />
            <fieldset class={`field field-wide${errors['match'] ? ' field-invalid' : ''}`} id="rule-match">
                <legend>{t('rule.match')}</legend>
                <p class="hint">{t('rule.matchHint')}</p>
                <FieldError id="rule-match" error={errors['match']} />
                <div class="form-grid">
                    <SelectField
                        id="rule-source"
                        label={t('rule.source')}
                        value={draft.source}
                        onValue={(source) => set({ source })}
                        options={[any, ...ALERT_RULE_SOURCES.map((s) => ({ value: s, label: alertSourceLabel(s) }))]}
                        error={errors['match.source']}
                        disabled={readOnly}
                    />
                    <TextField
                        id="rule-service"
                        label={t('rule.service')}
                        value={draft.service}
                        onValue={(service) => set({ service })}
                        error={errors['match.service']}
                        hint={t('rule.serviceHint')}
                        readOnly={readOnly}
                        maxLength={200}
                    />
                    <SelectField
                        id="rule-monitor-type"
                        label={t('rule.monitorType')}
                        value={draft.monitor_type}
                        onValue={(monitor_type) => set({ monitor_type })}
                        options={[any, ...MONITOR_TYPES.map((ty) => ({ value: ty, label: monitorTypeLabel(ty) }))]}
                        error={errors['match.monitor_type']}
                        disabled={readOnly}
                    />
                    <TextField
                        id="rule-name-contains"
                        label={t('rule.nameContains')}
                        value={draft.name_contains}
                        onValue={(name_contains) => set({ name_contains })}
                        error={errors['match.name_contains']}
                        hint={t('rule.nameContainsHint')}
                        readOnly={readOnly}
                        maxLength={200}
                    />
                    <FieldSet id="rule-states" legend={t('rule.states')} error={errors['match.states']}>
                        {ALERT_RULE_STATES.map((s) => (
                            <label key={s} class="check">
                                <input
                                    type="checkbox"
                                    checked={draft.states.includes(s)}
                                    disabled={readOnly}
                                    onChange={(e) =>
                                        set({
                                            states: e.currentTarget.checked
                                                ? ALERT_RULE_STATES.filter((x) => x === s || draft.states.includes(x))
                                                : draft.states.filter((x) => x !== s),
                                        })
                                    }
                                />
                                {ruleStateLabel(s)}
                            </label>
                        ))}
                    </FieldSet>
                    <MonitorPicker
                        id="rule-monitor-ids"
                        legend={t('rule.monitors')}
                        hint={t('rule.monitorsHint')}
                        monitors={monitors}
                        chosen={draft.monitor_ids}
                        onChosen={(monitor_ids) => set({ monitor_ids })}
                        error={errors['match.monitor_ids']}
                        readOnly={readOnly}
                    />
                </div>
            </fieldset>
            <SelectField
                id="rule-severity"
                label={t('rule.severity')}
                value={draft.severity}
                onValue={(severity) => set({ severity })}
                options={[
                    { value: '', label: t('rule.severityKeep') },
                    ...SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) })),
                ]}
                error={errors['severity']}
                hint={t('rule.severityHint')}
                disabled={readOnly}
            />
            <ChannelPicker
                channels={channels}
                chosen={draft.channel_ids}
                onChosen={(channel_ids) => set({ channel_ids })}
                error={errors['channel_ids']}
                readOnly={readOnly}
            />
            <CheckField
                id="rule-enabled"
                label={t('rule.enabled')}
                checked={draft.enabled}
                onChecked={(enabled) => set({ enabled })}
                disabled={readOnly}
            />
        </div>
    );
}

/** The monitors and channels the list names and the form offers (channels: admins, managers and operators only). */
function usePickable() {
    const monitors = useLoad(async () => (await api.listMonitors()).items, []);
    const channels = useLoad(async () => (await api.listChannels()).items, []);
    return { monitors: monitors.data, channels: channels.data };
}

export function AlertRuleCreatePage() {
    const [draft, setDraft] = useState<RuleDraft>(newDraft);
    const { monitors, channels } = usePickable();
    const form = useCreate(async (idempotencyKey) => {
        const res = await api.createAlertRule(ruleInput(draft), { idempotencyKey });
        return { path: '/alert-rules', message: t('rule.created', { name: res.data.name }) };
    });
    return (
        <CreatePage
            title={t('rule.createTitle')}
            description={t('rule.createDescription')}
            back={{ href: '/alert-rules', label: t('rule.listTitle') }}
            form={form}
            shown={SHOWN}
        >
            <RuleFields
                draft={draft}
                set={(p) => setDraft((d) => ({ ...d, ...p }))}
                errors={fieldErrors(form.error)}
                readOnly={false}
                monitors={monitors}
                channels={channels}
            />
        </CreatePage>
    );
}

export function AlertRuleEditPage({ id }: { id: string }) {
    const ruleId = Number(id);
    const form = useEditForm(() => api.getAlertRule(ruleId), id, toDraft);
    const { monitors, channels } = usePickable();
    const { edit, draft } = form;
    const admin = hasRole(...RULE_EDITORS);
    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(t('rule.editTitle'), edit);
    }
    const patch = rulePatch(current, draft);
    const compared: ComparedField<AlertRule>[] = [
        { key: 'name', label: t('rule.name') },
        { key: 'position', label: t('rule.position') },
        { key: 'severity', label: t('rule.severity'), show: (v) => (typeof v === 'string' ? severityLabel(v) : t('rule.severityKeep')) },
        { key: 'enabled', label: t('rule.enabled'), show: (v) => (v ? t('status.active') : t('status.disabled')) },
    ];
    return (
        <>
            <PageHeader
                title={current.name}
                description={t('rule.editDescription', { version: current.version })}
                actions={<ActiveBadge disabled={!current.enabled} />}
            />
            <Breadcrumb href="/alert-rules" label={t('rule.listTitle')} />
            <EditNotices form={form} path={`/alert-rules/${id}`} fields={compared} />
            <EditFormSection
                title={t('rule.settings')}
                form={form}
                update={(etag) => api.updateAlertRule(ruleId, patch, etag)}
                dirty={Object.keys(patch).length > 0}
                shown={SHOWN}
                readOnly={!admin}
                times={current}
            >
                <RuleFields
                    draft={draft}
                    set={form.change}
                    errors={fieldErrors(edit.error)}
                    readOnly={!admin}
                    monitors={monitors}
                    channels={channels}
                />
            </EditFormSection>
            {admin && (
                <Section title={t('rule.operations')}>
                    <DeleteRecord
                        label={t('rule.delete')}
                        confirm={t('rule.deleteConfirm', { name: current.name })}
                        submit={t('rule.deleteSubmit')}
                        remove={() => api.deleteAlertRule(current.id)}
                        then={{ path: '/alert-rules', message: t('rule.deleted', { name: current.name }) }}
                    >
                        <p>{t('rule.deleteNotice')}</p>
                    </DeleteRecord>
                </Section>
            )}
        </>
    );
}
