-- Operation reports (RPT-1..4): the settings they read (availability targets per service, the
-- jobnets that update virus definitions, who receives the monthly mail, improvement plans per
-- fiscal year) and the snapshot of each closed period, so that a report gives the same numbers
-- tomorrow and a regeneration can say what changed since.
CREATE TABLE report_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    settings_json TEXT NOT NULL,
    updated_at    BIGINT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE report_snapshots (
    kind         TEXT NOT NULL,
    period       TEXT NOT NULL,
    generated_at BIGINT NOT NULL,
    generated_by TEXT NOT NULL,
    content_json TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    PRIMARY KEY (kind, period)
);

-- What unyo created once by itself (the monthly report's jobnet): not made again once an admin
-- has deleted it.
CREATE TABLE builtin_seeds (
    name      TEXT PRIMARY KEY,
    seeded_at BIGINT NOT NULL
);
