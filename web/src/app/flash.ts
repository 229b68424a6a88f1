// One-time notes for the page navigated to after an action: the confirmation ("created") and
// what the answer offered besides.

import { signal } from '@preact/signals';

import type { SimilarRecord } from '../api/client.ts';

export const flash = signal<{ path: string; text: string } | null>(null);

/** Shows `text` on `path` (until the user goes elsewhere). */
export function flashOn(path: string, text: string): void {
    flash.value = { path, text };
}

/**
 * The similar past incidents the API offered when an incident was created (INC-7), shown on the
 * new record's page (`path`) until dismissed or the user goes elsewhere.
 */
export const offeredSimilar = signal<{ path: string; items: SimilarRecord[] } | null>(null);
