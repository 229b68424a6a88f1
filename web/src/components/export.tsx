// The export links of a list: the server writes the file (all pages, the filters on screen), so
// what is exported is what the screen shows. Column headers follow the console's language.

import { exportUrl, type ExportFilters, type ExportResource } from '../api/client.ts';
import { lang, t } from '../i18n/index.ts';

export function ExportButtons<R extends ExportResource>({
    resource,
    filters,
}: {
    resource: R;
    filters: ExportFilters[R];
}) {
    const headerLang = lang.value;
    const links = [
        { key: 'csv', label: t('export.csv'), href: exportUrl(resource, filters, 'csv', { lang: headerLang }) },
        {
            key: 'cp932',
            label: t('export.csvSjis'),
            href: exportUrl(resource, filters, 'csv', { lang: headerLang, encoding: 'cp932' }),
        },
        { key: 'xlsx', label: t('export.xlsx'), href: exportUrl(resource, filters, 'xlsx', { lang: headerLang }) },
    ];
    return (
        <div class="export" role="group" aria-label={t('export.label')}>
            <span class="export-label" aria-hidden="true">
                {t('export.label')}
            </span>
            {links.map((l) => (
                <a
                    key={l.key}
                    class="button button-small"
                    href={l.href}
                    download=""
                    data-export={l.key}
                    title={t('export.title', { format: l.label })}
                >
                    {l.label}
                </a>
            ))}
        </div>
    );
}
