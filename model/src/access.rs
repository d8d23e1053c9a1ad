//! Who may do what: the one authorization policy of the product. A pure function over the
//! caller, the action and its target, so it is tested exhaustively here and called by every
//! server function and route (through `backend::auth`). The browser uses it too, only to hide
//! what the server would refuse anyway.

use crate::account::Role;
use serde::{Deserialize, Serialize};

/// Who is asking, as the session says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal<'a> {
    /// No session.
    Anonymous,
    /// A user of one workspace, with the role that workspace's database gives them now.
    Member { workspace_id: &'a str, role: Role },
    /// One of the startup's own operators (the back office at `/admin`).
    Operator,
}

/// What the caller wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Open the workspace: its home, dashboards and devices, read only.
    ViewWorkspace,
    /// Change one's own name, password, language; see and end one's own sessions.
    ManageOwnAccount,
    /// Create and change dashboards.
    EditDashboards,
    /// Create, change and delete devices and groups.
    ManageDevices,
    /// Invite people, change roles and grants.
    ManageMembers,
    /// Read the workspace's audit log.
    ViewAudit,
    /// Take a copy of everything the workspace holds.
    ExportWorkspace,
    /// Make someone an owner, or stop being one.
    ManageOwners,
    /// Set the workspace's display name, logo and primary colour over the theme.
    BrandWorkspace,
    /// The deployment's back office: every workspace, operator mail, operator audit.
    Operate,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::ViewWorkspace,
        Action::ManageOwnAccount,
        Action::EditDashboards,
        Action::ManageDevices,
        Action::ManageMembers,
        Action::ViewAudit,
        Action::ExportWorkspace,
        Action::ManageOwners,
        Action::BrandWorkspace,
        Action::Operate,
    ];

    /// The least role of a workspace member that may do this; `None` when no member may.
    pub fn least_role(self) -> Option<Role> {
        match self {
            Self::ViewWorkspace | Self::ManageOwnAccount => Some(Role::Viewer),
            Self::EditDashboards => Some(Role::Editor),
            Self::ManageDevices
            | Self::ManageMembers
            | Self::ViewAudit
            | Self::ExportWorkspace
            | Self::BrandWorkspace => Some(Role::Admin),
            Self::ManageOwners => Some(Role::Owner),
            Self::Operate => None,
        }
    }

    /// Whether an operator may do this. Operators run the back office of every workspace, but
    /// they have no account of their own inside one.
    pub fn operators_may(self) -> bool {
        !matches!(self, Self::ManageOwnAccount)
    }
}

/// What the action is done on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The deployment as a whole (the operator back office).
    Deployment,
    /// One workspace, by id.
    Workspace(&'a str),
}

/// Why a request is refused. Each maps to what the caller is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// Nobody is signed in: sign in first (401).
    SignIn,
    /// Signed in, but the role is not enough (403).
    Role,
    /// Signed in to another workspace: answered as if the target did not exist (404), so a
    /// session of one customer learns nothing about another.
    OtherWorkspace,
}

impl Role {
    /// Whether this role can do everything `least` can.
    pub fn at_least(self, least: Role) -> bool {
        // Roles are declared from most to least powerful.
        self <= least
    }
}

/// The policy.
pub fn authorize(who: Principal<'_>, action: Action, target: Target<'_>) -> Result<(), Denied> {
    match who {
        Principal::Anonymous => Err(Denied::SignIn),
        Principal::Operator => {
            if action.operators_may() {
                Ok(())
            } else {
                Err(Denied::Role)
            }
        }
        Principal::Member { workspace_id, role } => {
            let Target::Workspace(target_id) = target else {
                return Err(Denied::Role);
            };
            if target_id != workspace_id {
                return Err(Denied::OtherWorkspace);
            }
            match action.least_role() {
                Some(least) if role.at_least(least) => Ok(()),
                _ => Err(Denied::Role),
            }
        }
    }
}

