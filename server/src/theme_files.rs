//! `/theme/<file>`: the theme's logo and favicon, and nothing else from its folder. They are
//! served from memory (checked when the theme loaded) with their own content type, and under a
//! policy that lets no script run even when someone opens an SVG directly.

use crate::error::RouteError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use model::ApiError;

/// No script, no outside fetch, sandboxed: an image stays an image.
pub const IMAGE_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

pub async fn theme_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, RouteError> {
    let loaded = state.services.theme();
    let asset = loaded
        .assets
        .get(&file)
        .ok_or_else(|| RouteError(ApiError::not_found("This theme has no such file.")))?;
    Ok((
        [
            (header::CONTENT_TYPE, asset.kind.content_type()),
            // The page links each file with its content's hash: a new file gets a new URL.
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::CONTENT_SECURITY_POLICY, IMAGE_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        asset.bytes.to_vec(),
    )
        .into_response())
}
