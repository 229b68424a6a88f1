// Accounts on the managed systems (管理対象アカウント, issue 7: ACC-4; docs/managed-accounts.md) —
// not unyo's own users but the accounts on the systems unyo looks after.
//
// `/managed-accounts` lists them by system and account (システム, アカウント, 保有者, 所属, 権限, 状態,
// 最終利用日, 退職・異動日, 最終見直し) with what needs acting on as badges (休眠, 退職者, 見直し期限),
// the leavers' rows in red and the dormant ones in yellow; filtered by system and by 休眠のみ,
// 退職者のみ, 見直し期限のみ (kept in the URL). Those who write register an account below the list.
// `/managed-accounts/{id}` shows one; they change it there (If-Match; a 412 says so and loads the
// latest). The periodic review is a checklist run (pages/checklists.tsx, /account-reviews).

import { useId, useState } from 'preact/hooks';

import {
    MANAGED_ACCOUNT_PRIVILEGES,
    MANAGED_ACCOUNT_STATUSES,
    type Id,
    type ManagedAccount,
    type ManagedAccountInput,
    type ManagedAccountPrivilege,
    type ManagedAccountStatus,
    type Resource,
    type Role,
} from '../api/client.ts';
import { useCis } from '../app/cis.ts';
import { organizationName, useOrganizations } from '../app/organizations.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { userName } from '../app/users.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { etagOf } from '../components/editable.ts';
import { ResourceEditForm } from '../components/edit-form.tsx';
import { fieldErrors } from '../components/errors.ts';
import { FilterBar, useUrlFilters, withAll } from '../components/filters.tsx';
import { CheckField, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { CiPicker, OrganizationPicker, UserPicker } from '../components/record-fields.tsx';
import { Breadcrumb } from '../components/record.tsx';
import { LoadedTable } from '../components/table.tsx';
import { Alert, Badge, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { t } from '../i18n/index.ts';
import { civilDate } from './cis.tsx';

/** Who reads the accounts and the reviews (not requesters). */
export const ACCOUNT_READERS: readonly Role[] = ['admin', 'manager', 'operator', 'vendor', 'viewer'];
/** Who registers and changes accounts. */
const ACCOUNT_WRITERS = ['admin', 'manager', 'operator', 'vendor'] as const;

export function privilegeLabel(p: ManagedAccountPrivilege | string): string {
    return (MANAGED_ACCOUNT_PRIVILEGES as readonly string[]).includes(p) ? t(`accounts.privilege.${p as ManagedAccountPrivilege}`) : p;
}

function statusLabel(s: ManagedAccountStatus): string {
    return t(`accounts.status.${s}`);
}

/** 休眠 / 退職者 / 見直し期限: what needs acting on, in words. */
export function AttentionBadges({ dormant, leaver, reviewDue }: { dormant: boolean; leaver: boolean; reviewDue?: boolean }) {
    return (
        <span class="badges" data-attention>
            {leaver && <Badge tone="danger">{t('accounts.leaver')}</Badge>}
            {dormant && <Badge tone="warning">{t('accounts.dormant')}</Badge>}
            {reviewDue && <Badge tone="info">{t('accounts.reviewDue')}</Badge>}
        </span>
    );
}

function rowClass(a: ManagedAccount): string | undefined {
    if (a.status !== 'active') {
        return 'row-disabled';
    }
    return a.leaver ? 'row-danger' : a.dormant ? 'row-warning' : undefined;
}

function Day({ value }: { value: string | null }) {
    return value ? <>{civilDate(value)}</> : <span class="muted">{t('common.none')}</span>;
}

// ---- the list ----

export function ManagedAccountListPage() {
    const f = useUrlFilters(['ci_id', 'dormant', 'leavers', 'review_due'] as const);
    const ciId = /^\d+$/.test(f.applied.ci_id) ? Number(f.applied.ci_id) : undefined;
    const list = useLoad(
        () =>
            api.listManagedAccounts({
                ci_id: ciId,
                dormant: f.applied.dormant === 'true',
                leavers: f.applied.leavers === 'true',
                review_due: f.applied.review_due === 'true',
            }),
        [f.key],
    );
    const systems = useCis();
    const orgs = useOrganizations();
    const check = (name: 'dormant' | 'leavers' | 'review_due', label: string) => (
        <CheckField id={`filter-${name}`} label={label} checked={f.draft[name] === 'true'} onChecked={(on) => f.set(name, on ? 'true' : '')} />
    );
    return (
        <>
            <PageHeader title={t('accounts.title')} description={t('accounts.description')} />
            <FilterBar label={t('filter.label')} onApply={f.apply} onClear={f.clear}>
                <SelectField
                    id="filter-ci"
                    label={t('accounts.system')}
                    {...f.bind('ci_id')}
                    options={withAll((systems ?? []).map((c) => ({ value: String(c.id), label: c.name })))}
                />
                {check('dormant', t('accounts.dormantOnly'))}
                {check('leavers', t('accounts.leaversOnly'))}
                {check('review_due', t('accounts.reviewDueOnly'))}
            </FilterBar>
            <Section title={t('accounts.list')}>
                <p class="hint">
                    {t('accounts.reviewLink')} <Link href="/account-reviews">{t('nav.accountReviews')}</Link>
                </p>
                <LoadedTable
                    list={list}
                    caption={t('accounts.list')}
                    columns={[
                        t('accounts.system'),
                        t('accounts.account'),
                        t('accounts.holder'),
                        t('accounts.organization'),
                        t('accounts.privilege'),
                        t('accounts.statusCol'),
                        t('accounts.lastUsedOn'),
                        t('accounts.leavesOn'),
                        t('accounts.lastReviewed'),
                        t('accounts.attention'),
                    ]}
                    row={(a: ManagedAccount) => (
                        <tr key={a.id} data-managed-account={a.id} class={rowClass(a)}>
                            <td>
                                <Link href={`/cis/${a.ci_id}`}>{a.ci_name}</Link>
                            </td>
                            <td class="mono">
                                <Link href={`/managed-accounts/${a.id}`}>{a.account}</Link>
                            </td>
                            <td>{a.holder}</td>
                            <td>{a.organization_id !== null ? organizationName(orgs, a.organization_id) : ''}</td>
                            <td>{privilegeLabel(a.privilege)}</td>
                            <td>{statusLabel(a.status)}</td>
                            <td class="nowrap">{a.last_used_on ? civilDate(a.last_used_on) : ''}</td>
                            <td class="nowrap">{a.leaves_on ? civilDate(a.leaves_on) : ''}</td>
                            <td class="nowrap">{a.last_reviewed_on ? `${civilDate(a.last_reviewed_on)} ${a.last_reviewed_by}` : ''}</td>
                            <td>
                                <AttentionBadges dormant={a.dormant} leaver={a.leaver} reviewDue={a.review_due} />
                            </td>
                        </tr>
                    )}
                />
            </Section>
            {hasRole(...ACCOUNT_WRITERS) && <RegisterForm onRegistered={list.reload} defaultCi={ciId} />}
        </>
    );
}

// ---- the form ----

interface Draft {
    ci_id: string;
    account: string;
    holder: string;
    holder_user_id: string;
    organization_id: string;
    privilege: ManagedAccountPrivilege;
    status: ManagedAccountStatus;
    last_used_on: string;
    leaves_on: string;
    note: string;
}

const SHOWN = ['ci_id', 'account', 'holder', 'holder_user_id', 'organization_id', 'privilege', 'status', 'last_used_on', 'leaves_on', 'note'];

function emptyDraft(ciId: Id | undefined): Draft {
    return {
        ci_id: ciId === undefined ? '' : String(ciId),
        account: '',
        holder: '',
        holder_user_id: '',
        organization_id: '',
        privilege: 'general',
        status: 'active',
        last_used_on: '',
        leaves_on: '',
        note: '',
    };
}

function draftOf(a: ManagedAccount): Draft {
    return {
        ci_id: String(a.ci_id),
        account: a.account,
        holder: a.holder,
        holder_user_id: a.holder_user_id === null ? '' : String(a.holder_user_id),
        organization_id: a.organization_id === null ? '' : String(a.organization_id),
        privilege: a.privilege,
        status: a.status,
        last_used_on: a.last_used_on ?? '',
        leaves_on: a.leaves_on ?? '',
        note: a.note,
    };
}

/** An id picked or typed; a typed one that is not a number goes as text, so that the server names it. */
function idOf(text: string): Id | null {
    const v = text.trim();
    return v === '' ? null : /^\d+$/.test(v) ? Number(v) : (v as unknown as Id);
}

/** Every member as the API takes it (empty dates and ids: null). */
function toInput(d: Draft): ManagedAccountInput {
    return {
        ci_id: idOf(d.ci_id) as Id,
        account: d.account.trim(),
        holder: d.holder.trim(),
        holder_user_id: idOf(d.holder_user_id),
        organization_id: idOf(d.organization_id),
        privilege: d.privilege,
        status: d.status,
        last_used_on: d.last_used_on || null,
        leaves_on: d.leaves_on || null,
        note: d.note.trim(),
    };
}

/** A new account: the system (null when none is chosen: the server names it) and what is given. */
function toCreate(d: Draft): ManagedAccountInput {
    const all = toInput(d);
    const out: ManagedAccountInput = { ci_id: all.ci_id, account: all.account, privilege: all.privilege, status: all.status };
    if (all.holder) out.holder = all.holder;
    if (all.holder_user_id !== null) out.holder_user_id = all.holder_user_id;
    if (all.organization_id !== null) out.organization_id = all.organization_id;
    if (all.last_used_on) out.last_used_on = all.last_used_on;
    if (all.leaves_on) out.leaves_on = all.leaves_on;
    if (all.note) out.note = all.note;
    return out;
}

function AccountFields({
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
    return (
        <div class="form-grid">
            <CiPicker id={`${id}-ci`} label={t('accounts.system')} value={draft.ci_id} onValue={(v) => set({ ci_id: v })} error={errors['ci_id']} required />
            <TextField
                id={`${id}-account`}
                label={t('accounts.account')}
                value={draft.account}
                onValue={(v) => set({ account: v })}
                error={errors['account']}
                required
                maxLength={200}
                autoComplete="off"
            />
            <TextField
                id={`${id}-holder`}
                label={t('accounts.holder')}
                value={draft.holder}
                onValue={(v) => set({ holder: v })}
                error={errors['holder']}
                maxLength={200}
                autoComplete="off"
            />
            <UserPicker
                id={`${id}-holder-user`}
                label={t('accounts.holderUser')}
                value={draft.holder_user_id}
                onValue={(v) => set({ holder_user_id: v })}
                error={errors['holder_user_id']}
                empty={t('accounts.noHolderUser')}
            />
            <OrganizationPicker
                id={`${id}-org`}
                label={t('accounts.organization')}
                value={draft.organization_id}
                onValue={(v) => set({ organization_id: v })}
                error={errors['organization_id']}
                empty={t('record.unset')}
            />
            <SelectField
                id={`${id}-privilege`}
                label={t('accounts.privilege')}
                value={draft.privilege}
                onValue={(v) => set({ privilege: v as ManagedAccountPrivilege })}
                options={MANAGED_ACCOUNT_PRIVILEGES.map((p) => ({ value: p, label: privilegeLabel(p) }))}
                error={errors['privilege']}
            />
            <SelectField
                id={`${id}-status`}
                label={t('accounts.statusCol')}
                value={draft.status}
                onValue={(v) => set({ status: v as ManagedAccountStatus })}
                options={MANAGED_ACCOUNT_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
                error={errors['status']}
            />
            <TextField
                id={`${id}-last-used`}
                label={t('accounts.lastUsedOn')}
                hint={t('accounts.lastUsedHint')}
                type="date"
                value={draft.last_used_on}
                onValue={(v) => set({ last_used_on: v })}
                error={errors['last_used_on']}
            />
            <TextField
                id={`${id}-leaves-on`}
                label={t('accounts.leavesOn')}
                hint={t('accounts.leavesOnHint')}
                type="date"
                value={draft.leaves_on}
                onValue={(v) => set({ leaves_on: v })}
                error={errors['leaves_on']}
            />
            <TextAreaField id={`${id}-note`} label={t('accounts.note')} value={draft.note} onValue={(v) => set({ note: v })} error={errors['note']} />
        </div>
    );
}

function RegisterForm({ onRegistered, defaultCi }: { onRegistered: () => void; defaultCi: Id | undefined }) {
    const id = useId();
    const [draft, setDraft] = useState<Draft>(() => emptyDraft(defaultCi));
    const action = useAction();
    const errors = fieldErrors(action.error);
    const set = (patch: Partial<Draft>): void => setDraft((d) => ({ ...d, ...patch }));
    const submit = async (): Promise<void> => {
        const input = toCreate(draft);
        const failed = await action.run(async () => {
            const res = await api.createManagedAccount(input);
            return t('accounts.registered', { account: res.data.account, system: res.data.ci_name });
        });
        if (failed === null) {
            // The next account is likely on the same system.
            setDraft(emptyDraft(input.ci_id ?? undefined));
            onRegistered();
        }
    };
    return (
        <Section title={t('accounts.registerTitle')}>
            <ServerForm action={action} shown={SHOWN} data-managed-account-create onSubmit={() => void submit()}>
                <AccountFields id={id} draft={draft} set={set} errors={errors} />
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled={action.busy}>
                        {action.busy ? t('accounts.registering') : t('accounts.register')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

function EditForm(props: {
    current: Resource<ManagedAccount>;
    onSaved: (res: Resource<ManagedAccount>) => void;
    onReloaded: (res: Resource<ManagedAccount>) => void;
    onCancel: () => void;
}) {
    return (
        <ResourceEditForm
            {...props}
            draftOf={draftOf}
            toInput={toInput}
            update={(id, p, e) => api.updateManagedAccount(id, p, e)}
            reload={(id) => api.getManagedAccount(id)}
            etag={etagOf}
            shown={() => SHOWN}
            Fields={AccountFields}
            marker="managed-account-edit"
            label={t('accounts.editTitle')}
            reloadedTitle={t('accounts.reloaded')}
        />
    );
}

function AccountProps({ a }: { a: ManagedAccount }) {
    const orgs = useOrganizations(a.organization_id);
    const none = <span class="muted">{t('common.none')}</span>;
    return (
        <dl class="props" data-managed-account-props>
            <dt>{t('accounts.system')}</dt>
            <dd>
                <Link href={`/cis/${a.ci_id}`}>{a.ci_name}</Link>
            </dd>
            <dt>{t('accounts.account')}</dt>
            <dd class="mono">{a.account}</dd>
            <dt>{t('accounts.holder')}</dt>
            <dd>{a.holder || none}</dd>
            <dt>{t('accounts.holderUser')}</dt>
            <dd>{a.holder_user_id !== null ? userName(a.holder_user_id) : none}</dd>
            <dt>{t('accounts.organization')}</dt>
            <dd>{a.organization_id !== null ? organizationName(orgs, a.organization_id) : none}</dd>
            <dt>{t('accounts.privilege')}</dt>
            <dd>{privilegeLabel(a.privilege)}</dd>
            <dt>{t('accounts.statusCol')}</dt>
            <dd data-managed-account-status>
                {statusLabel(a.status)} <AttentionBadges dormant={a.dormant} leaver={a.leaver} reviewDue={a.review_due} />
            </dd>
            <dt>{t('accounts.lastUsedOn')}</dt>
            <dd>
                <Day value={a.last_used_on} />
            </dd>
            <dt>{t('accounts.leavesOn')}</dt>
            <dd>
                <Day value={a.leaves_on} />
            </dd>
            <dt>{t('accounts.lastReviewed')}</dt>
            <dd>{a.last_reviewed_on ? `${civilDate(a.last_reviewed_on)} ${a.last_reviewed_by}` : none}</dd>
            {a.note && (
                <>
                    <dt>{t('accounts.note')}</dt>
                    <dd class="pre-wrap">{a.note}</dd>
                </>
            )}
        </dl>
    );
}

// ---- one account ----

export function ManagedAccountPage({ id }: { id: string }) {
    const accountId = Number(id);
    const item = useLoad(() => api.getManagedAccount(accountId), [accountId]);
    const writer = hasRole(...ACCOUNT_WRITERS);
    const [editing, setEditing] = useState(false);
    const [saved, setSaved] = useState<string | null>(null);
    const current = item.data;
    const a = current?.data ?? null;
    return (
        <>
            <Breadcrumb href="/managed-accounts" label={t('accounts.back')} />
            <PageHeader title={a ? `${a.account} (${a.ci_name})` : t('accounts.title')} />
            {saved && <Alert tone="success" title={saved} />}
            {item.loading && item.data === null && <Loading />}
            {item.error !== null && <ErrorAlert error={item.error} />}
            {current && a && (
                <Section title={editing ? t('accounts.editTitle') : t('accounts.details')}>
                    {editing ? (
                        <EditForm
                            key={a.id}
                            current={current}
                            onSaved={(res) => {
                                item.set(res);
                                setEditing(false);
                                setSaved(t('accounts.saved', { account: res.data.account }));
                            }}
                            onReloaded={item.set}
                            onCancel={() => setEditing(false)}
                        />
                    ) : (
                        <>
                            <AccountProps a={a} />
                            {writer && (
                                <div class="form-actions">
                                    <button
                                        type="button"
                                        class="button"
                                        onClick={() => {
                                            setSaved(null);
                                            setEditing(true);
                                        }}
                                    >
                                        {t('accounts.edit')}
                                    </button>
                                </div>
                            )}
                        </>
                    )}
                </Section>
            )}
        </>
    );
}
