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

/// Every row of every workspace table, as JSON, in a stable order.
async fn dump(ws: &Db) -> Vec<(String, Vec<serde_json::Value>)> {
    use backend::workspaces::archive::{Col, TABLES};
    use sqlx::Row;
    let mut out = Vec::new();
    for table in TABLES {
        let cols: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            cols.join(", "),
            table.name,
            cols[0]
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(ws.pool())
            .await
            .expect("select");
        let values = rows
            .iter()
            .map(|r| {
                serde_json::Value::Array(
                    table
                        .columns
                        .iter()
                        .enumerate()
                        .map(|(i, (_, col))| match col {
                            Col::Text => r.try_get::<Option<String>, _>(i).expect("text").into(),
                            Col::Int => r.try_get::<Option<i64>, _>(i).expect("int").into(),
                        })
                        .collect(),
                )
            })
            .collect();
        out.push((table.name.to_string(), values));
    }
    out
}

on_both!(
    an_export_imported_into_a_new_workspace_restores_it_exactly,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let registry = t.registry(&control, RegistrySettings::default());
        workspaces::create(&control, &registry, acme())
            .await
            .expect("create");
        let source = registry
            .open(&db_name_of(&control, "acme").await.expect("row"))
            .await
            .expect("open");
        for (i, role) in ["admin", "editor", "viewer"].iter().enumerate() {
            sqlx::query("INSERT INTO users (id, email, name, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(format!("u{i}"))
            .bind(format!("member{i}@acme.example"))
            .bind(format!("Member “{i}” Ünïcode"))
            .bind("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
            .bind(*role)
            .bind(1_780_000_000_000_i64 + i as i64)
            .execute(source.pool())
            .await
            .expect("member");
        }

        let file = t.dir.join("acme-export.tar.gz");
        let manifest = workspaces::export(&control, &registry, "acme", &file, |_, _| {})
            .await
            .expect("export");
        assert_eq!(manifest.format, "iot-rocket-workspace-export");
        assert_eq!(
            manifest
                .tables
                .iter()
                .find(|e| e.name == "users")
                .map(|e| e.rows),
            Some(4)
        );
        assert!(manifest.schema_version > 0);

        let restored = workspaces::import(&control, &registry, &file, "acme-copy", None, |_, _| {})
            .await
            .expect("import");
        assert_eq!(restored.name, "Acme Sensors");
        let copy = registry
            .open(&db_name_of(&control, "acme-copy").await.expect("row"))
            .await
            .expect("open");
        assert_eq!(
            dump(&copy).await,
            dump(&source).await,
            "every row restored exactly"
        );
        // Its members can find it by e-mail.
        let indexed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workspace_emails e JOIN workspaces w ON w.id = e.workspace_id WHERE w.slug = 'acme-copy'",
    )
    .fetch_one(control.pool())
    .await
    .expect("emails");
        assert_eq!(indexed, 4);
    }
);

on_both!(
    a_broken_archive_is_refused_and_leaves_nothing,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let registry = t.registry(&control, RegistrySettings::default());
        let junk = t.dir.join("junk.tar.gz");
        std::fs::write(&junk, b"this is not an archive").expect("write");
        let err = workspaces::import(&control, &registry, &junk, "junk", None, |_, _| {})
            .await
            .expect_err("junk");
        assert!(
            matches!(err, BackendError::Invalid { ref message, .. } if message.contains("not an IoT Rocket workspace export")),
            "{err:?}"
        );

        // A real export whose users file was damaged: refused with the line, nothing created.
        workspaces::create(&control, &registry, acme())
            .await
            .expect("create");
        let good = t.dir.join("good.tar.gz");
        workspaces::export(&control, &registry, "acme", &good, |_, _| {})
            .await
            .expect("export");
        let mut files = std::collections::BTreeMap::new();
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(
            std::fs::File::open(&good).expect("open"),
        ));
        for entry in tar.entries().expect("entries") {
            let mut entry = entry.expect("entry");
            let name = entry.path().expect("path").to_string_lossy().into_owned();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
            files.insert(name, bytes);
        }
        files.insert("users.jsonl".into(), b"{\"id\": 7}\n".to_vec());
        let bad = t.dir.join("bad.tar.gz");
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
            std::fs::File::create(&bad).expect("create"),
            flate2::Compression::default(),
        ));
        for (name, bytes) in &files {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o600);
            header.set_cksum();
            builder
                .append_data(&mut header, name, bytes.as_slice())
                .expect("append");
        }
        builder.into_inner().expect("tar").finish().expect("gz");
        let err = workspaces::import(&control, &registry, &bad, "acme-bad", None, |_, _| {})
            .await
            .expect_err("bad");
        assert!(
            matches!(err, BackendError::Invalid { ref message, .. } if message.starts_with("users.jsonl line 1:")),
            "{err:?}"
        );
        assert!(
            db_name_of(&control, "acme-bad").await.is_none(),
            "nothing left of the failed import"
        );
        assert_eq!(workspaces::list(&control).await.expect("list").len(), 1);
    }
);

on_both!(
    the_export_catalogue_covers_every_table_and_column,
    |t: TestDbRef| async move {
        use backend::workspaces::archive::TABLES;
        let control = t.migrated().await;
        let registry = t.registry(&control, RegistrySettings::default());
        workspaces::create(&control, &registry, acme())
            .await
            .expect("create");
        let ws = registry
            .open(&db_name_of(&control, "acme").await.expect("row"))
            .await
            .expect("open");
        let (tables_sql, columns_sql) = match t.engine {
        Engine::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            "SELECT name FROM pragma_table_info($1) ORDER BY cid",
        ),
        Engine::Postgres => (
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' ORDER BY table_name",
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
        ),
    };
        let tables: Vec<String> = sqlx::query_scalar(tables_sql)
            .fetch_all(ws.pool())
            .await
            .expect("tables");
        let mut listed: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        listed.sort();
        assert_eq!(tables, listed, "every workspace table is exported");
        for table in TABLES {
            let columns: Vec<String> = sqlx::query_scalar(columns_sql)
                .bind(table.name)
                .fetch_all(ws.pool())
                .await
                .expect("columns");
            let listed: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
            assert_eq!(
                columns, listed,
                "every column of {} is exported",
                table.name
            );
        }
    }
);
