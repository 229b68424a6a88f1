// Security advisories (セキュリティ情報, issue 7: SEC-1; docs/advisories.md).
//
// `/advisories` lists the advisories, newest published first (識別番号, タイトル, 深刻度, 公開日, 状態,
// how many configuration items each affects and how many are to be checked), filtered by status and
// by 影響あり・要確認のみ (affected=true), the filters kept in the URL. Those who write advisories read
// a file (MyJVN VULDEF or JVNRSS XML, or JSON) sent as it is: 内容を確認 (a dry run: how many would be
// created, updated, left unchanged, and what the file holds), then 取り込む. `/advisories/{id}`
// shows one with the configuration items it names (影響あり / 要確認 / 影響なし, each linked to its
// page), changes its status with a note (If-Match; a 412 says so and loads the latest), and starts
// the security-patch procedure (パッチ適用手順を開始), then links to the run.

import { useEffect, useId, useRef, useState } from 'preact/hooks';

import {
    ADVISORY_STATUSES,
    ApiError,
    type Advisory,
    type AdvisoryImport,
    type AdvisoryMatch,
    type AdvisoryPatch,
    type AdvisorySeverity,
    type AdvisoryStatus,
    type AdvisoryVerdict,
    type ProcedureRun,
    type Resource,
    type Role,
} from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { ServerForm, useAction } from '../components/action.tsx';
import { etagOf } from '../components/editable.ts';
import { fieldErrors } from '../components/errors.ts';
import { FilterBar, useUrlFilters, withAll } from '../components/filters.tsx';
import { CheckField, Field, SelectField, TextAreaField } from '../components/form.tsx';
import { Breadcrumb } from '../components/record.tsx';
import { DataTable, LoadedTable } from '../components/table.tsx';
import { Alert, Badge, ErrorAlert, Loading, PageHeader, Section, type Tone } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatNumber } from '../i18n/format.ts';
import { isMessageKey, t } from '../i18n/index.ts';
import { civilDate } from './cis.tsx';

/** Who reads advisories. */
export const ADVISORY_READERS: readonly Role[] = ['admin', 'manager', 'operator', 'vendor', 'viewer'];
/** Who records them, reads files and changes their status. */
const ADVISORY_WRITERS = ['admin', 'manager', 'operator', 'vendor'] as const;
/** Who starts the patch procedure. */
const PROCEDURE_STARTERS = ['admin', 'manager', 'operator'] as const;

const SEVERITY_TONES: Record<AdvisorySeverity, Tone> = {
    critical: 'danger',
    high: 'danger',
    medium: 'warning',
    low: 'info',
    none: 'neutral',
    unknown: 'neutral',
};
const STATUS_TONES: Record<AdvisoryStatus, Tone> = {
    open: 'warning',
    not_affected: 'neutral',
    patching: 'info',
    patched: 'success',
    accepted: 'neutral',
};
const VERDICT_TONES: Record<AdvisoryVerdict, Tone> = { affected: 'danger', unknown: 'warning', not_affected: 'success' };

function label(prefix: string, value: string): string {
    const key = `${prefix}.${value}`;
    return isMessageKey(key) ? t(key) : value;
}

function SeverityBadge({ severity, cvss }: { severity: AdvisorySeverity; cvss?: string }) {
    return (
        <Badge tone={SEVERITY_TONES[severity] ?? 'neutral'}>
            {label('advisories.severity', severity)}
            {cvss ? ` ${cvss}` : ''}
        </Badge>
    );
}

function StatusBadge({ status }: { status: AdvisoryStatus }) {
    return <Badge tone={STATUS_TONES[status] ?? 'neutral'}>{label('advisories.status', status)}</Badge>;
}

function VerdictBadge({ verdict }: { verdict: AdvisoryVerdict }) {
    return <Badge tone={VERDICT_TONES[verdict] ?? 'neutral'}>{label('advisories.verdict', verdict)}</Badge>;
}

