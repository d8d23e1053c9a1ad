//! A small line chart of one metric as inline SVG: the same markup on the server and in the
//! browser, readable with JavaScript off.

use i18n::{t_string, use_i18n};
use leptos::prelude::*;
use model::data::Point;

const WIDTH: f64 = 280.0;
const HEIGHT: f64 = 64.0;

/// The polyline's points, scaled into the chart box (y grows downwards).
pub fn polyline(points: &[Point]) -> String {
    if points.is_empty() {
        return String::new();
    }
    let (t0, t1) = (points[0].0 as f64, points[points.len() - 1].0 as f64);
    let (lo, hi) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let span_t = (t1 - t0).max(1.0);
    let span_v = if hi > lo { hi - lo } else { 1.0 };
    points
        .iter()
        .map(|&(t, v)| {
            let x = (t as f64 - t0) / span_t * WIDTH;
            let y = HEIGHT - 4.0 - (v - lo) / span_v * (HEIGHT - 8.0);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn Sparkline(metric: String, unit: String, points: Vec<Point>) -> impl IntoView {
    let (lo, hi) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let i18n = use_i18n();
    let language = i18n::use_language();
    let label = if points.is_empty() {
        t_string!(i18n, devices.chart.no_reading, metric = metric.clone())
    } else {
        t_string!(
            i18n,
            devices.chart.range,
            metric = metric.clone(),
            lo = language.reading(lo),
            hi = language.reading(hi),
            unit = unit
        )
    };
    let aria = label.clone();
    view! {
        <svg class="sparkline" data-metric=metric viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            width=WIDTH height=HEIGHT role="img" aria-label=aria>
            <title>{label}</title>
            <polyline points=polyline(&points) fill="none" stroke="currentColor" stroke-width="1.5" />
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_spans_the_box_from_lowest_to_highest() {
        let line = polyline(&[(0, 10.0), (50, 20.0), (100, 15.0)]);
        assert_eq!(line, "0.0,60.0 140.0,4.0 280.0,32.0");
        assert_eq!(polyline(&[]), "");
        assert_eq!(polyline(&[(5, 1.0)]), "0.0,60.0", "one point, flat");
    }
}
