use super::*;
use crate::dashboards::{ChartSeries, Place, Span, TableRow, Widget};
use crate::map::{MapMarker, MapTiles};

const NOW: i64 = 1_796_400_000;

fn panel(kind: WidgetKind, metrics: &[&str], range: TimeRange, data: PanelData) -> Panel {
    let place = Place {
        x: 0,
        y: 0,
        w: 6,
        h: 3,
    };
    Panel {
        widget: Widget {
            metrics: metrics.iter().map(|m| m.to_string()).collect(),
            ..Widget::new("w", kind, "W", place)
        },
        range,
        data,
    }
}

fn reading(device: &str, metric: &str, t: i64, value: f64) -> LatestValue {
    LatestValue {
        device: device.into(),
        metric: metric.into(),
        unit: "°C".into(),
        t,
        value,
    }
}

fn line(device: &str, points: Vec<(i64, f64)>) -> ChartSeries {
    ChartSeries {
        label: device.into(),
        unit: "°C".into(),
        points,
        device: device.into(),
        metric: "temperature".into(),
    }
}

fn points(p: &Panel, i: usize) -> Vec<(i64, f64)> {
    match &p.data {
        PanelData::Series(s) => s[i].points.clone(),
        PanelData::Value { series, .. } => series.clone(),
        other => panic!("not a line: {other:?}"),
    }
}

#[test]
fn a_chart_over_the_last_hour_grows_by_new_readings_and_slides() {
    let hour = TimeRange::Last(Span::Hour);
    let mut p = panel(
        WidgetKind::TimeSeries,
        &["temperature"],
        hour,
        PanelData::Series(vec![
            line("d1", vec![(NOW - 3_600, 1.0), (NOW - 60, 2.0)]),
            line("d2", vec![(NOW - 60, 5.0)]),
        ]),
    );
    assert!(p.apply(&[reading("d1", "temperature", NOW + 60, 3.0)]));
    // The point an hour before the new one is out of the window now; d2 is untouched.
    assert_eq!(points(&p, 0), vec![(NOW - 60, 2.0), (NOW + 60, 3.0)]);
    assert_eq!(points(&p, 1), vec![(NOW - 60, 5.0)]);
    // The same reading again changes nothing; a correction of the last instant replaces it.
    assert!(!p.apply(&[reading("d1", "temperature", NOW + 60, 3.0)]));
    assert!(p.apply(&[reading("d1", "temperature", NOW + 60, 40.0)]));
    assert_eq!(points(&p, 0).last(), Some(&(NOW + 60, 40.0)));
    // Older readings, other metrics and other devices are not drawn here.
    assert!(!p.apply(&[
        reading("d1", "temperature", NOW - 30, 9.0),
        reading("d1", "humidity", NOW + 120, 9.0),
        reading("d9", "temperature", NOW + 120, 9.0),
    ]));
}

#[test]
fn a_chart_over_fixed_instants_takes_only_readings_inside_them() {
    let mut p = panel(
        WidgetKind::TimeSeries,
        &["temperature"],
        TimeRange::Between {
            from: NOW - 600,
            to: NOW,
        },
        PanelData::Series(vec![line("d1", vec![(NOW - 300, 1.0)])]),
    );
    assert!(!p.apply(&[reading("d1", "temperature", NOW + 60, 3.0)]));
    assert!(p.apply(&[reading("d1", "temperature", NOW, 3.0)]));
    assert_eq!(points(&p, 0), vec![(NOW - 300, 1.0), (NOW, 3.0)]);
}

