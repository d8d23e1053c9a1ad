//! Dashboards: a workspace's named pages of widgets on a 12-column grid, each widget with a
//! typed configuration (which devices, which metrics, which time range, how to draw them).

use crate::devices::FieldProblem;
use serde::{Deserialize, Serialize};

pub mod export;
pub mod form;
pub mod live;
pub mod templates;

/// Columns of the dashboard grid.
pub const GRID_COLUMNS: u8 = 12;
/// The most widgets one dashboard holds (each may ask the data source on every view).
pub const MAX_WIDGETS: usize = 40;
/// The most series one chart draws (devices × metrics).
pub const MAX_SERIES: usize = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WidgetKind {
    /// Lines (or areas) over time, one per device and metric.
    TimeSeries,
    /// One bar per device: the latest value of a metric.
    Bar,
    /// The latest value of one device's metric on a dial between `min` and `max`.
    Gauge,
    /// The latest value in large type, coloured by the thresholds, with a sparkline.
    Stat,
    /// The devices on a map, with their latest values in a popup.
    Map,
    /// The latest values of the devices, one row each, sortable.
    Table,
    /// A note in plain text (shown escaped).
    Note,
}

impl WidgetKind {
    pub const ALL: [WidgetKind; 7] = [
        WidgetKind::TimeSeries,
        WidgetKind::Bar,
        WidgetKind::Gauge,
        WidgetKind::Stat,
        WidgetKind::Map,
        WidgetKind::Table,
        WidgetKind::Note,
    ];

    /// How it is written in JSON, forms and pages (`time_series`).
    pub fn code(self) -> &'static str {
        match self {
            WidgetKind::TimeSeries => "time_series",
            WidgetKind::Bar => "bar",
            WidgetKind::Gauge => "gauge",
            WidgetKind::Stat => "stat",
            WidgetKind::Map => "map",
            WidgetKind::Table => "table",
            WidgetKind::Note => "note",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WidgetKind::TimeSeries => "Time series",
            WidgetKind::Bar => "Bar chart",
            WidgetKind::Gauge => "Gauge",
            WidgetKind::Stat => "Single stat",
            WidgetKind::Map => "Map",
            WidgetKind::Table => "Table",
            WidgetKind::Note => "Note",
        }
    }

    /// Whether it shows metrics (a note and a map need none).
    pub fn needs_metrics(self) -> bool {
        !matches!(self, WidgetKind::Note | WidgetKind::Map)
    }

    /// Whether it reads a span of time rather than only the latest values.
    pub fn reads_series(self) -> bool {
        matches!(self, WidgetKind::TimeSeries | WidgetKind::Stat)
    }
}

/// Which devices a widget shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Selection {
    /// Every device the viewer may see.
    All,
    /// The devices of one group (its id).
    Group { group: String },
    /// These devices (registry ids).
    Devices { ids: Vec<String> },
}

/// A span of time ending now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Span {
    #[serde(rename = "1h")]
    Hour,
    #[serde(rename = "6h")]
    SixHours,
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
}

impl Span {
    pub const ALL: [Span; 5] = [
        Span::Hour,
        Span::SixHours,
        Span::Day,
        Span::Week,
        Span::Month,
    ];

    pub fn seconds(self) -> i64 {
        match self {
            Span::Hour => 3_600,
            Span::SixHours => 6 * 3_600,
            Span::Day => 24 * 3_600,
            Span::Week => 7 * 24 * 3_600,
            Span::Month => 30 * 24 * 3_600,
        }
    }

