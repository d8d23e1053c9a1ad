use super::api::{device_detail, UpdateDevice};
use super::chart::Sparkline;
use super::{ago, devices_path, source_banner};
use crate::map::DeviceMap;
use crate::members::{signed_in_page, use_slug};
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::devices::{online, DeviceDetailView};

/// `/w/<slug>/devices/<id>`: one device, its latest values with units, a day of each metric.
#[component]
pub fn DevicePage() -> impl IntoView {
    let slug = use_slug();
    let params = leptos_router::hooks::use_params_map();
    let id = Signal::derive(move || params.read().get("id").unwrap_or_default());
    let update = ServerAction::<UpdateDevice>::new();
    let data = Resource::new_blocking(
        move || (slug.get(), id.get(), update.version().get()),
        |(slug, id, _)| device_detail(slug, id),
    );
    signed_in_page(slug, data, move |slug, v| {
        view! { <Device v slug update /> }.into_any()
    })
}

#[component]
fn Device(v: DeviceDetailView, slug: String, update: ServerAction<UpdateDevice>) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let d = v.device;
    let edit = v.may_manage.then(|| {
        view! { <EditDevice slug=slug.clone() device=d.clone() groups=v.groups.clone() action=update /> }
    });
    let banner = source_banner(v.source, v.now);
    let last = v.latest.iter().map(|r| r.t).max();
    let status = match last {
        None => t_string!(i18n, devices.status.unknown).to_string(),
        Some(t) if online(last, v.now) => {
            t_string!(i18n, devices.detail.online, ago = ago(language, t, v.now))
        }
        Some(t) => t_string!(i18n, devices.detail.offline, ago = ago(language, t, v.now)),
    };
    let rows = v
        .latest
        .iter()
        .map(|r| {
            let points = v
                .series
                .iter()
                .find(|s| s.metric == r.metric)
                .map(|s| s.points.clone())
                .unwrap_or_default();
            view! {
                <tr data-metric=r.metric.clone()>
                    <th scope="row">{r.metric.replace('_', " ")}</th>
                    <td class="value">{format!("{} {}", language.reading(r.value), r.unit)}</td>
                    <td>{ago(language, r.t, v.now)}</td>
                    <td><Sparkline metric=r.metric.clone() unit=r.unit.clone() points /></td>
                </tr>
            }
        })
        .collect_view();
    let place = model::map::position((d.latitude, d.longitude), &v.latest);
    let location = match place {
        Some((lat, lon)) => t_string!(
            i18n,
            devices.detail.location_value,
            lat = language.number(lat, 5),
            lon = language.number(lon, 5)
        ),
        None => t_string!(i18n, devices.detail.location_not_set).to_string(),
    };
    let map = place.map(|(lat, lon)| {
        let marker = model::map::MapMarker {
            id: d.id.clone(),
            name: d.name.clone(),
            lat,
            lon,
            href: format!("{}/{}", devices_path(&slug), d.id),
            lines: v
                .latest
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {}",
                        r.metric.replace('_', " "),
                        language.reading(r.value),
                        r.unit
                    )
                })
                .collect(),
            online: last.map(|_| online(last, v.now)),
        };
        view! {
            <DeviceMap markers=vec![marker] tiles=v.tiles.clone()
                label=t_string!(i18n, devices.detail.map_label, name = d.name.clone()) />
        }
    });
    let tags = d.tags.join(", ");
    let metadata = d
        .metadata
        .iter()
        .map(|(k, value)| view! { <tr><th scope="row">{k.clone()}</th><td>{value.clone()}</td></tr> })
        .collect_view();
    view! {
        <Title text=d.name.clone() />
        <section class="page">
            <p><a href=devices_path(&slug)>{t!(i18n, devices.back_to_devices)}</a></p>
            <h1 id="device-name">{d.name.clone()}</h1>
            <p id="source-banner" class="field-error" role="status">{banner}</p>
            <p id="device-status">{status}</p>
            <table class="device-facts">
                <tbody>
                    <tr><th scope="row">{t!(i18n, devices.detail.external_id)}</th><td><code>{d.external_id.clone()}</code></td></tr>
                    <tr><th scope="row">{t!(i18n, devices.detail.kind)}</th><td>{d.kind.clone()}</td></tr>
                    <tr><th scope="row">{t!(i18n, devices.detail.group)}</th><td>{d.group_name.clone().unwrap_or_else(|| t_string!(i18n, devices.detail.no_group).into())}</td></tr>
                    <tr><th scope="row">{t!(i18n, devices.detail.location)}</th><td id="device-location">{location}</td></tr>
                    <tr><th scope="row">{t!(i18n, devices.detail.tags)}</th><td>{tags}</td></tr>
                    {metadata}
                </tbody>
            </table>
            {map}
            <h2>{t!(i18n, devices.detail.latest)}</h2>
            <table id="device-latest" class="latest">
                <thead><tr><th>{t!(i18n, devices.detail.metric)}</th><th>{t!(i18n, devices.detail.value)}</th><th>{t!(i18n, devices.detail.when)}</th><th>{t!(i18n, devices.detail.last_24_hours)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
        {edit}
    }
}

/// The edit form of admins, filled with what the device is now.
#[component]
fn EditDevice(
    slug: String,
    device: model::devices::Device,
    groups: Vec<(String, String)>,
    action: ServerAction<UpdateDevice>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = move || action.value().get().and_then(Result::err);
    let form_error = move || {
        error().map(|e| match &e {
            model::ApiError::Invalid { message, .. } => message.clone(),
            other => crate::form::form_sentence(other).unwrap_or_else(|| other.to_string()),
        })
    };
    let location = match (device.latitude, device.longitude) {
        (Some(lat), Some(lon)) => format!("{lat}, {lon}"),
        _ => String::new(),
    };
    let current_group = device.group_id.clone().unwrap_or_default();
    let options = groups
        .into_iter()
        .map(|(id, name)| {
            let selected = id == current_group;
            view! { <option value=id selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <section class="page">
            <div class="card">
                <h2>{t!(i18n, devices.edit.title)}</h2>
                <ActionForm action>
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="device_id" value=device.id />
                    <label for="edit-external-id">{t!(i18n, devices.edit.external_id)}</label>
                    <input id="edit-external-id" name="external_id" value=device.external_id />
                    <label for="edit-name">{t!(i18n, devices.edit.name)}</label>
                    <input id="edit-name" name="name" value=device.name />
                    <label for="edit-kind">{t!(i18n, devices.edit.kind)}</label>
                    <input id="edit-kind" name="kind" value=device.kind />
                    <label for="edit-group">{t!(i18n, devices.edit.group)}</label>
                    <select id="edit-group" name="group_id">
                        <option value="">{t!(i18n, devices.edit.no_group)}</option>
                        {options}
                    </select>
                    <label for="edit-location">{t!(i18n, devices.edit.location)}</label>
                    <input id="edit-location" name="location" value=location />
                    <label for="edit-tags">{t!(i18n, devices.edit.tags)}</label>
                    <input id="edit-tags" name="tags" value=device.tags.join(", ") />
                    <p id="edit-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit">{t!(i18n, devices.edit.save)}</button>
                </ActionForm>
            </div>
        </section>
    }
}
