//! The frame of every page: header with the startup's logo and name, the page, a footer.

use crate::theme::use_theme;
use leptos::prelude::*;
use model::Theme;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let theme = use_theme();
    let logo = Theme::asset_url(&theme.logo);
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <img src=logo alt="" width="32" height="32" />
                <span class="brand-name">{theme.name.clone()}</span>
            </a>
        </header>
        <main class="site-main" id="main">{children()}</main>
        <footer class="site-footer">
            <span>{theme.name.clone()}</span>
            <span class="powered">"Powered by IoT Rocket"</span>
        </footer>
    }
}
