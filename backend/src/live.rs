//! Live updates behind `/w/<slug>/live`.
//!
//! Readings: per workspace, one feed asks the data source for the latest readings of the
//! devices its watchers watch, once per interval (and at once when someone starts watching),
//! however many sockets watch. It publishes what it got as a snapshot in a `watch` channel,
//! which keeps only the newest: a slow socket skips to the latest readings, nothing queues.
//! Each socket then sends only what changed since its own last frame ([`Sent::changes`]).
//!
//! Events (a dashboard saved or deleted) go to every socket of the process through a bounded
//! broadcast channel; with PostgreSQL they also cross to the other server processes through
//! `LISTEN`/`NOTIFY`. A socket that falls behind, or a lost listener connection, turns into
//! [`Event::Resync`]: the pages load again rather than miss an edit.

use crate::connector::{workspace, Connector};
use crate::Db;
use model::data::LatestValue;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};

/// The PostgreSQL channel events cross processes on.
pub const CHANNEL: &str = "iot_rocket_live";

/// How often feeds ask the source, and how often sockets check that their session still lives.
#[derive(Clone, Copy, Debug)]
pub struct LiveSettings {
    pub interval: Duration,
    pub session_check: Duration,
}

impl Default for LiveSettings {
    fn default() -> Self {
        LiveSettings {
            interval: Duration::from_secs(2),
            session_check: Duration::from_secs(30),
        }
    }
}

/// Something every open page of a workspace should hear about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    DashboardChanged {
        workspace: String,
        id: String,
    },
    /// Events may have been missed (a slow socket, a lost listener): pages should load again.
    Resync,
}

impl Event {
    /// Whether a page of `workspace` should hear it.
    pub fn concerns(&self, workspace: &str) -> bool {
        match self {
            Event::DashboardChanged { workspace: w, .. } => w == workspace,
            Event::Resync => true,
        }
    }
}

/// What a NOTIFY carries: the event and the process that sent it (which has delivered it).
#[derive(Serialize, Deserialize)]
struct Notice {
    origin: String,
    event: Event,
}

/// The live hub of one server process.
#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

struct Inner {
    settings: LiveSettings,
    feeds: Mutex<HashMap<String, Weak<Feed>>>,
    events: broadcast::Sender<Event>,
    /// This process, in notices.
    origin: String,
    /// The control database, once events cross processes through it.
    shared: Mutex<Option<Db>>,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

impl Default for Live {
    fn default() -> Self {
        Live::new(LiveSettings::default())
    }
}

impl Live {
    pub fn new(settings: LiveSettings) -> Live {
        Live {
            inner: Arc::new(Inner {
                settings,
                feeds: Mutex::new(HashMap::new()),
                events: broadcast::channel(256).0,
                origin: uuid::Uuid::new_v4().simple().to_string(),
                shared: Mutex::new(None),
            }),
        }
    }

    pub fn settings(&self) -> LiveSettings {
        self.inner.settings
    }

    /// The events from now on.
    pub fn events(&self) -> broadcast::Receiver<Event> {
        self.inner.events.subscribe()
    }

    /// Tells every page of this process, and of the others when events are shared.
    pub fn publish(&self, event: Event) {
        // No receiver is no error: nobody has a page open.
        let _ = self.inner.events.send(event.clone());
        let shared = self.inner.shared.lock().expect("live lock").clone();
        if let Some(control) = shared {
            let notice = Notice {
                origin: self.inner.origin.clone(),
                event,
            };
            let payload = serde_json::to_string(&notice).expect("events serialise");
            tokio::spawn(async move {
                let sent = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(&payload)
                    .execute(control.pool())
                    .await;
                if let Err(e) = sent {
                    tracing::error!(error = %e, "could not tell the other server processes about an edit");
                }
            });
        }
    }

    /// Shares events with every server process of the PostgreSQL control database at `url`:
    /// listens on [`CHANNEL`] (returns once listening) and notifies there from now on.
    pub async fn share_through_postgres(
        &self,
        control: &Db,
        url: &str,
    ) -> Result<tokio::task::JoinHandle<()>, sqlx::Error> {
        let mut listener = sqlx::postgres::PgListener::connect(url).await?;
        listener.listen(CHANNEL).await?;
        *self.inner.shared.lock().expect("live lock") = Some(control.clone());
        let live = self.clone();
        Ok(tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => match serde_json::from_str::<Notice>(n.payload()) {
                        Ok(notice) if notice.origin == live.inner.origin => {}
                        Ok(notice) => {
                            let _ = live.inner.events.send(notice.event);
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "ignored a notice that does not parse")
                        }
                    },
                    Ok(None) => {
                        tracing::warn!("lost the connection that hears other server processes; pages will load again");
                        let _ = live.inner.events.send(Event::Resync);
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "cannot hear other server processes; retrying in 5 s");
                        tokio::time::sleep(Duration::from_secs(5)).await;
                    }
                }
            }
        }))
    }

    /// A watcher of `workspace`'s readings, sharing the workspace's feed (started if none runs).
    pub fn watcher(&self, workspace: &str, control: &Db, connector: &Arc<Connector>) -> Watcher {
        let mut feeds = self.inner.feeds.lock().expect("live lock");
        feeds.retain(|_, feed| feed.strong_count() > 0);
        let feed = match feeds.get(workspace).and_then(Weak::upgrade) {
            Some(feed) => feed,
            None => {
                let feed = Feed::start(
                    workspace,
                    control.clone(),
                    connector.clone(),
                    self.inner.settings.interval,
                );
                feeds.insert(workspace.to_string(), Arc::downgrade(&feed));
                feed
            }
        };
        let snapshot = feed.snapshot.subscribe();
        Watcher {
            feed,
            devices: Vec::new(),
            snapshot,
        }
    }

    /// Feeds running now (one per workspace with an open page).
    pub fn feeds(&self) -> usize {
        let feeds = self.inner.feeds.lock().expect("live lock");
        feeds.values().filter(|f| f.strong_count() > 0).count()
    }
}

