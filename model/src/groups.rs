//! Device groups and who may see them: grants give a user, or everyone of a role, access to a
//! group (view, or view and control). Which level a member ends up with is decided by
//! [`crate::access::group_level`].

use crate::account::Role;
use serde::{Deserialize, Serialize};

/// What a grant allows on a group's devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// See the devices and their data.
    View,
    /// See them and send them commands.
    Control,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Control => "control",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "view" => Some(Self::View),
            "control" => Some(Self::Control),
            _ => None,
        }
    }
}

/// Whom a grant names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// One member, by user id.
    User(String),
    /// Every member with this role.
    Role(Role),
}

impl Subject {
    /// Reads a form's subject: `user:<id>` or `role:<role>`.
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        match value.trim().split_once(':') {
            Some(("user", id)) if !id.is_empty() => Ok(Self::User(id.to_string())),
            Some(("role", role)) => match Role::parse(role) {
                // Owners and admins see every group anyway.
                Some(r @ (Role::Editor | Role::Viewer)) => Ok(Self::Role(r)),
                _ => Err(UNKNOWN_SUBJECT),
            },
            _ => Err(UNKNOWN_SUBJECT),
        }
    }

    /// The form value of this subject.
    pub fn form_value(&self) -> String {
        match self {
            Self::User(id) => format!("user:{id}"),
            Self::Role(role) => format!("role:{}", role.as_str()),
        }
    }
}

/// One grant on a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub subject: Subject,
    pub level: Level,
}

pub const GROUP_NAME_TAKEN: &str = "A group with that name exists already.";
pub const NO_SUCH_GROUP: &str = "That group does not exist any more.";
pub const NO_SUCH_GRANT: &str = "That access was already taken away.";
pub const UNKNOWN_LEVEL: &str = "Choose view, or view and control.";
pub const UNKNOWN_SUBJECT: &str = "Choose a member, or all editors or all viewers.";

/// Every fixed sentence of the groups forms.
pub const MESSAGES: [&str; 5] = [
    GROUP_NAME_TAKEN,
    NO_SUCH_GROUP,
    NO_SUCH_GRANT,
    UNKNOWN_LEVEL,
    UNKNOWN_SUBJECT,
];

/// A grant as the groups page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantListing {
    pub id: String,
    pub grant: Grant,
    /// The member's name, or "all editors" / "all viewers".
    pub subject_label: String,
}

/// A group as the groups page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupListing {
    pub id: String,
    pub name: String,
    pub grants: Vec<GrantListing>,
}

/// A member who can be given access (editors and viewers: the others see every group).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grantee {
    pub user_id: String,
    pub name: String,
    pub role: Role,
}

/// The groups page (admins and owners).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupsOverview {
    pub groups: Vec<GroupListing>,
    pub grantees: Vec<Grantee>,
    /// Whether the viewer may create and delete groups.
    pub may_manage_groups: bool,
}

/// A group a member can see, with what they may do in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisibleGroup {
    pub id: String,
    pub name: String,
    pub level: Level,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_and_levels_are_read_from_forms_and_nothing_else() {
        assert_eq!(Subject::parse("user:u1"), Ok(Subject::User("u1".into())));
        assert_eq!(
            Subject::parse("role:viewer"),
            Ok(Subject::Role(Role::Viewer))
        );
        for bad in ["role:admin", "role:owner", "role:root", "user:", "u1", ""] {
            assert_eq!(Subject::parse(bad), Err(UNKNOWN_SUBJECT), "{bad}");
        }
        let s = Subject::Role(Role::Editor);
        assert_eq!(Subject::parse(&s.form_value()), Ok(s));
        assert_eq!(Level::parse("control"), Some(Level::Control));
        assert_eq!(Level::parse("admin"), None);
        assert!(Level::Control > Level::View);
    }
}
