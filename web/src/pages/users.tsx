// Users: list with filters and paging, create, edit with optimistic concurrency, disable/enable,
// unlock, and setting a new password (which the user must then change). Admins change; managers
// and operators see their own organisation.

import { useMemo, useState } from 'preact/hooks';

import { ROLES, type Role, type User, type UserPatch, type UserQuery, type UserStatus } from '../api/client.ts';
import { flash, flashOn } from '../app/flash.ts';
import { organizationName, useOrganizations } from '../app/organizations.ts';
import { Link, navigate } from '../app/router.tsx';
import { api, currentMe, hasRole } from '../app/session.ts';
import { ConflictAlert, type ComparedField } from '../components/conflict.tsx';
import { useEditable } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { ExportButtons } from '../components/export.tsx';
import { FilterBar, ListToolbar, useUrlFilters } from '../components/filters.tsx';
import { OtherFieldErrors, SelectField, TextField, type Option } from '../components/form.tsx';
import { Pager, usePaged } from '../components/paged.tsx';
import { RolesField } from '../components/roles.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader } from '../components/ui.tsx';
import { formatDateTime } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { isLocked, roleLabel } from '../i18n/labels.ts';
import { fieldLabel } from '../i18n/server.ts';
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

function useOrgOptions(withAll: boolean): Option[] {
    const orgs = useOrganizations();
    const options = (orgs ?? []).map((o) => ({ value: String(o.id), label: o.name }));
    return withAll ? [{ value: '', label: t('filter.all') }, ...options] : options;
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
                actions={
                    admin && (
                        <Link class="button button-primary" href="/users/new">
                            {t('user.create')}
                        </Link>
                    )
                }
            />
            <FilterBar label={t('filter.label')} onApply={f.apply} onClear={f.clear}>
                <TextField
                    id="filter-q"
                    label={t('user.filterQ')}
                    value={f.draft.q}
                    onValue={(v) => f.set('q', v)}
                    type="search"
                />
                {admin && (
                    <SelectField
                        id="filter-org"
                        label={t('field.organization')}
                        value={f.draft.organization_id}
                        onValue={(v) => f.set('organization_id', v)}
                        options={orgOptions}
                    />
                )}
                <SelectField
                    id="filter-role"
                    label={t('field.role')}
                    value={f.draft.role}
                    onValue={(v) => f.set('role', v)}
                    options={[{ value: '', label: t('filter.all') }, ...ROLES.map((r) => ({ value: r, label: roleLabel(r) }))]}
                />
                <SelectField
                    id="filter-status"
                    label={t('field.status')}
                    value={f.draft.status}
                    onValue={(v) => f.set('status', v)}
                    options={[
                        { value: '', label: t('filter.all') },
                        ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
                    ]}
                />
            </FilterBar>
            <ListToolbar count={paged.items.length} loading={paged.loading}>
                <ExportButtons resource="users" filters={filters} />
            </ListToolbar>
            {paged.error !== null && <ErrorAlert error={paged.error} />}
            <div class="table-wrap">
                <table class="table" aria-busy={paged.loading}>
                    <caption class="visually-hidden">{t('user.listTitle')}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t('field.login')}</th>
                            <th scope="col">{t('field.displayName')}</th>
                            <th scope="col">{t('field.organization')}</th>
                            <th scope="col">{t('field.roles')}</th>
                            <th scope="col">{t('field.status')}</th>
                            <th scope="col">{t('col.lastLogin')}</th>
                        </tr>
                    </thead>
                    <tbody>
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

