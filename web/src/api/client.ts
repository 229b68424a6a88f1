// The typed client of the unyo HTTP API v1 (docs/api.md): the only place that knows URLs.
//
// Used by the web console in the browser (cookies travel by themselves; the CSRF token returned by
// login or /me is kept here and sent on unsafe methods) and by the Node API tests, which pass a
// cookie-keeping `fetch`. Machines use bearer mode (`token` option or `setBearerToken`), which needs
// no CSRF token. No Node-only API is used here.
//
// Results: single resources come back as `Resource<T>` (body, ETag, status, headers), collections
// as `Page<T>`. Any non-2xx answer throws `ApiError` with the parsed problem and the headers.

import type {
    AccountInventory,
    Attachment,
    BusinessCalendar,
    CalendarCreate,
    CalendarDays,
    CalendarInput,
    Holiday,
    HolidayQuery,
    LedgerRecordCreated,
    SimilarRecord,
    SavedView,
    SavedViewCreate,
    TimeEntry,
    TimeEntryCreate,
    SlaPolicy,
    SlaPolicyPatch,
    Watcher,
    AuditEntry,
    AuditQuery,
    ExportEncoding,
    ExportFilters,
    ExportFormat,
    ExportLang,
    ExportResource,
    HealthStatus,
    Id,
    LedgerRecord,
    LedgerRecordDetail,
    LinkRelation,
    RecordCollection,
    RecordCreate,
    RecordInput,
    RecordQuery,
    TimelineEntry,
    Workflow,
    InventoryQuery,
    LoginEvent,
    LoginHistoryQuery,
    Me,
    Organization,
    OrganizationCreate,
    OrganizationPatch,
    OrganizationQuery,
    Page,
    PageQuery,
    Problem,
    Session,
    Token,
    TokenCreate,
    TokenQuery,
    TokenWithSecret,
    User,
    UserCreate,
    UserPatch,
    UserQuery,
    StreamTopic,
    AlertAcknowledge,
    AlertQuery,
    AlertRule,
    AlertRuleCreate,
    AlertRuleInput,
    AvailabilityPage,
    AvailabilityQuery,
    ChannelCreate,
    ChannelInput,
    Delivery,
    DeliveryQuery,
    EventInput,
    Monitor,
    MonitorAlert,
    MonitorCreate,
    MonitorEvent,
    MonitorInput,
    MonitorResults,
    NotificationChannel,
    PeriodQuery,
    PlannedStop,
    PlannedStopCreate,
    PlannedStopPatch,
    ResultQuery,
    Jobnet,
    JobnetCreate,
    JobnetImportSummary,
    JobnetInput,
    JobnetPlannedStart,
    JobnetRun,
    JobnetRunActionInput,
    JobnetRunDetail,
    JobnetRunQuery,
    JobnetScheduleQuery,
    BackupDrill,
    BackupGeneration,
    BackupRestore,
    BackupRestoreInput,
    BackupVerification,
    OpsCalendarItem,
    OpsEvent,
    OpsEventCreate,
    OpsEventInput,
    OpsFeedToken,
    RaciCellInput,
    RaciFileFormat,
    RaciImport,
    RaciImportOptions,
    RaciMatrix,
    RaciMatrixDetail,
    CiCreate,
    CiImpact,
    CiMilestone,
    CiRelation,
    CiRelationKind,
    ConfigurationItem,
    ProcedureRun,
    ProcedureStepInput,
    ProcedureTemplate,
    CatalogRequestInput,
    CatalogService,
    CatalogServiceCreate,
    DocumentCreate,
    KnowledgeAction,
    KnowledgeCreate,
    KnowledgeEntry,
    KnowledgeLinkInput,
    KnowledgeQuery,
    RegisteredDocument,
    Partner,
    PartnerInput,
    Advisory,
    AdvisoryImport,
    AdvisoryPatch,
    AdvisoryQuery,
    Handover,
    HandoverInput,
    HandoverQuery,
    HandoverReturn,
    ManagedAccount,
    ManagedAccountInput,
    ManagedAccountQuery,
    ChecklistDecision,
    ChecklistPath,
    ChecklistRun,
    ChecklistStart,
    EscalationRoute,
    EscalationRouteInput,
    IncidentEscalation,
    Reorganisation,
    ReorganisationCheck,
    ReorganisationSheet,
    GeneratedReport,
    ReportFileOptions,
    ReportFormat,
    ReportKind,
    ReportQuery,
    ReportSettings,
    ReportSettingsInput,
    DataExportStatus,
} from './types.ts';

export type * from './types.ts';
export {
    ADVISORY_SEVERITIES,
    ADVISORY_SOURCES,
    ADVISORY_STATUSES,
    ALERT_RULE_SOURCES,
    ALERT_RULE_STATES,
    CHANNEL_TOPICS,
    CI_ENVIRONMENTS,
    CI_RELATION_KINDS,
    CI_TYPES,
    DEFAULT_CHANNEL_TOPICS,
    DNS_RECORD_TYPES,
    HANDOVER_CLASSIFICATIONS,
    HANDOVER_DIRECTIONS,
    HANDOVER_DISPOSITIONS,
    JOB_TYPES,
    INVENTORY_DECISIONS,
    KNOWLEDGE_KINDS,
    MANAGED_ACCOUNT_PRIVILEGES,
    MANAGED_ACCOUNT_STATUSES,
    REQUEST_TYPES,
    REVIEW_DECISIONS,
    JOBNET_DAY_RULES,
    JOBNET_RECOVERY_POLICIES,
    JOBNET_RUN_STATUSES,
    JOBNET_SHIFTS,
    LINK_RELATIONS,
    MONITOR_STATES,
    MONITOR_TYPES,
    OPS_EVENT_KINDS,
    PARTNER_DIRECTIONS,
    PARTNER_RESENDS,
    PARTNER_ROUTES,
    PLANNED_STOP_KINDS,
    RECORD_COLLECTIONS,
    REPORT_KINDS,
    ROLES,
    SEVERITIES,
    SYSLOG_SEVERITIES,
    WEBHOOK_FORMATS,
    WEEKDAYS,
} from './types.ts';

export const API_BASE = '/api/v1';

type QueryValue = string | number | boolean | null | undefined;
type Query = { [key: string]: QueryValue };

