-- SLA policies as data, versioned: a record's clocks follow the version in force when its clock
-- started, so a contract change never rewrites the history of records already running. Each
-- version holds the whole policy as JSON (kind, severities, sources, targets).
CREATE TABLE sla_policies (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL
);
CREATE TABLE sla_policy_versions (
    policy_id  INTEGER NOT NULL REFERENCES sla_policies (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    valid_from INTEGER NOT NULL,
    body_json  TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (policy_id, version)
);

-- When the SLA sweep must look at a record next (a warning or a deadline to come, or a change
-- made); NULL once every clock is decided and written. The sweep reads only the due ones.
ALTER TABLE records ADD COLUMN sla_next_at INTEGER;
UPDATE records SET sla_next_at = created_at WHERE closed_at IS NULL AND kind IN ('incident', 'inquiry');
CREATE INDEX records_sla_next ON records (sla_next_at);

ALTER TABLE record_watchers ADD COLUMN added_at INTEGER NOT NULL DEFAULT 0;

-- Saved list views: a name for a list's filters (its URL query), one's own or shared with all.
CREATE TABLE saved_views (
    id         INTEGER PRIMARY KEY,
    owner_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    collection TEXT NOT NULL,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    shared     INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    created_at INTEGER NOT NULL,
    UNIQUE (owner_id, collection, name)
);
