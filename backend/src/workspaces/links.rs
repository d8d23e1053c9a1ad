//! "Find my workspaces by e-mail": a mail listing every workspace an address belongs to. The
//! person asking always reads the same answer, so the form tells nobody whether an address is
//! known; only the owner of the mailbox learns it.

use crate::mail::{escape_html, Brand, Mail, Mailer};
use crate::{BackendError, Db};
use model::{Email, Slug, WorkspaceStatus, WorkspaceSummary};

/// The workspaces `email` belongs to (active or suspended), by address.
pub async fn for_email(control: &Db, email: &Email) -> Result<Vec<WorkspaceSummary>, BackendError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT w.slug, w.name, w.status FROM workspaces w \
         JOIN workspace_emails e ON e.workspace_id = w.id \
         WHERE e.email = $1 AND w.status IN ('active', 'suspended') ORDER BY w.slug",
    )
    .bind(email.as_str())
    .fetch_all(control.pool())
    .await?;
    rows.into_iter().map(super::summary).collect()
}

/// The mail listing `workspaces`, with links under `public_url`, signed with the brand's name.
pub fn links_mail(
    brand: &Brand,
    public_url: &str,
    to: Email,
    workspaces: &[WorkspaceSummary],
) -> Mail {
    let l = brand.locale();
    let base = public_url.trim_end_matches('/');
    let link = |slug: &Slug| format!("{base}{}", slug.home_path());
    let mut text = format!(
        "{}\n\n{}\n\n",
        i18n::td_string!(l, mail.hello),
        i18n::td_string!(l, mail.links_body, brand = &brand.name)
    );
    let mut items = String::new();
    for ws in workspaces {
        let note = if ws.status == WorkspaceStatus::Suspended {
            i18n::td_string!(l, mail.links_suspended)
        } else {
            ""
        };
        text.push_str(&format!("- {}{note}: {}\n", ws.name, link(&ws.slug)));
        items.push_str(&format!(
            "<li><a href=\"{}\">{}</a>{}</li>",
            escape_html(&link(&ws.slug)),
            escape_html(&ws.name),
            escape_html(note)
        ));
    }
    text.push_str(&format!("\n{}\n", i18n::td_string!(l, mail.links_ignore)));
    let html = format!(
        "<p>{}</p><p>{}</p><ul>{items}</ul><p>{}</p>",
        escape_html(i18n::td_string!(l, mail.hello)),
        escape_html(&i18n::td_string!(l, mail.links_body, brand = &brand.name)),
        escape_html(i18n::td_string!(l, mail.links_ignore)),
    );
    let subject = i18n::td_string!(l, mail.links_subject, brand = &brand.name);
    brand.letter(to, subject.to_string(), text, html)
}

/// Mails `email` the links to its workspaces; sends nothing when it belongs to none.
/// Returns how many workspaces were listed (for logs and tests, never for the person asking).
pub async fn send_links(
    control: &Db,
    mailer: &Mailer,
    brand: &Brand,
    public_url: &str,
    email: Email,
) -> Result<usize, BackendError> {
    let workspaces = for_email(control, &email).await?;
    if workspaces.is_empty() {
        return Ok(0);
    }
    mailer
        .send(links_mail(brand, public_url, email, &workspaces))
        .await?;
    Ok(workspaces.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mail_links_every_workspace_and_escapes_names() {
        let to = Email::parse("ada@acme.example").expect("email");
        let ws = [
            WorkspaceSummary {
                slug: Slug::parse("acme").expect("slug"),
                name: "Acme <Sensors> & Co".into(),
                status: WorkspaceStatus::Active,
            },
            WorkspaceSummary {
                slug: Slug::parse("globex").expect("slug"),
                name: "Globex".into(),
                status: WorkspaceStatus::Suspended,
            },
        ];
        let mail = links_mail(
            &Brand::builtin("https://iot.example/"),
            "https://iot.example/",
            to,
            &ws,
        );
        assert_eq!(mail.subject, "Your IoT Rocket workspaces");
        assert!(mail
            .text
            .contains("- Acme <Sensors> & Co: https://iot.example/w/acme/"));
        assert!(mail
            .text
            .contains("- Globex (suspended): https://iot.example/w/globex/"));
        assert!(mail
            .html
            .contains("<a href=\"https://iot.example/w/acme/\">Acme &lt;Sensors&gt; &amp; Co</a>"));
        assert!(!mail.html.contains("<Sensors>"));
    }
}
