-- Invitations to join the workspace and password-reset requests. Only a hash of each link's
-- token is kept; a row is deleted when its link is used, so each link works once.
CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    token_hash  TEXT NOT NULL,
    -- The user who sent it (NULL for an operator).
    invited_by  TEXT,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    CONSTRAINT invitations_token_key UNIQUE (token_hash),
    CONSTRAINT invitations_email_key UNIQUE (email)
);

CREATE TABLE password_resets (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
