// Live updates over Server-Sent Events: `GET /api/v1/stream?topics=audit` (admin, cookie session).
//
// The server sends `event: audit` with `data: <audit entry JSON>` for every entry committed after the
// connection opened, and `: ping` comments to keep it alive. The browser's EventSource reconnects by
// itself after a network error; when the server refuses the stream (an HTTP error, which closes the
// EventSource for good) this wrapper retries after `retryMs`. A reconnect can miss entries committed
// while the connection was down: `onState('open')` after an earlier open is the moment to refetch.

import { paths } from './client.ts';
import type { AuditEntry, StreamTopic } from './types.ts';

/** `connecting`: opening or reconnecting; `open`: receiving; `closed`: refused or stopped. */
export type StreamState = 'connecting' | 'open' | 'closed';

export interface StreamHandlers {
    /** One committed audit entry (topic `audit`). */
    audit?: (entry: AuditEntry) => void;
    /** Every change of the connection state. */
    state?: (state: StreamState) => void;
}

export interface StreamOptions {
    /** Server root; `''` (default) for the page's own origin. */
    baseUrl?: string;
    /** Wait before reopening a stream the server refused; default 10 s. */
    retryMs?: number;
    /** The EventSource constructor; defaults to the global one. */
    EventSource?: typeof EventSource;
}

export interface StreamSubscription {
    /** Stops listening for good. */
    close(): void;
}

/** Opens the stream of `topics` and calls `handlers` until `close()`. */
export function openStream(
    topics: readonly StreamTopic[],
    handlers: StreamHandlers,
    options: StreamOptions = {},
): StreamSubscription {
    const Source = options.EventSource ?? globalThis.EventSource;
    const url = (options.baseUrl ?? '').replace(/\/+$/, '') + paths.stream(topics);
    const retryMs = options.retryMs ?? 10_000;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    let last: StreamState | null = null;

    const report = (state: StreamState): void => {
        if (state !== last) {
            last = state;
            handlers.state?.(state);
        }
    };

    const connect = (): void => {
        report('connecting');
        const es = new Source(url, { withCredentials: true });
        source = es;
        es.onopen = () => report('open');
        es.onerror = () => {
            if (stopped) {
                return;
            }
            if (es.readyState === Source.CLOSED) {
                // Refused (401/403/404/5xx): EventSource gives up; try again later ourselves.
                report('closed');
                es.close();
                retry = setTimeout(connect, retryMs);
            } else {
                report('connecting');
            }
        };
        const onAudit = handlers.audit;
        if (topics.includes('audit') && onAudit) {
            es.addEventListener('audit', (event: MessageEvent<string>) => {
                try {
                    onAudit(JSON.parse(event.data) as AuditEntry);
                } catch {
                    // A malformed event is dropped; the next refetch shows the entry anyway.
                }
            });
        }
    };

    connect();
    return {
        close(): void {
            stopped = true;
            if (retry !== null) {
                clearTimeout(retry);
            }
            source?.close();
            report('closed');
        },
    };
}
