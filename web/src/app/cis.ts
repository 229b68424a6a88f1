// Every configuration item, loaded once per session and shared by the record forms' picker of the
// item a record is about and by the words of such a field (timeline, conflicts). Anyone may list
// the items (docs/cis.md). The CI pages call `cisChanged()` after adding, changing or deleting one.

import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';

import type { ConfigurationItem, Id } from '../api/client.ts';
import { api } from './session.ts';

export const cis = signal<ConfigurationItem[] | null>(null);
let pending: Promise<void> | null = null;
/** Items asked for that were not in the list, so that an unknown one reloads it only once. */
const missed = new Set<Id>();

function refreshCis(): Promise<void> {
    pending = api.listCis().then(
        (list) => {
            cis.value = [...list.items].sort((a, b) => a.name.localeCompare(b.name, 'ja'));
        },
        () => {
            cis.value = cis.value ?? [];
        },
    );
    return pending;
}

/**
 * The items by name (null until loaded); loads them on first use, and again once when `id` (an
 * item a record names) is not among them.
 */
export function useCis(id?: Id | null): ConfigurationItem[] | null {
    const list = cis.value;
    useEffect(() => {
        if (list === null) {
            if (pending === null) {
                void refreshCis();
            }
            return;
        }
        if (id !== undefined && id !== null && !list.some((c) => c.id === id) && !missed.has(id)) {
            missed.add(id);
            void refreshCis();
        }
    }, [list, id]);
    return list;
}

/** The name of item `id`, or `#id` while unknown. */
export function ciName(list: readonly ConfigurationItem[] | null, id: Id): string {
    return list?.find((c) => c.id === id)?.name ?? `#${id}`;
}

/** An item was added, changed or deleted: the list is loaded again if it was loaded. */
export function cisChanged(): void {
    if (cis.value !== null) {
        void refreshCis();
    }
}

/** Forgets the list (at sign-out). */
export function forgetCis(): void {
    cis.value = null;
    pending = null;
    missed.clear();
}
