//! One widget of a dashboard, drawn from its data: charts (plotters SVG), a stat, a gauge, a
//! table, a map or a note. Every text is escaped; a note is plain text, never markup.

use super::charts;
use crate::devices::chart::Sparkline;
use crate::map::DeviceMap;
use i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use model::dashboards::{threshold_color, Panel, PanelData, TableRow, Widget, WidgetKind};
use model::map::MapTiles;

#[component]
pub fn PanelView(
    /// The widget and its data, which live readings change.
    panel: RwSignal<Panel>,
    /// Whose clock the charts read on.
    zone: Signal<charts::Zone>,
    /// (workspace, dashboard) when the dashboard holds fewer devices than the workspace: its
    /// maps load every marker in the browser.
    fleet: Option<(String, String)>,
    tiles: MapTiles,
    /// The CSV of this widget's data over the dashboard's range.
    csv: String,
    /// A picture of its chart (offered for charts only).
    png: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let (w, range, first) = panel.with_untracked(|p| (p.widget.clone(), p.range, p.data.clone()));
    let picture = matches!(first, PanelData::Series(_) | PanelData::Bars { .. }).then(|| {
        view! { <a class="widget-export" href=png download>{t!(i18n, dashboards.export_png)}</a> }
    });
    let place = w.place;
    let style = format!(
        "grid-column: {} / span {}; grid-row: {} / span {};",
        place.x + 1,
        place.w,
        place.y + 1,
        place.h
    );
    let title = if w.title.is_empty() {
        super::kind_label(language, w.kind).to_string()
    } else {
        w.title.clone()
    };
    let kind = w.kind.code();
    let body = match first {
        // The map keeps its view (zoom, popups) as drawn first; the table sorts live rows.
        PanelData::Markers(markers) => {
            let label = map_label(language, &title, markers.len());
            let fleet = fleet.map(|(slug, id)| (slug, id, w.id.clone()));
            view! { <DeviceMap markers tiles label fleet /> }.into_any()
        }
        PanelData::Rows(_) => {
            let rows = Signal::derive(move || {
                panel.with(|p| match &p.data {
                    PanelData::Rows(rows) => rows.clone(),
                    _ => Vec::new(),
                })
            });
            view! { <LatestTable metrics=w.metrics.clone() rows /> }.into_any()
        }
        _ => {
            let (w, title) = (w.clone(), title.clone());
            (move || {
                let data = panel.with(|p| p.data.clone());
                body(&w, range, data, tiles.clone(), &title, zone.get())
            })
            .into_any()
        }
    };
    view! {
        <article class="widget" style=style data-widget=w.id.clone() data-kind=kind>
            <header>
                <h2>{title}</h2>
                <span>
                    <a class="widget-export" href=csv download>{t!(i18n, dashboards.export_csv)}</a>
                    " "
                    {picture}
                </span>
            </header>
            {body}
        </article>
    }
}

/// What a map says it shows, for screen readers: "Plant: 12 devices".
fn map_label(language: model::Language, title: &str, n: usize) -> String {
    i18n::td_string!(
        i18n::Locale::from(language),
        dashboards.map_label,
        count = n as u64,
        title = title,
        n = language.count(n as u64)
    )
    .to_string()
}

/// A reading and its unit, as a widget shows it (`21.5 °C`, `21,5 °C`).
fn reading(language: model::Language, value: f64, unit: &str) -> String {
    format!("{} {unit}", language.reading(value))
}

