//! Workspaces as a visitor meets them: the landing page that finds one, and its front door.

pub mod api;
mod branding;
mod home;
mod landing;

pub use branding::BrandingPage;
pub use home::{Suspended, WorkspaceHome};

/// The brand page of a workspace (owners and admins).
pub fn branding_path(slug: &str) -> String {
    format!("/w/{slug}/branding")
}

/// Where the landing page goes after a "find my workspaces by e-mail" request; the page reads
/// the query and says a mail may be on its way (also without JavaScript).
pub const LINKS_SENT_PATH: &str = "/?links=sent";
pub use landing::Landing;
