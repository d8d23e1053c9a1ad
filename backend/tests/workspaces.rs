//! Creating workspaces, each with its own database, on both engines: the happy path, every
//! refusal, a creation stopped at each step, the pool registry, suspending and resuming.

mod common;

use backend::registry::{Registry, RegistrySettings};
use backend::workspaces::{self, NewWorkspace, Step};
use backend::{on_both, testing::TestDbRef, BackendError, Db};
use common::{acme, database_exists, db_name_of};
use model::WorkspaceStatus;
use std::time::Duration;

on_both!(
    a_new_workspace_gets_its_own_database_and_owner,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let registry = t.registry(&control, RegistrySettings::default());
        let created = workspaces::create(&control, &registry, acme())
            .await
            .expect("create");
        assert_eq!(created.status, WorkspaceStatus::Active);
        assert_eq!(
            workspaces::find(&control, "acme sensors")
                .await
                .expect("find")
                .slug
                .as_str(),
            "acme"
        );

        let db_name = db_name_of(&control, "acme").await.expect("row");
        assert!(database_exists(&t, &control, &db_name).await);
        let ws = registry.open(&db_name).await.expect("open");
        let (email, role, hash): (String, String, String) =
            sqlx::query_as("SELECT email, role, password_hash FROM users")
                .fetch_one(ws.pool())
                .await
                .expect("owner");
        assert_eq!(
            (email.as_str(), role.as_str()),
            ("ada@acme.example", "owner")
        );
        assert!(hash.starts_with("$argon2id$"), "only a hash is stored");
        assert!(
            backend::password::verify("correct horse battery".into(), hash)
                .await
                .expect("verify")
        );
        let indexed: Vec<String> = sqlx::query_scalar("SELECT email FROM workspace_emails")
            .fetch_all(control.pool())
            .await
            .expect("emails");
        assert_eq!(indexed, ["ada@acme.example"]);
        // The control database holds no password, and the workspace database no other workspace.
        let other = workspaces::create(
            &control,
            &registry,
            NewWorkspace {
                slug: "globex".into(),
                name: "Globex".into(),
                owner_email: "hank@globex.example".into(),
                ..acme()
            },
        )
        .await
        .expect("second");
        assert_eq!(other.slug.as_str(), "globex");
        let users: Vec<String> = sqlx::query_scalar("SELECT email FROM users")
            .fetch_all(ws.pool())
            .await
            .expect("users");
        assert_eq!(users, ["ada@acme.example"]);
    }
);

on_both!(
    each_broken_rule_is_named_by_field,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let registry = t.registry(&control, RegistrySettings::default());
        workspaces::create(&control, &registry, acme())
            .await
            .expect("create");
        let cases = [
            (
                NewWorkspace {
                    slug: "acme".into(),
                    ..acme()
                },
                "slug",
                "is taken",
            ),
            (
                NewWorkspace {
                    slug: "admin".into(),
                    ..acme()
                },
                "slug",
                "reserved",
            ),
            (
                NewWorkspace {
                    slug: "Acme Inc".into(),
                    ..acme()
                },
                "slug",
                "lowercase",
            ),
            (
                NewWorkspace {
                    slug: "ok-slug".into(),
                    name: " ".into(),
                    ..acme()
                },
                "name",
                "Enter the company name",
            ),
            (
                NewWorkspace {
                    slug: "ok-slug".into(),
                    owner_email: "ada".into(),
                    ..acme()
                },
                "owner_email",
                "name@example.com",
            ),
            (
                NewWorkspace {
                    slug: "ok-slug".into(),
                    owner_password: "short".into(),
                    ..acme()
                },
                "owner_password",
                "at least 12",
            ),
            (
                NewWorkspace {
                    slug: "ok-slug".into(),
                    owner_name: "".into(),
                    ..acme()
                },
                "owner_name",
                "Enter your name",
            ),
        ];
        for (new, field, words) in cases {
            match workspaces::create(&control, &registry, new).await {
                Err(BackendError::Invalid { field: f, message }) => {
                    assert_eq!(f, field, "{message}");
                    assert!(message.contains(words), "{field}: {message}");
                }
                other => panic!("{field}: expected a refusal, got {other:?}"),
            }
        }
        assert_eq!(
            workspaces::list(&control).await.expect("list").len(),
            1,
            "nothing else was created"
        );
    }
);

