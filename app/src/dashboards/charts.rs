//! Charts drawn with plotters as SVG text: the server writes them into the page (readable with
//! JavaScript off) and the browser draws them again when the range or the data changes.

use model::dashboards::{ChartSeries, LineStyle, Threshold};
use model::Language;
use plotters::coord::Shift;
use plotters::prelude::*;

const GRID: RGBColor = RGBColor(0xee, 0xee, 0xee);
const GRID_BOLD: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
const AXIS: RGBColor = RGBColor(0x99, 0x99, 0x99);
const LABEL: RGBColor = RGBColor(0x55, 0x55, 0x55);

pub const WIDTH: u32 = 640;
pub const HEIGHT: u32 = 260;

/// Lines after the first take these colours, in turn (the first is the brand's primary).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0xe0, 0x7a, 0x1f),
    RGBColor(0x2a, 0x9d, 0x8f),
    RGBColor(0xc0, 0x39, 0x2b),
    RGBColor(0x8e, 0x44, 0xad),
    RGBColor(0x6d, 0x8a, 0x1a),
    RGBColor(0x1f, 0x6f, 0xb2),
    RGBColor(0x7f, 0x5a, 0x3c),
];

/// `#rrggbb` as a colour (grey when it does not parse).
pub fn color(hex: &str) -> RGBColor {
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|c| u8::from_str_radix(c, 16).ok())
            .unwrap_or(0x80)
    };
    if hex.len() == 7 && hex.starts_with('#') {
        RGBColor(channel(1), channel(3), channel(5))
    } else {
        RGBColor(0x80, 0x80, 0x80)
    }
}

/// The colour of line `i`.
pub fn series_color(primary: &str, i: usize) -> RGBColor {
    if i == 0 {
        color(primary)
    } else {
        PALETTE[(i - 1) % PALETTE.len()]
    }
}

/// The colour of line `i` as CSS writes it (the legend under the chart).
pub fn series_hex(primary: &str, i: usize) -> String {
    let RGBColor(r, g, b) = series_color(primary, i);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The value axis: every point and threshold inside, with a little room above and below.
fn value_bounds(series: &[ChartSeries], thresholds: &[Threshold]) -> (f64, f64) {
    let values = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(thresholds.iter().map(|t| t.value))
        .filter(|v| v.is_finite());
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return (0.0, 1.0);
    }
    let pad = if hi > lo {
        (hi - lo) * 0.08
    } else {
        lo.abs().max(1.0) * 0.1
    };
    (lo - pad, hi + pad)
}

/// Whose clock a chart's times read on: UTC (the page as the server draws it) or the viewer's
/// (once the page runs in their browser).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    Utc,
    Viewer,
}

impl Zone {
    /// Seconds east of UTC at instant `secs` (Unix seconds), summer time included.
    pub fn offset_at(self, secs: i64) -> i64 {
        match self {
            Zone::Utc => 0,
            Zone::Viewer => viewer_offset(secs),
        }
    }
}

#[cfg(feature = "hydrate")]
fn viewer_offset(secs: i64) -> i64 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
    -(date.get_timezone_offset() as i64) * 60
}

#[cfg(not(feature = "hydrate"))]
fn viewer_offset(_secs: i64) -> i64 {
    0
}

/// What a time-series chart shows: lines between `from` and `to` (Unix seconds).
pub struct TimeSeriesChart<'a> {
    pub series: &'a [ChartSeries],
    pub bounds: (i64, i64),
    pub style: LineStyle,
    pub thresholds: &'a [Threshold],
    /// The brand's primary colour (`#rrggbb`), for the first line.
    pub primary: &'a str,
    /// The viewer's time zone, in seconds east of UTC (0 for UTC): where the axis reads.
    pub offset: i64,
}

