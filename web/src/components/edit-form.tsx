// The edit form of one versioned resource (a CI, a partner, a handover, an account, an escalation
// route, the report settings): the draft from the resource, only the changed members sent with
// If-Match, and on a 412 the server's message kept while the latest version is loaded into the
// form and said so.

import type { JSX } from 'preact';
import { useId, useState } from 'preact/hooks';

import { ApiError, type Resource } from '../api/client.ts';
import type { Id } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import { ServerForm, useAction } from './action.tsx';
import { changedMembers } from './editable.ts';
import { fieldErrors } from './errors.ts';
import { Alert } from './ui.tsx';

/** What a resource's fields component is given. */
export interface FieldsProps<D> {
    id: string;
    draft: D;
    set: (patch: Partial<D>) => void;
    errors: Record<string, string>;
}

/** The id a resource is updated by: its `id`, or undefined for one without (the report settings). */
type IdOf<T> = T extends { id: infer K extends Id } ? K : undefined;

function idOf<T extends object>(data: T): IdOf<T> {
    // IdOf<T> is the type of `data.id` when T has one, and undefined when it has none.
    return ('id' in data ? data.id : undefined) as IdOf<T>;
}

export function ResourceEditForm<T extends object, D, I extends object>({
    current,
    draftOf,
    toInput,
    update,
    reload,
    etag,
    shown,
    Fields,
    marker,
    label,
    reloadedTitle,
    onSaved,
    onReloaded,
    onCancel,
}: {
    current: Resource<T>;
    draftOf: (data: T) => D;
    toInput: (draft: D) => I;
    update: (id: IdOf<T>, patch: Partial<I>, etag: string) => Promise<Resource<T>>;
    reload: (id: IdOf<T>) => Promise<Resource<T>>;
    etag: (res: Resource<T>) => string;
    /** The members whose errors the form shows at their fields. */
    shown: (draft: D, errors: Record<string, string>) => readonly string[];
    Fields: (props: FieldsProps<D>) => JSX.Element;
    /** The form's data attribute (`data-<marker>`), as pages and tests find it. */
    marker: string;
    label: string;
    reloadedTitle: string;
    onSaved: (res: Resource<T>) => void;
    onReloaded: (res: Resource<T>) => void;
    onCancel: () => void;
}) {
    const id = useId();
    const [draft, setDraft] = useState<D>(() => draftOf(current.data));
    const [reloaded, setReloaded] = useState(false);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const set = (patch: Partial<D>): void => {
        setReloaded(false);
        setDraft((d) => ({ ...d, ...patch }));
    };
    const patch = changedMembers(toInput(draftOf(current.data)), toInput(draft));
    const dirty = Object.keys(patch).length > 0;
    const save = async (): Promise<void> => {
        setReloaded(false);
        const resourceId = idOf(current.data);
        const failed = await action.run(async () => {
            onSaved(await update(resourceId, patch, etag(current)));
            return '';
        });
        if (failed instanceof ApiError && failed.status === 412) {
            try {
                const latest = await reload(resourceId);
                setDraft(draftOf(latest.data));
                setReloaded(true);
                onReloaded(latest);
            } catch {
                // The 412 stays shown; the resource may have been deleted meanwhile (its page says so on reload).
            }
        }
    };
    return (
        <ServerForm action={action} shown={shown(draft, errors)} {...{ [`data-${marker}`]: true }} aria-label={label} onSubmit={() => void save()}>
            {reloaded && <Alert tone="info" title={reloadedTitle} />}
            <Fields id={id} draft={draft} set={set} errors={errors} />
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled={action.busy || !dirty}>
                    {action.busy ? t('common.saving') : t('common.save')}
                </button>
                <button type="button" class="button" disabled={action.busy} onClick={onCancel}>
                    {t('common.cancel')}
                </button>
                {dirty && <span class="unsaved">{t('common.unsaved')}</span>}
            </div>
        </ServerForm>
    );
}
