//! The people of a workspace: the members page (admins), invitation and password-reset links,
//! one's own settings, and the audit log.

pub mod api;
mod audit;
mod links;
mod people;
mod settings;

pub use audit::AuditPage;
pub use links::{ForgotPage, JoinPage, ResetPage};
pub use people::MembersPage;
pub use settings::SettingsPage;

use crate::account::sign_in_path;
use crate::errors::ErrorPage;
use i18n::{t, use_i18n};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use model::ApiError;

pub fn members_path(slug: &str) -> String {
    format!("/w/{slug}/members")
}

pub fn settings_path(slug: &str) -> String {
    format!("/w/{slug}/settings")
}

pub fn audit_path(slug: &str) -> String {
    format!("/w/{slug}/audit")
}

pub fn forgot_path(slug: &str) -> String {
    format!("/w/{slug}/forgot")
}

/// A page of a workspace that needs a session, once `data` has loaded: `content(slug, data)`,
/// the sign-in page when nobody (or somebody of another workspace) is signed in, the error page
/// otherwise.
pub(crate) fn signed_in_page<T>(
    slug: Signal<String>,
    data: Resource<Result<T, ApiError>>,
    content: impl Fn(String, T) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="message-page">{t!(i18n, members.loading)}</p> }>
            {move || {
                let content = content.clone();
                Suspend::new(async move {
                    let slug = slug.get_untracked();
                    match data.await {
                        Ok(data) => content(slug, data),
                        Err(ApiError::Unauthorized) => {
                            view! { <Redirect path=sign_in_path(&slug) /> }.into_any()
                        }
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The `slug` route parameter.
pub(crate) fn use_slug() -> Signal<String> {
    let params = leptos_router::hooks::use_params_map();
    Signal::derive(move || params.read().get("slug").unwrap_or_default())
}

/// A query parameter of the page's address.
pub(crate) fn use_query(name: &'static str) -> Signal<String> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || query.read().get(name).unwrap_or_default())
}
