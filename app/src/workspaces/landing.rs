use super::api::{FindWorkspace, SendWorkspaceLinks};
use crate::form::{known_sentence, Field};
use crate::theme::use_theme;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use model::account::{EMAIL_MALFORMED, EMAIL_MESSAGES};
use model::workspace::{FIND_EMPTY, FIND_MESSAGES, FIND_NOT_FOUND};
use model::ApiError;

/// The start page of the deployment: who the startup is, and the way into a workspace.
#[component]
pub fn Landing() -> impl IntoView {
    let theme = use_theme();
    let find = ServerAction::<FindWorkspace>::new();
    let query_error = Signal::derive(move || {
        find.value().get().and_then(Result::err).map(|e| {
            let shown = match e {
                ApiError::NotFound { .. } => FIND_NOT_FOUND,
                other => known_sentence(&other, &FIND_MESSAGES, FIND_EMPTY),
            };
            shown.to_string()
        })
    });
    let links = ServerAction::<SendWorkspaceLinks>::new();
    let links_error = Signal::derive(move || {
        links
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| known_sentence(&e, &EMAIL_MESSAGES, EMAIL_MALFORMED).to_string())
    });
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
                    <Field
                        id="find-query"
                        name="query"
                        label="Workspace name or address"
                        error=query_error
                        autocomplete="organization"
                        placeholder="e.g. acme-sensors"
                    />
                    <button type="submit" disabled=move || find.pending().get()>
                        "Go to workspace"
                    </button>
                </ActionForm>
            </div>
            <div class="card">
                <h2>"Find your workspaces by e-mail"</h2>
                <ActionForm action=links>
                    <Field
                        id="links-email"
                        name="email"
                        label="Your e-mail address"
                        error=links_error
                        autocomplete="email"
                        inputmode="email"
                    />
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
