// The message of a 412: who changed what, that nothing of ours was saved, and a way to reload.

import { t } from '../i18n/index.ts';
import { Alert } from './ui.tsx';

export interface ComparedField<T> {
    key: keyof T & string;
    label: string;
    show?: (value: T[keyof T]) => string;
}

/** A record's `disabled` flag, compared as 有効/無効. */
export function disabledField<T extends { disabled: boolean }>(): ComparedField<T> {
    return { key: 'disabled', label: t('field.status'), show: (v) => (v ? t('status.disabled') : t('status.active')) };
}

function text(value: unknown): string {
    if (value === null || value === undefined || value === '') {
        return t('common.empty');
    }
    if (Array.isArray(value)) {
        return value.join(', ');
    }
    return String(value);
}

export function ConflictAlert<T extends { version: number; updated_at?: string }>({
    base,
    latest,
    fields,
    onReload,
}: {
    base: T;
    latest: T;
    fields: readonly ComparedField<T>[];
    onReload: () => void;
}) {
    const changed = fields.filter((f) => JSON.stringify(base[f.key]) !== JSON.stringify(latest[f.key]));
    return (
        <Alert tone="warning" title={t('conflict.title')}>
            <p>{t('conflict.body', { version: latest.version })}</p>
            {changed.length > 0 && (
                <>
                    <p>{t('conflict.changed')}</p>
                    <ul class="changes">
                        {changed.map((f) => (
                            <li key={f.key}>
                                <span class="change-field">{f.label}</span>
                                <span class="change-old">{f.show ? f.show(base[f.key]) : text(base[f.key])}</span>
                                <span aria-hidden="true"> → </span>
                                <span class="visually-hidden">{t('conflict.to')}</span>
                                <span class="change-new">{f.show ? f.show(latest[f.key]) : text(latest[f.key])}</span>
                            </li>
                        ))}
                    </ul>
                </>
            )}
            <div class="alert-actions">
                <button type="button" class="button button-primary" onClick={onReload}>
                    {t('conflict.reload')}
                </button>
            </div>
        </Alert>
    );
}
