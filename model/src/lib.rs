//! Types that cross the wire between the browser and the server, with their validation and
//! pure rules. Nothing here does IO, so the crate compiles to wasm as well as for the server.

pub mod access;
pub mod account;
pub mod admin;
pub mod dashboards;
pub mod data;
pub mod devices;
pub mod error;
pub mod groups;
pub mod language;
pub mod map;
pub mod members;
pub mod theme;
pub mod time;
pub mod workspace;

pub use account::{Email, Role};
pub use error::ApiError;
pub use language::Language;
pub use theme::Theme;
pub use workspace::{Slug, SlugError, WorkspaceStatus, WorkspaceSummary};
