-- The handover ledger of confidential data and media (SEC-4): date, people on both sides, content,
-- means, the manager's prior consent, and the return or erasure.
CREATE TABLE handovers (
    id                 INTEGER PRIMARY KEY,
    handed_on          TEXT NOT NULL,
    direction          TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    classification     TEXT NOT NULL CHECK (classification IN ('personal', 'confidential', 'personal_confidential')),
    content            TEXT NOT NULL,
    means              TEXT NOT NULL,
    medium_id          TEXT NOT NULL DEFAULT '',
    from_person        TEXT NOT NULL,
    from_organization  TEXT NOT NULL DEFAULT '',
    to_person          TEXT NOT NULL,
    to_organization    TEXT NOT NULL DEFAULT '',
    approved_by        TEXT NOT NULL,
    due_back_on        TEXT,
    returned_on        TEXT,
    return_received_by TEXT NOT NULL DEFAULT '',
    disposition        TEXT NOT NULL DEFAULT '',
    return_note        TEXT NOT NULL DEFAULT '',
    note               TEXT NOT NULL DEFAULT '',
    created_by         TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
-- Accounts on the managed systems (ACC-4), not unyo's own users: per system (a configuration
-- item), with holder, privilege, last use, leaving date and the last review.
CREATE TABLE managed_accounts (
    id               INTEGER PRIMARY KEY,
    ci_id            INTEGER NOT NULL REFERENCES cis (id),
    account          TEXT NOT NULL,
    holder           TEXT NOT NULL DEFAULT '',
    holder_user_id   INTEGER REFERENCES users (id),
    organization_id  INTEGER REFERENCES organizations (id),
    privilege        TEXT NOT NULL CHECK (privilege IN ('privileged', 'general', 'service')),
    status           TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'deleted')),
    last_used_on     TEXT,
    leaves_on        TEXT,
    last_reviewed_on TEXT,
    last_reviewed_by TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (ci_id, account)
);
-- Checklist runs: the inventory of configuration items (CFG-2) and the review of managed
-- accounts (ACC-4) — each item decided by someone at some time; the run is the evidence.
CREATE TABLE checklist_runs (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('inventory', 'account_review')),
    name       TEXT NOT NULL,
    scope_json TEXT NOT NULL DEFAULT '{}',
    status     TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    closed_by  TEXT NOT NULL DEFAULT '',
    closed_at  INTEGER,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE checklist_items (
    run_id       INTEGER NOT NULL REFERENCES checklist_runs (id),
    position     INTEGER NOT NULL,
    subject_id   INTEGER NOT NULL,
    subject_name TEXT NOT NULL,
    detail_json  TEXT NOT NULL DEFAULT '{}',
    decision     TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_at   INTEGER,
    PRIMARY KEY (run_id, subject_id)
);
