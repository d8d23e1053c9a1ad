use super::api::FindWorkspace;
use crate::theme::use_theme;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::ApiError;

/// The start page of the deployment: who the startup is, and the way into a workspace.
#[component]
pub fn Landing() -> impl IntoView {
    let theme = use_theme();
    let find = ServerAction::<FindWorkspace>::new();
    let error = move || find.value().get().and_then(Result::err);
    let query_error = move || {
        error().map(|e| match e {
            ApiError::Invalid { message, .. } => message,
            other => other.to_string(),
        })
    };
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
        </section>
    }
}
