//! The language of a request, and the footer's language menu.
//!
//! A page speaks the signed-in user's saved language, else the one kept in the `iotr_lang` cookie
//! (set by the menu), else the best match of the browser's `Accept-Language`, else English.

use crate::AppState;
use axum::extract::State;
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use backend::auth::Caller;
use backend::Services;
use model::language::LANGUAGE_COOKIE;
use model::Language;

/// The routes of this module (the access test lists them).
pub fn routes() -> Vec<(&'static str, axum::routing::MethodRouter<AppState>)> {
    vec![("/language", axum::routing::post(choose))]
}

/// The language a page or server function answers this request in.
pub fn of_request(parts: &Parts) -> Language {
    of(&parts.headers, parts.extensions.get::<Caller>())
}

/// The language for a request with these headers, from this caller.
pub fn of(headers: &HeaderMap, caller: Option<&Caller>) -> Language {
    let setting = match caller {
        Some(Caller::Signed(session)) => session.language,
        _ => None,
    };
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Language::choose(setting, cookie(headers).as_deref(), accept)
}

/// The value of the language cookie, if the request has one.
fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == LANGUAGE_COOKIE).then(|| value.to_string())
        })
}

#[derive(Debug, serde::Deserialize)]
struct Choice {
    language: String,
    #[serde(default)]
    next: String,
}

/// Where to go back to: a path of this site, else the landing page (never another site).
fn back_to(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if local {
        next
    } else {
        "/"
    }
}

/// `POST /language` (`language`, `next`): keeps the language in a cookie and, for a signed-in
/// user, in their session (so it wins over the one saved in their settings until they sign
/// in again), then goes back to `next`.
async fn choose(
    State(services): State<Services>,
    caller: Option<Extension<Caller>>,
    Form(choice): Form<Choice>,
) -> Response {
    let Some(language) = Language::parse(&choice.language) else {
        return (
            StatusCode::BAD_REQUEST,
            "Choose English (en) or French (fr).",
        )
            .into_response();
    };
    if let Some(Extension(Caller::Signed(session))) = &caller {
        if let Err(e) =
            backend::auth::session::set_language(&services.control, &session.id, language).await
        {
            tracing::error!(error = %e, "could not keep the language in the session");
            return crate::error::RouteError(e.into_api("-")).into_response();
        }
    }
    let mut res = Redirect::to(back_to(&choice.next)).into_response();
    if let Ok(value) = HeaderValue::from_str(&model::language::set_cookie(
        Some(language),
        services.cookie.secure,
    )) {
        res.headers_mut().append(header::SET_COOKIE, value);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_followed() {
        assert_eq!(back_to("/w/acme/devices?q=x"), "/w/acme/devices?q=x");
        assert_eq!(back_to("//evil.example/"), "/");
        assert_eq!(back_to("https://evil.example/"), "/");
        assert_eq!(back_to("/\\evil.example"), "/");
        assert_eq!(back_to(""), "/");
        assert_eq!(back_to("/a\r\nSet-Cookie: x=y"), "/");
    }

    #[test]
    fn the_cookie_is_read_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; iotr_lang=fr; c=d"),
        );
        assert_eq!(cookie(&h).as_deref(), Some("fr"));
        assert_eq!(cookie(&HeaderMap::new()), None);
    }
}
