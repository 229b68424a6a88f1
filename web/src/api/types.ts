// Wire types of the unyo HTTP API v1 (docs/api.md). Field names are the JSON names (snake_case);
// instants are RFC 3339 UTC strings with milliseconds; ids are integers.

export type Id = number;
/** RFC 3339 UTC instant with milliseconds, e.g. `2026-11-23T04:05:06.789Z`. */
export type Instant = string;

export type Role = 'admin' | 'manager' | 'operator' | 'vendor' | 'requester' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'manager', 'operator', 'vendor', 'requester', 'viewer'];

export type OrganizationKind = 'owner' | 'vendor' | 'other';
export type UserStatus = 'active' | 'disabled' | 'locked';
export type LoginReason = 'ok' | 'bad_credentials' | 'locked' | 'disabled';

/** One field-level problem inside a validation failure. */
export interface FieldError {
    field: string;
    message: string;
}

/** RFC 9457 problem details as unyo sends them (`application/problem+json`). */
export interface Problem {
    type: string;
    title: string;
    status: number;
    detail?: string;
    errors?: FieldError[];
    /** Present on 423 (account locked). */
    locked_until?: Instant;
    [extension: string]: unknown;
}

/** Every `GET` collection answers one page: pass `next_cursor` back as `cursor` for the next. */
export interface Page<T> {
    items: T[];
    next_cursor: string | null;
}

export interface PageQuery {
    /** 1–500, default 50. */
    limit?: number;
    cursor?: string;
}

