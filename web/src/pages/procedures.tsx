// Procedures with approval gates (手順, issue 7: PRC-1..8; docs/procedures.md).
//
// `/procedures` lists the templates (name, kind, number of steps); an admin installs the standard
// ones (「標準の手順を登録」), and staff start a run of one (開始, with an optional run name), which
// opens the run. Below, the runs, newest first: name, status (実施中/完了/中止) and the next step.
//
// `/procedures/runs/{id}` shows a run as a checklist, under the record it was started for (linked):
// each step with its title, the responsible organisation by name (or the approval it needs), the
// evidence it wants, its status, who and when, its proof and the comment given. The next step has
// 完了 (with a comment box, required when the step needs a written record) or, for an approval,
// 承認 / 却下 (a rejection needs its reason). A step proved by what unyo recorded asks for its proof
// with 完了: a succeeded jobnet run (job_run), a succeeded run or a passed restore drill (backup), or
// an attachment of the run's record (attachment; a run without a record says it must be started for
// one); the refusal naming `evidence.*` is shown at that select. A done step shows its proof: the
// jobnet run (linked) and its end, the drill's backup and RTO, the file (its download). The buttons
// are shown to everyone: the server decides, and its refusal (403) is shown in words. A stopped run
// shows why. Templates are installed or written through the API; there is no template form.

import { useId, useState } from 'preact/hooks';

import {
    ApiError,
    RECORD_COLLECTIONS,
    type Id,
    type JobnetRun,
    type Organization,
    type ProcedureAction,
    type ProcedureEvidence,
    type ProcedureEvidenceInput,
    type ProcedureGate,
    type ProcedureProof,
    type ProcedureRun,
    type ProcedureRunStep,
    type ProcedureStepInput,
    type ProcedureTemplate,
    type RecordCollection,
} from '../api/client.ts';
import { flash, flashOn } from '../app/flash.ts';
import { organizationName, useOrganizations } from '../app/organizations.ts';
import { Link, navigate } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useAction } from '../components/action.tsx';
import { fieldErrors } from '../components/errors.ts';
import { SelectField, TextAreaField, TextField, type Option } from '../components/form.tsx';
import { Breadcrumb } from '../components/record.tsx';
import { LoadedTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section, type Tone } from '../components/ui.tsx';
import { useLoad, type Loaded } from '../components/use-load.ts';
import { formatDateTime, formatNumber } from '../i18n/format.ts';
import { isMessageKey, t } from '../i18n/index.ts';
import { rtoText } from './backups.tsx';

/** Who starts a run. */
const PROCEDURE_STARTERS = ['admin', 'manager', 'operator'] as const;

const KIND_LABELS: Record<string, string> = {
    change: 'システム変更',
    db_reorg: 'DB再編成',
    image_replacement: '電子画像ファイル差し替え',
    planned_stop: '計画停止',
    security_patch: 'セキュリティパッチ適用',
    security_patch_emergency: 'セキュリティパッチ適用 (緊急)',
    virus_definition: 'ウイルス定義ファイル更新',
    virus_detection: 'ウイルス検出時の対応',
    inspection: '定期点検',
    power_outage: '停電対応',
    restore_drill: 'リストア訓練',
    other: 'その他',
};

/** The kind of a template (the names of the seed's procedures, which are Japanese in both languages). */
function kindLabel(kind: string): string {
    return KIND_LABELS[kind] ?? kind;
}

function runStatusLabel(status: string): string {
    const key = `procedure.runStatus.${status}`;
    return isMessageKey(key) ? t(key) : status;
}

function stepStatusLabel(status: string): string {
    const key = `procedure.stepStatus.${status}`;
    return isMessageKey(key) ? t(key) : status;
}

const RUN_TONES: Record<string, Tone> = { running: 'info', completed: 'success', stopped: 'danger' };
const STEP_TONES: Record<string, Tone> = { pending: 'neutral', done: 'success', approved: 'success', rejected: 'danger' };

