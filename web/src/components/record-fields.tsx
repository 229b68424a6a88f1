// The ledger's fields as form controls, driven by the workflow (GET /workflows): text, long text,
// time (entered as Japan time, sent as RFC 3339 with +09:00), date, enum (a select with the
// catalogue's words), user (a select of users, or an id where users cannot be listed) and
// documents (an editable list of {name, done}); and the core members organisation (a select of
// organisations) and assignee (a user); and work item (ORG-3: a row of a role division matrix,
// picked by matrix and then by item under its headings, with whom it routes to shown below) and
// configuration item (a select of the items, the chosen one linked to its page; read only, its name
// as that link). A record's form keeps a draft of strings (and document lists); `fieldDraft` and
// `fieldValue` convert between the draft and the API's values.

import { useState } from 'preact/hooks';

import {
    SEVERITIES,
    type RaciItem,
    type RaciMatrixDetail,
    type RecordDocument,
    type RecordFieldValue,
    type RecordInput,
    type Severity,
    type User,
    type Workflow,
    type WorkflowField,
} from '../api/client.ts';
import { ciName, cis, useCis } from '../app/cis.ts';
import { organizationName, organizations, useOrganizations } from '../app/organizations.ts';
import { Link } from '../app/router.tsx';
import { findWorkItem, raciMatrices, useRaciMatrices, workItemLabel, workItemRoute, type WorkItemRoute as WorkItemRouting } from '../app/raci.ts';
import { userName, useUsers } from '../app/users.ts';
import { formatDateTime, instantToTokyoInput, tokyoInputToRfc3339 } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { enumLabel, localLabel, recordFieldLabel, severityLabel } from '../i18n/labels.ts';
import { Field, FieldError, SelectField, TextAreaField, TextField, type Option } from './form.tsx';

/** A field's value in a form: text of an input, or a list of documents. */
export type FieldDraft = string | RecordDocument[];
export type RecordDraft = Record<string, FieldDraft>;

/** The form's value of an API value. */
export function fieldDraft(field: WorkflowField, value: unknown): FieldDraft {
    if (field.type === 'documents') {
        return Array.isArray(value) ? (value as RecordDocument[]).map((d) => ({ name: d.name, done: d.done })) : [];
    }
    if (value === null || value === undefined) {
        return '';
    }
    return field.type === 'time' ? instantToTokyoInput(String(value)) : String(value);
}

/** The API value of a form's value; null for empty (which clears on update). */
export function fieldValue(field: WorkflowField, draft: FieldDraft | undefined): RecordFieldValue {
    if (Array.isArray(draft)) {
        const docs = draft.map((d) => ({ name: d.name.trim(), done: d.done })).filter((d) => d.name !== '');
        return docs.length > 0 ? docs : field.type === 'documents' ? [] : null;
    }
    const text = (draft ?? '').trim() === '' ? '' : (draft ?? '');
    if (text === '') {
        return null;
    }
    switch (field.type) {
        case 'time':
            return tokyoInputToRfc3339(text) ?? text;
        case 'user':
        case 'work_item':
        case 'ci':
            return /^\d+$/.test(text.trim()) ? Number(text.trim()) : text;
        default:
            return text;
    }
}

/** The core members that hold an id (organisation, assignee): `''` in a draft for none. */
const ID_MEMBERS = ['organization_id', 'assignee_id'] as const;

function idDraft(value: unknown): string {
    return typeof value === 'number' ? String(value) : '';
}

/** The draft of a whole record: title, description, severity, organisation, assignee and the kind's fields. */
export function recordDraft(workflow: Workflow, record: Record<string, unknown> | null): RecordDraft {
    const draft: RecordDraft = {
        title: String(record?.['title'] ?? ''),
        description: String(record?.['description'] ?? ''),
        severity: String(record?.['severity'] || (workflow.has_severity ? 'medium' : '')),
        organization_id: idDraft(record?.['organization_id']),
        assignee_id: idDraft(record?.['assignee_id']),
    };
    for (const field of workflow.fields) {
        draft[field.name] = fieldDraft(field, record?.[field.name]);
    }
    return draft;
}

