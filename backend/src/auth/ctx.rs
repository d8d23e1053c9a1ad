//! The request context: the workspace a request is about, its database, and who acts in it.
//! Backend functions that touch a workspace's data take a [`WorkspaceCtx`]; the only way to
//! get one is [`open_workspace`], which checks the session and the policy first. So a query
//! cannot reach another workspace's database by accident.

use super::session::Subject;
use super::Caller;
use crate::registry::Registry;
use crate::{BackendError, Db};
use model::access::{authorize, Action, Denied, Principal, Target};
use model::{Email, Role, Slug, WorkspaceStatus};

/// The workspace of a request.
#[derive(Debug, Clone)]
pub struct WorkspaceRef {
    pub id: String,
    pub slug: Slug,
    pub name: String,
    pub status: WorkspaceStatus,
}

/// A signed-in user of the workspace, as its database says now.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub email: Email,
    pub name: String,
    pub role: Role,
    /// The id of the session the request came with.
    pub session_id: String,
}

#[derive(Debug, Clone)]
pub enum Actor {
    Member(Member),
    Operator(OperatorCtx),
}

/// What a request may reach of one workspace.
#[derive(Debug, Clone)]
pub struct WorkspaceCtx {
    pub workspace: WorkspaceRef,
    pub actor: Actor,
    db: Db,
}

impl WorkspaceCtx {
    /// The workspace's own database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn principal(&self) -> Principal<'_> {
        match &self.actor {
            Actor::Member(m) => Principal::Member {
                workspace_id: &self.workspace.id,
                role: m.role,
            },
            Actor::Operator(_) => Principal::Operator,
        }
    }

    /// Checks a further action within the same request.
    pub fn require(&self, action: Action) -> Result<(), BackendError> {
        decide(authorize(
            self.principal(),
            action,
            Target::Workspace(&self.workspace.id),
        ))
    }

    /// The acting user's id, for audit entries (`None` for operators).
    pub fn actor_id(&self) -> Option<&str> {
        match &self.actor {
            Actor::Member(m) => Some(&m.id),
            Actor::Operator(_) => None,
        }
    }
}

/// The policy's refusal as an error. A session of another workspace is told to sign in, as if
/// it had none: it learns nothing of this workspace.
fn decide(decision: Result<(), Denied>) -> Result<(), BackendError> {
    decision.map_err(|denied| match denied {
        Denied::SignIn | Denied::OtherWorkspace => BackendError::Unauthorized,
        Denied::Role => BackendError::Forbidden,
    })
}

/// A workspace row of the control plane, found by slug (not while it is being created).
pub(crate) async fn find_row(
    control: &Db,
    slug: &str,
) -> Result<(WorkspaceRef, String), BackendError> {
    let not_found = || BackendError::NotFound(format!("There is no workspace at /w/{slug}/."));
    let slug_ok = Slug::parse(slug).map_err(|_| not_found())?;
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, name, status, db_name FROM workspaces \
         WHERE slug = $1 AND status IN ('active', 'suspended')",
    )
    .bind(slug)
    .fetch_optional(control.pool())
    .await?;
    let (id, name, status, db_name) = row.ok_or_else(not_found)?;
    let status = WorkspaceStatus::parse(&status)
        .ok_or_else(|| BackendError::Internal(format!("stored status {status:?}")))?;
    Ok((
        WorkspaceRef {
            id,
            slug: slug_ok,
            name,
            status,
        },
        db_name,
    ))
}

/// The context for `action` in the workspace at `slug`, or the refusal: sign in first (no
/// session, an ended one, or one of another workspace), forbidden (role too low, or the
/// workspace is suspended), not found (no such workspace).
pub async fn open_workspace(
    control: &Db,
    registry: &Registry,
    caller: &Caller,
    slug: &str,
    action: Action,
) -> Result<WorkspaceCtx, BackendError> {
    let session = match caller {
        Caller::Anonymous => return Err(BackendError::Unauthorized),
        Caller::Unknown => {
            return Err(BackendError::Unavailable(sqlx::Error::PoolTimedOut));
        }
        Caller::Signed(session) => session,
    };
    let (workspace, db_name) = find_row(control, slug).await?;
    match &session.subject {
        Subject::Operator { operator_id } => {
            decide(authorize(
                Principal::Operator,
                action,
                Target::Workspace(&workspace.id),
            ))?;
            let operator = load_operator(control, operator_id, &session.id).await?;
            let db = registry.open(&db_name).await?;
            Ok(WorkspaceCtx {
                workspace,
                actor: Actor::Operator(operator),
                db,
            })
        }
        Subject::Member {
            workspace_id,
            user_id,
        } => {
            if *workspace_id != workspace.id {
                // What the policy answers a session of another workspace, whatever its role
                // (`Denied::OtherWorkspace`), decided before this workspace's database is
                // opened: nothing of it is touched.
                return Err(BackendError::Unauthorized);
            }
            if workspace.status == WorkspaceStatus::Suspended {
                return Err(BackendError::Forbidden);
            }
            let db = registry.open(&db_name).await?;
            let row: Option<(String, String, String)> =
                sqlx::query_as("SELECT email, name, role FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(db.pool())
                    .await?;
            // A user removed since signing in has no session any more.
            let (email, name, role) = row.ok_or(BackendError::Unauthorized)?;
            let role = Role::parse(&role)
                .ok_or_else(|| BackendError::Internal(format!("stored role {role:?}")))?;
            let email = Email::parse(&email)
                .map_err(|_| BackendError::Internal("a stored e-mail does not parse".into()))?;
            decide(authorize(
                Principal::Member { workspace_id, role },
                action,
                Target::Workspace(&workspace.id),
            ))?;
            Ok(WorkspaceCtx {
                workspace,
                actor: Actor::Member(Member {
                    id: user_id.clone(),
                    email,
                    name,
                    role,
                    session_id: session.id.clone(),
                }),
                db,
            })
        }
    }
}

/// A signed-in operator.
#[derive(Debug, Clone)]
pub struct OperatorCtx {
    pub operator_id: String,
    pub email: String,
    pub name: String,
    pub session_id: String,
}

/// The operator behind `caller`, if the policy lets them do `action` on the deployment.
pub async fn require_operator(
    control: &Db,
    caller: &Caller,
    action: Action,
) -> Result<OperatorCtx, BackendError> {
    let session = match caller {
        Caller::Anonymous => return Err(BackendError::Unauthorized),
        Caller::Unknown => return Err(BackendError::Unavailable(sqlx::Error::PoolTimedOut)),
        Caller::Signed(session) => session,
    };
    let Subject::Operator { operator_id } = &session.subject else {
        // A workspace user's session is no operator's: sign in as one.
        return Err(BackendError::Unauthorized);
    };
    decide(authorize(Principal::Operator, action, Target::Deployment))?;
    load_operator(control, operator_id, &session.id).await
}

/// The operator of a session, as the control plane says now (a removed operator has no
/// session any more).
async fn load_operator(
    control: &Db,
    operator_id: &str,
    session_id: &str,
) -> Result<OperatorCtx, BackendError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT email, name FROM operators WHERE id = $1")
            .bind(operator_id)
            .fetch_optional(control.pool())
            .await?;
    let (email, name) = row.ok_or(BackendError::Unauthorized)?;
    Ok(OperatorCtx {
        operator_id: operator_id.to_string(),
        email,
        name,
        session_id: session_id.to_string(),
    })
}
