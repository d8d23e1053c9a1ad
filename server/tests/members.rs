//! Members over HTTP, as a browser without JavaScript sends the forms: invitations, roles,
//! password resets, settings and the audit log; mails read from the outbox folder.

mod common;

use axum::http::StatusCode;
use backend::on_both;
use backend::testing::{link_token, TestDbRef};
use common::{TestApp, TestResponse, PASSWORD};
use model::members::{LAST_OWNER, WRONG_PASSWORD};

const ORIGIN: &str = "http://localhost";

/// Where a form post without JavaScript sends the browser, as a path.
fn back(res: &TestResponse) -> String {
    assert!(
        res.status.is_redirection(),
        "expected a redirect: {} {}",
        res.status,
        res.body
    );
    res.location().trim_start_matches(ORIGIN).to_string()
}

async fn acme(t: &TestDbRef) -> (TestApp, String) {
    let app = TestApp::on(t)
        .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
        .build()
        .await;
    let ada = app.sign_in("acme", "ada@acme.example").await;
    (app, ada)
}

on_both!(
    an_admin_invites_and_the_invitee_joins_by_the_mailed_link,
    |t: TestDbRef| async move {
        let (app, ada) = acme(&t).await;
        let home = app.get_as("/w/acme/", &ada).await;
        assert!(home.body.contains("id=\"nav-members\""), "{}", home.body);

        let res = app
            .post_form_as(
                "/api/invite_member",
                "slug=acme&email=bo%40acme.example&role=editor",
                "http://localhost/w/acme/members",
                &ada,
            )
            .await;
        assert_eq!(back(&res), "/w/acme/members");
        let page = app.get_as("/w/acme/members", &ada).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("bo@acme.example"), "{}", page.body);
        assert!(page.body.contains("id=\"invitations\""), "{}", page.body);
        assert!(
            page.body.contains("href=\"/w/acme/groups\""),
            "{}",
            page.body
        );

        let mail = app.outbox_mails(1).await.remove(0);
        assert!(mail.contains("To: bo@acme.example"), "{mail}");
        let token = link_token(&mail, "/w/acme/join");
        let join = app.get(&format!("/w/acme/join?token={token}")).await;
        assert_eq!(join.status, StatusCode::OK);
        assert!(join.body.contains("Join Acme Sensors"), "{}", join.body);
        assert!(
            join.body
                .contains("You are invited as editor with the address bo@acme.example."),
            "{}",
            join.body
        );

        // A short password is explained on the page, and the link still works.
        let referer = format!("http://localhost/w/acme/join?token={token}");
        let res = app
            .post_form(
                "/api/accept_invitation",
                &format!("slug=acme&token={token}&name=Bo&password=short"),
                &referer,
            )
            .await;
        let page = app.get(&back(&res)).await;
        assert!(
            page.body
                .contains("A password needs at least 12 characters."),
            "{}",
            page.body
        );
        let res = app
            .post_form(
                "/api/accept_invitation",
                &format!(
                    "slug=acme&token={token}&name=Bo+Diddley&password={}",
                    PASSWORD.replace(' ', "+")
                ),
                &referer,
            )
            .await;
        assert_eq!(back(&res), "/w/acme/");
        let bo = res.session_cookie().expect("signed in");
        let home = app.get_as("/w/acme/", &bo).await;
        assert!(home.body.contains("Bo Diddley"), "{}", home.body);
        assert!(home.body.contains("editor"), "{}", home.body);
        // An editor sees no members link, and the page refuses them.
        assert!(!home.body.contains("id=\"nav-members\""));
        assert_eq!(
            app.get_as("/w/acme/members", &bo).await.status,
            StatusCode::FORBIDDEN
        );
        // The link is used up.
        let again = app.get(&format!("/w/acme/join?token={token}")).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert!(again.body.contains("not valid any more"), "{}", again.body);

        // The audit log shows it all to the owner.
        let audit = app.get_as("/w/acme/audit", &ada).await;
        assert_eq!(audit.status, StatusCode::OK);
        for action in ["invitation_sent", "invitation_accepted", "sign_in"] {
            assert!(audit.body.contains(action), "{action}: {}", audit.body);
        }
    }
);

on_both!(
    the_last_owner_cannot_step_down_and_is_told_why,
    |t: TestDbRef| async move {
        let (app, ada) = acme(&t).await;
        let members = app.call_as("/api/members", "slug=acme", &ada).await.json();
        let ada_id = members["members"][0]["id"]
            .as_str()
            .expect("id")
            .to_string();
        let res = app
            .post_form_as(
                "/api/change_member_role",
                &format!("slug=acme&user_id={ada_id}&role=viewer"),
                "http://localhost/w/acme/members",
                &ada,
            )
            .await;
        let page = app.get_as(&back(&res), &ada).await;
        assert!(page.body.contains(LAST_OWNER), "{}", page.body);
        let members = app.call_as("/api/members", "slug=acme", &ada).await.json();
        assert_eq!(members["members"][0]["role"], "owner");
    }
);

