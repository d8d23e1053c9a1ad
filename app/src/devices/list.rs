use super::api::{list_devices, CreateDevice, DeleteDevice, ImportDevices};
use super::{ago, devices_path, query_string, source_banner};
use crate::form::{field_sentence, form_sentence, Field};
use crate::members::{signed_in_page, use_query, use_slug};
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::devices::{online, DeviceListView, DeviceSort, ImportReport};

/// The filter a list was asked with, kept in the address so it can be shared.
#[derive(Clone, Debug, PartialEq)]
struct Query {
    search: String,
    group: String,
    kind: String,
    sort: String,
    desc: bool,
    page: u32,
}

impl Query {
    fn href(&self, slug: &str) -> String {
        let q = query_string(&[
            ("search", self.search.clone()),
            ("group", self.group.clone()),
            ("kind", self.kind.clone()),
            ("sort", self.sort.clone()),
            ("desc", if self.desc { "1".into() } else { String::new() }),
            (
                "page",
                if self.page > 1 {
                    self.page.to_string()
                } else {
                    String::new()
                },
            ),
        ]);
        if q.is_empty() {
            devices_path(slug)
        } else {
            format!("{}?{q}", devices_path(slug))
        }
    }
}

/// `/w/<slug>/devices`: the devices the member may see.
#[component]
pub fn DevicesPage() -> impl IntoView {
    let slug = use_slug();
    let (search, group, kind, sort, desc, page) = (
        use_query("search"),
        use_query("group"),
        use_query("kind"),
        use_query("sort"),
        use_query("desc"),
        use_query("page"),
    );
    let query = Signal::derive(move || Query {
        search: search.get(),
        group: group.get(),
        kind: kind.get(),
        sort: sort.get(),
        desc: desc.get() == "1",
        page: page.get().parse().unwrap_or(1).max(1),
    });
    let create = ServerAction::<CreateDevice>::new();
    let delete = ServerAction::<DeleteDevice>::new();
    let import = ServerAction::<ImportDevices>::new();
    let data = Resource::new_blocking(
        move || {
            (
                slug.get(),
                query.get(),
                create.version().get(),
                delete.version().get(),
                import.version().get(),
            )
        },
        |(slug, q, ..)| list_devices(slug, q.search, q.group, q.kind, q.sort, q.desc, q.page),
    );
    signed_in_page(slug, data, move |slug, v| {
        let q = query.get_untracked();
        view! { <Devices v slug q create delete import /> }.into_any()
    })
}

