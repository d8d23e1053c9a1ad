//! Server functions of device groups and grants.

use leptos::prelude::*;
use model::groups::{GroupsOverview, VisibleGroup};
use model::ApiError;

/// The groups page: every group with its grants (admins and owners).
#[server(prefix = "/api", endpoint = "groups")]
pub async fn load_groups(slug: String) -> Result<GroupsOverview, ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageMembers).await?;
    backend::groups::overview(&ctx).await.map_err(fail)
}

/// The groups the signed-in member may see.
#[server(prefix = "/api", endpoint = "my_groups")]
pub async fn my_groups(slug: String) -> Result<Vec<VisibleGroup>, ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ViewWorkspace).await?;
    backend::groups::visible(&ctx).await.map_err(fail)
}

/// Creates a device group.
#[server(prefix = "/api", endpoint = "create_group")]
pub async fn create_group(slug: String, name: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageDevices).await?;
    backend::groups::create(&ctx, &name).await.map_err(fail)?;
    leptos_axum::redirect(&super::groups_path(&slug));
    Ok(())
}

/// Deletes a device group.
#[server(prefix = "/api", endpoint = "delete_group")]
pub async fn delete_group(slug: String, group_id: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageDevices).await?;
    backend::groups::delete(&ctx, &group_id)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&super::groups_path(&slug));
    Ok(())
}

/// Gives a member or a role access to a group.
#[server(prefix = "/api", endpoint = "grant_group")]
pub async fn grant_group(
    slug: String,
    group_id: String,
    subject: String,
    level: String,
) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    use backend::BackendError;
    use model::groups::{Level, Subject, UNKNOWN_LEVEL};
    let ctx = open_workspace(&slug, model::access::Action::ManageMembers).await?;
    let subject =
        Subject::parse(&subject).map_err(|m| fail(BackendError::invalid("subject", m)))?;
    let level =
        Level::parse(&level).ok_or_else(|| fail(BackendError::invalid("level", UNKNOWN_LEVEL)))?;
    backend::groups::grant(&ctx, &group_id, &subject, level)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&super::groups_path(&slug));
    Ok(())
}

/// Takes a grant away.
#[server(prefix = "/api", endpoint = "revoke_grant")]
pub async fn revoke_grant(slug: String, grant_id: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace};
    let ctx = open_workspace(&slug, model::access::Action::ManageMembers).await?;
    backend::groups::revoke(&ctx, &grant_id)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&super::groups_path(&slug));
    Ok(())
}
