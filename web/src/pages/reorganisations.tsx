// The April reorganisation (年度替わりの一括変更, issue 7: ACC-6; docs/reorganisation.md), for admins.
//
// `/reorganisations` lists the plans (名前, 適用日, 状態: 予定/適用中/適用済み/取消, 行数, 登録) and takes
// a new one: a name, the date it takes effect and the personnel sheet (CSV or XLSX, the format from
// the file's extension or chosen), sent as is. 「確認」 asks the server to read it without writing
// anything and shows the diff: per line the login and each change from → to (roles and standing in
// words), or the line's error; the organisations to be created; how many users change. 「登録」
// stages it and opens the plan. The server's refusals are shown where they belong: a parameter at
// its field, the file at the file input, a cell (`line N: column`) in a list of the sheet's errors.
//
// `/reorganisations/{id}` shows a plan: a staged one with its diff against the users as they are
// now and 今すぐ適用 / 取消 (each asked first); an applied one with how each line went (適用, 変更なし,
// 失敗 with the reason).

import { useId, useState } from 'preact/hooks';

import type {
    Reorganisation,
    ReorganisationChange,
    ReorganisationDiff,
    ReorganisationFormat,
    ReorganisationOutcome,
    ReorganisationStatus,
} from '../api/client.ts';
import { flash, flashOn } from '../app/flash.ts';
import { refreshOrganizations } from '../app/organizations.ts';
import { Link, navigate } from '../app/router.tsx';
import { api } from '../app/session.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { fieldErrors } from '../components/errors.ts';
import { Field, SelectField, TextField } from '../components/form.tsx';
import { Breadcrumb } from '../components/record.tsx';
import { DataTable, LoadedTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section, type Tone } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatNumber } from '../i18n/format.ts';
import { isMessageKey, t } from '../i18n/index.ts';
import { roleLabel } from '../i18n/labels.ts';
import { serverMessage } from '../i18n/server.ts';
import { civilDate } from './cis.tsx';

const STATUS_TONES: Record<ReorganisationStatus, Tone> = { staged: 'info', applying: 'warning', applied: 'success', cancelled: 'neutral' };

function StatusBadge({ status }: { status: ReorganisationStatus }) {
    const key = `reorg.status.${status}`;
    return <Badge tone={STATUS_TONES[status] ?? 'neutral'}>{isMessageKey(key) ? t(key) : status}</Badge>;
}

/** The member a change or an error names, in words (所属, ロール, …). */
function fieldWord(field: string): string {
    const key = `reorg.field.${field}`;
    return isMessageKey(key) ? t(key) : field;
}

/** A value of a change in words: roles by their names, the standing as 在籍/退職, empty as （なし）. */
function valueWord(field: string, value: string): string {
    if (value === '') {
        return t('reorg.emptyValue');
    }
    if (field === 'roles') {
        return value
            .split(',')
            .map((r) => roleLabel(r.trim()))
            .join('・');
    }
    if (field === 'status') {
        return value === 'disabled' ? t('reorg.disabled') : value === 'active' ? t('reorg.active') : value;
    }
    return value;
}

function ChangeItem({ change: c }: { change: ReorganisationChange }) {
    return (
        <li data-change={c.field}>
            <span class="change-field">{fieldWord(c.field)}</span>
            <span class="change-old">{valueWord(c.field, c.from)}</span>
            <span aria-hidden="true"> → </span>
            <span class="visually-hidden">{t('conflict.to')}</span>
            <span class="change-new">{valueWord(c.field, c.to)}</span>
        </li>
    );
}

