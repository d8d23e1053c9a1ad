//! Server-only services. Every function that touches data takes the database it works on
//! explicitly; nothing here is compiled to wasm.

pub mod audit;
pub mod auth;
pub mod connector;
pub mod dashboards;
pub mod db;
pub mod devices;
pub mod error;
pub mod groups;
pub mod live;
pub mod mail;
pub mod members;
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

/// Milliseconds since 1970-01-01 UTC: how every instant is stored.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
