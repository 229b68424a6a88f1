// The console: asks /me once, then shows the sign-in page, the forced password change, or the
// routed page inside the layout. The URL is kept while signed out, so a deep link opens its page
// right after signing in.

import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';

import { RECORD_COLLECTIONS, type RecordCollection, type Role } from '../api/client.ts';
import { JOBNET_EDITORS } from '../components/jobs.tsx';
import { Layout } from '../components/layout.tsx';
import { Alert, Loading, PageHeader } from '../components/ui.tsx';
import { t, type MessageKey } from '../i18n/index.ts';
import { ADVISORY_READERS, AdvisoryListPage, AdvisoryPage } from '../pages/advisories.tsx';
import { AlertListPage } from '../pages/alerts.tsx';
import { AuditPage } from '../pages/audit.tsx';
import { AvailabilityPage } from '../pages/availability.tsx';
import { BACKUP_STAFF, BackupPage } from '../pages/backups.tsx';
import { CALENDAR_EDITORS, CalendarCreatePage, CalendarEditPage, CalendarListPage } from '../pages/calendars.tsx';
import { CatalogPage } from '../pages/catalog.tsx';
import { ACCOUNT_REVIEWS, CHECKLIST_READERS, ChecklistListPage, ChecklistRunPage, INVENTORIES } from '../pages/checklists.tsx';
import { CiListPage, CiPage } from '../pages/cis.tsx';
import { DashboardPage } from '../pages/dashboard.tsx';
import { DataExportPage } from '../pages/data-export.tsx';
import { KnowledgeListPage, KnowledgePage } from '../pages/knowledge.tsx';
import { DocumentListPage, DocumentPage } from '../pages/documents.tsx';
import { ESCALATION_READERS, EscalationRouteListPage, EscalationRoutePage } from '../pages/escalation-routes.tsx';
import { HANDOVER_READERS, HandoverListPage, HandoverPage } from '../pages/handovers.tsx';
import { InventoryPage } from '../pages/inventory.tsx';
import { JobnetRunListPage, JobnetRunPage } from '../pages/jobnet-runs.tsx';
import { JobnetCreatePage, JobnetListPage, JobnetPage } from '../pages/jobnets.tsx';
import { LoginHistoryPage } from '../pages/login-history.tsx';
import { ACCOUNT_READERS, ManagedAccountListPage, ManagedAccountPage } from '../pages/managed-accounts.tsx';
import { MonitorPage } from '../pages/monitor-detail.tsx';
import { MonitorBoardPage, MonitorCreatePage } from '../pages/monitors.tsx';
import { AlertRuleCreatePage, AlertRuleEditPage, AlertRuleListPage, RULE_EDITORS } from '../pages/alert-rules.tsx';
import { CHANNEL_EDITORS, ChannelCreatePage, ChannelEditPage, ChannelListPage } from '../pages/notification-channels.tsx';
import { OPSCAL_STAFF, OpsCalendarPage, OpsEventCreatePage, OpsEventPage } from '../pages/opscal.tsx';
import { OrganizationCreatePage, OrganizationEditPage, OrganizationListPage } from '../pages/organizations.tsx';
import { ForcedPasswordPage, PasswordPage } from '../pages/password.tsx';
import { PARTNER_READERS, PartnerListPage, PartnerPage } from '../pages/partners.tsx';
import { PlannedStopCreatePage, PlannedStopEditPage, PlannedStopListPage } from '../pages/planned-stops.tsx';
import { ProcedureListPage, ProcedureRunPage } from '../pages/procedures.tsx';
import { RaciListPage, RaciPage } from '../pages/raci.tsx';
import { RecordDetailPage } from '../pages/record-detail.tsx';
import { ReorganisationListPage, ReorganisationPage } from '../pages/reorganisations.tsx';
import { REPORT_READERS, ReportsPage } from '../pages/reports.tsx';
import { ledgerLabel, RECORD_WRITERS, RecordCreate, RecordList, WithWorkflow } from '../pages/records.tsx';
import { SignInPage } from '../pages/sign-in.tsx';
import { SlaPolicyListPage, SlaPolicyPage } from '../pages/sla-policies.tsx';
import { UserCreatePage, UserEditPage, UserListPage } from '../pages/users.tsx';
import { forgetCis } from './cis.ts';
import { flash, offeredSimilar } from './flash.ts';
import { forgetOrganizations } from './organizations.ts';
import { forgetRaci } from './raci.ts';
import { forgetUsers } from './users.ts';
import { forgetWorkflows } from './workflows.ts';
import { Link, location, match } from './router.tsx';
import { hasRole, loadSession, session } from './session.ts';

interface Route {
    pattern: string;
    page: ComponentType<{ id: string }>;
    roles?: readonly Role[];
}

const STAFF: readonly Role[] = ['admin', 'manager', 'operator'];

