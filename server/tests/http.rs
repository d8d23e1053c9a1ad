//! The HTTP application in-process, on SQLite and on PostgreSQL: health, pages, server
//! functions, theme files, errors.

mod common;

use axum::http::StatusCode;
use backend::{on_both, testing::TestDbRef};
use common::TestApp;

on_both!(
    healthz_reports_version_and_uptime,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t).build().await;
        let res = app.get("/healthz").await;
        assert_eq!(res.status, StatusCode::OK);
        let body = res.json();
        assert_eq!(body["status"], "ok");
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        assert!(body["uptime_seconds"].is_u64(), "{body}");
    }
);

on_both!(
    readyz_turns_503_with_a_reason_when_the_database_is_gone,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t).build().await;
        let res = app.get("/readyz").await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["status"], "ready");

        app.db.close().await;
        let res = app.get("/readyz").await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.json()["reason"], "control database unreachable");
    }
);

on_both!(
    the_landing_page_is_rendered_on_the_server_with_the_theme,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t).build().await;
        let res = app.get("/").await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.headers.contains_key("x-request-id"));
        assert_eq!(res.headers["x-content-type-options"], "nosniff");
        assert_eq!(res.headers["x-frame-options"], "DENY");
        assert_eq!(
            res.headers["referrer-policy"],
            "strict-origin-when-cross-origin"
        );
        let html = &res.body;
        assert!(html.contains("<title>IoT Rocket</title>"), "{html}");
        assert!(html.contains("Every device your customers own, live on one dashboard."));
        assert!(html.contains("Find your workspace"));
        assert!(html.contains(r#"src="/theme/logo.svg?v="#), "{html}");
        assert!(html.contains("--color-primary:#3454d1;"));
        assert!(
            html.contains(".site-header"),
            "component styles are in the page"
        );
        assert!(html.contains(r#"id="iotr-theme" type="application/json""#));
        assert!(
            html.contains("/pkg/iot-rocket.js"),
            "hydration script is linked"
        );
    }
);

on_both!(
    an_unknown_address_gets_a_readable_404_page,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t).build().await;
        let res = app.get("/no/such/page").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(
            res.body.contains("This page does not exist"),
            "{}",
            res.body
        );
        assert!(res.body.contains("Page not found · IoT Rocket"));
    }
);

on_both!(
    finding_a_workspace_without_javascript_redirects_to_it,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_workspace("acme", "Acme Sensors", "active")
            .build()
            .await;
        let res = app
            .post_form(
                "/api/find_workspace",
                "query=Acme+Sensors",
                "http://localhost/",
            )
            .await;
        assert!(res.status.is_redirection(), "{} {}", res.status, res.body);
        assert_eq!(res.location(), "/w/acme/");

        // Nobody is signed in: the workspace sends them to its sign-in page.
        let page = app.get("/w/acme/").await;
        assert!(
            page.status.is_redirection(),
            "{} {}",
            page.status,
            page.body
        );
        assert_eq!(page.location(), "/w/acme/sign-in");
        let page = app.get("/w/acme/sign-in").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Sign in to Acme Sensors"),
            "{}",
            page.body
        );
    }
);

on_both!(
    an_unknown_workspace_is_explained_on_the_landing_page,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t).build().await;
        let res = app
            .post_form("/api/find_workspace", "query=globex", "http://localhost/")
            .await;
        assert!(res.status.is_redirection(), "{}", res.status);
        let back = res.location().to_string();
        assert!(back.starts_with("http://localhost/?"), "{back}");
        let path = back.trim_start_matches("http://localhost");
        let page = app.get(path).await;
        assert!(
            page.body.contains(model::workspace::FIND_NOT_FOUND),
            "{}",
            page.body
        );
        assert!(page.body.contains(r#"aria-invalid="true""#));
    }
);

on_both!(
    server_functions_answer_typed_errors_with_statuses,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t).build().await;
        let res = app.call("/api/find_workspace", "query=globex").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(res.json()["kind"], "not_found");

        let res = app.call("/api/find_workspace", "query=+++").await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert_eq!(res.json()["kind"], "invalid");
        assert_eq!(res.json()["field"], "query");

        app.db.close().await;
        let res = app.call("/api/find_workspace", "query=acme").await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.json()["kind"], "unavailable");
        assert!(
            !res.body.to_lowercase().contains("pool"),
            "no internals: {}",
            res.body
        );
    }
);

