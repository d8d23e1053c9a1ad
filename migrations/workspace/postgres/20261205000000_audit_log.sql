-- What happened in the workspace and who did it: sign-ins, failed sign-ins, invitations, role
-- and grant changes, exports. Readable by owners, admins and operators.
CREATE TABLE audit_log (
    id        TEXT PRIMARY KEY,
    at        BIGINT NOT NULL,
    -- The user who acted (NULL for the system or an unknown caller).
    actor_id  TEXT,
    action    TEXT NOT NULL,
    -- A short plain description (the address tried, the role given, ...).
    detail    TEXT NOT NULL
);

CREATE INDEX audit_log_at_idx ON audit_log (at);
