//! The operators' back office at `/admin`: signing in, every workspace, the mail outbox.

pub mod api;
mod pages;

pub use pages::{AdminHome, AdminSignIn};

pub const ADMIN_PATH: &str = "/admin";
pub const ADMIN_SIGN_IN_PATH: &str = "/admin/sign-in";
