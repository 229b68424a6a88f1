// Organisations: list with filter and paging, create, edit with optimistic concurrency, disable.
// Everyone who may see organisations sees them; only admins change them.

import { useState } from 'preact/hooks';

import type { Organization, OrganizationKind, OrganizationPatch, OrganizationQuery } from '../api/client.ts';
import { refreshOrganizations } from '../app/organizations.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { disabledField, type ComparedField } from '../components/conflict.tsx';
import { useCreate } from '../components/create.ts';
import { useEditForm } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { ExportButtons } from '../components/export.tsx';
import { FilterBar, useUrlFilters } from '../components/filters.tsx';
import { FormErrors, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { usePaged } from '../components/paged.tsx';
import { Breadcrumb, CreateLink, CreatePage, EditActions, EditNotices, pendingEdit, RecordTimes } from '../components/record.tsx';
import type { DraftFieldsProps } from '../components/record.tsx';
import { PagedTable } from '../components/table.tsx';
import { ActiveBadge, DateTime, PageHeader } from '../components/ui.tsx';
import { t } from '../i18n/index.ts';
import { kindLabel } from '../i18n/labels.ts';

export const PAGE_SIZE = 50;
const KINDS: readonly OrganizationKind[] = ['owner', 'vendor', 'other'];

export function OrganizationListPage() {
    const f = useUrlFilters(['q'] as const);
    const filters: OrganizationQuery = { q: f.applied.q || undefined };
    const paged = usePaged((cursor) => api.listOrganizations({ ...filters, cursor, limit: PAGE_SIZE }), f.key);
    const admin = hasRole('admin');
    return (
        <>
            <PageHeader
                title={t('org.listTitle')}
                description={t('org.listDescription')}
                actions={admin && <CreateLink href="/organizations/new" label={t('org.create')} />}
            />
            <FilterBar label={t('filter.label')} onApply={f.apply} onClear={f.clear}>
                <TextField
                    id="filter-q"
                    label={t('org.filterQ')}
                    {...f.bind('q')}
                    type="search"
                />
            </FilterBar>
            <PagedTable
                paged={paged}
                tools={<ExportButtons resource="organizations" filters={filters} />}
                caption={t('org.listTitle')}
                columns={[
                    t('field.code'),
                    t('field.orgName'),
                    t('field.kind'),
                    t('field.status'),
                    t('field.note'),
                    t('col.updatedAt'),
                ]}
            >
                {paged.items.map((o) => (
                    <tr key={o.id} class={o.disabled ? 'row-disabled' : undefined}>
                        <td class="mono">{o.code ?? ''}</td>
                        <td>
                            <Link href={`/organizations/${o.id}`}>{o.name}</Link>
                        </td>
                        <td>{kindLabel(o.kind)}</td>
                        <td>
                            <ActiveBadge disabled={o.disabled} />
                        </td>
                        <td class="cell-note">{o.note ?? ''}</td>
                        <td class="nowrap">
                            <DateTime value={o.updated_at} />
                        </td>
                    </tr>
                ))}
            </PagedTable>
        </>
    );
}

interface OrgDraft {
    name: string;
    kind: OrganizationKind;
    code: string;
    note: string;
}

function toDraft(o: Organization): OrgDraft {
    return { name: o.name, kind: o.kind, code: o.code ?? '', note: o.note ?? '' };
}

const SHOWN = ['name', 'kind', 'code', 'note'];

function OrgFields({ draft, set, errors, readOnly }: DraftFieldsProps<OrgDraft>) {
    return (
        <div class="form-grid">
            <TextField
                id="org-name"
                label={t('field.orgName')}
                value={draft.name}
                onValue={(name) => set({ name })}
                error={errors['name']}
                required
                readOnly={readOnly}
                maxLength={200}
            />
            <SelectField
                id="org-kind"
                label={t('field.kind')}
                value={draft.kind}
                onValue={(v) => set({ kind: v as OrganizationKind })}
                options={KINDS.map((k) => ({ value: k, label: kindLabel(k) }))}
                error={errors['kind']}
                required
                disabled={readOnly}
            />
            <TextField
                id="org-code"
                label={t('field.code')}
                value={draft.code}
                onValue={(code) => set({ code })}
                hint={t('org.codeHint')}
                error={errors['code']}
                readOnly={readOnly}
                maxLength={32}
            />
            <TextAreaField
                id="org-note"
                label={t('field.note')}
                value={draft.note}
                onValue={(note) => set({ note })}
                error={errors['note']}
                readOnly={readOnly}
            />
        </div>
    );
}

export function OrganizationCreatePage() {
    const [draft, setDraft] = useState<OrgDraft>({ name: '', kind: 'vendor', code: '', note: '' });
    const form = useCreate(async (idempotencyKey) => {
        const res = await api.createOrganization(
            {
                name: draft.name.trim(),
                kind: draft.kind,
                ...(draft.code.trim() !== '' ? { code: draft.code.trim() } : {}),
                ...(draft.note !== '' ? { note: draft.note } : {}),
            },
            { idempotencyKey },
        );
        void refreshOrganizations();
        return { path: `/organizations/${res.data.id}`, message: t('org.created', { name: res.data.name }) };
    });

    return (
        <CreatePage
            title={t('org.createTitle')}
            back={{ href: '/organizations', label: t('org.listTitle') }}
            form={form}
            shown={SHOWN}
            browserChecks
        >
            <OrgFields
                draft={draft}
                set={(p) => setDraft({ ...draft, ...p })}
                errors={fieldErrors(form.error)}
                readOnly={false}
            />
        </CreatePage>
    );
}

function orgPatch(base: Organization, draft: OrgDraft): OrganizationPatch {
    const patch: OrganizationPatch = {};
    if (draft.name.trim() !== base.name) {
        patch.name = draft.name.trim();
    }
    if (draft.kind !== base.kind) {
        patch.kind = draft.kind;
    }
    if (draft.code.trim() !== (base.code ?? '')) {
        patch.code = draft.code.trim() === '' ? null : draft.code.trim();
    }
    if (draft.note !== (base.note ?? '')) {
        patch.note = draft.note;
    }
    return patch;
}

export function OrganizationEditPage({ id }: { id: string }) {
    const orgId = Number(id);
    const form = useEditForm(() => api.getOrganization(orgId), id, toDraft);
    const { edit, draft } = form;
    const admin = hasRole('admin');
    const errors = fieldErrors(edit.error);
    const fields: ComparedField<Organization>[] = [
        { key: 'name', label: t('field.orgName') },
        { key: 'kind', label: t('field.kind'), show: (v) => kindLabel(String(v)) },
        { key: 'code', label: t('field.code') },
        { key: 'note', label: t('field.note') },
        disabledField(),
    ];

    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(t('org.editTitle'), edit);
    }
    const patch = orgPatch(current, draft);
    const dirty = Object.keys(patch).length > 0;

    const save = async (event: Event): Promise<void> => {
        event.preventDefault();
        if (await form.act((etag) => api.updateOrganization(orgId, patch, etag), () => t('common.saved'))) {
            void refreshOrganizations();
        }
    };
    const toggle = async (): Promise<void> => {
        const res = await form.act(
            (etag) => api.updateOrganization(orgId, { disabled: !current.disabled }, etag),
            (o) => (o.disabled ? t('org.disabledDone') : t('org.enabledDone')),
        );
        if (res) {
            void refreshOrganizations();
        }
    };

    return (
        <>
            <PageHeader
                title={current.name}
                description={t('org.editDescription', { version: current.version })}
                actions={<ActiveBadge disabled={current.disabled} />}
            />
            <Breadcrumb href="/organizations" label={t('org.listTitle')} />
            <EditNotices form={form} path={`/organizations/${id}`} fields={fields} />
            <section class="panel">
                <form class="form" onSubmit={(e) => void save(e)}>
                    <FormErrors error={edit.error} shown={SHOWN} />
                    <OrgFields draft={draft} set={form.change} errors={errors} readOnly={!admin} />
                    <RecordTimes record={current} />
                    {admin && (
                        <EditActions
                            edit={edit}
                            dirty={dirty}
                            toggle={{
                                disabled: current.disabled,
                                label: current.disabled ? t('org.enable') : t('org.disable'),
                                run: () => void toggle(),
                            }}
                        />
                    )}
                </form>
            </section>
        </>
    );
}
