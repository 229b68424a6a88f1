// The frame of every signed-in page: header (system name, user and organisation, language,
// display options, sign out), the side navigation, and the main area.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

import type { Role } from '../api/client.ts';
import { forgetOrganizations } from '../app/organizations.ts';
import { Link, location, navigate } from '../app/router.tsx';
import { currentMe, hasRole, signOut } from '../app/session.ts';
import { display, displayZone, setDisplay } from '../i18n/format.ts';
import { lang, LANGS, setLang, t, type MessageKey } from '../i18n/index.ts';

export interface NavItem {
    href: string;
    label: MessageKey;
    /** Shown only to these roles; everyone when absent. */
    roles?: readonly Role[];
}

export const NAV: readonly NavItem[] = [
    { href: '/', label: 'nav.dashboard' },
    { href: '/organizations', label: 'nav.organizations', roles: ['admin', 'manager', 'operator'] },
    { href: '/users', label: 'nav.users', roles: ['admin', 'manager', 'operator'] },
    { href: '/login-history', label: 'nav.loginHistory' },
    { href: '/accounts/inventory', label: 'nav.inventory', roles: ['admin'] },
    { href: '/audit', label: 'nav.audit', roles: ['admin'] },
    { href: '/password', label: 'nav.password' },
];

export function LanguageSwitch() {
    return (
        <div class="segmented" role="group" aria-label={t('header.language')}>
            {LANGS.map((l) => (
                <button
                    key={l}
                    type="button"
                    lang={l}
                    aria-pressed={lang.value === l}
                    onClick={() => setLang(l)}
                >
                    {l === 'ja' ? '日本語' : 'English'}
                </button>
            ))}
        </div>
    );
}

function DisplayMenu() {
    const settings = display.value;
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const ref = useRef<HTMLDetailsElement>(null);
    // A disclosure that closes like a menu: on Escape (focus back on its button) and outside clicks.
    useEffect(() => {
        const onKey = (event: KeyboardEvent): void => {
            if (event.key === 'Escape' && ref.current?.open) {
                ref.current.open = false;
                ref.current.querySelector('summary')?.focus();
            }
        };
        const onClick = (event: MouseEvent): void => {
            if (ref.current?.open && !ref.current.contains(event.target as Node)) {
                ref.current.open = false;
            }
        };
        document.addEventListener('keydown', onKey);
        document.addEventListener('click', onClick);
        return () => {
            document.removeEventListener('keydown', onKey);
            document.removeEventListener('click', onClick);
        };
    }, []);
    return (
        <details class="menu" ref={ref}>
            <summary class="button button-quiet">{t('header.display')}</summary>
            <div class="menu-panel">
                <fieldset>
                    <legend>{t('display.calendar')}</legend>
                    <label class="check">
                        <input
                            type="radio"
                            name="calendar"
                            checked={settings.calendar === 'gregorian'}
                            onChange={() => setDisplay({ calendar: 'gregorian' })}
                        />
                        {t('display.gregorian')}
                    </label>
                    <label class="check">
                        <input
                            type="radio"
                            name="calendar"
                            checked={settings.calendar === 'japanese'}
                            onChange={() => setDisplay({ calendar: 'japanese' })}
                        />
                        {t('display.japanese')}
                    </label>
                </fieldset>
                <fieldset>
                    <legend>{t('display.zone')}</legend>
                    <label class="check">
                        <input
                            type="radio"
                            name="zone"
                            checked={settings.zone === 'tokyo'}
                            onChange={() => setDisplay({ zone: 'tokyo' })}
                        />
                        {t('display.tokyo')}
                    </label>
                    <label class="check">
                        <input
                            type="radio"
                            name="zone"
                            checked={settings.zone === 'browser'}
                            onChange={() => setDisplay({ zone: 'browser' })}
                        />
                        {t('display.browser', { zone: browserZone })}
                    </label>
                </fieldset>
                <p class="hint">{t('display.current', { zone: displayZone() })}</p>
            </div>
        </details>
    );
}

function Header() {
    const me = currentMe();
    const onSignOut = async (): Promise<void> => {
        await signOut();
        forgetOrganizations();
        navigate('/');
    };
    return (
        <header class="app-header">
            <Link href="/" class="brand">
                <span class="brand-mark" aria-hidden="true">
                    運
                </span>
                {t('app.name')}
            </Link>
            <div class="header-tools">
                {me && (
                    <p class="whoami">
                        <span class="whoami-name">{me.user.display_name}</span>
                        <span class="whoami-login">({me.user.login})</span>
                        <span class="whoami-org">{me.organization.name}</span>
                    </p>
                )}
                <LanguageSwitch />
                <DisplayMenu />
                <button type="button" class="button button-quiet" onClick={() => void onSignOut()}>
                    {t('header.signOut')}
                </button>
            </div>
        </header>
    );
}

function isCurrent(href: string, path: string): boolean {
    return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

function SideNav() {
    const path = location.value.path;
    const items = NAV.filter((item) => !item.roles || hasRole(...item.roles));
    return (
        <nav class="side-nav" aria-label={t('nav.label')}>
            <ul>
                {items.map((item) => (
                    <li key={item.href}>
                        <Link href={item.href} aria-current={isCurrent(item.href, path) ? 'page' : undefined}>
                            {t(item.label)}
                        </Link>
                    </li>
                ))}
            </ul>
        </nav>
    );
}

export function Layout({ children }: { children: ComponentChildren }) {
    return (
        <div class="app">
            <a class="skip-link" href="#main">
                {t('app.skip')}
            </a>
            <Header />
            <div class="app-body">
                <SideNav />
                <main id="main" class="main">
                    {children}
                </main>
            </div>
        </div>
    );
}
