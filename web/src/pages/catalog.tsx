// The service catalogue (サービスカタログ, docs/catalog.md): every signed-in user sees the services
// they may request, each with its description and a request form drawn from the service's `form`
// data (text, long text, date, a choice of options; required ones marked) and an optional title.
// Sending it makes a request record; its key and a link to it are shown, the server's refusals
// (`answers.NAME`) at their fields. Admins and managers add a service below the list.

import { useId, useState } from 'preact/hooks';

import {
    REQUEST_TYPES,
    ROLES,
    type CatalogFormField,
    type CatalogService,
    type LedgerRecord,
    type Role,
} from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { fieldErrors } from '../components/errors.ts';
import { CheckField, Field, FieldSet, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { Alert, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { isMessageKey, t } from '../i18n/index.ts';
import { roleLabel } from '../i18n/labels.ts';

/** Who adds services. */
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
                <ServiceCard key={s.id} service={s} />
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

/** A service: its description and its request form. */
function ServiceCard({ service }: { service: CatalogService }) {
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
        <Section title={service.name} class="catalog-service">
            <div data-catalog-service={service.id}>
                {service.description && <p class="catalog-description">{service.description}</p>}
                <p class="small muted">
                    {t('catalog.meta', { type: requestTypeLabel(service.request_type), days: String(service.lead_time_days) })}
                </p>
                {made && (
                    <Alert tone="success" title={t('catalog.accepted', { key: made.key })}>
                        <Link href={`/requests/${made.id}`}>{t('catalog.openRequest', { key: made.key })}</Link>
                    </Alert>
                )}
                <ServerForm
                    action={action}
                    shown={shown}
                    aria-label={t('catalog.requestForm', { name: service.name })}
                    onSubmit={() => void send()}
                >
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
            </div>
        </Section>
    );
}

const FORM_EXAMPLE = `[
  {"name": "place", "label": "設置場所", "type": "text", "required": true},
  {"name": "kind", "label": "種類", "type": "enum", "options": ["モノクロ", "カラー"]},
  {"name": "when", "label": "希望日", "type": "date"}
]`;

/** An admin's or a manager's new service. */
function CreateServicePanel({ onCreated }: { onCreated: () => void }) {
    const id = useId();
    const [name, setName] = useState('');
    const [description, setDescription] = useState('');
    const [type, setType] = useState<string>('other');
    const [roles, setRoles] = useState<Role[]>(['requester']);
    const [workItem, setWorkItem] = useState('');
    const [leadTime, setLeadTime] = useState('5');
    const [form, setForm] = useState('[]');
    const [formError, setFormError] = useState<string | undefined>(undefined);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const send = async (): Promise<void> => {
        setFormError(undefined);
        let fields: CatalogFormField[];
        try {
            const parsed: unknown = JSON.parse(form.trim() === '' ? '[]' : form);
            if (!Array.isArray(parsed)) {
                throw new Error('not a list');
            }
            fields = parsed as CatalogFormField[];
        } catch {
            setFormError(t('catalog.formJsonBad'));
            return;
        }
        const created = await action.run(async () => {
            const s = await api.createCatalogService({
                name: name.trim(),
                description: description.trim(),
                request_type: type,
                requester_roles: roles,
                work_item_id: workItem.trim() === '' ? null : Number(workItem),
                lead_time_days: Number(leadTime || '0'),
                form: fields,
            });
            return t('catalog.created', { name: s.name });
        });
        if (created === null) {
            setName('');
            setDescription('');
            setForm('[]');
            onCreated();
        }
    };
    // The form's members (`form[0].type`) have no field of their own: the JSON field says them.
    const formKeys = Object.keys(errors).filter((k) => k === 'form' || k.startsWith('form['));
    const formErrors = formKeys.map((k) => `${k}: ${errors[k]}`).join(' ');
    const formFieldError = formError ?? (formErrors === '' ? undefined : formErrors);
    return (
        <Section title={t('catalog.createTitle')}>
            <ServerForm
                action={action}
                shown={['name', 'description', 'request_type', 'requester_roles', 'work_item_id', 'lead_time_days', ...formKeys]}
                data-catalog-create
                onSubmit={() => void send()}
            >
                <div class="form-grid">
                    <TextField id={`${id}-name`} label={t('catalog.name')} value={name} onValue={setName} error={errors['name']} required maxLength={200} />
                    <SelectField
                        id={`${id}-type`}
                        label={t('catalog.requestType')}
                        value={type}
                        onValue={setType}
                        error={errors['request_type']}
                        options={REQUEST_TYPES.map((r) => ({ value: r, label: requestTypeLabel(r) }))}
                    />
                    <TextAreaField id={`${id}-description`} label={t('catalog.serviceDescription')} value={description} onValue={setDescription} error={errors['description']} />
                    <FieldSet id={`${id}-roles`} legend={t('catalog.requesterRoles')} error={errors['requester_roles']}>
                        {ROLES.map((r) => (
                            <CheckField
                                key={r}
                                id={`${id}-role-${r}`}
                                label={roleLabel(r)}
                                checked={roles.includes(r)}
                                onChecked={(on) => setRoles((rs) => (on ? [...rs.filter((x) => x !== r), r] : rs.filter((x) => x !== r)))}
                            />
                        ))}
                    </FieldSet>
                    <TextField
                        id={`${id}-work-item`}
                        label={t('catalog.workItem')}
                        hint={t('catalog.workItemHint')}
                        type="number"
                        min={1}
                        value={workItem}
                        onValue={setWorkItem}
                        error={errors['work_item_id']}
                    />
                    <TextField
                        id={`${id}-lead`}
                        label={t('catalog.leadTime')}
                        type="number"
                        min={0}
                        max={365}
                        value={leadTime}
                        onValue={setLeadTime}
                        error={errors['lead_time_days']}
                    />
                    <Field id={`${id}-form`} label={t('catalog.formJson')} hint={t('catalog.formJsonHint', { example: FORM_EXAMPLE })} error={formFieldError} wide>
                        {(describedBy, invalid) => (
                            <textarea
                                id={`${id}-form`}
                                name={`${id}-form`}
                                class="mono"
                                rows={6}
                                value={form}
                                aria-describedby={describedBy}
                                aria-invalid={invalid || undefined}
                                onInput={(e) => setForm(e.currentTarget.value)}
                            />
                        )}
                    </Field>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled={action.busy || name.trim() === ''}>
                        {t('catalog.create')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}
