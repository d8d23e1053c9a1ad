//! The language of pages and mails over HTTP, on SQLite and on PostgreSQL: the browser's
//! Accept-Language, the footer's language menu (a cookie), and a user's saved setting, which
//! wins over both and also decides the language of the mails they get.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use backend::on_both;
use backend::testing::{link_token, TestDbRef};
use common::{TestApp, TestResponse};

/// A page as a browser sends for it, with its language preference and cookies.
async fn page(app: &TestApp, path: &str, accept: &str, cookie: &str) -> TestResponse {
    let mut request = Request::get(path).header(header::ACCEPT, "text/html");
    if !accept.is_empty() {
        request = request.header(header::ACCEPT_LANGUAGE, accept);
    }
    if !cookie.is_empty() {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::empty()).expect("request"))
        .await
}

fn lang(html: &str) -> &str {
    let start = html
        .find("<html lang=\"")
        .expect("an html element with a language")
        + 12;
    &html[start..start + html[start..].find('"').expect("closing quote")]
}

/// A mail file as text: quoted-printable soft breaks joined and `=XX` bytes decoded.
fn decoded(mail: &str) -> String {
    let unfolded = mail.replace("=\r\n", "").replace("\r\n", "\n");
    let mut bytes = Vec::new();
    let raw = unfolded.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'=', Some(byte)) => {
                bytes.push(byte);
                i += 3;
            }
            (b, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The language cookie a response sets, as a `Cookie` value.
fn language_cookie(res: &TestResponse) -> Option<String> {
    res.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("iotr_lang="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

on_both!(
    a_visitor_gets_the_browsers_language_or_the_one_they_pick,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
            .build()
            .await;
        let english = page(&app, "/", "", "").await.body;
        assert_eq!(lang(&english), "en");
        assert!(
            english.contains("Every device your customers own"),
            "{english}"
        );

        let french = page(&app, "/", "fr-CA,fr;q=0.9,en;q=0.5", "").await.body;
        assert_eq!(lang(&french), "fr");
        // The theme's copy in French, and the interface around it.
        assert!(
            french.contains("Tous les appareils de vos clients"),
            "{french}"
        );
        assert!(
            !french.contains("Every device your customers own"),
            "{french}"
        );
        assert!(french.contains(">Langue<"), "{french}");
        let sign_in = page(&app, "/w/acme/sign-in", "fr", "").await.body;
        assert_eq!(lang(&sign_in), "fr");
        assert!(sign_in.contains("Mot de passe"), "{sign_in}");
        // A language we do not speak falls back to English.
        assert_eq!(
            lang(&page(&app, "/", "de-DE,it;q=0.5", "").await.body),
            "en"
        );

        // The footer's menu: a cookie that beats the browser's preference, then back.
        let res = app
            .post_form(
                "/language",
                "language=fr&next=%2Fw%2Facme%2Fsign-in%3Fx%3D1",
                "http://localhost/w/acme/sign-in?x=1",
            )
            .await;
        assert!(res.status.is_redirection(), "{} {}", res.status, res.body);
        assert_eq!(res.location(), "/w/acme/sign-in?x=1");
        let cookie = language_cookie(&res).expect("a language cookie");
        assert_eq!(cookie, "iotr_lang=fr");
        assert_eq!(lang(&page(&app, "/", "en", &cookie).await.body), "fr");

        // Never back to another site; a language we do not speak is refused.
        let res = app
            .post_form(
                "/language",
                "language=en&next=%2F%2Fevil.example%2F",
                "http://localhost/",
            )
            .await;
        assert_eq!(res.location(), "/");
        let res = app
            .post_form("/language", "language=de&next=%2F", "http://localhost/")
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert!(language_cookie(&res).is_none());

        // Another site cannot switch a visitor's language.
        let res = app
            .send(
                Request::post("/language")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ORIGIN, "https://evil.example")
                    .body(Body::from("language=fr&next=%2F"))
                    .expect("request"),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(language_cookie(&res).is_none());
    }
);

on_both!(
    a_user_who_chose_french_gets_french_pages_and_mails,
    |t: TestDbRef| async move {
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
            .build()
            .await;
        let ada = app.sign_in("acme", "ada@acme.example").await;
        let settings = page(&app, "/w/acme/settings", "en", &ada).await.body;
        assert!(settings.contains("Your settings"), "{settings}");

        // Saved from the settings page without JavaScript.
        let res = app
            .post_form_as(
                "/api/set_my_language",
                "slug=acme&language=fr",
                "http://localhost/w/acme/settings",
                &ada,
            )
            .await;
        assert!(res.status.is_redirection(), "{} {}", res.status, res.body);
        assert!(res.location().ends_with("/w/acme/settings?language=saved"));
        assert_eq!(language_cookie(&res).as_deref(), Some("iotr_lang=fr"));

        // The setting beats the browser's English, without any language cookie.
        let settings = page(&app, "/w/acme/settings?language=saved", "en", &ada)
            .await
            .body;
        assert_eq!(lang(&settings), "fr");
        assert!(settings.contains("Vos paramètres"), "{settings}");
        assert!(
            settings.contains("Votre langue est enregistrée."),
            "{settings}"
        );
        // And it is there again at the next sign-in, in a new browser.
        let again = app.sign_in("acme", "ada@acme.example").await;
        let home = page(&app, "/w/acme/", "en", &again).await.body;
        assert_eq!(lang(&home), "fr");

        // The server's checks answer in French too.
        let res = app
            .call_as("/api/rename_me", "slug=acme&name=", &again)
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert!(res.body.contains("Saisissez votre nom."), "{}", res.body);

        // Mails she sends and gets are in French.
        let res = app
            .call_as(
                "/api/invite_member",
                "slug=acme&email=bo%40acme.example&role=viewer",
                &again,
            )
            .await;
        assert!(res.status.is_success(), "{} {}", res.status, res.body);
        let invitation = decoded(&app.outbox_mails(1).await.remove(0));
        assert!(invitation.contains("Bonjour,"), "{invitation}");
        assert!(
            invitation.contains("vous invite à rejoindre Acme Sensors"),
            "{invitation}"
        );
        assert!(invitation.contains("en tant que lecteur"), "{invitation}");
        assert!(!invitation.contains("invited you"), "{invitation}");
        // The audit log names what happened in her words (the code stays in the markup).
        let audit = page(&app, "/w/acme/audit", "en", &again).await.body;
        assert!(audit.contains("Invitation envoyée"), "{audit}");
        assert!(audit.contains("data-action=\"invitation_sent\""), "{audit}");

        // A reset asked for from an English page still reaches her in her language.
        let res = app
            .send(
                Request::post("/api/request_password_reset")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::ACCEPT, "text/html")
                    .header(header::ACCEPT_LANGUAGE, "en")
                    .header(header::REFERER, "http://localhost/w/acme/forgot")
                    .body(Body::from("slug=acme&email=ada%40acme.example"))
                    .expect("request"),
            )
            .await;
        assert!(res.status.is_redirection(), "{} {}", res.status, res.body);
        let mails = app.outbox_mails(2).await;
        let reset = decoded(
            mails
                .iter()
                .find(|m| m.contains("To: ada@acme.example"))
                .expect("the reset mail"),
        );
        assert!(reset.contains("Choisir un nouveau mot de passe"), "{reset}");
        assert!(!link_token(&reset, "/w/acme/reset").is_empty());

        // Back to following the browser.
        let res = app
            .post_form_as(
                "/api/set_my_language",
                "slug=acme&language=",
                "http://localhost/w/acme/settings",
                &again,
            )
            .await;
        assert!(res.status.is_redirection(), "{} {}", res.status, res.body);
        assert_eq!(
            language_cookie(&res).as_deref(),
            Some("iotr_lang="),
            "forgotten"
        );
        assert_eq!(
            lang(&page(&app, "/w/acme/settings", "en", &again).await.body),
            "en"
        );
        // A language we do not speak is refused and changes nothing.
        let res = app
            .call_as("/api/set_my_language", "slug=acme&language=de", &again)
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
    }
);
