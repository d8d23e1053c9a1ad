//! Erasing a workspace (GDPR): its database goes, every control-plane row about it goes, and
//! only a tombstone with its id and the time remains.

use super::create::now_millis;
use crate::registry::Registry;
use crate::{BackendError, Db, Engine};

pub async fn erase(control: &Db, registry: &Registry, slug: &str) -> Result<(), BackendError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, db_name FROM workspaces WHERE slug = $1")
            .bind(slug)
            .fetch_optional(control.pool())
            .await?;
    let (id, db_name) =
        row.ok_or_else(|| BackendError::NotFound(format!("There is no workspace at /w/{slug}/.")))?;

    registry.forget(&db_name).await;
    registry.storage().drop_database(&db_name).await?;

    let mut tx = control.pool().begin().await?;
    sqlx::query("DELETE FROM workspace_emails WHERE workspace_id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
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

    if control.engine() == Engine::Sqlite {
        // Move the zeroed pages out of the write-ahead log into the file and empty the log.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(control.pool())
            .await?;
    }
    tracing::info!(workspace_id = %id, "workspace erased");
    Ok(())
}
