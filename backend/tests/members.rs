//! Members, roles, invitations, password resets and one's own account, on both engines, with
//! mails read off a real SMTP listener.

mod common;

use backend::auth::signin::{self, Credentials};
use backend::auth::{open_workspace, session, Caller, ClientAddr, SessionSettings};
use backend::mail::Mailer;
use backend::members::{self, invitations, own, reset};
use backend::registry::Registry;
use backend::testing::{link_token, SmtpSink, TestDbRef};
use backend::{on_both, BackendError, Db};
use common::with_acme;
use model::access::Action;
use model::members::{
    ALREADY_MEMBER, INVITATION_INVALID, LAST_OWNER, OWNERS_ONLY, RESET_INVALID, WRONG_PASSWORD,
};
use model::{Email, Role};

const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a brand new passphrase";

struct World {
    control: Db,
    registry: Registry,
    ws: Db,
    sink: SmtpSink,
    mailer: Mailer,
}

impl World {
    async fn new(t: &TestDbRef) -> Self {
        let (control, registry, ws) = with_acme(t).await;
        let sink = SmtpSink::start().await;
        let mailer = Mailer::new(
            Some(&sink.url),
            t.dir.join("outbox"),
            "IoT Rocket <no-reply@iot.example>",
        )
        .expect("mailer");
        Self {
            control,
            registry,
            ws,
            sink,
            mailer,
        }
    }

    fn mail(&self) -> invitations::MailContext<'_> {
        invitations::MailContext {
            control: &self.control,
            mailer: &self.mailer,
            brand: backend::mail::Brand::builtin("http://iot.example"),
            theme: std::sync::Arc::new(backend::theme::LoadedTheme::builtin()),
            public_url: "http://localhost:3000",
        }
    }

    /// Signs `email` in; the session token.
    async fn token(&self, email: &str, password: &str) -> Result<String, BackendError> {
        signin::member(
            &self.control,
            &self.registry,
            &SessionSettings::default(),
            "acme",
            Credentials { email, password },
            &ClientAddr("10.0.0.9".into()),
        )
        .await
        .map(|s| s.token)
    }

    async fn caller(&self, token: &str) -> Caller {
        match session::resolve(&self.control, token, &SessionSettings::default())
            .await
            .expect("resolve")
        {
            Some(s) => Caller::Signed(s),
            None => Caller::Anonymous,
        }
    }

    async fn ctx_of(
        &self,
        token: &str,
        action: Action,
    ) -> Result<backend::auth::WorkspaceCtx, BackendError> {
        let caller = self.caller(token).await;
        open_workspace(&self.control, &self.registry, &caller, "acme", action).await
    }

    /// The owner's context (Ada, created with the workspace).
    async fn owner(&self) -> backend::auth::WorkspaceCtx {
        let token = self.token("ada@acme.example", PASSWORD).await.expect("ada");
        self.ctx_of(&token, Action::ManageMembers)
            .await
            .expect("ctx")
    }

    /// Invites `email` as `role` through `inviter`, accepts the mailed link, returns the new
    /// member's session token.
    async fn join(&self, inviter: &backend::auth::WorkspaceCtx, email: &str, role: Role) -> String {
        let before = self.sink.received().len();
        invitations::invite(inviter, self.mail(), email, role)
            .await
            .expect("invite");
        let mails = self.sink.wait_for(before + 1).await;
        let token = link_token(&mails[before], "/w/acme/join");
        invitations::accept(
            &self.control,
            &self.registry,
            &SessionSettings::default(),
            "acme",
            &token,
            &format!("Person {email}"),
            PASSWORD,
        )
        .await
        .expect("accept")
        .token
    }

    async fn user_id(&self, email: &str) -> String {
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(self.ws.pool())
            .await
            .expect("user id")
    }

    async fn audit_actions(&self) -> Vec<String> {
        sqlx::query_scalar("SELECT action FROM audit_log ORDER BY at, id")
            .fetch_all(self.ws.pool())
            .await
            .expect("audit")
    }
}

