//! A workspace's own data source, over the deployment's: set by operators (the CLI), stored in
//! the control plane, read for every question the workspace's pages ask. The token is a secret:
//! it is never printed, listed or exported.

use super::{Connector, Scope, Source};
use crate::{now_millis, BackendError, Db};
use model::admin::{OwnSource, SourceCheck};
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

/// What the back office shows of the workspace at `slug`'s own source (never its token), or
/// `None` when it reads the deployment's.
pub async fn describe(control: &Db, slug: &str) -> Result<Option<OwnSource>, BackendError> {
    let id = workspace_id(control, slug).await?;
    let row: Option<(String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT url, token, id_map, updated_at FROM workspace_sources WHERE workspace_id = $1",
    )
    .bind(&id)
    .fetch_optional(control.pool())
    .await?;
    let Some((url, token, id_map, updated_at)) = row else {
        return Ok(None);
    };
    let id_map: BTreeMap<String, String> = serde_json::from_str(&id_map)
        .map_err(|e| BackendError::Internal(format!("stored id map of workspace {id}: {e}")))?;
    Ok(Some(OwnSource {
        url,
        has_token: token.is_some(),
        id_map: id_map.into_iter().collect(),
        updated_at,
    }))
}

/// What becomes of a workspace source's token when its settings are saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// The one stored stays (none if none was).
    Keep,
    Replace(String),
    Remove,
}

/// Points the workspace at `slug` to its own source (`url`, `token`), with the ids its devices
/// have there when they differ from the registry's (`id_map`: registry id → source id).
pub async fn set(
    control: &Db,
    slug: &str,
    url: &str,
    token: Token,
    id_map: BTreeMap<String, String>,
) -> Result<(), BackendError> {
    let id = workspace_id(control, slug).await?;
    let token = match token {
        Token::Replace(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
        Token::Replace(_) => {
            return Err(BackendError::invalid(
                "token",
                "The new token is empty; leave the field blank to keep the current one.",
            ))
        }
        Token::Remove => None,
        Token::Keep => sqlx::query_as::<_, (Option<String>,)>(
            "SELECT token FROM workspace_sources WHERE workspace_id = $1",
        )
        .bind(&id)
        .fetch_optional(control.pool())
        .await?
        .and_then(|(t,)| t),
    };
    let source = Source::new(url, token.clone()).map_err(|m| BackendError::invalid("url", m))?;
    for (registry, at_source) in &id_map {
        if registry.trim().is_empty() || at_source.trim().is_empty() {
            return Err(BackendError::invalid(
                "id_map",
                "Every id in the map must be non-empty.",
            ));
        }
    }
    sqlx::query(
        "INSERT INTO workspace_sources (workspace_id, url, token, id_map, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (workspace_id) DO UPDATE SET url = $2, token = $3, id_map = $4, updated_at = $5",
    )
    .bind(&id)
    .bind(source.url.as_str())
    .bind(token)
    .bind(serde_json::to_string(&id_map).expect("a map of strings serialises"))
    .bind(now_millis())
    .execute(control.pool())
    .await?;
    Ok(())
}

/// Asks the source the workspace at `slug` reads, past the cache, whether it answers and with
/// how many devices (for operators setting it up; the problem is told in full).
pub async fn check(
    control: &Db,
    connector: &Connector,
    slug: &str,
) -> Result<SourceCheck, BackendError> {
    let id = workspace_id(control, slug).await?;
    let scope = scope(control, &id).await?;
    let url = connector.source_for(&scope).map(|s| s.url.to_string());
    let started = std::time::Instant::now();
    let answer = connector.check(&scope).await;
    let millis = started.elapsed().as_millis() as u64;
    Ok(match answer {
        Ok(devices) => SourceCheck {
            url,
            devices: Some(devices),
            problem: None,
            millis,
        },
        Err(e) => {
            tracing::warn!(error = %e, workspace = %slug, "an operator's source check failed");
            SourceCheck {
                url,
                devices: None,
                problem: Some(e.to_string()),
                millis,
            }
        }
    })
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