    /// How it is written in an address (`range=24h`).
    pub fn code(self) -> &'static str {
        match self {
            Span::Hour => "1h",
            Span::SixHours => "6h",
            Span::Day => "24h",
            Span::Week => "7d",
            Span::Month => "30d",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Span::Hour => "Last hour",
            Span::SixHours => "Last 6 hours",
            Span::Day => "Last 24 hours",
            Span::Week => "Last 7 days",
            Span::Month => "Last 30 days",
        }
    }

    pub fn from_code(code: &str) -> Option<Span> {
        Span::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The time a dashboard shows: a span ending now, or two instants (Unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeRange {
    Last(Span),
    Between { from: i64, to: i64 },
}

/// The longest custom range (a year): beyond it a chart says nothing a shorter one would not.
pub const MAX_RANGE_SECONDS: i64 = 366 * 24 * 3_600;

impl Default for TimeRange {
    fn default() -> Self {
        TimeRange::Last(Span::Day)
    }
}

impl TimeRange {
    /// Reads the range kept in a dashboard's address (blank fields count as absent):
    /// `range=6h`, or `from` and `to` as Unix seconds. Anything else is the default, with the reason why (to show the viewer).
    pub fn from_query(
        range: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> (TimeRange, Option<String>) {
        // A field left blank (an empty form input) is no field.
        fn given(s: Option<&str>) -> Option<&str> {
            s.filter(|s| !s.trim().is_empty())
        }
        let (range, from, to) = (given(range), given(from), given(to));
        if let (Some(from), Some(to)) = (from, to) {
            let parsed = (
                crate::time::parse_instant(from),
                crate::time::parse_instant(to),
            );
            return match parsed {
                (Some(from), Some(to)) if from < to && to - from <= MAX_RANGE_SECONDS => {
                    (TimeRange::Between { from, to }, None)
                }
                (Some(from), Some(to)) if from >= to => (
                    TimeRange::default(),
                    Some("The range must end after it starts; showing the last 24 hours.".into()),
                ),
                (Some(_), Some(_)) => (
                    TimeRange::default(),
                    Some("The range is longer than a year; showing the last 24 hours.".into()),
                ),
                _ => (
                    TimeRange::default(),
                    Some("The range is not two instants; showing the last 24 hours.".into()),
                ),
            };
        }
        match range.map(str::trim) {
            None | Some("") => (TimeRange::default(), None),
            Some(code) => match Span::from_code(code) {
                Some(span) => (TimeRange::Last(span), None),
                None => (
                    TimeRange::default(),
                    Some(format!(
                        "There is no range \u{201c}{code}\u{201d}; showing the last 24 hours."
                    )),
                ),
            },
        }
    }

    /// The query that gives this range back (`range=6h` or `from=…&to=…`).
    pub fn to_query(self) -> String {
        match self {
            TimeRange::Last(span) => format!("range={}", span.code()),
            TimeRange::Between { from, to } => format!("from={from}&to={to}"),
        }
    }

    /// The instants it covers, `now` being the end of a span.
    pub fn bounds(self, now: i64) -> (i64, i64) {
        match self {
            TimeRange::Last(span) => (now - span.seconds(), now),
            TimeRange::Between { from, to } => (from, to),
        }
    }
}

/// A widget's own time range, or the dashboard's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WidgetRange {
    #[default]
    Dashboard,
    Last(Span),
}

impl WidgetRange {
    pub fn resolve(self, dashboard: TimeRange) -> TimeRange {
        match self {
            WidgetRange::Dashboard => dashboard,
            WidgetRange::Last(span) => TimeRange::Last(span),
        }
    }
}

/// From `value` up (to the next threshold), values are drawn in `color` (`#rrggbb`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    pub value: f64,
    pub color: String,
}

/// The colour of `value` under `thresholds` (sorted by value), if any applies.
pub fn threshold_color(thresholds: &[Threshold], value: f64) -> Option<&str> {
    thresholds
        .iter()
        .rev()
        .find(|t| value >= t.value)
        .map(|t| t.color.as_str())
}

/// Where a widget sits: column `x` (0–11) and row `y`, `w` columns wide and `h` rows high.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub x: u8,
    pub y: u16,
    pub w: u8,
    pub h: u8,
}

impl Place {
    fn overlaps(&self, other: &Place) -> bool {
        let (ax, aw, bx, bw) = (self.x as u16, self.w as u16, other.x as u16, other.w as u16);
        let (ay, ah, by, bh) = (self.y, self.h as u16, other.y, other.h as u16);
        ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStyle {
    #[default]
    Line,
    Area,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Widget {
    /// Unique in its dashboard.
    pub id: String,
    pub kind: WidgetKind,
    pub title: String,
    pub place: Place,
    pub devices: Selection,
    #[serde(default)]
    pub metrics: Vec<String>,
    #[serde(default)]
    pub range: WidgetRange,
    /// Shown after values instead of the source's unit, when set.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub thresholds: Vec<Threshold>,
    #[serde(default)]
    pub style: LineStyle,
    /// A gauge's dial.
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// A note's text.
    #[serde(default)]
    pub text: String,
}

impl Widget {
    /// A widget of every device, over the dashboard's range, with no metric chosen yet.
    pub fn new(id: &str, kind: WidgetKind, title: &str, place: Place) -> Widget {
        Widget {
            id: id.into(),
            kind,
            title: title.into(),
            place,
            devices: Selection::All,
            metrics: Vec::new(),
            range: WidgetRange::Dashboard,
            unit: None,
            thresholds: Vec::new(),
            style: LineStyle::Line,
            min: None,
            max: None,
            text: String::new(),
        }
    }
}

/// Who sees a dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Visibility {
    /// Every member of the workspace.
    Everyone,
    /// Members granted one of these groups (and admins).
    Groups { groups: Vec<String> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub id: String,
    pub name: String,
    pub visibility: Visibility,
    /// The one a workspace opens on.
    pub is_default: bool,
    pub widgets: Vec<Widget>,
    /// Milliseconds since 1970-01-01 UTC.
    pub updated_at: i64,
}

/// A dashboard's name in a menu.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardSummary {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field: field.into(),
        message: message.into(),
    }
}

/// Whether `text` is a colour written `#rrggbb`.
pub fn is_hex_color(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].chars().all(|c| c.is_ascii_hexdigit())
}

