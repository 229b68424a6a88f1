-- Japanese full-text search over records (INC-7): the text of the title, description and
-- comments, indexed by trigrams (pg_trgm: ILIKE and similarity use the GIN index).

ALTER TABLE records ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX records_search_trgm ON records USING gin (search_text gin_trgm_ops);
