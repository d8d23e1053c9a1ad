-- What remains of an erased workspace: its id and when it was erased, nothing personal.
CREATE TABLE workspace_tombstones (
    id         TEXT PRIMARY KEY,
    erased_at  BIGINT NOT NULL
);
