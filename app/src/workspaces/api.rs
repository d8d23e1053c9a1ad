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

/// Mails the address the links to every workspace it belongs to. The answer is the same whether
/// or not the address is known; the page then says a mail may be on its way.
#[server(prefix = "/api", endpoint = "send_workspace_links")]
pub async fn send_workspace_links(email: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, services};
    let services = services()?;
    let email = model::Email::parse(&email)
        .map_err(|m| fail(backend::BackendError::invalid("email", m)))?;
    services.send_workspace_links(email);
    leptos_axum::redirect(super::LINKS_SENT_PATH);
    Ok(())
}
