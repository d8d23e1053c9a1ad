//! One mailer for the whole product: SMTP through lettre when `SMTP_URL` is set (Mailjet's SMTP
//! relay and any other fit), otherwise `.eml` files in an outbox folder, so a fresh install
//! works without a mail server. Mails are built from plain Rust with HTML escaping: there is no
//! user-editable template language to inject into.

use crate::BackendError;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use model::Email;
use std::path::PathBuf;
use std::sync::Arc;

/// A mail to one person, in plain text and HTML.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Email,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The name it comes from, unless `MAIL_FROM` names one itself.
    pub sender_name: Option<String>,
}

/// How the theme dresses every mail: the sender's name, a band in the brand's colour with its
/// logo and name, and the footer. Built from the theme in use when the mail is written.
#[derive(Debug, Clone)]
pub struct Brand {
    /// The product's name, as the text of mails says it.
    pub name: String,
    pub sender_name: String,
    pub header_color: String,
    /// Text on the header band: white or ink, whichever reads better.
    pub on_header: String,
    /// The logo's address from outside (mail clients fetch it).
    pub logo_url: String,
    pub footer: String,
    pub support_email: Option<String>,
    /// The language the mail is written in.
    pub language: model::Language,
}

impl Brand {
    pub fn from_theme(theme: &model::Theme, public_url: &str) -> Self {
        let on_header = model::theme::colour::Rgb::parse(&theme.mail.header_color)
            .map_or_else(|| "#ffffff".to_string(), |c| c.readable_text().hex());
        Self {
            name: theme.product_name.clone(),
            sender_name: theme.mail.sender_name.clone(),
            header_color: theme.mail.header_color.clone(),
            on_header,
            logo_url: format!("{}{}", public_url.trim_end_matches('/'), theme.logo_url),
            footer: theme.mail.footer.clone(),
            support_email: theme.support_email.clone(),
            language: model::Language::En,
        }
    }

    /// The look of `theme` for a mail in `language`: its sentences and the theme's copy (the
    /// footer) in that language.
    pub fn in_language(theme: &model::Theme, public_url: &str, language: model::Language) -> Self {
        let mut brand = Self::from_theme(&theme.clone().in_language(language), public_url);
        brand.language = language;
        brand
    }

    /// The locale for this mail's sentences (`td_string!`).
    pub fn locale(&self) -> i18n::Locale {
        self.language.into()
    }

    /// The built-in default theme's look (tests, and mails written before any theme).
    pub fn builtin(public_url: &str) -> Self {
        Self::from_theme(&crate::theme::LoadedTheme::builtin().theme, public_url)
    }

    /// A mail in this brand's look. `html_body` is markup the caller built with
    /// [`escape_html`]; every value of the brand is escaped here.
    pub fn letter(&self, to: Email, subject: String, text_body: String, html_body: String) -> Mail {
        let mut text = text_body;
        text.push_str("\n-- \n");
        text.push_str(&self.footer);
        if let Some(support) = &self.support_email {
            text.push('\n');
            text.push_str(&i18n::td_string!(
                self.locale(),
                mail.help,
                support = support
            ));
        }
        text.push('\n');
        let support = self.support_email.as_ref().map_or(String::new(), |s| {
            format!(
                " <a href=\"mailto:{0}\" style=\"color:#5c667a\">{0}</a>",
                escape_html(s)
            )
        });
        let html = format!(
            "<!DOCTYPE html><html><body style=\"margin:0;padding:0;background:#f3f4f6\">\
             <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\">\
             <tr><td class=\"mail-header\" style=\"background:{header};color:{on};padding:16px 24px;\
             font:600 18px sans-serif\"><img src=\"{logo}\" alt=\"\" width=\"28\" height=\"28\" \
             style=\"vertical-align:middle;margin-right:10px\">{name}</td></tr>\
             <tr><td style=\"background:#ffffff;padding:24px;font:15px/1.5 sans-serif;color:#1b2233\">\
             {html_body}</td></tr>\
             <tr><td class=\"mail-footer\" style=\"padding:16px 24px;font:12px sans-serif;color:#5c667a\">\
             {footer}{support}</td></tr></table></body></html>",
            header = escape_html(&self.header_color),
            on = escape_html(&self.on_header),
            logo = escape_html(&self.logo_url),
            name = escape_html(&self.name),
            footer = escape_html(&self.footer),
        );
        Mail {
            to,
            subject,
            text,
            html,
            sender_name: Some(self.sender_name.clone()),
        }
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The SMTP URL may hold a password: only the kind is shown.
        let kind = match &*self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Outbox(..) => "outbox",
        };
        f.debug_struct("Mailer").field("transport", &kind).finish()
    }
}

