//! The operators' back office at `/admin`: signing in, every workspace and the data source it
//! reads, dashboard templates, the mail outbox.

pub mod api;
mod pages;
mod templates;
mod workspace;

pub use pages::{AdminHome, AdminSignIn};
pub use templates::AdminTemplatesPage;
pub use workspace::{admin_workspace_path, AdminWorkspacePage};

pub const ADMIN_PATH: &str = "/admin";
pub const ADMIN_SIGN_IN_PATH: &str = "/admin/sign-in";
pub const TEMPLATES_PATH: &str = "/admin/templates";
