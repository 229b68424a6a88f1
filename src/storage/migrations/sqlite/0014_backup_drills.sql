-- Restore drills (BAK-3, BAK-4, PRC-8): each restore of a backup generation to a scratch place,
-- checked and recorded as evidence: how long it took (RTO) and how old the data was (RPO).
CREATE TABLE backup_drills (
    id            INTEGER PRIMARY KEY,
    archive       TEXT NOT NULL,
    backup_name   TEXT NOT NULL,
    generation_at INTEGER NOT NULL,
    started_at    INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL,
    data_age_ms   INTEGER NOT NULL,
    ok            INTEGER NOT NULL CHECK (ok IN (0, 1)),
    files         INTEGER NOT NULL,
    bytes         INTEGER NOT NULL,
    message       TEXT NOT NULL DEFAULT '',
    actor         TEXT NOT NULL
);
CREATE INDEX backup_drills_started ON backup_drills (started_at);
