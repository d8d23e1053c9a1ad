//! The connector: how IoT Rocket reads device data from the startup's GraphQL API.
//!
//! Only the configured source is ever contacted, with queries written here: callers pass device
//! ids, metric names and instants, never a URL or a query. Answers are kept per workspace for a
//! few seconds, identical questions in flight share one upstream call, series are reduced to the
//! points a chart can show, and when the source fails the last good answer is served as stale.

mod client;
mod flight;
pub mod workspace;

pub use client::Limits;

use flight::{Flights, Value};
use futures_util::FutureExt;
use model::data::{Freshness, LatestValue, Series, SourceDevice, SourceDevicePage};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Most points asked of the source for one series, before reduction to the chart's width.
pub const MAX_SOURCE_POINTS: i64 = 5_000;
/// Most points a chart may ask for.
pub const MAX_CHART_POINTS: usize = 2_000;

/// Where device data comes from. The token is never printed or serialised.
#[derive(Clone)]
pub struct Source {
    pub url: Url,
    token: Option<String>,
}

impl Source {
    /// A source at `url` (http or https), with a bearer token when it needs one.
    pub fn new(url: &str, token: Option<String>) -> Result<Source, String> {
        let url = Url::parse(url)
            .map_err(|e| format!("the data source address {url:?} is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(format!(
                "the data source address {url} must be an http:// or https:// URL"
            ));
        }
        let token = token
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        Ok(Source { url, token })
    }
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("url", &self.url.as_str())
            .field("token", &self.token.as_ref().map(|_| "<secret>"))
            .finish()
    }
}

/// Whom a question is for: the workspace (its answers are kept apart from every other's), the
/// source it reads when it has its own (else the deployment's), and how the registry's device
/// ids read at that source.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub workspace: String,
    source: Option<Source>,
    /// Registry external id → id at the source; ids not in it are the same at both.
    id_map: Arc<std::collections::BTreeMap<String, String>>,
    /// The same map read the other way, for answers.
    reverse: Arc<std::collections::HashMap<String, String>>,
}

impl Scope {
    /// A workspace that reads the deployment's source with the registry's ids.
    pub fn of(workspace: &str) -> Scope {
        Scope {
            workspace: workspace.into(),
            ..Default::default()
        }
    }

    /// A workspace with a source of its own and, possibly, ids of its own there.
    pub fn with_source(
        workspace: &str,
        source: Source,
        id_map: std::collections::BTreeMap<String, String>,
    ) -> Scope {
        let reverse = id_map
            .iter()
            .map(|(registry, at_source)| (at_source.clone(), registry.clone()))
            .collect();
        Scope {
            workspace: workspace.into(),
            source: Some(source),
            id_map: Arc::new(id_map),
            reverse: Arc::new(reverse),
        }
    }

    fn to_source(&self, id: &str) -> String {
        self.id_map
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn to_registry(&self, source_id: &str) -> String {
        self.reverse
            .get(source_id)
            .cloned()
            .unwrap_or_else(|| source_id.to_string())
    }
}

/// Why the source gave no answer. Logged in full; people see [`SourceError::user_message`].
#[derive(Clone, Debug, thiserror::Error, PartialEq)]
pub enum SourceError {
    #[error("no data source is configured")]
    NotConfigured,
    #[error("the data source cannot be reached: {0}")]
    Unreachable(String),
    #[error("the data source did not answer within {0:?}")]
    Timeout(Duration),
    #[error("the data source refused our token (HTTP {0}); check DATA_SOURCE_TOKEN")]
    Refused(u16),
    #[error("the data source answered HTTP {0}")]
    Status(u16),
    #[error("the data source's answer is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the data source answered something unexpected: {0}")]
    Garbage(String),
    #[error("the data source refused the question: {0}")]
    Rejected(String),
}

impl SourceError {
    /// Worth trying again at once: the network or the source's own hiccup.
    fn is_transient(&self) -> bool {
        matches!(self, SourceError::Unreachable(_) | SourceError::Timeout(_))
            || matches!(self, SourceError::Status(s) if matches!(s, 429 | 502 | 503 | 504))
    }

    /// What a page says about it.
    pub fn user_message(&self) -> &'static str {
        "The data source is unavailable."
    }
}

/// An answer, shared with every caller that asked the same, and how fresh it is.
#[derive(Clone, Debug)]
pub struct Data<T> {
    pub value: Arc<T>,
    pub freshness: Freshness,
}

/// Tunables of the connector (see `DATA_SOURCE_*` in README.md).
#[derive(Clone, Debug)]
pub struct Settings {
    pub limits: Limits,
    /// How long an answer is reused.
    pub cache_ttl: Duration,
    /// After a failure, how long the same question is answered from memory (or as unavailable)
    /// without asking the source again.
    pub failure_ttl: Duration,
    /// Most answers remembered, all workspaces together.
    pub max_entries: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            limits: Limits {
                timeout: Duration::from_secs(3),
                attempts: 3,
                max_bytes: 8 << 20,
            },
            cache_ttl: Duration::from_secs(5),
            failure_ttl: Duration::from_secs(2),
            max_entries: 10_000,
        }
    }
}

