-- The configuration items a document describes (DOC-1: documents with their linked CIs).
CREATE TABLE document_cis (
    document_id BIGINT NOT NULL REFERENCES documents (id),
    ci_id       BIGINT NOT NULL REFERENCES cis (id),
    PRIMARY KEY (document_id, ci_id)
);
CREATE INDEX document_cis_ci ON document_cis (ci_id);
