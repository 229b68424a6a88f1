-- Japanese full-text search over records (INC-7): the text of the title, description and
-- comments, indexed by trigrams (pg_trgm: ILIKE and similarity use the GIN index).

ALTER TABLE records ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
-- In `public`, so that every schema on the search path (and each test schema) finds it.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX records_search_trgm ON records USING gin (search_text gin_trgm_ops);
