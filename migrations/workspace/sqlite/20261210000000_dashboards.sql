-- Dashboards: named pages of widgets. The widgets and who sees the dashboard are JSON
-- (model::dashboards::{Widget, Visibility}), checked by the model before every write.
CREATE TABLE dashboards (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    visibility  TEXT NOT NULL DEFAULT '{"to":"everyone"}',
    widgets     TEXT NOT NULL DEFAULT '[]',
    is_default  BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT dashboards_name_key UNIQUE (name)
);

-- At most one dashboard a workspace opens on.
CREATE UNIQUE INDEX dashboards_one_default ON dashboards (is_default) WHERE is_default = 1;