/** 承認: 発注者の管理者. */
function gateText(gate: ProcedureGate): string {
    const org =
        gate.organization_id !== null && gate.organization_id !== undefined
            ? t('procedure.gateOrg', { id: gate.organization_id })
            : gate.organization_kind === 'owner'
              ? t('procedure.gateOwner')
              : gate.organization_kind
                ? gate.organization_kind
                : t('procedure.gateAny');
    return t('procedure.gate', { org, role: t(gate.role === 'admin' ? 'procedure.gateRole.admin' : 'procedure.gateRole.manager') });
}

// ---- the list ----

export function ProcedureListPage() {
    const templates = useLoad(() => api.listProcedureTemplates(), []);
    const runs = useLoad(() => api.listProcedureRuns(100), []);
    const flashed = flash.value?.path === '/procedures' ? flash.value.text : null;
    const templateName = (id: Id): string => templates.data?.items.find((x) => x.id === id)?.name ?? `#${id}`;
    return (
        <>
            <PageHeader title={t('procedure.title')} description={t('procedure.description')} />
            {flashed && <Alert tone="success" title={flashed} />}
            <Templates templates={templates} />
            <Section title={t('procedure.runs')}>
                <LoadedTable
                    list={runs}
                    caption={t('procedure.runs')}
                    columns={[t('procedure.name'), t('procedure.template'), t('procedure.status'), t('procedure.nextStep'), t('procedure.startedAt')]}
                    row={(r: ProcedureRun) => {
                        const next = r.steps.find((s) => s.key === r.next_step);
                        return (
                            <tr key={r.id} data-run={r.id}>
                                <td>
                                    <Link href={`/procedures/runs/${r.id}`}>{r.name}</Link>
                                </td>
                                <td>{templateName(r.template_id)}</td>
                                <td>
                                    <Badge tone={RUN_TONES[r.status] ?? 'neutral'}>{runStatusLabel(r.status)}</Badge>
                                </td>
                                <td>
                                    {next ? (
                                        <>
                                            {next.title}{' '}
                                            {r.waiting_for_approval && <Badge tone="warning">{t('procedure.waiting')}</Badge>}
                                        </>
                                    ) : (
                                        <span class="muted">{t('common.none')}</span>
                                    )}
                                </td>
                                <td class="nowrap">
                                    <DateTime value={r.created_at} />
                                </td>
                            </tr>
                        );
                    }}
                />
            </Section>
        </>
    );
}

