// Escalation routes (体制図, issue 7: INC-9; docs/escalation.md): whom an incident's failure is told
// to, level by level from the first responders up, and when.
//
// `/escalation-routes` lists the routes (名前, 対象システム or 全システム, 重要度, レベル数, 最終確認 with
// 見直し期限 when the route was neither confirmed nor changed for half a year); admins and managers
// register one below the list. `/escalation-routes/{id}` shows a route with its levels (組織, 利用者,
// the outside contacts with their phones, 連絡まで); admins and managers confirm it as current
// (「確認済みにする」: reviewed_on today), edit it (levels as ordered rows, contacts as rows, sent with
// If-Match; a 412 says so and loads the latest) and delete it. A refusal names its field, a level's
// and a contact's members at their row (`levels[1].contacts[0].email`). An incident's page shows where
// the incident stands on its route (components/escalation.tsx).

import { useId, useState } from 'preact/hooks';

import {
    ApiError,
    SEVERITIES,
    type ConfigurationItem,
    type EscalationLevel,
    type EscalationRoute,
    type EscalationRouteInput,
    type Id,
    type Resource,
    type Role,
    type Severity,
    type User,
} from '../api/client.ts';
import { ciName, useCis } from '../app/cis.ts';
import { flash } from '../app/flash.ts';
import { organizationName, useOrganizations } from '../app/organizations.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { userName, useUsers } from '../app/users.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { contactInput, ContactsField, contactText, type ContactRow } from '../components/contacts.tsx';
import { etagOf } from '../components/editable.ts';
import { ResourceEditForm } from '../components/edit-form.tsx';
import { fieldErrors } from '../components/errors.ts';
import { FieldSet, TextAreaField, TextField } from '../components/form.tsx';
import { todayInJapan } from '../components/month.tsx';
import { CiPicker, OrganizationPicker } from '../components/record-fields.tsx';
import { Breadcrumb, DeleteRecord } from '../components/record.tsx';
import { DataTable, LoadedTable } from '../components/table.tsx';
import { Alert, Badge, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatNumber } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { severityLabel } from '../i18n/labels.ts';
import { civilDate } from './cis.tsx';

/** Who reads the routes (not requesters: they name people and their phones). */
export const ESCALATION_READERS: readonly Role[] = ['admin', 'manager', 'operator', 'vendor', 'viewer'];
/** Who registers, changes, confirms and deletes routes. */
const ESCALATION_EDITORS = ['admin', 'manager'] as const;
/** The most levels the form offers. */
const MAX_LEVELS = 10;

/** 全重要度, or the severities in words. */
function severitiesText(severities: readonly Severity[]): string {
    return severities.length === 0 ? t('escalation.allSeverities') : severities.map(severityLabel).join('、');
}

/** The system a route serves, linked to its page, or 全システム. */
function SystemLink({ list, id }: { list: ConfigurationItem[] | null; id: Id | null }) {
    return id === null ? <>{t('escalation.allSystems')}</> : <Link href={`/cis/${id}`}>{ciName(list, id)}</Link>;
}

/** 見直し期限 when the route was neither confirmed nor changed for half a year. */
function ReviewDueBadge({ route }: { route: EscalationRoute }) {
    return route.review_due ? <Badge tone="warning">{t('escalation.reviewDue')}</Badge> : null;
}

/** The day it was last confirmed, or 未確認. */
function Reviewed({ route }: { route: EscalationRoute }) {
    return (
        <span class="badges" data-reviewed>
            {route.reviewed_on ? civilDate(route.reviewed_on) : <span class="muted">{t('escalation.notReviewed')}</span>}{' '}
            <ReviewDueBadge route={route} />
        </span>
    );
}

// ---- the list ----

