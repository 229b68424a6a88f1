// Alerts (MON-3, MON-4): newest first, open ones unless asked otherwise, asked again every few
// seconds. Each says which monitor, how severe, when it was detected, became hard and was
// resolved, how often it repeated, the incident it opened (a link), whether it came during a
// planned stop (計画停止中: kept but silent), who acknowledged it and the time from detection to
// the first notification. Staff and vendors acknowledge with a comment (and, where the server
// takes it, an expiry); a second acknowledgement is refused (409) and said so. The list comes a
// page at a time with previous / next, as the ledger lists do; the page shown is asked again.

import { useState } from 'preact/hooks';

import { ApiError, type AlertAcknowledge, type Monitor, type MonitorAlert } from '../api/client.ts';
import { Link, location, setQuery } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { useAction } from '../components/action.tsx';
import { fieldErrors } from '../components/errors.ts';
import { jobAlertHref } from '../components/jobs.tsx';
import { TextAreaField, TextField } from '../components/form.tsx';
import { alertSourceLabel, isAcknowledged, LiveNote, MONITOR_STAFF, StateBadge, stateOf } from '../components/monitoring.tsx';
import { Pager, type Paged } from '../components/paged.tsx';
import { DataTable } from '../components/table.tsx';
import { Alert, Badge, DateTime, ErrorAlert, PageHeader } from '../components/ui.tsx';
import { useLoad } from '../components/use-load.ts';
import { usePoll } from '../components/use-poll.ts';
import { displayZone, formatElapsed, localInputToInstant } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { SeverityBadge } from './records.tsx';

/** An alert's key; a job alert's is a link to its run (or jobnet). */
function AlertKey({ alert }: { alert: MonitorAlert }) {
    const href = alert.source === 'job' ? jobAlertHref(alert.dedup_key) : null;
    return href ? <Link href={href}>{alert.dedup_key}</Link> : <>{alert.dedup_key}</>;
}

/** Who may acknowledge alerts. */
export const ALERT_ACKNOWLEDGERS = ['admin', 'manager', 'operator', 'vendor'] as const;

const ALERT_POLL_MS = 10_000;
const PAGE_SIZE = 50;

type StatusChoice = 'open' | 'resolved' | 'all';
const CHOICES: readonly StatusChoice[] = ['open', 'resolved', 'all'];

function choiceOf(query: URLSearchParams): StatusChoice {
    const s = query.get('status') ?? '';
    return (CHOICES as readonly string[]).includes(s) ? (s as StatusChoice) : 'open';
}

/** The acknowledgement form of one alert, in a row under it. */
function AcknowledgeForm({
    alert,
    columns,
    onDone,
    onCancel,
}: {
    alert: MonitorAlert;
    columns: number;
    onDone: (notice: { tone: 'success' | 'warning'; text: string }) => void;
    onCancel: () => void;
}) {
    const [comment, setComment] = useState('');
    const [expires, setExpires] = useState('');
    const action = useAction();
    const submit = async (): Promise<void> => {
        const input: AlertAcknowledge = { comment: comment.trim() };
        const expiresAt = localInputToInstant(expires);
        if (expiresAt !== undefined) {
            input.expires_at = expiresAt;
        }
        const failed = await action.run(async () => {
            await api.acknowledgeAlert(alert.id, input);
            return t('alert.acknowledged');
        });
        if (failed === null) {
            onDone({ tone: 'success', text: t('alert.acknowledged') });
        } else if (failed instanceof ApiError && failed.status === 409) {
            onDone({ tone: 'warning', text: t('alert.already') });
        }
    };
    const errors = fieldErrors(action.error);
    const idBase = `ack-${alert.id}`;
    return (
        <tr class="row-detail">
            <td colSpan={columns}>
                <form
                    class="ack-form"
                    aria-label={t('alert.ackFormOf', { id: alert.id })}
                    onSubmit={(e) => {
                        e.preventDefault();
                        void submit();
                    }}
                >
                    {action.error !== null && Object.keys(errors).length === 0 && <ErrorAlert error={action.error} />}
                    <div class="form-grid">
                        <TextAreaField
                            id={`${idBase}-comment`}
                            label={t('alert.ackComment')}
                            value={comment}
                            onValue={setComment}
                            hint={t('alert.ackCommentHint')}
                            error={errors['comment']}
                        />
                        <TextField
                            id={`${idBase}-expires`}
                            type="datetime-local"
                            label={t('alert.ackExpires')}
                            value={expires}
                            onValue={setExpires}
                            hint={t('alert.ackExpiresHint', { zone: displayZone() })}
                            error={errors['expires_at']}
                        />
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled={action.busy}>
                            {t('alert.ackSubmit')}
                        </button>
                        <button type="button" class="button" onClick={onCancel}>
                            {t('common.cancel')}
                        </button>
                    </div>
                </form>
            </td>
        </tr>
    );
}

