// Users: list with filters and paging, create, edit with optimistic concurrency, disable/enable,
// unlock, and setting a new password (which the user must then change). Admins change; managers
// and operators see their own organisation.

import { useState } from 'preact/hooks';

import { ROLES, type Role, type User, type UserPatch, type UserQuery, type UserStatus } from '../api/client.ts';
import { organizationName, useOrganizations } from '../app/organizations.ts';
import { Link } from '../app/router.tsx';
import { api, currentMe, hasRole } from '../app/session.ts';
import { disabledField, type ComparedField } from '../components/conflict.tsx';
import { useCreate } from '../components/create.ts';
import { useEditForm } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { ExportButtons } from '../components/export.tsx';
import { FilterBar, useUrlFilters, withAll } from '../components/filters.tsx';
import { FormErrors, NewPasswordField, SelectField, TextField, type Option } from '../components/form.tsx';
import { usePaged } from '../components/paged.tsx';
import { Breadcrumb, CreateLink, CreatePage, EditActions, EditNotices, pendingEdit, RecordTimes } from '../components/record.tsx';
import type { DraftFieldsProps } from '../components/record.tsx';
import { RolesField } from '../components/roles.tsx';
import { PagedTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, PageHeader } from '../components/ui.tsx';
import { formatDateTime } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { isLocked, roleLabel } from '../i18n/labels.ts';
import { PAGE_SIZE } from './organizations.tsx';

const STATUSES: readonly UserStatus[] = ['active', 'disabled', 'locked'];

/** The status badges of a user: disabled, locked (until when), must change password. */
export function UserStatusBadges({ user }: { user: User }) {
    const locked = isLocked(user);
    return (
        <span class="badges">
            {user.disabled ? (
                <Badge tone="neutral">{t('status.disabled')}</Badge>
            ) : (
                !locked && <Badge tone="success">{t('status.active')}</Badge>
            )}
            {locked && (
                <Badge tone="danger">
                    {t('status.lockedUntil', { until: formatDateTime(user.locked_until) })}
                </Badge>
            )}
            {user.must_change_password && <Badge tone="warning">{t('status.mustChange')}</Badge>}
        </span>
    );
}

function useOrgOptions(all: boolean): Option[] {
    const orgs = useOrganizations();
    const options = (orgs ?? []).map((o) => ({ value: String(o.id), label: o.name }));
    return all ? withAll(options) : options;
}

export function UserListPage() {
    const f = useUrlFilters(['q', 'organization_id', 'role', 'status'] as const);
    const filters: UserQuery = {
        q: f.applied.q || undefined,
        organization_id: f.applied.organization_id ? Number(f.applied.organization_id) : undefined,
        role: (f.applied.role || undefined) as Role | undefined,
        status: (f.applied.status || undefined) as UserStatus | undefined,
    };
    const paged = usePaged((cursor) => api.listUsers({ ...filters, cursor, limit: PAGE_SIZE }), f.key);
    const orgs = useOrganizations();
    const orgOptions = useOrgOptions(true);
    const admin = hasRole('admin');
    return (
        <>
            <PageHeader
                title={t('user.listTitle')}
                description={admin ? t('user.listDescription') : t('user.listDescriptionOwn')}
                actions={admin && <CreateLink href="/users/new" label={t('user.create')} />}
            />
            <FilterBar label={t('filter.label')} onApply={f.apply} onClear={f.clear}>
                <TextField
                    id="filter-q"
                    label={t('user.filterQ')}
                    {...f.bind('q')}
                    type="search"
                />
                {admin && (
                    <SelectField
                        id="filter-org"
                        label={t('field.organization')}
                        {...f.bind('organization_id')}
                        options={orgOptions}
                    />
                )}
                <SelectField
                    id="filter-role"
                    label={t('field.role')}
                    {...f.bind('role')}
                    options={withAll(ROLES.map((r) => ({ value: r, label: roleLabel(r) })))}
                />
                <SelectField
                    id="filter-status"
                    label={t('field.status')}
                    {...f.bind('status')}
                    options={withAll(STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })))}
                />
            </FilterBar>
            <PagedTable
                paged={paged}
                tools={<ExportButtons resource="users" filters={filters} />}
                caption={t('user.listTitle')}
                columns={[
                    t('field.login'),
                    t('field.displayName'),
                    t('field.organization'),
                    t('field.roles'),
                    t('field.status'),
                    t('col.lastLogin'),
                ]}
            >
                {paged.items.map((u) => (
                    <tr key={u.id} class={u.disabled ? 'row-disabled' : isLocked(u) ? 'row-danger' : undefined}>
                        <td class="mono">
                            <Link href={`/users/${u.id}`}>{u.login}</Link>
                        </td>
                        <td>{u.display_name}</td>
                        <td>{organizationName(orgs, u.organization_id)}</td>
                        <td>{u.roles.map(roleLabel).join('、')}</td>
                        <td>
                            <UserStatusBadges user={u} />
                        </td>
                        <td class="nowrap">
                            <DateTime value={u.last_login_at} empty={t('user.never')} />
                        </td>
                    </tr>
                ))}
            </PagedTable>
        </>
    );
}

