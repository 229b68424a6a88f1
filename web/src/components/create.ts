// The submit of a create form: busy while the request runs, the failure kept for the form to show,
// and on success the new record's page with a confirmation (flash) on it.

import { useMemo, useState } from 'preact/hooks';

import { flashOn } from '../app/flash.ts';
import { navigate } from '../app/router.tsx';

export interface CreateForm {
    busy: boolean;
    /** The last failed attempt; null before and while one runs. */
    error: unknown;
    submit(event: Event): Promise<void>;
}

/** `create` sends the form with the idempotency key and names the page to open and what to say there. */
export function useCreate(create: (idempotencyKey: string) => Promise<{ path: string; message: string }>): CreateForm {
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    // One key per form: a double submit or a retry after a lost answer creates one record.
    const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
    const submit = async (event: Event): Promise<void> => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
            const { path, message } = await create(idempotencyKey);
            flashOn(path, message);
            navigate(path);
        } catch (err) {
            setError(err);
            setBusy(false);
        }
    };
    return { busy, error, submit };
}
