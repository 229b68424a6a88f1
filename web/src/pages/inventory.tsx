// Account inventory (棚卸, ACC-5): every account with its last sign-in; dormant, locked and disabled
// accounts stand out so the periodic review can act on them.

import type { InventoryItem, InventoryQuery } from '../api/client.ts';
import { organizationName, useOrganizations } from '../app/organizations.ts';
import { Link, location, setQuery } from '../app/router.tsx';
import { api } from '../app/session.ts';
import { ExportButtons } from '../components/export.tsx';
import { FilterBar, useUrlFilters } from '../components/filters.tsx';
import { TextField } from '../components/form.tsx';
import { DataTable } from '../components/table.tsx';
import { useLoad } from '../components/use-load.ts';
import { Badge, DateTime, ErrorAlert, Loading, PageHeader } from '../components/ui.tsx';
import { formatNumber } from '../i18n/format.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { roleLabel } from '../i18n/labels.ts';

type Show = 'all' | 'attention' | 'dormant' | 'locked' | 'disabled';
const SHOWS: readonly { value: Show; label: MessageKey; test: (i: InventoryItem) => boolean }[] = [
    { value: 'all', label: 'inventory.total', test: () => true },
    { value: 'attention', label: 'inventory.attention', test: (i) => i.dormant || i.locked || i.disabled },
    { value: 'dormant', label: 'inventory.dormant', test: (i) => i.dormant && !i.disabled },
    { value: 'locked', label: 'inventory.locked', test: (i) => i.locked },
    { value: 'disabled', label: 'inventory.disabled', test: (i) => i.disabled },
];

function rowClass(i: InventoryItem): string | undefined {
    if (i.locked) {
        return 'row-danger';
    }
    if (i.disabled) {
        return 'row-disabled';
    }
    if (i.dormant) {
        return 'row-warning';
    }
    return undefined;
}

export function InventoryPage() {
    const f = useUrlFilters(['dormant_days'] as const);
    const showParam = location.value.query.get('show') ?? 'all';
    const show = SHOWS.find((s) => s.value === showParam) ?? SHOWS[0]!;
    const days = Number(f.applied.dormant_days);
    const query: InventoryQuery = Number.isInteger(days) && days > 0 ? { dormant_days: days } : {};
    const inventory = useLoad(() => api.accountInventory(query), [f.key]);
    const orgs = useOrganizations();
    const items = inventory.data?.items ?? [];
    const shown = items.filter(show.test);

    const choose = (value: Show): void =>
        setQuery({ dormant_days: f.applied.dormant_days, show: value === 'all' ? undefined : value }, { replace: true });

    return (
        <>
            <PageHeader title={t('inventory.title')} description={t('inventory.description')} />
            <FilterBar label={t('filter.label')} onApply={() => setQuery({ ...f.draft, show: showParam })} onClear={f.clear}>
                <TextField
                    id="filter-dormant"
                    type="number"
                    min={1}
                    max={3650}
                    label={t('inventory.dormantDays')}
                    {...f.bind('dormant_days')}
                    placeholder={String(inventory.data?.dormant_days ?? 90)}
                />
            </FilterBar>
            {inventory.error !== null && <ErrorAlert error={inventory.error} />}
            {inventory.loading && !inventory.data && <Loading />}
            {inventory.data && (
                <>
                    <div class="summary" role="group" aria-label={t('inventory.summary')}>
                        {SHOWS.map((s) => (
                            <button
                                key={s.value}
                                type="button"
                                class={`summary-item summary-${s.value}`}
                                aria-pressed={show.value === s.value}
                                onClick={() => choose(s.value)}
                            >
                                <span class="summary-label">{t(s.label)}</span>
                                <span class="summary-value">{formatNumber(items.filter(s.test).length)}</span>
                            </button>
                        ))}
                    </div>
                    <div class="list-toolbar">
                        <p class="list-count">
                            {t('inventory.generated', { days: inventory.data.dormant_days })}{' '}
                            <DateTime value={inventory.data.generated_at} />
                        </p>
                        <ExportButtons resource="accounts/inventory" filters={query} />
                    </div>
                    <DataTable
                        caption={t('inventory.title')}
                        columns={[
                            t('field.login'),
                            t('field.displayName'),
                            t('field.organization'),
                            t('field.roles'),
                            t('col.lastLogin'),
                            { label: t('col.daysSince'), class: 'num' },
                            t('field.status'),
                        ]}
                        busy={inventory.loading}
                        empty={shown.length === 0}
                    >
                        {shown.map((i) => (
                            <tr key={i.user_id} class={rowClass(i)}>
                                <td class="mono">
                                    <Link href={`/users/${i.user_id}`}>{i.login}</Link>
                                </td>
                                <td>{i.display_name}</td>
                                <td>{organizationName(orgs, i.organization_id)}</td>
                                <td>{i.roles.map(roleLabel).join('、')}</td>
                                <td class="nowrap">
                                    <DateTime value={i.last_login_at} empty={t('user.never')} />
                                </td>
                                <td class="num">{i.days_since_login ?? '—'}</td>
                                <td>
                                    <span class="badges">
                                        {i.disabled && <Badge tone="neutral">{t('status.disabled')}</Badge>}
                                        {i.locked && <Badge tone="danger">{t('status.locked')}</Badge>}
                                        {i.dormant && !i.disabled && <Badge tone="warning">{t('status.dormant')}</Badge>}
                                        {!i.disabled && !i.locked && !i.dormant && (
                                            <Badge tone="success">{t('status.active')}</Badge>
                                        )}
                                    </span>
                                </td>
                            </tr>
                        ))}
                    </DataTable>
                </>
            )}
        </>
    );
}
