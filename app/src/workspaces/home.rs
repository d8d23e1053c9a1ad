use super::api::get_workspace;
use crate::account::api::whoami;
use crate::account::{sign_in_path, SignOutButtons};
use crate::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use model::account::Me;
use model::{ApiError, WorkspaceStatus, WorkspaceSummary};

/// The home of a workspace at `/w/<slug>/`: who is signed in; the sign-in page for anyone else.
#[component]
pub fn WorkspaceHome() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // The workspace first: a suspended one is explained to everyone, and nobody is asked who
    // they are (which would answer 401 under the page).
    let page = Resource::new_blocking(slug, |slug| async move {
        let ws = get_workspace(slug.clone()).await?;
        if ws.status == WorkspaceStatus::Suspended {
            return Ok(HomeState::Suspended(ws));
        }
        match whoami(slug).await {
            Ok(me) => Ok(HomeState::SignedIn(me)),
            Err(ApiError::Unauthorized) => Ok(HomeState::SignedOut(ws)),
            Err(error) => Err(error),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="message-page">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(HomeState::Suspended(ws)) => view! { <Suspended ws /> }.into_any(),
                    Ok(HomeState::SignedIn(me)) => view! { <Home me /> }.into_any(),
                    Ok(HomeState::SignedOut(ws)) => {
                        view! { <Redirect path=sign_in_path(ws.slug.as_str()) /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
enum HomeState {
    Suspended(WorkspaceSummary),
    SignedIn(Me),
    SignedOut(WorkspaceSummary),
}

/// What users of a suspended workspace see instead of it.
#[component]
pub fn Suspended(ws: WorkspaceSummary) -> impl IntoView {
    let name = ws.name.clone();
    view! {
        <Title text=name.clone() />
        <section class="message-page" role="alert">
            <p class="code">"Workspace suspended"</p>
            <h1>{name}</h1>
            <p>"This workspace is suspended. Its data is kept, but nobody can sign in until it is reactivated. Please contact your account manager."</p>
        </section>
    }
}

#[component]
fn Home(me: Me) -> impl IntoView {
    let name = me.workspace.name.clone();
    let role = me.role.map_or("operator", |r| r.as_str());
    view! {
        <Title text=name.clone() />
        <section class="message-page">
            <p class="code">{format!("/w/{}/", me.workspace.slug)}</p>
            <h1>{name}</h1>
            <p id="signed-in-as">
                "Signed in as " <strong>{me.name.clone()}</strong> {format!(" ({}, {role})", me.email)}
            </p>
            <SignOutButtons slug=me.workspace.slug.to_string() />
        </section>
    }
}
