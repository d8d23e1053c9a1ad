//! The device registry of a workspace: what a device is (external id at the data source, name,
//! kind, group, location, tags, free metadata), the rules its fields follow, and how a list of
//! devices is asked for.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MAX_TAGS: usize = 20;
pub const MAX_METADATA: usize = 50;
pub const MAX_PER_PAGE: u32 = 200;
/// A device whose last reading is older than this is shown offline.
pub const OFFLINE_AFTER_SECS: i64 = 15 * 60;

pub const EXTERNAL_ID_TAKEN: &str = "Another device has this id at the data source.";
pub const NO_SUCH_DEVICE: &str = "That device does not exist any more.";
pub const LOCATION_FORMAT: &str = "Enter the location as latitude, longitude, e.g. 45.76, 4.84.";
pub const NO_SUCH_GROUP_NAMED: &str = "No group has this name; create it on the groups page first.";

/// A device as entered in a form or a CSV row, before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceDraft {
    pub external_id: String,
    pub name: String,
    pub kind: String,
    /// The group's id (forms) — CSV rows name the group instead, resolved before checking.
    pub group_id: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub tags: Vec<String>,
    pub metadata: BTreeMap<String, String>,
}

/// A rule a field breaks, in words for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

fn problem(field: &str, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field: field.into(),
        message: message.into(),
    }
}

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control())
}

impl DeviceDraft {
    /// Trims the fields and checks every rule; all problems at once, field by field.
    pub fn checked(mut self) -> Result<DeviceDraft, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        self.external_id = self.external_id.trim().to_string();
        self.name = self.name.trim().to_string();
        self.kind = self.kind.trim().to_string();
        self.group_id = self
            .group_id
            .map(|g| g.trim().to_string())
            .filter(|g| !g.is_empty());
        let id = &self.external_id;
        if id.is_empty() {
            problems.push(problem(
                "external_id",
                "Enter the device's id at the data source.",
            ));
        } else if id.chars().count() > 128 {
            problems.push(problem(
                "external_id",
                "The id is longer than 128 characters.",
            ));
        } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            problems.push(problem(
                "external_id",
                "The id may not contain spaces or control characters.",
            ));
        }
        if self.name.is_empty() {
            problems.push(problem("name", "Enter a name."));
        } else if self.name.chars().count() > 120 {
            problems.push(problem("name", "The name is longer than 120 characters."));
        } else if has_control(&self.name) {
            problems.push(problem(
                "name",
                "The name may not contain control characters.",
            ));
        }
        if self.kind.chars().count() > 64 || has_control(&self.kind) {
            problems.push(problem("kind", "The kind is at most 64 plain characters."));
        }
        match (self.latitude, self.longitude) {
            (None, None) => {}
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) || lat.is_nan() {
                    problems.push(problem("latitude", "A latitude is between -90 and 90."));
                }
                if !(-180.0..=180.0).contains(&lon) || lon.is_nan() {
                    problems.push(problem("longitude", "A longitude is between -180 and 180."));
                }
            }
            (Some(_), None) => {
                problems.push(problem("longitude", "Enter the longitude too, or neither."))
            }
            (None, Some(_)) => {
                problems.push(problem("latitude", "Enter the latitude too, or neither."))
            }
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in self.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if tag.chars().count() > 40 || has_control(tag) {
                problems.push(problem(
                    "tags",
                    format!("The tag {tag:?} is not 1 to 40 plain characters."),
                ));
            } else if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
            }
        }
        if tags.len() > MAX_TAGS {
            problems.push(problem("tags", format!("At most {MAX_TAGS} tags.")));
        }
        self.tags = tags;
        if self.metadata.len() > MAX_METADATA {
            problems.push(problem(
                "metadata",
                format!("At most {MAX_METADATA} metadata fields."),
            ));
        }
        let mut metadata = BTreeMap::new();
        for (key, value) in &self.metadata {
            let (key, value) = (key.trim(), value.trim());
            if key.is_empty() || key.chars().count() > 64 || has_control(key) {
                problems.push(problem(
                    "metadata",
                    format!("The metadata name {key:?} is not 1 to 64 plain characters."),
                ));
            } else if value.chars().count() > 500 || has_control(value) {
                problems.push(problem(
                    key,
                    "A metadata value is at most 500 plain characters.",
                ));
            } else if !value.is_empty() {
                metadata.insert(key.to_string(), value.to_string());
            }
        }
        self.metadata = metadata;
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

