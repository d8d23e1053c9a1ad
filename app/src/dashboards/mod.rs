//! Dashboards: a workspace's pages of widgets, drawn on the server (charts as SVG, a map, tables)
//! and kept in the address with their time range, so a view can be shared.

pub mod api;
pub mod charts;
mod editor;
pub mod live;
mod page;
mod widgets;

pub use editor::{editor_path, DashboardEditorPage};
pub use page::DashboardPage;

use i18n::{td_string, Locale};
use model::dashboards::{Span, WidgetKind};
use model::Language;

/// A span in words, in `language` ("Last 24 hours"): [`Span::label`] translated.
pub fn span_label(language: Language, span: Span) -> &'static str {
    let locale = Locale::from(language);
    match span {
        Span::Hour => td_string!(locale, dashboards.span.hour),
        Span::SixHours => td_string!(locale, dashboards.span.six_hours),
        Span::Day => td_string!(locale, dashboards.span.day),
        Span::Week => td_string!(locale, dashboards.span.week),
        Span::Month => td_string!(locale, dashboards.span.month),
    }
}

/// A kind of widget in words, in `language` ("Bar chart"): [`WidgetKind::label`] translated.
pub fn kind_label(language: Language, kind: WidgetKind) -> &'static str {
    let locale = Locale::from(language);
    match kind {
        WidgetKind::TimeSeries => td_string!(locale, dashboards.kind.time_series),
        WidgetKind::Bar => td_string!(locale, dashboards.kind.bar),
        WidgetKind::Gauge => td_string!(locale, dashboards.kind.gauge),
        WidgetKind::Stat => td_string!(locale, dashboards.kind.stat),
        WidgetKind::Map => td_string!(locale, dashboards.kind.map),
        WidgetKind::Table => td_string!(locale, dashboards.kind.table),
        WidgetKind::Note => td_string!(locale, dashboards.kind.note),
    }
}

pub fn dashboards_path(slug: &str) -> String {
    format!("/w/{slug}/dashboards")
}

/// The address of dashboard `id` (the default when empty) over `range`.
pub fn dashboard_href(slug: &str, id: &str, range: model::dashboards::TimeRange) -> String {
    let base = if id.is_empty() {
        dashboards_path(slug)
    } else {
        format!("{}/{id}", dashboards_path(slug))
    };
    format!("{base}?{}", range.to_query())
}

/// The address of a download of `widget` of dashboard `id` (empty: the starter) over `range`:
/// `data.csv` or `chart.png` (served by the server's `exports` routes).
pub fn download_href(
    slug: &str,
    id: &str,
    widget: &str,
    file: &str,
    range: model::dashboards::TimeRange,
) -> String {
    let id = if id.is_empty() { "starter" } else { id };
    format!(
        "{}/{id}/widgets/{widget}/{file}?{}",
        dashboards_path(slug),
        range.to_query()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_kinds_are_named_in_the_pages_language() {
        for span in Span::ALL {
            assert_eq!(span_label(Language::En, span), span.label());
        }
        for kind in WidgetKind::ALL {
            assert_eq!(kind_label(Language::En, kind), kind.label());
        }
        assert_eq!(span_label(Language::Fr, Span::Day), "24 dernières heures");
        assert_eq!(kind_label(Language::Fr, WidgetKind::Map), "Carte");
    }
}
