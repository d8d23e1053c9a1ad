//! One's own account: name, password, language and sessions.

use crate::auth::ctx::{Actor, Member, WorkspaceCtx};
use crate::auth::limit::{self, Key, ACCOUNT_FAILURES};
use crate::auth::session;
use crate::{audit, now_millis, password, BackendError, Db};
use model::access::Action;
use model::account::{check_display_name, check_password};
use model::members::{AccountSettings, SessionListing, WRONG_PASSWORD};
use model::Language;

fn me(ctx: &WorkspaceCtx) -> Result<&Member, BackendError> {
    ctx.require(Action::ManageOwnAccount)?;
    match &ctx.actor {
        Actor::Member(m) => Ok(m),
        // Operators have no account inside a workspace (the policy refuses them above).
        Actor::Operator(_) => Err(BackendError::Forbidden),
    }
}

/// The settings page: who I am and where I am signed in.
pub async fn settings(
    ctx: &WorkspaceCtx,
    control: &Db,
    sessions: &session::SessionSettings,
) -> Result<AccountSettings, BackendError> {
    let me = me(ctx)?;
    let sessions = session::of_user(control, &ctx.workspace.id, &me.id, sessions)
        .await?
        .into_iter()
        .map(|s| SessionListing {
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            current: s.id == me.session_id,
        })
        .collect();
    let (language,): (Option<String>,) = sqlx::query_as("SELECT language FROM users WHERE id = $1")
        .bind(&me.id)
        .fetch_one(ctx.db().pool())
        .await?;
    Ok(AccountSettings {
        name: me.name.clone(),
        email: me.email.as_str().to_string(),
        role: me.role,
        language: language.as_deref().and_then(Language::parse),
        sessions,
    })
}

/// Sets the language of my interface and mails (`None`: follow the browser). My sessions take
/// it at once, so every browser I am signed in on speaks it from its next page.
pub async fn set_language(
    ctx: &WorkspaceCtx,
    control: &Db,
    language: Option<Language>,
) -> Result<(), BackendError> {
    let me = me(ctx)?;
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
        .bind(language.map(Language::code))
        .bind(&me.id)
        .execute(ctx.db().pool())
        .await?;
    session::set_language_of_user(control, &ctx.workspace.id, &me.id, language).await
}

/// Changes my display name.
pub async fn rename(ctx: &WorkspaceCtx, name: &str) -> Result<(), BackendError> {
    let me = me(ctx)?;
    let name =
        check_display_name(name, "your name").map_err(|m| BackendError::invalid("name", m))?;
    sqlx::query("UPDATE users SET name = $1 WHERE id = $2")
        .bind(&name)
        .bind(&me.id)
        .execute(ctx.db().pool())
        .await?;
    Ok(())
}

/// Changes my password (knowing the current one) and ends my other sessions.
pub async fn change_password(
    ctx: &WorkspaceCtx,
    control: &Db,
    current: &str,
    new_password: &str,
) -> Result<(), BackendError> {
    let me = me(ctx)?;
    check_password(new_password).map_err(|m| BackendError::invalid("new_password", m))?;
    let (stored,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(&me.id)
        .fetch_one(ctx.db().pool())
        .await?;
    // Guessing the current password from a borrowed session meets the sign-in limit.
    let key = Key::new(
        ACCOUNT_FAILURES,
        &[&ctx.workspace.id, me.email.as_str()],
        Some(&ctx.workspace.id),
    );
    let attempt = limit::attempt(control, &key, now_millis()).await?;
    if !password::verify(current.to_string(), stored).await? {
        attempt.keep();
        return Err(BackendError::invalid("current_password", WRONG_PASSWORD));
    }
    attempt.forget(control).await?;
    let hash = password::hash(new_password.to_string()).await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(&me.id)
        .execute(ctx.db().pool())
        .await?;
    // A reset link asked for before the change must not undo it.
    sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
        .bind(&me.id)
        .execute(ctx.db().pool())
        .await?;
    let ended = sqlx::query(
        "DELETE FROM sessions WHERE workspace_id = $1 AND user_id = $2 AND token_hash <> $3",
    )
    .bind(&ctx.workspace.id)
    .bind(&me.id)
    .bind(&me.session_id)
    .execute(control.pool())
    .await?
    .rows_affected();
    audit::record(
        ctx.db(),
        Some(&me.id),
        "password_changed",
        &format!("{ended} other sessions ended"),
    )
    .await
}