/** Every route of docs/api.md, as paths relative to the server root. */
export const paths = {
    healthz: () => '/healthz',
    readyz: () => '/readyz',
    metrics: () => '/metrics',
    openapi: () => `${API_BASE}/openapi.json`,
    session: () => `${API_BASE}/session`,
    me: () => `${API_BASE}/me`,
    mePassword: () => `${API_BASE}/me/password`,
    organizations: () => `${API_BASE}/organizations`,
    organization: (id: Id) => `${API_BASE}/organizations/${encodeURIComponent(String(id))}`,
    users: () => `${API_BASE}/users`,
    user: (id: Id) => `${API_BASE}/users/${encodeURIComponent(String(id))}`,
    userPassword: (id: Id) => `${API_BASE}/users/${encodeURIComponent(String(id))}/password`,
    userUnlock: (id: Id) => `${API_BASE}/users/${encodeURIComponent(String(id))}/unlock`,
    tokens: () => `${API_BASE}/tokens`,
    token: (id: Id) => `${API_BASE}/tokens/${encodeURIComponent(String(id))}`,
    loginHistory: () => `${API_BASE}/login-history`,
    accountInventory: () => `${API_BASE}/accounts/inventory`,
    audit: () => `${API_BASE}/audit`,
    workflows: () => `${API_BASE}/workflows`,
    records: (collection: RecordCollection) => `${API_BASE}/${collection}`,
    record: (collection: RecordCollection, id: Id) => `${API_BASE}/${collection}/${encodeURIComponent(String(id))}`,
    recordPart: (
        collection: RecordCollection,
        id: Id,
        part: 'transitions' | 'comments' | 'links' | 'timeline' | 'attachments' | 'similar' | 'watchers' | 'time-entries',
    ) => `${API_BASE}/${collection}/${encodeURIComponent(String(id))}/${part}`,
    /** One attachment's bytes (always a download); cookie sessions can use it as a link target. */
    attachment: (collection: RecordCollection, id: Id, attachmentId: Id) =>
        `${API_BASE}/${collection}/${encodeURIComponent(String(id))}/attachments/${encodeURIComponent(String(attachmentId))}`,
    watcher: (collection: RecordCollection, id: Id, userId: Id) =>
        `${API_BASE}/${collection}/${encodeURIComponent(String(id))}/watchers/${encodeURIComponent(String(userId))}`,
    savedViews: () => `${API_BASE}/saved-views`,
    savedView: (id: Id) => `${API_BASE}/saved-views/${encodeURIComponent(String(id))}`,
    holidays: () => `${API_BASE}/holidays`,
    calendars: () => `${API_BASE}/calendars`,
    calendar: (id: Id) => `${API_BASE}/calendars/${encodeURIComponent(String(id))}`,
    calendarDays: (id: Id) => `${API_BASE}/calendars/${encodeURIComponent(String(id))}/days`,
    slaPolicies: () => `${API_BASE}/sla-policies`,
    slaPolicy: (id: Id) => `${API_BASE}/sla-policies/${encodeURIComponent(String(id))}`,
    monitors: () => `${API_BASE}/monitors`,
    monitor: (id: Id) => `${API_BASE}/monitors/${encodeURIComponent(String(id))}`,
    monitorPart: (id: Id, part: 'events' | 'results' | 'heartbeat') =>
        `${API_BASE}/monitors/${encodeURIComponent(String(id))}/${part}`,
    alerts: () => `${API_BASE}/alerts`,
    alertAcknowledge: (id: Id) => `${API_BASE}/alerts/${encodeURIComponent(String(id))}/acknowledge`,
    events: () => `${API_BASE}/events`,
    alertRules: () => `${API_BASE}/alert-rules`,
    alertRule: (id: Id) => `${API_BASE}/alert-rules/${encodeURIComponent(String(id))}`,
    notificationChannels: () => `${API_BASE}/notification-channels`,
    notificationChannel: (id: Id) => `${API_BASE}/notification-channels/${encodeURIComponent(String(id))}`,
    notificationChannelTest: (id: Id) => `${API_BASE}/notification-channels/${encodeURIComponent(String(id))}/test`,
    notifications: () => `${API_BASE}/notifications`,
    plannedStops: () => `${API_BASE}/planned-stops`,
    plannedStop: (id: Id) => `${API_BASE}/planned-stops/${encodeURIComponent(String(id))}`,
    plannedStopApprove: (id: Id) => `${API_BASE}/planned-stops/${encodeURIComponent(String(id))}/approve`,
    availability: () => `${API_BASE}/availability`,
    jobnets: () => `${API_BASE}/jobnets`,
    jobnetsExport: () => `${API_BASE}/jobnets/export`,
    jobnetsImport: () => `${API_BASE}/jobnets/import`,
    jobnet: (id: Id) => `${API_BASE}/jobnets/${encodeURIComponent(String(id))}`,
    jobnetPart: (id: Id, part: 'schedule' | 'runs') => `${API_BASE}/jobnets/${encodeURIComponent(String(id))}/${part}`,
    jobnetRuns: () => `${API_BASE}/jobnet-runs`,
    jobnetRun: (id: Id) => `${API_BASE}/jobnet-runs/${encodeURIComponent(String(id))}`,
    jobnetRunActions: (id: Id) => `${API_BASE}/jobnet-runs/${encodeURIComponent(String(id))}/actions`,
    backups: () => `${API_BASE}/backups`,
    backupPart: (file: string, part: 'verify' | 'drill' | 'restore') =>
        `${API_BASE}/backups/${encodeURIComponent(file)}/${part}`,
    backupDrills: () => `${API_BASE}/backup-drills`,
    opscal: () => `${API_BASE}/opscal`,
    opscalEvents: () => `${API_BASE}/opscal/events`,
    opscalEvent: (id: Id) => `${API_BASE}/opscal/events/${encodeURIComponent(String(id))}`,
    opscalFeedToken: () => `${API_BASE}/opscal/feed-token`,
    raciList: () => `${API_BASE}/raci`,
    raciImport: () => `${API_BASE}/raci/import`,
    raci: (id: Id) => `${API_BASE}/raci/${encodeURIComponent(String(id))}`,
    /** The matrix as a file (a download; cookie sessions can use it as a link target). */
    raciFile: (id: Id, format: RaciFileFormat) => withQuery(`${API_BASE}/raci/${encodeURIComponent(String(id))}`, { format }),
    raciCells: (id: Id) => `${API_BASE}/raci/${encodeURIComponent(String(id))}/cells`,
    raciColumn: (id: Id, position: number) =>
        `${API_BASE}/raci/${encodeURIComponent(String(id))}/columns/${encodeURIComponent(String(position))}`,
    cis: () => `${API_BASE}/cis`,
    ciLifecycle: (withinDays?: number) => withQuery(`${API_BASE}/cis/lifecycle`, { within_days: withinDays }),
    ci: (id: Id) => `${API_BASE}/cis/${encodeURIComponent(String(id))}`,
    ciPart: (id: Id, part: 'relations' | 'impact') => `${API_BASE}/cis/${encodeURIComponent(String(id))}/${part}`,
    procedureTemplates: () => `${API_BASE}/procedure-templates`,
    procedureTemplateDefaults: () => `${API_BASE}/procedure-templates/defaults`,
    procedureTemplate: (id: Id) => `${API_BASE}/procedure-templates/${encodeURIComponent(String(id))}`,
    procedureRuns: () => `${API_BASE}/procedure-runs`,
    procedureRun: (id: Id) => `${API_BASE}/procedure-runs/${encodeURIComponent(String(id))}`,
    procedureStep: (id: Id, key: string) =>
        `${API_BASE}/procedure-runs/${encodeURIComponent(String(id))}/steps/${encodeURIComponent(key)}`,
    catalog: () => `${API_BASE}/catalog`,
    catalogService: (id: Id) => `${API_BASE}/catalog/${encodeURIComponent(String(id))}`,
    catalogRequests: (id: Id) => `${API_BASE}/catalog/${encodeURIComponent(String(id))}/requests`,
    knowledge: () => `${API_BASE}/knowledge`,
    knowledgeEntry: (id: Id) => `${API_BASE}/knowledge/${encodeURIComponent(String(id))}`,
    knowledgeActions: (id: Id) => `${API_BASE}/knowledge/${encodeURIComponent(String(id))}/actions`,
    knowledgeLinks: (id: Id) => `${API_BASE}/knowledge/${encodeURIComponent(String(id))}/links`,
    knowledgeLink: (id: Id, recordId: Id) =>
        `${API_BASE}/knowledge/${encodeURIComponent(String(id))}/links/${encodeURIComponent(String(recordId))}`,
    documents: () => `${API_BASE}/documents`,
    document: (id: Id) => `${API_BASE}/documents/${encodeURIComponent(String(id))}`,
    documentVersions: (id: Id) => `${API_BASE}/documents/${encodeURIComponent(String(id))}/versions`,
    partners: (ciId?: Id) => withQuery(`${API_BASE}/partners`, { ci_id: ciId }),
    partner: (id: Id) => `${API_BASE}/partners/${encodeURIComponent(String(id))}`,
    advisories: () => `${API_BASE}/advisories`,
    advisoryImport: () => `${API_BASE}/advisories/import`,
    advisory: (id: Id) => `${API_BASE}/advisories/${encodeURIComponent(String(id))}`,
    advisoryProcedure: (id: Id) => `${API_BASE}/advisories/${encodeURIComponent(String(id))}/procedure`,
    handovers: () => `${API_BASE}/handovers`,
    handover: (id: Id) => `${API_BASE}/handovers/${encodeURIComponent(String(id))}`,
    handoverReturn: (id: Id) => `${API_BASE}/handovers/${encodeURIComponent(String(id))}/return`,
    managedAccounts: () => `${API_BASE}/managed-accounts`,
    managedAccount: (id: Id) => `${API_BASE}/managed-accounts/${encodeURIComponent(String(id))}`,
    checklists: (kind: ChecklistPath) => `${API_BASE}/${kind}`,
    checklist: (kind: ChecklistPath, id: Id) => `${API_BASE}/${kind}/${encodeURIComponent(String(id))}`,
    checklistItem: (kind: ChecklistPath, id: Id, subjectId: Id) =>
        `${API_BASE}/${kind}/${encodeURIComponent(String(id))}/items/${encodeURIComponent(String(subjectId))}`,
    checklistClose: (kind: ChecklistPath, id: Id) => `${API_BASE}/${kind}/${encodeURIComponent(String(id))}/close`,
    escalationRoutes: () => `${API_BASE}/escalation-routes`,
    escalationRoute: (id: Id) => `${API_BASE}/escalation-routes/${encodeURIComponent(String(id))}`,
    incidentEscalation: (id: Id) => `${API_BASE}/incidents/${encodeURIComponent(String(id))}/escalation`,
    incidentEscalate: (id: Id) => `${API_BASE}/incidents/${encodeURIComponent(String(id))}/escalate`,
    reorganisations: () => `${API_BASE}/reorganisations`,
    reorganisation: (id: Id) => `${API_BASE}/reorganisations/${encodeURIComponent(String(id))}`,
    reorganisationAction: (id: Id, action: 'apply' | 'cancel') =>
        `${API_BASE}/reorganisations/${encodeURIComponent(String(id))}/${action}`,
    report: (kind: ReportKind) => `${API_BASE}/reports/${kind}`,
    reportSettings: () => `${API_BASE}/reports/settings`,
    dataExport: () => `${API_BASE}/export`,
    /** The last finished handover export (a download; cookie sessions can use it as a link target). */
    dataExportFile: () => `${API_BASE}/export/file`,
    /** Server-Sent Events (cookie sessions); see `stream.ts`. */
    stream: (topics: readonly StreamTopic[]) => withQuery(`${API_BASE}/stream`, { topics: topics.join(',') }),
} as const;

/** The list path of each exportable collection. */
const EXPORT_PATHS: { readonly [R in ExportResource]: () => string } = {
    organizations: paths.organizations,
    users: paths.users,
    'login-history': paths.loginHistory,
    'accounts/inventory': paths.accountInventory,
    audit: paths.audit,
    incidents: () => paths.records('incidents'),
    problems: () => paths.records('problems'),
    changes: () => paths.records('changes'),
    releases: () => paths.records('releases'),
    issues: () => paths.records('issues'),
    inquiries: () => paths.records('inquiries'),
    requests: () => paths.records('requests'),
};

export interface ExportOptions {
    /** CSV only: `'utf-8'` (with BOM, the default, not sent) or `'cp932'` (Shift_JIS). */
    encoding?: ExportEncoding;
    /** Column headers: `'ja'` (the default, not sent) or `'en'`. */
    lang?: ExportLang;
}

/**
 * The server-relative URL that downloads `resource` as a file: every row matching `filters` (all
 * pages; `limit` and `cursor` are dropped), answered with `Content-Disposition: attachment`.
 * Cookie sessions can use it directly as a link target.
 */
