//! The frame of every page: header with the startup's logo and name, the page, a footer with
//! the theme's legal line and support contacts.

use crate::theme::use_theme;
use i18n::{t, use_i18n};
use leptos::prelude::*;
use model::Language;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let theme = use_theme();
    let i18n = use_i18n();
    let support_email = theme.support_email.clone().map(|email| {
        let href = format!("mailto:{email}");
        view! { <a id="support-email" href=href>{email}</a> }
    });
    let support_url = theme.support_url.clone().map(|url| {
        view! { <a id="support-url" href=url rel="noopener">{t!(i18n, common.help)}</a> }
    });
    let theme_banner = (!theme.problems.is_empty()).then(|| {
        let lines = theme
            .problems
            .iter()
            .map(|p| view! { <li>{p.clone()}</li> })
            .collect_view();
        view! {
            <div id="theme-problem" class="banner banner-danger" role="alert">
                <strong>{t!(i18n, common.theme_problem_title)}</strong>
                <ul>{lines}</ul>
                <p>{t!(i18n, common.theme_problem_fix)}</p>
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
            <LanguageSwitch />
        </footer>
    }
}

/// The footer's language menu: a plain form (it works without JavaScript) that posts to
/// `/language`, which keeps the choice and comes back to this page.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let current = i18n::use_language();
    let here = leptos_router::hooks::use_location();
    // Back to this very page (its query included) once the language is kept.
    let next = move || {
        let search = here.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            here.pathname.get()
        } else {
            format!("{}?{search}", here.pathname.get())
        }
    };
    let options = Language::ALL
        .into_iter()
        .map(|l| {
            view! { <option value=l.code() selected=l == current>{l.own_name()}</option> }
        })
        .collect_view();
    view! {
        <form id="language-switch" class="language-switch" method="post" action="/language">
            <label for="language-choice">{t!(i18n, common.language)}</label>
            <select id="language-choice" name="language">{options}</select>
            <input type="hidden" name="next" value=next />
            <button type="submit" class="secondary">{t!(i18n, common.change_language)}</button>
        </form>
    }
}
