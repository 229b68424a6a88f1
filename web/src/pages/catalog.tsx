// The service catalogue (サービスカタログ, docs/catalog.md): every signed-in user sees the services
// they may request, each with its description and a request form drawn from the service's `form`
// data (text, long text, date, a choice of options; required ones marked) and an optional title.
// Sending it makes a request record; its key and a link to it are shown, the server's refusals
// (`answers.NAME`) at their fields. Admins and managers add a service below the list, and on each
// service change it (the same form, prefilled, sent with If-Match: a 412 shows the server's message
// and loads the latest version) or withdraw it (受付停止: gone from requesters' portals, its requests
// kept) and offer it again. A service's requests are routed by a work item of a role division
// matrix, picked as the record forms pick one.

import { useId, useState } from 'preact/hooks';

import {
    ApiError,
    REQUEST_TYPES,
    ROLES,
    type CatalogFormField,
    type CatalogService,
    type CatalogServiceCreate,
    type LedgerRecord,
    type Resource,
    type Role,
} from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { ServerForm, useAction, type Action } from '../components/action.tsx';
import { changedMembers } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { CheckField, Field, FieldSet, FormErrors, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { WorkItemPicker, type RouteHint } from '../components/record-fields.tsx';
import { Alert, Badge, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { isMessageKey, t } from '../i18n/index.ts';
import { roleLabel } from '../i18n/labels.ts';

/** Who adds, changes and withdraws services. */
const CATALOG_EDITORS = ['admin', 'manager'] as const;

/** A request type in words (printer → プリンタ). */
function requestTypeLabel(type: string): string {
    const key = `catalog.type.${type}`;
    return isMessageKey(key) ? t(key) : type;
}

export function CatalogPage() {
    const list = useLoad(() => api.listCatalog(), []);
    const editor = hasRole(...CATALOG_EDITORS);
    const items = list.data?.items ?? [];
    return (
        <>
            <PageHeader title={t('catalog.title')} description={t('catalog.description')} />
            {list.error !== null && <ErrorAlert error={list.error} />}
            {list.loading && list.data === null && <Loading />}
            {list.data !== null && items.length === 0 && <p class="muted">{t('catalog.none')}</p>}
            {items.map((s) => (
                <ServiceCard
                    key={s.id}
                    service={s}
                    editor={editor}
                    onChanged={(changed) =>
                        changed ? list.set({ items: items.map((x) => (x.id === changed.id ? changed : x)) }) : list.reload()
                    }
                />
            ))}
            {editor && <CreateServicePanel onCreated={() => list.reload()} />}
        </>
    );
}

/** One answer's control, by the field's type. */
function AnswerField({
    id,
    field,
    value,
    onValue,
    error,
}: {
    id: string;
    field: CatalogFormField;
    value: string;
    onValue: (v: string) => void;
    error: string | undefined;
}) {
    const required = field.required === true;
    switch (field.type) {
        case 'long_text':
            return <TextAreaField id={id} label={field.label} value={value} onValue={onValue} error={error} required={required} />;
        case 'date':
            return <TextField id={id} label={field.label} type="date" value={value} onValue={onValue} error={error} required={required} />;
        case 'enum':
            return (
                <SelectField
                    id={id}
                    label={field.label}
                    value={value}
                    onValue={onValue}
                    error={error}
                    required={required}
                    options={[{ value: '', label: t('catalog.choose') }, ...(field.options ?? []).map((o) => ({ value: o, label: o }))]}
                />
            );
        default:
            return <TextField id={id} label={field.label} value={value} onValue={onValue} error={error} required={required} />;
    }
}

/**
 * A service: its description and (while offered) its request form. Editors also see whether it is
 * withdrawn (受付停止) and change it here: edit it, withdraw it or offer it again.
 */
function ServiceCard({
    service,
    editor,
    onChanged,
}: {
    service: CatalogService;
    editor: boolean;
    /** The service as a change answered it (shown in its place), or nothing when the list is to be loaded again. */
    onChanged: (changed?: CatalogService) => void;
}) {
    const [editing, setEditing] = useState(false);
    const [saved, setSaved] = useState<string | null>(null);
    const toggle = useAction();
    const withdrawn = !service.enabled;
    const setEnabled = async (enabled: boolean): Promise<void> => {
        setSaved(null);
        const failed = await toggle.run(async () => {
            // The version listed: a change made since then is refused (412) rather than overwritten.
            const res = await api.updateCatalogService(service.id, { enabled }, `"${service.version}"`);
            onChanged(res.data);
            return enabled ? t('catalog.offeredAgain', { name: service.name }) : t('catalog.withdrawnDone', { name: service.name });
        });
        if (failed instanceof ApiError && failed.status === 412) {
            onChanged();
        }
    };
    return (
        <Section title={service.name} class="catalog-service">
            <div data-catalog-service={service.id}>
                {withdrawn && (
                    <p class="catalog-state" data-catalog-withdrawn>
                        <Badge tone="warning">{t('catalog.withdrawn')}</Badge> <span class="small muted">{t('catalog.withdrawnHint')}</span>
                    </p>
                )}
                {service.description && <p class="catalog-description">{service.description}</p>}
                <p class="small muted">
                    {t('catalog.meta', { type: requestTypeLabel(service.request_type), days: String(service.lead_time_days) })}
                </p>
                {saved && <Alert tone="success" title={saved} />}
                {toggle.done && <Alert tone="success" title={toggle.done} />}
                {toggle.error !== null && <ErrorAlert error={toggle.error} />}
                {editor && !editing && (
                    <div class="form-actions catalog-admin">
                        <button
                            type="button"
                            class="button"
                            disabled={toggle.busy}
                            onClick={() => {
                                setSaved(null);
                                toggle.reset();
                                setEditing(true);
                            }}
                        >
                            {t('catalog.edit')}
                        </button>
                        <button
                            type="button"
                            class={withdrawn ? 'button' : 'button button-danger'}
                            disabled={toggle.busy}
                            onClick={() => void setEnabled(withdrawn)}
                        >
                            {withdrawn ? t('catalog.offerAgain') : t('catalog.withdraw')}
                        </button>
                    </div>
                )}
                {editing ? (
                    <ServiceEditForm
                        serviceId={service.id}
                        onSaved={(s) => {
                            setEditing(false);
                            setSaved(t('catalog.saved', { name: s.name }));
                            onChanged(s);
                        }}
                        onReloaded={() => onChanged()}
                        onCancel={() => setEditing(false)}
                    />
                ) : (
                    !withdrawn && <RequestForm service={service} />
                )}
            </div>
        </Section>
    );
}

/** A service's request form: an optional title and the service's own fields. */
function RequestForm({ service }: { service: CatalogService }) {
    const id = useId();
    const [title, setTitle] = useState('');
    const [answers, setAnswers] = useState<Record<string, string>>({});
    const [made, setMade] = useState<LedgerRecord | null>(null);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const shown = ['title', ...service.form.map((f) => `answers.${f.name}`)];
    const send = async (): Promise<void> => {
        setMade(null);
        const given: Record<string, string> = {};
        for (const f of service.form) {
            const v = (answers[f.name] ?? '').trim();
            if (v !== '') {
                given[f.name] = v;
            }
        }
        await action.run(async () => {
            const r = await api.requestCatalogService(service.id, title.trim() ? { title: title.trim(), answers: given } : { answers: given });
            setMade(r);
            setTitle('');
            setAnswers({});
            return '';
        });
    };
    return (
        <>
            {made && (
                <Alert tone="success" title={t('catalog.accepted', { key: made.key })}>
                    <Link href={`/requests/${made.id}`}>{t('catalog.openRequest', { key: made.key })}</Link>
                </Alert>
            )}
            <ServerForm action={action} shown={shown} aria-label={t('catalog.requestForm', { name: service.name })} onSubmit={() => void send()}>
                <div class="form-grid">
                    <TextField
                        id={`${id}-title`}
                        label={t('catalog.requestTitle')}
                        value={title}
                        onValue={setTitle}
                        error={errors['title']}
                        maxLength={200}
                    />
                    {service.form.map((f) => (
                        <AnswerField
                            key={f.name}
                            id={`${id}-f-${f.name}`}
                            field={f}
                            value={answers[f.name] ?? ''}
                            onValue={(v) => setAnswers((a) => ({ ...a, [f.name]: v }))}
                            error={errors[`answers.${f.name}`]}
                        />
                    ))}
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled={action.busy}>
                        {t('catalog.request')}
                    </button>
                </div>
            </ServerForm>
        </>
    );
}

const FORM_EXAMPLE = `[
  {"name": "place", "label": "設置場所", "type": "text", "required": true},
  {"name": "kind", "label": "種類", "type": "enum", "options": ["モノクロ", "カラー"]},
  {"name": "when", "label": "希望日", "type": "date"}
]`;

/** A service as its form holds it: every member as typed (the request form as JSON text). */
interface ServiceDraft {
    name: string;
    description: string;
    request_type: string;
    requester_roles: Role[];
    work_item_id: string;
    lead_time_days: string;
    form: string;
}

const NEW_SERVICE: ServiceDraft = {
    name: '',
    description: '',
    request_type: 'other',
    requester_roles: ['requester'],
    work_item_id: '',
    lead_time_days: '5',
    form: '[]',
};

/** The members that have a field of their own (a 422's others are listed above the form). */
const SERVICE_SHOWN = ['name', 'description', 'request_type', 'requester_roles', 'work_item_id', 'lead_time_days'] as const;

function serviceDraft(s: CatalogService): ServiceDraft {
    return {
        name: s.name,
        description: s.description,
        request_type: s.request_type,
        requester_roles: [...s.requester_roles],
        work_item_id: s.work_item_id === null ? '' : String(s.work_item_id),
        lead_time_days: String(s.lead_time_days),
        form: s.form.length === 0 ? '[]' : JSON.stringify(s.form, null, 2),
    };
}

/** The form's JSON as the list of fields, or null when it is not a JSON list. */
function parseFormJson(text: string): CatalogFormField[] | null {
    try {
        const parsed: unknown = JSON.parse(text.trim() === '' ? '[]' : text);
        return Array.isArray(parsed) ? (parsed as CatalogFormField[]) : null;
    } catch {
        return null;
    }
}

/** Every member as the API takes it (roles in the usual order, so that ticking order does not count). */
function serviceInput(d: ServiceDraft, form: CatalogFormField[]): CatalogServiceCreate {
    return {
        name: d.name.trim(),
        description: d.description.trim(),
        request_type: d.request_type,
        requester_roles: ROLES.filter((r) => d.requester_roles.includes(r)),
        work_item_id: d.work_item_id === '' ? null : Number(d.work_item_id),
        lead_time_days: Number(d.lead_time_days || '0'),
        form,
    };
}

/** Under the work item: whom the service's requests will go to. */
const serviceRouteHint: RouteHint = (route) =>
    route.main?.mapped ? t('catalog.routeAssign', { org: route.main.name }) : t('catalog.routeAssignNone');

/** A service's members as form fields, for adding a service and for changing one. */
function ServiceFields({
    draft,
    set,
    errors,
    formError,
}: {
    draft: ServiceDraft;
    set: (patch: Partial<ServiceDraft>) => void;
    errors: Record<string, string>;
    /** The request form's JSON cannot be read (said before sending). */
    formError: string | undefined;
}) {
    const id = useId();
    // The form's members (`form[0].type`) have no field of their own: the JSON field says them.
    const formKeys = Object.keys(errors).filter((k) => k === 'form' || k.startsWith('form['));
    const formErrors = formKeys.map((k) => `${k}: ${errors[k]}`).join(' ');
    const formFieldError = formError ?? (formErrors === '' ? undefined : formErrors);
    return (
        <div class="form-grid">
            <TextField id={`${id}-name`} label={t('catalog.name')} value={draft.name} onValue={(name) => set({ name })} error={errors['name']} required maxLength={200} />
            <SelectField
                id={`${id}-type`}
                label={t('catalog.requestType')}
                value={draft.request_type}
                onValue={(request_type) => set({ request_type })}
                error={errors['request_type']}
                options={REQUEST_TYPES.map((r) => ({ value: r, label: requestTypeLabel(r) }))}
            />
            <TextAreaField
                id={`${id}-description`}
                label={t('catalog.serviceDescription')}
                value={draft.description}
                onValue={(description) => set({ description })}
                error={errors['description']}
            />
            <FieldSet id={`${id}-roles`} legend={t('catalog.requesterRoles')} error={errors['requester_roles']}>
                {ROLES.map((r) => (
                    <CheckField
                        key={r}
                        id={`${id}-role-${r}`}
                        label={roleLabel(r)}
                        checked={draft.requester_roles.includes(r)}
                        onChecked={(on) =>
                            set({ requester_roles: on ? [...draft.requester_roles.filter((x) => x !== r), r] : draft.requester_roles.filter((x) => x !== r) })
                        }
                    />
                ))}
            </FieldSet>
            <WorkItemPicker
                id={`${id}-work-item`}
                label={t('catalog.workItem')}
                value={draft.work_item_id}
                onValue={(work_item_id) => set({ work_item_id })}
                error={errors['work_item_id']}
                routeHint={serviceRouteHint}
            />
            <TextField
                id={`${id}-lead`}
                label={t('catalog.leadTime')}
                type="number"
                min={0}
                max={365}
                value={draft.lead_time_days}
                onValue={(lead_time_days) => set({ lead_time_days })}
                error={errors['lead_time_days']}
            />
            <Field id={`${id}-form`} label={t('catalog.formJson')} hint={t('catalog.formJsonHint', { example: FORM_EXAMPLE })} error={formFieldError} wide>
                {(describedBy, invalid) => (
                    <textarea
                        id={`${id}-form`}
                        name={`${id}-form`}
                        class="mono"
                        rows={6}
                        value={draft.form}
                        aria-describedby={describedBy}
                        aria-invalid={invalid || undefined}
                        onInput={(e) => set({ form: e.currentTarget.value })}
                    />
                )}
            </Field>
        </div>
    );
}

/** The fields the form shows of a failure: its own, and the request form's members (`form[1].type`). */
function shownOf(action: Action): string[] {
    return [...SERVICE_SHOWN, ...Object.keys(fieldErrors(action.error)).filter((k) => k === 'form' || k.startsWith('form['))];
}

/** An admin's or a manager's new service. */
function CreateServicePanel({ onCreated }: { onCreated: () => void }) {
    const [draft, setDraft] = useState<ServiceDraft>(NEW_SERVICE);
    const [formError, setFormError] = useState<string | undefined>(undefined);
    const action = useAction();
    const set = (patch: Partial<ServiceDraft>): void => setDraft((d) => ({ ...d, ...patch }));
    const send = async (): Promise<void> => {
        const fields = parseFormJson(draft.form);
        setFormError(fields === null ? t('catalog.formJsonBad') : undefined);
        if (fields === null) {
            return;
        }
        const created = await action.run(async () => {
            const s = await api.createCatalogService(serviceInput(draft, fields));
            return t('catalog.created', { name: s.name });
        });
        if (created === null) {
            // Kept for the next service: its type, roles, work item and lead time.
            set({ name: '', description: '', form: '[]' });
            onCreated();
        }
    };
    return (
        <Section title={t('catalog.createTitle')}>
            <ServerForm action={action} shown={shownOf(action)} data-catalog-create onSubmit={() => void send()}>
                <ServiceFields draft={draft} set={set} errors={fieldErrors(action.error)} formError={formError} />
                <div class="form-actions">
                    <button type="submit" class="button" disabled={action.busy || draft.name.trim() === ''}>
                        {t('catalog.create')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

/**
 * A service's form, prefilled with the service as read now; saving sends the members changed with
 * its ETag. On a 412 nothing is saved: the latest version is read into the form (which starts
 * afresh from it) and the server's message is shown above it.
 */
function ServiceEditForm({
    serviceId,
    onSaved,
    onReloaded,
    onCancel,
}: {
    serviceId: number;
    onSaved: (service: CatalogService) => void;
    onReloaded: () => void;
    onCancel: () => void;
}) {
    const loaded = useLoad(() => api.getCatalogService(serviceId), [serviceId]);
    /** The 412 that made the form read the latest version (shown until the next save). */
    const [conflict, setConflict] = useState<unknown>(null);
    if (loaded.data === null) {
        return loaded.error !== null ? <ErrorAlert error={loaded.error} /> : <Loading />;
    }
    const refused = async (err: ApiError): Promise<void> => {
        try {
            loaded.set(await api.getCatalogService(serviceId));
        } catch {
            // The form stays on the version it had; the list, loaded again, says more.
        }
        setConflict(err);
        onReloaded();
    };
    return (
        <ServiceEditFields
            key={loaded.data.data.version}
            read={loaded.data}
            conflict={conflict}
            onSaving={() => setConflict(null)}
            onConflict={(err) => void refused(err)}
            onSaved={onSaved}
            onCancel={onCancel}
        />
    );
}

function ServiceEditFields({
    read,
    conflict,
    onSaving,
    onConflict,
    onSaved,
    onCancel,
}: {
    read: Resource<CatalogService>;
    conflict: unknown;
    onSaving: () => void;
    onConflict: (err: ApiError) => void;
    onSaved: (service: CatalogService) => void;
    onCancel: () => void;
}) {
    const service = read.data;
    const [draft, setDraft] = useState<ServiceDraft>(() => serviceDraft(service));
    const [formError, setFormError] = useState<string | undefined>(undefined);
    const action = useAction();
    const set = (patch: Partial<ServiceDraft>): void => setDraft((d) => ({ ...d, ...patch }));
    const dirty = JSON.stringify(draft) !== JSON.stringify(serviceDraft(service));
    const save = async (): Promise<void> => {
        const fields = parseFormJson(draft.form);
        setFormError(fields === null ? t('catalog.formJsonBad') : undefined);
        if (fields === null) {
            return;
        }
        onSaving();
        const patch = changedMembers(serviceInput(serviceDraft(service), service.form), serviceInput(draft, fields));
        const failed = await action.run(async () => {
            const res = await api.updateCatalogService(service.id, patch, read.etag ?? `"${service.version}"`);
            onSaved(res.data);
            return '';
        });
        if (failed instanceof ApiError && failed.status === 412) {
            onConflict(failed);
        }
    };
    return (
        <ServerForm
            action={action}
            shown={shownOf(action)}
            data-catalog-edit
            aria-label={t('catalog.editTitle', { name: service.name })}
            onSubmit={() => void save()}
        >
            {conflict !== null && action.error === null && (
                <>
                    <FormErrors error={conflict} shown={[]} />
                    <Alert tone="info" title={t('catalog.reloaded')} />
                </>
            )}
            <ServiceFields draft={draft} set={set} errors={fieldErrors(action.error)} formError={formError} />
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled={action.busy || !dirty}>
                    {action.busy ? t('common.saving') : t('common.save')}
                </button>
                <button type="button" class="button" disabled={action.busy} onClick={onCancel}>
                    {t('common.cancel')}
                </button>
                {dirty && <span class="unsaved">{t('common.unsaved')}</span>}
            </div>
        </ServerForm>
    );
}
