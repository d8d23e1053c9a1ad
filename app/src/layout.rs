//! The frame of every page: header with the startup's logo and name, the page, a footer with
//! the theme's legal line and support contacts.

use crate::theme::use_theme;
use leptos::prelude::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let theme = use_theme();
    let support_email = theme.support_email.clone().map(|email| {
        let href = format!("mailto:{email}");
        view! { <a id="support-email" href=href>{email}</a> }
    });
    let support_url = theme.support_url.clone().map(|url| {
        view! { <a id="support-url" href=url rel="noopener">"Help"</a> }
    });
    let theme_banner = (!theme.problems.is_empty()).then(|| {
        let lines = theme
            .problems
            .iter()
            .map(|p| view! { <li>{p.clone()}</li> })
            .collect_view();
        view! {
            <div id="theme-problem" class="banner banner-danger" role="alert">
                <strong>"The theme on disk has problems, so the last good theme is still shown."</strong>
                <ul>{lines}</ul>
                <p>"Fix the file; the next page load picks it up. Only operators see this."</p>
            </div>
        }
    });
    view! {
        {theme_banner}
        <header class="site-header">
            <a class="brand" href="/">
                <img id="brand-logo" src=theme.shown_logo().to_string() alt="" height="32" />
                <span class="brand-name">{theme.shown_name().to_string()}</span>
            </a>
        </header>
        <main class="site-main" id="main">{children()}</main>
        <footer class="site-footer">
            <span id="legal-footer">{theme.legal_footer.clone()}</span>
            <span class="support">{support_email}" "{support_url}</span>
        </footer>
    }
}
