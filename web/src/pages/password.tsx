// Changing one's own password. Policy failures come back per field (422 `errors[]`) and are shown
// under the field they concern. When /me says `must_change_password`, this is the only page.

import { useState } from 'preact/hooks';

import { loadSession, api, signOut } from '../app/session.ts';
import { fieldErrors } from '../components/errors.ts';
import { NewPasswordField, OtherFieldErrors, PasswordField } from '../components/form.tsx';
import { Standalone } from '../components/layout.tsx';
import { Alert, ErrorAlert, PageHeader } from '../components/ui.tsx';
import { t } from '../i18n/index.ts';
import { fieldLabel } from '../i18n/server.ts';
import { ApiError } from '../api/client.ts';

function PasswordForm({ forced }: { forced: boolean }) {
    const [current, setCurrent] = useState('');
    const [next, setNext] = useState('');
    const [confirm, setConfirm] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);
    // The confirmation differed at the last submit: checked here, never sent.
    const [mismatch, setMismatch] = useState(false);
    const [done, setDone] = useState(false);
    const errors = mismatch ? { confirm: t('password.mismatch') } : fieldErrors(error);

    const submit = async (event: Event): Promise<void> => {
        event.preventDefault();
        setDone(false);
        setError(null);
        setMismatch(next !== confirm);
        if (next !== confirm) {
            return;
        }
        setBusy(true);
        try {
            await api.changePassword(current, next);
            setCurrent('');
            setNext('');
            setConfirm('');
            setDone(true);
            if (forced) {
                await loadSession();
            }
        } catch (err) {
            setError(err);
        } finally {
            setBusy(false);
        }
    };

    const validation = error instanceof ApiError && error.status === 422;
    return (
        <form class="form form-narrow" onSubmit={(e) => void submit(e)}>
            {done && <Alert tone="success" title={t('password.done')} />}
            {error !== null && !validation && <ErrorAlert error={error} />}
            {validation && (
                <Alert tone="danger" title={t('password.rejected')}>
                    <OtherFieldErrors
                        errors={errors}
                        shown={['current_password', 'new_password']}
                        label={fieldLabel}
                    />
                </Alert>
            )}
            <PasswordField
                id="current_password"
                label={t('field.currentPassword')}
                value={current}
                onValue={setCurrent}
                autoComplete="current-password"
                error={errors['current_password']}
            />
            <NewPasswordField
                id="new_password"
                label={t('field.newPassword')}
                value={next}
                onValue={setNext}
                error={errors['new_password']}
            />
            <PasswordField
                id="confirm"
                label={t('field.confirmPassword')}
                value={confirm}
                onValue={setConfirm}
                autoComplete="new-password"
                error={errors['confirm']}
            />
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled={busy}>
                    {busy ? t('common.saving') : t('password.submit')}
                </button>
            </div>
        </form>
    );
}

export function PasswordPage() {
    return (
        <>
            <PageHeader title={t('password.title')} description={t('password.description')} />
            <section class="panel">
                <PasswordForm forced={false} />
            </section>
        </>
    );
}

/** Shown instead of the console while the password must be changed. */
export function ForcedPasswordPage() {
    return (
        <Standalone
            wide
            tools={
                <button type="button" class="button button-quiet" onClick={() => void signOut()}>
                    {t('header.signOut')}
                </button>
            }
        >
            <PageHeader title={t('password.forcedTitle')} />
            <Alert tone="warning" title={t('password.forced')} />
            <PasswordForm forced />
        </Standalone>
    );
}
