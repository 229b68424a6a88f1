-- Monitoring (MON-*): monitors, their current state, every state change (kept forever), alerts,
-- the notification outbox with its channels, and planned stops (PLN-*, SLM-*).

CREATE TABLE monitors (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    target_json TEXT NOT NULL,
    service     TEXT NOT NULL DEFAULT '',
    interval_s  INTEGER NOT NULL,
    timeout_ms  INTEGER NOT NULL,
    retries     INTEGER NOT NULL,
    warning     REAL,
    critical    REAL,
    parent_ids  TEXT NOT NULL DEFAULT '[]',
    severity    TEXT NOT NULL DEFAULT 'high',
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- The hard state of each monitor as last written (soft states live in the engine).
CREATE TABLE monitor_state (
    monitor_id    INTEGER PRIMARY KEY REFERENCES monitors (id) ON DELETE CASCADE,
    state         TEXT NOT NULL,
    since         INTEGER NOT NULL,
    last_check_at INTEGER,
    message       TEXT NOT NULL DEFAULT ''
);

-- Every hard state change: the history availability is computed from.
CREATE TABLE monitor_events (
    id         INTEGER PRIMARY KEY,
    monitor_id INTEGER NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    message    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitor_events_monitor ON monitor_events (monitor_id, at);

CREATE TABLE alerts (
    id                INTEGER PRIMARY KEY,
    monitor_id        INTEGER REFERENCES monitors (id) ON DELETE SET NULL,
    source            TEXT NOT NULL,
    dedup_key         TEXT NOT NULL,
    severity          TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    message           TEXT NOT NULL DEFAULT '',
    detected_at       INTEGER NOT NULL,
    opened_at         INTEGER NOT NULL,
    last_at           INTEGER NOT NULL,
    resolved_at       INTEGER,
    repeat_count      INTEGER NOT NULL DEFAULT 1,
    incident_id       INTEGER REFERENCES records (id) ON DELETE SET NULL,
    planned_stop_id   INTEGER,
    acknowledged_by   TEXT,
    acknowledged_at   INTEGER,
    ack_comment       TEXT,
    first_notified_at INTEGER
);
CREATE INDEX alerts_dedup ON alerts (dedup_key, status);
CREATE INDEX alerts_opened ON alerts (opened_at);

CREATE TABLE notification_channels (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL CHECK (type IN ('smtp', 'webhook')),
    config_json TEXT NOT NULL,
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- The durable outbox: one row per event and channel (never twice), retried with back-off until
-- sent or expired.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    event_key   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    record_id   INTEGER REFERENCES records (id) ON DELETE SET NULL,
    alert_id    INTEGER REFERENCES alerts (id) ON DELETE SET NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'expired')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    expires_at  INTEGER NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    UNIQUE (channel_id, event_key)
);
CREATE INDEX notifications_due ON notifications (status, next_at);
CREATE INDEX notifications_record ON notifications (record_id);

CREATE TABLE planned_stops (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL,
    title               TEXT NOT NULL,
    reason              TEXT NOT NULL DEFAULT '',
    scope               TEXT NOT NULL CHECK (scope IN ('all', 'services', 'monitors')),
    services            TEXT NOT NULL DEFAULT '[]',
    monitor_ids         TEXT NOT NULL DEFAULT '[]',
    starts_at           INTEGER NOT NULL,
    ends_at             INTEGER NOT NULL,
    short_notice_reason TEXT,
    approved_by         TEXT,
    approved_at         INTEGER,
    created_by          TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX planned_stops_time ON planned_stops (starts_at, ends_at);
