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
        let message = Message::builder()
            .from(self.from.clone())
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
