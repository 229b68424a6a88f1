-- Attachments of records: the bytes live in DIR/attachments/ under their SHA-256 (the same
-- file attached twice is stored once); this table says which record has which file.

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    record_id    INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    sha256       TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    uploaded_by  INTEGER,
    uploader     TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX attachments_record ON attachments (record_id);
