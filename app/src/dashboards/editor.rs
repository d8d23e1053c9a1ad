//! `/w/<slug>/dashboards/<id>/edit` (`new` for a new dashboard): one form holding the
//! dashboard and each widget as fields (`widgets[2][title]`), so it works as a plain HTML post
//! and in the browser. Empty slots at the end add widgets; a ticked box removes one; the
//! numbers place and size each widget on the 12-column grid.

use super::api::{dashboard_editor, CopyTemplate, DeleteDashboard, SaveDashboard};
use super::dashboards_path;
use crate::members::{signed_in_page, use_slug};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::dashboards::form::WidgetForm;
use model::dashboards::{DashboardEditView, Span, Visibility, WidgetKind, GRID_COLUMNS};
use model::ApiError;

pub fn editor_path(slug: &str, id: &str) -> String {
    let id = if id.is_empty() { "new" } else { id };
    format!("{}/{id}/edit", dashboards_path(slug))
}

#[component]
pub fn DashboardEditorPage() -> impl IntoView {
    let slug = use_slug();
    let params = leptos_router::hooks::use_params_map();
    let id = Signal::derive(move || params.read().get("id").unwrap_or_default());
    let data = Resource::new_blocking(
        move || (slug.get(), id.get()),
        |(slug, id)| dashboard_editor(slug, id),
    );
    signed_in_page(slug, data, move |slug, v| {
        view! { <Editor v slug /> }.into_any()
    })
}

/// Where a problem is, in the editor's words: "Widget 2, w: …".
fn problem_sentence(e: &ApiError) -> String {
    match e {
        ApiError::Invalid { field, message } => match field.strip_prefix("widgets.") {
            Some(rest) => {
                let (n, what) = rest.split_once('.').unwrap_or((rest, ""));
                let n = n.parse::<usize>().map(|n| n + 1).unwrap_or(0);
                format!("Widget {n} ({what}): {message}")
            }
            None => message.clone(),
        },
        other => crate::form::form_sentence(other).unwrap_or_else(|| other.to_string()),
    }
}

#[component]
fn Editor(v: DashboardEditView, slug: String) -> impl IntoView {
    let save = ServerAction::<SaveDashboard>::new();
    let delete = ServerAction::<DeleteDashboard>::new();
    let copy = ServerAction::<CopyTemplate>::new();
    let error = move || {
        save.value()
            .get()
            .and_then(Result::err)
            .or_else(|| delete.value().get().and_then(Result::err))
            .or_else(|| copy.value().get().and_then(Result::err))
            .map(|e| problem_sentence(&e))
    };
    // A new dashboard may start from a template the deployment's operators keep.
    let from_template = (!v.templates.is_empty()).then(|| {
        let options = v
            .templates
            .iter()
            .map(|t| {
                let label = format!("{} ({} widgets)", t.name, t.widgets);
                view! { <option value=t.id.clone()>{label}</option> }
            })
            .collect_view();
        let slug = slug.clone();
        view! {
            <ActionForm action=copy>
                <input type="hidden" name="slug" value=slug />
                <label for="template-choice">"Start from a template"</label>
                <select id="template-choice" name="template">{options}</select>
                " "
                <button type="submit" id="template-copy" class="secondary">"Copy it here"</button>
            </ActionForm>
        }
    });
    let d = v.dashboard;
    let is_new = d.id.is_empty();
    let heading = if is_new {
        "New dashboard".to_string()
    } else {
        format!("Edit {}", d.name)
    };
    let shown_to: Vec<String> = match &d.visibility {
        Visibility::Everyone => Vec::new(),
        Visibility::Groups { groups } => groups.clone(),
    };
    let to_groups = !shown_to.is_empty();
    let groups = v
        .groups
        .iter()
        .enumerate()
        .map(|(n, (id, name))| {
            let checked = shown_to.contains(id);
            let (input_id, label_for) = (format!("group-{n}"), format!("group-{n}"));
            view! {
                <label class="check" for=label_for>
                    <input type="checkbox" id=input_id name=format!("groups[{n}]") value=id.clone() checked=checked />
                    {format!(" {name}")}
                </label>
            }
        })
        .collect_view();
    let group_options: Vec<(String, String)> = v.groups.clone();
    let count = v.forms.len();
    let slots = v
        .forms
        .into_iter()
        .enumerate()
        .map(|(i, form)| {
            let new_slot = form.kind.is_empty();
            view! { <WidgetFields i form new_slot groups=group_options.clone() /> }
        })
        .collect_view();
    let back = if is_new {
        dashboards_path(&slug)
    } else {
        format!("{}/{}", dashboards_path(&slug), d.id)
    };
    let remove = (!is_new).then(|| {
        let (slug, id) = (slug.clone(), d.id.clone());
        view! {
            <ActionForm action=delete>
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="id" value=id />
                <button type="submit" id="dashboard-delete" class="secondary">"Delete this dashboard"</button>
            </ActionForm>
        }
    });
    view! {
        <Title text=heading.clone() />
        <section class="dashboard dashboard-editor">
            <p><a href=back>"← Back to the dashboard"</a></p>
            <h1>{heading}</h1>
            <p id="editor-error" class="field-error" role="alert">{error}</p>
            {from_template}
            <ActionForm action=save>
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="id" value=d.id.clone() />
                <div class="card">
                    <label for="dashboard-name-input">"Name"</label>
                    <input id="dashboard-name-input" name="name" value=d.name.clone() required />
                    <fieldset>
                        <legend>"Shown to"</legend>
                        <label class="check">
                            <input type="radio" id="visibility-everyone" name="visibility" value="everyone" checked=!to_groups />
                            " Every member"
                        </label>
                        <label class="check">
                            <input type="radio" id="visibility-groups" name="visibility" value="groups" checked=to_groups />
                            " Members of these groups (and admins):"
                        </label>
                        {groups}
                    </fieldset>
                    <label class="check">
                        <input type="checkbox" id="dashboard-default" name="is_default" value="yes" checked=d.is_default />
                        " The workspace opens on this dashboard"
                    </label>
                </div>
                <p>{format!(
                    "Place each widget on a grid of {GRID_COLUMNS} columns: x is its first column (0 to {}), y its first row, w its width in columns, h its height in rows. Fill an empty slot to add a widget.",
                    GRID_COLUMNS - 1
                )}</p>
                <div class="widget-forms" data-slots=count>{slots}</div>
                <button type="submit" id="dashboard-save">"Save"</button>
            </ActionForm>
            {remove}
        </section>
    }
}

