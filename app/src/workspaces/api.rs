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
    services.send_workspace_links(email, crate::ssr::language());
    leptos_axum::redirect(super::LINKS_SENT_PATH);
    Ok(())
}

/// Creates a workspace with its owner (the landing page's form), signs the owner in and goes to
/// its home page. An empty address is suggested from the company name. Public, limited per
/// client address.
#[server(prefix = "/api", endpoint = "create_workspace")]
pub async fn create_workspace(
    name: String,
    slug: String,
    owner_name: String,
    owner_email: String,
    owner_password: String,
) -> Result<(), ApiError> {
    use crate::ssr::{client_addr, fail, services, signed_in_go};
    use backend::auth::limit::{self, Key, ADDRESS_CREATIONS};
    let services = services()?;
    let slug = match slug.trim() {
        "" => model::Slug::suggest(&name),
        given => given.to_string(),
    };
    let key = Key::new(ADDRESS_CREATIONS, &[&client_addr().0], None);
    let now = backend::now_millis();
    let attempt = limit::attempt(&services.control, &key, now)
        .await
        .map_err(fail)?;
    let email = owner_email.clone();
    let created = backend::workspaces::create(
        &services.control,
        &services.registry,
        backend::workspaces::NewWorkspace {
            slug,
            name,
            owner_name,
            owner_email,
            owner_password,
        },
    )
    .await;
    let created = match created {
        Ok(created) => {
            attempt.keep();
            created
        }
        Err(e) => {
            // Only creations count: a refused form does not.
            attempt.forget(&services.control).await.map_err(fail)?;
            return Err(fail(e));
        }
    };
    let email = model::Email::parse(&email)
        .map_err(|m| fail(backend::BackendError::invalid("owner_email", m)))?;
    let signed = backend::auth::signin::new_owner(
        &services.control,
        &services.registry,
        &services.sessions,
        &created.slug,
        &email,
    )
    .await
    .map_err(fail)?;
    signed_in_go(&services, signed, None);
    Ok(())
}

/// The workspace's own brand, for its brand page (owners and admins).
#[server(prefix = "/api", endpoint = "workspace_branding")]
pub async fn workspace_branding(slug: String) -> Result<model::workspace::BrandingView, ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::BrandWorkspace).await?;
    backend::workspaces::branding::view(&ctx)
        .await
        .map_err(fail)
}

/// Sets the workspace's display name and primary colour (empty: the theme's).
#[server(prefix = "/api", endpoint = "save_branding")]
pub async fn save_branding(
    slug: String,
    #[server(default)] display_name: String,
    #[server(default)] primary_color: String,
) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace, services};
    let services = services()?;
    let ctx = open_workspace(&slug, model::access::Action::BrandWorkspace).await?;
    backend::workspaces::branding::save(&ctx, &display_name, &primary_color)
        .await
        .map_err(fail)?;
    services.brands.forget(&slug);
    leptos_axum::redirect(&format!("{}?saved=brand", super::branding_path(&slug)));
    Ok(())
}

/// Removes the workspace's logo (the theme's shows again).
#[server(prefix = "/api", endpoint = "remove_brand_logo")]
pub async fn remove_brand_logo(slug: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace, services};
    let services = services()?;
    let ctx = open_workspace(&slug, model::access::Action::BrandWorkspace).await?;
    backend::workspaces::branding::remove_logo(&ctx)
        .await
        .map_err(fail)?;
    services.brands.forget(&slug);
    leptos_axum::redirect(&format!("{}?saved=logo", super::branding_path(&slug)));
    Ok(())
}
