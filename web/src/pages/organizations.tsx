// Organisations: list with filter and paging, create, edit with optimistic concurrency, disable.
// Everyone who may see organisations sees them; only admins change them.

import { useMemo, useState } from 'preact/hooks';

import type { Organization, OrganizationKind, OrganizationPatch, OrganizationQuery } from '../api/client.ts';
import { flash, flashOn } from '../app/flash.ts';
import { refreshOrganizations } from '../app/organizations.ts';
import { Link, navigate } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { ConflictAlert, type ComparedField } from '../components/conflict.tsx';
import { useEditable } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { ExportButtons } from '../components/export.tsx';
import { FilterBar, ListToolbar, useUrlFilters } from '../components/filters.tsx';
import { OtherFieldErrors, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { Pager, usePaged } from '../components/paged.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader } from '../components/ui.tsx';
import { t } from '../i18n/index.ts';
import { kindLabel } from '../i18n/labels.ts';
import { fieldLabel } from '../i18n/server.ts';

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
                actions={
                    admin && (
                        <Link class="button button-primary" href="/organizations/new">
                            {t('org.create')}
                        </Link>
                    )
                }
            />
            <FilterBar label={t('filter.label')} onApply={f.apply} onClear={f.clear}>
                <TextField
                    id="filter-q"
                    label={t('org.filterQ')}
                    value={f.draft.q}
                    onValue={(v) => f.set('q', v)}
                    type="search"
                />
            </FilterBar>
            <ListToolbar count={paged.items.length} loading={paged.loading}>
                <ExportButtons resource="organizations" filters={filters} />
            </ListToolbar>
            {paged.error !== null && <ErrorAlert error={paged.error} />}
            <div class="table-wrap">
                <table class="table" aria-busy={paged.loading}>
                    <caption class="visually-hidden">{t('org.listTitle')}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t('field.code')}</th>
                            <th scope="col">{t('field.orgName')}</th>
                            <th scope="col">{t('field.kind')}</th>
                            <th scope="col">{t('field.status')}</th>
                            <th scope="col">{t('field.note')}</th>
                            <th scope="col">{t('col.updatedAt')}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {paged.items.map((o) => (
                            <tr key={o.id} class={o.disabled ? 'row-disabled' : undefined}>
                                <td class="mono">{o.code ?? ''}</td>
                                <td>
                                    <Link href={`/organizations/${o.id}`}>{o.name}</Link>
                                </td>
                                <td>{kindLabel(o.kind)}</td>
                                <td>
                                    {o.disabled ? (
                                        <Badge tone="neutral">{t('status.disabled')}</Badge>
                                    ) : (
                                        <Badge tone="success">{t('status.active')}</Badge>
                                    )}
                                </td>
                                <td class="cell-note">{o.note ?? ''}</td>
                                <td class="nowrap">
                                    <DateTime value={o.updated_at} />
                                </td>
                            </tr>
                        ))}
                        {!paged.loading && paged.items.length === 0 && paged.error === null && (
                            <tr>
                                <td colSpan={6} class="empty">
                                    {t('common.noRows')}
                                </td>
                            </tr>
                        )}
                    </tbody>
                </table>
            </div>
            <Pager paged={paged} label={t('pager.label')} />
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

