// Checklist runs (issue 7; docs/checklists.md): the periodic review of the accounts on the managed
// systems (アカウントの見直し, ACC-4, `/account-reviews`) and the inventory of the configuration items
// (構成の棚卸, CFG-2, `/inventories`). One page pair serves both kinds.
//
// The list page shows the runs, newest first (名前, 対象, 状態, 判定済み, 内訳, 開始, 完了); those who
// write start one below it (a name, the scope: one system for a review, a type and environment for
// an inventory, a note), which opens the run. The run's page lists every item as it was when the
// run began, with its decision, comment, who decided it and when; while the run is open each item is
// decided with one button per decision (継続 / 停止 / 削除; 確認済み / 変更あり / 所在不明) and its
// comment, which the server requires for changed and missing items and for keeping a dormant or
// leaver's account (its refusal is shown at that item's comment). 完了にする closes the run (refused
// while items are pending); closing a review applies it to the accounts.

import { useId, useState } from 'preact/hooks';

import {
    CI_ENVIRONMENTS,
    CI_TYPES,
    INVENTORY_DECISIONS,
    REVIEW_DECISIONS,
    type ChecklistDecision,
    type ChecklistItem,
    type ChecklistPath,
    type ChecklistRun,
    type ChecklistStart,
    type Id,
    type Role,
} from '../api/client.ts';
import { ciName, useCis } from '../app/cis.ts';
import { flash, flashOn } from '../app/flash.ts';
import { Link, navigate } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { fieldErrors } from '../components/errors.ts';
import { FieldError, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { Breadcrumb } from '../components/record.tsx';
import { LoadedTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section, type Tone } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatNumber } from '../i18n/format.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { ciEnvironmentLabel, ciTypeLabel, civilDate } from './cis.tsx';
import { AttentionBadges, privilegeLabel } from './managed-accounts.tsx';

/** Who reads the runs (not requesters). */
export const CHECKLIST_READERS: readonly Role[] = ['admin', 'manager', 'operator', 'vendor', 'viewer'];
/** Who starts runs, decides their items and closes them. */
const CHECKLIST_WRITERS = ['admin', 'manager', 'operator', 'vendor'] as const;

/** What differs between the two kinds. */
interface Kind {
    api: ChecklistPath;
    /** The console's path of the list; a run is `${route}/{id}`. */
    route: string;
    decisions: readonly ChecklistDecision[];
    /** The message keys of the kind's words. */
    words: {
        title: MessageKey;
        description: MessageKey;
        list: MessageKey;
        startTitle: MessageKey;
        back: MessageKey;
        closed: MessageKey;
        commentHint: MessageKey;
    };
    /** A subject's page. */
    subjectHref: (id: Id) => string;
}

export const ACCOUNT_REVIEWS: Kind = {
    api: 'account-reviews',
    route: '/account-reviews',
    decisions: REVIEW_DECISIONS,
    words: {
        title: 'reviews.title',
        description: 'reviews.description',
        list: 'reviews.list',
        startTitle: 'reviews.startTitle',
        back: 'reviews.back',
        closed: 'reviews.closed',
        commentHint: 'reviews.commentHint',
    },
    subjectHref: (id) => `/managed-accounts/${id}`,
};

export const INVENTORIES: Kind = {
    api: 'inventories',
    route: '/inventories',
    decisions: INVENTORY_DECISIONS,
    words: {
        title: 'inventories.title',
        description: 'inventories.description',
        list: 'inventories.list',
        startTitle: 'inventories.startTitle',
        back: 'inventories.back',
        closed: 'inventories.closed',
        commentHint: 'inventories.commentHint',
    },
    subjectHref: (id) => `/cis/${id}`,
};

const DECISION_TONES: Record<string, Tone> = {
    pending: 'neutral',
    confirmed: 'success',
    changed: 'warning',
    missing: 'danger',
    keep: 'success',
    disable: 'warning',
    delete: 'danger',
};

function decisionLabel(d: string): string {
    return t(`checklist.decision.${d as ChecklistDecision | 'pending'}`);
}

function DecisionBadge({ decision }: { decision: string }) {
    return <Badge tone={DECISION_TONES[decision] ?? 'neutral'}>{decisionLabel(decision)}</Badge>;
}

function StatusBadge({ run }: { run: ChecklistRun }) {
    return run.status === 'open' ? <Badge tone="info">{t('checklist.open')}</Badge> : <Badge tone="success">{t('checklist.closedStatus')}</Badge>;
}

