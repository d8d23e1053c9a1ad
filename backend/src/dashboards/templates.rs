//! Dashboard templates in the control plane: operators keep a workspace's dashboard as one (its
//! devices and groups left behind) or remove one; editors of any workspace copy one in.

use super::save;
use crate::auth::ctx::{OperatorCtx, WorkspaceCtx};
use crate::{audit, now_millis, BackendError, Db};
use model::access::Action;
use model::dashboards::templates::{free_name, DashboardTemplate};
use model::dashboards::Widget;

pub const NO_SUCH_TEMPLATE: &str = "There is no such template.";
pub const TEMPLATE_NAME_TAKEN: &str = "Another template has this name; please choose another.";

type Row = (String, String, String, i64);

fn template_of((id, name, widgets, updated_at): Row) -> Result<DashboardTemplate, BackendError> {
    let widgets: Vec<Widget> = serde_json::from_str(&widgets)
        .map_err(|e| BackendError::Internal(format!("stored widgets of template {id}: {e}")))?;
    Ok(DashboardTemplate {
        id,
        name,
        widgets,
        updated_at,
    })
}

/// Every template, by name.
pub async fn list_all(control: &Db) -> Result<Vec<DashboardTemplate>, BackendError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, widgets, updated_at FROM dashboard_templates ORDER BY name, id",
    )
    .fetch_all(control.pool())
    .await?;
    rows.into_iter().map(template_of).collect()
}

async fn get(control: &Db, id: &str) -> Result<DashboardTemplate, BackendError> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, name, widgets, updated_at FROM dashboard_templates WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(control.pool())
    .await?;
    row.map(template_of)
        .transpose()?
        .ok_or_else(|| BackendError::NotFound(NO_SUCH_TEMPLATE.into()))
}

/// Keeps dashboard `dashboard_id` of the workspace `ctx` opens (for an operator) as template
/// `name`; returns the template's id. Audited in the control plane.
pub async fn keep(
    control: &Db,
    operator: &OperatorCtx,
    ctx: &WorkspaceCtx,
    dashboard_id: &str,
    name: &str,
) -> Result<String, BackendError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(BackendError::invalid(
            "name",
            "A template's name has 1 to 80 characters.",
        ));
    }
    let dashboard = super::get(ctx, dashboard_id).await?;
    let widgets = serde_json::to_string(&DashboardTemplate::widgets_of(&dashboard))
        .expect("widgets serialise");
    let id = uuid::Uuid::new_v4().simple().to_string();
    let now = now_millis();
    let written = sqlx::query(
        "INSERT INTO dashboard_templates (id, name, widgets, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(&id)
    .bind(name)
    .bind(&widgets)
    .bind(now)
    .execute(control.pool())
    .await;
    match written {
        Ok(_) => {}
        Err(e)
            if e.as_database_error()
                .is_some_and(|d| d.is_unique_violation()) =>
        {
            return Err(BackendError::invalid("name", TEMPLATE_NAME_TAKEN));
        }
        Err(e) => return Err(e.into()),
    }
    audit::record_operator(
        control,
        Some(&operator.operator_id),
        "template_kept",
        &format!("{name} (from {} / {})", ctx.workspace.slug, dashboard.name),
    )
    .await?;
    Ok(id)
}

/// Removes a template (workspaces keep the dashboards copied from it).
pub async fn remove(control: &Db, operator: &OperatorCtx, id: &str) -> Result<(), BackendError> {
    let template = get(control, id).await?;
    sqlx::query("DELETE FROM dashboard_templates WHERE id = $1")
        .bind(id)
        .execute(control.pool())
        .await?;
    audit::record_operator(
        control,
        Some(&operator.operator_id),
        "template_removed",
        &template.name,
    )
    .await
}

/// Copies template `id` into the workspace as a new dashboard shown to every member, under the
/// template's name (numbered when taken); returns the new dashboard's id.
pub async fn copy(ctx: &WorkspaceCtx, control: &Db, id: &str) -> Result<String, BackendError> {
    ctx.require(Action::EditDashboards)?;
    let template = get(control, id).await?;
    // Every name of the workspace, shown to this editor or not: names are unique across them.
    let taken: Vec<String> = sqlx::query_scalar("SELECT name FROM dashboards")
        .fetch_all(ctx.db().pool())
        .await?;
    let dashboard = template.dashboard(&free_name(&template.name, &taken));
    save(ctx, dashboard).await
}
