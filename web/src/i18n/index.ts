// The one message catalogue of the console: every user-visible string comes from `t(key)`.
// Japanese is the default; the choice is remembered in localStorage. Components that call `t`
// while rendering re-render when the language changes (signals track the read of `lang`).

import { effect, signal } from '@preact/signals';

import { en } from './en.ts';
import { ja, type MessageKey } from './ja.ts';

export type { MessageKey } from './ja.ts';
export type Lang = 'ja' | 'en';

export const LANGS: readonly Lang[] = ['ja', 'en'];
const CATALOGUES: { readonly [L in Lang]: Readonly<Record<MessageKey, string>> } = { ja, en };
const STORAGE_KEY = 'unyo.lang';

function stored(key: string): string | null {
    try {
        return window.localStorage.getItem(key);
    } catch {
        return null; // storage disabled: the default applies
    }
}

export function remember(key: string, value: string): void {
    try {
        window.localStorage.setItem(key, value);
    } catch {
        // storage disabled: the choice lasts for this page only
    }
}

export function readStored(key: string): string | null {
    return stored(key);
}

export const lang = signal<Lang>(stored(STORAGE_KEY) === 'en' ? 'en' : 'ja');

effect(() => {
    document.documentElement.lang = lang.value;
});

export function setLang(value: Lang): void {
    lang.value = value;
    remember(STORAGE_KEY, value);
}

/** The message `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
    const text = CATALOGUES[lang.value][key];
    if (!params) {
        return text;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = params[name];
        return value === undefined ? whole : String(value);
    });
}

/** True when `key` is a message of the catalogue (for keys built from server values). */
export function isMessageKey(key: string): key is MessageKey {
    return Object.prototype.hasOwnProperty.call(ja, key);
}