/** 影響あり N / 要確認 N as two numbers. */
function Counts({ a }: { a: Advisory }) {
    return (
        <>
            <td class="num" data-affected-count>
                {a.affected_count > 0 ? <strong>{formatNumber(a.affected_count)}</strong> : formatNumber(0)}
            </td>
            <td class="num" data-unknown-count>
                {formatNumber(a.unknown_count)}
            </td>
        </>
    );
}

// ---- the list ----

export function AdvisoryListPage() {
    const f = useUrlFilters(['status', 'affected'] as const);
    const status = (ADVISORY_STATUSES as readonly string[]).includes(f.applied.status) ? (f.applied.status as AdvisoryStatus) : undefined;
    const list = useLoad(() => api.listAdvisories({ status, affected: f.applied.affected === 'true' }), [f.key]);
    return (
        <>
            <PageHeader title={t('advisories.title')} description={t('advisories.description')} />
            <FilterBar label={t('filter.label')} onApply={f.apply} onClear={f.clear}>
                <SelectField
                    id="filter-status"
                    label={t('advisories.statusCol')}
                    {...f.bind('status')}
                    options={withAll(ADVISORY_STATUSES.map((s) => ({ value: s, label: label('advisories.status', s) })))}
                />
                <CheckField
                    id="filter-affected"
                    label={t('advisories.affectedOnly')}
                    checked={f.draft.affected === 'true'}
                    onChecked={(on) => f.set('affected', on ? 'true' : '')}
                />
            </FilterBar>
            <Section title={t('advisories.list')}>
                <LoadedTable
                    list={list}
                    caption={t('advisories.list')}
                    columns={[
                        t('advisories.ref'),
                        t('advisories.titleCol'),
                        t('advisories.severityCol'),
                        t('advisories.published'),
                        t('advisories.statusCol'),
                        { label: t('advisories.affectedCount'), class: 'num' },
                        { label: t('advisories.unknownCount'), class: 'num' },
                    ]}
                    row={(a: Advisory) => (
                        <tr key={a.id} data-advisory={a.id} class={a.affected_count > 0 && a.status === 'open' ? 'row-warning' : undefined}>
                            <td class="nowrap">
                                <Link href={`/advisories/${a.id}`}>{a.ref}</Link>
                            </td>
                            <td>{a.title}</td>
                            <td>
                                <SeverityBadge severity={a.severity} />
                            </td>
                            <td class="nowrap">{civilDate(a.published_on)}</td>
                            <td>
                                <StatusBadge status={a.status} />
                            </td>
                            <Counts a={a} />
                        </tr>
                    )}
                />
            </Section>
            {hasRole(...ADVISORY_WRITERS) && <ImportPanel onImported={list.reload} />}
        </>
    );
}

/** 新規 N 件、更新 N 件、変更なし N 件. */
function importCounts(r: AdvisoryImport): string {
    return t('advisories.importCounts', {
        created: formatNumber(r.created),
        updated: formatNumber(r.updated),
        unchanged: formatNumber(r.unchanged),
    });
}

/** What a dry run found: the counts, then each advisory of the file with what it affects. */
function ImportPreview({ result }: { result: AdvisoryImport }) {
    return (
        <div class="advisory-preview" data-advisory-preview>
            <Alert tone="info" title={t('advisories.previewTitle', { counts: importCounts(result) })} />
            <DataTable
                caption={t('advisories.previewCaption')}
                columns={[
                    t('advisories.ref'),
                    t('advisories.titleCol'),
                    t('advisories.severityCol'),
                    t('advisories.published'),
                    { label: t('advisories.affectedCount'), class: 'num' },
                    { label: t('advisories.unknownCount'), class: 'num' },
                ]}
                busy={false}
                empty={result.advisories.length === 0}
            >
                {result.advisories.map((a) => (
                    <tr key={a.ref} data-preview-ref={a.ref}>
                        <td class="nowrap">{a.ref}</td>
                        <td>{a.title}</td>
                        <td>
                            <SeverityBadge severity={a.severity} />
                        </td>
                        <td class="nowrap">{civilDate(a.published_on)}</td>
                        <Counts a={a} />
                    </tr>
                ))}
            </DataTable>
        </div>
    );
}