/// Makes every unfinished creation look older than its lease.
async fn age_provisioning(control: &Db) {
    sqlx::query("UPDATE workspaces SET created_at = 0 WHERE status = 'provisioning'")
        .execute(control.pool())
        .await
        .expect("age");
}

on_both!(
    the_start_up_sweep_removes_dead_creations_with_their_personal_data,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let registry = t.registry(&control, RegistrySettings::default());
        let crash = |step: Step| match step {
            Step::OwnerCreated => Err(BackendError::Internal("killed".into())),
            _ => Ok(()),
        };
        workspaces::create_with_hook(&control, &registry, acme(), crash)
            .await
            .expect_err("killed");
        let left = db_name_of(&control, "acme").await.expect("row");
        assert_eq!(
            workspaces::discard_stale(&control, &registry)
                .await
                .expect("sweep"),
            0,
            "leased"
        );
        age_provisioning(&control).await;
        assert_eq!(
            workspaces::discard_stale(&control, &registry)
                .await
                .expect("sweep"),
            1
        );
        assert!(db_name_of(&control, "acme").await.is_none());
        assert!(
            !database_exists(&t, &control, &left).await,
            "the owner's data went too"
        );
    }
);

on_both!(
    a_creation_stopped_at_any_step_leaves_nothing_active_and_a_retry_finishes,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let registry = t.registry(&control, RegistrySettings::default());
        for stop_at in [
            Step::Registered,
            Step::DatabaseCreated,
            Step::Migrated,
            Step::OwnerCreated,
        ] {
            let crash = |step: Step| {
                if step == stop_at {
                    Err(BackendError::Internal(format!(
                        "simulated crash after {step:?}"
                    )))
                } else {
                    Ok(())
                }
            };
            let err = workspaces::create_with_hook(&control, &registry, acme(), crash)
                .await
                .expect_err("stopped");
            assert!(matches!(err, BackendError::Internal(_)), "{err:?}");
            // Nothing that looks active: not found, not listed, no page.
            assert!(
                matches!(
                    workspaces::find(&control, "acme").await,
                    Err(BackendError::NotFound(_))
                ),
                "{stop_at:?}"
            );
            assert!(
                workspaces::list(&control).await.expect("list").is_empty(),
                "{stop_at:?}"
            );
            assert!(matches!(
                workspaces::get(&control, "acme").await,
                Err(BackendError::NotFound(_))
            ));
            let left = db_name_of(&control, "acme")
                .await
                .expect("provisioning row stays for the retry");

            // While the dead attempt's lease runs, nobody destroys what may be live work.
            let err = workspaces::create(&control, &registry, acme())
                .await
                .expect_err("leased");
            assert!(
                matches!(err, BackendError::Invalid { ref message, .. } if message.contains("being set up")),
                "{err:?}"
            );
            assert!(db_name_of(&control, "acme").await.is_some());
            // Once it has run out, creating again cleans up and finishes.
            age_provisioning(&control).await;
            let done = workspaces::create(&control, &registry, acme())
                .await
                .expect("retry");
            assert_eq!(done.status, WorkspaceStatus::Active, "{stop_at:?}");
            let now = db_name_of(&control, "acme").await.expect("row");
            assert_ne!(now, left);
            assert!(
                !database_exists(&t, &control, &left).await,
                "{stop_at:?}: the dead attempt's database is gone"
            );
            assert!(database_exists(&t, &control, &now).await);

            // Start the next round from nothing.
            registry.forget(&now).await;
            registry.storage().drop_database(&now).await.expect("drop");
            sqlx::query("DELETE FROM workspaces")
                .execute(control.pool())
                .await
                .expect("reset");
        }
    }
);

