//! A workspace's own data source, over the deployment's: set by operators (the CLI), stored in
//! the control plane, read for every question the workspace's pages ask. The token is a secret:
//! it is never printed, listed or exported.

use super::{Scope, Source};
use crate::{now_millis, BackendError, Db};
use std::collections::BTreeMap;

/// What a workspace reads: the deployment's source, or its own.
pub async fn scope(control: &Db, workspace_id: &str) -> Result<Scope, BackendError> {
    let row: Option<(String, Option<String>, String)> =
        sqlx::query_as("SELECT url, token, id_map FROM workspace_sources WHERE workspace_id = $1")
            .bind(workspace_id)
            .fetch_optional(control.pool())
            .await?;
    let Some((url, token, id_map)) = row else {
        return Ok(Scope::of(workspace_id));
    };
    let source = Source::new(&url, token).map_err(|e| {
        BackendError::Internal(format!("stored source of workspace {workspace_id}: {e}"))
    })?;
    let id_map: BTreeMap<String, String> = serde_json::from_str(&id_map).map_err(|e| {
        BackendError::Internal(format!("stored id map of workspace {workspace_id}: {e}"))
    })?;
    Ok(Scope::with_source(workspace_id, source, id_map))
}

/// Points the workspace at `slug` to its own source (`url`, `token`), with the ids its devices
/// have there when they differ from the registry's (`id_map`: registry id → source id).
pub async fn set(
    control: &Db,
    slug: &str,
    url: &str,
    token: Option<String>,
    id_map: BTreeMap<String, String>,
) -> Result<(), BackendError> {
    let source = Source::new(url, token.clone()).map_err(|m| BackendError::invalid("url", m))?;
    for (registry, at_source) in &id_map {
        if registry.trim().is_empty() || at_source.trim().is_empty() {
            return Err(BackendError::invalid(
                "id_map",
                "Every id in the map must be non-empty.",
            ));
        }
    }
    let id = workspace_id(control, slug).await?;
    sqlx::query(
        "INSERT INTO workspace_sources (workspace_id, url, token, id_map, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (workspace_id) DO UPDATE SET url = $2, token = $3, id_map = $4, updated_at = $5",
    )
    .bind(&id)
    .bind(source.url.as_str())
    .bind(token.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()))
    .bind(serde_json::to_string(&id_map).expect("a map of strings serialises"))
    .bind(now_millis())
    .execute(control.pool())
    .await?;
    Ok(())
}

/// Makes the workspace at `slug` read the deployment's source again.
pub async fn clear(control: &Db, slug: &str) -> Result<(), BackendError> {
    let id = workspace_id(control, slug).await?;
    sqlx::query("DELETE FROM workspace_sources WHERE workspace_id = $1")
        .bind(&id)
        .execute(control.pool())
        .await?;
    Ok(())
}

async fn workspace_id(control: &Db, slug: &str) -> Result<String, BackendError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM workspaces WHERE slug = $1 AND status IN ('active', 'suspended')",
    )
    .bind(slug)
    .fetch_optional(control.pool())
    .await?;
    row.map(|(id,)| id)
        .ok_or_else(|| BackendError::NotFound(format!("There is no workspace at /w/{slug}/.")))
}
