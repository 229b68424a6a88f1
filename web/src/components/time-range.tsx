// A from–to pair of datetime-local inputs read in the display zone; the URL keeps RFC 3339 instants.

import { instantToLocalInput, localInputToInstant, displayZone } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import type { Bound } from './filters.tsx';
import { TextField } from './form.tsx';

export function TimeRange({ from, to }: { from: Bound; to: Bound }) {
    const hint = t('filter.zoneHint', { zone: displayZone() });
    return (
        <>
            <TextField
                id="filter-from"
                type="datetime-local"
                label={t('filter.from')}
                value={instantToLocalInput(from.value)}
                onValue={(v) => from.onValue(localInputToInstant(v) ?? '')}
                hint={hint}
            />
            <TextField
                id="filter-to"
                type="datetime-local"
                label={t('filter.to')}
                value={instantToLocalInput(to.value)}
                onValue={(v) => to.onValue(localInputToInstant(v) ?? '')}
            />
        </>
    );
}
