//! Workspace figures (printed, never asserted): creation time of many SQLite workspaces (p50,
//! p99), first open of a cold workspace (p50, p99), resident memory with 100 and 1,000 open
//! workspace pools, and creation time on PostgreSQL.
//!
//!   cargo bench -p backend --bench workspaces
//!   WORKSPACES=10000 PG_WORKSPACES=200 cargo bench -p backend --bench workspaces
//!
//! PostgreSQL comes from TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres);
//! the bench makes its own control database there and drops it, with every workspace database.

use backend::db::{sqlite_url, PoolSettings};
use backend::registry::{Registry, RegistrySettings, Storage};
use backend::workspaces::{self, NewWorkspace};
use backend::Db;
use sqlx::{AssertSqlSafe, Connection, Executor};
use std::time::{Duration, Instant};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn new_workspace(i: usize) -> NewWorkspace {
    NewWorkspace {
        slug: format!("bench-{i:06}"),
        name: format!("Bench Company {i}"),
        owner_name: "Bench Owner".into(),
        owner_email: format!("owner{i}@bench.example"),
        owner_password: "bench password 123".into(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Prints p50, p99 and the maximum of sorted timings.
fn print_spread(what: &str, sorted: &[Duration]) {
    println!(
        "  {what}: p50 {}  p99 {}  max {}",
        ms(percentile(sorted, 0.5)),
        ms(percentile(sorted, 0.99)),
        ms(percentile(sorted, 1.0))
    );
}

fn rss_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or("?".into(), |kb| format!("{:.1} MB", kb / 1024.0))
}

async fn create_many(control: &Db, registry: &Registry, n: usize) -> Vec<Duration> {
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let start = Instant::now();
        workspaces::create(control, registry, new_workspace(i))
            .await
            .expect("create workspace");
        times.push(start.elapsed());
        if (i + 1) % 1000 == 0 {
            eprintln!("  … {} created", i + 1);
        }
    }
    times.sort();
    times
}

async fn db_names(control: &Db) -> Vec<String> {
    sqlx::query_scalar("SELECT db_name FROM workspaces ORDER BY slug")
        .fetch_all(control.pool())
        .await
        .expect("db names")
}

async fn sqlite(n: usize) {
    let dir = std::env::temp_dir().join(format!("iotr-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench dir");
    let control = Db::connect(
        &sqlite_url(&dir.join("control.db")),
        &PoolSettings::default(),
    )
    .await
    .expect("control");
    control.migrate_control().await.expect("migrate");
    let settings = RegistrySettings {
        per_workspace: 1,
        total: 1_000,
        idle: Duration::from_secs(3600),
    };
    let registry = Registry::new(
        Storage::Sqlite {
            dir: dir.join("workspaces"),
        },
        settings,
    );

    println!("SQLite ({n} workspaces, one file each):");
    let created = create_many(&control, &registry, n).await;
    print_spread(
        "create (database, migration, owner with Argon2id hash)",
        &created,
    );

    let names = db_names(&control).await;
    registry.close_all().await;
    let base_rss = rss_mb();
    let mut opens = Vec::new();
    for (i, name) in names.iter().take(1_000).enumerate() {
        let start = Instant::now();
        let db = registry.open(name).await.expect("open");
        db.ping().await.expect("ping");
        opens.push(start.elapsed());
        if i + 1 == 100 {
            println!(
                "  resident memory with 100 open workspaces:   {} (none open: {base_rss})",
                rss_mb()
            );
        }
    }
    if opens.len() >= 1_000 {
        println!("  resident memory with 1,000 open workspaces: {}", rss_mb());
    }
    opens.sort();
    println!(
        "  first open of a cold workspace (connect, migration check, first query): p50 {}  p99 {}",
        ms(percentile(&opens, 0.5)),
        ms(percentile(&opens, 0.99))
    );
    registry.close_all().await;
    control.close().await;
    std::fs::remove_dir_all(&dir).ok();
}

async fn postgres(n: usize) {
    let admin = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("iotr_bench_{}", std::process::id());
    let mut conn = match sqlx::PgConnection::connect(&admin).await {
        Ok(c) => c,
        Err(e) => {
            println!("PostgreSQL: not reachable at {admin} ({e}); skipped");
            return;
        }
    };
    conn.execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create bench database");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let url = format!("{base}/{name}");
    let control = Db::connect(&url, &PoolSettings::default())
        .await
        .expect("control");
    control.migrate_control().await.expect("migrate");
    let registry = Registry::new(
        Storage::beside(&control, &url, std::path::Path::new(".")),
        RegistrySettings::default(),
    );
    println!("PostgreSQL ({n} workspaces, one database each):");
    let created = create_many(&control, &registry, n).await;
    print_spread("create (CREATE DATABASE, migration, owner)", &created);
    let names = db_names(&control).await;
    registry.close_all().await;
    control.close().await;
    for ws in names {
        conn.execute(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {ws} WITH (FORCE)"
        )))
        .await
        .ok();
    }
    conn.execute(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await
    .ok();
}

#[tokio::main]
async fn main() {
    let n = env_usize("WORKSPACES", 10_000);
    let pg = env_usize("PG_WORKSPACES", 200);
    println!(
        "IoT Rocket workspace benchmark ({} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    sqlite(n).await;
    if pg > 0 {
        postgres(pg).await;
    }
}
