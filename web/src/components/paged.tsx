// Cursor paging for the API's `{items, next_cursor}` lists: the cursors of the pages visited are
// kept so "previous" works; a change of `key` (the filters) starts again at the first page.

import { useEffect, useRef, useState } from 'preact/hooks';

import type { Page } from '../api/client.ts';
import { t } from '../i18n/index.ts';

export interface Paged<T> {
    items: T[];
    loading: boolean;
    error: unknown;
    /** 1-based page number. */
    page: number;
    hasPrev: boolean;
    hasNext: boolean;
    next(): void;
    prev(): void;
    first(): void;
    reload(): void;
}

interface Loaded<T> {
    items: T[];
    next: string | null;
    loading: boolean;
    error: unknown;
}

/** Loads one page at a time with `load(cursor)`; `key` names the current filters. */
export function usePaged<T>(load: (cursor: string | undefined) => Promise<Page<T>>, key: string): Paged<T> {
    const loadRef = useRef(load);
    loadRef.current = load;
    const [pos, setPos] = useState<{ key: string; stack: (string | undefined)[] }>({ key, stack: [undefined] });
    const stack = pos.key === key ? pos.stack : [undefined];
    const cursor = stack[stack.length - 1];
    const [tick, setTick] = useState(0);
    const [state, setState] = useState<Loaded<T>>({ items: [], next: null, loading: true, error: null });

    useEffect(() => {
        let live = true;
        setState((s) => ({ ...s, loading: true, error: null }));
        loadRef.current(cursor).then(
            (page) => {
                if (live) {
                    setState({ items: page.items, next: page.next_cursor, loading: false, error: null });
                }
            },
            (error: unknown) => {
                if (live) {
                    setState((s) => ({ ...s, items: [], next: null, loading: false, error }));
                }
            },
        );
        return () => {
            live = false;
        };
    }, [key, cursor, tick]);

    const nextCursor = state.next;
    return {
        items: state.items,
        loading: state.loading,
        error: state.error,
        page: stack.length,
        hasPrev: stack.length > 1,
        hasNext: nextCursor !== null,
        next: () => {
            if (nextCursor !== null) {
                setPos({ key, stack: [...stack, nextCursor] });
            }
        },
        prev: () => setPos({ key, stack: stack.slice(0, -1) }),
        first: () => setPos({ key, stack: [undefined] }),
        reload: () => setTick((n) => n + 1),
    };
}

/** Previous / next buttons with the page number; sits under a table. */
export function Pager<T>({ paged, label }: { paged: Paged<T>; label: string }) {
    return (
        <nav class="pager" aria-label={label}>
            <button type="button" class="button" onClick={paged.prev} disabled={!paged.hasPrev || paged.loading}>
                {t('pager.prev')}
            </button>
            <span class="pager-page" aria-live="polite">
                {t('pager.page', { page: paged.page })}
            </span>
            <button type="button" class="button" onClick={paged.next} disabled={!paged.hasNext || paged.loading}>
                {t('pager.next')}
            </button>
        </nav>
    );
}
