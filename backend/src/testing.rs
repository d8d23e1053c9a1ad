//! Fresh databases for tests: a new SQLite file, or a new PostgreSQL database that is dropped
//! when the test ends (also when it fails). The same test body runs on both engines through
//! [`on_both`](crate::on_both).
//!
//! PostgreSQL is found at `TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).
//! When it cannot be reached the test fails: it is never skipped.

use crate::db::{sqlite_url, PoolSettings};
use crate::registry::{Registry, RegistrySettings, Storage};
use crate::{Db, Engine};
use sqlx::{Connection, Executor};
use std::future::Future;
use std::path::PathBuf;

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_string())
}

/// A database made for one test, and what to remove afterwards.
pub struct TestDb {
    pub url: String,
    pub dir: PathBuf,
    engine: Engine,
    pg_name: Option<String>,
}

impl TestDb {
    /// Creates an empty database (not migrated) and a scratch data directory.
    pub async fn create(engine: Engine) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("iotr-test-{id}"));
        std::fs::create_dir_all(&dir).expect("create scratch directory");
        match engine {
            Engine::Sqlite => Self {
                url: sqlite_url(&dir.join("control.db")),
                dir,
                engine,
                pg_name: None,
            },
            Engine::Postgres => {
                let name = format!("iotr_test_{id}");
                let admin = admin_url();
                let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL is required for this test and is not reachable at {admin}: {e}")
                });
                // `name` is made of hex digits only, so quoting is not needed.
                conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await
                    .expect("create test database");
                conn.close().await.ok();
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                Self {
                    url: format!("{base}/{name}"),
                    dir,
                    engine,
                    pg_name: Some(name),
                }
            }
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Removes the database, the workspace databases it created, and the scratch directory.
    pub async fn destroy(self) {
        if let Some(name) = &self.pg_name {
            let admin = admin_url();
            let workspace_dbs: Vec<String> = match sqlx::PgConnection::connect(&self.url).await {
                Ok(mut conn) => {
                    let names = sqlx::query_scalar("SELECT db_name FROM workspaces")
                        .fetch_all(&mut conn)
                        .await
                        .unwrap_or_default();
                    conn.close().await.ok();
                    names
                }
                Err(_) => Vec::new(),
            };
            if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                for ws in workspace_dbs.iter().filter(|n| n.starts_with("iotr_ws_")) {
                    let sql = format!("DROP DATABASE IF EXISTS {ws} WITH (FORCE)");
                    conn.execute(sqlx::AssertSqlSafe(sql)).await.ok();
                }
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                if let Err(e) = conn.execute(sqlx::AssertSqlSafe(sql)).await {
                    eprintln!("could not drop test database {name}: {e}");
                }
                conn.close().await.ok();
            }
        }
        std::fs::remove_dir_all(&self.dir).ok();
    }

    /// Runs `body` against a fresh database of `engine`, then removes it whatever the outcome;
    /// a panic in `body` fails the test after the clean-up.
    pub async fn run<F, Fut>(engine: Engine, body: F)
    where
        F: FnOnce(TestDbRef) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let test_db = Self::create(engine).await;
        let handle = TestDbRef {
            url: test_db.url.clone(),
            dir: test_db.dir.clone(),
            engine,
        };
        // A test that hangs fails (after far longer than any takes) instead of stalling CI.
        let task = tokio::spawn(body(handle));
        let abort = task.abort_handle();
        let outcome = match tokio::time::timeout(std::time::Duration::from_secs(180), task).await {
            Ok(outcome) => outcome,
            Err(_) => {
                abort.abort();
                test_db.destroy().await;
                panic!("the test did not finish within 180 s");
            }
        };
        test_db.destroy().await;
        if let Err(e) = outcome {
            if e.is_panic() {
                std::panic::resume_unwind(e.into_panic());
            }
            panic!("test task failed: {e}");
        }
    }
}

/// What a test body gets: where its database and scratch directory are.
#[derive(Debug, Clone)]
pub struct TestDbRef {
    pub url: String,
    pub dir: PathBuf,
    pub engine: Engine,
}

impl TestDbRef {
    pub async fn migrated(&self) -> Db {
        let db = Db::connect(&self.url, &PoolSettings::default())
            .await
            .expect("connect to test database");
        db.migrate_control().await.expect("migrate test database");
        db
    }

    /// The registry of workspace databases beside this control database.
    pub fn registry(&self, control: &Db, settings: RegistrySettings) -> Registry {
        Registry::new(Storage::beside(control, &self.url, &self.dir), settings)
    }
}