fn body(
    w: &Widget,
    range: model::dashboards::TimeRange,
    data: PanelData,
    tiles: MapTiles,
    title: &str,
    zone: charts::Zone,
) -> AnyView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let primary = crate::theme::use_theme().colors.primary;
    match data {
        PanelData::Empty(why) => {
            // The server says why in English; the page in its language.
            let why = crate::form::in_language(&why, language);
            view! { <p class="widget-empty">{why}</p> }.into_any()
        }
        PanelData::Note(text) => view! { <p class="widget-note">{text}</p> }.into_any(),
        PanelData::Series(series) => {
            let bounds = charts::series_bounds(&series, range);
            let offset = zone.offset_at(bounds.1);
            let svg = charts::TimeSeriesChart {
                series: &series,
                bounds,
                style: w.style,
                thresholds: &w.thresholds,
                primary: &primary,
                offset,
            }
            .svg(language)
            .unwrap_or_else(|e| {
                leptos::logging::error!("chart {}: {e}", w.id);
                String::new()
            });
            // The last value of each line, in words: what the chart ends on, for everyone.
            let legend = series
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let last = s
                        .points
                        .last()
                        .map(|p| reading(language, p.1, &s.unit))
                        .unwrap_or_else(|| t_string!(i18n, dashboards.no_reading).to_string());
                    let swatch = format!("--series: {}", charts::series_hex(&primary, i));
                    let text = charts::series_value(language, &s.label, &last);
                    view! { <li data-series=s.label.clone() style=swatch>{text}</li> }
                })
                .collect_view();
            // The values under the pointer (in the browser; the legend says the last ones).
            let tip = RwSignal::new(None::<String>);
            let on_move = move |ev: leptos::ev::MouseEvent| {
                #[cfg(feature = "hydrate")]
                {
                    use wasm_bindgen::JsCast;
                    let target = ev
                        .current_target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                    if let Some(el) = target {
                        let rect = el.get_bounding_client_rect();
                        if rect.width() > 0.0 {
                            let fraction = (f64::from(ev.client_x()) - rect.left()) / rect.width();
                            tip.set(charts::hover_text(
                                &series, bounds, fraction, offset, language,
                            ));
                        }
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = (&ev, &series, bounds, offset, language);
            };
            view! {
                <div class="chart" role="img" aria-label=t_string!(i18n, dashboards.chart_label, title = title) inner_html=svg
                    on:mousemove=on_move on:mouseleave=move |_| tip.set(None)></div>
                <p class="chart-zone">{t_string!(i18n, dashboards.times_in, zone = model::time::zone_name(offset))}</p>
                <p class="chart-tip" role="status">{move || tip.get()}</p>
                <ul class="chart-legend">{legend}</ul>
            }
            .into_any()
        }
        PanelData::Bars { bars, unit, .. } => {
            let svg = charts::BarChart {
                bars: &bars,
                unit: &unit,
                primary: &primary,
            }
            .svg(language)
            .unwrap_or_default();
            view! { <div class="chart" role="img" aria-label=t_string!(i18n, dashboards.bar_chart_label, title = title) inner_html=svg></div> }
                .into_any()
        }
        PanelData::Value {
            label,
            value,
            unit,
            series,
            ..
        } => {
            let color = threshold_color(&w.thresholds, value).map(|c| format!("color: {c}"));
            if w.kind == WidgetKind::Gauge {
                let (lo, hi) = (w.min.unwrap_or(0.0), w.max.unwrap_or(100.0));
                view! {
                    <Gauge value lo hi color=color.clone() />
                    <p class="stat-value" style=color>{reading(language, value, &unit)}</p>
                    <p class="stat-label">{label}</p>
                }
                .into_any()
            } else {
                view! {
                    <p class="stat-value" style=color>{reading(language, value, &unit)}</p>
                    <p class="stat-label">{label.clone()}</p>
                    <Sparkline metric=label unit points=series />
                }
                .into_any()
            }
        }
        PanelData::Markers(markers) => {
            let label = map_label(language, title, markers.len());
            view! { <DeviceMap markers tiles label /> }.into_any()
        }
        PanelData::Rows(rows) => {
            let rows = Signal::stored(rows);
            view! { <LatestTable metrics=w.metrics.clone() rows /> }.into_any()
        }
    }
}