function Templates({ templates }: { templates: Loaded<{ items: ProcedureTemplate[] }> }) {
    const id = useId();
    const admin = hasRole('admin');
    const starter = hasRole(...PROCEDURE_STARTERS);
    const [name, setName] = useState('');
    const install = useAction();
    const start = useAction();
    const onInstall = async (): Promise<void> => {
        const failed = await install.run(async () => {
            const { created } = await api.installDefaultProcedureTemplates();
            return t('procedure.installed', { count: formatNumber(created) });
        });
        if (failed === null) {
            templates.reload();
        }
    };
    const onStart = async (template: ProcedureTemplate): Promise<void> => {
        await start.run(async () => {
            const run = await api.startProcedureRun({ template_id: template.id, ...(name.trim() ? { name: name.trim() } : {}) });
            const path = `/procedures/runs/${run.id}`;
            flashOn(path, t('procedure.started', { name: run.name }));
            navigate(path);
            return '';
        });
    };
    const empty = templates.data !== null && templates.data.items.length === 0;
    return (
        <Section title={t('procedure.templates')}>
            {install.done && <Alert tone="success" title={install.done} />}
            {install.error !== null && <ErrorAlert error={install.error} />}
            {start.error !== null && <ErrorAlert error={start.error} />}
            {empty && <p class="muted">{t('procedure.noTemplates')}</p>}
            {starter && (
                <div class="form-grid">
                    <TextField
                        id={`${id}-run-name`}
                        label={t('procedure.runName')}
                        hint={t('procedure.runNameHint')}
                        value={name}
                        onValue={setName}
                        error={fieldErrors(start.error)['name']}
                        maxLength={200}
                        autoComplete="off"
                    />
                </div>
            )}
            <LoadedTable
                list={templates}
                caption={t('procedure.templates')}
                columns={[t('procedure.name'), t('procedure.kind'), { label: t('procedure.stepCount'), class: 'num' }, ...(starter ? [''] : [])]}
                row={(tp: ProcedureTemplate) => (
                    <tr key={tp.id} data-template={tp.id}>
                        <td>
                            {tp.name}
                            {tp.description && <p class="small muted cell-note">{tp.description}</p>}
                        </td>
                        <td>{kindLabel(tp.kind)}</td>
                        <td class="num">{t('procedure.stepCountValue', { count: formatNumber(tp.steps.length) })}</td>
                        {starter && (
                            <td>
                                <button
                                    type="button"
                                    class="button"
                                    aria-label={t('procedure.startLabel', { name: tp.name })}
                                    disabled={start.busy}
                                    onClick={() => void onStart(tp)}
                                >
                                    {t('procedure.start')}
                                </button>
                            </td>
                        )}
                    </tr>
                )}
            />
            {admin && (
                <div class="form-actions">
                    <button type="button" class="button" disabled={install.busy} onClick={() => void onInstall()}>
                        {install.busy ? t('procedure.installing') : t('procedure.installDefaults')}
                    </button>
                </div>
            )}
        </Section>
    );
}

// ---- one run ----

/** The record a run was started for, with the collection its pages and attachments are under. */
interface RunRecord {
    collection: RecordCollection;
    key: string;
    title: string;
}

/**
 * The record of `recordId` (null: the run has none; undefined while looking). A run names its record
 * by id alone, so the collections are asked in turn, the likeliest for a procedure first.
 */
function useRunRecord(recordId: Id | null): { record: RunRecord | null | undefined; error: unknown } {
    const found = useLoad(async (): Promise<RunRecord | null> => {
        if (recordId === null) {
            return null;
        }
        let last: unknown = null;
        for (const collection of RECORD_ORDER) {
            try {
                const r = (await api.getRecord(collection, recordId)).data;
                return { collection, key: r.key, title: r.title };
            } catch (err) {
                if (!(err instanceof ApiError && err.status === 404)) {
                    throw err;
                }
                last = err;
            }
        }
        throw last;
    }, [recordId]);
    return { record: found.loading ? undefined : found.data, error: found.error };
}

/** Changes first (システム変更 and the patch procedures), then the others. */
const RECORD_ORDER: readonly RecordCollection[] = ['changes', ...RECORD_COLLECTIONS.filter((c) => c !== 'changes')];

