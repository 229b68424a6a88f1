// Saved views of a records list: the list's filters (its URL query) kept under a name, one's own
// or shared with everyone by an admin or manager. Applying a view opens the list with its query;
// the view matching the current filters is marked. Owners (and admins) delete views.

import { useState } from 'preact/hooks';

import type { RecordCollection, SavedView } from '../api/client.ts';
import { location, navigate } from '../app/router.tsx';
import { api, currentMe, hasRole } from '../app/session.ts';
import { t } from '../i18n/index.ts';
import { useAction } from './action.tsx';
import { fieldErrors } from './errors.ts';
import { TextField } from './form.tsx';
import { Alert, Badge, ErrorAlert } from './ui.tsx';
import { useLoad } from './use-load.ts';

/** A query string with its parameters in a fixed order, so that equal filters compare equal. */
function normalised(query: string): string {
    const params = [...new URLSearchParams(query).entries()].filter(([, v]) => v !== '');
    params.sort(([a], [b]) => a.localeCompare(b));
    return new URLSearchParams(params).toString();
}

export function SavedViews({ collection }: { collection: RecordCollection }) {
    const views = useLoad(() => api.listSavedViews({ collection }), [collection]);
    const [naming, setNaming] = useState(false);
    const [name, setName] = useState('');
    const [shared, setShared] = useState(false);
    const action = useAction();
    const me = currentMe()?.user;
    const mayShare = hasRole('admin', 'manager');
    const admin = hasRole('admin');
    const current = normalised(location.value.query.toString());
    const items = views.data?.items ?? [];

    const save = async (): Promise<void> => {
        const failed = await action.run(async () => {
            const res = await api.createSavedView({
                collection,
                name: name.trim(),
                query: current,
                ...(mayShare && shared ? { shared: true } : {}),
            });
            return t('views.saved', { name: res.data.name });
        });
        if (failed === null) {
            setNaming(false);
            setName('');
            setShared(false);
            views.reload();
        }
    };
    const remove = async (view: SavedView): Promise<void> => {
        await action.run(async () => {
            await api.deleteSavedView(view.id);
            return t('views.deleted', { name: view.name });
        });
        views.reload();
    };

    const errors = fieldErrors(action.error);
    return (
        <section class="saved-views" aria-labelledby={`views-${collection}`}>
            <div class="saved-views-bar">
                <h2 class="saved-views-title" id={`views-${collection}`}>
                    {t('views.title')}
                </h2>
                {views.data !== null && items.length === 0 && <span class="muted small">{t('views.none')}</span>}
                <ul class="saved-views-list">
                    {items.map((v) => {
                        const active = normalised(v.query) === current;
                        return (
                            <li key={v.id} class={active ? 'saved-view saved-view-active' : 'saved-view'}>
                                <button
                                    type="button"
                                    class="button button-small button-quiet"
                                    aria-current={active ? 'true' : undefined}
                                    title={v.query === '' ? t('views.noFilter') : v.query}
                                    onClick={() => navigate(`${location.value.path}${v.query === '' ? '' : `?${v.query}`}`)}
                                >
                                    {v.name}
                                </button>
                                {v.shared && <Badge tone="info">{t('views.shared')}</Badge>}
                                {(v.owner_id === me?.id || admin) && (
                                    <button
                                        type="button"
                                        class="button button-small"
                                        aria-label={t('views.delete', { name: v.name })}
                                        disabled={action.busy}
                                        onClick={() => void remove(v)}
                                    >
                                        ×
                                    </button>
                                )}
                            </li>
                        );
                    })}
                </ul>
                {!naming && (
                    <button
                        type="button"
                        class="button button-small"
                        onClick={() => {
                            action.reset();
                            setNaming(true);
                        }}
                    >
                        {t('views.save')}
                    </button>
                )}
            </div>
            {views.error !== null && <ErrorAlert error={views.error} />}
            {action.done && <Alert tone="success" title={action.done} />}
            {action.error !== null && errors['name'] === undefined && <ErrorAlert error={action.error} />}
            {naming && (
                <form
                    class="saved-view-form"
                    onSubmit={(e) => {
                        e.preventDefault();
                        void save();
                    }}
                >
                    <TextField
                        id={`view-name-${collection}`}
                        label={t('views.name')}
                        value={name}
                        onValue={setName}
                        hint={t('views.nameHint')}
                        error={errors['name']}
                        required
                        maxLength={100}
                    />
                    {mayShare && (
                        <label class="check">
                            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
                            {t('views.shareAll')}
                        </label>
                    )}
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled={action.busy || name.trim() === ''}>
                            {t('views.saveSubmit')}
                        </button>
                        <button type="button" class="button" onClick={() => setNaming(false)}>
                            {t('common.cancel')}
                        </button>
                    </div>
                </form>
            )}
        </section>
    );
}