interface UserDraft {
    display_name: string;
    email: string;
    organization_id: string;
    roles: Role[];
}

function toDraft(u: User): UserDraft {
    return {
        display_name: u.display_name,
        email: u.email ?? '',
        organization_id: String(u.organization_id),
        roles: [...u.roles],
    };
}

function UserFields({ draft, set, errors, readOnly }: DraftFieldsProps<UserDraft>) {
    const orgOptions = useOrgOptions(false);
    const options = draft.organization_id === '' ? [{ value: '', label: t('form.choose') }, ...orgOptions] : orgOptions;
    return (
        <>
            <TextField
                id="user-display-name"
                label={t('field.displayName')}
                value={draft.display_name}
                onValue={(display_name) => set({ display_name })}
                error={errors['display_name']}
                required
                readOnly={readOnly}
                maxLength={200}
            />
            <TextField
                id="user-email"
                type="email"
                label={t('field.email')}
                value={draft.email}
                onValue={(email) => set({ email })}
                error={errors['email']}
                readOnly={readOnly}
                autoComplete="off"
            />
            <SelectField
                id="user-organization"
                label={t('field.organization')}
                value={draft.organization_id}
                onValue={(organization_id) => set({ organization_id })}
                options={options}
                error={errors['organization_id']}
                required
                disabled={readOnly}
            />
            <RolesField value={draft.roles} onValue={(roles) => set({ roles })} error={errors['roles']} readOnly={readOnly} />
        </>
    );
}

const USER_SHOWN = ['login', 'password', 'display_name', 'email', 'organization_id', 'roles'];

export function UserCreatePage() {
    const [login, setLogin] = useState('');
    const [password, setPassword] = useState('');
    const [draft, setDraft] = useState<UserDraft>({ display_name: '', email: '', organization_id: '', roles: [] });
    const form = useCreate(async (idempotencyKey) => {
        const res = await api.createUser(
            {
                login: login.trim(),
                display_name: draft.display_name.trim(),
                organization_id: Number(draft.organization_id),
                roles: draft.roles,
                password,
                ...(draft.email.trim() !== '' ? { email: draft.email.trim() } : {}),
            },
            { idempotencyKey },
        );
        return { path: `/users/${res.data.id}`, message: t('user.created', { name: res.data.display_name }) };
    });
    const errors = fieldErrors(form.error);

    return (
        <CreatePage
            title={t('user.createTitle')}
            back={{ href: '/users', label: t('user.listTitle') }}
            form={form}
            shown={USER_SHOWN}
            browserChecks
        >
            <div class="form-grid">
                <TextField
                    id="user-login"
                    label={t('field.login')}
                    value={login}
                    onValue={setLogin}
                    hint={t('user.loginHint')}
                    error={errors['login']}
                    required
                    autoComplete="off"
                    autoCapitalize="off"
                    spellcheck={false}
                    maxLength={64}
                />
                <UserFields draft={draft} set={(p) => setDraft({ ...draft, ...p })} errors={errors} readOnly={false} />
                <NewPasswordField
                    id="user-password"
                    label={t('field.initialPassword')}
                    value={password}
                    onValue={setPassword}
                    error={errors['password']}
                />
            </div>
        </CreatePage>
    );
}

function userPatch(base: User, draft: UserDraft): UserPatch {
    const patch: UserPatch = {};
    if (draft.display_name.trim() !== base.display_name) {
        patch.display_name = draft.display_name.trim();
    }
    if (draft.email.trim() !== (base.email ?? '')) {
        patch.email = draft.email.trim();
    }
    if (Number(draft.organization_id) !== base.organization_id) {
        patch.organization_id = Number(draft.organization_id);
    }
    if (draft.roles.join(' ') !== base.roles.join(' ')) {
        patch.roles = draft.roles;
    }
    return patch;
}

