//! Server functions of the people of a workspace. Each opens the workspace through the one
//! policy with the action it needs; the invitation and password-reset links are public (the
//! token is the right), as is asking for a reset.

use leptos::prelude::*;
use model::members::{AccountSettings, AuditListing, InvitationView, MembersOverview};
use model::ApiError;

/// The members page of the workspace at `slug` (admins and owners).
#[server(prefix = "/api", endpoint = "members")]
pub async fn load_members(slug: String) -> Result<MembersOverview, ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageMembers).await?;
    backend::members::overview(&ctx).await.map_err(fail)
}

/// Invites `email` as `role` and mails the link.
#[server(prefix = "/api", endpoint = "invite_member")]
pub async fn invite_member(slug: String, email: String, role: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace, services};
    let services = services()?;
    let ctx = open_workspace(&slug, model::access::Action::ManageMembers).await?;
    let role = model::members::parse_role(&role)
        .map_err(|m| fail(backend::BackendError::invalid("role", m)))?;
    backend::members::invitations::invite(
        &ctx,
        services.mail_context(crate::ssr::language()),
        &email,
        role,
    )
    .await
    .map_err(fail)?;
    leptos_axum::redirect(&super::members_path(&slug));
    Ok(())
}

/// Gives a member another role.
#[server(prefix = "/api", endpoint = "change_member_role")]
pub async fn change_member_role(
    slug: String,
    user_id: String,
    role: String,
) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageMembers).await?;
    let role = model::members::parse_role(&role)
        .map_err(|m| fail(backend::BackendError::invalid("role", m)))?;
    backend::members::change_role(&ctx, &user_id, role)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&super::members_path(&slug));
    Ok(())
}

/// Removes a member from the workspace.
#[server(prefix = "/api", endpoint = "remove_member")]
pub async fn remove_member(slug: String, user_id: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace, services};
    let services = services()?;
    let ctx = open_workspace(&slug, model::access::Action::ManageMembers).await?;
    backend::members::remove(&ctx, &services.control, &user_id)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&super::members_path(&slug));
    Ok(())
}

/// Withdraws a pending invitation.
#[server(prefix = "/api", endpoint = "withdraw_invitation")]
pub async fn withdraw_invitation(slug: String, id: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageMembers).await?;
    backend::members::invitations::revoke(&ctx, &id)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&super::members_path(&slug));
    Ok(())
}

/// What an invitation link offers. Public: the token is the right.
#[server(prefix = "/api", endpoint = "invitation")]
pub async fn load_invitation(slug: String, token: String) -> Result<InvitationView, ApiError> {
    use crate::ssr::{fail, services};
    let services = services()?;
    backend::members::invitations::view(&services.control, &services.registry, &slug, &token)
        .await
        .map_err(fail)
}

/// Accepts an invitation with a name and a password, signs in and goes home.
#[server(prefix = "/api", endpoint = "accept_invitation")]
pub async fn accept_invitation(
    slug: String,
    token: String,
    name: String,
    password: String,
) -> Result<(), ApiError> {
    use crate::ssr::{fail, services, signed_in_go};
    let services = services()?;
    let signed = backend::members::invitations::accept(
        &services.control,
        &services.registry,
        &services.sessions,
        &slug,
        &token,
        &name,
        &password,
    )
    .await
    .map_err(fail)?;
    signed_in_go(&services, signed, None);
    Ok(())
}

/// Mails a reset link if the address has an account here. Public; the answer is the same
/// either way.
#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(slug: String, email: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, services};
    let services = services()?;
    let slug = model::Slug::parse(&slug).map_err(|_| {
        fail(backend::BackendError::NotFound(
            "There is no such workspace.".into(),
        ))
    })?;
    let email = model::Email::parse(&email)
        .map_err(|m| fail(backend::BackendError::invalid("email", m)))?;
    services.send_password_reset(slug.to_string(), email, crate::ssr::language());
    leptos_axum::redirect(&format!("{}?sent=1", super::forgot_path(slug.as_str())));
    Ok(())
}

/// Sets a new password with a reset link's token; every session of that user ends.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(slug: String, token: String, password: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, services};
    let services = services()?;
    backend::members::reset::complete(
        &services.control,
        &services.registry,
        &slug,
        &token,
        &password,
    )
    .await
    .map_err(fail)?;
    leptos_axum::redirect(&format!("{}?reset=1", crate::account::sign_in_path(&slug)));
    Ok(())
}

/// The settings page of the signed-in user.
#[server(prefix = "/api", endpoint = "account_settings")]
pub async fn load_settings(slug: String) -> Result<AccountSettings, ApiError> {
    use crate::ssr::{fail, open_workspace, services};
    let services = services()?;
    let ctx = open_workspace(&slug, model::access::Action::ManageOwnAccount).await?;
    backend::members::own::settings(&ctx, &services.control, &services.sessions)
        .await
        .map_err(fail)
}

/// Changes the signed-in user's name.
#[server(prefix = "/api", endpoint = "rename_me")]
pub async fn rename_me(slug: String, name: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageOwnAccount).await?;
    backend::members::own::rename(&ctx, &name)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&super::settings_path(&slug));
    Ok(())
}

/// Changes the signed-in user's password; their other sessions end.
#[server(prefix = "/api", endpoint = "change_my_password")]
pub async fn change_my_password(
    slug: String,
    current_password: String,
    new_password: String,
) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace, services};
    let services = services()?;
    let ctx = open_workspace(&slug, model::access::Action::ManageOwnAccount).await?;
    backend::members::own::change_password(
        &ctx,
        &services.control,
        &current_password,
        &new_password,
    )
    .await
    .map_err(fail)?;
    leptos_axum::redirect(&format!("{}?changed=1", super::settings_path(&slug)));
    Ok(())
}

/// The newest entries of the workspace's audit log (admins, owners, operators).
#[server(prefix = "/api", endpoint = "audit_log")]
pub async fn load_audit(slug: String) -> Result<Vec<AuditListing>, ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ViewAudit).await?;
    backend::members::audit_log(&ctx, 200).await.map_err(fail)
}
