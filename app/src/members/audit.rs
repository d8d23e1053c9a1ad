use super::api::load_audit;
use super::{signed_in_page, use_slug};
use leptos::prelude::*;
use leptos_meta::Title;
use model::members::AuditListing;
use model::time::utc_minute;

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
    let rows = entries
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{utc_minute(e.at)}</td>
                    <td>{e.actor.unwrap_or_else(|| "—".into())}</td>
                    <td>{e.action}</td>
                    <td>{e.detail}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text="Audit log" />
        <section class="page">
            <p><a href=format!("/w/{slug}/")>"← Home"</a></p>
            <h1>"Audit log"</h1>
            <table id="audit">
                <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Detail"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
