//! Form pieces every page uses: a labelled text field with its error line, and the rule for
//! which error sentences a form may show.

use leptos::prelude::*;
use model::ApiError;

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

/// The sentence to show for a failed form: for `Invalid` and `NotFound`, one of `known` (the
/// error of a form sent without JavaScript travels in the page's URL, where anyone can write
/// anything, so free text is never shown); `fallback` when the text is not one of them.
pub fn known_sentence(
    error: &ApiError,
    known: &[&'static str],
    fallback: &'static str,
) -> &'static str {
    match error {
        ApiError::Invalid { message, .. } | ApiError::NotFound { message } => known
            .iter()
            .find(|k| **k == message.as_str())
            .copied()
            .unwrap_or(fallback),
        ApiError::Unavailable => {
            "The service is unavailable right now. Please try again in a moment."
        }
        ApiError::SourceUnavailable => "The data source is unavailable.",
        _ => "Something went wrong. Please try again.",
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
    Some(if is_known(message) { message } else { fallback }.to_string())
}

/// The sentence for a failed form that is about no single field (a rate limit, an outage, a
/// refusal); `None` for field errors, which their field shows.
pub fn form_sentence(error: &ApiError) -> Option<String> {
    match error {
        ApiError::Invalid { .. } => None,
        // Its only variable part is a number, so a crafted URL can say nothing else.
        ApiError::RateLimited { .. } | ApiError::Forbidden | ApiError::Unauthorized => {
            Some(error.to_string())
        }
        other => {
            Some(known_sentence(other, &[], "Something went wrong. Please try again.").to_string())
        }
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

/// The sentence for a failed change on a page of several small forms: a field error's message
/// when it is one of `known`, `fallback` when it is not, the form sentence otherwise.
pub fn change_sentence(error: &ApiError, known: &[&'static str], fallback: &'static str) -> String {
    match error {
        ApiError::Invalid { message, .. } => known
            .iter()
            .find(|k| **k == message.as_str())
            .copied()
            .unwrap_or(fallback)
            .to_string(),
        other => form_sentence(other).unwrap_or_default(),
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
}
