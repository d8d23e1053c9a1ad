//! A workspace's dashboards: stored (`dashboards` table), listed and read as the caller may see
//! them, saved by editors and above. A workspace that has saved none sees the starter
//! dashboard, made afresh from what its devices report (`view`).

pub mod edit;
pub mod templates;
pub mod view;

use crate::auth::ctx::WorkspaceCtx;
use crate::{audit, now_millis, BackendError};
use model::access::Action;
use model::dashboards::{Dashboard, DashboardSummary, Visibility, Widget};

pub const NO_SUCH_DASHBOARD: &str = "There is no such dashboard, or it is not shown to you.";
pub const DASHBOARD_NAME_TAKEN: &str = "Another dashboard has this name; please choose another.";

type Row = (String, String, String, String, i64, i64);

fn dashboard_of(row: Row) -> Result<Dashboard, BackendError> {
    let (id, name, visibility, widgets, is_default, updated_at) = row;
    let visibility: Visibility = serde_json::from_str(&visibility)
        .map_err(|e| BackendError::Internal(format!("stored visibility of dashboard {id}: {e}")))?;
    let widgets: Vec<Widget> = serde_json::from_str(&widgets)
        .map_err(|e| BackendError::Internal(format!("stored widgets of dashboard {id}: {e}")))?;
    Ok(Dashboard {
        id,
        name,
        visibility,
        is_default: is_default != 0,
        widgets,
        updated_at,
    })
}

/// Whether the caller sees a dashboard: admins every one (`groups` is `None` for them, as for
/// devices); others those shown to everyone or to a group granted to them.
fn shown(dashboard: &Dashboard, groups: &Option<Vec<String>>) -> bool {
    match (&dashboard.visibility, groups) {
        (_, None) | (Visibility::Everyone, _) => true,
        (Visibility::Groups { groups: to }, Some(mine)) => to.iter().any(|g| mine.contains(g)),
    }
}

async fn all(ctx: &WorkspaceCtx) -> Result<Vec<Dashboard>, BackendError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, visibility, widgets, is_default, updated_at FROM dashboards \
         ORDER BY is_default DESC, name, id",
    )
    .fetch_all(ctx.db().pool())
    .await?;
    rows.into_iter().map(dashboard_of).collect()
}

/// The dashboards the caller sees, the default first.
pub async fn list(ctx: &WorkspaceCtx) -> Result<Vec<Dashboard>, BackendError> {
    let groups = crate::devices::visible_groups(ctx).await?;
    Ok(all(ctx)
        .await?
        .into_iter()
        .filter(|d| shown(d, &groups))
        .collect())
}

/// Names for a menu.
pub fn summaries(dashboards: &[Dashboard]) -> Vec<DashboardSummary> {
    dashboards
        .iter()
        .map(|d| DashboardSummary {
            id: d.id.clone(),
            name: d.name.clone(),
            is_default: d.is_default,
        })
        .collect()
}

/// One dashboard, if the caller sees it.
pub async fn get(ctx: &WorkspaceCtx, id: &str) -> Result<Dashboard, BackendError> {
    let groups = crate::devices::visible_groups(ctx).await?;
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, name, visibility, widgets, is_default, updated_at FROM dashboards WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(ctx.db().pool())
    .await?;
    match row.map(dashboard_of).transpose()? {
        Some(d) if shown(&d, &groups) => Ok(d),
        _ => Err(BackendError::NotFound(NO_SUCH_DASHBOARD.into())),
    }
}

/// Saves a dashboard (editors and above): a new one when its id is empty, else the one with
/// that id. Checked whole first; a default one takes the place of the previous default.
/// Returns its id.
pub async fn save(ctx: &WorkspaceCtx, dashboard: Dashboard) -> Result<String, BackendError> {
    ctx.require(Action::EditDashboards)?;
    let d = dashboard.checked().map_err(super::devices::first_problem)?;
    if let Visibility::Groups { groups } = &d.visibility {
        let known: Vec<String> = sqlx::query_scalar("SELECT id FROM device_groups")
            .fetch_all(ctx.db().pool())
            .await?;
        if let Some(unknown) = groups.iter().find(|g| !known.contains(g)) {
            return Err(BackendError::invalid(
                "visibility",
                format!("There is no group {unknown}."),
            ));
        }
    }
    let visibility = serde_json::to_string(&d.visibility).expect("visibility serialises");
    let widgets = serde_json::to_string(&d.widgets).expect("widgets serialise");
    let now = now_millis();
    let mut tx = ctx.db().pool().begin().await?;
    if d.is_default {
        sqlx::query("UPDATE dashboards SET is_default = 0 WHERE is_default = 1 AND id <> $1")
            .bind(&d.id)
            .execute(&mut *tx)
            .await?;
    }
    let (id, written) = if d.id.is_empty() {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let written = sqlx::query(
            "INSERT INTO dashboards (id, name, visibility, widgets, is_default, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(&id)
        .bind(&d.name)
        .bind(&visibility)
        .bind(&widgets)
        .bind(i64::from(d.is_default))
        .bind(now)
        .execute(&mut *tx)
        .await;
        (id, written)
    } else {
        let written = sqlx::query(
            "UPDATE dashboards SET name = $2, visibility = $3, widgets = $4, is_default = $5, \
             updated_at = $6 WHERE id = $1",
        )
        .bind(&d.id)
        .bind(&d.name)
        .bind(&visibility)
        .bind(&widgets)
        .bind(i64::from(d.is_default))
        .bind(now)
        .execute(&mut *tx)
        .await;
        (d.id.clone(), written)
    };
    match written {
        Ok(done) if done.rows_affected() == 1 => {}
        Ok(_) => return Err(BackendError::NotFound(NO_SUCH_DASHBOARD.into())),
        Err(e)
            if e.as_database_error()
                .is_some_and(|d| d.is_unique_violation()) =>
        {
            return Err(BackendError::invalid("name", DASHBOARD_NAME_TAKEN));
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    audit::record(ctx.db(), ctx.actor_id(), "dashboard_saved", &d.name).await?;
    Ok(id)
}

/// Deletes a dashboard (editors and above).
pub async fn delete(ctx: &WorkspaceCtx, id: &str) -> Result<(), BackendError> {
    ctx.require(Action::EditDashboards)?;
    let d = get(ctx, id).await?;
    sqlx::query("DELETE FROM dashboards WHERE id = $1")
        .bind(id)
        .execute(ctx.db().pool())
        .await?;
    audit::record(ctx.db(), ctx.actor_id(), "dashboard_deleted", &d.name).await?;
    Ok(())
}
