// Who watches a record (the one who raised it from the start): the signed-in user's watch toggle,
// the list of watchers, and for admins, managers and operators a way to add someone else or to
// remove a watcher (the API refuses others; docs/api.md).

import { useState } from 'preact/hooks';

import type { RecordCollection } from '../api/client.ts';
import { currentMe, api, hasRole } from '../app/session.ts';
import { t } from '../i18n/index.ts';
import { useAction } from './action.tsx';
import { fieldErrors } from './errors.ts';
import { UserPicker } from './record-fields.tsx';
import { Alert, DateTime, ErrorAlert, Loading, Section } from './ui.tsx';
import { useLoad } from './use-load.ts';

/** Who may add or remove other people as watchers. */
const WATCHER_MANAGERS = ['admin', 'manager', 'operator'] as const;

export function Watchers({ collection, recordId }: { collection: RecordCollection; recordId: number }) {
    const list = useLoad(() => api.listWatchers(collection, recordId), [recordId]);
    const action = useAction();
    const [adding, setAdding] = useState('');
    const me = currentMe()?.user;
    const manager = hasRole(...WATCHER_MANAGERS);
    const items = list.data?.items ?? [];
    const watching = me !== undefined && items.some((w) => w.user_id === me.id);

    const run = async (work: () => Promise<string>): Promise<boolean> => {
        const failed = await action.run(work);
        list.reload();
        return failed === null;
    };
    const toggle = (): void => {
        if (!me) {
            return;
        }
        void run(async () => {
            if (watching) {
                await api.unwatchRecord(collection, recordId, me.id);
                return t('watch.stopped');
            }
            await api.watchRecord(collection, recordId);
            return t('watch.started');
        });
    };
    const add = async (): Promise<void> => {
        const id = Number(adding);
        const ok = await run(async () => {
            const res = await api.watchRecord(collection, recordId, id);
            return res.status === 201
                ? t('watch.added', { name: res.data.display_name })
                : t('watch.already', { name: res.data.display_name });
        });
        if (ok) {
            setAdding('');
        }
    };
    const remove = (userId: number, name: string): void => {
        void run(async () => {
            await api.unwatchRecord(collection, recordId, userId);
            return t('watch.removed', { name });
        });
    };

    const errors = fieldErrors(action.error);
    return (
        <Section title={t('watch.title')}>
            {action.done && <Alert tone="success" title={action.done} />}
            {action.error !== null && errors['user_id'] === undefined && <ErrorAlert error={action.error} />}
            {list.error !== null && <ErrorAlert error={list.error} />}
            {list.data === null && list.loading && <Loading />}
            {list.data !== null && (
                <button
                    type="button"
                    class={watching ? 'button' : 'button button-primary'}
                    aria-pressed={watching}
                    disabled={action.busy}
                    onClick={toggle}
                >
                    {watching ? t('watch.stop') : t('watch.start')}
                </button>
            )}
            {list.data !== null && items.length === 0 && <p class="muted">{t('watch.none')}</p>}
            {items.length > 0 && (
                <ul class="watchers" aria-label={t('watch.list')}>
                    {items.map((w) => (
                        <li key={w.user_id}>
                            <span>
                                {w.display_name} <span class="muted small mono">({w.login})</span>
                            </span>
                            <span class="muted small">
                                <DateTime value={w.added_at} />
                            </span>
                            {manager && w.user_id !== me?.id && (
                                <button
                                    type="button"
                                    class="button button-small"
                                    aria-label={t('watch.remove', { name: w.display_name })}
                                    disabled={action.busy}
                                    onClick={() => remove(w.user_id, w.display_name)}
                                >
                                    ×
                                </button>
                            )}
                        </li>
                    ))}
                </ul>
            )}
            {manager && (
                <form
                    class="watcher-form"
                    onSubmit={(e) => {
                        e.preventDefault();
                        void add();
                    }}
                >
                    <UserPicker
                        id="watcher-user"
                        label={t('watch.addWho')}
                        value={adding}
                        onValue={setAdding}
                        error={errors['user_id']}
                        empty={t('form.choose')}
                    />
                    <div class="form-actions">
                        <button type="submit" class="button" disabled={action.busy || adding === ''}>
                            {t('watch.add')}
                        </button>
                    </div>
                </form>
            )}
        </Section>
    );
}