function AckCell({ alert }: { alert: MonitorAlert }) {
    if (!alert.acknowledged_at) {
        return <span class="muted">{t('alert.notAcknowledged')}</span>;
    }
    const lapsed = !isAcknowledged(alert);
    return (
        <div class="ack">
            <Badge tone={lapsed ? 'warning' : 'success'}>{lapsed ? t('alert.ackLapsed') : t('alert.ackBadge')}</Badge>{' '}
            <span class="mono">{alert.acknowledged_by}</span>{' '}
            <DateTime value={alert.acknowledged_at} />
            {alert.ack_expires_at && (
                <span class="small muted">
                    {' '}
                    {t('alert.ackUntil')} <DateTime value={alert.ack_expires_at} />
                </span>
            )}
            {alert.ack_comment && <p class="ack-comment">{alert.ack_comment}</p>}
        </div>
    );
}

/**
 * The alert's monitor by name, linked to its page: the name the alert carries, else (servers before
 * monitor_name) the monitor of the list, else its id.
 */
function monitorLabel(alert: MonitorAlert, monitor: Monitor | undefined): string | null {
    if (alert.monitor_id === null) {
        return null;
    }
    return alert.monitor_name ?? monitor?.name ?? `#${alert.monitor_id}`;
}

/** Detection to notification: tenths of a second under a minute (it is usually that quick), else 1分2秒. */
function notifyText(ms: number): string {
    return ms < 60_000 ? t('alert.seconds', { seconds: (ms / 1000).toFixed(1) }) : formatElapsed(ms);
}


/** 検知 / 発生 / 解決: when the failure was first seen, became hard, ended. */
function Times({ alert }: { alert: MonitorAlert }) {
    return (
        <dl class="alert-times">
            <dt>{t('alert.detected')}</dt>
            <dd>
                <DateTime value={alert.detected_at} />
            </dd>
            <dt>{t('alert.opened')}</dt>
            <dd>
                <DateTime value={alert.opened_at} />
            </dd>
            <dt>{t('alert.resolved')}</dt>
            <dd>
                <DateTime value={alert.resolved_at} empty={t('alert.notResolved')} />
            </dd>
        </dl>
    );
}