export function EscalationRouteListPage() {
    const list = useLoad(() => api.listEscalationRoutes(), []);
    const items = useCis();
    const flashed = flash.value?.path === '/escalation-routes' ? flash.value.text : null;
    return (
        <>
            <PageHeader title={t('escalation.title')} description={t('escalation.description')} />
            {flashed && <Alert tone="success" title={flashed} />}
            <Section title={t('escalation.list')}>
                <LoadedTable
                    list={list}
                    caption={t('escalation.list')}
                    columns={[
                        t('escalation.name'),
                        t('escalation.system'),
                        t('escalation.severities'),
                        { label: t('escalation.levelCount'), class: 'num' },
                        t('escalation.reviewedOn'),
                    ]}
                    row={(r: EscalationRoute) => (
                        <tr key={r.id} data-route={r.id} class={r.review_due ? 'row-warning' : undefined}>
                            <td>
                                <Link href={`/escalation-routes/${r.id}`}>{r.name}</Link>
                            </td>
                            <td>
                                <SystemLink list={items} id={r.ci_id} />
                            </td>
                            <td>{severitiesText(r.severities)}</td>
                            <td class="num">{t('escalation.levelCountValue', { count: formatNumber(r.levels.length) })}</td>
                            <td>
                                <Reviewed route={r} />
                            </td>
                        </tr>
                    )}
                />
            </Section>
            {hasRole(...ESCALATION_EDITORS) && <RouteCreateForm onCreated={list.reload} />}
        </>
    );
}

// ---- the form ----

/** A level as the form holds it: ids and minutes as text, the users as ids, the contacts as rows. */
interface LevelDraft {
    name: string;
    organization_id: string;
    user_ids: Id[];
    contacts: ContactRow[];
    after_min: string;
}

interface Draft {
    name: string;
    ci_id: string;
    severities: Severity[];
    levels: LevelDraft[];
    reviewed_on: string;
    note: string;
}

const EMPTY_LEVEL: LevelDraft = { name: '', organization_id: '', user_ids: [], contacts: [], after_min: '0' };

const EMPTY: Draft = { name: '', ci_id: '', severities: [], levels: [EMPTY_LEVEL], reviewed_on: '', note: '' };

/** The members of a level the form shows at its fields. */
const LEVEL_MEMBERS = ['name', 'organization_id', 'user_ids', 'after_min', 'contacts'] as const;

function draftOf(r: EscalationRoute): Draft {
    return {
        name: r.name,
        ci_id: r.ci_id === null ? '' : String(r.ci_id),
        severities: [...r.severities],
        levels: r.levels.map((l) => ({
            name: l.name,
            organization_id: l.organization_id === null ? '' : String(l.organization_id),
            user_ids: [...l.user_ids],
            contacts: l.contacts.map((c) => ({ ...c })),
            after_min: String(l.after_min),
        })),
        reviewed_on: r.reviewed_on ?? '',
        note: r.note,
    };
}

/** Text that should be a number goes as the number, anything else as typed (so the server names it). */
function numberOrText(text: string): number {
    const v = text.trim();
    return (/^\d+$/.test(v) ? Number(v) : v) as number;
}

/**
 * Every member as the API takes it. Every level and contact row goes, in its place, so that the
 * server's `levels[i]…` names the row on screen.
 */
function toInput(d: Draft): EscalationRouteInput {
    return {
        name: d.name.trim(),
        ci_id: d.ci_id === '' ? null : Number(d.ci_id),
        severities: SEVERITIES.filter((s) => d.severities.includes(s)),
        levels: d.levels.map((l) => ({
            name: l.name.trim(),
            organization_id: l.organization_id === '' ? null : Number(l.organization_id),
            user_ids: l.user_ids,
            contacts: l.contacts.map(contactInput),
            after_min: numberOrText(l.after_min),
        })),
        reviewed_on: d.reviewed_on === '' ? null : d.reviewed_on,
        note: d.note.trim(),
    };
}

/** What a new route sends: the members given (the server's defaults for the rest). */
function toCreate(d: Draft): EscalationRouteInput {
    const all = toInput(d);
    const out: EscalationRouteInput = {
        name: all.name,
        levels: (all.levels ?? []).map((l) => ({
            name: l.name,
            after_min: l.after_min,
            ...(l.organization_id !== null ? { organization_id: l.organization_id } : {}),
            ...(l.user_ids && l.user_ids.length > 0 ? { user_ids: l.user_ids } : {}),
            ...(l.contacts && l.contacts.length > 0 ? { contacts: l.contacts } : {}),
        })),
    };
    if (all.ci_id !== null) out.ci_id = all.ci_id;
    if (all.severities && all.severities.length > 0) out.severities = all.severities;
    if (all.reviewed_on) out.reviewed_on = all.reviewed_on;
    if (all.note) out.note = all.note;
    return out;
}

