-- The operation calendar (JOB-1, SLM-3): events of the operation plan besides planned stops and
-- jobnet schedules — maintenance windows, inspections, power outages, patch windows, meetings —
-- once, or recurring on a day rule of a business calendar (recurrence_json).
CREATE TABLE opscal_events (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    service         TEXT NOT NULL DEFAULT '',
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    recurrence_json TEXT,
    calendar_id     INTEGER,
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX opscal_events_time ON opscal_events (starts_at);

-- A secret per user for the iCalendar feed (calendar clients cannot send headers); only its
-- SHA-256 is kept.
CREATE TABLE opscal_feed_tokens (
    user_id    INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
