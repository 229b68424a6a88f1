-- The role division matrix (役割分担表, ORG-2): work items × organisations, each cell main or
-- support. A matrix keeps the legend of the document it was read from; its columns may point at
-- unyo's organisations (routing, ORG-3).
CREATE TABLE raci_matrices (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    main_mark    TEXT NOT NULL,
    support_mark TEXT NOT NULL,
    levels       INTEGER NOT NULL DEFAULT 0 CHECK (levels IN (0, 1)),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE raci_columns (
    matrix_id       INTEGER NOT NULL REFERENCES raci_matrices (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    organization_id INTEGER REFERENCES organizations (id),
    PRIMARY KEY (matrix_id, position)
);
CREATE TABLE raci_items (
    id        INTEGER PRIMARY KEY,
    matrix_id INTEGER NOT NULL REFERENCES raci_matrices (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    path_json TEXT NOT NULL DEFAULT '[]',
    title     TEXT NOT NULL,
    content   TEXT NOT NULL DEFAULT '',
    cycle     TEXT NOT NULL DEFAULT '',
    note      TEXT NOT NULL DEFAULT '',
    section   INTEGER NOT NULL DEFAULT 0 CHECK (section IN (0, 1)),
    UNIQUE (matrix_id, position)
);
CREATE TABLE raci_cells (
    item_id  INTEGER NOT NULL REFERENCES raci_items (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role     TEXT NOT NULL CHECK (role IN ('main', 'support')),
    PRIMARY KEY (item_id, position)
);
