//! Pages for when something is missing or broken, in words a person can act on.

use i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use model::{ApiError, Language};

/// The transport sentences of `model` (`ApiError::from_server_fn_error`), which a page
/// translates by matching their exact English text.
const TRANSPORT_UNREACHABLE: &str =
    "Could not reach the server. Check your connection and try again.";
const TRANSPORT_NOT_UNDERSTOOD: &str =
    "The request could not be understood. Please reload the page.";
const TRANSPORT_NOT_COMPLETED: &str = "The request could not be completed. Please try again.";

/// A wait in words in `language`: "2 minutes" / "2 minutes", "1 hour" / "1 heure" (the same
/// rounding as `model::wait_words`).
fn wait_text(secs: u64, language: Language) -> String {
    let locale = i18n::Locale::from(language);
    match secs {
        0..=59 => i18n::td_string!(locale, account.errors.wait_seconds, count = secs.max(1)),
        60..=3599 => i18n::td_string!(
            locale,
            account.errors.wait_minutes,
            count = secs.div_ceil(60)
        ),
        _ => i18n::td_string!(
            locale,
            account.errors.wait_hours,
            count = secs.div_ceil(3600)
        ),
    }
}

/// What `error` says to a person, in `language`: the fixed sentences translated; messages
/// from the server (`NotFound`, `Invalid`, unknown `Transport` texts) as they came. In English
/// it equals `error.to_string()`.
pub fn error_text(error: &ApiError, language: Language) -> String {
    let locale = i18n::Locale::from(language);
    match error {
        ApiError::Forbidden => i18n::td_string!(locale, account.errors.forbidden).to_string(),
        ApiError::Unauthorized => i18n::td_string!(locale, account.errors.unauthorized).to_string(),
        ApiError::RateLimited { retry_after_secs } => i18n::td_string!(
            locale,
            account.errors.rate_limited,
            wait = wait_text(*retry_after_secs, language)
        ),
        ApiError::Unavailable => i18n::td_string!(locale, account.errors.unavailable).to_string(),
        ApiError::SourceUnavailable => {
            i18n::td_string!(locale, account.errors.source_unavailable).to_string()
        }
        ApiError::Internal { request_id } => {
            i18n::td_string!(locale, account.errors.internal, reference = request_id)
        }
        ApiError::Transport { message } => match message.as_str() {
            TRANSPORT_UNREACHABLE => {
                i18n::td_string!(locale, account.errors.transport_unreachable).to_string()
            }
            TRANSPORT_NOT_UNDERSTOOD => {
                i18n::td_string!(locale, account.errors.transport_not_understood).to_string()
            }
            TRANSPORT_NOT_COMPLETED => {
                i18n::td_string!(locale, account.errors.transport_not_completed).to_string()
            }
            _ => message.clone(),
        },
        ApiError::NotFound { .. } | ApiError::Invalid { .. } => error.to_string(),
    }
}

/// The page for an address that leads nowhere (HTTP 404).
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, account.errors.page_not_found_title) />
        <section class="message-page">
            <p class="code">{t_string!(i18n, account.errors.code, status = 404)}</p>
            <h1>{t!(i18n, account.errors.page_not_found_heading)}</h1>
            <p>{t!(i18n, account.errors.page_not_found_hint)}</p>
            <p><a href="/">{t!(i18n, account.errors.go_home)}</a></p>
        </section>
    }
}