/// A half-circle dial from `lo` to `hi` with the value's arc.
#[component]
fn Gauge(value: f64, lo: f64, hi: f64, color: Option<String>) -> impl IntoView {
    let language = i18n::use_language();
    let label = i18n::td_string!(
        i18n::Locale::from(language),
        dashboards.gauge_label,
        value = language.reading(value),
        lo = language.reading(lo),
        hi = language.reading(hi)
    )
    .to_string();
    let share = ((value - lo) / (hi - lo)).clamp(0.0, 1.0);
    let angle = std::f64::consts::PI * (1.0 - share);
    let (x, y) = (60.0 + 50.0 * angle.cos(), 60.0 - 50.0 * angle.sin());
    let arc = format!("M10,60 A50,50 0 0,1 {x:.2},{y:.2}");
    let stroke = color
        .and_then(|c| c.strip_prefix("color: ").map(str::to_string))
        .unwrap_or_else(|| "var(--color-primary)".into());
    view! {
        <svg class="gauge" viewBox="0 0 120 70" role="img"
            aria-label=label>
            <path d="M10,60 A50,50 0 0,1 110,60" fill="none" stroke="var(--color-border)" stroke-width="10" />
            <path d=arc fill="none" stroke=stroke stroke-width="10" />
        </svg>
    }
}

/// The latest values, one row per device; the column headers sort it (in the browser).
#[component]
fn LatestTable(metrics: Vec<String>, rows: Signal<Vec<TableRow>>) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    // None: by name; Some(i): by metric i. Descending when the flag is set.
    let sort = RwSignal::new((None::<usize>, false));
    let sorted = move || {
        let (by, desc) = sort.get();
        let mut rows = rows.get();
        match by {
            None => rows.sort_by(|a, b| a.name.cmp(&b.name)),
            Some(i) => rows.sort_by(|a, b| {
                let v = |r: &TableRow| r.values.get(i).cloned().flatten().map(|v| v.0);
                v(a).partial_cmp(&v(b)).unwrap_or(std::cmp::Ordering::Equal)
            }),
        }
        if desc {
            rows.reverse();
        }
        rows
    };
    let header = |column: Option<usize>, label: String| {
        let aria = move || {
            let (by, desc) = sort.get();
            match (by == column, desc) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            }
        };
        view! {
            <th aria-sort=aria>
                <button type="button" class="sort" on:click=move |_| {
                    sort.update(|(by, desc)| {
                        *desc = *by == column && !*desc;
                        *by = column;
                    })
                }>{label}</button>
            </th>
        }
    };
    let heads = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| header(Some(i), m.replace('_', " ")))
        .collect_view();
    view! {
        <table class="latest-table">
            <thead><tr>{header(None, t_string!(i18n, dashboards.device_column).to_string())}{heads}</tr></thead>
            <tbody>
                {move || sorted().into_iter().map(|r| {
                    let cells = r.values.iter().map(|v| match v {
                        Some((value, unit)) => view! { <td class="value">{reading(language, *value, unit)}</td> }.into_any(),
                        None => view! { <td class="value">"—"</td> }.into_any(),
                    }).collect_view();
                    view! {
                        <tr data-device=r.device_id.clone()>
                            <th scope="row"><a href=r.href.clone()>{r.name.clone()}</a></th>
                            {cells}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Language::{En, Fr};

    #[test]
    fn a_map_says_how_many_devices_it_shows_in_the_pages_language() {
        assert_eq!(map_label(En, "Plant", 3), "Plant: 3 devices");
        assert_eq!(map_label(Fr, "Site", 1), "Site\u{a0}: 1 appareil");
        assert_eq!(map_label(Fr, "Site", 0), "Site\u{a0}: 0 appareil");
        assert_eq!(
            map_label(Fr, "Flotte", 12_500),
            "Flotte\u{a0}: 12\u{202f}500 appareils"
        );
        assert_eq!(reading(Fr, 21.25, "°C"), "21,25 °C");
        assert_eq!(reading(En, 80.0, "%"), "80 %");
    }
}
