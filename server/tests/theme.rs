//! The deployment's theme over HTTP, on SQLite and on PostgreSQL: a shipped example theme on
//! every page and in mails, an edit on disk shown on the next load, and a broken edit kept out
//! with a banner for operators.

mod common;

use axum::http::StatusCode;
use backend::{on_both, testing::TestDbRef};
use common::TestApp;
use std::path::{Path, PathBuf};

/// A copy of a shipped theme in a folder of its own, removed afterwards.
struct ThemeCopy(PathBuf);

impl ThemeCopy {
    fn of(name: &str) -> Self {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../themes")
            .join(name);
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let to = std::env::temp_dir().join(format!("iotr-theme-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&to).expect("mkdir");
        for entry in std::fs::read_dir(&from).expect("theme folder").flatten() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
        Self(to)
    }

    fn edit(&self, from: &str, to: &str) {
        let file = self.0.join("theme.toml");
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(text.contains(from), "{from} not in the theme");
        std::fs::write(&file, text.replacen(from, to, 1)).expect("write");
    }
}

impl Drop for ThemeCopy {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

on_both!(
    an_example_theme_brands_every_page_and_its_files,
    |t: TestDbRef| async move {
        let theme = ThemeCopy::of("agritech");
        let app = TestApp::on(&t)
            .theme(&theme.0)
            .with_created_workspace("acme", "Acme Farms", "ada@acme.example")
            .build()
            .await;
        let html = app.get("/").await.body;
        assert!(html.contains("<title>FieldSense</title>"), "{html}");
        assert!(
            html.contains("Know your fields before you walk them."),
            "{html}"
        );
        assert!(html.contains("--color-primary:#2e6b30;"), "{html}");
        assert!(html.contains("--radius:14px;"), "{html}");
        assert!(
            html.contains("FieldSense Agritech Ltd., 12 Orchard Lane"),
            "{html}"
        );
        assert!(
            html.contains(r#"href="mailto:help@fieldsense.example""#),
            "{html}"
        );
        // White-label: nothing of IoT Rocket on the page.
        assert!(
            !html.contains("IoT Rocket"),
            "the default brand shows: {html}"
        );
        // The sign-in page of a workspace is branded the same way.
        let sign_in = app.get("/w/acme/sign-in").await.body;
        assert!(sign_in.contains("· FieldSense</title>"), "{sign_in}");

        // The logo URL carries the file's hash; the file served is the theme's own.
        let logo_url = common::header_logo(&html);
        assert!(logo_url.starts_with("/theme/logo.svg?v="), "{logo_url}");
        let logo = app.get(&logo_url).await;
        assert_eq!(logo.status, StatusCode::OK);
        assert!(
            logo.body.contains("aria-label=\"FieldSense\""),
            "{}",
            logo.body
        );
    }
);

on_both!(
    mails_come_in_the_theme_s_name_and_look,
    |t: TestDbRef| async move {
        let theme = ThemeCopy::of("agritech");
        let app = TestApp::on(&t)
            .theme(&theme.0)
            .with_created_workspace("acme", "Acme Farms", "ada@acme.example")
            .build()
            .await;
        app.services.send_workspace_links(
            model::Email::parse("ada@acme.example").expect("email"),
            model::Language::En,
        );
        let mail = app.outbox_mails(1).await.remove(0);
        let unfolded = mail.replace("=\r\n", "").replace("\r\n", "\n");
        assert!(
            unfolded.contains("From: \"FieldSense Alerts\" <no-reply@localhost>")
                || unfolded.contains("From: FieldSense Alerts <no-reply@localhost>"),
            "{unfolded}"
        );
        assert!(
            unfolded.contains("Subject: Your FieldSense workspaces"),
            "{unfolded}"
        );
        assert!(
            unfolded.contains("#2e6b30"),
            "header band in the brand's colour: {unfolded}"
        );
        assert!(
            unfolded.contains("You get this mail because you work on a FieldSense workspace."),
            "{unfolded}"
        );
    }
);

on_both!(
    an_edit_on_disk_shows_on_the_next_load_and_a_broken_one_is_kept_out,
    |t: TestDbRef| async move {
        let theme = ThemeCopy::of("agritech");
        let app = TestApp::on(&t).theme(&theme.0).build().await;
        assert!(app
            .get("/")
            .await
            .body
            .contains("<title>FieldSense</title>"));

        theme.edit(
            "product_name = \"FieldSense\"",
            "product_name = \"FieldSense Pro\"",
        );
        theme.edit("primary = \"#2e6b30\"", "primary = \"#1b5e20\"");
        let html = app.get("/").await.body;
        assert!(html.contains("<title>FieldSense Pro</title>"), "{html}");
        assert!(html.contains("--color-primary:#1b5e20;"), "{html}");

        // A broken edit: the page keeps the last good theme and operators are told where.
        theme.edit("primary = \"#1b5e20\"", "primary = \"leaf green\"");
        let html = app.get("/").await.body;
        assert!(html.contains("<title>FieldSense Pro</title>"), "{html}");
        assert!(html.contains("--color-primary:#1b5e20;"), "{html}");
        let olga = app.olga().await;
        // Operators are told on every page; nobody else is.
        assert!(!html.contains("id=\"theme-problem\""), "{html}");
        let landing = app.get_as("/", &olga).await.body;
        assert!(landing.contains("id=\"theme-problem\""), "{landing}");
        let admin = app.get_as("/admin", &olga).await;
        assert_eq!(admin.status, StatusCode::OK);
        assert!(
            admin.body.contains("id=\"theme-problem\""),
            "{}",
            admin.body
        );
        assert!(
            admin.body.contains(
                "theme.toml:12:11: colors.primary: &quot;leaf green&quot; is not a colour"
            ) || admin
                .body
                .contains("theme.toml:12:11: colors.primary: \"leaf green\" is not a colour"),
            "{}",
            admin.body
        );

        // Fixed: the banner goes, the new colour shows.
        theme.edit("primary = \"leaf green\"", "primary = \"#33691e\"");
        assert!(app.get("/").await.body.contains("--color-primary:#33691e;"));
        let admin = app.get_as("/admin", &olga).await;
        assert!(
            !admin.body.contains("id=\"theme-problem\""),
            "{}",
            admin.body
        );
    }
);

/// `iot-rocket theme check` on the copy after `theme.toml` is replaced by `toml`: whether the
/// theme is usable, and what the command printed.
fn check(theme: &ThemeCopy, toml: &str) -> (bool, String) {
    std::fs::write(theme.0.join("theme.toml"), toml).expect("write");
    let mut out = Vec::new();
    let usable = server::cli::run_theme(
        server::cli::ThemeCommand::Check {
            theme: theme.0.display().to_string(),
        },
        &mut out,
    );
    (usable, String::from_utf8(out).expect("utf-8"))
}

#[test]
fn theme_check_prints_every_problem_with_its_place() {
    let theme = ThemeCopy::of("agritech");
    let (usable, out) = check(
        &theme,
        "product_name = \"Acme\"\ntagline = \"x\"\nlogo = \"missing.svg\"\n[colors]\nprimray = \"#fff\"\ntext = \"#zzz\"\n",
    );
    assert!(!usable, "{out}");
    let file = theme.0.join("theme.toml").display().to_string();
    assert!(
        out.contains(&format!(
            "error: {file}:5:1: colors.primray: unknown key `primray`; did you mean `primary`?"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "error: {file}:6:8: colors.text: \"#zzz\" is not a colour"
        )),
        "{out}"
    );
    assert!(out.contains("not usable, 2 problem(s)"), "{out}");

    // Syntax right, an image missing, and a pair of colours hard to read.
    let (usable, out) = check(
        &theme,
        "logo = \"missing.svg\"\n[colors]\ntext = \"#9a9a9a\"\n",
    );
    assert!(!usable, "{out}");
    assert!(out.contains(": logo: the file"), "{out}");

    let (usable, out) = check(&theme, "[colors]\ntext = \"#9a9a9a\"\n");
    assert!(usable, "{out}");
    assert!(
        out.contains("warning: ")
            && out.contains("colors.text on colors.background has a contrast of 2."),
        "{out}"
    );
    assert!(
        out.contains("usable theme \u{201c}IoT Rocket\u{201d}, "),
        "{out}"
    );

    // A new product name without a legal footer of its own is pointed out.
    let (usable, out) = check(&theme, "product_name = \"Acme\"\n");
    assert!(usable, "{out}");
    assert!(
        out.contains("warning: ") && out.contains("legal_footer is not set"),
        "{out}"
    );
}
