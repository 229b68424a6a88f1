// unyo's own backups (BAK-1, BAK-3, BAK-4; docs/operations.md): the generations kept, each with
// 「検証」 (re-read the archive: its SHA-256, then every file against the manifest; the problems are
// listed in the row) and 「リストア訓練」 (restore into a scratch directory, check, record how long it
// took — RTO evidence — and how old the data was — RPO evidence); admins take a generation now,
// and restore one: 「リストア」 opens a small form under the row (an absolute target directory, and
// whether a directory not empty may be written over) and says what was written, or the server's
// refusal at the field. The server never restores into the running server's data directory (nor
// into one inside it or holding it): replacing the live data is `unyo restore` with the server
// stopped, as the note above the list says. Below, the drills.

import { useId, useState } from 'preact/hooks';

import type { BackupDrill, BackupGeneration, BackupVerification } from '../api/client.ts';
import { api, hasRole } from '../app/session.ts';
import { useAction, type Action } from '../components/action.tsx';
import { formatBytes } from '../components/attachments.tsx';
import { describeError, fieldErrors } from '../components/errors.ts';
import { CheckField, TextField } from '../components/form.tsx';
import { LoadedTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, PageHeader, Section } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { formatElapsed, formatNumber, formatTokyoDateTime } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { serverMessage } from '../i18n/server.ts';

/** Who sees the backups, verifies and drills them (taking and restoring one is the admin's). */
export const BACKUP_STAFF = ['admin', 'manager', 'operator'] as const;

/** How many characters of a SHA-256 are shown (the whole is in the tooltip). */
const SHA_SHOWN = 12;

/** How many columns the generations' table has (the restore form spans them). */
const GENERATION_COLUMNS = 6;

/** An instant in Japan time, machine-readable (the backups are named and kept by Japan's clock). */
function TokyoTime({ value }: { value: string }) {
    return (
        <time dateTime={value} title={value}>
            {formatTokyoDateTime(value)}
        </time>
    );
}

/** RTO: the drill's duration in seconds (`0.35 秒`, `12.4 秒`). */
export function rtoText(ms: number): string {
    return t('backup.seconds', { s: (ms / 1000).toFixed(ms < 10_000 ? 2 : 1) });
}

/** RPO: the data's age in hours and minutes (`3時間12分`), under a minute said so. */
export function rpoText(ms: number): string {
    return ms < 60_000 ? t('backup.underMinute') : formatElapsed(Math.floor(ms / 60_000) * 60_000);
}

/** What verify found, in the generation's row: 正常, or each problem a line. */
function Verification({ result }: { result: BackupVerification }) {
    if (result.ok) {
        return (
            <p class="small" data-verify="ok">
                <Badge tone="success">{t('backup.verifyOk')}</Badge>{' '}
                {t('backup.verifyCount', { files: formatNumber(result.files), size: formatBytes(result.bytes) })}
            </p>
        );
    }
    return (
        <div class="small" data-verify="failed">
            <Badge tone="danger">{t('backup.verifyFailed')}</Badge>
            <ul class="problems">
                {result.problems.map((p, i) => (
                    <li key={i}>{serverMessage(p)}</li>
                ))}
            </ul>
        </div>
    );
}

/**
 * Why a restore failed, in one line for the target field: the server's field messages (the target
 * is what they are about), else its detail, else the sentence for the status; all translated.
 */
function restoreFailure(error: unknown): string | undefined {
    if (error === null) {
        return undefined;
    }
    const fields = Object.values(fieldErrors(error));
    if (fields.length > 0) {
        return fields.join(' ');
    }
    const { message, detail } = describeError(error);
    return detail ?? message;
}

