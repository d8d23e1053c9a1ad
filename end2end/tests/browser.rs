//! What a person sees in Chromium, with JavaScript off (server-rendered) and on (hydrated).

use anyhow::ensure;
use end2end::{run_spec, Ctx};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn landing_page_shows_the_brand_and_finds_workspaces() {
    run_spec("landing", |cx: Ctx<'_>| {
        Box::pin(async move {
            cx.server
                .add_workspace("acme", "Acme Sensors", "active")
                .await?;
            cx.open("/").await?;
            ensure!(cx.browser.title().await? == "IoT Rocket", "title");
            ensure!(cx.text("h1").await? == "IoT Rocket", "heading");
            ensure!(cx.text(".site-header .brand-name").await? == "IoT Rocket");
            // The theme's colours reached the page (the button is the primary colour).
            let button = cx.browser.find(Locator::Css("button[type=submit]")).await?;
            let bg = button.css_value("background-color").await?;
            ensure!(
                bg == "rgb(52, 84, 209)" || bg == "rgba(52, 84, 209, 1)",
                "button colour {bg}"
            );

            // An unknown name is explained under the field.
            let input = cx.browser.find(Locator::Id("find-query")).await?;
            input.send_keys("Globex").await?;
            if cx.javascript {
                cx.browser
                    .execute("window.__stayed = true;", vec![])
                    .await?;
            }
            button.click().await?;
            cx.wait_text(
                "//p[@id='find-query-error']",
                "No workspace has that name or address.",
            )
            .await?;
            if cx.javascript {
                // The hydrated page answered in place: no reload happened.
                let stayed = cx
                    .browser
                    .execute("return window.__stayed === true;", vec![])
                    .await?;
                ensure!(stayed == serde_json::Value::Bool(true), "the page reloaded");
            } else {
                ensure!(
                    cx.path().await?.contains("__err="),
                    "error travels in the URL"
                );
            }

            // A known name leads to the workspace.
            let input = cx.browser.find(Locator::Id("find-query")).await?;
            input.clear().await?;
            input.send_keys("acme sensors").await?;
            cx.browser
                .find(Locator::Css("button[type=submit]"))
                .await?
                .click()
                .await?;
            // Nobody is signed in: the workspace asks who they are.
            cx.wait_text("//h1", "Sign in to Acme Sensors").await?;
            ensure!(
                cx.path().await? == "/w/acme/sign-in",
                "landed on {}",
                cx.path().await?
            );
            Ok(())
        })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_and_suspended_workspaces_are_explained() {
    run_spec("errors", |cx: Ctx<'_>| {
        Box::pin(async move {
            cx.server
                .add_workspace("globex", "Globex", "suspended")
                .await?;
            cx.open("/no/such/page").await?;
            ensure!(cx.text("h1").await? == "This page does not exist");
            ensure!(cx.browser.title().await? == "Page not found · IoT Rocket");
            cx.browser
                .find(Locator::LinkText("Go to the start page"))
                .await?
                .click()
                .await?;
            cx.wait_text("//h2", "Find your workspace").await?;
            ensure!(cx.path().await? == "/", "went to {}", cx.path().await?);

            cx.open("/w/globex/").await?;
            cx.wait_text("//section[@role='alert']", "This workspace is suspended.")
                .await?;
            ensure!(cx.text("h1").await? == "Globex");
            Ok(())
        })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspaces_can_be_found_by_email() {
    run_spec("links", |cx: Ctx<'_>| {
        Box::pin(async move {
            cx.server
                .add_workspace("acme", "Acme Sensors", "active")
                .await?;
            // One address per mode: a second mail to the same address would wait ten minutes.
            let email = if cx.javascript {
                "bob@acme.example"
            } else {
                "ada@acme.example"
            };
            cx.server.add_member_email("acme", email).await?;
            cx.open("/").await?;
            let input = cx.browser.find(Locator::Id("links-email")).await?;
            let submit = Locator::XPath("//form[.//input[@id='links-email']]//button");

            input.send_keys("not an address").await?;
            cx.browser.find(submit).await?.click().await?;
            cx.wait_text(
                "//p[@id='links-email-error']",
                "An e-mail address looks like name@example.com.",
            )
            .await?;

            let input = cx.browser.find(Locator::Id("links-email")).await?;
            input.clear().await?;
            input.send_keys(email).await?;
            cx.browser.find(submit).await?.click().await?;
            cx.wait_text(
                "//p[@id='links-sent']",
                "a mail with links to them is on its way",
            )
            .await?;

            let mail = cx.server.wait_for_mail(email).await?;
            ensure!(
                mail.contains("Subject: Your IoT Rocket workspaces"),
                "{mail}"
            );
            ensure!(mail.contains("/w/acme/"), "{mail}");
            Ok(())
        })
    })
    .await;
}
