// An incident's escalation (体制図, INC-9; docs/escalation.md): the route it follows and, for each
// level, when it is due (Japan time, counted from the failure's recognition), when it was told
// (or 未連絡) and why (経過: its time came; 手動: someone escalated). Those who may act tell the next
// level at once, with an optional comment, while a route serves the incident and it is not
// recovered; a refusal (every level told, or what changed since the page was read) is shown in
// words. The timeline's `escalation` entries are put in words here too.

import { useId, useState } from 'preact/hooks';

import type { EscalationReason, Id, IncidentEscalation } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { api, hasRole } from '../app/session.ts';
import { formatNumber, formatTokyoDateTime } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';
import { useAction } from './action.tsx';
import { TextAreaField } from './form.tsx';
import { Alert, Badge, ErrorAlert, Loading, Section } from './ui.tsx';
import { useLoad } from './use-load.ts';

/** Who reads an incident's escalation (the routes' readers). */
export const ESCALATION_VIEWERS = ['admin', 'manager', 'operator', 'vendor', 'viewer'] as const;
/** Who tells the next level by hand. */
const ESCALATORS = ['admin', 'manager', 'operator', 'vendor'] as const;

/** 経過 or 手動. */
export function escalationReasonLabel(reason: EscalationReason | string): string {
    return reason === 'manual' ? t('escalation.reason.manual') : t('escalation.reason.elapsed');
}

/** A Japan-time instant, machine-readable in `datetime`. */
function TokyoTime({ value }: { value: string }) {
    return (
        <time dateTime={value} title={value}>
            {formatTokyoDateTime(value)}
        </time>
    );
}

export function EscalationPanel({ recordId, version, onEscalated }: { recordId: Id; version: number; onEscalated: () => void }) {
    const id = useId();
    const loaded = useLoad(() => api.getIncidentEscalation(recordId), [recordId, version]);
    const [comment, setComment] = useState('');
    const action = useAction();
    const e = loaded.data;
    const levels = e?.levels ?? [];
    const escalate = async (): Promise<void> => {
        const failed = await action.run(async () => {
            const answer: IncidentEscalation = await api.escalateIncident(recordId, comment.trim() || undefined);
            loaded.set(answer);
            const told = [...(answer.levels ?? [])].reverse().find((l) => l.told_at !== null);
            return told ? t('escalation.escalated', { level: told.level, name: told.name }) : t('escalation.escalatedAny');
        });
        if (failed === null) {
            setComment('');
            onEscalated();
        }
    };
    return (
        <Section title={t('escalation.panel')} class="escalation-panel">
            {loaded.error !== null && <ErrorAlert error={loaded.error} />}
            {loaded.loading && e === null && <Loading />}
            {e && (
                <>
                    {e.route === null ? (
                        <p class="muted" data-escalation-route="">
                            {t('escalation.noRoute')} <Link href="/escalation-routes">{t('escalation.routesLink')}</Link>
                        </p>
                    ) : (
                        <p data-escalation-route={e.route.id}>
                            {t('escalation.followed')} <Link href={`/escalation-routes/${e.route.id}`}>{e.route.name}</Link>
                        </p>
                    )}
                    {!e.open && <p class="muted small">{t('escalation.closedHint')}</p>}
                    {levels.length > 0 && (
                        <ol class="escalation-levels">
                            {levels.map((l) => (
                                <li key={l.level} data-level={l.level} data-told={l.told_at !== null}>
                                    <span class="escalation-level-name">{t('escalation.levelLine', { level: l.level, name: l.name })}</span>
                                    <span class="small">
                                        {t('escalation.dueAt')} <TokyoTime value={l.due_at} />
                                        {l.after_min > 0 && (
                                            <span class="muted"> ({t('escalation.afterMinValue', { min: formatNumber(l.after_min) })})</span>
                                        )}
                                    </span>
                                    <span class="small" data-told>
                                        {l.told_at !== null ? (
                                            <>
                                                {t('escalation.toldAt')} <TokyoTime value={l.told_at} />{' '}
                                                <Badge tone={l.reason === 'manual' ? 'info' : 'neutral'}>{escalationReasonLabel(l.reason ?? 'elapsed')}</Badge>
                                            </>
                                        ) : (
                                            <Badge tone="warning">{t('escalation.notTold')}</Badge>
                                        )}
                                    </span>
                                </li>
                            ))}
                        </ol>
                    )}
                </>
            )}
            {action.done && <Alert tone="success" title={action.done} />}
            {action.error !== null && <ErrorAlert error={action.error} />}
            {hasRole(...ESCALATORS) && e !== null && e.route !== null && e.open && (
                <form
                    class="form escalate-form"
                    noValidate
                    onSubmit={(ev) => {
                        ev.preventDefault();
                        void escalate();
                    }}
                >
                    <TextAreaField
                        id={`${id}-comment`}
                        label={t('escalation.comment')}
                        hint={t('escalation.commentHint')}
                        value={comment}
                        onValue={setComment}
                        rows={2}
                    />
                    <div class="form-actions">
                        <button type="submit" class="button" disabled={action.busy}>
                            {t('escalation.escalate')}
                        </button>
                    </div>
                </form>
            )}
        </Section>
    );
}

/** A person told, as the timeline carries them. */
interface ToldContact {
    name?: string;
    role?: string;
    phone?: string;
}

/**
 * The words of a timeline entry `escalation`: which level of which route was told, why and by
 * whom, the comment, the people (unyo users) and the outside contacts with their phones (to be
 * called), and how many addresses were mailed.
 */
export function EscalationEntry({ body: b }: { body: Record<string, unknown> }) {
    const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
    const people = Array.isArray(b['people']) ? (b['people'] as { name?: string }[]).map((p) => str(p.name)).filter(Boolean) : [];
    const contacts = Array.isArray(b['contacts']) ? (b['contacts'] as ToldContact[]) : [];
    const org = str(b['organization']);
    const level = t('escalation.entryLevel', { route: str(b['route']), level: str(b['level']), name: str(b['name']) });
    const mailed = Number(b['mailed'] ?? 0);
    return (
        <>
            {t('escalation.entry', { level: org ? `${level} (${org})` : level })}{' '}
            {b['reason'] === 'manual' ? t('escalation.entryManual', { by: str(b['by']) }) : t('escalation.entryElapsed')}
            {str(b['comment']) !== '' && <span class="tl-change">{t('escalation.entryComment', { comment: str(b['comment']) })}</span>}
            {people.length > 0 && <span class="tl-change">{t('escalation.entryPeople', { people: people.join('、') })}</span>}
            {contacts.length > 0 && (
                <span class="tl-change" data-escalation-contacts>
                    {t('escalation.entryContacts')}{' '}
                    {contacts.map((c, i) => (
                        <span key={i} class="escalation-contact" data-contact={i}>
                            {i > 0 && '、'}
                            {c.role ? `${str(c.name)} (${c.role})` : str(c.name)}
                            {c.phone && (
                                <>
                                    {' '}
                                    <a href={`tel:${c.phone.replace(/[^0-9+]/g, '')}`} class="escalation-phone">
                                        ☎ {c.phone}
                                    </a>
                                </>
                            )}
                        </span>
                    ))}
                </span>
            )}
            <span class="tl-change">
                {mailed > 0 ? t('escalation.entryMailed', { count: formatNumber(mailed) }) : t('escalation.entryNotMailed')}
            </span>
        </>
    );
}
