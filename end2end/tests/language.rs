//! Language in Chromium, JavaScript off and on: an owner chooses French in their settings and
//! the pages come back in French, server-rendered and hydrated (dates day first); the footer's
//! menu switches back to English.

use anyhow::ensure;

use end2end::{console_errors, run_spec, Ctx};
use fantoccini::Locator;

const PASSWORD: &str = "correct horse battery";

async fn html_lang(cx: &Ctx<'_>) -> anyhow::Result<String> {
    Ok(cx
        .browser
        .find(Locator::Css("html"))
        .await?
        .attr("lang")
        .await?
        .unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_chooses_french_and_the_pages_speak_it() {
    run_spec("language", |cx: Ctx<'_>| {
        Box::pin(async move {
            let mode = if cx.javascript { "js" } else { "nojs" };
            let slug = format!("lang-{mode}");
            cx.create_workspace(
                &slug,
                &format!("Langue {mode}"),
                &format!("owner-{mode}@lang.example"),
                PASSWORD,
            )
            .await?;
            ensure!(
                html_lang(&cx).await? == "en",
                "a new owner starts in English"
            );

            // Settings: choose French and save.
            cx.open(&format!("/w/{slug}/settings")).await?;
            cx.wait_text("//h1", "Your settings").await?;
            cx.browser
                .find(Locator::Css("#settings-language-choice option[value='fr']"))
                .await?
                .click()
                .await?;
            cx.submit("settings-language-choice").await?;
            cx.wait_path(&format!("/w/{slug}/settings?language=saved"))
                .await?;
            cx.wait_hydrated().await?;
            cx.wait_text("//h1", "Vos paramètres").await?;
            cx.wait_text("//p[@id='language-saved']", "Votre langue est enregistrée.")
                .await?;
            ensure!(html_lang(&cx).await? == "fr", "the page says it is French");
            // Dates day first, as France writes them: 05/12/2026 14:03 UTC.
            let signed_in = cx.text("#sessions tbody td").await?;
            let day_first = signed_in.len() > 10
                && signed_in.as_bytes()[2] == b'/'
                && signed_in.as_bytes()[5] == b'/';
            ensure!(day_first, "a French date reads day first: {signed_in:?}");
            cx.wait_text("//footer//label", "Langue").await?;

            // Another page of the workspace, reached by its link: with JavaScript the router
            // draws it in the browser, which must speak French too.
            cx.browser
                .find(Locator::XPath("//a[contains(., 'Accueil')]"))
                .await?
                .click()
                .await?;
            cx.wait_path(&format!("/w/{slug}/")).await?;
            cx.wait_text("//footer//label", "Langue").await?;
            ensure!(html_lang(&cx).await? == "fr");
            if cx.javascript {
                let errors = console_errors(cx.browser).await?;
                ensure!(errors.is_empty(), "console errors: {errors:?}");
            }

            // The footer's menu switches back to English for this sign-in.
            cx.open(&format!("/w/{slug}/settings")).await?;
            cx.browser
                .find(Locator::Css("#language-choice option[value='en']"))
                .await?
                .click()
                .await?;
            cx.submit("language-choice").await?;
            cx.wait_path(&format!("/w/{slug}/settings")).await?;
            cx.wait_hydrated().await?;
            cx.wait_text("//h1", "Your settings").await?;
            ensure!(html_lang(&cx).await? == "en");
            Ok(())
        })
    })
    .await;
}
