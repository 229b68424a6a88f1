-- The knowledge base (KNW-1, INC-6): FAQ, runbooks and workarounds with an owner and a review
-- date; a workaround is published only once approved.
CREATE TABLE knowledge (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('faq', 'runbook', 'workaround')),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    tags        TEXT NOT NULL DEFAULT '[]',
    owner_id    INTEGER REFERENCES users (id),
    review_on   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('published', 'pending_approval', 'rejected')),
    approved_by TEXT,
    approved_at INTEGER,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
