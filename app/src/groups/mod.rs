//! Device groups and who may see them: the groups page (admins) and the member's own list.

pub mod api;
mod page;

pub use page::{GroupsPage, MyGroups};

pub fn groups_path(slug: &str) -> String {
    format!("/w/{slug}/groups")
}
