//! `/w/<slug>/dashboards/<id>/edit` (`new` for a new dashboard): one form holding the
//! dashboard and each widget as fields (`widgets[2][title]`), so it works as a plain HTML post
//! and in the browser. Empty slots at the end add widgets; a ticked box removes one; the
//! numbers place and size each widget on the 12-column grid.

use super::api::{dashboard_editor, CopyTemplate, DeleteDashboard, SaveDashboard};
use super::dashboards_path;
use crate::members::{signed_in_page, use_slug};
use i18n::{t, t_string, use_i18n};
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

/// Where a problem is, in the editor's words: "Widget 2 (w): …" (the message is the server's).
fn problem_sentence(e: &ApiError, language: model::Language) -> String {
    match e {
        ApiError::Invalid { field, message } => match field.strip_prefix("widgets.") {
            Some(rest) => {
                let (n, what) = rest.split_once('.').unwrap_or((rest, ""));
                let n = n.parse::<usize>().map(|n| n + 1).unwrap_or(0);
                i18n::td_string!(
                    i18n::Locale::from(language),
                    dashboards.widget_problem,
                    n = n,
                    field = what,
                    message = message
                )
                .to_string()
            }
            None => message.clone(),
        },
        other => crate::form::form_sentence(other).unwrap_or_else(|| other.to_string()),
    }
}

