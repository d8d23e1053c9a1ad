//! The datagen's HTTP surface, in process: the token, the schema's answers against the
//! simulation's own functions, anomalies and the counters.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use datagen::sim::Metric;
use datagen::{Clock, Sim};
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

const TOKEN: &str = "a-test-token-of-some-length";
/// 2026-03-01T10:00:00Z
const NOW: i64 = 1_772_359_200;

fn app() -> (axum::Router, Arc<Sim>) {
    let sim = Arc::new(Sim::new(5, 60, Clock::Fixed(NOW)));
    (datagen::router(sim.clone(), TOKEN), sim)
}

async fn post(
    app: &axum::Router,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> (StatusCode, Value) {
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = json!({ "query": query, "variables": variables }).to_string();
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), 10 << 20).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into())),
    )
}

async fn metrics(app: &axum::Router) -> String {
    let request = Request::get("/metrics").header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    String::from_utf8(
        to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap()
}

fn counter(metrics: &str, name: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse().ok()))
        .unwrap_or_else(|| panic!("{name} missing from {metrics}"))
}

#[tokio::test]
async fn every_route_but_health_needs_the_token() {
    let (app, _) = app();
    let (status, _) = post(&app, None, "{ devices { total } }", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = post(
        &app,
        Some("a-wrong-token-of-some-length"),
        "{ devices { total } }",
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let metrics_anonymous = app
        .clone()
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(metrics_anonymous.status(), StatusCode::UNAUTHORIZED);
    let health = app
        .clone()
        .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let (status, body) = post(&app, Some(TOKEN), "{ devices { total } }", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["devices"]["total"], 60);
    assert_eq!(
        counter(&metrics(&app).await, "datagen_unauthorized_total"),
        3
    );
}

#[tokio::test]
async fn devices_filter_by_kind_and_search_and_page() {
    let (app, sim) = app();
    let q = "query($kind: DeviceKind, $search: String, $offset: Int, $limit: Int) {
        devices(kind: $kind, search: $search, offset: $offset, limit: $limit) {
          total items { id name kind latitude longitude metrics { name unit } lastSeen } } }";
    let (_, all) = post(&app, Some(TOKEN), q, json!({ "limit": 1000 })).await;
    let items = all["data"]["devices"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{all}"));
    assert_eq!(items.len(), 60);
    let trackers = sim
        .fleet
        .devices()
        .iter()
        .filter(|d| d.kind == datagen::sim::Kind::GpsTracker)
        .count();
    let (_, only) = post(
        &app,
        Some(TOKEN),
        q,
        json!({ "kind": "GPS_TRACKER", "limit": 1000 }),
    )
    .await;
    assert_eq!(only["data"]["devices"]["total"], trackers);
    assert!(only["data"]["devices"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["kind"] == "GPS_TRACKER"));
    let first = &sim.fleet.devices()[0];
    let city = first.city.to_uppercase();
    let (_, found) = post(&app, Some(TOKEN), q, json!({ "search": city })).await;
    assert!(found["data"]["devices"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == first.id.as_str()));
    let (_, page) = post(&app, Some(TOKEN), q, json!({ "offset": 10, "limit": 5 })).await;
    let ids: Vec<&str> = page["data"]["devices"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = sim.fleet.devices()[10..15]
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(ids, expected);
    assert!(items[0]["lastSeen"].as_i64().unwrap() <= NOW);
    let (_, too_many) = post(&app, Some(TOKEN), q, json!({ "limit": 5000 })).await;
    assert!(too_many["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("limit"));
}

#[tokio::test]
async fn series_and_latest_are_the_simulations_numbers() {
    let (app, sim) = app();
    let device = sim
        .fleet
        .devices()
        .iter()
        .find(|d| d.kind == datagen::sim::Kind::WeatherStation)
        .unwrap();
    let q = "query($d: ID!, $m: String!, $from: Int!, $to: Int!, $step: Int!) {
        series(device: $d, metric: $m, from: $from, to: $to, step: $step) { device metric unit points { t v } } }";
    let vars =
        json!({ "d": device.id, "m": "temperature", "from": NOW - 86_400, "to": NOW, "step": 600 });
    let (_, a) = post(&app, Some(TOKEN), q, vars.clone()).await;
    let (_, b) = post(&app, Some(TOKEN), q, vars).await;
    assert_eq!(a, b, "the same question, the same numbers");
    assert_eq!(a["data"]["series"]["unit"], "°C");
    let points = a["data"]["series"]["points"].as_array().unwrap();
    assert!(points.len() > 100);
    for p in points {
        let (t, v) = (p["t"].as_i64().unwrap(), p["v"].as_f64().unwrap());
        assert_eq!(
            sim.fleet.reading(device, Metric::Temperature, t, &[]),
            Some(v)
        );
    }
    let latest = "query($ds: [ID!]!, $ms: [String!], $at: Int) { latest(devices: $ds, metrics: $ms, at: $at) { device metric unit t value } }";
    let (_, l) = post(
        &app,
        Some(TOKEN),
        latest,
        json!({ "ds": [device.id, "nope-00001"], "ms": ["temperature", "humidity"] }),
    )
    .await;
    let readings = l["data"]["latest"].as_array().unwrap();
    assert_eq!(readings.len(), 2, "the unknown device is left out: {l}");
    let (t, v) = sim
        .fleet
        .latest(device, Metric::Humidity, NOW, &[])
        .unwrap();
    assert_eq!(readings[1]["t"], t);
    assert_eq!(readings[1]["value"], v);
    let (_, bad) = post(
        &app,
        Some(TOKEN),
        q,
        json!({ "d": device.id, "m": "temperature", "from": 0, "to": NOW, "step": 1 }),
    )
    .await;
    assert!(bad["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("larger step"));
    let (_, wrong_metric) = post(
        &app,
        Some(TOKEN),
        q,
        json!({ "d": device.id, "m": "speed", "from": NOW - 60, "to": NOW, "step": 60 }),
    )
    .await;
    assert!(wrong_metric["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("has no metric speed"));
    let served = counter(&metrics(&app).await, "datagen_points_served_total");
    assert_eq!(served as usize, 2 * points.len() + 2);
    assert_eq!(
        counter(&metrics(&app).await, "datagen_graphql_requests_total"),
        5
    );
}

#[tokio::test]
async fn injected_anomalies_show_in_the_answers_and_can_be_cleared() {
    let (app, sim) = app();
    let device = &sim.fleet.devices()[3];
    let latest = "query($ds: [ID!]!) { latest(devices: $ds) { metric t value } }";
    let (_, before) = post(&app, Some(TOKEN), latest, json!({ "ds": [device.id] })).await;
    let inject = "mutation($d: ID!, $m: String, $from: Int) { injectAnomaly(device: $d, kind: OUTAGE, metric: $m, from: $from) { from until } }";
    let (_, injected) = post(
        &app,
        Some(TOKEN),
        inject,
        json!({ "d": device.id, "from": NOW - 3_600 }),
    )
    .await;
    assert_eq!(injected["data"]["injectAnomaly"]["from"], NOW - 3_600);
    let (_, during) = post(&app, Some(TOKEN), latest, json!({ "ds": [device.id] })).await;
    let t_before = before["data"]["latest"][0]["t"].as_i64().unwrap();
    let t_during = during["data"]["latest"][0]["t"].as_i64().unwrap();
    assert!(
        t_during < NOW - 3_600 && t_during < t_before,
        "silent since the outage began: {during}"
    );
    let (_, cleared) = post(
        &app,
        Some(TOKEN),
        "mutation($d: ID) { clearAnomalies(device: $d) }",
        json!({ "d": device.id }),
    )
    .await;
    assert_eq!(cleared["data"]["clearAnomalies"], 1);
    let (_, after) = post(&app, Some(TOKEN), latest, json!({ "ds": [device.id] })).await;
    assert_eq!(after, before);
    let spike = "mutation($d: ID!, $m: String) { injectAnomaly(device: $d, kind: SPIKE, metric: $m, from: 0) { kind } }";
    let (_, refused) = post(
        &app,
        Some(TOKEN),
        spike,
        json!({ "d": device.id, "m": "no_such_metric" }),
    )
    .await;
    assert!(refused["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("no metric no_such_metric"));
}