/** The diff: how many users change, the organisations to be made, and each line's changes or error. */
function DiffView({ diff, caption }: { diff: ReorganisationDiff; caption: string }) {
    const errors = diff.lines.filter((l) => l.error).length;
    return (
        <div class="reorg-diff" data-reorg-diff>
            <p data-reorg-summary>
                {t('reorg.summary', { users: formatNumber(diff.users_changing), lines: formatNumber(diff.lines.length) })}
                {errors > 0 && (
                    <>
                        {' '}
                        <Badge tone="danger">{t('reorg.errorCount', { count: formatNumber(errors) })}</Badge>
                    </>
                )}
            </p>
            {diff.organizations_to_create.length > 0 && (
                <div data-reorg-new-orgs>
                    <p>{t('reorg.newOrganizations', { count: formatNumber(diff.organizations_to_create.length) })}</p>
                    <ul class="plain-list">
                        {diff.organizations_to_create.map((o) => (
                            <li key={o}>{o}</li>
                        ))}
                    </ul>
                </div>
            )}
            <DataTable
                caption={caption}
                columns={[{ label: t('reorg.line'), class: 'num' }, t('reorg.login'), t('reorg.changes')]}
                busy={false}
                empty={diff.lines.length === 0}
            >
                {diff.lines.map((l) => (
                    <tr key={l.line} data-line={l.line} class={l.error ? 'row-danger' : undefined}>
                        <td class="num">{l.line}</td>
                        <td class="mono">{l.login}</td>
                        <td>
                            {l.error ? (
                                <span class="field-error" data-line-error>
                                    {serverMessage(l.error)}
                                </span>
                            ) : l.changes && l.changes.length > 0 ? (
                                <ul class="changes">
                                    {l.changes.map((c) => (
                                        <ChangeItem key={c.field} change={c} />
                                    ))}
                                </ul>
                            ) : (
                                <span class="muted">{t('reorg.noChange')}</span>
                            )}
                        </td>
                    </tr>
                ))}
            </DataTable>
        </div>
    );
}

// ---- the list and the sheet ----

export function ReorganisationListPage() {
    const list = useLoad(() => api.listReorganisations(), []);
    const flashed = flash.value?.path === '/reorganisations' ? flash.value.text : null;
    return (
        <>
            <PageHeader title={t('reorg.title')} description={t('reorg.description')} />
            {flashed && <Alert tone="success" title={flashed} />}
            <Section title={t('reorg.list')}>
                <LoadedTable
                    list={list}
                    caption={t('reorg.list')}
                    columns={[t('reorg.name'), t('reorg.effectiveOn'), t('reorg.status'), { label: t('reorg.rows'), class: 'num' }, t('reorg.created')]}
                    row={(p: Reorganisation) => (
                        <tr key={p.id} data-plan={p.id}>
                            <td>
                                <Link href={`/reorganisations/${p.id}`}>{p.name}</Link>
                            </td>
                            <td class="nowrap">{civilDate(p.effective_on)}</td>
                            <td>
                                <StatusBadge status={p.status} />
                            </td>
                            <td class="num">{formatNumber(p.rows.length)}</td>
                            <td class="nowrap">
                                {p.created_by} <DateTime value={p.created_at} />
                            </td>
                        </tr>
                    )}
                />
            </Section>
            <SheetForm />
        </>
    );
}

/** `.xlsx` is read as a workbook, anything else as CSV. */
function formatOfFile(name: string): ReorganisationFormat {
    return /\.xlsx$/i.test(name) ? 'xlsx' : 'csv';
}

/** `line 3: roles` → 3 行目 ロール; anything else as sent. */
function lineFieldWords(field: string): string | null {
    const m = /^line (\d+): (\S+)$/.exec(field);
    return m ? t('reorg.lineField', { line: m[1] ?? '', column: fieldWord(m[2] ?? '') }) : null;
}

/** The sheet's cells the server refused, one a line (`line N: column`). */
function SheetErrors({ errors }: { errors: Record<string, string> }) {
    const cells = Object.entries(errors).flatMap(([field, message]) => {
        const where = lineFieldWords(field);
        return where ? [{ field, where, message }] : [];
    });
    if (cells.length === 0) {
        return null;
    }
    return (
        <Alert tone="danger" title={t('reorg.sheetErrors', { count: formatNumber(cells.length) })}>
            <ul class="other-errors" data-sheet-errors>
                {cells.map((c) => (
                    <li key={c.field}>
                        {c.where}: {c.message}
                    </li>
                ))}
            </ul>
        </Alert>
    );
}

/**
 * The sheet with its name and date: 確認 (a dry run, its diff shown under the fields) and 登録 (then
 * the plan's page). Anything changed drops what was checked.
 */
