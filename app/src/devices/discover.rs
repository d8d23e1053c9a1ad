use super::api::{discover_devices, RegisterDiscovered};
use super::devices_path;
use crate::form::form_sentence;
use crate::members::{signed_in_page, use_slug};
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::devices::DiscoverView;

/// `/w/<slug>/devices/discover` (admins): the source's devices not registered yet.
#[component]
pub fn DiscoverPage() -> impl IntoView {
    let slug = use_slug();
    let register = ServerAction::<RegisterDiscovered>::new();
    let data = Resource::new_blocking(
        move || (slug.get(), register.version().get()),
        |(slug, _)| discover_devices(slug),
    );
    signed_in_page(slug, data, move |slug, v| {
        view! { <Discovered v slug register /> }.into_any()
    })
}

#[component]
fn Discovered(
    v: DiscoverView,
    slug: String,
    register: ServerAction<RegisterDiscovered>,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let banner = super::source_banner(v.source, 0);
    let found = v.found;
    let outcome = move || {
        register.value().get().map(|r| match r {
            Ok(n) => view! { <p id="register-done" role="status">{t_string!(i18n, devices.discover.registered, count = n as u64, n = language.count(n as u64))}</p> }.into_any(),
            Err(e) => view! { <p class="field-error" role="alert">{form_sentence(&e).unwrap_or_else(|| e.to_string())}</p> }.into_any(),
        })
    };
    let all_ids = found
        .iter()
        .map(|d| d.id.clone())
        .collect::<Vec<_>>()
        .join(" ");
    let slug_all = slug.clone();
    let register_all = (!found.is_empty()).then(|| {
        let count = found.len() as u64;
        let label = t_string!(
            i18n,
            devices.discover.register_all,
            count = count,
            n = language.count(count)
        );
        view! {
            <ActionForm action=register>
                <input type="hidden" name="slug" value=slug_all />
                <input type="hidden" name="ids" value=all_ids />
                <button id="register-all" type="submit">{label}</button>
            </ActionForm>
        }
    });
    let rows = found
        .into_iter()
        .map(|d| {
            let (slug_row, id_attr, id_code) = (slug.clone(), d.id.clone(), d.id.clone());
            view! {
                <tr data-device=id_attr>
                    <td><code>{id_code}</code></td>
                    <td>{d.name}</td>
                    <td>{d.kind}</td>
                    <td>
                        <ActionForm action=register attr:class="inline">
                            <input type="hidden" name="slug" value=slug_row />
                            <input type="hidden" name="ids" value=d.id />
                            <button type="submit">{t!(i18n, devices.discover.register)}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=t_string!(i18n, devices.discover.title) />
        <section class="page">
            <p><a href=devices_path(&slug)>{t!(i18n, devices.back_to_devices)}</a></p>
            <h1>{t!(i18n, devices.discover.title)}</h1>
            <p>{t!(i18n, devices.discover.intro)}</p>
            <p id="source-banner" class="field-error" role="status">{banner}</p>
            {outcome}
            {register_all}
            <table class="devices">
                <thead><tr><th>{t!(i18n, devices.discover.id)}</th><th>{t!(i18n, devices.discover.name)}</th><th>{t!(i18n, devices.discover.kind)}</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
