-- Security advisories (SEC-1): what vendors, IPA and JPCERT/CC announce — the products and
-- versions affected — with what was decided (open, not affected, patching by a procedure run,
-- patched, risk accepted).
CREATE TABLE advisories (
    id               INTEGER PRIMARY KEY,
    source           TEXT NOT NULL CHECK (source IN ('vendor', 'ipa', 'jpcert', 'jvn', 'nvd', 'other')),
    ref              TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    summary          TEXT NOT NULL DEFAULT '',
    url              TEXT NOT NULL DEFAULT '',
    severity         TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'none', 'unknown')),
    cvss             TEXT NOT NULL DEFAULT '',
    published_on     TEXT,
    products_json    TEXT NOT NULL DEFAULT '[]',
    cves_json        TEXT NOT NULL DEFAULT '[]',
    status           TEXT NOT NULL CHECK (status IN ('open', 'not_affected', 'patching', 'patched', 'accepted')),
    note             TEXT NOT NULL DEFAULT '',
    procedure_run_id INTEGER REFERENCES procedure_runs (id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
