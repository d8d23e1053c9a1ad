use super::api::get_workspace;
use crate::errors::ErrorPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::{WorkspaceStatus, WorkspaceSummary};

/// The front door of a workspace at `/w/<slug>/`.
#[component]
pub fn WorkspaceHome() -> impl IntoView {
    let params = use_params_map();
    let workspace = Resource::new_blocking(
        move || params.read().get("slug").unwrap_or_default(),
        get_workspace,
    );
    view! {
        <Suspense fallback=|| view! { <p class="message-page">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match workspace.await {
                    Ok(ws) => view! { <WorkspaceDoor ws /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WorkspaceDoor(ws: WorkspaceSummary) -> impl IntoView {
    let name = ws.name.clone();
    match ws.status {
        WorkspaceStatus::Suspended => view! {
            <Title text=name.clone() />
            <section class="message-page" role="alert">
                <p class="code">"Workspace suspended"</p>
                <h1>{name}</h1>
                <p>"This workspace is suspended. Its data is kept, but nobody can sign in until it is reactivated. Please contact your account manager."</p>
            </section>
        }
        .into_any(),
        _ => view! {
            <Title text=name.clone() />
            <section class="message-page">
                <p class="code">{format!("/w/{}/", ws.slug)}</p>
                <h1>{name}</h1>
                <p>"This workspace is active."</p>
            </section>
        }
        .into_any(),
    }
}
