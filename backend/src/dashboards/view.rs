//! What a dashboard page shows: each widget's data, read from the registry (which devices the
//! viewer sees) and the data source (latest values in one call, then the series the charts
//! draw, asked together). A failing source never fails the page: widgets say what is missing.

use super::{get, list, summaries};
use crate::auth::ctx::WorkspaceCtx;
use crate::connector::{Connector, Scope};
use crate::BackendError;
use futures_util::future::join_all;
use model::access::Action;
use model::dashboards::{
    starter, ChartSeries, DashboardView, Panel, PanelData, Selection, TableRow, TimeRange, Widget,
    WidgetKind, CHART_POINTS, MAX_DASHBOARD_DEVICES, MAX_MAP_DEVICES, MAX_SERIES,
};
use model::data::LatestValue;
use model::devices::{Device, SourceState};
use model::map::{position, MapMarker, MapTiles};
use std::collections::BTreeMap;

/// Bars a bar chart draws at most.
const MAX_BARS: usize = 30;

/// The dashboard `id` (the default one when `None`) over `range`.
#[allow(clippy::too_many_arguments)]
pub async fn view(
    ctx: &WorkspaceCtx,
    connector: &Connector,
    scope: &Scope,
    id: Option<&str>,
    range: TimeRange,
    range_problem: Option<String>,
    tiles: &MapTiles,
    devices_path: &str,
) -> Result<DashboardView, BackendError> {
    let dashboards = list(ctx).await?;
    // The list holds every dashboard the caller sees: one not in it is hidden or missing.
    let chosen = match id.filter(|id| !id.is_empty()) {
        Some(id) => Some(
            dashboards
                .iter()
                .find(|d| d.id == id)
                .cloned()
                .ok_or_else(|| BackendError::NotFound(super::NO_SUCH_DASHBOARD.into()))?,
        ),
        None => dashboards.first().cloned(),
    };
    let Loaded {
        devices,
        left_out,
        latest,
        source,
    } = load(ctx, connector, scope).await?;
    let now = crate::now_millis() / 1000;
    let dashboard = match chosen {
        Some(d) => d,
        None => starter(&common_metrics(&latest)),
    };
    let readings = Readings::new(&devices, &latest);
    let mut panels = Vec::with_capacity(dashboard.widgets.len());
    for widget in &dashboard.widgets {
        let widget_range = widget.range.resolve(range);
        let chosen = select(&devices, &widget.devices);
        let data = panel(
            connector,
            scope,
            widget,
            widget_range,
            now,
            &chosen,
            &readings,
            devices_path,
        )
        .await;
        panels.push(Panel {
            widget: widget.clone(),
            range: widget_range,
            data,
        });
    }
    Ok(DashboardView {
        dashboards: summaries(&dashboards),
        dashboard,
        panels,
        range,
        range_problem,
        source,
        left_out,
        may_edit: ctx.require(Action::EditDashboards).is_ok(),
        now,
        tiles: tiles.clone(),
    })
}

/// What every widget draws from: the devices the caller sees and their latest values.
pub(crate) struct Loaded {
    pub(crate) devices: Vec<Device>,
    pub(crate) left_out: u64,
    pub(crate) latest: Vec<LatestValue>,
    pub(crate) source: SourceState,
}

pub(crate) async fn load(
    ctx: &WorkspaceCtx,
    connector: &Connector,
    scope: &Scope,
) -> Result<Loaded, BackendError> {
    let (devices, total) = crate::devices::visible_up_to(ctx, MAX_DASHBOARD_DEVICES).await?;
    let left_out = total.saturating_sub(devices.len() as u64);
    let ids: Vec<String> = devices.iter().map(|d| d.external_id.clone()).collect();
    let (latest, source) = read_latest(ctx, connector, scope, &ids).await;
    Ok(Loaded {
        devices,
        left_out,
        latest,
        source,
    })
}

