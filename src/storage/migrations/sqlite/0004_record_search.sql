-- Japanese full-text search over records (INC-7): the text of the title, description and
-- comments, indexed by trigrams (FTS5 `trigram`: substrings of three or more characters).

ALTER TABLE records ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE records_fts USING fts5(search_text, tokenize = 'trigram');