/// What a member may do with one device group: owners, admins and operators (`role: None`)
/// control every group; editors and viewers get the highest level among the grants naming
/// them or their role, and nothing without one.
pub fn group_level(
    role: Option<Role>,
    user_id: &str,
    grants: &[crate::groups::Grant],
) -> Option<crate::groups::Level> {
    use crate::groups::{Level, Subject};
    match role {
        None | Some(Role::Owner | Role::Admin) => Some(Level::Control),
        Some(role) => grants
            .iter()
            .filter(|g| match &g.subject {
                Subject::User(id) => id == user_id,
                Subject::Role(r) => *r == role,
            })
            .map(|g| g.level)
            .max(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [Role; 4] = [Role::Owner, Role::Admin, Role::Editor, Role::Viewer];

    /// The policy as a table, written out by hand: which roles may do each action in their own
    /// workspace, and whether operators may.
    fn expected(action: Action) -> (&'static [Role], bool) {
        use Role::*;
        match action {
            Action::ViewWorkspace => (&[Owner, Admin, Editor, Viewer], true),
            Action::ManageOwnAccount => (&[Owner, Admin, Editor, Viewer], false),
            Action::EditDashboards => (&[Owner, Admin, Editor], true),
            Action::ManageDevices => (&[Owner, Admin], true),
            Action::ManageMembers => (&[Owner, Admin], true),
            Action::ViewAudit => (&[Owner, Admin], true),
            Action::ExportWorkspace => (&[Owner, Admin], true),
            Action::ManageOwners => (&[Owner], true),
            Action::BrandWorkspace => (&[Owner, Admin], true),
            Action::Operate => (&[], true),
        }
    }

    #[test]
    fn every_caller_action_and_target_is_decided_as_the_table_says() {
        let targets = [
            Target::Deployment,
            Target::Workspace("ws-a"),
            Target::Workspace("ws-b"),
        ];
        let mut checked = 0;
        for action in Action::ALL {
            let (roles, operators) = expected(action);
            for target in targets {
                assert_eq!(
                    authorize(Principal::Anonymous, action, target),
                    Err(Denied::SignIn),
                    "anonymous {action:?} on {target:?}"
                );
                assert_eq!(
                    authorize(Principal::Operator, action, target).is_ok(),
                    operators,
                    "operator {action:?} on {target:?}"
                );
                for role in ROLES {
                    let who = Principal::Member {
                        workspace_id: "ws-a",
                        role,
                    };
                    let want = match target {
                        Target::Deployment => Err(Denied::Role),
                        Target::Workspace("ws-a") if roles.contains(&role) => Ok(()),
                        Target::Workspace("ws-a") => Err(Denied::Role),
                        Target::Workspace(_) => Err(Denied::OtherWorkspace),
                    };
                    assert_eq!(
                        authorize(who, action, target),
                        want,
                        "{role:?} {action:?} on {target:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, Action::ALL.len() * 3 * ROLES.len());
    }

    #[test]
    fn a_session_of_another_workspace_never_gets_in_whatever_its_role() {
        for action in Action::ALL {
            let who = Principal::Member {
                workspace_id: "ws-a",
                role: Role::Owner,
            };
            assert_eq!(
                authorize(who, action, Target::Workspace("ws-b")),
                Err(Denied::OtherWorkspace)
            );
        }
    }

    #[test]
    fn more_power_never_loses_a_right() {
        for action in Action::ALL {
            for (i, stronger) in ROLES.iter().enumerate() {
                for weaker in &ROLES[i..] {
                    let allowed = |role| {
                        authorize(
                            Principal::Member {
                                workspace_id: "w",
                                role,
                            },
                            action,
                            Target::Workspace("w"),
                        )
                        .is_ok()
                    };
                    assert!(
                        !allowed(*weaker) || allowed(*stronger),
                        "{weaker:?} may {action:?} but {stronger:?} may not"
                    );
                }
            }
        }
    }

    #[test]
    fn group_levels_follow_roles_and_the_grants_naming_the_member() {
        use crate::groups::{Grant, Level, Subject};
        let grant = |subject: Subject, level: Level| Grant { subject, level };
        let grants = [
            grant(Subject::Role(Role::Viewer), Level::View),
            grant(Subject::User("bo".into()), Level::Control),
            grant(Subject::User("cy".into()), Level::View),
        ];
        // Owners, admins and operators: every group, whatever the grants.
        for role in [None, Some(Role::Owner), Some(Role::Admin)] {
            assert_eq!(group_level(role, "zz", &[]), Some(Level::Control));
        }
        // A viewer: the role's grant, raised by a personal one.
        assert_eq!(
            group_level(Some(Role::Viewer), "al", &grants),
            Some(Level::View)
        );
        assert_eq!(
            group_level(Some(Role::Viewer), "bo", &grants),
            Some(Level::Control)
        );
        // An editor: only what names them (the viewers' grant is not theirs).
        assert_eq!(
            group_level(Some(Role::Editor), "cy", &grants),
            Some(Level::View)
        );
        assert_eq!(group_level(Some(Role::Editor), "dd", &grants), None);
        assert_eq!(group_level(Some(Role::Viewer), "al", &[]), None);
    }
}
