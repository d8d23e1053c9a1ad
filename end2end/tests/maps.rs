//! A dashboard over a fleet in Chromium: the map clusters sixty devices and reports every one
//! drawn, and the charts read the viewer's clock (a viewer in India sees UTC+05:30); without
//! JavaScript the server's map holds every device and the charts say they are in UTC.

use anyhow::{ensure, Result};
use end2end::{run_spec_with, set_time_zone, Ctx, Datagen};
use fantoccini::Locator;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";
const DEVICES: u32 = 60;

async fn zones(cx: &Ctx<'_>) -> Result<Vec<String>> {
    let mut texts = Vec::new();
    for p in cx.browser.find_all(Locator::Css("p.chart-zone")).await? {
        texts.push(p.text().await?);
    }
    Ok(texts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_map_clusters_and_charts_read_the_viewers_clock() {
    let datagen = Datagen::start(DEVICES).await.expect("datagen");
    let env = datagen.server_env();
    let configure = move |cmd: &mut tokio::process::Command| {
        cmd.envs(env.clone())
            .env("MAP_TILE_URL", "/map/no-tiles/{z}/{x}/{y}.png");
    };
    run_spec_with("maps", configure, |cx: Ctx<'_>| {
        Box::pin(async move {
            let mode = if cx.javascript { "js" } else { "nojs" };
            let slug = format!("fleet-{mode}");
            cx.fleet_workspace(
                &slug,
                &format!("Fleet {mode}"),
                &format!("o-{mode}@fleet.example"),
                PASSWORD,
            )
            .await?;
            if cx.javascript {
                set_time_zone(cx.browser, "Asia/Kolkata").await?;
            }
            cx.open_dashboards(&slug).await?;
            if !cx.javascript {
                let dots = cx
                    .browser
                    .find_all(Locator::Css(".device-map circle[data-device]"))
                    .await?;
                ensure!(
                    dots.len() == DEVICES as usize,
                    "{} devices on the server's map",
                    dots.len()
                );
                let zones = zones(&cx).await?;
                ensure!(
                    !zones.is_empty() && zones.iter().all(|z| z == "Times in UTC"),
                    "{zones:?}"
                );
                return Ok(());
            }
            let map = cx
                .browser
                .wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::Css(".device-map[data-map-ready]"))
                .await?;
            let ready = map.attr("data-map-ready").await?.unwrap_or_default();
            ensure!(ready == DEVICES.to_string(), "{ready} markers drawn");
            let clusters = cx
                .browser
                .find_all(Locator::Css(".device-map .marker-cluster"))
                .await?;
            ensure!(!clusters.is_empty(), "nearby devices are clustered");
            cx.wait_text("//p[@class='chart-zone']", "UTC+05:30")
                .await?;
            let zones = zones(&cx).await?;
            ensure!(zones.iter().all(|z| z == "Times in UTC+05:30"), "{zones:?}");
            Ok(())
        })
    })
    .await;
    drop(datagen);
}
