// The users who may be picked as assignees and owners, loaded once per session and shared by the
// ledger's forms and filters. Only staff (admin, manager, operator) may list users (docs/api.md);
// for others the list is null and the pickers fall back to typing an id.

import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';

import type { User } from '../api/client.ts';
import { api, currentMe, hasRole } from './session.ts';

/** undefined while loading; null when this user may not list users. */
const users = signal<User[] | null | undefined>(undefined);
let asked = false;

/** The users (see `users`); loads them on first use. */
export function useUsers(): User[] | null | undefined {
    useEffect(() => {
        if (asked) {
            return;
        }
        asked = true;
        if (!hasRole('admin', 'manager', 'operator')) {
            users.value = null;
            return;
        }
        api.all(api.listUsers, { limit: 500 }).then(
            (items) => {
                users.value = items;
            },
            () => {
                users.value = null;
            },
        );
    }, []);
    return users.value;
}

/** The name of user `id` where the list is known (or it is the signed-in user), else `#id`. */
export function userName(id: unknown): string {
    const me = currentMe()?.user;
    const user = users.value?.find((u) => u.id === Number(id)) ?? (me && me.id === Number(id) ? me : undefined);
    return user ? `${user.display_name} (${user.login})` : `#${String(id)}`;
}

/** Forgets the users (at sign-out). */
export function forgetUsers(): void {
    users.value = undefined;
    asked = false;
}