function OrgFields({
    draft,
    set,
    errors,
    readOnly,
}: {
    draft: OrgDraft;
    set: (patch: Partial<OrgDraft>) => void;
    errors: Record<string, string>;
    readOnly: boolean;
}) {
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
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    // One key per form: a double submit or a retry after a lost answer creates one organisation.
    const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
    const errors = fieldErrors(error);

    const submit = async (event: Event): Promise<void> => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
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
            const path = `/organizations/${res.data.id}`;
            flashOn(path, t('org.created', { name: res.data.name }));
            navigate(path);
        } catch (err) {
            setError(err);
            setBusy(false);
        }
    };

    return (
        <>
            <PageHeader title={t('org.createTitle')} />
            <nav class="breadcrumb" aria-label={t('common.breadcrumb')}>
                <Link href="/organizations">{t('org.listTitle')}</Link>
            </nav>
            <section class="panel">
                <form class="form" onSubmit={(e) => void submit(e)}>
                    {error !== null && (
                        <ErrorAlert error={error}>
                            <OtherFieldErrors errors={errors} shown={SHOWN} label={fieldLabel} />
                        </ErrorAlert>
                    )}
                    <OrgFields draft={draft} set={(p) => setDraft({ ...draft, ...p })} errors={errors} readOnly={false} />
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled={busy}>
                            {busy ? t('common.saving') : t('common.create')}
                        </button>
                        <Link class="button" href="/organizations">
                            {t('common.cancel')}
                        </Link>
                    </div>
                </form>
            </section>
        </>
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
    const [draft, setDraft] = useState<OrgDraft | null>(null);
    const [saved, setSaved] = useState<string | null>(null);
    const edit = useEditable(() => api.getOrganization(orgId), id, (o) => setDraft(toDraft(o)));
    const admin = hasRole('admin');
    const errors = fieldErrors(edit.error);
    const fields: ComparedField<Organization>[] = [
        { key: 'name', label: t('field.orgName') },
        { key: 'kind', label: t('field.kind'), show: (v) => kindLabel(String(v)) },
        { key: 'code', label: t('field.code') },
        { key: 'note', label: t('field.note') },
        { key: 'disabled', label: t('field.status'), show: (v) => (v ? t('status.disabled') : t('status.active')) },
    ];

    if (edit.loadError !== null && !edit.current) {
        return (
            <>
                <PageHeader title={t('org.editTitle')} />
                <ErrorAlert error={edit.loadError} />
            </>
        );
    }
    const current = edit.current?.data;
    if (!current || !draft) {
        return (
            <>
                <PageHeader title={t('org.editTitle')} />
                <Loading />
            </>
        );
    }
    const patch = orgPatch(current, draft);
    const dirty = Object.keys(patch).length > 0;
    const flashed = flash.value?.path === `/organizations/${id}` ? flash.value.text : null;

    const save = async (event: Event): Promise<void> => {
        event.preventDefault();
        setSaved(null);
        const res = await edit.update((etag) => api.updateOrganization(orgId, patch, etag));
        if (res) {
            setSaved(t('common.saved'));
            void refreshOrganizations();
        }
    };
    const toggle = async (): Promise<void> => {
        setSaved(null);
        const res = await edit.update((etag) => api.updateOrganization(orgId, { disabled: !current.disabled }, etag));
        if (res) {
            setSaved(res.data.disabled ? t('org.disabledDone') : t('org.enabledDone'));
            void refreshOrganizations();
        }
    };

    return (
        <>
            <PageHeader
                title={current.name}
                description={t('org.editDescription', { version: current.version })}
                actions={
                    current.disabled ? (
                        <Badge tone="neutral">{t('status.disabled')}</Badge>
                    ) : (
                        <Badge tone="success">{t('status.active')}</Badge>
                    )
                }
            />
            <nav class="breadcrumb" aria-label={t('common.breadcrumb')}>
                <Link href="/organizations">{t('org.listTitle')}</Link>
            </nav>
            {flashed && !saved && <Alert tone="success" title={flashed} />}
            {saved && <Alert tone="success" title={saved} />}
            {edit.conflict && (
                <ConflictAlert base={current} latest={edit.conflict} fields={fields} onReload={() => void edit.reload()} />
            )}
            <section class="panel">
                <form class="form" onSubmit={(e) => void save(e)}>
                    {edit.error !== null && (
                        <ErrorAlert error={edit.error}>
                            <OtherFieldErrors errors={errors} shown={SHOWN} label={fieldLabel} />
                        </ErrorAlert>
                    )}
                    <OrgFields
                        draft={draft}
                        set={(p) => {
                            setSaved(null);
                            setDraft({ ...draft, ...p });
                        }}
                        errors={errors}
                        readOnly={!admin}
                    />
                    <dl class="props props-inline">
                        <dt>{t('col.createdAt')}</dt>
                        <dd>
                            <DateTime value={current.created_at} />
                        </dd>
                        <dt>{t('col.updatedAt')}</dt>
                        <dd>
                            <DateTime value={current.updated_at} />
                        </dd>
                    </dl>
                    {admin && (
                        <div class="form-actions">
                            <button
                                type="submit"
                                class="button button-primary"
                                disabled={edit.busy || !dirty || edit.conflict !== null}
                            >
                                {edit.busy ? t('common.saving') : t('common.save')}
                            </button>
                            <button
                                type="button"
                                class={current.disabled ? 'button' : 'button button-danger'}
                                disabled={edit.busy || dirty || edit.conflict !== null}
                                title={dirty ? t('common.saveFirst') : undefined}
                                onClick={() => void toggle()}
                            >
                                {current.disabled ? t('org.enable') : t('org.disable')}
                            </button>
                            {dirty && <span class="unsaved">{t('common.unsaved')}</span>}
                        </div>
                    )}
                </form>
            </section>
        </>
    );
}
