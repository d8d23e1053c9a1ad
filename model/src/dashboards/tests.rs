use super::*;

fn widget(id: &str, kind: WidgetKind, place: Place) -> Widget {
    Widget {
        metrics: vec!["temperature".into()],
        ..Widget::new(id, kind, "A widget", place)
    }
}

fn board(widgets: Vec<Widget>) -> Dashboard {
    Dashboard {
        id: "d1".into(),
        name: " Plant ".into(),
        visibility: Visibility::Everyone,
        is_default: false,
        widgets,
        updated_at: 0,
    }
}

fn fields(problems: &[FieldProblem]) -> Vec<&str> {
    problems.iter().map(|p| p.field.as_str()).collect()
}

#[test]
fn a_good_dashboard_passes_trimmed_with_its_thresholds_sorted() {
    let mut w = widget(
        "a",
        WidgetKind::Stat,
        Place {
            x: 0,
            y: 0,
            w: 6,
            h: 2,
        },
    );
    w.thresholds = vec![
        Threshold {
            value: 30.0,
            color: "#cc0000".into(),
        },
        Threshold {
            value: 10.0,
            color: "#00aa00".into(),
        },
    ];
    let b = board(vec![
        w,
        widget(
            "b",
            WidgetKind::TimeSeries,
            Place {
                x: 6,
                y: 0,
                w: 6,
                h: 2,
            },
        ),
    ])
    .checked()
    .expect("valid");
    assert_eq!(b.name, "Plant");
    assert_eq!(b.widgets[0].thresholds[0].value, 10.0);
    assert_eq!(threshold_color(&b.widgets[0].thresholds, 5.0), None);
    assert_eq!(
        threshold_color(&b.widgets[0].thresholds, 12.0),
        Some("#00aa00")
    );
    assert_eq!(
        threshold_color(&b.widgets[0].thresholds, 30.0),
        Some("#cc0000")
    );
}

#[test]
fn every_broken_rule_is_named_by_its_field() {
    let mut gauge = widget(
        "g",
        WidgetKind::Gauge,
        Place {
            x: 0,
            y: 0,
            w: 4,
            h: 2,
        },
    );
    gauge.min = Some(10.0);
    gauge.max = Some(10.0);
    gauge.thresholds = vec![Threshold {
        value: 1.0,
        color: "red".into(),
    }];
    let mut empty = widget(
        "e",
        WidgetKind::Table,
        Place {
            x: 4,
            y: 0,
            w: 4,
            h: 2,
        },
    );
    empty.metrics = vec!["  ".into()];
    empty.devices = Selection::Devices { ids: vec![] };
    let wide = widget(
        "w",
        WidgetKind::Bar,
        Place {
            x: 8,
            y: 0,
            w: 5,
            h: 2,
        },
    );
    let twin = widget(
        "g",
        WidgetKind::Note,
        Place {
            x: 0,
            y: 1,
            w: 2,
            h: 1,
        },
    );
    let mut b = board(vec![gauge, empty, wide, twin]);
    b.name = " ".into();
    b.visibility = Visibility::Groups { groups: vec![] };
    let problems = b.checked().expect_err("invalid");
    assert_eq!(
        fields(&problems),
        [
            "name",
            "visibility",
            "widgets.0.thresholds",
            "widgets.0.max",
            "widgets.1.metrics",
            "widgets.1.devices",
            "widgets.2.place",
            "widgets.3.id",
            "widgets.3.place",
        ],
        "{problems:#?}"
    );
    assert_eq!(
        problems.last().unwrap().message,
        "This widget overlaps widget 1."
    );
}

#[test]
fn a_range_comes_back_from_its_address() {
    for range in [
        TimeRange::Last(Span::Hour),
        TimeRange::Last(Span::Month),
        TimeRange::Between {
            from: 1_000,
            to: 5_000,
        },
    ] {
        let query = range.to_query();
        let pairs: std::collections::HashMap<&str, &str> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .collect();
        assert_eq!(
            TimeRange::from_query(
                pairs.get("range").copied(),
                pairs.get("from").copied(),
                pairs.get("to").copied()
            ),
            (range, None)
        );
    }
    assert_eq!(
        TimeRange::from_query(None, Some("2026-12-04T10:00"), Some("2026-12-04T12:30")).0,
        TimeRange::Between {
            from: 1_796_378_400,
            to: 1_796_387_400
        }
    );
    assert_eq!(
        TimeRange::Last(Span::SixHours).bounds(100_000),
        (100_000 - 21_600, 100_000)
    );
}

#[test]
fn a_bad_range_falls_back_to_a_day_and_says_why() {
    let (range, why) = TimeRange::from_query(Some("2w"), None, None);
    assert_eq!(range, TimeRange::Last(Span::Day));
    assert!(why.unwrap().contains("2w"));
    let (_, why) = TimeRange::from_query(None, Some("500"), Some("100"));
    assert!(why.unwrap().contains("end after"));
    let (_, why) = TimeRange::from_query(None, Some("0"), Some("99999999999"));
    assert!(why.unwrap().contains("year"));
    let (_, why) = TimeRange::from_query(None, Some("yesterday"), Some("100"));
    assert!(why.unwrap().contains("two instants"));
    assert_eq!(
        TimeRange::from_query(None, None, None),
        (TimeRange::default(), None)
    );
    assert_eq!(
        TimeRange::from_query(Some(" "), Some(""), Some("")),
        (TimeRange::default(), None),
        "blank fields are no fields"
    );
}

