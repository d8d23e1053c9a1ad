//! Downloads of a dashboard widget: its data as CSV, for spreadsheets, and a chart's picture as
//! PNG, drawn on the server. Whoever sees the dashboard may download (the same checks as the
//! page); every download is kept in the workspace's audit log. `starter` names the starter
//! dashboard of a workspace that saved none.

use crate::AppState;
use app::dashboards::charts::{series_bounds, BarChart, TimeSeriesChart};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use backend::auth::Caller;
use backend::{BackendError, Services};
use model::access::Action;
use model::dashboards::export::{file_name, panel_csv};
use model::dashboards::{Panel, PanelData, TimeRange};
use serde::Deserialize;

/// The routes of this module (the access test walks them).
pub fn routes() -> Vec<(&'static str, axum::routing::MethodRouter<AppState>)> {
    vec![
        (
            "/w/{slug}/dashboards/{id}/widgets/{widget}/data.csv",
            axum::routing::get(widget_csv),
        ),
        (
            "/w/{slug}/dashboards/{id}/widgets/{widget}/chart.png",
            axum::routing::get(widget_png),
        ),
    ]
}

/// The range, as the dashboard's address keeps it.
#[derive(Debug, Default, Deserialize)]
pub struct RangeQuery {
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

type Target = (String, String, String);

async fn widget_csv(
    State(services): State<Services>,
    Extension(caller): Extension<Caller>,
    Path(target): Path<Target>,
    Query(q): Query<RangeQuery>,
    headers: HeaderMap,
) -> Response {
    let answer = async {
        let (dashboard, panel) = export(&services, &caller, &target, &q, "CSV").await?;
        Ok((
            file_name(&dashboard, &title(&panel), "csv"),
            panel_csv(&panel).into_bytes(),
        ))
    };
    download(answer.await, "text/csv; charset=utf-8", &headers, &caller)
}

async fn widget_png(
    State(services): State<Services>,
    Extension(caller): Extension<Caller>,
    Path(target): Path<Target>,
    Query(q): Query<RangeQuery>,
    headers: HeaderMap,
) -> Response {
    let answer = async {
        let (dashboard, panel) = export(&services, &caller, &target, &q, "PNG").await?;
        // Its dates and numbers are written as the reader's pages write them.
        let language = crate::language::of(&headers, Some(&caller));
        // The chart's colour is the one the page shows: the workspace's own, else the theme's.
        let primary = match services
            .brands
            .get(&services.control, &services.registry, &target.0)
            .await
            .and_then(|b| b.primary)
        {
            Some(own) => own,
            None => services.theme().theme.colors.primary.clone(),
        };
        let drawn = match &panel.data {
            PanelData::Series(series) => TimeSeriesChart {
                series,
                bounds: series_bounds(series, panel.range),
                style: panel.widget.style,
                thresholds: &panel.widget.thresholds,
                primary: &primary,
                // A picture is read anywhere: its times are in UTC (as the CSV's `time_utc`).
                offset: 0,
            }
            .png(language),
            PanelData::Bars { bars, unit, .. } => BarChart {
                bars,
                unit,
                primary: &primary,
            }
            .png(language),
            _ => {
                return Err(BackendError::NotFound(
                    "Only time series and bar charts have a picture; download the CSV instead."
                        .into(),
                ))
            }
        };
        let png = drawn.map_err(|e| BackendError::Internal(format!("drawing a chart: {e}")))?;
        Ok((file_name(&dashboard, &title(&panel), "png"), png))
    };
    download(answer.await, "image/png", &headers, &caller)
}

fn title(panel: &Panel) -> String {
    if panel.widget.title.is_empty() {
        panel.widget.id.clone()
    } else {
        panel.widget.title.clone()
    }
}

fn download(
    answer: Result<(String, Vec<u8>), BackendError>,
    content_type: &'static str,
    headers: &HeaderMap,
    caller: &Caller,
) -> Response {
    match answer {
        Ok((name, body)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                        .unwrap_or(HeaderValue::from_static("attachment")),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            let api = crate::error::api_error(e, headers, Some(caller), "a download");
            let status =
                StatusCode::from_u16(api.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, api.to_string()).into_response()
        }
    }
}

/// The widget's panel, after the same checks as the dashboard page; the download is audited.
async fn export(
    services: &Services,
    caller: &Caller,
    (slug, id, widget): &Target,
    q: &RangeQuery,
    format: &str,
) -> Result<(String, Panel), BackendError> {
    let ctx = backend::auth::open_workspace(
        &services.control,
        &services.registry,
        caller,
        slug,
        Action::ViewWorkspace,
    )
    .await?;
    let scope = backend::connector::workspace::scope(&services.control, &ctx.workspace.id).await?;
    let (range, _) = TimeRange::from_query(q.range.as_deref(), q.from.as_deref(), q.to.as_deref());
    let id = if id == "starter" { "" } else { id.as_str() };
    let (dashboard, panel) = backend::dashboards::view::panel_of(
        &ctx,
        &services.connector,
        &scope,
        id,
        widget,
        range,
        &format!("/w/{slug}/devices"),
    )
    .await?;
    backend::audit::record(
        ctx.db(),
        ctx.actor_id(),
        "widget_exported",
        &format!("{dashboard} / {} ({format})", title(&panel)),
    )
    .await?;
    Ok((dashboard, panel))
}
