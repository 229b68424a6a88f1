// The handover export (引継ぎデータ出力, KNW-2; docs/export.md), for admins: what the file holds
// (a JSON Lines file per table, the manifest, SHA256SUMS, the data dictionary in Japanese and
// English; no secrets) and how it is restored (`unyo import`, then `unyo user passwd`). 「出力を開始」
// starts one on the server in the background; while it runs the page asks for its progress every
// second (tables written of all, rows so far, the table just written) and stops asking when it is
// done or failed, or when the page is left. Done, it names the file, its size and when it finished,
// with the download; failed, it says why. A start refused because one runs already (409) says so
// and follows the running one.

import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';

import { ApiError, dataExportFileUrl, type DataExportStatus } from '../api/client.ts';
import { api } from '../app/session.ts';
import { formatBytes } from '../components/attachments.tsx';
import { Alert, Badge, DateTime, ErrorAlert, Loading, PageHeader, Section } from '../components/ui.tsx';
import { formatNumber } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { serverMessage } from '../i18n/server.ts';

/** How often the progress is asked for while an export runs. */
const POLL_MS = 1000;

/** The commands of the restore, as they are typed. */
const IMPORT_COMMAND = 'unyo import FILE --data-dir NEW';
const PASSWD_COMMAND = 'unyo user passwd --data-dir NEW --login LOGIN';

/** What the file holds, how secrets are left out, and how it is restored. */
function Contents() {
    const members = [
        { name: 'data/<table>.jsonl', text: t('dataExport.contents.data') },
        { name: 'manifest.json', text: t('dataExport.contents.manifest') },
        { name: 'SHA256SUMS', text: t('dataExport.contents.sums') },
        { name: 'DATA-DICTIONARY.md', text: t('dataExport.contents.dictionary') },
        { name: 'attachments/', text: t('dataExport.contents.attachments') },
    ];
    return (
        <Section title={t('dataExport.contents')}>
            <dl class="props" data-export-contents>
                {members.map((m) => (
                    <Fragment key={m.name}>
                        <dt>
                            <code>{m.name}</code>
                        </dt>
                        <dd>{m.text}</dd>
                    </Fragment>
                ))}
            </dl>
            <p class="hint">{t('dataExport.secrets')}</p>
            <h3 class="data-export-subtitle">{t('dataExport.restoreHow')}</h3>
            <ol class="data-export-restore">
                <li>
                    {t('dataExport.restoreImport')}
                    <pre>{IMPORT_COMMAND}</pre>
                </li>
                <li>
                    {t('dataExport.restorePasswd')}
                    <pre>{PASSWD_COMMAND}</pre>
                </li>
            </ol>
        </Section>
    );
}

/** Tables written of all (a bar, and in words) and rows so far; the bar moves while it runs. */
function Progress({ status: s }: { status: DataExportStatus }) {
    const counted = s.tables_total > 0;
    return (
        <div class="data-export-progress">
            {/* Without a total yet the bar is indeterminate (no value). */}
            <progress
                aria-label={t('dataExport.progress')}
                max={counted ? s.tables_total : undefined}
                value={counted ? s.tables_done : undefined}
                data-tables-done={s.tables_done}
                data-tables-total={s.tables_total}
            />
            <p data-export-counts>
                {t('dataExport.tables', { done: formatNumber(s.tables_done), total: formatNumber(s.tables_total) })}
                {t('dataExport.sep')}
                {t('dataExport.rows', { rows: formatNumber(s.rows) })}
            </p>
            {s.state === 'running' && s.table !== '' && (
                <p class="small" data-export-table>
                    {t('dataExport.lastTable')} <code>{s.table}</code>
                </p>
            )}
        </div>
    );
}