function UserFields({
    draft,
    set,
    errors,
    readOnly,
}: {
    draft: UserDraft;
    set: (patch: Partial<UserDraft>) => void;
    errors: Record<string, string>;
    readOnly: boolean;
}) {
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
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
    const errors = fieldErrors(error);

    const submit = async (event: Event): Promise<void> => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
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
            const path = `/users/${res.data.id}`;
            flashOn(path, t('user.created', { name: res.data.display_name }));
            navigate(path);
        } catch (err) {
            setError(err);
            setBusy(false);
        }
    };

    return (
        <>
            <PageHeader title={t('user.createTitle')} />
            <nav class="breadcrumb" aria-label={t('common.breadcrumb')}>
                <Link href="/users">{t('user.listTitle')}</Link>
            </nav>
            <section class="panel">
                <form class="form" onSubmit={(e) => void submit(e)}>
                    {error !== null && (
                        <ErrorAlert error={error}>
                            <OtherFieldErrors errors={errors} shown={USER_SHOWN} label={fieldLabel} />
                        </ErrorAlert>
                    )}
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
                        <TextField
                            id="user-password"
                            type="password"
                            label={t('field.initialPassword')}
                            value={password}
                            onValue={setPassword}
                            hint={t('password.policy')}
                            error={errors['password']}
                            required
                            autoComplete="new-password"
                        />
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled={busy}>
                            {busy ? t('common.saving') : t('common.create')}
                        </button>
                        <Link class="button" href="/users">
                            {t('common.cancel')}
                        </Link>
                    </div>
                </form>
            </section>
        </>
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
                <TextField
                    id="reset-password"
                    type="password"
                    label={t('field.newPassword')}
                    value={password}
                    onValue={setPassword}
                    hint={t('password.policy')}
                    error={errors['password']}
                    required
                    autoComplete="new-password"
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
    const [draft, setDraft] = useState<UserDraft | null>(null);
    const [saved, setSaved] = useState<string | null>(null);
    const edit = useEditable(() => api.getUser(userId), id, (u) => setDraft(toDraft(u)));
    const orgs = useOrganizations();
    const admin = hasRole('admin');
    const me = currentMe();
    const errors = fieldErrors(edit.error);
    const fields: ComparedField<User>[] = [
        { key: 'display_name', label: t('field.displayName') },
        { key: 'email', label: t('field.email') },
        { key: 'organization_id', label: t('field.organization'), show: (v) => organizationName(orgs, Number(v)) },
        { key: 'roles', label: t('field.roles'), show: (v) => (v as Role[]).map(roleLabel).join('、') },
        { key: 'disabled', label: t('field.status'), show: (v) => (v ? t('status.disabled') : t('status.active')) },
        { key: 'locked_until', label: t('col.lockedUntil'), show: (v) => (v ? formatDateTime(String(v)) : t('common.empty')) },
    ];

    if (edit.loadError !== null && !edit.current) {
        return (
            <>
                <PageHeader title={t('user.editTitle')} />
                <ErrorAlert error={edit.loadError} />
            </>
        );
    }
    const current = edit.current?.data;
    if (!current || !draft) {
        return (
            <>
                <PageHeader title={t('user.editTitle')} />
                <Loading />
            </>
        );
    }
    const patch = userPatch(current, draft);
    const dirty = Object.keys(patch).length > 0;
    const locked = isLocked(current);
    const self = me?.user.id === current.id;
    const flashed = flash.value?.path === `/users/${id}` ? flash.value.text : null;

    const save = async (event: Event): Promise<void> => {
        event.preventDefault();
        setSaved(null);
        if (await edit.update((etag) => api.updateUser(userId, patch, etag))) {
            setSaved(t('common.saved'));
        }
    };
    const toggle = async (): Promise<void> => {
        setSaved(null);
        const res = await edit.update((etag) => api.updateUser(userId, { disabled: !current.disabled }, etag));
        if (res) {
            setSaved(res.data.disabled ? t('user.disabledDone') : t('user.enabledDone'));
        }
    };
    const unlock = async (): Promise<void> => {
        setSaved(null);
        if (await edit.update(() => api.unlockUser(userId))) {
            setSaved(t('user.unlocked'));
        }
    };

    return (
        <>
            <PageHeader
                title={`${current.display_name} (${current.login})`}
                description={t('user.editDescription', { version: current.version })}
                actions={<UserStatusBadges user={current} />}
            />
            <nav class="breadcrumb" aria-label={t('common.breadcrumb')}>
                <Link href="/users">{t('user.listTitle')}</Link>
            </nav>
            {flashed && !saved && <Alert tone="success" title={flashed} />}
            {saved && <Alert tone="success" title={saved} />}
            {edit.conflict && (
                <ConflictAlert base={current} latest={edit.conflict} fields={fields} onReload={() => void edit.reload()} />
            )}
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
                    {edit.error !== null && (
                        <ErrorAlert error={edit.error}>
                            <OtherFieldErrors errors={errors} shown={USER_SHOWN} label={fieldLabel} />
                        </ErrorAlert>
                    )}
                    <div class="form-grid">
                        <TextField id="user-login" label={t('field.login')} value={current.login} onValue={() => {}} readOnly />
                        <UserFields
                            draft={draft}
                            set={(p) => {
                                setSaved(null);
                                setDraft({ ...draft, ...p });
                            }}
                            errors={errors}
                            readOnly={!admin}
                        />
                    </div>
                    <dl class="props props-inline">
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
                            {!self && (
                                <button
                                    type="button"
                                    class={current.disabled ? 'button' : 'button button-danger'}
                                    disabled={edit.busy || dirty || edit.conflict !== null}
                                    title={dirty ? t('common.saveFirst') : undefined}
                                    onClick={() => void toggle()}
                                >
                                    {current.disabled ? t('user.enable') : t('user.disable')}
                                </button>
                            )}
                            {dirty && <span class="unsaved">{t('common.unsaved')}</span>}
                        </div>
                    )}
                </form>
            </section>
            {admin && !self && <ResetPassword userId={userId} onDone={() => void edit.reload()} />}
        </>
    );
}
