//! Form pieces every page uses: a labelled text field with its error line, and the rule for
//! which error sentences a form may show.

use leptos::prelude::*;
use model::ApiError;

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
        _ => "Something went wrong. Please try again.",
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
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            name=name
            type="text"
            autocomplete=autocomplete
            inputmode=inputmode
            placeholder=placeholder
            aria-describedby=error_id.clone()
            aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
        />
        <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
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