/** The export's state: nothing yet, its progress, the file with its download, or why it failed. */
function Status({ status: s }: { status: DataExportStatus }) {
    switch (s.state) {
        case 'idle':
            return <p class="muted" data-export-state="idle">{t('dataExport.idle')}</p>;
        case 'running':
            return (
                <div data-export-state="running" role="status">
                    <p>
                        <Badge tone="info">{t('dataExport.running')}</Badge>
                    </p>
                    <Progress status={s} />
                </div>
            );
        case 'done':
            return (
                <div data-export-state="done">
                    <Alert tone="success" title={t('dataExport.done')} />
                    <Progress status={s} />
                    <dl class="props">
                        <dt>{t('dataExport.file')}</dt>
                        <dd class="mono" data-export-file>
                            {s.file}
                        </dd>
                        <dt>{t('dataExport.size')}</dt>
                        <dd data-export-size title={t('dataExport.bytes', { bytes: formatNumber(s.bytes) })}>
                            {formatBytes(s.bytes)}
                        </dd>
                        <dt>{t('dataExport.startedAt')}</dt>
                        <dd>
                            <DateTime value={s.started_at} />
                        </dd>
                        <dt>{t('dataExport.finishedAt')}</dt>
                        <dd data-export-finished>
                            <DateTime value={s.finished_at} />
                        </dd>
                    </dl>
                    <p class="form-actions">
                        <a
                            class="button button-primary"
                            href={dataExportFileUrl()}
                            download={s.file ?? ''}
                            title={t('dataExport.downloadTitle', { file: s.file ?? '' })}
                            data-export-download
                        >
                            {t('dataExport.download')}
                        </a>
                    </p>
                </div>
            );
        case 'failed':
            return (
                <div data-export-state="failed">
                    <Alert tone="danger" title={t('dataExport.failed')}>
                        {s.error && <p class="alert-detail">{serverMessage(s.error)}</p>}
                        <p>{t('dataExport.failedHint')}</p>
                    </Alert>
                    <Progress status={s} />
                </div>
            );
    }
}

export function DataExportPage() {
    const [status, setStatus] = useState<DataExportStatus | null>(null);
    /** The last failed request for the status (the last good answer stays shown). */
    const [loadError, setLoadError] = useState<unknown>(null);
    const [starting, setStarting] = useState(false);
    const [startError, setStartError] = useState<unknown>(null);
    /** True after a start refused because an export runs already (409). */
    const [refused, setRefused] = useState(false);

    const load = async (): Promise<DataExportStatus | null> => {
        try {
            const s = await api.getDataExport();
            setStatus(s);
            setLoadError(null);
            return s;
        } catch (error) {
            setLoadError(error);
            return null;
        }
    };

    useEffect(() => {
        let live = true;
        api.getDataExport().then(
            (s) => live && setStatus(s),
            (error: unknown) => live && setLoadError(error),
        );
        return () => {
            live = false;
        };
    }, []);

    // While one runs: ask again every second until it is done or failed, or the page is left.
    const running = status?.state === 'running';
    useEffect(() => {
        if (!running) {
            return;
        }
        let live = true;
        let timer: ReturnType<typeof setTimeout> | null = null;
        const next = (): void => {
            timer = setTimeout(() => {
                api.getDataExport().then(
                    (s) => {
                        if (live) {
                            setStatus(s);
                            setLoadError(null);
                            if (s.state === 'running') {
                                next();
                            }
                        }
                    },
                    (error: unknown) => {
                        if (live) {
                            setLoadError(error);
                            next();
                        }
                    },
                );
            }, POLL_MS);
        };
        next();
        return () => {
            live = false;
            if (timer !== null) {
                clearTimeout(timer);
            }
        };
    }, [running]);

    const start = async (): Promise<void> => {
        setStarting(true);
        setStartError(null);
        setRefused(false);
        try {
            setStatus(await api.startDataExport());
        } catch (error) {
            if (error instanceof ApiError && error.status === 409) {
                // One runs already: say so and follow it.
                setRefused(true);
                await load();
            } else {
                setStartError(error);
            }
        } finally {
            setStarting(false);
        }
    };

    return (
        <>
            <PageHeader title={t('dataExport.title')} description={t('dataExport.description')} />
            <Contents />
            <Section title={t('dataExport.run')}>
                <p class="hint">{t('dataExport.startHint')}</p>
                <p class="form-actions">
                    <button
                        type="button"
                        class="button button-primary"
                        disabled={starting || running}
                        onClick={() => void start()}
                    >
                        {starting ? t('dataExport.starting') : t('dataExport.start')}
                    </button>
                </p>
                {refused && <Alert tone="warning" title={t('dataExport.alreadyRunning')} />}
                {startError !== null && <ErrorAlert error={startError} />}
                {loadError !== null && <ErrorAlert error={loadError} />}
                {status ? <Status status={status} /> : loadError === null && <Loading />}
            </Section>
        </>
    );
}