fn invalid_message(e: BackendError) -> String {
    match e {
        BackendError::Invalid { message, .. } | BackendError::NotFound(message) => message,
        other => panic!("not a message for the form: {other:?}"),
    }
}

on_both!(
    an_invitation_link_works_once_and_signs_the_new_member_in,
    |t: TestDbRef| async move {
        let w = World::new(&t).await;
        let ada = w.owner().await;
        invitations::invite(&ada, w.mail(), " Bo@Acme.example ", Role::Editor)
            .await
            .expect("invite");
        let mail = w.sink.wait_for(1).await.remove(0);
        assert!(mail.contains("To: bo@acme.example"), "{mail}");
        assert!(mail.contains("Ada Lovelace invited you"), "{mail}");
        let token = link_token(&mail, "/w/acme/join");
        // Only a hash of the link's token is kept.
        let stored: String = sqlx::query_scalar("SELECT token_hash FROM invitations")
            .fetch_one(w.ws.pool())
            .await
            .expect("row");
        assert_ne!(stored, token);

        let offer = invitations::view(&w.control, &w.registry, "acme", &token)
            .await
            .expect("view");
        assert_eq!(
            (
                offer.workspace_name.as_str(),
                offer.email.as_str(),
                offer.role
            ),
            ("Acme Sensors", "bo@acme.example", Role::Editor)
        );
        let pending = members::overview(&ada).await.expect("overview").invitations;
        assert_eq!(pending.len(), 1);

        let signed = invitations::accept(
            &w.control,
            &w.registry,
            &SessionSettings::default(),
            "acme",
            &token,
            "Bo Diddley",
            PASSWORD,
        )
        .await
        .expect("accept");
        let bo = w
            .ctx_of(&signed.token, Action::EditDashboards)
            .await
            .expect("bo is an editor");
        assert!(matches!(&bo.actor, backend::auth::Actor::Member(m) if m.name == "Bo Diddley"));
        // An editor is below managing members.
        assert!(matches!(
            members::overview(&bo).await,
            Err(BackendError::Forbidden)
        ));
        // The link is used up.
        let again = invitations::accept(
            &w.control,
            &w.registry,
            &SessionSettings::default(),
            "acme",
            &token,
            "Someone Else",
            PASSWORD,
        )
        .await
        .expect_err("second use");
        assert_eq!(invalid_message(again), INVITATION_INVALID);
        // "Find my workspaces" now knows Bo.
        let found = backend::workspaces::links::for_email(
            &w.control,
            &Email::parse("bo@acme.example").expect("email"),
        )
        .await
        .expect("links");
        assert_eq!(found.len(), 1);
        let actions = w.audit_actions().await;
        assert!(
            actions.contains(&"invitation_sent".to_string()),
            "{actions:?}"
        );
        assert!(
            actions.contains(&"invitation_accepted".to_string()),
            "{actions:?}"
        );
        // Inviting a member again is explained.
        let err = invitations::invite(&ada, w.mail(), "bo@acme.example", Role::Viewer)
            .await
            .expect_err("already in");
        assert_eq!(invalid_message(err), ALREADY_MEMBER);
    }
);

