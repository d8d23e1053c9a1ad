//! What a spec reads from or sets in the browser beyond WebDriver's elements, through
//! chromedriver's own commands and page scripts: the console, the time zone and colour scheme
//! the page sees, images drawn, computed colours.

use anyhow::{bail, Result};
use fantoccini::Client;
use serde_json::{json, Value};

/// chromedriver's "get the browser console log" command (not part of W3C WebDriver).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

/// chromedriver's "run a DevTools command" (Chromium only): `cmd` with `params`.
#[derive(Debug)]
struct DevTools(Value);

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

/// Makes the browser's pages run in the IANA time zone `zone` (say `Asia/Kolkata`), as if the
/// viewer lived there.
pub async fn set_time_zone(browser: &Client, zone: &str) -> Result<()> {
    browser
        .issue_cmd(DevTools(json!({
            "cmd": "Emulation.setTimezoneOverride",
            "params": { "timezoneId": zone },
        })))
        .await?;
    Ok(())
}

/// Waits until the image matched by `css` is loaded and drawn (its `load` event, or at once
/// when it already is); its natural width, 0 when it failed to load.
pub async fn wait_image_drawn(browser: &Client, css: &str) -> Result<u64> {
    let script = "const [css, done] = arguments; \
                  const img = document.querySelector(css); \
                  if (!img) { done(-1); } \
                  else if (img.complete) { done(img.naturalWidth); } \
                  else { img.addEventListener('load', () => done(img.naturalWidth)); \
                         img.addEventListener('error', () => done(0)); }";
    let width = browser.execute_async(script, vec![json!(css)]).await?;
    match width.as_i64() {
        Some(w) if w > 0 => Ok(w as u64),
        Some(-1) => bail!("no image {css}"),
        _ => bail!("the image {css} was not drawn"),
    }
}

/// The opaque colour in a computed CSS value (`rgb(1, 2, 3)` or `rgba(1, 2, 3, 1)`) as
/// `#rrggbb`; `None` for anything else, a see-through colour included.
pub fn css_hex(value: &str) -> Option<String> {
    let inner = value
        .trim()
        .strip_prefix("rgba(")
        .or_else(|| value.trim().strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    let channel = |i: usize| parts.get(i)?.parse::<u8>().ok();
    if parts.len() == 4 && parts[3].parse::<f64>().ok()? < 1.0 {
        return None;
    }
    Some(format!(
        "#{:02x}{:02x}{:02x}",
        channel(0)?,
        channel(1)?,
        channel(2)?
    ))
}

/// Makes the browser's pages see `prefers-color-scheme: <scheme>` (`light` or `dark`), as if
/// the viewer's system asked for it.
pub async fn set_color_scheme(browser: &Client, scheme: &str) -> Result<()> {
    browser
        .issue_cmd(DevTools(json!({
            "cmd": "Emulation.setEmulatedMedia",
            "params": { "features": [{ "name": "prefers-color-scheme", "value": scheme }] },
        })))
        .await?;
    Ok(())
}

/// Console messages of level SEVERE since the last call: script errors, panics, failed loads
/// and server errors. Chromium also reports every 4xx answer there; those are the app's
/// intended answers (a 404 page, a "not found" from a server function) and are left out.
pub async fn console_errors(browser: &Client) -> Result<Vec<String>> {
    let entries = browser.issue_cmd(BrowserLog).await?;
    Ok(entries
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .filter(|m| !m.contains("the server responded with a status of 4"))
        .collect())
}
