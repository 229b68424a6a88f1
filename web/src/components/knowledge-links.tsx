// Knowledge entries and the records they help with (docs/knowledge.md; KNW-1, INC-6).
//
// On an entry's page, 「関連する記録」: the incidents, problems and inquiries it is linked to (key as a
// link, title, 回避策を適用 when an incident applied this workaround, who and when), staff link
// another by its key or id (a workaround also as applied by an incident; the server refuses one
// not approved) and remove a link. On an incident's, problem's or inquiry's page, 「ナレッジ」: the
// entries linked to it, and for staff a search of the entries (a word of the title, body or tags)
// to link one or, on an incident, to apply an approved workaround (回避策を適用). The timeline's
// `knowledge` entries are put in words here too.

import { useId, useState } from 'preact/hooks';

import { ApiError, type Id, type KnowledgeEntry, type KnowledgeKind, type RecordCollection } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { collectionOfKey, collectionOfKind, useWorkflows } from '../app/workflows.ts';
import { t } from '../i18n/index.ts';
import { useAction } from './action.tsx';
import { fieldErrors } from './errors.ts';
import { CheckField, TextField } from './form.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, Section } from './ui.tsx';
import { useLoad } from './use-load.ts';

/** Who links entries and records. */
const LINKERS = ['admin', 'manager', 'operator', 'vendor'] as const;
/** The records an entry may be linked to. */
export const KNOWLEDGE_RECORDS: readonly RecordCollection[] = ['incidents', 'problems', 'inquiries'];

function kindLabel(kind: KnowledgeKind): string {
    return t(`knowledge.kind.${kind}`);
}

/** A workaround an incident may apply: approved (published). */
function applicable(entry: KnowledgeEntry): boolean {
    return entry.kind === 'workaround' && entry.status === 'published';
}

/** Thrown when the text names no record that can be linked; its message is for the user. */
class NotARecord extends Error {}

/**
 * The id of the record `text` names: an id as typed, or a key (INC-000012) looked up in its kind's
 * list. NotARecord when it is neither, or the key is not an incident's, problem's or inquiry's.
 */
async function recordIdOf(text: string): Promise<Id> {
    const v = text.trim();
    if (/^\d+$/.test(v)) {
        return Number(v);
    }
    const collection = collectionOfKey(v);
    if (collection === null || !KNOWLEDGE_RECORDS.includes(collection)) {
        throw new NotARecord(t('knowledgeLinks.notAKey'));
    }
    const key = v.toUpperCase();
    const found = (await api.listRecords(collection, { q: key, limit: 20 })).items.find((r) => r.key === key);
    if (!found) {
        throw new NotARecord(t('knowledgeLinks.noSuchKey', { key }));
    }
    return found.id;
}