/** What the run lists: one system, a type and environment, or everything. */
function ScopeText({ run }: { run: ChecklistRun }) {
    const items = useCis(run.scope.ci_id ?? null);
    const parts: string[] = [];
    if (run.scope.ci_id !== undefined) parts.push(t('checklist.scopeSystem', { name: ciName(items, run.scope.ci_id) }));
    if (run.scope.type) parts.push(t('checklist.scopeType', { type: ciTypeLabel(run.scope.type) }));
    if (run.scope.environment) parts.push(t('checklist.scopeEnvironment', { environment: ciEnvironmentLabel(run.scope.environment) }));
    return <>{parts.length ? parts.join('、') : t('checklist.scopeAll')}</>;
}

/** 継続 3、停止 1: the decisions made so far. */
function breakdown(kind: Kind, run: ChecklistRun): string {
    return kind.decisions
        .filter((d) => (run.counts[d] ?? 0) > 0)
        .map((d) => `${decisionLabel(d)} ${formatNumber(run.counts[d] ?? 0)}`)
        .join('、');
}

// ---- the runs ----

export function ChecklistListPage({ kind }: { kind: Kind }) {
    const list = useLoad(() => api.listChecklists(kind.api), [kind.api]);
    const flashed = flash.value?.path === kind.route ? flash.value.text : null;
    return (
        <>
            <PageHeader title={t(kind.words.title)} description={t(kind.words.description)} />
            {flashed && <Alert tone="success" title={flashed} />}
            <Section title={t(kind.words.list)}>
                <LoadedTable
                    list={list}
                    caption={t(kind.words.list)}
                    columns={[
                        t('checklist.name'),
                        t('checklist.scope'),
                        t('checklist.status'),
                        { label: t('checklist.progress'), class: 'num' },
                        t('checklist.breakdown'),
                        t('checklist.started'),
                        t('checklist.closedAt'),
                    ]}
                    row={(r: ChecklistRun) => (
                        <tr key={r.id} data-checklist={r.id}>
                            <td>
                                <Link href={`${kind.route}/${r.id}`}>{r.name}</Link>
                            </td>
                            <td>
                                <ScopeText run={r} />
                            </td>
                            <td>
                                <StatusBadge run={r} />
                            </td>
                            <td class="num">
                                {t('checklist.progressValue', {
                                    decided: formatNumber(r.counts.total - r.counts.pending),
                                    total: formatNumber(r.counts.total),
                                })}
                            </td>
                            <td>{breakdown(kind, r)}</td>
                            <td class="nowrap">
                                {r.created_by} <DateTime value={r.created_at} />
                            </td>
                            <td class="nowrap">{r.closed_at ? <>{r.closed_by} <DateTime value={r.closed_at} /></> : ''}</td>
                        </tr>
                    )}
                />
            </Section>
            {hasRole(...CHECKLIST_WRITERS) && <StartForm kind={kind} />}
        </>
    );
}

