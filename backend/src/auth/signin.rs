//! Signing in, for workspace users and operators. An unknown address and a wrong password get
//! the same answer after the same work (a password hash is checked either way). Failures are
//! counted per account and per client address and slow further attempts down.

use super::ctx::find_row;
use super::limit::{self, Key, ACCOUNT_FAILURES, ADDRESS_FAILURES};
use super::session::{self, SessionSettings, Subject};
use super::ClientAddr;
use crate::registry::Registry;
use crate::{audit, now_millis, password, BackendError, Db};
use model::account::SIGN_IN_FAILED;
use model::{Email, Slug, WorkspaceStatus};
use tokio::sync::OnceCell;

/// A successful sign-in: the token for the cookie and where to go.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub slug: Option<Slug>,
}

/// What a sign-in form sends.
pub struct Credentials<'a> {
    pub email: &'a str,
    pub password: &'a str,
}

impl std::fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials { .. }")
    }
}

fn failed() -> BackendError {
    BackendError::invalid("password", SIGN_IN_FAILED)
}

/// Verifies `password` against `stored`, or against a hash of nothing when there is no account,
/// so both cases take as long and answer alike.
async fn verify_or_dummy(password: &str, stored: Option<String>) -> Result<bool, BackendError> {
    static DUMMY: OnceCell<String> = OnceCell::const_new();
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (
            DUMMY
                .get_or_try_init(|| password::hash("no account has this password".into()))
                .await?
                .clone(),
            false,
        ),
    };
    Ok(password::verify(password.to_string(), hash).await? && real)
}

/// Counts a sign-in attempt for the account before the password is checked (so a burst of
/// guesses at one account gets no further than its free attempts), and checks the client
/// address's failures so far. The address counts failures only once they happened: many
/// people behind one address signing in at once must not lock each other out.
async fn attempts(
    control: &Db,
    account: &Key,
    address: &Key,
    now: i64,
) -> Result<limit::Attempt, BackendError> {
    let account_try = limit::attempt(control, account, now).await?;
    match limit::check(control, address, now).await {
        Ok(()) => Ok(account_try),
        Err(e) => {
            account_try.forget(control).await?;
            Err(e)
        }
    }
}

/// Signs a user into the workspace at `slug`.
pub async fn member(
    control: &Db,
    registry: &Registry,
    settings: &SessionSettings,
    slug: &str,
    credentials: Credentials<'_>,
    client: &ClientAddr,
) -> Result<SignedIn, BackendError> {
    let (workspace, db_name) = find_row(control, slug).await?;
    if workspace.status == WorkspaceStatus::Suspended {
        return Err(BackendError::Forbidden);
    }
    let email = Email::parse(credentials.email).map_err(|m| BackendError::invalid("email", m))?;
    let now = now_millis();
    let account = Key::new(
        ACCOUNT_FAILURES,
        &[&workspace.id, email.as_str()],
        Some(&workspace.id),
    );
    let address = Key::new(ADDRESS_FAILURES, &[&client.0], None);
    let account_try = attempts(control, &account, &address, now).await?;

    let db = registry.open(&db_name).await?;
    let user: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT id, password_hash, language FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(db.pool())
            .await?;
    let ok = verify_or_dummy(credentials.password, user.as_ref().map(|u| u.1.clone())).await?;
    match user {
        Some((user_id, _, language)) if ok => {
            account_try.keep();
            limit::clear(control, &account).await?;
            let subject = Subject::Member {
                workspace_id: workspace.id.clone(),
                user_id: user_id.clone(),
            };
            let language = language.as_deref().and_then(model::Language::parse);
            let token = session::start(control, &subject, language, settings).await?;
            audit::record(&db, Some(&user_id), "sign_in", "").await?;
            tracing::info!(workspace = %workspace.slug, "signed in");
            Ok(SignedIn {
                token,
                slug: Some(workspace.slug),
            })
        }
        user => {
            account_try.keep();
            limit::record(control, &address, now).await?;
            audit::record(
                &db,
                user.as_ref().map(|u| u.0.as_str()),
                "sign_in_failed",
                &format!("as {}", email.as_str()),
            )
            .await?;
            tracing::info!(workspace = %workspace.slug, "failed sign-in");
            Err(failed())
        }
    }
}

/// Signs an operator in (the back office at `/admin`).
pub async fn operator(
    control: &Db,
    settings: &SessionSettings,
    credentials: Credentials<'_>,
    client: &ClientAddr,
) -> Result<SignedIn, BackendError> {
    let email = Email::parse(credentials.email).map_err(|m| BackendError::invalid("email", m))?;
    let now = now_millis();
    let account = Key::new(ACCOUNT_FAILURES, &["operator", email.as_str()], None);
    let address = Key::new(ADDRESS_FAILURES, &[&client.0], None);
    let account_try = attempts(control, &account, &address, now).await?;
    let operator: Option<(String, String)> =
        sqlx::query_as("SELECT id, password_hash FROM operators WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(control.pool())
            .await?;
    let ok = verify_or_dummy(credentials.password, operator.as_ref().map(|o| o.1.clone())).await?;
    match operator {
        Some((operator_id, _)) if ok => {
            account_try.keep();
            limit::clear(control, &account).await?;
            let subject = Subject::Operator {
                operator_id: operator_id.clone(),
            };
            let token = session::start(control, &subject, None, settings).await?;
            audit::record_operator(control, Some(&operator_id), "sign_in", "").await?;
            Ok(SignedIn { token, slug: None })
        }
        operator => {
            account_try.keep();
            limit::record(control, &address, now).await?;
            audit::record_operator(
                control,
                operator.as_ref().map(|o| o.0.as_str()),
                "sign_in_failed",
                "",
            )
            .await?;
            Err(failed())
        }
    }
}

/// Signs in the owner of the workspace just created at `slug` (the landing page's "create a
/// workspace" lands them on its home page).
pub async fn new_owner(
    control: &Db,
    registry: &Registry,
    settings: &SessionSettings,
    slug: &Slug,
    email: &Email,
) -> Result<SignedIn, BackendError> {
    let (workspace, db_name) = find_row(control, slug.as_str()).await?;
    let db = registry.open(&db_name).await?;
    let (user_id,): (String,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_one(db.pool())
        .await?;
    let subject = Subject::Member {
        workspace_id: workspace.id,
        user_id: user_id.clone(),
    };
    let token = session::start(control, &subject, None, settings).await?;
    audit::record(
        &db,
        Some(&user_id),
        "sign_in",
        "after creating the workspace",
    )
    .await?;
    Ok(SignedIn {
        token,
        slug: Some(workspace.slug),
    })
}
