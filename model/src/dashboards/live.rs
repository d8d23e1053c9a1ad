//! Live updates of an open dashboard, over the WebSocket at `/w/<slug>/live`: what the browser
//! asks for, what the server pushes, and how a pushed reading changes what a widget shows.
//!
//! The browser watches the devices and metrics its widgets show; the server answers with the
//! current value of each, then only the readings that changed (the latest of each, coalesced
//! for a slow browser), and says when a dashboard of the workspace was edited.

use super::{DashboardView, Panel, PanelData, TimeRange, WidgetKind, CHART_POINTS};
use crate::data::LatestValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Devices one socket may watch (as many as a dashboard reads).
pub const MAX_WATCHED_DEVICES: usize = super::MAX_DASHBOARD_DEVICES;
/// Metric names one socket may watch.
pub const MAX_WATCHED_METRICS: usize = 64;
/// Largest frame the browser may send, in bytes.
pub const MAX_CLIENT_FRAME: usize = 128 * 1024;

/// The close code of a socket whose session ended: sign in again, do not reconnect.
pub const CLOSE_SESSION_ENDED: u16 = 4401;
/// The close code of a socket refused something it asked (a frame that does not parse).
pub const CLOSE_BAD_REQUEST: u16 = 4400;

/// The socket's address for workspace `slug`.
pub fn live_path(slug: &str) -> String {
    format!("/w/{slug}/live")
}

/// What the browser sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    /// Watch these devices (registry ids) for these metrics (all when empty); replaces what
    /// was watched before.
    Watch {
        devices: Vec<String>,
        metrics: Vec<String>,
    },
}

/// What the server pushes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The watch is in place over this many devices (those the caller may not see are left out).
    Watching { devices: usize },
    /// Readings new since the last frame, one per device and metric; `device` is the registry id.
    Readings { readings: Vec<LatestValue> },
    /// A dashboard of the workspace was saved or deleted: the page should load again.
    DashboardChanged { id: String },
    /// A watch that was refused, in plain words; the socket stays open.
    Refused { reason: String },
}

impl ClientFrame {
    /// The frame, checked: bounded lists of plausible ids and names.
    pub fn parse(text: &str) -> Result<ClientFrame, String> {
        if text.len() > MAX_CLIENT_FRAME {
            return Err(format!(
                "A frame may hold at most {MAX_CLIENT_FRAME} bytes."
            ));
        }
        let frame: ClientFrame =
            serde_json::from_str(text).map_err(|e| format!("This frame is not understood: {e}"))?;
        let ClientFrame::Watch { devices, metrics } = &frame;
        if devices.len() > MAX_WATCHED_DEVICES {
            return Err(format!(
                "A page may watch at most {MAX_WATCHED_DEVICES} devices."
            ));
        }
        if metrics.len() > MAX_WATCHED_METRICS {
            return Err(format!(
                "A page may watch at most {MAX_WATCHED_METRICS} metrics."
            ));
        }
        let plausible = |s: &String| !s.is_empty() && s.len() <= 200;
        if !devices.iter().all(plausible) || !metrics.iter().all(plausible) {
            return Err("Device ids and metric names must be 1 to 200 characters.".into());
        }
        Ok(frame)
    }
}

impl DashboardView {
    /// What the page watches: the devices its widgets show and their metrics (empty: all,
    /// when a map or a metric-less widget shows every reading). Notes watch nothing.
    pub fn watch(&self) -> ClientFrame {
        let mut devices = BTreeSet::new();
        let mut metrics = BTreeSet::new();
        let mut every_metric = false;
        for panel in &self.panels {
            let w = &panel.widget;
            match &panel.data {
                PanelData::Series(series) => {
                    devices.extend(series.iter().map(|s| s.device.clone()))
                }
                PanelData::Rows(rows) => devices.extend(rows.iter().map(|r| r.device_id.clone())),
                PanelData::Markers(markers) => devices.extend(markers.iter().map(|m| m.id.clone())),
                PanelData::Value { device, .. } => {
                    devices.insert(device.clone());
                }
                PanelData::Bars { devices: ids, .. } => devices.extend(ids.iter().cloned()),
                PanelData::Note(_) | PanelData::Empty(_) => continue,
            }
            if w.metrics.is_empty() {
                every_metric = true;
            }
            metrics.extend(w.metrics.iter().cloned());
            if w.kind == WidgetKind::Map {
                metrics.extend(["latitude".to_string(), "longitude".to_string()]);
            }
        }
        devices.remove("");
        ClientFrame::Watch {
            devices: devices.into_iter().collect(),
            metrics: if every_metric {
                Vec::new()
            } else {
                metrics.into_iter().collect()
            },
        }
    }
}