/** A new run: its name, what it lists, a note; then its page opens. */
function StartForm({ kind }: { kind: Kind }) {
    const id = useId();
    const [name, setName] = useState('');
    const [ciId, setCiId] = useState('');
    const [type, setType] = useState('');
    const [environment, setEnvironment] = useState('');
    const [note, setNote] = useState('');
    const systems = useCis();
    const action = useAction();
    const errors = fieldErrors(action.error);
    const review = kind.api === 'account-reviews';
    const start = async (): Promise<void> => {
        const input: ChecklistStart = { name: name.trim() };
        if (note.trim()) input.note = note.trim();
        if (review && ciId) input.ci_id = Number(ciId);
        if (!review && type) input.type = type;
        if (!review && environment) input.environment = environment;
        await action.run(async () => {
            const run = await api.startChecklist(kind.api, input);
            const path = `${kind.route}/${run.id}`;
            flashOn(path, t('checklist.startedMessage', { name: run.name, count: formatNumber(run.counts.total) }));
            navigate(path);
            return '';
        });
    };
    return (
        <Section title={t(kind.words.startTitle)}>
            <ServerForm action={action} shown={['name', 'note', 'ci_id', 'type', 'environment']} data-checklist-start onSubmit={() => void start()}>
                <div class="form-grid">
                    <TextField
                        id={`${id}-name`}
                        label={t('checklist.name')}
                        hint={t('checklist.nameHint')}
                        value={name}
                        onValue={setName}
                        error={errors['name']}
                        required
                        maxLength={200}
                        autoComplete="off"
                    />
                    {review ? (
                        <SelectField
                            id={`${id}-ci`}
                            label={t('checklist.system')}
                            value={ciId}
                            onValue={setCiId}
                            options={[{ value: '', label: t('checklist.allSystems') }, ...(systems ?? []).map((c) => ({ value: String(c.id), label: c.name }))]}
                            error={errors['ci_id']}
                        />
                    ) : (
                        <>
                            <SelectField
                                id={`${id}-type`}
                                label={t('checklist.type')}
                                value={type}
                                onValue={setType}
                                options={[{ value: '', label: t('checklist.allTypes') }, ...CI_TYPES.map((c) => ({ value: c, label: ciTypeLabel(c) }))]}
                                error={errors['type']}
                            />
                            <SelectField
                                id={`${id}-environment`}
                                label={t('checklist.environment')}
                                value={environment}
                                onValue={setEnvironment}
                                options={[
                                    { value: '', label: t('checklist.allEnvironments') },
                                    ...CI_ENVIRONMENTS.map((e) => ({ value: e, label: ciEnvironmentLabel(e) })),
                                ]}
                                error={errors['environment']}
                            />
                        </>
                    )}
                    <TextAreaField id={`${id}-note`} label={t('checklist.note')} value={note} onValue={setNote} error={errors['note']} />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled={action.busy || name.trim() === ''}>
                        {t('checklist.start')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

// ---- one run ----

/** An item as it was when the run began. */
function ItemDetail({ kind, item }: { kind: Kind; item: ChecklistItem }) {
    const d = item.detail;
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    if (kind.api === 'inventories') {
        return (
            <p class="small muted" data-item-detail>
                {[ciTypeLabel(str(d['type'])), str(d['version']), ciEnvironmentLabel(str(d['environment']))].filter(Boolean).join(' / ')}
            </p>
        );
    }
    const lastUsed = str(d['last_used_on']);
    return (
        <p class="small" data-item-detail>
            <span class="muted">
                {[
                    str(d['ci_name']),
                    str(d['holder']),
                    privilegeLabel(str(d['privilege'])),
                    lastUsed ? t('checklist.lastUsed', { date: civilDate(lastUsed) }) : t('checklist.neverUsed'),
                ]
                    .filter(Boolean)
                    .join(' / ')}
            </span>{' '}
            <AttentionBadges dormant={d['dormant'] === true} leaver={d['leaver'] === true} />
        </p>
    );
}

function ItemRow({
    kind,
    run,
    item,
    writer,
    onDecided,
}: {
    kind: Kind;
    run: ChecklistRun;
    item: ChecklistItem;
    writer: boolean;
    onDecided: (run: ChecklistRun) => void;
}) {
    const id = useId();
    const [comment, setComment] = useState(item.comment);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const open = run.status === 'open';
    const decide = async (decision: ChecklistDecision): Promise<void> => {
        await action.run(async () => {
            onDecided(await api.decideChecklistItem(kind.api, run.id, item.subject_id, decision, comment.trim() || undefined));
            return '';
        });
    };
    const commentError = errors['comment'];
    return (
        <li class={`checklist-step${item.decision === 'pending' && open ? ' checklist-next' : ''}`} data-item={item.subject_id}>
            <p>
                <Link class="checklist-title" href={kind.subjectHref(item.subject_id)}>
                    {item.subject_name}
                </Link>{' '}
                <span data-item-decision={item.decision}>
                    <DecisionBadge decision={item.decision} />
                </span>
            </p>
            <ItemDetail kind={kind} item={item} />
            {item.decision !== 'pending' && (
                <p class="small">
                    {item.comment && <span class="pre-wrap" data-item-comment>{item.comment} </span>}
                    <span class="muted">
                        {item.decided_by} <DateTime value={item.decided_at} />
                    </span>
                </p>
            )}
            {open && writer && (
                <div class="checklist-actions">
                    {action.error !== null && commentError === undefined && <ErrorAlert error={action.error} />}
                    <div class={`field field-wide${commentError ? ' field-invalid' : ''}`}>
                        <label class="visually-hidden" for={`${id}-comment`}>
                            {t('checklist.commentFor', { name: item.subject_name })}
                        </label>
                        <input
                            id={`${id}-comment`}
                            type="text"
                            placeholder={t('checklist.comment')}
                            value={comment}
                            maxLength={4000}
                            autoComplete="off"
                            aria-invalid={commentError ? true : undefined}
                            aria-describedby={commentError ? `${id}-comment-error` : undefined}
                            onInput={(e) => setComment(e.currentTarget.value)}
                        />
                        <FieldError id={`${id}-comment`} error={commentError} />
                    </div>
                    <div class="form-actions">
                        {kind.decisions.map((d) => (
                            <button
                                key={d}
                                type="button"
                                class="button button-small"
                                aria-pressed={item.decision === d}
                                aria-label={t('checklist.decideLabel', { name: item.subject_name, decision: decisionLabel(d) })}
                                disabled={action.busy}
                                onClick={() => void decide(d)}
                            >
                                {decisionLabel(d)}
                            </button>
                        ))}
                    </div>
                </div>
            )}
        </li>
    );
}

/** 完了にする with a note; the server refuses while items are pending. */
function CloseForm({ kind, run, onClosed }: { kind: Kind; run: ChecklistRun; onClosed: (run: ChecklistRun) => void }) {
    const id = useId();
    const [note, setNote] = useState(run.note);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const close = async (): Promise<void> => {
        await action.run(async () => {
            onClosed(await api.closeChecklist(kind.api, run.id, note.trim() && note.trim() !== run.note ? note.trim() : undefined));
            return '';
        });
    };
    return (
        <Section title={t('checklist.closeTitle')}>
            <p class="hint">
                {run.counts.pending > 0
                    ? t('checklist.pendingLeft', { count: formatNumber(run.counts.pending) })
                    : t(kind.api === 'account-reviews' ? 'reviews.closeHint' : 'inventories.closeHint')}
            </p>
            <ServerForm action={action} shown={['note']} data-checklist-close aria-label={t('checklist.closeTitle')} onSubmit={() => void close()}>
                <div class="form-grid">
                    <TextAreaField id={`${id}-note`} label={t('checklist.closeNote')} value={note} onValue={setNote} error={errors['note']} />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled={action.busy}>
                        {t('checklist.close')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

export function ChecklistRunPage({ kind, id }: { kind: Kind; id: string }) {
    const runId = Number(id);
    const loaded = useLoad(() => api.getChecklist(kind.api, runId), [kind.api, runId]);
    const [closed, setClosed] = useState(false);
    const run = loaded.data;
    const writer = hasRole(...CHECKLIST_WRITERS);
    const path = `${kind.route}/${runId}`;
    const flashed = flash.value?.path === path ? flash.value.text : null;
    return (
        <>
            <Breadcrumb href={kind.route} label={t(kind.words.back)} />
            <PageHeader title={run?.name ?? t(kind.words.title)} />
            {flashed && !closed && <Alert tone="success" title={flashed} />}
            {closed && <Alert tone="success" title={t(kind.words.closed)} />}
            {loaded.loading && loaded.data === null && <Loading />}
            {loaded.error !== null && <ErrorAlert error={loaded.error} />}
            {run && (
                <>
                    <Section title={t('checklist.summary')}>
                        <dl class="props" data-checklist-summary>
                            <dt>{t('checklist.status')}</dt>
                            <dd data-checklist-status>
                                <StatusBadge run={run} />
                            </dd>
                            <dt>{t('checklist.scope')}</dt>
                            <dd>
                                <ScopeText run={run} />
                            </dd>
                            <dt>{t('checklist.progress')}</dt>
                            <dd data-checklist-progress>
                                {t('checklist.progressValue', {
                                    decided: formatNumber(run.counts.total - run.counts.pending),
                                    total: formatNumber(run.counts.total),
                                })}
                                {breakdown(kind, run) && ` (${breakdown(kind, run)})`}
                            </dd>
                            <dt>{t('checklist.started')}</dt>
                            <dd>
                                {run.created_by} <DateTime value={run.created_at} />
                            </dd>
                            {run.closed_at && (
                                <>
                                    <dt>{t('checklist.closedAt')}</dt>
                                    <dd>
                                        {run.closed_by} <DateTime value={run.closed_at} />
                                    </dd>
                                </>
                            )}
                            {run.note && (
                                <>
                                    <dt>{t('checklist.note')}</dt>
                                    <dd class="pre-wrap">{run.note}</dd>
                                </>
                            )}
                        </dl>
                    </Section>
                    <Section title={t('checklist.items')}>
                        {run.status === 'open' && writer && <p class="hint">{t(kind.words.commentHint)}</p>}
                        <ol class="checklist" data-checklist-items>
                            {(run.items ?? []).map((item) => (
                                <ItemRow
                                    key={`${item.subject_id}-${run.status}`}
                                    kind={kind}
                                    run={run}
                                    item={item}
                                    writer={writer}
                                    onDecided={loaded.set}
                                />
                            ))}
                        </ol>
                    </Section>
                    {run.status === 'open' && writer && (
                        <CloseForm
                            kind={kind}
                            run={run}
                            onClosed={(r) => {
                                loaded.set(r);
                                setClosed(true);
                            }}
                        />
                    )}
                </>
            )}
        </>
    );
}