on_both!(
    a_forgotten_password_is_reset_by_the_mailed_link,
    |t: TestDbRef| async move {
        let (app, before) = acme(&t).await;
        let sign_in = app.get("/w/acme/sign-in").await;
        assert!(
            sign_in.body.contains("href=\"/w/acme/forgot\""),
            "{}",
            sign_in.body
        );

        // Unknown and known addresses get the same answer.
        for email in ["nobody%40acme.example", "ada%40acme.example"] {
            let res = app
                .post_form(
                    "/api/request_password_reset",
                    &format!("slug=acme&email={email}"),
                    "http://localhost/w/acme/forgot",
                )
                .await;
            assert_eq!(back(&res), "/w/acme/forgot?sent=1");
        }
        let page = app.get("/w/acme/forgot?sent=1").await;
        assert!(
            page.body.contains("a mail with a link is on its way"),
            "{}",
            page.body
        );
        let mails = app.outbox_mails(1).await;
        assert_eq!(mails.len(), 1, "one mail, for the known address");
        assert!(mails[0].contains("To: ada@acme.example"));
        let token = link_token(&mails[0], "/w/acme/reset");

        let res = app
            .post_form(
                "/api/reset_password",
                &format!("slug=acme&token={token}&password=a+brand+new+passphrase"),
                &format!("http://localhost/w/acme/reset?token={token}"),
            )
            .await;
        assert_eq!(back(&res), "/w/acme/sign-in?reset=1");
        let page = app.get("/w/acme/sign-in?reset=1").await;
        assert!(page.body.contains("Your password is set."), "{}", page.body);
        // Every session ended; the new password works, the old one not.
        assert_eq!(
            app.call_as("/api/whoami", "slug=acme", &before)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let res = app
            .call(
                "/api/sign_in",
                "slug=acme&email=ada%40acme.example&password=a+brand+new+passphrase",
            )
            .await;
        assert!(
            res.session_cookie().is_some(),
            "{} {}",
            res.status,
            res.body
        );
    }
);

on_both!(
    settings_change_my_name_and_password_and_list_my_sessions,
    |t: TestDbRef| async move {
        let (app, ada) = acme(&t).await;
        let other = app.sign_in("acme", "ada@acme.example").await;
        let page = app.get_as("/w/acme/settings", &ada).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.body.matches("<tr>").count() - 1,
            2,
            "two sessions: {}",
            page.body
        );
        assert!(page.body.contains("this browser"));

        let res = app
            .post_form_as(
                "/api/change_my_password",
                "slug=acme&current_password=wrong+wrong+wrong&new_password=another+long+secret",
                "http://localhost/w/acme/settings",
                &ada,
            )
            .await;
        let page = app.get_as(&back(&res), &ada).await;
        assert!(page.body.contains(WRONG_PASSWORD), "{}", page.body);

        let res = app
            .post_form_as(
                "/api/change_my_password",
                &format!(
                    "slug=acme&current_password={}&new_password=another+long+secret",
                    PASSWORD.replace(' ', "+")
                ),
                "http://localhost/w/acme/settings",
                &ada,
            )
            .await;
        let page = app.get_as(&back(&res), &ada).await;
        assert!(
            page.body.contains("Your password is changed."),
            "{}",
            page.body
        );
        assert_eq!(
            app.call_as("/api/whoami", "slug=acme", &other).await.status,
            StatusCode::UNAUTHORIZED,
            "the other session ended"
        );

        let res = app
            .post_form_as(
                "/api/rename_me",
                "slug=acme&name=Augusta+Ada+King",
                "http://localhost/w/acme/settings",
                &ada,
            )
            .await;
        back(&res);
        let home = app.get_as("/w/acme/", &ada).await;
        assert!(home.body.contains("Augusta Ada King"), "{}", home.body);
    }
);

on_both!(
    an_admin_opens_a_device_group_to_viewers_who_see_it_at_home,
    |t: TestDbRef| async move {
        let (app, ada) = acme(&t).await;
        app.add_member("acme", "vi@acme.example", "viewer").await;
        let vi = app.sign_in("acme", "vi@acme.example").await;
        let home = app.get_as("/w/acme/", &vi).await;
        assert!(
            home.body.contains("No device group is open to you yet."),
            "{}",
            home.body
        );

        let res = app
            .post_form_as(
                "/api/create_group",
                "slug=acme&name=North+farms",
                "http://localhost/w/acme/groups",
                &ada,
            )
            .await;
        assert_eq!(back(&res), "/w/acme/groups");
        // The same name again is explained under the field.
        let res = app
            .post_form_as(
                "/api/create_group",
                "slug=acme&name=North+farms",
                "http://localhost/w/acme/groups",
                &ada,
            )
            .await;
        let page = app.get_as(&back(&res), &ada).await;
        assert!(
            page.body.contains(model::groups::GROUP_NAME_TAKEN),
            "{}",
            page.body
        );
        let groups = app.call_as("/api/groups", "slug=acme", &ada).await.json();
        let group_id = groups["groups"][0]["id"].as_str().expect("id").to_string();
        let res = app
            .post_form_as(
                "/api/grant_group",
                &format!("slug=acme&group_id={group_id}&subject=role%3Aviewer&level=view"),
                "http://localhost/w/acme/groups",
                &ada,
            )
            .await;
        assert_eq!(back(&res), "/w/acme/groups");
        let page = app.get_as("/w/acme/groups", &ada).await;
        assert!(page.body.contains("all viewers"), "{}", page.body);

        let home = app.get_as("/w/acme/", &vi).await;
        assert!(home.body.contains("North farms · view"), "{}", home.body);
        assert!(!home.body.contains("id=\"nav-groups\""));
        let audit = app.get_as("/w/acme/audit", &ada).await;
        assert!(
            audit.body.contains("North farms: all viewers may view"),
            "{}",
            audit.body
        );
    }
);