on_both!(
    the_registry_opens_once_caps_pools_and_closes_idle_ones,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        // Two pools of four connections fit in eight.
        let settings = RegistrySettings {
            per_workspace: 4,
            total: 8,
            idle: Duration::from_secs(3600),
        };
        let registry: Registry = t.registry(&control, settings);
        let mut names = Vec::new();
        for slug in ["one", "two", "three"] {
            workspaces::create(
                &control,
                &registry,
                NewWorkspace {
                    slug: slug.into(),
                    name: slug.into(),
                    ..acme()
                },
            )
            .await
            .expect("create");
            names.push(db_name_of(&control, slug).await.expect("row"));
        }
        assert_eq!(registry.max_pools(), 2);
        assert!(
            registry.open_count() <= 2,
            "{} pools open",
            registry.open_count()
        );

        // Many first requests at once on a database never opened: one pool, all served.
        registry.close_all().await;
        let fresh = format!("iotr_ws_fresh{}", uuid::Uuid::new_v4().simple());
        registry
            .storage()
            .create_database(&fresh)
            .await
            .expect("fresh");
        names[0] = fresh;
        let opens = (0..12).map(|_| {
            let r = registry.clone();
            let n = names[0].clone();
            tokio::spawn(async move { r.open(&n).await })
        });
        for handle in opens {
            let db = handle.await.expect("task").expect("open");
            db.ping().await.expect("usable");
        }
        assert_eq!(registry.open_count(), 1);

        let idle = t.registry(
            &control,
            RegistrySettings {
                idle: Duration::ZERO,
                ..RegistrySettings::default()
            },
        );
        idle.open(&names[1]).await.expect("open");
        assert_eq!(idle.close_idle(), 1);
        assert_eq!(idle.open_count(), 0);
        // Only product-made names reach the disk or SQL.
        assert!(registry.open("../control").await.is_err());
        // A database that is gone is not brought back empty.
        registry.forget(&names[0]).await;
        registry
            .storage()
            .drop_database(&names[0])
            .await
            .expect("drop");
        assert!(registry.open(&names[0]).await.is_err());
    }
);

on_both!(
    the_connection_total_fits_what_the_database_allows,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let asked = RegistrySettings {
            total: 1_000_000,
            ..RegistrySettings::default()
        };
        let storage = backend::registry::Storage::beside(&control, &t.url, &t.dir);
        let registry = Registry::fitted(storage, asked).await.expect("fitted");
        match t.engine {
            // SQLite has no server-wide limit: the configured total stands.
            backend::Engine::Sqlite => assert_eq!(registry.max_pools(), 250_000),
            // PostgreSQL's max_connections (100 by default) bounds it.
            backend::Engine::Postgres => {
                assert!(registry.max_pools() < 1_000, "{}", registry.max_pools())
            }
        }
    }
);

on_both!(
    workspaces_can_be_suspended_and_resumed,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let registry = t.registry(&control, RegistrySettings::default());
        workspaces::create(&control, &registry, acme())
            .await
            .expect("create");
        workspaces::set_status(&control, "acme", WorkspaceStatus::Suspended)
            .await
            .expect("suspend");
        assert_eq!(
            workspaces::get(&control, "acme").await.expect("get").status,
            WorkspaceStatus::Suspended
        );
        let rows = workspaces::list(&control).await.expect("list");
        assert_eq!(rows[0].summary.status, WorkspaceStatus::Suspended);
        workspaces::set_status(&control, "acme", WorkspaceStatus::Active)
            .await
            .expect("resume");
        assert_eq!(
            workspaces::get(&control, "acme").await.expect("get").status,
            WorkspaceStatus::Active
        );
        assert!(matches!(
            workspaces::set_status(&control, "nope", WorkspaceStatus::Suspended).await,
            Err(BackendError::NotFound(_))
        ));
    }
);
