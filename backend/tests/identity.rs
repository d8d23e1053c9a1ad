//! Sign-in, sessions, rate limits, operators and the request context, on both engines.

mod common;

use backend::auth::signin::{self, Credentials};
use backend::auth::{
    limit, open_workspace, operators, require_operator, session, Actor, Caller, ClientAddr,
    SessionSettings, Subject,
};
use backend::registry::RegistrySettings;
use backend::workspaces::{self, NewWorkspace};
use backend::{on_both, testing::TestDbRef, BackendError, Db};
use common::with_acme;
use model::access::Action;
use model::account::SIGN_IN_FAILED;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

fn creds<'a>(email: &'a str, password: &'a str) -> Credentials<'a> {
    Credentials { email, password }
}

fn client(addr: &str) -> ClientAddr {
    ClientAddr(addr.to_string())
}

async fn signed(control: &Db, token: &str) -> Caller {
    match session::resolve(control, token, &SessionSettings::default())
        .await
        .expect("resolve")
    {
        Some(s) => Caller::Signed(s),
        None => Caller::Anonymous,
    }
}

on_both!(
    a_user_signs_in_and_only_a_hash_of_the_token_is_stored,
    |t: TestDbRef| async move {
        let (control, registry, ws) = with_acme(&t).await;
        let settings = SessionSettings::default();
        let done = signin::member(
            &control,
            &registry,
            &settings,
            "acme",
            creds(" ADA@acme.example ", PASSWORD),
            &client("10.0.0.1"),
        )
        .await
        .expect("sign in");
        assert_eq!(done.slug.expect("slug").as_str(), "acme");
        let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_all(control.pool())
            .await
            .expect("sessions");
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0], done.token, "the token itself is never stored");
        assert_eq!(stored[0], backend::auth::token::sha256_hex(&done.token));

        let caller = signed(&control, &done.token).await;
        let ctx = open_workspace(&control, &registry, &caller, "acme", Action::ViewWorkspace)
            .await
            .expect("context");
        let Actor::Member(me) = &ctx.actor else {
            panic!("a member")
        };
        assert_eq!(me.email.as_str(), "ada@acme.example");
        assert_eq!(me.role, model::Role::Owner);
        let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY at")
            .fetch_all(ws.pool())
            .await
            .expect("audit");
        assert!(actions.contains(&"sign_in".to_string()), "{actions:?}");
    }
);

on_both!(
    unknown_address_and_wrong_password_get_the_same_answer,
    |t: TestDbRef| async move {
        let (control, registry, ws) = with_acme(&t).await;
        let settings = SessionSettings::default();
        let mut answers = Vec::new();
        for (email, password) in [
            ("nobody@acme.example", PASSWORD),
            ("ada@acme.example", "wrong password!!"),
        ] {
            let err = signin::member(
                &control,
                &registry,
                &settings,
                "acme",
                creds(email, password),
                &client("10.0.0.2"),
            )
            .await
            .expect_err("refused");
            answers.push(err.into_api("r"));
        }
        assert_eq!(answers[0], answers[1]);
        assert_eq!(
            answers[0],
            model::ApiError::invalid("password", SIGN_IN_FAILED)
        );
        let failed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'")
                .fetch_one(ws.pool())
                .await
                .expect("audit");
        assert_eq!(failed, 2);
        let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(control.pool())
            .await
            .expect("sessions");
        assert_eq!(sessions, 0);
    }
);

on_both!(
    failures_slow_an_account_down_and_say_when_to_retry,
    |t: TestDbRef| async move {
        let (control, registry, _ws) = with_acme(&t).await;
        let settings = SessionSettings::default();
        let attempt = |password: &'static str, addr: &'static str| {
            let (control, registry) = (control.clone(), registry.clone());
            async move {
                signin::member(
                    &control,
                    &registry,
                    &settings,
                    "acme",
                    creds("ada@acme.example", password),
                    &client(addr),
                )
                .await
            }
        };
        // Five free failures (from several addresses), then a wait.
        for i in 0..5 {
            let addr = ["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5"][i];
            let err = attempt("wrong password!!", addr).await.expect_err("wrong");
            assert!(matches!(err, BackendError::Invalid { .. }), "{err:?}");
        }
        let err = attempt(PASSWORD, "10.1.0.9")
            .await
            .expect_err("even the right password waits");
        let BackendError::RateLimited { retry_after_secs } = err else {
            panic!("expected a rate limit, got {err:?}")
        };
        assert_eq!(retry_after_secs, 1);
        // After the wait (the failures made to lie a second and more in the past), the right
        // password gets in and the count starts again.
        sqlx::query("UPDATE rate_events SET at = at - 1100")
            .execute(control.pool())
            .await
            .expect("age the failures");
        attempt(PASSWORD, "10.1.0.9")
            .await
            .expect("signed in after waiting");
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM rate_events WHERE workspace_id IS NOT NULL")
                .fetch_one(control.pool())
                .await
                .expect("count");
        assert_eq!(left, 0, "success clears the account's failures");
    }
);

