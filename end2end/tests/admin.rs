//! The back office in Chromium, JavaScript off and on: an operator signs in, points a workspace
//! at its own data source (a real iot-rocket-datagen process), asks it, and points it back.

use anyhow::{ensure, Result};
use end2end::{run_spec_with, Ctx, Datagen};
use fantoccini::Locator;
use std::sync::OnceLock;

const PASSWORD: &str = "correct horse battery";
const DEVICES: u32 = 12;

static SOURCE: OnceLock<(String, String)> = OnceLock::new();

async fn click(cx: &Ctx<'_>, id: &str) -> Result<()> {
    cx.browser.find(Locator::Id(id)).await?.click().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_points_a_workspace_at_its_own_source() {
    let datagen = Datagen::start(DEVICES).await.expect("datagen");
    let [(_, url), (_, token)] = datagen.server_env();
    assert!(SOURCE.set((url, token)).is_ok());
    // The deployment reads no source (the default of the test server): only Acme's own answers.
    run_spec_with(
        "admin",
        |_| {},
        |cx: Ctx<'_>| {
            Box::pin(async move {
                let (url, token) = SOURCE.get().expect("source");
                let mode = if cx.javascript { "js" } else { "nojs" };
                let email = format!("ops-{mode}@startup.example");
                let db = cx.server.control_db().await?;
                backend::testing::seed_workspace(&db, "acme", "Acme Sensors", "active").await;
                backend::auth::operators::create(&db, &email, "Olga", PASSWORD).await?;
                db.close().await;

                cx.open("/admin/sign-in").await?;
                cx.fill("operator-email", &email).await?;
                cx.fill("operator-password", PASSWORD).await?;
                cx.submit("operator-email").await?;
                cx.wait_text("//p[@id='signed-in-as']", "Olga").await?;
                cx.wait_hydrated().await?;
                cx.browser
                    .find(Locator::LinkText("Acme Sensors"))
                    .await?
                    .click()
                    .await?;
                cx.wait_text("//p[@id='source-reads']", "Reads no source")
                    .await?;
                cx.wait_hydrated().await?;

                cx.fill("source-url", url).await?;
                cx.fill("source-token", token).await?;
                cx.submit("source-url").await?;
                let reads = cx
                    .wait_text("//p[@id='source-reads']", "Reads its own source")
                    .await?;
                ensure!(
                    reads.contains(url.as_str()) && reads.contains("with a token"),
                    "{reads}"
                );
                let html = cx.browser.source().await?;
                ensure!(
                    !html.contains(token.as_str()),
                    "the token never comes back to the page"
                );

                cx.wait_hydrated().await?;
                click(&cx, "check-source").await?;
                cx.wait_text(
                    "//p[@id='source-check']",
                    &format!("it has {DEVICES} devices"),
                )
                .await?;

                cx.wait_hydrated().await?;
                click(&cx, "source-clear").await?;
                cx.wait_text("//p[@id='source-reads']", "Reads no source")
                    .await?;
                Ok(())
            })
        },
    )
    .await;
    drop(datagen);
}