impl Dashboard {
    /// Trims the texts and checks every rule; all problems at once, each named by its field
    /// (`widgets.2.place` is the third widget's place).
    pub fn checked(mut self) -> Result<Dashboard, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        self.name = self.name.trim().to_string();
        if self.name.is_empty() {
            problems.push(problem("name", "Enter a name for the dashboard."));
        } else if self.name.chars().count() > 80 || self.name.chars().any(char::is_control) {
            problems.push(problem("name", "The name is at most 80 plain characters."));
        }
        if let Visibility::Groups { groups } = &self.visibility {
            if groups.is_empty() {
                problems.push(problem(
                    "visibility",
                    "Choose at least one group, or show the dashboard to everyone.",
                ));
            }
        }
        if self.widgets.len() > MAX_WIDGETS {
            problems.push(problem(
                "widgets",
                format!("A dashboard holds at most {MAX_WIDGETS} widgets."),
            ));
        }
        let mut ids = std::collections::BTreeSet::new();
        for (i, w) in self.widgets.iter_mut().enumerate() {
            let at = |field: &str| format!("widgets.{i}.{field}");
            w.title = w.title.trim().to_string();
            w.metrics = w
                .metrics
                .iter()
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect();
            if w.id.trim().is_empty() || !ids.insert(w.id.clone()) {
                problems.push(problem(at("id"), "Each widget needs an id of its own."));
            }
            if w.title.chars().count() > 80 || w.title.chars().any(char::is_control) {
                problems.push(problem(
                    at("title"),
                    "A title is at most 80 plain characters.",
                ));
            }
            let p = w.place;
            if p.w == 0 || p.h == 0 || p.x >= GRID_COLUMNS || p.x + p.w > GRID_COLUMNS || p.h > 12 {
                problems.push(problem(
                    at("place"),
                    format!(
                        "A widget must fit the {GRID_COLUMNS} columns and be 1 to 12 rows high."
                    ),
                ));
            }
            if w.kind.needs_metrics() && w.metrics.is_empty() {
                problems.push(problem(at("metrics"), "Choose at least one metric."));
            }
            if w.metrics.len() > MAX_SERIES {
                problems.push(problem(
                    at("metrics"),
                    format!("A widget shows at most {MAX_SERIES} metrics."),
                ));
            }
            if let Selection::Devices { ids } = &w.devices {
                if ids.is_empty() && w.kind != WidgetKind::Note {
                    problems.push(problem(at("devices"), "Choose at least one device."));
                }
            }
            if let Some(unit) = &w.unit {
                if unit.chars().count() > 16 || unit.chars().any(char::is_control) {
                    problems.push(problem(
                        at("unit"),
                        "A unit is at most 16 plain characters.",
                    ));
                }
            }
            if !w
                .thresholds
                .iter()
                .all(|t| is_hex_color(&t.color) && t.value.is_finite())
            {
                problems.push(problem(
                    at("thresholds"),
                    "Each threshold needs a number and a colour written #rrggbb.",
                ));
            }
            w.thresholds.sort_by(|a, b| a.value.total_cmp(&b.value));
            if w.kind == WidgetKind::Gauge {
                match (w.min, w.max) {
                    (Some(lo), Some(hi)) if lo.is_finite() && hi.is_finite() && lo < hi => {}
                    _ => problems.push(problem(
                        at("max"),
                        "A gauge needs a lowest and a highest value, the highest above the lowest.",
                    )),
                }
            }
            if w.text.chars().count() > 10_000 {
                problems.push(problem(at("text"), "A note is at most 10,000 characters."));
            }
        }
        for (i, a) in self.widgets.iter().enumerate() {
            if let Some(j) = self.widgets[..i]
                .iter()
                .position(|b| a.place.overlaps(&b.place))
            {
                problems.push(problem(
                    format!("widgets.{i}.place"),
                    format!("This widget overlaps widget {}.", j + 1),
                ));
            }
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

/// The dashboard a new workspace starts with: where its devices are, their latest values,
/// and a day of the metrics its devices report, given (metric, unit) pairs most common first.
pub fn starter(metrics: &[(String, String)]) -> Dashboard {
    let names = |n: usize| metrics.iter().take(n).map(|(m, _)| m.clone()).collect();
    let mut widgets = vec![Widget {
        metrics: names(3),
        ..Widget::new(
            "map",
            WidgetKind::Map,
            "Where the devices are",
            Place {
                x: 0,
                y: 0,
                w: 7,
                h: 4,
            },
        )
    }];
    if metrics.is_empty() {
        // Nothing reports yet: say how to get started instead of drawing empty tables.
        widgets.push(Widget {
            text: "Register devices (Devices, then Discover) and this dashboard fills with their data."
                .into(),
            ..Widget::new("welcome", WidgetKind::Note, "Getting started", Place { x: 7, y: 0, w: 5, h: 4 })
        });
    } else {
        widgets.push(Widget {
            metrics: names(4),
            ..Widget::new(
                "latest",
                WidgetKind::Table,
                "Latest values",
                Place {
                    x: 7,
                    y: 0,
                    w: 5,
                    h: 4,
                },
            )
        });
    }
    for (i, (metric, _unit)) in metrics.iter().take(2).enumerate() {
        let place = Place {
            x: 6 * i as u8,
            y: 4,
            w: 6,
            h: 3,
        };
        widgets.push(Widget {
            metrics: vec![metric.clone()],
            ..Widget::new(
                &format!("series-{i}"),
                WidgetKind::TimeSeries,
                &metric.replace('_', " "),
                place,
            )
        });
    }
    Dashboard {
        id: String::new(),
        name: "Overview".into(),
        visibility: Visibility::Everyone,
        is_default: true,
        widgets,
        updated_at: 0,
    }
}

/// The most devices a dashboard reads at once (the rest are counted, not drawn).
pub const MAX_DASHBOARD_DEVICES: usize = 1_000;
/// The most devices a map loads in the browser (clustered), past the dashboard's own cap.
pub const MAX_MAP_DEVICES: usize = 10_000;
/// Points per line of a time-series chart.
pub const CHART_POINTS: usize = 300;

/// One line of a chart: a device's metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartSeries {
    pub label: String,
    pub unit: String,
    pub points: Vec<crate::data::Point>,
    /// The device (registry id) and metric it draws, which live updates extend.
    #[serde(default)]
    pub device: String,
    #[serde(default)]
    pub metric: String,
}

/// One device's row in a table widget: its latest value of each of the widget's metrics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableRow {
    pub device_id: String,
    pub name: String,
    pub href: String,
    /// In the widget's metric order; `None` where the device has no such reading.
    pub values: Vec<Option<(f64, String)>>,
    /// When it last reported (Unix seconds).
    pub last: Option<i64>,
}