/**
 * What to send: against `base` (a record) only what the draft changed (null clears); for a new
 * record (`base` null) every value given.
 */
export function recordInput(workflow: Workflow, base: Record<string, unknown> | null, draft: RecordDraft): RecordInput {
    const input: RecordInput = {};
    const text = (name: string): string => {
        const v = draft[name];
        return typeof v === 'string' ? v : '';
    };
    const title = text('title').trim();
    if (base === null || title !== base['title']) {
        input.title = title;
    }
    const description = text('description');
    if (base === null ? description !== '' : description !== base['description']) {
        input.description = description;
    }
    const severity = text('severity');
    if (workflow.has_severity && severity !== '' && (base === null || severity !== base['severity'])) {
        input.severity = severity as Severity;
    }
    for (const name of ID_MEMBERS) {
        const raw = text(name).trim();
        if (base === null ? raw !== '' : raw !== idDraft(base[name])) {
            // A typed id that is not a number goes as text, so that the server names the field.
            input[name] = raw === '' ? null : /^\d+$/.test(raw) ? Number(raw) : (raw as unknown as number);
        }
    }
    for (const field of workflow.fields) {
        const value = fieldValue(field, draft[field.name]);
        if (base === null) {
            if (value !== null && !(Array.isArray(value) && value.length === 0)) {
                input[field.name] = value;
            }
        } else if (JSON.stringify(fieldDraft(field, base[field.name])) !== JSON.stringify(draft[field.name])) {
            input[field.name] = value;
        }
    }
    return input;
}

/**
 * The users to pick from (the current value kept even when not listed; only it while loading); null
 * when users cannot be listed.
 */
function userOptions(people: User[] | null | undefined, current: string): Option[] | null {
    if (people === null) {
        return null;
    }
    const options = (people ?? [])
        .filter((u) => !u.disabled || String(u.id) === current)
        .map((u) => ({ value: String(u.id), label: `${u.display_name} (${u.login})` }));
    if (current !== '' && !options.some((o) => o.value === current)) {
        options.push({ value: current, label: userName(current) });
    }
    return options;
}

/** A select of users, or the user's id typed in where users cannot be listed (not staff). */
export function UserPicker({
    id,
    label,
    value,
    onValue,
    error,
    readOnly = false,
    required,
    empty,
}: {
    id: string;
    label: string;
    value: string;
    onValue: (value: string) => void;
    error: string | undefined;
    readOnly?: boolean;
    required?: boolean;
    /** The words of the empty choice. */
    empty: string;
}) {
    const options = userOptions(useUsers(), value);
    if (options === null) {
        // Without the list, the id is shown with the name where it is known (oneself).
        const known = value !== '' && userName(value) !== `#${value}` ? userName(value) : undefined;
        return (
            <TextField
                id={id}
                label={`${label} (${t('record.userId')})`}
                value={value}
                onValue={onValue}
                error={error}
                hint={known}
                inputMode="numeric"
                readOnly={readOnly}
                required={required}
            />
        );
    }
    return (
        <SelectField
            id={id}
            label={label}
            value={value}
            onValue={onValue}
            options={[{ value: '', label: empty }, ...options]}
            error={error}
            required={required}
            disabled={readOnly}
        />
    );
}

/** A select of organisations (the current value kept even when not listed). */
export function OrganizationPicker({
    id,
    label,
    value,
    onValue,
    error,
    readOnly = false,
    empty,
}: {
    id: string;
    label: string;
    value: string;
    onValue: (value: string) => void;
    error: string | undefined;
    readOnly?: boolean;
    empty: string;
}) {
    const list = useOrganizations(/^\d+$/.test(value) ? Number(value) : null);
    const options: Option[] = (list ?? [])
        .filter((o) => !o.disabled || String(o.id) === value)
        .map((o) => ({ value: String(o.id), label: o.name }));
    if (value !== '' && !options.some((o) => o.value === value)) {
        options.push({ value, label: organizationName(list, Number(value)) });
    }
    return (
        <SelectField
            id={id}
            label={label}
            value={value}
            onValue={onValue}
            options={[{ value: '', label: empty }, ...options]}
            error={error}
            disabled={readOnly}
        />
    );
}

