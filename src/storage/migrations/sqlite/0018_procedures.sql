-- Procedures (手順, PRC-1..8): templates of ordered steps with responsible organisations,
-- approval gates and evidence; runs that record who did each step and when (steps as the template
-- was when the run began, states beside them).
CREATE TABLE procedure_templates (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    steps_json  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE procedure_runs (
    id          INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES procedure_templates (id),
    name        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'stopped')),
    record_id   INTEGER REFERENCES records (id),
    steps_json  TEXT NOT NULL,
    states_json TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    stop_reason TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    version     INTEGER NOT NULL DEFAULT 1
);
