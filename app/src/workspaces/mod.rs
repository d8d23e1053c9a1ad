//! Workspaces as a visitor meets them: the landing page that finds one, and its front door.

pub mod api;
mod home;
mod landing;

pub use home::WorkspaceHome;
pub use landing::Landing;
