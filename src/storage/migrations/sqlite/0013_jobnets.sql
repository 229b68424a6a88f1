-- Jobnets (JOB-1..8): DAGs of jobs on business-calendar schedules, their runs, each job's state in
-- a run, and the events of a run (what happened, who did what). A run copies its jobnet's
-- definition, so editing a jobnet never changes a run already made.

CREATE TABLE jobnets (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    definition_json TEXT NOT NULL,
    enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    -- The next scheduled start not yet made into a run (null: no schedule, or none within 2 years).
    next_start_at   INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX jobnets_next_start ON jobnets (next_start_at);

CREATE TABLE jobnet_runs (
    id                INTEGER PRIMARY KEY,
    jobnet_id         INTEGER NOT NULL REFERENCES jobnets (id) ON DELETE CASCADE,
    jobnet_name       TEXT NOT NULL,
    service           TEXT NOT NULL DEFAULT '',
    definition_json   TEXT NOT NULL,
    trigger_kind      TEXT NOT NULL CHECK (trigger_kind IN ('schedule', 'manual', 'recovery')),
    status            TEXT NOT NULL,
    planned_at        INTEGER NOT NULL,
    business_day      TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    started_at        INTEGER,
    ended_at          INTEGER,
    created_by        TEXT NOT NULL,
    params_json       TEXT NOT NULL DEFAULT '{}',
    start_deadline_at INTEGER,
    end_deadline_at   INTEGER,
    start_late        INTEGER NOT NULL DEFAULT 0,
    end_late          INTEGER NOT NULL DEFAULT 0,
    held              INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL DEFAULT 1
);
-- One scheduled run per planned instant: a start is never made twice.
CREATE UNIQUE INDEX jobnet_runs_planned ON jobnet_runs (jobnet_id, planned_at) WHERE trigger_kind = 'schedule';
CREATE INDEX jobnet_runs_status ON jobnet_runs (status);
CREATE INDEX jobnet_runs_created ON jobnet_runs (created_at);

CREATE TABLE job_runs (
    run_id          INTEGER NOT NULL REFERENCES jobnet_runs (id) ON DELETE CASCADE,
    job_key         TEXT NOT NULL,
    position        INTEGER NOT NULL,
    status          TEXT NOT NULL,
    attempt         INTEGER NOT NULL DEFAULT 0,
    held            INTEGER NOT NULL DEFAULT 0,
    started_at      INTEGER,
    ended_at        INTEGER,
    exit_code       INTEGER,
    output          TEXT NOT NULL DEFAULT '',
    output_truncated INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    pid             INTEGER,
    PRIMARY KEY (run_id, job_key)
);

CREATE TABLE jobnet_run_events (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES jobnet_runs (id) ON DELETE CASCADE,
    at      INTEGER NOT NULL,
    job_key TEXT,
    kind    TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    actor   TEXT NOT NULL DEFAULT 'system'
);
CREATE INDEX jobnet_run_events_run ON jobnet_run_events (run_id, id);
