// The frame of a record's list, create and edit pages: the list with the way to create, the way
// back to the list, the notices above the form (confirmation, 412 conflict), the edit form with the
// record's times and its buttons, and deleting the record.

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

import type { Resource } from '../api/client.ts';
import { flash, flashOn } from '../app/flash.ts';
import { Link, navigate } from '../app/router.tsx';
import { t } from '../i18n/index.ts';
import { ConflictAlert, type ComparedField } from './conflict.tsx';
import type { CreateForm } from './create.ts';
import type { EditForm } from './editable.ts';
import { FormErrors } from './form.tsx';
import { LoadedTable, type Column } from './table.tsx';
import { Alert, DateTime, ErrorAlert, Loading, PageHeader, Section } from './ui.tsx';
import type { Loaded } from './use-load.ts';

/** What a record's own fields take, on its create page and its edit page. */
export interface DraftFieldsProps<D> {
    draft: D;
    /** Changes some of the draft's fields. */
    set: (patch: Partial<D>) => void;
    /** Field name → message, from the last failed request. */
    errors: Record<string, string>;
    readOnly: boolean;
}

/** The list page's way to its create page. */
export function CreateLink({ href, label }: { href: string; label: string }) {
    return (
        <Link class="button button-primary" href={href}>
            {label}
        </Link>
    );
}

/**
 * A list page of records loaded whole: the title with the way to `${path}/new` (`create`: the link's
 * words, absent for those who may not create) and any other `actions`, the confirmation flashed to
 * `path` (after a create or a delete), `children` when given (a panel above the list), and the items
 * as a table of `row`s captioned by the title.
 */
export function RecordListPage<T>({
    title,
    description,
    path,
    create,
    actions,
    list,
    columns,
    row,
    children,
}: {
    title: string;
    description: string;
    path: string;
    create: string | undefined;
    actions?: ComponentChildren;
    list: Loaded<{ items: readonly T[] }>;
    columns: readonly Column[];
    row: (item: T) => ComponentChildren;
    children?: ComponentChildren;
}) {
    const flashed = flash.value?.path === path ? flash.value.text : null;
    return (
        <>
            <PageHeader
                title={title}
                description={description}
                actions={
                    (actions || create !== undefined) && (
                        <>
                            {actions}
                            {create !== undefined && <CreateLink href={`${path}/new`} label={create} />}
                        </>
                    )
                }
            />
            {flashed && <Alert tone="success" title={flashed} />}
            {children}
            <LoadedTable list={list} caption={title} columns={columns} row={row} />
        </>
    );
}

export function Breadcrumb({ href, label }: { href: string; label: string }) {
    return (
        <nav class="breadcrumb" aria-label={t('common.breadcrumb')}>
            <Link href={href}>{label}</Link>
        </nav>
    );
}

/**
 * The edit page before its record is there: loading, or why it could not be loaded. A function, not
 * a component, so the page's heading stays the same element once the record arrives (its focus and
 * the announcement happen once).
 */
export function pendingEdit(title: string, edit: { current: unknown; loadError: unknown }) {
    return (
        <>
            <PageHeader title={title} />
            {edit.loadError !== null && !edit.current ? <ErrorAlert error={edit.loadError} /> : <Loading />}
        </>
    );
}

/** Above the edit form: the confirmation of the last action (or one flashed to `path`), a 412 conflict. */
export function EditNotices<T extends { version: number; updated_at?: string }>({
    form,
    path,
    fields,
}: {
    form: EditForm<T, unknown>;
    path: string;
    fields: readonly ComparedField<T>[];
}) {
    const { edit, saved } = form;
    const flashed = flash.value?.path === path ? flash.value.text : null;
    return (
        <>
            {flashed && !saved && <Alert tone="success" title={flashed} />}
            {saved && <Alert tone="success" title={saved} />}
            {edit.conflict && edit.current && (
                <ConflictAlert
                    base={edit.current.data}
                    latest={edit.conflict}
                    fields={fields}
                    onReload={() => void edit.reload()}
                />
            )}
        </>
    );
}

/** The record's creation and last change, after its own `children` (`<dt>`/`<dd>` pairs). */
export function RecordTimes({
    record,
    children,
}: {
    record: { created_at: string; updated_at: string };
    children?: ComponentChildren;
}) {
    return (
        <dl class="props props-inline">
            {children}
            <dt>{t('col.createdAt')}</dt>
            <dd>
                <DateTime value={record.created_at} />
            </dd>
            <dt>{t('col.updatedAt')}</dt>
            <dd>
                <DateTime value={record.updated_at} />
            </dd>
        </dl>
    );
}

/**
 * Save, and the switch between enabled and disabled (absent without `toggle`). Both wait while a
 * request runs or a conflict stands; the switch also waits for unsaved changes.
 */
