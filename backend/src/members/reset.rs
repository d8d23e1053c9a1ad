//! "Forgot your password?": a link by mail that works once, for an hour; using it sets a new
//! password and ends every session of that user. Asking answers alike whether or not the
//! address has an account.

use super::invitations::MailContext;
use crate::auth::ctx::find_row;
use crate::auth::session;
use crate::auth::token::{new_token, sha256_hex};
use crate::mail::{escape_html, Brand, Mail};
use crate::registry::Registry;
use crate::{audit, now_millis, password, BackendError, Db};
use model::account::check_password;
use model::members::{RESET_INVALID, RESET_MINUTES};
use model::{Email, WorkspaceStatus};

/// The path of the page that sets a new password (the token goes in the query).
pub fn reset_path(slug: &str) -> String {
    format!("/w/{slug}/reset")
}

/// The reset mail, in the brand's language.
pub fn reset_mail(brand: &Brand, link: &str, to: Email, workspace: &str) -> Mail {
    let l = brand.locale();
    let brand_name = &brand.name;
    let minutes = RESET_MINUTES;
    let text = format!(
        "{}\n\n{}\n\n{}\n{link}\n\n{}\n",
        i18n::td_string!(l, mail.hello),
        i18n::td_string!(l, mail.reset_body, workspace, brand = brand_name),
        i18n::td_string!(l, mail.reset_open, minutes),
        i18n::td_string!(l, mail.reset_ignore),
    );
    let html = format!(
        "<p>{}</p><p>{}</p><p><a href=\"{}\">{}</a> {}</p><p>{}</p>",
        escape_html(i18n::td_string!(l, mail.hello)),
        i18n::td_string!(
            l,
            mail.reset_body,
            workspace = format!("<strong>{}</strong>", escape_html(workspace)),
            brand = escape_html(brand_name)
        ),
        escape_html(link),
        escape_html(i18n::td_string!(l, mail.reset_choose)),
        escape_html(&i18n::td_string!(l, mail.reset_within, minutes)),
        escape_html(i18n::td_string!(l, mail.reset_ignore)),
    );
    let subject = i18n::td_string!(l, mail.reset_subject, workspace);
    brand.letter(to, subject.to_string(), text, html)
}

/// Mails a reset link when `email` has an account in the workspace at `slug`. Returns whether
/// a mail was sent (for logs and tests, never for the person asking).
pub async fn request(
    control: &Db,
    registry: &Registry,
    mail: MailContext<'_>,
    slug: &str,
    email: &Email,
) -> Result<bool, BackendError> {
    let (workspace, db_name) = find_row(control, slug).await?;
    if workspace.status == WorkspaceStatus::Suspended {
        return Ok(false);
    }
    let db = registry.open(&db_name).await?;
    let user: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT id, language FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(db.pool())
            .await?;
    let Some((user_id, language)) = user else {
        return Ok(false);
    };
    // In the language the user chose, else in the one of the page that asked.
    let brand = match language.as_deref().and_then(model::Language::parse) {
        Some(language) => mail.brand_in(language),
        None => mail.brand.clone(),
    };
    let token = new_token()?;
    let now = now_millis();
    sqlx::query("DELETE FROM password_resets WHERE user_id = $1 OR expires_at <= $2")
        .bind(&user_id)
        .bind(now)
        .execute(db.pool())
        .await?;
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(sha256_hex(&token))
    .bind(&user_id)
    .bind(now)
    .bind(now + RESET_MINUTES * 60 * 1000)
    .execute(db.pool())
    .await?;
    audit::record(
        &db,
        Some(&user_id),
        "password_reset_requested",
        email.as_str(),
    )
    .await?;
    let link = format!(
        "{}{}?token={token}",
        mail.public_url.trim_end_matches('/'),
        reset_path(slug)
    );
    mail.mailer
        .send(reset_mail(&brand, &link, email.clone(), &workspace.name))
        .await?;
    Ok(true)
}

/// Sets a new password with the link's `token`, uses the link up and ends every session of
/// the user.
pub async fn complete(
    control: &Db,
    registry: &Registry,
    slug: &str,
    token: &str,
    new_password: &str,
) -> Result<(), BackendError> {
    check_password(new_password).map_err(|m| BackendError::invalid("password", m))?;
    let invalid = || BackendError::NotFound(RESET_INVALID.into());
    let (workspace, db_name) = find_row(control, slug).await.map_err(|e| match e {
        BackendError::NotFound(_) => invalid(),
        other => other,
    })?;
    if workspace.status == WorkspaceStatus::Suspended {
        return Err(BackendError::Forbidden);
    }
    let db = registry.open(&db_name).await?;
    // A bad link is refused before any password is hashed: hashing is the expensive part.
    let valid: Option<(String,)> = sqlx::query_as(
        "SELECT user_id FROM password_resets WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(sha256_hex(token))
    .bind(now_millis())
    .fetch_optional(db.pool())
    .await?;
    if valid.is_none() {
        return Err(invalid());
    }
    let hash = password::hash(new_password.to_string()).await?;
    let mut tx = db.pool().begin().await?;
    let row: Option<(String,)> = sqlx::query_as(
        "DELETE FROM password_resets WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id",
    )
    .bind(sha256_hex(token))
    .bind(now_millis())
    .fetch_optional(&mut *tx)
    .await?;
    let (user_id,) = row.ok_or_else(invalid)?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let ended = session::end_all_of_user(control, &workspace.id, &user_id).await?;
    audit::record(
        &db,
        Some(&user_id),
        "password_reset",
        &format!("{ended} sessions ended"),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reset_mail_links_the_page_and_escapes_the_workspace_name() {
        let to = Email::parse("bo@acme.example").expect("email");
        let mail = reset_mail(
            &crate::mail::Brand::builtin("https://iot.example"),
            "https://iot.example/w/acme/reset?token=abc",
            to,
            "<b>Acme</b>",
        );
        assert!(mail
            .text
            .contains("https://iot.example/w/acme/reset?token=abc"));
        assert!(mail.html.contains("&lt;b&gt;Acme&lt;/b&gt;"));
        assert!(!mail.html.contains("<b>Acme"));
    }
}
