// The list screens' tables: a caption for screen readers, column headers, the rows, and a "no rows"
// line when there is nothing to show; with paging or a loaded list, the load error above (and the
// pager below).

import type { ComponentChildren } from 'preact';

import { t } from '../i18n/index.ts';
import { ListToolbar } from './filters.tsx';
import { Pager, type Paged } from './paged.tsx';
import { ErrorAlert, Loading } from './ui.tsx';
import type { Loaded } from './use-load.ts';

/** A column header: its words, or its content and class. */
export type Column = string | { label: ComponentChildren; class?: string };

export function DataTable({
    caption,
    columns,
    busy,
    empty,
    liveOff,
    children,
}: {
    caption: string;
    columns: readonly Column[];
    busy: boolean;
    /** Shows the "no rows" line. */
    empty: boolean;
    /** Keeps screen readers from announcing rows as they arrive (the live list says how many). */
    liveOff?: boolean;
    children: ComponentChildren;
}) {
    return (
        <div class="table-wrap">
            <table class="table" aria-busy={busy}>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        {columns.map((c, i) =>
                            typeof c === 'string' ? (
                                <th key={i} scope="col">
                                    {c}
                                </th>
                            ) : (
                                <th key={i} scope="col" class={c.class}>
                                    {c.label}
                                </th>
                            ),
                        )}
                    </tr>
                </thead>
                <tbody aria-live={liveOff ? 'off' : undefined}>
                    {children}
                    {empty && (
                        <tr>
                            <td colSpan={columns.length} class="empty">
                                {t('common.noRows')}
                            </td>
                        </tr>
                    )}
                </tbody>
            </table>
        </div>
    );
}

/**
 * One page of `paged` as a table of `rows` rows (the page's items unless told), under a toolbar with
 * the count and `tools` when there are tools.
 */
export function PagedTable<T>({
    paged,
    caption,
    columns,
    rows = paged.items.length,
    tools,
    liveOff,
    children,
}: {
    paged: Paged<T>;
    caption: string;
    columns: readonly Column[];
    rows?: number;
    tools?: ComponentChildren;
    liveOff?: boolean;
    children: ComponentChildren;
}) {
    return (
        <>
            {tools && (
                <ListToolbar count={rows} loading={paged.loading}>
                    {tools}
                </ListToolbar>
            )}
            {paged.error !== null && <ErrorAlert error={paged.error} />}
            <DataTable
                caption={caption}
                columns={columns}
                busy={paged.loading}
                empty={!paged.loading && rows === 0 && paged.error === null}
                liveOff={liveOff}
            >
                {children}
            </DataTable>
            <Pager paged={paged} label={t('pager.label')} />
        </>
    );
}

/**
 * The items of a list loaded whole (`list.data.items`) as a table of `row`s: the load failure above
 * it, the loading line until the first answer, the "no rows" line when the answer is empty.
 */
export function LoadedTable<T>({
    list,
    caption,
    columns,
    row,
}: {
    list: Loaded<{ items: readonly T[] }>;
    caption: string;
    columns: readonly Column[];
    row: (item: T) => ComponentChildren;
}) {
    const items = list.data?.items ?? [];
    return (
        <>
            {list.error !== null && <ErrorAlert error={list.error} />}
            {list.loading && list.data === null && <Loading />}
            <DataTable
                caption={caption}
                columns={columns}
                busy={list.loading}
                empty={list.data !== null && items.length === 0}
            >
                {items.map((item) => row(item))}
            </DataTable>
        </>
    );
}