export function ProcedureRunPage({ id }: { id: string }) {
    const runId = Number(id);
    const loaded = useLoad(() => api.getProcedureRun(runId), [runId]);
    const run = loaded.data;
    const { record, error: recordError } = useRunRecord(run?.record_id ?? null);
    const flashed = flash.value?.path === `/procedures/runs/${runId}` ? flash.value.text : null;
    return (
        <>
            <Breadcrumb href="/procedures" label={t('procedure.back')} />
            <PageHeader title={run?.name ?? t('procedure.title')} />
            {flashed && <Alert tone="success" title={flashed} />}
            {loaded.loading && loaded.data === null && <Loading />}
            {loaded.error !== null && <ErrorAlert error={loaded.error} />}
            {run && (
                <>
                    <p class="procedure-status" data-run-status={run.status}>
                        <Badge tone={RUN_TONES[run.status] ?? 'neutral'}>{runStatusLabel(run.status)}</Badge>{' '}
                        <span class="small muted">
                            {run.created_by} <DateTime value={run.created_at} />
                        </span>
                    </p>
                    {run.record_id !== null && (
                        <p class="small" data-run-record>
                            {t('procedure.record')}{' '}
                            {record ? (
                                <Link href={`/${record.collection}/${run.record_id}`}>
                                    {record.key} {record.title}
                                </Link>
                            ) : (
                                `#${run.record_id}`
                            )}
                        </p>
                    )}
                    {recordError !== null && <ErrorAlert error={recordError} />}
                    {run.status === 'stopped' && (
                        <Alert tone="warning" title={t('procedure.runStopped')}>
                            <p data-stop-reason>{run.stop_reason}</p>
                        </Alert>
                    )}
                    {run.status === 'completed' && <Alert tone="success" title={t('procedure.runCompleted')} />}
                    <Section title={t('procedure.steps')}>
                        <ol class="checklist" data-steps>
                            {run.steps.map((s) => (
                                <StepItem
                                    key={s.key}
                                    run={run}
                                    record={record ?? null}
                                    step={s}
                                    next={run.status === 'running' && run.next_step === s.key}
                                    onAnswer={loaded.set}
                                />
                            ))}
                        </ol>
                    </Section>
                </>
            )}
        </>
    );
}

/** 実施内容の記録, ジョブ実行, バックアップ, 添付ファイル: what a step's evidence asks for. */
function evidenceLabel(evidence: ProcedureEvidence): string {
    return t(`procedure.evidenceKind.${evidence}`);
}

/** Who does the step: its organisation (by name) and the responsible party as written; '' for none. */
function responsibleText(step: ProcedureRunStep, orgs: Organization[] | null): string {
    const org = step.organization_id !== null && step.organization_id !== undefined ? organizationName(orgs, step.organization_id) : null;
    const who = org !== null && step.responsible && step.responsible !== org ? `${org} (${step.responsible})` : (org ?? step.responsible ?? '');
    return who ? `${t('procedure.responsible')}: ${who}` : '';
}

/** The proof of a done step: the jobnet run (linked, its end), the drill (backup, RTO) or the file (its download). */
function Proof({ proof, run, record }: { proof: ProcedureProof; run: ProcedureRun; record: RunRecord | null }) {
    if ('job_run_id' in proof) {
        return (
            <p class="small" data-step-proof="job_run">
                {t('procedure.proof.jobRun')} <Link href={`/jobnet-runs/${proof.job_run_id}`}>{proof.jobnet}</Link>{' '}
                {proof.ended_at && t('procedure.proof.endedAt', { at: formatDateTime(proof.ended_at) })}
            </p>
        );
    }
    if ('drill_id' in proof) {
        return (
            <p class="small" data-step-proof="drill">
                {t('procedure.proof.drill', { backup: proof.backup_name, rto: rtoText(proof.duration_ms), at: formatDateTime(proof.at) })}
            </p>
        );
    }
    return (
        <p class="small" data-step-proof="attachment">
            {t('procedure.proof.attachment')}{' '}
            {record && run.record_id !== null ? (
                <a href={api.attachmentUrl(record.collection, run.record_id, proof.attachment_id)} download={proof.file_name}>
                    {proof.file_name}
                </a>
            ) : (
                proof.file_name
            )}
        </p>
    );
}

