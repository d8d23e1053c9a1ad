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
