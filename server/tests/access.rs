//! Every server function and every route, walked against the access table (`access/table.rs`): each is
//! public, or refused without a session, refused for a role below its need, and refused — with
//! nothing of the workspace in the answer — for a session of another workspace. A route or
//! server function that is not in the table fails this test until someone decides its need.

mod common;

use axum::http::StatusCode;
use backend::on_both;
use backend::testing::TestDbRef;
use common::{TestApp, TestResponse};
use model::Role;
use std::collections::BTreeSet;

#[path = "access/table.rs"]
mod table;

use table::{Need, BRAND_ROUTES, DOWNLOADS, PAGES, PLAIN, PREFERENCE_FORMS, SERVER_FNS, SOCKETS};

/// What no answer to a stranger may contain: Acme's people (its name and address are public:
/// its sign-in page shows them).
const ACME_SECRETS: &[&str] = &[
    "Owner of Acme Sensors",
    "ada@acme.example",
    "viewer@acme.example",
    "admin of acme",
];

fn assert_tells_nothing(res: &TestResponse, what: &str) {
    for secret in ACME_SECRETS {
        assert!(
            !res.body.contains(secret),
            "{what} answered with {secret:?}: {}",
            res.body
        );
    }
}

/// A GET of `path` is refused, and tells nothing of Acme, without a session and for a session
/// of another workspace.
async fn refused_to_strangers(w: &World, path: &str, what: &str) {
    for (res, who) in [
        (w.app.get(path).await, "without a session"),
        (w.app.get_as(path, &w.stranger).await, "for Globex's owner"),
    ] {
        assert!(
            matches!(res.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
            "{what} {who}: {}",
            res.status
        );
        assert_tells_nothing(&res, &format!("{what} {who}"));
        assert!(!res.body.contains("Acme's note"), "{what} {who}");
    }
}

fn assert_refused(res: &TestResponse, statuses: &[StatusCode], what: &str) {
    assert!(
        statuses.contains(&res.status),
        "{what}: expected one of {statuses:?}, got {} {}",
        res.status,
        res.body
    );
}

#[test]
fn the_table_lists_every_server_function_and_route_exactly_once() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    let listed: BTreeSet<String> = SERVER_FNS.iter().map(|(p, ..)| p.to_string()).collect();
    assert_eq!(
        listed.len(),
        SERVER_FNS.len(),
        "a server function is listed twice"
    );
    assert_eq!(
        registered, listed,
        "every server function needs a line in SERVER_FNS (and nothing else)"
    );

    let theme = backend::theme::LoadedTheme::builtin().theme;
    let pages: BTreeSet<String> = server::page_routes(theme)
        .iter()
        .map(|r| r.path().replace(":slug", "{slug}"))
        .collect();
    let listed: BTreeSet<String> = PAGES.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(pages, listed, "every page needs a line in PAGES");

    let downloads: BTreeSet<&str> = server::exports::routes().iter().map(|(p, _)| *p).collect();
    assert_eq!(
        downloads,
        DOWNLOADS.iter().map(|(p, _)| *p).collect(),
        "every download needs a line in DOWNLOADS"
    );

    let sockets: BTreeSet<&str> = server::live::routes().iter().map(|(p, _)| *p).collect();
    assert_eq!(
        sockets,
        SOCKETS.iter().map(|(p, _)| *p).collect(),
        "every socket needs a line in SOCKETS"
    );

    let brand: BTreeSet<&str> = server::branding::routes().iter().map(|(p, _)| *p).collect();
    assert_eq!(
        brand,
        BRAND_ROUTES.iter().map(|(p, ..)| *p).collect(),
        "every brand route needs a line in BRAND_ROUTES"
    );

    let plain: BTreeSet<&str> = server::plain_routes().iter().map(|(p, _)| *p).collect();
    assert_eq!(
        plain,
        PLAIN.iter().copied().collect(),
        "every route needs a line in PLAIN"
    );

    let preferences: BTreeSet<&str> = server::language::routes().iter().map(|(p, _)| *p).collect();
    assert_eq!(
        preferences,
        PREFERENCE_FORMS.iter().copied().collect(),
        "every preference form needs a line in PREFERENCE_FORMS"
    );
}