/**
 * A file read as it is: 内容を確認 (a dry run, shown above the buttons), then 取り込む. A refusal of
 * the file is shown at the file input.
 */
function ImportPanel({ onImported }: { onImported: () => void }) {
    const id = useId();
    const input = useRef<HTMLInputElement>(null);
    const [file, setFile] = useState<File | null>(null);
    const [preview, setPreview] = useState<AdvisoryImport | null>(null);
    const [dryRun, setDryRun] = useState(true);
    const action = useAction();
    const errors = fieldErrors(action.error);
    const send = async (dry: boolean): Promise<void> => {
        if (!file) {
            return;
        }
        setDryRun(dry);
        setPreview(null);
        const failed = await action.run(async () => {
            const r = await api.importAdvisories(file, { dryRun: dry });
            if (dry) {
                setPreview(r);
                return '';
            }
            return t('advisories.imported', { name: file.name, counts: importCounts(r) });
        });
        if (failed === null && !dry) {
            setFile(null);
            if (input.current) {
                input.current.value = '';
            }
            onImported();
        }
    };
    return (
        <Section title={t('advisories.importTitle')}>
            <p class="muted">{t('advisories.importDescription')}</p>
            <ServerForm action={action} shown={['file']} data-advisory-import onSubmit={() => void send(true)}>
                <div class="form-grid">
                    <Field id={`${id}-file`} label={t('advisories.file')} hint={t('advisories.fileHint')} error={errors['file']} wide>
                        {(describedBy, invalid) => (
                            <input
                                ref={input}
                                id={`${id}-file`}
                                name={`${id}-file`}
                                type="file"
                                accept=".xml,.rdf,.json,application/xml,text/xml,application/json"
                                aria-describedby={describedBy}
                                aria-invalid={invalid || undefined}
                                onChange={(e) => {
                                    setFile(e.currentTarget.files?.[0] ?? null);
                                    setPreview(null);
                                    action.reset();
                                }}
                            />
                        )}
                    </Field>
                </div>
                {preview && <ImportPreview result={preview} />}
                <div class="form-actions">
                    <button type="submit" class="button" disabled={action.busy || file === null}>
                        {action.busy && dryRun ? t('advisories.checking') : t('advisories.check')}
                    </button>
                    <button
                        type="button"
                        class="button button-primary"
                        disabled={action.busy || preview === null}
                        title={preview === null ? t('advisories.checkFirst') : undefined}
                        onClick={() => void send(false)}
                    >
                        {action.busy && !dryRun ? t('advisories.importing') : t('advisories.import')}
                    </button>
                </div>
            </ServerForm>
        </Section>
    );
}

// ---- one advisory ----

function Matches({ matches }: { matches: readonly AdvisoryMatch[] }) {
    return (
        <DataTable
            caption={t('advisories.matches')}
            columns={[t('advisories.ci'), t('advisories.ciVersion'), t('advisories.product'), t('advisories.verdictCol')]}
            busy={false}
            empty={matches.length === 0}
        >
            {matches.map((m) => (
                <tr key={`${m.ci_id}-${m.product}`} data-match={m.ci_id} class={m.verdict === 'affected' ? 'row-danger' : m.verdict === 'unknown' ? 'row-warning' : undefined}>
                    <td>
                        <Link href={`/cis/${m.ci_id}`}>{m.ci_name}</Link>
                    </td>
                    <td>{m.ci_version || <span class="muted">{t('advisories.noVersion')}</span>}</td>
                    <td>{m.product}</td>
                    <td data-verdict={m.verdict}>
                        <VerdictBadge verdict={m.verdict} />
                    </td>
                </tr>
            ))}
        </DataTable>
    );
}

