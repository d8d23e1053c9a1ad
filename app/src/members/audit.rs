use super::api::load_audit;
use super::{signed_in_page, use_slug};
use i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use model::members::AuditListing;

/// `/w/<slug>/audit`: what happened in the workspace and who did it (admins and owners).
#[component]
pub fn AuditPage() -> impl IntoView {
    let slug = use_slug();
    let entries = Resource::new_blocking(move || slug.get(), load_audit);
    signed_in_page(slug, entries, |slug, entries| {
        view! { <Audit entries slug /> }.into_any()
    })
}

#[component]
fn Audit(entries: Vec<AuditListing>, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let rows = entries
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{language.utc_minute(e.at)}</td>
                    <td>{e.actor.unwrap_or_else(|| "—".into())}</td>
                    <td data-action=e.action.clone()>{i18n::audit_action(&e.action, language)}</td>
                    <td>{e.detail}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=t_string!(i18n, members.audit.title) />
        <section class="page">
            <p><a href=format!("/w/{slug}/")>{t!(i18n, members.home_link)}</a></p>
            <h1>{t!(i18n, members.audit.title)}</h1>
            <table id="audit">
                <thead>
                    <tr>
                        <th>{t!(i18n, members.audit.when)}</th>
                        <th>{t!(i18n, members.audit.who)}</th>
                        <th>{t!(i18n, members.audit.what)}</th>
                        <th>{t!(i18n, members.audit.detail)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