/// Acme (target) with one member of each role, Globex (the stranger) with its owner, and an
/// operator.
struct World {
    app: TestApp,
    /// A session of each role in Acme.
    acme: Vec<(Role, String)>,
    /// Globex's owner: a session of another workspace.
    stranger: String,
    operator: String,
    /// The id of Acme's viewer (the target of member changes).
    viewer_id: String,
    /// A device group of Acme (the target of group changes).
    group_id: String,
    /// A device of Acme (the target of device changes).
    device_id: String,
    /// A dashboard of Acme, shown to the group.
    dashboard_id: String,
}

async fn world(t: &TestDbRef) -> World {
    let app = TestApp::on(t)
        .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
        .with_created_workspace("globex", "Globex", "gil@globex.example")
        .build()
        .await;
    let mut viewer_id = String::new();
    for role in [Role::Admin, Role::Editor, Role::Viewer] {
        let id = app
            .add_member(
                "acme",
                &format!("{}@acme.example", role.as_str()),
                role.as_str(),
            )
            .await;
        if role == Role::Viewer {
            viewer_id = id;
        }
    }
    let mut acme = vec![(Role::Owner, app.sign_in("acme", "ada@acme.example").await)];
    for role in [Role::Admin, Role::Editor, Role::Viewer] {
        let email = format!("{}@acme.example", role.as_str());
        acme.push((role, app.sign_in("acme", &email).await));
    }
    let stranger = app.sign_in("globex", "gil@globex.example").await;
    let operator = app.olga().await;
    let res = app
        .call_as(
            "/api/create_group",
            "slug=acme&name=North+farms",
            &acme[0].1,
        )
        .await;
    assert!(res.status.is_success(), "{} {}", res.status, res.body);
    let groups = app
        .call_as("/api/groups", "slug=acme", &acme[0].1)
        .await
        .json();
    let group_id = groups["groups"][0]["id"]
        .as_str()
        .expect("group id")
        .to_string();
    let res = app
        .call_as(
            "/api/create_device",
            &format!("slug=acme&external_id=wx-00001&name=Roof+station&group_id={group_id}"),
            &acme[0].1,
        )
        .await;
    assert!(res.status.is_success(), "{} {}", res.status, res.body);
    // Editors and viewers see the group, so every role with the need can open the device's page.
    for role in ["viewer", "editor"] {
        let res = app
            .call_as(
                "/api/grant_group",
                &format!("slug=acme&group_id={group_id}&subject=role:{role}&level=view"),
                &acme[0].1,
            )
            .await;
        assert!(res.status.is_success(), "{} {}", res.status, res.body);
    }
    let devices = app
        .call_as("/api/devices", "slug=acme", &acme[0].1)
        .await
        .json();
    let device_id = devices["page"]["items"][0]["id"]
        .as_str()
        .expect("device id")
        .to_string();
    let dashboard_id = "north-dashboard".to_string();
    sqlx::query(
        "INSERT INTO dashboards (id, name, visibility, widgets, is_default, created_at, updated_at) \
         VALUES ($1, 'North farms', $2, $3, 0, 0, 0)",
    )
    .bind(&dashboard_id)
    .bind(format!(r#"{{"to":"groups","groups":["{group_id}"]}}"#))
    .bind(
        serde_json::json!([{
            "id": "hello", "kind": "note", "title": "Hello",
            "place": {"x": 0, "y": 0, "w": 6, "h": 1}, "devices": {"by": "all"},
            "text": "Acme's note",
        }])
        .to_string(),
    )
    .execute(app.workspace_db("acme").await.pool())
    .await
    .expect("dashboard");
    World {
        app,
        acme,
        stranger,
        operator,
        viewer_id,
        group_id,
        device_id,
        dashboard_id,
    }
}

on_both!(
    every_server_function_refuses_who_it_must,
    |t: TestDbRef| async move {
        let w = world(&t).await;
        let body = |form: &str| {
            form.replace("{slug}", "acme")
                .replace("{user}", &w.viewer_id)
                .replace("{group}", &w.group_id)
                .replace("{device}", &w.device_id)
        };
        let mut walked = 0;
        for (path, need, form) in SERVER_FNS {
            let form = body(form);
            if *need == Need::Public {
                continue;
            }
            let what = format!("{path} ({need:?})");
            let res = w.app.call(path, &form).await;
            assert_refused(
                &res,
                &[StatusCode::UNAUTHORIZED],
                &format!("{what} without a session"),
            );
            assert_tells_nothing(&res, &what);

            let res = w.app.call_as(path, &form, &w.stranger).await;
            assert_refused(
                &res,
                &[StatusCode::UNAUTHORIZED],
                &format!("{what} for Globex's owner"),
            );
            assert_tells_nothing(&res, &format!("{what} for Globex's owner"));

            match need {
                Need::Member(least) => {
                    for (role, cookie) in &w.acme {
                        if role.at_least(*least) {
                            continue;
                        }
                        let res = w.app.call_as(path, &form, cookie).await;
                        assert_refused(
                            &res,
                            &[StatusCode::FORBIDDEN],
                            &format!("{what} as {role:?}"),
                        );
                    }
                }
                Need::Operator => {
                    for (role, cookie) in &w.acme {
                        let res = w.app.call_as(path, &form, cookie).await;
                        assert_refused(
                            &res,
                            &[StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN],
                            &format!("{what} as Acme's {role:?}"),
                        );
                        assert_tells_nothing(&res, &what);
                    }
                }
                Need::Public => unreachable!(),
            }
            walked += 1;
        }
        assert!(walked >= 10, "only {walked} server functions walked");

        // Nothing above changed Acme: its viewer is still a viewer, nobody was invited.
        let res = w
            .app
            .call_as("/api/members", "slug=acme", &w.acme[0].1)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let members = res.json();
        assert_eq!(members["invitations"].as_array().map(Vec::len), Some(0));
        let viewer = members["members"]
            .as_array()
            .expect("members")
            .iter()
            .find(|m| m["email"] == "viewer@acme.example")
            .cloned()
            .expect("viewer");
        assert_eq!(viewer["role"], "viewer");
        let groups = w
            .app
            .call_as("/api/groups", "slug=acme", &w.acme[0].1)
            .await
            .json();
        assert_eq!(
            groups["groups"].as_array().map(Vec::len),
            Some(1),
            "{groups}"
        );
        assert_eq!(
            groups["groups"][0]["grants"].as_array().map(Vec::len),
            Some(2),
            "only the grants the world began with"
        );

        let devices = w
            .app
            .call_as("/api/devices", "slug=acme", &w.acme[0].1)
            .await
            .json();
        assert_eq!(devices["page"]["total"], 1, "{devices}");
        assert_eq!(devices["page"]["items"][0]["name"], "Roof station");
        let acme = w
            .app
            .call_as("/api/admin_workspace", "slug=acme", &w.operator)
            .await
            .json();
        assert!(
            acme["own_source"].is_null(),
            "nobody pointed Acme at another source: {acme}"
        );
        let dashboards = w
            .app
            .call_as("/api/dashboard", "slug=acme", &w.acme[0].1)
            .await
            .json();
        assert_eq!(
            dashboards["dashboards"],
            serde_json::json!([{"id": "north-dashboard", "name": "North farms", "is_default": false}]),
            "no dashboard was added or deleted"
        );

        // And those with the need get in (read-only ones).
        for (path, who) in [
            ("/api/whoami", &w.acme[3].1),
            ("/api/account_settings", &w.acme[3].1),
            ("/api/audit_log", &w.acme[1].1),
            ("/api/members", &w.operator),
            ("/api/devices", &w.acme[3].1),
            ("/api/admin_overview", &w.operator),
        ] {
            let res = w.app.call_as(path, "slug=acme", who).await;
            assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
        }
    }
);

on_both!(every_page_refuses_who_it_must, |t: TestDbRef| async move {
    let w = world(&t).await;
    for (path, need) in PAGES {
        let id = if path.contains("/dashboards/") {
            &w.dashboard_id
        } else {
            &w.device_id
        };
        let path = path.replace("{slug}", "acme").replace("{id}", id);
        let what = format!("{path} ({need:?})");
        let anonymous = w.app.get(&path).await;
        let stranger = w.app.get_as(&path, &w.stranger).await;
        match need {
            Need::Public => {
                // Open to anyone (a link page without its token says the link is bad).
                for res in [&anonymous, &stranger] {
                    assert!(
                        res.status.is_success() || res.status == StatusCode::NOT_FOUND,
                        "{what}: {}",
                        res.status
                    );
                    assert_tells_nothing(res, &what);
                }
                continue;
            }
            Need::Member(least) => {
                for (res, who) in [
                    (&anonymous, "without a session"),
                    (&stranger, "for Globex's owner"),
                ] {
                    assert!(
                        res.status.is_redirection(),
                        "{what} {who}: {} {}",
                        res.status,
                        res.body
                    );
                    assert_eq!(res.location(), "/w/acme/sign-in", "{what} {who}");
                    assert_tells_nothing(res, &format!("{what} {who}"));
                }
                for (role, cookie) in &w.acme {
                    let res = w.app.get_as(&path, cookie).await;
                    if role.at_least(*least) {
                        assert_eq!(res.status, StatusCode::OK, "{what} as {role:?}");
                    } else {
                        assert_eq!(res.status, StatusCode::FORBIDDEN, "{what} as {role:?}");
                        assert!(
                            !res.body.contains("viewer@acme.example"),
                            "{what} as {role:?}"
                        );
                    }
                }
            }
            Need::Operator => {
                for (res, who) in [
                    (&anonymous, "without a session"),
                    (&stranger, "for Globex's owner"),
                ] {
                    assert!(res.status.is_redirection(), "{what} {who}: {}", res.status);
                    assert_tells_nothing(res, &format!("{what} {who}"));
                }
                for (role, cookie) in &w.acme {
                    let res = w.app.get_as(&path, cookie).await;
                    assert!(!res.status.is_success(), "{what} as Acme's {role:?}");
                    assert!(
                        !res.body.contains("gil@globex.example"),
                        "{what} as {role:?}"
                    );
                }
                let res = w.app.get_as(&path, &w.operator).await;
                assert_eq!(res.status, StatusCode::OK, "{what} as operator");
            }
        }
    }
    for (path, need) in DOWNLOADS {
        let path = path
            .replace("{slug}", "acme")
            .replace("{id}", &w.dashboard_id)
            .replace("{widget}", "hello");
        let what = format!("{path} ({need:?})");
        refused_to_strangers(&w, &path, &what).await;
        let Need::Member(least) = need else {
            unreachable!("downloads are for members")
        };
        for (role, cookie) in &w.acme {
            let res = w.app.get_as(&path, cookie).await;
            if role.at_least(*least) && path.ends_with(".csv") {
                assert_eq!(res.status, StatusCode::OK, "{what} as {role:?}");
                assert!(res.body.contains("Acme's note"), "{what} as {role:?}");
            } else if role.at_least(*least) {
                // A note has no picture: found, but said so.
                assert_eq!(res.status, StatusCode::NOT_FOUND, "{what} as {role:?}");
                assert!(res.body.contains("Only time series"), "{what} as {role:?}");
            } else {
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{what} as {role:?}");
            }
        }
    }
    for (path, need) in SOCKETS {
        let path = path.replace("{slug}", "acme");
        let what = format!("{path} ({need:?})");
        refused_to_strangers(&w, &path, &what).await;
        let Need::Member(least) = need else {
            unreachable!("sockets are for members")
        };
        for (role, cookie) in &w.acme {
            let res = w.app.get_as(&path, cookie).await;
            let want = if role.at_least(*least) {
                StatusCode::UPGRADE_REQUIRED
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(res.status, want, "{what} as {role:?}");
        }
    }
    for (path, get_need, post_need) in BRAND_ROUTES {
        let path = path.replace("{slug}", "acme");
        assert_eq!(*get_need, Need::Public);
        let res = w.app.get(&path).await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "{path}: Acme has no logo"
        );
        assert_tells_nothing(&res, &path);
        let Need::Member(least) = post_need else {
            unreachable!("uploads are for members")
        };
        let what = format!("POST {path}");
        for (cookie, who) in [
            (None, "without a session"),
            (Some(&w.stranger), "for Globex's owner"),
        ] {
            let res = w
                .app
                .upload(&path, "logo.svg", b"", cookie.map(String::as_str))
                .await;
            assert_refused(
                &res,
                &[StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN],
                &format!("{what} {who}"),
            );
            assert_tells_nothing(&res, &what);
        }
        for (role, cookie) in &w.acme {
            // An empty upload: refused as empty once the caller may upload at all.
            let res = w.app.upload(&path, "logo.svg", b"", Some(cookie)).await;
            let want = if role.at_least(*least) {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(res.status, want, "{what} as {role:?}: {}", res.body);
        }
        let res = w
            .app
            .upload(&path, "logo.svg", b"", Some(&w.operator))
            .await;
        assert_eq!(
            res.status,
            StatusCode::BAD_REQUEST,
            "{what} as operator: {}",
            res.body
        );
    }
    for path in ["/healthz", "/readyz", "/theme/logo.svg"] {
        let res = w.app.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_tells_nothing(&res, path);
    }
});