on_both!(
    the_account_limit_stops_at_a_hundred_failures_an_hour,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let key = limit::Key::new(limit::ACCOUNT_FAILURES, &["ws", "ada@acme.example"], None);
        let now = backend::now_millis();
        for i in 0..100 {
            limit::record(&control, &key, now - 3_000_000 + i * 1000)
                .await
                .expect("record");
        }
        let err = limit::check(&control, &key, now)
            .await
            .expect_err("limited");
        let BackendError::RateLimited { retry_after_secs } = err else {
            panic!("{err:?}")
        };
        // The oldest failure leaves the hour in 600 s.
        assert!(
            (599..=601).contains(&retry_after_secs),
            "{retry_after_secs}"
        );
        limit::check(&control, &key, now + 601_000)
            .await
            .expect("allowed once the oldest failures left the hour");
        // Events older than the window are forgotten as new ones arrive.
        let other = limit::Key::new(limit::ADDRESS_FAILURES, &["10.0.0.1"], None);
        limit::record(&control, &other, now + 3_600_000)
            .await
            .expect("record");
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_events")
            .fetch_one(control.pool())
            .await
            .expect("count");
        assert!(left < 100, "{left}");
    }
);

on_both!(
    sessions_end_when_idle_at_their_lifetime_and_everywhere,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        backend::testing::seed_workspace(&control, "acme", "Acme", "active").await;
        let settings = SessionSettings {
            idle: Duration::from_secs(30 * 60),
            lifetime: Duration::from_secs(12 * 3600),
        };
        let me = Subject::Member {
            workspace_id: "ws-acme".into(),
            user_id: "u1".into(),
        };
        let token = session::start(&control, &me, None, &settings)
            .await
            .expect("start");
        let start = backend::now_millis();
        let minute = 60_000;
        // Used every 20 minutes, it lives on...
        let mut at = start;
        for _ in 0..6 {
            at += 20 * minute;
            assert!(session::resolve_at(&control, &token, &settings, at)
                .await
                .expect("resolve")
                .is_some());
        }
        // ... until its 12 hours are up, however active.
        let end = start + 12 * 60 * minute;
        let mut at2 = at;
        while at2 + 20 * minute < end {
            at2 += 20 * minute;
            session::resolve_at(&control, &token, &settings, at2)
                .await
                .expect("resolve")
                .expect("alive");
        }
        assert!(session::resolve_at(&control, &token, &settings, end)
            .await
            .expect("resolve")
            .is_none());

        // Idle for 30 minutes: gone.
        let idle = session::start(&control, &me, None, &settings)
            .await
            .expect("start");
        let now = backend::now_millis();
        assert!(
            session::resolve_at(&control, &idle, &settings, now + 31 * minute)
                .await
                .expect("resolve")
                .is_none()
        );

        // Everywhere: every session of that user ends, another user's stays.
        let a = session::start(&control, &me, None, &settings)
            .await
            .expect("a");
        let b = session::start(&control, &me, None, &settings)
            .await
            .expect("b");
        let other = Subject::Member {
            workspace_id: "ws-acme".into(),
            user_id: "u2".into(),
        };
        let c = session::start(&control, &other, None, &settings)
            .await
            .expect("c");
        assert_eq!(
            session::end_all_of_user(&control, "ws-acme", "u1")
                .await
                .expect("end"),
            2
        );
        for gone in [&a, &b] {
            assert!(session::resolve(&control, gone, &settings)
                .await
                .expect("r")
                .is_none());
        }
        assert!(session::resolve(&control, &c, &settings)
            .await
            .expect("r")
            .is_some());
    }
);

on_both!(
    a_session_started_by_one_process_is_seen_by_another,
    |t: TestDbRef| async move {
        let (control, registry, _ws) = with_acme(&t).await;
        let settings = SessionSettings::default();
        let done = signin::member(
            &control,
            &registry,
            &settings,
            "acme",
            creds("ada@acme.example", PASSWORD),
            &client("10.0.0.3"),
        )
        .await
        .expect("sign in");
        // A second process: its own pools on the same databases.
        let control2 = t.migrated().await;
        let registry2 = t.registry(&control2, RegistrySettings::default());
        let caller = signed(&control2, &done.token).await;
        open_workspace(
            &control2,
            &registry2,
            &caller,
            "acme",
            Action::ViewWorkspace,
        )
        .await
        .expect("the other process knows the session");
        // Signing out through the first process ends it for the second.
        let Caller::Signed(s) = &caller else {
            panic!("signed")
        };
        session::end(&control, &s.id).await.expect("sign out");
        assert_eq!(signed(&control2, &done.token).await, Caller::Anonymous);
    }
);

