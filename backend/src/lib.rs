//! Server-only services. Every function that touches data takes the database it works on
//! explicitly; nothing here is compiled to wasm.

pub mod db;
pub mod error;
pub mod mail;
pub mod password;
pub mod registry;
pub mod services;
pub mod theme;
pub mod throttle;
pub mod workspaces;

#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Db, Engine};
pub use error::BackendError;
pub use services::Services;