impl Mailer {
    /// SMTP at `smtp_url` (`smtp://user:pass@host:587?tls=required`, `smtps://…`), or the
    /// outbox folder when there is none. `from` is a mailbox such as `Acme <no-reply@acme.io>`.
    pub fn new(smtp_url: Option<&str>, outbox: PathBuf, from: &str) -> Result<Self, BackendError> {
        let from: Mailbox = from.parse().map_err(|_| {
            BackendError::invalid(
                "MAIL_FROM",
                format!("\u{201c}{from}\u{201d} is not a mail address"),
            )
        })?;
        let transport = match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|_| BackendError::invalid("SMTP_URL", "is not a valid SMTP URL"))?
                    .build(),
            ),
            None => Transport::Outbox(AsyncFileTransport::new(&outbox), outbox),
        };
        Ok(Self {
            transport: Arc::new(transport),
            from,
        })
    }

    pub async fn send(&self, mail: Mail) -> Result<(), BackendError> {
        let to: Mailbox = mail
            .to
            .as_str()
            .parse()
            .map_err(|_| BackendError::invalid("to", "is not a mail address"))?;
        // A name in MAIL_FROM wins; otherwise the theme's sender name is used (one line).
        let sender = mail
            .sender_name
            .map(|n| n.chars().filter(|c| !c.is_control()).collect::<String>())
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        let from = match (&self.from.name, sender) {
            (None, Some(name)) => Mailbox::new(Some(name), self.from.email.clone()),
            _ => self.from.clone(),
        };
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(mail.subject)
            .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
            .map_err(|e| BackendError::Internal(format!("building a mail: {e}")))?;
        match &*self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.map_err(|e| {
                    BackendError::Internal(format!("sending a mail over SMTP: {e}"))
                })?;
            }
            Transport::Outbox(file, dir) => {
                tokio::fs::create_dir_all(dir).await?;
                file.send(message).await.map_err(|e| {
                    BackendError::Internal(format!("writing a mail to the outbox: {e}"))
                })?;
            }
        }
        Ok(())
    }
}

impl Mailer {
    /// The newest `limit` mails of the outbox folder, newest first; `None` when mails go out
    /// over SMTP.
    pub async fn outbox(
        &self,
        limit: usize,
    ) -> Result<Option<Vec<model::admin::OutboxMail>>, BackendError> {
        let Transport::Outbox(_, dir) = &*self.transport else {
            return Ok(None);
        };
        let mut mails = Vec::new();
        let mut entries = match tokio::fs::read_dir(dir).await {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Some(Vec::new())),
            Err(e) => return Err(e.into()),
        };
        while let Some(entry) = entries.next_entry().await? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".eml") {
                continue;
            }
            let at = entry
                .metadata()
                .await?
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0));
            mails.push((at, name, entry.path()));
        }
        mails.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        mails.truncate(limit);
        let mut out = Vec::with_capacity(mails.len());
        for (at, file, path) in mails {
            let text = tokio::fs::read_to_string(&path).await.unwrap_or_default();
            let header = |name: &str| {
                text.lines()
                    .take_while(|l| !l.is_empty())
                    .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
                    .unwrap_or_default()
            };
            out.push(model::admin::OutboxMail {
                file,
                at,
                to: header("To:"),
                subject: header("Subject:"),
            });
        }
        Ok(Some(out))
    }
}

/// Text safe inside HTML elements and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn markup_in_names_is_shown_not_run() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }
}
