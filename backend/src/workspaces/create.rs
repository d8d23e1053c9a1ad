//! Creating a workspace is a state machine: the control-plane row is `provisioning` until the
//! workspace's database exists, is migrated and holds its owner; only then does it become
//! `active`. A process that dies half-way leaves a `provisioning` row, which nobody can find or
//! open. A creation holds its row for [`PROVISIONING_LEASE_MS`]; after that, creating the same
//! address again (or the server's start-up sweep) removes what the dead attempt left and starts
//! afresh. Within the lease the address is reported as being set up, so two creators never
//! destroy each other's work.

use crate::registry::Registry;
use crate::{password, BackendError, Db};
use model::account::{check_display_name, check_password, Email, Role};
use model::workspace::name_key;
use model::{Slug, WorkspaceStatus, WorkspaceSummary};

/// How long a creation owns its `provisioning` row. Creating takes well under a second; a row
/// older than this belongs to a creation that died.
pub const PROVISIONING_LEASE_MS: i64 = 60_000;

/// What the creator of a workspace provides.
#[derive(Clone)]
pub struct NewWorkspace {
    pub slug: String,
    pub name: String,
    pub owner_name: String,
    pub owner_email: String,
    pub owner_password: String,
}

impl std::fmt::Debug for NewWorkspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewWorkspace")
            .field("slug", &self.slug)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The steps of creation, for tests that stop a creation half-way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Registered,
    DatabaseCreated,
    Migrated,
    OwnerCreated,
}

struct Checked {
    slug: Slug,
    name: String,
    owner_name: String,
    owner_email: Email,
}

fn check(new: &NewWorkspace) -> Result<Checked, BackendError> {
    let slug =
        Slug::parse(new.slug.trim()).map_err(|e| BackendError::invalid("slug", e.to_string()))?;
    let name = check_display_name(&new.name, "the company name")
        .map_err(|m| BackendError::invalid("name", m))?;
    let owner_name = check_display_name(&new.owner_name, "your name")
        .map_err(|m| BackendError::invalid("owner_name", m))?;
    let owner_email =
        Email::parse(&new.owner_email).map_err(|m| BackendError::invalid("owner_email", m))?;
    check_password(&new.owner_password).map_err(|m| BackendError::invalid("owner_password", m))?;
    Ok(Checked {
        slug,
        name,
        owner_name,
        owner_email,
    })
}

pub(crate) use crate::now_millis;

pub async fn create(
    control: &Db,
    registry: &Registry,
    new: NewWorkspace,
) -> Result<WorkspaceSummary, BackendError> {
    create_with_hook(control, registry, new, |_| Ok(())).await
}

/// [`create`], calling `after` when each step is done; an error from it stops the creation
/// there, as a crash would.
pub async fn create_with_hook(
    control: &Db,
    registry: &Registry,
    new: NewWorkspace,
    after: impl Fn(Step) -> Result<(), BackendError>,
) -> Result<WorkspaceSummary, BackendError> {
    let c = check(&new)?;
    let ws = provision(control, registry, &c.slug, &c.name, &after).await?;

    let hash = password::hash(new.owner_password.clone()).await?;
    let owner_id = uuid::Uuid::new_v4().simple().to_string();
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, role, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&owner_id)
    .bind(c.owner_email.as_str())
    .bind(&c.owner_name)
    .bind(hash)
    .bind(Role::Owner.as_str())
    .bind(now_millis())
    .execute(ws.db.pool())
    .await?;
    crate::audit::record(&ws.db, Some(&owner_id), "workspace_created", &c.name).await?;
    after(Step::OwnerCreated)?;

    activate(control, &ws.id, &[c.owner_email.as_str().to_string()]).await?;
    tracing::info!(slug = %c.slug, "workspace created");
    Ok(WorkspaceSummary {
        slug: c.slug,
        name: c.name,
        status: WorkspaceStatus::Active,
    })
}

/// A workspace that exists as a `provisioning` row with its database created and migrated.
pub(crate) struct Provisioned {
    pub id: String,
    pub db_name: String,
    pub db: Db,
}

