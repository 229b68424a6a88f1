-- The service catalogue (CAT-1, REQ-1): services with who may request them, their request form
-- (fields as data), the work item that routes them (ORG-3) and the target lead time.
CREATE TABLE catalog_services (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    description     TEXT NOT NULL DEFAULT '',
    request_type    TEXT NOT NULL DEFAULT 'other',
    requester_roles TEXT NOT NULL DEFAULT '[]',
    work_item_id    INTEGER REFERENCES raci_items (id),
    lead_time_days  INTEGER NOT NULL DEFAULT 5,
    form_json       TEXT NOT NULL DEFAULT '[]',
    enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
