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
