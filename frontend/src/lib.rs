//! The browser entry point: hydrates the server-rendered page.

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(theme) = app::theme::theme_from_document() else {
        leptos::logging::error!(
            "the page carries no theme; the server-rendered page stays as it is"
        );
        return;
    };
    // The language the server drew the page in.
    let language = document()
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|code| model::Language::parse(&code))
        .unwrap_or_default();
    leptos::mount::hydrate_body(move || {
        provide_context(theme);
        provide_context(language);
        view! { <app::App /> }
    });
    // Marks the page as interactive (browser tests wait for it; CSS may use it).
    if let Some(root) = document().document_element() {
        root.set_attribute("data-hydrated", "true").ok();
    }
}
