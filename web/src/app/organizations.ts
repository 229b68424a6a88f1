// Every organisation, loaded once per session and shared by the pages that show organisation
// names or offer them in a select. Pages that change organisations call `refreshOrganizations()`.

import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';

import type { Id, Organization } from '../api/client.ts';
import { api } from './session.ts';

export const organizations = signal<Organization[] | null>(null);
let pending: Promise<void> | null = null;

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

/** The organisations (null until loaded); loads them on first use. */
export function useOrganizations(): Organization[] | null {
    useEffect(() => {
        if (organizations.value === null && pending === null) {
            void refreshOrganizations();
        }
    }, []);
    return organizations.value;
}

/** The name of organisation `id`, or `#id` while unknown. */
export function organizationName(list: Organization[] | null, id: Id): string {
    return list?.find((o) => o.id === id)?.name ?? `#${id}`;
}

/** Forgets the list (at sign-out). */
export function forgetOrganizations(): void {
    organizations.value = null;
    pending = null;
}
