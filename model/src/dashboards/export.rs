//! A widget's data as CSV (RFC 4180), for spreadsheets. Texts that a spreadsheet would run as a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) are written with a
//! leading apostrophe, so a device named `=HYPERLINK(…)` stays a name.

use super::{Panel, PanelData};
use crate::time::utc_minute;

/// A text cell: quoted when it must be, defused when a spreadsheet would run it.
fn text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn instant(secs: i64) -> String {
    utc_minute(secs * 1000)
}

/// The CSV of what `panel` shows.
pub fn panel_csv(panel: &Panel) -> String {
    let mut out = String::new();
    let mut row = |cells: Vec<String>| {
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    match &panel.data {
        PanelData::Series(series) => {
            row(vec![
                "series".into(),
                "time_utc".into(),
                "unix_time".into(),
                "value".into(),
                "unit".into(),
            ]);
            for s in series {
                for (t, v) in &s.points {
                    row(vec![
                        text(&s.label),
                        instant(*t),
                        t.to_string(),
                        v.to_string(),
                        text(&s.unit),
                    ]);
                }
            }
        }
        PanelData::Rows(rows) => {
            let mut header = vec!["device".to_string()];
            for m in &panel.widget.metrics {
                header.push(text(m));
                header.push(text(&format!("{m} unit")));
            }
            header.push("last_reading_utc".into());
            row(header);
            for r in rows {
                let mut cells = vec![text(&r.name)];
                for v in &r.values {
                    match v {
                        Some((value, unit)) => {
                            cells.push(value.to_string());
                            cells.push(text(unit));
                        }
                        None => cells.extend([String::new(), String::new()]),
                    }
                }
                cells.push(r.last.map(instant).unwrap_or_default());
                row(cells);
            }
        }
        PanelData::Markers(markers) => {
            row(vec![
                "device".into(),
                "latitude".into(),
                "longitude".into(),
                "online".into(),
            ]);
            for m in markers {
                let online = match m.online {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "",
                };
                row(vec![
                    text(&m.name),
                    m.lat.to_string(),
                    m.lon.to_string(),
                    online.into(),
                ]);
            }
        }
        PanelData::Value {
            label,
            value,
            unit,
            t,
            series,
            ..
        } => {
            row(vec![
                "what".into(),
                "time_utc".into(),
                "unix_time".into(),
                "value".into(),
                "unit".into(),
            ]);
            row(vec![
                text(label),
                instant(*t),
                t.to_string(),
                value.to_string(),
                text(unit),
            ]);
            for (t, v) in series {
                row(vec![
                    text(&format!("{label} (series)")),
                    instant(*t),
                    t.to_string(),
                    v.to_string(),
                    text(unit),
                ]);
            }
        }
        PanelData::Bars { bars, unit, .. } => {
            row(vec!["device".into(), "value".into(), "unit".into()]);
            for (name, value) in bars {
                row(vec![text(name), value.to_string(), text(unit)]);
            }
        }
        PanelData::Note(note) => {
            row(vec!["note".into()]);
            row(vec![text(note)]);
        }
        PanelData::Empty(why) => {
            row(vec!["message".into()]);
            row(vec![text(why)]);
        }
    }
    out
}

/// A file name for the export of `widget` of `dashboard`: letters, digits and dashes only.
pub fn file_name(dashboard: &str, widget: &str, extension: &str) -> String {
    let clean = |s: &str| -> String {
        let mut out: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        while out.contains("--") {
            out = out.replace("--", "-");
        }
        out.trim_matches('-').to_string()
    };
    let (d, w) = (clean(dashboard), clean(widget));
    let d = if d.is_empty() {
        "dashboard".to_string()
    } else {
        d
    };
    let w = if w.is_empty() {
        "widget".to_string()
    } else {
        w
    };
    format!("{d}-{w}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboards::{ChartSeries, Place, TableRow, TimeRange, Widget, WidgetKind};

    fn panel(kind: WidgetKind, metrics: &[&str], data: PanelData) -> Panel {
        Panel {
            widget: Widget {
                metrics: metrics.iter().map(|m| m.to_string()).collect(),
                ..Widget::new(
                    "w",
                    kind,
                    "W",
                    Place {
                        x: 0,
                        y: 0,
                        w: 6,
                        h: 3,
                    },
                )
            },
            range: TimeRange::default(),
            data,
        }
    }

    #[test]
    fn a_chart_exports_one_row_per_point() {
        let csv = panel_csv(&panel(
            WidgetKind::TimeSeries,
            &["temperature"],
            PanelData::Series(vec![ChartSeries {
                label: "Roof, north".into(),
                unit: "°C".into(),
                points: vec![(1_796_426_460, 12.5), (1_796_426_520, -3.0)],
                device: "d1".into(),
                metric: "temperature".into(),
            }]),
        ));
        assert_eq!(
            csv,
            "series,time_utc,unix_time,value,unit\r\n\
             \"Roof, north\",2026-12-04 23:21 UTC,1796426460,12.5,°C\r\n\
             \"Roof, north\",2026-12-04 23:22 UTC,1796426520,-3,°C\r\n"
        );
    }

    #[test]
    fn a_table_exports_values_units_and_defuses_formulas() {
        let csv = panel_csv(&panel(
            WidgetKind::Table,
            &["battery", "signal"],
            PanelData::Rows(vec![TableRow {
                device_id: "d1".into(),
                name: "=HYPERLINK(\"http://evil\")".into(),
                href: "/w/a/devices/d1".into(),
                values: vec![Some((71.0, "%".into())), None],
                last: Some(1_796_426_460),
            }]),
        ));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "device,battery,battery unit,signal,signal unit,last_reading_utc"
        );
        assert_eq!(
            lines[1],
            "\"'=HYPERLINK(\"\"http://evil\"\")\",71,%,,,2026-12-04 23:21 UTC"
        );
    }

    #[test]
    fn file_names_keep_letters_and_digits() {
        assert_eq!(
            file_name("Plant #2 / North", "Roof temp.", "csv"),
            "plant-2-north-roof-temp.csv"
        );
        assert_eq!(file_name("", "../..", "png"), "dashboard-widget.png");
    }
}
