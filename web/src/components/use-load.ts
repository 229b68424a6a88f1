// Loads one thing for a component and re-loads when `deps` change.

import { useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
    data: T | null;
    error: unknown;
    loading: boolean;
    reload(): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
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
    return { ...state, reload: () => setTick((n) => n + 1) };
}
