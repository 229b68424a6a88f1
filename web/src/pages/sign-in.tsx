// Sign-in: the API's answers are shown as the user needs them — wrong login or password (the same
// words whether the login exists), locked with the time the lock ends, too many attempts.

import { useEffect, useState } from 'preact/hooks';

import { ApiError } from '../api/client.ts';
import { signIn } from '../app/session.ts';
import { ErrorAlert, Alert } from '../components/ui.tsx';
import { PasswordField, TextField } from '../components/form.tsx';
import { Standalone } from '../components/layout.tsx';
import { formatDateTime } from '../i18n/format.ts';
import { t } from '../i18n/index.ts';

function SignInError({ error }: { error: unknown }) {
    if (error instanceof ApiError && error.status === 401) {
        return <Alert tone="danger" title={t('signin.wrong')} />;
    }
    if (error instanceof ApiError && error.status === 423) {
        const until = error.problem.locked_until;
        return (
            <Alert
                tone="danger"
                title={
                    typeof until === 'string'
                        ? t('signin.locked', { until: formatDateTime(until) })
                        : t('signin.lockedNoTime')
                }
            >
                <p>{t('signin.lockedHelp')}</p>
            </Alert>
        );
    }
    if (error instanceof ApiError && error.status === 429) {
        return <Alert tone="danger" title={t('signin.tooMany')} />;
    }
    return <ErrorAlert error={error} />;
}

export function SignInPage({ expired }: { expired: boolean }) {
    const [login, setLogin] = useState('');
    const [password, setPassword] = useState('');
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<unknown>(null);

    useEffect(() => {
        document.title = `${t('signin.title')} — ${t('app.name')}`;
        document.getElementById('login')?.focus();
    }, []);

    const submit = async (event: Event): Promise<void> => {
        event.preventDefault();
        if (busy) {
            return;
        }
        setBusy(true);
        setError(null);
        try {
            await signIn(login.trim(), password);
        } catch (err) {
            setError(err);
            setPassword('');
            setBusy(false);
        }
    };

    return (
        <Standalone>
            <h1>{t('signin.title')}</h1>
            {expired && !error && <Alert tone="info" title={t('signin.expired')} />}
            <div aria-live="assertive">{error !== null && <SignInError error={error} />}</div>
            <form onSubmit={(e) => void submit(e)}>
                <TextField
                    id="login"
                    label={t('field.login')}
                    value={login}
                    onValue={setLogin}
                    autoComplete="username"
                    autoCapitalize="off"
                    spellcheck={false}
                    required
                />
                <PasswordField
                    id="password"
                    label={t('field.password')}
                    value={password}
                    onValue={setPassword}
                    autoComplete="current-password"
                />
                <button type="submit" class="button button-primary button-block" disabled={busy}>
                    {busy ? t('signin.busy') : t('signin.submit')}
                </button>
            </form>
            <p class="hint">{t('signin.forgot')}</p>
        </Standalone>
    );
}
