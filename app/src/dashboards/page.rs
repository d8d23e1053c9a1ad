//! `/w/<slug>/dashboards[/<id>]`: a dashboard's widgets on the 12-column grid, the menu of the
//! others, the time-range picker and auto-refresh, all kept in the address.

use super::api::load_dashboard;
use super::charts::Zone;
use super::live::keep_live;
use super::widgets::PanelView;
use super::{dashboard_href, dashboards_path, span_label};
use crate::devices::source_banner;
use crate::members::{signed_in_page, use_query, use_slug};
use i18n::{t, t_string, td_string, use_i18n, Locale};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use model::dashboards::{DashboardView, Panel, Span, TimeRange};

/// Auto-refresh periods offered, in seconds.
const REFRESH: [u32; 4] = [0, 10, 30, 60];

/// How the refresh picker names a period.
fn refresh_label(language: model::Language, secs: u32) -> &'static str {
    let locale = Locale::from(language);
    match secs {
        0 => td_string!(locale, dashboards.refresh_off),
        10 => td_string!(locale, dashboards.refresh_10s),
        30 => td_string!(locale, dashboards.refresh_30s),
        _ => td_string!(locale, dashboards.refresh_1min),
    }
}

/// A span as the range picker's link names it (`1h`, `7d`).
fn span_short(language: model::Language, span: Span) -> &'static str {
    let locale = Locale::from(language);
    match span {
        Span::Hour => td_string!(locale, dashboards.span_short.hour),
        Span::SixHours => td_string!(locale, dashboards.span_short.six_hours),
        Span::Day => td_string!(locale, dashboards.span_short.day),
        Span::Week => td_string!(locale, dashboards.span_short.week),
        Span::Month => td_string!(locale, dashboards.span_short.month),
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let slug = use_slug();
    let params = leptos_router::hooks::use_params_map();
    let id = Signal::derive(move || params.read().get("id").unwrap_or_default());
    let (range, from, to) = (use_query("range"), use_query("from"), use_query("to"));
    let refresh = use_query("refresh");
    let data = Resource::new_blocking(
        move || (slug.get(), id.get(), range.get(), from.get(), to.get()),
        |(slug, id, range, from, to)| load_dashboard(slug, id, range, from, to),
    );
    // A dashboard edited anywhere (the live socket tells) is read again.
    let reload = Callback::new(move |()| data.refetch());
    signed_in_page(slug, data, move |slug, v| {
        let refresh = refresh.get_untracked().parse::<u32>().unwrap_or(0);
        view! { <Dashboard v slug refresh reload /> }.into_any()
    })
}

