//! What every request handler and server function shares: the control-plane database, the
//! theme and the process start time. Built once at start-up.

use crate::registry::Registry;
use crate::theme::LoadedTheme;
use crate::Db;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug)]
pub struct Services {
    pub control: Db,
    /// The pools of the workspace databases.
    pub registry: Registry,
    pub theme: Arc<LoadedTheme>,
    pub started_at: Instant,
}

impl Services {
    pub fn new(control: Db, registry: Registry, theme: LoadedTheme) -> Self {
        Self {
            control,
            registry,
            theme: Arc::new(theme),
            started_at: Instant::now(),
        }
    }
}
