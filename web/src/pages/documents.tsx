// The documents register (文書管理簿, docs/documents.md): `/documents` lists the documents (name,
// kind, how many versions, the last one, the review deadline and whether it has come); admins and
// managers register one below. `/documents/{id}` lists its versions, newest first, and staff record
// a new version (label, note).

import { useId, useState } from 'preact/hooks';

import type { RegisteredDocument } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { fieldErrors } from '../components/errors.ts';
import { TextAreaField, TextField } from '../components/form.tsx';
import { Breadcrumb } from '../components/record.tsx';
import { DataTable, LoadedTable } from '../components/table.tsx';
import { Badge, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatNumber } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';

const STAFF = ['admin', 'manager', 'operator'] as const;
const EDITORS = ['admin', 'manager'] as const;

function DueBadge({ doc }: { doc: RegisteredDocument }) {
    return doc.review_due ? <Badge tone="warning">{t('documents.due')}</Badge> : null;
}

export function DocumentListPage() {
    const list = useLoad(() => api.listDocuments(), []);
    return (
        <>
            <PageHeader title={t('documents.title')} description={t('documents.description')} />
            <Section title={t('documents.list')}>
                <LoadedTable
                    list={list}
                    caption={t('documents.list')}
                    columns={[
                        t('documents.name'),
                        t('documents.kind'),
                        { label: t('documents.versions'), class: 'num' },
                        t('documents.lastVersion'),
                        t('documents.reviewDueOn'),
                    ]}
                    row={(d) => (
                        <tr key={d.id} data-document={d.id}>
                            <td>
                                <Link href={`/documents/${d.id}`}>{d.name}</Link>
                            </td>
                            <td>{d.kind || t('common.none')}</td>
                            <td class="num">{t('documents.versionCount', { count: formatNumber(d.versions) })}</td>
                            <td class="nowrap">
                                <DateTime value={d.last_version_at} empty={t('common.none')} />
                            </td>
                            <td class="nowrap">
                                {d.review_due_on} <DueBadge doc={d} />
                            </td>
                        </tr>
                    )}
                />
            </Section>
            {hasRole(...EDITORS) && <RegisterPanel onDone={() => list.reload()} />}
        </>
    );
}

function RegisterPanel({ onDone }: { onDone: () => void }) {
    const id = useId();
    const [name, setName] = useState('');
    const [kind, setKind] = useState('');
    const [cycle, setCycle] = useState('12');
    const [note, setNote] = useState('');
    const action = useAction();
    const errors = fieldErrors(action.error);
    const send = async (): Promise<void> => {
        const failed = await action.run(async () => {
            const d = await api.createDocument({
                name: name.trim(),
                ...(kind.trim() ? { kind: kind.trim() } : {}),
                ...(cycle.trim() ? { review_cycle_months: Number(cycle) } : {}),
                ...(note.trim() ? { note: note.trim() } : {}),
            });
            return t('documents.registered', { name: d.name });
        });
        if (failed === null) {
            setName('');
            setKind('');
            setNote('');
            onDone();
        }
    };
    return (
        <Section title={t('documents.registerTitle')}>
            <ServerForm
                action={action}
                shown={['name', 'kind', 'review_cycle_months', 'note']}
                onSubmit={() => void send()}
            >
                <div class="form-grid">
                    <TextField id={`${id}-name`} label={t('documents.name')} value={name} onValue={setName} error={errors['name']} required />
                    <TextField id={`${id}-kind`} label={t('documents.kind')} value={kind} onValue={setKind} error={errors['kind']} />
                    <TextField
                        id={`${id}-cycle`}
                        label={t('documents.cycle')}
                        type="number"
                        min={1}
                        value={cycle}
                        onValue={setCycle}
                        error={errors['review_cycle_months']}
                    />
                    <TextAreaField id={`${id}-note`} label={t('documents.note')} value={note} onValue={setNote} error={errors['note']} />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled={action.busy || name.trim() === ''}>
                        {t('documents.register')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

export function DocumentPage({ id }: { id: string }) {
    const loaded = useLoad(() => api.getDocument(Number(id)), [id]);
    const d = loaded.data;
    const formId = useId();
    const [label, setLabel] = useState('');
    const [note, setNote] = useState('');
    const action = useAction();
    const errors = fieldErrors(action.error);
    if (loaded.error !== null) {
        return (
            <>
                <PageHeader title={t('documents.title')} />
                <ErrorAlert error={loaded.error} />
            </>
        );
    }
    if (!d) {
        return <Loading />;
    }
    const versions = d.version_list ?? [];
    const send = async (): Promise<void> => {
        const failed = await action.run(async () => {
            await api.addDocumentVersion(d.id, note.trim() ? { label: label.trim(), note: note.trim() } : { label: label.trim() });
            loaded.set(await api.getDocument(d.id));
            return t('documents.versionAdded', { label: label.trim() });
        });
        if (failed === null) {
            setLabel('');
            setNote('');
        }
    };
    return (
        <>
            <Breadcrumb href="/documents" label={t('documents.back')} />
            <PageHeader title={d.name} />
            <Section title={t('documents.summary')}>
                <dl class="facts">
                    <dt>{t('documents.kind')}</dt>
                    <dd>{d.kind || t('common.none')}</dd>
                    <dt>{t('documents.versions')}</dt>
                    <dd data-document-versions>{t('documents.versionCount', { count: formatNumber(d.versions) })}</dd>
                    <dt>{t('documents.reviewDueOn')}</dt>
                    <dd>
                        {d.review_due_on} <DueBadge doc={d} />
                    </dd>
                    <dt>{t('documents.note')}</dt>
                    <dd>{d.note || t('common.none')}</dd>
                </dl>
            </Section>
            <Section title={t('documents.versionList')}>
                <DataTable
                    caption={t('documents.versionList')}
                    columns={[t('documents.label'), t('documents.note'), t('documents.createdAt')]}
                    busy={false}
                    empty={versions.length === 0}
                >
                    {versions.map((v) => (
                        <tr key={v.id} data-document-version={v.id}>
                            <td>{v.label}</td>
                            <td>{v.note || t('common.none')}</td>
                            <td class="nowrap">
                                <DateTime value={v.created_at} />
                            </td>
                        </tr>
                    ))}
                </DataTable>
            </Section>
            {hasRole(...STAFF) && (
                <Section title={t('documents.newVersion')}>
                    <ServerForm
                        action={action}
                        shown={['label', 'note']}
                        onSubmit={() => void send()}
                    >
                        <div class="form-grid">
                            <TextField id={`${formId}-label`} label={t('documents.label')} value={label} onValue={setLabel} error={errors['label']} required />
                            <TextAreaField id={`${formId}-note`} label={t('documents.note')} value={note} onValue={setNote} error={errors['note']} />
                        </div>
                        <div class="form-actions">
                            <button type="submit" class="button" disabled={action.busy || label.trim() === ''}>
                                {t('documents.addVersion')}
                            </button>
                        </div>
                    </ServerForm>
                </Section>
            )}
        </>
    );
}
