// The signed-in state of the console and the one API client every page uses.
//
// The client runs on the page's origin with the session cookie; the CSRF token comes from login or
// /me and is kept by the client. Any 401 on a page's request means the session ended (expired,
// signed out elsewhere, server restarted with a new key): the console then shows the sign-in page
// and, after signing in again, the same URL.

import { signal } from '@preact/signals';

import { ApiClient, ApiError, type Me, type Role } from '../api/client.ts';
import { markMoved } from './router.tsx';

export type SessionState =
    | { status: 'loading' }
    | { status: 'signed-out'; expired: boolean }
    | { status: 'unreachable'; error: unknown }
    | { status: 'signed-in'; me: Me };

export const session = signal<SessionState>({ status: 'loading' });

const watchedFetch: typeof fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    if (response.status === 401 && session.value.status === 'signed-in') {
        session.value = { status: 'signed-out', expired: true };
    }
    return response;
};

export const api = new ApiClient({ baseUrl: '', fetch: watchedFetch });

/** Asks the server who is signed in. */
export async function loadSession(): Promise<void> {
    try {
        const me = await api.me();
        session.value = { status: 'signed-in', me };
    } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
            session.value = { status: 'signed-out', expired: false };
        } else {
            session.value = { status: 'unreachable', error: err };
        }
    }
}

/** Signs in; throws the ApiError of a refusal (401 wrong credentials, 423 locked, …). */
export async function signIn(login: string, password: string): Promise<void> {
    await api.login(login, password);
    markMoved();
    await loadSession();
}

/** Signs out (ignoring a session that already ended) and shows the sign-in page. */
export async function signOut(): Promise<void> {
    try {
        await api.logout();
    } catch (err) {
        if (!(err instanceof ApiError)) {
            throw err;
        }
    }
    api.setCsrfToken(null);
    session.value = { status: 'signed-out', expired: false };
}

/** The signed-in user's answer to /me, or null. */
export function currentMe(): Me | null {
    const s = session.value;
    return s.status === 'signed-in' ? s.me : null;
}

/** True when the signed-in user has one of `roles`. */
export function hasRole(...roles: Role[]): boolean {
    const me = currentMe();
    return me !== null && me.user.roles.some((r) => roles.includes(r));
}
