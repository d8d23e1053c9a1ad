//! The people of a workspace: members and roles (this file), invitations, password resets and
//! one's own account. Everything that changes who may do what is written to the audit log.

pub mod invitations;
pub mod own;
pub mod reset;

use crate::auth::ctx::WorkspaceCtx;
use crate::auth::session;
use crate::{audit, BackendError, Db};
use model::access::Action;
use model::members::{
    InvitationListing, MemberListing, MembersOverview, LAST_OWNER, NO_SUCH_MEMBER, OWNERS_ONLY,
};
use model::Role;

fn role_of(stored: &str) -> Result<Role, BackendError> {
    Role::parse(stored).ok_or_else(|| BackendError::Internal(format!("stored role {stored:?}")))
}

/// The members page: every member, pending invitations, and what the viewer may change.
pub async fn overview(ctx: &WorkspaceCtx) -> Result<MembersOverview, BackendError> {
    ctx.require(Action::ManageMembers)?;
    let rows: Vec<(String, String, String, String, i64)> =
        sqlx::query_as("SELECT id, name, email, role, created_at FROM users ORDER BY name, email")
            .fetch_all(ctx.db().pool())
            .await?;
    let members = rows
        .into_iter()
        .map(|(id, name, email, role, joined_at)| {
            Ok(MemberListing {
                id,
                name,
                email,
                role: role_of(&role)?,
                joined_at,
            })
        })
        .collect::<Result<_, BackendError>>()?;
    Ok(MembersOverview {
        workspace_name: ctx.workspace.name.clone(),
        members,
        invitations: invitations::pending(ctx).await?,
        may_manage_owners: ctx.require(Action::ManageOwners).is_ok(),
        me: ctx.actor_id().map(str::to_string),
    })
}

/// Giving or taking the owner role needs an owner (or an operator).
fn require_for_role_change(ctx: &WorkspaceCtx, from: Role, to: Role) -> Result<(), BackendError> {
    ctx.require(Action::ManageMembers)?;
    if (from == Role::Owner || to == Role::Owner) && ctx.require(Action::ManageOwners).is_err() {
        return Err(BackendError::invalid("role", OWNERS_ONLY));
    }
    Ok(())
}

/// The stored role of `user_id`, under a write lock on every owner row, inside `tx`: two
/// concurrent demotions cannot both see a second owner.
async fn lock_and_read(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: &str,
) -> Result<(String, Role, i64), BackendError> {
    // A no-op write: PostgreSQL locks the owner rows, SQLite takes its write lock.
    sqlx::query("UPDATE users SET role = role WHERE role = 'owner'")
        .execute(&mut **tx)
        .await?;
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT email, role FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut **tx)
            .await?;
    let (email, role) = row.ok_or_else(|| BackendError::invalid("member", NO_SUCH_MEMBER))?;
    let (owners,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'owner'")
        .fetch_one(&mut **tx)
        .await?;
    Ok((email, role_of(&role)?, owners))
}

/// Changes a member's role. The last owner keeps theirs.
pub async fn change_role(ctx: &WorkspaceCtx, user_id: &str, to: Role) -> Result<(), BackendError> {
    ctx.require(Action::ManageMembers)?;
    let mut tx = ctx.db().pool().begin().await?;
    let (email, from, owners) = lock_and_read(&mut tx, user_id).await?;
    require_for_role_change(ctx, from, to)?;
    if from == to {
        return Ok(());
    }
    if from == Role::Owner && owners <= 1 {
        return Err(BackendError::invalid("role", LAST_OWNER));
    }
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(to.as_str())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    // Invitations outlive no right: what they sent and may no longer send stops working.
    let withdrawn = if !to.at_least(Role::Admin) {
        Some("DELETE FROM invitations WHERE invited_by = $1")
    } else if to != Role::Owner {
        Some("DELETE FROM invitations WHERE invited_by = $1 AND role = 'owner'")
    } else {
        None
    };
    if let Some(sql) = withdrawn {
        sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    audit::record(
        ctx.db(),
        ctx.actor_id(),
        "role_changed",
        &format!("{email}: {} → {}", from.as_str(), to.as_str()),
    )
    .await
}

/// Removes a member: their account, their sessions, their entry in "find my workspaces". The
/// last owner stays.
pub async fn remove(ctx: &WorkspaceCtx, control: &Db, user_id: &str) -> Result<(), BackendError> {
    ctx.require(Action::ManageMembers)?;
    let mut tx = ctx.db().pool().begin().await?;
    let (email, role, owners) = lock_and_read(&mut tx, user_id).await?;
    require_for_role_change(ctx, role, role)?;
    if role == Role::Owner && owners <= 1 {
        return Err(BackendError::invalid("member", LAST_OWNER));
    }
    for sql in [
        "DELETE FROM group_grants WHERE user_id = $1",
        "DELETE FROM invitations WHERE invited_by = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
    }
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    session::end_all_of_user(control, &ctx.workspace.id, user_id).await?;
    sqlx::query("DELETE FROM workspace_emails WHERE email = $1 AND workspace_id = $2")
        .bind(&email)
        .bind(&ctx.workspace.id)
        .execute(control.pool())
        .await?;
    audit::record(
        ctx.db(),
        ctx.actor_id(),
        "member_removed",
        &format!("{email} ({})", role.as_str()),
    )
    .await
}

/// The workspace's audit log, newest first, with the names of the people who acted.
pub async fn audit_log(
    ctx: &WorkspaceCtx,
    limit: i64,
) -> Result<Vec<model::members::AuditListing>, BackendError> {
    ctx.require(Action::ViewAudit)?;
    audit::workspace_log(ctx.db(), limit).await
}

/// Invitation listings for the members page.
pub(crate) fn listing(
    (id, email, role, expires_at): (String, String, String, i64),
) -> Result<InvitationListing, BackendError> {
    Ok(InvitationListing {
        id,
        email,
        role: role_of(&role)?,
        expires_at,
    })
}
