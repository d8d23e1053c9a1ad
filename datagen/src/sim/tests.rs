//! The simulation's physics, checked against what the world does.

use super::*;

// 2026-07-15T12:00:00Z and 2026-01-15T12:00:00Z
const JULY: i64 = 1_784_116_800;
const JANUARY: i64 = 1_768_478_400;

fn fleet() -> Fleet {
    Fleet::new(42, 300)
}

fn of_kind(fleet: &Fleet, kind: Kind) -> Vec<&Device> {
    fleet.devices().iter().filter(|d| d.kind == kind).collect()
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn the_same_seed_gives_the_same_fleet_and_numbers_and_another_seed_does_not() {
    let (a, b, c) = (Fleet::new(7, 50), Fleet::new(7, 50), Fleet::new(8, 50));
    assert_eq!(a.devices(), b.devices());
    assert_ne!(a.devices(), c.devices());
    for device in a.devices() {
        for &metric in device.kind.metrics() {
            let t = JULY + 3_600;
            assert_eq!(
                a.latest(device, metric, t, &[]),
                b.latest(device, metric, t, &[])
            );
        }
    }
}

#[test]
fn every_kind_is_present_and_ids_find_their_device() {
    let fleet = fleet();
    for kind in Kind::ALL {
        assert!(of_kind(&fleet, kind).len() > 50, "{kind:?}");
    }
    for device in fleet.devices() {
        assert_eq!(fleet.find(&device.id), Some(device));
    }
    assert_eq!(fleet.find("wx-99999"), None);
    assert_eq!(fleet.find("gps-1"), None);
    let first = &fleet.devices()[0];
    let wrong_prefix = first.id.replace(first.kind.prefix(), "zz");
    assert_eq!(fleet.find(&wrong_prefix), None);
}

#[test]
fn summer_is_warmer_than_winter_in_each_hemisphere_and_afternoons_warmer_than_nights() {
    let owned = fleet();
    let fleet = &owned;
    let stations = of_kind(fleet, Kind::WeatherStation);
    let (north, south): (Vec<&Device>, Vec<&Device>) = stations
        .iter()
        .copied()
        .filter(|d| d.latitude.abs() > 30.0)
        .partition(|d| d.latitude > 0.0);
    let temp = |d: &Device, t: i64| fleet.physics(d, Metric::Temperature, t);
    assert!(
        mean(north.iter().map(|d| temp(d, JULY)))
            > mean(north.iter().map(|d| temp(d, JANUARY))) + 8.0
    );
    assert!(
        mean(south.iter().map(|d| temp(d, JANUARY)))
            > mean(south.iter().map(|d| temp(d, JULY))) + 5.0
    );
    // 15:00 against 04:00 local solar time, over a week of days.
    let local = |d: &Device, hour: f64, day: i64| {
        let utc = hour - d.longitude / 15.0;
        JULY - 12 * 3_600 + day * 86_400 + (utc * 3_600.0) as i64
    };
    let afternoon = mean(
        stations
            .iter()
            .flat_map(|d| (0..7).map(move |day| temp(d, local(d, 15.0, day)))),
    );
    let night = mean(
        stations
            .iter()
            .flat_map(|d| (0..7).map(move |day| temp(d, local(d, 4.0, day)))),
    );
    assert!(
        afternoon > night + 4.0,
        "afternoon {afternoon} night {night}"
    );
    let humid_afternoon = mean(stations.iter().flat_map(|d| {
        (0..7).map(move |day| fleet.physics(d, Metric::Humidity, local(d, 15.0, day)))
    }));
    let humid_night = mean(stations.iter().flat_map(|d| {
        (0..7).map(move |day| fleet.physics(d, Metric::Humidity, local(d, 4.0, day)))
    }));
    assert!(
        humid_night > humid_afternoon + 5.0,
        "humidity moves against temperature"
    );
    for d in &stations {
        for hour in 0..48 {
            let t = JULY + hour * 3_600;
            let v = |m| fleet.physics(d, m, t);
            assert!((-45.0..55.0).contains(&v(Metric::Temperature)));
            assert!((8.0..=100.0).contains(&v(Metric::Humidity)));
            assert!((960.0..1060.0).contains(&v(Metric::Pressure)));
            assert!((0.0..25.0).contains(&v(Metric::WindSpeed)));
        }
    }
}

#[test]
fn trackers_move_at_road_speeds_and_their_positions_agree_with_their_speed() {
    let fleet = fleet();
    for d in of_kind(&fleet, Kind::GpsTracker) {
        for minute in 0..120 {
            let t = JULY + minute * 60;
            let speed = fleet.physics(d, Metric::Speed, t);
            assert!((14.0..=76.0).contains(&speed), "{speed} km/h");
            let (lat, lon) = (
                fleet.physics(d, Metric::Latitude, t),
                fleet.physics(d, Metric::Longitude, t),
            );
            assert!(
                distance_km((lat, lon), (d.latitude, d.longitude)) < 12.0,
                "stays near home"
            );
            // Over 10 s the straight-line distance cannot exceed what the speed allows.
            let later = (
                fleet.physics(d, Metric::Latitude, t + 10),
                fleet.physics(d, Metric::Longitude, t + 10),
            );
            let moved = distance_km((lat, lon), later);
            assert!(moved <= 80.0 / 360.0 + 1e-6, "moved {moved} km in 10 s");
        }
        let start = fleet.physics(d, Metric::Latitude, JULY);
        let hour_later = fleet.physics(d, Metric::Latitude, JULY + 3_600);
        assert_ne!(start, hour_later, "a tracker moves");
    }
}

#[test]
fn meters_count_up_by_the_power_they_draw_and_peak_in_the_evening() {
    let fleet = fleet();
    for d in of_kind(&fleet, Kind::EnergyMeter) {
        // Energy over one hour equals the mean power over that hour (trapezoids per minute).
        let t0 = JULY;
        let used =
            fleet.physics(d, Metric::Energy, t0 + 3_600) - fleet.physics(d, Metric::Energy, t0);
        let power = mean((0..=60).map(|m| fleet.physics(d, Metric::Power, t0 + m * 60)));
        assert!(
            (used - power).abs() < 0.01 * power.max(0.1),
            "{used} kWh vs {power} kW"
        );
        assert!(used > 0.0);
    }
    let meters = of_kind(&fleet, Kind::EnergyMeter);
    let at = |d: &Device, hour: f64| {
        let utc = hour - d.longitude / 15.0;
        JULY - 12 * 3_600 + (utc * 3_600.0) as i64
    };
    let evening = mean(
        meters
            .iter()
            .map(|d| fleet.physics(d, Metric::Power, at(d, 19.0))),
    );
    let night = mean(
        meters
            .iter()
            .map(|d| fleet.physics(d, Metric::Power, at(d, 3.0))),
    );
    assert!(evening > 1.5 * night, "evening {evening} night {night}");
}

#[test]
fn readings_fall_on_reporting_instants_and_stop_during_an_injected_outage() {
    let fleet = fleet();
    let d = &fleet.devices()[0];
    let metric = d.kind.metrics()[0];
    let interval = d.kind.interval();
    let (at, _) = fleet
        .latest(d, metric, JULY + interval / 2 + 1, &[])
        .unwrap();
    assert_eq!(at % interval, 0);
    let outage = Anomaly {
        device: d.index,
        metric: None,
        kind: AnomalyKind::Outage,
        from: JULY,
        until: Some(JULY + 600),
    };
    let anomalies = [outage];
    assert_eq!(fleet.reading(d, metric, JULY + 120, &anomalies), None);
    assert!(!fleet.online(d, JULY + 120, &anomalies));
    let (last, _) = fleet.latest(d, metric, JULY + 300, &anomalies).unwrap();
    assert!(last < JULY, "the latest reading is from before the outage");
    assert!(
        fleet.reading(d, metric, JULY + 600, &anomalies).is_some()
            || !fleet.online(d, JULY + 600, &[])
    );
    // Another device is not affected.
    let other = &fleet.devices()[1];
    assert_eq!(
        fleet.reading(other, other.kind.metrics()[0], JULY + 120, &anomalies),
        fleet.reading(other, other.kind.metrics()[0], JULY + 120, &[])
    );
}

#[test]
fn a_spike_leaves_the_normal_range_and_a_flat_line_holds_the_value() {
    let fleet = fleet();
    let d = of_kind(&fleet, Kind::WeatherStation)[0];
    let normal = fleet.value(d, Metric::Temperature, JULY + 600, &[]);
    let spike = [Anomaly {
        device: d.index,
        metric: Some(Metric::Temperature),
        kind: AnomalyKind::Spike,
        from: JULY,
        until: None,
    }];
    assert!(fleet.value(d, Metric::Temperature, JULY + 600, &spike) > normal + 30.0);
    assert_eq!(
        fleet.value(d, Metric::Humidity, JULY + 600, &spike),
        fleet.value(d, Metric::Humidity, JULY + 600, &[])
    );
    let flat = [Anomaly {
        device: d.index,
        metric: None,
        kind: AnomalyKind::FlatLine,
        from: JULY,
        until: None,
    }];
    let held = fleet.value(d, Metric::Pressure, JULY, &[]);
    for hour in 1..24 {
        assert_eq!(
            fleet.value(d, Metric::Pressure, JULY + hour * 3_600, &flat),
            held
        );
    }
}

#[test]
fn about_one_device_in_a_hundred_is_offline_at_any_moment_through_natural_outages() {
    let fleet = Fleet::new(1, 2_000);
    let offline = fleet
        .devices()
        .iter()
        .filter(|d| !fleet.online(d, JULY, &[]))
        .count();
    assert!((2..=80).contains(&offline), "{offline} of 2000 offline");
}
