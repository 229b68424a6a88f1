// Configuration items (構成管理, issue 7: CFG-1, ENV-1; docs/cis.md).
//
// `/cis` lists the items (name, type, version, environment, organisation, end of support); admins
// and managers add one below the list. `/cis/{id}` shows the item, its relations (admins and
// managers add one: another item and the kind, 稼働先 / 依存先 / 接続先 / 構成要素, or remove one) and
// what a failure of it affects (影響を受ける構成: name, via, depth), loaded again after each change.
// Admins and managers also edit the item there (the members of the add form, sent with If-Match; a
// 412 says so and loads the latest) and delete it after a confirmation, which goes back to the list.
// Those who may read the integration partners see the partners connected to the item (連携先).

import { useEffect, useId, useState } from 'preact/hooks';

import {
    CI_ENVIRONMENTS,
    CI_RELATION_KINDS,
    CI_TYPES,
    type CiCreate,
    type CiEnvironment,
    type CiMilestoneKind,
    type CiRelation,
    type CiRelationKind,
    type CiType,
    type ConfigurationItem,
    type Id,
    type Resource,
} from '../api/client.ts';
import { cisChanged } from '../app/cis.ts';
import { flash } from '../app/flash.ts';
import { organizationName, useOrganizations } from '../app/organizations.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { ResourceEditForm } from '../components/edit-form.tsx';
import { fieldErrors } from '../components/errors.ts';
import { FieldSet, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { Breadcrumb, DeleteRecord } from '../components/record.tsx';
import { LoadedTable } from '../components/table.tsx';
import { Alert, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad, type Loaded } from '../components/use-load.ts';
import { formatNumber } from '../i18n/format.ts';
import { isMessageKey, lang, t, type MessageKey } from '../i18n/index.ts';
import { CiPartners, PARTNER_READERS } from './partners.tsx';

/** Who adds, changes and relates items. */
const CI_EDITORS = ['admin', 'manager'] as const;

export function ciTypeLabel(type: string): string {
    return (CI_TYPES as readonly string[]).includes(type) ? t(`ci.type.${type as CiType}`) : type;
}

export function ciEnvironmentLabel(env: string): string {
    return (CI_ENVIRONMENTS as readonly string[]).includes(env) ? t(`ci.env.${env as CiEnvironment}`) : env;
}

function ciRelationLabel(kind: string): string {
    return (CI_RELATION_KINDS as readonly string[]).includes(kind) ? t(`ci.rel.${kind as CiRelationKind}`) : kind;
}

export function ciMilestoneLabel(milestone: CiMilestoneKind | string): string {
    const key = `ci.milestone.${milestone}`;
    return isMessageKey(key) ? t(key) : milestone;
}

/** A day (`YYYY-MM-DD`) as the console writes days: 2026/03/31 in Japanese. */
export function civilDate(date: string | null | undefined): string {
    if (!date) {
        return '';
    }
    return lang.value === 'ja' ? date.replaceAll('-', '/') : date;
}

/** あと N 日, 本日, or N 日超過. */
export function daysLeftText(days: number): string {
    if (days > 0) {
        return t('ci.daysLeft', { days: formatNumber(days) });
    }
    if (days === 0) {
        return t('ci.daysToday');
    }
    return t('ci.daysPassed', { days: formatNumber(-days) });
}

function Day({ value }: { value: string | null }) {
    return value ? <time dateTime={value}>{civilDate(value)}</time> : <span class="muted">{t('common.none')}</span>;
}

// ---- the list ----

export function CiListPage() {
    const list = useLoad(() => api.listCis(), []);
    const orgs = useOrganizations();
    const flashed = flash.value?.path === '/cis' ? flash.value.text : null;
    return (
        <>
            <PageHeader title={t('ci.title')} description={t('ci.description')} />
            {flashed && <Alert tone="success" title={flashed} />}
            <Section title={t('ci.list')}>
                <LoadedTable
                    list={list}
                    caption={t('ci.list')}
                    columns={[t('ci.name'), t('ci.type'), t('ci.version'), t('ci.environment'), t('ci.organization'), t('ci.endOfSupport')]}
                    row={(c: ConfigurationItem) => (
                        <tr key={c.id} data-ci={c.id}>
                            <td>
                                <Link href={`/cis/${c.id}`}>{c.name}</Link>
                            </td>
                            <td>{ciTypeLabel(c.type)}</td>
                            <td>{c.version}</td>
                            <td>{ciEnvironmentLabel(c.environment)}</td>
                            <td>{c.organization_id !== null ? organizationName(orgs, c.organization_id) : ''}</td>
                            <td class="nowrap">{c.end_of_support ? civilDate(c.end_of_support) : ''}</td>
                        </tr>
                    )}
                />
            </Section>
            {hasRole(...CI_EDITORS) && <CiCreateForm onCreated={list.reload} />}
        </>
    );
}

/** One `name: value` pair of an item's attributes, as typed. */
interface AttributeDraft {
    name: string;
    value: string;
}

/** The form's values: every member as text (dates `YYYY-MM-DD`, `''` for none). */
interface Draft {
    name: string;
    type: CiType;
    version: string;
    environment: CiEnvironment;
    organization_id: string;
    attributes: AttributeDraft[];
    released_on: string;
    end_of_sales: string;
    end_of_support: string;
    end_of_life: string;
    licence_count: string;
    licence_expiry: string;
    note: string;
}

const EMPTY: Draft = {
    name: '',
    type: 'application',
    version: '',
    environment: 'production',
    organization_id: '',
    attributes: [],
    released_on: '',
    end_of_sales: '',
    end_of_support: '',
    end_of_life: '',
    licence_count: '',
    licence_expiry: '',
    note: '',
};

const DATE_MEMBERS = ['released_on', 'end_of_sales', 'end_of_support', 'end_of_life', 'licence_expiry'] as const;
type DateMember = (typeof DATE_MEMBERS)[number];

/** The members the form shows at their fields (the rest of a 422 is listed above the form). */
const CI_SHOWN = [
    'name',
    'type',
    'version',
    'environment',
    'organization_id',
    'attributes',
    ...DATE_MEMBERS,
    'licence_count',
    'note',
] as const;

/** The form's values of an item. */
function draftOf(c: ConfigurationItem): Draft {
    return {
        name: c.name,
        type: c.type,
        version: c.version,
        environment: c.environment,
        organization_id: c.organization_id === null ? '' : String(c.organization_id),
        attributes: Object.entries(c.attributes ?? {}).map(([name, value]) => ({ name, value: String(value) })),
        released_on: c.released_on ?? '',
        end_of_sales: c.end_of_sales ?? '',
        end_of_support: c.end_of_support ?? '',
        end_of_life: c.end_of_life ?? '',
        licence_count: c.licence_count === null ? '' : String(c.licence_count),
        licence_expiry: c.licence_expiry ?? '',
        note: c.note,
    };
}

/** Every member of the draft as the API takes it (empty → null; attributes without a name left out). */
function toInput(d: Draft): CiCreate {
    const attributes: Record<string, string> = {};
    for (const a of d.attributes) {
        if (a.name.trim() !== '') {
            attributes[a.name.trim()] = a.value;
        }
    }
    const count = d.licence_count.trim();
    const out: CiCreate = {
        name: d.name.trim(),
        type: d.type,
        version: d.version.trim(),
        environment: d.environment,
        organization_id: d.organization_id ? Number(d.organization_id) : null,
        attributes,
        licence_count: count === '' ? null : Number(count),
        note: d.note,
    };
    for (const k of DATE_MEMBERS) {
        out[k] = d[k] || null;
    }
    return out;
}

/** What a new item sends: the members given (the server's defaults for the rest). */
function toCreate(d: Draft): CiCreate {
    const all = toInput(d);
    const out: CiCreate = { name: all.name, type: all.type, environment: all.environment };
    if (all.version) out.version = all.version;
    if (all.organization_id !== null) out.organization_id = all.organization_id;
    if (Object.keys(all.attributes ?? {}).length > 0) out.attributes = all.attributes;
    for (const k of DATE_MEMBERS) {
        if (all[k]) out[k] = all[k];
    }
    if (all.licence_count !== null) out.licence_count = all.licence_count;
    if (all.note?.trim()) out.note = all.note;
    return out;
}

/** The attributes as rows of name and value, each removable, with a way to add one. */
function AttributesField({
    id,
    value,
    onValue,
    error,
}: {
    id: string;
    value: AttributeDraft[];
    onValue: (rows: AttributeDraft[]) => void;
    error: string | undefined;
}) {
    const change = (i: number, patch: Partial<AttributeDraft>): void => onValue(value.map((a, j) => (j === i ? { ...a, ...patch } : a)));
    return (
        <FieldSet id={id} legend={t('ci.attributes')} hint={t('ci.attributesHint')} error={error}>
            {value.length === 0 && <p class="muted small">{t('ci.noAttributes')}</p>}
            <ul class="ci-attributes">
                {value.map((a, i) => (
                    <li key={i} class="ci-attribute" data-ci-attribute={i}>
                        <input
                            aria-label={t('ci.attributeName', { n: i + 1 })}
                            value={a.name}
                            maxLength={100}
                            autoComplete="off"
                            onInput={(e) => change(i, { name: e.currentTarget.value })}
                        />
                        <input
                            aria-label={t('ci.attributeValue', { n: i + 1 })}
                            value={a.value}
                            autoComplete="off"
                            onInput={(e) => change(i, { value: e.currentTarget.value })}
                        />
                        <button
                            type="button"
                            class="button button-small"
                            aria-label={t('ci.removeAttributeLabel', { name: a.name || String(i + 1) })}
                            onClick={() => onValue(value.filter((_, j) => j !== i))}
                        >
                            {t('ci.removeAttribute')}
                        </button>
                    </li>
                ))}
            </ul>
            <div>
                <button type="button" class="button button-small" onClick={() => onValue([...value, { name: '', value: '' }])}>
                    {t('ci.addAttribute')}
                </button>
            </div>
        </FieldSet>
    );
}

/** The item's members as form fields, for adding an item and for changing one. */
function CiFields({
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
    const orgs = useOrganizations();
    const orgOptions = (orgs ?? [])
        .filter((o) => !o.disabled || String(o.id) === draft.organization_id)
        .map((o) => ({ value: String(o.id), label: o.name }));
    if (draft.organization_id !== '' && !orgOptions.some((o) => o.value === draft.organization_id)) {
        orgOptions.push({ value: draft.organization_id, label: organizationName(orgs, Number(draft.organization_id)) });
    }
    const date = (key: DateMember, label: MessageKey) => (
        <TextField
            id={`${id}-${key}`}
            label={t(label)}
            type="date"
            value={draft[key]}
            onValue={(v) => set({ [key]: v })}
            error={errors[key]}
        />
    );
    return (
        <div class="form-grid">
            <TextField
                id={`${id}-name`}
                label={t('ci.name')}
                value={draft.name}
                onValue={(v) => set({ name: v })}
                error={errors['name']}
                required
                maxLength={200}
                autoComplete="off"
            />
            <SelectField
                id={`${id}-type`}
                label={t('ci.type')}
                value={draft.type}
                onValue={(v) => set({ type: v as CiType })}
                options={CI_TYPES.map((c) => ({ value: c, label: ciTypeLabel(c) }))}
                error={errors['type']}
                required
            />
            <TextField
                id={`${id}-version`}
                label={t('ci.version')}
                value={draft.version}
                onValue={(v) => set({ version: v })}
                error={errors['version']}
                maxLength={100}
                autoComplete="off"
            />
            <SelectField
                id={`${id}-environment`}
                label={t('ci.environment')}
                value={draft.environment}
                onValue={(v) => set({ environment: v as CiEnvironment })}
                options={CI_ENVIRONMENTS.map((e) => ({ value: e, label: ciEnvironmentLabel(e) }))}
                error={errors['environment']}
            />
            <SelectField
                id={`${id}-org`}
                label={t('ci.organization')}
                value={draft.organization_id}
                onValue={(v) => set({ organization_id: v })}
                options={[{ value: '', label: t('ci.noOrganization') }, ...orgOptions]}
                error={errors['organization_id']}
            />
            {date('released_on', 'ci.releasedOn')}
            {date('end_of_sales', 'ci.endOfSales')}
            {date('end_of_support', 'ci.endOfSupport')}
            {date('end_of_life', 'ci.endOfLife')}
            <TextField
                id={`${id}-licence-count`}
                label={t('ci.licenceCount')}
                type="number"
                min={0}
                inputMode="numeric"
                value={draft.licence_count}
                onValue={(v) => set({ licence_count: v })}
                error={errors['licence_count']}
            />
            {date('licence_expiry', 'ci.licenceExpiry')}
            <AttributesField id={`${id}-attributes`} value={draft.attributes} onValue={(attributes) => set({ attributes })} error={errors['attributes']} />
            <TextAreaField id={`${id}-note`} label={t('ci.note')} value={draft.note} onValue={(v) => set({ note: v })} error={errors['note']} />
        </div>
    );
}

function CiCreateForm({ onCreated }: { onCreated: () => void }) {
    const id = useId();
    const [draft, setDraft] = useState<Draft>(EMPTY);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const set = (patch: Partial<Draft>): void => setDraft((d) => ({ ...d, ...patch }));
    const submit = async (): Promise<void> => {
        const input = toCreate(draft);
        const failed = await action.run(async () => {
            await api.createCi(input);
            cisChanged();
            return t('ci.added', { name: input.name });
        });
        if (failed === null) {
            setDraft(EMPTY);
            onCreated();
        }
    };
    return (
        <Section title={t('ci.addTitle')}>
            <ServerForm action={action} shown={CI_SHOWN} data-ci-create onSubmit={() => void submit()}>
                <CiFields id={id} draft={draft} set={set} errors={errors} />
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled={action.busy || draft.name.trim() === ''}>
                        {action.busy ? t('ci.adding') : t('ci.add')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

/** The version to send back (If-Match): the ETag as answered, else made from `version_no`. */
function ciEtag(res: Resource<ConfigurationItem>): string {
    return res.etag ?? `"${res.data.version_no}"`;
}

/**
 * Changes the item: the members changed are sent with the ETag it was read with. On a 412 nothing is
 * saved: the server's message stays above the form, and the latest version is loaded into it.
 */
function CiEditForm(props: {
    current: Resource<ConfigurationItem>;
    onSaved: (res: Resource<ConfigurationItem>) => void;
    onReloaded: (res: Resource<ConfigurationItem>) => void;
    onCancel: () => void;
}) {
    return (
        <ResourceEditForm
            {...props}
            draftOf={draftOf}
            toInput={toInput}
            update={(id, p, e) => api.updateCi(id, p, e).then((r) => { cisChanged(); return r; })}
            reload={(id) => api.getCi(id)}
            etag={ciEtag}
            shown={() => CI_SHOWN}
            Fields={CiFields}
            marker="ci-edit"
            label={t('ci.editTitle')}
            reloadedTitle={t('ci.reloaded')}
        />
    );
}

/** The item's members as a list of terms (its attributes by their own names). */
function CiProps({ item: c }: { item: ConfigurationItem }) {
    const orgs = useOrganizations();
    return (
        <dl class="props" data-ci-props>
            <dt>{t('ci.type')}</dt>
            <dd>{ciTypeLabel(c.type)}</dd>
            <dt>{t('ci.version')}</dt>
            <dd>{c.version || <span class="muted">{t('common.none')}</span>}</dd>
            <dt>{t('ci.environment')}</dt>
            <dd>{ciEnvironmentLabel(c.environment)}</dd>
            <dt>{t('ci.organization')}</dt>
            <dd>
                {c.organization_id !== null ? (
                    organizationName(orgs, c.organization_id)
                ) : (
                    <span class="muted">{t('common.none')}</span>
                )}
            </dd>
            <dt>{t('ci.releasedOn')}</dt>
            <dd>
                <Day value={c.released_on} />
            </dd>
            <dt>{t('ci.endOfSales')}</dt>
            <dd>
                <Day value={c.end_of_sales} />
            </dd>
            <dt>{t('ci.endOfSupport')}</dt>
            <dd>
                <Day value={c.end_of_support} />
            </dd>
            <dt>{t('ci.endOfLife')}</dt>
            <dd>
                <Day value={c.end_of_life} />
            </dd>
            <dt>{t('ci.licenceCount')}</dt>
            <dd>
                {c.licence_count !== null ? formatNumber(c.licence_count) : <span class="muted">{t('common.none')}</span>}
            </dd>
            <dt>{t('ci.licenceExpiry')}</dt>
            <dd>
                <Day value={c.licence_expiry} />
            </dd>
            {Object.entries(c.attributes ?? {}).map(([k, v]) => [<dt key={`k-${k}`}>{k}</dt>, <dd key={`v-${k}`}>{String(v)}</dd>])}
            {c.note && (
                <>
                    <dt>{t('ci.note')}</dt>
                    <dd class="pre-wrap">{c.note}</dd>
                </>
            )}
        </dl>
    );
}

// ---- one item ----

export function CiPage({ id }: { id: string }) {
    const ciId = Number(id);
    const item = useLoad(() => api.getCi(ciId), [ciId]);
    const all = useLoad(() => api.listCis(), []);
    const relations = useLoad(() => api.listCiRelations(ciId), [ciId]);
    const impact = useLoad(() => api.ciImpact(ciId), [ciId]);
    const editor = hasRole(...CI_EDITORS);
    const [editing, setEditing] = useState(false);
    const [saved, setSaved] = useState<string | null>(null);
    // Another item's page (a relation's link) starts with its details, not this one's edit.
    useEffect(() => {
        setEditing(false);
        setSaved(null);
    }, [ciId]);
    const flashed = flash.value?.path === `/cis/${ciId}` ? flash.value.text : null;
    const current = item.data;
    const c = current?.data ?? null;
    const nameOf = (other: Id): string => all.data?.items.find((x) => x.id === other)?.name ?? `#${other}`;
    const changed = (): void => {
        relations.reload();
        impact.reload();
    };
    const edited = (res: Resource<ConfigurationItem>): void => {
        item.set(res);
        setEditing(false);
        setSaved(t('ci.saved', { name: res.data.name }));
        // Its name may have changed: the names of relations and impact come from these.
        all.reload();
        impact.reload();
    };
    return (
        <>
            <Breadcrumb href="/cis" label={t('ci.back')} />
            <PageHeader title={c?.name ?? t('ci.title')} />
            {flashed && !saved && <Alert tone="success" title={flashed} />}
            {saved && <Alert tone="success" title={saved} />}
            {item.loading && item.data === null && <Loading />}
            {item.error !== null && <ErrorAlert error={item.error} />}
            {current && c && (
                <>
                    <Section title={editing ? t('ci.editTitle') : t('ci.details')}>
                        {editing ? (
                            <CiEditForm key={c.id} current={current} onSaved={edited} onReloaded={item.set} onCancel={() => setEditing(false)} />
                        ) : (
                            <>
                                <CiProps item={c} />
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
                                            {t('ci.edit')}
                                        </button>
                                        <DeleteRecord
                                            label={t('ci.delete')}
                                            confirm={t('ci.deleteConfirm', { name: c.name })}
                                            submit={t('ci.deleteSubmit')}
                                            remove={async () => {
                                                await api.deleteCi(c.id);
                                                cisChanged();
                                            }}
                                            then={{ path: '/cis', message: t('ci.deleted', { name: c.name }) }}
                                        />
                                    </div>
                                )}
                            </>
                        )}
                    </Section>
                    <Section title={t('ci.relations')} class="ci-relations">
                        <Relations
                            ciId={ciId}
                            name={c.name}
                            relations={relations}
                            nameOf={nameOf}
                            others={(all.data?.items ?? []).filter((x) => x.id !== ciId)}
                            onChanged={changed}
                        />
                    </Section>
                    <Section title={t('ci.impact')} class="ci-impact">
                        <p class="hint">{t('ci.impactHint')}</p>
                        <LoadedTable
                            list={impact}
                            caption={t('ci.impactCaption', { name: c.name })}
                            columns={[t('ci.name'), t('ci.via'), { label: t('ci.depth'), class: 'num' }]}
                            row={(i) => (
                                <tr key={i.ci_id} data-impact={i.ci_id}>
                                    <td>
                                        <Link href={`/cis/${i.ci_id}`}>{i.ci_name}</Link>
                                    </td>
                                    <td>{ciRelationLabel(i.via)}</td>
                                    <td class="num">{formatNumber(i.depth)}</td>
                                </tr>
                            )}
                        />
                    </Section>
                    {hasRole(...PARTNER_READERS) && <CiPartners ciId={ciId} name={c.name} />}
                </>
            )}
        </>
    );
}

function Relations({
    ciId,
    name,
    relations,
    nameOf,
    others,
    onChanged,
}: {
    ciId: Id;
    name: string;
    relations: Loaded<{ items: CiRelation[] }>;
    nameOf: (id: Id) => string;
    others: readonly ConfigurationItem[];
    onChanged: () => void;
}) {
    const id = useId();
    const editor = hasRole(...CI_EDITORS);
    const [target, setTarget] = useState('');
    const [kind, setKind] = useState<CiRelationKind>('runs_on');
    const action = useAction();
    const errors = fieldErrors(action.error);
    const add = async (): Promise<void> => {
        const to = Number(target);
        const failed = await action.run(async () => {
            await api.addCiRelation(ciId, to, kind);
            return t('ci.relationAdded', { kind: ciRelationLabel(kind), name: nameOf(to) });
        });
        if (failed === null) {
            setTarget('');
            onChanged();
        }
    };
    const remove = async (to: Id, k: CiRelationKind): Promise<void> => {
        const failed = await action.run(async () => {
            await api.removeCiRelation(ciId, to, k);
            return t('ci.relationRemoved');
        });
        if (failed === null) {
            onChanged();
        }
    };
    return (
        <>
            <LoadedTable
                list={relations}
                caption={t('ci.relationsCaption', { name })}
                columns={[t('ci.relationDirection'), t('ci.relationTarget'), ...(editor ? [''] : [])]}
                row={(r) => {
                    const outgoing = r.from_id === ciId;
                    const other = outgoing ? r.to_id : r.from_id;
                    const kindText = ciRelationLabel(r.kind);
                    return (
                        <tr key={`${r.from_id}-${r.to_id}-${r.kind}`} data-relation={`${r.kind}:${other}`}>
                            <td>{outgoing ? t('ci.relationFrom', { kind: kindText }) : t('ci.relationTo', { kind: kindText })}</td>
                            <td>
                                <Link href={`/cis/${other}`}>{nameOf(other)}</Link>
                            </td>
                            {editor && (
                                <td>
                                    {outgoing && (
                                        <button
                                            type="button"
                                            class="button button-quiet"
                                            aria-label={t('ci.removeRelationLabel', { kind: kindText, name: nameOf(other) })}
                                            disabled={action.busy}
                                            onClick={() => void remove(r.to_id, r.kind)}
                                        >
                                            {t('ci.removeRelation')}
                                        </button>
                                    )}
                                </td>
                            )}
                        </tr>
                    );
                }}
            />
            {editor && (
                <ServerForm
                    action={action}
                    shown={['to_id', 'kind']}
                    data-ci-relate
                    onSubmit={() => void add()}
                >
                    <div class="form-grid">
                        <SelectField
                            id={`${id}-kind`}
                            label={t('ci.relationKind')}
                            value={kind}
                            onValue={(v) => setKind(v as CiRelationKind)}
                            options={CI_RELATION_KINDS.map((k) => ({ value: k, label: ciRelationLabel(k) }))}
                            error={errors['kind']}
                        />
                        <SelectField
                            id={`${id}-target`}
                            label={t('ci.relationTarget')}
                            value={target}
                            onValue={setTarget}
                            options={[
                                { value: '', label: t('ci.chooseTarget') },
                                ...others.map((o) => ({ value: String(o.id), label: o.name })),
                            ]}
                            error={errors['to_id']}
                        />
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled={action.busy || target === ''}>
                            {t('ci.addRelation')}
                        </button>
                    </div>
                </ServerForm>
            )}
        </>
    );
}


