//! Co-branding over HTTP, on SQLite and on PostgreSQL: an admin gives the workspace its own
//! name, colour and logo; its pages wear them and no other workspace's do; logos are checked by
//! content and an SVG that could run script is refused with the reason.

mod common;

use axum::http::StatusCode;
use backend::{on_both, testing::TestDbRef};
use common::{header_logo, TestApp};

const LOGO: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8" aria-label="Acme Farms"><rect width="8" height="8" fill="#ffd54f"/></svg>"##;
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn app(t: &TestDbRef) -> (TestApp, String) {
    let app = TestApp::on(t)
        .with_created_workspace("acme", "Acme", "ada@acme.example")
        .with_created_workspace("globex", "Globex", "gil@globex.example")
        .build()
        .await;
    let ada = app.sign_in("acme", "ada@acme.example").await;
    (app, ada)
}

on_both!(
    a_workspace_wears_its_own_name_and_colour_and_no_other_does,
    |t: TestDbRef| async move {
        let (app, ada) = app(&t).await;
        let res = app
            .call_as(
                "/api/save_branding",
                "slug=acme&display_name=Acme+Farms&primary_color=%23FFD54F",
                &ada,
            )
            .await;
        assert!(
            res.status.is_success() || res.status.is_redirection(),
            "{} {}",
            res.status,
            res.body
        );

        let home = app.get_as("/w/acme/", &ada).await.body;
        assert!(
            home.contains("<span class=\"brand-name\">Acme Farms</span>"),
            "{home}"
        );
        assert!(home.contains("--color-primary:#ffd54f;"), "{home}");
        assert!(
            home.contains("--color-on-primary:#111827;"),
            "readable on yellow: {home}"
        );
        assert!(home.contains("<title>Acme · Acme Farms</title>"), "{home}");
        // Its sign-in page too, for staff arriving.
        let sign_in = app.get("/w/acme/sign-in").await.body;
        assert!(sign_in.contains(">Acme Farms</span>"), "{sign_in}");

        // A session of another workspace is told nothing of Acme, its brand included.
        let gil = app.sign_in("globex", "gil@globex.example").await;
        let seen = app.get_as("/w/acme/", &gil).await.body;
        assert!(
            !seen.contains("Acme Farms") && !seen.contains("#ffd54f"),
            "{seen}"
        );

        // Nothing of Acme's brand elsewhere.
        for path in ["/", "/w/globex/sign-in"] {
            let html = app.get(path).await.body;
            assert!(
                !html.contains("Acme Farms") && !html.contains("#ffd54f"),
                "{path}: {html}"
            );
            assert!(html.contains("--color-primary:#3454d1;"), "{path}");
        }

        // Back to the theme's with empty fields; the change is in the audit log.
        app.call_as(
            "/api/save_branding",
            "slug=acme&display_name=&primary_color=",
            &ada,
        )
        .await;
        let home = app.get_as("/w/acme/", &ada).await.body;
        assert!(
            home.contains("<span class=\"brand-name\">IoT Rocket</span>"),
            "{home}"
        );
        let audit: Vec<(String,)> = sqlx::query_as(
            "SELECT detail FROM audit_log WHERE action = 'branding_changed' ORDER BY at",
        )
        .fetch_all(app.workspace_db("acme").await.pool())
        .await
        .expect("audit");
        assert_eq!(audit.len(), 2, "{audit:?}");
        assert!(
            audit[0].0.contains("Acme Farms") && audit[0].0.contains("#ffd54f"),
            "{audit:?}"
        );
    }
);