/// The page for an error that stops a page from showing, with the HTTP status that goes with it.
#[component]
pub fn ErrorPage(error: ApiError) -> impl IntoView {
    set_status(error.status());
    let i18n = use_i18n();
    let language = i18n::use_language();
    let (title, heading) = match &error {
        ApiError::NotFound { .. } => (
            t_string!(i18n, account.errors.not_found_title),
            t_string!(i18n, account.errors.not_found_heading),
        ),
        ApiError::Forbidden | ApiError::Unauthorized => (
            t_string!(i18n, account.errors.not_allowed_title),
            t_string!(i18n, account.errors.not_allowed_heading),
        ),
        ApiError::Unavailable => (
            t_string!(i18n, account.errors.unavailable_title),
            t_string!(i18n, account.errors.unavailable_heading),
        ),
        ApiError::SourceUnavailable => (
            t_string!(i18n, account.errors.unavailable_title),
            t_string!(i18n, account.errors.source_unavailable_heading),
        ),
        _ => (
            t_string!(i18n, account.errors.error_title),
            t_string!(i18n, account.errors.error_heading),
        ),
    };
    view! {
        <Title text=title />
        <section class="message-page" role="alert">
            <p class="code">{t_string!(i18n, account.errors.code, status = error.status())}</p>
            <h1>{heading}</h1>
            <p>{error_text(&error, language)}</p>
            <p><a href="/">{t!(i18n, account.errors.go_home)}</a></p>
        </section>
    }
}

/// Sets the HTTP status of the server-rendered response (does nothing in the browser).
fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(status);
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

    fn every_variant() -> Vec<ApiError> {
        let mut all = vec![
            ApiError::not_found("No such page."),
            ApiError::Forbidden,
            ApiError::Unauthorized,
            ApiError::invalid("name", "Enter a name."),
            ApiError::Unavailable,
            ApiError::SourceUnavailable,
            ApiError::Internal {
                request_id: "req-42".into(),
            },
            ApiError::Transport {
                message: "offline".into(),
            },
        ];
        for secs in [0, 1, 2, 59, 60, 61, 90, 3599, 3600, 3601, 7200, 86_400] {
            all.push(ApiError::RateLimited {
                retry_after_secs: secs,
            });
        }
        all.extend(transport_errors());
        all
    }

    /// The errors `model` makes of the server-function machinery's own failures.
    fn transport_errors() -> Vec<ApiError> {
        [
            ServerFnErrorErr::Request("down".into()),
            ServerFnErrorErr::Deserialization("bad".into()),
            ServerFnErrorErr::ServerError("odd".into()),
        ]
        .into_iter()
        .map(ApiError::from_server_fn_error)
        .collect()
    }

    #[test]
    fn english_texts_are_the_errors_own_sentences() {
        for error in every_variant() {
            assert_eq!(
                error_text(&error, Language::En),
                error.to_string(),
                "{error:?}"
            );
        }
    }

    #[test]
    fn the_known_transport_sentences_are_the_ones_model_makes() {
        let texts: Vec<String> = transport_errors().iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                TRANSPORT_UNREACHABLE,
                TRANSPORT_NOT_UNDERSTOOD,
                TRANSPORT_NOT_COMPLETED
            ]
        );
    }

    #[test]
    fn french_texts_are_translated_and_keep_their_details() {
        let fixed = [
            ApiError::Forbidden,
            ApiError::Unauthorized,
            ApiError::Unavailable,
            ApiError::SourceUnavailable,
        ];
        for error in fixed.iter().cloned().chain(transport_errors()) {
            let fr = error_text(&error, Language::Fr);
            assert!(!fr.is_empty());
            assert_ne!(fr, error.to_string(), "{error:?}");
        }
        let internal = ApiError::Internal {
            request_id: "req-42".into(),
        };
        let fr = error_text(&internal, Language::Fr);
        assert_ne!(fr, internal.to_string());
        assert!(fr.contains("req-42"), "{fr}");
        let waits = [
            (1, "1 seconde"),
            (45, "45 secondes"),
            (90, "2 minutes"),
            (60, "1 minute"),
            (3600, "1 heure"),
            (3601, "2 heures"),
        ];
        for (secs, wait) in waits {
            let error = ApiError::RateLimited {
                retry_after_secs: secs,
            };
            let fr = error_text(&error, Language::Fr);
            assert_ne!(fr, error.to_string());
            assert!(fr.contains(&format!("dans {wait}.")), "{fr}");
        }
        // Server messages pass through as they came.
        for error in [
            ApiError::not_found("No such page."),
            ApiError::invalid("name", "Enter a name."),
            ApiError::Transport {
                message: "offline".into(),
            },
        ] {
            assert_eq!(error_text(&error, Language::Fr), error.to_string());
        }
    }
}
