// One resource under edit with optimistic concurrency (docs/api.md): every update sends the ETag it
// was read with; a 412 means someone else changed it first. Then nothing was saved, the newer
// version is fetched and kept in `conflict`, and the page says so and offers to reload — an edit
// never overwrites another silently.

import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiError, type Resource } from '../api/client.ts';

export interface Editable<T> {
    current: Resource<T> | null;
    loadError: unknown;
    /** The newer version found when an update answered 412; null otherwise. */
    conflict: T | null;
    /** The last failed update (not a conflict). */
    error: unknown;
    busy: boolean;
    /**
     * Loads the resource again (discarding a conflict). `keepDraft`: the form keeps its values (for
     * changes beside the form's fields, such as a record's links).
     */
    reload(options?: { keepDraft?: boolean }): Promise<void>;
    /** Runs `run(etag)`; returns the new resource, or null after a failure (see error/conflict). */
    update(run: (etag: string) => Promise<Resource<T>>): Promise<Resource<T> | null>;
    clearError(): void;
}

/** The version to send back (If-Match): the ETag as answered, else made from the version. */
export function etagOf<T extends { version: number }>(res: Resource<T>): string {
    return res.etag ?? `"${res.data.version}"`;
}

/**
 * `get` loads the resource; `onFresh` receives every version the page should show afresh (first
 * load, reload, successful update) so it can reset its form.
 */
export function useEditable<T extends { version: number }>(
    get: () => Promise<Resource<T>>,
    key: string,
    onFresh: (data: T) => void,
): Editable<T> {
    const getRef = useRef(get);
    getRef.current = get;
    const freshRef = useRef(onFresh);
    freshRef.current = onFresh;
    const [current, setCurrent] = useState<Resource<T> | null>(null);
    const [loadError, setLoadError] = useState<unknown>(null);
    const [conflict, setConflict] = useState<T | null>(null);
    const [error, setError] = useState<unknown>(null);
    const [busy, setBusy] = useState(false);

    const load = async (options: { keepDraft?: boolean } = {}): Promise<void> => {
        setLoadError(null);
        try {
            const res = await getRef.current();
            setCurrent(res);
            setConflict(null);
            setError(null);
            if (!options.keepDraft) {
                freshRef.current(res.data);
            }
        } catch (err) {
            setLoadError(err);
        }
    };

    useEffect(() => {
        setCurrent(null);
        void load();
    }, [key]);

    const update = async (run: (etag: string) => Promise<Resource<T>>): Promise<Resource<T> | null> => {
        if (!current) {
            return null;
        }
        setBusy(true);
        setError(null);
        try {
            const res = await run(etagOf(current));
            setCurrent(res);
            setConflict(null);
            freshRef.current(res.data);
            return res;
        } catch (err) {
            if (err instanceof ApiError && err.status === 412) {
                try {
                    setConflict((await getRef.current()).data);
                } catch {
                    setConflict(current.data);
                }
            } else {
                setError(err);
            }
            return null;
        } finally {
            setBusy(false);
        }
    };

    return { current, loadError, conflict, error, busy, reload: load, update, clearError: () => setError(null) };
}

export interface EditForm<T, D> {
    edit: Editable<T>;
    /** The form's values; null until the first load. */
    draft: D | null;
    /** The confirmation of the last action ("saved", "disabled"); cleared by a change or a new action. */
    saved: string | null;
    /** Changes fields of the draft. */
    change(patch: Partial<D>): void;
    /** Runs `edit.update(run)`; on success confirms with `done(latest)`. Returns what update returns. */
    act(run: (etag: string) => Promise<Resource<T>>, done: (data: T) => string): Promise<Resource<T> | null>;
}

/** A resource under edit (useEditable) with the form's draft (`toDraft` of every fresh version). */
export function useEditForm<T extends { version: number }, D>(
    get: () => Promise<Resource<T>>,
    key: string,
    toDraft: (data: T) => D,
): EditForm<T, D> {
    const [draft, setDraft] = useState<D | null>(null);
    const [saved, setSaved] = useState<string | null>(null);
    const edit = useEditable(get, key, (data) => setDraft(toDraft(data)));
    return {
        edit,
        draft,
        saved,
        change: (patch) => {
            setSaved(null);
            setDraft((d) => (d === null ? d : { ...d, ...patch }));
        },
        act: async (run, done) => {
            setSaved(null);
            const res = await edit.update(run);
            if (res) {
                setSaved(done(res.data));
            }
            return res;
        },
    };
}

/**
 * What a PATCH sends: the members of `after` whose value differs from `before` (compared as JSON, so
 * lists and objects go whole when any part changed). Both are the API's input made from a draft:
 * `before` from the version read, `after` from the form.
 */
export function changedMembers<I extends object>(before: I, after: I): Partial<I> {
    const patch: Partial<I> = {};
    for (const key of Object.keys(after) as (keyof I)[]) {
        if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) {
            patch[key] = after[key];
        }
    }
    return patch;
}
