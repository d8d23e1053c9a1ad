//! Invitations: an admin names an address and a role; the address gets a link with a
//! single-use token that expires; whoever opens it sets a name and a password and is in.

use crate::auth::ctx::{find_row, WorkspaceCtx};
use crate::auth::limit::{self, Key, WORKSPACE_INVITATIONS};
use crate::auth::session::{self, SessionSettings, Subject};
use crate::auth::signin::SignedIn;
use crate::auth::token::{new_token, sha256_hex};
use crate::mail::{escape_html, Mail, Mailer};
use crate::registry::Registry;
use crate::{audit, now_millis, password, BackendError, Db};
use model::access::Action;
use model::account::{check_display_name, check_password};
use model::members::{
    InvitationListing, InvitationView, ALREADY_MEMBER, INVITATION_DAYS, INVITATION_INVALID,
    NO_SUCH_INVITATION, OWNERS_ONLY,
};
use model::{Email, Role, WorkspaceStatus};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Pending invitations, soonest to expire first (expired ones are dropped on the way).
pub async fn pending(ctx: &WorkspaceCtx) -> Result<Vec<InvitationListing>, BackendError> {
    ctx.require(Action::ManageMembers)?;
    sqlx::query("DELETE FROM invitations WHERE expires_at <= $1")
        .bind(now_millis())
        .execute(ctx.db().pool())
        .await?;
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT id, email, role, expires_at FROM invitations ORDER BY expires_at, email",
    )
    .fetch_all(ctx.db().pool())
    .await?;
    rows.into_iter().map(super::listing).collect()
}

/// Where an invitation mail comes from and points to.
pub struct MailContext<'a> {
    /// The control plane (where sending limits are counted).
    pub control: &'a Db,
    pub mailer: &'a Mailer,
    /// The look and name of mails, from the theme in use, in the language of the page that
    /// asked.
    pub brand: crate::mail::Brand,
    /// The theme in use, for a mail in another language (the reader chose one).
    pub theme: std::sync::Arc<crate::theme::LoadedTheme>,
    pub public_url: &'a str,
}

impl MailContext<'_> {
    /// The brand for a mail in `language`: its sentences and the theme's copy in it.
    pub fn brand_in(&self, language: model::Language) -> crate::mail::Brand {
        if language == self.brand.language {
            return self.brand.clone();
        }
        crate::mail::Brand::in_language(&self.theme.theme, self.public_url, language)
    }
}

/// The path of the page that accepts an invitation (the token goes in the query).
pub fn join_path(slug: &str) -> String {
    format!("/w/{slug}/join")
}

/// The invitation mail, in the brand's language. Every name in it is escaped: nothing typed
/// into a form becomes markup.
pub fn invitation_mail(
    brand: &crate::mail::Brand,
    link: &str,
    to: Email,
    inviter: &str,
    workspace: &str,
    role: Role,
) -> Mail {
    let l = brand.locale();
    let role = i18n::role_name(role, brand.language);
    let days = INVITATION_DAYS;
    let text = format!(
        "{}\n\n{}\n\n{}\n{link}\n\n{}\n",
        i18n::td_string!(l, mail.hello),
        i18n::td_string!(
            l,
            mail.invite_body,
            inviter,
            workspace,
            brand = &brand.name,
            role
        ),
        i18n::td_string!(l, mail.invite_open, days),
        i18n::td_string!(l, mail.invite_ignore),
    );
    let html = format!(
        "<p>{}</p><p>{}</p><p><a href=\"{}\">{}</a> {}</p><p>{}</p>",
        escape_html(i18n::td_string!(l, mail.hello)),
        i18n::td_string!(
            l,
            mail.invite_body,
            inviter = escape_html(inviter),
            workspace = format!("<strong>{}</strong>", escape_html(workspace)),
            brand = escape_html(&brand.name),
            role = escape_html(role)
        ),
        escape_html(link),
        escape_html(i18n::td_string!(l, mail.invite_accept)),
        escape_html(&i18n::td_string!(l, mail.invite_within, days)),
        escape_html(i18n::td_string!(l, mail.invite_ignore)),
    );
    let subject = i18n::td_string!(l, mail.invite_subject, inviter, workspace);
    brand.letter(to, subject.to_string(), text, html)
}

