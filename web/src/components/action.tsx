// A small request made from a page beside its main form (a comment, a link, a status move): busy
// while it runs, then either the confirmation to show or the failure (kept for field messages).

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

import { fieldErrors } from './errors.ts';
import { FormErrors } from './form.tsx';
import { Alert, ErrorAlert } from './ui.tsx';

export interface Action {
    busy: boolean;
    /** The last failure; null before, while running and after a success. */
    error: unknown;
    /** The confirmation of the last success. */
    done: string | null;
    /** Runs `work` (which answers the confirmation); resolves to the failure, or null on success. */
    run(work: () => Promise<string>): Promise<unknown>;
    reset(): void;
}

export function useAction(): Action {
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    const [done, setDone] = useState<string | null>(null);
    return {
        busy,
        error,
        done,
        run: async (work) => {
            setBusy(true);
            setError(null);
            setDone(null);
            try {
                setDone(await work());
                return null;
            } catch (err) {
                setError(err);
                return err;
            } finally {
                setBusy(false);
            }
        },
        reset: () => {
            setError(null);
            setDone(null);
        },
    };
}

/**
 * A form of one action: its confirmation, its failure (unless the fields say it, in place), the
 * fields and one submit button, enabled while `ready` and nothing runs.
 */
export function ActionForm({
    action,
    class: cls,
    submit,
    ready,
    onSubmit,
    children,
}: {
    action: Action;
    class?: string;
    submit: string;
    ready: boolean;
    onSubmit: () => void;
    children: ComponentChildren;
}) {
    return (
        <form
            class={cls}
            onSubmit={(e) => {
                e.preventDefault();
                onSubmit();
            }}
        >
            {action.done && <Alert tone="success" title={action.done} />}
            {action.error !== null && Object.keys(fieldErrors(action.error)).length === 0 && (
                <ErrorAlert error={action.error} />
            )}
            {children}
            <div class="form-actions">
                <button type="submit" class="button" disabled={action.busy || !ready}>
                    {submit}
                </button>
            </div>
        </form>
    );
}

/**
 * A form the server checks (noValidate: its refusals are shown at the fields), sent by `action`:
 * the confirmation of the last success, the last failure with the field errors that no field in
 * `shown` says, then `children` (the fields and the buttons). Other attributes (`aria-label`,
 * `data-…`) go to the form.
 */
export function ServerForm({
    action,
    shown,
    onSubmit,
    children,
    ...rest
}: {
    action: Action;
    shown: readonly string[];
    onSubmit: () => void;
    children: ComponentChildren;
    'aria-label'?: string;
}) {
    return (
        <form
            {...rest}
            class="form"
            noValidate
            onSubmit={(e) => {
                e.preventDefault();
                onSubmit();
            }}
        >
            {action.done ? <Alert tone="success" title={action.done} /> : null}
            <FormErrors error={action.error} shown={shown} />
            {children}
        </form>
    );
}
