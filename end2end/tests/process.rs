//! The release binary as an operator runs it: start-up errors, structured logs, SIGTERM.

use anyhow::Result;
use end2end::{scratch_dir, server_command, Server};
use std::process::Stdio;
use std::time::Duration;

#[tokio::test]
async fn sigterm_lets_the_server_finish_and_exit_cleanly() -> Result<()> {
    let mut server = Server::start().await?;
    let (status, body) = server.get("/healthz").await?;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"status\":\"ok\""), "{body}");

    // Every request is logged as JSON with its request id.
    let line = server
        .wait_log(Duration::from_secs(10), |l| {
            l.contains("/healthz") && l.contains("status")
        })
        .await?;
    let json: serde_json::Value = serde_json::from_str(&line)?;
    let id = json["span"]["request_id"].as_str().unwrap_or_default();
    assert_eq!(id.len(), 36, "a UUID request id in {line}");

    let pid = server.pid().to_string();
    let kill = tokio::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await?;
    assert!(kill.success());
    assert!(
        server.wait_exit(Duration::from_secs(15)).await?,
        "clean exit after SIGTERM"
    );
    server
        .wait_log(Duration::from_secs(5), |l| l.contains("\"stopped\""))
        .await?;
    server.stop().await;
    Ok(())
}

async fn run_to_exit(
    configure: impl FnOnce(&mut tokio::process::Command),
) -> Result<(bool, String)> {
    let data = scratch_dir("iotr-proc");
    let mut cmd = server_command(&data);
    cmd.env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    configure(&mut cmd);
    let out = tokio::time::timeout(Duration::from_secs(30), cmd.output()).await??;
    std::fs::remove_dir_all(&data).ok();
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

#[tokio::test]
async fn a_broken_theme_stops_start_up_naming_line_and_column() -> Result<()> {
    let theme = scratch_dir("iotr-theme");
    std::fs::write(
        theme.join("theme.toml"),
        "product_name = \"Acme\"\nlogo = = 1\n",
    )?;
    let (ok, stderr) = run_to_exit(|c| {
        c.env("THEME", &theme);
    })
    .await?;
    std::fs::remove_dir_all(&theme).ok();
    assert!(!ok);
    assert!(stderr.contains("the theme is not usable"), "{stderr}");
    assert!(
        stderr.contains("theme.toml:2:8: not valid TOML"),
        "{stderr}"
    );
    Ok(())
}

#[tokio::test]
async fn an_unreachable_database_stops_start_up_without_leaking_the_password() -> Result<()> {
    let (ok, stderr) = run_to_exit(|c| {
        c.env("DATABASE_URL", "postgres://app:hunter2@127.0.0.1:1/iot");
    })
    .await?;
    assert!(!ok);
    assert!(
        stderr.contains("cannot open the control database (postgres://app:***@127.0.0.1:1/iot)"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
    Ok(())
}

#[tokio::test]
async fn migrate_prepares_the_embedded_database_and_exits() -> Result<()> {
    let data = scratch_dir("iotr-migrate");
    let status = server_command(&data)
        .arg("migrate")
        .stdout(Stdio::null())
        .status()
        .await?;
    assert!(status.success());
    assert!(data.join("control.db").is_file());
    std::fs::remove_dir_all(&data).ok();
    Ok(())
}

fn last_line(text: &str) -> &str {
    text.trim_end().lines().last().unwrap_or_default()
}

/// Runs `iot-rocket <args>` on `data` with `stdin`; returns (success, stdout, stderr).
async fn cli(data: &std::path::Path, args: &[&str], stdin: &str) -> Result<(bool, String, String)> {
    use tokio::io::AsyncWriteExt;
    let mut child = server_command(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).await?;
    drop(input);
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output()).await??;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

#[tokio::test]
async fn workspace_commands_work_beside_a_running_server_and_refuse_in_plain_words() -> Result<()> {
    let server = Server::start().await?;
    let data = server.data_dir.clone();
    let (status, _) = server.get("/w/acme/").await?;
    assert_eq!(status, 404);

    // Password on standard input, as a script would pipe it.
    let create = [
        "workspace",
        "create",
        "--slug",
        "acme",
        "--name",
        "Acme Sensors",
        "--owner-email",
        "ada@acme.example",
    ];
    let (ok, out, err) = cli(&data, &create, "correct horse battery\n").await?;
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "Created workspace Acme Sensors at /w/acme/");

    // The running server sees it at once, without a restart.
    let (status, body) = server.get("/w/acme/sign-in").await?;
    assert_eq!(status, 200);
    assert!(body.contains("Acme Sensors"));

    let (ok, out, err) = cli(&data, &["workspace", "suspend", "acme"], "").await?;
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "Suspended /w/acme/");
    let (_, body) = server.get("/w/acme/").await?;
    assert!(body.contains("This workspace is suspended."));

    // The operators' audit log keeps what the command line did.
    {
        let url = backend::db::sqlite_url(&data.join("control.db"));
        let control = backend::Db::connect(&url, &Default::default()).await?;
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT action FROM operator_audit ORDER BY at")
                .fetch_all(control.pool())
                .await?;
        assert_eq!(actions, ["workspace_created", "workspace_suspended"]);
        control.close().await;
    }

    let (ok, out, _) = cli(&data, &["workspace", "list", "--json"], "").await?;
    assert!(ok);
    let rows: serde_json::Value = serde_json::from_str(&out)?;
    assert_eq!(rows[0]["slug"], "acme");
    assert_eq!(rows[0]["status"], "suspended");
    let (ok, out, _) = cli(&data, &["workspace", "list"], "").await?;
    assert!(ok);
    assert!(
        out.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("acme  Acme Sensors  suspended")),
        "{out}"
    );

    // Refusals: one sentence on stderr, a failing exit code.
    let (ok, _, err) = cli(&data, &create, "correct horse battery\n").await?;
    assert!(!ok);
    assert_eq!(
        err.trim(),
        "The address \u{201c}acme\u{201d} is taken; please choose another."
    );
    let (ok, _, err) = cli(&data, &["workspace", "resume", "nope"], "").await?;
    assert!(!ok);
    assert_eq!(last_line(&err), "There is no workspace at /w/nope/.");
    let weak = [
        "workspace",
        "create",
        "--slug",
        "globex",
        "--name",
        "Globex",
        "--owner-email",
        "h@globex.example",
    ];
    let (ok, _, err) = cli(&data, &weak, "short\n").await?;
    assert!(!ok);
    assert_eq!(last_line(&err), "A password needs at least 12 characters.");

    // Export, then import as a new workspace that the running server serves at once.
    let archive = data.join("acme.tar.gz");
    let archive_arg = archive.to_string_lossy().into_owned();
    let (ok, out, err) = cli(
        &data,
        &["workspace", "export", "acme", "-o", &archive_arg],
        "",
    )
    .await?;
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        format!("Exported /w/acme/ (2 rows) to {archive_arg}")
    );
    let (ok, out, err) = cli(
        &data,
        &[
            "workspace",
            "import",
            &archive_arg,
            "--slug",
            "acme-restored",
        ],
        "",
    )
    .await?;
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        format!("Imported {archive_arg} into /w/acme-restored/")
    );
    let (status, body) = server.get("/w/acme-restored/sign-in").await?;
    assert_eq!(status, 200);
    assert!(body.contains("Acme Sensors"));
    let (ok, _, err) = cli(
        &data,
        &["workspace", "import", "/etc/hostname", "--slug", "junk"],
        "",
    )
    .await?;
    assert!(!ok);
    assert_eq!(
        last_line(&err),
        "This file is not an IoT Rocket workspace export."
    );

    // Erasing needs a confirmation, then the workspace is gone for the running server too.
    let (ok, _, err) = cli(&data, &["workspace", "erase", "acme"], "").await?;
    assert!(!ok);
    assert_eq!(
        last_line(&err),
        "Erasing /w/acme/ cannot be undone; add --yes to confirm."
    );
    let (ok, out, err) = cli(&data, &["workspace", "erase", "acme", "--yes"], "").await?;
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "Erased /w/acme/");
    let (status, _) = server.get("/w/acme/").await?;
    assert_eq!(status, 404);

    // With the copy erased as well (and the export file deleted), no file under the data
    // directory holds the owner's e-mail or the company name, though the server kept running.
    let (ok, _, err) = cli(&data, &["workspace", "erase", "acme-restored", "--yes"], "").await?;
    assert!(ok, "{err}");
    std::fs::remove_file(&archive)?;
    let trace =
        backend::testing::find_bytes(&data, &["ada@acme.example", "Acme Sensors", "acme sensors"]);
    assert!(trace.is_none(), "personal data left: {trace:?}");
    server.stop().await;
    Ok(())
}

