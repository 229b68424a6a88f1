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
export type RecordFieldType = 'text' | 'long_text' | 'time' | 'date' | 'enum' | 'user' | 'documents';

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

/** The value of a kind's own field: text, an instant, a date, an enum value, a user id, documents. */
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

export type TimelineType = 'created' | 'status' | 'field' | 'comment' | 'link' | 'sla' | 'attachment' | 'time';

export interface TimelineEntry {
    id: Id;
    at: Instant;
    actor_id: Id | null;
    actor_login: string | null;
    type: TimelineType;
    /** created: {status, fields}; status: {from, to, label}; field: {name, before, after};
     *  comment: {body}; link: {other_key, relation}; sla: {name, label, event, target_at};
     *  attachment: {id, file_name, size}; time: a time entry on an issue. */
    body: Record<string, unknown>;
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
