//! GDPR on both engines: erasing a workspace leaves no personal trace; an export imported into
//! a new workspace restores it exactly; a broken archive is refused and leaves nothing.

mod common;

use backend::registry::RegistrySettings;
use backend::testing::TestDb;
use backend::workspaces::{self, NewWorkspace};
use backend::{on_both, testing::TestDbRef, BackendError, Db, Engine};
use common::{acme, database_exists, db_name_of, with_acme};

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
            let needles = [
                secret_email,
                secret_name,
                "zyxwvut telemetry",
                "Ingrid Personal-Name",
            ];
            let trace = backend::testing::find_bytes(&t.dir, &needles);
            assert!(trace.is_none(), "personal data left: {trace:?}");
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
                            Col::Real => r.try_get::<Option<f64>, _>(i).expect("real").into(),
                        })
                        .collect(),
                )
            })
            .collect();
        // Sorted here, not by the database: collations differ between the engines.
        let mut values: Vec<serde_json::Value> = values;
        // An export records itself in the audit log after taking its copy: that entry is the
        // one row a copy cannot hold.
        values.retain(|v| !(table.name == "audit_log" && v[3] == "workspace_exported"));
        values.sort_by_key(|v| v.to_string());
        out.push((table.name.to_string(), values));
    }
    out
}

on_both!(
    an_export_imported_into_a_new_workspace_restores_it_exactly,
    |t: TestDbRef| async move {
        let (control, registry, source) = with_acme(&t).await;
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
        sqlx::query("INSERT INTO device_groups (id, name, created_at) VALUES ('g1', 'Roofs', 1)")
            .execute(source.pool())
            .await
            .expect("group");
        for (i, location) in [Some((45.764_043_f64, 4.835_659_f64)), None]
            .into_iter()
            .enumerate()
        {
            sqlx::query("INSERT INTO devices (id, external_id, name, kind, group_id, latitude, longitude, tags, metadata, created_at, updated_at) \
                         VALUES ($1, $2, $3, 'meter', $4, $5, $6, '[\"a\"]', '{\"k\":\"v\"}', 5, 6)")
                .bind(format!("d{i}"))
                .bind(format!("kwh-{i:05}"))
                .bind(format!("Meter {i}"))
                .bind((i == 0).then_some("g1"))
                .bind(location.map(|l| l.0))
                .bind(location.map(|l| l.1))
                .execute(source.pool())
                .await
                .expect("device");
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
        let recorded: Vec<String> =
            sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'workspace_exported'")
                .fetch_all(source.pool())
                .await
                .expect("audit");
        assert_eq!(recorded.len(), 1, "the export is in the audit log");
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
        if t.engine == Engine::Sqlite {
            let databases = std::fs::read_dir(t.dir.join("workspaces"))
                .expect("workspaces dir")
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "db"))
                .count();
            assert_eq!(databases, 1, "only acme's database file remains");
        }
        assert_eq!(workspaces::list(&control).await.expect("list").len(), 1);
    }
);

on_both!(
    the_export_catalogue_covers_every_table_and_column,
    |t: TestDbRef| async move {
        use backend::workspaces::archive::TABLES;
        let (_control, _registry, ws) = with_acme(&t).await;
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

/// An export made on SQLite restores exactly on PostgreSQL (moving a customer from the embedded
/// database to the production cluster).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_moves_from_sqlite_to_postgresql_exactly() {
    TestDb::run(Engine::Sqlite, |lite: TestDbRef| async move {
        let (control, registry, source) = with_acme(&lite).await;
        sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, role, created_at) \
             VALUES ('u1', 'zoë@acme.example', 'Zoë “Quotes” O''Neil', '$argon2id$x', 'viewer', 9007199254740993)",
        )
        .execute(source.pool())
        .await
        .expect("member");
        let file = lite.dir.join("acme.tar.gz");
        workspaces::export(&control, &registry, "acme", &file, |_, _| {})
            .await
            .expect("export");
        let expected = dump(&source).await;

        TestDb::run(Engine::Postgres, move |pg: TestDbRef| async move {
            let control = pg.migrated().await;
            let registry = pg.registry(&control, RegistrySettings::default());
            workspaces::import(&control, &registry, &file, "acme", None, |_, _| {})
                .await
                .expect("import on PostgreSQL");
            let name = db_name_of(&control, "acme").await.expect("row");
            let copy = registry.open(&name).await.expect("open");
            assert_eq!(dump(&copy).await, expected);
        })
        .await;
    })
    .await;
}
