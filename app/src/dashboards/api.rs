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
    fn present(s: &str) -> Option<&str> {
        Some(s).filter(|s| !s.trim().is_empty())
    }
    let (range, problem) = TimeRange::from_query(present(&range), present(&from), present(&to));
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
