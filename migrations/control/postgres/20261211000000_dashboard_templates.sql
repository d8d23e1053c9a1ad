-- Dashboard templates the deployment's operators keep, for any workspace to copy. Widgets are
-- the dashboard's JSON with every device choice widened to all devices: no workspace's ids.
CREATE TABLE dashboard_templates (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    widgets     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
