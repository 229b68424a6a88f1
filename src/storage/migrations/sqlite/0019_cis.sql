-- Configuration items (構成管理, CFG-1, ENV-1) with lifecycle dates, and their relations:
-- "from kind to" (runs_on, depends_on, connects_to, part_of).
CREATE TABLE cis (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    type            TEXT NOT NULL,
    version         TEXT NOT NULL DEFAULT '',
    environment     TEXT NOT NULL DEFAULT 'production',
    organization_id INTEGER REFERENCES organizations (id),
    attributes_json TEXT NOT NULL DEFAULT '{}',
    released_on     TEXT,
    end_of_sales    TEXT,
    end_of_support  TEXT,
    end_of_life     TEXT,
    licence_count   INTEGER,
    licence_expiry  TEXT,
    note            TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    row_version     INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE ci_relations (
    from_id INTEGER NOT NULL REFERENCES cis (id),
    to_id   INTEGER NOT NULL REFERENCES cis (id),
    kind    TEXT NOT NULL,
    PRIMARY KEY (from_id, to_id, kind)
);
CREATE INDEX ci_relations_to ON ci_relations (to_id);