#[test]
fn a_line_never_holds_more_than_twice_a_charts_points() {
    let start: Vec<(i64, f64)> = (0..2 * CHART_POINTS as i64)
        .map(|i| (NOW + i, 0.0))
        .collect();
    let mut p = panel(
        WidgetKind::TimeSeries,
        &["temperature"],
        TimeRange::Last(Span::Month),
        PanelData::Series(vec![line("d1", start)]),
    );
    for i in 0..10 {
        p.apply(&[reading("d1", "temperature", NOW + 10_000 + i, 1.0)]);
    }
    let pts = points(&p, 0);
    assert_eq!(pts.len(), 2 * CHART_POINTS);
    assert_eq!(pts.last(), Some(&(NOW + 10_009, 1.0)));
}

#[test]
fn a_stat_follows_its_device_and_its_sparkline_grows() {
    let mut p = panel(
        WidgetKind::Stat,
        &["temperature"],
        TimeRange::Last(Span::Day),
        PanelData::Value {
            label: "Roof · temperature".into(),
            value: 12.5,
            unit: "°C".into(),
            t: NOW,
            series: vec![(NOW, 12.5)],
            device: "d1".into(),
            metric: "temperature".into(),
        },
    );
    assert!(!p.apply(&[reading("d2", "temperature", NOW + 60, 99.0)]));
    assert!(p.apply(&[reading("d1", "temperature", NOW + 60, 48.0)]));
    let PanelData::Value { value, t, .. } = &p.data else {
        unreachable!()
    };
    assert_eq!((*value, *t), (48.0, NOW + 60));
    assert_eq!(points(&p, 0), vec![(NOW, 12.5), (NOW + 60, 48.0)]);
    // A late reading does not take the place of a newer one.
    assert!(!p.apply(&[reading("d1", "temperature", NOW, 1.0)]));
}

#[test]
fn a_table_changes_the_cell_of_the_metric_and_when_the_device_last_reported() {
    let row = |id: &str| TableRow {
        device_id: id.into(),
        name: id.into(),
        href: format!("/w/acme/devices/{id}"),
        values: vec![Some((12.5, "°C".into())), None],
        last: Some(NOW),
    };
    let mut p = panel(
        WidgetKind::Table,
        &["temperature", "battery"],
        TimeRange::default(),
        PanelData::Rows(vec![row("d1"), row("d2")]),
    );
    let mut battery = reading("d2", "battery", NOW + 30, 87.0);
    battery.unit = "%".into();
    assert!(p.apply(&[battery]));
    let PanelData::Rows(rows) = &p.data else {
        unreachable!()
    };
    assert_eq!(rows[1].values[1], Some((87.0, "%".into())));
    assert_eq!(rows[1].last, Some(NOW + 30));
    assert_eq!(rows[0], row("d1"));
    assert!(!p.apply(&[reading("d1", "pressure", NOW + 60, 1.0)]));
}

#[test]
fn a_bar_of_the_device_takes_its_new_value() {
    let mut p = panel(
        WidgetKind::Bar,
        &["temperature"],
        TimeRange::default(),
        PanelData::Bars {
            bars: vec![("Roof".into(), 1.0), ("Cellar".into(), 2.0)],
            unit: "°C".into(),
            devices: vec!["d1".into(), "d2".into()],
        },
    );
    assert!(p.apply(&[reading("d2", "temperature", NOW, 7.0)]));
    let PanelData::Bars { bars, .. } = &p.data else {
        unreachable!()
    };
    assert_eq!(bars[1], ("Cellar".into(), 7.0));
    assert_eq!(bars[0], ("Roof".into(), 1.0));
}

#[test]
fn a_tracker_moves_on_the_map_and_its_popup_says_the_new_value() {
    let mut p = panel(
        WidgetKind::Map,
        &[],
        TimeRange::default(),
        PanelData::Markers(vec![MapMarker {
            id: "t1".into(),
            name: "Truck".into(),
            lat: 48.0,
            lon: 2.0,
            href: "/w/acme/devices/t1".into(),
            lines: vec!["speed 40 km/h".into(), "speed max 90 km/h".into()],
            online: Some(false),
        }]),
    );
    let mut speed = reading("t1", "speed", NOW, 55.0);
    speed.unit = "km/h".into();
    assert!(p.apply(&[
        reading("t1", "latitude", NOW, 48.5),
        reading("t1", "longitude", NOW, 2.5),
        speed,
        reading("t1", "latitude", NOW, 123.0),
    ]));
    let PanelData::Markers(m) = &p.data else {
        unreachable!()
    };
    assert_eq!((m[0].lat, m[0].lon, m[0].online), (48.5, 2.5, Some(true)));
    assert_eq!(m[0].lines[0], "speed 55 km/h");
    assert_eq!(m[0].lines[1], "speed max 90 km/h");
}

