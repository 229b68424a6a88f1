// Role division matrices (役割分担表, issue 7: ORG-2; docs/raci.md): for each operation and
// maintenance work item, which organisation does the work (作業主体) and which helps (作業協力).
//
// `/raci` lists the matrices; an admin imports one below the list by pasting the table as copied
// from its Word or PDF document (cells separated by tabs) or reading a .txt/.csv file into the same
// text, or by choosing an Excel workbook (.xlsx, sent as its bytes: its first sheet is read): the
// format follows the file's extension and can be chosen. 「確認」 asks the server to read it without
// writing anything (how many rows and organisations, the repairs it made as warnings, the
// organisations it would make or could not match), 「取り込む」 stores it and opens it.
//
// `/raci/{id}` shows the matrix as its document prints it: 項番, the headings (heading rows across
// the table, or the 大項目/中項目 path as a row where it changes), 作業項目, 作業内容, 実施サイクル, one
// column per organisation with the document's own marks (a legend above), 備考. The header row and
// the first two columns stay in view while the table scrolls; printed, the whole table goes on
// landscape pages with the header repeated and no controls. Admins and managers change a cell by
// pressing it (empty → main → support → empty) and point a column at a unyo organisation from its
// header; every change is sent with the version read (If-Match) and the matrix is shown as the
// server answers it. When someone else changed the matrix first, the latest version is loaded and
// the user is told that nothing was changed. The matrix downloads as TSV, CSV or Excel (XLSX), each of
// which imports again. Admins delete a matrix.

import type { ComponentChildren } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';

import {
    ApiError,
    paths,
    type Id,
    type Organization,
    type RaciColumn,
    type RaciImport,
    type RaciImportFormat,
    type RaciItem,
    type RaciMatrixDetail,
    type RaciRole,
    type Resource,
} from '../api/client.ts';
import { flash, flashOn } from '../app/flash.ts';
import { organizationName, refreshOrganizations, useOrganizations } from '../app/organizations.ts';
import { forgetRaci } from '../app/raci.ts';
import { Link, navigate } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { etagOf } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { CheckField, Field, SelectField, TextAreaField, TextField } from '../components/form.tsx';
import { Breadcrumb, DeleteRecord, pendingEdit } from '../components/record.tsx';
import { LoadedTable } from '../components/table.tsx';
import { Alert, DateTime, ErrorAlert, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatNumber } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';

/** Who changes cells and column mappings (importing and deleting are the admin's). */
const RACI_EDITORS = ['admin', 'manager'] as const;

/** What a cell becomes when pressed: empty → main → support → empty. */
function nextRole(role: RaciRole | undefined): RaciRole | null {
    return role === undefined ? 'main' : role === 'main' ? 'support' : null;
}

/** A role in words (作業主体, 作業協力, 空欄). */
function roleWord(role: RaciRole | null | undefined): string {
    return role === 'main' ? t('raci.main') : role === 'support' ? t('raci.support') : t('raci.empty');
}

/** The matrix's own mark of a role (○, △, ●, …), '' for an empty cell. */
function markOf(matrix: Pick<RaciMatrixDetail, 'main_mark' | 'support_mark'>, role: RaciRole | undefined): string {
    return role === 'main' ? matrix.main_mark : role === 'support' ? matrix.support_mark : '';
}

/** 135 件の作業項目 (うち見出し 27 行)、8 組織. */
function countsText(matrix: RaciMatrixDetail): string {
    return t('raci.counts', {
        items: formatNumber(matrix.item_count),
        headings: formatNumber(matrix.items.filter((i) => i.section).length),
        orgs: formatNumber(matrix.columns.length),
    });
}

// ---- the list and the import ----

