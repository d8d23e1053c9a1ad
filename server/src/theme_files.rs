//! `/theme/<file>`: the theme's logo and favicon, and nothing else from its folder.

use crate::error::RouteError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use model::ApiError;

pub async fn theme_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, RouteError> {
    let loaded = &state.services.theme;
    let not_found = || RouteError(ApiError::not_found("This theme has no such file."));
    if file != loaded.theme.logo && file != loaded.theme.favicon {
        return Err(not_found());
    }
    let bytes = tokio::fs::read(loaded.dir.join(&file)).await.map_err(|e| {
        tracing::warn!(error = %e, file, "theme file unreadable");
        not_found()
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type(&file)),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        bytes,
    )
        .into_response())
}

fn content_type(file: &str) -> &'static str {
    match file
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        _ => "application/octet-stream",
    }
}
