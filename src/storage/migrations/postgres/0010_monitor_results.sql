-- Measured results of checks (MON-8): every result raw for a week, and 1-minute and 1-hour
-- aggregates kept longer (retention in config.json, "monitoring"). States are ranked for the
-- worst of a bucket: 0 ok, 1 warning, 2 unknown, 3 critical.

CREATE TABLE monitor_results (
    monitor_id  BIGINT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    state       SMALLINT NOT NULL,
    value       DOUBLE PRECISION
);
CREATE INDEX monitor_results_at ON monitor_results (monitor_id, at);

CREATE TABLE monitor_rollups (
    monitor_id  BIGINT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    step_s      INTEGER NOT NULL,
    bucket      BIGINT NOT NULL,
    results     INTEGER NOT NULL,
    values_n    INTEGER NOT NULL,
    min_value   DOUBLE PRECISION,
    max_value   DOUBLE PRECISION,
    sum_value   DOUBLE PRECISION,
    worst       SMALLINT NOT NULL,
    PRIMARY KEY (monitor_id, step_s, bucket)
);