function SheetForm() {
    const id = useId();
    const [name, setName] = useState('');
    const [effectiveOn, setEffectiveOn] = useState('');
    const [file, setFile] = useState<File | null>(null);
    const [format, setFormat] = useState<ReorganisationFormat>('csv');
    const [checked, setChecked] = useState<ReorganisationDiff | null>(null);
    const [dryRun, setDryRun] = useState(true);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const changed = (): void => {
        setChecked(null);
        if (action.done !== null || action.error !== null) {
            action.reset();
        }
    };
    const ready = name.trim() !== '' && effectiveOn !== '' && file !== null;
    const send = async (dry: boolean): Promise<void> => {
        if (!file) {
            return;
        }
        setDryRun(dry);
        setChecked(null);
        const params = { name: name.trim(), effective_on: effectiveOn, format };
        await action.run(async () => {
            if (dry) {
                setChecked((await api.checkReorganisation(file, params)).diff);
                return '';
            }
            const plan = await api.stageReorganisation(file, params);
            const path = `/reorganisations/${plan.id}`;
            flashOn(path, t('reorg.staged', { name: plan.name, date: civilDate(plan.effective_on) }));
            navigate(path);
            return '';
        });
    };
    const shown = ['name', 'effective_on', 'format', 'file', ...Object.keys(errors).filter((f) => lineFieldWords(f) !== null)];
    return (
        <Section title={t('reorg.sheetTitle')}>
            <p class="muted">{t('reorg.sheetDescription')}</p>
            <ServerForm action={action} shown={shown} data-reorg-sheet onSubmit={() => void send(true)}>
                <SheetErrors errors={errors} />
                <div class="form-grid">
                    <TextField
                        id={`${id}-name`}
                        label={t('reorg.name')}
                        hint={t('reorg.nameHint')}
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
                    <TextField
                        id={`${id}-effective`}
                        label={t('reorg.effectiveOn')}
                        hint={t('reorg.effectiveOnHint')}
                        type="date"
                        value={effectiveOn}
                        onValue={(v) => {
                            setEffectiveOn(v);
                            changed();
                        }}
                        error={errors['effective_on']}
                        required
                    />
                    <Field id={`${id}-file`} label={t('reorg.file')} hint={t('reorg.fileHint')} error={errors['file']} required>
                        {(describedBy, invalid) => (
                            <input
                                id={`${id}-file`}
                                name={`${id}-file`}
                                type="file"
                                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                                aria-describedby={describedBy}
                                aria-invalid={invalid || undefined}
                                onChange={(e) => {
                                    const chosen = e.currentTarget.files?.[0] ?? null;
                                    setFile(chosen);
                                    if (chosen) {
                                        setFormat(formatOfFile(chosen.name));
                                    }
                                    changed();
                                }}
                            />
                        )}
                    </Field>
                    <SelectField
                        id={`${id}-format`}
                        label={t('reorg.format')}
                        value={format}
                        onValue={(v) => {
                            setFormat(v === 'xlsx' ? 'xlsx' : 'csv');
                            changed();
                        }}
                        options={[
                            { value: 'csv', label: t('reorg.formatCsv') },
                            { value: 'xlsx', label: t('reorg.formatXlsx') },
                        ]}
                        error={errors['format']}
                    />
                </div>
                {checked && (
                    <Alert tone={checked.ok ? 'info' : 'warning'} title={checked.ok ? t('reorg.checked') : t('reorg.checkedWithErrors')}>
                        <DiffView diff={checked} caption={t('reorg.diffCaption')} />
                    </Alert>
                )}
                <div class="form-actions">
                    <button type="submit" class="button" disabled={action.busy || !ready}>
                        {action.busy && dryRun ? t('reorg.checking') : t('reorg.check')}
                    </button>
                    <button
                        type="button"
                        class="button button-primary"
                        disabled={action.busy || !ready || checked === null || !checked.ok}
                        title={checked === null ? t('reorg.checkFirst') : undefined}
                        onClick={() => void send(false)}
                    >
                        {action.busy && !dryRun ? t('reorg.staging') : t('reorg.stage')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

// ---- one plan ----

const OUTCOME_TONES: Record<ReorganisationOutcome['outcome'], Tone> = { applied: 'success', unchanged: 'neutral', failed: 'danger' };

function ResultTable({ plan }: { plan: Reorganisation }) {
    return (
        <DataTable
            caption={t('reorg.result')}
            columns={[{ label: t('reorg.line'), class: 'num' }, t('reorg.login'), t('reorg.outcome'), t('reorg.reason')]}
            busy={false}
            empty={plan.result.length === 0}
        >
            {plan.result.map((r) => (
                <tr key={r.line} data-line={r.line} data-outcome={r.outcome} class={r.outcome === 'failed' ? 'row-danger' : undefined}>
                    <td class="num">{r.line}</td>
                    <td class="mono">{r.login}</td>
                    <td>
                        <Badge tone={OUTCOME_TONES[r.outcome] ?? 'neutral'}>{t(`reorg.outcome.${r.outcome}`)}</Badge>
                    </td>
                    <td>{r.error ? serverMessage(r.error) : ''}</td>
                </tr>
            ))}
        </DataTable>
    );
}

/** 今すぐ適用 and 取消 of a staged plan, each asked first. */
function PlanActions({ plan, onAnswer }: { plan: Reorganisation; onAnswer: (plan: Reorganisation) => void }) {
    const [asking, setAsking] = useState<'apply' | 'cancel' | null>(null);
    const action = useAction();
    const run = async (what: 'apply' | 'cancel'): Promise<void> => {
        const failed = await action.run(async () => {
            const answer = what === 'apply' ? await api.applyReorganisation(plan.id) : await api.cancelReorganisation(plan.id);
            if (what === 'apply') {
                void refreshOrganizations();
            }
            onAnswer(answer);
            return what === 'apply' ? t('reorg.applied', { name: plan.name }) : t('reorg.cancelled', { name: plan.name });
        });
        if (failed === null) {
            setAsking(null);
        }
    };
    return (
        <>
            {action.done && <Alert tone="success" title={action.done} />}
            {asking === null ? (
                plan.status === 'staged' && (
                    <div class="form-actions">
                        <button type="button" class="button button-primary" onClick={() => setAsking('apply')}>
                            {t('reorg.applyNow')}
                        </button>
                        <button type="button" class="button button-danger" onClick={() => setAsking('cancel')}>
                            {t('reorg.cancel')}
                        </button>
                    </div>
                )
            ) : (
                <Alert
                    tone="warning"
                    title={
                        asking === 'apply'
                            ? t('reorg.applyConfirm', { name: plan.name, users: formatNumber(plan.diff?.users_changing ?? plan.rows.length) })
                            : t('reorg.cancelConfirm', { name: plan.name })
                    }
                >
                    {action.error !== null && <ErrorAlert error={action.error} />}
                    <div class="alert-actions">
                        <button
                            type="button"
                            class={asking === 'apply' ? 'button button-primary' : 'button button-danger'}
                            disabled={action.busy}
                            onClick={() => void run(asking)}
                        >
                            {asking === 'apply' ? t('reorg.applySubmit') : t('reorg.cancelSubmit')}
                        </button>
                        <button type="button" class="button" disabled={action.busy} onClick={() => setAsking(null)}>
                            {t('common.cancel')}
                        </button>
                    </div>
                </Alert>
            )}
        </>
    );
}

export function ReorganisationPage({ id }: { id: string }) {
    const planId = Number(id);
    const loaded = useLoad(() => api.getReorganisation(planId), [planId]);
    const p = loaded.data;
    const path = `/reorganisations/${planId}`;
    const flashed = flash.value?.path === path ? flash.value.text : null;
    return (
        <>
            <Breadcrumb href="/reorganisations" label={t('reorg.back')} />
            <PageHeader title={p?.name ?? t('reorg.title')} />
            {flashed && <Alert tone="success" title={flashed} />}
            {loaded.loading && p === null && <Loading />}
            {loaded.error !== null && <ErrorAlert error={loaded.error} />}
            {p && (
                <>
                    <Section title={t('reorg.plan')}>
                        <dl class="props" data-plan-props>
                            <dt>{t('reorg.effectiveOn')}</dt>
                            <dd>{civilDate(p.effective_on)}</dd>
                            <dt>{t('reorg.status')}</dt>
                            <dd data-plan-status={p.status}>
                                <StatusBadge status={p.status} />
                            </dd>
                            <dt>{t('reorg.rows')}</dt>
                            <dd>{formatNumber(p.rows.length)}</dd>
                            <dt>{t('reorg.created')}</dt>
                            <dd>
                                {p.created_by} <DateTime value={p.created_at} />
                            </dd>
                            {p.applied_at && (
                                <>
                                    <dt>{t('reorg.appliedAt')}</dt>
                                    <dd>
                                        {p.applied_by} <DateTime value={p.applied_at} />
                                    </dd>
                                </>
                            )}
                        </dl>
                        {p.status === 'staged' && <p class="hint">{t('reorg.stagedHint', { date: civilDate(p.effective_on) })}</p>}
                        {p.status === 'applying' && <p class="hint">{t('reorg.applyingHint')}</p>}
                        <PlanActions plan={p} onAnswer={loaded.set} />
                    </Section>
                    {p.status === 'staged' && p.diff && (
                        <Section title={t('reorg.diff')}>
                            <DiffView diff={p.diff} caption={t('reorg.diff')} />
                        </Section>
                    )}
                    {(p.status === 'applied' || p.result.length > 0) && (
                        <Section title={t('reorg.result')}>
                            <ResultTable plan={p} />
                        </Section>
                    )}
                </>
            )}
        </>
    );
}
