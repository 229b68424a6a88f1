// The knowledge base (ナレッジ, docs/knowledge.md): `/knowledge` searches the entries (a word of the
// title, body or tags; a kind) and lists them with their kind, status and whether their review date
// has passed; staff write one below the list, naming its owner and review date if they wish (a
// workaround waits for an admin's or a manager's approval). `/knowledge/{id}` shows an entry with
// its owner and review date and the records it is linked to (components/knowledge-links.tsx: staff
// link one by key or id, a workaround also as applied by an incident, and remove a link); admins
// and managers approve or reject (with the reason) a workaround waiting for approval, staff mark a
// stale entry reviewed.

import { useId, useState } from 'preact/hooks';

import { KNOWLEDGE_KINDS, type KnowledgeCreate, type KnowledgeEntry, type KnowledgeKind, type KnowledgeStatus } from '../api/client.ts';
import { Link, navigate } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { userName, useUsers } from '../app/users.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { fieldErrors } from '../components/errors.ts';
import { FormErrors, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { KnowledgeRecords } from '../components/knowledge-links.tsx';
import { UserPicker } from '../components/record-fields.tsx';
import { Breadcrumb } from '../components/record.tsx';
import { LoadedTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { t } from '../i18n/index.ts';

const STAFF = ['admin', 'manager', 'operator'] as const;
const DECIDERS = ['admin', 'manager'] as const;

function kindLabel(kind: KnowledgeKind): string {
    return t(`knowledge.kind.${kind}`);
}

function StatusBadge({ status }: { status: KnowledgeStatus }) {
    const tone = status === 'published' ? 'success' : status === 'rejected' ? 'danger' : 'warning';
    return <Badge tone={tone}>{t(`knowledge.status.${status}`)}</Badge>;
}

function StaleBadge({ entry }: { entry: KnowledgeEntry }) {
    return entry.stale ? <Badge tone="warning">{t('knowledge.stale')}</Badge> : null;
}

export function KnowledgeListPage() {
    const id = useId();
    const [q, setQ] = useState('');
    const [kind, setKind] = useState('');
    const [query, setQuery] = useState<{ q: string; kind: string }>({ q: '', kind: '' });
    const list = useLoad(
        () => api.listKnowledge({ q: query.q || undefined, kind: (query.kind || undefined) as KnowledgeKind | undefined }),
        [query.q, query.kind],
    );
    return (
        <>
            <PageHeader title={t('knowledge.title')} description={t('knowledge.description')} />
            <form
                class="form filters"
                role="search"
                aria-label={t('knowledge.search')}
                onSubmit={(e) => {
                    e.preventDefault();
                    setQuery({ q: q.trim(), kind });
                }}
            >
                <div class="form-grid">
                    <TextField id={`${id}-q`} label={t('knowledge.q')} type="search" value={q} onValue={setQ} />
                    <SelectField
                        id={`${id}-kind`}
                        label={t('knowledge.kind')}
                        value={kind}
                        onValue={setKind}
                        options={[{ value: '', label: t('knowledge.allKinds') }, ...KNOWLEDGE_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))]}
                    />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button">
                        {t('knowledge.searchButton')}
                    </button>
                </div>
            </form>
            <Section title={t('knowledge.list')}>
                <LoadedTable
                    list={list}
                    caption={t('knowledge.list')}
                    columns={[t('knowledge.entryTitle'), t('knowledge.kind'), t('knowledge.status'), t('knowledge.reviewOn'), t('knowledge.updatedAt')]}
                    row={(e) => (
                        <tr key={e.id} data-knowledge={e.id}>
                            <td>
                                <Link href={`/knowledge/${e.id}`}>{e.title}</Link>
                            </td>
                            <td>{kindLabel(e.kind)}</td>
                            <td>
                                <StatusBadge status={e.status} /> <StaleBadge entry={e} />
                            </td>
                            <td class="nowrap">{e.review_on}</td>
                            <td class="nowrap">
                                <DateTime value={e.updated_at} />
                            </td>
                        </tr>
                    )}
                />
            </Section>
            {hasRole(...STAFF) && <WritePanel />}
        </>
    );
}

