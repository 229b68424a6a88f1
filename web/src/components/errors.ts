// Turns a failed request into words for the user: a sentence by HTTP status in the current
// language, plus the server's own detail (translated when known) and per-field messages.

import { ApiError } from '../api/client.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { formatDateTime } from '../i18n/format.ts';
import { serverMessage } from '../i18n/server.ts';

export interface Described {
    message: string;
    detail?: string;
}

const BY_STATUS: Record<number, MessageKey> = {
    400: 'error.400',
    401: 'error.401',
    403: 'error.403',
    404: 'error.404',
    409: 'error.409',
    412: 'error.412',
    413: 'error.413',
    422: 'error.422',
    423: 'error.423',
    428: 'error.428',
    429: 'error.429',
};

/** The message and detail to show for `err` (an ApiError, a network failure, anything). */
export function describeError(err: unknown): Described {
    if (err instanceof ApiError) {
        const key = BY_STATUS[err.status] ?? (err.status >= 500 ? 'error.500' : 'error.other');
        // With per-field errors the fields carry the words; the detail would only repeat them.
        const fieldsSayIt = (err.problem.errors?.length ?? 0) > 0;
        const detail = err.problem.detail && !fieldsSayIt ? serverMessage(err.problem.detail) : undefined;
        if (err.status === 423 && typeof err.problem.locked_until === 'string') {
            return { message: t('signin.locked', { until: formatDateTime(err.problem.locked_until) }), detail };
        }
        return { message: t(key, { status: err.status }), detail };
    }
    if (err instanceof TypeError) {
        return { message: t('error.network') };
    }
    return { message: t('error.unexpected'), detail: err instanceof Error ? err.message : String(err) };
}

/** Field name → the server's messages for it (translated), from a 400/409/422 answer. */
export function fieldErrors(err: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (err instanceof ApiError) {
        for (const e of err.problem.errors ?? []) {
            const text = serverMessage(e.message);
            out[e.field] = out[e.field] ? `${out[e.field]} ${text}` : text;
        }
    }
    return out;
}
