//! Time to render a dashboard map of a large fleet in Chromium: from the start of navigation
//! to every marker on the (clustered) Leaflet map, as the page itself reports it
//! (`data-map-ready`, `data-map-ms`). Run by `scripts/bench.sh` against its running server:
//!
//!   MAP_URL=http://127.0.0.1:3999/w/bench-1/dashboards COOKIE='name=value' \
//!     cargo bench -p end2end --bench map          # ROUNDS=3

use anyhow::{bail, Context, Result};
use end2end::Driver;
use fantoccini::cookies::Cookie;
use fantoccini::Locator;
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<()> {
    let url = std::env::var("MAP_URL").context("MAP_URL: the dashboard page to open")?;
    let cookie = std::env::var("COOKIE").context("COOKIE: name=value of a session")?;
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let (name, value) = cookie.split_once('=').context("COOKIE is name=value")?;
    let base = url::Url::parse(&url)?;
    let driver = Driver::start().await?;
    let browser = driver.browser(true).await?;
    browser.goto(base.join("/healthz")?.as_str()).await?;
    browser
        .add_cookie(Cookie::new(name.to_string(), value.to_string()))
        .await?;
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