/** Staff write an entry; then its page opens. */
function WritePanel() {
    const id = useId();
    const [kind, setKind] = useState<KnowledgeKind>('faq');
    const [title, setTitle] = useState('');
    const [body, setBody] = useState('');
    const [tags, setTags] = useState('');
    const [owner, setOwner] = useState('');
    const [reviewOn, setReviewOn] = useState('');
    const action = useAction();
    const errors = fieldErrors(action.error);
    const send = async (): Promise<void> => {
        await action.run(async () => {
            const tagList = tags
                .split(/[,、\s]+/)
                .map((s) => s.trim())
                .filter(Boolean);
            const input: KnowledgeCreate = { kind, title: title.trim(), body };
            if (tagList.length) input.tags = tagList;
            // An id typed where users cannot be listed goes as typed, so that the server names a bad one.
            if (owner.trim()) input.owner_id = (/^\d+$/.test(owner.trim()) ? Number(owner.trim()) : owner.trim()) as number;
            // Left empty, the server makes it a year from today.
            if (reviewOn) input.review_on = reviewOn;
            const entry = await api.createKnowledge(input);
            navigate(`/knowledge/${entry.id}`);
            return '';
        });
    };
    return (
        <Section title={t('knowledge.writeTitle')}>
            <ServerForm
                action={action}
                shown={['kind', 'title', 'body', 'tags', 'owner_id', 'review_on']}
                onSubmit={() => void send()}
            >
                <div class="form-grid">
                    <SelectField
                        id={`${id}-kind`}
                        label={t('knowledge.kind')}
                        value={kind}
                        onValue={(v) => setKind(v as KnowledgeKind)}
                        error={errors['kind']}
                        options={KNOWLEDGE_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
                        hint={kind === 'workaround' ? t('knowledge.workaroundHint') : undefined}
                    />
                    <TextField id={`${id}-title`} label={t('knowledge.entryTitle')} value={title} onValue={setTitle} error={errors['title']} required />
                    <TextAreaField id={`${id}-body`} label={t('knowledge.body')} value={body} onValue={setBody} error={errors['body']} required rows={6} />
                    <TextField id={`${id}-tags`} label={t('knowledge.tags')} hint={t('knowledge.tagsHint')} value={tags} onValue={setTags} error={errors['tags']} />
                    <UserPicker id={`${id}-owner`} label={t('knowledge.owner')} value={owner} onValue={setOwner} error={errors['owner_id']} empty={t('knowledge.noOwner')} />
                    <TextField
                        id={`${id}-review-on`}
                        label={t('knowledge.reviewOn')}
                        hint={t('knowledge.reviewOnHint')}
                        type="date"
                        value={reviewOn}
                        onValue={setReviewOn}
                        error={errors['review_on']}
                    />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled={action.busy || title.trim() === '' || body.trim() === ''}>
                        {t('knowledge.write')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

export function KnowledgePage({ id }: { id: string }) {
    const loaded = useLoad(() => api.getKnowledge(Number(id)), [id]);
    // The owner is named from the users list (staff may read it; others see the id).
    useUsers();
    const e = loaded.data;
    const action = useAction();
    const [reason, setReason] = useState('');
    const errors = fieldErrors(action.error);
    const formId = useId();
    if (loaded.error !== null) {
        return (
            <>
                <PageHeader title={t('knowledge.title')} />
                <ErrorAlert error={loaded.error} />
            </>
        );
    }
    if (!e) {
        return <Loading />;
    }
    const act = (kind: 'approve' | 'reject' | 'reviewed', done: string): void => {
        void action.run(async () => {
            loaded.set(await api.actOnKnowledge(e.id, kind, kind === 'reject' ? reason.trim() : undefined));
            setReason('');
            return done;
        });
    };
    const decide = e.status === 'pending_approval' && hasRole(...DECIDERS);
    const review = e.stale && hasRole(...STAFF);
    return (
        <>
            <Breadcrumb href="/knowledge" label={t('knowledge.back')} />
            <PageHeader title={e.title} />
            {action.done && <Alert tone="success" title={action.done} />}
            <FormErrors error={action.error} shown={['comment']} />
            <Section title={t('knowledge.entry')}>
                <dl class="props" data-knowledge-entry={e.id}>
                    <dt>{t('knowledge.kind')}</dt>
                    <dd>{kindLabel(e.kind)}</dd>
                    <dt>{t('knowledge.status')}</dt>
                    <dd data-knowledge-status>
                        <StatusBadge status={e.status} /> <StaleBadge entry={e} />
                    </dd>
                    <dt>{t('knowledge.owner')}</dt>
                    <dd data-knowledge-owner>{e.owner_id !== null ? userName(e.owner_id) : <span class="muted">{t('knowledge.noOwner')}</span>}</dd>
                    <dt>{t('knowledge.reviewOn')}</dt>
                    <dd data-knowledge-review-on>{e.review_on}</dd>
                    <dt>{t('knowledge.tags')}</dt>
                    <dd>{e.tags.length ? e.tags.join('、') : t('common.none')}</dd>
                </dl>
                <div class="knowledge-body pre-wrap">
                    {e.body}
                </div>
            </Section>
            <KnowledgeRecords entry={e} onAnswer={loaded.set} />
            {(decide || review) && (
                <Section title={t('knowledge.actions')}>
                    {decide && (
                        <div class="form">
                            <div class="form-grid">
                                <TextAreaField
                                    id={`${formId}-reason`}
                                    label={t('knowledge.reason')}
                                    hint={t('knowledge.reasonHint')}
                                    value={reason}
                                    onValue={setReason}
                                    error={errors['comment']}
                                />
                            </div>
                            <div class="form-actions">
                                <button type="button" class="button" disabled={action.busy} onClick={() => act('approve', t('knowledge.approved'))}>
                                    {t('knowledge.approve')}
                                </button>{' '}
                                <button
                                    type="button"
                                    class="button button-danger"
                                    disabled={action.busy || reason.trim() === ''}
                                    onClick={() => act('reject', t('knowledge.rejected'))}
                                >
                                    {t('knowledge.reject')}
                                </button>
                            </div>
                        </div>
                    )}
                    {review && (
                        <div class="form-actions">
                            <button type="button" class="button" disabled={action.busy} onClick={() => act('reviewed', t('knowledge.reviewedMsg'))}>
                                {t('knowledge.reviewed')}
                            </button>
                        </div>
                    )}
                </Section>
            )}
        </>
    );
}