/// What a widget shows, read from the registry and the data source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PanelData {
    Series(Vec<ChartSeries>),
    Rows(Vec<TableRow>),
    Markers(Vec<crate::map::MapMarker>),
    /// A stat or a gauge: the value, its unit, and the series behind it (a stat's sparkline).
    Value {
        label: String,
        value: f64,
        unit: String,
        t: i64,
        series: Vec<crate::data::Point>,
        /// The device (registry id) and metric shown, which live updates follow.
        #[serde(default)]
        device: String,
        #[serde(default)]
        metric: String,
    },
    /// A bar chart: (device name, value) and the unit.
    Bars {
        bars: Vec<(String, f64)>,
        unit: String,
        /// The registry id of each bar's device, in the same order.
        #[serde(default)]
        devices: Vec<String>,
    },
    /// A note's text (shown escaped).
    Note(String),
    /// Nothing to draw, and why ("no device reports humidity").
    Empty(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    pub widget: Widget,
    /// The widget's own range, resolved against the dashboard's.
    pub range: TimeRange,
    pub data: PanelData,
}

/// The dashboard page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    /// Every dashboard the viewer sees, for the menu (empty while only the starter exists).
    pub dashboards: Vec<DashboardSummary>,
    pub dashboard: Dashboard,
    pub panels: Vec<Panel>,
    pub range: TimeRange,
    /// Why the range in the address was not used.
    pub range_problem: Option<String>,
    pub source: crate::devices::SourceState,
    /// Devices left out past [`MAX_DASHBOARD_DEVICES`].
    pub left_out: u64,
    pub may_edit: bool,
    pub now: i64,
    pub tiles: crate::map::MapTiles,
}

/// The dashboard editor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardEditView {
    /// What is being edited (an empty id: a new dashboard).
    pub dashboard: Dashboard,
    /// Its widgets as the form's fields, then empty slots for new ones.
    pub forms: Vec<form::WidgetForm>,
    /// The groups the editor may show the dashboard to (id, name).
    pub groups: Vec<(String, String)>,
    /// Templates a new dashboard may start from.
    #[serde(default)]
    pub templates: Vec<templates::TemplateSummary>,
}

#[cfg(test)]
mod tests;