function DocumentsField({
    id,
    label,
    value,
    onValue,
    error,
    readOnly,
}: {
    id: string;
    label: string;
    value: RecordDocument[];
    onValue: (docs: RecordDocument[]) => void;
    error: string | undefined;
    readOnly: boolean;
}) {
    const change = (i: number, patch: Partial<RecordDocument>): void =>
        onValue(value.map((d, j) => (j === i ? { ...d, ...patch } : d)));
    return (
        <fieldset class={`field field-wide${error ? ' field-invalid' : ''}`} id={id} aria-describedby={error ? `${id}-error` : undefined}>
            <legend>{label}</legend>
            {value.length === 0 && <p class="muted small">{t('record.documentNone')}</p>}
            <ul class="documents">
                {value.map((d, i) => (
                    <li key={i} class="document">
                        <input
                            aria-label={`${t('record.documentName')} ${i + 1}`}
                            value={d.name}
                            readOnly={readOnly}
                            onInput={(e) => change(i, { name: e.currentTarget.value })}
                        />
                        <label class="check">
                            <input
                                type="checkbox"
                                checked={d.done}
                                disabled={readOnly}
                                onChange={(e) => change(i, { done: e.currentTarget.checked })}
                            />
                            {t('record.documentDone')}
                        </label>
                        {!readOnly && (
                            <button
                                type="button"
                                class="button button-small"
                                aria-label={`${t('record.documentRemove')} ${d.name}`}
                                onClick={() => onValue(value.filter((_, j) => j !== i))}
                            >
                                {t('record.documentRemove')}
                            </button>
                        )}
                    </li>
                ))}
            </ul>
            {!readOnly && (
                <div>
                    <button type="button" class="button button-small" onClick={() => onValue([...value, { name: '', done: false }])}>
                        {t('record.documentAdd')}
                    </button>
                </div>
            )}
            <FieldError id={id} error={error} />
        </fieldset>
    );
}

/** A matrix's work items in the table's order, those under the same headings together (headings are not items). */
function workItemGroups(matrix: RaciMatrixDetail): { path: string; items: RaciItem[] }[] {
    const groups: { path: string; items: RaciItem[] }[] = [];
    for (const item of matrix.items) {
        if (item.section) {
            continue;
        }
        const path = item.path.join(' / ');
        const last = groups[groups.length - 1];
        if (last && last.path === path) {
            last.items.push(item);
        } else {
            groups.push({ path, items: [item] });
        }
    }
    return groups;
}

/**
 * What a route means for the form it is chosen in (the sentence under it); a record's form says it by
 * `creating` unless the picker is given one of these (a catalogue service routes its requests).
 */
export type RouteHint = (route: WorkItemRouting) => string;

/** Whom the chosen work item routes to: 主担当 and 協力, as the server will route the record. */
function WorkItemRoute({
    matrix,
    item,
    creating,
    routeHint,
}: {
    matrix: RaciMatrixDetail;
    item: RaciItem;
    creating: boolean;
    routeHint: RouteHint | undefined;
}) {
    const route = workItemRoute(matrix, item, useOrganizations());
    const main = route.main;
    return (
        <div class="work-item-route" data-work-item-route aria-live="polite">
            <p class="work-item-route-title">{t('record.routeTitle')}</p>
            <dl>
                <dt>{t('record.routeMain')}</dt>
                <dd data-route-main>
                    {main === null ? (
                        t('record.routeNoMain')
                    ) : (
                        <>
                            {main.name}
                            {!main.mapped && <span class="muted small"> {t('record.routeUnmapped')}</span>}
                        </>
                    )}
                </dd>
                <dt>{t('record.routeSupport')}</dt>
                <dd data-route-support>
                    {route.support.length === 0 ? (
                        t('record.routeNoSupport')
                    ) : (
                        <ul class="work-item-orgs">
                            {route.support.map((p) => (
                                <li key={p.column.position}>
                                    {p.name}
                                    {!p.mapped && <span class="muted small"> {t('record.routeUnmapped')}</span>}
                                </li>
                            ))}
                        </ul>
                    )}
                </dd>
            </dl>
            {routeHint ? (
                <p class="hint">{routeHint(route)}</p>
            ) : creating ? (
                <p class="hint">
                    {main?.mapped ? t('record.routeAssign', { org: main.name }) : t('record.routeAssignNone')}
                </p>
            ) : (
                <p class="hint">{t('record.routeOnlyAtCreation')}</p>
            )}
        </div>
    );
}

