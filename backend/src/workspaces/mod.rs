//! The control plane's list of workspaces: finding one, creating one (each with its own
//! database), listing and suspending them.

pub mod archive;
pub mod branding;
mod create;
mod erase;
pub mod links;
mod manage;

pub use archive::{export, import};
pub use create::{
    create, create_with_hook, discard_stale, NewWorkspace, Step, PROVISIONING_LEASE_MS,
};
pub use erase::erase;
pub use manage::{list, set_status, WorkspaceRow};

use crate::{BackendError, Db};
use model::workspace::{name_key, normalise_search, FIND_AMBIGUOUS};
use model::{Slug, WorkspaceStatus, WorkspaceSummary};

/// Finds the workspace a person means by its address or, failing that, its name (any case).
/// Workspaces still being created are not found. When several workspaces share the name, none
/// is chosen: the person is asked for the address, so nobody lands in another company's space.
pub async fn find(db: &Db, query: &str) -> Result<WorkspaceSummary, BackendError> {
    let q = normalise_search(query).map_err(|m| BackendError::invalid("query", m))?;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT slug, name, status FROM workspaces \
         WHERE status IN ('active', 'suspended') AND (slug = $1 OR name_key = $2) \
         ORDER BY slug LIMIT 3",
    )
    .bind(&q)
    .bind(name_key(&q))
    .fetch_all(db.pool())
    .await?;
    if let Some(exact) = rows.iter().find(|(slug, _, _)| *slug == q) {
        return summary(exact.clone());
    }
    match rows.len() {
        0 => Err(BackendError::NotFound(format!(
            "No workspace is called \u{201c}{q}\u{201d}."
        ))),
        1 => summary(rows.into_iter().next().expect("one row")),
        _ => Err(BackendError::invalid("query", FIND_AMBIGUOUS)),
    }
}

/// The workspace at `/w/<slug>/`, unless it is still being created.
pub async fn get(db: &Db, slug: &str) -> Result<WorkspaceSummary, BackendError> {
    let not_found = || BackendError::NotFound(format!("There is no workspace at /w/{slug}/."));
    if Slug::parse(slug).is_err() {
        return Err(not_found());
    }
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT slug, name, status FROM workspaces WHERE slug = $1 AND status IN ('active', 'suspended')",
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
