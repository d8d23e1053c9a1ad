//! The control plane's list of workspaces.

use crate::{BackendError, Db};
use model::workspace::normalise_search;
use model::{Slug, WorkspaceSummary};

/// Finds the workspace a person means by its address or its name (case-insensitive).
/// Workspaces still being created are not found.
pub async fn find(db: &Db, query: &str) -> Result<WorkspaceSummary, BackendError> {
    let q = normalise_search(query).map_err(|m| BackendError::invalid("query", m))?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT slug, name FROM workspaces \
         WHERE status <> 'provisioning' AND (slug = $1 OR lower(name) = lower($1)) \
         ORDER BY (slug = $1) DESC, created_at ASC LIMIT 1",
    )
    .bind(&q)
    .fetch_optional(db.pool())
    .await?;
    let (slug, name) = row.ok_or_else(|| {
        BackendError::NotFound(format!("No workspace is called \u{201c}{q}\u{201d}. Check the spelling, or find yours by e-mail."))
    })?;
    let slug = Slug::parse(&slug).map_err(|e| {
        BackendError::Database(sqlx::Error::Decode(format!("stored slug {slug:?}: {e}").into()))
    })?;
    Ok(WorkspaceSummary { slug, name })
}
