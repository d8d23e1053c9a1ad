//! What the operators' back office at `/admin` shows.

use crate::WorkspaceSummary;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceListing {
    #[serde(flatten)]
    pub summary: WorkspaceSummary,
    /// Milliseconds since 1970-01-01 UTC.
    pub created_at: i64,
}

/// A mail written to the outbox folder (when no SMTP server is configured).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub file: String,
    /// Milliseconds since 1970-01-01 UTC.
    pub at: i64,
    pub to: String,
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub operator_name: String,
    pub workspaces: Vec<WorkspaceListing>,
    /// `None` when mails go out over SMTP.
    pub outbox: Option<Vec<OutboxMail>>,
    /// The newest operator actions (and failed operator sign-ins), newest first.
    pub audit: Vec<crate::members::AuditListing>,
}