/// The status of the workspace row at `slug` in the control database under `data`.
async fn row_status(control: &backend::Db, slug: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT status FROM workspaces WHERE slug = $1")
            .bind(slug)
            .fetch_optional(control.pool())
            .await?,
    )
}

#[tokio::test]
async fn a_creation_killed_half_way_leaves_nothing_active_and_a_rerun_finishes() -> Result<()> {
    let server = Server::start().await?;
    let data = server.data_dir.clone();
    let url = backend::db::sqlite_url(&data.join("control.db"));
    let control = backend::Db::connect(&url, &Default::default()).await?;
    let mut killed_half_way = 0;
    for attempt in 0..5 {
        let slug = format!("crash-{attempt}");
        let args = [
            "workspace",
            "create",
            "--slug",
            &slug,
            "--name",
            "Crash Test Co",
            "--owner-email",
            "ada@crash.example",
            "--owner-password",
            "correct horse battery",
        ];
        let mut child = server_command(&data)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        // SIGKILL the moment the row appears: the database and the owner are still to come.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while row_status(&control, &slug).await?.is_none() && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        child.start_kill()?;
        child.wait().await?;

        match row_status(&control, &slug).await?.as_deref() {
            Some("provisioning") => {
                killed_half_way += 1;
                // Nobody can find or open it.
                let (status, _) = server.get(&format!("/w/{slug}/sign-in")).await?;
                assert_eq!(status, 404, "{slug}: a dead creation is not served");
                // Within the lease a rerun says the address is being set up…
                let (ok, _, err) = cli(&data, &args, "").await?;
                assert!(!ok);
                assert!(err.contains("is being set up right now"), "{err}");
                // …after it, the rerun cleans up and finishes.
                sqlx::query("UPDATE workspaces SET created_at = 0 WHERE slug = $1")
                    .bind(&slug)
                    .execute(control.pool())
                    .await?;
                let (ok, out, err) = cli(&data, &args, "").await?;
                assert!(ok, "{err}");
                assert_eq!(
                    out.trim(),
                    format!("Created workspace Crash Test Co at /w/{slug}/")
                );
            }
            // The kill came too late: the creation finished whole.
            Some("active") => {}
            other => panic!("{slug}: the row is {other:?}"),
        }
        assert_eq!(
            row_status(&control, &slug).await?.as_deref(),
            Some("active")
        );
        let (status, body) = server.get(&format!("/w/{slug}/sign-in")).await?;
        assert_eq!(status, 200, "{slug}");
        assert!(body.contains("Sign in to Crash Test Co"));
    }
    assert!(killed_half_way > 0, "no attempt was killed half-way");
    control.close().await;
    server.stop().await;
    Ok(())
}
