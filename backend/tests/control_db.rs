//! The control-plane database on both engines: schema, readiness and the workspace lookup the
//! landing page uses.

use backend::{on_both, testing::TestDbRef, workspaces, BackendError};

use backend::testing::seed_workspace as add_workspace;

on_both!(
    migrations_apply_once_and_record_the_version,
    |t: TestDbRef| async move {
        let db = t.migrated().await;
        let version = db.schema_version().await.expect("version");
        assert!(version >= 20261204000000, "version {version}");
        // A second process starting on the same database applies nothing and agrees on the version.
        let again = t.migrated().await;
        assert_eq!(again.schema_version().await.expect("version"), version);
        db.ping().await.expect("ping");
    }
);

on_both!(
    a_closed_pool_reports_unavailable,
    |t: TestDbRef| async move {
        let db = t.migrated().await;
        db.close().await;
        let err = db.ping().await.expect_err("closed pool");
        assert!(matches!(err, BackendError::Unavailable(_)), "{err:?}");
        assert_eq!(err.into_api("req-1"), model::ApiError::Unavailable);
    }
);

on_both!(
    workspaces_are_found_by_address_or_by_name,
    |t: TestDbRef| async move {
        let db = t.migrated().await;
        add_workspace(&db, "acme", "Acme Sensors", "active").await;
        add_workspace(&db, "globex", "Globex", "suspended").await;
        add_workspace(&db, "initech", "Initech", "provisioning").await;

        let by_slug = workspaces::find(&db, "acme").await.expect("by slug");
        assert_eq!(
            (by_slug.slug.as_str(), by_slug.name.as_str()),
            ("acme", "Acme Sensors")
        );
        let by_name = workspaces::find(&db, "  acme SENSORS ")
            .await
            .expect("by name");
        assert_eq!(by_name.slug.as_str(), "acme");
        // A suspended workspace is still found: its users then read that it is suspended.
        assert_eq!(
            workspaces::find(&db, "Globex")
                .await
                .expect("suspended")
                .slug
                .as_str(),
            "globex"
        );
        // One still being created is not.
        let err = workspaces::find(&db, "initech")
            .await
            .expect_err("provisioning");
        assert!(
            matches!(err, BackendError::NotFound(ref m) if m.contains("initech")),
            "{err:?}"
        );
        assert!(matches!(
            workspaces::get(&db, "initech").await,
            Err(BackendError::NotFound(_))
        ));
        let globex = workspaces::get(&db, "globex").await.expect("get");
        assert_eq!(globex.status, model::WorkspaceStatus::Suspended);
        assert!(matches!(
            workspaces::get(&db, "Not A Slug").await,
            Err(BackendError::NotFound(_))
        ));
        // Case folding is the same on both engines, beyond ASCII too.
        add_workspace(&db, "cafe", "Ça Fait Énergie", "active").await;
        assert_eq!(
            workspaces::find(&db, "ça fait énergie")
                .await
                .expect("unicode")
                .slug
                .as_str(),
            "cafe"
        );
        // A shared name picks nobody; the address still works.
        add_workspace(&db, "acme-two", "Acme Sensors", "active").await;
        let err = workspaces::find(&db, "Acme Sensors")
            .await
            .expect_err("ambiguous");
        assert!(
            matches!(err, BackendError::Invalid { ref message, .. } if message.contains("address")),
            "{err:?}"
        );
        assert_eq!(
            workspaces::find(&db, "acme-two").await.expect("slug").name,
            "Acme Sensors"
        );
        let err = workspaces::find(&db, "   ").await.expect_err("empty");
        assert!(
            matches!(err, BackendError::Invalid { ref field, .. } if field == "query"),
            "{err:?}"
        );
    }
);

on_both!(slugs_are_unique, |t: TestDbRef| async move {
    let db = t.migrated().await;
    add_workspace(&db, "acme", "Acme", "active").await;
    let dup = sqlx::query("INSERT INTO workspaces (id, slug, name, name_key, status, db_name, created_at) VALUES ('x', 'acme', 'B', 'b', 'active', 'x', 0)")
        .execute(db.pool())
        .await
        .expect_err("duplicate slug");
    let constraint = dup
        .as_database_error()
        .and_then(|e| e.constraint().map(str::to_string));
    // PostgreSQL names the constraint; SQLite reports the column.
    assert!(
        constraint.as_deref() == Some("workspaces_slug_key")
            || dup.to_string().contains("workspaces.slug"),
        "{dup}"
    );
});

on_both!(
    an_unknown_status_is_refused_by_the_schema,
    |t: TestDbRef| async move {
        let db = t.migrated().await;
        let err = sqlx::query("INSERT INTO workspaces (id, slug, name, name_key, status, db_name, created_at) VALUES ('x', 'abc', 'B', 'b', 'deleted', 'x', 0)")
        .execute(db.pool())
        .await
        .expect_err("bad status");
        assert!(err.as_database_error().is_some(), "{err}");
    }
);

#[tokio::test]
async fn sqlite_databases_use_write_ahead_logging() {
    backend::testing::TestDb::run(backend::Engine::Sqlite, |t: TestDbRef| async move {
        let db = t.migrated().await;
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(db.pool())
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        assert!(t.dir.join("control.db").is_file());
    })
    .await;
}