function AdvisoryProps({ a }: { a: Advisory }) {
    const none = <span class="muted">{t('common.none')}</span>;
    return (
        <dl class="props" data-advisory-props>
            <dt>{t('advisories.ref')}</dt>
            <dd class="mono">{a.ref}</dd>
            <dt>{t('advisories.source')}</dt>
            <dd>{label('advisories.sourceName', a.source)}</dd>
            <dt>{t('advisories.severityCol')}</dt>
            <dd>
                <SeverityBadge severity={a.severity} cvss={a.cvss ? `CVSS ${a.cvss}` : undefined} />
            </dd>
            <dt>{t('advisories.published')}</dt>
            <dd>{a.published_on ? civilDate(a.published_on) : none}</dd>
            <dt>{t('advisories.statusCol')}</dt>
            <dd data-advisory-status>
                <StatusBadge status={a.status} />
            </dd>
            <dt>{t('advisories.url')}</dt>
            <dd>
                {a.url ? (
                    <a href={a.url} target="_blank" rel="noopener noreferrer">
                        {a.url}
                    </a>
                ) : (
                    none
                )}
            </dd>
            <dt>{t('advisories.cves')}</dt>
            <dd class="mono">{a.cves.length ? a.cves.join(', ') : none}</dd>
            <dt>{t('advisories.products')}</dt>
            <dd>
                {a.products.length === 0 ? (
                    none
                ) : (
                    <ul class="plain-list">
                        {a.products.map((p, i) => (
                            <li key={i}>
                                {[p.vendor, p.name].filter(Boolean).join(' ')}
                                {p.cpe && <span class="mono small muted"> {p.cpe}</span>}
                                {p.versions && p.versions.length > 0 && <span> — {p.versions.join('、')}</span>}
                            </li>
                        ))}
                    </ul>
                )}
            </dd>
            <dt>{t('advisories.procedure')}</dt>
            <dd data-advisory-procedure>
                {a.procedure ? (
                    <>
                        <Link href={`/procedures/runs/${a.procedure.id}`}>{a.procedure.name}</Link>{' '}
                        <span class="muted small">({label('procedure.runStatus', a.procedure.status)})</span>
                    </>
                ) : (
                    none
                )}
            </dd>
            {a.note && (
                <>
                    <dt>{t('advisories.note')}</dt>
                    <dd class="pre-wrap">{a.note}</dd>
                </>
            )}
        </dl>
    );
}

/**
 * The status and its note, sent with the ETag the advisory was read with; on a 412 nothing is saved,
 * the server's message stays and the latest version is loaded into the page and the form.
 */
function StatusForm({ current, onChanged }: { current: Resource<Advisory>; onChanged: (res: Resource<Advisory>) => void }) {
    const id = useId();
    const a = current.data;
    const [status, setStatus] = useState<AdvisoryStatus>(a.status);
    const [note, setNote] = useState(a.note);
    const [reloaded, setReloaded] = useState(false);
    const action = useAction();
    const errors = fieldErrors(action.error);
    // Every version shown afresh (saved, reloaded after a 412, changed by starting the procedure).
    useEffect(() => {
        setStatus(a.status);
        setNote(a.note);
    }, [a.version]);
    const patch: AdvisoryPatch = {};
    if (status !== a.status) patch.status = status;
    if (note !== a.note) patch.note = note;
    const dirty = Object.keys(patch).length > 0;
    const save = async (): Promise<void> => {
        setReloaded(false);
        const failed = await action.run(async () => {
            const res = await api.updateAdvisory(a.id, patch, etagOf(current));
            onChanged(res);
            return t('advisories.statusSaved', { status: label('advisories.status', res.data.status) });
        });
        if (failed instanceof ApiError && failed.status === 412) {
            try {
                onChanged(await api.getAdvisory(a.id));
                setReloaded(true);
            } catch {
                // The 412 stays shown.
            }
        }
    };
    return (
        <ServerForm action={action} shown={['status', 'note']} data-advisory-status-form aria-label={t('advisories.statusTitle')} onSubmit={() => void save()}>
            {reloaded && <Alert tone="info" title={t('advisories.reloaded')} />}
            <div class="form-grid">
                <SelectField
                    id={`${id}-status`}
                    label={t('advisories.statusCol')}
                    value={status}
                    onValue={(v) => setStatus(v as AdvisoryStatus)}
                    options={ADVISORY_STATUSES.map((s) => ({ value: s, label: label('advisories.status', s) }))}
                    error={errors['status']}
                />
                <TextAreaField
                    id={`${id}-note`}
                    label={t('advisories.note')}
                    hint={t('advisories.noteHint')}
                    value={note}
                    onValue={setNote}
                    error={errors['note']}
                />
            </div>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled={action.busy || !dirty}>
                    {action.busy ? t('common.saving') : t('advisories.changeStatus')}
                </button>
            </div>
        </ServerForm>
    );
}

