-- The integration partner list (連携先一覧, CFG-3): the systems ours exchange data with, in one
-- format — which configuration item of ours connects, direction, timing, cycle, protocol, route,
-- same-day resend on failure, contacts — and whether they are told of incidents affecting that
-- item (INC-11).
CREATE TABLE integration_partners (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    department    TEXT NOT NULL DEFAULT '',
    vendor        TEXT NOT NULL DEFAULT '',
    ci_id         INTEGER REFERENCES cis (id),
    direction     TEXT NOT NULL CHECK (direction IN ('send', 'receive', 'both')),
    timing        TEXT NOT NULL DEFAULT '',
    cycle         TEXT NOT NULL DEFAULT '',
    protocol      TEXT NOT NULL DEFAULT '',
    route         TEXT NOT NULL CHECK (route IN ('data_platform', 'direct', 'media', 'other')),
    resend        TEXT NOT NULL CHECK (resend IN ('required', 'not_required', 'ask')),
    resend_note   TEXT NOT NULL DEFAULT '',
    contacts_json TEXT NOT NULL DEFAULT '[]',
    inform        INTEGER NOT NULL DEFAULT 1 CHECK (inform IN (0, 1)),
    note          TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX integration_partners_ci ON integration_partners (ci_id);
