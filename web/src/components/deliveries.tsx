// 通知履歴: what the outbox sent about one record (GET /notifications?record_id=) — the alert and
// recovery mails of a monitoring incident, SLA warnings and breaches — per channel, with its state
// (送信待ち, 送信済み, 期限切れ), attempts and the last error. Staff only (the API's rule).

import type { DeliveryStatus } from '../api/client.ts';
import { api } from '../app/session.ts';
import { t } from '../i18n/index.ts';
import { Badge, DateTime, ErrorAlert, Loading, Section, type Tone } from './ui.tsx';
import { useLoad } from './use-load.ts';

const TONES: Record<DeliveryStatus, Tone> = { pending: 'warning', sent: 'success', expired: 'danger' };

export function deliveryStatusLabel(status: string): string {
    return status === 'pending' || status === 'sent' || status === 'expired' ? t(`delivery.status.${status}`) : status;
}

export function DeliveryLog({ recordId, activity }: { recordId: number; activity?: unknown }) {
    const log = useLoad(() => api.listNotifications({ record_id: recordId }), [recordId, activity]);
    const items = log.data?.items ?? [];
    return (
        <Section title={t('delivery.title')}>
            {log.error !== null && <ErrorAlert error={log.error} />}
            {log.loading && log.data === null && <Loading />}
            {log.data !== null && items.length === 0 && <p class="muted">{t('delivery.none')}</p>}
            {items.length > 0 && (
                <ul class="deliveries">
                    {items.map((d) => (
                        <li key={d.id} class="delivery">
                            <span class="delivery-head">
                                <Badge tone={TONES[d.status] ?? 'neutral'}>{deliveryStatusLabel(d.status)}</Badge>{' '}
                                <span class="delivery-channel">{d.channel}</span>
                            </span>
                            <span class="delivery-subject">{d.subject}</span>
                            {d.recipients && d.recipients.length > 0 && (
                                <span class="small mono">{t('delivery.to', { to: d.recipients.join(', ') })}</span>
                            )}
                            <span class="small muted">
                                {d.sent_at ? (
                                    <>
                                        {t('delivery.sentAt')} <DateTime value={d.sent_at} />
                                    </>
                                ) : (
                                    <>
                                        {t('delivery.createdAt')} <DateTime value={d.created_at} />
                                    </>
                                )}
                                {' · '}
                                {t('delivery.attempts', { count: d.attempts })}
                            </span>
                            {d.last_error && d.status !== 'sent' && <span class="small delivery-error">{d.last_error}</span>}
                        </li>
                    ))}
                </ul>
            )}
        </Section>
    );
}