function ResetPassword({ userId, onDone }: { userId: number; onDone: () => void }) {
    const [password, setPassword] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    const [done, setDone] = useState(false);
    const errors = fieldErrors(error);
    const submit = async (event: Event): Promise<void> => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        setDone(false);
        try {
            await api.setUserPassword(userId, password);
            setPassword('');
            setDone(true);
            onDone();
        } catch (err) {
            setError(err);
        } finally {
            setBusy(false);
        }
    };
    return (
        <section class="panel" aria-labelledby="reset-title">
            <h2 id="reset-title" class="panel-title">
                {t('user.resetTitle')}
            </h2>
            <p class="muted">{t('user.resetDescription')}</p>
            <form class="form form-inline" onSubmit={(e) => void submit(e)}>
                {done && <Alert tone="success" title={t('user.resetDone')} />}
                {error !== null && !errors['password'] && <ErrorAlert error={error} />}
                <NewPasswordField
                    id="reset-password"
                    label={t('field.newPassword')}
                    value={password}
                    onValue={setPassword}
                    error={errors['password']}
                />
                <div class="form-actions">
                    <button type="submit" class="button" disabled={busy || password === ''}>
                        {t('user.resetSubmit')}
                    </button>
                </div>
            </form>
        </section>
    );
}

export function UserEditPage({ id }: { id: string }) {
    const userId = Number(id);
    const form = useEditForm(() => api.getUser(userId), id, toDraft);
    const { edit, draft } = form;
    const orgs = useOrganizations();
    const admin = hasRole('admin');
    const me = currentMe();
    const errors = fieldErrors(edit.error);
    const fields: ComparedField<User>[] = [
        { key: 'display_name', label: t('field.displayName') },
        { key: 'email', label: t('field.email') },
        { key: 'organization_id', label: t('field.organization'), show: (v) => organizationName(orgs, Number(v)) },
        { key: 'roles', label: t('field.roles'), show: (v) => (v as Role[]).map(roleLabel).join('、') },
        disabledField(),
        { key: 'locked_until', label: t('col.lockedUntil'), show: (v) => (v ? formatDateTime(String(v)) : t('common.empty')) },
    ];

    const current = edit.current?.data;
    if (!current || !draft) {
        return pendingEdit(t('user.editTitle'), edit);
    }
    const patch = userPatch(current, draft);
    const dirty = Object.keys(patch).length > 0;
    const locked = isLocked(current);
    const self = me?.user.id === current.id;

    const save = async (event: Event): Promise<void> => {
        event.preventDefault();
        await form.act((etag) => api.updateUser(userId, patch, etag), () => t('common.saved'));
    };
    const toggle = (): Promise<unknown> =>
        form.act(
            (etag) => api.updateUser(userId, { disabled: !current.disabled }, etag),
            (u) => (u.disabled ? t('user.disabledDone') : t('user.enabledDone')),
        );
    const unlock = (): Promise<unknown> => form.act(() => api.unlockUser(userId), () => t('user.unlocked'));

    return (
        <>
            <PageHeader
                title={`${current.display_name} (${current.login})`}
                description={t('user.editDescription', { version: current.version })}
                actions={<UserStatusBadges user={current} />}
            />
            <Breadcrumb href="/users" label={t('user.listTitle')} />
            <EditNotices form={form} path={`/users/${id}`} fields={fields} />
            {locked && admin && (
                <Alert tone="danger" title={t('user.lockedNotice', { until: formatDateTime(current.locked_until) })}>
                    <div class="alert-actions">
                        <button
                            type="button"
                            class="button button-primary"
                            disabled={edit.busy || dirty}
                            onClick={() => void unlock()}
                        >
                            {t('user.unlock')}
                        </button>
                    </div>
                </Alert>
            )}
            <section class="panel">
                <form class="form" onSubmit={(e) => void save(e)}>
                    <FormErrors error={edit.error} shown={USER_SHOWN} />
                    <div class="form-grid">
                        <TextField id="user-login" label={t('field.login')} value={current.login} onValue={() => {}} readOnly />
                        <UserFields draft={draft} set={form.change} errors={errors} readOnly={!admin} />
                    </div>
                    <RecordTimes record={current}>
                        <dt>{t('col.lastLogin')}</dt>
                        <dd>
                            <DateTime value={current.last_login_at} empty={t('user.never')} />
                        </dd>
                        <dt>{t('col.failedLogins')}</dt>
                        <dd>{current.failed_logins}</dd>
                        <dt>{t('col.passwordChanged')}</dt>
                        <dd>
                            <DateTime value={current.password_changed_at} />
                        </dd>
                    </RecordTimes>
                    {admin && (
                        <EditActions
                            edit={edit}
                            dirty={dirty}
                            toggle={
                                self
                                    ? undefined
                                    : {
                                          disabled: current.disabled,
                                          label: current.disabled ? t('user.enable') : t('user.disable'),
                                          run: () => void toggle(),
                                      }
                            }
                        />
                    )}
                </form>
            </section>
            {admin && !self && <ResetPassword userId={userId} onDone={() => void edit.reload()} />}
        </>
    );
}