/** The restore form of generation `file`, in a row of its own under the generation's. */
function RestoreForm({
    file,
    action,
    onRestored,
    onCancel,
}: {
    file: string;
    action: Action;
    onRestored: () => void;
    onCancel: () => void;
}) {
    const [target, setTarget] = useState('');
    const [overwrite, setOverwrite] = useState(false);
    const id = useId();
    const submit = async (): Promise<void> => {
        const failed = await action.run(async () => {
            const r = await api.restoreBackup(file, { target: target.trim(), overwrite });
            return t('backup.restored', { files: formatNumber(r.files), size: formatBytes(r.bytes), target: r.target });
        });
        if (failed === null) {
            onRestored();
        }
    };
    return (
        <tr class="row-detail" data-restore={file}>
            <td colSpan={GENERATION_COLUMNS}>
                <form
                    class="restore-form"
                    aria-label={t('backup.restoreFormOf', { file })}
                    onSubmit={(e) => {
                        e.preventDefault();
                        void submit();
                    }}
                >
                    <p class="hint">{t('backup.restoreLive', { file })}</p>
                    <TextField
                        id={`${id}-target`}
                        label={t('backup.restoreTarget')}
                        value={target}
                        onValue={setTarget}
                        hint={t('backup.restoreTargetHint')}
                        error={restoreFailure(action.error)}
                        required
                        class="mono"
                        spellcheck={false}
                        autoComplete="off"
                    />
                    <CheckField
                        id={`${id}-overwrite`}
                        label={t('backup.restoreOverwrite')}
                        checked={overwrite}
                        onChecked={setOverwrite}
                    />
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled={action.busy || target.trim() === ''}>
                            {action.busy ? t('backup.restoring') : t('backup.restoreRun')}
                        </button>
                        <button type="button" class="button" disabled={action.busy} onClick={onCancel}>
                            {t('common.cancel')}
                        </button>
                    </div>
                </form>
            </td>
        </tr>
    );
}

/**
 * One generation with its 検証 and リストア訓練 (the drill list follows through `onDrilled`), and
 * for an admin its リストア with the form under the row.
 */
function GenerationRow({
    generation: g,
    onDrilled,
    admin,
}: {
    generation: BackupGeneration;
    onDrilled: () => void;
    admin: boolean;
}) {
    const verify = useAction();
    const drill = useAction();
    const restore = useAction();
    const [verified, setVerified] = useState<BackupVerification | null>(null);
    const [restoring, setRestoring] = useState(false);
    const busy = verify.busy || drill.busy || restore.busy;
    return (
        <>
            <tr data-backup={g.file}>
                <td class="mono small">{g.file}</td>
                <td class="nowrap">
                    <TokyoTime value={g.created_at} />
                </td>
                <td class="num">{formatNumber(g.files)}</td>
                <td class="nowrap">
                    {formatBytes(g.bytes)}
                    <p class="small muted">{t('backup.archiveSize', { size: formatBytes(g.archive_bytes) })}</p>
                </td>
                <td>
                    <code title={g.archive_sha256} data-sha256={g.archive_sha256}>
                        {g.archive_sha256.slice(0, SHA_SHOWN)}…
                    </code>
                </td>
                <td>
                    <span class="row-actions">
                        <button
                            type="button"
                            class="button button-small"
                            disabled={busy}
                            aria-label={t('backup.verifyOf', { file: g.file })}
                            onClick={() =>
                                void verify.run(async () => {
                                    setVerified(await api.verifyBackup(g.file));
                                    return '';
                                })
                            }
                        >
                            {verify.busy ? t('backup.verifying') : t('backup.verify')}
                        </button>
                        <button
                            type="button"
                            class="button button-small"
                            disabled={busy}
                            aria-label={t('backup.drillOf', { file: g.file })}
                            onClick={() =>
                                void drill.run(async () => {
                                    const d = await api.drillBackup(g.file);
                                    onDrilled();
                                    return d.ok ? t('backup.drillDone') : t('backup.drillFailedNote');
                                })
                            }
                        >
                            {drill.busy ? t('backup.drilling') : t('backup.drill')}
                        </button>
                        {admin && (
                            <button
                                type="button"
                                class={restoring ? 'button button-small button-primary' : 'button button-small'}
                                disabled={busy}
                                aria-expanded={restoring}
                                aria-label={t('backup.restoreOf', { file: g.file })}
                                onClick={() => {
                                    restore.reset();
                                    setRestoring(!restoring);
                                }}
                            >
                                {t('backup.restore')}
                            </button>
                        )}
                    </span>
                    {verified && <Verification result={verified} />}
                    {drill.done && <p class="small" role="status">{drill.done}</p>}
                    {restore.done && <p class="small" role="status" data-restored>{restore.done}</p>}
                    {verify.error !== null && <ErrorAlert error={verify.error} />}
                    {drill.error !== null && <ErrorAlert error={drill.error} />}
                </td>
            </tr>
            {restoring && (
                <RestoreForm
                    file={g.file}
                    action={restore}
                    onRestored={() => setRestoring(false)}
                    onCancel={() => {
                        restore.reset();
                        setRestoring(false);
                    }}
                />
            )}
        </>
    );
}

