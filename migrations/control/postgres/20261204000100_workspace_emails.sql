-- Which workspaces an e-mail address belongs to, for "find my workspaces by e-mail".
CREATE TABLE workspace_emails (
    email         TEXT NOT NULL,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    PRIMARY KEY (email, workspace_id)
);

CREATE INDEX workspace_emails_workspace_idx ON workspace_emails (workspace_id);