/** The list, create and detail pages of one record kind, each waiting for the kind's workflow. */
function ledgerRoutes(collection: RecordCollection): Route[] {
    return [
        {
            pattern: `/${collection}`,
            page: () => (
                <WithWorkflow collection={collection} title={ledgerLabel(collection)}>
                    {(w) => <RecordList collection={collection} workflow={w} />}
                </WithWorkflow>
            ),
        },
        {
            pattern: `/${collection}/new`,
            roles: RECORD_WRITERS,
            page: () => (
                <WithWorkflow collection={collection} title={t('record.createTitle', { kind: ledgerLabel(collection) })}>
                    {(w) => <RecordCreate collection={collection} workflow={w} />}
                </WithWorkflow>
            ),
        },
        {
            pattern: `/${collection}/:id`,
            page: ({ id }) => (
                <WithWorkflow collection={collection} title={ledgerLabel(collection)}>
                    {(w) => <RecordDetailPage collection={collection} workflow={w} id={id} />}
                </WithWorkflow>
            ),
        },
    ];
}

/** Every page; the first pattern that matches wins (so `/users/new` before `/users/:id`). */
const ROUTES: readonly Route[] = [
    { pattern: '/', page: DashboardPage },
    { pattern: '/reports', page: ReportsPage, roles: REPORT_READERS },
    { pattern: '/organizations', page: OrganizationListPage, roles: STAFF },
    { pattern: '/organizations/new', page: OrganizationCreatePage, roles: ['admin'] },
    { pattern: '/organizations/:id', page: OrganizationEditPage, roles: STAFF },
    { pattern: '/users', page: UserListPage, roles: STAFF },
    { pattern: '/users/new', page: UserCreatePage, roles: ['admin'] },
    { pattern: '/users/:id', page: UserEditPage, roles: STAFF },
    { pattern: '/reorganisations', page: ReorganisationListPage, roles: ['admin'] },
    { pattern: '/reorganisations/:id', page: ReorganisationPage, roles: ['admin'] },
    { pattern: '/login-history', page: LoginHistoryPage },
    { pattern: '/accounts/inventory', page: InventoryPage, roles: ['admin'] },
    { pattern: '/audit', page: AuditPage, roles: ['admin'] },
    { pattern: '/password', page: PasswordPage },
    { pattern: '/calendars', page: CalendarListPage },
    { pattern: '/calendars/new', page: CalendarCreatePage, roles: CALENDAR_EDITORS },
    { pattern: '/calendars/:id', page: CalendarEditPage },
    { pattern: '/sla-policies', page: SlaPolicyListPage },
    { pattern: '/sla-policies/:id', page: SlaPolicyPage },
    { pattern: '/escalation-routes', page: EscalationRouteListPage, roles: ESCALATION_READERS },
    { pattern: '/escalation-routes/:id', page: EscalationRoutePage, roles: ESCALATION_READERS },
    { pattern: '/monitors', page: MonitorBoardPage },
    { pattern: '/monitors/new', page: MonitorCreatePage, roles: STAFF },
    { pattern: '/monitors/:id', page: MonitorPage },
    { pattern: '/alerts', page: AlertListPage },
    { pattern: '/planned-stops', page: PlannedStopListPage },
    { pattern: '/planned-stops/new', page: PlannedStopCreatePage, roles: STAFF },
    { pattern: '/planned-stops/:id', page: PlannedStopEditPage, roles: STAFF },
    { pattern: '/availability', page: AvailabilityPage },
    { pattern: '/notification-channels', page: ChannelListPage, roles: STAFF },
    { pattern: '/notification-channels/new', page: ChannelCreatePage, roles: CHANNEL_EDITORS },
    { pattern: '/notification-channels/:id', page: ChannelEditPage, roles: STAFF },
    { pattern: '/alert-rules', page: AlertRuleListPage, roles: STAFF },
    { pattern: '/alert-rules/new', page: AlertRuleCreatePage, roles: RULE_EDITORS },
    { pattern: '/alert-rules/:id', page: AlertRuleEditPage, roles: STAFF },
    { pattern: '/jobnets', page: JobnetListPage },
    { pattern: '/jobnets/new', page: JobnetCreatePage, roles: JOBNET_EDITORS },
    { pattern: '/jobnets/:id', page: JobnetPage },
    { pattern: '/jobnet-runs', page: JobnetRunListPage },
    { pattern: '/jobnet-runs/:id', page: JobnetRunPage },
    { pattern: '/opscal', page: OpsCalendarPage },
    { pattern: '/opscal/events/new', page: OpsEventCreatePage, roles: OPSCAL_STAFF },
    { pattern: '/opscal/events/:id', page: OpsEventPage, roles: OPSCAL_STAFF },
    { pattern: '/backups', page: BackupPage, roles: BACKUP_STAFF },
    { pattern: '/export', page: DataExportPage, roles: ['admin'] },
    { pattern: '/raci', page: RaciListPage },
    { pattern: '/raci/:id', page: RaciPage },
    { pattern: '/cis', page: CiListPage },
    { pattern: '/cis/:id', page: CiPage },
    { pattern: '/partners', page: PartnerListPage, roles: PARTNER_READERS },
    { pattern: '/partners/:id', page: PartnerPage, roles: PARTNER_READERS },
    { pattern: '/advisories', page: AdvisoryListPage, roles: ADVISORY_READERS },
    { pattern: '/advisories/:id', page: AdvisoryPage, roles: ADVISORY_READERS },
    { pattern: '/handovers', page: HandoverListPage, roles: HANDOVER_READERS },
    { pattern: '/handovers/:id', page: HandoverPage, roles: HANDOVER_READERS },
    { pattern: '/managed-accounts', page: ManagedAccountListPage, roles: ACCOUNT_READERS },
    { pattern: '/managed-accounts/:id', page: ManagedAccountPage, roles: ACCOUNT_READERS },
    { pattern: '/account-reviews', page: () => <ChecklistListPage kind={ACCOUNT_REVIEWS} />, roles: CHECKLIST_READERS },
    { pattern: '/account-reviews/:id', page: ({ id }) => <ChecklistRunPage kind={ACCOUNT_REVIEWS} id={id} />, roles: CHECKLIST_READERS },
    { pattern: '/inventories', page: () => <ChecklistListPage kind={INVENTORIES} />, roles: CHECKLIST_READERS },
    { pattern: '/inventories/:id', page: ({ id }) => <ChecklistRunPage kind={INVENTORIES} id={id} />, roles: CHECKLIST_READERS },
    { pattern: '/procedures', page: ProcedureListPage },
    { pattern: '/procedures/runs/:id', page: ProcedureRunPage },
    { pattern: '/catalog', page: CatalogPage },
    { pattern: '/knowledge', page: KnowledgeListPage },
    { pattern: '/knowledge/:id', page: KnowledgePage },
    { pattern: '/documents', page: DocumentListPage },
    { pattern: '/documents/:id', page: DocumentPage },
    ...RECORD_COLLECTIONS.flatMap(ledgerRoutes),
];