/// The latest reading of each (device external id, metric) a feed watches.
#[derive(Debug, Default, PartialEq)]
pub struct Snapshot {
    pub readings: HashMap<(String, String), LatestValue>,
}

struct Feed {
    /// Devices (external ids) watched, and by how many watchers.
    interest: Mutex<HashMap<String, usize>>,
    wake: Arc<Notify>,
    snapshot: watch::Sender<Arc<Snapshot>>,
    task: Mutex<Option<tokio::task::AbortHandle>>,
}

impl Drop for Feed {
    fn drop(&mut self) {
        if let Some(task) = self.task.lock().expect("feed lock").take() {
            task.abort();
        }
    }
}

impl Feed {
    fn start(
        workspace: &str,
        control: Db,
        connector: Arc<Connector>,
        interval: Duration,
    ) -> Arc<Feed> {
        let feed = Arc::new(Feed {
            interest: Mutex::new(HashMap::new()),
            wake: Arc::new(Notify::new()),
            snapshot: watch::channel(Arc::new(Snapshot::default())).0,
            task: Mutex::new(None),
        });
        let weak = Arc::downgrade(&feed);
        let wake = feed.wake.clone();
        let workspace = workspace.to_string();
        let task = tokio::spawn(async move {
            let mut failing = false;
            loop {
                let Some(feed) = weak.upgrade() else { return };
                let devices: Vec<String> = {
                    let interest = feed.interest.lock().expect("feed lock");
                    let mut ids: Vec<String> = interest.keys().cloned().collect();
                    ids.sort();
                    ids
                };
                drop(feed);
                if !devices.is_empty() {
                    match read(&control, &connector, &workspace, &devices).await {
                        Ok(snapshot) => {
                            failing = false;
                            let Some(feed) = weak.upgrade() else { return };
                            feed.snapshot.send_if_modified(|current| {
                                let changed = **current != snapshot;
                                if changed {
                                    *current = Arc::new(snapshot);
                                }
                                changed
                            });
                        }
                        // Logged once per outage; the pages keep their last values.
                        Err(e) if !failing => {
                            failing = true;
                            tracing::warn!(%workspace, error = %e, "live readings unavailable");
                        }
                        Err(_) => {}
                    }
                }
                tokio::select! {
                    () = tokio::time::sleep(interval) => {}
                    () = wake.notified() => {}
                }
            }
        });
        *feed.task.lock().expect("feed lock") = Some(task.abort_handle());
        feed
    }

    /// Counts `by` more (or fewer) watchers of `devices`; answers whether a device nobody
    /// watched before is among them.
    fn add(&self, devices: &[String], by: isize) -> bool {
        let mut interest = self.interest.lock().expect("feed lock");
        let mut new = false;
        for d in devices {
            let count = interest.entry(d.clone()).or_default();
            new |= *count == 0 && by > 0;
            *count = count.saturating_add_signed(by);
            if *count == 0 {
                interest.remove(d);
            }
        }
        new
    }
}

async fn read(
    control: &Db,
    connector: &Connector,
    workspace: &str,
    devices: &[String],
) -> Result<Snapshot, String> {
    let scope = workspace::scope(control, workspace)
        .await
        .map_err(|e| e.to_string())?;
    let latest = connector
        .latest_now(&scope, devices)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Snapshot {
        readings: latest
            .into_iter()
            .map(|r| ((r.device.clone(), r.metric.clone()), r))
            .collect(),
    })
}

/// One socket's share of its workspace's feed.
pub struct Watcher {
    feed: Arc<Feed>,
    devices: Vec<String>,
    snapshot: watch::Receiver<Arc<Snapshot>>,
}

