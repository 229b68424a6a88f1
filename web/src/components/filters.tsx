// List filters kept in the URL (so a filtered list survives a reload and can be shared): the form
// edits a draft; "search" writes the draft to the query string, which reloads the list.

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

import { location, setQuery } from '../app/router.tsx';
import { t } from '../i18n/index.ts';
import type { Option } from './form.tsx';

/** A filter's choices, after "all" (no filter). */
export function withAll(options: readonly Option[]): Option[] {
    return [{ value: '', label: t('filter.all') }, ...options];
}

export interface Bound {
    value: string;
    onValue: (value: string) => void;
}

export interface UrlFilters<K extends string> {
    /** The filters in force (from the URL); `''` when unset. */
    applied: Record<K, string>;
    /** A string that changes whenever `applied` does. */
    key: string;
    draft: Record<K, string>;
    set(name: K, value: string): void;
    /** The draft of `name` as a field's value and change handler. */
    bind(name: K): Bound;
    apply(): void;
    clear(): void;
}

export function useUrlFilters<K extends string>(names: readonly K[]): UrlFilters<K> {
    const query = location.value.query;
    const applied = {} as Record<K, string>;
    for (const name of names) {
        applied[name] = query.get(name) ?? '';
    }
    const key = names.map((n) => `${n}=${applied[n]}`).join('&');
    const [draft, setDraft] = useState(applied);
    useEffect(() => setDraft(applied), [key]);
    const set = (name: K, value: string): void => setDraft((d) => ({ ...d, [name]: value }));
    return {
        applied,
        key,
        draft,
        set,
        bind: (name) => ({ value: draft[name], onValue: (value) => set(name, value) }),
        apply: () => setQuery(draft),
        clear: () => setQuery({}),
    };
}

export function FilterBar({
    label,
    onApply,
    onClear,
    children,
}: {
    label: string;
    onApply: () => void;
    onClear: () => void;
    children: ComponentChildren;
}) {
    return (
        <form
            class="filters"
            role="search"
            aria-label={label}
            onSubmit={(e) => {
                e.preventDefault();
                onApply();
            }}
        >
            {children}
            <div class="filter-actions">
                <button type="submit" class="button button-primary">
                    {t('filter.apply')}
                </button>
                <button type="button" class="button" onClick={onClear}>
                    {t('filter.clear')}
                </button>
            </div>
        </form>
    );
}

/** Above a table: how many rows are shown, a loading note, and tools (export). */
export function ListToolbar({
    count,
    loading,
    children,
}: {
    count: number;
    loading: boolean;
    children?: ComponentChildren;
}) {
    return (
        <div class="list-toolbar">
            <p class="list-count" aria-live="polite">
                {loading ? t('common.loading') : t('list.count', { count })}
            </p>
            {children}
        </div>
    );
}
