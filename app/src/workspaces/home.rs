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
    let workspace = Resource::new_blocking(slug, get_workspace);
    let me = Resource::new_blocking(slug, whoami);
    view! {
        <Suspense fallback=|| view! { <p class="message-page">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let ws = match workspace.await {
                    Ok(ws) => ws,
                    Err(error) => return view! { <ErrorPage error /> }.into_any(),
                };
                if ws.status == WorkspaceStatus::Suspended {
                    return view! { <Suspended ws /> }.into_any();
                }
                match me.await {
                    Ok(me) => view! { <Home me /> }.into_any(),
                    Err(ApiError::Unauthorized) => {
                        view! { <Redirect path=sign_in_path(ws.slug.as_str()) /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
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