export function exportUrl<R extends ExportResource>(
    resource: R,
    filters: ExportFilters[R],
    format: ExportFormat,
    options: ExportOptions = {},
): string {
    const query: Query = { ...(filters as Query), limit: undefined, cursor: undefined, format };
    if (format === 'csv' && options.encoding !== undefined && options.encoding !== 'utf-8') {
        query['encoding'] = options.encoding;
    }
    if (options.lang !== undefined && options.lang !== 'ja') {
        query['lang'] = options.lang;
    }
    return withQuery(EXPORT_PATHS[resource](), query);
}

/** The query parameter that names a report's period. */
export const REPORT_PERIOD_PARAMS: { readonly [K in ReportKind]: 'month' | 'fiscal_year' | 'date' } = {
    monthly: 'month',
    yearly: 'fiscal_year',
    daily: 'date',
};

/**
 * The server-relative URL of a report of `kind` for `period` (absent: the server's default) as a
 * file: HTML (shown in place unless `download`), PDF, XLSX, CSV (one `table`, else a ZIP of every
 * table). Cookie sessions can use it directly as a link target.
 */
export function reportUrl(
    kind: ReportKind,
    period: string | undefined,
    format: Exclude<ReportFormat, 'json'>,
    options: ReportFileOptions = {},
): string {
    return withQuery(paths.report(kind), {
        [REPORT_PERIOD_PARAMS[kind]]: period || undefined,
        format,
        lang: options.lang !== undefined && options.lang !== 'ja' ? options.lang : undefined,
        wareki: options.wareki ? true : undefined,
        table: format === 'csv' ? options.table : undefined,
        download: format === 'html' && options.download ? true : undefined,
    });
}

/**
 * The server-relative URL of the last finished handover export (`.tar.zst`, answered with
 * `Content-Disposition: attachment`; 404 when none finished). Cookie sessions can use it directly
 * as a link target.
 */
export function dataExportFileUrl(): string {
    return paths.dataExportFile();
}

/** Appends the defined entries of `query` to `path` as a query string. */
export function withQuery(path: string, query?: object): string {
    if (!query) {
        return path;
    }
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query as Query)) {
        if (value !== undefined && value !== null) {
            params.append(key, String(value));
        }
    }
    const text = params.toString();
    return text === '' ? path : `${path}?${text}`;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A single resource with the metadata that goes with it. */
export interface Resource<T> {
    data: T;
    /** The `ETag` header as sent (quotes included): pass it back unchanged to update. */
    etag: string | null;
    status: number;
    headers: Headers;
    /** True when the answer is the replay of an earlier request with the same `Idempotency-Key`. */
    replayed: boolean;
}

export interface CreateOptions {
    /** 1–200 characters; a retry with the same key and body returns the first answer. */
    idempotencyKey?: string;
}

export interface ApiClientOptions {
    /** Server root, e.g. `http://127.0.0.1:8080`; `''` for the page's own origin. */
    baseUrl: string;
    /** Defaults to the global `fetch`. */
    fetch?: typeof fetch;
    /** Bearer token (machines). */
    token?: string;
    /** CSRF token of an existing cookie session (e.g. from an earlier `/me`). */
    csrfToken?: string;
}

/** Options of `ApiClient.raw`, the escape hatch for requests the typed methods do not make. */
export interface RawOptions {
    headers?: Record<string, string>;
    /** Sent as is; objects are not serialised here. */
    body?: BodyInit | null;
    /** `true` (default): add the kept CSRF token on unsafe methods; `false`: never; a string: that. */
    csrf?: boolean | string;
    /** `true` (default): add the bearer token if one is set. */
    bearer?: boolean;
}

/** A non-2xx answer. */
export class ApiError extends Error {
    readonly status: number;
    readonly problem: Problem;
    readonly headers: Headers;
    readonly method: string;
    readonly path: string;

    constructor(method: string, path: string, status: number, problem: Problem, headers: Headers) {
        const what = problem.detail ? `${problem.title}: ${problem.detail}` : problem.title;
        super(`${method} ${path} → ${status} ${what}`);
        this.name = 'ApiError';
        this.status = status;
        this.problem = problem;
        this.headers = headers;
        this.method = method;
        this.path = path;
    }

    /** The messages naming `field`, in order. */
    fieldMessages(field: string): string[] {
        return (this.problem.errors ?? []).filter((e) => e.field === field).map((e) => e.message);
    }
}

/** Parses a problem body; anything else becomes a minimal problem carrying the text as `detail`. */
async function readProblem(response: Response): Promise<Problem> {
    const text = await response.text();
    const fallback: Problem = {
        type: 'about:blank',
        title: response.statusText || `HTTP ${response.status}`,
        status: response.status,
        detail: text,
    };
    if (text === '') {
        return { ...fallback, detail: undefined };
    }
    try {
        const parsed: unknown = JSON.parse(text);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
            return { ...fallback, detail: undefined, ...(parsed as Partial<Problem>) } as Problem;
        }
    } catch {
        // Not JSON: keep the text as detail.
    }
    return fallback;
}

export class ApiClient {
    private readonly baseUrl: string;
    private readonly fetchFn: typeof fetch;
    private bearer: string | null;
    private csrf: string | null;

    constructor(options: ApiClientOptions) {
        this.baseUrl = options.baseUrl.replace(/\/+$/, '');
        // Called through a wrapper: browsers refuse `fetch` invoked as a method of another object.
        this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
        this.bearer = options.token ?? null;
        this.csrf = options.csrfToken ?? null;
    }

    /** The CSRF token kept from the last login or `/me`, or null. */
    get csrfToken(): string | null {
        return this.csrf;
    }

    setCsrfToken(token: string | null): void {
        this.csrf = token;
    }

    /** Switches to (or, with null, out of) bearer mode. */
    setBearerToken(token: string | null): void {
        this.bearer = token;
    }

    /** The absolute URL of a path from `paths`. */
    url(path: string): string {
        return this.baseUrl + path;
    }

    /** The absolute URL of an export (see `exportUrl`). */
    exportUrl<R extends ExportResource>(
        resource: R,
        filters: ExportFilters[R],
        format: ExportFormat,
        options?: ExportOptions,
    ): string {
        return this.url(exportUrl(resource, filters, format, options));
    }

    /** The absolute URL of a report as a file (see `reportUrl`). */
    reportUrl(
        kind: ReportKind,
        period: string | undefined,
        format: Exclude<ReportFormat, 'json'>,
        options?: ReportFileOptions,
    ): string {
        return this.url(reportUrl(kind, period, format, options));
    }

    /** The absolute URL of the last finished handover export (see `dataExportFileUrl`). */
    dataExportFileUrl(): string {
        return this.url(dataExportFileUrl());
    }

    // ---- low level ----

    /** Sends a request with this client's credentials; never throws on HTTP status. */
    async raw(method: string, path: string, options: RawOptions = {}): Promise<Response> {
        const headers = new Headers(options.headers);
        if (!headers.has('Accept')) {
            headers.set('Accept', 'application/json, application/problem+json');
        }
        if ((options.bearer ?? true) && this.bearer !== null && !headers.has('Authorization')) {
            headers.set('Authorization', `Bearer ${this.bearer}`);
        }
        const csrf = options.csrf ?? true;
        if (UNSAFE_METHODS.has(method.toUpperCase()) && csrf !== false && !headers.has('X-CSRF-Token')) {
            const value = typeof csrf === 'string' ? csrf : this.csrf;
            if (value !== null) {
                headers.set('X-CSRF-Token', value);
            }
        }
        return this.fetchFn(this.url(path), {
            method,
            headers,
            body: options.body ?? null,
            credentials: 'same-origin',
            cache: 'no-store',
        });
    }