#[component]
fn Devices(
    v: DeviceListView,
    slug: String,
    q: Query,
    create: ServerAction<CreateDevice>,
    delete: ServerAction<DeleteDevice>,
    import: ServerAction<ImportDevices>,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let banner = source_banner(v.source, v.now);
    let pages = v.page.total.div_ceil(u64::from(v.page.per_page)).max(1);
    let header = |label: &'static str, sort: DeviceSort| {
        let current = DeviceSort::parse(&q.sort) == sort;
        let next = Query {
            sort: sort.as_str().into(),
            desc: current && !q.desc,
            page: 1,
            ..q.clone()
        };
        let mark = if current {
            if q.desc {
                " ↓"
            } else {
                " ↑"
            }
        } else {
            ""
        };
        view! { <th><a href=next.href(&slug)>{label}{mark}</a></th> }
    };
    let rows = v
        .page
        .items
        .iter()
        .map(|d| {
            let seen = v.last_seen.get(&d.id).copied();
            let (status, status_text) = match seen {
                None => ("unknown", t_string!(i18n, devices.status.unknown)),
                Some(_) if online(seen, v.now) => {
                    ("online", t_string!(i18n, devices.status.online))
                }
                Some(_) => ("offline", t_string!(i18n, devices.status.offline)),
            };
            let (slug_delete, id_delete) = (slug.clone(), d.id.clone());
            let href = format!("{}/{}", devices_path(&slug), d.id);
            let delete_form = v.may_manage.then(|| {
                view! {
                    <ActionForm action=delete attr:class="inline">
                        <input type="hidden" name="slug" value=slug_delete />
                        <input type="hidden" name="device_id" value=id_delete />
                        <button type="submit" class="secondary">{t!(i18n, devices.remove)}</button>
                    </ActionForm>
                }
            });
            view! {
                <tr data-device=d.external_id.clone() data-status=status>
                    <td><a href=href>{d.name.clone()}</a></td>
                    <td><code>{d.external_id.clone()}</code></td>
                    <td>{d.kind.clone()}</td>
                    <td>{d.group_name.clone().unwrap_or_default()}</td>
                    <td class=format!("status {status}")>{status_text}</td>
                    <td>{seen.map(|t| ago(language, t, v.now)).unwrap_or_default()}</td>
                    <td>{delete_form}</td>
                </tr>
            }
        })
        .collect_view();
    let group_options = v
        .groups
        .iter()
        .map(|(id, name)| {
            view! { <option value=id.clone() selected=q.group == *id>{name.clone()}</option> }
        })
        .collect_view();
    let kind_options = v
        .page
        .kinds
        .iter()
        .map(|k| view! { <option value=k.clone() selected=q.kind == *k>{k.clone()}</option> })
        .collect_view();
    let previous = (q.page > 1).then(|| {
        let href = Query {
            page: q.page - 1,
            ..q.clone()
        }
        .href(&slug);
        view! { <a id="page-previous" href=href>{t!(i18n, devices.previous)}</a> }
    });
    let next = (u64::from(q.page) < pages).then(|| {
        let href = Query {
            page: q.page + 1,
            ..q.clone()
        }
        .href(&slug);
        view! { <a id="page-next" href=href>{t!(i18n, devices.next)}</a> }
    });
    let empty = v.page.items.is_empty().then(|| {
        view! { <p id="devices-none">{if v.page.total == 0 && q.search.is_empty() && q.group.is_empty() && q.kind.is_empty() { t_string!(i18n, devices.none_yet) } else { t_string!(i18n, devices.none_match) }}</p> }
    });
    let admin = v.may_manage.then(|| {
        view! {
            <AddDevice slug=slug.clone() groups=v.groups.clone() action=create />
            <ImportCsv slug=slug.clone() action=import />
            <section class="page">
                <p><a id="discover-link" href=format!("{}/discover", devices_path(&slug))>{t!(i18n, devices.discover_link)}</a></p>
            </section>
        }
    });
    view! {
        <Title text=t_string!(i18n, devices.title) />
        <section class="page">
            <p><a href=format!("/w/{slug}/")>{t!(i18n, devices.back_home)}</a></p>
            <h1>{t!(i18n, devices.title)}</h1>
            <p id="source-banner" class="field-error" role="status">{banner}</p>
            <form method="get" action=devices_path(&slug) class="filters">
                <label for="device-search">{t!(i18n, devices.search)}</label>
                <input id="device-search" name="search" type="search" value=q.search.clone() placeholder=t_string!(i18n, devices.search_placeholder) />
                <label for="device-group">{t!(i18n, devices.group)}</label>
                <select id="device-group" name="group">
                    <option value="">{t!(i18n, devices.all_groups)}</option>
                    {group_options}
                </select>
                <label for="device-kind">{t!(i18n, devices.kind)}</label>
                <select id="device-kind" name="kind">
                    <option value="">{t!(i18n, devices.all_kinds)}</option>
                    {kind_options}
                </select>
                <input type="hidden" name="sort" value=q.sort.clone() />
                <button type="submit">{t!(i18n, devices.show)}</button>
            </form>
            <p id="devices-count">{t_string!(
                i18n,
                devices.count_line,
                count = v.page.total,
                total = language.count(v.page.total),
                page = language.count(u64::from(q.page)),
                pages = language.count(pages)
            )}</p>
            <table class="devices">
                <thead>
                    <tr>
                        {header(t_string!(i18n, devices.columns.name), DeviceSort::Name)}
                        {header(t_string!(i18n, devices.columns.id), DeviceSort::ExternalId)}
                        {header(t_string!(i18n, devices.columns.kind), DeviceSort::Kind)}
                        {header(t_string!(i18n, devices.columns.group), DeviceSort::Group)}
                        <th>{t!(i18n, devices.columns.status)}</th>
                        <th>{t!(i18n, devices.columns.last_reading)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {empty}
            <p class="pager">{previous}" "{next}</p>
        </section>
        {admin}
    }
}