impl TimeSeriesChart<'_> {
    /// As SVG text, for the page, its axes written in `language`.
    pub fn svg(&self, language: Language) -> Result<String, String> {
        svg_of(|root| self.draw(root, language))
    }

    /// As a PNG picture on white, for a download, its axes written in `language`.
    #[cfg(feature = "ssr")]
    pub fn png(&self, language: Language) -> Result<Vec<u8>, String> {
        png_of(|root| self.draw(root, language))
    }

    /// Round instants of the viewer's clock.
    fn ticks(&self) -> Vec<i64> {
        let (from, to) = self.bounds;
        time_ticks(from + self.offset, to + self.offset)
            .into_iter()
            .map(|t| t - self.offset)
            .collect()
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        language: Language,
    ) -> Result<(), String> {
        let (from, to) = self.bounds;
        let (lo, hi) = value_bounds(self.series, self.thresholds);
        let unit = self
            .series
            .first()
            .map(|s| s.unit.clone())
            .unwrap_or_default();
        let span = (to - from).max(1);
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(24)
            .y_label_area_size(52)
            .build_cartesian_2d((from..to).with_key_points(self.ticks()), lo..hi)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .y_labels(5)
            .x_label_formatter(&|t| axis_label(language, *t + self.offset, span))
            .y_label_formatter(&|v| format!("{} {unit}", axis_number(language, *v)))
            .light_line_style(GRID)
            .bold_line_style(GRID_BOLD)
            .axis_style(AXIS)
            .label_style(("sans-serif", 12).into_font().color(&LABEL))
            .draw()
            .map_err(|e| e.to_string())?;
        for t in self.thresholds {
            chart
                .draw_series(LineSeries::new(
                    [(from, t.value), (to, t.value)],
                    color(&t.color).stroke_width(1),
                ))
                .map_err(|e| e.to_string())?;
        }
        for (i, s) in self.series.iter().enumerate() {
            let line = series_color(self.primary, i);
            let points = s.points.iter().map(|&(t, v)| (t, v));
            if self.style == LineStyle::Area {
                chart
                    .draw_series(AreaSeries::new(points.clone(), lo, line.mix(0.15)))
                    .map_err(|e| e.to_string())?;
            }
            chart
                .draw_series(LineSeries::new(points, line.stroke_width(2)))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// Where a time-series chart plots, as fractions of its width (its margins and value labels lie
/// outside): what a pointer over the chart points at.
pub const PLOT_LEFT: f64 = 60.0 / WIDTH as f64;
pub const PLOT_RIGHT: f64 = (WIDTH as f64 - 24.0) / WIDTH as f64;

/// The tooltip for a pointer at `fraction` of a chart's width: the instant under it (in the
/// zone `offset` seconds east of UTC) and each line's value nearest to it, in `language`;
/// `None` outside the plot.
pub fn hover_text(
    series: &[ChartSeries],
    (from, to): (i64, i64),
    fraction: f64,
    offset: i64,
    language: Language,
) -> Option<String> {
    let x = (fraction - PLOT_LEFT) / (PLOT_RIGHT - PLOT_LEFT);
    if !(0.0..=1.0).contains(&x) || to <= from {
        return None;
    }
    let t = from + ((to - from) as f64 * x).round() as i64;
    let mut at = None;
    let values: Vec<String> = series
        .iter()
        .filter_map(|s| {
            let nearest = s.points.iter().min_by_key(|p| (p.0 - t).abs())?;
            at.get_or_insert(nearest.0);
            let value = format!("{} {}", language.reading(nearest.1), s.unit);
            Some(series_value(language, &s.label, &value))
        })
        .collect();
    let at = at?;
    Some(format!(
        "{} · {}",
        language.minute_at(at * 1000, offset),
        values.join(" · ")
    ))
}

/// A line's label and its value, as the legend and the tooltip say them (`Roof: 12.5 °C`).
pub fn series_value(language: Language, label: &str, value: &str) -> String {
    i18n::td_string!(
        i18n::Locale::from(language),
        dashboards.series_value,
        label = label,
        value = value
    )
    .to_string()
}

/// A time-axis label in `language`: the clock (`14:05`) when the axis spans at most two days,
/// else the day and month (`04 Dec`, `4 déc.`). [`model::time::axis_label`] in English.
pub fn axis_label(language: Language, secs: i64, span_secs: i64) -> String {
    match language {
        Language::En => model::time::axis_label(secs, span_secs),
        _ if span_secs <= 2 * 86_400 => model::time::axis_label(secs, span_secs),
        _ => {
            let (_, m, d, _, _) = model::time::civil_minute(secs * 1000, 0);
            format!("{d} {}", language.month(m))
        }
    }
}

/// The instants a chart spans: the range, ending where the newest point ends (a source's
/// clock and ours differ by a few seconds).
pub fn series_bounds(series: &[ChartSeries], range: model::dashboards::TimeRange) -> (i64, i64) {
    let newest = series
        .iter()
        .flat_map(|s| s.points.last().map(|p| p.0))
        .max()
        .unwrap_or_default();
    range.bounds(newest)
}

/// Round instants for the time axis, about six of them: on the minute, the hour, or midnight.
pub fn time_ticks(from: i64, to: i64) -> Vec<i64> {
    const STEPS: [i64; 13] = [
        60, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
    ];
    let span = (to - from).max(1);
    let step = STEPS
        .into_iter()
        .find(|s| span / s <= 7)
        .unwrap_or(span / 6 + 1);
    let first = from.div_euclid(step) * step + if from.rem_euclid(step) == 0 { 0 } else { step };
    (0..)
        .map(|i| first + i * step)
        .take_while(|t| *t <= to)
        .collect()
}

/// A bar chart: one bar per (name, value).
pub struct BarChart<'a> {
    pub bars: &'a [(String, f64)],
    pub unit: &'a str,
    pub primary: &'a str,
}

impl BarChart<'_> {
    /// As SVG text, for the page, its values written in `language`.
    pub fn svg(&self, language: Language) -> Result<String, String> {
        svg_of(|root| self.draw(root, language))
    }

    /// As a PNG picture, for a download, its numbers written in `language`.
    #[cfg(feature = "ssr")]
    pub fn png(&self, language: Language) -> Result<Vec<u8>, String> {
        png_of(|root| self.draw(root, language))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        language: Language,
    ) -> Result<(), String> {
        let bars = self.bars;
        let unit = self.unit;
        let hi = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max);
        let lo = bars.iter().map(|b| b.1).fold(0.0_f64, f64::min);
        let pad = ((hi - lo) * 0.08).max(1e-9);
        let names: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(28)
            .y_label_area_size(52)
            .build_cartesian_2d((0..bars.len()).into_segmented(), (lo - pad)..(hi + pad))
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bars.len().min(12))
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(5)
            .y_label_formatter(&|v| format!("{} {unit}", axis_number(language, *v)))
            .light_line_style(GRID)
            .axis_style(AXIS)
            .label_style(("sans-serif", 12).into_font().color(&LABEL))
            .draw()
            .map_err(|e| e.to_string())?;
        let fill = color(self.primary).filled();
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0_f64.max(lo - pad)),
                        (SegmentValue::Exact(i + 1), b.1),
                    ],
                    fill,
                )
            }))
            .map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// Draws with `draw` as SVG text.
