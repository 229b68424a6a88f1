// Integration partners (連携先一覧, issue 7: CFG-3, INC-11; docs/partners.md).
//
// `/partners` lists the systems ours exchange data with in one format for every system (連携先,
// 所管課, ベンダー, 連携する構成アイテム, 方向, タイミング, サイクル, プロトコル, 経路, 当日再送要否,
// 連絡先); admins and managers register one below the list. `/partners/{id}` shows one; admins and
// managers edit it there (every member, the contacts as rows, sent with If-Match; a 412 says so and
// loads the latest) and delete it after a confirmation. A refusal names its fields, a contact's
// members at their row (`contacts[0].email`). The list names people and their addresses, so
// requesters do not see it; a configuration item's page lists the partners connected to it.

import { useId, useState } from 'preact/hooks';

import {
    PARTNER_DIRECTIONS,
    PARTNER_RESENDS,
    PARTNER_ROUTES,
    type ConfigurationItem,
    type Id,
    type Partner,
    type PartnerContact,
    type PartnerDirection,
    type PartnerInput,
    type PartnerResend,
    type PartnerRoute,
    type Resource,
    type Role,
} from '../api/client.ts';
import { ciName, useCis } from '../app/cis.ts';
import { flash } from '../app/flash.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { etagOf } from '../components/editable.ts';
import { ResourceEditForm } from '../components/edit-form.tsx';
import { fieldErrors } from '../components/errors.ts';
import { contactInput, ContactsField, contactText } from '../components/contacts.tsx';
import { CheckField, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { CiPicker } from '../components/record-fields.tsx';
import { Breadcrumb, DeleteRecord } from '../components/record.tsx';
import { LoadedTable } from '../components/table.tsx';
import { Alert, Badge, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad, type Loaded } from '../components/use-load.ts';
import { t } from '../i18n/index.ts';

/** Who reads the list (not requesters: it names people and their addresses). */
export const PARTNER_READERS: readonly Role[] = ['admin', 'manager', 'operator', 'vendor', 'viewer'];
/** Who registers, changes and deletes partners. */
const PARTNER_EDITORS = ['admin', 'manager'] as const;

function directionLabel(d: PartnerDirection): string {
    return t(`partners.direction.${d}`);
}

function routeLabel(r: PartnerRoute): string {
    return t(`partners.route.${r}`);
}

function resendLabel(r: PartnerResend): string {
    return t(`partners.resend.${r}`);
}

function Contacts({ contacts }: { contacts: readonly PartnerContact[] }) {
    if (contacts.length === 0) {
        return <span class="muted">{t('common.none')}</span>;
    }
    return (
        <ul class="plain-list">
            {contacts.map((c, i) => (
                <li key={i} data-contact={i}>
                    {contactText(c)}
                </li>
            ))}
        </ul>
    );
}

function CiLink({ list, id }: { list: ConfigurationItem[] | null; id: Id | null }) {
    return id === null ? <span class="muted">{t('common.none')}</span> : <Link href={`/cis/${id}`}>{ciName(list, id)}</Link>;
}

/** 要 / 不要 / 要相談, with how to resend under it. */
function Resend({ partner: p }: { partner: Partner }) {
    return (
        <>
            <Badge tone={p.resend === 'required' ? 'warning' : 'neutral'}>{resendLabel(p.resend)}</Badge>
            {p.resend_note && <p class="small cell-note">{p.resend_note}</p>}
        </>
    );
}

/** The partners as a table in the unified format; `withCi` shows the item column. */
function PartnerTable({ list, caption, withCi }: { list: Loaded<{ items: Partner[] }>; caption: string; withCi: boolean }) {
    const items = useCis();
    return (
        <LoadedTable
            list={list}
            caption={caption}
            columns={[
                t('partners.name'),
                t('partners.department'),
                t('partners.vendor'),
                ...(withCi ? [t('partners.ci')] : []),
                t('partners.direction'),
                t('partners.timing'),
                t('partners.cycle'),
                t('partners.protocol'),
                t('partners.route'),
                t('partners.resend'),
                t('partners.contacts'),
            ]}
            row={(p: Partner) => (
                <tr key={p.id} data-partner={p.id}>
                    <td>
                        <Link href={`/partners/${p.id}`}>{p.name}</Link>
                    </td>
                    <td>{p.department}</td>
                    <td>{p.vendor}</td>
                    {withCi && (
                        <td>
                            <CiLink list={items} id={p.ci_id} />
                        </td>
                    )}
                    <td>{directionLabel(p.direction)}</td>
                    <td>{p.timing}</td>
                    <td>{p.cycle}</td>
                    <td>{p.protocol}</td>
                    <td>{routeLabel(p.route)}</td>
                    <td>
                        <Resend partner={p} />
                    </td>
                    <td>
                        <Contacts contacts={p.contacts} />
                    </td>
                </tr>
            )}
        />
    );
}

// ---- the list ----

export function PartnerListPage() {
    const list = useLoad(() => api.listPartners(), []);
    const flashed = flash.value?.path === '/partners' ? flash.value.text : null;
    return (
        <>
            <PageHeader title={t('partners.title')} description={t('partners.description')} />
            {flashed && <Alert tone="success" title={flashed} />}
            <Section title={t('partners.list')}>
                <PartnerTable list={list} caption={t('partners.list')} withCi />
            </Section>
            {hasRole(...PARTNER_EDITORS) && <PartnerCreateForm onCreated={list.reload} />}
        </>
    );
}

/** The partners connected to a configuration item, for its page (readers only). */
export function CiPartners({ ciId, name }: { ciId: Id; name: string }) {
    const list = useLoad(() => api.listPartners(ciId), [ciId]);
    return (
        <Section title={t('partners.ofCi')} class="ci-partners">
            <p class="hint">{t('partners.ofCiHint')}</p>
            <PartnerTable list={list} caption={t('partners.ofCiCaption', { name })} withCi={false} />
        </Section>
    );
}

// ---- the form ----

/** The form's values: every member as text (`''` for none), the contacts as rows. */
interface Draft {
    name: string;
    department: string;
    vendor: string;
    ci_id: string;
    direction: PartnerDirection;
    timing: string;
    cycle: string;
    protocol: string;
    route: PartnerRoute;
    resend: PartnerResend;
    resend_note: string;
    contacts: PartnerContact[];
    inform: boolean;
    note: string;
}

/** As the server makes a partner given only its name. */
const EMPTY: Draft = {
    name: '',
    department: '',
    vendor: '',
    ci_id: '',
    direction: 'both',
    timing: '',
    cycle: '',
    protocol: '',
    route: 'direct',
    resend: 'ask',
    resend_note: '',
    contacts: [],
    inform: true,
    note: '',
};

const TEXT_MEMBERS = ['department', 'vendor', 'timing', 'cycle', 'protocol', 'resend_note', 'note'] as const;

/** The members the form shows at their fields (a contact's members are shown at its row). */
const SHOWN = ['name', ...TEXT_MEMBERS, 'ci_id', 'direction', 'route', 'resend', 'contacts', 'inform'];

function draftOf(p: Partner): Draft {
    return {
        name: p.name,
        department: p.department,
        vendor: p.vendor,
        ci_id: p.ci_id === null ? '' : String(p.ci_id),
        direction: p.direction,
        timing: p.timing,
        cycle: p.cycle,
        protocol: p.protocol,
        route: p.route,
        resend: p.resend,
        resend_note: p.resend_note,
        contacts: p.contacts.map((c) => ({ ...c })),
        inform: p.inform,
        note: p.note,
    };
}

/**
 * Every member as the API takes it. Every contact row goes, in its place, so that the server's
 * `contacts[i]` names the row on screen (an empty row is refused at its name); its empty optional
 * members are left out.
 */
function toInput(d: Draft): PartnerInput {
    const out: PartnerInput = {
        name: d.name.trim(),
        ci_id: d.ci_id === '' ? null : Number(d.ci_id),
        direction: d.direction,
        route: d.route,
        resend: d.resend,
        inform: d.inform,
        contacts: d.contacts.map(contactInput),
    };
    for (const k of TEXT_MEMBERS) {
        out[k] = d[k].trim();
    }
    return out;
}

/** What a new partner sends: the members given (the server's defaults for the rest). */
function toCreate(d: Draft): PartnerInput {
    const all = toInput(d);
    const out: PartnerInput = { name: all.name, direction: all.direction, route: all.route, resend: all.resend, inform: all.inform };
    if (all.ci_id !== null) out.ci_id = all.ci_id;
    for (const k of TEXT_MEMBERS) {
        if (all[k]) out[k] = all[k];
    }
    if (all.contacts && all.contacts.length > 0) out.contacts = all.contacts;
    return out;
}

function PartnerFields({
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
    const text = (key: (typeof TEXT_MEMBERS)[number], label: string, hint?: string) => (
        <TextField
            id={`${id}-${key}`}
            label={label}
            hint={hint}
            value={draft[key]}
            onValue={(v) => set({ [key]: v })}
            error={errors[key]}
            maxLength={200}
            autoComplete="off"
        />
    );
    return (
        <div class="form-grid">
            <TextField
                id={`${id}-name`}
                label={t('partners.name')}
                value={draft.name}
                onValue={(v) => set({ name: v })}
                error={errors['name']}
                required
                maxLength={200}
                autoComplete="off"
            />
            {text('department', t('partners.department'))}
            {text('vendor', t('partners.vendor'))}
            <CiPicker id={`${id}-ci`} label={t('partners.ci')} value={draft.ci_id} onValue={(v) => set({ ci_id: v })} error={errors['ci_id']} />
            <SelectField
                id={`${id}-direction`}
                label={t('partners.direction')}
                value={draft.direction}
                onValue={(v) => set({ direction: v as PartnerDirection })}
                options={PARTNER_DIRECTIONS.map((d) => ({ value: d, label: directionLabel(d) }))}
                error={errors['direction']}
            />
            {text('timing', t('partners.timing'), t('partners.timingHint'))}
            {text('cycle', t('partners.cycle'), t('partners.cycleHint'))}
            {text('protocol', t('partners.protocol'), t('partners.protocolHint'))}
            <SelectField
                id={`${id}-route`}
                label={t('partners.route')}
                value={draft.route}
                onValue={(v) => set({ route: v as PartnerRoute })}
                options={PARTNER_ROUTES.map((r) => ({ value: r, label: routeLabel(r) }))}
                error={errors['route']}
            />
            <SelectField
                id={`${id}-resend`}
                label={t('partners.resend')}
                value={draft.resend}
                onValue={(v) => set({ resend: v as PartnerResend })}
                options={PARTNER_RESENDS.map((r) => ({ value: r, label: resendLabel(r) }))}
                error={errors['resend']}
            />
            {text('resend_note', t('partners.resendNote'))}
            <CheckField
                id={`${id}-inform`}
                label={t('partners.inform')}
                hint={t('partners.informHint')}
                checked={draft.inform}
                onChecked={(inform) => set({ inform })}
                error={errors['inform']}
            />
            <ContactsField
                id={`${id}-contacts`}
                legend={t('partners.contacts')}
                hint={t('partners.contactsHint')}
                prefix="contacts"
                value={draft.contacts}
                onValue={(contacts) => set({ contacts })}
                errors={errors}
                removeLabel={(name) => t('partners.removeContactLabel', { name })}
            />
            <TextAreaField id={`${id}-note`} label={t('partners.note')} value={draft.note} onValue={(v) => set({ note: v })} error={errors['note']} />
        </div>
    );
}

/** The members shown at a field: the form's own and every contact member the server named. */
function shownOf(errors: Record<string, string>): string[] {
    return [...SHOWN, ...Object.keys(errors).filter((k) => k.startsWith('contacts['))];
}

function PartnerCreateForm({ onCreated }: { onCreated: () => void }) {
    const id = useId();
    const [draft, setDraft] = useState<Draft>(EMPTY);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const set = (patch: Partial<Draft>): void => setDraft((d) => ({ ...d, ...patch }));
    const submit = async (): Promise<void> => {
        const input = toCreate(draft);
        const failed = await action.run(async () => {
            await api.createPartner(input);
            return t('partners.added', { name: input.name });
        });
        if (failed === null) {
            setDraft(EMPTY);
            onCreated();
        }
    };
    return (
        <Section title={t('partners.addTitle')}>
            <ServerForm action={action} shown={shownOf(errors)} data-partner-create onSubmit={() => void submit()}>
                <PartnerFields id={id} draft={draft} set={set} errors={errors} />
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled={action.busy || draft.name.trim() === ''}>
                        {action.busy ? t('partners.adding') : t('partners.add')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

/**
 * Changes the partner: the members changed are sent with the ETag it was read with (the contacts
 * whole). On a 412 nothing is saved: the server's message stays above the form, and the latest
 * version is loaded into it.
 */
function PartnerEditForm(props: {
    current: Resource<Partner>;
    onSaved: (res: Resource<Partner>) => void;
    onReloaded: (res: Resource<Partner>) => void;
    onCancel: () => void;
}) {
    return (
        <ResourceEditForm
            {...props}
            draftOf={draftOf}
            toInput={toInput}
            update={(id, p, e) => api.updatePartner(id, p, e)}
            reload={(id) => api.getPartner(id)}
            etag={etagOf}
            shown={(_draft, errors) => shownOf(errors)}
            Fields={PartnerFields}
            marker="partner-edit"
            label={t('partners.editTitle')}
            reloadedTitle={t('partners.reloaded')}
        />
    );
}

function PartnerProps({ partner: p }: { partner: Partner }) {
    const items = useCis(p.ci_id);
    const none = <span class="muted">{t('common.none')}</span>;
    return (
        <dl class="props" data-partner-props>
            <dt>{t('partners.department')}</dt>
            <dd>{p.department || none}</dd>
            <dt>{t('partners.vendor')}</dt>
            <dd>{p.vendor || none}</dd>
            <dt>{t('partners.ci')}</dt>
            <dd>
                <CiLink list={items} id={p.ci_id} />
            </dd>
            <dt>{t('partners.direction')}</dt>
            <dd>{directionLabel(p.direction)}</dd>
            <dt>{t('partners.timing')}</dt>
            <dd>{p.timing || none}</dd>
            <dt>{t('partners.cycle')}</dt>
            <dd>{p.cycle || none}</dd>
            <dt>{t('partners.protocol')}</dt>
            <dd>{p.protocol || none}</dd>
            <dt>{t('partners.route')}</dt>
            <dd>{routeLabel(p.route)}</dd>
            <dt>{t('partners.resend')}</dt>
            <dd>
                <Resend partner={p} />
            </dd>
            <dt>{t('partners.inform')}</dt>
            <dd>{p.inform ? t('partners.informOn') : t('partners.informOff')}</dd>
            <dt>{t('partners.contacts')}</dt>
            <dd data-partner-contacts>
                <Contacts contacts={p.contacts} />
            </dd>
            {p.note && (
                <>
                    <dt>{t('partners.note')}</dt>
                    <dd class="pre-wrap">{p.note}</dd>
                </>
            )}
        </dl>
    );
}

// ---- one partner ----

export function PartnerPage({ id }: { id: string }) {
    const partnerId = Number(id);
    const item = useLoad(() => api.getPartner(partnerId), [partnerId]);
    const editor = hasRole(...PARTNER_EDITORS);
    const [editing, setEditing] = useState(false);
    const [saved, setSaved] = useState<string | null>(null);
    const current = item.data;
    const p = current?.data ?? null;
    const edited = (res: Resource<Partner>): void => {
        item.set(res);
        setEditing(false);
        setSaved(t('partners.saved', { name: res.data.name }));
    };
    return (
        <>
            <Breadcrumb href="/partners" label={t('partners.back')} />
            <PageHeader title={p?.name ?? t('partners.title')} />
            {saved && <Alert tone="success" title={saved} />}
            {item.loading && item.data === null && <Loading />}
            {item.error !== null && <ErrorAlert error={item.error} />}
            {current && p && (
                <Section title={editing ? t('partners.editTitle') : t('partners.details')}>
                    {editing ? (
                        <PartnerEditForm key={p.id} current={current} onSaved={edited} onReloaded={item.set} onCancel={() => setEditing(false)} />
                    ) : (
                        <>
                            <PartnerProps partner={p} />
                            {editor && (
                                <div class="form-actions ci-actions">
                                    <button
                                        type="button"
                                        class="button"
                                        onClick={() => {
                                            setSaved(null);
                                            setEditing(true);
                                        }}
                                    >
                                        {t('partners.edit')}
                                    </button>
                                    <DeleteRecord
                                        label={t('partners.delete')}
                                        confirm={t('partners.deleteConfirm', { name: p.name })}
                                        submit={t('partners.deleteSubmit')}
                                        remove={() => api.deletePartner(p.id)}
                                        then={{ path: '/partners', message: t('partners.deleted', { name: p.name }) }}
                                    />
                                </div>
                            )}
                        </>
                    )}
                </Section>
            )}
        </>
    );
}