#[component]
fn AddDevice(
    slug: String,
    groups: Vec<(String, String)>,
    action: ServerAction<CreateDevice>,
) -> impl IntoView {
    let i18n = use_i18n();
    let check_field = t_string!(i18n, devices.add.check_field);
    let error = move || action.value().get().and_then(Result::err);
    let on = move |field: &'static str| {
        Signal::derive(move || {
            error().and_then(|e| {
                field_sentence(&e, field, |m| !m.is_empty() && m.len() < 200, check_field)
            })
        })
    };
    // The model's rules on either coordinate show under the one location field.
    let location_error = Signal::derive(move || {
        let (lat, lon, loc) = (
            on("latitude").get(),
            on("longitude").get(),
            on("location").get(),
        );
        loc.or(lat).or(lon)
    });
    let form_error = move || error().and_then(|e| form_sentence(&e));
    let options = groups
        .into_iter()
        .map(|(id, name)| view! { <option value=id>{name}</option> })
        .collect_view();
    view! {
        <section class="page">
            <div class="card">
                <h2>{t!(i18n, devices.add.title)}</h2>
                <ActionForm action>
                    <input type="hidden" name="slug" value=slug />
                    <Field id="device-external-id" name="external_id" label=t_string!(i18n, devices.add.external_id) error=on("external_id") />
                    <Field id="device-name" name="name" label=t_string!(i18n, devices.add.name) error=on("name") />
                    <Field id="device-kind-new" name="kind" label=t_string!(i18n, devices.add.kind) error=on("kind") />
                    <label for="device-group-new">{t!(i18n, devices.add.group)}</label>
                    <select id="device-group-new" name="group_id">
                        <option value="">{t!(i18n, devices.add.no_group)}</option>
                        {options}
                    </select>
                    <Field id="device-location" name="location" label=t_string!(i18n, devices.add.location) placeholder="45.76, 4.84" error=location_error />
                    <Field id="device-tags" name="tags" label=t_string!(i18n, devices.add.tags) error=on("tags") />
                    <p id="device-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit">{t!(i18n, devices.add.submit)}</button>
                </ActionForm>
            </div>
        </section>
    }
}

#[component]
fn ImportCsv(slug: String, action: ServerAction<ImportDevices>) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let outcome = move || {
        action.value().get().map(|result| match result {
            Ok(ImportReport { imported, problems }) if problems.is_empty() => {
                view! { <p id="import-done" role="status">{t_string!(i18n, devices.import.done, count = imported as u64, n = language.count(imported as u64))}</p> }.into_any()
            }
            Ok(report) => {
                let items = report
                    .problems
                    .into_iter()
                    .map(|p| {
                        let text = t_string!(
                            i18n,
                            devices.import.problem,
                            line = language.count(p.line),
                            column = p.column,
                            message = crate::form::in_language(&p.message, language)
                        );
                        view! { <li>{text}</li> }
                    })
                    .collect_view();
                view! {
                    <div id="import-problems" role="alert">
                        <p class="field-error">{t!(i18n, devices.import.problems)}</p>
                        <ul>{items}</ul>
                    </div>
                }
                .into_any()
            }
            Err(e) => view! { <p class="field-error" role="alert">{form_sentence(&e).unwrap_or_else(|| e.to_string())}</p> }.into_any(),
        })
    };
    view! {
        <section class="page">
            <div class="card">
                <h2>{t!(i18n, devices.import.title)}</h2>
                <p>{t!(i18n, devices.import.help, <code> = <code />)}</p>
                <ActionForm action>
                    <input type="hidden" name="slug" value=slug />
                    <label for="import-csv">{t!(i18n, devices.import.csv)}</label>
                    <textarea id="import-csv" name="csv" rows="8" required></textarea>
                    <button type="submit">{t!(i18n, devices.import.submit)}</button>
                </ActionForm>
                {outcome}
            </div>
        </section>
    }
}
