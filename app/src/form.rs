//! Form pieces every page uses: a labelled text field with its error line, and the rule for
//! which error sentences a form may show.

use crate::errors::error_text;
use leptos::prelude::*;
use model::{ApiError, Language};

/// `text` percent-encoded for a query value or a cookie (RFC 3986 unreserved characters kept).
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A sentence the server writes in English (the known lists and fallbacks below), in
/// `language`.
pub fn in_language(english: &str, language: Language) -> String {
    i18n::server_message(english, language).unwrap_or_else(|| english.to_string())
}

/// `message`, in `language`, when it is one of the sentences `is_known` accepts. The lists are
/// English and the server sends its messages in the reader's language, so a French message is
/// recognised by the English it translates.
fn recognised(
    message: &str,
    is_known: impl Fn(&str) -> bool,
    language: Language,
) -> Option<String> {
    let english = if is_known(message) {
        message.to_string()
    } else {
        i18n::english_of(message).filter(|english| is_known(english))?
    };
    Some(in_language(&english, language))
}

/// [`known_sentence_in`] in the page's language.
pub fn known_sentence(error: &ApiError, known: &[&'static str], fallback: &'static str) -> String {
    known_sentence_in(error, known, fallback, i18n::use_language())
}

/// The sentence to show for a failed form: for `Invalid` and `NotFound`, one of `known` (the
/// error of a form sent without JavaScript travels in the page's URL, where anyone can write
/// anything, so free text is never shown); `fallback` when the text is not one of them. The
/// app's own sentences (an outage, a failure) are in `language`.
pub fn known_sentence_in(
    error: &ApiError,
    known: &[&'static str],
    fallback: &'static str,
    language: Language,
) -> String {
    let locale = i18n::Locale::from(language);
    match error {
        ApiError::Invalid { message, .. } | ApiError::NotFound { message } => {
            recognised(message, |m| known.contains(&m), language)
                .unwrap_or_else(|| in_language(fallback, language))
        }
        ApiError::Unavailable => i18n::td_string!(locale, account.errors.unavailable).into(),
        ApiError::SourceUnavailable => {
            i18n::td_string!(locale, account.errors.source_unavailable).into()
        }
        _ => i18n::td_string!(locale, account.form.failed).into(),
    }
}

/// The sentence to show under the field `field` of a failed form: the error's message when the
/// error is about that field and `is_known` accepts it, `fallback` when it is about the field
/// but unknown (possibly forged), nothing otherwise.
pub fn field_sentence(
    error: &ApiError,
    field: &str,
    is_known: impl Fn(&str) -> bool,
    fallback: &str,
) -> Option<String> {
    let message = error.field_message(field)?;
    let language = i18n::use_language();
    Some(recognised(message, is_known, language).unwrap_or_else(|| in_language(fallback, language)))
}

/// [`form_sentence_in`] in the page's language.
pub fn form_sentence(error: &ApiError) -> Option<String> {
    form_sentence_in(error, i18n::use_language())
}

/// The sentence for a failed form that is about no single field (a rate limit, an outage, a
/// refusal), in `language`; `None` for field errors, which their field shows.
pub fn form_sentence_in(error: &ApiError, language: Language) -> Option<String> {
    match error {
        ApiError::Invalid { .. } => None,
        // Its only variable part is a number, so a crafted URL can say nothing else.
        ApiError::RateLimited { .. } | ApiError::Forbidden | ApiError::Unauthorized => {
            Some(error_text(error, language))
        }
        other => Some(
            known_sentence_in(
                other,
                &[],
                i18n::td_string!(i18n::Locale::from(language), account.form.failed),
                language,
            )
            .to_string(),
        ),
    }
}

/// A labelled text input named `name`, with its error line below (`{id}-error`), marked
/// invalid while there is an error.
#[component]
pub fn Field(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    /// The error sentence, if any.
    error: Signal<Option<String>>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    /// The input type (`text` unless given: `email`, `password`, ...).
    #[prop(optional)]
    input_type: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            name=name
            type=input_type.unwrap_or("text")
            autocomplete=autocomplete
            inputmode=inputmode
            placeholder=placeholder
            aria-describedby=error_id.clone()
            aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
        />
        <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
    }
}

/// The sentence under an e-mail field named `field`: a known e-mail rule, or one of `also`.
pub fn email_sentence(error: &ApiError, field: &str, also: &[&str]) -> Option<String> {
    use model::account::{EMAIL_MALFORMED, EMAIL_MESSAGES};
    field_sentence(
        error,
        field,
        |m| EMAIL_MESSAGES.contains(&m) || also.contains(&m),
        EMAIL_MALFORMED,
    )
}

/// The sentence under a new-password field named `field`.
pub fn password_sentence(error: &ApiError, field: &str) -> Option<String> {
    let known = model::account::password_messages();
    field_sentence(error, field, |m| known.iter().any(|k| k == m), &known[0])
}

/// [`change_sentence_in`] in the page's language.
pub fn change_sentence(error: &ApiError, known: &[&'static str], fallback: &'static str) -> String {
    change_sentence_in(error, known, fallback, i18n::use_language())
}

/// The sentence for a failed change on a page of several small forms: a field error's message
/// when it is one of `known`, `fallback` when it is not, the form sentence (in `language`)
/// otherwise.
pub fn change_sentence_in(
    error: &ApiError,
    known: &[&'static str],
    fallback: &'static str,
    language: Language,
) -> String {
    match error {
        ApiError::Invalid { message, .. } => recognised(message, |m| known.contains(&m), language)
            .unwrap_or_else(|| in_language(fallback, language)),
        other => form_sentence_in(other, language).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_sentences_are_shown() {
        let known = ["Enter a name.", "That name is taken."];
        let forged = ApiError::invalid("q", "Your workspace moved to evil.example");
        assert_eq!(known_sentence(&forged, &known, known[0]), "Enter a name.");
        let real = ApiError::invalid("q", "That name is taken.");
        assert_eq!(
            known_sentence(&real, &known, known[0]),
            "That name is taken."
        );
        let forged = ApiError::not_found("Call +1 555 0100");
        assert_eq!(
            known_sentence(&forged, &known, "Nothing there."),
            "Nothing there."
        );
        assert!(known_sentence(&ApiError::Unavailable, &known, known[0]).contains("unavailable"));
    }

    #[test]
    fn the_apps_own_sentences_follow_the_language() {
        let failed = ApiError::Internal {
            request_id: "r".into(),
        };
        assert_eq!(
            form_sentence(&failed).as_deref(),
            Some("Something went wrong. Please try again.")
        );
        let fr = form_sentence_in(&failed, Language::Fr).unwrap_or_default();
        assert!(fr.starts_with("Une erreur"), "{fr}");
        let limited = ApiError::RateLimited {
            retry_after_secs: 90,
        };
        assert_eq!(form_sentence(&limited), Some(limited.to_string()));
        let fr = form_sentence_in(&limited, Language::Fr).unwrap_or_default();
        assert!(
            fr.contains("2 minutes") && fr != limited.to_string(),
            "{fr}"
        );
        assert_ne!(
            known_sentence_in(&ApiError::Unavailable, &[], "x", Language::Fr),
            known_sentence(&ApiError::Unavailable, &[], "x")
        );
        assert_eq!(
            change_sentence_in(&ApiError::Forbidden, &[], "x", Language::En),
            ApiError::Forbidden.to_string()
        );
    }
}
