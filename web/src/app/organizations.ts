// Every organisation, loaded once per session and shared by the pages that show organisation
// names or offer them in a select. Pages that change organisations call `refreshOrganizations()`.

import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';

import type { Id, Organization } from '../api/client.ts';
import { api } from './session.ts';

export const organizations = signal<Organization[] | null>(null);
let pending: Promise<void> | null = null;
/** Organisations asked for that were not in the list, so that an unknown one reloads it only once. */
const missed = new Set<Id>();

export function refreshOrganizations(): Promise<void> {
    pending = api.all(api.listOrganizations, { limit: 500 }).then(
        (items) => {
            organizations.value = items;
        },
        () => {
            organizations.value = organizations.value ?? [];
        },
    );
    return pending;
}

/**
 * The organisations (null until loaded); loads them on first use, and again once when `id` (an
 * organisation a record names) is not among them: one made since they were loaded (by routing, or
 * by an import in another session).
 */
export function useOrganizations(id?: Id | null): Organization[] | null {
    const list = organizations.value;
    useEffect(() => {
        if (list === null) {
            if (pending === null) {
                void refreshOrganizations();
            }
            return;
        }
        if (id !== undefined && id !== null && !list.some((o) => o.id === id) && !missed.has(id)) {
            missed.add(id);
            void refreshOrganizations();
        }
    }, [list, id]);
    return list;
}

/** The name of organisation `id`, or `#id` while unknown. */
export function organizationName(list: Organization[] | null, id: Id): string {
    return list?.find((o) => o.id === id)?.name ?? `#${id}`;
}

/** Forgets the list (at sign-out). */
export function forgetOrganizations(): void {
    organizations.value = null;
    pending = null;
    missed.clear();
}
