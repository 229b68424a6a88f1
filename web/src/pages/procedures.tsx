// Procedures with approval gates (手順, issue 7: PRC-1..8; docs/procedures.md).
//
// `/procedures` lists the templates (name, kind, number of steps); an admin installs the standard
// ones (「標準の手順を登録」), and staff start a run of one (開始, with an optional run name), which
// opens the run. Below, the runs, newest first: name, status (実施中/完了/中止) and the next step.
//
// `/procedures/runs/{id}` shows a run as a checklist: each step with its title, the responsible
// organisation (or the approval it needs), its status, who and when, and the comment given. The
// next step has 完了 (with a comment box, required when the step needs evidence) or, for an
// approval, 承認 / 却下 (a rejection needs its reason). The buttons are shown to everyone: the
// server decides, and its refusal (403) is shown in words. A stopped run shows why.

import { useId, useState } from 'preact/hooks';

import type { Id, ProcedureAction, ProcedureGate, ProcedureRun, ProcedureRunStep, ProcedureTemplate } from '../api/client.ts';
import { flash, flashOn } from '../app/flash.ts';
import { Link, navigate } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useAction } from '../components/action.tsx';
import { fieldErrors } from '../components/errors.ts';
import { TextAreaField, TextField } from '../components/form.tsx';
import { Breadcrumb } from '../components/record.tsx';
import { LoadedTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section, type Tone } from '../components/ui.tsx';
import { useLoad, type Loaded } from '../components/use-load.ts';
import { formatNumber } from '../i18n/format.ts';
import { isMessageKey, t } from '../i18n/index.ts';

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

export function ProcedureRunPage({ id }: { id: string }) {
    const runId = Number(id);
    const loaded = useLoad(() => api.getProcedureRun(runId), [runId]);
    const run = loaded.data;
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

function StepItem({
    run,
    step,
    next,
    onAnswer,
}: {
    run: ProcedureRun;
    step: ProcedureRunStep;
    next: boolean;
    onAnswer: (run: ProcedureRun) => void;
}) {
    const gate = step.gate ?? null;
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
            <p class="small muted">
                {gate ? gateText(gate) : step.responsible ? `${t('procedure.responsible')}: ${step.responsible}` : null}
                {step.evidence === 'comment' && ` ・ ${t('procedure.evidenceNeeded')}`}
            </p>
            {step.by && (
                <p class="small" data-step-by>
                    {step.by} <DateTime value={step.at} />
                </p>
            )}
            {step.comment && (
                <p class="pre-wrap" data-step-comment>
                    {step.comment}
                </p>
            )}
            {next && <StepActions run={run} step={step} onAnswer={onAnswer} />}
        </li>
    );
}

function StepActions({ run, step, onAnswer }: { run: ProcedureRun; step: ProcedureRunStep; onAnswer: (run: ProcedureRun) => void }) {
    const id = useId();
    const gate = Boolean(step.gate);
    const [comment, setComment] = useState('');
    const action = useAction();
    const errors = fieldErrors(action.error);
    const act = async (what: ProcedureAction): Promise<void> => {
        await action.run(async () => {
            const answer = await api.actOnProcedureStep(run.id, step.key, what, comment.trim() || undefined);
            const key = what === 'approve' ? 'procedure.approvedMsg' : what === 'reject' ? 'procedure.rejectedMsg' : 'procedure.completed';
            flashOn(`/procedures/runs/${run.id}`, t(key, { title: step.title }));
            onAnswer(answer);
            return '';
        });
    };
    const evidence = step.evidence === 'comment';
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
            {action.error !== null && !errors['comment'] && <ErrorAlert error={action.error} />}
            <TextAreaField
                id={`${id}-comment`}
                label={evidence ? t('procedure.evidence') : t('procedure.comment')}
                hint={gate ? t('procedure.reasonHint') : evidence ? t('procedure.evidenceHint') : undefined}
                value={comment}
                onValue={setComment}
                error={errors['comment']}
                required={evidence}
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