#[component]
fn Editor(v: DashboardEditView, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let save = ServerAction::<SaveDashboard>::new();
    let delete = ServerAction::<DeleteDashboard>::new();
    let copy = ServerAction::<CopyTemplate>::new();
    let error = move || {
        save.value()
            .get()
            .and_then(Result::err)
            .or_else(|| delete.value().get().and_then(Result::err))
            .or_else(|| copy.value().get().and_then(Result::err))
            .map(|e| problem_sentence(&e, language))
    };
    // A new dashboard may start from a template the deployment's operators keep.
    let from_template = (!v.templates.is_empty()).then(|| {
        let options = v
            .templates
            .iter()
            .map(|t| {
                let label = t_string!(
                    i18n,
                    dashboards.template_option,
                    count = t.widgets as u64,
                    name = &t.name
                );
                view! { <option value=t.id.clone()>{label}</option> }
            })
            .collect_view();
        let slug = slug.clone();
        view! {
            <ActionForm action=copy>
                <input type="hidden" name="slug" value=slug />
                <label for="template-choice">{t!(i18n, dashboards.start_from_template)}</label>
                <select id="template-choice" name="template">{options}</select>
                " "
                <button type="submit" id="template-copy" class="secondary">{t!(i18n, dashboards.copy_template)}</button>
            </ActionForm>
        }
    });
    let d = v.dashboard;
    let is_new = d.id.is_empty();
    let heading = if is_new {
        t_string!(i18n, dashboards.new_dashboard).to_string()
    } else {
        t_string!(i18n, dashboards.edit_heading, name = &d.name).to_string()
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
                <button type="submit" id="dashboard-delete" class="secondary">{t!(i18n, dashboards.delete_dashboard)}</button>
            </ActionForm>
        }
    });
    view! {
        <Title text=heading.clone() />
        <section class="dashboard dashboard-editor">
            <p><a href=back>{t!(i18n, dashboards.back)}</a></p>
            <h1>{heading}</h1>
            <p id="editor-error" class="field-error" role="alert">{error}</p>
            {from_template}
            <ActionForm action=save>
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="id" value=d.id.clone() />
                <div class="card">
                    <label for="dashboard-name-input">{t!(i18n, dashboards.name)}</label>
                    <input id="dashboard-name-input" name="name" value=d.name.clone() required />
                    <fieldset>
                        <legend>{t!(i18n, dashboards.shown_to)}</legend>
                        <label class="check">
                            <input type="radio" id="visibility-everyone" name="visibility" value="everyone" checked=!to_groups />
                            " "{t!(i18n, dashboards.every_member)}
                        </label>
                        <label class="check">
                            <input type="radio" id="visibility-groups" name="visibility" value="groups" checked=to_groups />
                            " "{t!(i18n, dashboards.group_members)}
                        </label>
                        {groups}
                    </fieldset>
                    <label class="check">
                        <input type="checkbox" id="dashboard-default" name="is_default" value="yes" checked=d.is_default />
                        " "{t!(i18n, dashboards.opens_here)}
                    </label>
                </div>
                <p>{t_string!(
                    i18n,
                    dashboards.grid_help,
                    columns = GRID_COLUMNS,
                    last = GRID_COLUMNS - 1
                )}</p>
                <div class="widget-forms" data-slots=count>{slots}</div>
                <button type="submit" id="dashboard-save">{t!(i18n, dashboards.save)}</button>
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
    let i18n = use_i18n();
    let language = i18n::use_language();
    let name = move |field: &str| format!("widgets[{i}][{field}]");
    let id = move |field: &str| format!("widget-{i}-{field}");
    let legend = if new_slot {
        t_string!(i18n, dashboards.new_widget).to_string()
    } else {
        t_string!(i18n, dashboards.widget_n, n = i + 1).to_string()
    };
    let kinds = WidgetKind::ALL
        .into_iter()
        .map(|k| {
            let code = k.code();
            view! { <option value=code selected=form.kind == code>{super::kind_label(language, k)}</option> }
        })
        .collect_view();
    let devices = std::iter::once((
        "all".to_string(),
        t_string!(i18n, dashboards.every_device).to_string(),
    ))
    .chain(groups.into_iter().map(|(g, n)| {
        (
            format!("group:{g}"),
            t_string!(i18n, dashboards.group_option, name = n).to_string(),
        )
    }))
    .chain(std::iter::once((
        "devices".to_string(),
        t_string!(i18n, dashboards.these_devices).to_string(),
    )))
    .map(|(value, label)| {
        let selected = form.devices == value || (form.devices.is_empty() && value == "all");
        view! { <option value=value selected=selected>{label}</option> }
    })
    .collect_view();
    let ranges = std::iter::once(("dashboard", t_string!(i18n, dashboards.dashboard_range)))
        .chain(
            Span::ALL
                .into_iter()
                .map(|s| (s.code(), super::span_label(language, s))),
        )
        .map(|(value, label)| {
            let selected = form.range == value || (form.range.is_empty() && value == "dashboard");
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    let remove = (!new_slot).then(|| {
        view! {
            <label class="check">
                <input type="checkbox" id=id("remove") name=name("remove") value="yes" />
                " "{t!(i18n, dashboards.remove_widget)}
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
            <label for=id("kind")>{t!(i18n, dashboards.kind_label)}</label>
            <select id=id("kind") name=name("kind")>
                <option value="" selected=new_slot>"—"</option>
                {kinds}
            </select>
            {text_field("title", t_string!(i18n, dashboards.title_label), form.title.clone())}
            <div class="place">
                {text_field("x", "x", if new_slot { "0".into() } else { form.x.clone() })}
                {text_field("y", "y", form.y.clone())}
                {text_field("w", "w", if new_slot { "6".into() } else { form.w.clone() })}
                {text_field("h", "h", if new_slot { "3".into() } else { form.h.clone() })}
            </div>
            <label for=id("devices")>{t!(i18n, dashboards.devices_label)}</label>
            <select id=id("devices") name=name("devices")>{devices}</select>
            {text_field("device_ids", t_string!(i18n, dashboards.device_ids), form.device_ids.clone())}
            {text_field("metrics", t_string!(i18n, dashboards.metrics), form.metrics.clone())}
            <label for=id("range")>{t!(i18n, dashboards.time_range)}</label>
            <select id=id("range") name=name("range")>{ranges}</select>
            {text_field("unit", t_string!(i18n, dashboards.unit), form.unit.clone())}
            {text_field("thresholds", t_string!(i18n, dashboards.thresholds), form.thresholds.clone())}
            <label for=id("style")>{t!(i18n, dashboards.style_label)}</label>
            <select id=id("style") name=name("style")>
                <option value="line" selected=form.style != "area">{t!(i18n, dashboards.style_line)}</option>
                <option value="area" selected=form.style == "area">{t!(i18n, dashboards.style_area)}</option>
            </select>
            {text_field("min", t_string!(i18n, dashboards.gauge_min), form.min.clone())}
            {text_field("max", t_string!(i18n, dashboards.gauge_max), form.max.clone())}
            <label for=id("text")>{t!(i18n, dashboards.note_text)}</label>
            <textarea id=id("text") name=name("text") rows="3">{form.text.clone()}</textarea>
            {remove}
        </fieldset>
    }
}
