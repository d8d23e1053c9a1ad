//! Helpers shared by the workspace test files.
#![allow(dead_code)]

use backend::registry::{Registry, RegistrySettings};
use backend::testing::TestDbRef;
use backend::workspaces::{self, NewWorkspace};
use backend::{Db, Engine};

pub fn acme() -> NewWorkspace {
    NewWorkspace {
        slug: "acme".into(),
        name: "Acme Sensors".into(),
        owner_name: "Ada Lovelace".into(),
        owner_email: "Ada@Acme.example".into(),
        owner_password: "correct horse battery".into(),
    }
}

pub async fn database_exists(t: &TestDbRef, control: &Db, db_name: &str) -> bool {
    match t.engine {
        Engine::Sqlite => t
            .dir
            .join("workspaces")
            .join(format!("{db_name}.db"))
            .exists(),
        Engine::Postgres => {
            sqlx::query_scalar::<_, i32>("SELECT 1 FROM pg_database WHERE datname = $1")
                .bind(db_name)
                .fetch_optional(control.pool())
                .await
                .expect("pg_database")
                .is_some()
        }
    }
}

/// A control database with the "acme" workspace created, and that workspace's database.
pub async fn with_acme(t: &TestDbRef) -> (Db, Registry, Db) {
    let control = t.migrated().await;
    let registry = t.registry(&control, RegistrySettings::default());
    workspaces::create(&control, &registry, acme())
        .await
        .expect("create");
    let name = db_name_of(&control, "acme").await.expect("row");
    let ws = registry.open(&name).await.expect("open");
    (control, registry, ws)
}

pub async fn db_name_of(control: &Db, slug: &str) -> Option<String> {
    sqlx::query_scalar("SELECT db_name FROM workspaces WHERE slug = $1")
        .bind(slug)
        .fetch_optional(control.pool())
        .await
        .expect("db_name")
}
