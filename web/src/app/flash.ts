// A one-time confirmation shown on the page navigated to after an action ("created").

import { signal } from '@preact/signals';

export const flash = signal<{ path: string; text: string } | null>(null);

/** Shows `text` on `path` (until the user goes elsewhere). */
export function flashOn(path: string, text: string): void {
    flash.value = { path, text };
}
