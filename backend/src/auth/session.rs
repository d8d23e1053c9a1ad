//! Server-side sessions in the control database, so every server process sharing it sees the
//! same ones. A session ends when it is idle too long, at its absolute lifetime, at sign-out, or
//! when its user signs out everywhere or resets the password.

use super::token::{new_token, sha256_hex};
use crate::now_millis;
use crate::{BackendError, Db};
use std::time::Duration;

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSettings {
    /// Ends a session nobody used for this long.
    pub idle: Duration,
    /// Ends a session this long after sign-in, however active.
    pub lifetime: Duration,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(30 * 60),
            lifetime: Duration::from_secs(12 * 3600),
        }
    }
}

/// Whose session it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Member {
        workspace_id: String,
        user_id: String,
    },
    Operator {
        operator_id: String,
    },
}

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The SHA-256 of its token: the session's id.
    pub id: String,
    pub subject: Subject,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// The language the user chose in their settings, if any (operators have none).
    pub language: Option<model::Language>,
}

/// Activity is written back at most this often, so most requests only read.
const TOUCH_EVERY_MS: i64 = 60_000;

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Starts a session for `subject`, who chose `language` (if any), and returns its token (for
/// the cookie; it is stored nowhere).
pub async fn start(
    control: &Db,
    subject: &Subject,
    language: Option<model::Language>,
    settings: &SessionSettings,
) -> Result<String, BackendError> {
    let token = new_token()?;
    let now = now_millis();
    let (workspace_id, user_id, operator_id) = match subject {
        Subject::Member {
            workspace_id,
            user_id,
        } => (Some(workspace_id.as_str()), Some(user_id.as_str()), None),
        Subject::Operator { operator_id } => (None, None, Some(operator_id.as_str())),
    };
    sqlx::query(
        "INSERT INTO sessions (token_hash, workspace_id, user_id, operator_id, created_at, \
         last_seen_at, expires_at, language) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(sha256_hex(&token))
    .bind(workspace_id)
    .bind(user_id)
    .bind(operator_id)
    .bind(now)
    .bind(now)
    .bind(now.saturating_add(millis(settings.lifetime)))
    .bind(language.map(model::Language::code))
    .execute(control.pool())
    .await?;
    Ok(token)
}

type Row = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    i64,
    i64,
    Option<String>,
);

fn from_row(
    (id, workspace_id, user_id, operator_id, created_at, last_seen_at, expires_at, language): Row,
) -> Result<Session, BackendError> {
    let subject = match (workspace_id, user_id, operator_id) {
        (Some(workspace_id), Some(user_id), None) => Subject::Member {
            workspace_id,
            user_id,
        },
        (None, None, Some(operator_id)) => Subject::Operator { operator_id },
        _ => {
            return Err(BackendError::Internal(
                "a session row is neither a member's nor an operator's".into(),
            ))
        }
    };
    Ok(Session {
        id,
        subject,
        created_at,
        last_seen_at,
        expires_at,
        language: language.as_deref().and_then(model::Language::parse),
    })
}

/// The live session of `token`, if any. An expired one is removed on the way; activity is
/// recorded (at most once a minute).
pub async fn resolve(
    control: &Db,
    token: &str,
    settings: &SessionSettings,
) -> Result<Option<Session>, BackendError> {
    resolve_at(control, token, settings, now_millis()).await
}

/// [`resolve`] as if the time were `now` (milliseconds since 1970), for tests of timeouts.
pub async fn resolve_at(
    control: &Db,
    token: &str,
    settings: &SessionSettings,
    now: i64,
) -> Result<Option<Session>, BackendError> {
    let id = sha256_hex(token);
    let row: Option<Row> = sqlx::query_as(
        "SELECT token_hash, workspace_id, user_id, operator_id, created_at, last_seen_at, \
         expires_at, language FROM sessions WHERE token_hash = $1",
    )
    .bind(&id)
    .fetch_optional(control.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut session = from_row(row)?;
    let idle_end = session.last_seen_at.saturating_add(millis(settings.idle));
    if now >= session.expires_at || now >= idle_end {
        end(control, &id).await?;
        return Ok(None);
    }
    if now - session.last_seen_at >= TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&id)
            .execute(control.pool())
            .await?;
        session.last_seen_at = now;
    }
    Ok(Some(session))
}

/// Whether session `id` (a token's hash) still lives at `now` (milliseconds), without
/// counting as activity: what an open live socket checks now and then.
pub async fn still_live(
    control: &Db,
    id: &str,
    settings: &SessionSettings,
    now: i64,
) -> Result<bool, BackendError> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT last_seen_at, expires_at FROM sessions WHERE token_hash = $1")
            .bind(id)
            .fetch_optional(control.pool())
            .await?;
    Ok(row.is_some_and(|(last_seen_at, expires_at)| {
        now < expires_at && now < last_seen_at.saturating_add(millis(settings.idle))
    }))
}

/// Gives every session of one workspace user the language they just chose, so their next
/// page, in any browser they are signed in on, speaks it.
pub async fn set_language_of_user(
    control: &Db,
    workspace_id: &str,
    user_id: &str,
    language: Option<model::Language>,
) -> Result<(), BackendError> {
    sqlx::query("UPDATE sessions SET language = $1 WHERE workspace_id = $2 AND user_id = $3")
        .bind(language.map(model::Language::code))
        .bind(workspace_id)
        .bind(user_id)
        .execute(control.pool())
        .await?;
    Ok(())
}

/// Gives one session `language` (the footer's language menu, for this sign-in only).
pub async fn set_language(
    control: &Db,
    session_id: &str,
    language: model::Language,
) -> Result<(), BackendError> {
    sqlx::query("UPDATE sessions SET language = $1 WHERE token_hash = $2")
        .bind(language.code())
        .bind(session_id)
        .execute(control.pool())
        .await?;
    Ok(())
}

/// Ends one session (sign-out).
pub async fn end(control: &Db, session_id: &str) -> Result<(), BackendError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(session_id)
        .execute(control.pool())
        .await?;
    Ok(())
}

/// Ends every session of one workspace user ("sign out everywhere", password reset, removal).
pub async fn end_all_of_user(
    control: &Db,
    workspace_id: &str,
    user_id: &str,
) -> Result<u64, BackendError> {
    let done = sqlx::query("DELETE FROM sessions WHERE workspace_id = $1 AND user_id = $2")
        .bind(workspace_id)
        .bind(user_id)
        .execute(control.pool())
        .await?;
    Ok(done.rows_affected())
}

/// The live sessions of one workspace user (not past their end nor idle too long), newest
/// first.
pub async fn of_user(
    control: &Db,
    workspace_id: &str,
    user_id: &str,
    settings: &SessionSettings,
) -> Result<Vec<Session>, BackendError> {
    let now = now_millis();
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT token_hash, workspace_id, user_id, operator_id, created_at, last_seen_at, \
         expires_at, language FROM sessions WHERE workspace_id = $1 AND user_id = $2 \
         AND expires_at > $3 AND last_seen_at > $4 ORDER BY created_at DESC",
    )
    .bind(workspace_id)
    .bind(user_id)
    .bind(now)
    .bind(now - millis(settings.idle))
    .fetch_all(control.pool())
    .await?;
    rows.into_iter().map(from_row).collect()
}

/// Removes sessions past their end, so the table holds only live ones. Returns how many.
pub async fn purge_expired(control: &Db, settings: &SessionSettings) -> Result<u64, BackendError> {
    let now = now_millis();
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - millis(settings.idle))
        .execute(control.pool())
        .await?;
    Ok(done.rows_affected())
}
