//! Where workspace databases live, and the pools that reach them. Pools open lazily on first
//! use (running the workspace migrations once, even when many requests arrive together), the
//! number of open pools is capped so the total of connections stays bounded (the least recently
//! used pool closes first), and pools idle for too long are closed by [`Registry::close_idle`].

use crate::db::{sqlite_url_existing, PoolSettings, Schema};
use crate::{BackendError, Db, Engine};
use sqlx::{AssertSqlSafe, Executor};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// Where workspace databases are created.
#[derive(Clone)]
pub enum Storage {
    /// One SQLite file per workspace in this folder.
    Sqlite { dir: PathBuf },
    /// One database per workspace on the PostgreSQL server of the control plane. `server` is the
    /// control URL without its database name; `query` its parameters (`?sslmode=…`), if any.
    Postgres {
        control: Db,
        server: String,
        query: String,
    },
}

impl std::fmt::Debug for Storage {
    /// The server URL may hold a password: it is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite { dir } => f.debug_struct("Sqlite").field("dir", dir).finish(),
            Self::Postgres { .. } => f.write_str("Postgres { .. }"),
        }
    }
}

impl Storage {
    /// Workspaces live beside the control plane: files under `data_dir/workspaces` when the
    /// control plane is SQLite, databases on the same server when it is PostgreSQL.
    pub fn beside(control: &Db, control_url: &str, data_dir: &std::path::Path) -> Self {
        match control.engine() {
            Engine::Sqlite => Self::Sqlite {
                dir: data_dir.join("workspaces"),
            },
            Engine::Postgres => {
                let (base, query) = match control_url.split_once('?') {
                    Some((b, q)) => (b, format!("?{q}")),
                    None => (control_url, String::new()),
                };
                let server = base.rsplit_once('/').map_or(base, |(s, _)| s).to_string();
                Self::Postgres {
                    control: control.clone(),
                    server,
                    query,
                }
            }
        }
    }

    pub fn url(&self, db_name: &str) -> String {
        match self {
            Self::Sqlite { dir } => sqlite_url_existing(&dir.join(format!("{db_name}.db"))),
            Self::Postgres { server, query, .. } => format!("{server}/{db_name}{query}"),
        }
    }

    /// Connections the database server can still give workspace pools: PostgreSQL's
    /// `max_connections` less those already in use and a reserve for the control plane and
    /// administrators. None for SQLite, which has no such limit.
    pub async fn connection_budget(&self) -> Result<Option<u32>, BackendError> {
        match self {
            Self::Sqlite { .. } => Ok(None),
            Self::Postgres { control, .. } => {
                let (max, used): (i64, i64) = sqlx::query_as(
                    "SELECT current_setting('max_connections')::bigint, \
                            (SELECT COUNT(*) FROM pg_stat_activity)::bigint",
                )
                .fetch_one(control.pool())
                .await?;
                Ok(Some((max - used - 10).max(1) as u32))
            }
        }
    }

    /// Creates the database when it does not exist yet (a SQLite file appears on first connect).
    pub async fn create_database(&self, db_name: &str) -> Result<(), BackendError> {
        check_db_name(db_name)?;
        match self {
            Self::Sqlite { dir } => {
                tokio::fs::create_dir_all(dir).await?;
                // An empty file is an empty SQLite database; pools open only existing files.
                tokio::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(dir.join(format!("{db_name}.db")))
                    .await?;
                Ok(())
            }
            Self::Postgres { control, .. } => {
                let exists: Option<i32> =
                    sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                        .bind(db_name)
                        .fetch_optional(control.pool())
                        .await?;
                if exists.is_none() {
                    // db_name is checked to be [a-z0-9_], so it needs no quoting.
                    let sql = format!("CREATE DATABASE {db_name}");
                    control.pool().execute(AssertSqlSafe(sql)).await?;
                }
                Ok(())
            }
        }
    }

    /// Removes the database and everything in it. Nothing is left: no file, no WAL, no database.
    pub async fn drop_database(&self, db_name: &str) -> Result<(), BackendError> {
        check_db_name(db_name)?;
        match self {
            Self::Sqlite { dir } => {
                for suffix in ["", "-wal", "-shm"] {
                    let path = dir.join(format!("{db_name}.db{suffix}"));
                    match tokio::fs::remove_file(&path).await {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(())
            }
            Self::Postgres { control, .. } => {
                let sql = format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)");
                control.pool().execute(AssertSqlSafe(sql)).await?;
                Ok(())
            }
        }
    }
}

/// Database names are made by the product (`iotr_ws_<hex>`); anything else is refused before it
/// reaches SQL or the file system.
fn check_db_name(db_name: &str) -> Result<(), BackendError> {
    let ok = db_name.starts_with("iotr_ws_")
        && db_name.len() <= 63
        && db_name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(BackendError::Internal(format!(
            "refusing database name {db_name:?}"
        )))
    }
}

#[derive(Debug, Clone)]
pub struct RegistrySettings {
    /// Connections each workspace pool may open.
    pub per_workspace: u32,
    /// Connections all workspace pools together may open.
    pub total: u32,
    /// A pool unused this long is closed by [`Registry::close_idle`].
    pub idle: Duration,
}

impl Default for RegistrySettings {
    fn default() -> Self {
        Self {
            per_workspace: 4,
            total: 200,
            idle: Duration::from_secs(300),
        }
    }
}

struct Slot {
    cell: Arc<OnceCell<Db>>,
    last_used: Instant,
}

