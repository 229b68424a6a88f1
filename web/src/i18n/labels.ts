// Words for the API's codes: roles, organisation kinds, sign-in results, audit actions, and the
// record ledger's severities, enum values, relations, states and fields.

import type { LoginReason, OrganizationKind, Role, User, Workflow } from '../api/client.ts';
import { isMessageKey, lang, t, type MessageKey } from './index.ts';

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

// ---- the record ledger: words from the workflows (GET /workflows) and from this catalogue ----

export function severityLabel(severity: string): string {
    const key = `severity.${severity}`;
    return isMessageKey(key) ? t(key) : severity;
}

/** The words of an enum field's value (`source` `user_report` → 利用者からの連絡). */
export function enumLabel(field: string, value: string): string {
    const key = `enum.${field}.${value}`;
    return isMessageKey(key) ? t(key) : value;
}

export function relationLabel(relation: string): string {
    const key = `relation.${relation}`;
    return isMessageKey(key) ? t(key) : relation;
}

/** The label of a workflow item (state, field, kind) in the current language. */
export function localLabel(item: { label: string; label_en: string }): string {
    return lang.value === 'en' ? item.label_en : item.label;
}

const CORE_FIELDS: Record<string, MessageKey> = {
    key: 'record.key',
    title: 'record.title',
    description: 'record.description',
    severity: 'record.severity',
    status: 'record.status',
    organization_id: 'record.organization',
    assignee_id: 'record.assignee',
};

/** The label of a record's field, core or the kind's own, in the current language. */
export function recordFieldLabel(workflow: Workflow, name: string): string {
    const core = CORE_FIELDS[name];
    if (core) {
        return t(core);
    }
    const field = workflow.fields.find((f) => f.name === name);
    return field ? localLabel(field) : name;
}

export function stateLabel(workflow: Workflow, name: string): string {
    const state = workflow.states.find((s) => s.name === name);
    return state ? localLabel(state) : name;
}

/** A move's words: the workflow's own (Japanese), or the target state's name in English. */
export function moveLabel(workflow: Workflow, move: { to: string; label: string }): string {
    return lang.value === 'en' ? stateLabel(workflow, move.to) : move.label;
}
