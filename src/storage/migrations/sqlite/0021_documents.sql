-- The documents register (文書管理簿, DOC-1): documents with their owner and review cycle, and
-- their versions; a change naming a document closes only once the document has a version made
-- since the change was raised (CHG-2).
CREATE TABLE documents (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE,
    kind                  TEXT NOT NULL DEFAULT '',
    owner_organization_id INTEGER REFERENCES organizations (id),
    review_cycle_months   INTEGER NOT NULL DEFAULT 12,
    note                  TEXT NOT NULL DEFAULT '',
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE document_versions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    label       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX document_versions_doc ON document_versions (document_id, created_at);