#[test]
fn a_new_workspace_starts_with_a_valid_overview_of_what_its_devices_report() {
    let metrics = [("temperature", "°C"), ("battery", "%"), ("signal", "dBm")]
        .map(|(m, u)| (m.to_string(), u.to_string()));
    let b = starter(&metrics).checked().expect("valid starter");
    assert!(b.is_default);
    let kinds: Vec<WidgetKind> = b.widgets.iter().map(|w| w.kind).collect();
    assert_eq!(
        kinds,
        [
            WidgetKind::Map,
            WidgetKind::Table,
            WidgetKind::TimeSeries,
            WidgetKind::TimeSeries
        ]
    );
    assert_eq!(b.widgets[2].metrics, ["temperature"]);
    assert_eq!(b.widgets[3].metrics, ["battery"]);
    let empty = starter(&[]).checked().expect("valid without devices");
    let kinds: Vec<WidgetKind> = empty.widgets.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, [WidgetKind::Map, WidgetKind::Note]);
}

#[test]
fn a_kinds_code_is_its_json() {
    for kind in WidgetKind::ALL {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
    }
}

#[test]
fn a_dashboard_survives_json() {
    let b = starter(&[("temperature".into(), "°C".into())]);
    let json = serde_json::to_string(&b).expect("json");
    assert!(json.contains("\"kind\":\"time_series\""), "{json}");
    assert!(json.contains("\"by\":\"all\""), "{json}");
    assert_eq!(serde_json::from_str::<Dashboard>(&json).expect("back"), b);
}

#[test]
fn the_editor_form_reads_back_the_widgets_it_shows() {
    use super::form::{read_widgets, WidgetForm};
    let mut gauge = widget(
        "g",
        WidgetKind::Gauge,
        Place {
            x: 0,
            y: 0,
            w: 4,
            h: 2,
        },
    );
    gauge.min = Some(0.0);
    gauge.max = Some(100.0);
    gauge.range = WidgetRange::Last(Span::Week);
    gauge.unit = Some("°F".into());
    gauge.thresholds = vec![Threshold {
        value: 80.0,
        color: "#c0392b".into(),
    }];
    gauge.devices = Selection::Devices {
        ids: vec!["reg-1".into(), "reg-2".into()],
    };
    let mut area = widget(
        "a",
        WidgetKind::TimeSeries,
        Place {
            x: 4,
            y: 0,
            w: 8,
            h: 3,
        },
    );
    area.style = LineStyle::Area;
    area.devices = Selection::Group {
        group: "north".into(),
    };
    let external = |id: &str| Some(id.replace("reg", "wx"));
    let forms: Vec<WidgetForm> = [&gauge, &area]
        .iter()
        .map(|w| WidgetForm::of(w, external))
        .collect();
    assert_eq!(forms[0].device_ids, "wx-1, wx-2");
    let back = read_widgets(&forms).expect("valid");
    // Devices chosen one by one come back with their ids at the source, for the server to map.
    assert_eq!(
        back[0].devices,
        Selection::Devices {
            ids: vec!["wx-1".into(), "wx-2".into()]
        }
    );
    assert_eq!(
        Widget {
            devices: gauge.devices.clone(),
            ..back[0].clone()
        },
        gauge
    );
    assert_eq!(back[1], area);
}

#[test]
fn the_editor_adds_removes_and_names_what_is_wrong() {
    use super::form::{read_widgets, WidgetForm};
    let blank = WidgetForm::default();
    let new = WidgetForm {
        kind: "note".into(),
        title: "Hello".into(),
        x: "0".into(),
        y: "5".into(),
        w: "12".into(),
        h: "1".into(),
        text: "line one\r\nline two".into(),
        ..WidgetForm::default()
    };
    let taken = WidgetForm {
        id: "w1".into(),
        ..new.clone()
    };
    let removed = WidgetForm {
        remove: Some("on".into()),
        ..new.clone()
    };
    let read = read_widgets(&[taken, blank.clone(), removed, new.clone()]).expect("valid");
    assert_eq!(
        read.len(),
        2,
        "an empty slot and a removed widget are left out"
    );
    assert_eq!(read[1].id, "w2", "a new widget gets an id of its own");
    assert_eq!(read[1].text, "line one\nline two");

    let bad = WidgetForm {
        kind: "pie".into(),
        w: "wide".into(),
        thresholds: "30 red, 40".into(),
        range: "2w".into(),
        min: "low".into(),
        devices: "group:".into(),
        ..new
    };
    let problems = read_widgets(&[blank, bad]).expect_err("invalid");
    assert_eq!(
        fields(&problems),
        [
            "widgets.1.kind",
            "widgets.1.w",
            "widgets.1.devices",
            "widgets.1.range",
            "widgets.1.thresholds",
            "widgets.1.thresholds",
            "widgets.1.min",
        ],
        "{problems:#?}"
    );
}
