-- Workspaces: one per customer of the startup. Each has its own database; this row is the
-- control plane's record of it.
CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    -- The name lower-cased by the application (Unicode-aware, the same on both engines), for
    -- "find your workspace by its name".
    name_key    TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('provisioning', 'active', 'suspended', 'erasing')),
    -- The workspace's own database: a file name under DATA_DIR/workspaces (SQLite) or a
    -- database name on the control plane's server (PostgreSQL).
    db_name     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    CONSTRAINT workspaces_slug_key UNIQUE (slug)
);

CREATE INDEX workspaces_name_key_idx ON workspaces (name_key);
