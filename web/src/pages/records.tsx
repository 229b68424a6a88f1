// The record ledger (台帳): one list page and one create page for every kind, driven by the kind's
// workflow from GET /workflows (states for the status filter, severity where the kind has one,
// the kind's own fields on the create form). The detail page is in record-detail.tsx.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

import type { LedgerRecord, RecordCollection, RecordQuery, Severity, Workflow } from '../api/client.ts';
import { SEVERITIES } from '../api/client.ts';
import { offeredSimilar } from '../app/flash.ts';
import { organizationName, useOrganizations } from '../app/organizations.ts';
import { userName } from '../app/users.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useWorkflow, workflowsError } from '../app/workflows.ts';
import { useCreate } from '../components/create.ts';
import { fieldErrors } from '../components/errors.ts';
import { ExportButtons } from '../components/export.tsx';
import { FilterBar, useUrlFilters, withAll } from '../components/filters.tsx';
import { SelectField, TextField } from '../components/form.tsx';
import { usePaged } from '../components/paged.tsx';
import { CreateLink, CreatePage } from '../components/record.tsx';
import {
    OrganizationPicker,
    RecordFields,
    recordDraft,
    recordInput,
    UserPicker,
    type RecordDraft,
} from '../components/record-fields.tsx';
import { SavedViews } from '../components/saved-views.tsx';
import { PagedTable } from '../components/table.tsx';
import { Badge, DateTime, ErrorAlert, Loading, PageHeader, type Tone } from '../components/ui.tsx';
import { t } from '../i18n/index.ts';
import { localLabel, severityLabel } from '../i18n/labels.ts';

const PAGE_SIZE = 50;

/** Who may raise and change records (viewers only read). */
export const RECORD_WRITERS = ['admin', 'manager', 'operator', 'vendor', 'requester'] as const;

/** The kind's name as the navigation says it (障害, 問題, …). */
export function ledgerLabel(collection: RecordCollection): string {
    return t(`ledger.${collection}`);
}

const SEVERITY_TONES: Record<Severity, Tone> = { critical: 'danger', high: 'warning', medium: 'info', low: 'neutral' };

export function SeverityBadge({ severity }: { severity: Severity | null }) {
    if (!severity) {
        return null;
    }
    return <Badge tone={SEVERITY_TONES[severity] ?? 'neutral'}>{severityLabel(severity)}</Badge>;
}

/** The state's words, in a neutral badge when it is an end state. */
export function StatusBadge({ workflow, status }: { workflow: Workflow; status: string }) {
    const state = workflow.states.find((s) => s.name === status);
    return (
        <Badge tone={state?.closed ? 'neutral' : status === workflow.initial ? 'info' : 'success'}>
            {state ? localLabel(state) : status}
        </Badge>
    );
}

/** Renders `children` once the kind's workflow is there; until then the page's title and a wait. */
export function WithWorkflow({
    collection,
    title,
    children,
}: {
    collection: RecordCollection;
    title: string;
    children: (workflow: Workflow) => ComponentChildren;
}) {
    const workflow = useWorkflow(collection);
    if (workflow) {
        return <>{children(workflow)}</>;
    }
    return (
        <>
            <PageHeader title={title} />
            {workflowsError.value !== null ? (
                <ErrorAlert error={workflowsError.value}>
                    <p>{t('record.loadWorkflow')}</p>
                </ErrorAlert>
            ) : (
                <Loading />
            )}
        </>
    );
}

const FILTERS = ['status', 'severity', 'organization_id', 'assignee_id', 'open', 'q'] as const;

/** An id from the URL, or undefined when absent or not an id. */
function idFilter(value: string): number | undefined {
    return /^\d+$/.test(value) ? Number(value) : undefined;
}

