//! Server functions about workspaces. Public: they tell no more than a workspace's address,
//! name and whether it is open, which anyone who knows the address may see.

use leptos::prelude::*;
use model::{ApiError, WorkspaceSummary};

/// Finds a workspace by its name or address and sends the browser to it.
#[server(prefix = "/api", endpoint = "find_workspace")]
pub async fn find_workspace(query: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, services};
    let services = services()?;
    let found = backend::workspaces::find(&services.control, &query)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&found.slug.home_path());
    Ok(())
}

/// The workspace at `/w/<slug>/`.
#[server(prefix = "/api", endpoint = "get_workspace")]
pub async fn get_workspace(slug: String) -> Result<WorkspaceSummary, ApiError> {
    use crate::ssr::{fail, services};
    let services = services()?;
    backend::workspaces::get(&services.control, &slug)
        .await
        .map_err(fail)
}