/** The members the form shows at a field: the route's own, and each level's and contact's. */
function shownOf(draft: Draft): string[] {
    const shown = ['name', 'ci_id', 'severities', 'levels', 'reviewed_on', 'note'];
    draft.levels.forEach((l, i) => {
        shown.push(`levels[${i}]`, ...LEVEL_MEMBERS.map((m) => `levels[${i}].${m}`));
        l.contacts.forEach((_, j) => {
            shown.push(`levels[${i}].contacts[${j}]`, ...['name', 'role', 'email', 'phone'].map((m) => `levels[${i}].contacts[${j}].${m}`));
        });
    });
    return shown;
}

/** The users of a level: the chosen ones, each removable, and a select to add another. */
function UsersField({
    id,
    legend,
    value,
    onValue,
    error,
}: {
    id: string;
    legend: string;
    value: readonly Id[];
    onValue: (ids: Id[]) => void;
    error: string | undefined;
}) {
    const people = useUsers();
    const name = (uid: Id): string => {
        const u = people?.find((p: User) => p.id === uid);
        return u ? `${u.display_name} (${u.login})` : userName(uid);
    };
    const offered = (people ?? []).filter((u) => !u.disabled && !value.includes(u.id));
    return (
        <FieldSet id={id} legend={legend} error={error}>
            {value.length === 0 ? (
                <p class="muted small">{t('escalation.noUsers')}</p>
            ) : (
                <ul class="plain-list chosen-list" data-level-users>
                    {value.map((uid) => (
                        <li key={uid}>
                            {name(uid)}{' '}
                            <button
                                type="button"
                                class="button button-small"
                                aria-label={t('escalation.removeUserLabel', { name: name(uid) })}
                                onClick={() => onValue(value.filter((x) => x !== uid))}
                            >
                                {t('escalation.removeUser')}
                            </button>
                        </li>
                    ))}
                </ul>
            )}
            {people !== null && (
                <div class="inline-field">
                    <label for={`${id}-add`}>{t('escalation.addUser')}</label>
                    <select
                        id={`${id}-add`}
                        value=""
                        onChange={(e) => {
                            const v = e.currentTarget.value;
                            if (/^\d+$/.test(v)) {
                                onValue([...value, Number(v)]);
                            }
                        }}
                    >
                        <option value="">{people === undefined ? t('common.loading') : t('escalation.chooseUser')}</option>
                        {offered.map((u) => (
                            <option key={u.id} value={String(u.id)}>
                                {u.display_name} ({u.login})
                            </option>
                        ))}
                    </select>
                </div>
            )}
        </FieldSet>
    );
}

