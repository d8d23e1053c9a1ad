//! Signing in and out of a workspace, and who is signed in.

pub mod api;
mod sign_in;

pub use sign_in::{SignInPage, SignOutButtons};

/// Where a workspace's sign-in page is.
pub fn sign_in_path(slug: &str) -> String {
    format!("/w/{slug}/sign-in")
}
