//! Sign-in, sessions, the cross-origin guard and the back office over HTTP, in-process, on
//! SQLite and on PostgreSQL.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use backend::{on_both, testing::TestDbRef};
use common::{TestApp, PASSWORD};
use model::account::SIGN_IN_FAILED;

fn set_cookies(res: &common::TestResponse) -> Vec<String> {
    res.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect()
}

on_both!(
    creating_a_workspace_on_the_landing_page_lands_signed_in,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t).build().await;
        let form = "name=Acme+Sensors&slug=&owner_name=Ada+Lovelace&owner_email=ada%40acme.example\
                    &owner_password=correct+horse+battery";
        let res = app
            .post_form("/api/create_workspace", form, "http://localhost/")
            .await;
        assert!(res.status.is_redirection(), "{} {}", res.status, res.body);
        // The address was suggested from the company name.
        assert_eq!(res.location(), "/w/acme-sensors/");
        let cookies = set_cookies(&res);
        assert_eq!(cookies.len(), 1, "{cookies:?}");
        let cookie = &cookies[0];
        for attribute in ["Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=43200"] {
            assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
        }
        assert!(
            !cookie.contains("Secure"),
            "plain HTTP on localhost cannot keep a Secure cookie: {cookie}"
        );

        let session = res.session_cookie().expect("session");
        let home = app.get_as("/w/acme-sensors/", &session).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        assert!(home.body.contains("Signed in as"), "{}", home.body);
        assert!(home.body.contains("Ada Lovelace"));
        assert!(home.body.contains("ada@acme.example, owner"));

        // A second creation at the same address is refused, field by field, with nothing made.
        let res = app
            .call(
                "/api/create_workspace",
                "name=Other&slug=acme-sensors&owner_name=Eve&owner_email=eve%40x.example\
                 &owner_password=correct+horse+battery",
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert_eq!(res.json()["field"], "slug");
        assert!(res.session_cookie().is_none());
    }
);

on_both!(
    outside_plain_local_http_the_cookie_is_secure_and_host_bound,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .public_url("https://iot.example.com")
            .with_created_workspace("acme", "Acme", "ada@acme.example")
            .build()
            .await;
        let res = app
            .call(
                "/api/sign_in",
                "slug=acme&email=ada%40acme.example&password=correct+horse+battery",
            )
            .await;
        let cookies = set_cookies(&res);
        assert_eq!(cookies.len(), 1, "{} {cookies:?}", res.body);
        assert!(
            cookies[0].starts_with("__Host-iotr_session="),
            "{}",
            cookies[0]
        );
        assert!(cookies[0].contains("; Secure"), "{}", cookies[0]);
        assert!(cookies[0].contains("; Path=/"), "{}", cookies[0]);
    }
);

on_both!(
    a_wrong_password_is_explained_on_the_sign_in_page_without_javascript,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme", "ada@acme.example")
            .build()
            .await;
        let res = app
            .post_form(
                "/api/sign_in",
                "slug=acme&email=ada%40acme.example&password=not+the+password",
                "http://localhost/w/acme/sign-in",
            )
            .await;
        assert!(res.status.is_redirection(), "{}", res.status);
        assert!(res.session_cookie().is_none());
        let back = res
            .location()
            .trim_start_matches("http://localhost")
            .to_string();
        assert!(back.starts_with("/w/acme/sign-in?"), "{back}");
        let page = app.get(&back).await;
        assert!(page.body.contains(SIGN_IN_FAILED), "{}", page.body);

        // The right password signs in and goes home.
        let res = app
            .post_form(
                "/api/sign_in",
                "slug=acme&email=ada%40acme.example&password=correct+horse+battery",
                "http://localhost/w/acme/sign-in",
            )
            .await;
        assert_eq!(res.location(), "/w/acme/");
        assert!(res.session_cookie().is_some());
    }
);

on_both!(
    a_cross_origin_post_is_refused_and_changes_nothing,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme", "ada@acme.example")
            .build()
            .await;
        let session = app.sign_in("acme", "ada@acme.example").await;
        // Another site's page posts "sign out everywhere" with the victim's cookie.
        let res = app
            .send(
                Request::post("/api/sign_out_everywhere")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ORIGIN, "https://evil.example")
                    .header(header::COOKIE, &session)
                    .body(Body::from("slug=acme"))
                    .expect("request"),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(res.json()["kind"], "forbidden");
        let home = app.get_as("/w/acme/", &session).await;
        assert_eq!(home.status, StatusCode::OK, "the session still works");

        // The same request from the site itself goes through.
        let res = app
            .send(
                Request::post("/api/sign_out_everywhere")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ORIGIN, "http://localhost")
                    .header(header::COOKIE, &session)
                    .body(Body::from("slug=acme"))
                    .expect("request"),
            )
            .await;
        assert!(
            res.status.is_success() || res.status.is_redirection(),
            "{}",
            res.status
        );
        let home = app.get_as("/w/acme/", &session).await;
        assert_eq!(home.location(), "/w/acme/sign-in");
    }
);