fn svg_of(
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<String, String> {
    fonts();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Draws with `draw` on a white bitmap and encodes it as PNG.
#[cfg(feature = "ssr")]
fn png_of(
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    fonts();
    let (w, h) = (WIDTH, HEIGHT);
    let mut pixels = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        draw(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The font text is measured and (in pictures) drawn with, registered once. On the server it is
/// DejaVu Sans, bundled (`app/fonts/`, vendored by `scripts/vendor.sh`); the browser measures
/// with its own fonts.
fn fonts() {
    #[cfg(feature = "ssr")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            const DEJAVU: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
            if plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU).is_err() {
                leptos::logging::error!("the bundled chart font does not load");
            }
        });
    }
}

/// A number as an axis shows it: no more decimals than its size needs.
pub fn tidy(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 || v == v.round() {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// [`tidy`] written the way `language` writes numbers (`12.3` / `12,3`, `1,013` / `1 013`).
pub fn axis_number(language: Language, v: f64) -> String {
    let a = v.abs();
    let decimals = if a >= 100.0 || v == v.round() {
        0
    } else if a >= 10.0 {
        1
    } else {
        2
    };
    language.number(v, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(label: &str, points: Vec<(i64, f64)>) -> ChartSeries {
        ChartSeries {
            label: label.into(),
            unit: "°C".into(),
            points,
            device: label.into(),
            metric: "temperature".into(),
        }
    }

    #[test]
    fn a_time_series_is_an_svg_with_its_lines_axes_and_units() {
        let lines = [
            line("Roof", vec![(0, 10.0), (1_800, 12.5), (3_600, 11.0)]),
            line("Cellar", vec![(0, 4.0), (3_600, 5.0)]),
        ];
        let thresholds = [Threshold {
            value: 12.0,
            color: "#cc0000".into(),
        }];
        let chart = TimeSeriesChart {
            series: &lines,
            bounds: (0, 3_600),
            style: LineStyle::Area,
            thresholds: &thresholds,
            primary: "#3454d1",
            offset: 0,
        };
        let svg = chart.svg(Language::En).expect("drawn");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(
            svg.contains("#3454D1") || svg.contains("#3454d1"),
            "the first line in the brand colour"
        );
        assert!(svg.contains("°C"), "units on the axis");
        assert!(svg.contains("00:30"), "clock labels for an hour: {svg}");
        assert!(!svg.contains("00:16"), "on round minutes only");
        assert!(
            svg.contains("#E07A1F") || svg.contains("#e07a1f"),
            "the second line in the palette's first colour"
        );
        assert!(
            svg.contains("#CC0000") || svg.contains("#cc0000"),
            "the threshold line"
        );
        let polylines = svg.matches("<polyline").count();
        assert!(polylines >= 3, "two lines and a threshold: {polylines}");

        // The same chart as a picture: a PNG of the chart's size, not blank.
        let png = chart.png(Language::En).expect("picture");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).expect("pixels");
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        let brand = pixels[..info.buffer_size()]
            .chunks(3)
            .filter(|p| p == &[0x34, 0x54, 0xd1])
            .count();
        assert!(
            brand > 100,
            "the first line drawn in the brand colour: {brand} pixels"
        );
    }

    #[test]
    fn the_tooltip_names_the_values_under_the_pointer() {
        let lines = [
            line("Roof", vec![(0, 10.0), (1_800, 12.5), (3_600, 11.0)]),
            line("Cellar", vec![(0, 4.0), (3_600, 5.0)]),
        ];
        let hover_text = |series: &[ChartSeries], bounds, fraction, offset| {
            hover_text(series, bounds, fraction, offset, Language::En)
        };
        let middle = (PLOT_LEFT + PLOT_RIGHT) / 2.0;
        assert_eq!(
            hover_text(&lines, (0, 3_600), middle, 0).as_deref(),
            Some("1970-01-01 00:30 UTC · Roof: 12.5 °C · Cellar: 4 °C")
        );
        assert_eq!(
            hover_text(&lines, (0, 3_600), PLOT_RIGHT, 0).as_deref(),
            Some("1970-01-01 01:00 UTC · Roof: 11 °C · Cellar: 5 °C")
        );
        assert_eq!(
            hover_text(&lines, (0, 3_600), 0.01, 0),
            None,
            "over the value labels"
        );
        assert_eq!(hover_text(&[], (0, 3_600), middle, 0), None);
        // In the viewer's zone, an hour east of UTC.
        assert_eq!(
            hover_text(&lines, (0, 3_600), middle, 3_600).as_deref(),
            Some("1970-01-01 01:30 UTC+01:00 · Roof: 12.5 °C · Cellar: 4 °C")
        );
        // In French: the date day first, a comma for the point, a space before the colon.
        assert_eq!(
            super::hover_text(&lines, (0, 3_600), middle, 3_600, Language::Fr).as_deref(),
            Some("01/01/1970 01:30 UTC+01:00 · Roof\u{a0}: 12,5 °C · Cellar\u{a0}: 4 °C")
        );
    }

    #[test]
    fn time_ticks_fall_on_round_instants() {
        assert_eq!(
            time_ticks(0, 3_600),
            [0, 600, 1_200, 1_800, 2_400, 3_000, 3_600]
        );
        assert_eq!(
            time_ticks(100, 3_700),
            [600, 1_200, 1_800, 2_400, 3_000, 3_600]
        );
        let day = time_ticks(1_796_426_460 - 86_400, 1_796_426_460);
        assert!(day.len() >= 4 && day.len() <= 8, "{day:?}");
        assert!(day.iter().all(|t| t % 10_800 == 0), "{day:?}");
        let month = time_ticks(0, 30 * 86_400);
        assert!(month.iter().all(|t| t % 86_400 == 0), "{month:?}");
    }

    #[test]
    fn a_bar_chart_names_its_bars() {
        let svg = BarChart {
            bars: &[("North".into(), 3.0), ("South".into(), 7.5)],
            unit: "kWh",
            primary: "#3454d1",
        }
        .svg(Language::En)
        .expect("drawn");
        assert!(
            svg.contains("North") && svg.contains("South") && svg.contains("kWh"),
            "{svg}"
        );
        assert!(svg.matches("<rect").count() >= 2, "{svg}");
    }

    #[test]
    fn the_axis_reads_the_viewers_clock() {
        let lines = [line("Roof", vec![(0, 10.0), (3_600, 11.0)])];
        let at = |offset| {
            TimeSeriesChart {
                series: &lines,
                bounds: (0, 3_600),
                style: LineStyle::Line,
                thresholds: &[],
                primary: "#3454d1",
                offset,
            }
            .svg(Language::En)
            .expect("drawn")
        };
        // 00:00 to 01:00 UTC is 05:30 to 06:30 in India.
        let india = at(5 * 3_600 + 1_800);
        assert!(india.contains("06:00"), "{india}");
        assert!(!india.contains("00:30"), "{india}");
        assert!(at(0).contains("00:30"));
    }

    #[test]
    fn odd_inputs_still_draw() {
        let chart = |series: &[ChartSeries], primary: &str| {
            TimeSeriesChart {
                series,
                bounds: (0, 60),
                style: LineStyle::Line,
                thresholds: &[],
                primary,
                offset: 0,
            }
            .svg(Language::En)
        };
        assert!(chart(&[], "#000000").is_ok());
        assert!(chart(&[line("Flat", vec![(0, 5.0), (60, 5.0)])], "bad").is_ok());
        assert_eq!(color("bad"), RGBColor(0x80, 0x80, 0x80));
        assert_eq!(tidy(1234.6), "1235");
        assert_eq!(tidy(12.34), "12.3");
        assert_eq!(tidy(1.234), "1.23");
        assert_eq!(axis_number(Language::En, 12.34), "12.3");
        assert_eq!(axis_number(Language::Fr, 1.234), "1,23");
        assert_eq!(axis_number(Language::Fr, 1013.2), "1\u{202f}013");
    }

    #[test]
    fn day_labels_name_the_month_in_the_pages_language() {
        // 2026-12-04 23:21 UTC, on an axis of a week.
        let (at, week) = (1_796_426_460, 7 * 86_400);
        assert_eq!(axis_label(Language::En, at, week), "04 Dec");
        assert_eq!(axis_label(Language::Fr, at, week), "4 déc.");
        assert_eq!(axis_label(Language::Fr, at, 3_600), "23:21");
    }
}
