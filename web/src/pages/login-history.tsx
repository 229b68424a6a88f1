// Sign-in history: admins see everyone's, others their own; newest first.

import type { LoginHistoryQuery } from '../api/client.ts';
import { api, hasRole } from '../app/session.ts';
import { ExportButtons } from '../components/export.tsx';
import { FilterBar, useUrlFilters, withAll } from '../components/filters.tsx';
import { SelectField, TextField } from '../components/form.tsx';
import { usePaged } from '../components/paged.tsx';
import { PagedTable } from '../components/table.tsx';
import { TimeRange } from '../components/time-range.tsx';
import { Badge, DateTime, PageHeader } from '../components/ui.tsx';
import { t } from '../i18n/index.ts';
import { reasonLabel } from '../i18n/labels.ts';
import { PAGE_SIZE } from './organizations.tsx';

export function LoginHistoryPage() {
    const f = useUrlFilters(['login', 'success', 'from', 'to'] as const);
    const admin = hasRole('admin');
    const filters: LoginHistoryQuery = {
        login: f.applied.login || undefined,
        success: f.applied.success === '' ? undefined : f.applied.success === 'true',
        from: f.applied.from || undefined,
        to: f.applied.to || undefined,
    };
    const paged = usePaged((cursor) => api.loginHistory({ ...filters, cursor, limit: PAGE_SIZE }), f.key);
    return (
        <>
            <PageHeader
                title={t('history.title')}
                description={admin ? t('history.description') : t('history.descriptionOwn')}
            />
            <FilterBar label={t('filter.label')} onApply={f.apply} onClear={f.clear}>
                {admin && (
                    <TextField
                        id="filter-login"
                        label={t('field.login')}
                        {...f.bind('login')}
                        autoCapitalize="off"
                        spellcheck={false}
                    />
                )}
                <SelectField
                    id="filter-success"
                    label={t('col.result')}
                    {...f.bind('success')}
                    options={withAll([
                        { value: 'true', label: t('result.success') },
                        { value: 'false', label: t('result.failure') },
                    ])}
                />
                <TimeRange from={f.bind('from')} to={f.bind('to')} />
            </FilterBar>
            <PagedTable
                paged={paged}
                tools={<ExportButtons resource="login-history" filters={filters} />}
                caption={t('history.title')}
                columns={[t('col.at'), t('field.login'), t('col.result'), t('col.address'), t('col.userAgent')]}
            >
                {paged.items.map((e) => (
                    <tr key={e.id} class={e.success ? undefined : 'row-warning'}>
                        <td class="nowrap">
                            <DateTime value={e.at} />
                        </td>
                        <td class="mono">{e.login}</td>
                        <td>
                            <Badge tone={e.success ? 'success' : 'danger'}>
                                {e.success ? t('result.success') : reasonLabel(e.reason)}
                            </Badge>
                        </td>
                        <td class="mono">{e.address}</td>
                        <td class="cell-ua" title={e.user_agent}>
                            {e.user_agent}
                        </td>
                    </tr>
                ))}
            </PagedTable>
        </>
    );
}