/** One level as a group of fields, with the buttons that move or remove it. */
function LevelFields({
    id,
    index,
    count,
    level,
    set,
    move,
    remove,
    errors,
}: {
    id: string;
    index: number;
    count: number;
    level: LevelDraft;
    set: (patch: Partial<LevelDraft>) => void;
    move: (by: -1 | 1) => void;
    remove: () => void;
    errors: Record<string, string>;
}) {
    const n = index + 1;
    const at = (member: string): string | undefined => errors[`levels[${index}].${member}`];
    return (
        <FieldSet id={`${id}-level-${index}`} legend={t('escalation.levelN', { n })} error={errors[`levels[${index}]`]} class="escalation-level">
            <div class="form-grid" data-level={index}>
                <TextField
                    id={`${id}-level-${index}-name`}
                    label={t('escalation.levelName')}
                    hint={t('escalation.levelNameHint')}
                    value={level.name}
                    onValue={(v) => set({ name: v })}
                    error={at('name')}
                    required
                    maxLength={200}
                    autoComplete="off"
                />
                <OrganizationPicker
                    id={`${id}-level-${index}-org`}
                    label={t('escalation.organization')}
                    value={level.organization_id}
                    onValue={(v) => set({ organization_id: v })}
                    error={at('organization_id')}
                    empty={t('escalation.noOrganization')}
                />
                <TextField
                    id={`${id}-level-${index}-after`}
                    label={t('escalation.afterMin')}
                    hint={t('escalation.afterMinHint')}
                    type="number"
                    min={0}
                    max={10080}
                    inputMode="numeric"
                    value={level.after_min}
                    onValue={(v) => set({ after_min: v })}
                    error={at('after_min')}
                    required
                />
            </div>
            <UsersField
                id={`${id}-level-${index}-users`}
                legend={t('escalation.users')}
                value={level.user_ids}
                onValue={(user_ids) => set({ user_ids })}
                error={at('user_ids')}
            />
            <ContactsField
                id={`${id}-level-${index}-contacts`}
                legend={t('escalation.contacts')}
                hint={t('escalation.contactsHint')}
                prefix={`levels[${index}].contacts`}
                value={level.contacts}
                onValue={(contacts) => set({ contacts })}
                errors={errors}
                removeLabel={(name) => t('escalation.removeContactLabel', { name })}
            />
            <div class="form-actions">
                <button
                    type="button"
                    class="button button-small"
                    disabled={index === 0}
                    aria-label={t('escalation.moveUpLabel', { n })}
                    onClick={() => move(-1)}
                >
                    {t('escalation.moveUp')}
                </button>
                <button
                    type="button"
                    class="button button-small"
                    disabled={index === count - 1}
                    aria-label={t('escalation.moveDownLabel', { n })}
                    onClick={() => move(1)}
                >
                    {t('escalation.moveDown')}
                </button>
                <button
                    type="button"
                    class="button button-small"
                    disabled={count === 1}
                    aria-label={t('escalation.removeLevelLabel', { n })}
                    onClick={remove}
                >
                    {t('escalation.removeLevel')}
                </button>
            </div>
        </FieldSet>
    );
}

