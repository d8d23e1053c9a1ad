//! `/healthz`: the process is up (version, uptime). `/readyz`: it can serve, meaning the
//! control database answers; 503 with a reason when it does not.

use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
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

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let control = &state.services.control;
    let reason = match tokio::time::timeout(Duration::from_secs(2), control.ping()).await {
        Ok(Ok(())) => {
            let body = json!({ "status": "ready", "database": control.engine().as_str() });
            return (StatusCode::OK, Json(body));
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: control database unreachable");
            "control database unreachable"
        }
        Err(_) => {
            tracing::warn!("readiness: control database did not answer within 2 s");
            "control database did not answer in time"
        }
    };
    let body = json!({ "status": "unavailable", "reason": reason });
    (StatusCode::SERVICE_UNAVAILABLE, Json(body))
}