/// The latest values of `ids` and how fresh they are. A failing source fails nothing: the
/// caller draws without values and says so.
async fn read_latest(
    ctx: &WorkspaceCtx,
    connector: &Connector,
    scope: &Scope,
    ids: &[String],
) -> (Vec<LatestValue>, SourceState) {
    if ids.is_empty() {
        return (Vec::new(), SourceState::Fresh);
    }
    match connector.latest(scope, ids, None).await {
        Ok(data) => (
            data.value.as_ref().clone(),
            if data.freshness.stale {
                SourceState::Stale {
                    since: data.freshness.fetched_at,
                }
            } else {
                SourceState::Fresh
            },
        ),
        Err(e) => {
            tracing::warn!(error = %e, workspace = %ctx.workspace.slug, "drawn without data");
            (Vec::new(), SourceState::Unavailable)
        }
    }
}

/// One widget of dashboard `id` (the starter when empty) over `range`: what an export holds.
/// The dashboard's name comes with it.
pub async fn panel_of(
    ctx: &WorkspaceCtx,
    connector: &Connector,
    scope: &Scope,
    id: &str,
    widget_id: &str,
    range: TimeRange,
    devices_path: &str,
) -> Result<(String, Panel), BackendError> {
    let loaded = load(ctx, connector, scope).await?;
    let dashboard = if id.is_empty() {
        starter_of(&loaded)
    } else {
        get(ctx, id).await?
    };
    let widget = dashboard
        .widgets
        .iter()
        .find(|w| w.id == widget_id)
        .ok_or_else(|| BackendError::NotFound("This dashboard has no such widget.".into()))?;
    let widget_range = widget.range.resolve(range);
    let readings = Readings::new(&loaded.devices, &loaded.latest);
    let chosen = select(&loaded.devices, &widget.devices);
    let data = panel(
        connector,
        scope,
        widget,
        widget_range,
        crate::now_millis() / 1000,
        &chosen,
        &readings,
        devices_path,
    )
    .await;
    Ok((
        dashboard.name.clone(),
        Panel {
            widget: widget.clone(),
            range: widget_range,
            data,
        },
    ))
}

/// The starter dashboard over what the devices report now (only map and note when the
/// source does not answer).
pub(crate) fn starter_of(loaded: &Loaded) -> model::dashboards::Dashboard {
    starter(&common_metrics(&loaded.latest))
}

/// The metrics the devices report, most common first, with their units.
fn common_metrics(latest: &[LatestValue]) -> Vec<(String, String)> {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in latest {
        *counts
            .entry((r.metric.as_str(), r.unit.as_str()))
            .or_default() += 1;
    }
    let mut ranked: Vec<((&str, &str), usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .map(|((m, u), _)| (m.to_string(), u.to_string()))
        .collect()
}

fn select<'a>(devices: &'a [Device], selection: &Selection) -> Vec<&'a Device> {
    devices
        .iter()
        .filter(|d| match selection {
            Selection::All => true,
            Selection::Group { group } => d.group_id.as_deref() == Some(group.as_str()),
            Selection::Devices { ids } => ids.contains(&d.id),
        })
        .collect()
}

/// The latest values by registry device id.
struct Readings<'a> {
    by_device: BTreeMap<&'a str, Vec<&'a LatestValue>>,
}

impl<'a> Readings<'a> {
    fn new(devices: &'a [Device], latest: &'a [LatestValue]) -> Readings<'a> {
        let by_external: BTreeMap<&str, &str> = devices
            .iter()
            .map(|d| (d.external_id.as_str(), d.id.as_str()))
            .collect();
        let mut by_device: BTreeMap<&str, Vec<&LatestValue>> = BTreeMap::new();
        for r in latest {
            if let Some(id) = by_external.get(r.device.as_str()) {
                by_device.entry(id).or_default().push(r);
            }
        }
        Readings { by_device }
    }

    fn of(&self, device: &Device) -> &[&'a LatestValue] {
        self.by_device
            .get(device.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn value(&self, device: &Device, metric: &str) -> Option<&'a LatestValue> {
        self.of(device).iter().find(|r| r.metric == metric).copied()
    }
}

