-- The record ledger (管理台帳): incidents, problems, changes, releases, issues, inquiries and
-- requests share one table; kind-specific fields are a JSON object validated by the workflow.

CREATE TABLE record_counters (
    kind TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
INSERT INTO record_counters (kind, last) VALUES
    ('incident', 0), ('problem', 0), ('change', 0), ('release', 0), ('issue', 0), ('inquiry', 0), ('request', 0);

CREATE TABLE records (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    number          INTEGER NOT NULL,
    key             TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    severity        TEXT NOT NULL DEFAULT '',
    organization_id INTEGER REFERENCES organizations (id),
    assignee_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    fields_json     TEXT NOT NULL DEFAULT '{}',
    created_by      INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    closed_at       INTEGER,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (kind, number)
);
CREATE INDEX records_kind_status ON records (kind, status, id);
CREATE INDEX records_kind_org ON records (kind, organization_id, id);
CREATE INDEX records_kind_assignee ON records (kind, assignee_id, id);
CREATE INDEX records_kind_created ON records (kind, created_at);

-- Everything that happened to a record, in order: creation, comments, field and status changes,
-- links, SLA warnings and breaches (X-3).
CREATE TABLE record_timeline (
    id          INTEGER PRIMARY KEY,
    record_id   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    actor_id    INTEGER,
    actor_login TEXT NOT NULL,
    type        TEXT NOT NULL,
    body_json   TEXT NOT NULL
);
CREATE INDEX record_timeline_record ON record_timeline (record_id, id);

CREATE TABLE record_links (
    record_id  INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    other_id   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    relation   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (record_id, other_id)
);

CREATE TABLE record_watchers (
    record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (record_id, user_id)
);

-- SLA warnings and breaches already written, so that each is written once.
CREATE TABLE record_sla_events (
    record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    event     TEXT NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (record_id, name, event)
);
