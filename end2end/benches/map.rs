//! Time to render a dashboard map of a large fleet in Chromium: from the start of navigation
//! to every marker on the (clustered) Leaflet map, as the page itself reports it
//! (`data-map-ready`, `data-map-ms`). Run by `scripts/bench.sh` against its running server:
//!
//!   MAP_URL=http://127.0.0.1:3999/w/bench-1/dashboards EMAIL=… PASSWORD=… \
//!     cargo bench -p end2end --bench map          # ROUNDS=3
//!
//! It signs in through the workspace's sign-in page first, as a person would.

use anyhow::{bail, Context, Result};
use end2end::Driver;
use fantoccini::Locator;
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<()> {
    let url = std::env::var("MAP_URL").context("MAP_URL: the dashboard page to open")?;
    let email = std::env::var("EMAIL").context("EMAIL: a member of the workspace")?;
    let password = std::env::var("PASSWORD").context("PASSWORD: that member's password")?;
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let page = url::Url::parse(&url)?;
    let slug = page
        .path()
        .strip_prefix("/w/")
        .and_then(|rest| rest.split('/').next())
        .context("MAP_URL is a workspace's page (/w/<slug>/…)")?;
    let driver = Driver::start().await?;
    let browser = driver.browser(true).await?;
    browser
        .goto(page.join(&format!("/w/{slug}/sign-in"))?.as_str())
        .await?;
    browser
        .find(Locator::Id("sign-in-email"))
        .await?
        .send_keys(&email)
        .await?;
    let field = browser.find(Locator::Id("sign-in-password")).await?;
    field.send_keys(&password).await?;
    field.send_keys("\n").await?;
    browser
        .wait()
        .at_most(Duration::from_secs(30))
        .for_url(&page.join(&format!("/w/{slug}/"))?)
        .await
        .context("signing in did not reach the workspace's home")?;
    let mut figures = Vec::new();
    for _ in 0..rounds {
        browser.goto(&url).await?;
        let map = browser
            .wait()
            .at_most(Duration::from_secs(120))
            .for_element(Locator::Css(".device-map[data-map-ready]"))
            .await
            .context("the map never reported every marker drawn")?;
        let markers = map.attr("data-map-ready").await?.unwrap_or_default();
        let ms = map.attr("data-map-ms").await?.unwrap_or_default();
        figures.push((markers, ms));
    }
    browser.close().await.ok();
    if figures.is_empty() {
        bail!("no round ran");
    }
    println!("Map of a large fleet in Chromium ({url})");
    for (i, (markers, ms)) in figures.iter().enumerate() {
        let which = if i == 0 { "first load" } else { "again" };
        println!("  {which}: {markers} markers clustered and drawn {ms} ms after navigation began");
    }
    Ok(())
}