function StepItem({
    run,
    record,
    step,
    next,
    onAnswer,
}: {
    run: ProcedureRun;
    record: RunRecord | null;
    step: ProcedureRunStep;
    next: boolean;
    onAnswer: (run: ProcedureRun) => void;
}) {
    const gate = step.gate ?? null;
    const evidence = step.evidence ?? 'none';
    const orgs = useOrganizations(step.organization_id ?? null);
    return (
        <li class={`checklist-step${next ? ' checklist-next' : ''}`} data-step={step.key} data-status={step.status}>
            <div class="checklist-head">
                <span class="checklist-title">{step.title}</span>{' '}
                {next && gate ? (
                    <Badge tone="warning">{t('procedure.waiting')}</Badge>
                ) : next ? (
                    <Badge tone="info">{t('procedure.current')}</Badge>
                ) : (
                    <Badge tone={STEP_TONES[step.status] ?? 'neutral'}>{stepStatusLabel(step.status)}</Badge>
                )}
            </div>
            <p class="small muted" data-step-meta>
                {[gate ? gateText(gate) : responsibleText(step, orgs), evidence === 'none' ? '' : t('procedure.evidenceNeededOf', { what: evidenceLabel(evidence) })]
                    .filter(Boolean)
                    .join(' ・ ')}
            </p>
            {step.by && (
                <p class="small" data-step-by>
                    {step.by} <DateTime value={step.at} />
                </p>
            )}
            {step.proof && <Proof proof={step.proof} run={run} record={record} />}
            {step.comment && (
                <p class="pre-wrap" data-step-comment>
                    {step.comment}
                </p>
            )}
            {next && <StepActions run={run} record={record} step={step} onAnswer={onAnswer} />}
        </li>
    );
}

/** A picked proof as the select holds it: `run:ID`, `drill:ID` or `attachment:ID`. */
function evidenceOf(choice: string): ProcedureEvidenceInput | undefined {
    const m = /^(run|drill|attachment):(\d+)$/.exec(choice);
    if (!m) {
        return undefined;
    }
    const id = Number(m[2]);
    return m[1] === 'run' ? { job_run_id: id } : m[1] === 'drill' ? { drill_id: id } : { attachment_id: id };
}

/** `夜間バッチ — 2026/12/03 13:25 終了 (#12)`. */
function runOption(r: JobnetRun): Option {
    return {
        value: `run:${r.id}`,
        label: t('procedure.pick.runOption', { jobnet: r.jobnet_name, at: r.ended_at ? formatDateTime(r.ended_at) : '', id: r.id }),
    };
}

/** The proofs a step's evidence can take, as options: succeeded jobnet runs, passed drills, the record's files. */
function useProofOptions(evidence: ProcedureEvidence, run: ProcedureRun, record: RunRecord | null): { options: Option[] | null; error: unknown } {
    const wanted = evidence === 'job_run' || evidence === 'backup' || evidence === 'attachment';
    const loaded = useLoad(async (): Promise<Option[]> => {
        if (evidence === 'job_run' || evidence === 'backup') {
            const runs = (await api.listJobnetRuns({ status: 'succeeded', limit: 50 })).items.map(runOption);
            if (evidence === 'job_run') {
                return runs;
            }
            // Vendors may not list the drills: then the runs alone are offered.
            const drills = await api.listBackupDrills({ limit: 50 }).then(
                (d) => d.items.filter((x) => x.ok),
                () => [],
            );
            return [
                ...runs,
                ...drills.map((d) => ({
                    value: `drill:${d.id}`,
                    label: t('procedure.pick.drillOption', { backup: d.backup_name, at: formatDateTime(d.started_at), rto: rtoText(d.duration_ms) }),
                })),
            ];
        }
        if (evidence === 'attachment' && record && run.record_id !== null) {
            return (await api.listAttachments(record.collection, run.record_id)).items.map((a) => ({
                value: `attachment:${a.id}`,
                label: `${a.file_name} (${a.uploader}, ${formatDateTime(a.created_at)})`,
            }));
        }
        return [];
    }, [evidence, run.record_id, record?.collection]);
    return { options: wanted ? loaded.data : [], error: loaded.error };
}

