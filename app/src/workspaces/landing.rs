use super::api::{FindWorkspace, SendWorkspaceLinks};
use crate::theme::use_theme;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use model::account::EMAIL_MESSAGES;
use model::workspace::{FIND_MESSAGES, FIND_NOT_FOUND};
use model::ApiError;

/// The sentence for a refused e-mail address: one of the known ones, never free text.
fn email_message(error: &ApiError) -> &'static str {
    match error {
        ApiError::Invalid { message, .. } => EMAIL_MESSAGES
            .iter()
            .find(|known| **known == message.as_str())
            .copied()
            .unwrap_or(EMAIL_MESSAGES[2]),
        ApiError::Unavailable => {
            "The service is unavailable right now. Please try again in a moment."
        }
        _ => "Something went wrong. Please try again.",
    }
}

/// The sentence to show for a failed search: one of the known ones, never free text (the error
/// may come from the page's URL).
fn find_message(error: &ApiError) -> &'static str {
    match error {
        ApiError::NotFound { .. } => FIND_NOT_FOUND,
        ApiError::Invalid { message, .. } => FIND_MESSAGES
            .iter()
            .find(|known| **known == message.as_str())
            .copied()
            .unwrap_or(FIND_MESSAGES[0]),
        ApiError::Unavailable => {
            "The service is unavailable right now. Please try again in a moment."
        }
        _ => "Something went wrong. Please try again.",
    }
}

/// The start page of the deployment: who the startup is, and the way into a workspace.
#[component]
pub fn Landing() -> impl IntoView {
    let theme = use_theme();
    let find = ServerAction::<FindWorkspace>::new();
    let error = move || find.value().get().and_then(Result::err);
    let query_error = move || error().map(|e| find_message(&e).to_string());
    let links = ServerAction::<SendWorkspaceLinks>::new();
    let links_error = move || {
        links
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| email_message(&e).to_string())
    };
    let query = use_query_map();
    let links_sent = move || query.read().get("links").as_deref() == Some("sent");
    view! {
        <Title text="" />
        <section class="landing">
            <h1>{theme.name.clone()}</h1>
            <p class="tagline">{theme.tagline.clone()}</p>
            <div class="card">
                <h2>"Find your workspace"</h2>
                <ActionForm action=find>
                    <label for="find-query">"Workspace name or address"</label>
                    <input
                        id="find-query"
                        name="query"
                        type="text"
                        autocomplete="organization"
                        placeholder="e.g. acme-sensors"
                        aria-describedby="find-query-error"
                        aria-invalid=move || if error().is_some() { "true" } else { "false" }
                    />
                    <p id="find-query-error" class="field-error" role="alert">{query_error}</p>
                    <button type="submit" disabled=move || find.pending().get()>
                        "Go to workspace"
                    </button>
                </ActionForm>
            </div>
            <div class="card">
                <h2>"Find your workspaces by e-mail"</h2>
                <ActionForm action=links>
                    <label for="links-email">"Your e-mail address"</label>
                    <input
                        id="links-email"
                        name="email"
                        type="text"
                        inputmode="email"
                        autocomplete="email"
                        aria-describedby="links-email-error"
                        aria-invalid=move || if links_error().is_some() { "true" } else { "false" }
                    />
                    <p id="links-email-error" class="field-error" role="alert">{links_error}</p>
                    <button type="submit" disabled=move || links.pending().get()>
                        "Mail me the links"
                    </button>
                </ActionForm>
                <p id="links-sent" class="sent" role="status">
                    {move || links_sent().then_some(
                        "If this address belongs to any workspace, a mail with links to them is on its way.",
                    )}
                </p>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_sentences_are_shown() {
        let forged = ApiError::invalid("query", "Your workspace moved to evil.example");
        assert_eq!(find_message(&forged), FIND_MESSAGES[0]);
        let forged = ApiError::not_found("Call +1 555 0100 for help");
        assert_eq!(find_message(&forged), FIND_NOT_FOUND);
        let real = ApiError::invalid("query", model::workspace::FIND_AMBIGUOUS);
        assert_eq!(find_message(&real), model::workspace::FIND_AMBIGUOUS);
    }
}
