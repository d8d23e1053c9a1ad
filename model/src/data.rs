//! Device data as the connector brings it from the startup's source: devices it knows, latest
//! values, series, and how fresh an answer is. Readings are never stored by IoT Rocket.

use serde::{Deserialize, Serialize};

/// A metric a device reports, with its unit as the source spells it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricInfo {
    pub name: String,
    pub unit: String,
}

/// A device as the data source describes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceDevice {
    pub id: String,
    pub name: String,
    /// The source's kind, e.g. `WEATHER_STATION`.
    pub kind: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub firmware: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub metrics: Vec<MetricInfo>,
    /// When it last reported (Unix seconds).
    pub last_seen: Option<i64>,
}

/// One page of the source's devices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceDevicePage {
    pub total: u32,
    pub items: Vec<SourceDevice>,
}

/// The latest value of one metric of one device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatestValue {
    pub device: String,
    pub metric: String,
    pub unit: String,
    /// Instant of the reading (Unix seconds).
    pub t: i64,
    pub value: f64,
}

/// A point of a series: (Unix seconds, value).
pub type Point = (i64, f64);

/// A metric of a device over a time range, reduced to what a chart can show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub device: String,
    pub metric: String,
    pub unit: String,
    pub points: Vec<Point>,
}

/// How fresh an answer from the data source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freshness {
    /// When the source gave this answer (Unix seconds).
    pub fetched_at: i64,
    /// Set when the source cannot be reached now and this is the last good answer.
    pub stale: bool,
}

/// Reduces `points` (in time order) to at most `threshold` points that keep the shape of the
/// line: Largest-Triangle-Three-Buckets (Steinarsson, 2013). The first and last points stay.
pub fn lttb(points: &[Point], threshold: usize) -> Vec<Point> {
    if threshold >= points.len() || threshold == 0 {
        return points.to_vec();
    }
    if threshold < 3 {
        let mut kept = vec![points[0]];
        if threshold == 2 {
            kept.push(points[points.len() - 1]);
        }
        return kept;
    }
    let mut kept = Vec::with_capacity(threshold);
    kept.push(points[0]);
    // Every bucket but the first and last point's holds about this many points.
    let every = (points.len() - 2) as f64 / (threshold - 2) as f64;
    let mut a = 0usize;
    for bucket in 0..threshold - 2 {
        let start = (bucket as f64 * every) as usize + 1;
        let end = (((bucket + 1) as f64 * every) as usize + 1).min(points.len() - 1);
        // The average of the next bucket is the third corner of the triangles.
        let next_start = end;
        let next_end = (((bucket + 2) as f64 * every) as usize + 1).min(points.len());
        let next = &points[next_start..next_end.max(next_start + 1)];
        let (avg_t, avg_v) = next
            .iter()
            .fold((0.0, 0.0), |(t, v), p| (t + p.0 as f64, v + p.1));
        let (avg_t, avg_v) = (avg_t / next.len() as f64, avg_v / next.len() as f64);
        let (at, av) = (points[a].0 as f64, points[a].1);
        let mut best = start;
        let mut best_area = -1.0;
        for (i, p) in points
            .iter()
            .enumerate()
            .take(end.max(start + 1))
            .skip(start)
        {
            let area = ((at - avg_t) * (p.1 - av) - (at - p.0 as f64) * (avg_v - av)).abs();
            if area > best_area {
                best_area = area;
                best = i;
            }
        }
        kept.push(points[best]);
        a = best;
    }
    kept.push(points[points.len() - 1]);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wave(n: usize) -> Vec<Point> {
        (0..n)
            .map(|i| (i as i64 * 60, (i as f64 / 25.0).sin() * 10.0))
            .collect()
    }

    #[test]
    fn keeps_short_series_whole_and_reduces_long_ones_to_the_threshold() {
        let short = wave(50);
        assert_eq!(lttb(&short, 100), short);
        let long = wave(10_000);
        let reduced = lttb(&long, 500);
        assert_eq!(reduced.len(), 500);
        assert_eq!(reduced[0], long[0]);
        assert_eq!(reduced[499], long[9_999]);
        assert!(
            reduced.windows(2).all(|w| w[0].0 < w[1].0),
            "time order kept"
        );
        assert!(reduced.iter().all(|p| long.contains(p)), "only real points");
    }

    #[test]
    fn keeps_a_lone_peak_that_averaging_would_flatten() {
        let mut points: Vec<Point> = (0..1_000).map(|i| (i, 1.0)).collect();
        points[537].1 = 90.0;
        let reduced = lttb(&points, 50);
        assert!(reduced.contains(&(537, 90.0)), "the spike survives");
    }

    #[test]
    fn extreme_thresholds() {
        let points = wave(10);
        assert_eq!(lttb(&points, 0), points);
        assert_eq!(lttb(&points, 1), vec![points[0]]);
        assert_eq!(lttb(&points, 2), vec![points[0], points[9]]);
        assert_eq!(lttb(&[], 5), Vec::<Point>::new());
    }
}