/** The select of a step's proof, with the server's refusal (`evidence.*`) under it. */
function ProofPicker({
    id,
    evidence,
    run,
    record,
    value,
    onValue,
    error,
}: {
    id: string;
    evidence: ProcedureEvidence;
    run: ProcedureRun;
    record: RunRecord | null;
    value: string;
    onValue: (value: string) => void;
    error: string | undefined;
}) {
    const { options, error: loadError } = useProofOptions(evidence, run, record);
    if (evidence === 'attachment' && run.record_id === null) {
        return (
            <Alert tone="warning" title={t('procedure.pick.noRecord')}>
                {error && <p class="field-error">{error}</p>}
            </Alert>
        );
    }
    const hint =
        evidence === 'job_run'
            ? t('procedure.pick.jobRunHint')
            : evidence === 'backup'
              ? t('procedure.pick.backupHint')
              : t('procedure.pick.attachmentHint');
    return (
        <>
            {loadError !== null && <ErrorAlert error={loadError} />}
            <SelectField
                id={id}
                label={t('procedure.pick.label', { what: evidenceLabel(evidence) })}
                hint={options !== null && options.length === 0 ? t(`procedure.pick.none.${evidence as 'job_run' | 'backup' | 'attachment'}`) : hint}
                value={value}
                onValue={onValue}
                options={[{ value: '', label: options === null ? t('common.loading') : t('procedure.pick.choose') }, ...(options ?? [])]}
                error={error}
                required
            />
        </>
    );
}

function StepActions({
    run,
    record,
    step,
    onAnswer,
}: {
    run: ProcedureRun;
    record: RunRecord | null;
    step: ProcedureRunStep;
    onAnswer: (run: ProcedureRun) => void;
}) {
    const id = useId();
    const gate = Boolean(step.gate);
    const evidence = step.evidence ?? 'none';
    const proofNeeded = !gate && (evidence === 'job_run' || evidence === 'backup' || evidence === 'attachment');
    const [comment, setComment] = useState('');
    const [choice, setChoice] = useState('');
    const action = useAction();
    const errors = fieldErrors(action.error);
    const proofError = errors['evidence.job_run_id'] ?? errors['evidence.drill_id'] ?? errors['evidence.attachment_id'] ?? errors['evidence'];
    const act = async (what: ProcedureAction): Promise<void> => {
        await action.run(async () => {
            const input: ProcedureStepInput = { action: what };
            if (comment.trim()) input.comment = comment.trim();
            const proof = what === 'complete' && proofNeeded ? evidenceOf(choice) : undefined;
            if (proof) input.evidence = proof;
            const answer = await api.actOnProcedureStep(run.id, step.key, input);
            const key = what === 'approve' ? 'procedure.approvedMsg' : what === 'reject' ? 'procedure.rejectedMsg' : 'procedure.completed';
            flashOn(`/procedures/runs/${run.id}`, t(key, { title: step.title }));
            onAnswer(answer);
            return '';
        });
    };
    const commentNeeded = evidence === 'comment';
    return (
        <form
            class="form checklist-actions"
            data-step-actions
            noValidate
            onSubmit={(e) => {
                e.preventDefault();
                void act(gate ? 'approve' : 'complete');
            }}
        >
            {action.error !== null && !errors['comment'] && proofError === undefined && <ErrorAlert error={action.error} />}
            {proofNeeded && (
                <ProofPicker id={`${id}-proof`} evidence={evidence} run={run} record={record} value={choice} onValue={setChoice} error={proofError} />
            )}
            <TextAreaField
                id={`${id}-comment`}
                label={commentNeeded ? t('procedure.evidence') : t('procedure.comment')}
                hint={gate ? t('procedure.reasonHint') : commentNeeded ? t('procedure.evidenceHint') : undefined}
                value={comment}
                onValue={setComment}
                error={errors['comment']}
                required={commentNeeded}
                rows={2}
            />
            <div class="form-actions">
                {gate ? (
                    <>
                        <button type="submit" class="button button-primary" disabled={action.busy}>
                            {t('procedure.approve')}
                        </button>
                        <button type="button" class="button button-danger" disabled={action.busy} onClick={() => void act('reject')}>
                            {t('procedure.reject')}
                        </button>
                    </>
                ) : (
                    <button type="submit" class="button button-primary" disabled={action.busy}>
                        {t('procedure.complete')}
                    </button>
                )}
            </div>
        </form>
    );
}