/** 「関連する記録」 on an entry's page. */
export function KnowledgeRecords({ entry, onAnswer }: { entry: KnowledgeEntry; onAnswer: (entry: KnowledgeEntry) => void }) {
    const id = useId();
    useWorkflows();
    const linker = hasRole(...LINKERS);
    const [text, setText] = useState('');
    const [applied, setApplied] = useState(false);
    const action = useAction();
    const [keyError, setKeyError] = useState<string | undefined>(undefined);
    const errors = fieldErrors(action.error);
    const links = entry.links ?? [];
    const add = async (): Promise<void> => {
        setKeyError(undefined);
        const failed = await action.run(async () => {
            const recordId = await recordIdOf(text);
            const answer = await api.linkKnowledge(entry.id, applied ? { record_id: recordId, applied: true } : { record_id: recordId });
            onAnswer(answer);
            const link = answer.links?.find((l) => l.record_id === recordId);
            return t(applied ? 'knowledgeLinks.appliedMsg' : 'knowledgeLinks.linked', { key: link?.key ?? text.trim() });
        });
        if (failed === null) {
            setText('');
            setApplied(false);
        } else if (failed instanceof NotARecord) {
            setKeyError(failed.message);
            action.reset();
        }
    };
    const remove = (recordId: Id, key: string): void => {
        void action.run(async () => {
            await api.unlinkKnowledge(entry.id, recordId);
            onAnswer(await api.getKnowledge(entry.id));
            return t('knowledgeLinks.unlinked', { key });
        });
    };
    return (
        <Section title={t('knowledgeLinks.records')} class="knowledge-records">
            {action.done && <Alert tone="success" title={action.done} />}
            {action.error !== null && !errors['record_id'] && <ErrorAlert error={action.error} />}
            {links.length === 0 ? (
                <p class="muted">{t('knowledgeLinks.noRecords')}</p>
            ) : (
                <ul class="links" data-knowledge-links>
                    {links.map((l) => {
                        const collection = collectionOfKind(l.kind);
                        return (
                            <li key={l.record_id} data-record={l.record_id}>
                                {collection ? (
                                    <Link class="mono" href={`/${collection}/${l.record_id}`}>
                                        {l.key}
                                    </Link>
                                ) : (
                                    <span class="mono">{l.key}</span>
                                )}{' '}
                                <span class="link-title">{l.title}</span>{' '}
                                {l.applied && <Badge tone="success">{t('knowledgeLinks.applied')}</Badge>}{' '}
                                <span class="muted small">
                                    {l.by} <DateTime value={l.at} />
                                </span>
                                {linker && (
                                    <>
                                        {' '}
                                        <button
                                            type="button"
                                            class="button button-small"
                                            disabled={action.busy}
                                            aria-label={t('knowledgeLinks.unlinkLabel', { key: l.key })}
                                            onClick={() => remove(l.record_id, l.key)}
                                        >
                                            {t('knowledgeLinks.unlink')}
                                        </button>
                                    </>
                                )}
                            </li>
                        );
                    })}
                </ul>
            )}
            {linker && (
                <form
                    class="form link-form"
                    noValidate
                    onSubmit={(e) => {
                        e.preventDefault();
                        void add();
                    }}
                >
                    <div class="link-fields">
                        <TextField
                            id={`${id}-record`}
                            label={t('knowledgeLinks.record')}
                            hint={t('knowledgeLinks.recordHint')}
                            value={text}
                            onValue={(v) => {
                                setText(v);
                                setKeyError(undefined);
                            }}
                            error={keyError ?? errors['record_id']}
                            autoComplete="off"
                            required
                        />
                    </div>
                    {entry.kind === 'workaround' && (
                        <CheckField
                            id={`${id}-applied`}
                            label={t('knowledgeLinks.appliedCheck')}
                            hint={entry.status === 'published' ? t('knowledgeLinks.appliedHint') : t('knowledgeLinks.appliedNotApproved')}
                            checked={applied}
                            onChecked={setApplied}
                            error={errors['applied']}
                        />
                    )}
                    <div class="form-actions">
                        <button type="submit" class="button" disabled={action.busy || text.trim() === ''}>
                            {t('knowledgeLinks.link')}
                        </button>
                    </div>
                </form>
            )}
        </Section>
    );
}

/** One entry in a record's 「ナレッジ」: its title as a link, kind, and whether this incident applied it. */
/** 回避策を適用: the same button beside a linked entry and beside a search result. */
function ApplyButton({ entry, busy, onApply }: { entry: KnowledgeEntry; busy: boolean; onApply: () => void }) {
    return (
        <>
            {' '}
            <button
                type="button"
                class="button button-small"
                disabled={busy}
                aria-label={t('knowledgeLinks.applyLabel', { title: entry.title })}
                onClick={onApply}
            >
                {t('knowledgeLinks.apply')}
            </button>
        </>
    );
}

function EntryLine({ entry, applied }: { entry: KnowledgeEntry; applied: boolean }) {
    return (
        <>
            <Link href={`/knowledge/${entry.id}`}>{entry.title}</Link> <span class="muted small">({kindLabel(entry.kind)})</span>
            {entry.status === 'pending_approval' && (
                <>
                    {' '}
                    <Badge tone="warning">{t('knowledge.status.pending_approval')}</Badge>
                </>
            )}
            {applied && (
                <>
                    {' '}
                    <Badge tone="success">{t('knowledgeLinks.applied')}</Badge>
                </>
            )}
        </>
    );
}

