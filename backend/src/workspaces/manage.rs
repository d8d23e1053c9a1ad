//! The operator's view of workspaces: the list, and suspending or resuming one.

use super::summary;
use crate::{BackendError, Db};
use model::WorkspaceStatus;

/// One line of the workspace list.
pub type WorkspaceRow = model::admin::WorkspaceListing;

/// Every workspace that exists (not those still being created), by address.
pub async fn list(control: &Db) -> Result<Vec<WorkspaceRow>, BackendError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT slug, name, status, created_at FROM workspaces \
         WHERE status IN ('active', 'suspended') ORDER BY slug",
    )
    .fetch_all(control.pool())
    .await?;
    rows.into_iter()
        .map(|(slug, name, status, created_at)| {
            Ok(WorkspaceRow {
                summary: summary((slug, name, status))?,
                created_at,
            })
        })
        .collect()
}

/// Suspends or resumes the workspace at `slug`.
pub async fn set_status(
    control: &Db,
    slug: &str,
    status: WorkspaceStatus,
) -> Result<(), BackendError> {
    if status == WorkspaceStatus::Provisioning {
        return Err(BackendError::invalid(
            "status",
            "A workspace can only be suspended or resumed.",
        ));
    }
    let done = sqlx::query(
        "UPDATE workspaces SET status = $1 WHERE slug = $2 AND status IN ('active', 'suspended')",
    )
    .bind(status.as_str())
    .bind(slug)
    .execute(control.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(BackendError::NotFound(format!(
            "There is no workspace at /w/{slug}/."
        )));
    }
    Ok(())
}
