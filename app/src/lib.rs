//! The Leptos UI: pages, components and the server functions they call. Compiled twice: for the
//! server (`ssr`, renders HTML and runs server functions) and for the browser (`hydrate`).

// The views are typed all the way down; the dashboard page nests deep enough with its
// translated texts to pass the default limit when compiled for the browser.
#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod dashboards;
pub mod devices;
pub mod errors;
pub mod flash;
pub mod form;
pub mod groups;
pub mod layout;
pub mod map;
pub mod members;
#[cfg(feature = "ssr")]
pub mod styles;
pub mod theme;
pub mod workspaces;

#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The application: layout around the routed pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The server chose the language (the user's setting, else the language cookie, else the
    // browser's Accept-Language) and provides it; the browser reads it back from `<html lang>`.
    i18n::provide(use_context::<model::Language>().unwrap_or_default());
    let theme = theme::use_theme();
    view! {
        <Title formatter=move |page: String| {
            if page.is_empty() {
                theme.shown_name().to_string()
            } else {
                format!("{page} · {}", theme.shown_name())
            }
        } />
        <Router>
            <theme::BrandFollowsWorkspace />
            <layout::Layout>
                <Routes fallback=|| view! { <errors::NotFound /> }>
                    <Route path=path!("/") view=workspaces::Landing />
                    // Async: the page (and its HTTP status) is sent once its data is there, so it
                    // reads complete without JavaScript.
                    <Route path=path!("/w/:slug") view=workspaces::WorkspaceHome ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/") view=workspaces::WorkspaceHome ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/sign-in") view=account::SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/members") view=members::MembersPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/settings") view=members::SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/branding") view=workspaces::BrandingPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/groups") view=groups::GroupsPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/dashboards") view=dashboards::DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/dashboards/:id") view=dashboards::DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/dashboards/:id/edit") view=dashboards::DashboardEditorPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/devices") view=devices::DevicesPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/devices/discover") view=devices::DiscoverPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/devices/:id") view=devices::DevicePage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/audit") view=members::AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/join") view=members::JoinPage ssr=SsrMode::Async />
                    <Route path=path!("/w/:slug/forgot") view=members::ForgotPage />
                    <Route path=path!("/w/:slug/reset") view=members::ResetPage />
                    <Route path=path!("/admin") view=admin::AdminHome ssr=SsrMode::Async />
                    <Route path=path!("/admin/sign-in") view=admin::AdminSignIn />
                    <Route path=path!("/admin/workspaces/:slug") view=admin::AdminWorkspacePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/templates") view=admin::AdminTemplatesPage ssr=SsrMode::Async />
                </Routes>
            </layout::Layout>
        </Router>
    }
}
