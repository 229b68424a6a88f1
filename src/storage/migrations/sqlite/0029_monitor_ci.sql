-- The configuration item a monitor watches (issue 7: monitors point at CIs): the incident its
-- alert opens is about that item.
ALTER TABLE monitors ADD COLUMN ci_id INTEGER REFERENCES cis (id);
