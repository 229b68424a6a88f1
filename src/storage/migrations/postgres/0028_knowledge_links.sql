-- Knowledge linked to incidents, problems and inquiries (KNW-1); `applied`: the incident applied
-- this (approved) workaround (INC-6).
CREATE TABLE knowledge_links (
    knowledge_id BIGINT NOT NULL REFERENCES knowledge (id),
    record_id    BIGINT NOT NULL REFERENCES records (id),
    applied      INTEGER NOT NULL DEFAULT 0 CHECK (applied IN (0, 1)),
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (knowledge_id, record_id)
);
CREATE INDEX knowledge_links_record ON knowledge_links (record_id);