/** A drill: when, which generation, result, RTO, RPO, message, who. */
function DrillRow({ drill: d }: { drill: BackupDrill }) {
    return (
        <tr data-drill={d.id} class={d.ok ? undefined : 'row-warning'}>
            <td class="nowrap">
                <DateTime value={d.started_at} />
            </td>
            <td>
                <span class="mono small">{d.archive}</span>
                <p class="small muted">
                    {t('backup.generationAt')} <TokyoTime value={d.generation_at} />
                </p>
            </td>
            <td>{d.ok ? <Badge tone="success">{t('backup.drillOk')}</Badge> : <Badge tone="danger">{t('backup.drillFailed')}</Badge>}</td>
            <td class="nowrap" data-rto>
                {rtoText(d.duration_ms)}
            </td>
            <td class="nowrap" data-rpo>
                {rpoText(d.data_age_ms)}
            </td>
            <td class="cell-note backup-message">{d.message}</td>
            <td class="mono">{d.actor}</td>
        </tr>
    );
}

export function BackupPage() {
    const generations = useLoad(() => api.listBackups(), []);
    const drills = useLoad(() => api.listBackupDrills(), []);
    const now = useAction();
    const admin = hasRole('admin');
    return (
        <>
            <PageHeader
                title={t('backup.title')}
                description={t('backup.description')}
                actions={
                    admin && (
                        <button
                            type="button"
                            class="button button-primary"
                            disabled={now.busy}
                            onClick={() =>
                                void now.run(async () => {
                                    const g = await api.createBackup();
                                    generations.reload();
                                    return t('backup.created', { file: g.file });
                                })
                            }
                        >
                            {now.busy ? t('backup.creating') : t('backup.createNow')}
                        </button>
                    )
                }
            />
            {now.done && <Alert tone="success" title={now.done} />}
            {now.error !== null && <ErrorAlert error={now.error} />}
            <Alert tone="info" title={t('backup.restoreNote')}>
                <p>{t('backup.restoreHow')}</p>
            </Alert>
            <Section title={t('backup.generations')}>
                <LoadedTable
                    list={generations}
                    caption={t('backup.generations')}
                    columns={[
                        t('backup.file'),
                        t('backup.createdAt'),
                        t('backup.files'),
                        t('backup.size'),
                        'SHA-256',
                        t('backup.actions'),
                    ]}
                    row={(g) => <GenerationRow key={g.file} generation={g} onDrilled={drills.reload} admin={admin} />}
                />
            </Section>
            <Section title={t('backup.drills')}>
                <p class="hint">{t('backup.drillsHint')}</p>
                <LoadedTable
                    list={drills}
                    caption={t('backup.drills')}
                    columns={[
                        t('backup.drillAt'),
                        t('backup.generation'),
                        t('col.result'),
                        t('backup.rto'),
                        t('backup.rpo'),
                        t('backup.message'),
                        t('backup.actor'),
                    ]}
                    row={(d) => <DrillRow key={d.id} drill={d} />}
                />
            </Section>
        </>
    );
}
