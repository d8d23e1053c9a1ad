//! Server functions of the dashboards. The range comes as words from the address (`range=6h`,
//! or `from` and `to`); ids and names only, never a query for the data source.

use leptos::prelude::*;
use model::dashboards::DashboardView;
use model::ApiError;

/// Dashboard `id` (the default when empty) with each widget's data over the range asked.
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn load_dashboard(
    slug: String,
    #[server(default)] id: String,
    #[server(default)] range: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<DashboardView, ApiError> {
    use crate::ssr::{fail, open_workspace};
    use model::dashboards::TimeRange;
    let ctx = open_workspace(&slug, model::access::Action::ViewWorkspace).await?;
    let (services, scope) = crate::devices::api::data_source(&ctx).await?;
    let (range, problem) = TimeRange::from_query(Some(&range), Some(&from), Some(&to));
    backend::dashboards::view::view(
        &ctx,
        &services.connector,
        &scope,
        Some(&id),
        range,
        problem,
        &services.map_tiles,
        &crate::devices::devices_path(&slug),
    )
    .await
    .map_err(fail)
}

/// Every marker of map `widget` of dashboard `id` (the starter when empty), up to
/// `MAX_MAP_DEVICES`, and how many devices are left out: a large fleet's map, loaded in the
/// browser after the page (which draws the dashboard's first devices).
#[server(prefix = "/api", endpoint = "fleet_map")]
pub async fn fleet_map(
    slug: String,
    #[server(default)] id: String,
    widget: String,
) -> Result<(Vec<model::map::MapMarker>, u64), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ViewWorkspace).await?;
    let (services, scope) = crate::devices::api::data_source(&ctx).await?;
    backend::dashboards::view::fleet_map(
        &ctx,
        &services.connector,
        &scope,
        &id,
        &widget,
        &crate::devices::devices_path(&slug),
    )
    .await
    .map_err(fail)
}

/// The editor of dashboard `id` (`new` for a new one), for editors and above.
#[server(prefix = "/api", endpoint = "dashboard_editor")]
pub async fn dashboard_editor(
    slug: String,
    id: String,
) -> Result<model::dashboards::DashboardEditView, ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::EditDashboards).await?;
    let (services, scope) = crate::devices::api::data_source(&ctx).await?;
    let mut view = backend::dashboards::edit::edit_view(&ctx, &services.connector, &scope, &id)
        .await
        .map_err(fail)?;
    if view.dashboard.id.is_empty() {
        view.templates = backend::dashboards::templates::list_all(&services.control)
            .await
            .map_err(fail)?
            .iter()
            .map(|t| t.summary())
            .collect();
    }
    Ok(view)
}

/// Copies a template the operators keep into the workspace as a new dashboard, and opens it
/// in the editor.
#[server(prefix = "/api", endpoint = "copy_template")]
pub async fn copy_template(slug: String, template: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace, services};
    let ctx = open_workspace(&slug, model::access::Action::EditDashboards).await?;
    let id = backend::dashboards::templates::copy(&ctx, &services()?.control, &template)
        .await
        .map_err(fail)?;
    announce(&ctx, &id)?;
    leptos_axum::redirect(&super::editor_path(&slug, &id));
    Ok(())
}

/// Saves the editor's form and opens the dashboard.
#[server(prefix = "/api", endpoint = "save_dashboard")]
pub async fn save_dashboard(
    slug: String,
    #[server(default)] id: String,
    #[server(default)] name: String,
    #[server(default)] visibility: String,
    #[server(default)] groups: Vec<String>,
    #[server(default)] is_default: Option<String>,
    #[server(default)] widgets: Vec<model::dashboards::form::WidgetForm>,
) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    use backend::dashboards::edit::{save_form, DashboardForm};
    let ctx = open_workspace(&slug, model::access::Action::EditDashboards).await?;
    let form = DashboardForm {
        id,
        name,
        visibility,
        groups,
        is_default: is_default.is_some(),
        widgets,
    };
    let id = save_form(&ctx, form).await.map_err(fail)?;
    announce(&ctx, &id)?;
    leptos_axum::redirect(&format!("{}/{id}", super::dashboards_path(&slug)));
    Ok(())
}

/// Deletes a dashboard and opens the default one.
#[server(prefix = "/api", endpoint = "delete_dashboard")]
pub async fn delete_dashboard(slug: String, id: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::EditDashboards).await?;
    backend::dashboards::delete(&ctx, &id).await.map_err(fail)?;
    announce(&ctx, &id)?;
    leptos_axum::redirect(&super::dashboards_path(&slug));
    Ok(())
}

/// Tells the workspace's open pages, on every server process, that dashboard `id` changed.
#[cfg(feature = "ssr")]
fn announce(ctx: &backend::auth::WorkspaceCtx, id: &str) -> Result<(), ApiError> {
    crate::ssr::services()?
        .live
        .publish(backend::live::Event::DashboardChanged {
            workspace: ctx.workspace.id.clone(),
            id: id.to_string(),
        });
    Ok(())
}
