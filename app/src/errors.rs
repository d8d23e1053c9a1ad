//! Pages for when something is missing or broken, in words a person can act on.

use leptos::prelude::*;
use leptos_meta::Title;
use model::ApiError;

/// The page for an address that leads nowhere (HTTP 404).
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found" />
        <section class="message-page">
            <p class="code">"Error 404"</p>
            <h1>"This page does not exist"</h1>
            <p>"The address may be mistyped, or the page may have moved."</p>
            <p><a href="/">"Go to the start page"</a></p>
        </section>
    }
}

/// The page for an error that stops a page from showing, with the HTTP status that goes with it.
#[component]
pub fn ErrorPage(error: ApiError) -> impl IntoView {
    set_status(error.status());
    let (title, heading) = match &error {
        ApiError::NotFound { .. } => ("Not found", "We could not find that"),
        ApiError::Forbidden | ApiError::Unauthorized => ("Not allowed", "You cannot see this page"),
        ApiError::Unavailable => ("Unavailable", "The service is unavailable"),
        ApiError::SourceUnavailable => ("Unavailable", "The data source is unavailable"),
        _ => ("Error", "Something went wrong"),
    };
    view! {
        <Title text=title />
        <section class="message-page" role="alert">
            <p class="code">{format!("Error {}", error.status())}</p>
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            <p><a href="/">"Go to the start page"</a></p>
        </section>
    }
}

/// Sets the HTTP status of the server-rendered response (does nothing in the browser).
fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(status);
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}
