//! iot-rocket-datagen: a GraphQL API over a simulated fleet of weather stations, GPS trackers
//! and energy meters. It is IoT Rocket's demo data source and the real peer of the connector's
//! tests. Every route but `/healthz` needs `Authorization: Bearer <DATAGEN_TOKEN>`.

pub mod schema;
pub mod sim;

use async_graphql_axum::{GraphQL, GraphQLSubscription};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use clap::Parser;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The command line; every flag also reads the environment variable named.
/// iot-rocket-datagen: simulated devices behind a GraphQL API (demo data and test peer).
#[derive(Debug, Parser)]
#[command(name = "iot-rocket-datagen", version)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "DATAGEN_ADDR", default_value = "127.0.0.1:4000")]
    pub addr: SocketAddr,
    /// Bearer token every request must carry (at least 16 characters).
    #[arg(long, env = "DATAGEN_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Number of simulated devices (1 to 1,000,000).
    #[arg(long, env = "DATAGEN_DEVICES", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub devices: u32,
    /// Seed of the simulation: the same seed gives the same fleet and the same values.
    #[arg(long, env = "DATAGEN_SEED", default_value_t = 1)]
    pub seed: u64,
    /// Fix "now" at this Unix time instead of the wall clock (reproducible demos and tests).
    #[arg(long, env = "DATAGEN_NOW")]
    pub now: Option<i64>,
}

impl Args {
    /// Names of every environment variable the datagen reads (the deploy test checks
    /// compose.yaml against them).
    pub fn env_names() -> Vec<String> {
        use clap::CommandFactory;
        Args::command()
            .get_arguments()
            .filter_map(|a| a.get_env().map(|e| e.to_string_lossy().into_owned()))
            .collect()
    }
}

/// Shortest token accepted: a guessable token would make the data source public.
pub const MIN_TOKEN_LEN: usize = 16;

/// The running simulation: the fleet, the anomalies injected into it, and counters.
pub struct Sim {
    pub fleet: sim::Fleet,
    anomalies: RwLock<Vec<sim::Anomaly>>,
    latency_ms: AtomicU64,
    pub stats: Stats,
    clock: Clock,
}

/// Counters served at `/metrics`.
#[derive(Default)]
pub struct Stats {
    /// GraphQL requests answered (queries and mutations over HTTP, subscriptions opened).
    pub requests: AtomicU64,
    /// Readings served (series points and latest values).
    pub points: AtomicU64,
    /// Requests refused for a missing or wrong token.
    pub refused: AtomicU64,
}

/// What "now" is: the wall clock, or a fixed instant for reproducible demos and tests.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    Wall,
    Fixed(i64),
}

impl Sim {
    pub fn new(seed: u64, devices: u32, clock: Clock) -> Sim {
        Sim {
            fleet: sim::Fleet::new(seed, devices),
            anomalies: RwLock::new(Vec::new()),
            latency_ms: AtomicU64::new(0),
            stats: Stats::default(),
            clock,
        }
    }

    pub fn now(&self) -> i64 {
        match self.clock {
            Clock::Fixed(t) => t,
            Clock::Wall => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
        }
    }

    fn anomalies(&self) -> RwLockReadGuard<'_, Vec<sim::Anomaly>> {
        self.anomalies.read().expect("anomalies lock")
    }
}

#[derive(Clone)]
struct AppState {
    sim: Arc<Sim>,
    token_digest: [u8; 32],
}

/// The HTTP service: `/graphql` (POST queries and mutations; GET upgrades to a graphql-ws
/// subscription), `/metrics` (Prometheus text) and `/healthz`.
pub fn router(sim: Arc<Sim>, token: &str) -> Router {
    let schema = schema::build(sim.clone());
    let state = AppState {
        sim,
        token_digest: Sha256::digest(token.as_bytes()).into(),
    };
    let protected = Router::new()
        .route(
            "/graphql",
            get_service_ws(schema.clone()).post_service(GraphQL::new(schema)),
        )
        .route("/metrics", get(metrics))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_and_delay,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), require_token));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(protected)
        .with_state(state)
}

fn get_service_ws(schema: schema::DatagenSchema) -> axum::routing::MethodRouter<AppState> {
    axum::routing::get_service(GraphQLSubscription::new(schema))
}

async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if bearer_matches(request.headers(), &state.token_digest) {
        return next.run(request).await;
    }
    state.sim.stats.refused.fetch_add(1, Ordering::Relaxed);
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        "a bearer token is required (Authorization: Bearer <DATAGEN_TOKEN>)\n",
    )
        .into_response()
}

/// Compares digests, so the comparison takes the same time whatever the token sent.
fn bearer_matches(headers: &HeaderMap, digest: &[u8; 32]) -> bool {
    let Some(sent) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let sent: [u8; 32] = Sha256::digest(sent.trim().as_bytes()).into();
    sent.iter()
        .zip(digest)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

async fn count_and_delay(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.uri().path() == "/graphql" {
        state.sim.stats.requests.fetch_add(1, Ordering::Relaxed);
        let latency = state.sim.latency_ms.load(Ordering::Relaxed);
        if latency > 0 {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
    }
    next.run(request).await
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let s = &state.sim.stats;
    let body = format!(
        "# HELP datagen_graphql_requests_total GraphQL requests answered.\n\
         # TYPE datagen_graphql_requests_total counter\n\
         datagen_graphql_requests_total {}\n\
         # HELP datagen_points_served_total Readings served (series points and latest values).\n\
         # TYPE datagen_points_served_total counter\n\
         datagen_points_served_total {}\n\
         # HELP datagen_unauthorized_total Requests refused for a missing or wrong token.\n\
         # TYPE datagen_unauthorized_total counter\n\
         datagen_unauthorized_total {}\n\
         # HELP datagen_devices Devices in the simulated fleet.\n\
         # TYPE datagen_devices gauge\n\
         datagen_devices {}\n",
        s.requests.load(Ordering::Relaxed),
        s.points.load(Ordering::Relaxed),
        s.refused.load(Ordering::Relaxed),
        state.sim.fleet.devices().len(),
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