on_both!(
    expired_and_replaced_invitation_links_are_refused,
    |t: TestDbRef| async move {
        let w = World::new(&t).await;
        let ada = w.owner().await;
        invitations::invite(&ada, w.mail(), "cy@acme.example", Role::Viewer)
            .await
            .expect("invite");
        let first = link_token(&w.sink.wait_for(1).await[0], "/w/acme/join");
        invitations::invite(&ada, w.mail(), "cy@acme.example", Role::Admin)
            .await
            .expect("invite again");
        let second = link_token(&w.sink.wait_for(2).await[1], "/w/acme/join");
        let err = invitations::view(&w.control, &w.registry, "acme", &first)
            .await
            .expect_err("replaced");
        assert_eq!(invalid_message(err), INVITATION_INVALID);
        sqlx::query("UPDATE invitations SET expires_at = 1")
            .execute(w.ws.pool())
            .await
            .expect("age");
        let err = invitations::accept(
            &w.control,
            &w.registry,
            &SessionSettings::default(),
            "acme",
            &second,
            "Cy",
            PASSWORD,
        )
        .await
        .expect_err("expired");
        assert_eq!(invalid_message(err), INVITATION_INVALID);
        assert!(members::overview(&ada)
            .await
            .expect("overview")
            .invitations
            .is_empty());
    }
);

on_both!(
    the_last_owner_stays_and_only_owners_touch_the_owner_role,
    |t: TestDbRef| async move {
        let w = World::new(&t).await;
        let ada = w.owner().await;
        let ada_id = w.user_id("ada@acme.example").await;
        for attempt in [
            members::change_role(&ada, &ada_id, Role::Admin).await,
            members::remove(&ada, &w.control, &ada_id).await,
        ] {
            assert_eq!(
                invalid_message(attempt.expect_err("last owner")),
                LAST_OWNER
            );
        }

        let admin = w.join(&ada, "al@acme.example", Role::Admin).await;
        let al = w.ctx_of(&admin, Action::ManageMembers).await.expect("al");
        let err = invitations::invite(&al, w.mail(), "oz@acme.example", Role::Owner)
            .await
            .expect_err("admins do not make owners");
        assert_eq!(invalid_message(err), OWNERS_ONLY);
        let err = members::change_role(&al, &ada_id, Role::Viewer)
            .await
            .expect_err("admins do not demote owners");
        assert_eq!(invalid_message(err), OWNERS_ONLY);

        // With a second owner, either can step down; both at once leave one owner.
        let al_id = w.user_id("al@acme.example").await;
        members::change_role(&ada, &al_id, Role::Owner)
            .await
            .expect("promote");
        let al = w.ctx_of(&admin, Action::ManageMembers).await.expect("al");
        let (a, b) = tokio::join!(
            members::change_role(&ada, &ada_id, Role::Viewer),
            members::change_role(&al, &al_id, Role::Viewer),
        );
        assert!(
            a.is_ok() != b.is_ok(),
            "exactly one steps down: {a:?} {b:?}"
        );
        let owners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'owner'")
            .fetch_one(w.ws.pool())
            .await
            .expect("count");
        assert_eq!(owners, 1);
        assert!(w
            .audit_actions()
            .await
            .contains(&"role_changed".to_string()));
    }
);

on_both!(
    a_removed_member_is_signed_out_at_once,
    |t: TestDbRef| async move {
        let w = World::new(&t).await;
        let ada = w.owner().await;
        let ed = w.join(&ada, "ed@acme.example", Role::Viewer).await;
        w.ctx_of(&ed, Action::ViewWorkspace)
            .await
            .expect("ed is in");
        let ed_id = w.user_id("ed@acme.example").await;
        members::remove(&ada, &w.control, &ed_id)
            .await
            .expect("remove");
        assert!(matches!(
            w.ctx_of(&ed, Action::ViewWorkspace).await,
            Err(BackendError::Unauthorized)
        ));
        let err = w
            .token("ed@acme.example", PASSWORD)
            .await
            .expect_err("no account");
        assert!(matches!(err, BackendError::Invalid { .. }));
        let listed = members::overview(&ada).await.expect("overview").members;
        assert_eq!(listed.len(), 1);
    }
);

