use super::api::get_workspace;
use crate::account::api::whoami;
use crate::account::{sign_in_path, SignOutButtons};
use crate::errors::ErrorPage;
use crate::groups::api::my_groups;
use crate::groups::{groups_path, MyGroups};
use crate::members::{audit_path, members_path, settings_path};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use model::access::Action;
use model::account::Me;
use model::groups::VisibleGroup;
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
            // Loaded here, in the page's one resource: a resource nested in a suspended view
            // can stall an async server render.
            Ok(me) => {
                let groups = my_groups(me.workspace.slug.to_string()).await;
                Ok(HomeState::SignedIn(me, groups))
            }
            Err(ApiError::Unauthorized) => Ok(HomeState::SignedOut(ws)),
            Err(error) => Err(error),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="message-page">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(HomeState::Suspended(ws)) => view! { <Suspended ws /> }.into_any(),
                    Ok(HomeState::SignedIn(me, groups)) => view! { <Home me groups /> }.into_any(),
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
    SignedIn(Me, Result<Vec<VisibleGroup>, ApiError>),
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
fn Home(me: Me, groups: Result<Vec<VisibleGroup>, ApiError>) -> impl IntoView {
    let name = me.workspace.name.clone();
    let role = me.role.map_or("operator", |r| r.as_str());
    // Only what the policy would allow is offered (the server checks again).
    let may = |action: Action| match me.role {
        Some(r) => action.least_role().is_some_and(|least| r.at_least(least)),
        None => action.operators_may(),
    };
    let slug = me.workspace.slug.as_str();
    let links = [
        (
            Action::ViewWorkspace,
            crate::dashboards::dashboards_path(slug),
            "Dashboards",
            "nav-dashboards",
        ),
        (
            Action::ViewWorkspace,
            crate::devices::devices_path(slug),
            "Devices",
            "nav-devices",
        ),
        (
            Action::ManageOwnAccount,
            settings_path(slug),
            "Your settings",
            "nav-settings",
        ),
        (
            Action::ManageMembers,
            members_path(slug),
            "Members",
            "nav-members",
        ),
        (
            Action::ManageMembers,
            groups_path(slug),
            "Device groups",
            "nav-groups",
        ),
        (
            Action::BrandWorkspace,
            super::branding_path(slug),
            "Brand",
            "nav-brand",
        ),
        (
            Action::ViewAudit,
            audit_path(slug),
            "Audit log",
            "nav-audit",
        ),
    ]
    .into_iter()
    .filter(|(action, ..)| may(*action))
    .map(|(_, href, label, id)| view! { <a id=id href=href>{label}</a> })
    .collect_view();
    view! {
        <Title text=name.clone() />
        <section class="message-page">
            <p class="code">{format!("/w/{}/", me.workspace.slug)}</p>
            <h1>{name}</h1>
            <p id="signed-in-as">
                "Signed in as " <strong>{me.name.clone()}</strong> {format!(" ({}, {role})", me.email)}
            </p>
            <nav class="workspace-nav">{links}</nav>
            <h2>"Your device groups"</h2>
            <MyGroups groups />
            <SignOutButtons slug=me.workspace.slug.to_string() />
        </section>
    }
}
