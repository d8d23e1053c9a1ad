//! Device groups of a workspace and the grants that open them to editors and viewers. Which
//! groups a member sees is decided by `model::access::group_level`, over the grants read here.

use crate::auth::ctx::WorkspaceCtx;
use crate::{audit, now_millis, BackendError, Db};
use model::access::{group_level, Action};
use model::account::check_display_name;
use model::groups::{
    Grant, GrantListing, Grantee, GroupListing, GroupsOverview, Level, Subject, VisibleGroup,
    GROUP_NAME_TAKEN, NO_SUCH_GRANT, NO_SUCH_GROUP,
};
use model::Role;

/// A stored grant: (id, group id, user id, role, level, the user's name).
type GrantRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

fn stored(what: &str, value: &str) -> BackendError {
    BackendError::Internal(format!("stored {what} {value:?}"))
}

fn grant_of(row: &GrantRow) -> Result<Grant, BackendError> {
    let (_, _, user_id, role, level, _) = row;
    let subject = match (user_id, role) {
        (Some(id), None) => Subject::User(id.clone()),
        (None, Some(r)) => Subject::Role(Role::parse(r).ok_or_else(|| stored("role", r))?),
        _ => return Err(stored("grant subject", "both or neither")),
    };
    let level = Level::parse(level).ok_or_else(|| stored("level", level))?;
    Ok(Grant { subject, level })
}

async fn all_grants(db: &Db) -> Result<Vec<GrantRow>, BackendError> {
    Ok(sqlx::query_as(
        "SELECT g.id, g.group_id, g.user_id, g.role, g.level, u.name FROM group_grants g \
         LEFT JOIN users u ON u.id = g.user_id ORDER BY g.created_at, g.id",
    )
    .fetch_all(db.pool())
    .await?)
}

async fn all_groups(db: &Db) -> Result<Vec<(String, String)>, BackendError> {
    Ok(
        sqlx::query_as("SELECT id, name FROM device_groups ORDER BY name, id")
            .fetch_all(db.pool())
            .await?,
    )
}

/// The groups the caller may see, with what they may do in each.
pub async fn visible(ctx: &WorkspaceCtx) -> Result<Vec<VisibleGroup>, BackendError> {
    ctx.require(Action::ViewWorkspace)?;
    let (role, user_id) = match &ctx.actor {
        crate::auth::Actor::Member(m) => (Some(m.role), m.id.as_str()),
        crate::auth::Actor::Operator(_) => (None, ""),
    };
    let grants = all_grants(ctx.db()).await?;
    let mut out = Vec::new();
    for (id, name) in all_groups(ctx.db()).await? {
        let on_group = grants
            .iter()
            .filter(|g| g.1 == id)
            .map(grant_of)
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(level) = group_level(role, user_id, &on_group) {
            out.push(VisibleGroup { id, name, level });
        }
    }
    Ok(out)
}

/// The groups page: every group with its grants, and who can be given access.
pub async fn overview(ctx: &WorkspaceCtx) -> Result<GroupsOverview, BackendError> {
    ctx.require(Action::ManageMembers)?;
    let grants = all_grants(ctx.db()).await?;
    let mut groups = Vec::new();
    for (id, name) in all_groups(ctx.db()).await? {
        let mut listed = Vec::new();
        for row in grants.iter().filter(|g| g.1 == id) {
            let grant = grant_of(row)?;
            let subject_label = match &grant.subject {
                Subject::User(_) => row.5.clone().unwrap_or_default(),
                Subject::Role(r) => format!("all {}s", r.as_str()),
            };
            listed.push(GrantListing {
                id: row.0.clone(),
                grant,
                subject_label,
            });
        }
        groups.push(GroupListing {
            id,
            name,
            grants: listed,
        });
    }
    let people: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, name, role FROM users WHERE role IN ('editor', 'viewer') ORDER BY name, id",
    )
    .fetch_all(ctx.db().pool())
    .await?;
    let grantees = people
        .into_iter()
        .map(|(user_id, name, role)| {
            Ok(Grantee {
                user_id,
                name,
                role: Role::parse(&role).ok_or_else(|| stored("role", &role))?,
            })
        })
        .collect::<Result<_, BackendError>>()?;
    Ok(GroupsOverview {
        groups,
        grantees,
        may_manage_groups: ctx.require(Action::ManageDevices).is_ok(),
    })
}