on_both!(
    bad_names_and_colours_are_refused_by_field_and_editors_may_not_brand,
    |t: TestDbRef| async move {
        let (app, ada) = app(&t).await;
        let res = app
            .call_as(
                "/api/save_branding",
                "slug=acme&display_name=A&primary_color=banana",
                &ada,
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert_eq!(res.json()["field"], "primary_color", "{}", res.body);
        let long = "x".repeat(61);
        let res = app
            .call_as(
                "/api/save_branding",
                &format!("slug=acme&display_name={long}"),
                &ada,
            )
            .await;
        assert_eq!(res.json()["field"], "display_name", "{}", res.body);

        // Without JavaScript the form comes back to the page, which says the rule in its own
        // words (the address carries the error, and anyone can write an address).
        let res = app
            .post_form_as(
                "/api/save_branding",
                "slug=acme&display_name=A&primary_color=banana",
                "http://127.0.0.1:3000/w/acme/branding",
                &ada,
            )
            .await;
        assert!(res.status.is_redirection(), "{} {}", res.status, res.body);
        let back = app.get_as(res.location(), &ada).await.body;
        assert!(
            back.contains("Write the colour as #rgb or #rrggbb, like #2e7d32."),
            "{back}"
        );

        app.add_member("acme", "eve@acme.example", "editor").await;
        let eve = app.sign_in("acme", "eve@acme.example").await;
        let res = app
            .call_as(
                "/api/save_branding",
                "slug=acme&display_name=Eve+was+here",
                &eve,
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = app
            .upload("/w/acme/brand/logo", "logo.svg", LOGO, Some(&eve))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let page = app.get_as("/w/acme/branding", &eve).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(!app
            .get("/w/acme/sign-in")
            .await
            .body
            .contains("Eve was here"));
    }
);

on_both!(
    an_uploaded_logo_is_checked_shown_and_served_as_an_image,
    |t: TestDbRef| async move {
        let (app, ada) = app(&t).await;
        // From the page without JavaScript: back to the page, which says so.
        let res = app
            .upload_accepting(
                "/w/acme/brand/logo",
                "acme.svg",
                LOGO,
                Some(&ada),
                "text/html",
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(res.location(), "/w/acme/branding?logo=saved");
        let page = app.get_as("/w/acme/branding?logo=saved", &ada).await.body;
        assert!(page.contains("The logo is saved."), "{page}");

        let home = app.get_as("/w/acme/", &ada).await.body;
        let src = header_logo(&home);
        assert!(src.starts_with("/w/acme/brand/logo?v="), "{src}");
        // Served to anyone (the sign-in page shows it), as an image that cannot run script.
        let logo = app.get(&src).await;
        assert_eq!(logo.status, StatusCode::OK);
        assert_eq!(logo.headers["content-type"], "image/svg+xml");
        assert!(logo.headers["content-security-policy"]
            .to_str()
            .expect("ascii")
            .contains("sandbox"));
        assert!(logo.body.contains("aria-label=\"Acme Farms\""));
        // Kept long only under its own version; any other address is checked again.
        assert!(
            logo.headers["cache-control"]
                .to_str()
                .expect("ascii")
                .contains("immutable"),
            "{:?}",
            logo.headers
        );
        let stale = app.get("/w/acme/brand/logo?v=0000").await;
        assert_eq!(stale.headers["cache-control"], "no-cache");
        // Globex's pages keep the theme's logo; Globex has none of its own.
        assert!(
            header_logo(&app.get("/w/globex/sign-in").await.body).starts_with("/theme/logo.svg")
        );
        assert_eq!(
            app.get("/w/globex/brand/logo").await.status,
            StatusCode::NOT_FOUND
        );

        // A PNG replaces it.
        let res = app
            .upload("/w/acme/brand/logo", "acme.png", PNG, Some(&ada))
            .await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
        let src2 = header_logo(&app.get_as("/w/acme/", &ada).await.body);
        assert_ne!(src, src2, "a new file, a new address");
        assert_eq!(app.get(&src2).await.headers["content-type"], "image/png");

        // Removed: the theme's logo again.
        app.call_as("/api/remove_brand_logo", "slug=acme", &ada)
            .await;
        assert!(
            header_logo(&app.get_as("/w/acme/", &ada).await.body).starts_with("/theme/logo.svg")
        );
        assert_eq!(
            app.get("/w/acme/brand/logo").await.status,
            StatusCode::NOT_FOUND
        );
    }
);

on_both!(
    a_logo_that_could_run_script_or_lies_about_its_type_is_refused_with_the_reason,
    |t: TestDbRef| async move {
        let (app, ada) = app(&t).await;
        let evil = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>fetch('/api/whoami')</script></svg>"#;
        let res = app
            .upload("/w/acme/brand/logo", "logo.svg", evil, Some(&ada))
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert!(res.body.contains("uses <script>"), "{}", res.body);

        // From the page: sent back with the reason kept for the next page load.
        let res = app
            .upload_accepting(
                "/w/acme/brand/logo",
                "logo.svg",
                evil,
                Some(&ada),
                "text/html",
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.location(), "/w/acme/branding");
        let flash = res.headers["set-cookie"]
            .to_str()
            .expect("ascii")
            .to_string();
        assert!(
            flash.starts_with("iotr-flash=") && flash.contains("HttpOnly"),
            "{flash}"
        );
        let shown = app
            .get_as(
                "/w/acme/branding",
                &format!("{ada}; {}", flash.split(';').next().expect("pair")),
            )
            .await
            .body;
        assert!(shown.contains("The logo was not saved: "), "{shown}");
        assert!(shown.contains("uses &lt;script&gt;"), "{shown}");

        for (name, bytes, reason) in [
            ("logo.svg", PNG, "not what its name says"),
            (
                "logo.gif",
                b"GIF89a\x01\0".as_slice(),
                "not an SVG, PNG or ICO",
            ),
            ("logo.svg", &[b' '; 600 * 1024][..], "larger than 512 KiB"),
        ] {
            let res = app
                .upload("/w/acme/brand/logo", name, bytes, Some(&ada))
                .await;
            assert_eq!(res.status, StatusCode::BAD_REQUEST, "{name}: {}", res.body);
            assert!(res.body.contains(reason), "{name}: {}", res.body);
        }
        assert_eq!(
            app.get("/w/acme/brand/logo").await.status,
            StatusCode::NOT_FOUND,
            "nothing stored"
        );
    }
);
