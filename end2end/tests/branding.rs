//! Co-branding in Chromium, with JavaScript off and on: an owner gives the workspace its name,
//! colour and logo on the brand page, the header wears them at once, and a logo with script in
//! it is refused with the reason on the page.

use anyhow::{ensure, Result};
use end2end::{run_spec, scratch_dir, Ctx};
use fantoccini::Locator;

const PASSWORD: &str = "correct horse battery";
const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8" width="32" height="32" aria-label="Acme Farms"><rect width="8" height="8" fill="#8e24aa"/></svg>"##;
const EVIL: &str = r#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="8" height="8" onclick="alert(1)"/></svg>"#;

async fn header_name(cx: &Ctx<'_>) -> Result<String> {
    cx.text(".site-header .brand-name").await
}

/// Chooses `file` in the logo form and sends it (a plain form post, also with JavaScript on).
async fn upload(cx: &Ctx<'_>, file: &std::path::Path) -> Result<()> {
    let input = cx.browser.find(Locator::Id("brand-logo-file")).await?;
    input.send_keys(&file.display().to_string()).await?;
    cx.browser
        .find(Locator::Id("brand-upload"))
        .await?
        .click()
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_brands_the_workspace_and_a_scripted_logo_is_refused() {
    let files = scratch_dir("iotr-logos");
    let logo = files.join("acme.svg");
    let evil = files.join("evil.svg");
    std::fs::write(&logo, LOGO).expect("logo");
    std::fs::write(&evil, EVIL).expect("evil");
    run_spec("branding", |cx: Ctx<'_>| {
        let (logo, evil) = (logo.clone(), evil.clone());
        Box::pin(async move {
            let mode = if cx.javascript { "js" } else { "nojs" };
            let slug = format!("brand-{mode}");
            cx.create_workspace(&slug, "Acme", &format!("o-{mode}@acme.example"), PASSWORD)
                .await?;
            ensure!(
                header_name(&cx).await? == "IoT Rocket",
                "the theme's name first"
            );

            cx.open(&format!("/w/{slug}/")).await?;
            cx.browser
                .find(Locator::Id("nav-brand"))
                .await?
                .click()
                .await?;
            cx.wait_path(&format!("/w/{slug}/branding")).await?;
            cx.wait_hydrated().await?;
            cx.fill("brand-name", "Acme Farms").await?;
            cx.fill("brand-colour", "#8e24aa").await?;
            cx.submit("brand-name").await?;
            cx.wait_text(
                "//header//span[contains(@class,'brand-name')]",
                "Acme Farms",
            )
            .await?;
            cx.wait_hydrated().await?;
            let button = cx
                .browser
                .find(Locator::Css("#brand-upload"))
                .await?
                .css_value("background-color")
                .await?;
            ensure!(
                end2end::css_hex(&button).as_deref() == Some("#8e24aa"),
                "buttons in the brand's colour: {button}"
            );

            upload(&cx, &logo).await?;
            cx.wait_path(&format!("/w/{slug}/branding?logo=saved"))
                .await?;
            cx.wait_text("//p[@id='brand-status']", "The logo is saved.")
                .await?;
            let img = cx.browser.find(Locator::Id("brand-logo")).await?;
            let src = img.attr("src").await?.unwrap_or_default();
            ensure!(
                src.starts_with(&format!("/w/{slug}/brand/logo?v=")),
                "header logo {src}"
            );
            let width = end2end::wait_image_drawn(cx.browser, "#brand-logo").await?;
            ensure!(width == 32, "the uploaded logo is drawn {width} px wide");

            upload(&cx, &evil).await?;
            cx.wait_path(&format!("/w/{slug}/branding")).await?;
            let said = cx.text("#form-flash").await?;
            ensure!(
                said.contains("The logo was not saved") && said.contains("event attribute"),
                "{said}"
            );
            // The good logo stays.
            let still = cx
                .browser
                .find(Locator::Id("brand-logo"))
                .await?
                .attr("src")
                .await?;
            ensure!(
                still.as_deref() == Some(src.as_str()),
                "logo after the refusal: {still:?}"
            );

            // Following the header's link to the landing page (a move inside the page's router
            // with JavaScript on) leaves Acme's brand behind: the landing page is the product's.
            cx.browser
                .find(Locator::Css(".site-header a.brand"))
                .await?
                .click()
                .await?;
            cx.wait_path("/").await?;
            cx.wait_text(
                "//header//span[contains(@class,'brand-name')]",
                "IoT Rocket",
            )
            .await?;
            cx.wait_hydrated().await?;
            let button = cx
                .browser
                .find(Locator::Css(".landing .card button"))
                .await?
                .css_value("background-color")
                .await?;
            ensure!(
                end2end::css_hex(&button).as_deref() == Some("#3454d1"),
                "the landing page's buttons in the theme's colour: {button}"
            );
            Ok(())
        })
    })
    .await;
    std::fs::remove_dir_all(files).ok();
}
