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
    leptos::mount::hydrate_body(move || {
        provide_context(theme);
        view! { <app::App /> }
    });
    // Marks the page as interactive (browser tests wait for it; CSS may use it).
    if let Some(root) = document().document_element() {
        root.set_attribute("data-hydrated", "true").ok();
    }
}