export interface Organization {
    id: Id;
    code: string | null;
    name: string;
    kind: OrganizationKind;
    note: string | null;
    disabled: boolean;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

export interface OrganizationCreate {
    name: string;
    kind: OrganizationKind;
    code?: string;
    note?: string;
}

export interface OrganizationPatch {
    name?: string;
    kind?: OrganizationKind;
    code?: string | null;
    note?: string | null;
    disabled?: boolean;
}

export interface OrganizationQuery extends PageQuery {
    q?: string;
}

export interface User {
    id: Id;
    login: string;
    display_name: string;
    email: string | null;
    organization_id: Id;
    roles: Role[];
    disabled: boolean;
    locked_until: Instant | null;
    failed_logins: number;
    must_change_password: boolean;
    last_login_at: Instant | null;
    password_changed_at: Instant | null;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

export interface UserCreate {
    login: string;
    display_name: string;
    organization_id: Id;
    roles: Role[];
    password: string;
    email?: string;
}

export interface UserPatch {
    display_name?: string;
    email?: string | null;
    organization_id?: Id;
    roles?: Role[];
    disabled?: boolean;
}

export interface UserQuery extends PageQuery {
    organization_id?: Id;
    q?: string;
    role?: Role;
    status?: UserStatus;
}

export interface Token {
    id: Id;
    user_id: Id;
    name: string;
    prefix: string;
    created_at: Instant;
    expires_at: Instant;
    last_used_at: Instant | null;
}

/** The answer to `POST /tokens`: the only time the secret is shown. */
export interface TokenWithSecret extends Token {
    secret: string;
}

export interface TokenCreate {
    name: string;
    /** 1–3650, default 365. */
    expires_in_days?: number;
}

export interface TokenQuery extends PageQuery {
    /** Admin only: every user's tokens. */
    all?: boolean;
}

/** `POST /session`. */
export interface Session {
    user: User;
    csrf_token: string;
}

/** `GET /me`; `csrf_token` is present for cookie sessions. */
export interface Me {
    user: User;
    organization: Organization;
    csrf_token?: string;
    /** True when the password must be changed before anything else (reset by an admin, or expired). */
    must_change_password: boolean;
}

export interface LoginEvent {
    id: Id;
    at: Instant;
    user_id: Id | null;
    login: string;
    success: boolean;
    reason: LoginReason;
    address: string;
    user_agent: string;
}

export interface LoginHistoryQuery extends PageQuery {
    user_id?: Id;
    login?: string;
    success?: boolean;
    from?: Instant;
    to?: Instant;
}

export interface InventoryItem {
    user_id: Id;
    login: string;
    display_name: string;
    organization_id: Id;
    roles: Role[];
    disabled: boolean;
    locked: boolean;
    last_login_at: Instant | null;
    days_since_login: number | null;
    dormant: boolean;
}

export interface AccountInventory {
    generated_at: Instant;
    dormant_days: number;
    items: InventoryItem[];
}

export interface InventoryQuery {
    /** Default 90. */
    dormant_days?: number;
}

export interface AuditEntry {
    seq: number;
    at: Instant;
    actor_id: Id | null;
    actor_login: string | null;
    /** `<entity>.<verb>`, e.g. `user.create`, `organization.update`, `session.login`. */
    action: string;
    entity_type: string;
    entity_id: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    address: string | null;
    hash: string;
}

export interface AuditQuery extends PageQuery {
    /** Actor login. */
    actor?: string | Id;
    action?: string;
    entity_type?: string;
    entity_id?: Id | string;
    from?: Instant;
    to?: Instant;
}

/** The collections that export to files (`?format=csv|xlsx`): same filters as the JSON list, all pages. */
export type ExportResource =
    | 'organizations'
    | 'users'
    | 'login-history'
    | 'accounts/inventory'
    | 'audit'
    | RecordCollection;
export type ExportFormat = 'csv' | 'xlsx';
/** CSV text encoding: UTF-8 with BOM (default) or Shift_JIS (CP932). */
export type ExportEncoding = 'utf-8' | 'cp932';
/** Language of the column headers: Japanese (default) or English. */
export type ExportLang = 'ja' | 'en';

/** The filters each exportable collection accepts (paging fields are ignored by exports). */
export type ExportFilters = {
    organizations: OrganizationQuery;
    users: UserQuery;
    'login-history': LoginHistoryQuery;
    'accounts/inventory': InventoryQuery;
    audit: AuditQuery;
} & { [C in RecordCollection]: RecordQuery };

/** Topics of the Server-Sent Events stream `GET /stream?topics=`. */
export type StreamTopic = 'audit';

export interface HealthStatus {
    status: string;
}

// ---- the record ledger (incidents, problems, changes, releases, issues, inquiries, requests) ----

/** The REST collection of each record kind. */
export type RecordCollection = 'incidents' | 'problems' | 'changes' | 'releases' | 'issues' | 'inquiries' | 'requests';
export const RECORD_COLLECTIONS: readonly RecordCollection[] = [
    'incidents',
    'problems',
    'changes',
    'releases',
    'issues',
    'inquiries',
    'requests',
];

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** How a kind's own field is typed (and edited). */
export type RecordFieldType = 'text' | 'long_text' | 'time' | 'date' | 'enum' | 'user' | 'documents' | 'work_item' | 'ci';

export interface WorkflowState {
    name: string;
    label: string;
    label_en: string;
    /** True for end states (完了, 却下, …). */
    closed: boolean;
}

export interface WorkflowField {
    name: string;
    label: string;
    label_en: string;
    type: RecordFieldType;
    /** The values of an enum field. */
    options: string[];
    required_at_creation: boolean;
}

export interface WorkflowTransition {
    from: string[];
    to: string;
    label: string;
    /** Fields that must have a value to make the move (may be sent with it). */
    required: string[];
    roles: Role[];
    /** A named rule beyond fields (`permanent_fix_or_problem`, `documents_done`), or `''`. */
    guard: string;
}

export interface Workflow {
    kind: string;
    collection: RecordCollection;
    prefix: string;
    label: string;
    label_en: string;
    has_severity: boolean;
    initial: string;
    states: WorkflowState[];
    fields: WorkflowField[];
    transitions: WorkflowTransition[];
}

/** One document to update in a change (CHG-2). */
export interface RecordDocument {
    name: string;
    done: boolean;
}

/** The value of a kind's own field: text, an instant, a date, an enum value, a user id, documents, a work item's id. */
export type RecordFieldValue = string | number | RecordDocument[] | null;

export type ClockState = 'running' | 'paused' | 'met' | 'breached';

/** One SLA clock of a record (INC-4, INQ-2). */
export interface SlaClock {
    name: string;
    label: string;
    state: ClockState;
    started_at: Instant;
    target_at: Instant;
    warn_at: Instant;
    met_at: Instant | null;
    remaining_ms: number;
    /** True once the warning threshold has passed. */
    warning: boolean;
}

/** A move the signed-in user may make now. */
export interface RecordMove {
    to: string;
    label: string;
    required: string[];
}

export type LinkRelation = 'related' | 'caused_by' | 'duplicate_of' | 'resolved_by';
export const LINK_RELATIONS: readonly LinkRelation[] = ['related', 'caused_by', 'duplicate_of', 'resolved_by'];

export interface RecordLink {
    id: Id;
    key: string;
    kind: string;
    title: string;
    relation: LinkRelation;
}

/** A record as listed: the common core and the kind's own fields. */
export interface LedgerRecord {
    id: Id;
    kind: string;
    key: string;
    title: string;
    description: string;
    status: string;
    status_label: string;
    closed: boolean;
    /** null for kinds without severity. */
    severity: Severity | null;
    organization_id: Id | null;
    assignee_id: Id | null;
    created_by: Id | null;
    created_at: Instant;
    updated_at: Instant;
    closed_at: Instant | null;
    version: number;
    [field: string]: unknown;
}

/** A single record: with its clocks, the moves allowed now and its links. */
export interface LedgerRecordDetail extends LedgerRecord {
    sla: SlaClock[];
    transitions: RecordMove[];
    links: RecordLink[];
}

export interface RecordQuery extends PageQuery {
    /** Comma-separated states. */
    status?: string;
    severity?: Severity;
    organization_id?: Id;
    assignee_id?: Id;
    q?: string;
    /** Only records not in an end state. */
    open?: boolean;
    from?: Instant;
    to?: Instant;
}

/** Core members and the kind's fields, for create, update and transitions. */
export interface RecordInput {
    title?: string;
    description?: string;
    severity?: Severity;
    organization_id?: Id | null;
    assignee_id?: Id | null;
    [field: string]: RecordFieldValue | undefined;
}

export type RecordCreate = RecordInput & { title: string };

export type TimelineType =
    | 'created'
    | 'status'
    | 'field'
    | 'comment'
    | 'link'
    | 'sla'
    | 'attachment'
    | 'time'
    | 'monitoring'
    | 'routing'
    | 'partners'
    | 'escalation'
    | 'knowledge';

export interface TimelineEntry {
    id: Id;
    at: Instant;
    actor_id: Id | null;
    actor_login: string | null;
    type: TimelineType;
    /** created: {status, fields}; status: {from, to, label}; field: {name, before, after};
     *  comment: {body}; link: {other_key, relation}; sla: {name, label, event, target_at};
     *  attachment: {id, file_name, size}; time: a time entry on an issue;
     *  monitoring: {event (alert, repeat, recovered), monitor, state, message, count?, at?};
     *  routing: {work_item_id, seq, title, matrix, main: RoutingParty | null, support: RoutingParty[],
     *  assigned} with RoutingParty {column, organization_id, organization} (ORG-3);
     *  partners: {ci_id, partners: PartnerInformed[]}, the integration partners told of an incident
     *  about a configuration item (INC-11);
     *  escalation: {route_id, route, level, name, organization_id, organization, reason (elapsed,
     *  manual), by, comment, people: [{user_id, name}], contacts: [{name, role, phone}], mailed}, a
     *  level of the incident's escalation route told (INC-9);
     *  knowledge: {knowledge_id, title, kind, applied, by}, a knowledge entry linked to the record
     *  (applied: an incident applied the workaround, INC-6). */
    body: Record<string, unknown>;
}

/** One partner named by a timeline entry `partners`: told of the failure of `via_ci_id` (INC-11). */
export interface PartnerInformed {
    id: Id;
    name: string;
    department: string;
    /** The item the partner exchanges data with: the record's own, or one its failure affects. */
    via_ci_id: Id;
    via_ci_name: string;
    /** How many of its contacts' addresses were mailed. */
    mailed: number;
}

/** A past record like another one (INC-7): `GET …/{id}/similar`, and `similar` of a created incident. */
export interface SimilarRecord {
    id: Id;
    key: string;
    title: string;
    status: string;
    /** The state's Japanese words. */
    status_label: string;
    permanent_fix: string | null;
    created_at: Instant;
}

/** The answer to creating a record; incidents carry the similar past incidents (INC-7). */
export interface LedgerRecordCreated extends LedgerRecordDetail {
    similar?: SimilarRecord[];
}

/** A file attached to a record, stored by its SHA-256. */
export interface Attachment {
    id: Id;
    record_id: Id;
    sha256: string;
    file_name: string;
    /** Without parameters, e.g. `application/pdf`. */
    content_type: string;
    /** Bytes. */
    size: number;
    /** The uploader's login. */
    uploader: string;
    created_at: Instant;
}

// ---- calendars and SLA policies ----

/** A civil date, `YYYY-MM-DD`. */
export type CivilDate = string;

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Business hours of a day, `HH:MM` to `HH:MM` (open before close; `24:00` is the end of the day). */
export interface BusinessHours {
    open: string;
    close: string;
}

export type CalendarTimeZone = 'Asia/Tokyo' | 'UTC';

export interface Holiday {
    date: CivilDate;
    name: string;
}

export interface HolidayQuery {
    from: CivilDate;
    to: CivilDate;
}

/** A business calendar: hours per weekday (null: closed), the closures and the exceptions. */
export interface BusinessCalendar {
    id: Id;
    name: string;
    description: string;
    time_zone: CalendarTimeZone;
    weekly: Record<Weekday, BusinessHours | null>;
    national_holidays_closed: boolean;
    /** Closed from 12/29 to 1/3. */
    year_end_closed: boolean;
    closed_days: CivilDate[];
    /** Operating days (休日稼働日): open whatever else says. */
    open_days: CivilDate[];
    /** The hours of the operating days. */
    open_day_hours: BusinessHours | null;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

export interface CalendarInput {
    name?: string;
    description?: string;
    time_zone?: CalendarTimeZone;
    /** The weekdays given are replaced (null: closed); the others keep their hours. */
    weekly?: Partial<Record<Weekday, BusinessHours | null>>;
    national_holidays_closed?: boolean;
    year_end_closed?: boolean;
    closed_days?: CivilDate[];
    open_days?: CivilDate[];
    open_day_hours?: BusinessHours;
}

export type CalendarCreate = CalendarInput & { name: string };

export interface CalendarDay {
    date: CivilDate;
    open: boolean;
    /** Why the day is closed (土曜日, the holiday's name, 年末年始, 休業日), or `''` when open. */
    reason: string;
    /** The national holiday's name, whether or not the calendar closes on it. */
    holiday: string | null;
    hours: BusinessHours | null;
}

export interface CalendarDays {
    calendar_id: Id;
    items: CalendarDay[];
}

/** One named target of an SLA policy. */
export interface SlaTarget {
    name: string;
    label: string;
    duration_ms: number;
    /** The instant the clock starts from: `recognized_at` or `created_at`. */
    start: string;
    /** The clock stops when this field is set, … */
    stop_field: string | null;
    /** … or when the record reaches one of these states. */
    stop_states: string[];
    pause_states: string[];
    warn_percent: number;
    /** null: round the clock (24x7). */
    calendar_id: Id | null;
}

/** One version of an SLA policy: in force from `valid_from` until the next version's. */
export interface SlaPolicyVersion {
    version: number;
    valid_from: Instant;
    /** The login of who made it (`system` for the seeded defaults). */
    changed_by: string;
    changed_at: Instant;
}

/** An SLA policy in its newest version, with the history of versions. */
export interface SlaPolicy {
    id: Id;
    version: number;
    /** When the newest version takes (or took) effect. */
    valid_from: Instant;
    updated_at: Instant;
    name: string;
    kind: string;
    /** Empty: every severity. */
    severities: string[];
    /** Empty: every source. */
    sources: string[];
    excluded_sources: string[];
    targets: SlaTarget[];
    versions: SlaPolicyVersion[];
}

/** A change to one existing target of a policy. */
export interface SlaTargetPatch {
    name: string;
    label?: string;
    /** 1 minute to 366 days. */
    duration_ms?: number;
    /** 1–99. */
    warn_percent?: number;
    /** null: round the clock (24x7). */
    calendar_id?: Id | null;
}

export interface SlaPolicyPatch {
    targets: SlaTargetPatch[];
    /** When the new version takes effect (default now; not in the past). */
    valid_from?: Instant;
}

// ---- watchers and saved views ----

export interface Watcher {
    user_id: Id;
    login: string;
    display_name: string;
    added_at: Instant | null;
}

/** A list's filters saved under a name: one's own, or shared by an admin or manager. */
export interface SavedView {
    id: Id;
    owner_id: Id;
    owner_login: string;
    collection: RecordCollection;
    name: string;
    /** The list's URL query string, without `?`. */
    query: string;
    shared: boolean;
    created_at: Instant;
}

export interface SavedViewCreate {
    collection: RecordCollection;
    name: string;
    query: string;
    /** admin and manager only. */
    shared?: boolean;
}

// ---- support time on issues (ISS-2) ----

export interface TimeEntry {
    id: Id;
    record_id: Id;
    record_key: string;
    title: string;
    user_login: string;
    work_date: CivilDate;
    minutes: number;
    note: string;
}

export interface TimeEntryCreate {
    work_date: CivilDate;
    /** 1–1440. */
    minutes: number;
    note?: string;
}

// ---- monitoring, alerts, notifications, planned stops, availability ----

/**
 * Checks over the network (connect, HTTP, a site's links, certificates, DNS, NTP, ping, protocol greetings), a
 * passive heartbeat, checks of the host unyo runs on, Nagios plugins (admins only) and log lines.
 */
export type MonitorType =
    | 'tcp'
    | 'http'
    | 'links'
    | 'tls_cert'
    | 'dns'
    | 'ntp'
    | 'icmp'
    | 'smtp'
    | 'ftp'
    | 'postgres'
    | 'mysql'
    | 'heartbeat'
    | 'cpu'
    | 'memory'
    | 'disk'
    | 'load'
    | 'net_traffic'
    | 'process'
    | 'command'
    | 'log';
export const MONITOR_TYPES: readonly MonitorType[] = [
    'tcp',
    'http',
    'links',
    'tls_cert',
    'dns',
    'ntp',
    'icmp',
    'smtp',
    'ftp',
    'postgres',
    'mysql',
    'heartbeat',
    'cpu',
    'memory',
    'disk',
    'load',
    'net_traffic',
    'process',
    'command',
    'log',
];

/** A monitor's hard state; `pending` until its first hard result. */
export type MonitorState = 'ok' | 'warning' | 'critical' | 'unknown' | 'unreachable' | 'pending';
export const MONITOR_STATES: readonly MonitorState[] = ['critical', 'warning', 'unknown', 'unreachable', 'pending', 'ok'];

/** DNS record types a dns monitor asks for (A unless given). */
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'PTR', 'SOA'] as const;
/** Syslog severities, most severe first; a log monitor takes the given one and everything more severe. */
export const SYSLOG_SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

/**
 * What a monitor checks (members by type; `?` optional):
 * tcp `{host, port}`; http `{url, expect_status?, keyword?, follow_redirects?, tls_verify?, ca_file?}`;
 * links `{url, depth?, max_pages?, tls_verify?, ca_file?}`; tls_cert `{host, port?, server_name?, tls_verify?, ca_file?}`; dns `{name, record_type?, server?,
 * port?, expect?}`; ntp, smtp, ftp, postgres, mysql `{host, port?}`; icmp `{host, count?}`; heartbeat,
 * cpu, memory, load `{}`; disk `{path}`; net_traffic `{interface?}`; process `{name?, pattern?, min?,
 * max?}`; command `{command, env?}`; log `{source?, path, pattern, exclude?, from_start?, host?, app?,
 * severity?}`.
 */
export interface MonitorTarget {
    host?: string;
    port?: number;
    /** `http://` or `https://`. */
    url?: string;
    /** 100–599. */
    expect_status?: number;
    keyword?: string;
    /** http: follow redirects (default true). */
    follow_redirects?: boolean;
    /** links: levels of links followed from `url`, 0–5 (default 1). */
    depth?: number;
    /** links: pages fetched at most, 1–1000 (default 50). */
    max_pages?: number;
    /** http, links, tls_cert: verify the certificate (default true). */
    tls_verify?: boolean;
    /** http, links, tls_cert: the absolute path of a CA bundle on the server. */
    ca_file?: string;
    /** tls_cert: the name the certificate must carry (default: host). */
    server_name?: string;
    /** dns: the record type (A unless given). */
    record_type?: (typeof DNS_RECORD_TYPES)[number];
    /** dns: the server asked (the host's resolver when absent). */
    server?: string;
    /** dns: a value the answer must contain. */
    expect?: string;
    /** icmp: echo requests per check, 1–10 (default 3). */
    count?: number;
    /** disk: an absolute path on the file system to measure; log: the log file's absolute path. */
    path?: string;
    /** net_traffic: one interface (every one but lo when absent). */
    interface?: string;
    /** process: the process name (dns: the name looked up), and/or a pattern in its command line (log: an RE2). */
    name?: string;
    pattern?: string;
    /** process: how many are expected (min default 1); critical outside. */
    min?: number;
    max?: number;
    /** command: the plugin's absolute path, then its arguments (admins only). */
    command?: string[];
    /** command: environment variables of the plugin. */
    env?: Record<string, string>;
    /** log: where lines come from (file unless given). */
    source?: 'file' | 'syslog';
    /** log: an RE2 of lines not counted. */
    exclude?: string;
    /** log: read the file from its beginning the first time. */
    from_start?: boolean;
    /** log (syslog): the sender's application name. */
    app?: string;
    /** log (syslog): the least severe severity taken. */
    severity?: (typeof SYSLOG_SEVERITIES)[number];
}

/** The engine's view of a monitor now. */
export interface MonitorStatus {
    monitor_id: Id;
    state: MonitorState;
    /** The last result's own state, before `retries` make it hard. */
    soft_state: Exclude<MonitorState, 'pending'>;
    /** Failing results in a row. */
    attempts: number;
    last_check_at: Instant | null;
    /** The measured value of the last check (http: response time in ms). */
    last_value: number | null;
    message: string;
}

export interface Monitor {
    id: Id;
    name: string;
    type: MonitorType;
    target: MonitorTarget;
    /** A grouping for the status board and availability (業務システム名); `''` for none. */
    service: string;
    interval_s: number;
    timeout_ms: number;
    /** Failing results in a row before the state is hard (1: at once). */
    retries: number;
    /** Thresholds of the measured value (http: response ms). */
    warning: number | null;
    critical: number | null;
    parent_ids: Id[];
    /** The severity of the incident an alert opens. */
    severity: Severity;
    enabled: boolean;
    created_at: Instant;
    updated_at: Instant;
    version: number;
    /** Present on GET (list and one); absent on the answers to POST and PATCH. null before the engine knows it. */
    status?: MonitorStatus | null;
}

export interface MonitorInput {
    name?: string;
    type?: MonitorType;
    target?: MonitorTarget;
    service?: string;
    /** 1–86400, default 60. */
    interval_s?: number;
    /** 100–120000 and not over the interval. */
    timeout_ms?: number;
    /** 1–10, default 3. */
    retries?: number;
    warning?: number | null;
    critical?: number | null;
    parent_ids?: Id[];
    severity?: Severity;
    enabled?: boolean;
}

export type MonitorCreate = MonitorInput & { name: string; type: MonitorType; target: MonitorTarget };

/** A hard state change of a monitor. */
export interface MonitorEvent {
    id: Id;
    monitor_id: Id;
    at: Instant;
    from: Exclude<MonitorState, 'pending'>;
    to: Exclude<MonitorState, 'pending'>;
    message: string;
}

export interface PeriodQuery {
    from?: Instant;
    to?: Instant;
}

/** The resolution of `GET /monitors/{id}/results`: every check, or buckets of a minute or an hour. */
export type ResultStep = 'raw' | '1m' | '1h';
/** `auto` (the default): the finest resolution still kept that gives at most about 2,000 points. */
export type ResultStepQuery = ResultStep | 'auto';

export interface RawResult {
    at: Instant;
    value: number | null;
    state: Exclude<MonitorState, 'pending'>;
}

/** One bucket of results; `state` is the worst in the bucket. */
export interface AggregateResult {
    at: Instant;
    min: number | null;
    max: number | null;
    avg: number | null;
    count: number;
    state: Exclude<MonitorState, 'pending'>;
}

export type MonitorResults =
    | { monitor_id: Id; step: 'raw'; from?: Instant; to?: Instant; items: RawResult[] }
    | { monitor_id: Id; step: '1m' | '1h'; from?: Instant; to?: Instant; items: AggregateResult[] };

export interface ResultQuery extends PeriodQuery {
    /** Default `auto`; raw over more than 31 days is refused (400 naming `step`). */
    step?: ResultStepQuery;
}

export type AlertStatus = 'open' | 'resolved';

/** An alert raised by a monitor's hard failure (it opens an incident unless suppressed). */
export interface MonitorAlert {
    id: Id;
    /** null for alerts from other signals (events, Alertmanager, the engine itself). */
    monitor_id: Id | null;
    /** The monitor's name (null with monitor_id null). Absent from servers before it came. */
    monitor_name?: string | null;
    /** monitoring, event, alertmanager, engine. */
    source: string;
    dedup_key: string;
    severity: Severity;
    status: AlertStatus;
    message: string;
    /** The first failing check. */
    detected_at: Instant;
    /** When the failure became hard. */
    opened_at: Instant;
    last_at: Instant;
    resolved_at: Instant | null;
    repeat_count: number;
    incident_id: Id | null;
    incident_key: string | null;
    /** Raised during a planned stop: kept, but opens nothing and tells no one. */
    suppressed: boolean;
    planned_stop_id: Id | null;
    acknowledged_by: string | null;
    acknowledged_at: Instant | null;
    ack_comment: string | null;
    /** When the acknowledgement lapses (null: never). Absent from servers before it came. */
    ack_expires_at?: Instant | null;
    /** Acknowledged and not lapsed. Absent from servers before expiries came (then: acknowledged_at set). */
    acknowledged?: boolean;
    first_notified_at: Instant | null;
    detect_to_notify_ms: number | null;
    /** The alert rule that decided its severity and channels (MON-7); null: none. Absent from older servers. */
    rule_id?: Id | null;
}

export interface AlertQuery extends PageQuery {
    status?: AlertStatus;
}

/** POST /events: a signal from another system, one open alert per `key`. */
export interface EventInput {
    key: string;
    title: string;
    /** Default firing. */
    status?: 'firing' | 'resolved';
    /** Default high. */
    severity?: Severity;
    service?: string;
    host?: string;
    source?: string;
    message?: string;
    detected_at?: Instant;
}

export interface AlertAcknowledge {
    comment?: string;
    /** When the acknowledgement lapses (in the future); sent only when given. */
    expires_at?: Instant;
}

export type ChannelType = 'smtp' | 'webhook';
/**
 * What a channel hears: alerts (operators: openings, escalations, recoveries, SLA warnings),
 * planned_stops (notices of approved stops and their cancellation), outages (users: a service down
 * for the channel's escalate_after_min, and back; told so only when alerts is not among its topics).
 */
export type ChannelTopic = 'alerts' | 'planned_stops' | 'outages';
export const CHANNEL_TOPICS: readonly ChannelTopic[] = ['alerts', 'planned_stops', 'outages'];
/** The topics of a channel created without any. */
export const DEFAULT_CHANNEL_TOPICS: readonly ChannelTopic[] = ['alerts', 'planned_stops'];
export type WebhookFormat = 'generic' | 'slack' | 'teams';
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['generic', 'slack', 'teams'];

interface ChannelBase {
    id: Id;
    name: string;
    enabled: boolean;
    /** Minutes after detection before this channel hears of an alert still open and unacknowledged; 0: at once. */
    escalate_after_min?: number;
    /** Absent from servers before topics came (then: every message but outage notices). */
    topics?: ChannelTopic[];
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

/** A mail channel; its password is never sent back (`password_set` says whether there is one). */
export interface SmtpChannel extends ChannelBase {
    type: 'smtp';
    host: string;
    port: number;
    from: string;
    to: string[];
    starttls: boolean;
    username?: string;
    password_set: boolean;
}

export interface WebhookChannel extends ChannelBase {
    type: 'webhook';
    url: string;
    format: WebhookFormat;
}

export type NotificationChannel = SmtpChannel | WebhookChannel;

export interface ChannelInput {
    name?: string;
    enabled?: boolean;
    /** 0–1440, default 0 (told at once). */
    escalate_after_min?: number;
    /** At least one; default alerts and planned_stops (422 naming `topics` when empty or unknown). */
    topics?: ChannelTopic[];
    host?: string;
    port?: number;
    from?: string;
    to?: string[];
    starttls?: boolean;
    username?: string;
    password?: string;
    url?: string;
    format?: WebhookFormat;
}

export type ChannelCreate = ChannelInput & { name: string; type: ChannelType };

/** Where an alert came from, as an alert rule matches it. */
export type AlertRuleSource = 'monitoring' | 'event' | 'alertmanager' | 'engine';
export const ALERT_RULE_SOURCES: readonly AlertRuleSource[] = ['monitoring', 'event', 'alertmanager', 'engine'];
export type AlertRuleState = 'critical' | 'warning' | 'unknown' | 'flapping';
export const ALERT_RULE_STATES: readonly AlertRuleState[] = ['critical', 'warning', 'unknown', 'flapping'];

/** What an alert must fit for a rule to apply: every member given must fit; an empty match fits all. */
export interface AlertRuleMatch {
    source?: AlertRuleSource | null;
    service?: string | null;
    monitor_type?: string | null;
    monitor_ids?: Id[] | null;
    states?: AlertRuleState[] | null;
    name_contains?: string | null;
}

/**
 * An alert rule (MON-7): the first enabled one (by position, then id) whose match fits an opening
 * alert sets its severity (null: kept) and the channels told (null: every channel of the alerts topic).
 */
export interface AlertRule {
    id: Id;
    name: string;
    position: number;
    match: AlertRuleMatch;
    severity: Severity | null;
    channel_ids: Id[] | null;
    enabled: boolean;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

/** At least one of severity and channel_ids (422 naming `severity` otherwise). PATCH replaces `match` whole. */
export interface AlertRuleInput {
    name?: string;
    /** 0–1000000, default 100. */
    position?: number;
    match?: AlertRuleMatch;
    severity?: Severity | null;
    channel_ids?: Id[] | null;
    enabled?: boolean;
}

export type AlertRuleCreate = AlertRuleInput & { name: string; match: AlertRuleMatch };

export type DeliveryStatus = 'pending' | 'sent' | 'expired';

/** One message of the outbox to one channel. */
export interface Delivery {
    id: Id;
    channel_id: Id;
    /** The channel's name. */
    channel: string;
    event_key: string;
    subject: string;
    status: DeliveryStatus;
    attempts: number;
    created_at: Instant;
    sent_at: Instant | null;
    last_error: string;
    /** The addresses of a personal message (to an assignee), else empty. Absent from older servers. */
    recipients?: string[];
}

export interface DeliveryQuery {
    /** One record's delivery log. */
    record_id?: Id;
    limit?: number;
}

/** inspection, preventive: regular (定期); security, function, external: ad hoc (臨時). */
export type PlannedStopKind = 'inspection' | 'preventive' | 'security' | 'function' | 'external';
export const PLANNED_STOP_KINDS: readonly PlannedStopKind[] = ['inspection', 'preventive', 'security', 'function', 'external'];
export type PlannedStopScope = 'all' | 'services' | 'monitors';

export interface PlannedStop {
    id: Id;
    kind: PlannedStopKind;
    /** The kind's Japanese words (定期点検, …). */
    kind_label: string;
    category: 'regular' | 'ad_hoc';
    title: string;
    reason: string;
    scope: PlannedStopScope;
    services: string[];
    monitor_ids: Id[];
    starts_at: Instant;
    ends_at: Instant;
    /** Why a stop less than 14 days ahead could not be announced in time (SLM-2). */
    short_notice_reason: string | null;
    approved_by: string | null;
    approved_at: Instant | null;
    created_by: string;
    created_at: Instant;
    version: number;
}

export interface PlannedStopCreate {
    kind: PlannedStopKind;
    title: string;
    reason?: string;
    scope?: PlannedStopScope;
    services?: string[];
    monitor_ids?: Id[];
    starts_at: Instant;
    ends_at: Instant;
    short_notice_reason?: string;
}

/** Any create member; a new time or scope clears the approval (approved and announced again). */
export type PlannedStopPatch = Partial<PlannedStopCreate>;

export interface AvailabilityQuery extends PeriodQuery {
    monitor_id?: Id;
    service?: string;
    /** A ratio between 0 and 1, default 0.999. */
    target?: number;
}

/** The figures of a period, planned stops left out. */
export interface AvailabilityFigures {
    from: Instant;
    to: Instant;
    up_ms: number;
    down_ms: number;
    unknown_ms: number;
    excluded_ms: number;
    /** up ÷ (up + down), 0–1; null when nothing was measured (older servers said 1). */
    availability: number | null;
    target: number;
    budget_ms: number;
    remaining_budget_ms: number;
}

/** A monitor's availability over a period, counted from its creation when later than `from`. */
export interface Availability extends AvailabilityFigures {
    monitor_id: Id;
    name: string;
    service: string;
    planned_stop_ids: Id[];
}

/**
 * A service as one timeline: down while any of its monitors is down, excluded while all are under
 * planned stops (or did not exist yet).
 */
export interface ServiceAvailability extends AvailabilityFigures {
    name: string;
    /** How many monitors it has. */
    monitors: number;
}

/** The answer of GET /availability: `service` when asked by service (absent from older servers). */
export interface AvailabilityPage extends Page<Availability> {
    service?: ServiceAvailability;
}

// ---- jobnets: batch job DAGs on business calendars (docs/jobs.md) ----

export type JobnetDayRuleKind =
    | 'every_open_day'
    | 'weekdays'
    | 'nth_open_day'
    | 'last_open_day'
    | 'nth_day_from_end'
    | 'dates'
    | 'yearly'
    | 'cron';
export const JOBNET_DAY_RULES: readonly JobnetDayRuleKind[] = [
    'every_open_day',
    'weekdays',
    'nth_open_day',
    'last_open_day',
    'nth_day_from_end',
    'dates',
    'yearly',
    'cron',
];

/** What happens when the day a rule chose is closed. */
export type JobnetShift = 'earlier' | 'later' | 'cancel' | 'run';
export const JOBNET_SHIFTS: readonly JobnetShift[] = ['earlier', 'later', 'cancel', 'run'];

/** The days a schedule chooses; the members beside `rule` only for the rules that use them. */
export interface JobnetDayRule {
    rule: JobnetDayRuleKind;
    /** `weekdays`: 0 (Sunday) to 6 (Saturday). */
    weekdays?: number[];
    /** `nth_open_day`, `nth_day_from_end`: 1–31. */
    n?: number;
    /** `dates`. */
    dates?: CivilDate[];
    /** `yearly`: `MM-DD`. */
    month_days?: string[];
    /** `cron`: five fields, days and times both. */
    cron?: string;
}

export interface JobnetSchedule {
    days: JobnetDayRule;
    /** `HH:MM`; none for a cron rule. */
    start_times?: string[];
    /** The business day's boundary, `HH:MM` (a start before it belongs to the day before). */
    base_time?: string;
    shift?: JobnetShift;
    max_shift_days?: number;
    /** The batch window (JOB-3): every start falls in it. */
    window?: { from: string; to: string };
}

/** Clock times (処理時限, JOB-4): the first such instant at or after the run's planned start. */
export interface JobnetDeadlines {
    start_by?: string | null;
    end_by?: string | null;
}

export type JobnetRecoveryPolicy = 'none' | 'next_run' | 'immediate';
export const JOBNET_RECOVERY_POLICIES: readonly JobnetRecoveryPolicy[] = ['none', 'next_run', 'immediate'];

export interface JobnetRecovery {
    policy: JobnetRecoveryPolicy;
    limit_min?: number;
}

/** The job types a jobnet's definition takes (docs/jobs.md; `file_transfer` is refused until it is supported). */
export const JOB_TYPES = [
    'command',
    'backup',
    'restore_drill',
    'report',
    'http',
    'file_wait',
    'approval',
    'judge',
    'jobnet',
    'file_transfer',
] as const;
export type JobType = (typeof JOB_TYPES)[number];

/** A judge's condition on an earlier job (every one given must hold) and the jobs run when it does not. */
export interface JobJudge {
    /** The job judged: one of those this judge waits for (`after`). */
    job: string;
    exit_codes?: number[];
    output_contains?: string;
    /** RE2. */
    output_matches?: string;
    /** Jobs (waiting for the judge) that run only when the condition does not hold. */
    else?: string[];
}

/**
 * One job of a jobnet's definition (the console types the members of `command`, `approval`,
 * `judge`, `jobnet` and `report`; the other types' members are checked by the server).
 */
export interface JobDefinition {
    key: string;
    name?: string;
    type: JobType | string;
    /** argv, run without a shell. */
    command?: string[];
    env?: Record<string, string>;
    workdir?: string;
    timeout_s?: number;
    retries?: number;
    retry_delay_s?: number;
    /** Exit codes that count as success (default [0]). */
    success_codes?: number[];
    /** Keys that must end first (succeeded, skipped, forced or bypassed). */
    after?: string[];
    /** `approval`: what the approver decides (JOB-6). */
    approval?: { message: string };
    /** `judge`: no process; its exit code is 0 when the condition holds, 1 when not. */
    judge?: JobJudge;
    /** `jobnet`: another jobnet whose jobs are copied into each run as `KEY/…`. */
    jobnet?: { name: string };
    /**
     * `report`: the operation report of the period just ended, saved in `var/reports` (default html
     * and xlsx); with `mail`, its summary mailed to the report settings' recipients.
     */
    report?: { kind: ReportKind; formats?: ReportFormat[]; mail?: boolean };
}

export type JobnetRunStatus = 'waiting' | 'running' | 'succeeded' | 'failed' | 'killed' | 'missed';
export const JOBNET_RUN_STATUSES: readonly JobnetRunStatus[] = ['waiting', 'running', 'succeeded', 'failed', 'killed', 'missed'];

export type JobnetRunTrigger = 'schedule' | 'manual' | 'recovery';

export type JobStatus =
    | 'pending'
    | 'running'
    | 'retrying'
    | 'succeeded'
    | 'failed'
    | 'killed'
    | 'skipped'
    | 'forced'
    | 'waiting_approval'
    | 'bypassed'
    | 'lost';

/** A job of a run: its definition as copied into the run, and how it went. */
export interface JobnetRunJob {
    key: string;
    name: string;
    type: string;
    after: string[];
    status: JobStatus;
    attempt: number;
    started_at: Instant | null;
    ended_at: Instant | null;
    exit_code: number | null;
    /** stdout and stderr together, the first 64 KiB. */
    output: string;
    output_truncated: boolean;
    next_attempt_at: Instant | null;
    held: boolean;
    /** An approval job's `approval.message`: what the approver decides. */
    approval_message?: string;
}

export type JobnetRunEventKind =
    | 'created'
    | 'started'
    | 'job_started'
    | 'job_waiting'
    | 'job_judged'
    | 'job_bypassed'
    | 'job_succeeded'
    | 'job_failed'
    | 'job_retry'
    | 'job_killed'
    | 'job_lost'
    | 'reconciled'
    | 'recovery'
    | 'missed'
    | 'action'
    | 'deadline'
    | 'finished';

export interface JobnetRunEvent {
    at: Instant;
    job: string | null;
    kind: JobnetRunEventKind | string;
    message: string;
    actor: string | null;
}

/** One execution of a jobnet; `jobs` and `events` come with the single run only. */
export interface JobnetRun {
    id: Id;
    jobnet_id: Id;
    jobnet_name: string;
    trigger: JobnetRunTrigger;
    status: JobnetRunStatus;
    planned_at: Instant | null;
    business_day: CivilDate | null;
    created_at: Instant;
    started_at: Instant | null;
    ended_at: Instant | null;
    created_by: string | null;
    params: Record<string, string>;
    start_deadline_at: Instant | null;
    end_deadline_at: Instant | null;
    start_late: boolean;
    end_late: boolean;
    held: boolean;
    jobs?: JobnetRunJob[];
    events?: JobnetRunEvent[];
}

export type JobnetRunDetail = JobnetRun & { jobs: JobnetRunJob[]; events: JobnetRunEvent[] };

export interface Jobnet {
    id: Id;
    name: string;
    description: string;
    service: string;
    calendar_id: Id | null;
    enabled: boolean;
    severity: Severity;
    schedule: JobnetSchedule | null;
    deadlines: JobnetDeadlines | null;
    recovery: JobnetRecovery;
    allow_overlap: boolean;
    max_parallel: number;
    heartbeat_monitor_id: Id | null;
    jobs: JobDefinition[];
    /** The next planned start; null without a schedule (or none ahead). */
    next_start_at: Instant | null;
    /** The newest run in short (null: never run); absent where the server leaves it out. */
    last_run?: Pick<JobnetRun, 'id' | 'status' | 'planned_at'> | null;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

export interface JobnetInput {
    name?: string;
    description?: string;
    service?: string;
    calendar_id?: Id | null;
    enabled?: boolean;
    severity?: Severity;
    schedule?: JobnetSchedule | null;
    deadlines?: JobnetDeadlines | null;
    recovery?: JobnetRecovery;
    allow_overlap?: boolean;
    max_parallel?: number;
    heartbeat_monitor_id?: Id | null;
    jobs?: JobDefinition[];
}

export type JobnetCreate = JobnetInput & { name: string; jobs: JobDefinition[] };

/**
 * What `POST /jobnets/import` did (or, with `dry_run`, would do): the file's jobnets matched by name,
 * counted as created, updated or left as they were.
 */
export interface JobnetImportSummary {
    dry_run: boolean;
    created: number;
    updated: number;
    unchanged: number;
}

/** A planned start: its instant and business day, and the day the rule chose when it was shifted. */
export interface JobnetPlannedStart {
    start_at: Instant;
    business_day: CivilDate;
    shifted_from?: CivilDate | null;
}

/** RFC 3339 or `YYYY-MM-DD`; at most two years; default the next 31 days. */
export interface JobnetScheduleQuery {
    from?: string;
    to?: string;
}

export interface JobnetRunQuery extends PageQuery {
    jobnet_id?: Id;
    status?: JobnetRunStatus;
    from?: string;
    to?: string;
}

export type JobnetRunAction =
    | 'rerun_failed'
    | 'rerun_job'
    | 'rerun_all'
    | 'skip'
    | 'force_complete'
    | 'hold'
    | 'release'
    | 'kill'
    | 'approve'
    | 'reject';

export interface JobnetRunActionInput {
    action: JobnetRunAction;
    /** The job's key, for the job actions. */
    job?: string;
    comment?: string;
}

// ---- unyo's own backups (docs/operations.md, Backups and restore) ----

/** One generation of unyo's own backup (`backups/unyo-….tar.zst` with its manifest). */
export interface BackupGeneration {
    /** The archive's file name: the `{file}` of the generation's paths. */
    file: string;
    name: string;
    created_at: Instant;
    /** How many files the archive holds, and their bytes. */
    files: number;
    bytes: number;
    archive_bytes: number;
    archive_sha256: string;
}

/** What re-reading a generation found: every checksum right, or a line per mismatch. */
export interface BackupVerification {
    file: string;
    ok: boolean;
    files: number;
    bytes: number;
    problems: string[];
}

/** A restore drill (a failed one is recorded too): RTO evidence in `duration_ms`, RPO in `data_age_ms`. */
export interface BackupDrill {
    id: Id;
    archive: string;
    backup_name: string;
    generation_at: Instant;
    started_at: Instant;
    duration_ms: number;
    /** How old the generation's data was when the drill ran. */
    data_age_ms: number;
    ok: boolean;
    files: number;
    bytes: number;
    message: string;
    actor: string;
}

/** Where to restore a generation (admin): an absolute directory outside the server's data directory. */
export interface BackupRestoreInput {
    target: string;
    /** Restore into a directory that is not empty (default false: 409 then). */
    overwrite?: boolean;
}

/** A restore done: the generation, where it went, how many files and bytes were written. */
export interface BackupRestore {
    file: string;
    target: string;
    files: number;
    bytes: number;
}

// ---- the operation calendar (docs/jobs.md, Operation calendar) ----

export type OpsEventKind = 'maintenance' | 'inspection' | 'power_outage' | 'patch' | 'meeting' | 'other';
export const OPS_EVENT_KINDS: readonly OpsEventKind[] = ['maintenance', 'inspection', 'power_outage', 'patch', 'meeting', 'other'];

/** How an event recurs: on the days of a day rule, `from` to `to` (to ≤ from: the next morning). */
export interface OpsRecurrence {
    days: JobnetDayRule;
    /** `HH:MM`; 18:00 and 08:00 when left out. */
    from?: string;
    to?: string;
    /** The last day it may recur, `YYYY-MM-DD`. */
    until?: CivilDate;
}

/** An event of the operation plan: once (`starts_at`–`ends_at`) or recurring from `starts_at` on. */
export interface OpsEvent {
    id: Id;
    kind: OpsEventKind;
    title: string;
    note: string;
    service: string;
    starts_at: Instant;
    /** Null for a recurring event. */
    ends_at: Instant | null;
    recurrence: OpsRecurrence | null;
    /** The business calendar of the day rule; null: the server's default. */
    calendar_id: Id | null;
    created_by: string;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

/** A `maintenance` event without `ends_at` or `recurrence` recurs on the last business day 18:00–08:00. */
export interface OpsEventInput {
    kind?: OpsEventKind;
    title?: string;
    note?: string;
    service?: string;
    starts_at?: Instant;
    ends_at?: Instant;
    recurrence?: OpsRecurrence | null;
    calendar_id?: Id | null;
}

export type OpsEventCreate = OpsEventInput & { kind: OpsEventKind; title: string; starts_at: Instant };

export type OpsCalendarSource = 'event' | 'planned_stop' | 'jobnet';

/** One thing planned: an event's occurrence, a planned stop or a jobnet start (until its end deadline). */
export interface OpsCalendarItem {
    uid: string;
    source: OpsCalendarSource;
    /** The event's or the stop's kind; `jobnet` for a jobnet. */
    kind: string;
    /** The kind in Japanese (保守作業, 計画停止, ジョブネット, …). */
    kind_label: string;
    title: string;
    note: string;
    service: string;
    starts_at: Instant;
    ends_at: Instant;
    /** The event's, the stop's or the jobnet's id. */
    ref_id: Id;
}

/** A new secret for the iCalendar feed; `path` (with the token) is shown once. */
export interface OpsFeedToken {
    token: string;
    path: string;
}

// ---- role division matrices (docs/raci.md, issue 7: ORG-2) ----

/** A cell's role: the organisation does the work (作業主体) or helps (作業協力・作業支援). */
export type RaciRole = 'main' | 'support';

/**
 * How the pasted or uploaded table is read: text copied from a document (tab-separated cells), CSV,
 * or an XLSX workbook (its first sheet).
 */
export type RaciImportFormat = 'text' | 'csv' | 'xlsx';

/** A matrix as a file: tab-separated, CSV or XLSX, laid out as the documents print it. */
export type RaciFileFormat = 'tsv' | 'csv' | 'xlsx';

/** An organisation's column: its name as printed, and the unyo organisation it stands for (if any). */
export interface RaciColumn {
    /** 0 for the first organisation's column. */
    position: number;
    name: string;
    organization_id: Id | null;
}

/** A matrix as listed (without its items). */
export interface RaciMatrix {
    id: Id;
    name: string;
    /** The mark of 作業主体 in the document's legend (○, ●, …). */
    main_mark: string;
    /** The mark of 作業協力 / 作業支援 (△, ○, …). */
    support_mark: string;
    /** True when the table has 大項目/中項目 columns (then `path` holds them and there are no heading rows). */
    levels: boolean;
    columns: RaciColumn[];
    item_count: number;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

/** A row of the table: a work item, or a heading (`section`) that the rows after it are below. */
export interface RaciItem {
    id: Id;
    /** The row's place in the table, from 0. */
    position: number;
    /** 項番 as printed. */
    seq: number;
    /** The headings above the row, outermost first. */
    path: string[];
    title: string;
    content: string;
    cycle: string;
    note: string;
    /** A heading row: no roles. */
    section: boolean;
    /** Column position (as a string) → role; empty cells are left out. */
    cells: Record<string, RaciRole>;
}

/** One matrix with its rows (`GET /raci/{id}`, and the answer of every change). */
export interface RaciMatrixDetail extends RaciMatrix {
    items: RaciItem[];
}

/** What an import read (and, unless a dry run, stored). */
export interface RaciImport {
    dry_run: boolean;
    matrix: RaciMatrixDetail;
    /** The repairs the reader made, in Japanese (項番 N: …). */
    warnings: string[];
    /** Organisations made for columns no organisation was named like (would be, on a dry run). */
    organizations_created: string[];
    /** Columns left without an organisation (when they are not made). */
    unmatched: string[];
}

export interface RaciImportOptions {
    /** The matrix's name (1–200 characters; 409 when taken). */
    name: string;
    /** `text` (the default, not sent), `csv` or `xlsx`. */
    format?: RaciImportFormat;
    /** Only read the table and say what importing would do. */
    dryRun?: boolean;
    /** Make the organisations the columns name when none has that name. */
    createOrganizations?: boolean;
}

/** One cell set (`role`) or emptied (`role: null`). */
export interface RaciCellInput {
    item_id: Id;
    column: number;
    role: RaciRole | null;
}

// ---- configuration items (docs/cis.md) ----

export const CI_TYPES = [
    'application',
    'software',
    'middleware',
    'licence',
    'hardware',
    'network',
    'facility',
    'managed_service',
    'environment',
    'terminal',
    'vdi',
    'printer',
] as const;
export type CiType = (typeof CI_TYPES)[number];

export const CI_ENVIRONMENTS = ['production', 'staging', 'integration', 'development'] as const;
export type CiEnvironment = (typeof CI_ENVIRONMENTS)[number];

export const CI_RELATION_KINDS = ['runs_on', 'depends_on', 'connects_to', 'part_of'] as const;
export type CiRelationKind = (typeof CI_RELATION_KINDS)[number];

export type CiMilestoneKind = 'end_of_sales' | 'end_of_support' | 'end_of_life' | 'licence_expiry';

export interface ConfigurationItem {
    id: Id;
    name: string;
    type: CiType;
    version: string;
    environment: CiEnvironment;
    organization_id: Id | null;
    attributes: Record<string, string>;
    released_on: CivilDate | null;
    end_of_sales: CivilDate | null;
    end_of_support: CivilDate | null;
    end_of_life: CivilDate | null;
    licence_count: number | null;
    licence_expiry: CivilDate | null;
    note: string;
    created_at: Instant;
    updated_at: Instant;
    version_no: number;
}

/** What a new item is made of (everything but the name and type may be left out). */
export interface CiCreate {
    name: string;
    type: CiType;
    version?: string;
    environment?: CiEnvironment;
    organization_id?: Id | null;
    attributes?: Record<string, string>;
    released_on?: CivilDate | null;
    end_of_sales?: CivilDate | null;
    end_of_support?: CivilDate | null;
    end_of_life?: CivilDate | null;
    licence_count?: number | null;
    licence_expiry?: CivilDate | null;
    note?: string;
}

export interface CiRelation {
    from_id: Id;
    to_id: Id;
    kind: CiRelationKind;
}

export interface CiImpact {
    ci_id: Id;
    ci_name: string;
    via: CiRelationKind;
    depth: number;
}

export interface CiMilestone {
    ci_id: Id;
    ci_name: string;
    milestone: CiMilestoneKind;
    date: CivilDate;
    /** Negative once passed. */
    days_left: number;
}

// ---- procedures with approval gates (docs/procedures.md) ----

export interface ProcedureGate {
    role: 'manager' | 'admin';
    organization_id?: Id | null;
    organization_kind?: string;
}

/**
 * What a step cannot be done without: a comment, a succeeded jobnet run, a backup (a succeeded
 * jobnet run with a backup job, or a restore drill that passed), or an attachment of the run's record.
 */
export type ProcedureEvidence = 'none' | 'comment' | 'job_run' | 'backup' | 'attachment';

export interface ProcedureStepDef {
    key: string;
    title: string;
    responsible?: string;
    organization_id?: Id | null;
    gate?: ProcedureGate | null;
    evidence?: ProcedureEvidence;
    /** A work item of a role division matrix: the step goes to its main organisation when a run starts. */
    work_item_id?: Id | null;
}

/** The proof kept on a done step: the jobnet run, the restore drill or the attachment given. */
export type ProcedureProof =
    | { job_run_id: Id; jobnet: string; ended_at: Instant | null }
    | { drill_id: Id; backup_name: string; duration_ms: number; data_age_ms: number; at: Instant }
    | { attachment_id: Id; file_name: string; sha256: string };

/** The proof given with `complete` (one member, as the step's evidence asks). */
export interface ProcedureEvidenceInput {
    job_run_id?: Id;
    drill_id?: Id;
    attachment_id?: Id;
}

export interface ProcedureStepInput {
    action: ProcedureAction;
    comment?: string;
    evidence?: ProcedureEvidenceInput;
}

export interface ProcedureTemplate {
    id: Id;
    name: string;
    kind: string;
    description: string;
    steps: ProcedureStepDef[];
}

export type ProcedureRunStatus = 'running' | 'completed' | 'stopped';
export type ProcedureStepStatus = 'pending' | 'done' | 'approved' | 'rejected';

export interface ProcedureRunStep extends ProcedureStepDef {
    status: ProcedureStepStatus;
    by: string | null;
    at: Instant | null;
    comment: string | null;
    proof?: ProcedureProof | null;
}

export interface ProcedureRun {
    id: Id;
    template_id: Id;
    name: string;
    status: ProcedureRunStatus;
    record_id: Id | null;
    next_step: string | null;
    waiting_for_approval: boolean;
    steps: ProcedureRunStep[];
    created_by: string;
    stop_reason: string | null;
    created_at: Instant;
    updated_at: Instant;
    ended_at: Instant | null;
    version: number;
}

export type ProcedureAction = 'complete' | 'approve' | 'reject';

// ---- service catalogue (docs/catalog.md) ----

export type CatalogFieldType = 'text' | 'long_text' | 'date' | 'enum';

/** One field of a service's request form. */
export interface CatalogFormField {
    name: string;
    label: string;
    type: CatalogFieldType;
    options?: string[];
    required?: boolean;
}

export const REQUEST_TYPES = [
    'printer',
    'terminal',
    'link_change',
    'data_maintenance',
    'network',
    'parameter',
    'account',
    'batch',
    'other',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export interface CatalogService {
    id: Id;
    name: string;
    description: string;
    request_type: string;
    requester_roles: Role[];
    work_item_id: Id | null;
    lead_time_days: number;
    form: CatalogFormField[];
    enabled: boolean;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

export interface CatalogServiceCreate {
    name: string;
    description?: string;
    request_type?: string;
    requester_roles?: Role[];
    work_item_id?: Id | null;
    lead_time_days?: number;
    form?: CatalogFormField[];
    enabled?: boolean;
}

export interface CatalogRequestInput {
    title?: string;
    answers: Record<string, string>;
}

// ---- knowledge base (docs/knowledge.md) ----

export type KnowledgeKind = 'faq' | 'runbook' | 'workaround';
export const KNOWLEDGE_KINDS: readonly KnowledgeKind[] = ['faq', 'runbook', 'workaround'];
export type KnowledgeStatus = 'published' | 'pending_approval' | 'rejected';
export type KnowledgeAction = 'approve' | 'reject' | 'reviewed';

/** A record an entry is linked to; `applied`: an incident applied this workaround (INC-6). */
export interface KnowledgeLink {
    record_id: Id;
    key: string;
    kind: string;
    title: string;
    applied: boolean;
    by: string;
    at: Instant;
}

export interface KnowledgeEntry {
    id: Id;
    kind: KnowledgeKind;
    title: string;
    body: string;
    tags: string[];
    owner_id: Id | null;
    review_on: string;
    stale: boolean;
    status: KnowledgeStatus;
    approved_by: Id | null;
    approved_at: Instant | null;
    created_by: Id | null;
    created_at: Instant;
    updated_at: Instant;
    version: number;
    /** The records it is linked to (on one entry). */
    links?: KnowledgeLink[];
}

/** Links an entry to an incident, problem or inquiry; `applied` (incidents, approved workarounds). */
export interface KnowledgeLinkInput {
    record_id: Id;
    applied?: boolean;
}

export interface KnowledgeCreate {
    kind: KnowledgeKind;
    title: string;
    body: string;
    tags?: string[];
    owner_id?: Id;
    review_on?: string;
}

export interface KnowledgeQuery {
    q?: string;
    kind?: KnowledgeKind;
    stale?: boolean;
    /** The entries linked to this record. */
    record_id?: Id;
}

// ---- documents register (docs/documents.md) ----

export interface DocumentVersion {
    id: Id;
    label: string;
    note: string;
    created_by: Id | null;
    created_at: Instant;
}

export interface RegisteredDocument {
    id: Id;
    name: string;
    kind: string;
    owner_organization_id: Id | null;
    review_cycle_months: number;
    note: string;
    created_at: Instant;
    updated_at: Instant;
    version: number;
    versions: number;
    last_version_at: Instant | null;
    review_due_on: string;
    review_due: boolean;
    version_list?: DocumentVersion[];
}

export interface DocumentCreate {
    name: string;
    kind?: string;
    owner_organization_id?: Id;
    review_cycle_months?: number;
    note?: string;
}

// ---- integration partners (docs/partners.md) ----

export const PARTNER_DIRECTIONS = ['send', 'receive', 'both'] as const;
export type PartnerDirection = (typeof PARTNER_DIRECTIONS)[number];
export const PARTNER_ROUTES = ['data_platform', 'direct', 'media', 'other'] as const;
export type PartnerRoute = (typeof PARTNER_ROUTES)[number];
export const PARTNER_RESENDS = ['required', 'not_required', 'ask'] as const;
export type PartnerResend = (typeof PARTNER_RESENDS)[number];

export interface PartnerContact {
    name: string;
    role: string;
    email: string;
    phone: string;
}

export interface Partner {
    id: Id;
    name: string;
    department: string;
    vendor: string;
    /** Our configuration item that exchanges the data, or null. */
    ci_id: Id | null;
    direction: PartnerDirection;
    timing: string;
    cycle: string;
    protocol: string;
    route: PartnerRoute;
    /** Same-day resend when a transfer fails; `resend_note` says how. */
    resend: PartnerResend;
    resend_note: string;
    contacts: PartnerContact[];
    /** Told of incidents affecting `ci_id` (INC-11). */
    inform: boolean;
    note: string;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

/** What a partner is made of (everything but the name may be left out); a PATCH sends some. */
export interface PartnerInput {
    name: string;
    department?: string;
    vendor?: string;
    ci_id?: Id | null;
    direction?: PartnerDirection;
    timing?: string;
    cycle?: string;
    protocol?: string;
    route?: PartnerRoute;
    resend?: PartnerResend;
    resend_note?: string;
    /** Up to 20. */
    contacts?: Partial<PartnerContact>[];
    inform?: boolean;
    note?: string;
}

// ---- security advisories (docs/advisories.md) ----

export const ADVISORY_SOURCES = ['vendor', 'ipa', 'jpcert', 'jvn', 'nvd', 'other'] as const;
export type AdvisorySource = (typeof ADVISORY_SOURCES)[number];
export const ADVISORY_SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
export type AdvisorySeverity = (typeof ADVISORY_SEVERITIES)[number];
export const ADVISORY_STATUSES = ['open', 'not_affected', 'patching', 'patched', 'accepted'] as const;
export type AdvisoryStatus = (typeof ADVISORY_STATUSES)[number];
/** How a configuration item stands to an advisory: in a range, out of every range, or to be checked. */
export type AdvisoryVerdict = 'affected' | 'unknown' | 'not_affected';

export interface AdvisoryProduct {
    vendor?: string;
    name: string;
    cpe?: string;
    /** The affected ranges as written (`2.4.0 から 2.4.61`, `< 5.8`). */
    versions?: string[];
}

/** A configuration item an advisory names, with its verdict. */
export interface AdvisoryMatch {
    ci_id: Id;
    ci_name: string;
    ci_version: string;
    product: string;
    verdict: AdvisoryVerdict;
}

export interface Advisory {
    /** 0 in a dry run's answer (not stored). */
    id: Id;
    source: AdvisorySource;
    ref: string;
    title: string;
    summary: string;
    url: string;
    severity: AdvisorySeverity;
    /** The base score as written, or ''. */
    cvss: string;
    published_on: CivilDate | null;
    products: AdvisoryProduct[];
    cves: string[];
    status: AdvisoryStatus;
    note: string;
    procedure_run_id: Id | null;
    /** The patch procedure run; its `status` completed makes the advisory `patched`. */
    procedure: { id: Id; name: string; status: ProcedureRunStatus } | null;
    affected_count: number;
    unknown_count: number;
    /** On one advisory: the items it names, affected first. */
    matches?: AdvisoryMatch[];
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

export interface AdvisoryQuery {
    status?: AdvisoryStatus;
    /** Only those naming an affected or unknown item. */
    affected?: boolean;
}

export interface AdvisoryPatch {
    status?: AdvisoryStatus;
    note?: string;
}

/** The answer to reading a file: what it created, refreshed, or found as stored. */
export interface AdvisoryImport {
    dry_run: boolean;
    created: number;
    updated: number;
    unchanged: number;
    advisories: Advisory[];
}

// ---- the handover ledger of confidential data and media (docs/handovers.md) ----

export const HANDOVER_DIRECTIONS = ['out', 'in'] as const;
export type HandoverDirection = (typeof HANDOVER_DIRECTIONS)[number];
export const HANDOVER_CLASSIFICATIONS = ['personal', 'confidential', 'personal_confidential'] as const;
export type HandoverClassification = (typeof HANDOVER_CLASSIFICATIONS)[number];
export const HANDOVER_DISPOSITIONS = ['returned', 'erased', 'destroyed'] as const;
export type HandoverDisposition = (typeof HANDOVER_DISPOSITIONS)[number];

export interface Handover {
    id: Id;
    handed_on: CivilDate;
    /** `out` 持出・提供, `in` 受領. */
    direction: HandoverDirection;
    classification: HandoverClassification;
    content: string;
    means: string;
    medium_id: string;
    from_person: string;
    from_organization: string;
    to_person: string;
    to_organization: string;
    /** Who gave the prior consent (事前承諾者). */
    approved_by: string;
    due_back_on: CivilDate | null;
    returned_on: CivilDate | null;
    return_received_by: string;
    /** '' until returned. */
    disposition: HandoverDisposition | '';
    return_note: string;
    note: string;
    /** It has a return date and has not come back. */
    outstanding: boolean;
    /** Outstanding past `due_back_on` (Japan time). */
    overdue: boolean;
    created_by: string;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

/** A new entry (content, means, from_person, to_person, approved_by and handed_on required); a PATCH sends some. */
export interface HandoverInput {
    handed_on: CivilDate;
    direction?: HandoverDirection;
    classification?: HandoverClassification;
    content: string;
    means: string;
    medium_id?: string;
    from_person: string;
    from_organization?: string;
    to_person: string;
    to_organization?: string;
    approved_by: string;
    due_back_on?: CivilDate | null;
    note?: string;
}

export interface HandoverReturn {
    returned_on: CivilDate;
    received_by: string;
    disposition?: HandoverDisposition;
    note?: string;
}

export interface HandoverQuery {
    outstanding?: boolean;
    overdue?: boolean;
}

// ---- accounts on the managed systems (docs/managed-accounts.md) ----

export const MANAGED_ACCOUNT_PRIVILEGES = ['privileged', 'general', 'service'] as const;
export type ManagedAccountPrivilege = (typeof MANAGED_ACCOUNT_PRIVILEGES)[number];
export const MANAGED_ACCOUNT_STATUSES = ['active', 'disabled', 'deleted'] as const;
export type ManagedAccountStatus = (typeof MANAGED_ACCOUNT_STATUSES)[number];

export interface ManagedAccount {
    id: Id;
    /** The system (a configuration item). */
    ci_id: Id;
    ci_name: string;
    /** The login on that system; unique per system. */
    account: string;
    holder: string;
    /** The holder's unyo user, when there is one (a disabled one makes the account a leaver's). */
    holder_user_id: Id | null;
    organization_id: Id | null;
    privilege: ManagedAccountPrivilege;
    status: ManagedAccountStatus;
    last_used_on: CivilDate | null;
    /** The holder's leaving or transfer date. */
    leaves_on: CivilDate | null;
    last_reviewed_on: CivilDate | null;
    last_reviewed_by: string;
    /** Active and not used within 90 days (or `dormant_days`). */
    dormant: boolean;
    /** Active and its holder has left. */
    leaver: boolean;
    /** Active and not reviewed within 183 days. */
    review_due: boolean;
    note: string;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

/** A new account (the system and the login required); a PATCH sends some. */
export interface ManagedAccountInput {
    ci_id: Id;
    account: string;
    holder?: string;
    holder_user_id?: Id | null;
    organization_id?: Id | null;
    privilege?: ManagedAccountPrivilege;
    status?: ManagedAccountStatus;
    last_used_on?: CivilDate | null;
    leaves_on?: CivilDate | null;
    note?: string;
}

export interface ManagedAccountQuery {
    ci_id?: Id;
    dormant?: boolean;
    /** With `dormant`: not used within this many days (default 90). */
    dormant_days?: number;
    leavers?: boolean;
    review_due?: boolean;
}

// ---- checklist runs: inventories and account reviews (docs/checklists.md) ----

/** The two kinds, by their path under /api/v1. */
export type ChecklistPath = 'inventories' | 'account-reviews';
export const INVENTORY_DECISIONS = ['confirmed', 'changed', 'missing'] as const;
export const REVIEW_DECISIONS = ['keep', 'disable', 'delete'] as const;
export type ChecklistDecision = (typeof INVENTORY_DECISIONS)[number] | (typeof REVIEW_DECISIONS)[number];

export interface ChecklistItem {
    /** The configuration item's or the account's id. */
    subject_id: Id;
    subject_name: string;
    /** What it was when the run began: an item's type, version, environment; an account's
     *  ci_name, holder, privilege, last_used_on, dormant, leaver. */
    detail: Record<string, unknown>;
    decision: ChecklistDecision | 'pending';
    comment: string;
    decided_by: string;
    decided_at: Instant | null;
}

export interface ChecklistRun {
    id: Id;
    kind: 'inventory' | 'account_review';
    name: string;
    scope: { type?: string; environment?: string; ci_id?: Id };
    status: 'open' | 'closed';
    note: string;
    created_by: string;
    created_at: Instant;
    closed_by: string;
    closed_at: Instant | null;
    version: number;
    /** total, pending and one count per decision made. */
    counts: { total: number; pending: number } & Partial<Record<ChecklistDecision, number>>;
    /** On one run. */
    items?: ChecklistItem[];
}

export interface ChecklistStart {
    name: string;
    note?: string;
    /** Inventories: the items of one type, of one environment. */
    type?: string;
    environment?: string;
    /** Account reviews: the accounts of one system. */
    ci_id?: Id;
}

// ---- escalation routes: the 体制図 incidents follow (docs/escalation.md) ----

/** Someone outside unyo to tell: mailed when there is an address; the phone is for the call. */
export interface EscalationContact {
    name: string;
    role: string;
    email: string;
    phone: string;
}

/** One level of a route, from the first responders up: told `after_min` after the failure's recognition. */
export interface EscalationLevel {
    name: string;
    organization_id: Id | null;
    /** unyo users, mailed at their address. */
    user_ids: Id[];
    contacts: EscalationContact[];
    /** 0–10080, not before the level above. */
    after_min: number;
}

export interface EscalationRoute {
    id: Id;
    name: string;
    /** The system (configuration item) it serves; null: every system. */
    ci_id: Id | null;
    /** The severities it serves; empty: all. */
    severities: Severity[];
    levels: EscalationLevel[];
    /** The day it was last confirmed as current. */
    reviewed_on: CivilDate | null;
    /** Neither confirmed nor changed in 183 days. */
    review_due: boolean;
    note: string;
    created_at: Instant;
    updated_at: Instant;
    version: number;
}

/** What a route is made of (a PATCH sends some); a level's optional members may be left out. */
export interface EscalationRouteInput {
    name: string;
    ci_id?: Id | null;
    severities?: Severity[];
    levels?: {
        name: string;
        organization_id?: Id | null;
        user_ids?: Id[];
        contacts?: Partial<EscalationContact>[];
        after_min: number;
    }[];
    reviewed_on?: CivilDate | null;
    note?: string;
}

/** Why a level was told: its time came, or someone escalated by hand. */
export type EscalationReason = 'elapsed' | 'manual';

/** Where an incident stands on its route. */
export interface IncidentEscalation {
    incident_id: Id;
    /** Not yet recovered (received, isolating, responding): levels still come due. */
    open: boolean;
    recognized_at: Instant;
    route: { id: Id; name: string } | null;
    levels: {
        level: number;
        name: string;
        after_min: number;
        due_at: Instant;
        told_at: Instant | null;
        reason: EscalationReason | null;
    }[];
}

// ---- the April reorganisation: a personnel sheet staged for its date (docs/reorganisation.md) ----

export type ReorganisationStatus = 'staged' | 'applying' | 'applied' | 'cancelled';
export type ReorganisationFormat = 'csv' | 'xlsx';
export type ReorganisationField = 'display_name' | 'email' | 'organization' | 'roles' | 'status';

/** One member a line changes; roles as names joined by commas, the standing as active/disabled. */
export interface ReorganisationChange {
    field: ReorganisationField;
    from: string;
    to: string;
}

/** A line of the sheet against the users as they are: its changes, or why it cannot be applied. */
export interface ReorganisationDiffLine {
    line: number;
    login: string;
    user_id?: Id;
    changes?: ReorganisationChange[];
    error?: string;
}

export interface ReorganisationDiff {
    /** No line has an error. */
    ok: boolean;
    lines: ReorganisationDiffLine[];
    users_changing: number;
    /** Organisations named that do not exist yet (made, kind owner, when applied). */
    organizations_to_create: string[];
}

/** A line of the sheet as read: the members it sets (absent: left as they are). */
export interface ReorganisationRow {
    line: number;
    login: string;
    display_name?: string;
    email?: string;
    organization?: string;
    roles?: string[];
    status?: 'active' | 'disabled';
}

/** How a line went when the plan was applied. */
export interface ReorganisationOutcome {
    line: number;
    login: string;
    outcome: 'applied' | 'unchanged' | 'failed';
    error?: string;
}

export interface Reorganisation {
    id: Id;
    name: string;
    effective_on: CivilDate;
    status: ReorganisationStatus;
    rows: ReorganisationRow[];
    result: ReorganisationOutcome[];
    created_by: string;
    applied_by: string;
    created_at: Instant;
    applied_at: Instant | null;
    version: number;
    /** A staged plan's diff against the users as they are now. */
    diff?: ReorganisationDiff;
}

/** What a dry run answers. */
export interface ReorganisationCheck {
    dry_run: true;
    name: string;
    effective_on: CivilDate;
    diff: ReorganisationDiff;
}

export interface ReorganisationSheet {
    /** The plan's name. */
    name: string;
    /** YYYY-MM-DD, Japan time. */
    effective_on: string;
    format: ReorganisationFormat;
}

// ---- the operation reports: monthly, yearly (年度) and daily (RPT-1..4) ----

export const REPORT_KINDS = ['monthly', 'yearly', 'daily'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The files a report is offered as (json is the data the console renders). */
export type ReportFormat = 'json' | 'html' | 'pdf' | 'xlsx' | 'csv';

/** How a cell or figure is typed: an instant is RFC 3339, a date `YYYY-MM-DD`. */
export type ReportCellType = 'text' | 'integer' | 'decimal' | 'boolean' | 'instant' | 'date';
export type ReportCell = string | number | boolean | null;

/** One number of a section (障害件数 1 件). */
export interface ReportFigure {
    key: string;
    ja: string;
    en: string;
    type: ReportCellType;
    value: ReportCell;
    unit_ja: string;
    unit_en: string;
    /** Decimals only: the places shown. */
    places?: number;
}

export interface ReportBar {
    label: string;
    value: number;
}

/** A bar chart; `target` draws a line, `min`/`max` the axis (null: from 0, to the largest bar). */
export interface ReportChart {
    ja: string;
    en: string;
    unit: string;
    bars: ReportBar[];
    target: number | null;
    min: number | null;
    max: number | null;
}

export interface ReportColumn {
    ja: string;
    en: string;
    type: ReportCellType;
    places?: number;
}

/** A table; `name` is its CSV's name (`table=`). */
export interface ReportTable {
    name: string;
    caption_ja: string;
    caption_en: string;
    columns: ReportColumn[];
    rows: ReportCell[][];
}

export interface ReportSection {
    id: string;
    ja: string;
    en: string;
    /** The section is empty because its data is missing (no monitors…), not because a count is 0. */
    missing: boolean;
    missing_ja: string | null;
    missing_en: string | null;
    figures: ReportFigure[];
    charts: ReportChart[];
    tables: ReportTable[];
    /** Free text (an improvement plan). */
    note_ja: string;
}

export interface OperationReport {
    kind: ReportKind;
    /** `2026-11`, `2026` (the fiscal year), `2026-11-23`. */
    period: string;
    title_ja: string;
    title_en: string;
    /** 2026年11月（令和8年11月）. */
    period_ja: string;
    from: Instant;
    to: Instant;
    generated_at: Instant;
    /** The period has ended: the report is snapshotted. */
    closed: boolean;
    sections: ReportSection[];
}

/** A report as given: fresh, or a closed period's snapshot and what changed since. */
export interface GeneratedReport {
    report: OperationReport;
    from_snapshot: boolean;
    snapshot_at: Instant | null;
    changed_since_snapshot: boolean;
    /** Ids of the sections whose numbers differ now. */
    changed_sections: string[];
}

export interface ReportQuery {
    /** `YYYY-MM` (monthly), `YYYY` (yearly: the fiscal year), `YYYY-MM-DD` (daily); absent: the server's default. */
    period?: string;
    /** Admin, manager: replace a closed period's snapshot with the data as it is now. */
    refresh?: boolean;
}

export interface ReportFileOptions {
    /** Headings and labels: `'ja'` (the default, not sent) or `'en'`. */
    lang?: ExportLang;
    /** HTML and PDF: dates also in 和暦. */
    wareki?: boolean;
    /** CSV: this table only (else a ZIP of every table). */
    table?: string;
    /** HTML: as an attachment rather than shown in place. */
    download?: boolean;
}

/** What the reports read besides the data (GET/PUT /reports/settings; the ETag is the version). */
export interface ReportSettings {
    /** A ratio (0.999 for 99.9 %). */
    default_availability_target: number;
    /** Service → ratio. */
    availability_targets: Record<string, number>;
    /** Jobnets that update virus definitions. */
    virus_jobnet_ids: Id[];
    /** Who receives the monthly report. */
    mail_to: string[];
    /** Fiscal year (`"2026"`) → 改善計画. */
    improvement_plans: Record<string, string>;
    /** Null until first saved. */
    updated_at: Instant | null;
    /** 0 until first saved. */
    version: number;
}

/** The members a PUT may send; each one given replaces the stored one whole. */
export type ReportSettingsInput = Partial<Omit<ReportSettings, 'updated_at' | 'version'>>;

// ---- the handover export (docs/export.md, KNW-2) ----

export type DataExportState = 'idle' | 'running' | 'done' | 'failed';

/**
 * The background export's progress (GET/POST /export, admin): idle before the first since the
 * server started, then running, done or failed; the last finished file stays downloadable.
 */
export interface DataExportStatus {
    state: DataExportState;
    /** Tables written so far, of all of them (0 of 0 before the first table is counted). */
    tables_done: number;
    tables_total: number;
    /** Rows written so far. */
    rows: number;
    /** The table written last ('' before the first). */
    table: string;
    /** The archive's file name (`unyo-export-….tar.zst`) once started. */
    file: string | null;
    /** The archive's size once done. */
    bytes: number;
    started_at: Instant | null;
    finished_at: Instant | null;
    /** Why it failed, in English (for an operator). */
    error: string | null;
}