/** パッチ適用手順を開始 (the emergency template when chosen, by default for a critical one), then a link to the run. */
function ProcedurePanel({ a, onStarted }: { a: Advisory; onStarted: (advisory: Advisory) => void }) {
    const id = useId();
    const [emergency, setEmergency] = useState(a.severity === 'critical');
    const [run, setRun] = useState<ProcedureRun | null>(null);
    const action = useAction();
    const closed = a.status === 'not_affected' || a.status === 'accepted';
    const start = async (): Promise<void> => {
        await action.run(async () => {
            const r = await api.startAdvisoryProcedure(a.id, { emergency });
            setRun(r.run);
            onStarted(r.advisory);
            return '';
        });
    };
    return (
        <Section title={t('advisories.procedureTitle')}>
            {run && (
                <Alert tone="success" title={t('advisories.procedureStarted', { name: run.name })}>
                    <Link href={`/procedures/runs/${run.id}`}>{t('advisories.openRun')}</Link>
                </Alert>
            )}
            {action.error !== null && <ErrorAlert error={action.error} />}
            {a.procedure ? (
                !run && (
                    <p>
                        {t('advisories.procedureExists')} <Link href={`/procedures/runs/${a.procedure.id}`}>{a.procedure.name}</Link>
                    </p>
                )
            ) : closed ? (
                <p class="muted">{t('advisories.procedureClosed', { status: label('advisories.status', a.status) })}</p>
            ) : (
                <>
                    <p class="hint">{t('advisories.procedureHint')}</p>
                    <CheckField id={`${id}-emergency`} label={t('advisories.emergency')} checked={emergency} onChecked={setEmergency} />
                    <div class="form-actions">
                        <button type="button" class="button button-primary" disabled={action.busy} onClick={() => void start()}>
                            {t('advisories.startProcedure')}
                        </button>
                    </div>
                </>
            )}
        </Section>
    );
}

export function AdvisoryPage({ id }: { id: string }) {
    const advisoryId = Number(id);
    const loaded = useLoad(() => api.getAdvisory(advisoryId), [advisoryId]);
    const current = loaded.data;
    const a = current?.data ?? null;
    return (
        <>
            <Breadcrumb href="/advisories" label={t('advisories.back')} />
            <PageHeader title={a ? a.title : t('advisories.title')} description={a?.ref} />
            {loaded.loading && loaded.data === null && <Loading />}
            {loaded.error !== null && <ErrorAlert error={loaded.error} />}
            {current && a && (
                <>
                    <Section title={t('advisories.details')}>
                        <AdvisoryProps a={a} />
                        {a.summary && <p class="pre-wrap">{a.summary}</p>}
                    </Section>
                    <Section title={t('advisories.matches')} class="advisory-matches">
                        <p class="hint">{t('advisories.matchesHint')}</p>
                        <Matches matches={a.matches ?? []} />
                    </Section>
                    {hasRole(...ADVISORY_WRITERS) && (
                        <Section title={t('advisories.statusTitle')}>
                            <StatusForm current={current} onChanged={loaded.set} />
                        </Section>
                    )}
                    {hasRole(...PROCEDURE_STARTERS) && (
                        <ProcedurePanel a={a} onStarted={(advisory) => loaded.set({ ...current, data: advisory, etag: `"${advisory.version}"` })} />
                    )}
                </>
            )}
        </>
    );
}