on_both!(
    a_password_reset_works_once_and_ends_every_session,
    |t: TestDbRef| async move {
        let w = World::new(&t).await;
        let before = w.token("ada@acme.example", PASSWORD).await.expect("ada");
        let unknown = Email::parse("nobody@acme.example").expect("email");
        let sent = reset::request(&w.control, &w.registry, w.mail(), "acme", &unknown)
            .await
            .expect("request");
        assert!(!sent, "no mail for an unknown address");
        let ada = Email::parse("ada@acme.example").expect("email");
        assert!(
            reset::request(&w.control, &w.registry, w.mail(), "acme", &ada)
                .await
                .expect("request")
        );
        let mail = w.sink.wait_for(1).await.remove(0);
        assert_eq!(w.sink.received().len(), 1);
        let token = link_token(&mail, "/w/acme/reset");

        let err = reset::complete(&w.control, &w.registry, "acme", &token, "short")
            .await
            .expect_err("too short");
        assert!(matches!(err, BackendError::Invalid { ref field, .. } if field == "password"));
        reset::complete(&w.control, &w.registry, "acme", &token, NEW_PASSWORD)
            .await
            .expect("reset");
        assert!(matches!(w.caller(&before).await, Caller::Anonymous));
        assert!(w.token("ada@acme.example", PASSWORD).await.is_err());
        w.token("ada@acme.example", NEW_PASSWORD)
            .await
            .expect("new password");
        let err = reset::complete(&w.control, &w.registry, "acme", &token, NEW_PASSWORD)
            .await
            .expect_err("used");
        assert_eq!(invalid_message(err), RESET_INVALID);
        assert!(w
            .audit_actions()
            .await
            .contains(&"password_reset".to_string()));
    }
);

on_both!(
    changing_my_password_needs_the_current_one_and_ends_my_other_sessions,
    |t: TestDbRef| async move {
        let w = World::new(&t).await;
        let here = w.token("ada@acme.example", PASSWORD).await.expect("here");
        let there = w.token("ada@acme.example", PASSWORD).await.expect("there");
        let ctx = w
            .ctx_of(&here, Action::ManageOwnAccount)
            .await
            .expect("ctx");
        let settings = own::settings(&ctx, &w.control, &SessionSettings::default())
            .await
            .expect("settings");
        assert_eq!(settings.sessions.len(), 2);
        assert_eq!(settings.sessions.iter().filter(|s| s.current).count(), 1);

        let err = own::change_password(&ctx, &w.control, "not it at all", NEW_PASSWORD)
            .await
            .expect_err("wrong current");
        assert_eq!(invalid_message(err), WRONG_PASSWORD);
        own::change_password(&ctx, &w.control, PASSWORD, NEW_PASSWORD)
            .await
            .expect("change");
        assert!(matches!(w.caller(&there).await, Caller::Anonymous));
        assert!(matches!(w.caller(&here).await, Caller::Signed(_)));
        own::rename(&ctx, "  Augusta Ada King  ")
            .await
            .expect("rename");
        let ctx = w
            .ctx_of(&here, Action::ManageOwnAccount)
            .await
            .expect("ctx");
        let settings = own::settings(&ctx, &w.control, &SessionSettings::default())
            .await
            .expect("settings");
        assert_eq!(settings.name, "Augusta Ada King");
        assert_eq!(settings.sessions.len(), 1);
        let err = own::rename(&ctx, "   ").await.expect_err("empty");
        assert!(matches!(err, BackendError::Invalid { ref field, .. } if field == "name"));
    }
);

