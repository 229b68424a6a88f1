// Words for the API's codes: roles, organisation kinds, sign-in results, audit actions.

import type { LoginReason, OrganizationKind, Role, User } from '../api/client.ts';
import { isMessageKey, t } from './index.ts';

export function roleLabel(role: Role | string): string {
    const key = `role.${role}`;
    return isMessageKey(key) ? t(key) : role;
}

export function kindLabel(kind: OrganizationKind | string): string {
    const key = `kind.${kind}`;
    return isMessageKey(key) ? t(key) : kind;
}

export function reasonLabel(reason: LoginReason | string): string {
    const key = `reason.${reason}`;
    return isMessageKey(key) ? t(key) : reason;
}

/** Audit actions the server writes today (`<entity>.<verb>`). */
export const AUDIT_ACTIONS = [
    'session.login',
    'session.logout',
    'user.create',
    'user.update',
    'user.delete',
    'user.lock',
    'user.unlock',
    'user.password_change',
    'user.password_reset',
    'organization.create',
    'organization.update',
    'organization.delete',
    'token.create',
    'token.delete',
] as const;

export function actionLabel(action: string): string {
    const key = `action.${action}`;
    return isMessageKey(key) ? t(key) : action;
}

export function entityLabel(entity: string): string {
    const key = `entity.${entity}`;
    return isMessageKey(key) ? t(key) : entity;
}

/** True while `user.locked_until` lies in the future. */
export function isLocked(user: Pick<User, 'locked_until'>, now = Date.now()): boolean {
    return user.locked_until !== null && Date.parse(user.locked_until) > now;
}