#[component]
fn WidgetFields(
    i: usize,
    form: WidgetForm,
    new_slot: bool,
    groups: Vec<(String, String)>,
) -> impl IntoView {
    let name = move |field: &str| format!("widgets[{i}][{field}]");
    let id = move |field: &str| format!("widget-{i}-{field}");
    let legend = if new_slot {
        "New widget (leave the kind empty to add none)".to_string()
    } else {
        format!("Widget {}", i + 1)
    };
    let kinds = WidgetKind::ALL
        .into_iter()
        .map(|k| {
            let code = k.code();
            view! { <option value=code selected=form.kind == code>{k.label()}</option> }
        })
        .collect_view();
    let devices = std::iter::once(("all".to_string(), "Every device".to_string()))
        .chain(
            groups
                .into_iter()
                .map(|(g, n)| (format!("group:{g}"), format!("Group {n}"))),
        )
        .chain(std::iter::once((
            "devices".to_string(),
            "These devices (ids below)".to_string(),
        )))
        .map(|(value, label)| {
            let selected = form.devices == value || (form.devices.is_empty() && value == "all");
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    let ranges = std::iter::once(("dashboard", "The dashboard's range"))
        .chain(Span::ALL.into_iter().map(|s| (s.code(), s.label())))
        .map(|(value, label)| {
            let selected = form.range == value || (form.range.is_empty() && value == "dashboard");
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    let remove = (!new_slot).then(|| {
        view! {
            <label class="check">
                <input type="checkbox" id=id("remove") name=name("remove") value="yes" />
                " Remove this widget"
            </label>
        }
    });
    let text_field = |field: &'static str, label: &'static str, value: String| {
        view! {
            <label for=id(field)>{label}</label>
            <input id=id(field) name=name(field) value=value />
        }
    };
    view! {
        <fieldset class="widget-form card" data-slot=i>
            <legend>{legend}</legend>
            <input type="hidden" name=name("id") value=form.id.clone() />
            <label for=id("kind")>"Kind"</label>
            <select id=id("kind") name=name("kind")>
                <option value="" selected=new_slot>"—"</option>
                {kinds}
            </select>
            {text_field("title", "Title", form.title.clone())}
            <div class="place">
                {text_field("x", "x", if new_slot { "0".into() } else { form.x.clone() })}
                {text_field("y", "y", form.y.clone())}
                {text_field("w", "w", if new_slot { "6".into() } else { form.w.clone() })}
                {text_field("h", "h", if new_slot { "3".into() } else { form.h.clone() })}
            </div>
            <label for=id("devices")>"Devices"</label>
            <select id=id("devices") name=name("devices")>{devices}</select>
            {text_field("device_ids", "Device ids at the data source, separated by commas", form.device_ids.clone())}
            {text_field("metrics", "Metrics, separated by commas (e.g. temperature, battery)", form.metrics.clone())}
            <label for=id("range")>"Time range"</label>
            <select id=id("range") name=name("range")>{ranges}</select>
            {text_field("unit", "Unit shown (instead of the source's)", form.unit.clone())}
            {text_field("thresholds", "Thresholds: a value and a colour each, e.g. 20 #2a9d8f, 30 #c0392b", form.thresholds.clone())}
            <label for=id("style")>"Lines"</label>
            <select id=id("style") name=name("style")>
                <option value="line" selected=form.style != "area">"Lines"</option>
                <option value="area" selected=form.style == "area">"Filled areas"</option>
            </select>
            {text_field("min", "Gauge: lowest value", form.min.clone())}
            {text_field("max", "Gauge: highest value", form.max.clone())}
            <label for=id("text")>"Note text (plain text)"</label>
            <textarea id=id("text") name=name("text") rows="3">{form.text.clone()}</textarea>
            {remove}
        </fieldset>
    }
}