/**
 * A work item of a role division matrix (ORG-3): the matrix (a select, left out when there is only
 * one), then the item (a select grouped by the headings above the items, "112 障害受付"; headings
 * cannot be chosen), optional; under it whom the item routes to.
 */
export function WorkItemPicker({
    id,
    label,
    value,
    onValue,
    error,
    readOnly = false,
    required,
    creating = false,
    routeHint,
}: {
    id: string;
    label: string;
    value: string;
    onValue: (value: string) => void;
    error: string | undefined;
    readOnly?: boolean;
    required?: boolean;
    creating?: boolean;
    /** The sentence under the route, in place of the record form's. */
    routeHint?: RouteHint;
}) {
    const itemId = /^\d+$/.test(value) ? Number(value) : null;
    const list = useRaciMatrices(itemId);
    const found = itemId === null ? undefined : findWorkItem(list, itemId);
    /** The matrix chosen in the select while no item of it is (the item's own matrix otherwise). */
    const [chosen, setChosen] = useState('');
    const matrix = found?.matrix ?? list?.find((m) => String(m.id) === chosen) ?? list?.[0];
    const chooseMatrix = (next: string): void => {
        setChosen(next);
        if (found && String(found.matrix.id) !== next) {
            onValue('');
        }
    };
    const hint =
        list === null
            ? t('common.loading')
            : list.length === 0
              ? t('record.workItemNoMatrix')
              : list.length === 1 && matrix
                ? t('record.workItemOf', { name: matrix.name })
                : undefined;
    return (
        <div class="field-wide work-item" data-work-item-picker>
            {list !== null && list.length > 1 && (
                <SelectField
                    id={`${id}-matrix`}
                    label={t('record.workItemMatrix')}
                    value={matrix ? String(matrix.id) : ''}
                    onValue={chooseMatrix}
                    options={list.map((m) => ({ value: String(m.id), label: m.name }))}
                    error={undefined}
                    disabled={readOnly}
                />
            )}
            <Field id={id} label={label} hint={hint} error={error} required={required}>
                {(describedBy, invalid) => (
                    <select
                        id={id}
                        name={id}
                        aria-describedby={describedBy}
                        aria-invalid={invalid || undefined}
                        value={value}
                        onChange={(e) => onValue(e.currentTarget.value)}
                        required={required}
                        disabled={readOnly || (list !== null && list.length === 0 && value === '')}
                    >
                        <option value="">{t('record.unset')}</option>
                        {value !== '' && !found && <option value={value}>{list === null ? t('common.loading') : `#${value}`}</option>}
                        {matrix &&
                            workItemGroups(matrix).map((g) => {
                                const options = g.items.map((i) => (
                                    <option key={i.id} value={String(i.id)}>
                                        {workItemLabel(i)}
                                    </option>
                                ));
                                return g.path === '' ? (
                                    options
                                ) : (
                                    <optgroup key={`${g.path}-${g.items[0]?.id}`} label={g.path}>
                                        {options}
                                    </optgroup>
                                );
                            })}
                    </select>
                )}
            </Field>
            {found && <WorkItemRoute matrix={found.matrix} item={found.item} creating={creating} routeHint={routeHint} />}
        </div>
    );
}

