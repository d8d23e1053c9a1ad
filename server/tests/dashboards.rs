//! The dashboard page over HTTP against a real datagen on a real socket: a workspace that saved
//! no dashboard opens on the starter, drawn on the server from its devices' data (a map, the
//! latest values, charts as SVG); the range is read from the address, and a bad one is named.

mod common;

use axum::http::StatusCode;
use backend::on_both;
use backend::testing::TestDbRef;
use common::acme_reading;
use datagen::sim::Metric;
use datagen::{Clock, Sim};
use std::sync::Arc;

const TOKEN: &str = "server-dashboards-test-token";

/// The battery level the datagen gives `device` at `now`.
fn battery_now(sim: &Sim, device: &datagen::sim::Device, now: i64) -> f64 {
    sim.fleet
        .latest(device, Metric::Battery, now, &[])
        .expect("battery")
        .1
}

/// A file to download: answered, of this type, saved under this name.
fn assert_download(res: &common::TestResponse, content_type: &str, file: &str) {
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.headers["content-type"], content_type);
    assert_eq!(
        res.headers["content-disposition"],
        format!("attachment; filename=\"{file}\"")
    );
}

on_both!(
    the_starter_dashboard_shows_the_devices_data_drawn_on_the_server,
    |t: TestDbRef| async move {
        let sim = Arc::new(Sim::new(5, 8, Clock::Wall));
        let (app, ada, _source) = acme_reading(&t, sim.clone(), TOKEN).await;

        // Before any device: a map of nothing and a note saying how to begin.
        let empty = app.get_as("/w/acme/dashboards", &ada).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
        assert!(empty.body.contains("Register devices"), "{}", empty.body);

        let ids: Vec<&str> = sim.fleet.devices().iter().map(|d| d.id.as_str()).collect();
        let res = app
            .call_as(
                "/api/register_discovered",
                &format!("slug=acme&ids={}", ids.join("+")),
                &ada,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let viewer_cookie = {
            app.add_member("acme", "vi@acme.example", "viewer").await;
            app.sign_in("acme", "vi@acme.example").await
        };

        let page = app.get_as("/w/acme/dashboards?range=6h", &ada).await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        assert!(body.contains("id=\"dashboard-name\">Overview<"), "{body}");
        assert!(
            body.contains("aria-current=\"page\" data-range=\"6h\""),
            "the 6h range is chosen"
        );
        // The map: every device at its place, drawn without JavaScript.
        assert_eq!(
            body.matches("<circle data-device=").count(),
            ids.len(),
            "{body}"
        );
        // The map of a large fleet loads its markers in the browser: the same devices, with
        // their popups' values, and none left out here.
        let fleet = app
            .call_as("/api/fleet_map", "slug=acme&widget=map", &ada)
            .await
            .json();
        let markers = fleet[0].as_array().expect("markers");
        assert_eq!(markers.len(), ids.len(), "{fleet}");
        assert_eq!(fleet[1], 0);
        assert!(
            markers
                .iter()
                .all(|m| m["lines"].as_array().is_some_and(|l| !l.is_empty())),
            "{fleet}"
        );
        let not_a_map = app
            .call_as("/api/fleet_map", "slug=acme&widget=welcome", &ada)
            .await;
        assert_eq!(
            not_a_map.status,
            StatusCode::NOT_FOUND,
            "{}",
            not_a_map.body
        );
        // The latest values: each device's battery as the source says it now.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        for device in sim.fleet.devices() {
            let battery = battery_now(&sim, device, now);
            assert!(
                body.contains(&format!("<td class=\"value\">{battery} %</td>")),
                "{} at {battery} %",
                device.name
            );
        }
        // Charts of the metrics every device reports, as SVG, one line per device.
        let charts = body.matches("class=\"chart\"><svg").count();
        assert_eq!(charts, 2, "{body}");
        assert!(body.matches("<polyline").count() >= 2 * ids.len(), "{body}");
        for device in sim.fleet.devices() {
            assert!(
                body.contains(&format!("data-series=\"{}\"", device.name)),
                "{}",
                device.name
            );
        }
        assert!(!body.contains("The data source is unavailable"));

        // The table's data as CSV, kept in the audit log.
        let csv = app
            .get_as(
                "/w/acme/dashboards/starter/widgets/latest/data.csv?range=6h",
                &ada,
            )
            .await;
        assert_download(
            &csv,
            "text/csv; charset=utf-8",
            "overview-latest-values.csv",
        );
        assert!(
            csv.body
                .starts_with("device,battery,battery unit,signal,signal unit,"),
            "{}",
            csv.body
        );
        assert_eq!(csv.body.lines().count(), 1 + ids.len(), "{}", csv.body);
        for device in sim.fleet.devices() {
            let battery = battery_now(&sim, device, now);
            assert!(
                csv.body.contains(&format!("{},{battery},%,", device.name)),
                "{} at {battery} %: {}",
                device.name,
                csv.body
            );
        }
        let png = app
            .get_as(
                "/w/acme/dashboards/starter/widgets/series-0/chart.png?range=6h",
                &ada,
            )
            .await;
        assert_download(&png, "image/png", "overview-battery.png");
        assert!(
            png.body.len() > 2_000,
            "a chart, not a blank: {} bytes",
            png.body.len()
        );
        assert!(body.contains("/w/acme/dashboards/starter/widgets/series-0/chart.png?range=6h"));
        let audit = app.call_as("/api/audit_log", "slug=acme", &ada).await;
        assert!(audit.body.contains("widget_exported"), "{}", audit.body);
        let missing = app
            .get_as("/w/acme/dashboards/starter/widgets/nope/data.csv", &ada)
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        // The viewer sees the same; a range that does not exist is named and replaced.
        let bad = app
            .get_as("/w/acme/dashboards?range=2w", &viewer_cookie)
            .await;
        assert_eq!(bad.status, StatusCode::OK);
        assert!(bad.body.contains("There is no range"), "{}", bad.body);
        assert!(bad
            .body
            .contains("aria-current=\"page\" data-range=\"24h\""));
        let custom = app
            .call_as(
                "/api/dashboard",
                "slug=acme&from=2026-12-01T00%3A00&to=2026-12-02T00%3A00",
                &viewer_cookie,
            )
            .await
            .json();
        assert_eq!(
            custom["range"],
            serde_json::json!({"Between": {"from": 1_796_083_200, "to": 1_796_169_600}})
        );
        // A dashboard that does not exist, or is not shown to the caller, is not found.
        let missing = app.get_as("/w/acme/dashboards/nope", &viewer_cookie).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
);

/// `widgets[i][field]=value` pairs, URL-encoded as a browser posts the editor's form.
fn widget_fields(i: usize, fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let value: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("&widgets%5B{i}%5D%5B{k}%5D={value}")
        })
        .collect()
}

