-- Co-branding: the workspace's own display name, primary colour and logo over the deployment's
-- theme. One row at most; the logo is checked (type by content, size, SVG without script)
-- before it is written.
CREATE TABLE branding (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    display_name   TEXT,
    primary_color  TEXT,
    logo           TEXT,           -- base64, so the GDPR archive carries it as text
    logo_kind      TEXT,
    logo_hash      TEXT,
    updated_at     BIGINT NOT NULL
);