export function RecordList({ collection, workflow }: { collection: RecordCollection; workflow: Workflow }) {
    const f = useUrlFilters(FILTERS);
    const filters: RecordQuery = {
        status: f.applied.status || undefined,
        severity: workflow.has_severity && f.applied.severity ? (f.applied.severity as Severity) : undefined,
        organization_id: idFilter(f.applied.organization_id),
        assignee_id: idFilter(f.applied.assignee_id),
        open: f.applied.open === 'true' ? true : undefined,
        q: f.applied.q || undefined,
    };
    const paged = usePaged(
        (cursor) => api.listRecords(collection, { ...filters, cursor, limit: PAGE_SIZE }),
        `${collection}?${f.key}`,
    );
    const kind = ledgerLabel(collection);
    const orgs = useOrganizations();
    return (
        <>
            <PageHeader
                title={kind}
                description={t('record.listDescription', { kind })}
                actions={
                    hasRole(...RECORD_WRITERS) && (
                        <CreateLink href={`/${collection}/new`} label={t('record.create', { kind })} />
                    )
                }
            />
            <FilterBar label={t('filter.label')} onApply={f.apply} onClear={f.clear}>
                <SelectField
                    id="filter-status"
                    label={t('record.status')}
                    {...f.bind('status')}
                    options={withAll(workflow.states.map((s) => ({ value: s.name, label: localLabel(s) })))}
                />
                {workflow.has_severity && (
                    <SelectField
                        id="filter-severity"
                        label={t('record.severity')}
                        {...f.bind('severity')}
                        options={withAll(SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) })))}
                    />
                )}
                <OrganizationPicker
                    id="filter-organization"
                    label={t('record.organization')}
                    {...f.bind('organization_id')}
                    error={undefined}
                    empty={t('filter.all')}
                />
                <UserPicker
                    id="filter-assignee"
                    label={t('record.assignee')}
                    {...f.bind('assignee_id')}
                    error={undefined}
                    empty={t('filter.all')}
                />
                <TextField id="filter-q" label={t('record.filterQ')} {...f.bind('q')} type="search" />
                <div class="field field-check">
                    <label class="check">
                        <input
                            type="checkbox"
                            name="open"
                            checked={f.draft.open === 'true'}
                            onChange={(e) => f.set('open', e.currentTarget.checked ? 'true' : '')}
                        />
                        {t('record.openOnly')}
                    </label>
                </div>
            </FilterBar>
            <SavedViews collection={collection} />
            <PagedTable
                paged={paged}
                tools={<ExportButtons resource={collection} filters={filters} />}
                caption={kind}
                columns={[
                    t('record.key'),
                    t('record.title'),
                    t('record.status'),
                    ...(workflow.has_severity ? [t('record.severity')] : []),
                    t('record.organization'),
                    t('record.assignee'),
                    t('col.updatedAt'),
                ]}
            >
                {paged.items.map((r: LedgerRecord) => (
                    <tr key={r.id} class={r.closed ? 'row-closed' : undefined}>
                        <td class="mono nowrap">
                            <Link href={`/${collection}/${r.id}`}>{r.key}</Link>
                        </td>
                        <td class="cell-title">
                            <Link href={`/${collection}/${r.id}`}>{r.title}</Link>
                        </td>
                        <td class="nowrap">
                            <StatusBadge workflow={workflow} status={r.status} />
                        </td>
                        {workflow.has_severity && (
                            <td class="nowrap">
                                <SeverityBadge severity={r.severity} />
                            </td>
                        )}
                        <td>{r.organization_id !== null ? organizationName(orgs, r.organization_id) : ''}</td>
                        <td>{r.assignee_id !== null ? userName(r.assignee_id) : ''}</td>
                        <td class="nowrap">
                            <DateTime value={r.updated_at} />
                        </td>
                    </tr>
                ))}
            </PagedTable>
        </>
    );
}

export function RecordCreate({ collection, workflow }: { collection: RecordCollection; workflow: Workflow }) {
    const [draft, setDraft] = useState<RecordDraft>(() => recordDraft(workflow, null));
    const kind = ledgerLabel(collection);
    const form = useCreate(async (idempotencyKey) => {
        const input = recordInput(workflow, null, draft);
        const res = await api.createRecord(collection, { ...input, title: input.title ?? '' }, { idempotencyKey });
        const path = `/${collection}/${res.data.id}`;
        // INC-7: the past incidents like this one are offered on the new incident's page.
        offeredSimilar.value = res.data.similar?.length ? { path, items: res.data.similar } : null;
        return { path, message: t('record.created', { key: res.data.key }) };
    });
    const shown = ['title', 'description', 'severity', 'organization_id', 'assignee_id', ...workflow.fields.map((f) => f.name)];
    return (
        <CreatePage
            title={t('record.createTitle', { kind })}
            back={{ href: `/${collection}`, label: kind }}
            form={form}
            shown={shown}
        >
            <RecordFields
                workflow={workflow}
                draft={draft}
                set={(p) => setDraft((d) => ({ ...d, ...p }))}
                errors={fieldErrors(form.error)}
                readOnly={false}
                creating
            />
        </CreatePage>
    );
}