/// Registers `slug` as provisioning (removing what a dead attempt left at that address),
/// creates the workspace's database and migrates it.
pub(crate) async fn provision(
    control: &Db,
    registry: &Registry,
    slug: &Slug,
    name: &str,
    after: &impl Fn(Step) -> Result<(), BackendError>,
) -> Result<Provisioned, BackendError> {
    let taken = || BackendError::invalid("slug", model::workspace::slug_taken_message(slug));
    let existing: Option<(String, String, String)> =
        sqlx::query_as("SELECT id, status, db_name FROM workspaces WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(control.pool())
            .await?;
    if let Some((id, status, db_name)) = existing {
        if status != WorkspaceStatus::Provisioning.as_str() {
            return Err(taken());
        }
        if !claim_stale(control, &id).await? {
            return Err(BackendError::invalid(
                "slug",
                format!("The address \u{201c}{slug}\u{201d} is being set up right now; try again in a minute."),
            ));
        }
        tracing::warn!(%slug, "removing what an unfinished creation left");
        drop_database(registry, &db_name).await?;
    }

    let id = uuid::Uuid::new_v4().simple().to_string();
    let db_name = format!("iotr_ws_{id}");
    let inserted = sqlx::query(
        "INSERT INTO workspaces (id, slug, name, name_key, status, db_name, created_at) \
         VALUES ($1, $2, $3, $4, 'provisioning', $5, $6)",
    )
    .bind(&id)
    .bind(slug.as_str())
    .bind(name)
    .bind(name_key(name))
    .bind(&db_name)
    .bind(now_millis())
    .execute(control.pool())
    .await;
    if let Err(e) = inserted {
        let unique = e
            .as_database_error()
            .is_some_and(|d| d.is_unique_violation());
        return Err(if unique { taken() } else { e.into() });
    }
    after(Step::Registered)?;

    registry.storage().create_database(&db_name).await?;
    after(Step::DatabaseCreated)?;

    let db = registry.open(&db_name).await?;
    after(Step::Migrated)?;
    Ok(Provisioned { id, db_name, db })
}

/// Takes over a provisioning row whose lease ran out by deleting it; false when it is still
/// leased (or already gone), so exactly one process cleans up after a dead creation.
async fn claim_stale(control: &Db, id: &str) -> Result<bool, BackendError> {
    let done = sqlx::query(
        "DELETE FROM workspaces WHERE id = $1 AND status = 'provisioning' AND created_at < $2",
    )
    .bind(id)
    .bind(now_millis() - PROVISIONING_LEASE_MS)
    .execute(control.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

async fn drop_database(registry: &Registry, db_name: &str) -> Result<(), BackendError> {
    registry.forget(db_name).await;
    registry.storage().drop_database(db_name).await
}

/// Removes this process's own unfinished workspace (a failed import): its row, then its database.
pub(crate) async fn discard(
    control: &Db,
    registry: &Registry,
    id: &str,
    db_name: &str,
) -> Result<(), BackendError> {
    sqlx::query("DELETE FROM workspaces WHERE id = $1 AND status = 'provisioning'")
        .bind(id)
        .execute(control.pool())
        .await?;
    drop_database(registry, db_name).await
}

/// Removes what creations that died left behind (provisioning rows past their lease, with their
/// databases, which may hold an owner's e-mail and password hash). Run at start-up.
pub async fn discard_stale(control: &Db, registry: &Registry) -> Result<usize, BackendError> {
    let stale: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, db_name FROM workspaces WHERE status = 'provisioning' AND created_at < $1",
    )
    .bind(now_millis() - PROVISIONING_LEASE_MS)
    .fetch_all(control.pool())
    .await?;
    let mut removed = 0;
    for (id, db_name) in stale {
        if claim_stale(control, &id).await? {
            drop_database(registry, &db_name).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Indexes the members' e-mail addresses and opens the workspace, in one transaction.
pub(crate) async fn activate(
    control: &Db,
    id: &str,
    emails: &[String],
) -> Result<(), BackendError> {
    let mut tx = control.pool().begin().await?;
    for email in emails {
        sqlx::query("INSERT INTO workspace_emails (email, workspace_id) VALUES ($1, $2)")
            .bind(email)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let done = sqlx::query(
        "UPDATE workspaces SET status = 'active' WHERE id = $1 AND status = 'provisioning'",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(BackendError::Internal(format!(
            "workspace {id} was removed while it was being created"
        )));
    }
    tx.commit().await?;
    Ok(())
}
