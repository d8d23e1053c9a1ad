//! Each shipped theme in Chromium: the landing page and a dashboard are screenshotted (kept in
//! `target/e2e-screenshots/`), their computed colours are the theme's, and the logo is the
//! theme's own file and loads. The server-rendered page (JavaScript off) already has the look,
//! so there is no flash of the default theme. A theme edited on disk shows on reload.

use anyhow::{ensure, Context, Result};
use end2end::{run_spec_with, set_color_scheme, target_dir, workspace_root, Ctx, Datagen};
use fantoccini::Locator;
use model::theme::colour::Rgb;
use std::path::{Path, PathBuf};

const PASSWORD: &str = "correct horse battery";

/// What the page must show for one theme.
#[derive(Clone)]
struct Look {
    theme: &'static str,
    product: &'static str,
    headline: &'static str,
    primary: &'static str,
    background: &'static str,
    surface: &'static str,
    text: &'static str,
    radius: &'static str,
    /// The page background under `prefers-color-scheme: dark`; `None`: no dark variant.
    dark_background: Option<&'static str>,
}

const LOOKS: [Look; 3] = [
    Look {
        theme: "default",
        product: "IoT Rocket",
        headline: "IoT Rocket",
        primary: "#3454d1",
        background: "#f5f7fb",
        surface: "#ffffff",
        text: "#1b2233",
        radius: "6px",
        dark_background: Some("#10141d"),
    },
    Look {
        theme: "agritech",
        product: "FieldSense",
        headline: "Know your fields before you walk them.",
        primary: "#2e6b30",
        background: "#f4f1e6",
        surface: "#fffdf7",
        text: "#233022",
        radius: "14px",
        dark_background: None,
    },
    Look {
        theme: "smart-city",
        product: "Metropulse",
        headline: "Your city, live.",
        primary: "#ffc83d",
        background: "#0d1117",
        surface: "#161b24",
        text: "#e8edf5",
        radius: "2px",
        dark_background: None,
    },
];

/// `#rrggbb`, as [`end2end::css_hex`] reads a computed colour.
fn css_rgb(hex: &str) -> String {
    Rgb::parse(hex).expect("theme colour").hex()
}

/// The computed value of `property` on the first element matching `css` (through WebDriver, so
/// it works with page JavaScript off too).
async fn computed(cx: &Ctx<'_>, css: &str, property: &str) -> Result<String> {
    let el = cx
        .browser
        .find(Locator::Css(css))
        .await
        .with_context(|| format!("no element {css}"))?;
    let value = el.css_value(property).await?;
    // Colours are compared as #rrggbb; other values (a radius) as the browser writes them.
    Ok(end2end::css_hex(&value).unwrap_or(value))
}

async fn screenshot(cx: &Ctx<'_>, name: &str) -> Result<()> {
    let dir = target_dir().join("e2e-screenshots");
    std::fs::create_dir_all(&dir)?;
    let mode = if cx.javascript { "js" } else { "nojs" };
    let png = cx.browser.screenshot().await?;
    ensure!(png.starts_with(b"\x89PNG"), "not a PNG screenshot");
    std::fs::write(dir.join(format!("{name}-{mode}.png")), png)?;
    Ok(())
}

/// The logo in the header is the theme's file, versioned, and the browser drew it.
async fn check_logo(cx: &Ctx<'_>, look: &Look) -> Result<()> {
    let img = cx.browser.find(Locator::Id("brand-logo")).await?;
    let src = img.attr("src").await?.unwrap_or_default();
    ensure!(src.starts_with("/theme/logo.svg?v="), "logo src {src}");
    end2end::wait_image_drawn(cx.browser, "#brand-logo").await?;
    let served = cx.server.get(&src).await?;
    ensure!(
        served
            .1
            .contains(&format!("aria-label=\"{}\"", look.product)),
        "{src} is not {}'s logo",
        look.product
    );
    Ok(())
}

async fn check_look(cx: &Ctx<'_>, look: &Look) -> Result<()> {
    let title = cx.browser.title().await?;
    ensure!(title.ends_with(look.product), "title {title}");
    for (css, property, want) in [
        ("body", "background-color", look.background),
        ("body", "color", look.text),
        (".site-header", "background-color", look.surface),
    ] {
        let got = computed(cx, css, property).await?;
        ensure!(
            got == css_rgb(want),
            "{css} {property} is {got}, want {want}"
        );
    }
    check_logo(cx, look).await
}