struct Inner {
    storage: Storage,
    settings: RegistrySettings,
    slots: Mutex<HashMap<String, Slot>>,
}

/// The open workspace pools of this process.
#[derive(Clone)]
pub struct Registry(Arc<Inner>);

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("open", &self.open_count())
            .finish()
    }
}

impl Registry {
    /// A registry whose connection total fits what the database server allows: on PostgreSQL a
    /// configured total above the server's free connections is lowered, with a warning.
    pub async fn fitted(
        storage: Storage,
        mut settings: RegistrySettings,
    ) -> Result<Self, BackendError> {
        if let Some(budget) = storage.connection_budget().await? {
            if settings.total > budget {
                tracing::warn!(
                    configured = settings.total,
                    allowed = budget,
                    "WORKSPACE_MAX_CONNECTIONS is above what PostgreSQL allows (max_connections); using the lower figure"
                );
                settings.total = budget.max(settings.per_workspace);
            }
        }
        Ok(Self::new(storage, settings))
    }

    pub fn new(storage: Storage, settings: RegistrySettings) -> Self {
        Self(Arc::new(Inner {
            storage,
            settings,
            slots: Mutex::new(HashMap::new()),
        }))
    }

    pub fn storage(&self) -> &Storage {
        &self.0.storage
    }

    /// Most pools open at once.
    pub fn max_pools(&self) -> usize {
        let s = &self.0.settings;
        ((s.total / s.per_workspace.max(1)) as usize).max(1)
    }

    pub fn open_count(&self) -> usize {
        self.slots().len()
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        // A panic while holding this lock leaves the map consistent: keep using it.
        self.0.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The pool of the workspace database `db_name`, opened (and migrated) on first use.
    pub async fn open(&self, db_name: &str) -> Result<Db, BackendError> {
        check_db_name(db_name)?;
        let cell = {
            let mut slots = self.slots();
            let slot = slots.entry(db_name.to_string()).or_insert_with(|| Slot {
                cell: Arc::new(OnceCell::new()),
                last_used: Instant::now(),
            });
            slot.last_used = Instant::now();
            slot.cell.clone()
        };
        let result = cell
            .get_or_try_init(|| async {
                let settings = PoolSettings {
                    max_connections: self.0.settings.per_workspace,
                    ..PoolSettings::default()
                };
                let db = Db::connect(&self.0.storage.url(db_name), &settings).await?;
                db.migrate(Schema::Workspace).await?;
                Ok::<Db, BackendError>(db)
            })
            .await
            .cloned();
        match result {
            Ok(db) => {
                self.evict_beyond_cap(db_name);
                Ok(db)
            }
            Err(e) => {
                // Let the next request try again instead of remembering the failure.
                let mut slots = self.slots();
                if slots
                    .get(db_name)
                    .is_some_and(|s| Arc::ptr_eq(&s.cell, &cell))
                {
                    slots.remove(db_name);
                }
                Err(e)
            }
        }
    }

    /// Forgets the least recently used pools beyond the cap. They are not closed here: a
    /// request still holding one finishes, and the pool's connections close with its last user.
    fn evict_beyond_cap(&self, keep: &str) {
        let victims: Vec<Db> = {
            let mut slots = self.slots();
            let excess = slots.len().saturating_sub(self.max_pools());
            if excess == 0 {
                return;
            }
            let mut by_age: Vec<(String, Instant)> = slots
                .iter()
                .filter(|(name, slot)| name.as_str() != keep && slot.cell.initialized())
                .map(|(name, slot)| (name.clone(), slot.last_used))
                .collect();
            by_age.sort_by_key(|(_, t)| *t);
            by_age
                .into_iter()
                .take(excess)
                .filter_map(|(name, _)| slots.remove(&name))
                .filter_map(|slot| slot.cell.get().cloned())
                .collect()
        };
        drop(victims);
    }

    /// Forgets pools unused for longer than the idle setting; returns how many.
    pub fn close_idle(&self) -> usize {
        let idle = self.0.settings.idle;
        let victims: Vec<Db> = {
            let mut slots = self.slots();
            let stale: Vec<String> = slots
                .iter()
                .filter(|(_, s)| s.last_used.elapsed() >= idle && s.cell.initialized())
                .map(|(n, _)| n.clone())
                .collect();
            stale
                .iter()
                .filter_map(|n| slots.remove(n))
                .filter_map(|s| s.cell.get().cloned())
                .collect()
        };
        victims.len()
    }

    /// Closes and forgets the pool of `db_name` (before its database is dropped: requests still
    /// using it fail, as they must).
    pub async fn forget(&self, db_name: &str) {
        let slot = self.slots().remove(db_name);
        if let Some(db) = slot.and_then(|s| s.cell.get().cloned()) {
            db.close().await;
        }
    }

    /// Closes every pool (at shutdown).
    pub async fn close_all(&self) {
        let all: Vec<Db> = self
            .slots()
            .drain()
            .filter_map(|(_, s)| s.cell.get().cloned())
            .collect();
        for db in all {
            db.close().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_product_made_database_names_pass() {
        assert!(check_db_name("iotr_ws_0123abcd").is_ok());
        for bad in [
            "users",
            "iotr_ws_../x",
            "iotr_ws_A",
            "iotr_ws_x; DROP DATABASE y",
            "",
        ] {
            assert!(check_db_name(bad).is_err(), "{bad:?}");
        }
    }
}