on_both!(
    an_editor_builds_a_dashboard_with_the_form_and_a_viewer_cannot,
    |t: TestDbRef| async move {
        let sim = Arc::new(Sim::new(5, 4, Clock::Wall));
        let (app, ada, _source) = acme_reading(&t, sim.clone(), TOKEN).await;
        let ids: Vec<&str> = sim.fleet.devices().iter().map(|d| d.id.as_str()).collect();
        app.call_as(
            "/api/register_discovered",
            &format!("slug=acme&ids={}", ids.join("+")),
            &ada,
        )
        .await;
        app.add_member("acme", "ed@acme.example", "editor").await;
        app.add_member("acme", "vi@acme.example", "viewer").await;
        let ed = app.sign_in("acme", "ed@acme.example").await;
        let vi = app.sign_in("acme", "vi@acme.example").await;

        // With nothing saved, "new" opens the starter, ready to be kept.
        let editor = app.get_as("/w/acme/dashboards/new/edit", &ed).await;
        assert_eq!(editor.status, StatusCode::OK);
        assert!(
            editor.body.contains("value=\"Overview\""),
            "{}",
            editor.body
        );
        assert_eq!(
            app.get_as("/w/acme/dashboards/new/edit", &vi).await.status,
            StatusCode::FORBIDDEN
        );

        let first = ids[0];
        let form = format!(
            "slug=acme&name=Plant&visibility=everyone&is_default=yes{}{}{}",
            widget_fields(
                0,
                &[
                    ("kind", "stat"),
                    ("title", "Roof battery"),
                    ("x", "0"),
                    ("y", "0"),
                    ("w", "4"),
                    ("h", "2"),
                    ("devices", "devices"),
                    ("device_ids", first),
                    ("metrics", "battery"),
                    ("thresholds", "0 #c0392b, 20 #2a9d8f"),
                ]
            ),
            widget_fields(
                1,
                &[
                    ("kind", "note"),
                    ("title", "Read me"),
                    ("x", "4"),
                    ("y", "0"),
                    ("w", "8"),
                    ("h", "2"),
                    ("text", "<script>alert(1)</script> stays text"),
                ]
            ),
            widget_fields(2, &[("kind", ""), ("w", "6"), ("h", "3")]),
        );
        let refused = app.call_as("/api/save_dashboard", &form, &vi).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        // Devices without a group are the admins' alone: the editor may not name them.
        let hidden = app.call_as("/api/save_dashboard", &form, &ed).await;
        assert_eq!(hidden.status, StatusCode::BAD_REQUEST);
        assert!(
            hidden
                .body
                .contains(&format!("No device {first} is registered")),
            "{}",
            hidden.body
        );
        let saved = app.call_as("/api/save_dashboard", &form, &ada).await;
        assert!(
            saved.status.is_success() || saved.status.is_redirection(),
            "{} {}",
            saved.status,
            saved.body
        );

        let view = app
            .call_as("/api/dashboard", "slug=acme", &ada)
            .await
            .json();
        assert_eq!(view["dashboard"]["name"], "Plant", "{view}");
        assert_eq!(view["dashboard"]["is_default"], true);
        assert_eq!(
            view["panels"].as_array().map(Vec::len),
            Some(2),
            "the empty slot adds nothing"
        );
        let stat = &view["panels"][0]["data"]["Value"];
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let battery = battery_now(&sim, &sim.fleet.devices()[0], now);
        assert_eq!(stat["value"].as_f64(), Some(battery), "{view}");
        let id = view["dashboard"]["id"].as_str().expect("id").to_string();
        let page = app.get_as(&format!("/w/acme/dashboards/{id}"), &ada).await;
        assert!(
            page.body
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; stays text"),
            "a note is text"
        );
        assert!(!page.body.contains("<script>alert(1)"));
        let color = if battery >= 20.0 {
            "#2a9d8f"
        } else {
            "#c0392b"
        };
        assert!(
            page.body.contains(&format!("color: {color}")),
            "the threshold colours the value"
        );

        // A wrong field is named with its widget, and nothing changes.
        let bad = form.replace("widgets%5B0%5D%5Bw%5D=4", "widgets%5B0%5D%5Bw%5D=wide");
        let bad = bad
            .replace("name=Plant", &format!("name=Plant+2&id={id}"))
            .replace("&is_default=yes", "");
        let res = app.call_as("/api/save_dashboard", &bad, &ada).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
        assert!(res.body.contains("widgets.0.w"), "{}", res.body);
        // Posted without JavaScript, the same form goes back to the editor, which says why.
        let editor = "http://localhost/w/acme/dashboards/new/edit";
        let res = app
            .post_form_as("/api/save_dashboard", &bad, editor, &ada)
            .await;
        assert!(res.status.is_redirection(), "{} {}", res.status, res.body);
        let back = res
            .location()
            .strip_prefix("http://localhost")
            .expect("same site")
            .to_string();
        let page = app.get_as(&back, &ada).await;
        assert!(
            page.body
                .contains("Widget 1 (w): Enter a whole number from 1 for w."),
            "{}",
            page.body
        );

        let unknown = form.replace(first, "nope-1");
        let res = app.call_as("/api/save_dashboard", &unknown, &ada).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert!(
            res.body.contains("No device nope-1 is registered"),
            "{}",
            res.body
        );
        let view = app.call_as("/api/dashboard", "slug=acme", &vi).await.json();
        assert_eq!(view["dashboards"].as_array().map(Vec::len), Some(1));
        assert_eq!(view["dashboard"]["name"], "Plant", "shown to every member");

        // The editor's own dashboard of notes; then they delete the first one.
        let notes = format!(
            "slug=acme&name=Notes&visibility=everyone{}",
            widget_fields(
                0,
                &[
                    ("kind", "note"),
                    ("x", "0"),
                    ("y", "0"),
                    ("w", "12"),
                    ("h", "1"),
                    ("text", "Hi")
                ]
            )
        );
        let res = app.call_as("/api/save_dashboard", &notes, &ed).await;
        assert!(
            res.status.is_success() || res.status.is_redirection(),
            "{}",
            res.body
        );
        let view = app.call_as("/api/dashboard", "slug=acme", &vi).await.json();
        assert_eq!(view["dashboards"].as_array().map(Vec::len), Some(2));
        let res = app
            .call_as("/api/delete_dashboard", &format!("slug=acme&id={id}"), &ed)
            .await;
        assert!(
            res.status.is_success() || res.status.is_redirection(),
            "{}",
            res.body
        );
        let view = app.call_as("/api/dashboard", "slug=acme", &vi).await.json();
        assert_eq!(
            view["dashboard"]["name"], "Notes",
            "the one left opens first"
        );
        assert_eq!(view["dashboards"].as_array().map(Vec::len), Some(1));
    }
);

