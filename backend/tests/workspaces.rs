//! Creating workspaces, each with its own database, on both engines: the happy path, every
//! refusal, a creation stopped at each step, the pool registry, suspending and resuming.

use backend::registry::{Registry, RegistrySettings};
use backend::workspaces::{self, NewWorkspace, Step};
use backend::{on_both, testing::TestDbRef, BackendError, Db, Engine};
use model::WorkspaceStatus;
use std::time::Duration;

fn acme() -> NewWorkspace {
    NewWorkspace {
        slug: "acme".into(),
        name: "Acme Sensors".into(),
        owner_name: "Ada Lovelace".into(),
        owner_email: "Ada@Acme.example".into(),
        owner_password: "correct horse battery".into(),
    }
}

async fn database_exists(t: &TestDbRef, control: &Db, db_name: &str) -> bool {
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

async fn db_name_of(control: &Db, slug: &str) -> Option<String> {
    sqlx::query_scalar("SELECT db_name FROM workspaces WHERE slug = $1")
        .bind(slug)
        .fetch_optional(control.pool())
        .await
        .expect("db_name")
}

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

            // Running the creation again cleans up and finishes.
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

        // Many first requests at once: one pool, migrated once, all served.
        registry.close_all().await;
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
        assert_eq!(idle.close_idle().await, 1);
        assert_eq!(idle.open_count(), 0);
        // Only product-made names reach the disk or SQL.
        assert!(registry.open("../control").await.is_err());
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

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
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

on_both!(
    an_erased_workspace_leaves_no_personal_trace,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let registry = t.registry(&control, RegistrySettings::default());
        let secret_name = "Zyxwvut Telemetry Holdings";
        let secret_email = "qwerty.uiop@zyxwvut.example";
        let new = NewWorkspace {
            slug: "zyxwvut".into(),
            name: secret_name.into(),
            owner_name: "Ingrid Personal-Name".into(),
            owner_email: secret_email.into(),
            owner_password: "correct horse battery".into(),
        };
        workspaces::create(&control, &registry, new.clone())
            .await
            .expect("create");
        let db_name = db_name_of(&control, "zyxwvut").await.expect("row");
        workspaces::create(
            &control,
            &registry,
            NewWorkspace {
                slug: "keep".into(),
                name: "Keep".into(),
                owner_email: "k@keep.example".into(),
                ..acme()
            },
        )
        .await
        .expect("another");

        workspaces::erase(&control, &registry, "zyxwvut")
            .await
            .expect("erase");

        assert!(matches!(
            workspaces::get(&control, "zyxwvut").await,
            Err(BackendError::NotFound(_))
        ));
        assert!(
            !database_exists(&t, &control, &db_name).await,
            "the workspace database is gone"
        );
        let tombstones: Vec<(String, i64)> =
            sqlx::query_as("SELECT id, erased_at FROM workspace_tombstones")
                .fetch_all(control.pool())
                .await
                .expect("tombstones");
        assert_eq!(tombstones.len(), 1);
        // Nothing about it in the control database: no row, no e-mail, no name.
        let (rows, emails): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM workspaces WHERE slug = 'zyxwvut' OR name_key LIKE '%zyxwvut%'), \
                (SELECT COUNT(*) FROM workspace_emails WHERE email = $1)",
    )
    .bind(secret_email)
    .fetch_one(control.pool())
    .await
    .expect("counts");
        assert_eq!((rows, emails), (0, 0));
        // Nor in any file under the data directory (SQLite keeps everything there).
        if t.engine == Engine::Sqlite {
            for file in files_under(&t.dir) {
                let bytes = std::fs::read(&file).expect("read");
                for needle in [
                    secret_email,
                    secret_name,
                    "zyxwvut telemetry",
                    "Ingrid Personal-Name",
                ] {
                    let found = bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
                    assert!(!found, "{needle:?} still in {}", file.display());
                }
            }
        }
        // The other workspace is untouched, and the address can be used again.
        assert_eq!(
            workspaces::get(&control, "keep").await.expect("kept").name,
            "Keep"
        );
        workspaces::create(&control, &registry, new)
            .await
            .expect("address free again");
        assert!(matches!(
            workspaces::erase(&control, &registry, "nope").await,
            Err(BackendError::NotFound(_))
        ));
    }
);
