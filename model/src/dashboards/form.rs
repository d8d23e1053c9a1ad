//! The dashboard editor's form: every widget as plain text fields (`widgets[2][title]`), so the
//! same form works as a plain HTML post and in the browser. Reading it names each problem by
//! the widget and field it is in.

use super::{
    is_hex_color, LineStyle, Place, Selection, Span, Threshold, Widget, WidgetKind, WidgetRange,
};
use crate::devices::FieldProblem;
use serde::{Deserialize, Serialize};

/// One widget as the editor's fields hold it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WidgetForm {
    pub id: String,
    /// A [`WidgetKind`] in snake case; empty for an unused slot.
    pub kind: String,
    pub title: String,
    pub x: String,
    pub y: String,
    pub w: String,
    pub h: String,
    /// `all`, `group:<id>`, or `devices` (then `device_ids` names them).
    pub devices: String,
    /// Ids at the data source (as the device list shows them), separated by commas.
    pub device_ids: String,
    /// Metric names separated by commas.
    pub metrics: String,
    /// `dashboard`, or a span code (`1h`, `6h`, `24h`, `7d`, `30d`).
    pub range: String,
    pub unit: String,
    /// `20 #2a9d8f, 30 #c0392b`: from 20 green, from 30 red.
    pub thresholds: String,
    /// `line` or `area`.
    pub style: String,
    pub min: String,
    pub max: String,
    pub text: String,
    /// Set when the editor ticked "remove".
    pub remove: Option<String>,
}

