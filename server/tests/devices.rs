//! Device pages over HTTP against a real datagen on a real socket: discovery and registration,
//! the list with online status, the device page with its values and charts, a source that goes
//! down (the pages say so) and comes back (they recover without a restart), and a CSV import
//! with a bad row.

mod common;

use axum::http::StatusCode;
use backend::on_both;
use backend::testing::TestDbRef;
use common::{acme_reading, datagen_on, free_addr, TestApp};
use datagen::sim::Metric;
use datagen::{Clock, Sim};
use std::sync::Arc;
use std::time::Duration;

const TOKEN: &str = "server-devices-test-token";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

on_both!(
    device_pages_show_the_sources_data_and_survive_its_outage,
    |t: TestDbRef| async move {
        let sim = Arc::new(Sim::new(9, 30, Clock::Wall));
        let (app, ada, source) = acme_reading(&t, sim.clone(), TOKEN).await;
        let (addr, stop, task) = (source.addr, source.stop, source.task);

        // Discovery lists the source's 30 devices; register the first five.
        let found = app
            .call_as("/api/discover_devices", "slug=acme", &ada)
            .await
            .json();
        assert_eq!(found["found"].as_array().map(Vec::len), Some(30), "{found}");
        let chosen: Vec<&datagen::sim::Device> = sim.fleet.devices()[..5].iter().collect();
        let ids: Vec<&str> = chosen.iter().map(|d| d.id.as_str()).collect();
        let res = app
            .call_as(
                "/api/register_discovered",
                &format!("slug=acme&ids={}", ids.join("+")),
                &ada,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json(), 5);
        let found = app
            .call_as("/api/discover_devices", "slug=acme", &ada)
            .await
            .json();
        assert_eq!(
            found["found"].as_array().map(Vec::len),
            Some(25),
            "registered ones are not offered again"
        );

        // The list, rendered on the server: every device with its status from its last reading.
        let page = app.get_as("/w/acme/devices", &ada).await;
        assert_eq!(page.status, StatusCode::OK);
        let now = now();
        for device in &chosen {
            assert!(page.body.contains(&device.name), "{} missing", device.name);
            let last = device
                .kind
                .metrics()
                .iter()
                .filter_map(|&m| sim.fleet.latest(device, m, now, &[]))
                .map(|(t, _)| t)
                .max();
            let status = if model::devices::online(last, now) {
                "online"
            } else {
                "offline"
            };
            assert!(
                page.body.contains(&format!(
                    "data-device=\"{}\" data-status=\"{status}\"",
                    device.id
                )),
                "{} should be {status}",
                device.id
            );
        }
        assert!(!page.body.contains("The data source is unavailable"));

        // The device page: latest values with units and one chart per metric.
        let listing = app
            .call_as("/api/devices", "slug=acme&search=", &ada)
            .await
            .json();
        let first = listing["page"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["external_id"] == chosen[0].id.as_str())
            .cloned()
            .expect("first device listed");
        let path = format!("/w/acme/devices/{}", first["id"].as_str().unwrap());
        let detail = app.get_as(&path, &ada).await;
        assert_eq!(detail.status, StatusCode::OK);
        let metrics = chosen[0].kind.metrics();
        assert_eq!(
            detail.body.matches("class=\"sparkline\"").count(),
            metrics.len(),
            "{}",
            detail.body
        );
        let battery = sim
            .fleet
            .latest(chosen[0], Metric::Battery, now, &[])
            .unwrap()
            .1;
        assert!(
            detail.body.contains(&format!("{battery} %")),
            "battery {battery} % on the page"
        );
        // Its place on a map drawn on the server: a marker where it last reported being.
        let device = app
            .call_as(
                "/api/device",
                &format!("slug=acme&id={}", first["id"].as_str().unwrap()),
                &ada,
            )
            .await
            .json();
        let device: model::devices::DeviceDetailView =
            serde_json::from_value(device).expect("detail view");
        let (lat, lon) = model::map::position(
            (device.device.latitude, device.device.longitude),
            &device.latest,
        )
        .expect("datagen devices have a place");
        assert!(
            detail.body.contains("class=\"device-map\""),
            "{}",
            detail.body
        );
        assert!(
            detail.body.contains(&format!(
                "data-device=\"{}\" cx=\"{lon:.4}\" cy=\"{:.4}\"",
                device.device.id, -lat
            )),
            "a marker at {lat}, {lon}: {}",
            detail.body
        );

        // The source goes down: the pages still show the registry and say what is wrong.
        stop.send(()).unwrap();
        task.await.unwrap();
        let down = app.get_as("/w/acme/devices", &ada).await;
        assert_eq!(down.status, StatusCode::OK);
        assert!(
            down.body.contains("The data source is unavailable"),
            "{}",
            down.body
        );
        assert!(down.body.contains(&chosen[0].name));
        let detail_down = app.get_as(&path, &ada).await;
        assert!(detail_down.body.contains("The data source is unavailable"));

        // It comes back on the same address: the same server recovers.
        // The connector rests a failing source for 2 s; ask until it is asked again.
        let (_stop, _task) = datagen_on(sim.clone(), addr, TOKEN).await;
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let back = app.get_as("/w/acme/devices", &ada).await;
            if !back.body.contains("The data source is unavailable") {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "not recovered within 10 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
);

on_both!(
    a_csv_import_with_a_bad_row_imports_nothing_and_says_where,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
            .build()
            .await;
        let ada = app.sign_in("acme", "ada@acme.example").await;
        let csv = "external_id,name,latitude,longitude%0Awx-1,One,45,4%0Awx-2,Two,north,4%0A";
        let res = app
            .call_as(
                "/api/import_devices",
                &format!("slug=acme&csv={}", csv.replace(',', "%2C")),
                &ada,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let report = res.json();
        assert_eq!(report["imported"], 0);
        assert_eq!(report["problems"][0]["line"], 3);
        assert_eq!(report["problems"][0]["column"], "latitude");
        let list = app.call_as("/api/devices", "slug=acme", &ada).await.json();
        assert_eq!(list["page"]["total"], 0);
        // Without a data source the list still shows, saying the source is unavailable only when
        // there is something to ask it about.
        let good = "external_id,name%0Awx-1,One%0A".replace(',', "%2C");
        let res = app
            .call_as(
                "/api/import_devices",
                &format!("slug=acme&csv={good}"),
                &ada,
            )
            .await;
        assert_eq!(res.json()["imported"], 1);
        let page = app.get_as("/w/acme/devices", &ada).await;
        assert!(page.body.contains("One") && page.body.contains("The data source is unavailable"));
    }
);

on_both!(
    an_admin_changes_a_device_and_its_metadata_stays,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
            .build()
            .await;
        let ada = app.sign_in("acme", "ada@acme.example").await;
        let csv = "external_id,name,serial%0Apump-1,Pump,SN-77%0A".replace(',', "%2C");
        let res = app
            .call_as("/api/import_devices", &format!("slug=acme&csv={csv}"), &ada)
            .await;
        assert_eq!(res.json()["imported"], 1);
        let list = app.call_as("/api/devices", "slug=acme", &ada).await.json();
        let id = list["page"]["items"][0]["id"]
            .as_str()
            .expect("id")
            .to_string();
        let form = format!(
            "slug=acme&device_id={id}&external_id=pump-1&name=Main+pump&kind=PUMP\
             &location=45.5%2C+4.25&tags=hall%2C+north"
        );
        let res = app.call_as("/api/update_device", &form, &ada).await;
        assert!(res.status.is_success(), "{} {}", res.status, res.body);
        let device = app
            .call_as("/api/device", &format!("slug=acme&id={id}"), &ada)
            .await
            .json();
        let d = &device["device"];
        assert_eq!(d["name"], "Main pump");
        assert_eq!(d["kind"], "PUMP");
        assert_eq!(
            (d["latitude"].as_f64(), d["longitude"].as_f64()),
            (Some(45.5), Some(4.25))
        );
        assert_eq!(d["tags"], serde_json::json!(["hall", "north"]));
        assert_eq!(
            d["metadata"]["serial"], "SN-77",
            "the form does not carry metadata; it stays"
        );
        let bad = app
            .call_as(
                "/api/update_device",
                &format!("slug=acme&device_id={id}&external_id=pump-1&name=X&location=north"),
                &ada,
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.body.contains(model::devices::LOCATION_FORMAT),
            "{}",
            bad.body
        );
    }
);

on_both!(
    an_operator_points_a_workspace_at_its_own_source_from_the_back_office,
    |t: TestDbRef| async move {
        let sim = Arc::new(Sim::new(9, 30, Clock::Wall));
        let addr = free_addr();
        let (_stop, _task) = datagen_on(sim.clone(), addr, TOKEN).await;
        let theirs = sim.fleet.devices()[1].id.clone();
        // The deployment has no source: only the workspace's own can answer.
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
            .build()
            .await;
        let olga = app.olga().await;
        let ada = app.sign_in("acme", "ada@acme.example").await;
        // A device known by another id at the source.
        let csv = "external_id,name%0Aroof-1,Roof station%0A".replace(',', "%2C");
        let res = app
            .call_as("/api/import_devices", &format!("slug=acme&csv={csv}"), &ada)
            .await;
        assert_eq!(res.json()["imported"], 1);
        let page = app.get_as("/admin/workspaces/acme", &olga).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Reads no source"), "{}", page.body);

        // Bad input is refused with its reason, and changes nothing.
        let url = format!("http://{addr}/graphql");
        let bad_map = app
            .call_as(
                "/api/set_workspace_source",
                &format!("slug=acme&url={url}&token={TOKEN}&id_map=roof-1+%3D+{theirs}%0Alonely"),
                &olga,
            )
            .await;
        assert_eq!(bad_map.status, StatusCode::BAD_REQUEST);
        assert!(bad_map.body.contains("Line 2"), "{}", bad_map.body);
        let bad_url = app
            .call_as(
                "/api/set_workspace_source",
                "slug=acme&url=file%3A%2F%2F%2Fetc%2Fpasswd",
                &olga,
            )
            .await;
        assert_eq!(bad_url.status, StatusCode::BAD_REQUEST, "{}", bad_url.body);
        let view = app
            .call_as("/api/admin_workspace", "slug=acme", &olga)
            .await
            .json();
        assert!(view["own_source"].is_null(), "{view}");

        let res = app
            .call_as(
                "/api/set_workspace_source",
                &format!("slug=acme&url={url}&token={TOKEN}&id_map=roof-1+%3D+{theirs}"),
                &olga,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let view = app
            .call_as("/api/admin_workspace", "slug=acme", &olga)
            .await;
        assert!(
            !view.body.contains(TOKEN),
            "the token never comes back: {}",
            view.body
        );
        let view = view.json();
        assert_eq!(view["own_source"]["has_token"], true);
        assert_eq!(
            view["own_source"]["id_map"],
            serde_json::json!([["roof-1", theirs]])
        );
        let page = app.get_as("/admin/workspaces/acme?check=1", &olga).await;
        assert!(!page.body.contains(TOKEN));
        assert!(page.body.contains("it has 30 devices"), "{}", page.body);
        assert!(
            page.body.contains(&format!("roof-1 = {theirs}")),
            "{}",
            page.body
        );

        // The workspace's pages now read its source, through the id map.
        let listing = app.call_as("/api/devices", "slug=acme", &ada).await.json();
        let id = listing["page"]["items"][0]["id"]
            .as_str()
            .expect("id")
            .to_string();
        let detail = app
            .call_as("/api/device", &format!("slug=acme&id={id}"), &ada)
            .await
            .json();
        let battery = sim
            .fleet
            .latest(&sim.fleet.devices()[1], Metric::Battery, now(), &[])
            .expect("battery")
            .1;
        let latest = detail["latest"].as_array().expect("latest");
        assert!(
            latest
                .iter()
                .any(|r| r["metric"] == "battery" && r["value"].as_f64() == Some(battery)),
            "{detail}"
        );

        // Saving without a token keeps it; the operator log tells who changed what.
        let res = app
            .call_as(
                "/api/set_workspace_source",
                &format!("slug=acme&url={url}&id_map="),
                &olga,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let page = app.get_as("/admin/workspaces/acme?check=1", &olga).await;
        assert!(
            page.body.contains("it has 30 devices"),
            "the token was kept: {}",
            page.body
        );
        let overview = app.call_as("/api/admin_overview", "", &olga).await;
        assert!(overview.body.contains("workspace_source_changed"));
        assert!(!overview.body.contains(TOKEN));

        let res = app
            .call_as("/api/clear_workspace_source", "slug=acme", &olga)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let page = app.get_as("/admin/workspaces/acme?check=1", &olga).await;
        assert!(page.body.contains("Reads no source"), "{}", page.body);
        assert!(
            page.body.contains("There is no source to ask"),
            "{}",
            page.body
        );
    }
);
