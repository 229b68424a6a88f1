// One record of the ledger: its fields with organisation and assignee (saved with If-Match; a 412
// shows who changed what), the moves the API allows now (a move with required fields asks for
// them; a refusal names the field in place, e.g. 本対応 before closing an incident), the SLA clocks
// counting down, who watches it, the links to other records, the attachments, for incidents the similar past
// incidents (and, right after creation, those the create answer offered), for staff the delivery
// log of its notifications (通知履歴), and the timeline with a comment box (a record raised against
// a work item says there whom the role division matrix routed it to; an incident about a
// configuration item, which integration partners were told and through which item; an incident's
// escalation: the route it follows, each level's due and told times, escalating by hand, and the
// levels told on the timeline with the phones to call; an incident's, problem's or inquiry's
// knowledge entries, with a search to link one and, on an incident, to apply a workaround).

import { useState } from 'preact/hooks';

import {
    LINK_RELATIONS,
    type LedgerRecordDetail,
    type LinkRelation,
    type PartnerInformed,
    type RecordCollection,
    type RecordInput,
    type RecordMove,
    type TimelineEntry,
    type Workflow,
} from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { collectionOfKind } from '../app/workflows.ts';
import type { ComparedField } from '../components/conflict.tsx';
import { ActionForm, useAction } from '../components/action.tsx';
import { useEditForm } from '../components/editable.ts';
import { describeError, fieldErrors } from '../components/errors.ts';
import { FormErrors, OtherFieldErrors, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { Breadcrumb, EditActions, EditNotices, pendingEdit, RecordTimes } from '../components/record.tsx';
import {
    fieldText,
    fieldValue,
    RecordFieldInput,
    RecordFields,
    recordDraft,
    recordInput,
    type RecordDraft,
} from '../components/record-fields.tsx';
import { SlaClocks } from '../components/sla.tsx';
import { Attachments } from '../components/attachments.tsx';
import { DeliveryLog } from '../components/deliveries.tsx';
import { EscalationEntry, EscalationPanel, ESCALATION_VIEWERS } from '../components/escalation.tsx';
import { KNOWLEDGE_RECORDS, KnowledgeEntryText, RecordKnowledge } from '../components/knowledge-links.tsx';
import { alertSourceLabel, monitorStateLabel } from '../components/monitoring.tsx';
import { OfferedSimilar, SimilarPanel } from '../components/similar.tsx';
import { Watchers } from '../components/watchers.tsx';
import { Alert, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatDateTime, formatNumber } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { moveLabel, recordFieldLabel, relationLabel, stateLabel } from '../i18n/labels.ts';
import { ledgerLabel, RECORD_WRITERS, SeverityBadge, StatusBadge } from './records.tsx';

interface MovesProps {
    workflow: Workflow;
    collection: RecordCollection;
    record: LedgerRecordDetail;
    /** Unsaved changes in the fields form: save or undo them first. */
    blocked: boolean;
    onMoved: () => void;
}

/** The moves the API allows now; one with required fields (or refused for a field) asks for them. */
function Moves({ workflow, collection, record, blocked, onMoved }: MovesProps) {
    const [asking, setAsking] = useState<{ move: RecordMove; fields: string[] } | null>(null);
    const [values, setValues] = useState<RecordDraft>({});
    /** The move last tried, for the words of its confirmation or refusal. */
    const [tried, setTried] = useState<RecordMove | null>(null);
    const action = useAction();
    const kindField = (name: string) => workflow.fields.find((f) => f.name === name);

    const run = async (move: RecordMove, fields: readonly string[], draft: RecordDraft): Promise<void> => {
        setTried(move);
        const input: RecordInput = {};
        for (const name of fields) {
            const field = kindField(name);
            const value = field ? fieldValue(field, draft[name]) : null;
            if (field && value !== null) {
                input[name] = value;
            }
        }
        const failed = await action.run(async () => {
            await api.transitionRecord(collection, record.id, move.to, input);
            return t('record.moved', { label: moveLabel(workflow, move) });
        });
        if (failed === null) {
            setAsking(null);
            onMoved();
            return;
        }
        // The fields the refusal names are asked for here, with the message in place.
        const named = Object.keys(fieldErrors(failed)).filter((name) => kindField(name) !== undefined);
        if (named.length > 0) {
            setValues((v) => ({ ...recordDraft(workflow, record), ...v }));
            setAsking({ move, fields: [...new Set([...fields, ...named])] });
        }
    };
    const start = (move: RecordMove): void => {
        action.reset();
        if (move.required.length === 0) {
            setAsking(null);
            void run(move, [], {});
        } else {
            setValues(recordDraft(workflow, record));
            setAsking({ move, fields: move.required });
        }
    };

    const { busy, done, error } = action;
    const errors = fieldErrors(error);
    const described = error !== null ? describeError(error) : null;
    return (
        <Section title={t('record.moves')}>
            {done && <Alert tone="success" title={done} />}
            {tried && described && (
                <Alert tone="danger" title={t('record.refused', { label: moveLabel(workflow, tried) })}>
                    {Object.keys(errors).length === 0 && <p class="alert-detail">{described.detail ?? described.message}</p>}
                    <OtherFieldErrors
                        errors={errors}
                        shown={asking?.fields ?? []}
                        label={(f) => recordFieldLabel(workflow, f)}
                    />
                </Alert>
            )}
            {record.transitions.length === 0 ? (
                <p class="muted">{t('record.noMoves')}</p>
            ) : (
                <div class="moves">
                    {record.transitions.map((m) => (
                        <button
                            key={m.to}
                            type="button"
                            class={asking?.move.to === m.to ? 'button button-primary' : 'button'}
                            disabled={busy || blocked}
                            title={blocked ? t('common.saveFirst') : undefined}
                            aria-expanded={m.required.length > 0 ? asking?.move.to === m.to : undefined}
                            onClick={() => start(m)}
                        >
                            {moveLabel(workflow, m)}
                        </button>
                    ))}
                </div>
            )}
            {asking && (
                <form
                    class="move-form"
                    onSubmit={(e) => {
                        e.preventDefault();
                        void run(asking.move, asking.fields, values);
                    }}
                >
                    <p class="hint">{t('record.needs', { label: moveLabel(workflow, asking.move) })}</p>
                    {asking.fields.map((name) => {
                        const field = kindField(name);
                        return field ? (
                            <RecordFieldInput
                                key={name}
                                field={field}
                                idPrefix="move"
                                value={values[name]}
                                onValue={(v) => setValues((d) => ({ ...d, [name]: v }))}
                                error={errors[name]}
                                required={asking.move.required.includes(name)}
                            />
                        ) : null;
                    })}
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled={busy}>
                            {t('record.run', { label: moveLabel(workflow, asking.move) })}
                        </button>
                        <button type="button" class="button" onClick={() => setAsking(null)}>
                            {t('common.cancel')}
                        </button>
                    </div>
                </form>
            )}
        </Section>
    );
}

/** The words of one timeline entry. */
function EntryText({ workflow, entry }: { workflow: Workflow; entry: TimelineEntry }) {
    const b = entry.body;
    const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
    switch (entry.type) {
        case 'created':
            return <>{t('timeline.created', { status: stateLabel(workflow, str(b['status'])) })}</>;
        case 'status':
            return (
                <>
                    {t('timeline.status', {
                        from: stateLabel(workflow, str(b['from'])),
                        to: stateLabel(workflow, str(b['to'])),
                    })}
                </>
            );
        case 'field': {
            const name = str(b['name']);
            return (
                <>
                    {t('timeline.field', { field: recordFieldLabel(workflow, name) })}
                    <span class="tl-change">
                        <span class="change-old">{fieldText(workflow, name, b['before'])}</span>
                        <span aria-hidden="true"> → </span>
                        <span class="visually-hidden">{t('conflict.to')}</span>
                        <span class="change-new">{fieldText(workflow, name, b['after'])}</span>
                    </span>
                </>
            );
        }
        case 'comment':
            return <p class="tl-comment-body">{str(b['body'])}</p>;
        case 'link':
            return <>{t('timeline.link', { key: str(b['other_key']), relation: relationLabel(str(b['relation'])) })}</>;
        case 'attachment':
            return <>{t('timeline.attachment', { name: str(b['file_name']) })}</>;
        case 'time':
            return (
                <>
                    {t('timeline.time', { date: str(b['work_date']), minutes: Number(b['minutes'] ?? 0) })}
                    {str(b['note']) !== '' && <span class="tl-change">{str(b['note'])}</span>}
                </>
            );
        case 'monitoring':
            return (
                <>
                    {t(
                        b['event'] === 'recovered'
                            ? 'timeline.monitorRecovered'
                            : b['event'] === 'repeat'
                              ? 'timeline.monitorRepeat'
                              : 'timeline.monitorAlert',
                        {
                            source: alertSourceLabel(str(b['source']) || 'monitoring'),
                            monitor: str(b['monitor']),
                            state: monitorStateLabel(str(b['state'])),
                            count: str(b['count']),
                        },
                    )}
                    {str(b['message']) !== '' && <span class="tl-change">{str(b['message'])}</span>}
                </>
            );
        case 'sla':
            return (
                <>
                    {t(b['event'] === 'breach' ? 'timeline.slaBreach' : 'timeline.slaWarning', {
                        label: str(b['label']),
                        at: formatDateTime(str(b['target_at'])),
                    })}
                </>
            );
        case 'routing': {
            // ORG-3: raised against a work item of a role division matrix.
            const party = (p: unknown): string => {
                const o = (p ?? {}) as Record<string, unknown>;
                return str(o['organization']) || str(o['column']);
            };
            const main = b['main'] ? party(b['main']) : null;
            const support = Array.isArray(b['support']) ? b['support'].map(party) : [];
            const mainText = main === null ? t('timeline.routingNoMain') : t('timeline.routingMain', { org: main });
            const who =
                support.length === 0
                    ? mainText
                    : t('timeline.routingWho', { main: mainText, support: t('timeline.routingSupport', { orgs: support.join('、') }) });
            return (
                <>
                    {b['seq'] === undefined
                        ? t('timeline.routingItem', { id: str(b['work_item_id']), who })
                        : t('timeline.routing', { matrix: str(b['matrix']), item: `${str(b['seq'])} ${str(b['title'])}`, who })}
                    {b['assigned'] === true && main !== null && (
                        <span class="tl-change">{t('timeline.routingAssigned', { org: main })}</span>
                    )}
                </>
            );
        }
        case 'partners': {
            // INC-11: the integration partners told of an incident about a configuration item.
            const told = Array.isArray(b['partners']) ? (b['partners'] as PartnerInformed[]) : [];
            const words = told.map((p) => {
                const partner = p.department ? `${p.name} (${p.department})` : p.name;
                const mailed = p.mailed > 0 ? t('timeline.partnerMailed', { count: formatNumber(p.mailed) }) : t('timeline.partnerNotMailed');
                return p.via_ci_id === b['ci_id']
                    ? t('timeline.partnerDirect', { partner, mailed })
                    : t('timeline.partnerVia', { partner, via: p.via_ci_name, mailed });
            });
            return <>{t('timeline.partners', { partners: words.join(' / ') })}</>;
        }
        case 'escalation':
            // INC-9: a level of the escalation route told, its contacts' phones to call.
            return <EscalationEntry body={b} />;
        case 'knowledge':
            // KNW-1, INC-6: a knowledge entry linked to the record, or a workaround applied.
            return <KnowledgeEntryText body={b} />;
        default:
            return <>{entry.type}</>;
    }
}

function Timeline({
    workflow,
    collection,
    record,
    writer,
    activity,
}: {
    workflow: Workflow;
    collection: RecordCollection;
    record: LedgerRecordDetail;
    writer: boolean;
    /** Changes when something beside the record's version adds to the timeline (an attachment). */
    activity: number;
}) {
    const [tick, setTick] = useState(0);
    const timeline = useLoad(
        () => api.timeline(collection, record.id),
        [record.id, record.version, record.links.length, tick, activity],
    );
    const [comment, setComment] = useState('');
    const action = useAction();
    const send = async (): Promise<void> => {
        const failed = await action.run(async () => {
            await api.commentRecord(collection, record.id, comment);
            return t('record.commented');
        });
        if (failed === null) {
            setComment('');
            setTick((n) => n + 1);
        }
    };
    const items = timeline.data?.items ?? [];
    return (
        <Section title={t('record.timeline')}>
            {timeline.error !== null && <ErrorAlert error={timeline.error} />}
            {timeline.data === null && timeline.loading && <Loading />}
            <ol class="timeline">
                {items.map((e) => (
                    <li key={e.id} class={`tl-entry tl-${e.type}`}>
                        <span class="tl-at">
                            <DateTime value={e.at} />
                        </span>
                        <span class="tl-actor">{e.actor_login ?? t('timeline.system')}</span>
                        <span class="tl-text">
                            <EntryText workflow={workflow} entry={e} />
                        </span>
                    </li>
                ))}
            </ol>
            {writer && (
                <ActionForm
                    action={action}
                    class="comment-form"
                    submit={t('record.commentAdd')}
                    ready={comment.trim() !== ''}
                    onSubmit={() => void send()}
                >
                    <TextAreaField
                        id="comment"
                        label={t('record.comment')}
                        value={comment}
                        onValue={setComment}
                        error={fieldErrors(action.error)['body']}
                    />
                </ActionForm>
            )}
        </Section>
    );
}

function Links({
    collection,
    record,
    writer,
    onLinked,
}: {
    collection: RecordCollection;
    record: LedgerRecordDetail;
    writer: boolean;
    onLinked: () => void;
}) {
    const [key, setKey] = useState('');
    const [relation, setRelation] = useState<LinkRelation>('related');
    const action = useAction();
    const add = async (): Promise<void> => {
        const other = key.trim().toUpperCase();
        const failed = await action.run(async () => {
            await api.linkRecord(collection, record.id, other, relation);
            return t('record.linked', { key: other });
        });
        if (failed === null) {
            setKey('');
            onLinked();
        }
    };
    const errors = fieldErrors(action.error);
    return (
        <Section title={t('record.links')}>
            {record.links.length === 0 ? (
                <p class="muted">{t('record.noLinks')}</p>
            ) : (
                <ul class="links">
                    {record.links.map((l) => {
                        const other = collectionOfKind(l.kind);
                        return (
                            <li key={`${l.id}-${l.relation}`}>
                                {other ? (
                                    <Link class="mono" href={`/${other}/${l.id}`}>
                                        {l.key}
                                    </Link>
                                ) : (
                                    <span class="mono">{l.key}</span>
                                )}{' '}
                                <span class="link-title">{l.title}</span>{' '}
                                <span class="muted small">({relationLabel(l.relation)})</span>
                            </li>
                        );
                    })}
                </ul>
            )}
            {writer && (
                <ActionForm
                    action={action}
                    class="link-form"
                    submit={t('record.linkAdd')}
                    ready={key.trim() !== ''}
                    onSubmit={() => void add()}
                >
                    <div class="link-fields">
                        <TextField
                            id="link-key"
                            label={t('record.linkKey')}
                            value={key}
                            onValue={setKey}
                            hint={t('record.linkKeyHint')}
                            error={errors['other_key']}
                            required
                        />
                        <SelectField
                            id="link-relation"
                            label={t('record.linkRelation')}
                            value={relation}
                            onValue={(v) => setRelation(v as LinkRelation)}
                            options={LINK_RELATIONS.map((r) => ({ value: r, label: relationLabel(r) }))}
                            error={errors['relation']}
                        />
                    </div>
                </ActionForm>
            )}
        </Section>
    );
}

export function RecordDetailPage({
    collection,
    workflow,
    id,
}: {
    collection: RecordCollection;
    workflow: Workflow;
    id: string;
}) {
    const recordId = Number(id);
    const [activity, setActivity] = useState(0);
    const form = useEditForm(() => api.getRecord(collection, recordId), id, (r) => recordDraft(workflow, r));
    const { edit, draft } = form;
    const kind = ledgerLabel(collection);
    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(kind, edit);
    }
    const writer = hasRole(...RECORD_WRITERS);
    const patch = recordInput(workflow, current, draft);
    const dirty = Object.keys(patch).length > 0;
    const compared: ComparedField<LedgerRecordDetail>[] = [
        { key: 'title', label: recordFieldLabel(workflow, 'title') },
        { key: 'status', label: recordFieldLabel(workflow, 'status'), show: (v) => stateLabel(workflow, String(v)) },
        ...(['organization_id', 'assignee_id'] as const).map((key) => ({
            key,
            label: recordFieldLabel(workflow, key),
            show: (v: unknown) => fieldText(workflow, key, v),
        })),
        ...(workflow.has_severity
            ? [{ key: 'severity', label: recordFieldLabel(workflow, 'severity'), show: (v: unknown) => fieldText(workflow, 'severity', v) }]
            : []),
        ...workflow.fields.map((f) => ({
            key: f.name,
            label: recordFieldLabel(workflow, f.name),
            show: (v: unknown) => fieldText(workflow, f.name, v),
        })),
        { key: 'description', label: recordFieldLabel(workflow, 'description') },
    ];
    const save = async (event: Event): Promise<void> => {
        event.preventDefault();
        await form.act((etag) => api.updateRecord(collection, recordId, patch, etag), () => t('common.saved'));
    };
    return (
        <>
            <PageHeader
                title={`${current.key} ${current.title}`}
                description={kind}
                actions={
                    <span class="badges">
                        <StatusBadge workflow={workflow} status={current.status} />
                        <SeverityBadge severity={current.severity} />
                    </span>
                }
            />
            <Breadcrumb href={`/${collection}`} label={kind} />
            <EditNotices form={form} path={`/${collection}/${id}`} fields={compared} />
            <OfferedSimilar workflow={workflow} collection={collection} path={`/${collection}/${id}`} />
            <div class="record-layout">
                <div class="record-main">
                    <Section title={t('record.fields')}>
                        <form class="form" onSubmit={(e) => void save(e)} noValidate>
                            <FormErrors error={edit.error} shown={Object.keys(draft)} />
                            <RecordFields
                                workflow={workflow}
                                draft={draft}
                                set={form.change}
                                errors={fieldErrors(edit.error)}
                                readOnly={!writer}
                                creating={false}
                            />
                            <RecordTimes record={current}>
                                <dt>{t('record.key')}</dt>
                                <dd class="mono">{current.key}</dd>
                            </RecordTimes>
                            {writer && <EditActions edit={edit} dirty={dirty} />}
                        </form>
                    </Section>
                    <Attachments
                        collection={collection}
                        recordId={recordId}
                        writer={writer}
                        onAdded={() => setActivity((n) => n + 1)}
                    />
                    <Timeline
                        workflow={workflow}
                        collection={collection}
                        record={current}
                        writer={writer}
                        activity={activity}
                    />
                </div>
                <div class="record-side">
                    {writer && (
                        <Moves
                            workflow={workflow}
                            collection={collection}
                            record={current}
                            blocked={dirty || edit.busy || edit.conflict !== null}
                            onMoved={() => void edit.reload()}
                        />
                    )}
                    <Section title={t('record.sla')}>
                        <SlaClocks clocks={current.sla} />
                    </Section>
                    {workflow.kind === 'incident' && hasRole(...ESCALATION_VIEWERS) && (
                        <EscalationPanel recordId={recordId} version={current.version} onEscalated={() => setActivity((n) => n + 1)} />
                    )}
                    <Watchers collection={collection} recordId={recordId} />
                    {hasRole('admin', 'manager', 'operator') && <DeliveryLog recordId={recordId} activity={current.version} />}
                    {workflow.kind === 'incident' && (
                        <SimilarPanel workflow={workflow} collection={collection} recordId={recordId} />
                    )}
                    <Links
                        collection={collection}
                        record={current}
                        writer={writer}
                        onLinked={() => void edit.reload({ keepDraft: true })}
                    />
                    {KNOWLEDGE_RECORDS.includes(collection) && (
                        <RecordKnowledge collection={collection} recordId={recordId} onChanged={() => setActivity((n) => n + 1)} />
                    )}
                </div>
            </div>
        </>
    );
}