on_both!(
    a_session_of_one_workspace_gets_nothing_of_another,
    |t: TestDbRef| async move {
        let (control, registry, _ws) = with_acme(&t).await;
        workspaces::create(
            &control,
            &registry,
            NewWorkspace {
                slug: "globex".into(),
                name: "Globex".into(),
                owner_name: "Hank".into(),
                owner_email: "hank@globex.example".into(),
                owner_password: PASSWORD.into(),
            },
        )
        .await
        .expect("globex");
        let settings = SessionSettings::default();
        let done = signin::member(
            &control,
            &registry,
            &settings,
            "acme",
            creds("ada@acme.example", PASSWORD),
            &client("10.0.0.4"),
        )
        .await
        .expect("sign in");
        let caller = signed(&control, &done.token).await;
        for action in model::access::Action::ALL {
            let err = open_workspace(&control, &registry, &caller, "globex", action)
                .await
                .expect_err("another workspace");
            assert!(
                matches!(err, BackendError::Unauthorized),
                "{action:?}: {err:?}"
            );
        }
        // Nor is an acme owner an operator.
        assert!(matches!(
            require_operator(&control, &caller, Action::Operate).await,
            Err(BackendError::Unauthorized)
        ));
        // Nobody signed in gets nothing either.
        assert!(matches!(
            open_workspace(
                &control,
                &registry,
                &Caller::Anonymous,
                "acme",
                Action::ViewWorkspace
            )
            .await,
            Err(BackendError::Unauthorized)
        ));
    }
);

on_both!(
    roles_below_the_need_are_refused_and_suspension_locks_members_out,
    |t: TestDbRef| async move {
        let (control, registry, ws) = with_acme(&t).await;
        sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, role, created_at) \
             VALUES ('v1', 'vic@acme.example', 'Vic', $1, 'viewer', 0)",
        )
        .bind(
            backend::password::hash(PASSWORD.into())
                .await
                .expect("hash"),
        )
        .execute(ws.pool())
        .await
        .expect("viewer");
        let settings = SessionSettings::default();
        let done = signin::member(
            &control,
            &registry,
            &settings,
            "acme",
            creds("vic@acme.example", PASSWORD),
            &client("10.0.0.5"),
        )
        .await
        .expect("sign in");
        let caller = signed(&control, &done.token).await;
        let ctx = open_workspace(&control, &registry, &caller, "acme", Action::ViewWorkspace)
            .await
            .expect("a viewer views");
        assert!(matches!(
            ctx.require(Action::EditDashboards),
            Err(BackendError::Forbidden)
        ));
        assert!(matches!(
            open_workspace(&control, &registry, &caller, "acme", Action::ManageMembers).await,
            Err(BackendError::Forbidden)
        ));
        // A demotion takes effect on the next request: roles are read from the workspace.
        sqlx::query("UPDATE users SET role = 'editor' WHERE id = 'v1'")
            .execute(ws.pool())
            .await
            .expect("promote");
        let ctx = open_workspace(&control, &registry, &caller, "acme", Action::EditDashboards)
            .await
            .expect("an editor edits");
        assert_eq!(ctx.workspace.slug.as_str(), "acme");

        workspaces::set_status(&control, "acme", model::WorkspaceStatus::Suspended)
            .await
            .expect("suspend");
        assert!(matches!(
            open_workspace(&control, &registry, &caller, "acme", Action::ViewWorkspace).await,
            Err(BackendError::Forbidden)
        ));
        assert!(matches!(
            signin::member(
                &control,
                &registry,
                &settings,
                "acme",
                creds("vic@acme.example", PASSWORD),
                &client("10.0.0.5")
            )
            .await,
            Err(BackendError::Forbidden)
        ));
    }
);

