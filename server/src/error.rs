//! The error type of plain HTTP routes. It carries the same [`ApiError`] that server functions
//! return, so every client reads one JSON shape (`{"kind": …}`) with the matching HTTP status.
//! Details go to the log; the body holds only the plain sentence.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use model::ApiError;

#[derive(Debug)]
pub struct RouteError(pub ApiError);

impl From<ApiError> for RouteError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl IntoResponse for RouteError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}

/// A backend error as a plain route answers it: logged in full when it is a fault of ours,
/// the plain words (with the request's id as the reference) for the client.
pub fn api_error(
    error: backend::BackendError,
    headers: &axum::http::HeaderMap,
    caller: Option<&backend::auth::Caller>,
    what: &str,
) -> ApiError {
    if let backend::BackendError::Internal(detail) = &error {
        tracing::error!(%detail, "{what} failed");
    }
    let request_id = headers
        .get(app::ssr::REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    // In the language the reader's pages speak.
    i18n::localize_error(
        error.into_api(request_id),
        crate::language::of(headers, caller),
    )
}

/// The answer when a handler panics: logged in full, a plain page for the person.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "a request handler panicked");
    let body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error</title></head>\
        <body><h1>Something went wrong on our side</h1><p>Please try again in a moment.</p>\
        <p><a href=\"/\">Go to the start page</a></p></body></html>";
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}
