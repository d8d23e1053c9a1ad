//! Live latency: how long a change at the data source takes to reach every open dashboard.
//!
//! The whole application runs in this process on SQLite, reading a datagen of 100 devices;
//! `SOCKETS` (default 1,000) WebSockets of one signed-in member watch the same battery. Each
//! round flips that battery at the datagen (a spike injected, then cleared) through its GraphQL
//! API and times, per socket, the moment the changed reading arrives. The time includes the
//! wait for the feed's next question (`LIVE_INTERVAL_MS`, default 250 here; 2,000 by default
//! in production), so the figures are printed beside the interval.
//!
//!   cargo bench -p server --bench live        # SOCKETS=1000 ROUNDS=20 LIVE_INTERVAL_MS=250

#[path = "../tests/common/mod.rs"]
mod common;

use common::{datagen_graphql, datagen_on, free_addr, TestApp};
use datagen::{Clock, Sim};
use futures_util::{SinkExt, StreamExt};
use model::dashboards::live::{ClientFrame, ServerFrame};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const TOKEN: &str = "bench-live-token";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(backend::testing::TestDb::run(
        backend::Engine::Sqlite,
        |t| async move { bench(t).await },
    ));
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn bench(t: backend::testing::TestDbRef) {
    let sockets = env_or("SOCKETS", 1000) as usize;
    let rounds = env_or("ROUNDS", 20) as usize;
    let interval = env_or("LIVE_INTERVAL_MS", 250);

    let sim = Arc::new(Sim::new(3, 100, Clock::Wall));
    let source = free_addr();
    let (_stop, _task) = datagen_on(sim.clone(), source, TOKEN).await;
    let app = TestApp::on(&t)
        .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
        .data_source(&format!("http://{source}/graphql"), TOKEN)
        .live(interval, 30)
        .build()
        .await;
    let ada = app.sign_in("acme", "ada@acme.example").await;
    let device = &sim.fleet.devices()[0];
    let res = app
        .call_as(
            "/api/register_discovered",
            &format!("slug=acme&ids={}", device.id),
            &ada,
        )
        .await;
    assert!(res.status.is_success(), "{}", res.body);
    let db = app.workspace_db("acme").await;
    let (registry_id,): (String,) = sqlx::query_as("SELECT id FROM devices")
        .fetch_one(db.pool())
        .await
        .expect("the device");
    let addr = app.serve().await;

    // Every socket reports (its index, when a reading arrived).
    let (arrived_tx, mut arrived) = mpsc::unbounded_channel::<(usize, Instant)>();
    let watch = serde_json::to_string(&ClientFrame::Watch {
        devices: vec![registry_id],
        metrics: vec!["battery".into()],
    })
    .unwrap();
    let started = Instant::now();
    let before_opening = app.services.connector.upstream_calls();
    let opening = Instant::now();
    for i in 0..sockets {
        let mut request = format!("ws://{addr}/w/acme/live")
            .into_client_request()
            .unwrap();
        request.headers_mut().insert("cookie", ada.parse().unwrap());
        let (mut ws, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the socket opens");
        ws.send(Message::Text(watch.clone().into())).await.unwrap();
        let tx = arrived_tx.clone();
        tokio::spawn(async move {
            while let Some(Ok(message)) = ws.next().await {
                if let Message::Text(text) = message {
                    if let Ok(ServerFrame::Readings { .. }) = serde_json::from_str(text.as_str()) {
                        let _ = tx.send((i, Instant::now()));
                    }
                }
            }
        });
    }
    // The first frame of each socket: the current value.
    for _ in 0..sockets {
        arrived.recv().await.expect("a first reading");
    }
    let opened = opening.elapsed();
    let calls_opening = app.services.connector.upstream_calls() - before_opening;

    let mut latencies = Vec::with_capacity(sockets * rounds);
    let mut spreads = Vec::with_capacity(rounds);
    for round in 0..rounds {
        // At a random moment of the feed's interval (else every change would come just after
        // a question, and wait the whole interval).
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos() as u64;
        tokio::time::sleep(Duration::from_millis(nanos % interval.max(1))).await;
        let query = if round % 2 == 0 {
            let from = (std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
                - 86_400) as i64;
            format!(
                "mutation {{ injectAnomaly(device: \"{}\", kind: SPIKE, metric: \"battery\", from: {from}) {{ from }} }}",
                device.id
            )
        } else {
            format!("mutation {{ clearAnomalies(device: \"{}\") }}", device.id)
        };
        datagen_graphql(source, TOKEN, &query).await;
        let changed = Instant::now();
        let mut seen = vec![false; sockets];
        let (mut first, mut last) = (None, changed);
        let mut count = 0;
        while count < sockets {
            let (i, at) = tokio::time::timeout(Duration::from_secs(30), arrived.recv())
                .await
                .expect("every socket hears of the change within 30 s")
                .expect("sockets report");
            if seen[i] {
                continue;
            }
            seen[i] = true;
            count += 1;
            latencies.push(at.saturating_duration_since(changed));
            first.get_or_insert(at);
            last = last.max(at);
        }
        spreads.push(last.saturating_duration_since(first.unwrap_or(changed)));
    }
    latencies.sort();
    spreads.sort();
    println!(
        "Live updates ({sockets} sockets watching one battery, {rounds} changes, LIVE_INTERVAL_MS={interval}, {} cores)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "  {sockets} sockets opened and given the current value in {}",
        ms(opened)
    );
    println!(
        "  datagen change to frame at each socket: p50 {}, p99 {}, max {}",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap())
    );
    println!(
        "  first to last socket of one change (fan-out): p50 {}, p99 {}",
        ms(percentile(&spreads, 0.5)),
        ms(percentile(&spreads, 0.99))
    );
    println!(
        "  questions to the source: {} while {sockets} sockets opened, {} in all ({:.1} s at one per interval)",
        calls_opening,
        app.services.connector.upstream_calls(),
        started.elapsed().as_secs_f64()
    );
}
