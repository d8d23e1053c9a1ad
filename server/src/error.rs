//! The error type of plain HTTP routes (health, REST). Details go to the log; the body is JSON
//! with a sentence a person can read.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    #[error("{0}")]
    Unavailable(&'static str),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl IntoResponse for RouteError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            Self::Unavailable(reason) => (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "status": "unavailable", "reason": reason }),
            ),
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                json!({ "error": "Nothing is at this address." }),
            ),
            Self::Internal(e) => {
                tracing::error!(error = ?e, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({ "error": "Something went wrong on our side." }),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}
