-- The supporting organisations of a record routed by a role division matrix (ORG-3): their
-- vendors see the record as they see their own organisation's.
CREATE TABLE record_support_organizations (
    record_id       BIGINT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (record_id, organization_id)
);
CREATE INDEX record_support_organizations_org ON record_support_organizations (organization_id, record_id);
