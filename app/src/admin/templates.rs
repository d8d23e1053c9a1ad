//! `/admin/templates`: the dashboard templates every workspace's editors may start from. They
//! are kept from a workspace's dashboard on its back-office page, and removed here.

use super::api::{admin_templates, RemoveTemplate};
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::dashboards::templates::DashboardTemplate;

#[component]
pub fn AdminTemplatesPage() -> impl IntoView {
    let remove = ServerAction::<RemoveTemplate>::new();
    let templates = Resource::new_blocking(move || remove.version().get(), |_| admin_templates());
    super::pages::operator_page(templates, move |list| {
        view! { <Templates list remove /> }.into_any()
    })
}

#[component]
fn Templates(list: Vec<DashboardTemplate>, remove: ServerAction<RemoveTemplate>) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let error = move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| crate::errors::error_text(&e, language))
    };
    let rows = list
        .into_iter()
        .map(|t| {
            let kinds = t
                .widgets
                .iter()
                .map(|w| crate::dashboards::kind_label(language, w.kind))
                .collect::<Vec<_>>()
                .join(", ");
            let id = t.id.clone();
            view! {
                <tr data-template=t.id.clone()>
                    <td>{t.name.clone()}</td>
                    <td>
                        {t_string!(
                            i18n,
                            admin.templates.widgets,
                            count = t.widgets.len(),
                            n = language.count(t.widgets.len() as u64),
                            kinds = kinds
                        )}
                    </td>
                    <td>{language.utc_minute(t.updated_at)}</td>
                    <td>
                        <ActionForm action=remove>
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="secondary">{t!(i18n, admin.templates.remove)}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=t_string!(i18n, admin.templates.title) />
        <section class="page">
            <p><a href=super::ADMIN_PATH>{t!(i18n, admin.back_office_link)}</a></p>
            <h1>{t!(i18n, admin.templates.heading)}</h1>
            <p>{t!(i18n, admin.templates.intro)}</p>
            <p id="template-error" class="field-error" role="alert">{error}</p>
            <table id="templates">
                <thead>
                    <tr>
                        <th>{t!(i18n, admin.templates.name)}</th>
                        <th>{t!(i18n, admin.templates.widgets_column)}</th>
                        <th>{t!(i18n, admin.templates.kept)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
