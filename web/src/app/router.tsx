// Client-side routing on the history API: the URL is the state, so every page and its filters
// survive a reload and can be shared as a link. The server answers index.html for any path without
// a file extension, so deep links load the console first.

import { signal } from '@preact/signals';
import type { ComponentChildren, JSX } from 'preact';

export interface Location {
    path: string;
    query: URLSearchParams;
}

function read(): Location {
    return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

/** The current location; components that read it re-render on navigation. */
export const location = signal<Location>(read());

// False until the user moves inside the console (navigates, signs in). On the page as loaded the
// browser's own focus order applies (the skip link first); after a move, the new page's heading
// takes the focus so that screen readers announce it.
let moved = false;

/** True once the user has moved inside the console since the document loaded. */
export function hasMoved(): boolean {
    return moved;
}

/** Records a move that replaced the page's content without a navigation (e.g. signing in). */
export function markMoved(): void {
    moved = true;
}

window.addEventListener('popstate', () => {
    moved = true;
    location.value = read();
});

/** Goes to `to` (a path with an optional query); `replace` keeps the history entry. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
    const current = window.location.pathname + window.location.search;
    if (to === current) {
        return;
    }
    moved = true;
    if (options.replace) {
        window.history.replaceState(null, '', to);
    } else {
        window.history.pushState(null, '', to);
    }
    location.value = read();
}

/** Replaces the query of the current path with the defined, non-empty entries of `params`. */
export function setQuery(params: Record<string, string | undefined>, options: { replace?: boolean } = {}): void {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
        if (value !== undefined && value !== '') {
            query.set(key, value);
        }
    }
    const text = query.toString();
    navigate(location.value.path + (text === '' ? '' : `?${text}`), options);
}

/** Matches `/users/:id` against a path; the named parts, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
    const want = pattern.split('/').filter(Boolean);
    const have = path.split('/').filter(Boolean);
    if (want.length !== have.length) {
        return null;
    }
    const params: Record<string, string> = {};
    for (let i = 0; i < want.length; i += 1) {
        const w = want[i] ?? '';
        const h = have[i] ?? '';
        if (w.startsWith(':')) {
            params[w.slice(1)] = decodeURIComponent(h);
        } else if (w !== h) {
            return null;
        }
    }
    return params;
}

type AnchorProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'> & {
    href: string;
    children?: ComponentChildren;
};

/** An anchor that navigates inside the console; modified clicks (new tab, …) behave as usual. */
export function Link({ href, onClick, ...rest }: AnchorProps) {
    const handle = (event: JSX.TargetedMouseEvent<HTMLAnchorElement>): void => {
        if (typeof onClick === 'function') {
            onClick(event);
        }
        if (
            event.defaultPrevented ||
            event.button !== 0 ||
            event.metaKey ||
            event.ctrlKey ||
            event.shiftKey ||
            event.altKey
        ) {
            return;
        }
        event.preventDefault();
        navigate(href);
    };
    return <a href={href} onClick={handle} {...rest} />;
}
