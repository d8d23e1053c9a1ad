-- The device registry: each device is known at the data source by external_id. Readings are
-- not stored here; the connector asks the source for them.
CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    external_id  TEXT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT '',
    group_id     TEXT REFERENCES device_groups (id) ON DELETE SET NULL,
    latitude     DOUBLE PRECISION,
    longitude    DOUBLE PRECISION,
    -- JSON array of strings, JSON object of string values
    tags         TEXT NOT NULL DEFAULT '[]',
    metadata     TEXT NOT NULL DEFAULT '{}',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT devices_external_id_key UNIQUE (external_id),
    CONSTRAINT devices_location CHECK ((latitude IS NULL) = (longitude IS NULL))
);

CREATE INDEX devices_name ON devices (name, id);
CREATE INDEX devices_group ON devices (group_id, name);
CREATE INDEX devices_kind ON devices (kind, name);
