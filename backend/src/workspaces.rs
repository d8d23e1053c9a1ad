//! The control plane's list of workspaces.

use crate::{BackendError, Db};
use model::workspace::normalise_search;
use model::{Slug, WorkspaceStatus, WorkspaceSummary};

/// Finds the workspace a person means by its address or its name (case-insensitive).
/// Workspaces still being created are not found.
pub async fn find(db: &Db, query: &str) -> Result<WorkspaceSummary, BackendError> {
    let q = normalise_search(query).map_err(|m| BackendError::invalid("query", m))?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT slug, name, status FROM workspaces \
         WHERE status <> 'provisioning' AND (slug = $1 OR lower(name) = lower($1)) \
         ORDER BY (slug = $1) DESC, created_at ASC LIMIT 1",
    )
    .bind(&q)
    .fetch_optional(db.pool())
    .await?;
    let row = row.ok_or_else(|| {
        BackendError::NotFound(format!(
            "No workspace is called \u{201c}{q}\u{201d}. Check the spelling, or ask your administrator for its address."
        ))
    })?;
    summary(row)
}

/// The workspace at `/w/<slug>/`, unless it is still being created.
pub async fn get(db: &Db, slug: &str) -> Result<WorkspaceSummary, BackendError> {
    let not_found = || BackendError::NotFound(format!("There is no workspace at /w/{slug}/."));
    if Slug::parse(slug).is_err() {
        return Err(not_found());
    }
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT slug, name, status FROM workspaces WHERE slug = $1 AND status <> 'provisioning'",
    )
    .bind(slug)
    .fetch_optional(db.pool())
    .await?;
    summary(row.ok_or_else(not_found)?)
}

fn summary(
    (slug, name, status): (String, String, String),
) -> Result<WorkspaceSummary, BackendError> {
    let corrupt = |what: String| BackendError::Database(sqlx::Error::Decode(what.into()));
    Ok(WorkspaceSummary {
        slug: Slug::parse(&slug).map_err(|e| corrupt(format!("stored slug {slug:?}: {e}")))?,
        name,
        status: WorkspaceStatus::parse(&status)
            .ok_or_else(|| corrupt(format!("stored status {status:?}")))?,
    })
}