    private async send(
        method: string,
        path: string,
        body?: unknown,
        extraHeaders: Record<string, string> = {},
    ): Promise<Response> {
        const headers: Record<string, string> = { ...extraHeaders };
        let payload: string | null = null;
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
            payload = JSON.stringify(body);
        }
        const response = await this.raw(method, path, { headers, body: payload });
        if (!response.ok) {
            throw new ApiError(method, path, response.status, await readProblem(response), response.headers);
        }
        return response;
    }

    private static async resourceOf<T>(response: Response): Promise<Resource<T>> {
        return {
            data: (await response.json()) as T,
            etag: response.headers.get('ETag'),
            status: response.status,
            headers: response.headers,
            replayed: response.headers.get('Idempotent-Replayed') === 'true',
        };
    }

    private async json<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
        const response = await this.send(method, path, body, headers);
        return (await response.json()) as T;
    }

    private async resource<T>(
        method: string,
        path: string,
        body?: unknown,
        headers?: Record<string, string>,
    ): Promise<Resource<T>> {
        return ApiClient.resourceOf<T>(await this.send(method, path, body, headers));
    }

    private async empty(method: string, path: string, body?: unknown): Promise<void> {
        const response = await this.send(method, path, body);
        await response.body?.cancel();
    }

    private static createHeaders(options?: CreateOptions): Record<string, string> {
        return options?.idempotencyKey !== undefined ? { 'Idempotency-Key': options.idempotencyKey } : {};
    }

    private static ifMatch(etag: string): Record<string, string> {
        return { 'If-Match': etag };
    }

    // ---- operations ----

    health(): Promise<HealthStatus> {
        return this.json('GET', paths.healthz());
    }

    ready(): Promise<HealthStatus> {
        return this.json('GET', paths.readyz());
    }

    /** Prometheus text exposition. */
    async metrics(): Promise<string> {
        return (await this.send('GET', paths.metrics())).text();
    }

    /** The OpenAPI 3.1 document. */
    openapi(): Promise<Record<string, unknown>> {
        return this.json('GET', paths.openapi());
    }

    // ---- session ----

    /** Signs in; keeps the CSRF token (the session cookie is kept by the browser or the fetch). */
    async login(login: string, password: string): Promise<Session> {
        const session = await this.json<Session>('POST', paths.session(), { login, password });
        this.csrf = session.csrf_token;
        return session;
    }

    /** Signs out and forgets the CSRF token. */
    async logout(): Promise<void> {
        await this.empty('DELETE', paths.session());
        this.csrf = null;
    }

    /** The signed-in user; keeps the CSRF token when the server sends one. */
    async me(): Promise<Me> {
        const me = await this.json<Me>('GET', paths.me());
        if (me.csrf_token !== undefined) {
            this.csrf = me.csrf_token;
        }
        return me;
    }

    changePassword(currentPassword: string, newPassword: string): Promise<void> {
        return this.empty('POST', paths.mePassword(), {
            current_password: currentPassword,
            new_password: newPassword,
        });
    }

    // ---- organisations ----

    listOrganizations(query?: OrganizationQuery): Promise<Page<Organization>> {
        return this.json('GET', withQuery(paths.organizations(), query));
    }

    getOrganization(id: Id): Promise<Resource<Organization>> {
        return this.resource('GET', paths.organization(id));
    }

    createOrganization(input: OrganizationCreate, options?: CreateOptions): Promise<Resource<Organization>> {
        return this.resource('POST', paths.organizations(), input, ApiClient.createHeaders(options));
    }

    updateOrganization(id: Id, patch: OrganizationPatch, etag: string): Promise<Resource<Organization>> {
        return this.resource('PATCH', paths.organization(id), patch, ApiClient.ifMatch(etag));
    }

    deleteOrganization(id: Id): Promise<void> {
        return this.empty('DELETE', paths.organization(id));
    }

    // ---- users ----

    listUsers(query?: UserQuery): Promise<Page<User>> {
        return this.json('GET', withQuery(paths.users(), query));
    }

    getUser(id: Id): Promise<Resource<User>> {
        return this.resource('GET', paths.user(id));
    }

    createUser(input: UserCreate, options?: CreateOptions): Promise<Resource<User>> {
        return this.resource('POST', paths.users(), input, ApiClient.createHeaders(options));
    }

    updateUser(id: Id, patch: UserPatch, etag: string): Promise<Resource<User>> {
        return this.resource('PATCH', paths.user(id), patch, ApiClient.ifMatch(etag));
    }

    deleteUser(id: Id): Promise<void> {
        return this.empty('DELETE', paths.user(id));
    }

    /** Sets another user's password; the user must change it at next sign-in. */
    setUserPassword(id: Id, password: string): Promise<void> {
        return this.empty('POST', paths.userPassword(id), { password });
    }

    unlockUser(id: Id): Promise<Resource<User>> {
        return this.resource('POST', paths.userUnlock(id));
    }

    // ---- tokens ----

    listTokens(query?: TokenQuery): Promise<Page<Token>> {
        return this.json('GET', withQuery(paths.tokens(), query));
    }

    createToken(input: TokenCreate, options?: CreateOptions): Promise<Resource<TokenWithSecret>> {
        return this.resource('POST', paths.tokens(), input, ApiClient.createHeaders(options));
    }

    deleteToken(id: Id): Promise<void> {
        return this.empty('DELETE', paths.token(id));
    }

    // ---- accounts and audit ----

    loginHistory(query?: LoginHistoryQuery): Promise<Page<LoginEvent>> {
        return this.json('GET', withQuery(paths.loginHistory(), query));
    }

    accountInventory(query?: InventoryQuery): Promise<AccountInventory> {
        return this.json('GET', withQuery(paths.accountInventory(), query));
    }

    audit(query?: AuditQuery): Promise<Page<AuditEntry>> {
        return this.json('GET', withQuery(paths.audit(), query));
    }

    // ---- the record ledger ----

    /** Every record kind's workflow: states, fields, transitions. */
    workflows(): Promise<{ items: Workflow[] }> {
        return this.json('GET', paths.workflows());
    }

    /** Records of `collection`, newest first. */
    listRecords(collection: RecordCollection, query?: RecordQuery): Promise<Page<LedgerRecord>> {
        return this.json('GET', withQuery(paths.records(collection), query));
    }

    getRecord(collection: RecordCollection, id: Id): Promise<Resource<LedgerRecordDetail>> {
        return this.resource('GET', paths.record(collection, id));
    }

    /** Raises a record; a new incident's answer carries `similar` past incidents (INC-7). */
    createRecord(
        collection: RecordCollection,
        input: RecordCreate,
        options?: CreateOptions,
    ): Promise<Resource<LedgerRecordCreated>> {
        return this.resource('POST', paths.records(collection), input, ApiClient.createHeaders(options));
    }

    /** Changes core members and fields (`null` clears); 412 when `etag` is stale. */
    updateRecord(
        collection: RecordCollection,
        id: Id,
        patch: RecordInput,
        etag: string,
    ): Promise<Resource<LedgerRecordDetail>> {
        return this.resource('PATCH', paths.record(collection, id), patch, ApiClient.ifMatch(etag));
    }

    /** Moves the record to `to`, setting `fields` on the way; 409 illegal or guarded, 422 a required field. */
    transitionRecord(
        collection: RecordCollection,
        id: Id,
        to: string,
        fields: RecordInput = {},
    ): Promise<Resource<LedgerRecordDetail>> {
        return this.resource('POST', paths.recordPart(collection, id, 'transitions'), { ...fields, to });
    }

    commentRecord(collection: RecordCollection, id: Id, body: string): Promise<TimelineEntry> {
        return this.json('POST', paths.recordPart(collection, id, 'comments'), { body });
    }

    /** Links the record to the one with `otherKey` (kept on both). */
    linkRecord(collection: RecordCollection, id: Id, otherKey: string, relation?: LinkRelation): Promise<void> {
        return this.empty('POST', paths.recordPart(collection, id, 'links'), {
            other_key: otherKey,
            ...(relation !== undefined ? { relation } : {}),
        });
    }

    /** The record's history, oldest first. */
    timeline(collection: RecordCollection, id: Id): Promise<Page<TimelineEntry>> {
        return this.json('GET', paths.recordPart(collection, id, 'timeline'));
    }

    /** The records of the same kind most alike in their words (INC-7), most alike first. */
    similarRecords(collection: RecordCollection, id: Id, query?: { limit?: number }): Promise<{ items: SimilarRecord[] }> {
        return this.json('GET', withQuery(paths.recordPart(collection, id, 'similar'), query));
    }

    listAttachments(collection: RecordCollection, id: Id): Promise<Page<Attachment>> {
        return this.json('GET', paths.recordPart(collection, id, 'attachments'));
    }

    /**
     * Attaches `file` (sent as the body with `contentType`) under `name`. 413 over the server's body
     * limit; 422 naming `content_type` (type not accepted or not what the bytes are), `file` (empty
     * or too large) or `name`.
     */
    async uploadAttachment(
        collection: RecordCollection,
        id: Id,
        file: Blob,
        name: string,
        contentType: string,
    ): Promise<Resource<Attachment>> {
        const path = withQuery(paths.recordPart(collection, id, 'attachments'), { name });
        const response = await this.raw('POST', path, { headers: { 'Content-Type': contentType }, body: file });
        if (!response.ok) {
            throw new ApiError('POST', path, response.status, await readProblem(response), response.headers);
        }
        return ApiClient.resourceOf<Attachment>(response);
    }

    /** The absolute URL that downloads an attachment. */
    attachmentUrl(collection: RecordCollection, id: Id, attachmentId: Id): string {
        return this.url(paths.attachment(collection, id, attachmentId));
    }

    /** Records support time spent on an issue (ISS-2); it also shows in the timeline. */
    addTimeEntry(id: Id, input: TimeEntryCreate): Promise<TimeEntry> {
        return this.json('POST', paths.recordPart('issues', id, 'time-entries'), input);
    }

    listTimeEntries(id: Id): Promise<Page<TimeEntry>> {
        return this.json('GET', paths.recordPart('issues', id, 'time-entries'));
    }

    listWatchers(collection: RecordCollection, id: Id): Promise<Page<Watcher>> {
        return this.json('GET', paths.recordPart(collection, id, 'watchers'));
    }

    /**
     * Starts watching the record: oneself without `userId`; someone else (admin, manager, operator).
     * 201 when added, 200 when already watching.
     */
    watchRecord(collection: RecordCollection, id: Id, userId?: Id): Promise<Resource<Watcher>> {
        return this.resource('POST', paths.recordPart(collection, id, 'watchers'), userId === undefined ? {} : { user_id: userId });
    }

    /** Stops `userId` watching the record (oneself; anyone: admin, manager, operator). 404 when not watching. */
    unwatchRecord(collection: RecordCollection, id: Id, userId: Id): Promise<void> {
        return this.empty('DELETE', paths.watcher(collection, id, userId));
    }

    // ---- saved views ----

    /** One's own saved views and the shared ones, of one list or all. */
    listSavedViews(query?: { collection?: RecordCollection }): Promise<Page<SavedView>> {
        return this.json('GET', withQuery(paths.savedViews(), query));
    }

    /** 422 naming `name` when one's own view of that list already has it. */
    createSavedView(input: SavedViewCreate): Promise<Resource<SavedView>> {
        return this.resource('POST', paths.savedViews(), input);
    }

    deleteSavedView(id: Id): Promise<void> {
        return this.empty('DELETE', paths.savedView(id));
    }

    // ---- calendars and SLA policies ----

    /** National holidays (振替休日 and 国民の休日 included) between two dates, at most three years. */
    holidays(query: HolidayQuery): Promise<{ items: Holiday[] }> {
        return this.json('GET', withQuery(paths.holidays(), query));
    }

    listCalendars(): Promise<Page<BusinessCalendar>> {
        return this.json('GET', paths.calendars());
    }

    getCalendar(id: Id): Promise<Resource<BusinessCalendar>> {
        return this.resource('GET', paths.calendar(id));
    }

    createCalendar(input: CalendarCreate, options?: CreateOptions): Promise<Resource<BusinessCalendar>> {
        return this.resource('POST', paths.calendars(), input, ApiClient.createHeaders(options));
    }

    updateCalendar(id: Id, patch: CalendarInput, etag: string): Promise<Resource<BusinessCalendar>> {
        return this.resource('PATCH', paths.calendar(id), patch, ApiClient.ifMatch(etag));
    }

    deleteCalendar(id: Id): Promise<void> {
        return this.empty('DELETE', paths.calendar(id));
    }

    /** Each day from `from` to `to` (inclusive): open or closed, and why. */
    calendarDays(id: Id, query: HolidayQuery): Promise<CalendarDays> {
        return this.json('GET', withQuery(paths.calendarDays(id), query));
    }

    listSlaPolicies(): Promise<Page<SlaPolicy>> {
        return this.json('GET', paths.slaPolicies());
    }

    getSlaPolicy(id: Id): Promise<Resource<SlaPolicy>> {
        return this.resource('GET', paths.slaPolicy(id));
    }

    /** Changes existing targets (duration, warning %, calendar); 412 when `etag` is stale. */
    updateSlaPolicy(id: Id, patch: SlaPolicyPatch, etag: string): Promise<Resource<SlaPolicy>> {
        return this.resource('PATCH', paths.slaPolicy(id), patch, ApiClient.ifMatch(etag));
    }

    // ---- monitoring ----

    /** Every monitor with its live `status`. */
    listMonitors(): Promise<Page<Monitor>> {
        return this.json('GET', paths.monitors());
    }

    getMonitor(id: Id): Promise<Resource<Monitor>> {
        return this.resource('GET', paths.monitor(id));
    }

    /** 422 naming each bad member (`target.port`, `interval_s`, …). */
    createMonitor(input: MonitorCreate, options?: CreateOptions): Promise<Resource<Monitor>> {
        return this.resource('POST', paths.monitors(), input, ApiClient.createHeaders(options));
    }

    /** Changes the members given (`target` is replaced whole); 412 when `etag` is stale. */
    updateMonitor(id: Id, patch: MonitorInput, etag: string): Promise<Resource<Monitor>> {
        return this.resource('PATCH', paths.monitor(id), patch, ApiClient.ifMatch(etag));
    }

    deleteMonitor(id: Id): Promise<void> {
        return this.empty('DELETE', paths.monitor(id));
    }

    /** A passive heartbeat of a heartbeat monitor (batch jobs call it with a token); 409 for other types. */
    heartbeat(id: Id): Promise<void> {
        return this.empty('POST', paths.monitorPart(id, 'heartbeat'));
    }

    /** Hard state changes between `from` and `to`, starting with the one in force at `from`. */
    monitorEvents(id: Id, query?: PeriodQuery): Promise<Page<MonitorEvent>> {
        return this.json('GET', withQuery(paths.monitorPart(id, 'events'), query));
    }

    /** Measured values between `from` and `to` (default the last 24 h): every check (`raw`) or per minute or hour. */
    monitorResults(id: Id, query?: ResultQuery): Promise<MonitorResults> {
        return this.json('GET', withQuery(paths.monitorPart(id, 'results'), query));
    }

    /**
     * One item per monitor (`monitor_id` or `service`), planned stops left out; with `service`, also
     * the service as one timeline. 404 for neither.
     */
    availability(query: AvailabilityQuery): Promise<AvailabilityPage> {
        return this.json('GET', withQuery(paths.availability(), query));
    }

    /** Alerts, newest first, a page at a time (`limit` 1–500, default 50). */
    listAlerts(query?: AlertQuery): Promise<Page<MonitorAlert>> {
        return this.json('GET', withQuery(paths.alerts(), query));
    }

    /** An event from another system: raises (or, `resolved`, ends) the alert of its key. */
    sendEvent(input: EventInput): Promise<{ alert: MonitorAlert | null }> {
        return this.json('POST', paths.events(), input);
    }

    /** 409 when the alert is acknowledged already. */
    acknowledgeAlert(id: Id, input: AlertAcknowledge = {}): Promise<MonitorAlert> {
        return this.json('POST', paths.alertAcknowledge(id), input);
    }

    // ---- alert rules (MON-7) ----

    /** Rules in the order they are tried (position, then id). */
    listAlertRules(): Promise<Page<AlertRule>> {
        return this.json('GET', paths.alertRules());
    }

    getAlertRule(id: Id): Promise<Resource<AlertRule>> {
        return this.resource('GET', paths.alertRule(id));
    }

    /** 422 naming `severity` when neither severity nor channel_ids is given, `channel_ids` for an unknown channel. */
    createAlertRule(input: AlertRuleCreate, options?: CreateOptions): Promise<Resource<AlertRule>> {
        return this.resource('POST', paths.alertRules(), input, ApiClient.createHeaders(options));
    }

    /** `match`, when sent, replaces the rule's whole match. */
    updateAlertRule(id: Id, patch: AlertRuleInput, etag: string): Promise<Resource<AlertRule>> {
        return this.resource('PATCH', paths.alertRule(id), patch, ApiClient.ifMatch(etag));
    }

    deleteAlertRule(id: Id): Promise<void> {
        return this.empty('DELETE', paths.alertRule(id));
    }

    // ---- notification channels and the delivery log ----

    listChannels(): Promise<Page<NotificationChannel>> {
        return this.json('GET', paths.notificationChannels());
    }

    getChannel(id: Id): Promise<Resource<NotificationChannel>> {
        return this.resource('GET', paths.notificationChannel(id));
    }

    createChannel(input: ChannelCreate, options?: CreateOptions): Promise<Resource<NotificationChannel>> {
        return this.resource('POST', paths.notificationChannels(), input, ApiClient.createHeaders(options));
    }

    /** The type cannot change; an SMTP password is replaced only when given. */
    updateChannel(id: Id, patch: ChannelInput, etag: string): Promise<Resource<NotificationChannel>> {
        return this.resource('PATCH', paths.notificationChannel(id), patch, ApiClient.ifMatch(etag));
    }

    deleteChannel(id: Id): Promise<void> {
        return this.empty('DELETE', paths.notificationChannel(id));
    }

    /** Sends a test message now; 503 with the reason when it was not delivered. */
    testChannel(id: Id): Promise<{ delivered: boolean }> {
        return this.json('POST', paths.notificationChannelTest(id));
    }

    /** The delivery log: one record's (`record_id`) or the newest. */
    listNotifications(query?: DeliveryQuery): Promise<Page<Delivery>> {
        return this.json('GET', withQuery(paths.notifications(), query));
    }

    // ---- planned stops ----

    /** Planned stops overlapping `from`–`to` (default the last 30 days to a year ahead). */
    listPlannedStops(query?: PeriodQuery): Promise<Page<PlannedStop>> {
        return this.json('GET', withQuery(paths.plannedStops(), query));
    }

    getPlannedStop(id: Id): Promise<Resource<PlannedStop>> {
        return this.resource('GET', paths.plannedStop(id));
    }

    /** 422 naming `short_notice_reason` when the stop starts less than 14 days ahead without one. */
    createPlannedStop(input: PlannedStopCreate, options?: CreateOptions): Promise<Resource<PlannedStop>> {
        return this.resource('POST', paths.plannedStops(), input, ApiClient.createHeaders(options));
    }

    /** 409 when the stop is over; a new time or scope answers the stop with `approved_at: null`. */
    updatePlannedStop(id: Id, patch: PlannedStopPatch, etag: string): Promise<Resource<PlannedStop>> {
        return this.resource('PATCH', paths.plannedStop(id), patch, ApiClient.ifMatch(etag));
    }

    /** 412 when `etag` is stale; 409 when approved already. */
    approvePlannedStop(id: Id, etag: string): Promise<Resource<PlannedStop>> {
        return this.resource('POST', paths.plannedStopApprove(id), undefined, ApiClient.ifMatch(etag));
    }

    /** Cancels the stop. */
    deletePlannedStop(id: Id): Promise<void> {
        return this.empty('DELETE', paths.plannedStop(id));
    }

    // ---- jobnets and their runs (docs/jobs.md) ----

    /** Every jobnet, with its `next_start_at` and `last_run`. */
    listJobnets(): Promise<Page<Jobnet>> {
        return this.json('GET', paths.jobnets());
    }

    getJobnet(id: Id): Promise<Resource<Jobnet>> {
        return this.resource('GET', paths.jobnet(id));
    }

    /** Admins only; 409 when the name is taken, 422 naming each bad member (`jobs[1].after`). */
    createJobnet(input: JobnetCreate, options?: CreateOptions): Promise<Resource<Jobnet>> {
        return this.resource('POST', paths.jobnets(), input, ApiClient.createHeaders(options));
    }

    /** Admins only; changes the members given; 412 when `etag` is stale. */
    updateJobnet(id: Id, patch: JobnetInput, etag: string): Promise<Resource<Jobnet>> {
        return this.resource('PATCH', paths.jobnet(id), patch, ApiClient.ifMatch(etag));
    }

    /** Admins only; 409 while a run is active. */
    deleteJobnet(id: Id): Promise<void> {
        return this.empty('DELETE', paths.jobnet(id));
    }

    /**
     * Every jobnet by name (or only the one named `name`; 404 when none) as YAML text,
     * `jobnets: [definition…]`, as `importJobnets` takes it back.
     */
    async exportJobnets(name?: string): Promise<string> {
        const path = withQuery(paths.jobnetsExport(), { name });
        const response = await this.send('GET', path, undefined, { Accept: 'application/yaml, application/problem+json' });
        return response.text();
    }

    /**
     * Creates or updates jobnets by name from `yaml` (sent as is, `application/yaml`); admins only.
     * `dryRun`: only counts what would change. Every entry is checked before anything is written:
     * 400 when the text is not YAML, 422 naming each bad member (`jobnets[2].jobs[0].after`).
     */
    async importJobnets(yaml: string, options: { dryRun?: boolean } = {}): Promise<JobnetImportSummary> {
        const path = withQuery(paths.jobnetsImport(), { dry_run: options.dryRun ? true : undefined });
        const response = await this.raw('POST', path, { headers: { 'Content-Type': 'application/yaml' }, body: yaml });
        if (!response.ok) {
            throw new ApiError('POST', path, response.status, await readProblem(response), response.headers);
        }
        return (await response.json()) as JobnetImportSummary;
    }

    /** The planned starts between `from` and `to` (default the next 31 days; at most two years). */
    jobnetSchedule(id: Id, query?: JobnetScheduleQuery): Promise<{ items: JobnetPlannedStart[] }> {
        return this.json('GET', withQuery(paths.jobnetPart(id, 'schedule'), query));
    }

    /** Starts a run now (admin, manager, operator); 409 when one is active and overlap is not allowed. */
    startJobnetRun(id: Id, params?: Record<string, string>): Promise<Resource<JobnetRun>> {
        return this.resource('POST', paths.jobnetPart(id, 'runs'), params === undefined ? {} : { params });
    }

    /** Runs, newest first, without their jobs' output. */
    listJobnetRuns(query?: JobnetRunQuery): Promise<Page<JobnetRun>> {
        return this.json('GET', withQuery(paths.jobnetRuns(), query));
    }

    /** One run with its jobs (output included) and events. */
    getJobnetRun(id: Id): Promise<Resource<JobnetRunDetail>> {
        return this.resource('GET', paths.jobnetRun(id));
    }

    /** An operator's action on a run or one of its jobs; 409 when it does not fit the state. */
    jobnetRunAction(id: Id, input: JobnetRunActionInput): Promise<JobnetRunDetail> {
        return this.json('POST', paths.jobnetRunActions(id), input);
    }

    // ---- unyo's own backups ----

    /** The generations, newest first (admin, manager, operator). */
    listBackups(): Promise<{ items: BackupGeneration[] }> {
        return this.json('GET', paths.backups());
    }

    /** A generation now (admin). */
    createBackup(): Promise<BackupGeneration> {
        return this.json('POST', paths.backups());
    }

    /** Re-reads the generation: its SHA-256, then every file against the manifest. */
    verifyBackup(file: string): Promise<BackupVerification> {
        return this.json('POST', paths.backupPart(file, 'verify'));
    }

    /** A restore drill of the generation into a scratch directory; a failed drill is answered and recorded too. */
    drillBackup(file: string): Promise<BackupDrill> {
        return this.json('POST', paths.backupPart(file, 'drill'));
    }

    /**
     * Restores the generation into `target` (admin): verified first; 409 for the running server's
     * data directory (or one inside it or holding it) and, without `overwrite`, for a directory not empty.
     */
    restoreBackup(file: string, input: BackupRestoreInput): Promise<BackupRestore> {
        return this.json('POST', paths.backupPart(file, 'restore'), input);
    }

    /** The restore drills, newest first. */
    listBackupDrills(query?: { limit?: number }): Promise<{ items: BackupDrill[] }> {
        return this.json('GET', withQuery(paths.backupDrills(), query));
    }

    // ---- the operation calendar ----

    /** Events, planned stops and jobnet starts overlapping `from`–`to` (default the next 31 days; ≤ 400 days), by start. */
    opsCalendar(query?: PeriodQuery): Promise<{ items: OpsCalendarItem[] }> {
        return this.json('GET', withQuery(paths.opscal(), query));
    }

    listOpsEvents(): Promise<{ items: OpsEvent[] }> {
        return this.json('GET', paths.opscalEvents());
    }

    getOpsEvent(id: Id): Promise<Resource<OpsEvent>> {
        return this.resource('GET', paths.opscalEvent(id));
    }

    /** Admin, manager, operator; 422 naming each bad field (`recurrence.days.rule`). */
    createOpsEvent(input: OpsEventCreate, options?: CreateOptions): Promise<Resource<OpsEvent>> {
        return this.resource('POST', paths.opscalEvents(), input, ApiClient.createHeaders(options));
    }

    /** Changes the members given; 412 when `etag` is stale. */
    updateOpsEvent(id: Id, patch: OpsEventInput, etag: string): Promise<Resource<OpsEvent>> {
        return this.resource('PATCH', paths.opscalEvent(id), patch, ApiClient.ifMatch(etag));
    }

    deleteOpsEvent(id: Id): Promise<void> {
        return this.empty('DELETE', paths.opscalEvent(id));
    }

    /** A new secret for one's iCalendar feed; the old one stops working. */
    newOpsFeedToken(): Promise<OpsFeedToken> {
        return this.json('POST', paths.opscalFeedToken());
    }

    // ---- role division matrices (docs/raci.md) ----

    /** Every matrix by name, without its items. */
    listRaci(): Promise<{ items: RaciMatrix[] }> {
        return this.json('GET', paths.raciList());
    }

    /**
     * Reads `table` (text copied from a document, cells separated by tabs, CSV, or the bytes of an
     * XLSX workbook; sent as is) as a role division matrix named `options.name` (admin). A dry run
     * (200) writes nothing; otherwise 201. 409 naming `name` when taken, 422 naming `file` when no
     * table can be read.
     */
    async importRaci(table: string | Blob, options: RaciImportOptions): Promise<RaciImport> {
        const format = options.format === 'csv' || options.format === 'xlsx' ? options.format : undefined;
        const path = withQuery(paths.raciImport(), {
            name: options.name,
            format,
            dry_run: options.dryRun ? true : undefined,
            create_organizations: options.createOrganizations ? true : undefined,
        });
        const type =
            format === 'xlsx'
                ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
                : format === 'csv'
                  ? 'text/csv; charset=utf-8'
                  : 'text/plain; charset=utf-8';
        const response = await this.raw('POST', path, { headers: { 'Content-Type': type }, body: table });
        if (!response.ok) {
            throw new ApiError('POST', path, response.status, await readProblem(response), response.headers);
        }
        return (await response.json()) as RaciImport;
    }

    /** One matrix with its rows and cells; the ETag is its version. */
    getRaci(id: Id): Promise<Resource<RaciMatrixDetail>> {
        return this.resource('GET', paths.raci(id));
    }

    /** Sets or empties one cell (admin, manager); 412 when `etag` is stale, 422 for a heading row. */
    setRaciCell(id: Id, input: RaciCellInput, etag: string): Promise<Resource<RaciMatrixDetail>> {
        return this.resource('PUT', paths.raciCells(id), input, ApiClient.ifMatch(etag));
    }

    /** Points column `position` at an organisation, or at none (admin, manager); 412 when `etag` is stale. */
    mapRaciColumn(id: Id, position: number, organizationId: Id | null, etag: string): Promise<Resource<RaciMatrixDetail>> {
        return this.resource('PUT', paths.raciColumn(id, position), { organization_id: organizationId }, ApiClient.ifMatch(etag));
    }

    /** Admin. */
    deleteRaci(id: Id): Promise<void> {
        return this.empty('DELETE', paths.raci(id));
    }

    // ---- configuration items (docs/cis.md) ----

    listCis(): Promise<{ items: ConfigurationItem[] }> {
        return this.json('GET', paths.cis());
    }

    /** Admin, manager; 422 naming each bad member. */
    createCi(input: CiCreate): Promise<Resource<ConfigurationItem>> {
        return this.resource('POST', paths.cis(), input);
    }

    /** The ETag is its version. */
    getCi(id: Id): Promise<Resource<ConfigurationItem>> {
        return this.resource('GET', paths.ci(id));
    }

    /** Admin, manager; 412 when `etag` is stale. */
    updateCi(id: Id, patch: Partial<CiCreate>, etag: string): Promise<Resource<ConfigurationItem>> {
        return this.resource('PATCH', paths.ci(id), patch, ApiClient.ifMatch(etag));
    }

    /** Admin, manager; its relations go too. */
    deleteCi(id: Id): Promise<void> {
        return this.empty('DELETE', paths.ci(id));
    }

    /** End of sales, support and life and licence expiries on or before today + `withinDays` (Japan time), passed ones too. */
    ciLifecycle(withinDays?: number): Promise<{ items: CiMilestone[] }> {
        return this.json('GET', paths.ciLifecycle(withinDays));
    }

    listCiRelations(id: Id): Promise<{ items: CiRelation[] }> {
        return this.json('GET', paths.ciPart(id, 'relations'));
    }

    /** "id `kind` toId" (admin, manager); answers the relations. */
    addCiRelation(id: Id, toId: Id, kind: CiRelationKind): Promise<{ items: CiRelation[] }> {
        return this.json('POST', paths.ciPart(id, 'relations'), { to_id: toId, kind });
    }

    removeCiRelation(id: Id, toId: Id, kind: CiRelationKind): Promise<void> {
        return this.empty('DELETE', withQuery(paths.ciPart(id, 'relations'), { to_id: toId, kind }));
    }

    /** What a failure of the item affects. */
    ciImpact(id: Id): Promise<{ items: CiImpact[] }> {
        return this.json('GET', paths.ciPart(id, 'impact'));
    }

    // ---- procedures (docs/procedures.md) ----

    listProcedureTemplates(): Promise<{ items: ProcedureTemplate[] }> {
        return this.json('GET', paths.procedureTemplates());
    }

    /** Admin; 409 when the name is taken. */
    createProcedureTemplate(input: Omit<ProcedureTemplate, 'id'>): Promise<ProcedureTemplate> {
        return this.json('POST', paths.procedureTemplates(), input);
    }

    /** Admin: makes the shipped templates not there yet. */
    installDefaultProcedureTemplates(): Promise<{ created: number }> {
        return this.json('POST', paths.procedureTemplateDefaults());
    }

    getProcedureTemplate(id: Id): Promise<ProcedureTemplate> {
        return this.json('GET', paths.procedureTemplate(id));
    }

    /** Newest first. */
    listProcedureRuns(limit?: number): Promise<{ items: ProcedureRun[] }> {
        return this.json('GET', withQuery(paths.procedureRuns(), { limit }));
    }

    /** Admin, manager, operator. */
    startProcedureRun(input: { template_id: Id; name?: string; record_id?: Id }): Promise<ProcedureRun> {
        return this.json('POST', paths.procedureRuns(), input);
    }

    getProcedureRun(id: Id): Promise<ProcedureRun> {
        return this.json('GET', paths.procedureRun(id));
    }

    /**
     * Completes (with the comment or proof its evidence asks for), approves or rejects the next step;
     * 409, 403, or 422 naming `comment` or `evidence.job_run_id` / `.drill_id` / `.attachment_id`.
     */
    actOnProcedureStep(id: Id, key: string, input: ProcedureStepInput): Promise<ProcedureRun> {
        return this.json('POST', paths.procedureStep(id, key), input);
    }

    // ---- service catalogue (docs/catalog.md) ----

    /** The services the caller may request (admins, managers: all). */
    listCatalog(): Promise<{ items: CatalogService[] }> {
        return this.json('GET', paths.catalog());
    }

    /** Admin, manager; 409 name taken, 422 naming each bad member. */
    createCatalogService(input: CatalogServiceCreate): Promise<CatalogService> {
        return this.json('POST', paths.catalog(), input);
    }

    /** The ETag is its version. */
    getCatalogService(id: Id): Promise<Resource<CatalogService>> {
        return this.resource('GET', paths.catalogService(id));
    }

    /**
     * Admin, manager: changes the members given; `enabled: false` withdraws the service from the
     * portal (its requests stay), `true` offers it again. 412 when `etag` is stale, 409 name taken,
     * 422 naming each bad member.
     */
    updateCatalogService(id: Id, patch: Partial<CatalogServiceCreate>, etag: string): Promise<Resource<CatalogService>> {
        return this.resource('PATCH', paths.catalogService(id), patch, ApiClient.ifMatch(etag));
    }

    /** The service's requester roles; answers the request record (422 naming `answers.NAME`). */
    requestCatalogService(id: Id, input: CatalogRequestInput): Promise<LedgerRecord> {
        return this.json('POST', paths.catalogRequests(id), input);
    }

    // ---- knowledge base (docs/knowledge.md) ----

    /** Newest first (at most 500). */
    listKnowledge(query: KnowledgeQuery = {}): Promise<{ items: KnowledgeEntry[] }> {
        return this.json('GET', withQuery(paths.knowledge(), { q: query.q, kind: query.kind, stale: query.stale, record_id: query.record_id }));
    }

    /** Admin, manager, operator; a workaround is written waiting for approval. */
    createKnowledge(input: KnowledgeCreate): Promise<KnowledgeEntry> {
        return this.json('POST', paths.knowledge(), input);
    }

    getKnowledge(id: Id): Promise<KnowledgeEntry> {
        return this.json('GET', paths.knowledgeEntry(id));
    }

    /** approve/reject: admin, manager (a rejection needs `comment`); reviewed: staff. */
    actOnKnowledge(id: Id, action: KnowledgeAction, comment?: string): Promise<KnowledgeEntry> {
        return this.json('POST', paths.knowledgeActions(id), comment ? { action, comment } : { action });
    }

    /**
     * Links the entry to an incident, problem or inquiry (`applied`: the incident applied this
     * workaround); answers the entry with its links. 409 when applying a workaround not approved.
     */
    linkKnowledge(id: Id, input: KnowledgeLinkInput): Promise<KnowledgeEntry> {
        return this.json('POST', paths.knowledgeLinks(id), input);
    }

    /** Removes the entry's link to a record. */
    unlinkKnowledge(id: Id, recordId: Id): Promise<void> {
        return this.empty('DELETE', paths.knowledgeLink(id, recordId));
    }

    // ---- documents register (docs/documents.md) ----

    listDocuments(dueOnly?: boolean): Promise<{ items: RegisteredDocument[] }> {
        return this.json('GET', withQuery(paths.documents(), { due: dueOnly ? true : undefined }));
    }

    /** Admin, manager; 409 when the name is taken. */
    createDocument(input: DocumentCreate): Promise<RegisteredDocument> {
        return this.json('POST', paths.documents(), input);
    }

    /** With `version_list`, newest first. */
    getDocument(id: Id): Promise<RegisteredDocument> {
        return this.json('GET', paths.document(id));
    }

    /** Admin, manager, operator; answers the document. */
    addDocumentVersion(id: Id, input: { label: string; note?: string }): Promise<RegisteredDocument> {
        return this.json('POST', paths.documentVersions(id), input);
    }

    // ---- integration partners (docs/partners.md) ----

    /** By name; those connected to item `ciId` when given. Not requesters (the list names people). */
    listPartners(ciId?: Id): Promise<{ items: Partner[] }> {
        return this.json('GET', paths.partners(ciId));
    }

    /** Admin, manager; 409 name taken, 422 naming each bad member (`contacts[0].email`). */
    createPartner(input: PartnerInput): Promise<Resource<Partner>> {
        return this.resource('POST', paths.partners(), input);
    }

    /** The ETag is its version. */
    getPartner(id: Id): Promise<Resource<Partner>> {
        return this.resource('GET', paths.partner(id));
    }

    /** Admin, manager: changes the members given (contacts go whole); 412 when `etag` is stale. */
    updatePartner(id: Id, patch: Partial<PartnerInput>, etag: string): Promise<Resource<Partner>> {
        return this.resource('PATCH', paths.partner(id), patch, ApiClient.ifMatch(etag));
    }

    /** Admin, manager. */
    deletePartner(id: Id): Promise<void> {
        return this.empty('DELETE', paths.partner(id));
    }

    // ---- security advisories (docs/advisories.md) ----

    /** Newest published first, with how many items each affects. */
    listAdvisories(query: AdvisoryQuery = {}): Promise<{ items: Advisory[] }> {
        return this.json('GET', withQuery(paths.advisories(), { status: query.status, affected: query.affected ? true : undefined }));
    }

    /** With its `matches`; the ETag is its version. */
    getAdvisory(id: Id): Promise<Resource<Advisory>> {
        return this.resource('GET', paths.advisory(id));
    }

    /** Admin, manager, operator, vendor: e.g. its status and note; 412 when `etag` is stale. */
    updateAdvisory(id: Id, patch: AdvisoryPatch, etag: string): Promise<Resource<Advisory>> {
        return this.resource('PATCH', paths.advisory(id), patch, ApiClient.ifMatch(etag));
    }

    /**
     * Reads advisories from `file` (MyJVN VULDEF or JVNRSS XML, or JSON; sent as is). A dry run
     * (200) only says what it would do; otherwise 201. 422 naming `file` when it cannot be read.
     */
    async importAdvisories(file: Blob | string, options: { dryRun?: boolean } = {}): Promise<AdvisoryImport> {
        const path = withQuery(paths.advisoryImport(), { dry_run: options.dryRun ? true : undefined });
        const type = typeof file === 'string' ? 'text/plain; charset=utf-8' : file.type || 'application/octet-stream';
        const response = await this.raw('POST', path, { headers: { 'Content-Type': type }, body: file });
        if (!response.ok) {
            throw new ApiError('POST', path, response.status, await readProblem(response), response.headers);
        }
        return (await response.json()) as AdvisoryImport;
    }

    /**
     * Starts the security-patch procedure for it (admin, manager, operator): the template given, or
     * the shipped one (emergency when asked or critical); the advisory becomes `patching`. 409 when
     * it has one, is not_affected or accepted, or no such template is installed.
     */
    startAdvisoryProcedure(id: Id, input: { template_id?: Id; emergency?: boolean } = {}): Promise<{ advisory: Advisory; run: ProcedureRun }> {
        return this.json('POST', paths.advisoryProcedure(id), input);
    }

    // ---- the handover ledger (docs/handovers.md) ----

    /** Newest handover first; `outstanding`: not back yet, `overdue`: past its return date. */
    listHandovers(query: HandoverQuery = {}): Promise<{ items: Handover[] }> {
        return this.json(
            'GET',
            withQuery(paths.handovers(), { outstanding: query.outstanding ? true : undefined, overdue: query.overdue ? true : undefined }),
        );
    }

    /** Admin, manager, operator, vendor; 422 naming each bad member. */
    createHandover(input: HandoverInput): Promise<Resource<Handover>> {
        return this.resource('POST', paths.handovers(), input);
    }

    /** The ETag is its version. */
    getHandover(id: Id): Promise<Resource<Handover>> {
        return this.resource('GET', paths.handover(id));
    }

    /** Corrects the members given; 412 when `etag` is stale. */
    updateHandover(id: Id, patch: Partial<HandoverInput>, etag: string): Promise<Resource<Handover>> {
        return this.resource('PATCH', paths.handover(id), patch, ApiClient.ifMatch(etag));
    }

    /** Records its return or erasure; 409 when returned already, 412 when `etag` is stale. */
    returnHandover(id: Id, input: HandoverReturn, etag: string): Promise<Resource<Handover>> {
        return this.resource('POST', paths.handoverReturn(id), input, ApiClient.ifMatch(etag));
    }

    // ---- accounts on the managed systems (docs/managed-accounts.md) ----

    /** By system and account; `dormant`, `leavers`, `review_due` keep only those. */
    listManagedAccounts(query: ManagedAccountQuery = {}): Promise<{ items: ManagedAccount[] }> {
        return this.json(
            'GET',
            withQuery(paths.managedAccounts(), {
                ci_id: query.ci_id,
                dormant: query.dormant ? true : undefined,
                dormant_days: query.dormant_days,
                leavers: query.leavers ? true : undefined,
                review_due: query.review_due ? true : undefined,
            }),
        );
    }

    /** Admin, manager, operator, vendor; 409 naming `account` when taken on that system, 422 naming each bad member. */
    createManagedAccount(input: ManagedAccountInput): Promise<Resource<ManagedAccount>> {
        return this.resource('POST', paths.managedAccounts(), input);
    }

    /** The ETag is its version. */
    getManagedAccount(id: Id): Promise<Resource<ManagedAccount>> {
        return this.resource('GET', paths.managedAccount(id));
    }

    /** Changes the members given (e.g. its last use or status); 412 when `etag` is stale. */
    updateManagedAccount(id: Id, patch: Partial<ManagedAccountInput>, etag: string): Promise<Resource<ManagedAccount>> {
        return this.resource('PATCH', paths.managedAccount(id), patch, ApiClient.ifMatch(etag));
    }

    // ---- checklist runs: inventories and account reviews (docs/checklists.md) ----

    /** Newest first, with their counts (without items). */
    listChecklists(kind: ChecklistPath): Promise<{ items: ChecklistRun[] }> {
        return this.json('GET', paths.checklists(kind));
    }

    /** Admin, manager, operator, vendor: the run with its items; 409 when there is nothing to list. */
    startChecklist(kind: ChecklistPath, input: ChecklistStart): Promise<ChecklistRun> {
        return this.json('POST', paths.checklists(kind), input);
    }

    /** With its items. */
    getChecklist(kind: ChecklistPath, id: Id): Promise<ChecklistRun> {
        return this.json('GET', paths.checklist(kind, id));
    }

    /**
     * Decides one item; answers the run. 422 naming `comment` when one is needed (changed, missing;
     * keeping a dormant or leaver's account), 409 when the run is closed.
     */
    decideChecklistItem(kind: ChecklistPath, id: Id, subjectId: Id, decision: ChecklistDecision, comment?: string): Promise<ChecklistRun> {
        return this.json('POST', paths.checklistItem(kind, id, subjectId), comment ? { decision, comment } : { decision });
    }

    /** Closes it (an account review applies its decisions); 409 while items are pending. */
    closeChecklist(kind: ChecklistPath, id: Id, note?: string): Promise<ChecklistRun> {
        return this.json('POST', paths.checklistClose(kind, id), note ? { note } : {});
    }

    // ---- escalation routes (docs/escalation.md) ----

    /** Every route by name. */
    listEscalationRoutes(): Promise<{ items: EscalationRoute[] }> {
        return this.json('GET', paths.escalationRoutes());
    }

    /** Admin, manager; 409 naming `name` when taken, 422 naming each bad member (`levels[1].contacts[0].email`). */
    createEscalationRoute(input: EscalationRouteInput): Promise<Resource<EscalationRoute>> {
        return this.resource('POST', paths.escalationRoutes(), input);
    }

    /** The ETag is its version. */
    getEscalationRoute(id: Id): Promise<Resource<EscalationRoute>> {
        return this.resource('GET', paths.escalationRoute(id));
    }

    /** Changes the members given (`reviewed_on` confirms it); 412 when `etag` is stale. */
    updateEscalationRoute(id: Id, patch: Partial<EscalationRouteInput>, etag: string): Promise<Resource<EscalationRoute>> {
        return this.resource('PATCH', paths.escalationRoute(id), patch, ApiClient.ifMatch(etag));
    }

    /** Admin, manager. */
    deleteEscalationRoute(id: Id): Promise<void> {
        return this.empty('DELETE', paths.escalationRoute(id));
    }

    /** The route an incident follows and when each level is (was) told. */
    getIncidentEscalation(id: Id): Promise<IncidentEscalation> {
        return this.json('GET', paths.incidentEscalation(id));
    }

    /**
     * Tells the next level now (admin, manager, operator, vendor); answers as the GET. 409 when the
     * incident is recovered or closed, no route serves it, or every level was told.
     */
    escalateIncident(id: Id, comment?: string): Promise<IncidentEscalation> {
        return this.json('POST', paths.incidentEscalate(id), comment ? { comment } : {});
    }

    // ---- the April reorganisation (docs/reorganisation.md) ----

    /** Admin: the plans, latest date first. */
    listReorganisations(): Promise<{ items: Reorganisation[] }> {
        return this.json('GET', paths.reorganisations());
    }

    /**
     * Reads the personnel sheet (CSV or XLSX, sent as is) and answers its diff against the users,
     * writing nothing. 400 naming `name` or `effective_on`; 422 naming `file` or `line N: column`.
     */
    checkReorganisation(sheet: Blob | string, params: ReorganisationSheet): Promise<ReorganisationCheck> {
        return this.postSheet(sheet, params, true) as Promise<ReorganisationCheck>;
    }

    /** Stages the sheet for its date: 201 with the plan and its diff; refused as the check is. */
    stageReorganisation(sheet: Blob | string, params: ReorganisationSheet): Promise<Reorganisation> {
        return this.postSheet(sheet, params, false) as Promise<Reorganisation>;
    }

    private async postSheet(sheet: Blob | string, params: ReorganisationSheet, dryRun: boolean): Promise<unknown> {
        const path = withQuery(paths.reorganisations(), { ...params, dry_run: dryRun ? true : undefined });
        const type =
            params.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8';
        const response = await this.raw('POST', path, { headers: { 'Content-Type': type }, body: sheet });
        if (!response.ok) {
            throw new ApiError('POST', path, response.status, await readProblem(response), response.headers);
        }
        return response.json();
    }

    /** A plan; a staged one with its diff against the users as they are now. */
    getReorganisation(id: Id): Promise<Reorganisation> {
        return this.json('GET', paths.reorganisation(id));
    }

    /** Applies a staged plan now (its `result` says how each line went); 409 unless staged. */
    applyReorganisation(id: Id): Promise<Reorganisation> {
        return this.json('POST', paths.reorganisationAction(id, 'apply'));
    }

    /** Cancels a staged plan; 409 unless staged. */
    cancelReorganisation(id: Id): Promise<Reorganisation> {
        return this.json('POST', paths.reorganisationAction(id, 'cancel'));
    }

    // ---- the operation reports (RPT-1..4) ----

    /**
     * The report of `kind` as data (admin, manager, operator, viewer): a period not yet ended is
     * generated afresh; a closed one is snapshotted the first time and given from the snapshot
     * afterwards, saying which sections changed since. 400 naming `month` / `fiscal_year` / `date`;
     * `refresh` (admin, manager; else 403) replaces the snapshot.
     */
    getReport(kind: ReportKind, query: ReportQuery = {}): Promise<GeneratedReport> {
        const params = { [REPORT_PERIOD_PARAMS[kind]]: query.period || undefined, refresh: query.refresh ? true : undefined };
        return this.json('GET', withQuery(paths.report(kind), params));
    }

    /** The ETag is its version (0 before the first save: the defaults). */
    getReportSettings(): Promise<Resource<ReportSettings>> {
        return this.resource('GET', paths.reportSettings());
    }

    /**
     * Admin, manager: replaces the members given; 412 when `etag` is stale, 422 naming each bad one
     * (`availability_targets.住民記録`, `mail_to[0]`, `virus_jobnet_ids[0]`, `improvement_plans.2026`).
     */
    updateReportSettings(input: ReportSettingsInput, etag: string): Promise<Resource<ReportSettings>> {
        return this.resource('PUT', paths.reportSettings(), input, ApiClient.ifMatch(etag));
    }

    // ---- the handover export (KNW-2) ----

    /** The export's progress, or the last one's result (admin). */
    getDataExport(): Promise<DataExportStatus> {
        return this.json('GET', paths.dataExport());
    }

    /**
     * Starts an export of every table into the data directory's `exports/` in the background
     * (admin; 202 with the status); 409 while one runs.
     */
    startDataExport(): Promise<DataExportStatus> {
        return this.json('POST', paths.dataExport());
    }

    /** Every item of a collection, following `next_cursor` until it is null. */
    async all<T, Q extends PageQuery>(list: (query?: Q) => Promise<Page<T>>, query: NoInfer<Q>): Promise<T[]> {
        const items: T[] = [];
        let cursor: string | undefined = query.cursor;
        for (;;) {
            const page = await list.call(this, { ...query, cursor });
            items.push(...page.items);
            if (page.next_cursor === null || page.next_cursor === undefined) {
                return items;
            }
            cursor = page.next_cursor;
        }
    }
}
