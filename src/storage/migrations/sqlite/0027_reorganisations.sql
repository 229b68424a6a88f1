-- The April reorganisation (ACC-6): a sheet of user changes staged for a date, applied then (or by
-- an admin at once), with each line's outcome kept.
CREATE TABLE reorganisations (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('staged', 'applying', 'applied', 'cancelled')),
    rows_json    TEXT NOT NULL,
    result_json  TEXT NOT NULL DEFAULT '[]',
    created_by   TEXT NOT NULL,
    applied_by   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    applied_at   INTEGER,
    version      INTEGER NOT NULL DEFAULT 1
);
