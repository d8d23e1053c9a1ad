//! Server functions of the back office. Sign-in is public; the rest needs an operator session.

use leptos::prelude::*;
use model::admin::AdminOverview;
use model::ApiError;

/// Signs an operator in and goes to the back office.
#[server(prefix = "/api", endpoint = "operator_sign_in")]
pub async fn operator_sign_in(email: String, password: String) -> Result<(), ApiError> {
    use crate::ssr::{client_addr, fail, services, signed_in_go};
    use backend::auth::signin::{self, Credentials};
    let services = services()?;
    let signed = signin::operator(
        &services.control,
        &services.sessions,
        Credentials {
            email: &email,
            password: &password,
        },
        &client_addr(),
    )
    .await
    .map_err(fail)?;
    signed_in_go(&services, signed, Some(super::ADMIN_PATH));
    Ok(())
}

/// Every workspace and the newest mails of the outbox.
#[server(prefix = "/api", endpoint = "admin_overview")]
pub async fn load_admin_overview() -> Result<AdminOverview, ApiError> {
    use crate::ssr::{fail, require_operator, services};
    let operator = require_operator(model::access::Action::Operate).await?;
    let services = services()?;
    let workspaces = backend::workspaces::list(&services.control)
        .await
        .map_err(fail)?;
    let outbox = services.mailer.outbox(50).await.map_err(fail)?;
    let audit = backend::audit::operator_log(&services.control, 100)
        .await
        .map_err(fail)?;
    Ok(AdminOverview {
        operator_name: operator.name,
        workspaces,
        outbox,
        audit,
    })
}

/// One workspace in the back office, with the data source it reads.
#[server(prefix = "/api", endpoint = "admin_workspace")]
pub async fn admin_workspace(slug: String) -> Result<model::admin::AdminWorkspaceView, ApiError> {
    use crate::ssr::{fail, require_operator, services};
    require_operator(model::access::Action::Operate).await?;
    let services = services()?;
    let summary = backend::workspaces::get(&services.control, &slug)
        .await
        .map_err(fail)?;
    let own_source = backend::connector::workspace::describe(&services.control, &slug)
        .await
        .map_err(fail)?;
    // Read past `fail`: a workspace whose database does not answer still has this page.
    let dashboards = async {
        let ctx = backend::auth::open_workspace(
            &services.control,
            &services.registry,
            &crate::ssr::caller(),
            &slug,
            model::access::Action::ViewWorkspace,
        )
        .await?;
        backend::dashboards::list(&ctx).await
    }
    .await
    .inspect_err(|e| tracing::warn!(error = %e, %slug, "the back office could not list a workspace's dashboards"))
    .ok();
    Ok(model::admin::AdminWorkspaceView {
        summary,
        own_source,
        deployment_source: services.connector.source().map(|s| s.url.to_string()),
        dashboards: dashboards.map(|d| backend::dashboards::summaries(&d)),
    })
}

/// Points a workspace at its own data source. A blank token keeps the stored one unless
/// `remove_token` is ticked; `id_map` holds one `registry id = source id` per line.
#[server(prefix = "/api", endpoint = "set_workspace_source")]
pub async fn set_workspace_source(
    slug: String,
    url: String,
    #[server(default)] token: String,
    #[server(default)] remove_token: Option<String>,
    #[server(default)] id_map: String,
) -> Result<(), ApiError> {
    use crate::ssr::{fail, require_operator, services};
    use backend::connector::workspace::{self, Token};
    let operator = require_operator(model::access::Action::Operate).await?;
    let services = services()?;
    let id_map = model::admin::parse_id_map(&id_map)
        .map_err(|m| fail(backend::BackendError::invalid("id_map", m)))?;
    let token = match (remove_token.is_some(), token.trim().is_empty()) {
        (true, _) => Token::Remove,
        (false, true) => Token::Keep,
        (false, false) => Token::Replace(token),
    };
    let mapped = id_map.len();
    workspace::set(&services.control, &slug, &url, token, id_map)
        .await
        .map_err(fail)?;
    let detail = format!("/w/{slug}/ reads {} ({mapped} ids mapped)", url.trim());
    source_changed(&services, &operator, &detail).await
}

/// Makes a workspace read the deployment's data source again.
#[server(prefix = "/api", endpoint = "clear_workspace_source")]
pub async fn clear_workspace_source(slug: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, require_operator, services};
    let operator = require_operator(model::access::Action::Operate).await?;
    let services = services()?;
    backend::connector::workspace::clear(&services.control, &slug)
        .await
        .map_err(fail)?;
    let detail = format!("/w/{slug}/ reads the deployment's source again");
    source_changed(&services, &operator, &detail).await
}

/// Keeps who changed which workspace's source in the operators' audit log.
#[cfg(feature = "ssr")]
async fn source_changed(
    services: &backend::Services,
    operator: &backend::auth::OperatorCtx,
    detail: &str,
) -> Result<(), ApiError> {
    backend::audit::record_operator(
        &services.control,
        Some(&operator.operator_id),
        "workspace_source_changed",
        detail,
    )
    .await
    .map_err(crate::ssr::fail)
}

/// Asks the source a workspace reads, past the cache, whether it answers and with how many
/// devices.
#[server(prefix = "/api", endpoint = "check_workspace_source")]
pub async fn check_workspace_source(slug: String) -> Result<model::admin::SourceCheck, ApiError> {
    use crate::ssr::{fail, require_operator, services};
    require_operator(model::access::Action::Operate).await?;
    let services = services()?;
    backend::connector::workspace::check(&services.control, &services.connector, &slug)
        .await
        .map_err(fail)
}

/// Every dashboard template.
#[server(prefix = "/api", endpoint = "admin_templates")]
pub async fn admin_templates(
) -> Result<Vec<model::dashboards::templates::DashboardTemplate>, ApiError> {
    use crate::ssr::{fail, require_operator, services};
    require_operator(model::access::Action::Operate).await?;
    backend::dashboards::templates::list_all(&services()?.control)
        .await
        .map_err(fail)
}

/// Keeps dashboard `dashboard` of workspace `slug` as template `name`, and opens the templates.
#[server(prefix = "/api", endpoint = "keep_template")]
pub async fn keep_template(
    slug: String,
    dashboard: String,
    #[server(default)] name: String,
) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace, require_operator, services};
    let operator = require_operator(model::access::Action::Operate).await?;
    let ctx = open_workspace(&slug, model::access::Action::ViewWorkspace).await?;
    backend::dashboards::templates::keep(&services()?.control, &operator, &ctx, &dashboard, &name)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(super::TEMPLATES_PATH);
    Ok(())
}

/// Removes a template (dashboards copied from it stay).
#[server(prefix = "/api", endpoint = "remove_template")]
pub async fn remove_template(id: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, require_operator, services};
    let operator = require_operator(model::access::Action::Operate).await?;
    backend::dashboards::templates::remove(&services()?.control, &operator, &id)
        .await
        .map_err(fail)
}