/// The markers of a map widget: each device with a place (reported, else registered), its
/// popup lines (the widget's metrics, or all) and whether it reports.
fn map_markers(
    widget: &Widget,
    devices: &[&Device],
    readings: &Readings<'_>,
    now: i64,
    href: &dyn Fn(&Device) -> String,
) -> Vec<MapMarker> {
    devices
        .iter()
        .filter_map(|d| {
            let (lat, lon) = position((d.latitude, d.longitude), readings.of(d))?;
            let last = readings.of(d).iter().map(|r| r.t).max();
            Some(MapMarker {
                id: d.id.clone(),
                name: d.name.clone(),
                lat,
                lon,
                href: href(d),
                lines: readings
                    .of(d)
                    .iter()
                    .filter(|r| widget.metrics.is_empty() || widget.metrics.contains(&r.metric))
                    .map(|r| model::map::popup_line(&r.metric, r.value, &r.unit))
                    .collect(),
                online: last.map(|_| model::devices::online(last, now)),
            })
        })
        .collect()
}

/// Every marker of map widget `widget_id` of dashboard `id` (the starter when empty), up to
/// [`MAX_MAP_DEVICES`] devices (past the dashboard's own cap): what a map of a large fleet
/// loads in the browser. Also how many devices it leaves out.
pub async fn fleet_map(
    ctx: &WorkspaceCtx,
    connector: &Connector,
    scope: &Scope,
    id: &str,
    widget_id: &str,
    devices_path: &str,
) -> Result<(Vec<MapMarker>, u64), BackendError> {
    let map_of = |dashboard: &model::dashboards::Dashboard| {
        dashboard
            .widgets
            .iter()
            .find(|w| w.id == widget_id && w.kind == WidgetKind::Map)
            .cloned()
            .ok_or_else(|| BackendError::NotFound("This dashboard has no such map.".into()))
    };
    let saved = if id.is_empty() {
        None
    } else {
        Some(map_of(&get(ctx, id).await?)?)
    };
    let (devices, total) = crate::devices::visible_up_to(ctx, MAX_MAP_DEVICES).await?;
    // The starter's map shows every device, and the starter is made from what they report:
    // one question to the source serves both.
    let selection = saved.as_ref().map_or(Selection::All, |w| w.devices.clone());
    let chosen = select(&devices, &selection);
    let ids: Vec<String> = chosen.iter().map(|d| d.external_id.clone()).collect();
    let (latest, _) = read_latest(ctx, connector, scope, &ids).await;
    let widget = match saved {
        Some(widget) => widget,
        None => map_of(&starter(&common_metrics(&latest)))?,
    };
    let readings = Readings::new(&devices, &latest);
    let href = |d: &Device| format!("{devices_path}/{}", d.id);
    let markers = map_markers(
        &widget,
        &chosen,
        &readings,
        crate::now_millis() / 1000,
        &href,
    );
    Ok((markers, total.saturating_sub(devices.len() as u64)))
}

fn unit_of(widget: &Widget, reading_unit: &str) -> String {
    widget
        .unit
        .clone()
        .unwrap_or_else(|| reading_unit.to_string())
}

fn nothing(widget: &Widget) -> PanelData {
    let metrics = widget.metrics.join(", ").replace('_', " ");
    PanelData::Empty(if metrics.is_empty() {
        "No device to show.".into()
    } else {
        format!("No device shown here reports {metrics}.")
    })
}

