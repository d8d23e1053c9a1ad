//! Devices in Chromium, JavaScript off and on, against a real iot-rocket-datagen process: an
//! owner discovers the source's devices and registers them, sees them listed with their status,
//! opens one with its values and charts; the source is killed and the list says so; restarted,
//! the same server recovers.

use anyhow::{ensure, Context, Result};
use end2end::{run_spec_with, Ctx, Datagen};
use fantoccini::Locator;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Mutex;

const PASSWORD: &str = "correct horse battery";
const DEVICES: u32 = 12;

static SOURCE: OnceLock<Mutex<Datagen>> = OnceLock::new();

async fn rows(cx: &Ctx<'_>) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for row in cx
        .browser
        .find_all(Locator::Css("table.devices tbody tr"))
        .await?
    {
        let id = row.attr("data-device").await?.unwrap_or_default();
        let status = row.attr("data-status").await?.unwrap_or_default();
        out.push((id, status));
    }
    Ok(out)
}

async fn banner(cx: &Ctx<'_>) -> Result<String> {
    Ok(cx
        .browser
        .find(Locator::Id("source-banner"))
        .await?
        .text()
        .await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_registers_the_sources_devices_and_sees_their_data() {
    let datagen = Datagen::start(DEVICES).await.expect("datagen");
    let env = datagen.server_env();
    // The spec reaches the datagen through SOURCE, to kill and restart it.
    assert!(SOURCE.set(Mutex::new(datagen)).is_ok());
    let configure = move |cmd: &mut tokio::process::Command| {
        // Every page asks the source, so an outage shows at the next load.
        cmd.envs(env.clone())
            .env("DATA_SOURCE_CACHE_SECONDS", "0")
            // A tile server that answers 404: maps fall back to the bundled outline.
            .env("MAP_TILE_URL", "/map/no-tiles/{z}/{x}/{y}.png");
    };
    run_spec_with("devices", configure, |cx: Ctx<'_>| {
        Box::pin(async move {
            let mode = if cx.javascript { "js" } else { "nojs" };
            let slug = format!("devices-{mode}");
            let owner = format!("owner-{mode}@devices.example");
            cx.create_workspace(&slug, &format!("Devices {mode}"), &owner, PASSWORD)
                .await?;

            cx.browser
                .find(Locator::Id("nav-devices"))
                .await?
                .click()
                .await?;
            cx.wait_text("//p[@id='devices-none']", "No device yet")
                .await?;
            cx.wait_hydrated().await?;
            cx.browser
                .find(Locator::Id("discover-link"))
                .await?
                .click()
                .await?;
            cx.wait_text(
                "//button[@id='register-all']",
                &format!("Register all {DEVICES}"),
            )
            .await?;
            cx.wait_hydrated().await?;
            cx.browser
                .find(Locator::Id("register-all"))
                .await?
                .click()
                .await?;
            cx.wait_path(&format!("/w/{slug}/devices")).await?;
            cx.wait_text("//p[@id='devices-count']", &format!("{DEVICES} devices"))
                .await?;
            let listed = rows(&cx).await?;
            ensure!(listed.len() == DEVICES as usize, "{listed:?}");
            ensure!(listed.iter().all(|(id, _)| !id.is_empty()), "{listed:?}");
            ensure!(
                listed.iter().any(|(_, s)| s == "online"),
                "some device reports: {listed:?}"
            );
            ensure!(banner(&cx).await?.is_empty());

            // Search narrows the list; the filter is kept in the address.
            let (first_id, _) = listed[0].clone();
            cx.fill("device-search", &first_id).await?;
            cx.submit("device-search").await?;
            cx.wait_text("//p[@id='devices-count']", "1 devices")
                .await?;
            ensure!(
                cx.path().await?.contains(&format!("search={first_id}")),
                "{}",
                cx.path().await?
            );

            // The device page: latest values with units and a chart per metric.
            cx.browser
                .find(Locator::Css("table.devices tbody tr td a"))
                .await?
                .click()
                .await?;
            cx.wait_text("//h2", "Latest values").await?;
            cx.wait_hydrated().await?;
            let charts = cx
                .browser
                .find_all(Locator::Css("svg.sparkline polyline"))
                .await?;
            ensure!(charts.len() >= 4, "{} charts", charts.len());
            let status = cx.text("#device-status").await?;
            ensure!(
                status.starts_with("online") || status.starts_with("offline"),
                "{status}"
            );
            let value = cx.text("#device-latest td.value").await?;
            ensure!(value.chars().any(|c| c.is_ascii_digit()), "{value}");
            let name = cx.text("#device-name").await?;
            if cx.javascript {
                // Leaflet took the box: a marker with the device's popup, and, as no tile
                // loads, the bundled world outline underneath.
                cx.browser
                    .wait()
                    .at_most(Duration::from_secs(10))
                    .for_element(Locator::Css(
                        ".device-map.leaflet-container path.map-outline",
                    ))
                    .await
                    .context("the world outline under the map")?;
                cx.browser
                    .find(Locator::Css(".device-map path.leaflet-interactive.marker"))
                    .await?
                    .click()
                    .await?;
                cx.wait_text("//div[contains(@class, 'leaflet-popup-content')]//a", &name)
                    .await?;
            } else {
                // The server's drawing: the outline and the device's marker.
                let marker = cx
                    .browser
                    .find(Locator::Css(
                        ".device-map svg.map-fallback circle.marker title",
                    ))
                    .await?
                    .html(true)
                    .await?;
                ensure!(marker == name, "{marker} is not {name}");
                cx.browser
                    .find(Locator::Css(".device-map svg.map-fallback image"))
                    .await?;
            }

            // The source dies: the list still shows the devices and says the source is down.
            let source = SOURCE.get().context("source")?;
            source.lock().await.kill().await;
            cx.open(&format!("/w/{slug}/devices")).await?;
            let down = banner(&cx).await?;
            ensure!(down.contains("The data source is unavailable"), "{down:?}");
            ensure!(rows(&cx).await?.len() == DEVICES as usize);

            // It comes back: the same server recovers without a restart.
            // The server rests a failing source for 2 s; reload until it asks again.
            source.lock().await.restart().await?;
            for _ in 0..50 {
                cx.open(&format!("/w/{slug}/devices")).await?;
                if banner(&cx).await?.is_empty() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            ensure!(
                banner(&cx).await?.is_empty(),
                "still unavailable: {:?}",
                banner(&cx).await?
            );
            Ok(())
        })
    })
    .await;
}