export function RaciListPage() {
    const list = useLoad(() => api.listRaci(), []);
    const admin = hasRole('admin');
    const flashed = flash.value?.path === '/raci' ? flash.value.text : null;
    return (
        <>
            <PageHeader title={t('raci.title')} description={t('raci.description')} />
            {flashed && <Alert tone="success" title={flashed} />}
            <Section title={t('raci.list')}>
                <LoadedTable
                    list={list}
                    caption={t('raci.list')}
                    columns={[
                        t('raci.name'),
                        { label: t('raci.itemCount'), class: 'num' },
                        t('raci.organizations'),
                        t('raci.updatedAt'),
                    ]}
                    row={(m) => (
                        <tr key={m.id} data-raci={m.id}>
                            <td>
                                <Link href={`/raci/${m.id}`}>{m.name}</Link>
                            </td>
                            <td class="num">{formatNumber(m.item_count)}</td>
                            <td>
                                {t('raci.orgCount', { count: formatNumber(m.columns.length) })}
                                <p class="small muted cell-note">{m.columns.map((c) => c.name).join('、')}</p>
                            </td>
                            <td class="nowrap">
                                <DateTime value={m.updated_at} />
                            </td>
                        </tr>
                    )}
                />
            </Section>
            {admin && <ImportPanel />}
        </>
    );
}

/** `.xlsx` is a workbook, `.csv` is read as CSV, anything else as text copied from a document. */
function formatOfFile(fileName: string): RaciImportFormat {
    return /\.xlsx$/i.test(fileName) ? 'xlsx' : /\.csv$/i.test(fileName) ? 'csv' : 'text';
}

const FORMATS: readonly RaciImportFormat[] = ['text', 'csv', 'xlsx'];

/** A file's text: UTF-8 (a BOM dropped) when it is, else Shift_JIS (what Windows tools often write). */
async function readTextFile(file: File): Promise<string> {
    const bytes = await file.arrayBuffer();
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        return new TextDecoder('shift_jis').decode(bytes);
    }
}

/** A list of names under its heading, or nothing when there are none. */
function NameList({ title, names, kind }: { title: string; names: readonly string[]; kind: string }) {
    if (names.length === 0) {
        return null;
    }
    return (
        <div data-raci-names={kind}>
            <p class="raci-preview-heading">{title}</p>
            <ul class="raci-names">
                {names.map((n) => (
                    <li key={n}>{n}</li>
                ))}
            </ul>
        </div>
    );
}

/** What a dry run read: the counts, the legend, the organisations made, matched and not, the warnings. */
function ImportPreview({ result }: { result: RaciImport }) {
    const m = result.matrix;
    const created = new Set(result.organizations_created);
    const unmatched = new Set(result.unmatched);
    const matched = m.columns.map((c) => c.name).filter((n) => !created.has(n) && !unmatched.has(n));
    return (
        <div class="raci-preview" data-raci-preview>
            <Alert tone="info" title={t('raci.checked')}>
                <p data-raci-counts>{countsText(m)}</p>
                <p>{t('raci.legendRead', { main: m.main_mark, support: m.support_mark })}</p>
                <NameList title={t('raci.willCreate', { count: created.size })} names={result.organizations_created} kind="created" />
                <NameList title={t('raci.matched', { count: matched.length })} names={matched} kind="matched" />
                <NameList title={t('raci.unmatched', { count: unmatched.size })} names={result.unmatched} kind="unmatched" />
            </Alert>
            {result.warnings.length > 0 ? (
                <Alert tone="warning" title={t('raci.warnings', { count: result.warnings.length })}>
                    <ul class="raci-warnings" data-raci-warnings>
                        {result.warnings.map((w, i) => (
                            <li key={i}>{w}</li>
                        ))}
                    </ul>
                </Alert>
            ) : (
                <p class="hint">{t('raci.noWarnings')}</p>
            )}
        </div>
    );
}

/**
 * An admin's import: a name, the table as text (pasted, or read from a file) or an Excel workbook
 * (kept as the file chosen), its format, whether to make the organisations it names; 確認 (a dry
 * run, shown above the buttons) and 取り込む (then the matrix's page). The server's refusals go to
 * the field they name (the name in use; no table: at the text, or at the file for a workbook).
 */
