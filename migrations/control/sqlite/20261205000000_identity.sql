-- The startup's own operators: they sign in at /admin and run every workspace's back office.
CREATE TABLE operators (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    CONSTRAINT operators_email_key UNIQUE (email)
);

-- Signed-in browsers. Only a SHA-256 of each token is kept, so a copy of this table signs
-- nobody in. A row is a workspace user's session (workspace_id and user_id) or an operator's
-- (operator_id), never both.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    workspace_id  TEXT REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id       TEXT,
    operator_id   TEXT REFERENCES operators (id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    -- The absolute end, whatever the activity.
    expires_at    BIGINT NOT NULL,
    CHECK ((workspace_id IS NOT NULL AND user_id IS NOT NULL AND operator_id IS NULL)
        OR (workspace_id IS NULL AND user_id IS NULL AND operator_id IS NOT NULL))
);

CREATE INDEX sessions_user_idx ON sessions (workspace_id, user_id);
CREATE INDEX sessions_operator_idx ON sessions (operator_id);

-- Counted events for rate limits (failed sign-ins per account and per client address,
-- workspace creations per address). The key is a SHA-256, never an address in clear; rows
-- older than the longest window are removed as new ones arrive.
CREATE TABLE rate_events (
    key_hash      TEXT NOT NULL,
    workspace_id  TEXT REFERENCES workspaces (id) ON DELETE CASCADE,
    at            BIGINT NOT NULL
);

CREATE INDEX rate_events_key_idx ON rate_events (key_hash, at);
CREATE INDEX rate_events_at_idx ON rate_events (at);

-- What operators did (and failed operator sign-ins).
CREATE TABLE operator_audit (
    id           TEXT PRIMARY KEY,
    at           BIGINT NOT NULL,
    operator_id  TEXT,
    action       TEXT NOT NULL,
    detail       TEXT NOT NULL
);

CREATE INDEX operator_audit_at_idx ON operator_audit (at);
