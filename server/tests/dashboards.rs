//! The dashboard page over HTTP against a real datagen on a real socket: a workspace that saved
//! no dashboard opens on the starter, drawn on the server from its devices' data (a map, the
//! latest values, charts as SVG); the range is read from the address, and a bad one is named.

mod common;

use axum::http::StatusCode;
use backend::on_both;
use backend::testing::TestDbRef;
use common::{datagen_on, free_addr, TestApp};
use datagen::sim::Metric;
use datagen::{Clock, Sim};
use std::sync::Arc;

const TOKEN: &str = "server-dashboards-test-token";

on_both!(
    the_starter_dashboard_shows_the_devices_data_drawn_on_the_server,
    |t: TestDbRef| async move {
        let sim = Arc::new(Sim::new(5, 8, Clock::Wall));
        let addr = free_addr();
        let (_stop, _task) = datagen_on(sim.clone(), addr, TOKEN).await;
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
            .data_source(&format!("http://{addr}/graphql"), TOKEN)
            .build()
            .await;
        let ada = app.sign_in("acme", "ada@acme.example").await;

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
        // The latest values: each device's battery as the source says it now.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        for device in sim.fleet.devices() {
            let battery = sim
                .fleet
                .latest(device, Metric::Battery, now, &[])
                .expect("battery")
                .1;
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
