// Small shared pieces: alerts, loading, badges, times.

import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

import { hasMoved } from '../app/router.tsx';
import { t } from '../i18n/index.ts';
import { formatDateTime } from '../i18n/format.ts';
import { describeError } from './errors.ts';

export type Tone = 'info' | 'success' | 'warning' | 'danger' | 'neutral';

/** A message box; errors and warnings are announced at once (role=alert), others politely. */
export function Alert({ tone, title, children }: { tone: Tone; title?: string; children?: ComponentChildren }) {
    const urgent = tone === 'danger' || tone === 'warning';
    return (
        <div class={`alert alert-${tone}`} role={urgent ? 'alert' : 'status'}>
            {title && <p class="alert-title">{title}</p>}
            {children && <div class="alert-body">{children}</div>}
        </div>
    );
}

/** The explanation of a failed request, with the server's detail underneath. */
export function ErrorAlert({ error, children }: { error: unknown; children?: ComponentChildren }) {
    const { message, detail } = describeError(error);
    return (
        <Alert tone="danger" title={message}>
            {detail && <p class="alert-detail">{detail}</p>}
            {children}
        </Alert>
    );
}

export function Loading({ label }: { label?: string }) {
    return (
        <p class="loading" role="status">
            <span class="spinner" aria-hidden="true" />
            {label ?? t('common.loading')}
        </p>
    );
}

export function Badge({ tone, children }: { tone: Tone; children: ComponentChildren }) {
    return <span class={`badge badge-${tone}`}>{children}</span>;
}

/** 無効 or 有効: whether a record is disabled. */
export function ActiveBadge({ disabled }: { disabled: boolean }) {
    return disabled ? (
        <Badge tone="neutral">{t('status.disabled')}</Badge>
    ) : (
        <Badge tone="success">{t('status.active')}</Badge>
    );
}

/** An instant in the display zone and calendar, machine-readable in `datetime`. */
export function DateTime({ value, empty }: { value: string | null | undefined; empty?: string }) {
    if (!value) {
        return <span class="muted">{empty ?? t('common.none')}</span>;
    }
    return (
        <time dateTime={value} title={value}>
            {formatDateTime(value)}
        </time>
    );
}

/** The page's heading; takes the focus when the page opens so screen readers announce it. */
export function PageHeader({
    title,
    description,
    actions,
}: {
    title: string;
    description?: string;
    actions?: ComponentChildren;
}) {
    const ref = useRef<HTMLHeadingElement>(null);
    useEffect(() => {
        document.title = `${title} — ${t('app.name')}`;
    }, [title]);
    useEffect(() => {
        if (hasMoved()) {
            ref.current?.focus({ preventScroll: true });
        }
    }, []);
    return (
        <div class="page-header">
            <div>
                <h1 ref={ref} tabIndex={-1}>
                    {title}
                </h1>
                {description && <p class="page-description">{description}</p>}
            </div>
            {actions && <div class="page-actions">{actions}</div>}
        </div>
    );
}

/** A compact panel with a heading that names it (a region for screen readers). */
export function Section({ title, children, class: extra }: { title: string; children: ComponentChildren; class?: string }) {
    const id = useId();
    return (
        <section class={`panel panel-compact${extra ? ` ${extra}` : ''}`} aria-labelledby={id}>
            <h2 id={id} class="panel-title">
                {title}
            </h2>
            {children}
        </section>
    );
}
