//! Accounts in Chromium, JavaScript off and on: a new owner lands signed in, invites a
//! colleague by mail, the colleague joins by the link, sees their settings, signs out and in.

use anyhow::ensure;
use end2end::{run_spec, Ctx};
use fantoccini::Locator;

const PASSWORD: &str = "correct horse battery";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_invites_a_colleague_who_joins_by_the_mailed_link() {
    run_spec("team", |cx: Ctx<'_>| {
        Box::pin(async move {
            let mode = if cx.javascript { "js" } else { "nojs" };
            let slug = format!("team-{mode}");
            let owner = format!("owner-{mode}@team.example");
            let mate = format!("mate-{mode}@team.example");

            // Create a workspace on the landing page: land on its home, signed in.
            cx.create_workspace(&slug, &format!("Team {mode}"), &owner, PASSWORD)
                .await?;
            cx.wait_text("//p[@id='signed-in-as']", &owner).await?;

            // Invite a colleague as an editor.
            cx.browser
                .find(Locator::Id("nav-members"))
                .await?
                .click()
                .await?;
            cx.wait_text("//h1", "Members of Team").await?;
            cx.wait_hydrated().await?;
            cx.fill("invite-email", &mate).await?;
            cx.browser
                .find(Locator::Css("#invite-role option[value='editor']"))
                .await?
                .click()
                .await?;
            cx.submit("invite-email").await?;
            cx.wait_text("//table[@id='invitations']", &mate).await?;

            // A device group, opened to every editor.
            cx.open(&format!("/w/{slug}/groups")).await?;
            cx.wait_text("//h1", "Device groups").await?;
            cx.fill("group-name", "North farms").await?;
            cx.submit("group-name").await?;
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
            cx.fill("join-name", "Mo Mate").await?;
            cx.fill("join-password", "short").await?;
            cx.submit("join-name").await?;
            cx.wait_text(
                "//p[@id='join-password-error']",
                "A password needs at least 12 characters.",
            )
            .await?;
            cx.wait_hydrated().await?;
            cx.fill("join-name", "Mo Mate").await?;
            cx.fill("join-password", PASSWORD).await?;
            cx.submit("join-name").await?;
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
            cx.wait_path(&format!("/w/{slug}/sign-in")).await?;
            cx.wait_hydrated().await?;
            cx.fill("sign-in-email", &mate).await?;
            cx.fill("sign-in-password", "not the password").await?;
            cx.submit("sign-in-email").await?;
            cx.wait_text(
                "//p[@id='sign-in-password-error']",
                "do not match an account here",
            )
            .await?;
            cx.wait_hydrated().await?;
            cx.fill("sign-in-email", &mate).await?;
            cx.fill("sign-in-password", PASSWORD).await?;
            cx.submit("sign-in-email").await?;
            cx.wait_text("//p[@id='signed-in-as']", "Mo Mate").await?;
            Ok(())
        })
    })
    .await;
}
