// The handover ledger of confidential data and media (機密情報・個人情報の授受管理簿, issue 7: SEC-4;
// docs/handovers.md).
//
// `/handovers` lists the handovers, newest first (授受日, 区分, 分類, 情報の内容, 手段・方法, 渡した人,
// 受け取った人, 事前承諾者, 返却予定日, 返却), those past their return date highlighted (期限超過),
// filtered by 未返却のみ and 返却期限を過ぎたもののみ (kept in the URL). Those who write the ledger
// record a handover below the list. `/handovers/{id}` shows one; they correct it there (If-Match; a
// 412 says so and loads the latest) and record its return, erasure or destruction (also with
// If-Match), after which it leaves the outstanding list. Requesters do not read the ledger.

import { useId, useState } from 'preact/hooks';

import {
    ApiError,
    HANDOVER_CLASSIFICATIONS,
    HANDOVER_DIRECTIONS,
    HANDOVER_DISPOSITIONS,
    type Handover,
    type HandoverClassification,
    type HandoverDirection,
    type HandoverDisposition,
    type HandoverInput,
    type Resource,
    type Role,
} from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { etagOf } from '../components/editable.ts';
import { ResourceEditForm } from '../components/edit-form.tsx';
import { fieldErrors } from '../components/errors.ts';
import { FilterBar, useUrlFilters } from '../components/filters.tsx';
import { CheckField, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { Breadcrumb } from '../components/record.tsx';
import { LoadedTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { instantToTokyoInput } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { civilDate } from './cis.tsx';

/** Who reads the ledger (not requesters). */
export const HANDOVER_READERS: readonly Role[] = ['admin', 'manager', 'operator', 'vendor', 'viewer'];
/** Who records handovers, corrects them and records their return. */
const HANDOVER_WRITERS = ['admin', 'manager', 'operator', 'vendor'] as const;

function directionLabel(d: HandoverDirection): string {
    return t(`handovers.direction.${d}`);
}

function classificationLabel(c: HandoverClassification): string {
    return t(`handovers.classification.${c}`);
}

function dispositionLabel(d: HandoverDisposition): string {
    return t(`handovers.disposition.${d}`);
}

/** Today in Japan time, `YYYY-MM-DD`. */
function today(): string {
    return instantToTokyoInput(new Date().toISOString()).slice(0, 10);
}

/** 山田 太郎 (情報政策課). */
function person(name: string, organization: string): string {
    return organization ? `${name} (${organization})` : name;
}

/** The return in words: 2026/12/01 消去, or 期限超過 / 未返却 / 返却予定なし. */
function ReturnState({ h }: { h: Handover }) {
    if (h.returned_on) {
        return (
            <span data-returned>
                {civilDate(h.returned_on)} {h.disposition ? dispositionLabel(h.disposition) : ''}
            </span>
        );
    }
    if (h.overdue) {
        return <Badge tone="danger">{t('handovers.overdue')}</Badge>;
    }
    if (h.outstanding) {
        return <Badge tone="warning">{t('handovers.notReturned')}</Badge>;
    }
    return <span class="muted">{t('handovers.noReturn')}</span>;
}

// ---- the list ----

export function HandoverListPage() {
    const f = useUrlFilters(['outstanding', 'overdue'] as const);
    const list = useLoad(
        () => api.listHandovers({ outstanding: f.applied.outstanding === 'true', overdue: f.applied.overdue === 'true' }),
        [f.key],
    );
    return (
        <>
            <PageHeader title={t('handovers.title')} description={t('handovers.description')} />
            <FilterBar label={t('filter.label')} onApply={f.apply} onClear={f.clear}>
                <CheckField
                    id="filter-outstanding"
                    label={t('handovers.outstandingOnly')}
                    checked={f.draft.outstanding === 'true'}
                    onChecked={(on) => f.set('outstanding', on ? 'true' : '')}
                />
                <CheckField
                    id="filter-overdue"
                    label={t('handovers.overdueOnly')}
                    checked={f.draft.overdue === 'true'}
                    onChecked={(on) => f.set('overdue', on ? 'true' : '')}
                />
            </FilterBar>
            <Section title={t('handovers.list')}>
                <LoadedTable
                    list={list}
                    caption={t('handovers.list')}
                    columns={[
                        t('handovers.handedOn'),
                        t('handovers.direction'),
                        t('handovers.classification'),
                        t('handovers.content'),
                        t('handovers.means'),
                        t('handovers.fromPerson'),
                        t('handovers.toPerson'),
                        t('handovers.approvedBy'),
                        t('handovers.dueBackOn'),
                        t('handovers.returnCol'),
                    ]}
                    row={(h: Handover) => (
                        <tr key={h.id} data-handover={h.id} class={h.overdue ? 'row-danger' : undefined}>
                            <td class="nowrap">{civilDate(h.handed_on)}</td>
                            <td>{directionLabel(h.direction)}</td>
                            <td>{classificationLabel(h.classification)}</td>
                            <td>
                                <Link href={`/handovers/${h.id}`}>{h.content}</Link>
                            </td>
                            <td>
                                {h.means}
                                {h.medium_id && <p class="small muted cell-note">{t('handovers.mediumNo', { id: h.medium_id })}</p>}
                            </td>
                            <td>{person(h.from_person, h.from_organization)}</td>
                            <td>{person(h.to_person, h.to_organization)}</td>
                            <td>{h.approved_by}</td>
                            <td class="nowrap">{h.due_back_on ? civilDate(h.due_back_on) : ''}</td>
                            <td class="nowrap">
                                <ReturnState h={h} />
                            </td>
                        </tr>
                    )}
                />
            </Section>
            {hasRole(...HANDOVER_WRITERS) && <RecordForm onRecorded={list.reload} />}
        </>
    );
}

// ---- the form ----

interface Draft {
    handed_on: string;
    direction: HandoverDirection;
    classification: HandoverClassification;
    content: string;
    means: string;
    medium_id: string;
    from_person: string;
    from_organization: string;
    to_person: string;
    to_organization: string;
    approved_by: string;
    due_back_on: string;
    note: string;
}

const OPTIONAL_TEXT = ['medium_id', 'from_organization', 'to_organization', 'note'] as const;
const SHOWN = [
    'handed_on',
    'direction',
    'classification',
    'content',
    'means',
    'medium_id',
    'from_person',
    'from_organization',
    'to_person',
    'to_organization',
    'approved_by',
    'due_back_on',
    'note',
] as const;

function emptyDraft(): Draft {
    return {
        handed_on: today(),
        direction: 'out',
        classification: 'personal',
        content: '',
        means: '',
        medium_id: '',
        from_person: '',
        from_organization: '',
        to_person: '',
        to_organization: '',
        approved_by: '',
        due_back_on: '',
        note: '',
    };
}

function draftOf(h: Handover): Draft {
    return {
        handed_on: h.handed_on,
        direction: h.direction,
        classification: h.classification,
        content: h.content,
        means: h.means,
        medium_id: h.medium_id,
        from_person: h.from_person,
        from_organization: h.from_organization,
        to_person: h.to_person,
        to_organization: h.to_organization,
        approved_by: h.approved_by,
        due_back_on: h.due_back_on ?? '',
        note: h.note,
    };
}

/** Every member as the API takes it (no return date: null). */
function toInput(d: Draft): HandoverInput {
    return {
        handed_on: d.handed_on,
        direction: d.direction,
        classification: d.classification,
        content: d.content.trim(),
        means: d.means.trim(),
        medium_id: d.medium_id.trim(),
        from_person: d.from_person.trim(),
        from_organization: d.from_organization.trim(),
        to_person: d.to_person.trim(),
        to_organization: d.to_organization.trim(),
        approved_by: d.approved_by.trim(),
        due_back_on: d.due_back_on || null,
        note: d.note.trim(),
    };
}

/** A new entry: the required members as typed (the server names a missing one), the others when given. */
function toCreate(d: Draft): HandoverInput {
    const all = toInput(d);
    const out: HandoverInput = {
        handed_on: all.handed_on,
        direction: all.direction,
        classification: all.classification,
        content: all.content,
        means: all.means,
        from_person: all.from_person,
        to_person: all.to_person,
        approved_by: all.approved_by,
    };
    for (const k of OPTIONAL_TEXT) {
        if (all[k]) out[k] = all[k];
    }
    if (all.due_back_on) out.due_back_on = all.due_back_on;
    return out;
}

function HandoverFields({
    id,
    draft,
    set,
    errors,
}: {
    id: string;
    draft: Draft;
    set: (patch: Partial<Draft>) => void;
    errors: Record<string, string>;
}) {
    const text = (key: keyof Draft & string, label: string, options: { required?: boolean; hint?: string } = {}) => (
        <TextField
            id={`${id}-${key}`}
            label={label}
            hint={options.hint}
            value={draft[key]}
            onValue={(v) => set({ [key]: v })}
            error={errors[key]}
            required={options.required}
            maxLength={200}
            autoComplete="off"
        />
    );
    return (
        <div class="form-grid">
            <TextField
                id={`${id}-handed-on`}
                label={t('handovers.handedOn')}
                type="date"
                value={draft.handed_on}
                onValue={(v) => set({ handed_on: v })}
                error={errors['handed_on']}
                required
            />
            <SelectField
                id={`${id}-direction`}
                label={t('handovers.direction')}
                value={draft.direction}
                onValue={(v) => set({ direction: v as HandoverDirection })}
                options={HANDOVER_DIRECTIONS.map((d) => ({ value: d, label: directionLabel(d) }))}
                error={errors['direction']}
            />
            <SelectField
                id={`${id}-classification`}
                label={t('handovers.classification')}
                value={draft.classification}
                onValue={(v) => set({ classification: v as HandoverClassification })}
                options={HANDOVER_CLASSIFICATIONS.map((c) => ({ value: c, label: classificationLabel(c) }))}
                error={errors['classification']}
            />
            <TextAreaField
                id={`${id}-content`}
                label={t('handovers.content')}
                value={draft.content}
                onValue={(v) => set({ content: v })}
                error={errors['content']}
                required
                rows={2}
            />
            {text('means', t('handovers.means'), { required: true, hint: t('handovers.meansHint') })}
            {text('medium_id', t('handovers.mediumId'))}
            {text('from_person', t('handovers.fromPerson'), { required: true })}
            {text('from_organization', t('handovers.fromOrganization'))}
            {text('to_person', t('handovers.toPerson'), { required: true })}
            {text('to_organization', t('handovers.toOrganization'))}
            {text('approved_by', t('handovers.approvedBy'), { required: true, hint: t('handovers.approvedByHint') })}
            <TextField
                id={`${id}-due-back-on`}
                label={t('handovers.dueBackOn')}
                hint={t('handovers.dueBackHint')}
                type="date"
                value={draft.due_back_on}
                onValue={(v) => set({ due_back_on: v })}
                error={errors['due_back_on']}
            />
            <TextAreaField id={`${id}-note`} label={t('handovers.note')} value={draft.note} onValue={(v) => set({ note: v })} error={errors['note']} />
        </div>
    );
}

function RecordForm({ onRecorded }: { onRecorded: () => void }) {
    const id = useId();
    const [draft, setDraft] = useState<Draft>(emptyDraft);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const set = (patch: Partial<Draft>): void => setDraft((d) => ({ ...d, ...patch }));
    const submit = async (): Promise<void> => {
        const input = toCreate(draft);
        const failed = await action.run(async () => {
            await api.createHandover(input);
            return t('handovers.recorded', { content: input.content });
        });
        if (failed === null) {
            setDraft(emptyDraft());
            onRecorded();
        }
    };
    return (
        <Section title={t('handovers.recordTitle')}>
            <ServerForm action={action} shown={SHOWN} data-handover-create onSubmit={() => void submit()}>
                <HandoverFields id={id} draft={draft} set={set} errors={errors} />
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled={action.busy}>
                        {action.busy ? t('handovers.recording') : t('handovers.record')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

/**
 * Corrects the entry: the members changed, with the ETag it was read with; on a 412 nothing is
 * saved, the server's message stays and the latest version is loaded into the form.
 */
function EditForm(props: {
    current: Resource<Handover>;
    onSaved: (res: Resource<Handover>) => void;
    onReloaded: (res: Resource<Handover>) => void;
    onCancel: () => void;
}) {
    return (
        <ResourceEditForm
            {...props}
            draftOf={draftOf}
            toInput={toInput}
            update={(id, p, e) => api.updateHandover(id, p, e)}
            reload={(id) => api.getHandover(id)}
            etag={etagOf}
            shown={() => SHOWN}
            Fields={HandoverFields}
            marker="handover-edit"
            label={t('handovers.editTitle')}
            reloadedTitle={t('handovers.reloaded')}
        />
    );
}

/** The return: its date (today unless told), who took it back, what was done with it, a note. */
function ReturnForm({ current, onReturned }: { current: Resource<Handover>; onReturned: (res: Resource<Handover>) => void }) {
    const id = useId();
    const [returnedOn, setReturnedOn] = useState(today);
    const [receivedBy, setReceivedBy] = useState('');
    const [disposition, setDisposition] = useState<HandoverDisposition>('returned');
    const [note, setNote] = useState('');
    const action = useAction();
    const errors = fieldErrors(action.error);
    const send = async (): Promise<void> => {
        const handoverId = current.data.id;
        const failed = await action.run(async () => {
            const res = await api.returnHandover(
                handoverId,
                { returned_on: returnedOn, received_by: receivedBy.trim(), disposition, ...(note.trim() ? { note: note.trim() } : {}) },
                etagOf(current),
            );
            onReturned(res);
            return '';
        });
        if (failed instanceof ApiError && failed.status === 412) {
            try {
                onReturned(await api.getHandover(handoverId));
            } catch {
                // The 412 stays shown.
            }
        }
    };
    return (
        <ServerForm
            action={action}
            shown={['returned_on', 'received_by', 'disposition', 'note']}
            data-handover-return
            aria-label={t('handovers.returnTitle')}
            onSubmit={() => void send()}
        >
            <div class="form-grid">
                <TextField
                    id={`${id}-returned-on`}
                    label={t('handovers.returnedOn')}
                    type="date"
                    value={returnedOn}
                    onValue={setReturnedOn}
                    error={errors['returned_on']}
                    required
                />
                <TextField
                    id={`${id}-received-by`}
                    label={t('handovers.receivedBy')}
                    value={receivedBy}
                    onValue={setReceivedBy}
                    error={errors['received_by']}
                    required
                    maxLength={200}
                    autoComplete="off"
                />
                <SelectField
                    id={`${id}-disposition`}
                    label={t('handovers.disposition')}
                    value={disposition}
                    onValue={(v) => setDisposition(v as HandoverDisposition)}
                    options={HANDOVER_DISPOSITIONS.map((d) => ({ value: d, label: dispositionLabel(d) }))}
                    error={errors['disposition']}
                />
                <TextAreaField id={`${id}-note`} label={t('handovers.returnNote')} value={note} onValue={setNote} error={errors['note']} />
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled={action.busy}>
                    {t('handovers.recordReturn')}
                </button>
            </div>
        </ServerForm>
    );
}

function HandoverProps({ h }: { h: Handover }) {
    const none = <span class="muted">{t('common.none')}</span>;
    return (
        <dl class="props" data-handover-props>
            <dt>{t('handovers.handedOn')}</dt>
            <dd>{civilDate(h.handed_on)}</dd>
            <dt>{t('handovers.direction')}</dt>
            <dd>{directionLabel(h.direction)}</dd>
            <dt>{t('handovers.classification')}</dt>
            <dd>{classificationLabel(h.classification)}</dd>
            <dt>{t('handovers.content')}</dt>
            <dd class="pre-wrap">{h.content}</dd>
            <dt>{t('handovers.means')}</dt>
            <dd>{h.means}</dd>
            <dt>{t('handovers.mediumId')}</dt>
            <dd>{h.medium_id || none}</dd>
            <dt>{t('handovers.fromPerson')}</dt>
            <dd>{person(h.from_person, h.from_organization)}</dd>
            <dt>{t('handovers.toPerson')}</dt>
            <dd>{person(h.to_person, h.to_organization)}</dd>
            <dt>{t('handovers.approvedBy')}</dt>
            <dd>{h.approved_by}</dd>
            <dt>{t('handovers.dueBackOn')}</dt>
            <dd>{h.due_back_on ? civilDate(h.due_back_on) : none}</dd>
            <dt>{t('handovers.returnCol')}</dt>
            <dd data-handover-return-state>
                <ReturnState h={h} />
            </dd>
            {h.returned_on && (
                <>
                    <dt>{t('handovers.receivedBy')}</dt>
                    <dd>{h.return_received_by}</dd>
                    {h.return_note && (
                        <>
                            <dt>{t('handovers.returnNote')}</dt>
                            <dd class="pre-wrap">{h.return_note}</dd>
                        </>
                    )}
                </>
            )}
            {h.note && (
                <>
                    <dt>{t('handovers.note')}</dt>
                    <dd class="pre-wrap">{h.note}</dd>
                </>
            )}
            <dt>{t('handovers.createdBy')}</dt>
            <dd>
                {h.created_by} <DateTime value={h.created_at} />
            </dd>
        </dl>
    );
}

// ---- one handover ----

export function HandoverPage({ id }: { id: string }) {
    const handoverId = Number(id);
    const item = useLoad(() => api.getHandover(handoverId), [handoverId]);
    const writer = hasRole(...HANDOVER_WRITERS);
    const [editing, setEditing] = useState(false);
    const [saved, setSaved] = useState<string | null>(null);
    const current = item.data;
    const h = current?.data ?? null;
    return (
        <>
            <Breadcrumb href="/handovers" label={t('handovers.back')} />
            <PageHeader title={h ? t('handovers.entryTitle', { date: civilDate(h.handed_on), content: h.content }) : t('handovers.title')} />
            {saved && <Alert tone="success" title={saved} />}
            {item.loading && item.data === null && <Loading />}
            {item.error !== null && <ErrorAlert error={item.error} />}
            {current && h && (
                <>
                    <Section title={editing ? t('handovers.editTitle') : t('handovers.details')}>
                        {editing ? (
                            <EditForm
                                key={h.id}
                                current={current}
                                onSaved={(res) => {
                                    item.set(res);
                                    setEditing(false);
                                    setSaved(t('handovers.saved'));
                                }}
                                onReloaded={item.set}
                                onCancel={() => setEditing(false)}
                            />
                        ) : (
                            <>
                                <HandoverProps h={h} />
                                {writer && (
                                    <div class="form-actions">
                                        <button
                                            type="button"
                                            class="button"
                                            onClick={() => {
                                                setSaved(null);
                                                setEditing(true);
                                            }}
                                        >
                                            {t('handovers.edit')}
                                        </button>
                                    </div>
                                )}
                            </>
                        )}
                    </Section>
                    {writer && !h.returned_on && !editing && (
                        <Section title={t('handovers.returnTitle')}>
                            <p class="hint">{t('handovers.returnHint')}</p>
                            <ReturnForm
                                current={current}
                                onReturned={(res) => {
                                    item.set(res);
                                    if (res.data.returned_on) {
                                        setSaved(
                                            t('handovers.returnRecorded', {
                                                disposition: res.data.disposition ? dispositionLabel(res.data.disposition) : '',
                                            }),
                                        );
                                    }
                                }}
                            />
                        </Section>
                    )}
                </>
            )}
        </>
    );
}
