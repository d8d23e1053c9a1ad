//! Operator accounts: the startup's own staff, kept in the control plane.

use crate::{audit, now_millis, password, BackendError, Db};
use model::account::{check_display_name, check_password, Email};

/// Creates an operator; the address must not belong to another one.
pub async fn create(
    control: &Db,
    email: &str,
    name: &str,
    password: &str,
) -> Result<String, BackendError> {
    let email = Email::parse(email).map_err(|m| BackendError::invalid("email", m))?;
    let name = check_display_name(name, "the operator's name")
        .map_err(|m| BackendError::invalid("name", m))?;
    check_password(password).map_err(|m| BackendError::invalid("password", m))?;
    let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM operators WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(control.pool())
        .await?;
    if exists.is_some() {
        return Err(BackendError::invalid(
            "email",
            "An operator with this e-mail address exists already.",
        ));
    }
    let id = uuid::Uuid::new_v4().simple().to_string();
    let hash = password::hash(password.to_string()).await?;
    sqlx::query(
        "INSERT INTO operators (id, email, name, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(email.as_str())
    .bind(&name)
    .bind(hash)
    .bind(now_millis())
    .execute(control.pool())
    .await?;
    audit::record_operator(control, Some(&id), "operator_created", email.as_str()).await?;
    Ok(id)
}
