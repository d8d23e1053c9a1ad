-- A workspace's own device-data source, over the deployment's (DATA_SOURCE_URL): the customer
-- whose devices live in another API, or behind another token.
CREATE TABLE workspace_sources (
    workspace_id  TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    -- bearer token for that source; never shown, never exported
    token         TEXT,
    -- JSON object: a device's external id in the registry → its id at this source
    id_map        TEXT NOT NULL DEFAULT '{}',
    updated_at    BIGINT NOT NULL
);
