-- Maintenance support hours (ISS-2): time spent on issues, against a monthly budget.

CREATE TABLE time_entries (
    id         INTEGER PRIMARY KEY,
    record_id  INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    user_id    INTEGER,
    user_login TEXT NOT NULL,
    work_date  TEXT NOT NULL,
    minutes    INTEGER NOT NULL CHECK (minutes > 0),
    note       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX time_entries_date ON time_entries (work_date);
CREATE INDEX time_entries_record ON time_entries (record_id);