fn view_of(panels: Vec<Panel>) -> DashboardView {
    DashboardView {
        dashboards: Vec::new(),
        dashboard: crate::dashboards::starter(&[]),
        panels,
        range: TimeRange::default(),
        range_problem: None,
        source: crate::devices::SourceState::Fresh,
        left_out: 0,
        may_edit: false,
        now: NOW,
        tiles: MapTiles::default(),
    }
}

#[test]
fn a_page_watches_the_devices_and_metrics_its_widgets_show() {
    let chart = panel(
        WidgetKind::TimeSeries,
        &["temperature"],
        TimeRange::default(),
        PanelData::Series(vec![line("d1", vec![]), line("d2", vec![])]),
    );
    let note = panel(
        WidgetKind::Note,
        &[],
        TimeRange::default(),
        PanelData::Note("hello".into()),
    );
    let stat = panel(
        WidgetKind::Stat,
        &["battery"],
        TimeRange::default(),
        PanelData::Value {
            label: String::new(),
            value: 1.0,
            unit: String::new(),
            t: NOW,
            series: Vec::new(),
            device: "d3".into(),
            metric: "battery".into(),
        },
    );
    let watch = view_of(vec![chart.clone(), note, stat]).watch();
    assert_eq!(
        watch,
        ClientFrame::Watch {
            devices: vec!["d1".into(), "d2".into(), "d3".into()],
            metrics: vec!["battery".into(), "temperature".into()],
        }
    );
    // A map of every reading watches every metric.
    let map = panel(
        WidgetKind::Map,
        &[],
        TimeRange::default(),
        PanelData::Markers(Vec::new()),
    );
    let ClientFrame::Watch { metrics, .. } = view_of(vec![chart, map]).watch();
    assert!(metrics.is_empty());
}

#[test]
fn frames_from_the_browser_are_bounded_and_checked() {
    let ok = r#"{"type":"watch","devices":["d1"],"metrics":[]}"#;
    assert!(ClientFrame::parse(ok).is_ok());
    assert!(ClientFrame::parse("{\"type\":\"launch\"}")
        .unwrap_err()
        .contains("not understood"));
    let many: Vec<String> = (0..=MAX_WATCHED_DEVICES).map(|i| format!("d{i}")).collect();
    let too_many = serde_json::to_string(&ClientFrame::Watch {
        devices: many,
        metrics: Vec::new(),
    })
    .unwrap();
    assert!(ClientFrame::parse(&too_many)
        .unwrap_err()
        .contains("at most 1000 devices"));
    let empty_id = r#"{"type":"watch","devices":[""],"metrics":[]}"#;
    assert!(ClientFrame::parse(empty_id).is_err());
    let huge = format!(
        r#"{{"type":"watch","devices":["{}"],"metrics":[]}}"#,
        "x".repeat(MAX_CLIENT_FRAME)
    );
    assert!(ClientFrame::parse(&huge).unwrap_err().contains("bytes"));
}

#[test]
fn server_frames_are_tagged_json() {
    let frame = ServerFrame::DashboardChanged { id: "abc".into() };
    let json = serde_json::to_string(&frame).unwrap();
    assert_eq!(json, r#"{"type":"dashboard_changed","id":"abc"}"#);
    assert_eq!(serde_json::from_str::<ServerFrame>(&json).unwrap(), frame);
}