impl Watcher {
    /// Watches these devices (external ids) from now on, instead of the ones before. The feed
    /// reads at once when one of them was watched by nobody; otherwise what it holds is current
    /// (a thousand pages opening together cost one question, not a thousand).
    pub fn watch(&mut self, devices: Vec<String>) {
        let new = self.feed.add(&devices, 1);
        self.feed.add(&self.devices, -1);
        self.devices = devices;
        if new {
            self.feed.wake.notify_one();
        }
        // What the feed holds already counts as new to this watch.
        self.snapshot.mark_changed();
    }

    /// The newest snapshot, once one came that this watcher has not seen.
    pub async fn changed(&mut self) -> Arc<Snapshot> {
        if self.snapshot.changed().await.is_err() {
            // The feed is gone only when this watcher is: never while it waits.
            std::future::pending::<()>().await;
        }
        self.snapshot.borrow_and_update().clone()
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.feed.add(&self.devices, -1);
    }
}

/// What one socket has sent: the last (instant, value) of each (external id, metric), and
/// which of the snapshot's readings it should send at all.
#[derive(Debug, Default)]
pub struct Sent {
    /// External id → registry id, of the devices watched.
    pub devices: HashMap<String, String>,
    /// Metrics watched (all when empty).
    pub metrics: HashSet<String>,
    last: HashMap<(String, String), (i64, f64)>,
}

impl Sent {
    pub fn new(devices: HashMap<String, String>, metrics: HashSet<String>) -> Sent {
        Sent {
            devices,
            metrics,
            last: HashMap::new(),
        }
    }

    /// The readings of `snapshot` this socket watches and has not sent yet, newest only, with
    /// registry ids; remembers them as sent.
    pub fn changes(&mut self, snapshot: &Snapshot) -> Vec<LatestValue> {
        let mut out = Vec::new();
        for ((device, metric), r) in &snapshot.readings {
            let Some(registry_id) = self.devices.get(device) else {
                continue;
            };
            if !self.metrics.is_empty() && !self.metrics.contains(metric) {
                continue;
            }
            let key = (device.clone(), metric.clone());
            if self.last.get(&key) == Some(&(r.t, r.value)) {
                continue;
            }
            self.last.insert(key, (r.t, r.value));
            out.push(LatestValue {
                device: registry_id.clone(),
                ..r.clone()
            });
        }
        out.sort_by(|a, b| (&a.device, &a.metric).cmp(&(&b.device, &b.metric)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(values: &[(&str, &str, i64, f64)]) -> Snapshot {
        Snapshot {
            readings: values
                .iter()
                .map(|(d, m, t, v)| {
                    (
                        (d.to_string(), m.to_string()),
                        LatestValue {
                            device: d.to_string(),
                            metric: m.to_string(),
                            unit: "°C".into(),
                            t: *t,
                            value: *v,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn a_socket_gets_each_watched_reading_once_then_only_changes() {
        let mut sent = Sent::new(
            [("roof-1".to_string(), "r1".to_string())].into(),
            ["temperature".to_string()].into(),
        );
        let first = snapshot(&[
            ("roof-1", "temperature", 100, 12.5),
            ("roof-1", "humidity", 100, 40.0),
            ("cellar-2", "temperature", 100, 8.0),
        ]);
        let got = sent.changes(&first);
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].device.as_str(), got[0].value),
            ("r1", 12.5),
            "registry id, watched metric only"
        );
        assert!(sent.changes(&first).is_empty());
        // A new value at the same instant (a correction) is a change; so is a new instant.
        let corrected = snapshot(&[("roof-1", "temperature", 100, 48.0)]);
        assert_eq!(sent.changes(&corrected)[0].value, 48.0);
        let later = snapshot(&[("roof-1", "temperature", 160, 48.0)]);
        assert_eq!(sent.changes(&later)[0].t, 160);
    }

    #[test]
    fn every_metric_is_watched_when_none_is_named() {
        let mut sent = Sent::new([("a".to_string(), "A".to_string())].into(), HashSet::new());
        let got = sent.changes(&snapshot(&[("a", "x", 1, 1.0), ("a", "y", 1, 2.0)]));
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn only_a_device_nobody_watched_makes_the_feed_ask_at_once() {
        let feed = Feed {
            interest: Mutex::new(HashMap::new()),
            wake: Arc::new(Notify::new()),
            snapshot: watch::channel(Arc::new(Snapshot::default())).0,
            task: Mutex::new(None),
        };
        let roof = ["roof-1".to_string()];
        assert!(feed.add(&roof, 1), "the first watcher");
        assert!(!feed.add(&roof, 1), "a second page of the same device");
        assert!(!feed.add(&roof, -1));
        assert!(!feed.add(&roof, -1));
        assert!(
            feed.interest.lock().unwrap().is_empty(),
            "nobody watches it now"
        );
        assert!(feed.add(&roof, 1), "watched again");
    }

    #[test]
    fn events_concern_their_workspace_and_a_resync_every_one() {
        let e = Event::DashboardChanged {
            workspace: "w1".into(),
            id: "d".into(),
        };
        assert!(e.concerns("w1"));
        assert!(!e.concerns("w2"));
        assert!(Event::Resync.concerns("w2"));
    }
}
