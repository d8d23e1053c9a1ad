//! Audit logs: one in each workspace database (sign-ins, failed sign-ins, invitations, role and
//! grant changes, exports), one in the control plane for operators. Entries are plain text
//! written by the product, never markup.

use crate::{now_millis, BackendError, Db};
use model::members::AuditListing;
use serde::{Deserialize, Serialize};

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub at: i64,
    pub actor_id: Option<String>,
    pub action: String,
    pub detail: String,
}

/// Records `action` in a workspace's own log.
pub async fn record(
    workspace_db: &Db,
    actor_id: Option<&str>,
    action: &str,
    detail: &str,
) -> Result<(), BackendError> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, action, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(uuid::Uuid::new_v4().simple().to_string())
    .bind(now_millis())
    .bind(actor_id)
    .bind(action)
    .bind(detail)
    .execute(workspace_db.pool())
    .await?;
    Ok(())
}

/// Records an operator's action (or a failed operator sign-in) in the control plane.
pub async fn record_operator(
    control: &Db,
    operator_id: Option<&str>,
    action: &str,
    detail: &str,
) -> Result<(), BackendError> {
    sqlx::query(
        "INSERT INTO operator_audit (id, at, operator_id, action, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(uuid::Uuid::new_v4().simple().to_string())
    .bind(now_millis())
    .bind(operator_id)
    .bind(action)
    .bind(detail)
    .execute(control.pool())
    .await?;
    Ok(())
}

/// The newest `limit` entries of a workspace's log.
pub async fn recent(workspace_db: &Db, limit: i64) -> Result<Vec<Entry>, BackendError> {
    let rows: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
        "SELECT at, actor_id, action, detail FROM audit_log ORDER BY at DESC, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(workspace_db.pool())
    .await?;
    Ok(rows.into_iter().map(entry).collect())
}

/// The newest `limit` operator entries.
pub async fn recent_operator(control: &Db, limit: i64) -> Result<Vec<Entry>, BackendError> {
    let rows: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
        "SELECT at, operator_id, action, detail FROM operator_audit ORDER BY at DESC, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(control.pool())
    .await?;
    Ok(rows.into_iter().map(entry).collect())
}

fn entry((at, actor_id, action, detail): (i64, Option<String>, String, String)) -> Entry {
    Entry {
        at,
        actor_id,
        action,
        detail,
    }
}

/// The newest `limit` operator entries with the operators' names, for the back office.
pub async fn operator_log(control: &Db, limit: i64) -> Result<Vec<AuditListing>, BackendError> {
    named_log(
        control,
        "SELECT a.at, o.name, a.action, a.detail FROM operator_audit a \
         LEFT JOIN operators o ON o.id = a.operator_id ORDER BY a.at DESC, a.id LIMIT $1",
        limit,
    )
    .await
}

/// The newest `limit` entries of a workspace's log with the names of the people who acted.
pub async fn workspace_log(
    workspace_db: &Db,
    limit: i64,
) -> Result<Vec<AuditListing>, BackendError> {
    named_log(
        workspace_db,
        "SELECT a.at, u.name, a.action, a.detail FROM audit_log a \
         LEFT JOIN users u ON u.id = a.actor_id ORDER BY a.at DESC, a.id LIMIT $1",
        limit,
    )
    .await
}

async fn named_log(
    db: &Db,
    sql: &'static str,
    limit: i64,
) -> Result<Vec<AuditListing>, BackendError> {
    let rows: Vec<(i64, Option<String>, String, String)> =
        sqlx::query_as(sql).bind(limit).fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, action, detail)| AuditListing {
            at,
            actor,
            action,
            detail,
        })
        .collect())
}