on_both!(
    workspace_pages_show_status_and_errors_in_plain_words,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_workspace("globex", "Globex", "suspended")
            .with_workspace("initech", "Initech", "provisioning")
            .build()
            .await;
        let res = app.get("/w/globex/").await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(
            res.body.contains("This workspace is suspended."),
            "{}",
            res.body
        );

        let res = app.get("/w/initech/").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(
            res.body.contains("There is no workspace at /w/initech/."),
            "{}",
            res.body
        );

        app.db.close().await;
        let res = app.get("/w/globex/").await;
        assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            res.body.contains("The service is unavailable"),
            "{}",
            res.body
        );
    }
);

on_both!(
    theme_files_are_served_and_nothing_beside_them,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t).build().await;
        let res = app.get("/theme/logo.svg").await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("<svg"));
        assert_eq!(res.headers["content-type"], "image/svg+xml");
        // Opened on its own, an SVG still cannot run script.
        assert!(
            res.headers["content-security-policy"]
                .to_str()
                .expect("ascii")
                .contains("sandbox"),
            "{:?}",
            res.headers
        );
        // Only the logo and favicon: not the theme file, nothing above the folder.
        for path in [
            "/theme/theme.toml",
            "/theme/..%2F..%2FCargo.toml",
            "/theme/../../Cargo.toml",
        ] {
            let res = app.get(path).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
            assert!(
                !res.body.contains("[package]") && !res.body.contains("[colors]"),
                "{path}"
            );
        }
    }
);

on_both!(a_request_id_is_kept_or_made, |t: TestDbRef| async move {
    let app = TestApp::on(&t).build().await;
    let res = app
        .send(
            axum::http::Request::get("/healthz")
                .header("x-request-id", "given-123")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.headers["x-request-id"], "given-123");
    // Client text that is not a plain id is replaced, so it never reaches logs or pages.
    let res = app
        .send(
            axum::http::Request::get("/healthz")
                .header("x-request-id", "<script>alert(1)</script>")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.headers["x-request-id"].len(), 36);
    let a = app.get("/healthz").await.headers["x-request-id"].clone();
    let b = app.get("/healthz").await.headers["x-request-id"].clone();
    assert_ne!(a, b);
});

/// Waits (at most 10 s) until `ready` holds, checking every 20 ms: for effects of background
/// tasks, which send no signal.
async fn wait_until(mut ready: impl FnMut() -> bool) -> bool {
    const POLL: std::time::Duration = std::time::Duration::from_millis(20);
    for _ in 0..500 {
        if ready() {
            return true;
        }
        tokio::time::sleep(POLL).await;
    }
    ready()
}

on_both!(
    finding_workspaces_by_email_answers_alike_and_mails_only_the_owner,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_workspace("acme", "Acme Sensors", "active")
            .build()
            .await;
        backend::testing::seed_workspace_email(&app.db, "acme", "ada@acme.example").await;
        let known = app
            .post_form(
                "/api/send_workspace_links",
                "email=Ada%40Acme.example",
                "http://localhost/",
            )
            .await;
        let unknown = app
            .post_form(
                "/api/send_workspace_links",
                "email=eve%40evil.example",
                "http://localhost/",
            )
            .await;
        assert!(known.status.is_redirection(), "{}", known.status);
        assert_eq!(
            (known.status, known.location()),
            (unknown.status, unknown.location())
        );
        assert_eq!(known.location(), "/?links=sent");

        let page = app.get("/?links=sent").await;
        assert!(
            page.body
                .contains("a mail with links to them is on its way"),
            "{}",
            page.body
        );

        let outbox = t.dir.join("outbox");
        let mails = || std::fs::read_dir(&outbox).map(|d| d.count()).unwrap_or(0);
        assert!(
            wait_until(|| mails() >= 1).await,
            "the owner's mail arrives"
        );
        let eml = std::fs::read_dir(&outbox)
            .expect("outbox")
            .flatten()
            .next()
            .expect("mail")
            .path();
        let text = std::fs::read_to_string(eml).expect("eml");
        assert!(text.contains("To: ada@acme.example"), "{text}");
        assert!(text.contains("http://127.0.0.1:3000/w/acme/"), "{text}");
        assert_eq!(mails(), 1, "no mail for the unknown address");

        // Asking again at once sends nothing more (no mailbox flooding), and says the same.
        let again = app
            .post_form(
                "/api/send_workspace_links",
                "email=ada%40acme.example",
                "http://localhost/",
            )
            .await;
        assert_eq!(again.location(), "/?links=sent");

        let bad = app
            .call("/api/send_workspace_links", "email=not-an-address")
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad.json()["field"], "email");
        assert_eq!(mails(), 1);
    }
);
