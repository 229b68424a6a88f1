// Notification channels (MON-6): where alerts, recoveries and SLA warnings are sent — mail over
// SMTP or a webhook (generic JSON, Slack, Teams). Admins, managers and operators read them; only
// admins add, change (If-Match), delete and send a test message (a 503 says why it was not
// delivered). An SMTP password is write-only: the server says only whether one is set. Each
// channel hears the topics ticked: operators' alerts, notices of planned stops, and outage notices
// for the systems' users (INC-10), which wait for the channel's escalation minutes.

import { useState } from 'preact/hooks';

import {
    ApiError,
    CHANNEL_TOPICS,
    DEFAULT_CHANNEL_TOPICS,
    WEBHOOK_FORMATS,
    type ChannelCreate,
    type ChannelInput,
    type ChannelTopic,
    type ChannelType,
    type NotificationChannel,
    type WebhookFormat,
} from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import type { ComparedField } from '../components/conflict.tsx';
import { useCreate } from '../components/create.ts';
import { changedMembers, useEditForm } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { CheckField, FieldSet, SelectField, TextAreaField, TextField } from '../components/form.tsx';
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
import { ActiveBadge, Alert, Badge, DateTime, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { isMessageKey, t } from '../i18n/index.ts';
import { serverMessage } from '../i18n/server.ts';

/** Who may add, change, delete and test channels. */
export const CHANNEL_EDITORS = ['admin'] as const;

export function channelTypeLabel(type: string): string {
    return type === 'smtp' ? t('channel.type.smtp') : type === 'webhook' ? t('channel.type.webhook') : type;
}

function formatLabel(format: string): string {
    return format === 'slack' || format === 'teams' || format === 'generic' ? t(`channel.format.${format}`) : format;
}

/** A topic's words (運用者向け障害通知, …); an unknown one as the server names it. */
export function topicLabel(topic: string): string {
    const key = `channel.topic.${topic}`;
    return isMessageKey(key) ? t(key) : topic;
}

/** The known topics in their usual order, then any this console does not know (kept as they are). */
function orderTopics(topics: readonly string[]): ChannelTopic[] {
    const known = CHANNEL_TOPICS.filter((topic) => topics.includes(topic));
    const unknown = topics.filter((topic) => !(CHANNEL_TOPICS as readonly string[]).includes(topic)) as ChannelTopic[];
    return [...known, ...unknown];
}

/** The topics of a channel as badges (nothing from a server without topics). */
function Topics({ c }: { c: NotificationChannel }) {
    if (c.topics === undefined) {
        return <span class="muted">{t('common.none')}</span>;
    }
    return (
        <span class="badges" data-topics={orderTopics(c.topics).join(' ')}>
            {orderTopics(c.topics).map((topic) => (
                <Badge key={topic} tone={topic === 'alerts' ? 'info' : 'neutral'}>
                    {topicLabel(topic)}
                </Badge>
            ))}
        </span>
    );
}

/** Where a channel sends: the addresses, or the URL. */
function destination(c: NotificationChannel): string {
    return c.type === 'smtp' ? c.to.join(', ') : c.url;
}

function Settings({ c }: { c: NotificationChannel }) {
    const escalation = (c.escalate_after_min ?? 0) > 0 && (
        <Badge tone="warning">{t('channel.escalateAfter', { minutes: c.escalate_after_min ?? 0 })}</Badge>
    );
    if (c.type === 'webhook') {
        return (
            <span class="badges">
                {formatLabel(c.format)}
                {escalation}
            </span>
        );
    }
    return (
        <span class="badges">
            {escalation}
            <span class="mono">
                {c.host}:{c.port}
            </span>
            {c.starttls && <Badge tone="info">STARTTLS</Badge>}
            {c.username && <span class="mono">{c.username}</span>}
            <Badge tone={c.password_set ? 'success' : 'neutral'}>
                {c.password_set ? t('channel.passwordSet') : t('channel.passwordNotSet')}
            </Badge>
        </span>
    );
}

export function ChannelListPage() {
    const list = useLoad(() => api.listChannels(), []);
    return (
        <RecordListPage
            title={t('channel.listTitle')}
            description={t('channel.listDescription')}
            path="/notification-channels"
            create={hasRole(...CHANNEL_EDITORS) ? t('channel.create') : undefined}
            list={list}
            columns={[
                t('channel.name'),
                t('channel.type'),
                t('channel.destination'),
                t('channel.topics'),
                t('channel.settings'),
                t('field.status'),
                t('col.updatedAt'),
            ]}
            row={(c) => (
                <tr key={c.id} class={c.enabled ? undefined : 'row-disabled'}>
                    <td>
                        <Link href={`/notification-channels/${c.id}`}>{c.name}</Link>
                    </td>
                    <td>{channelTypeLabel(c.type)}</td>
                    <td class="mono cell-note">{destination(c)}</td>
                    <td>
                        <Topics c={c} />
                    </td>
                    <td>
                        <Settings c={c} />
                    </td>
                    <td>
                        <ActiveBadge disabled={!c.enabled} />
                    </td>
                    <td class="nowrap">
                        <DateTime value={c.updated_at} />
                    </td>
                </tr>
            )}
        />
    );
}

// ---- the form ----

interface ChannelDraft {
    name: string;
    type: ChannelType;
    enabled: boolean;
    host: string;
    port: string;
    from: string;
    /** One address a line (commas also separate). */
    to: string;
    starttls: boolean;
    username: string;
    /** A new password; empty keeps the one set. */
    password: string;
    url: string;
    format: WebhookFormat;
    /** Minutes before this channel is told (escalation); empty or 0: at once. */
    escalate: string;
    topics: ChannelTopic[];
}

function newDraft(): ChannelDraft {
    return {
        name: '',
        type: 'smtp',
        enabled: true,
        host: '',
        port: '25',
        from: '',
        to: '',
        starttls: false,
        username: '',
        password: '',
        url: 'https://',
        format: 'generic',
        escalate: '0',
        topics: [...DEFAULT_CHANNEL_TOPICS],
    };
}

function toDraft(c: NotificationChannel): ChannelDraft {
    const base = {
        ...newDraft(),
        name: c.name,
        type: c.type,
        enabled: c.enabled,
        escalate: String(c.escalate_after_min ?? 0),
        // A server without topics sends every message but outage notices: the default's meaning.
        topics: orderTopics(c.topics ?? DEFAULT_CHANNEL_TOPICS),
    };
    if (c.type === 'smtp') {
        return {
            ...base,
            host: c.host,
            port: String(c.port),
            from: c.from,
            to: c.to.join('\n'),
            starttls: c.starttls,
            username: c.username ?? '',
        };
    }
    return { ...base, url: c.url, format: c.format };
}

function addresses(text: string): string[] {
    return text
        .split(/[\n,、]/)
        .map((a) => a.trim())
        .filter((a) => a !== '');
}

/** The draft's members as the API takes them (type aside; the password only when typed). */
function channelInput(d: ChannelDraft): ChannelInput {
    const escalate = d.escalate.trim();
    // The topics go as ticked, none included: the server refuses an empty list and names `topics`.
    const common = {
        name: d.name.trim(),
        enabled: d.enabled,
        ...(escalate === '' ? {} : { escalate_after_min: Number(escalate) }),
        topics: orderTopics(d.topics),
    };
    if (d.type === 'webhook') {
        return { ...common, url: d.url.trim(), format: d.format };
    }
    const port = d.port.trim();
    return {
        ...common,
        host: d.host.trim(),
        ...(port === '' ? {} : { port: Number(port) }),
        from: d.from.trim(),
        to: addresses(d.to),
        starttls: d.starttls,
        ...(d.username.trim() === '' ? {} : { username: d.username.trim() }),
        ...(d.password === '' ? {} : { password: d.password }),
    };
}

function channelPatch(base: NotificationChannel, d: ChannelDraft): ChannelInput {
    const patch = changedMembers(channelInput(toDraft(base)), channelInput(d));
    // Clearing the user name is sending it empty.
    if (base.type === 'smtp' && base.username && d.username.trim() === '') {
        patch.username = '';
    }
    return patch;
}

const SHOWN = [
    'name',
    'type',
    'enabled',
    'escalate_after_min',
    'topics',
    'host',
    'port',
    'from',
    'to',
    'starttls',
    'username',
    'password',
    'url',
    'format',
];

/** What the channel hears: a check box per topic with what it means. */
function TopicPicker({
    chosen,
    onChosen,
    error,
    readOnly,
}: {
    chosen: readonly ChannelTopic[];
    onChosen: (topics: ChannelTopic[]) => void;
    error: string | undefined;
    readOnly: boolean;
}) {
    const id = 'ch-topics';
    return (
        <FieldSet id={id} legend={t('channel.topics')} hint={t('channel.topicsHint')} error={error} class="topic-picker">
            {CHANNEL_TOPICS.map((topic) => (
                <div key={topic} class="topic-choice">
                    <label class="check">
                        <input
                            id={`${id}-${topic}`}
                            type="checkbox"
                            checked={chosen.includes(topic)}
                            disabled={readOnly}
                            aria-describedby={`${id}-${topic}-hint`}
                            aria-invalid={error ? true : undefined}
                            onChange={(e) =>
                                onChosen(e.currentTarget.checked ? orderTopics([...chosen, topic]) : chosen.filter((x) => x !== topic))
                            }
                        />
                        {topicLabel(topic)}
                    </label>
                    <p class="hint" id={`${id}-${topic}-hint`}>
                        {t(`channel.topicHint.${topic}`)}
                    </p>
                </div>
            ))}
        </FieldSet>
    );
}

function ChannelFields({
    draft,
    set,
    errors,
    readOnly,
    creating,
    passwordSet,
}: DraftFieldsProps<ChannelDraft> & { creating: boolean; passwordSet: boolean }) {
    return (
        <div class="form-grid">
            <TextField
                id="ch-name"
                label={t('channel.name')}
                value={draft.name}
                onValue={(name) => set({ name })}
                error={errors['name']}
                required
                readOnly={readOnly}
                maxLength={200}
            />
            <SelectField
                id="ch-type"
                label={t('channel.type')}
                value={draft.type}
                onValue={(v) => set({ type: v as ChannelType })}
                options={(['smtp', 'webhook'] as const).map((ty) => ({ value: ty, label: channelTypeLabel(ty) }))}
                error={errors['type']}
                hint={creating ? undefined : t('channel.typeFixed')}
                required
                disabled={readOnly || !creating}
            />
            {draft.type === 'smtp' ? (
                <>
                    <TextField
                        id="ch-host"
                        label={t('channel.host')}
                        value={draft.host}
                        onValue={(host) => set({ host })}
                        error={errors['host']}
                        required
                        readOnly={readOnly}
                        autoComplete="off"
                    />
                    <TextField
                        id="ch-port"
                        type="number"
                        label={t('channel.port')}
                        value={draft.port}
                        onValue={(port) => set({ port })}
                        error={errors['port']}
                        hint={t('channel.portHint')}
                        readOnly={readOnly}
                        min={1}
                        max={65535}
                    />
                    <TextField
                        id="ch-from"
                        type="email"
                        label={t('channel.from')}
                        value={draft.from}
                        onValue={(from) => set({ from })}
                        error={errors['from']}
                        required
                        readOnly={readOnly}
                    />
                    <TextAreaField
                        id="ch-to"
                        label={t('channel.to')}
                        value={draft.to}
                        onValue={(to) => set({ to })}
                        hint={t('channel.toHint')}
                        error={errors['to']}
                        readOnly={readOnly}
                    />
                    <CheckField
                        id="ch-starttls"
                        label={t('channel.starttls')}
                        checked={draft.starttls}
                        onChecked={(starttls) => set({ starttls })}
                        disabled={readOnly}
                    />
                    <TextField
                        id="ch-username"
                        label={t('channel.username')}
                        value={draft.username}
                        onValue={(username) => set({ username })}
                        error={errors['username']}
                        hint={t('channel.usernameHint')}
                        readOnly={readOnly}
                        autoComplete="off"
                    />
                    {!readOnly && (
                        <TextField
                            id="ch-password"
                            type="password"
                            label={t('channel.password')}
                            value={draft.password}
                            onValue={(password) => set({ password })}
                            error={errors['password']}
                            hint={passwordSet ? t('channel.passwordKeep') : t('channel.passwordHint')}
                            autoComplete="new-password"
                        />
                    )}
                    <div class="field">
                        <p class="field-label">{t('channel.password')}</p>
                        <p data-password-state>
                            <Badge tone={passwordSet ? 'success' : 'neutral'}>
                                {passwordSet ? t('channel.passwordSet') : t('channel.passwordNotSet')}
                            </Badge>
                        </p>
                    </div>
                </>
            ) : (
                <>
                    <TextField
                        id="ch-url"
                        type="url"
                        label={t('channel.url')}
                        value={draft.url}
                        onValue={(url) => set({ url })}
                        error={errors['url']}
                        hint={t('channel.urlHint')}
                        required
                        readOnly={readOnly}
                        wide
                    />
                    <SelectField
                        id="ch-format"
                        label={t('channel.format')}
                        value={draft.format}
                        onValue={(v) => set({ format: v as WebhookFormat })}
                        options={WEBHOOK_FORMATS.map((f) => ({ value: f, label: formatLabel(f) }))}
                        error={errors['format']}
                        disabled={readOnly}
                    />
                </>
            )}
            <TopicPicker
                chosen={draft.topics}
                onChosen={(topics) => set({ topics })}
                error={errors['topics']}
                readOnly={readOnly}
            />
            <TextField
                id="ch-escalate-after-min"
                type="number"
                label={t('channel.escalate')}
                value={draft.escalate}
                onValue={(escalate) => set({ escalate })}
                error={errors['escalate_after_min']}
                hint={t('channel.escalateHint')}
                readOnly={readOnly}
                min={0}
                max={1440}
            />
            <CheckField
                id="ch-enabled"
                label={t('channel.enabled')}
                checked={draft.enabled}
                onChecked={(enabled) => set({ enabled })}
                disabled={readOnly}
            />
        </div>
    );
}

export function ChannelCreatePage() {
    const [draft, setDraft] = useState<ChannelDraft>(newDraft);
    const form = useCreate(async (idempotencyKey) => {
        const input: ChannelCreate = { ...channelInput(draft), name: draft.name.trim(), type: draft.type };
        const res = await api.createChannel(input, { idempotencyKey });
        return { path: `/notification-channels/${res.data.id}`, message: t('channel.created', { name: res.data.name }) };
    });
    return (
        <CreatePage
            title={t('channel.createTitle')}
            back={{ href: '/notification-channels', label: t('channel.listTitle') }}
            form={form}
            shown={SHOWN}
        >
            <ChannelFields
                draft={draft}
                set={(p) => setDraft((d) => ({ ...d, ...p }))}
                errors={fieldErrors(form.error)}
                readOnly={false}
                creating
                passwordSet={false}
            />
        </CreatePage>
    );
}

/** テスト送信: sends a message now and says whether it was delivered (503: why not). */
function TestSend({ channelId }: { channelId: number }) {
    const [busy, setBusy] = useState(false);
    const [result, setResult] = useState<{ ok: boolean; detail?: string } | null>(null);
    const send = async (): Promise<void> => {
        setBusy(true);
        setResult(null);
        try {
            await api.testChannel(channelId);
            setResult({ ok: true });
        } catch (err) {
            // The reason after the server's "not delivered" (which the title already says).
            const detail =
                err instanceof ApiError
                    ? serverMessage((err.problem.detail ?? err.problem.title).replace(/^the test message was not delivered: /, ''))
                    : err instanceof Error
                      ? err.message
                      : String(err);
            setResult({ ok: false, detail });
        } finally {
            setBusy(false);
        }
    };
    return (
        <div class="test-send">
            <button type="button" class="button" disabled={busy} onClick={() => void send()}>
                {busy ? t('channel.testing') : t('channel.test')}
            </button>
            {result?.ok && <Alert tone="success" title={t('channel.testDelivered')} />}
            {result && !result.ok && (
                <Alert tone="danger" title={t('channel.testFailed')}>
                    <p class="alert-detail">{result.detail}</p>
                </Alert>
            )}
        </div>
    );
}

function DeleteChannel({ channel }: { channel: NotificationChannel }) {
    return (
        <DeleteRecord
            label={t('channel.delete')}
            confirm={t('channel.deleteConfirm', { name: channel.name })}
            submit={t('channel.deleteSubmit')}
            remove={() => api.deleteChannel(channel.id)}
            then={{ path: '/notification-channels', message: t('channel.deleted', { name: channel.name }) }}
        />
    );
}

export function ChannelEditPage({ id }: { id: string }) {
    const channelId = Number(id);
    const form = useEditForm(() => api.getChannel(channelId), id, toDraft);
    const { edit, draft } = form;
    const admin = hasRole(...CHANNEL_EDITORS);
    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(t('channel.editTitle'), edit);
    }
    const patch = channelPatch(current, draft);
    const compared: ComparedField<NotificationChannel>[] = [
        { key: 'name', label: t('channel.name') },
        { key: 'enabled', label: t('channel.enabled'), show: (v) => (v ? t('status.active') : t('status.disabled')) },
        {
            key: 'topics',
            label: t('channel.topics'),
            show: (v) => (Array.isArray(v) ? orderTopics(v as string[]).map(topicLabel).join('、') : ''),
        },
        { key: 'escalate_after_min', label: t('channel.escalate') },
    ];
    return (
        <>
            <PageHeader
                title={current.name}
                description={t('channel.editDescription', { type: channelTypeLabel(current.type), version: current.version })}
                actions={<ActiveBadge disabled={!current.enabled} />}
            />
            <Breadcrumb href="/notification-channels" label={t('channel.listTitle')} />
            <EditNotices form={form} path={`/notification-channels/${id}`} fields={compared} />
            <EditFormSection
                title={t('channel.settings')}
                form={form}
                update={(etag) => api.updateChannel(channelId, patch, etag)}
                dirty={Object.keys(patch).length > 0}
                shown={SHOWN}
                readOnly={!admin}
                times={current}
            >
                <ChannelFields
                    draft={draft}
                    set={form.change}
                    errors={fieldErrors(edit.error)}
                    readOnly={!admin}
                    creating={false}
                    passwordSet={current.type === 'smtp' && current.password_set}
                />
            </EditFormSection>
            {admin && (
                <Section title={t('channel.operations')}>
                    <p class="hint">{t('channel.testHint')}</p>
                    <TestSend channelId={channelId} />
                    <DeleteChannel channel={current} />
                </Section>
            )}
        </>
    );
}
