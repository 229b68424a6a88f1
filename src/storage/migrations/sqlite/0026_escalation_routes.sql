-- The escalation route (体制図, INC-9): ordered levels with their organisation, people and the
-- minutes after recognition at which each is told while an incident is not recovered; for a
-- system (configuration item) or every system, for some severities or all.
CREATE TABLE escalation_routes (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    ci_id           INTEGER REFERENCES cis (id),
    severities_json TEXT NOT NULL DEFAULT '[]',
    levels_json     TEXT NOT NULL,
    reviewed_on     TEXT,
    note            TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
