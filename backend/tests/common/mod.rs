//! Helpers shared by the workspace test files.
#![allow(dead_code)]

use backend::auth::signin::{self, Credentials};
use backend::auth::{open_workspace, session, Caller, ClientAddr, SessionSettings, WorkspaceCtx};
use backend::registry::{Registry, RegistrySettings};
use backend::testing::TestDbRef;
use backend::workspaces::{self, NewWorkspace};
use backend::{Db, Engine};
use model::access::Action;
use model::Role;

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

pub const PASSWORD: &str = "correct horse battery";

/// Adds a member with `role` straight into Acme's database; their user id.
pub async fn add(ws: &Db, email: &str, role: Role) -> String {
    backend::testing::insert_user(ws, email, email, role.as_str(), PASSWORD).await
}

pub async fn ctx(control: &Db, registry: &Registry, email: &str) -> WorkspaceCtx {
    let signed = signin::member(
        control,
        registry,
        &SessionSettings::default(),
        "acme",
        Credentials {
            email,
            password: PASSWORD,
        },
        &ClientAddr("10.1.1.1".into()),
    )
    .await
    .expect("sign in");
    let s = session::resolve(control, &signed.token, &SessionSettings::default())
        .await
        .expect("resolve")
        .expect("session");
    open_workspace(
        control,
        registry,
        &Caller::Signed(s),
        "acme",
        Action::ViewWorkspace,
    )
    .await
    .expect("ctx")
}
