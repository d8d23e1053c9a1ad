//! What a map shows: devices at their places, over the deployment's tile server, or over the
//! bundled world outline when no tile server answers (and on pages read without JavaScript).

use serde::{Deserialize, Serialize};

/// Where map tiles come from (`MAP_TILE_URL`, `MAP_TILE_ATTRIBUTION`); an empty URL draws the
/// bundled world outline only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapTiles {
    /// A Leaflet URL template with `{z}`, `{x}` and `{y}`.
    pub url: String,
    /// The credit the tile provider requires, shown in the map's corner (plain text).
    pub attribution: String,
}

impl MapTiles {
    /// Checks a tile URL template: empty, or http(s) or a path on this site (a tile server
    /// behind the same reverse proxy), with the three placeholders.
    pub fn new(url: &str, attribution: &str) -> Result<MapTiles, String> {
        let url = url.trim();
        if !url.is_empty() {
            let on_this_site = url.starts_with('/') && !url.starts_with("//");
            if !(url.starts_with("https://") || url.starts_with("http://") || on_this_site) {
                return Err(format!(
                    "the tile URL {url:?} must start with https://, http:// or /"
                ));
            }
            for placeholder in ["{z}", "{x}", "{y}"] {
                if !url.contains(placeholder) {
                    return Err(format!(
                        "the tile URL {url:?} lacks the placeholder {placeholder}"
                    ));
                }
            }
        }
        Ok(MapTiles {
            url: url.to_string(),
            attribution: attribution.trim().to_string(),
        })
    }
}

/// One device on a map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapMarker {
    /// The registry id (stable across pages, used in tests and links).
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// The device's page.
    pub href: String,
    /// Lines of its popup, e.g. "temperature 12.5 °C".
    pub lines: Vec<String>,
    /// Reporting in the last 15 minutes; `None` when the source was not asked.
    pub online: Option<bool>,
}

/// The part of the equirectangular world (x = longitude, y = −latitude) a map without
/// JavaScript shows: every marker with a margin, at least `MIN_SPAN_DEGREES` wide, widened to
/// `ASPECT`, and kept inside the world.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Width over height of the map boxes the pages draw.
pub const ASPECT: f64 = 2.5;
/// The closest a map without JavaScript zooms: about a region (a single device sits among its
/// neighbouring towns, at the outline's 1:110 million scale).
pub const MIN_SPAN_DEGREES: f64 = 24.0;

impl ViewBox {
    pub const WORLD: ViewBox = ViewBox {
        x: -180.0,
        y: -90.0,
        width: 360.0,
        height: 180.0,
    };

    pub fn around(markers: &[MapMarker]) -> ViewBox {
        let mut placed = markers
            .iter()
            .filter(|m| m.lat.is_finite() && m.lon.is_finite());
        let Some(first) = placed.next() else {
            return ViewBox::WORLD;
        };
        let (mut west, mut east, mut south, mut north) =
            (first.lon, first.lon, first.lat, first.lat);
        for m in placed {
            west = west.min(m.lon);
            east = east.max(m.lon);
            south = south.min(m.lat);
            north = north.max(m.lat);
        }
        let mut width = ((east - west) * 1.2).max(MIN_SPAN_DEGREES);
        let mut height = ((north - south) * 1.2).max(MIN_SPAN_DEGREES / ASPECT);
        if width / height < ASPECT {
            width = height * ASPECT;
        } else {
            height = width / ASPECT;
        }
        if width > 360.0 || height > 180.0 {
            return ViewBox::WORLD;
        }
        let x = ((west + east) / 2.0 - width / 2.0).clamp(-180.0, 180.0 - width);
        let y = (-(north + south) / 2.0 - height / 2.0).clamp(-90.0, 90.0 - height);
        ViewBox {
            x,
            y,
            width,
            height,
        }
    }

    /// The SVG `viewBox` attribute.
    pub fn attribute(&self) -> String {
        format!(
            "{:.3} {:.3} {:.3} {:.3}",
            self.x, self.y, self.width, self.height
        )
    }

    /// A marker's radius in the box's units: the same size on screen at every zoom.
    pub fn marker_radius(&self) -> f64 {
        self.width / 120.0
    }
}

/// The location a map shows for a device: the position it reports last (a tracker's
/// `latitude` and `longitude` metrics), else the place it is registered at.
pub fn position<L: std::borrow::Borrow<crate::data::LatestValue>>(
    registered: (Option<f64>, Option<f64>),
    latest: &[L],
) -> Option<(f64, f64)> {
    let reported = |metric: &str| {
        latest
            .iter()
            .map(|r| r.borrow())
            .find(|r| r.metric == metric)
            .map(|r| r.value)
    };
    match (reported("latitude"), reported("longitude")) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            Some((lat, lon))
        }
        _ => registered.0.zip(registered.1),
    }
}

