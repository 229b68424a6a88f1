-- Alert rules (MON-7): in position order, the first enabled rule whose match fits a new alert sets
-- its severity and/or the operator channels it goes to (channel_ids; null: every alerts channel).
CREATE TABLE alert_rules (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    position    INTEGER NOT NULL DEFAULT 100,
    match_json  TEXT NOT NULL,
    severity    TEXT CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    channel_ids TEXT,
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- The rule that decided an alert and the channels it chose (JSON array; null: every channel).
ALTER TABLE alerts ADD COLUMN rule_id INTEGER;
ALTER TABLE alerts ADD COLUMN route_json TEXT;
