//! Workspaces as a visitor meets them: the landing page that finds one, and its front door.

pub mod api;
mod home;
mod landing;

pub use home::{Suspended, WorkspaceHome};

/// Where the landing page goes after a "find my workspaces by e-mail" request; the page reads
/// the query and says a mail may be on its way (also without JavaScript).
pub const LINKS_SENT_PATH: &str = "/?links=sent";
pub use landing::Landing;
