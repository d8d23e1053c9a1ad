//! `/healthz`: the process is up (version, uptime). `/readyz`: it can serve, meaning the
//! control database answers; 503 with a reason when it does not.

use crate::error::RouteError;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};
use std::time::Duration;

pub async fn healthz(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "uptime_seconds": state.services.started_at.elapsed().as_secs(),
    }))
}

pub async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, RouteError> {
    let control = &state.services.control;
    match tokio::time::timeout(Duration::from_secs(2), control.ping()).await {
        Ok(Ok(())) => Ok(Json(
            json!({ "status": "ready", "database": control.engine().as_str() }),
        )),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: control database unreachable");
            Err(RouteError::Unavailable("control database unreachable"))
        }
        Err(_) => {
            tracing::warn!("readiness: control database did not answer within 2 s");
            Err(RouteError::Unavailable(
                "control database did not answer in time",
            ))
        }
    }
}