/**
 * The configuration item a record is about: a select of the items by name (the current value kept
 * even when not listed), the chosen one linked to its page under it; read only, the item's name as
 * that link (or 未設定).
 */
export function CiPicker({
    id,
    label,
    value,
    onValue,
    error,
    readOnly = false,
    required,
    empty,
}: {
    id: string;
    label: string;
    value: string;
    onValue: (value: string) => void;
    error: string | undefined;
    readOnly?: boolean;
    required?: boolean;
    /** The words of the empty choice (未設定 unless told). */
    empty?: string;
}) {
    const itemId = /^\d+$/.test(value) ? Number(value) : null;
    const list = useCis(itemId);
    const link =
        itemId === null ? null : (
            <Link href={`/cis/${itemId}`} data-ci-link={itemId}>
                {ciName(list, itemId)}
            </Link>
        );
    if (readOnly) {
        return (
            <div class="field" data-ci-field>
                <div class="field-label">
                    <span id={`${id}-label`}>{label}</span>
                </div>
                <p class="field-value" id={id} aria-labelledby={`${id}-label`}>
                    {link ?? <span class="muted">{empty ?? t('record.unset')}</span>}
                </p>
            </div>
        );
    }
    const options: Option[] = (list ?? []).map((c) => ({ value: String(c.id), label: c.version ? `${c.name} (${c.version})` : c.name }));
    if (value !== '' && !options.some((o) => o.value === value)) {
        options.push({ value, label: list === null ? t('common.loading') : `#${value}` });
    }
    return (
        <Field id={id} label={label} error={error} required={required}>
            {(describedBy, invalid) => (
                <>
                    <select
                        id={id}
                        name={id}
                        aria-describedby={describedBy}
                        aria-invalid={invalid || undefined}
                        value={value}
                        onChange={(e) => onValue(e.currentTarget.value)}
                        required={required}
                    >
                        <option value="">{empty ?? t('record.unset')}</option>
                        {options.map((o) => (
                            <option key={o.value} value={o.value}>
                                {o.label}
                            </option>
                        ))}
                    </select>
                    {link && (
                        <p class="hint" data-ci-field>
                            {t('record.ciPage')} {link}
                        </p>
                    )}
                </>
            )}
        </Field>
    );
}

/** One of the kind's fields as a labelled control. */
export function RecordFieldInput({
    field,
    value,
    onValue,
    error,
    readOnly = false,
    required,
    idPrefix = 'rec',
    creating = false,
}: {
    field: WorkflowField;
    value: FieldDraft | undefined;
    onValue: (value: FieldDraft) => void;
    error: string | undefined;
    readOnly?: boolean;
    required?: boolean;
    /** Keeps ids unique when a field appears in two forms of one page. */
    idPrefix?: string;
    /** A new record's form (a work item then routes it). */
    creating?: boolean;
}) {
    const id = `${idPrefix}-${field.name}`;
    const label = localLabel(field);
    const text = typeof value === 'string' ? value : '';
    const common = { id, label, value: text, onValue, error };
    switch (field.type) {
        case 'documents':
            return (
                <DocumentsField
                    id={id}
                    label={label}
                    value={Array.isArray(value) ? value : []}
                    onValue={onValue}
                    error={error}
                    readOnly={readOnly}
                />
            );
        case 'long_text':
            return <TextAreaField {...common} readOnly={readOnly} />;
        case 'user':
            return <UserPicker {...common} readOnly={readOnly} required={required} empty={t('form.choose')} />;
        case 'work_item':
            return <WorkItemPicker {...common} readOnly={readOnly} required={required} creating={creating} />;
        case 'ci':
            return <CiPicker {...common} readOnly={readOnly} required={required} />;
        case 'enum':
            return (
                <SelectField
                    {...common}
                    options={[
                        { value: '', label: t('form.choose') },
                        ...field.options.map((o) => ({ value: o, label: enumLabel(field.name, o) })),
                    ]}
                    required={required}
                    disabled={readOnly}
                />
            );
        case 'time':
            return (
                <TextField {...common} type="datetime-local" hint={t('record.timeHint')} readOnly={readOnly} required={required} />
            );
        case 'date':
            return <TextField {...common} type="date" readOnly={readOnly} required={required} />;
        default:
            return <TextField {...common} readOnly={readOnly} required={required} maxLength={2000} />;
    }
}

