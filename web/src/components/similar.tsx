// Similar past records (INC-7): a list of links with the state and the permanent fix that ended
// them, for the incident's own panel (GET …/{id}/similar) and for the note shown on a new
// incident's page with what the create answer offered.

import type { RecordCollection, SimilarRecord, Workflow } from '../api/client.ts';
import { offeredSimilar } from '../app/flash.ts';
import { Link } from '../app/router.tsx';
import { api } from '../app/session.ts';
import { t } from '../i18n/index.ts';
import { stateLabel } from '../i18n/labels.ts';
import { DateTime, ErrorAlert, Loading, Section } from './ui.tsx';
import { useLoad } from './use-load.ts';

export function SimilarList({
    workflow,
    collection,
    items,
}: {
    workflow: Workflow;
    collection: RecordCollection;
    items: readonly SimilarRecord[];
}) {
    return (
        <ul class="similar">
            {items.map((s) => (
                <li key={s.id}>
                    <Link class="mono" href={`/${collection}/${s.id}`}>
                        {s.key}
                    </Link>{' '}
                    <span class="similar-title">{s.title}</span>{' '}
                    <span class="muted small">
                        ({stateLabel(workflow, s.status)}・<DateTime value={s.created_at} />)
                    </span>
                    {s.permanent_fix && (
                        <p class="similar-fix small">
                            {t('similar.fix')}: {s.permanent_fix}
                        </p>
                    )}
                </li>
            ))}
        </ul>
    );
}

/** The side panel of an incident: the past records most like it. */
export function SimilarPanel({
    workflow,
    collection,
    recordId,
}: {
    workflow: Workflow;
    collection: RecordCollection;
    recordId: number;
}) {
    const similar = useLoad(() => api.similarRecords(collection, recordId, { limit: 5 }), [recordId]);
    const items = similar.data?.items ?? [];
    return (
        <Section title={t('similar.title')}>
            {similar.error !== null && <ErrorAlert error={similar.error} />}
            {similar.data === null && similar.loading && <Loading />}
            {similar.data !== null && items.length === 0 && <p class="muted">{t('similar.none')}</p>}
            {items.length > 0 && <SimilarList workflow={workflow} collection={collection} items={items} />}
        </Section>
    );
}

/** On a new incident's page: the similar past incidents its creation offered, until dismissed. */
export function OfferedSimilar({
    workflow,
    collection,
    path,
}: {
    workflow: Workflow;
    collection: RecordCollection;
    path: string;
}) {
    const offered = offeredSimilar.value;
    if (!offered || offered.path !== path || offered.items.length === 0) {
        return null;
    }
    return (
        <section class="alert alert-info offered" aria-labelledby="offered-title">
            <h2 class="alert-title" id="offered-title">
                {t('similar.offered', { count: offered.items.length })}
            </h2>
            <div class="alert-body">
                <p>{t('similar.offeredHint')}</p>
                <SimilarList workflow={workflow} collection={collection} items={offered.items} />
                <div class="alert-actions">
                    <button type="button" class="button button-small" onClick={() => (offeredSimilar.value = null)}>
                        {t('similar.dismiss')}
                    </button>
                </div>
            </div>
        </section>
    );
}