#[allow(clippy::too_many_arguments)]
async fn panel(
    connector: &Connector,
    scope: &Scope,
    widget: &Widget,
    range: TimeRange,
    now: i64,
    devices: &[&Device],
    readings: &Readings<'_>,
    devices_path: &str,
) -> PanelData {
    let (from, to) = range.bounds(now);
    let href = |d: &Device| format!("{devices_path}/{}", d.id);
    match widget.kind {
        WidgetKind::Note => PanelData::Note(widget.text.clone()),
        WidgetKind::Map => {
            let markers = map_markers(widget, devices, readings, now, &href);
            if markers.is_empty() {
                PanelData::Empty("No device shown here has a place.".into())
            } else {
                PanelData::Markers(markers)
            }
        }
        WidgetKind::Table => {
            let rows: Vec<TableRow> = devices
                .iter()
                .map(|d| TableRow {
                    device_id: d.id.clone(),
                    name: d.name.clone(),
                    href: href(d),
                    values: widget
                        .metrics
                        .iter()
                        .map(|m| {
                            readings
                                .value(d, m)
                                .map(|r| (r.value, unit_of(widget, &r.unit)))
                        })
                        .collect(),
                    last: readings.of(d).iter().map(|r| r.t).max(),
                })
                .collect();
            if rows.is_empty() {
                nothing(widget)
            } else {
                PanelData::Rows(rows)
            }
        }
        WidgetKind::Bar => {
            let Some(metric) = widget.metrics.first() else {
                return nothing(widget);
            };
            let mut unit = String::new();
            let (bars, ids): (Vec<(String, f64)>, Vec<String>) = devices
                .iter()
                .filter_map(|d| {
                    let r = readings.value(d, metric)?;
                    unit = unit_of(widget, &r.unit);
                    Some(((d.name.clone(), r.value), d.id.clone()))
                })
                .take(MAX_BARS)
                .unzip();
            if bars.is_empty() {
                nothing(widget)
            } else {
                PanelData::Bars {
                    bars,
                    unit,
                    devices: ids,
                }
            }
        }
        WidgetKind::Gauge | WidgetKind::Stat => {
            let found = devices.iter().find_map(|d| {
                widget
                    .metrics
                    .iter()
                    .find_map(|m| readings.value(d, m).map(|r| (*d, r)))
            });
            let Some((device, reading)) = found else {
                return nothing(widget);
            };
            let series = if widget.kind == WidgetKind::Stat {
                match connector
                    .series(scope, &device.external_id, &reading.metric, from, to, 60)
                    .await
                {
                    Ok(data) => data.value.points.clone(),
                    // The value still shows; only its sparkline is missing.
                    Err(_) => Vec::new(),
                }
            } else {
                Vec::new()
            };
            PanelData::Value {
                label: format!("{} · {}", device.name, reading.metric.replace('_', " ")),
                value: reading.value,
                unit: unit_of(widget, &reading.unit),
                t: reading.t,
                series,
                device: device.id.clone(),
                metric: reading.metric.clone(),
            }
        }
        WidgetKind::TimeSeries => {
            let pairs: Vec<(&Device, &LatestValue)> = devices
                .iter()
                .flat_map(|d| {
                    widget
                        .metrics
                        .iter()
                        .filter_map(move |m| readings.value(d, m).map(|r| (*d, r)))
                })
                .take(MAX_SERIES)
                .collect();
            if pairs.is_empty() {
                return nothing(widget);
            }
            let asked = pairs.iter().map(|(d, r)| {
                connector.series(scope, &d.external_id, &r.metric, from, to, CHART_POINTS)
            });
            let answers = join_all(asked).await;
            let several_metrics = widget.metrics.len() > 1;
            let mut lines = Vec::new();
            let mut missing = 0;
            for ((device, reading), answer) in pairs.iter().zip(answers) {
                match answer {
                    Ok(data) => lines.push(ChartSeries {
                        label: if several_metrics {
                            format!("{} · {}", device.name, reading.metric.replace('_', " "))
                        } else {
                            device.name.clone()
                        },
                        unit: unit_of(widget, &data.value.unit),
                        points: data.value.points.clone(),
                        device: device.id.clone(),
                        metric: reading.metric.clone(),
                    }),
                    Err(_) => missing += 1,
                }
            }
            if lines.is_empty() {
                PanelData::Empty("The data source did not answer for these series.".into())
            } else {
                if missing > 0 {
                    tracing::warn!(missing, widget = %widget.id, "a chart drawn without some series");
                }
                PanelData::Series(lines)
            }
        }
    }
}
