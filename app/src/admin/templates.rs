//! `/admin/templates`: the dashboard templates every workspace's editors may start from. They
//! are kept from a workspace's dashboard on its back-office page, and removed here.

use super::api::{admin_templates, RemoveTemplate};
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
    let error = move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    let rows = list
        .into_iter()
        .map(|t| {
            let kinds = t
                .widgets
                .iter()
                .map(|w| w.kind.label())
                .collect::<Vec<_>>()
                .join(", ");
            let id = t.id.clone();
            view! {
                <tr data-template=t.id.clone()>
                    <td>{t.name.clone()}</td>
                    <td>{format!("{} widgets: {kinds}", t.widgets.len())}</td>
                    <td>{model::time::utc_minute(t.updated_at)}</td>
                    <td>
                        <ActionForm action=remove>
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="secondary">"Remove"</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text="Dashboard templates · back office" />
        <section class="page">
            <p><a href=super::ADMIN_PATH>"← Back office"</a></p>
            <h1>"Dashboard templates"</h1>
            <p>
                "Editors of every workspace may start a new dashboard from one of these. Keep a "
                "workspace's dashboard as a template from that workspace's page here; its "
                "widgets then show every device of the workspace that copies it."
            </p>
            <p id="template-error" class="field-error" role="alert">{error}</p>
            <table id="templates">
                <thead><tr><th>"Name"</th><th>"Widgets"</th><th>"Kept"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