on_both!(
    an_operator_keeps_a_template_that_another_workspace_copies,
    |t: TestDbRef| async move {
        let app = common::TestApp::on(&t)
            .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
            .with_created_workspace("globex", "Globex", "gil@globex.example")
            .build()
            .await;
        let olga = app.olga().await;
        let gil = app.sign_in("globex", "gil@globex.example").await;
        // Acme's dashboard: a note, and a stat of one of Acme's own devices.
        let acme = app.workspace_db("acme").await;
        sqlx::query(
            "INSERT INTO dashboards (id, name, visibility, widgets, is_default, created_at, updated_at) \
             VALUES ('plant', 'Plant floor', '{\"to\":\"everyone\"}', $1, 1, 0, 0)",
        )
        .bind(
            serde_json::json!([
                {"id": "n", "kind": "note", "title": "Read me",
                 "place": {"x": 0, "y": 0, "w": 6, "h": 1}, "devices": {"by": "all"},
                 "text": "Shift notes"},
                {"id": "s", "kind": "stat", "title": "Boiler",
                 "place": {"x": 6, "y": 0, "w": 6, "h": 2},
                 "devices": {"by": "devices", "ids": ["acme-secret-device"]},
                 "metrics": ["temperature"]}
            ])
            .to_string(),
        )
        .execute(acme.pool())
        .await
        .expect("Acme's dashboard");

        // The back office lists Acme's dashboards; Olga keeps one as a template.
        let page = app.get_as("/admin/workspaces/acme", &olga).await;
        assert!(page.body.contains("Plant floor, kept as"), "{}", page.body);
        let kept = app
            .call_as(
                "/api/keep_template",
                "slug=acme&dashboard=plant&name=Factory+floor",
                &olga,
            )
            .await;
        assert!(
            kept.status.is_redirection() || kept.status.is_success(),
            "{}",
            kept.body
        );
        let again = app
            .call_as(
                "/api/keep_template",
                "slug=acme&dashboard=plant&name=Factory+floor",
                &olga,
            )
            .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
        assert!(
            again.body.contains("Another template has this name"),
            "{}",
            again.body
        );
        let templates = app.call_as("/api/admin_templates", "", &olga).await.json();
        let template = templates[0]["id"].as_str().expect("a template").to_string();
        assert!(
            !templates.to_string().contains("acme-secret-device"),
            "a template keeps no workspace's devices: {templates}"
        );
        let listed = app.get_as("/admin/templates", &olga).await;
        assert!(listed.body.contains("Factory floor"), "{}", listed.body);

        // Globex's owner sees it when starting a dashboard, and copies it twice.
        let editor = app
            .call_as("/api/dashboard_editor", "slug=globex&id=new", &gil)
            .await
            .json();
        assert_eq!(editor["templates"][0]["name"], "Factory floor");
        for _ in 0..2 {
            let copied = app
                .call_as(
                    "/api/copy_template",
                    &format!("slug=globex&template={template}"),
                    &gil,
                )
                .await;
            assert!(
                copied.status.is_redirection() || copied.status.is_success(),
                "{}",
                copied.body
            );
        }
        let globex = app.workspace_db("globex").await;
        let copies: Vec<(String, String)> =
            sqlx::query_as("SELECT name, widgets FROM dashboards ORDER BY name")
                .fetch_all(globex.pool())
                .await
                .expect("Globex's dashboards");
        let names: Vec<&str> = copies.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["Factory floor", "Factory floor (2)"]);
        assert!(copies[0].1.contains("Shift notes"), "{}", copies[0].1);
        assert!(
            !copies[0].1.contains("acme-secret-device"),
            "{}",
            copies[0].1
        );
        let page = app.get_as("/w/globex/dashboards", &gil).await;
        assert!(page.body.contains("Shift notes"), "{}", page.body);

        // Removed, it can be copied no more; the copies stay; both acts are in the audit log.
        let removed = app
            .call_as("/api/remove_template", &format!("id={template}"), &olga)
            .await;
        assert!(removed.status.is_success(), "{}", removed.body);
        let gone = app
            .call_as(
                "/api/copy_template",
                &format!("slug=globex&template={template}"),
                &gil,
            )
            .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
        let log: Vec<String> = sqlx::query_scalar("SELECT action FROM operator_audit ORDER BY at")
            .fetch_all(app.db.pool())
            .await
            .expect("operator audit");
        assert!(log.iter().any(|a| a == "template_kept"), "{log:?}");
        assert!(log.iter().any(|a| a == "template_removed"), "{log:?}");
    }
);
