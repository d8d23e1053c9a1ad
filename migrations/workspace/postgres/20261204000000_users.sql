-- The people of one workspace. Only a hash of each password is kept.
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
    created_at     BIGINT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);
