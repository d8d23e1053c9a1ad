use super::api::get_workspace;
use crate::account::api::whoami;
use crate::account::{sign_in_path, SignOutButtons};
use crate::errors::ErrorPage;
use crate::groups::api::my_groups;
use crate::groups::{groups_path, MyGroups};
use crate::members::{audit_path, members_path, settings_path};
use i18n::{t, t_string, use_i18n};
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
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="message-page">{t!(i18n, workspaces.home.loading)}</p> }>
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
    let i18n = use_i18n();
    let name = ws.name.clone();
    view! {
        <Title text=name.clone() />
        <section class="message-page" role="alert">
            <p class="code">{t!(i18n, workspaces.suspended.code)}</p>
            <h1>{name}</h1>
            <p>{t!(i18n, workspaces.suspended.text)}</p>
        </section>
    }
}

#[component]
fn Home(me: Me, groups: Result<Vec<VisibleGroup>, ApiError>) -> impl IntoView {
    let i18n = use_i18n();
    let name = me.workspace.name.clone();
    let role = match me.role {
        Some(role) => i18n::role_name(role, i18n::use_language()),
        None => t_string!(i18n, workspaces.roles.operator),
    };
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
            t_string!(i18n, workspaces.home.nav.dashboards),
            "nav-dashboards",
        ),
        (
            Action::ViewWorkspace,
            crate::devices::devices_path(slug),
            t_string!(i18n, workspaces.home.nav.devices),
            "nav-devices",
        ),
        (
            Action::ManageOwnAccount,
            settings_path(slug),
            t_string!(i18n, workspaces.home.nav.settings),
            "nav-settings",
        ),
        (
            Action::ManageMembers,
            members_path(slug),
            t_string!(i18n, workspaces.home.nav.members),
            "nav-members",
        ),
        (
            Action::ManageMembers,
            groups_path(slug),
            t_string!(i18n, workspaces.home.nav.groups),
            "nav-groups",
        ),
        (
            Action::BrandWorkspace,
            super::branding_path(slug),
            t_string!(i18n, workspaces.home.nav.brand),
            "nav-brand",
        ),
        (
            Action::ViewAudit,
            audit_path(slug),
            t_string!(i18n, workspaces.home.nav.audit),
            "nav-audit",
        ),
    ]
    .into_iter()
    .filter(|(action, ..)| may(*action))
    .map(|(_, href, label, id)| view! { <a id=id href=href>{label}</a> })
    .collect_view();
    let details = t_string!(
        i18n,
        workspaces.home.email_and_role,
        email = me.email.clone(),
        role = role
    );
    let me_name = me.name.clone();
    view! {
        <Title text=name.clone() />
        <section class="message-page">
            <p class="code">{format!("/w/{}/", me.workspace.slug)}</p>
            <h1>{name}</h1>
            <p id="signed-in-as">
                {t!(i18n, workspaces.home.signed_in_as, name = me_name, details = details, <strong> = <strong />)}
            </p>
            <nav class="workspace-nav">{links}</nav>
            <h2>{t!(i18n, workspaces.home.your_groups)}</h2>
            <MyGroups groups />
            <SignOutButtons slug=me.workspace.slug.to_string() />
        </section>
    }
}
