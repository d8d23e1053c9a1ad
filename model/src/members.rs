//! The people of a workspace as its admins manage them: members and their roles, invitations,
//! password resets, one's own account settings and the audit log, with the sentences their
//! forms may show.

use crate::account::Role;
use serde::{Deserialize, Serialize};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;
/// How long a password-reset link works.
pub const RESET_MINUTES: i64 = 60;

pub const LAST_OWNER: &str = "A workspace needs at least one owner: make someone else owner first.";
pub const ALREADY_MEMBER: &str = "That person is already a member of this workspace.";
pub const NO_SUCH_MEMBER: &str = "That person is not a member of this workspace any more.";
pub const NO_SUCH_INVITATION: &str = "That invitation was already accepted or withdrawn.";
pub const INVITATION_INVALID: &str =
    "This invitation link is not valid any more. Ask the person who invited you for a new one.";
pub const RESET_INVALID: &str =
    "This password reset link is not valid any more. Ask for a new one.";
pub const WRONG_PASSWORD: &str = "That is not your current password.";
pub const UNKNOWN_ROLE: &str = "Choose owner, admin, editor or viewer.";
pub const OWNERS_ONLY: &str = "Only an owner can make someone an owner or change an owner's role.";

/// Every fixed sentence of these forms (a page shows only known sentences).
pub const MESSAGES: [&str; 9] = [
    LAST_OWNER,
    ALREADY_MEMBER,
    NO_SUCH_MEMBER,
    NO_SUCH_INVITATION,
    INVITATION_INVALID,
    RESET_INVALID,
    WRONG_PASSWORD,
    UNKNOWN_ROLE,
    OWNERS_ONLY,
];

/// Parses a role named in a form.
pub fn parse_role(value: &str) -> Result<Role, &'static str> {
    Role::parse(value.trim()).ok_or(UNKNOWN_ROLE)
}

/// One member, as the members page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberListing {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// Milliseconds since 1970-01-01 UTC.
    pub joined_at: i64,
}

/// An invitation not yet accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationListing {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub expires_at: i64,
}

/// The members page: who is in, who is invited, and what the viewer may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersOverview {
    pub workspace_name: String,
    pub members: Vec<MemberListing>,
    pub invitations: Vec<InvitationListing>,
    /// Whether the viewer may give or take the owner role.
    pub may_manage_owners: bool,
    /// The viewer's own user id (`None` for an operator).
    pub me: Option<String>,
}

/// What an invitation link shows before it is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub workspace_name: String,
    pub email: String,
    pub role: Role,
}

/// One of the signed-in user's sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionListing {
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Whether this is the session the page was asked with.
    pub current: bool,
}

/// The settings page of one's own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSettings {
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The language chosen for the interface and mails; `None` follows the browser.
    pub language: Option<crate::Language>,
    pub sessions: Vec<SessionListing>,
}

/// One audit entry, with the actor's name where known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditListing {
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_read_from_forms_and_anything_else_is_explained() {
        assert_eq!(parse_role("admin"), Ok(Role::Admin));
        assert_eq!(parse_role(" viewer "), Ok(Role::Viewer));
        assert_eq!(parse_role("root"), Err(UNKNOWN_ROLE));
        assert_eq!(parse_role(""), Err(UNKNOWN_ROLE));
    }
}