on_both!(
    repeated_failures_get_429_with_retry_after,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme", "ada@acme.example")
            .build()
            .await;
        let wrong = "slug=acme&email=ada%40acme.example&password=not+the+password";
        for _ in 0..5 {
            let res = app.call("/api/sign_in", wrong).await;
            assert_eq!(res.status, StatusCode::BAD_REQUEST);
        }
        let res = app.call("/api/sign_in", wrong).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.json()["kind"], "rate_limited");
        let retry: u64 = res.headers[header::RETRY_AFTER]
            .to_str()
            .expect("text")
            .parse()
            .expect("seconds");
        assert!((1..=2).contains(&retry), "{retry}");
        // Without JavaScript the page says when to retry.
        let res = app
            .post_form("/api/sign_in", wrong, "http://localhost/w/acme/sign-in")
            .await;
        let back = res
            .location()
            .trim_start_matches("http://localhost")
            .to_string();
        let page = app.get(&back).await;
        assert!(
            page.body.contains("Too many attempts. Please try again in"),
            "{}",
            page.body
        );
    }
);

on_both!(
    signing_out_ends_the_session_and_clears_the_cookie,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme", "ada@acme.example")
            .build()
            .await;
        let phone = app.sign_in("acme", "ada@acme.example").await;
        let laptop = app.sign_in("acme", "ada@acme.example").await;
        assert_ne!(phone, laptop, "a new token at every sign-in");

        let res = app.call_as("/api/sign_out", "slug=acme", &phone).await;
        let cleared = set_cookies(&res);
        assert!(
            cleared.iter().any(|c| c.contains("Max-Age=0")),
            "{cleared:?}"
        );
        assert_eq!(
            app.get_as("/w/acme/", &phone).await.location(),
            "/w/acme/sign-in"
        );
        assert_eq!(app.get_as("/w/acme/", &laptop).await.status, StatusCode::OK);

        let tablet = app.sign_in("acme", "ada@acme.example").await;
        app.call_as("/api/sign_out_everywhere", "slug=acme", &tablet)
            .await;
        for gone in [&laptop, &tablet] {
            assert_eq!(
                app.get_as("/w/acme/", gone).await.location(),
                "/w/acme/sign-in"
            );
        }
    }
);

on_both!(
    operators_sign_in_to_the_back_office_and_see_the_outbox,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
            .build()
            .await;
        backend::auth::operators::create(&app.db, "ops@startup.example", "Olga", PASSWORD)
            .await
            .expect("operator");
        let res = app.get("/admin").await;
        assert!(res.status.is_redirection(), "{}", res.status);
        assert_eq!(res.location(), "/admin/sign-in");
        // A workspace owner is no operator.
        let owner = app.sign_in("acme", "ada@acme.example").await;
        assert_eq!(
            app.get_as("/admin", &owner).await.location(),
            "/admin/sign-in"
        );

        // A mail in the outbox, as "find my workspaces" writes it.
        app.services
            .mailer
            .send(backend::mail::Mail {
                to: model::Email::parse("ada@acme.example").expect("email"),
                subject: "Your workspaces".into(),
                text: "x".into(),
                html: "<p>x</p>".into(),
                sender_name: None,
            })
            .await
            .expect("mail");

        let ops = app.operator_sign_in("ops@startup.example").await;
        let page = app.get_as("/admin", &ops).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Signed in as operator"), "{}", page.body);
        assert!(page.body.contains("Acme Sensors"));
        assert!(
            page.body.contains("Your workspaces"),
            "the outbox is listed"
        );
        // The operators' audit log names who signed in.
        assert!(page.body.contains("id=\"operator-audit\""), "{}", page.body);
        assert!(
            page.body
                .contains("<td>Olga</td><td data-action=\"sign_in\">Signed in</td>"),
            "{}",
            page.body
        );
        // An operator may open any workspace's home.
        let home = app.get_as("/w/acme/", &ops).await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.body);
        assert!(home.body.contains("operator"));
    }
);