fn theme_dir(name: &str) -> PathBuf {
    workspace_root().join("themes").join(name)
}

fn copy_theme(name: &str) -> PathBuf {
    let to = end2end::scratch_dir("iotr-theme");
    for entry in std::fs::read_dir(theme_dir(name)).expect("theme").flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
    to
}

async fn spec_for(look: Look, dir: PathBuf) {
    let datagen = Datagen::start(4).await.expect("datagen");
    let env = datagen.server_env();
    let theme_path = dir.clone();
    let configure = move |cmd: &mut tokio::process::Command| {
        cmd.envs(env.clone())
            .env("THEME", &theme_path)
            .env("MAP_TILE_URL", "/map/no-tiles/{z}/{x}/{y}.png");
    };
    run_spec_with(
        &format!("theme-{}", look.theme),
        configure,
        |cx: Ctx<'_>| {
            let look = look.clone();
            let dir = dir.clone();
            Box::pin(async move {
                cx.open("/").await?;
                check_look(&cx, &look).await?;
                let h1 = cx.text(".landing h1").await?;
                ensure!(h1 == look.headline, "headline {h1}");
                let button = computed(&cx, ".landing .card button", "background-color").await?;
                ensure!(
                    button == css_rgb(look.primary),
                    "button {button}, want {}",
                    look.primary
                );
                let radius =
                    computed(&cx, ".landing .card button", "border-top-left-radius").await?;
                ensure!(
                    radius == look.radius,
                    "button radius {radius}, want {}",
                    look.radius
                );
                screenshot(&cx, &format!("{}-landing", look.theme)).await?;

                let mode = if cx.javascript { "js" } else { "nojs" };
                let slug = format!("{}-{mode}", look.theme);
                cx.fleet_workspace(
                    &slug,
                    "Brand check",
                    &format!("o-{mode}@brand.example"),
                    PASSWORD,
                )
                .await?;
                cx.open_dashboards(&slug).await?;
                check_look(&cx, &look).await?;
                let widget = computed(&cx, "article.widget", "background-color").await?;
                ensure!(
                    widget == css_rgb(look.surface),
                    "widget {widget}, want {}",
                    look.surface
                );
                screenshot(&cx, &format!("{}-dashboard", look.theme)).await?;

                // A reader whose system asks for dark gets the theme's dark palette, when it has one.
                set_color_scheme(cx.browser, "dark").await?;
                let body = computed(&cx, "body", "background-color").await?;
                let want = look.dark_background.unwrap_or(look.background);
                ensure!(body == css_rgb(want), "dark body {body}, want {want}");
                if look.dark_background.is_some() {
                    screenshot(&cx, &format!("{}-dashboard-dark", look.theme)).await?;
                }
                set_color_scheme(cx.browser, "light").await?;

                if cx.javascript {
                    edited_on_disk_shows_on_reload(&cx, &dir, &look).await?;
                }
                Ok(())
            })
        },
    )
    .await;
}

/// Rewrites the primary colour and the product name in the running server's theme folder.
async fn edited_on_disk_shows_on_reload(cx: &Ctx<'_>, dir: &Path, look: &Look) -> Result<()> {
    let file = dir.join("theme.toml");
    let text = std::fs::read_to_string(&file)?;
    let primary_line = format!("primary = \"{}\"", look.primary);
    ensure!(
        text.contains(&primary_line),
        "{primary_line} not in {}",
        file.display()
    );
    let edited = text
        .replacen(&primary_line, "primary = \"#7b1fa2\"", 1)
        .replacen(
            &format!("product_name = \"{}\"", look.product),
            "product_name = \"Edited brand\"",
            1,
        );
    std::fs::write(&file, edited)?;
    cx.open("/").await?;
    let title = cx.browser.title().await?;
    ensure!(title == "Edited brand", "title after the edit: {title}");
    let button = computed(cx, ".landing .card button", "background-color").await?;
    ensure!(
        button == css_rgb("#7b1fa2"),
        "button after the edit: {button}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_theme_is_on_every_page() {
    let dir = copy_theme("default");
    spec_for(LOOKS[0].clone(), dir.clone()).await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agritech_theme_is_on_every_page() {
    let dir = copy_theme("agritech");
    spec_for(LOOKS[1].clone(), dir.clone()).await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_smart_city_theme_is_on_every_page() {
    let dir = copy_theme("smart-city");
    spec_for(LOOKS[2].clone(), dir.clone()).await;
    std::fs::remove_dir_all(dir).ok();
}