/// A line of a marker's popup: "temperature 12.5 °C".
pub fn popup_line(metric: &str, value: f64, unit: &str) -> String {
    format!("{} {value} {unit}", metric.replace('_', " "))
}

/// Puts `metric`'s new value into a popup's lines (replacing its line, or adding one);
/// answers whether the lines changed.
pub fn set_popup_line(lines: &mut Vec<String>, metric: &str, value: f64, unit: &str) -> bool {
    let new = popup_line(metric, value, unit);
    let prefix = format!("{} ", metric.replace('_', " "));
    match lines.iter_mut().find(|l| {
        l.strip_prefix(&prefix).is_some_and(|rest| {
            rest.split(' ')
                .next()
                .is_some_and(|v| v.parse::<f64>().is_ok())
        })
    }) {
        Some(line) if *line == new => false,
        Some(line) => {
            *line = new;
            true
        }
        None => {
            lines.push(new);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64) -> MapMarker {
        MapMarker {
            id: format!("{lat},{lon}"),
            name: "d".into(),
            lat,
            lon,
            href: String::new(),
            lines: vec![],
            online: None,
        }
    }

    fn inside(b: &ViewBox, m: &MapMarker) -> bool {
        (b.x..=b.x + b.width).contains(&m.lon) && (b.y..=b.y + b.height).contains(&-m.lat)
    }

    #[test]
    fn one_device_sits_in_the_middle_of_a_region() {
        let lyon = at(45.76, 4.84);
        let b = ViewBox::around(std::slice::from_ref(&lyon));
        assert!(inside(&b, &lyon));
        assert!((b.width - MIN_SPAN_DEGREES).abs() < 1e-9, "{b:?}");
        assert!((b.width / b.height - ASPECT).abs() < 1e-9, "{b:?}");
        assert!((b.x + b.width / 2.0 - 4.84).abs() < 1e-9, "{b:?}");
        assert!((b.y + b.height / 2.0 + 45.76).abs() < 1e-9, "{b:?}");
    }

    #[test]
    fn every_device_is_inside_and_the_box_stays_in_the_world() {
        let markers = [at(64.1, -21.9), at(-33.9, 151.2), at(35.7, 139.7)];
        let b = ViewBox::around(&markers);
        assert!(markers.iter().all(|m| inside(&b, m)), "{b:?}");
        assert!(b.x >= -180.0 && b.x + b.width <= 180.0, "{b:?}");
        assert!(b.y >= -90.0 && b.y + b.height <= 90.0, "{b:?}");
        let edge = [at(89.0, 179.5)];
        let b = ViewBox::around(&edge);
        assert!(
            inside(&b, &edge[0]) && b.x + b.width <= 180.0 && b.y >= -90.0,
            "{b:?}"
        );
    }

    #[test]
    fn no_placed_device_shows_the_world() {
        assert_eq!(ViewBox::around(&[]), ViewBox::WORLD);
        assert_eq!(ViewBox::around(&[at(f64::NAN, 3.0)]), ViewBox::WORLD);
        let far = [at(-80.0, -170.0), at(80.0, 170.0)];
        assert_eq!(ViewBox::around(&far), ViewBox::WORLD);
    }

    #[test]
    fn a_tile_url_needs_a_scheme_and_its_placeholders() {
        assert!(MapTiles::new("", "").is_ok());
        let osm = MapTiles::new(" https://tile.example/{z}/{x}/{y}.png ", " © them ").unwrap();
        assert_eq!(osm.url, "https://tile.example/{z}/{x}/{y}.png");
        assert_eq!(osm.attribution, "© them");
        let e = MapTiles::new("javascript:alert(1)//{z}{x}{y}", "").unwrap_err();
        assert!(e.contains("https://"), "{e}");
        assert!(MapTiles::new("/tiles/{z}/{x}/{y}.png", "").is_ok());
        assert!(MapTiles::new("//elsewhere.example/{z}/{x}/{y}.png", "").is_err());
        let e = MapTiles::new("https://tile.example/{z}/{x}.png", "").unwrap_err();
        assert!(e.contains("{y}"), "{e}");
    }

    #[test]
    fn a_tracker_is_where_it_reports_being() {
        let reading = |metric: &str, value: f64| crate::data::LatestValue {
            device: "gps-1".into(),
            metric: metric.into(),
            unit: "°".into(),
            t: 0,
            value,
        };
        let registered = (Some(45.0), Some(4.0));
        assert_eq!(
            position::<crate::data::LatestValue>(registered, &[]),
            Some((45.0, 4.0))
        );
        let moving = [reading("latitude", 45.5), reading("longitude", 4.5)];
        assert_eq!(position(registered, &moving), Some((45.5, 4.5)));
        let garbage = [reading("latitude", 500.0), reading("longitude", 4.5)];
        assert_eq!(position(registered, &garbage), Some((45.0, 4.0)));
        assert_eq!(position((None, None), &moving[..1]), None);
    }
}