#[component]
fn Dashboard(v: DashboardView, slug: String, refresh: u32, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let id = v.dashboard.id.clone();
    let range = v.range;
    let with_refresh = move |href: String| {
        if refresh > 0 {
            format!("{href}&refresh={refresh}")
        } else {
            href
        }
    };
    let menu = (v.dashboards.len() > 1).then(|| {
        let links = v
            .dashboards
            .iter()
            .map(|d| {
                let current = if d.id == id { Some("page") } else { None };
                let href = with_refresh(dashboard_href(&slug, &d.id, range));
                view! { <li><a href=href aria-current=current>{d.name.clone()}</a></li> }
            })
            .collect_view();
        view! { <nav aria-label=t_string!(i18n, dashboards.menu_label)><ul class="dashboard-menu">{links}</ul></nav> }
    });
    let spans = Span::ALL
        .into_iter()
        .map(|span| {
            let current = (range == TimeRange::Last(span)).then_some("page");
            let href = with_refresh(dashboard_href(&slug, &id, TimeRange::Last(span)));
            view! {
                <li><a href=href aria-current=current data-range=span.code()>{span_short(language, span)}</a></li>
            }
        })
        .collect_view();
    let refreshes = REFRESH
        .into_iter()
        .map(|secs| {
            let label = refresh_label(language, secs);
            let base = dashboard_href(&slug, &id, range);
            let href = if secs == 0 {
                base
            } else {
                format!("{base}&refresh={secs}")
            };
            let current = (secs == refresh).then_some("page");
            view! { <li><a href=href aria-current=current>{label}</a></li> }
        })
        .collect_view();
    let (custom_from, custom_to) = match range {
        TimeRange::Between { from, to } => (input_value(from), input_value(to)),
        TimeRange::Last(span) => (input_value(v.now - span.seconds()), input_value(v.now)),
    };
    let shown = match range {
        TimeRange::Last(span) => span_label(language, span).to_string(),
        TimeRange::Between { from, to } => t_string!(
            i18n,
            dashboards.range_between,
            from = language.utc_minute(from * 1000),
            to = language.utc_minute(to * 1000)
        )
        .to_string(),
    };
    let banner = source_banner(v.source, v.now);
    let left_out = (v.left_out > 0).then(|| {
        t_string!(
            i18n,
            dashboards.left_out,
            count = v.left_out,
            n = language.count(v.left_out),
            first = language.count(model::dashboards::MAX_DASHBOARD_DEVICES as u64),
            map = language.count(model::dashboards::MAX_MAP_DEVICES as u64)
        )
        .to_string()
    });
    // Editors and above; the starter (not saved yet) opens as a new dashboard.
    let edit = v.may_edit.then(|| {
        view! {
            <p class="dashboard-edit">
                <a id="dashboard-edit" href=super::editor_path(&slug, &id)>{t!(i18n, dashboards.edit_this)}</a>
                " · "
                <a id="dashboard-new" href=super::editor_path(&slug, "new")>{t!(i18n, dashboards.new_dashboard)}</a>
            </p>
        }
    });
    let tiles = v.tiles.clone();
    // Each widget's data in a signal of its own: a live reading redraws only what it touches.
    let watch = v.watch();
    let live_panels: Vec<RwSignal<Panel>> = v.panels.into_iter().map(RwSignal::new).collect();
    let live = keep_live(slug.clone(), watch, live_panels.clone(), reload);
    // Drawn by the server in UTC; in the browser, on the viewer's clock.
    let zone = RwSignal::new(Zone::Utc);
    Effect::new(move |_| zone.set(Zone::Viewer));
    let zone = Signal::from(zone);
    let panels = live_panels
        .into_iter()
        .map(|panel| {
            let tiles = tiles.clone();
            let widget = panel.with_untracked(|p| p.widget.id.clone());
            let href = |file: &str| super::download_href(&slug, &id, &widget, file, range);
            let (csv, png) = (href("data.csv"), href("chart.png"));
            let fleet = (v.left_out > 0).then(|| (slug.clone(), id.clone()));
            view! { <PanelView panel zone fleet tiles csv png /> }
        })
        .collect_view();
    let refresh_meta =
        (refresh > 0).then(|| view! { <Meta http_equiv="refresh" content=refresh.to_string() /> });
    view! {
        <Title text=v.dashboard.name.clone() />
        {refresh_meta}
        <section class="dashboard">
            <p><a href=format!("/w/{slug}/")>{t!(i18n, dashboards.home)}</a></p>
            <h1 id="dashboard-name">{v.dashboard.name.clone()}</h1>
            {menu}
            {edit}
            <div class="dashboard-controls">
                <nav aria-label=t_string!(i18n, dashboards.time_range)><ul class="range-picker">{spans}</ul></nav>
                <form method="get" action=if id.is_empty() { dashboards_path(&slug) } else { format!("{}/{id}", dashboards_path(&slug)) }
                    class="custom-range">
                    <label for="range-from">{t!(i18n, dashboards.from_utc)}</label>
                    <input id="range-from" name="from" type="datetime-local" value=custom_from />
                    <label for="range-to">{t!(i18n, dashboards.to)}</label>
                    <input id="range-to" name="to" type="datetime-local" value=custom_to />
                    <button type="submit">{t!(i18n, dashboards.show)}</button>
                </form>
                <nav aria-label=t_string!(i18n, dashboards.auto_refresh)><ul class="refresh-picker">
                    <li>{t!(i18n, dashboards.refresh)}</li>
                    {refreshes}
                </ul></nav>
            </div>
            <p id="dashboard-range">{shown}</p>
            <p id="range-problem" class="field-error" role="status">{v.range_problem.map(|p| crate::form::in_language(&p, language))}</p>
            <p id="source-banner" class="field-error" role="status">{banner}</p>
            <p id="devices-left-out" role="status">{left_out}</p>
            <p id="live-status" role="status">{move || live.get().text(language)}</p>
            <div class="dashboard-grid">{panels}</div>
        </section>
    }
}

/// An instant as a date-and-time field holds it (UTC).
fn input_value(secs: i64) -> String {
    model::time::utc_minute(secs * 1000)
        .trim_end_matches(" UTC")
        .replacen(' ', "T", 1)
}
