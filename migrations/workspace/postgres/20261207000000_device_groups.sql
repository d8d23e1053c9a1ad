-- Device groups and who may see them. A grant names one member (user_id) or every member of a
-- role (role); owners and admins see every group without one.
CREATE TABLE device_groups (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    CONSTRAINT device_groups_name_key UNIQUE (name)
);

CREATE TABLE group_grants (
    id          TEXT PRIMARY KEY,
    group_id    TEXT NOT NULL REFERENCES device_groups (id) ON DELETE CASCADE,
    user_id     TEXT REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT CHECK (role IN ('editor', 'viewer')),
    level       TEXT NOT NULL CHECK (level IN ('view', 'control')),
    created_at  BIGINT NOT NULL,
    CONSTRAINT group_grants_one_subject CHECK ((user_id IS NULL) <> (role IS NULL))
);

CREATE UNIQUE INDEX group_grants_user_key ON group_grants (group_id, user_id)
    WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX group_grants_role_key ON group_grants (group_id, role)
    WHERE role IS NOT NULL;
