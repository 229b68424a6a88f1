// The frame of every signed-in page: header (system name, user and organisation, language,
// display options, sign out), the side navigation, and the main area.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

import { RECORD_COLLECTIONS, type Role } from '../api/client.ts';
import { forgetOrganizations } from '../app/organizations.ts';
import { forgetRaci } from '../app/raci.ts';
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

export interface NavGroup {
    /** The group's heading; the first group has none. */
    label?: MessageKey;
    items: readonly NavItem[];
}

export const NAV: readonly NavGroup[] = [
    {
        items: [
            { href: '/', label: 'nav.dashboard' },
            { href: '/reports', label: 'nav.reports', roles: ['admin', 'manager', 'operator', 'viewer'] },
        ],
    },
    {
        label: 'nav.ledger',
        items: RECORD_COLLECTIONS.map((c) => ({ href: `/${c}`, label: `ledger.${c}` as const })),
    },
    {
        label: 'nav.monitoring',
        items: [
            { href: '/monitors', label: 'nav.monitors', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/alerts', label: 'nav.alerts', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/planned-stops', label: 'nav.plannedStops', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/availability', label: 'nav.availability', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/notification-channels', label: 'nav.channels', roles: ['admin', 'manager', 'operator'] },
            { href: '/alert-rules', label: 'nav.alertRules', roles: ['admin', 'manager', 'operator'] },
        ],
    },
    {
        label: 'nav.jobs',
        items: [
            { href: '/jobnets', label: 'nav.jobnets' },
            { href: '/jobnet-runs', label: 'nav.jobnetRuns' },
            { href: '/opscal', label: 'nav.opscal' },
            { href: '/backups', label: 'nav.backups', roles: ['admin', 'manager', 'operator'] },
            { href: '/export', label: 'nav.dataExport', roles: ['admin'] },
        ],
    },
    {
        label: 'nav.rules',
        items: [
            { href: '/calendars', label: 'nav.calendars', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/sla-policies', label: 'nav.slaPolicies', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/escalation-routes', label: 'nav.escalationRoutes', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/raci', label: 'nav.raci' },
            { href: '/cis', label: 'nav.cis' },
            { href: '/inventories', label: 'nav.inventories', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/partners', label: 'nav.partners', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/advisories', label: 'nav.advisories', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/handovers', label: 'nav.handovers', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/managed-accounts', label: 'nav.managedAccounts', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/account-reviews', label: 'nav.accountReviews', roles: ['admin', 'manager', 'operator', 'vendor', 'viewer'] },
            { href: '/procedures', label: 'nav.procedures' },
            { href: '/catalog', label: 'nav.catalog' },
            { href: '/knowledge', label: 'nav.knowledge' },
            { href: '/documents', label: 'nav.documents' },
        ],
    },
    {
        label: 'nav.admin',
        items: [
            { href: '/organizations', label: 'nav.organizations', roles: ['admin', 'manager', 'operator'] },
            { href: '/users', label: 'nav.users', roles: ['admin', 'manager', 'operator'] },
            { href: '/reorganisations', label: 'nav.reorganisations', roles: ['admin'] },
            { href: '/login-history', label: 'nav.loginHistory' },
            { href: '/accounts/inventory', label: 'nav.inventory', roles: ['admin'] },
            { href: '/audit', label: 'nav.audit', roles: ['admin'] },
            { href: '/password', label: 'nav.password' },
        ],
    },
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

/** A group of radio buttons, one per option. */
function Choices<V extends string>({
    legend,
    name,
    value,
    options,
    onChoose,
}: {
    legend: string;
    name: string;
    value: V;
    options: readonly { value: V; label: string }[];
    onChoose: (value: V) => void;
}) {
    return (
        <fieldset>
            <legend>{legend}</legend>
            {options.map((o) => (
                <label key={o.value} class="check">
                    <input type="radio" name={name} checked={value === o.value} onChange={() => onChoose(o.value)} />
                    {o.label}
                </label>
            ))}
        </fieldset>
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
                <Choices
                    legend={t('display.calendar')}
                    name="calendar"
                    value={settings.calendar}
                    options={[
                        { value: 'gregorian', label: t('display.gregorian') },
                        { value: 'japanese', label: t('display.japanese') },
                    ]}
                    onChoose={(calendar) => setDisplay({ calendar })}
                />
                <Choices
                    legend={t('display.zone')}
                    name="zone"
                    value={settings.zone}
                    options={[
                        { value: 'tokyo', label: t('display.tokyo') },
                        { value: 'browser', label: t('display.browser', { zone: browserZone }) },
                    ]}
                    onChoose={(zone) => setDisplay({ zone })}
                />
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
        forgetRaci();
        navigate('/');
    };
    return (
        <header class="app-header">
            <Link href="/" class="brand">
                <Brand />
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
    return (
        <nav class="side-nav" aria-label={t('nav.label')}>
            {NAV.map((group, i) => {
                const items = group.items.filter((item) => !item.roles || hasRole(...item.roles));
                if (items.length === 0) {
                    return null;
                }
                const headingId = group.label ? `nav-group-${i}` : undefined;
                return (
                    <div key={i} class="nav-group">
                        {group.label && (
                            <h2 class="nav-group-title" id={headingId}>
                                {t(group.label)}
                            </h2>
                        )}
                        <ul aria-labelledby={headingId}>
                            {items.map((item) => (
                                <li key={item.href}>
                                    <Link href={item.href} aria-current={isCurrent(item.href, path) ? 'page' : undefined}>
                                        {t(item.label)}
                                    </Link>
                                </li>
                            ))}
                        </ul>
                    </div>
                );
            })}
        </nav>
    );
}

/** The system's mark and name. */
function Brand() {
    return (
        <>
            <span class="brand-mark" aria-hidden="true">
                運
            </span>
            {t('app.name')}
        </>
    );
}

/** A page outside the console's frame (sign-in, a password that must be changed): tools, then a card. */
export function Standalone({
    tools,
    wide,
    children,
}: {
    tools?: ComponentChildren;
    wide?: boolean;
    children: ComponentChildren;
}) {
    return (
        <div class="standalone">
            <div class="standalone-tools">
                <LanguageSwitch />
                {tools}
            </div>
            <main class={wide ? 'signin-card signin-card-wide' : 'signin-card'} id="main">
                <p class="brand brand-large">
                    <Brand />
                </p>
                {children}
            </main>
        </div>
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