/** A page that is not shown, why, and the way home. */
function Refusal({ title, body }: { title: MessageKey; body: MessageKey }) {
    return (
        <>
            <PageHeader title={t(title)} />
            <Alert tone="warning" title={t(body)}>
                <Link href="/">{t('notFound.home')}</Link>
            </Alert>
        </>
    );
}

// Two components, not one with props: moving between them starts the page afresh, like any page.
function NotFound() {
    return <Refusal title="notFound.title" body="notFound.body" />;
}

function Forbidden() {
    return <Refusal title="forbidden.title" body="forbidden.body" />;
}

function RoutedPage() {
    const path = location.value.path.replace(/\/+$/, '') || '/';
    for (const route of ROUTES) {
        const params = match(route.pattern, path);
        if (params) {
            if (route.roles && !hasRole(...route.roles)) {
                return <Forbidden />;
            }
            const Page = route.page;
            // Keyed by path: moving from one record to another starts the page afresh.
            return <Page key={path} id={params['id'] ?? ''} />;
        }
    }
    return <NotFound />;
}

function Unreachable() {
    return (
        <div class="standalone">
            <main class="signin-card" id="main">
                <h1>{t('app.name')}</h1>
                <Alert tone="danger" title={t('error.network')}>
                    <button type="button" class="button" onClick={() => void loadSession()}>
                        {t('common.retry')}
                    </button>
                </Alert>
            </main>
        </div>
    );
}

export function App() {
    useEffect(() => {
        void loadSession();
    }, []);
    const path = location.value.path;
    useEffect(() => {
        if (flash.value && flash.value.path !== path) {
            flash.value = null;
        }
        if (offeredSimilar.value && offeredSimilar.value.path !== path) {
            offeredSimilar.value = null;
        }
    }, [path]);

    const s = session.value;
    useEffect(() => {
        if (s.status === 'signed-out') {
            forgetOrganizations();
            forgetWorkflows();
            forgetUsers();
            forgetRaci();
            forgetCis();
        }
    }, [s.status]);

    switch (s.status) {
        case 'loading':
            return (
                <div class="standalone">
                    <Loading />
                </div>
            );
        case 'unreachable':
            return <Unreachable />;
        case 'signed-out':
            return <SignInPage expired={s.expired} />;
        case 'signed-in':
            if (s.me.must_change_password) {
                return <ForcedPasswordPage />;
            }
            return (
                <Layout>
                    <RoutedPage />
                </Layout>
            );
    }
}
