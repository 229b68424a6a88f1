// Loads one thing for a component and re-loads when `deps` change; a page that changes the thing
// shows the server's answer in its place (`set`).

import { useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
    data: T | null;
    error: unknown;
    loading: boolean;
    reload(): void;
}

/** What useLoad answers: what was loaded, and a way to show a change's answer in its place. */
export interface Loader<T> extends Loaded<T> {
    /** Shows `data` (the server's answer to a change) in place of what was loaded, until the next load. */
    set(data: T): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loader<T> {
    const loadRef = useRef(load);
    loadRef.current = load;
    const [tick, setTick] = useState(0);
    const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
        data: null,
        error: null,
        loading: true,
    });
    useEffect(() => {
        let live = true;
        setState((s) => ({ ...s, loading: true, error: null }));
        loadRef.current().then(
            (data) => live && setState({ data, error: null, loading: false }),
            (error: unknown) => live && setState({ data: null, error, loading: false }),
        );
        return () => {
            live = false;
        };
    }, [...deps, tick]);
    return {
        ...state,
        reload: () => setTick((n) => n + 1),
        set: (data) => setState({ data, error: null, loading: false }),
    };
}