impl Panel {
    /// Takes in pushed readings; answers whether anything shown changed. A chart over a span
    /// ending now slides forward; one over fixed instants takes only readings inside them.
    pub fn apply(&mut self, readings: &[LatestValue]) -> bool {
        let mut changed = false;
        for r in readings {
            changed |= self.apply_one(r);
        }
        changed
    }

    fn apply_one(&mut self, r: &LatestValue) -> bool {
        let range = self.range;
        let shown = |metric: &str| self.widget.metrics.iter().any(|m| m == metric);
        let unit = |reading_unit: &str| {
            self.widget
                .unit
                .clone()
                .unwrap_or_else(|| reading_unit.to_string())
        };
        match &mut self.data {
            PanelData::Series(series) => {
                let mut changed = false;
                for s in series
                    .iter_mut()
                    .filter(|s| s.device == r.device && s.metric == r.metric)
                {
                    changed |= extend(&mut s.points, range, r.t, r.value);
                }
                changed
            }
            PanelData::Value {
                value,
                t,
                series,
                device,
                metric,
                ..
            } => {
                if *device != r.device || *metric != r.metric || r.t < *t {
                    return false;
                }
                let changed = *t != r.t || *value != r.value;
                (*value, *t) = (r.value, r.t);
                extend(series, range, r.t, r.value) || changed
            }
            PanelData::Rows(rows) => {
                let Some(i) = self.widget.metrics.iter().position(|m| *m == r.metric) else {
                    return false;
                };
                let unit = unit(&r.unit);
                let mut changed = false;
                for row in rows.iter_mut().filter(|row| row.device_id == r.device) {
                    let new = Some((r.value, unit.clone()));
                    if row.values.get(i).is_some_and(|v| *v != new) {
                        row.values[i] = new;
                        changed = true;
                    }
                    if row.last.is_none_or(|last| last < r.t) {
                        row.last = Some(r.t);
                        changed = true;
                    }
                }
                changed
            }
            PanelData::Bars { bars, devices, .. } => {
                if self.widget.metrics.first() != Some(&r.metric) {
                    return false;
                }
                let mut changed = false;
                for (i, _) in devices.iter().enumerate().filter(|(_, d)| **d == r.device) {
                    if let Some(bar) = bars.get_mut(i) {
                        changed |= bar.1 != r.value;
                        bar.1 = r.value;
                    }
                }
                changed
            }
            PanelData::Markers(markers) => {
                let mut changed = false;
                let every = self.widget.metrics.is_empty();
                for m in markers.iter_mut().filter(|m| m.id == r.device) {
                    match r.metric.as_str() {
                        "latitude" if (-90.0..=90.0).contains(&r.value) && m.lat != r.value => {
                            m.lat = r.value;
                            changed = true;
                        }
                        "longitude" if (-180.0..=180.0).contains(&r.value) && m.lon != r.value => {
                            m.lon = r.value;
                            changed = true;
                        }
                        _ => {}
                    }
                    if every || shown(&r.metric) {
                        changed |=
                            crate::map::set_popup_line(&mut m.lines, &r.metric, r.value, &r.unit);
                    }
                    if m.online != Some(true) {
                        m.online = Some(true);
                        changed = true;
                    }
                }
                changed
            }
            PanelData::Note(_) | PanelData::Empty(_) => false,
        }
    }
}

/// Adds the reading at `t` to a line (or corrects the last point when it is the same instant),
/// keeps a span's window sliding and the line within twice a chart's points.
fn extend(points: &mut Vec<crate::data::Point>, range: TimeRange, t: i64, value: f64) -> bool {
    if let TimeRange::Between { from, to } = range {
        if t < from || t > to {
            return false;
        }
    }
    match points.last_mut() {
        Some(last) if last.0 > t => return false,
        Some(last) if last.0 == t => {
            if last.1 == value {
                return false;
            }
            last.1 = value;
        }
        _ => points.push((t, value)),
    }
    if let TimeRange::Last(span) = range {
        let start = t - span.seconds();
        let old = points.iter().take_while(|p| p.0 < start).count();
        points.drain(..old);
    }
    if points.len() > 2 * CHART_POINTS {
        let extra = points.len() - 2 * CHART_POINTS;
        points.drain(..extra);
    }
    true
}

#[cfg(test)]
mod tests;
