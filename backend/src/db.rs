//! Database handles for both engines behind one type. SQLite (a file under the data directory)
//! is the zero-set-up default; `postgres://` URLs select PostgreSQL. Queries use `$1`-style
//! placeholders, which both engines accept.

use crate::BackendError;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static CONTROL_SQLITE: Migrator = sqlx::migrate!("../migrations/control/sqlite");
static CONTROL_POSTGRES: Migrator = sqlx::migrate!("../migrations/control/postgres");
static WORKSPACE_SQLITE: Migrator = sqlx::migrate!("../migrations/workspace/sqlite");
static WORKSPACE_POSTGRES: Migrator = sqlx::migrate!("../migrations/workspace/postgres");

/// Which schema a database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// The control plane: workspaces, operators, sessions.
    Control,
    /// One workspace's own data.
    Workspace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> Result<Self, BackendError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(BackendError::invalid(
                "DATABASE_URL",
                "must start with sqlite: or postgres://",
            ))
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// Pool settings that matter for behaviour a person notices (how long a request waits for an
/// unreachable database before the page says so).
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 8,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// A connection pool to one database, with the engine it speaks.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
}

/// The SQLite URL of a file, creating it when missing.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// The SQLite URL of a file that must exist already (a workspace database that is gone must
/// not come back empty).
pub fn sqlite_url_existing(path: &Path) -> String {
    format!("sqlite://{}?mode=rw", path.display())
}

impl Db {
    /// Opens a pool. For SQLite the file's folder is created, WAL journaling is switched on and
    /// every connection waits for locks instead of failing at once.
    pub async fn connect(url: &str, settings: &PoolSettings) -> Result<Self, BackendError> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url)?;
        if engine == Engine::Sqlite {
            if let Some(parent) = sqlite_file(url).and_then(|p| p.parent().map(Path::to_path_buf)) {
                if !parent.as_os_str().is_empty() {
                    tokio::fs::create_dir_all(&parent).await?;
                }
            }
        }
        let options = AnyConnectOptions::from_str(url).map_err(|e| {
            tracing::warn!(error = %e, "unparseable database URL");
            BackendError::invalid("DATABASE_URL", "is not a valid database URL")
        })?;
        let pool = AnyPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(settings.acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // secure_delete zeroes deleted content, so an erased
                        // workspace leaves no readable trace in the file.
                        conn.execute(
                            "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                             PRAGMA secure_delete = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        if engine == Engine::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL;").await?;
        }
        Ok(Self { pool, engine })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Applies the control-plane migrations that are not applied yet.
    pub async fn migrate_control(&self) -> Result<(), BackendError> {
        self.migrate(Schema::Control).await
    }

    /// Applies the migrations of `schema` that are not applied yet. PostgreSQL serialises
    /// concurrent runs with an advisory lock. sqlx takes no lock on SQLite, so when another
    /// process applied the same migration first, ours fails; the run is then repeated once and
    /// finds everything applied.
    pub async fn migrate(&self, schema: Schema) -> Result<(), BackendError> {
        let migrator = match (schema, self.engine) {
            (Schema::Control, Engine::Sqlite) => &CONTROL_SQLITE,
            (Schema::Control, Engine::Postgres) => &CONTROL_POSTGRES,
            (Schema::Workspace, Engine::Sqlite) => &WORKSPACE_SQLITE,
            (Schema::Workspace, Engine::Postgres) => &WORKSPACE_POSTGRES,
        };
        if let Err(first) = migrator.run(&self.pool).await {
            if self.engine != Engine::Sqlite {
                return Err(first.into());
            }
            tracing::info!(error = %first, "migration raced another process; checking again");
            migrator.run(&self.pool).await?;
        }
        Ok(())
    }

    /// The last migration applied to this database (0 when none).
    pub async fn schema_version(&self) -> Result<i64, BackendError> {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await?;
        Ok(version.unwrap_or(0))
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), BackendError> {
        let one: i32 = sqlx::query_scalar("SELECT 1").fetch_one(&self.pool).await?;
        debug_assert_eq!(one, 1);
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn sqlite_file(url: &str) -> Option<&Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(Path::new(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_comes_from_the_url_scheme() {
        assert_eq!(
            Engine::from_url("sqlite://data/control.db").ok(),
            Some(Engine::Sqlite)
        );
        assert_eq!(
            Engine::from_url("postgres://u@h/db").ok(),
            Some(Engine::Postgres)
        );
        assert_eq!(
            Engine::from_url("postgresql://u@h/db").ok(),
            Some(Engine::Postgres)
        );
        assert!(Engine::from_url("mysql://u@h/db").is_err());
    }

    #[test]
    fn sqlite_file_is_read_from_the_url() {
        assert_eq!(
            sqlite_file("sqlite://data/control.db?mode=rwc"),
            Some(Path::new("data/control.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:/abs/x.db"),
            Some(Path::new("/abs/x.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(
            sqlite_url(Path::new("/d/c.db")),
            "sqlite:///d/c.db?mode=rwc"
        );
    }
}