export function EditActions({
    edit,
    dirty,
    toggle,
}: {
    edit: { busy: boolean; conflict: unknown };
    dirty: boolean;
    toggle?: { disabled: boolean; label: string; run: () => void } | undefined;
}) {
    const { busy, conflict } = edit;
    return (
        <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy || !dirty || conflict !== null}>
                {busy ? t('common.saving') : t('common.save')}
            </button>
            {toggle && (
                <button
                    type="button"
                    class={toggle.disabled ? 'button' : 'button button-danger'}
                    disabled={busy || dirty || conflict !== null}
                    title={dirty ? t('common.saveFirst') : undefined}
                    onClick={toggle.run}
                >
                    {toggle.label}
                </button>
            )}
            {dirty && <span class="unsaved">{t('common.unsaved')}</span>}
        </div>
    );
}

/**
 * The edit form of a record's page, in a section titled `title` (between `before`, such as a hint,
 * and `after`, such as deleting): the last failure above the fields of `children` (with the field
 * errors not in `shown`), the record's `times` when given, and unless `readOnly` the save button,
 * which sends `update(etag)` (If-Match, see useEditForm) and confirms with `done` of the saved
 * version (保存しました unless told).
 */
export function EditFormSection<T extends { version: number }>({
    title,
    form,
    update,
    done,
    dirty,
    shown,
    readOnly = false,
    times,
    before,
    after,
    children,
}: {
    title: string;
    form: EditForm<T, unknown>;
    update: (etag: string) => Promise<Resource<T>>;
    done?: (data: T) => string;
    /** The draft differs from the version read (save is offered only then). */
    dirty: boolean;
    /** The fields that show their own error. */
    shown: readonly string[];
    readOnly?: boolean;
    times?: { created_at: string; updated_at: string };
    before?: ComponentChildren;
    after?: ComponentChildren;
    children: ComponentChildren;
}) {
    const { edit } = form;
    const save = async (event: Event): Promise<void> => {
        event.preventDefault();
        await form.act(update, done ?? (() => t('common.saved')));
    };
    return (
        <Section title={title}>
            {before}
            <form class="form" onSubmit={(e) => void save(e)} noValidate>
                <FormErrors error={edit.error} shown={shown} />
                {children}
                {times && <RecordTimes record={times} />}
                {!readOnly && <EditActions edit={edit} dirty={dirty} />}
            </form>
            {after}
        </Section>
    );
}

/** Create and cancel (back to `cancel`). */
function CreateActions({ busy, cancel }: { busy: boolean; cancel: string }) {
    return (
        <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
                {busy ? t('common.saving') : t('common.create')}
            </button>
            <Link class="button" href={cancel}>
                {t('common.cancel')}
            </Link>
        </div>
    );
}

/**
 * A record's create page: the title, the way back to the list (where cancel goes too), and the form
 * of `children` (its fields) under the last failure, with the create and cancel buttons.
 */
export function CreatePage({
    title,
    description,
    back,
    form,
    shown,
    browserChecks = false,
    children,
}: {
    title: string;
    description?: string;
    back: { href: string; label: string };
    form: CreateForm;
    /** The fields that show their own error; the failure's other field errors are listed above. */
    shown: readonly string[];
    /** The browser checks required fields before sending (else the server's messages say it). */
    browserChecks?: boolean;
    children: ComponentChildren;
}) {
    return (
        <>
            <PageHeader title={title} description={description} />
            <Breadcrumb href={back.href} label={back.label} />
            <section class="panel">
                <form class="form" onSubmit={(e) => void form.submit(e)} noValidate={!browserChecks}>
                    <FormErrors error={form.error} shown={shown} />
                    {children}
                    <CreateActions busy={form.busy} cancel={back.href} />
                </form>
            </section>
        </>
    );
}

/**
 * Delete, after asking `confirm` (with `children` saying what it does); on success the page `then`
 * with its confirmation, on failure the reason beside the question.
 */
export function DeleteRecord({
    label,
    confirm,
    submit,
    remove,
    then,
    children,
}: {
    label: string;
    confirm: string;
    submit: string;
    remove: () => Promise<unknown>;
    then: { path: string; message: string };
    children?: ComponentChildren;
}) {
    const [asking, setAsking] = useState(false);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    const run = async (): Promise<void> => {
        setBusy(true);
        setError(null);
        try {
            await remove();
            flashOn(then.path, then.message);
            navigate(then.path);
        } catch (err) {
            setError(err);
            setBusy(false);
        }
    };
    if (!asking) {
        return (
            <button type="button" class="button button-danger" onClick={() => setAsking(true)}>
                {label}
            </button>
        );
    }
    return (
        <Alert tone="warning" title={confirm}>
            {children}
            {error !== null && <ErrorAlert error={error} />}
            <div class="alert-actions">
                <button type="button" class="button button-danger" disabled={busy} onClick={() => void run()}>
                    {submit}
                </button>
                <button type="button" class="button" disabled={busy} onClick={() => setAsking(false)}>
                    {t('common.cancel')}
                </button>
            </div>
        </Alert>
    );
}