/// Creates a group.
pub async fn create(ctx: &WorkspaceCtx, name: &str) -> Result<String, BackendError> {
    ctx.require(Action::ManageDevices)?;
    let name =
        check_display_name(name, "a group name").map_err(|m| BackendError::invalid("name", m))?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let inserted =
        sqlx::query("INSERT INTO device_groups (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(&name)
            .bind(now_millis())
            .execute(ctx.db().pool())
            .await;
    if let Err(e) = inserted {
        let unique = e
            .as_database_error()
            .is_some_and(|d| d.is_unique_violation());
        return Err(if unique {
            BackendError::invalid("name", GROUP_NAME_TAKEN)
        } else {
            e.into()
        });
    }
    audit::record(ctx.db(), ctx.actor_id(), "group_created", &name).await?;
    Ok(id)
}

async fn group_name(db: &Db, id: &str) -> Result<String, BackendError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM device_groups WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|(n,)| n)
        .ok_or_else(|| BackendError::invalid("group", NO_SUCH_GROUP))
}

/// Deletes a group and its grants.
pub async fn delete(ctx: &WorkspaceCtx, id: &str) -> Result<(), BackendError> {
    ctx.require(Action::ManageDevices)?;
    let name = group_name(ctx.db(), id).await?;
    let mut tx = ctx.db().pool().begin().await?;
    sqlx::query("DELETE FROM group_grants WHERE group_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM device_groups WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    audit::record(ctx.db(), ctx.actor_id(), "group_deleted", &name).await
}

/// Gives `subject` access to a group at `level` (replacing what it had there).
pub async fn grant(
    ctx: &WorkspaceCtx,
    group_id: &str,
    subject: &Subject,
    level: Level,
) -> Result<(), BackendError> {
    ctx.require(Action::ManageMembers)?;
    let group = group_name(ctx.db(), group_id).await?;
    let (user_id, role, label) = match subject {
        Subject::User(id) => {
            let row: Option<(String, String)> =
                sqlx::query_as("SELECT email, role FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(ctx.db().pool())
                    .await?;
            let (email, _) = row
                .ok_or_else(|| BackendError::invalid("subject", model::members::NO_SUCH_MEMBER))?;
            (Some(id.as_str()), None, email)
        }
        Subject::Role(r) => (None, Some(r.as_str()), format!("all {}s", r.as_str())),
    };
    // One grant per group and subject: a new level replaces the old, also when two admins
    // give access at once.
    let sql = if user_id.is_some() {
        "INSERT INTO group_grants (id, group_id, user_id, role, level, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (group_id, user_id) \
         WHERE user_id IS NOT NULL DO UPDATE SET level = excluded.level"
    } else {
        "INSERT INTO group_grants (id, group_id, user_id, role, level, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (group_id, role) \
         WHERE role IS NOT NULL DO UPDATE SET level = excluded.level"
    };
    sqlx::query(sql)
        .bind(uuid::Uuid::new_v4().simple().to_string())
        .bind(group_id)
        .bind(user_id)
        .bind(role)
        .bind(level.as_str())
        .bind(now_millis())
        .execute(ctx.db().pool())
        .await?;
    audit::record(
        ctx.db(),
        ctx.actor_id(),
        "grant_changed",
        &format!("{group}: {label} may {}", level.as_str()),
    )
    .await
}

/// Takes a grant away.
pub async fn revoke(ctx: &WorkspaceCtx, grant_id: &str) -> Result<(), BackendError> {
    ctx.require(Action::ManageMembers)?;
    let gone: Option<(String,)> =
        sqlx::query_as("DELETE FROM group_grants WHERE id = $1 RETURNING group_id")
            .bind(grant_id)
            .fetch_optional(ctx.db().pool())
            .await?;
    let (group_id,) = gone.ok_or_else(|| BackendError::invalid("grant", NO_SUCH_GRANT))?;
    let group = group_name(ctx.db(), &group_id).await.unwrap_or_default();
    audit::record(ctx.db(), ctx.actor_id(), "grant_removed", &group).await
}