export function AlertListPage() {
    const choice = choiceOf(location.value.query);
    // The cursors of the pages visited (undefined: the first), so that previous works; a change of
    // choice starts again at the first page. Alerts page by id, so new ones do not shift a later page.
    const [pos, setPos] = useState<{ choice: StatusChoice; stack: (string | undefined)[] }>({ choice, stack: [undefined] });
    const stack = pos.choice === choice ? pos.stack : [undefined];
    const cursor = stack[stack.length - 1];
    const data = usePoll(
        async () => {
            const [alerts, monitors] = await Promise.all([
                api.listAlerts({ ...(choice === 'all' ? {} : { status: choice }), limit: PAGE_SIZE, cursor }),
                api.listMonitors(),
            ]);
            return { choice, cursor, alerts: alerts.items, next: alerts.next_cursor, monitors: monitors.items };
        },
        ALERT_POLL_MS,
        [choice, cursor],
    );
    // The answer on screen is for another page until the one asked for arrives.
    const current = data.data !== null && data.data.choice === choice && data.data.cursor === cursor;
    const nextCursor = current ? (data.data?.next ?? null) : null;
    const paged: Paged<MonitorAlert> = {
        items: data.data?.alerts ?? [],
        loading: !current && data.error === null,
        error: data.error,
        page: stack.length,
        hasPrev: stack.length > 1,
        hasNext: nextCursor !== null,
        next: () => {
            if (nextCursor !== null) {
                setPos({ choice, stack: [...stack, nextCursor] });
            }
        },
        prev: () => setPos({ choice, stack: stack.slice(0, -1) }),
        first: () => setPos({ choice, stack: [undefined] }),
        reload: data.reload,
    };
    const [acking, setAcking] = useState<number | null>(null);
    const [notice, setNotice] = useState<{ tone: 'success' | 'warning'; text: string } | null>(null);
    const acknowledger = hasRole(...ALERT_ACKNOWLEDGERS);
    const items = paged.items;
    const monitorOf = (id: number | null): Monitor | undefined => data.data?.monitors.find((m) => m.id === id);
    // The deciding rule by name (MON-7); only admins, managers and operators may list the rules.
    const ruleReader = hasRole(...MONITOR_STAFF);
    const rules = useLoad(async () => (ruleReader ? (await api.listAlertRules()).items : []), [ruleReader]);
    const ruleName = (id: number): string => rules.data?.find((r) => r.id === id)?.name ?? `#${id}`;
    const columns = [
        t('alert.times'),
        t('alert.monitor'),
        t('record.severity'),
        t('alert.status'),
        t('alert.repeats'),
        t('alert.incident'),
        t('alert.toNotify'),
        t('alert.acknowledgement'),
    ];
    return (
        <>
            <PageHeader title={t('alert.listTitle')} description={t('alert.listDescription')} />
            <div class="board-bar">
                <div class="segmented" role="group" aria-label={t('alert.show')}>
                    {CHOICES.map((c) => (
                        <button
                            key={c}
                            type="button"
                            aria-pressed={c === choice}
                            onClick={() => setQuery({ status: c === 'open' ? undefined : c })}
                        >
                            {t(`alert.choice.${c}`)}
                        </button>
                    ))}
                </div>
                <LiveNote polled={data} intervalMs={ALERT_POLL_MS} />
            </div>
            {notice && <Alert tone={notice.tone} title={notice.text} />}
            {data.error !== null && <ErrorAlert error={data.error} />}
            <DataTable
                caption={t('alert.listTitle')}
                columns={columns}
                busy={!current}
                empty={current && items.length === 0}
                liveOff
            >
                {items.map((a) => {
                    const monitor = monitorOf(a.monitor_id);
                    const name = monitorLabel(a, monitor);
                    const open = a.status === 'open';
                    return [
                        <tr
                            key={a.id}
                            data-alert={a.id}
                            class={open && !a.suppressed ? (isAcknowledged(a) ? 'row-warning' : 'row-danger') : undefined}
                        >
                            <td class="nowrap">
                                <Times alert={a} />
                            </td>
                            <td>
                                {a.monitor_id !== null ? (
                                    <Link href={`/monitors/${a.monitor_id}`}>{name}</Link>
                                ) : (
                                    <>
                                        <span>{alertSourceLabel(a.source)}</span>
                                        <span class="alert-now mono">
                                            <AlertKey alert={a} />
                                        </span>
                                    </>
                                )}
                                {monitor && (
                                    <span class="alert-now">
                                        {t('alert.now')} <StateBadge state={stateOf(monitor)} />
                                    </span>
                                )}
                                <p class="cell-note small">{a.message}</p>
                            </td>
                            <td>
                                <SeverityBadge severity={a.severity} />
                                {a.rule_id != null && (
                                    <p class="small" data-rule={a.rule_id}>
                                        {ruleReader ? (
                                            <Link href={`/alert-rules/${a.rule_id}`}>{t('alert.rule', { name: ruleName(a.rule_id) })}</Link>
                                        ) : (
                                            t('alert.rule', { name: ruleName(a.rule_id) })
                                        )}
                                    </p>
                                )}
                            </td>
                            <td>
                                <span class="badges">
                                    <Badge tone={open ? 'danger' : 'success'}>{t(`alert.status.${a.status}`)}</Badge>
                                    {a.suppressed && (
                                        <Badge tone="info">
                                            <Link href="/planned-stops">{t('alert.suppressed')}</Link>
                                        </Badge>
                                    )}
                                </span>
                            </td>
                            <td class="num">{a.repeat_count}</td>
                            <td class="nowrap">
                                {a.incident_id !== null && a.incident_key ? (
                                    <Link class="mono" href={`/incidents/${a.incident_id}`}>
                                        {a.incident_key}
                                    </Link>
                                ) : (
                                    <span class="muted">{t('common.none')}</span>
                                )}
                            </td>
                            <td class="nowrap">
                                {a.detect_to_notify_ms !== null ? (
                                    notifyText(a.detect_to_notify_ms)
                                ) : (
                                    <span class="muted">{a.suppressed ? t('alert.silent') : t('alert.notNotified')}</span>
                                )}
                            </td>
                            <td>
                                <AckCell alert={a} />
                                {acknowledger && open && !isAcknowledged(a) && acking !== a.id && (
                                    <button
                                        type="button"
                                        class="button button-small"
                                        aria-label={t('alert.ackOf', { name: name ?? `#${a.id}` })}
                                        onClick={() => {
                                            setNotice(null);
                                            setAcking(a.id);
                                        }}
                                    >
                                        {t('alert.ack')}
                                    </button>
                                )}
                            </td>
                        </tr>,
                        acking === a.id && (
                            <AcknowledgeForm
                                key={`ack-${a.id}`}
                                alert={a}
                                columns={columns.length}
                                onCancel={() => setAcking(null)}
                                onDone={(done) => {
                                    setAcking(null);
                                    setNotice(done);
                                    data.reload();
                                }}
                            />
                        ),
                    ];
                })}
            </DataTable>
            <Pager paged={paged} label={t('pager.label')} />
        </>
    );
}
