//! Live dashboards in Chromium: with JavaScript on, a value the datagen changes appears on the
//! open page without reloading it (without JavaScript the page stays as drawn and says nothing
//! of live updates); two server processes on one PostgreSQL: an edit made through process A
//! reaches a browser connected to process B.

use anyhow::{ensure, Context, Result};
use end2end::{run_spec_with, Ctx, Datagen, Driver, Server};
use fantoccini::Locator;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

/// A plain HTTP/1.1 POST to `base` (`http://host:port`); the status and the body.
async fn post(
    base: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &str,
) -> Result<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("an HTTP status")?;
    Ok((status, response))
}

/// Asks the datagen, through its GraphQL API, to spike every metric of every device.
async fn spike_everything(port: u16, token: &str) -> Result<()> {
    let base = format!("http://127.0.0.1:{port}");
    let auth = [
        ("Authorization", format!("Bearer {token}")),
        ("Content-Type", "application/json".to_string()),
    ];
    let (status, body) = post(
        &base,
        "/graphql",
        &auth,
        r#"{"query":"{ devices(limit: 100) { items { id } } }"}"#,
    )
    .await?;
    ensure!(status == 200, "{body}");
    let ids: Vec<String> = body
        .split("\"id\":\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_string))
        .collect();
    ensure!(!ids.is_empty(), "no device in {body}");
    let from = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs()
        - 86_400;
    for id in ids {
        let query = format!(
            r#"{{"query":"mutation {{ injectAnomaly(device: \"{id}\", kind: SPIKE, from: {from}) {{ from }} }}"}}"#
        );
        let (status, body) = post(&base, "/graphql", &auth, &query).await?;
        ensure!(status == 200 && !body.contains("\"errors\""), "{body}");
    }
    Ok(())
}

/// The texts of the latest-values table's cells.
async fn table_values(cx: &Ctx<'_>) -> Result<Vec<String>> {
    let mut values = Vec::new();
    for cell in cx
        .browser
        .find_all(Locator::Css("article[data-kind='table'] td.value"))
        .await?
    {
        values.push(cell.text().await?);
    }
    Ok(values)
}

/// Marks the page, so that a reload (which would lose the mark) can be told from a live change.
async fn mark_page(cx: &Ctx<'_>) -> Result<()> {
    cx.browser
        .execute("window.__not_reloaded = true;", vec![])
        .await?;
    Ok(())
}

async fn page_was_not_reloaded(cx: &Ctx<'_>) -> Result<bool> {
    Ok(cx
        .browser
        .execute("return window.__not_reloaded === true;", vec![])
        .await?
        .as_bool()
        .unwrap_or(false))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_the_datagen_changes_appears_without_reloading() {
    let datagen = Datagen::start(3).await.expect("datagen");
    let env = datagen.server_env();
    let configure = move |cmd: &mut tokio::process::Command| {
        cmd.envs(env.clone())
            .env("LIVE_INTERVAL_MS", "300")
            .env("MAP_TILE_URL", "/map/no-tiles/{z}/{x}/{y}.png");
    };
    let (port, token) = (datagen.port, datagen.token.clone());
    run_spec_with("live", configure, |cx: Ctx<'_>| {
        let token = token.clone();
        Box::pin(async move {
            let mode = if cx.javascript { "js" } else { "nojs" };
            let slug = format!("live-{mode}");
            cx.fleet_workspace(
                &slug,
                &format!("Live {mode}"),
                &format!("o-{mode}@live.example"),
                PASSWORD,
            ).await?;
            cx.open_dashboards(&slug).await?;
            let before = table_values(&cx).await?;
            ensure!(!before.is_empty(), "the table shows values");
            if !cx.javascript {
                // Nothing live without JavaScript: the page says nothing of it.
                let status = cx.text("#live-status").await?;
                ensure!(status.is_empty(), "{status:?}");
                return Ok(());
            }
            cx.wait_text("//p[@id='live-status']", "Live").await?;
            mark_page(&cx).await?;
            spike_everything(port, &token).await?;
            // The browser waits for any cell that no longer shows what it showed before.
            let changed = before
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    format!(
                        "(//article[@data-kind='table']//td[contains(@class, 'value')])[{}][normalize-space(.) != '{text}']",
                        i + 1
                    )
                })
                .collect::<Vec<_>>()
                .join(" | ");
            let found = cx
                .browser
                .wait()
                .at_most(Duration::from_secs(10))
                .for_element(Locator::XPath(&changed))
                .await;
            ensure!(found.is_ok(), "the table still shows {before:?}");
            ensure!(page_was_not_reloaded(&cx).await?, "the page was reloaded");
            Ok(())
        })
    })
    .await;
    drop(datagen);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_through_one_process_reaches_a_browser_on_another() {
    backend::testing::TestDb::run(backend::Engine::Postgres, |t| async move {
        let shared = |cmd: &mut tokio::process::Command| {
            cmd.env("DATABASE_URL", &t.url);
        };
        let a = Server::start_with(shared).await.expect("server A");
        let b = Server::start_with(shared).await.expect("server B");
        let driver = Driver::start().await.expect("chromedriver");
        let browser = driver.browser(true).await.expect("browser");
        let outcome = async {
            let on_a = Ctx {
                browser: &browser,
                server: &a,
                javascript: true,
            };
            on_a.create_workspace("twin", "Twin", "o@twin.example", PASSWORD)
                .await?;
            // The same browser on B: the session lives in the shared database (and cookies
            // do not tell ports apart).
            let on_b = Ctx {
                browser: &browser,
                server: &b,
                javascript: true,
            };
            on_b.open("/w/twin/dashboards").await?;
            on_b.wait_text("//h1[@id='dashboard-name']", "Overview")
                .await?;
            on_b.wait_text("//p[@id='live-status']", "Live").await?;
            mark_page(&on_b).await?;

            // The edit goes through A, with the browser's session.
            let cookie = browser
                .get_all_cookies()
                .await?
                .iter()
                .map(|c| format!("{}={}", c.name(), c.value()))
                .collect::<Vec<_>>()
                .join("; ");
            let form = "slug=twin&name=Wall&visibility=everyone&is_default=yes\
                &widgets[0][kind]=note&widgets[0][title]=Hello&widgets[0][x]=0&widgets[0][y]=0\
                &widgets[0][w]=6&widgets[0][h]=2&widgets[0][text]=Edited+through+A";
            let (status, body) = post(
                &a.base,
                "/api/save_dashboard",
                &[
                    ("Cookie", cookie),
                    ("Origin", a.base.clone()),
                    ("Content-Type", "application/x-www-form-urlencoded".into()),
                ],
                form,
            )
            .await?;
            ensure!((200..400).contains(&status), "{body}");

            on_b.wait_text("//h1[@id='dashboard-name']", "Wall").await?;
            on_b.wait_text("//article[@data-kind='note']", "Edited through A")
                .await?;
            ensure!(page_was_not_reloaded(&on_b).await?, "the page was reloaded");
            anyhow::Ok(())
        }
        .await;
        browser.close().await.ok();
        a.stop().await;
        b.stop().await;
        if let Err(e) = outcome {
            panic!("{e:#}");
        }
    })
    .await;
}