/// A registered device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Device {
    pub id: String,
    pub external_id: String,
    pub name: String,
    pub kind: String,
    pub group_id: Option<String>,
    pub group_name: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub tags: Vec<String>,
    pub metadata: BTreeMap<String, String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceSort {
    #[default]
    Name,
    ExternalId,
    Kind,
    Group,
}

impl DeviceSort {
    pub fn parse(value: &str) -> DeviceSort {
        match value {
            "external_id" => DeviceSort::ExternalId,
            "kind" => DeviceSort::Kind,
            "group" => DeviceSort::Group,
            _ => DeviceSort::Name,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DeviceSort::Name => "name",
            DeviceSort::ExternalId => "external_id",
            DeviceSort::Kind => "kind",
            DeviceSort::Group => "group",
        }
    }
}

/// Which devices a list shows, in which order, which page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceFilter {
    /// Part of the name or id, any case.
    pub search: String,
    pub group_id: Option<String>,
    pub kind: Option<String>,
    pub sort: DeviceSort,
    pub descending: bool,
    /// From 1.
    pub page: u32,
    pub per_page: u32,
}

impl Default for DeviceFilter {
    fn default() -> Self {
        DeviceFilter {
            search: String::new(),
            group_id: None,
            kind: None,
            sort: DeviceSort::Name,
            descending: false,
            page: 1,
            per_page: 50,
        }
    }
}

/// A page of registered devices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DevicePage {
    pub items: Vec<Device>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// The kinds present among the devices the caller may see, for the filter.
    pub kinds: Vec<String>,
}

/// What is wrong with one cell of an imported CSV file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// Line in the file, from 1 (the header is line 1).
    pub line: u64,
    /// The column's name in the header.
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// What a CSV import did: how many devices it added, or why it added none.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: usize,
    pub problems: Vec<ImportProblem>,
}

/// How the data source answered for a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceState {
    /// A fresh answer.
    Fresh,
    /// The source fails now; this is its last good answer, from `since` (Unix seconds).
    Stale { since: i64 },
    /// The source fails and nothing is known.
    Unavailable,
}

/// The device list page: a page of devices, when each last reported, and what the caller may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceListView {
    pub page: DevicePage,
    /// Device id → Unix seconds of its latest reading, for the devices the source knows.
    pub last_seen: BTreeMap<String, i64>,
    pub source: SourceState,
    /// The groups the caller may filter by: (id, name).
    pub groups: Vec<(String, String)>,
    pub may_manage: bool,
    /// The server's clock (Unix seconds), so "5 min ago" reads the same on server and browser.
    pub now: i64,
}

/// The device page: the device, its latest values and a day of each metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceDetailView {
    pub device: Device,
    pub latest: Vec<crate::data::LatestValue>,
    pub series: Vec<crate::data::Series>,
    pub source: SourceState,
    pub may_manage: bool,
    /// Every group (id, name), for the edit form of admins; empty for others.
    pub groups: Vec<(String, String)>,
    pub now: i64,
    /// Where the location map takes its tiles from.
    pub tiles: crate::map::MapTiles,
}

/// The discovery page: the source's devices not registered yet, or why there are none to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiscoverView {
    pub found: Vec<crate::data::SourceDevice>,
    pub source: SourceState,
}

