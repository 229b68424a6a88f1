// Loads one thing now and again every `intervalMs` while the component is shown (the status board,
// a monitor's live state, the open alerts). The last good answer stays through a failed poll, so a
// wall monitor does not go blank on a network blip; the failure is shown beside it. A hidden tab
// does not poll and catches up as soon as it is shown again.

import { useEffect, useRef, useState } from 'preact/hooks';

export interface Polled<T> {
    data: T | null;
    /** The last poll's failure; null after a success. */
    error: unknown;
    /** True until the first answer (or failure). */
    loading: boolean;
    /** When the data was last loaded (ms since the epoch). */
    at: number | null;
    /** Loads again now. */
    reload(): void;
}

export function usePoll<T>(load: () => Promise<T>, intervalMs: number, deps: readonly unknown[]): Polled<T> {
    const loadRef = useRef(load);
    loadRef.current = load;
    const [tick, setTick] = useState(0);
    const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean; at: number | null }>({
        data: null,
        error: null,
        loading: true,
        at: null,
    });
    useEffect(() => {
        let live = true;
        let timer: ReturnType<typeof setTimeout> | null = null;
        let running = false;
        const poll = async (): Promise<void> => {
            if (timer !== null) {
                clearTimeout(timer);
                timer = null;
            }
            if (running) {
                return;
            }
            if (document.hidden) {
                timer = setTimeout(() => void poll(), intervalMs);
                return;
            }
            running = true;
            try {
                const data = await loadRef.current();
                if (live) {
                    setState({ data, error: null, loading: false, at: Date.now() });
                }
            } catch (error) {
                if (live) {
                    setState((s) => ({ ...s, error, loading: false }));
                }
            } finally {
                running = false;
            }
            if (live) {
                timer = setTimeout(() => void poll(), intervalMs);
            }
        };
        const onVisible = (): void => {
            if (!document.hidden) {
                void poll();
            }
        };
        document.addEventListener('visibilitychange', onVisible);
        void poll();
        return () => {
            live = false;
            if (timer !== null) {
                clearTimeout(timer);
            }
            document.removeEventListener('visibilitychange', onVisible);
        };
    }, [...deps, tick, intervalMs]);
    return { ...state, reload: () => setTick((n) => n + 1) };
}