fn number_text(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl WidgetForm {
    /// The fields of `w`; `external_id` names a registry device as its source id.
    pub fn of(w: &Widget, external_id: impl Fn(&str) -> Option<String>) -> WidgetForm {
        let (devices, device_ids) = match &w.devices {
            Selection::All => ("all".to_string(), String::new()),
            Selection::Group { group } => (format!("group:{group}"), String::new()),
            Selection::Devices { ids } => (
                "devices".to_string(),
                ids.iter()
                    .map(|id| external_id(id).unwrap_or_else(|| id.clone()))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        };
        WidgetForm {
            id: w.id.clone(),
            kind: w.kind.code().into(),
            title: w.title.clone(),
            x: w.place.x.to_string(),
            y: w.place.y.to_string(),
            w: w.place.w.to_string(),
            h: w.place.h.to_string(),
            devices,
            device_ids,
            metrics: w.metrics.join(", "),
            range: match w.range {
                WidgetRange::Dashboard => "dashboard".into(),
                WidgetRange::Last(span) => span.code().into(),
            },
            unit: w.unit.clone().unwrap_or_default(),
            thresholds: w
                .thresholds
                .iter()
                .map(|t| format!("{} {}", t.value, t.color))
                .collect::<Vec<_>>()
                .join(", "),
            style: match w.style {
                LineStyle::Line => "line".into(),
                LineStyle::Area => "area".into(),
            },
            min: number_text(w.min),
            max: number_text(w.max),
            text: w.text.clone(),
            remove: None,
        }
    }

    /// The widget these fields describe, `None` for an unused or removed slot. Devices chosen
    /// one by one keep their ids at the source; the caller turns them into registry ids.
    pub fn read(&self, i: usize) -> Result<Option<Widget>, Vec<FieldProblem>> {
        let kind = self.kind.trim();
        if kind.is_empty() || self.remove.is_some() {
            return Ok(None);
        }
        let at = |field: &str| format!("widgets.{i}.{field}");
        let mut problems = Vec::new();
        let mut problem = |field: &str, message: String| {
            problems.push(FieldProblem {
                field: at(field),
                message,
            })
        };
        let kind = WidgetKind::ALL
            .into_iter()
            .find(|k| k.code() == kind)
            .unwrap_or_else(|| {
                problem(
                    "kind",
                    format!("There is no widget kind \u{201c}{kind}\u{201d}."),
                );
                WidgetKind::Note
            });
        let mut place = [0u16; 4];
        for (n, (field, text, least)) in [
            ("x", &self.x, 0),
            ("y", &self.y, 0),
            ("w", &self.w, 1),
            ("h", &self.h, 1),
        ]
        .into_iter()
        .enumerate()
        {
            match text.trim().parse::<u16>() {
                Ok(v) if v >= least && v <= 999 => place[n] = v,
                _ => problem(
                    field,
                    format!("Enter a whole number from {least} for {field}."),
                ),
            }
        }
        let devices = match self.devices.trim() {
            "" | "all" => Selection::All,
            "devices" => Selection::Devices {
                ids: split_list(&self.device_ids),
            },
            other => match other.strip_prefix("group:") {
                Some(group) if !group.is_empty() => Selection::Group {
                    group: group.to_string(),
                },
                _ => {
                    problem(
                        "devices",
                        "Choose all devices, a group, or devices by id.".into(),
                    );
                    Selection::All
                }
            },
        };
        let range = match self.range.trim() {
            "" | "dashboard" => WidgetRange::Dashboard,
            code => match Span::from_code(code) {
                Some(span) => WidgetRange::Last(span),
                None => {
                    problem(
                        "range",
                        format!("There is no range \u{201c}{code}\u{201d}."),
                    );
                    WidgetRange::Dashboard
                }
            },
        };
        let mut thresholds = Vec::new();
        for part in split_list(&self.thresholds) {
            let mut words = part.split_whitespace();
            match (
                words.next().map(str::parse::<f64>),
                words.next(),
                words.next(),
            ) {
                (Some(Ok(value)), Some(color), None) if is_hex_color(color) && value.is_finite() => {
                    thresholds.push(Threshold {
                        value,
                        color: color.to_lowercase(),
                    })
                }
                _ => problem(
                    "thresholds",
                    format!("Write each threshold as a number and a colour, e.g. \u{201c}30 #c0392b\u{201d}; \u{201c}{part}\u{201d} is not."),
                ),
            }
        }
        let style = match self.style.trim() {
            "" | "line" => LineStyle::Line,
            "area" => LineStyle::Area,
            other => {
                problem(
                    "style",
                    format!("A line style is line or area, not \u{201c}{other}\u{201d}."),
                );
                LineStyle::Line
            }
        };
        let mut bound = |field: &str, text: &str| match text.trim() {
            "" => None,
            t => match t.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    problem(field, format!("\u{201c}{t}\u{201d} is not a number."));
                    None
                }
            },
        };
        let (min, max) = (bound("min", &self.min), bound("max", &self.max));
        if !problems.is_empty() {
            return Err(problems);
        }
        let unit = Some(self.unit.trim().to_string()).filter(|u| !u.is_empty());
        Ok(Some(Widget {
            id: self.id.trim().to_string(),
            kind,
            title: self.title.clone(),
            place: Place {
                x: place[0].min(255) as u8,
                y: place[1],
                w: place[2].min(255) as u8,
                h: place[3].min(255) as u8,
            },
            devices,
            metrics: split_list(&self.metrics),
            range,
            unit,
            thresholds,
            style,
            min,
            max,
            text: self.text.replace("\r\n", "\n"),
        }))
    }
}

/// Reads every slot of the form: the widgets in order, each new one given an id of its own.
pub fn read_widgets(forms: &[WidgetForm]) -> Result<Vec<Widget>, Vec<FieldProblem>> {
    let mut widgets = Vec::new();
    let mut problems = Vec::new();
    for (i, form) in forms.iter().enumerate() {
        match form.read(i) {
            Ok(Some(w)) => widgets.push(w),
            Ok(None) => {}
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut taken: std::collections::BTreeSet<String> = widgets
        .iter()
        .map(|w| w.id.clone())
        .filter(|id| !id.is_empty())
        .collect();
    let mut next = 1;
    for w in widgets.iter_mut().filter(|w| w.id.is_empty()) {
        while taken.contains(&format!("w{next}")) {
            next += 1;
        }
        w.id = format!("w{next}");
        taken.insert(w.id.clone());
    }
    Ok(widgets)
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}