/** Title, severity (kinds with severity) and description, then every field of the kind. */
export function RecordFields({
    workflow,
    draft,
    set,
    errors,
    readOnly,
    creating,
}: {
    workflow: Workflow;
    draft: RecordDraft;
    set: (patch: RecordDraft) => void;
    errors: Record<string, string>;
    readOnly: boolean;
    creating: boolean;
}) {
    const text = (name: string): string => {
        const v = draft[name];
        return typeof v === 'string' ? v : '';
    };
    return (
        <div class="form-grid">
            <TextField
                id="rec-title"
                label={recordFieldLabel(workflow, 'title')}
                value={text('title')}
                onValue={(title) => set({ title })}
                error={errors['title']}
                required
                readOnly={readOnly}
                maxLength={200}
                wide
            />
            {workflow.has_severity && (
                <SelectField
                    id="rec-severity"
                    label={recordFieldLabel(workflow, 'severity')}
                    value={text('severity')}
                    onValue={(severity) => set({ severity })}
                    options={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))}
                    error={errors['severity']}
                    disabled={readOnly}
                />
            )}
            <OrganizationPicker
                id="rec-organization"
                label={recordFieldLabel(workflow, 'organization_id')}
                value={text('organization_id')}
                onValue={(organization_id) => set({ organization_id })}
                error={errors['organization_id']}
                readOnly={readOnly}
                empty={t('record.unset')}
            />
            <UserPicker
                id="rec-assignee"
                label={recordFieldLabel(workflow, 'assignee_id')}
                value={text('assignee_id')}
                onValue={(assignee_id) => set({ assignee_id })}
                error={errors['assignee_id']}
                readOnly={readOnly}
                empty={t('record.unset')}
            />
            {workflow.fields.map((field) => (
                <RecordFieldInput
                    key={field.name}
                    field={field}
                    value={draft[field.name]}
                    onValue={(v) => set({ [field.name]: v })}
                    error={errors[field.name]}
                    readOnly={readOnly}
                    required={creating && field.required_at_creation}
                    creating={creating}
                />
            ))}
            <TextAreaField
                id="rec-description"
                label={recordFieldLabel(workflow, 'description')}
                value={text('description')}
                onValue={(description) => set({ description })}
                error={errors['description']}
                readOnly={readOnly}
            />
        </div>
    );
}

/**
 * A field's value in words (timeline, conflicts): times in the display zone, enums and users named,
 * a work item as "112 障害受付 (matrix)", a configuration item by its name.
 */
export function fieldText(workflow: Workflow, name: string, value: unknown): string {
    if (value === null || value === undefined || value === '') {
        return t('common.empty');
    }
    if (name === 'severity') {
        return severityLabel(String(value));
    }
    if (name === 'organization_id') {
        return organizationName(organizations.value, Number(value));
    }
    if (name === 'assignee_id') {
        return userName(value);
    }
    const field = workflow.fields.find((f) => f.name === name);
    switch (field?.type) {
        case 'time':
            return formatDateTime(String(value));
        case 'enum':
            return enumLabel(name, String(value));
        case 'user':
            return userName(value);
        case 'work_item': {
            const found = findWorkItem(raciMatrices.value, Number(value));
            return found ? `${workItemLabel(found.item)} (${found.matrix.name})` : `#${String(value)}`;
        }
        case 'ci':
            return ciName(cis.value, Number(value));
        case 'documents': {
            const docs = Array.isArray(value) ? (value as RecordDocument[]) : [];
            return docs.map((d) => `${d.done ? '☑' : '☐'} ${d.name}`).join('、') || t('common.empty');
        }
        default:
            return String(value);
    }
}
