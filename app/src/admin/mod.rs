//! The operators' back office at `/admin`: signing in, every workspace and the data source it
//! reads, the mail outbox.

pub mod api;
mod pages;
mod workspace;

pub use pages::{AdminHome, AdminSignIn};
pub use workspace::{admin_workspace_path, AdminWorkspacePage};

pub const ADMIN_PATH: &str = "/admin";
pub const ADMIN_SIGN_IN_PATH: &str = "/admin/sign-in";