/// What a device list asks the source for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeviceQuery {
    pub kind: Option<String>,
    pub search: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

pub struct Connector {
    http: reqwest::Client,
    source: Option<Source>,
    settings: Settings,
    flights: Flights,
    calls: Arc<AtomicU64>,
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connector")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Connector {
    pub fn new(source: Option<Source>, settings: Settings) -> Connector {
        let http = reqwest::Client::builder()
            .connect_timeout(settings.limits.timeout.min(Duration::from_secs(2)))
            // A source that redirects could send us anywhere: follow nothing.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("iot-rocket/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client builds with static settings");
        let flights = Flights::new(
            settings.cache_ttl,
            settings.failure_ttl,
            settings.max_entries,
        );
        Connector {
            http,
            source,
            settings,
            flights,
            calls: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The source `scope` reads: the workspace's own, else the deployment's.
    pub fn source_for<'a>(&'a self, scope: &'a Scope) -> Option<&'a Source> {
        scope.source.as_ref().or(self.source.as_ref())
    }

    pub fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }

    /// Calls made to the source so far (cache hits and coalesced questions do not count).
    pub fn upstream_calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// A page of the source's devices.
    pub async fn devices(
        &self,
        scope: &Scope,
        query: &DeviceQuery,
    ) -> Result<Data<SourceDevicePage>, SourceError> {
        #[derive(Deserialize)]
        struct Answer {
            devices: SourceDevicePage,
        }
        let variables = serde_json::json!({
            "kind": query.kind, "search": query.search,
            "offset": query.offset, "limit": query.limit.clamp(1, 1_000),
        });
        let names = scope.clone();
        self.ask::<Answer, _>(scope, "devices", DEVICES, variables, move |mut a| {
            for device in &mut a.devices.items {
                device.id = names.to_registry(&device.id);
            }
            a.devices
        })
        .await
    }

    /// Asks the workspace's source, past the cache, how many devices it has: whether it answers
    /// at all, for operators setting it up.
    pub async fn check(&self, scope: &Scope) -> Result<u32, SourceError> {
        #[derive(Deserialize)]
        struct Answer {
            devices: SourceDevicePage,
        }
        let Some(source) = self.source_for(scope).cloned() else {
            return Err(SourceError::NotConfigured);
        };
        let variables = serde_json::json!({ "offset": 0, "limit": 1 });
        self.calls.fetch_add(1, Ordering::Relaxed);
        let answer: Answer = client::call(
            &self.http,
            &source,
            &self.settings.limits,
            DEVICES,
            &variables,
        )
        .await?;
        Ok(answer.devices.total)
    }

    /// One device, or `None` when the source does not know it.
    pub async fn device(
        &self,
        scope: &Scope,
        id: &str,
    ) -> Result<Data<Option<SourceDevice>>, SourceError> {
        #[derive(Deserialize)]
        struct Answer {
            device: Option<SourceDevice>,
        }
        let registry_id = id.to_string();
        let variables = serde_json::json!({ "id": scope.to_source(id) });
        self.ask::<Answer, _>(scope, "device", DEVICE, variables, move |a| {
            a.device.map(|d| SourceDevice {
                id: registry_id,
                ..d
            })
        })
        .await
    }

    /// The latest value of each metric (all, or those named) of each device, in one call.
    pub async fn latest(
        &self,
        scope: &Scope,
        devices: &[String],
        metrics: Option<&[String]>,
    ) -> Result<Data<Vec<LatestValue>>, SourceError> {
        #[derive(Deserialize)]
        struct Answer {
            latest: Vec<LatestValue>,
        }
        let at_source: Vec<String> = devices.iter().map(|d| scope.to_source(d)).collect();
        let variables = serde_json::json!({ "devices": at_source, "metrics": metrics });
        let names = scope.clone();
        self.ask::<Answer, _>(scope, "latest", LATEST, variables, move |mut a| {
            for value in &mut a.latest {
                value.device = names.to_registry(&value.device);
            }
            a.latest
        })
        .await
    }

    /// The latest readings of `devices` asked of the source now, past the cache: what a live
    /// feed (one per workspace, whatever the number of pages open) polls.
    pub async fn latest_now(
        &self,
        scope: &Scope,
        devices: &[String],
    ) -> Result<Vec<LatestValue>, SourceError> {
        #[derive(Deserialize)]
        struct Answer {
            latest: Vec<LatestValue>,
        }
        let Some(source) = self.source_for(scope).cloned() else {
            return Err(SourceError::NotConfigured);
        };
        let at_source: Vec<String> = devices.iter().map(|d| scope.to_source(d)).collect();
        let variables = serde_json::json!({ "devices": at_source, "metrics": null });
        self.calls.fetch_add(1, Ordering::Relaxed);
        let answer: Answer = client::call(
            &self.http,
            &source,
            &self.settings.limits,
            LATEST,
            &variables,
        )
        .await?;
        Ok(answer
            .latest
            .into_iter()
            .map(|mut value| {
                value.device = scope.to_registry(&value.device);
                value
            })
            .collect())
    }

    /// `metric` of `device` between `from` and `to` (Unix seconds), reduced to at most
    /// `max_points` points (LTTB). The range is aligned to the step it is read at, so that
    /// viewers of "the last hour" a few seconds apart share one answer.
    pub async fn series(
        &self,
        scope: &Scope,
        device: &str,
        metric: &str,
        from: i64,
        to: i64,
        max_points: usize,
    ) -> Result<Data<Series>, SourceError> {
        #[derive(Deserialize)]
        struct Answer {
            series: RawSeries,
        }
        #[derive(Deserialize)]
        struct RawSeries {
            metric: String,
            unit: String,
            points: Vec<RawPoint>,
        }
        #[derive(Deserialize)]
        struct RawPoint {
            t: i64,
            v: f64,
        }
        if to < from {
            return Err(SourceError::Rejected(
                "the range ends before it starts".into(),
            ));
        }
        let max_points = max_points.clamp(2, MAX_CHART_POINTS);
        let (from, to, step) = source_range(from, to, max_points);
        let variables = serde_json::json!({
            "device": scope.to_source(device), "metric": metric, "from": from, "to": to, "step": step,
        });
        let name = format!("series {max_points}");
        let registry_id = device.to_string();
        self.ask::<Answer, _>(scope, &name, SERIES, variables, move |a| {
            let points: Vec<_> = a.series.points.into_iter().map(|p| (p.t, p.v)).collect();
            Series {
                device: registry_id,
                metric: a.series.metric,
                unit: a.series.unit,
                points: model::data::lttb(&points, max_points),
            }
        })
        .await
    }

    /// Asks the source (or memory) and shapes the answer; `name` and `variables` make the key.
    async fn ask<A, T>(
        &self,
        scope: &Scope,
        name: &str,
        query: &'static str,
        variables: serde_json::Value,
        shape: impl FnOnce(A) -> T + Send + 'static,
    ) -> Result<Data<T>, SourceError>
    where
        A: DeserializeOwned + Send + 'static,
        T: Send + Sync + 'static,
    {
        let Some(source) = self.source_for(scope).cloned() else {
            return Err(SourceError::NotConfigured);
        };
        let key = format!(
            "{}\u{0}{}\u{0}{name}\u{0}{variables}",
            scope.workspace, source.url
        );
        let (http, limits, calls) = (
            self.http.clone(),
            self.settings.limits.clone(),
            self.calls.clone(),
        );
        let answer = self
            .flights
            .get(key, move || {
                async move {
                    calls.fetch_add(1, Ordering::Relaxed);
                    let answer: A =
                        client::call(&http, &source, &limits, query, &variables).await?;
                    Ok(Arc::new(shape(answer)) as Value)
                }
                .boxed()
            })
            .await
            .inspect_err(|e| tracing::warn!(error = %e, query = name, "data source call failed"))?;
        let value = answer
            .good
            .value
            .downcast::<T>()
            .expect("one key always holds the same type: the name is part of it");
        Ok(Data {
            value,
            freshness: Freshness {
                fetched_at: answer.good.fetched_at,
                stale: answer.stale,
            },
        })
    }
}

/// The range and step to ask the source for: at most four source points per chart point (so
/// LTTB has peaks to choose from) and at most [`MAX_SOURCE_POINTS`]; both ends aligned to the step.
fn source_range(from: i64, to: i64, max_points: usize) -> (i64, i64, i64) {
    let wanted = (max_points as i64 * 4).min(MAX_SOURCE_POINTS);
    let span = (to - from).max(1);
    let step = ((span + wanted - 2) / (wanted - 1)).max(1);
    (
        from.div_euclid(step) * step,
        to.div_euclid(step) * step,
        step,
    )
}

const DEVICES: &str = "query Devices($kind: DeviceKind, $search: String, $offset: Int!, $limit: Int!) { devices(kind: $kind, search: $search, offset: $offset, limit: $limit) { total items { id name kind latitude longitude firmware tags metrics { name unit } lastSeen } } }";
const DEVICE: &str = "query Device($id: ID!) { device(id: $id) { id name kind latitude longitude firmware tags metrics { name unit } lastSeen } }";
const LATEST: &str = "query Latest($devices: [ID!]!, $metrics: [String!]) { latest(devices: $devices, metrics: $metrics) { device metric unit t value } }";
const SERIES: &str = "query Series($device: ID!, $metric: String!, $from: Int!, $to: Int!, $step: Int!) { series(device: $device, metric: $metric, from: $from, to: $to, step: $step) { device metric unit points { t v } } }";
