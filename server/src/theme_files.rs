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
    // The page links each file with its content's hash: a new file gets a new URL.
    Ok(image(
        asset.kind,
        "public, max-age=86400",
        asset.bytes.to_vec(),
    ))
}

/// An image (a theme's or a workspace's logo) as every image route sends it: its own type,
/// `cache` as given, and no way for it to run script even when opened on its own.
pub fn image(kind: model::theme::ImageKind, cache: &'static str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind.content_type()),
            (header::CACHE_CONTROL, cache),
            (header::CONTENT_SECURITY_POLICY, IMAGE_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        bytes,
    )
        .into_response()
}
