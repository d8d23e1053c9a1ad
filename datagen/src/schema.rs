//! The GraphQL schema over the simulated fleet. Times are Unix seconds (UTC).

use crate::sim::{self, Anomaly, Metric};
use crate::Sim;
use async_graphql::{
    ComplexObject, Context, Enum, Error, Object, Result, Schema, SimpleObject, Subscription, ID,
};
use futures_util::Stream;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

/// Most points one series answer may hold: ask for a larger step beyond that.
pub const MAX_POINTS: i64 = 10_000;
/// Most (device, metric) pairs one `latest` call or subscription may ask for.
pub const MAX_PAIRS: usize = 100_000;
/// Most devices one page of `devices` may hold.
pub const MAX_PAGE: i32 = 1_000;

pub type DatagenSchema = Schema<Query, Mutation, Subscription>;

pub fn build(sim: Arc<Sim>) -> DatagenSchema {
    Schema::build(Query, Mutation, Subscription)
        .data(sim)
        .limit_depth(8)
        .finish()
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum DeviceKind {
    WeatherStation,
    GpsTracker,
    EnergyMeter,
}

impl From<sim::Kind> for DeviceKind {
    fn from(kind: sim::Kind) -> Self {
        match kind {
            sim::Kind::WeatherStation => DeviceKind::WeatherStation,
            sim::Kind::GpsTracker => DeviceKind::GpsTracker,
            sim::Kind::EnergyMeter => DeviceKind::EnergyMeter,
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AnomalyKind {
    Spike,
    FlatLine,
    Outage,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct MetricInfo {
    pub name: String,
    pub unit: String,
}

#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct Device {
    pub id: ID,
    pub name: String,
    pub kind: DeviceKind,
    pub latitude: f64,
    pub longitude: f64,
    pub firmware: String,
    pub tags: Vec<String>,
    pub metrics: Vec<MetricInfo>,
    #[graphql(skip)]
    index: u32,
}

#[ComplexObject]
impl Device {
    /// When the device last reported (Unix seconds), if ever.
    async fn last_seen(&self, ctx: &Context<'_>) -> Option<i64> {
        let sim = ctx.data_unchecked::<Arc<Sim>>();
        let device = &sim.fleet.devices()[self.index as usize];
        let anomalies = sim.anomalies();
        device
            .kind
            .metrics()
            .iter()
            .filter_map(|&m| sim.fleet.latest(device, m, sim.now(), &anomalies))
            .map(|(t, _)| t)
            .max()
    }
}

impl Device {
    fn of(device: &sim::Device) -> Device {
        Device {
            id: ID(device.id.clone()),
            name: device.name.clone(),
            kind: device.kind.into(),
            latitude: device.latitude,
            longitude: device.longitude,
            firmware: device.firmware.clone(),
            tags: vec![device.city.to_string(), device.kind.label().to_string()],
            metrics: device
                .kind
                .metrics()
                .iter()
                .map(|m| MetricInfo {
                    name: m.name().into(),
                    unit: m.unit().into(),
                })
                .collect(),
            index: device.index,
        }
    }
}

#[derive(SimpleObject, Debug)]
pub struct DevicePage {
    /// Devices matching the filter, on every page.
    pub total: i32,
    pub items: Vec<Device>,
}

#[derive(SimpleObject, Debug)]
pub struct Point {
    pub t: i64,
    pub v: f64,
}

#[derive(SimpleObject, Debug)]
pub struct Series {
    pub device: ID,
    pub metric: String,
    pub unit: String,
    /// One point per step that falls on a reading; steps inside an outage have none.
    pub points: Vec<Point>,
}

#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Reading {
    pub device: ID,
    pub metric: String,
    pub unit: String,
    /// Instant of the reading (Unix seconds).
    pub t: i64,
    pub value: f64,
}

#[derive(SimpleObject, Debug)]
pub struct InjectedAnomaly {
    pub device: ID,
    pub metric: Option<String>,
    pub kind: AnomalyKind,
    pub from: i64,
    pub until: Option<i64>,
}

pub struct Query;

#[Object]
impl Query {
    /// Devices, optionally of one kind and whose id or name contains `search` (any case),
    /// `limit` (default 100, at most 1000) from `offset` (default 0) in id order.
    async fn devices(
        &self,
        ctx: &Context<'_>,
        kind: Option<DeviceKind>,
        search: Option<String>,
        offset: Option<i32>,
        limit: Option<i32>,
    ) -> Result<DevicePage> {
        let (offset, limit) = (offset.unwrap_or(0), limit.unwrap_or(100));
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(Error::new(format!(
                "limit must be between 1 and {MAX_PAGE}"
            )));
        }
        if offset < 0 {
            return Err(Error::new("offset must not be negative"));
        }
        let sim = ctx.data_unchecked::<Arc<Sim>>();
        let needle = search.map(|s| s.to_lowercase());
        let matching = sim.fleet.devices().iter().filter(|d| {
            kind.is_none_or(|k| DeviceKind::from(d.kind) == k)
                && needle.as_ref().is_none_or(|n| {
                    d.id.contains(n.as_str()) || d.name.to_lowercase().contains(n.as_str())
                })
        });
        let mut total = 0;
        let mut items = Vec::new();
        for device in matching {
            if total >= offset && items.len() < limit as usize {
                items.push(Device::of(device));
            }
            total += 1;
        }
        Ok(DevicePage { total, items })
    }

    async fn device(&self, ctx: &Context<'_>, id: ID) -> Option<Device> {
        let sim = ctx.data_unchecked::<Arc<Sim>>();
        sim.fleet.find(&id).map(Device::of)
    }

    /// `metric` of `device` at `from`, `from + step`, … up to `to` (at most 10,000 points).
    async fn series(
        &self,
        ctx: &Context<'_>,
        device: ID,
        metric: String,
        from: i64,
        to: i64,
        step: i64,
    ) -> Result<Series> {
        let sim = ctx.data_unchecked::<Arc<Sim>>();
        let found = sim
            .fleet
            .find(&device)
            .ok_or_else(|| Error::new(format!("no device {}", device.as_str())))?;
        let m = Metric::parse(&metric)
            .filter(|m| found.kind.metrics().contains(m))
            .ok_or_else(|| Error::new(format!("device {} has no metric {metric}", found.id)))?;
        if step < 1 {
            return Err(Error::new("step must be at least 1 second"));
        }
        if to < from {
            return Err(Error::new("`to` is before `from`"));
        }
        let count = (to - from) / step + 1;
        if count > MAX_POINTS {
            return Err(Error::new(format!(
                "{count} points asked; at most {MAX_POINTS}: use a larger step"
            )));
        }
        let anomalies = sim.anomalies();
        let points: Vec<Point> = (0..count)
            .map(|k| from + k * step)
            .filter_map(|t| {
                sim.fleet
                    .reading(found, m, t, &anomalies)
                    .map(|v| Point { t, v })
            })
            .collect();
        sim.stats
            .points
            .fetch_add(points.len() as u64, Ordering::Relaxed);
        Ok(Series {
            device,
            metric,
            unit: m.unit().into(),
            points,
        })
    }

    /// The latest reading of each metric (all of a device's, or those named) of each device,
    /// as of `at` (default: now). Unknown devices and metrics a device lacks are left out.
    async fn latest(
        &self,
        ctx: &Context<'_>,
        devices: Vec<ID>,
        metrics: Option<Vec<String>>,
        at: Option<i64>,
    ) -> Result<Vec<Reading>> {
        let sim = ctx.data_unchecked::<Arc<Sim>>();
        let readings = sim.latest(
            &devices,
            metrics.as_deref(),
            at.unwrap_or_else(|| sim.now()),
        )?;
        sim.stats
            .points
            .fetch_add(readings.len() as u64, Ordering::Relaxed);
        Ok(readings)
    }
}

pub struct Mutation;

#[Object]
impl Mutation {
    /// Makes `device` (one metric, or all) misbehave from `from` (default now) until `until`
    /// (default: until cleared).
    async fn inject_anomaly(
        &self,
        ctx: &Context<'_>,
        device: ID,
        kind: AnomalyKind,
        metric: Option<String>,
        from: Option<i64>,
        until: Option<i64>,
    ) -> Result<InjectedAnomaly> {
        let sim = ctx.data_unchecked::<Arc<Sim>>();
        let found = sim
            .fleet
            .find(&device)
            .ok_or_else(|| Error::new(format!("no device {}", device.as_str())))?;
        let m = match &metric {
            None => None,
            Some(name) => Some(
                Metric::parse(name)
                    .filter(|m| found.kind.metrics().contains(m))
                    .ok_or_else(|| {
                        Error::new(format!("device {} has no metric {name}", found.id))
                    })?,
            ),
        };
        let from = from.unwrap_or_else(|| sim.now());
        if until.is_some_and(|u| u <= from) {
            return Err(Error::new("`until` must be after `from`"));
        }
        let anomaly = Anomaly {
            device: found.index,
            metric: m,
            kind: match kind {
                AnomalyKind::Spike => sim::AnomalyKind::Spike,
                AnomalyKind::FlatLine => sim::AnomalyKind::FlatLine,
                AnomalyKind::Outage => sim::AnomalyKind::Outage,
            },
            from,
            until,
        };
        sim.anomalies.write().expect("anomalies lock").push(anomaly);
        tracing::info!(device = %found.id, ?kind, ?metric, from, ?until, "anomaly injected");
        Ok(InjectedAnomaly {
            device,
            metric,
            kind,
            from,
            until,
        })
    }

    /// Removes the anomalies of `device` (or of every device); answers how many were removed.
    async fn clear_anomalies(&self, ctx: &Context<'_>, device: Option<ID>) -> Result<i32> {
        let sim = ctx.data_unchecked::<Arc<Sim>>();
        let index = match &device {
            None => None,
            Some(id) => Some(
                sim.fleet
                    .find(id)
                    .ok_or_else(|| Error::new(format!("no device {}", id.as_str())))?
                    .index,
            ),
        };
        let mut anomalies = sim.anomalies.write().expect("anomalies lock");
        let before = anomalies.len();
        anomalies.retain(|a| index.is_some_and(|i| a.device != i));
        Ok((before - anomalies.len()) as i32)
    }

    /// Delays every GraphQL answer by `millis` (0 to 60,000), to show what a slow source does.
    async fn set_latency(&self, ctx: &Context<'_>, millis: i32) -> Result<i32> {
        if !(0..=60_000).contains(&millis) {
            return Err(Error::new("millis must be between 0 and 60000"));
        }
        let sim = ctx.data_unchecked::<Arc<Sim>>();
        sim.latency_ms.store(millis as u64, Ordering::Relaxed);
        Ok(millis)
    }
}

pub struct Subscription;

#[Subscription]
impl Subscription {
    /// The latest reading of each (device, metric) at once, then each new reading as it comes.
    async fn readings(
        &self,
        ctx: &Context<'_>,
        devices: Vec<ID>,
        metrics: Option<Vec<String>>,
    ) -> Result<impl Stream<Item = Reading>> {
        let sim = ctx.data_unchecked::<Arc<Sim>>().clone();
        // Validate once, up front, so a bad subscription fails at once.
        sim.latest(&devices, metrics.as_deref(), sim.now())?;
        let state = (
            sim,
            devices,
            metrics,
            HashMap::<(String, String), i64>::new(),
            Vec::new(),
        );
        Ok(futures_util::stream::unfold(
            state,
            |(sim, devices, metrics, mut seen, mut queue)| async move {
                loop {
                    if let Some(reading) = queue.pop() {
                        return Some((reading, (sim, devices, metrics, seen, queue)));
                    }
                    if !seen.is_empty() {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    let now = sim.now();
                    let readings = sim
                        .latest(&devices, metrics.as_deref(), now)
                        .unwrap_or_default();
                    for reading in readings {
                        let key = (reading.device.to_string(), reading.metric.clone());
                        if seen.get(&key) != Some(&reading.t) {
                            seen.insert(key, reading.t);
                            queue.push(reading);
                        }
                    }
                    if seen.is_empty() {
                        // Nothing ever reported: wait before asking again.
                        seen.insert((String::new(), String::new()), 0);
                    }
                }
            },
        ))
    }
}

impl Sim {
    fn latest(&self, devices: &[ID], metrics: Option<&[String]>, at: i64) -> Result<Vec<Reading>> {
        let wanted: Option<Vec<Metric>> = match metrics {
            None => None,
            Some(names) => Some(
                names
                    .iter()
                    .map(|n| Metric::parse(n).ok_or_else(|| Error::new(format!("no metric {n}"))))
                    .collect::<Result<_>>()?,
            ),
        };
        let pairs = devices.len() * wanted.as_ref().map_or(6, Vec::len);
        if pairs > MAX_PAIRS {
            return Err(Error::new(format!(
                "{pairs} device and metric pairs asked; at most {MAX_PAIRS} in one call"
            )));
        }
        let anomalies = self.anomalies();
        let mut readings = Vec::new();
        for id in devices {
            let Some(device) = self.fleet.find(id) else {
                continue;
            };
            let metrics = wanted.as_deref().unwrap_or(device.kind.metrics());
            for &metric in metrics {
                if let Some((t, value)) = self.fleet.latest(device, metric, at, &anomalies) {
                    readings.push(Reading {
                        device: id.clone(),
                        metric: metric.name().into(),
                        unit: metric.unit().into(),
                        t,
                        value,
                    });
                }
            }
        }
        Ok(readings)
    }
}
