//! Erasing a workspace (GDPR): its database goes, every control-plane row about it goes, and
//! only a tombstone with its id and the time remains. The row is marked `erasing` first, so a
//! crash half-way leaves a workspace nobody can open, and erasing again finishes the job.

use super::create::now_millis;
use crate::registry::Registry;
use crate::{BackendError, Db, Engine};
use sqlx::AssertSqlSafe;
use std::time::Duration;

pub async fn erase(control: &Db, registry: &Registry, slug: &str) -> Result<(), BackendError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, db_name FROM workspaces WHERE slug = $1")
            .bind(slug)
            .fetch_optional(control.pool())
            .await?;
    let (id, db_name) =
        row.ok_or_else(|| BackendError::NotFound(format!("There is no workspace at /w/{slug}/.")))?;

    sqlx::query("UPDATE workspaces SET status = 'erasing' WHERE id = $1")
        .bind(&id)
        .execute(control.pool())
        .await?;
    registry.forget(&db_name).await;
    registry.storage().drop_database(&db_name).await?;

    let mut tx = control.pool().begin().await?;
    // Every control-plane table that names a workspace (the foreign keys would cascade too;
    // this says it).
    for table in [
        "workspace_emails",
        "sessions",
        "rate_events",
        "workspace_sources",
    ] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE workspace_id = $1"
        )))
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM workspaces WHERE id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO workspace_tombstones (id, erased_at) VALUES ($1, $2)")
        .bind(&id)
        .bind(now_millis())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    scrub(control).await?;
    tracing::info!(workspace_id = %id, "workspace erased");
    Ok(())
}

/// Makes sure deleted rows are gone from the storage too, not only from queries.
async fn scrub(control: &Db) -> Result<(), BackendError> {
    match control.engine() {
        Engine::Sqlite => {
            // secure_delete zeroed the rows in the new page versions; the old versions sit in
            // the write-ahead log until a checkpoint copies the new ones over and empties it.
            // Readers in other connections can hold a checkpoint back for a moment.
            for _ in 0..100 {
                let (busy, _, _): (i64, i64, i64) =
                    sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                        .fetch_one(control.pool())
                        .await?;
                if busy == 0 {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(BackendError::Internal(
                "the workspace is erased, but readers kept its old pages in the database log; \
                 they go at the next checkpoint"
                    .into(),
            ))
        }
        Engine::Postgres => {
            // Deleted rows stay in the table files as dead tuples until the table is rewritten.
            sqlx::query("VACUUM FULL workspaces, workspace_emails")
                .execute(control.pool())
                .await?;
            Ok(())
        }
    }
}
