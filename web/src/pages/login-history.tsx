// Sign-in history: admins see everyone's, others their own; newest first.

import type { LoginHistoryQuery } from '../api/client.ts';
import { api, hasRole } from '../app/session.ts';
import { ExportButtons } from '../components/export.tsx';
import { FilterBar, ListToolbar, useUrlFilters } from '../components/filters.tsx';
import { SelectField, TextField } from '../components/form.tsx';
import { Pager, usePaged } from '../components/paged.tsx';
import { TimeRange } from '../components/time-range.tsx';
import { Badge, DateTime, ErrorAlert, PageHeader } from '../components/ui.tsx';
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
                        value={f.draft.login}
                        onValue={(v) => f.set('login', v)}
                        autoCapitalize="off"
                        spellcheck={false}
                    />
                )}
                <SelectField
                    id="filter-success"
                    label={t('col.result')}
                    value={f.draft.success}
                    onValue={(v) => f.set('success', v)}
                    options={[
                        { value: '', label: t('filter.all') },
                        { value: 'true', label: t('result.success') },
                        { value: 'false', label: t('result.failure') },
                    ]}
                />
                <TimeRange
                    from={f.draft.from}
                    to={f.draft.to}
                    onFrom={(v) => f.set('from', v)}
                    onTo={(v) => f.set('to', v)}
                />
            </FilterBar>
            <ListToolbar count={paged.items.length} loading={paged.loading}>
                <ExportButtons resource="login-history" filters={filters} />
            </ListToolbar>
            {paged.error !== null && <ErrorAlert error={paged.error} />}
            <div class="table-wrap">
                <table class="table" aria-busy={paged.loading}>
                    <caption class="visually-hidden">{t('history.title')}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t('col.at')}</th>
                            <th scope="col">{t('field.login')}</th>
                            <th scope="col">{t('col.result')}</th>
                            <th scope="col">{t('col.address')}</th>
                            <th scope="col">{t('col.userAgent')}</th>
                        </tr>
                    </thead>
                    <tbody>
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
                        {!paged.loading && paged.items.length === 0 && paged.error === null && (
                            <tr>
                                <td colSpan={5} class="empty">
                                    {t('common.noRows')}
                                </td>
                            </tr>
                        )}
                    </tbody>
                </table>
            </div>
            <Pager paged={paged} label={t('pager.label')} />
        </>
    );
}