/// Invites `email` as `role` and mails the link. A second invitation to the same address
/// replaces the first (its link stops working).
pub async fn invite(
    ctx: &WorkspaceCtx,
    mail: MailContext<'_>,
    email: &str,
    role: Role,
) -> Result<(), BackendError> {
    ctx.require(Action::ManageMembers)?;
    if role == Role::Owner && ctx.require(Action::ManageOwners).is_err() {
        return Err(BackendError::invalid("role", OWNERS_ONLY));
    }
    let email = Email::parse(email).map_err(|m| BackendError::invalid("email", m))?;
    let member: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(ctx.db().pool())
        .await?;
    if member.is_some() {
        return Err(BackendError::invalid("email", ALREADY_MEMBER));
    }
    let pending: Option<(String,)> =
        sqlx::query_as("SELECT role FROM invitations WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(ctx.db().pool())
            .await?;
    if pending.is_some_and(|(r,)| r == Role::Owner.as_str())
        && ctx.require(Action::ManageOwners).is_err()
    {
        return Err(BackendError::invalid("role", OWNERS_ONLY));
    }
    let token = new_token()?;
    let now = now_millis();
    // Operators invite without limit; a workspace's people within one.
    if let crate::auth::Actor::Member(_) = ctx.actor {
        let key = Key::new(
            WORKSPACE_INVITATIONS,
            &[&ctx.workspace.id],
            Some(&ctx.workspace.id),
        );
        limit::attempt(mail.control, &key, now).await?.keep();
    }
    // One invitation per address: a new one replaces the old (whose link stops working).
    sqlx::query(
        "INSERT INTO invitations (id, email, role, token_hash, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (email) DO UPDATE SET id = excluded.id, role = excluded.role, \
         token_hash = excluded.token_hash, invited_by = excluded.invited_by, \
         created_at = excluded.created_at, expires_at = excluded.expires_at",
    )
    .bind(uuid::Uuid::new_v4().simple().to_string())
    .bind(email.as_str())
    .bind(role.as_str())
    .bind(sha256_hex(&token))
    .bind(ctx.actor_id())
    .bind(now)
    .bind(now + INVITATION_DAYS * DAY_MS)
    .execute(ctx.db().pool())
    .await?;

    let inviter = match &ctx.actor {
        crate::auth::Actor::Member(m) => m.name.clone(),
        crate::auth::Actor::Operator(_) => mail.brand.name.clone(),
    };
    let link = format!(
        "{}{}?token={token}",
        mail.public_url.trim_end_matches('/'),
        join_path(ctx.workspace.slug.as_str())
    );
    audit::record(
        ctx.db(),
        ctx.actor_id(),
        "invitation_sent",
        &format!("{} as {}", email.as_str(), role.as_str()),
    )
    .await?;
    mail.mailer
        .send(invitation_mail(
            &mail.brand,
            &link,
            email,
            &inviter,
            &ctx.workspace.name,
            role,
        ))
        .await
}

/// Withdraws a pending invitation.
pub async fn revoke(ctx: &WorkspaceCtx, id: &str) -> Result<(), BackendError> {
    ctx.require(Action::ManageMembers)?;
    // Owner-level invitations are an owner's to withdraw.
    let sql = if ctx.require(Action::ManageOwners).is_ok() {
        "DELETE FROM invitations WHERE id = $1 RETURNING email"
    } else {
        "DELETE FROM invitations WHERE id = $1 AND role <> 'owner' RETURNING email"
    };
    let gone: Option<(String,)> = sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(ctx.db().pool())
        .await?;
    let (email,) = gone.ok_or_else(|| BackendError::invalid("invitation", NO_SUCH_INVITATION))?;
    audit::record(ctx.db(), ctx.actor_id(), "invitation_withdrawn", &email).await
}

/// The open workspace of an invitation link, or the one answer for every bad link.
async fn open_for_link(
    control: &Db,
    registry: &Registry,
    slug: &str,
) -> Result<(crate::auth::ctx::WorkspaceRef, Db), BackendError> {
    let (workspace, db_name) = find_row(control, slug).await?;
    if workspace.status == WorkspaceStatus::Suspended {
        return Err(BackendError::Forbidden);
    }
    let db = registry.open(&db_name).await?;
    Ok((workspace, db))
}

fn invalid_link() -> BackendError {
    BackendError::NotFound(INVITATION_INVALID.into())
}

/// What the invitation behind `token` offers (for the page that accepts it).
pub async fn view(
    control: &Db,
    registry: &Registry,
    slug: &str,
    token: &str,
) -> Result<InvitationView, BackendError> {
    let (workspace, db) = open_for_link(control, registry, slug).await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT email, role FROM invitations WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(sha256_hex(token))
    .bind(now_millis())
    .fetch_optional(db.pool())
    .await?;
    let (email, role) = row.ok_or_else(invalid_link)?;
    Ok(InvitationView {
        workspace_name: workspace.name,
        email,
        role: Role::parse(&role).ok_or_else(invalid_link)?,
    })
}

/// Accepts the invitation behind `token`: creates the account with `name` and `password`,
/// uses the link up, and signs the new member in.
pub async fn accept(
    control: &Db,
    registry: &Registry,
    settings: &SessionSettings,
    slug: &str,
    token: &str,
    name: &str,
    password_text: &str,
) -> Result<SignedIn, BackendError> {
    let name =
        check_display_name(name, "your name").map_err(|m| BackendError::invalid("name", m))?;
    check_password(password_text).map_err(|m| BackendError::invalid("password", m))?;
    let (workspace, db) = open_for_link(control, registry, slug).await?;
    // A bad link is refused before any password is hashed: hashing is the expensive part.
    let valid: Option<(String,)> =
        sqlx::query_as("SELECT email FROM invitations WHERE token_hash = $1 AND expires_at > $2")
            .bind(sha256_hex(token))
            .bind(now_millis())
            .fetch_optional(db.pool())
            .await?;
    if valid.is_none() {
        return Err(invalid_link());
    }
    let hash = password::hash(password_text.to_string()).await?;
    let user_id = uuid::Uuid::new_v4().simple().to_string();
    let mut tx = db.pool().begin().await?;
    // Deleting the row is what uses the link: two tabs accepting at once get one account.
    let row: Option<(String, String)> = sqlx::query_as(
        "DELETE FROM invitations WHERE token_hash = $1 AND expires_at > $2 RETURNING email, role",
    )
    .bind(sha256_hex(token))
    .bind(now_millis())
    .fetch_optional(&mut *tx)
    .await?;
    let (email, role) = row.ok_or_else(invalid_link)?;
    let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(BackendError::invalid("email", ALREADY_MEMBER));
    }
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, role, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&user_id)
    .bind(&email)
    .bind(&name)
    .bind(&hash)
    .bind(&role)
    .bind(now_millis())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query(
        "INSERT INTO workspace_emails (email, workspace_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(&email)
    .bind(&workspace.id)
    .execute(control.pool())
    .await?;
    audit::record(
        &db,
        Some(&user_id),
        "invitation_accepted",
        &format!("{email} as {role}"),
    )
    .await?;
    let subject = Subject::Member {
        workspace_id: workspace.id,
        user_id,
    };
    let token = session::start(control, &subject, None, settings).await?;
    Ok(SignedIn {
        token,
        slug: Some(workspace.slug),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_invitation_mail_links_the_page_and_escapes_every_name() {
        let to = Email::parse("bo@acme.example").expect("email");
        let mail = invitation_mail(
            &crate::mail::Brand::builtin("https://iot.example"),
            "https://iot.example/w/acme/join?token=abc",
            to,
            "Ada <script>alert(1)</script>",
            "Acme & Co",
            Role::Editor,
        );
        assert!(mail
            .text
            .contains("https://iot.example/w/acme/join?token=abc"));
        assert!(mail.text.contains("as editor"));
        assert!(mail
            .html
            .contains("Ada &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(mail.html.contains("<strong>Acme &amp; Co</strong>"));
        assert!(!mail.html.contains("<script>"));
        assert_eq!(
            mail.subject,
            "Ada <script>alert(1)</script> invited you to Acme & Co"
        );
    }
}