on_both!(
    operators_sign_in_and_run_every_workspace,
    |t: TestDbRef| async move {
        let (control, registry, _ws) = with_acme(&t).await;
        let id = operators::create(&control, "Ops@Startup.example", "Olga", PASSWORD)
            .await
            .expect("create");
        let again = operators::create(&control, "ops@startup.example", "Olga", PASSWORD)
            .await
            .expect_err("one account per address");
        assert!(matches!(again, BackendError::Invalid { ref field, .. } if field == "email"));
        assert!(matches!(
            operators::create(&control, "x@startup.example", "X", "short").await,
            Err(BackendError::Invalid { ref field, .. }) if field == "password"
        ));
        let settings = SessionSettings::default();
        let wrong = signin::operator(
            &control,
            &settings,
            creds("ops@startup.example", "not the password"),
            &client("10.0.0.6"),
        )
        .await
        .expect_err("wrong");
        assert_eq!(
            wrong.into_api("r"),
            model::ApiError::invalid("password", SIGN_IN_FAILED)
        );
        let done = signin::operator(
            &control,
            &settings,
            creds("ops@startup.example", PASSWORD),
            &client("10.0.0.6"),
        )
        .await
        .expect("sign in");
        assert!(done.slug.is_none());
        let caller = signed(&control, &done.token).await;
        let op = require_operator(&control, &caller, Action::Operate)
            .await
            .expect("operator");
        assert_eq!(
            (op.operator_id.as_str(), op.name.as_str()),
            (id.as_str(), "Olga")
        );
        let ctx = open_workspace(&control, &registry, &caller, "acme", Action::ManageMembers)
            .await
            .expect("operators run the back office of every workspace");
        assert!(matches!(ctx.actor, Actor::Operator(_)));
        assert!(matches!(
            ctx.require(Action::ManageOwnAccount),
            Err(BackendError::Forbidden)
        ));
        let audit: Vec<String> =
            sqlx::query_scalar("SELECT action FROM operator_audit ORDER BY at, action")
                .fetch_all(control.pool())
                .await
                .expect("audit");
        for action in ["operator_created", "sign_in_failed", "sign_in"] {
            assert!(
                audit.iter().any(|a| a == action),
                "{action} missing from {audit:?}"
            );
        }
    }
);

on_both!(
    erasing_a_workspace_ends_its_sessions_and_forgets_its_failures,
    |t: TestDbRef| async move {
        let (control, registry, _ws) = with_acme(&t).await;
        let settings = SessionSettings::default();
        let done = signin::member(
            &control,
            &registry,
            &settings,
            "acme",
            creds("ada@acme.example", PASSWORD),
            &client("10.0.0.7"),
        )
        .await
        .expect("sign in");
        signin::member(
            &control,
            &registry,
            &settings,
            "acme",
            creds("ada@acme.example", "wrong password!!"),
            &client("10.0.0.7"),
        )
        .await
        .expect_err("wrong");
        workspaces::erase(&control, &registry, "acme")
            .await
            .expect("erase");
        assert_eq!(signed(&control, &done.token).await, Caller::Anonymous);
        for table in ["sessions", "rate_events"] {
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table} WHERE workspace_id IS NOT NULL"
            )))
            .fetch_one(control.pool())
            .await
            .expect("count");
            assert_eq!(n, 0, "{table}");
        }
    }
);

on_both!(
    a_burst_of_parallel_guesses_gets_no_more_than_the_free_attempts,
    |t: TestDbRef| async move {
        let (control, registry, _ws) = with_acme(&t).await;
        let mut burst = tokio::task::JoinSet::new();
        for i in 0..24 {
            let (control, registry) = (control.clone(), registry.clone());
            burst.spawn(async move {
                signin::member(
                    &control,
                    &registry,
                    &SessionSettings::default(),
                    "acme",
                    creds("ada@acme.example", "not the password"),
                    &client(&format!("10.0.1.{i}")),
                )
                .await
            });
        }
        let mut checked = 0;
        let mut limited = 0;
        while let Some(result) = burst.join_next().await {
            match result.expect("task") {
                Err(BackendError::RateLimited { .. }) => limited += 1,
                Err(BackendError::Invalid { .. }) => checked += 1,
                other => panic!("{other:?}"),
            }
        }
        assert!(
            checked <= limit::ACCOUNT_FAILURES.free,
            "{checked} passwords were checked in one burst"
        );
        assert_eq!(checked + limited, 24);
        // Every checked guess counts; the refused ones do not.
        let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_events")
            .fetch_one(control.pool())
            .await
            .expect("count");
        assert_eq!(
            counted,
            2 * i64::from(checked),
            "account and address events"
        );
    }
);

on_both!(
    many_people_behind_one_address_sign_in_at_once,
    |t: TestDbRef| async move {
        let (control, registry, ws) = with_acme(&t).await;
        let people = limit::ADDRESS_FAILURES.free + 2;
        for i in 0..people {
            backend::testing::insert_user(
                &ws,
                &format!("p{i}@acme.example"),
                "Someone",
                "viewer",
                PASSWORD,
            )
            .await;
        }
        let mut office = tokio::task::JoinSet::new();
        for i in 0..people {
            let (control, registry) = (control.clone(), registry.clone());
            office.spawn(async move {
                let email = format!("p{i}@acme.example");
                signin::member(
                    &control,
                    &registry,
                    &SessionSettings::default(),
                    "acme",
                    creds(&email, PASSWORD),
                    &client("192.0.2.50"),
                )
                .await
                .map(|_| ())
            });
        }
        while let Some(result) = office.join_next().await {
            result.expect("task").expect("everyone signs in");
        }
    }
);