on_both!(
    invitations_stop_working_when_their_sender_loses_the_right_to_send_them,
    |t: TestDbRef| async move {
        let w = World::new(&t).await;
        let ada = w.owner().await;
        let al = w.join(&ada, "al@acme.example", Role::Admin).await;
        let al_ctx = w.ctx_of(&al, Action::ManageMembers).await.expect("al");
        let before = w.sink.received().len();
        invitations::invite(&al_ctx, w.mail(), "xo@acme.example", Role::Viewer)
            .await
            .expect("invite");
        let token = link_token(&w.sink.wait_for(before + 1).await[before], "/w/acme/join");
        // Two invitations to one address at once: one stays, none fails.
        let (a, b) = tokio::join!(
            invitations::invite(&ada, w.mail(), "yu@acme.example", Role::Viewer),
            invitations::invite(&ada, w.mail(), "yu@acme.example", Role::Editor),
        );
        a.expect("first");
        b.expect("second");
        assert_eq!(
            members::overview(&ada)
                .await
                .expect("overview")
                .invitations
                .len(),
            2
        );

        let al_id = w.user_id("al@acme.example").await;
        members::change_role(&ada, &al_id, Role::Viewer)
            .await
            .expect("demote");
        let err = invitations::view(&w.control, &w.registry, "acme", &token)
            .await
            .expect_err("withdrawn with the right to send it");
        assert_eq!(invalid_message(err), INVITATION_INVALID);

        // An admin cannot withdraw an owner's invitation to be owner.
        invitations::invite(&ada, w.mail(), "ow@acme.example", Role::Owner)
            .await
            .expect("owner invite");
        let pending = members::overview(&ada).await.expect("overview").invitations;
        let owner_invite = pending
            .iter()
            .find(|i| i.role == Role::Owner)
            .expect("owner invitation");
        let ed = w.join(&ada, "ed@acme.example", Role::Admin).await;
        let ed_ctx = w.ctx_of(&ed, Action::ManageMembers).await.expect("ed");
        let err = invitations::revoke(&ed_ctx, &owner_invite.id)
            .await
            .expect_err("owners only");
        assert_eq!(invalid_message(err), model::members::NO_SUCH_INVITATION);
        invitations::revoke(&ada, &owner_invite.id)
            .await
            .expect("the owner withdraws it");
    }
);

on_both!(
    a_password_change_ends_reset_links_asked_for_before_it,
    |t: TestDbRef| async move {
        let w = World::new(&t).await;
        let ada_email = Email::parse("ada@acme.example").expect("email");
        reset::request(&w.control, &w.registry, w.mail(), "acme", &ada_email)
            .await
            .expect("request");
        let token = link_token(&w.sink.wait_for(1).await[0], "/w/acme/reset");
        let here = w.token("ada@acme.example", PASSWORD).await.expect("here");
        let ctx = w
            .ctx_of(&here, Action::ManageOwnAccount)
            .await
            .expect("ctx");
        own::change_password(&ctx, &w.control, PASSWORD, NEW_PASSWORD)
            .await
            .expect("change");
        let err = reset::complete(
            &w.control,
            &w.registry,
            "acme",
            &token,
            "yet another secret",
        )
        .await
        .expect_err("the old link");
        assert_eq!(invalid_message(err), RESET_INVALID);
        w.token("ada@acme.example", NEW_PASSWORD)
            .await
            .expect("the changed password stands");
    }
);

on_both!(
    a_workspace_sends_at_most_fifty_invitations_an_hour,
    |t: TestDbRef| async move {
        let w = World::new(&t).await;
        let ada = w.owner().await;
        // Forty-nine sent earlier this hour.
        let key = backend::auth::limit::Key::new(
            backend::auth::limit::WORKSPACE_INVITATIONS,
            &[&ada.workspace.id],
            Some(&ada.workspace.id),
        );
        let now = backend::now_millis();
        for i in 0..49 {
            backend::auth::limit::record(&w.control, &key, now - 60_000 + i)
                .await
                .expect("record");
        }
        invitations::invite(&ada, w.mail(), "fifty@acme.example", Role::Viewer)
            .await
            .expect("the fiftieth");
        let err = invitations::invite(&ada, w.mail(), "more@acme.example", Role::Viewer)
            .await
            .expect_err("the fifty-first");
        assert!(
            matches!(err, BackendError::RateLimited { retry_after_secs } if retry_after_secs > 3000),
            "{err:?}"
        );
        assert_eq!(w.sink.wait_for(1).await.len(), 1, "one mail went out");
    }
);