function RouteFields({
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
    const setLevel = (i: number, patch: Partial<LevelDraft>): void =>
        set({ levels: draft.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
    const moveLevel = (i: number, by: -1 | 1): void => {
        const levels = [...draft.levels];
        const [moved] = levels.splice(i, 1);
        if (moved) {
            levels.splice(i + by, 0, moved);
            set({ levels });
        }
    };
    const tick = (s: Severity, on: boolean): void =>
        set({ severities: SEVERITIES.filter((x) => (x === s ? on : draft.severities.includes(x))) });
    return (
        <>
            <div class="form-grid">
                <TextField
                    id={`${id}-name`}
                    label={t('escalation.routeName')}
                    value={draft.name}
                    onValue={(v) => set({ name: v })}
                    error={errors['name']}
                    required
                    maxLength={200}
                    autoComplete="off"
                />
                <CiPicker
                    id={`${id}-ci`}
                    label={t('escalation.system')}
                    value={draft.ci_id}
                    onValue={(v) => set({ ci_id: v })}
                    error={errors['ci_id']}
                    empty={t('escalation.allSystems')}
                />
                <TextField
                    id={`${id}-reviewed`}
                    label={t('escalation.reviewedOn')}
                    hint={t('escalation.reviewedOnHint')}
                    type="date"
                    value={draft.reviewed_on}
                    onValue={(v) => set({ reviewed_on: v })}
                    error={errors['reviewed_on']}
                />
            </div>
            <FieldSet id={`${id}-severities`} legend={t('escalation.severities')} hint={t('escalation.severitiesHint')} error={errors['severities']}>
                <div class="check-row">
                    {SEVERITIES.map((s) => (
                        <label key={s} class="check">
                            <input type="checkbox" checked={draft.severities.includes(s)} onChange={(e) => tick(s, e.currentTarget.checked)} />
                            {severityLabel(s)}
                        </label>
                    ))}
                </div>
            </FieldSet>
            <FieldSet id={`${id}-levels`} legend={t('escalation.levels')} hint={t('escalation.levelsHint')} error={errors['levels']}>
                {draft.levels.map((l, i) => (
                    <LevelFields
                        key={i}
                        id={id}
                        index={i}
                        count={draft.levels.length}
                        level={l}
                        set={(patch) => setLevel(i, patch)}
                        move={(by) => moveLevel(i, by)}
                        remove={() => set({ levels: draft.levels.filter((_, j) => j !== i) })}
                        errors={errors}
                    />
                ))}
                <div>
                    <button
                        type="button"
                        class="button button-small"
                        disabled={draft.levels.length >= MAX_LEVELS}
                        onClick={() => {
                            const last = draft.levels[draft.levels.length - 1];
                            set({ levels: [...draft.levels, { ...EMPTY_LEVEL, after_min: last ? last.after_min : '0' }] });
                        }}
                    >
                        {t('escalation.addLevel')}
                    </button>
                </div>
            </FieldSet>
            <TextAreaField id={`${id}-note`} label={t('escalation.note')} value={draft.note} onValue={(v) => set({ note: v })} error={errors['note']} />
        </>
    );
}

function RouteCreateForm({ onCreated }: { onCreated: () => void }) {
    const id = useId();
    const [draft, setDraft] = useState<Draft>(EMPTY);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const set = (patch: Partial<Draft>): void => setDraft((d) => ({ ...d, ...patch }));
    const submit = async (): Promise<void> => {
        const input = toCreate(draft);
        const failed = await action.run(async () => {
            await api.createEscalationRoute(input);
            return t('escalation.added', { name: input.name });
        });
        if (failed === null) {
            setDraft(EMPTY);
            onCreated();
        }
    };
    return (
        <Section title={t('escalation.addTitle')}>
            <ServerForm action={action} shown={shownOf(draft)} data-route-create onSubmit={() => void submit()}>
                <RouteFields id={id} draft={draft} set={set} errors={errors} />
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled={action.busy || draft.name.trim() === ''}>
                        {action.busy ? t('escalation.adding') : t('escalation.add')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

/**
 * Changes the route: the members changed are sent with the ETag it was read with (the levels whole).
 * On a 412 nothing is saved: the server's message stays above the form, and the latest version is
 * loaded into it.
 */
function RouteEditForm(props: {
    current: Resource<EscalationRoute>;
    onSaved: (res: Resource<EscalationRoute>) => void;
    onReloaded: (res: Resource<EscalationRoute>) => void;
    onCancel: () => void;
}) {
    return (
        <ResourceEditForm
            {...props}
            draftOf={draftOf}
            toInput={toInput}
            update={(id, p, e) => api.updateEscalationRoute(id, p, e)}
            reload={(id) => api.getEscalationRoute(id)}
            etag={etagOf}
            shown={(draft) => shownOf(draft)}
            Fields={RouteFields}
            marker="route-edit"
            label={t('escalation.editTitle')}
            reloadedTitle={t('escalation.reloaded')}
        />
    );
}

// ---- one route ----

/** The levels as a table: 名前, 組織, 利用者, 外部の連絡先 (with their phones), 連絡まで. */
function LevelTable({ levels }: { levels: readonly EscalationLevel[] }) {
    const orgs = useOrganizations();
    useUsers();
    const none = <span class="muted">{t('common.none')}</span>;
    return (
        <DataTable
            caption={t('escalation.levels')}
            columns={[
                { label: t('escalation.level'), class: 'num' },
                t('escalation.levelName'),
                t('escalation.organization'),
                t('escalation.users'),
                t('escalation.contacts'),
                t('escalation.afterMinShort'),
            ]}
            busy={false}
            empty={levels.length === 0}
        >
            {levels.map((l, i) => (
                <tr key={i} data-level={i}>
                    <td class="num">{i + 1}</td>
                    <td>{l.name}</td>
                    <td>{l.organization_id === null ? none : organizationName(orgs, l.organization_id)}</td>
                    <td>
                        {l.user_ids.length === 0 ? (
                            none
                        ) : (
                            <ul class="plain-list">
                                {l.user_ids.map((u) => (
                                    <li key={u}>{userName(u)}</li>
                                ))}
                            </ul>
                        )}
                    </td>
                    <td>
                        {l.contacts.length === 0 ? (
                            none
                        ) : (
                            <ul class="plain-list">
                                {l.contacts.map((c, j) => (
                                    <li key={j} data-contact={j}>
                                        {contactText(c)}
                                    </li>
                                ))}
                            </ul>
                        )}
                    </td>
                    <td class="nowrap">{l.after_min === 0 ? t('escalation.atOnce') : t('escalation.afterMinValue', { min: formatNumber(l.after_min) })}</td>
                </tr>
            ))}
        </DataTable>
    );
}

function RouteProps({ route: r }: { route: EscalationRoute }) {
    const items = useCis(r.ci_id);
    return (
        <dl class="props" data-route-props>
            <dt>{t('escalation.system')}</dt>
            <dd>
                <SystemLink list={items} id={r.ci_id} />
            </dd>
            <dt>{t('escalation.severities')}</dt>
            <dd>{severitiesText(r.severities)}</dd>
            <dt>{t('escalation.reviewedOn')}</dt>
            <dd>
                <Reviewed route={r} />
            </dd>
            {r.note && (
                <>
                    <dt>{t('escalation.note')}</dt>
                    <dd class="pre-wrap">{r.note}</dd>
                </>
            )}
        </dl>
    );
}

export function EscalationRoutePage({ id }: { id: string }) {
    const routeId = Number(id);
    const item = useLoad(() => api.getEscalationRoute(routeId), [routeId]);
    const editor = hasRole(...ESCALATION_EDITORS);
    const [editing, setEditing] = useState(false);
    const [saved, setSaved] = useState<string | null>(null);
    const confirm = useAction();
    const current = item.data;
    const r = current?.data ?? null;
    const edited = (res: Resource<EscalationRoute>): void => {
        item.set(res);
        setEditing(false);
        setSaved(t('escalation.saved', { name: res.data.name }));
    };
    /** reviewed_on today with the version shown; on a 412 the latest is loaded and the message stays. */
    const markReviewed = async (res: Resource<EscalationRoute>): Promise<void> => {
        setSaved(null);
        const failed = await confirm.run(async () => {
            const answer = await api.updateEscalationRoute(res.data.id, { reviewed_on: todayInJapan() }, etagOf(res));
            item.set(answer);
            return t('escalation.reviewedMsg', { name: answer.data.name, date: civilDate(answer.data.reviewed_on) });
        });
        if (failed instanceof ApiError && failed.status === 412) {
            try {
                item.set(await api.getEscalationRoute(res.data.id));
            } catch {
                // The 412 stays shown; the route may have been deleted meanwhile.
            }
        }
    };
    return (
        <>
            <Breadcrumb href="/escalation-routes" label={t('escalation.back')} />
            <PageHeader title={r?.name ?? t('escalation.title')} />
            {saved && <Alert tone="success" title={saved} />}
            {confirm.done && <Alert tone="success" title={confirm.done} />}
            {confirm.error !== null && <ErrorAlert error={confirm.error} />}
            {item.loading && item.data === null && <Loading />}
            {item.error !== null && <ErrorAlert error={item.error} />}
            {current && r && (
                <Section title={editing ? t('escalation.editTitle') : t('escalation.details')}>
                    {editing ? (
                        <RouteEditForm key={r.id} current={current} onSaved={edited} onReloaded={item.set} onCancel={() => setEditing(false)} />
                    ) : (
                        <>
                            <RouteProps route={r} />
                            <LevelTable levels={r.levels} />
                            {editor && (
                                <div class="form-actions ci-actions">
                                    <button type="button" class="button button-primary" disabled={confirm.busy} onClick={() => void markReviewed(current)}>
                                        {t('escalation.markReviewed')}
                                    </button>
                                    <button
                                        type="button"
                                        class="button"
                                        onClick={() => {
                                            setSaved(null);
                                            confirm.reset();
                                            setEditing(true);
                                        }}
                                    >
                                        {t('escalation.edit')}
                                    </button>
                                    <DeleteRecord
                                        label={t('escalation.delete')}
                                        confirm={t('escalation.deleteConfirm', { name: r.name })}
                                        submit={t('escalation.deleteSubmit')}
                                        remove={() => api.deleteEscalationRoute(r.id)}
                                        then={{ path: '/escalation-routes', message: t('escalation.deleted', { name: r.name }) }}
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