function ImportPanel() {
    const id = useId();
    const [name, setName] = useState('');
    const [table, setTable] = useState('');
    /** The workbook chosen (format xlsx), sent as its bytes. */
    const [workbook, setWorkbook] = useState<File | null>(null);
    const [format, setFormat] = useState<RaciImportFormat>('text');
    const [create, setCreate] = useState(false);
    const [preview, setPreview] = useState<RaciImport | null>(null);
    const [fileError, setFileError] = useState<string | undefined>(undefined);
    const [dryRun, setDryRun] = useState(true);
    const action = useAction();
    const errors = fieldErrors(action.error);
    // What was checked no longer holds once anything changes.
    const changed = (): void => {
        setPreview(null);
        if (action.done !== null || action.error !== null) {
            action.reset();
        }
    };
    const xlsx = format === 'xlsx';
    const ready = name.trim() !== '' && (xlsx ? workbook !== null : table.trim() !== '');
    const send = async (dry: boolean): Promise<void> => {
        setDryRun(dry);
        setPreview(null);
        await action.run(async () => {
            const r = await api.importRaci(xlsx && workbook ? workbook : table, {
                name: name.trim(),
                format,
                dryRun: dry,
                createOrganizations: create,
            });
            if (dry) {
                setPreview(r);
                return '';
            }
            if (r.organizations_created.length > 0) {
                void refreshOrganizations();
            }
            forgetRaci();
            const path = `/raci/${r.matrix.id}`;
            flashOn(
                path,
                `${t('raci.imported', { name: r.matrix.name, counts: countsText(r.matrix) })} ${t('raci.importedNotes', {
                    created: formatNumber(r.organizations_created.length),
                    warnings: formatNumber(r.warnings.length),
                })}`,
            );
            navigate(path);
            return '';
        });
    };
    const onFile = async (input: HTMLInputElement): Promise<void> => {
        const file = input.files?.[0];
        if (!file) {
            return;
        }
        setFileError(undefined);
        changed();
        try {
            const kind = formatOfFile(file.name);
            if (kind === 'xlsx') {
                setWorkbook(file);
            } else {
                setTable(await readTextFile(file));
                setWorkbook(null);
            }
            setFormat(kind);
            if (name.trim() === '') {
                setName(file.name.replace(/\.[^.]*$/, ''));
            }
        } catch (err) {
            setFileError(t('raci.fileUnreadable', { message: err instanceof Error ? err.message : String(err) }));
        }
    };
    return (
        <Section title={t('raci.importTitle')} class="raci-import no-print">
            <p class="muted">{t('raci.importDescription')}</p>
            <ServerForm
                action={action}
                shown={['name', 'file', 'format']}
                data-raci-import
                onSubmit={() => void send(true)}
            >
                <div class="form-grid">
                    <TextField
                        id={`${id}-name`}
                        label={t('raci.importName')}
                        hint={t('raci.importNameHint')}
                        value={name}
                        onValue={(v) => {
                            setName(v);
                            changed();
                        }}
                        error={errors['name']}
                        required
                        maxLength={200}
                        autoComplete="off"
                    />
                    <Field id={`${id}-file`} label={t('raci.file')} hint={t('raci.fileHint')} error={fileError ?? (xlsx ? errors['file'] : undefined)}>
                        {(describedBy, invalid) => (
                            <input
                                id={`${id}-file`}
                                name={`${id}-file`}
                                type="file"
                                accept=".txt,.tsv,.csv,.xlsx,text/plain,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                aria-describedby={describedBy}
                                aria-invalid={invalid || undefined}
                                onChange={(e) => void onFile(e.currentTarget)}
                            />
                        )}
                    </Field>
                    <SelectField
                        id={`${id}-format`}
                        label={t('raci.format')}
                        value={format}
                        onValue={(v) => {
                            setFormat(FORMATS.find((f) => f === v) ?? 'text');
                            changed();
                        }}
                        options={[
                            { value: 'text', label: t('raci.formatText') },
                            { value: 'csv', label: t('raci.formatCsv') },
                            { value: 'xlsx', label: t('raci.formatXlsx') },
                        ]}
                        error={errors['format']}
                    />
                </div>
                {xlsx ? (
                    <p class="hint" data-raci-workbook>
                        {workbook ? t('raci.workbookChosen', { name: workbook.name }) : t('raci.workbookNeeded')}
                    </p>
                ) : (
                    <TextAreaField
                        id={`${id}-table`}
                        label={t('raci.table')}
                        hint={t('raci.tableHint')}
                        value={table}
                        onValue={(v) => {
                            setTable(v);
                            changed();
                        }}
                        error={errors['file']}
                        required
                        rows={16}
                        class="code-input raci-input"
                    />
                )}
                <CheckField
                    id={`${id}-create`}
                    label={t('raci.createOrganizations')}
                    hint={t('raci.createOrganizationsHint')}
                    checked={create}
                    onChecked={(v) => {
                        setCreate(v);
                        changed();
                    }}
                />
                {preview && <ImportPreview result={preview} />}
                <div class="form-actions">
                    <button type="submit" class="button" disabled={action.busy || !ready}>
                        {action.busy && dryRun ? t('raci.checking') : t('raci.check')}
                    </button>
                    <button
                        type="button"
                        class="button button-primary"
                        disabled={action.busy || !ready}
                        onClick={() => void send(false)}
                    >
                        {action.busy && !dryRun ? t('raci.importing') : t('raci.import')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

// ---- one matrix ----

interface CellChange {
    item: RaciItem;
    column: RaciColumn;
    role: RaciRole | null;
}

/** A column's header: the printed name, the unyo organisation it stands for, and for editors the select. */
function ColumnHeader({
    column: c,
    orgs,
    editor,
    busy,
    onMap,
}: {
    column: RaciColumn;
    orgs: Organization[] | null;
    editor: boolean;
    busy: boolean;
    onMap: (column: RaciColumn, organizationId: Id | null) => void;
}) {
    const selectId = `raci-column-${c.position}`;
    const mapped = c.organization_id === null ? null : organizationName(orgs, c.organization_id);
    const options = orgs ?? [];
    return (
        <th scope="col" class="raci-org" data-column={c.position}>
            <span class="raci-org-name" data-column-name>
                {c.name}
            </span>
            {mapped !== null && (
                <span class={editor ? 'raci-org-unyo print-only' : 'raci-org-unyo'} data-column-org>
                    {t('raci.mappedTo', { name: mapped })}
                </span>
            )}
            {editor && (
                <span class="raci-map no-print">
                    <label class="visually-hidden" for={selectId}>
                        {t('raci.mapLabel', { name: c.name })}
                    </label>
                    <select
                        id={selectId}
                        value={c.organization_id === null ? '' : String(c.organization_id)}
                        disabled={busy}
                        onChange={(e) => {
                            const v = e.currentTarget.value;
                            onMap(c, v === '' ? null : Number(v));
                        }}
                    >
                        <option value="">{t('raci.unmappedOption')}</option>
                        {c.organization_id !== null && !options.some((o) => o.id === c.organization_id) && (
                            <option value={String(c.organization_id)}>{mapped}</option>
                        )}
                        {options.map((o) => (
                            <option key={o.id} value={String(o.id)}>
                                {o.name}
                            </option>
                        ))}
                    </select>
                </span>
            )}
        </th>
    );
}

/** One organisation's cell of a work item: its mark, or for editors a button that cycles it. */
function RoleCell({
    matrix,
    item,
    column,
    editor,
    onCell,
}: {
    matrix: RaciMatrixDetail;
    item: RaciItem;
    column: RaciColumn;
    editor: boolean;
    onCell: (change: CellChange) => void;
}) {
    const role = item.cells[String(column.position)];
    const mark = (
        <span class="raci-mark" aria-hidden="true">
            {markOf(matrix, role)}
        </span>
    );
    if (!editor) {
        return (
            <td class="raci-cell" data-column={column.position} data-role={role ?? ''}>
                {mark}
                {role && <span class="visually-hidden">{roleWord(role)}</span>}
            </td>
        );
    }
    const next = nextRole(role);
    return (
        <td class="raci-cell" data-column={column.position} data-role={role ?? ''}>
            <button
                type="button"
                class="raci-cell-button"
                aria-label={t('raci.cellButton', {
                    seq: item.seq,
                    title: item.title,
                    org: column.name,
                    role: roleWord(role),
                    next: roleWord(next),
                })}
                onClick={() => onCell({ item, column, role: next })}
            >
                {mark}
            </button>
        </td>
    );
}

/** The indentation level of a row: how many headings are above it (the 大/中項目 rows do not indent). */
function depthOf(matrix: RaciMatrixDetail, item: RaciItem): number {
    return matrix.levels ? 0 : Math.min(item.path.length, 6);
}

/**
 * The rows of the matrix in order: heading rows across the table (with their 項番), a row naming the
 * 大項目/中項目 where they change (matrices with those columns), and the work items.
 */
function matrixRows(
    matrix: RaciMatrixDetail,
    editor: boolean,
    onCell: (change: CellChange) => void,
): ComponentChildren[] {
    const span = matrix.columns.length + 4;
    const rows: ComponentChildren[] = [];
    let lastPath: string | null = null;
    for (const item of matrix.items) {
        const depth = depthOf(matrix, item);
        if (matrix.levels && !item.section) {
            const key = JSON.stringify(item.path);
            if (key !== lastPath && item.path.length > 0) {
                rows.push(
                    <tr key={`path-${item.id}`} class="raci-section raci-path">
                        <td class="raci-seq" />
                        <th colSpan={span} class="raci-heading">
                            <span class="raci-heading-text">{item.path.join(' › ')}</span>
                        </th>
                    </tr>,
                );
            }
            lastPath = key;
        }
        if (item.section) {
            rows.push(
                <tr key={item.id} class="raci-section" data-seq={item.seq} data-item={item.id}>
                    <td class="raci-seq">{item.seq}</td>
                    <th colSpan={span} class="raci-heading" data-depth={depth}>
                        <span class="raci-heading-text">{item.title}</span>
                    </th>
                </tr>,
            );
            continue;
        }
        rows.push(
            <tr key={item.id} data-seq={item.seq} data-item={item.id}>
                <td class="raci-seq">{item.seq}</td>
                <th scope="row" class="raci-title" data-depth={depth}>
                    {item.title}
                </th>
                <td class="raci-content">{item.content}</td>
                <td class="raci-cycle">{item.cycle}</td>
                {matrix.columns.map((c) => (
                    <RoleCell key={c.position} matrix={matrix} item={item} column={c} editor={editor} onCell={onCell} />
                ))}
                <td class="raci-note">{item.note}</td>
            </tr>,
        );
    }
    return rows;
}

export function RaciPage({ id }: { id: string }) {
    const matrixId = Number(id);
    // The matrix as loaded, then as the last change answered it (or as reloaded after a conflict).
    const loaded = useLoad(() => api.getRaci(matrixId), [matrixId]);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    const [conflict, setConflict] = useState(false);
    const [said, setSaid] = useState<string | null>(null);
    // One change at a time: each is sent with the version the one before answered.
    const inFlight = useRef(false);
    const orgs = useOrganizations();
    const editor = hasRole(...RACI_EDITORS);
    const admin = hasRole('admin');
    const path = `/raci/${id}`;
    const flashed = flash.value?.path === path ? flash.value.text : null;
    const current = loaded.data;
    if (!current) {
        return pendingEdit(t('raci.title'), { current: null, loadError: loaded.error });
    }
    const m = current.data;

    /** Sends one change with the version shown; on 412 loads the latest and says nothing was changed. */
    const write = async (change: (etag: string) => Promise<Resource<RaciMatrixDetail>>, done: () => string): Promise<void> => {
        if (inFlight.current) {
            return;
        }
        inFlight.current = true;
        setBusy(true);
        setError(null);
        setConflict(false);
        setSaid(null);
        try {
            loaded.set(await change(etagOf(current)));
            forgetRaci();
            setSaid(done());
        } catch (err) {
            if (err instanceof ApiError && err.status === 412) {
                try {
                    loaded.set(await api.getRaci(m.id));
                    setConflict(true);
                } catch (reloadError) {
                    setError(reloadError);
                }
            } else {
                setError(err);
            }
        } finally {
            inFlight.current = false;
            setBusy(false);
        }
    };
    const onCell = ({ item, column, role }: CellChange): void => {
        void write(
            (etag) => api.setRaciCell(m.id, { item_id: item.id, column: column.position, role }, etag),
            () => t('raci.cellSaved', { seq: item.seq, title: item.title, org: column.name, role: roleWord(role) }),
        );
    };
    const onMap = (column: RaciColumn, organizationId: Id | null): void => {
        void write(
            (etag) => api.mapRaciColumn(m.id, column.position, organizationId, etag),
            () =>
                organizationId === null
                    ? t('raci.columnUnmapped', { name: column.name })
                    : t('raci.columnMapped', { name: column.name, org: organizationName(orgs, organizationId) }),
        );
    };
    const headings = m.items.filter((i) => i.section).length;
    return (
        <div class="raci-page">
            <Breadcrumb href="/raci" label={t('raci.title')} />
            <PageHeader
                title={m.name}
                actions={
                    <>
                        <span class="export" role="group" aria-label={t('raci.download')}>
                            <span class="export-label" aria-hidden="true">
                                {t('raci.download')}
                            </span>
                            <a
                                class="button button-small"
                                href={paths.raciFile(m.id, 'tsv')}
                                download=""
                                data-raci-download="tsv"
                                title={t('raci.downloadTitle', { format: 'TSV' })}
                            >
                                {t('raci.downloadTsv')}
                            </a>
                            <a
                                class="button button-small"
                                href={paths.raciFile(m.id, 'csv')}
                                download=""
                                data-raci-download="csv"
                                title={t('raci.downloadTitle', { format: 'CSV' })}
                            >
                                {t('raci.downloadCsv')}
                            </a>
                            <a
                                class="button button-small"
                                href={paths.raciFile(m.id, 'xlsx')}
                                download=""
                                data-raci-download="xlsx"
                                title={t('raci.downloadTitle', { format: 'Excel (XLSX)' })}
                            >
                                {t('raci.downloadXlsx')}
                            </a>
                        </span>
                        <button type="button" class="button button-small" onClick={() => window.print()}>
                            {t('raci.print')}
                        </button>
                    </>
                }
            />
            {flashed && (
                <div class="no-print">
                    <Alert tone="success" title={flashed} />
                </div>
            )}
            <p class="raci-meta">
                {t('raci.meta', {
                    items: formatNumber(m.item_count),
                    headings: formatNumber(headings),
                    orgs: formatNumber(m.columns.length),
                })}{' '}
                <DateTime value={m.updated_at} />
            </p>
            <p class="raci-legend" data-raci-legend>
                <span class="raci-legend-title">{t('raci.legend')}</span>
                <span>
                    <span class="raci-mark">{m.main_mark}</span> {t('raci.main')}
                </span>
                <span>
                    <span class="raci-mark">{m.support_mark}</span> {t('raci.support')}
                </span>
            </p>
            {editor && <p class="hint no-print">{t('raci.editHint', { main: m.main_mark, support: m.support_mark })}</p>}
            <div class="no-print">
                {conflict && <Alert tone="warning" title={t('raci.conflict')} />}
                {error !== null && (
                    <ErrorAlert error={error}>
                        {Object.values(fieldErrors(error)).length > 0 && (
                            <ul class="other-errors">
                                {Object.values(fieldErrors(error)).map((text, i) => (
                                    <li key={i}>{text}</li>
                                ))}
                            </ul>
                        )}
                    </ErrorAlert>
                )}
                <p class="visually-hidden" role="status">
                    {said}
                </p>
            </div>
            <div class="table-wrap raci-scroll">
                <table class="table raci-table" aria-busy={busy} data-raci-matrix={m.id}>
                    <caption class="visually-hidden">{t('raci.caption', { name: m.name })}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="raci-seq">
                                {t('raci.colSeq')}
                            </th>
                            <th scope="col" class="raci-title">
                                {t('raci.colTitle')}
                            </th>
                            <th scope="col" class="raci-content">
                                {t('raci.colContent')}
                            </th>
                            <th scope="col" class="raci-cycle">
                                {t('raci.colCycle')}
                            </th>
                            {m.columns.map((c) => (
                                <ColumnHeader key={c.position} column={c} orgs={orgs} editor={editor} busy={busy} onMap={onMap} />
                            ))}
                            <th scope="col" class="raci-note">
                                {t('raci.colNote')}
                            </th>
                        </tr>
                    </thead>
                    <tbody>{matrixRows(m, editor, onCell)}</tbody>
                </table>
            </div>
            {admin && (
                <Section title={t('raci.deleteTitle')} class="no-print">
                    <DeleteRecord
                        label={t('raci.delete')}
                        confirm={t('raci.deleteConfirm', { name: m.name })}
                        submit={t('raci.deleteSubmit')}
                        remove={async () => {
                            await api.deleteRaci(m.id);
                            forgetRaci();
                        }}
                        then={{ path: '/raci', message: t('raci.deleted', { name: m.name }) }}
                    />
                </Section>
            )}
        </div>
    );
}