/** 「ナレッジ」 on an incident's, problem's or inquiry's page. */
export function RecordKnowledge({
    collection,
    recordId,
    onChanged,
}: {
    collection: RecordCollection;
    recordId: Id;
    /** Something was linked or applied (the timeline says so). */
    onChanged: () => void;
}) {
    const id = useId();
    const [tick, setTick] = useState(0);
    const incident = collection === 'incidents';
    // The list does not say which links were applied: an incident's workarounds are read one by one.
    const linked = useLoad(async () => {
        const list = await api.listKnowledge({ record_id: recordId });
        if (!incident) {
            return list;
        }
        return { items: await Promise.all(list.items.map((e) => (e.kind === 'workaround' ? api.getKnowledge(e.id) : e))) };
    }, [recordId, tick]);
    const linker = hasRole(...LINKERS);
    const [q, setQ] = useState('');
    const [query, setQuery] = useState('');
    const found = useLoad(async () => (query === '' ? null : api.listKnowledge({ q: query })), [query, tick]);
    const action = useAction();
    const items = linked.data?.items ?? [];
    const linkedIds = new Set(items.map((e) => e.id));
    const appliedIds = new Set(items.filter((e) => e.links?.some((l) => l.record_id === recordId && l.applied)).map((e) => e.id));
    const link = (entry: KnowledgeEntry, apply: boolean): void => {
        void action.run(async () => {
            await api.linkKnowledge(entry.id, apply ? { record_id: recordId, applied: true } : { record_id: recordId });
            setTick((n) => n + 1);
            onChanged();
            return t(apply ? 'knowledgeLinks.appliedWorkaround' : 'knowledgeLinks.linkedEntry', { title: entry.title });
        });
    };
    const canApply = (entry: KnowledgeEntry): boolean => incident && applicable(entry) && !appliedIds.has(entry.id);
    return (
        <Section title={t('knowledgeLinks.title')} class="record-knowledge">
            {linked.error !== null && <ErrorAlert error={linked.error} />}
            {linked.loading && linked.data === null && <Loading />}
            {linked.data !== null && items.length === 0 && <p class="muted">{t('knowledgeLinks.none')}</p>}
            {items.length > 0 && (
                <ul class="links" data-record-knowledge>
                    {items.map((e) => (
                        <li key={e.id} data-knowledge={e.id}>
                            <EntryLine entry={e} applied={appliedIds.has(e.id)} />
                            {linker && canApply(e) && <ApplyButton entry={e} busy={action.busy} onApply={() => link(e, true)} />}
                        </li>
                    ))}
                </ul>
            )}
            {action.done && <Alert tone="success" title={action.done} />}
            {action.error !== null && (
                <ErrorAlert error={action.error}>
                    {action.error instanceof ApiError && action.error.status === 409 && incident && (
                        <p class="small">{t('knowledgeLinks.approveFirst')}</p>
                    )}
                </ErrorAlert>
            )}
            {linker && (
                <>
                    <form
                        class="form knowledge-search"
                        role="search"
                        aria-label={t('knowledgeLinks.search')}
                        onSubmit={(e) => {
                            e.preventDefault();
                            setQuery(q.trim());
                        }}
                    >
                        <TextField id={`${id}-q`} label={t('knowledgeLinks.q')} type="search" value={q} onValue={setQ} hint={t('knowledgeLinks.qHint')} />
                        <div class="form-actions">
                            <button type="submit" class="button button-small" disabled={q.trim() === ''}>
                                {t('knowledgeLinks.searchButton')}
                            </button>
                        </div>
                    </form>
                    {found.error !== null && <ErrorAlert error={found.error} />}
                    {found.data && (
                        <ul class="links" data-knowledge-results aria-label={t('knowledgeLinks.results')}>
                            {found.data.items.length === 0 && <li class="muted">{t('knowledgeLinks.noResults')}</li>}
                            {found.data.items.map((e) => (
                                <li key={e.id} data-knowledge={e.id}>
                                    <EntryLine entry={e} applied={appliedIds.has(e.id)} />{' '}
                                    {linkedIds.has(e.id) ? (
                                        <span class="muted small">{t('knowledgeLinks.alreadyLinked')}</span>
                                    ) : (
                                        <button
                                            type="button"
                                            class="button button-small"
                                            disabled={action.busy}
                                            aria-label={t('knowledgeLinks.linkLabel', { title: e.title })}
                                            onClick={() => link(e, false)}
                                        >
                                            {t('knowledgeLinks.linkEntry')}
                                        </button>
                                    )}
                                    {canApply(e) && <ApplyButton entry={e} busy={action.busy} onApply={() => link(e, true)} />}
                                </li>
                            ))}
                        </ul>
                    )}
                </>
            )}
        </Section>
    );
}

/** The words of a timeline entry `knowledge`: an entry linked to the record, or a workaround applied. */
export function KnowledgeEntryText({ body: b }: { body: Record<string, unknown> }) {
    const title = String(b['title'] ?? '');
    const kind = String(b['kind'] ?? '');
    const id = Number(b['knowledge_id']);
    const kindWords = kind === 'faq' || kind === 'runbook' || kind === 'workaround' ? kindLabel(kind) : kind;
    const entry = Number.isFinite(id) ? <Link href={`/knowledge/${id}`}>{title}</Link> : <>{title}</>;
    return (
        <>
            {b['applied'] === true ? t('knowledgeLinks.entryApplied') : t('knowledgeLinks.entryLinked', { kind: kindWords })}
            {'「'}
            {entry}
            {'」'}
            {b['by'] ? <span class="tl-change">{String(b['by'])}</span> : null}
        </>
    );
}