/// Adds a workspace row to a control database, as creation will leave it (`status`: active,
/// suspended or provisioning). Adding the same slug twice keeps the first.
pub async fn seed_workspace(db: &Db, slug: &str, name: &str, status: &str) {
    sqlx::query(
        "INSERT INTO workspaces (id, slug, name, name_key, status, db_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $1, $6) ON CONFLICT (slug) DO NOTHING",
    )
    .bind(format!("ws-{slug}"))
    .bind(slug)
    .bind(name)
    .bind(model::workspace::name_key(name))
    .bind(status)
    .bind(1_780_000_000_000_i64)
    .execute(db.pool())
    .await
    .expect("insert workspace");
}

/// Records that `email` belongs to the workspace seeded at `slug` (for "find by e-mail").
pub async fn seed_workspace_email(db: &Db, slug: &str, email: &str) {
    sqlx::query(
        "INSERT INTO workspace_emails (email, workspace_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(email)
    .bind(format!("ws-{slug}"))
    .execute(db.pool())
    .await
    .expect("insert workspace e-mail");
}

/// A real SMTP server on loopback that keeps what it receives: enough of RFC 5321 for lettre
/// (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), no authentication, no TLS.
pub struct SmtpSink {
    pub url: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    arrived: std::sync::Arc<tokio::sync::Notify>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("smtp://{}", listener.local_addr().expect("addr"));
        let received: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
        let arrived = std::sync::Arc::new(tokio::sync::Notify::new());
        let (store, signal) = (received.clone(), arrived.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (store, signal) = (store.clone(), signal.clone());
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    write.write_all(b"220 sink ESMTP\r\n").await.ok();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let verb = line
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250 sink\r\n",
                            "DATA" => {
                                write.write_all(b"354 go ahead\r\n").await.ok();
                                let mut body = String::new();
                                while let Ok(Some(l)) = lines.next_line().await {
                                    if l == "." {
                                        break;
                                    }
                                    body.push_str(l.strip_prefix('.').unwrap_or(&l));
                                    body.push('\n');
                                }
                                store.lock().expect("store").push(body);
                                signal.notify_waiters();
                                b"250 queued\r\n"
                            }
                            "QUIT" => {
                                write.write_all(b"221 bye\r\n").await.ok();
                                break;
                            }
                            _ => b"250 ok\r\n",
                        };
                        write.write_all(reply).await.ok();
                    }
                });
            }
        });
        Self {
            url,
            received,
            arrived,
        }
    }

    /// Waits (at most 10 s) until `n` mails have arrived, and returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let notified = self.arrived.notified();
            let got = self.received.lock().expect("store").clone();
            if got.len() >= n {
                return got;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("only {} of {n} mails arrived", got.len());
            }
        }
    }

    pub fn received(&self) -> Vec<String> {
        self.received.lock().expect("store").clone()
    }
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// The first file under `dir` whose bytes contain one of `needles`, with that needle.
pub fn find_bytes<'a>(dir: &std::path::Path, needles: &[&'a str]) -> Option<(PathBuf, &'a str)> {
    files_under(dir).into_iter().find_map(|file| {
        let bytes = std::fs::read(&file).ok()?;
        needles
            .iter()
            .find(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
            .map(|n| (file.clone(), *n))
    })
}

/// Declares one async test per engine: `on_both!(name, |t| async move { ... })` makes
/// `name::sqlite` and `name::postgres`, each with a fresh database.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::testing::TestDb::run($crate::Engine::Sqlite, $body).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::testing::TestDb::run($crate::Engine::Postgres, $body).await;
            }
        }
    };
}

/// The token of the first link in a received mail whose path ends with `path` (such as
/// `/w/acme/join`), read through quoted-printable soft line breaks.
pub fn link_token(mail: &str, path: &str) -> String {
    let plain = mail
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let marker = format!("{path}?token=");
    let start = plain
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker} link in the mail:\n{mail}"))
        + marker.len();
    plain[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Adds a user straight into a workspace database (`password` hashed as for real); their id.
pub async fn insert_user(ws: &Db, email: &str, name: &str, role: &str, password: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let hash = crate::password::hash(password.into()).await.expect("hash");
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, role, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0)",
    )
    .bind(&id)
    .bind(email)
    .bind(name)
    .bind(hash)
    .bind(role)
    .execute(ws.pool())
    .await
    .expect("insert user");
    id
}