/// Reads a form's "latitude, longitude" (empty: no location); the ranges are checked with the
/// rest of the draft.
pub fn parse_location(text: &str) -> Result<(Option<f64>, Option<f64>), &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok((None, None));
    }
    let (lat, lon) = text.split_once(',').ok_or(LOCATION_FORMAT)?;
    let number = |t: &str| t.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    match (number(lat), number(lon)) {
        (Some(lat), Some(lon)) => Ok((Some(lat), Some(lon))),
        _ => Err(LOCATION_FORMAT),
    }
}

/// Whether a device whose last reading was at `last_seen` counts as online at `now`.
pub fn online(last_seen: Option<i64>, now: i64) -> bool {
    last_seen.is_some_and(|t| now - t < OFFLINE_AFTER_SECS)
}

/// "just now", "5 min ago", "3 h ago", "2 days ago".
pub fn ago(t: i64, now: i64) -> String {
    let secs = (now - t).max(0);
    match secs {
        0..=59 => "just now".into(),
        60..=3_599 => format!("{} min ago", secs / 60),
        3_600..=86_399 => format!("{} h ago", secs / 3_600),
        _ if secs < 2 * 86_400 => "1 day ago".into(),
        _ => format!("{} days ago", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> DeviceDraft {
        DeviceDraft {
            external_id: " wx-00001 ".into(),
            name: " Lyon station ".into(),
            kind: "WEATHER_STATION".into(),
            latitude: Some(45.7),
            longitude: Some(4.8),
            tags: vec!["roof".into(), " roof ".into(), "".into(), "north".into()],
            metadata: [
                ("serial".to_string(), "A-1".to_string()),
                ("empty".into(), " ".into()),
            ]
            .into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_location_is_two_numbers_or_nothing() {
        assert_eq!(
            parse_location(" 45.76, 4.84 "),
            Ok((Some(45.76), Some(4.84)))
        );
        assert_eq!(parse_location(""), Ok((None, None)));
        assert_eq!(parse_location("45.76"), Err(LOCATION_FORMAT));
        assert_eq!(parse_location("north, 4"), Err(LOCATION_FORMAT));
        assert_eq!(parse_location("NaN, 4"), Err(LOCATION_FORMAT));
    }

    #[test]
    fn online_means_a_reading_in_the_last_quarter_hour() {
        assert!(online(Some(1_000), 1_000 + OFFLINE_AFTER_SECS - 1));
        assert!(!online(Some(1_000), 1_000 + OFFLINE_AFTER_SECS));
        assert!(!online(None, 1_000));
        assert_eq!(ago(100, 130), "just now");
        assert_eq!(ago(0, 300), "5 min ago");
        assert_eq!(ago(0, 7_300), "2 h ago");
        assert_eq!(ago(0, 90_000), "1 day ago");
        assert_eq!(ago(0, 3 * 86_400), "3 days ago");
    }

    #[test]
    fn a_good_draft_is_trimmed_and_deduplicated() {
        let ok = draft().checked().unwrap();
        assert_eq!(ok.external_id, "wx-00001");
        assert_eq!(ok.name, "Lyon station");
        assert_eq!(ok.tags, vec!["roof", "north"]);
        assert_eq!(ok.metadata.len(), 1, "empty values are dropped");
    }

    #[test]
    fn every_broken_rule_is_named_by_its_field() {
        let bad = DeviceDraft {
            external_id: "has space".into(),
            name: "".into(),
            latitude: Some(95.0),
            longitude: Some(-200.0),
            tags: vec!["x".repeat(41)],
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .checked()
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            vec!["external_id", "name", "latitude", "longitude", "tags"]
        );
        let half = DeviceDraft {
            latitude: Some(1.0),
            ..draft()
        };
        let half = DeviceDraft {
            longitude: None,
            ..half
        };
        assert_eq!(half.checked().unwrap_err()[0].field, "longitude");
        let control = DeviceDraft {
            name: "a\u{7}b".into(),
            ..draft()
        };
        assert_eq!(control.checked().unwrap_err()[0].field, "name");
    }
}
