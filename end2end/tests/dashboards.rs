//! The starter dashboard in Chromium, JavaScript off and on, over a real iot-rocket-datagen
//! process: charts drawn on the server are readable without JavaScript; with it, choosing
//! another range redraws them in the browser and a table sorts by a column. The owner then keeps
//! the starter as a dashboard of their own with the editor, with a note added.

use anyhow::{ensure, Result};
use end2end::{run_spec_with, Ctx, Datagen};
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::Locator;

const PASSWORD: &str = "correct horse battery";
const DEVICES: u32 = 6;

async fn battery_order(cx: &Ctx<'_>) -> Result<Vec<f64>> {
    let mut values = Vec::new();
    for row in cx
        .browser
        .find_all(Locator::Css("article[data-kind='table'] tbody tr"))
        .await?
    {
        let cell = row.find(Locator::Css("td.value")).await?.text().await?;
        values.push(
            cell.trim_end_matches(" %")
                .parse::<f64>()
                .unwrap_or(f64::NAN),
        );
    }
    Ok(values)
}

async fn sort_by_battery(cx: &Ctx<'_>) -> Result<()> {
    cx.browser
        .find(Locator::XPath(
            "//article[@data-kind='table']//th[2]/button",
        ))
        .await?
        .click()
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_reads_the_starter_dashboard_and_changes_its_range() {
    let datagen = Datagen::start(DEVICES).await.expect("datagen");
    let env = datagen.server_env();
    let configure = move |cmd: &mut tokio::process::Command| {
        cmd.envs(env.clone())
            .env("MAP_TILE_URL", "/map/no-tiles/{z}/{x}/{y}.png");
    };
    run_spec_with("dashboards", configure, |cx: Ctx<'_>| {
        Box::pin(async move {
            let mode = if cx.javascript { "js" } else { "nojs" };
            let slug = format!("boards-{mode}");
            let owner = format!("owner-{mode}@boards.example");
            cx.fleet_workspace(&slug, &format!("Boards {mode}"), &owner, PASSWORD)
                .await?;

            cx.open(&format!("/w/{slug}/")).await?;
            cx.browser
                .find(Locator::Id("nav-dashboards"))
                .await?
                .click()
                .await?;
            cx.wait_text("//h1[@id='dashboard-name']", "Overview")
                .await?;
            cx.wait_hydrated().await?;
            cx.wait_text("//p[@id='dashboard-range']", "Last 24 hours")
                .await?;
            // Two charts, one line per device, each with the value it ends on.
            let charts = cx
                .browser
                .find_all(Locator::Css("article .chart svg"))
                .await?;
            ensure!(charts.len() == 2, "{} charts", charts.len());
            let legend = cx
                .browser
                .find_all(Locator::Css(
                    "article[data-kind='time_series'] .chart-legend li",
                ))
                .await?;
            ensure!(
                legend.len() == 2 * DEVICES as usize,
                "{} legend lines",
                legend.len()
            );
            let first = legend[0].text().await?;
            ensure!(first.ends_with(" %"), "battery in percent: {first}");
            let rows = battery_order(&cx).await?;
            ensure!(rows.len() == DEVICES as usize, "{rows:?}");

            // Another range, from the picker: the address keeps it and the charts follow.
            cx.browser
                .find(Locator::Css("a[data-range='1h']"))
                .await?
                .click()
                .await?;
            cx.wait_text("//p[@id='dashboard-range']", "Last hour")
                .await?;
            ensure!(
                cx.path().await?.ends_with("?range=1h"),
                "{}",
                cx.path().await?
            );
            let labels = cx
                .browser
                .find(Locator::Css("article[data-kind='time_series'] .chart svg"))
                .await?
                .html(false)
                .await?;
            ensure!(labels.contains(":"), "clock labels for an hour");

            if cx.javascript {
                // Over a chart, the values under the pointer.
                let chart = cx
                    .browser
                    .find(Locator::Css("article[data-kind='time_series'] .chart"))
                    .await?;
                let hover = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
                    element: chart,
                    duration: None,
                    x: 0.0,
                    y: 0.0,
                });
                cx.browser.perform_actions(hover).await?;
                let tip = cx
                    .wait_text(
                        "//article[@data-kind='time_series']//p[@class='chart-tip']",
                        "UTC",
                    )
                    .await?;
                ensure!(
                    tip.contains(" %"),
                    "battery values under the pointer: {tip}"
                );

                // The table sorts by battery, then the other way.
                sort_by_battery(&cx).await?;
                let up = battery_order(&cx).await?;
                ensure!(up.windows(2).all(|w| w[0] <= w[1]), "ascending: {up:?}");
                sort_by_battery(&cx).await?;
                let down = battery_order(&cx).await?;
                ensure!(
                    down.windows(2).all(|w| w[0] >= w[1]),
                    "descending: {down:?}"
                );
            }
            // An editor keeps the starter as a dashboard of their own, with a note added.
            cx.wait_hydrated().await?;
            cx.browser
                .find(Locator::Id("dashboard-edit"))
                .await?
                .click()
                .await?;
            cx.wait_text("//h1", "New dashboard").await?;
            cx.wait_hydrated().await?;
            let slots = cx
                .browser
                .find_all(Locator::Css("fieldset.widget-form"))
                .await?;
            let new_slot = slots.len() - 2;
            cx.fill("dashboard-name-input", &format!("Plant {mode}"))
                .await?;
            cx.browser
                .find(Locator::Id(&format!("widget-{new_slot}-kind")))
                .await?
                .select_by_value("note")
                .await?;
            cx.fill(&format!("widget-{new_slot}-y"), "8").await?;
            cx.fill(
                &format!("widget-{new_slot}-text"),
                &format!("Hello from {mode}"),
            )
            .await?;
            cx.browser
                .find(Locator::Id("dashboard-save"))
                .await?
                .click()
                .await?;
            cx.wait_text("//h1[@id='dashboard-name']", &format!("Plant {mode}"))
                .await?;
            cx.wait_text(
                "//article[@data-kind='note']",
                &format!("Hello from {mode}"),
            )
            .await?;
            ensure!(
                cx.path()
                    .await?
                    .starts_with(&format!("/w/{slug}/dashboards/")),
                "{}",
                cx.path().await?
            );
            Ok(())
        })
    })
    .await;
    drop(datagen);
}
