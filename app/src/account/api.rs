//! Server functions of signing in and out. Sign-in and sign-out are public (anyone may try;
//! signing out without a session does nothing); the others need a session of the workspace.

use leptos::prelude::*;
use model::account::Me;
use model::ApiError;

/// Signs into the workspace at `slug` and goes to its home page.
#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(slug: String, email: String, password: String) -> Result<(), ApiError> {
    use crate::ssr::{client_addr, fail, services, signed_in_go};
    use backend::auth::signin::{self, Credentials};
    let services = services()?;
    let signed = signin::member(
        &services.control,
        &services.registry,
        &services.sessions,
        &slug,
        Credentials {
            email: &email,
            password: &password,
        },
        &client_addr(),
    )
    .await
    .map_err(fail)?;
    signed_in_go(&services, signed, None);
    Ok(())
}

/// Ends this browser's session and goes to the sign-in page of `slug` (or the start page).
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out(slug: Option<String>) -> Result<(), ApiError> {
    use crate::ssr::{caller, clear_session_cookie, fail, services};
    use backend::auth::{session, Caller};
    let services = services()?;
    if let Caller::Signed(s) = caller() {
        session::end(&services.control, &s.id).await.map_err(fail)?;
    }
    clear_session_cookie(&services);
    let to = match slug.as_deref().map(model::Slug::parse) {
        Some(Ok(slug)) => super::sign_in_path(slug.as_str()),
        _ => "/".to_string(),
    };
    leptos_axum::redirect(&to);
    Ok(())
}

/// Ends every session of the signed-in user, on every device, and goes to the sign-in page.
#[server(prefix = "/api", endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere(slug: String) -> Result<(), ApiError> {
    use crate::ssr::{clear_session_cookie, fail, open_workspace, services};
    use backend::auth::{session, Actor};
    let services = services()?;
    let ctx = open_workspace(&slug, model::access::Action::ManageOwnAccount).await?;
    if let Actor::Member(me) = &ctx.actor {
        let ended = session::end_all_of_user(&services.control, &ctx.workspace.id, &me.id)
            .await
            .map_err(fail)?;
        backend::audit::record(
            ctx.db(),
            Some(&me.id),
            "sign_out_everywhere",
            &format!("{ended} sessions ended"),
        )
        .await
        .map_err(fail)?;
    }
    clear_session_cookie(&services);
    leptos_axum::redirect(&super::sign_in_path(ctx.workspace.slug.as_str()));
    Ok(())
}

/// The signed-in person in the workspace at `slug`.
#[server(prefix = "/api", endpoint = "whoami")]
pub async fn whoami(slug: String) -> Result<Me, ApiError> {
    use crate::ssr::open_workspace;
    use backend::auth::Actor;
    let ctx = open_workspace(&slug, model::access::Action::ViewWorkspace).await?;
    let workspace = model::WorkspaceSummary {
        slug: ctx.workspace.slug.clone(),
        name: ctx.workspace.name.clone(),
        status: ctx.workspace.status,
    };
    Ok(match ctx.actor {
        Actor::Member(m) => Me {
            name: m.name,
            email: m.email.as_str().to_string(),
            role: Some(m.role),
            workspace,
        },
        Actor::Operator(op) => Me {
            name: op.name,
            email: op.email,
            role: None,
            workspace,
        },
    })
}
