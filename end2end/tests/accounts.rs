//! Accounts in Chromium, JavaScript off and on: a new owner lands signed in, invites a
//! colleague by mail, the colleague joins by the link, sees their settings, signs out and in.

use anyhow::{ensure, Result};
use end2end::{run_spec, Ctx};
use fantoccini::Locator;

const PASSWORD: &str = "correct horse battery";

async fn fill(cx: &Ctx<'_>, id: &str, text: &str) -> Result<()> {
    let input = cx.browser.find(Locator::Id(id)).await?;
    input.clear().await?;
    input.send_keys(text).await?;
    Ok(())
}

async fn submit(cx: &Ctx<'_>, form_with: &str) -> Result<()> {
    let xpath = format!("//form[.//*[@id='{form_with}']]//button[@type='submit']");
    cx.browser
        .find(Locator::XPath(&xpath))
        .await?
        .click()
        .await?;
    Ok(())
}

async fn wait_path(cx: &Ctx<'_>, want: &str) -> Result<()> {
    for _ in 0..100 {
        if cx.path().await? == want {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    anyhow::bail!("expected to be at {want}, at {}", cx.path().await?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_invites_a_colleague_who_joins_by_the_mailed_link() {
    run_spec("team", |cx: Ctx<'_>| {
        Box::pin(async move {
            let mode = if cx.javascript { "js" } else { "nojs" };
            let slug = format!("team-{mode}");
            let owner = format!("owner-{mode}@team.example");
            let mate = format!("mate-{mode}@team.example");

            // Create a workspace on the landing page: land on its home, signed in.
            cx.open("/").await?;
            fill(&cx, "create-name", &format!("Team {mode}")).await?;
            fill(&cx, "create-slug", &slug).await?;
            fill(&cx, "create-owner-name", "Olive Owner").await?;
            fill(&cx, "create-owner-email", &owner).await?;
            fill(&cx, "create-owner-password", PASSWORD).await?;
            submit(&cx, "create-name").await?;
            cx.wait_text("//p[@id='signed-in-as']", &owner).await?;
            wait_path(&cx, &format!("/w/{slug}/")).await?;
            cx.wait_hydrated().await?;

            // Invite a colleague as an editor.
            cx.browser
                .find(Locator::Id("nav-members"))
                .await?
                .click()
                .await?;
            cx.wait_text("//h1", "Members of Team").await?;
            cx.wait_hydrated().await?;
            fill(&cx, "invite-email", &mate).await?;
            cx.browser
                .find(Locator::Css("#invite-role option[value='editor']"))
                .await?
                .click()
                .await?;
            submit(&cx, "invite-email").await?;
            cx.wait_text("//table[@id='invitations']", &mate).await?;

            // A device group, opened to every editor.
            cx.open(&format!("/w/{slug}/groups")).await?;
            cx.wait_text("//h1", "Device groups").await?;
            fill(&cx, "group-name", "North farms").await?;
            submit(&cx, "group-name").await?;
            cx.wait_text("//div[@data-group='North farms']//h2", "North farms")
                .await?;
            cx.wait_hydrated().await?;
            cx.browser
                .find(Locator::XPath(
                    "//div[@data-group='North farms']//select[@name='subject']/option[@value='role:editor']",
                ))
                .await?
                .click()
                .await?;
            cx.browser
                .find(Locator::XPath(
                    "//div[@data-group='North farms']//form[.//select[@name='subject']]//button",
                ))
                .await?
                .click()
                .await?;
            cx.wait_text("//div[@data-group='North farms']//table", "all editors")
                .await?;

            // The colleague opens the mailed link, chooses a name and a password.
            let mail = cx.server.wait_for_mail(&mate).await?;
            let token = backend::testing::link_token(&mail, &format!("/w/{slug}/join"));
            cx.open(&format!("/w/{slug}/join?token={token}")).await?;
            cx.wait_text("//p[@id='invitation-for']", "invited as editor")
                .await?;
            fill(&cx, "join-name", "Mo Mate").await?;
            fill(&cx, "join-password", "short").await?;
            submit(&cx, "join-name").await?;
            cx.wait_text(
                "//p[@id='join-password-error']",
                "A password needs at least 12 characters.",
            )
            .await?;
            cx.wait_hydrated().await?;
            fill(&cx, "join-name", "Mo Mate").await?;
            fill(&cx, "join-password", PASSWORD).await?;
            submit(&cx, "join-name").await?;
            cx.wait_text("//p[@id='signed-in-as']", &mate).await?;
            ensure!(
                cx.browser.find(Locator::Id("nav-members")).await.is_err(),
                "an editor is offered the members page"
            );
            cx.wait_text("//ul[@id='my-groups']", "North farms · view").await?;

            // Their settings list this browser's session.
            cx.wait_hydrated().await?;
            cx.browser
                .find(Locator::Id("nav-settings"))
                .await?
                .click()
                .await?;
            cx.wait_text("//table[@id='sessions']", "this browser")
                .await?;

            // Sign out, then back in (a wrong password first).
            cx.wait_hydrated().await?;
            cx.browser
                .find(Locator::Id("sign-out"))
                .await?
                .click()
                .await?;
            wait_path(&cx, &format!("/w/{slug}/sign-in")).await?;
            cx.wait_hydrated().await?;
            fill(&cx, "sign-in-email", &mate).await?;
            fill(&cx, "sign-in-password", "not the password").await?;
            submit(&cx, "sign-in-email").await?;
            cx.wait_text(
                "//p[@id='sign-in-password-error']",
                "do not match an account here",
            )
            .await?;
            cx.wait_hydrated().await?;
            fill(&cx, "sign-in-email", &mate).await?;
            fill(&cx, "sign-in-password", PASSWORD).await?;
            submit(&cx, "sign-in-email").await?;
            cx.wait_text("//p[@id='signed-in-as']", "Mo Mate").await?;
            Ok(())
        })
    })
    .await;
}
