//! Benchmark (not a test): the datagen's throughput and the connector's latency against a real
//! `iot-rocket-datagen` process. Prints figures; asserts nothing about time.
//!
//! cargo bench -p datagen --bench connector        (FLEET=100000 by default)

use backend::connector::{Connector, Limits, Scope, Settings, Source};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "bench-token-0123456789abcdef";
/// 2026-06-01T00:00:00Z: a fixed "now", so every run asks the same questions.
const NOW: i64 = 1_780_272_000;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1_000.0
}

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{what:<52} p50 {:>8.3} ms   p99 {:>8.3} ms   ({} calls)",
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples.len()
    );
}

async fn post(http: &reqwest::Client, url: &str, body: serde_json::Value) -> serde_json::Value {
    http.post(url)
        .bearer_auth(TOKEN)
        .json(&body)
        .send()
        .await
        .expect("datagen answers")
        .json()
        .await
        .expect("JSON")
}

async fn requests(http: &reqwest::Client, port: u16) -> u64 {
    let text = http
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|l| l.strip_prefix("datagen_graphql_requests_total "))
        .and_then(|v| v.trim().parse().ok())
        .expect("request counter")
}

#[tokio::main]
async fn main() {
    let fleet: u32 = std::env::var("FLEET")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_iot-rocket-datagen"))
        .env("DATAGEN_ADDR", format!("127.0.0.1:{port}"))
        .env("DATAGEN_TOKEN", TOKEN)
        .env("DATAGEN_DEVICES", fleet.to_string())
        .env("DATAGEN_NOW", NOW.to_string())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("datagen starts");
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(10));
    }
    println!(
        "datagen with {fleet} devices listening after {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let url = format!("http://127.0.0.1:{port}/graphql");
    let http = reqwest::Client::new();
    let page = post(
        &http,
        &url,
        serde_json::json!({ "query": "{ devices(limit: 1000) { items { id } } }" }),
    )
    .await;
    let ids: Vec<String> = page["data"]["devices"]["items"]
        .as_array()
        .expect("devices")
        .iter()
        .filter_map(|d| d["id"].as_str().map(str::to_string))
        .collect();

    // Datagen throughput: series of 10,000 points (one a minute), one client.
    let series = "query($d: ID!) { series(device: $d, metric: \"battery\", from: 1779672060, to: 1780272000, step: 60) { points { t v } } }";
    let t0 = Instant::now();
    let (mut points, mut n) = (0usize, 0usize);
    while t0.elapsed() < Duration::from_secs(3) {
        let body = serde_json::json!({ "query": series, "variables": { "d": ids[n % ids.len()] } });
        let answer = post(&http, &url, body).await;
        points += answer["data"]["series"]["points"]
            .as_array()
            .map_or(0, Vec::len);
        n += 1;
    }
    println!(
        "datagen series points served per second (1 client): {:.0} ({n} series)",
        points as f64 / t0.elapsed().as_secs_f64()
    );
    let latest = "query($d: [ID!]!) { latest(devices: $d) { device metric t value } }";
    let t0 = Instant::now();
    let answer = post(
        &http,
        &url,
        serde_json::json!({ "query": latest, "variables": { "d": ids } }),
    )
    .await;
    let values = answer["data"]["latest"].as_array().map_or(0, Vec::len);
    println!(
        "latest values of {} devices in one call: {values} values in {:.1} ms",
        ids.len(),
        t0.elapsed().as_secs_f64() * 1e3
    );

    let settings = |ttl| Settings {
        limits: Limits {
            timeout: Duration::from_secs(10),
            attempts: 3,
            max_bytes: 64 << 20,
        },
        cache_ttl: ttl,
        failure_ttl: Duration::from_secs(1),
        max_entries: 100_000,
    };
    let source = || Some(Source::new(&url, Some(TOKEN.into())).expect("source"));
    let connector = Connector::new(source(), settings(Duration::from_secs(60)));

    // Cold: every call a new question (a page of 50 devices; a 24 h chart of one metric).
    let (mut cold, mut cold_series) = (Vec::new(), Vec::new());
    for i in 0..200 {
        let page: Vec<String> = ids.iter().cycle().skip(i * 5).take(50).cloned().collect();
        let t = Instant::now();
        connector
            .latest(&Scope::of(&format!("ws{i}")), &page, None)
            .await
            .expect("latest");
        cold.push(t.elapsed());
        let t = Instant::now();
        connector
            .series(
                &Scope::of(&format!("ws{i}")),
                &ids[i % ids.len()],
                "battery",
                NOW - 86_400,
                NOW,
                600,
            )
            .await
            .expect("series");
        cold_series.push(t.elapsed());
    }
    report("connector latest, 50 devices, cold", cold);
    report(
        "connector series, 24 h to 600 points (LTTB), cold",
        cold_series,
    );
    let page: Vec<String> = ids.iter().take(50).cloned().collect();
    let mut cached = Vec::new();
    for _ in 0..10_000 {
        let t = Instant::now();
        connector
            .latest(&Scope::of("ws0"), &page, None)
            .await
            .expect("cached");
        cached.push(t.elapsed());
    }
    report("connector latest, 50 devices, cached", cached);

    // Coalescing: 1,000 identical questions at once on a source answering in 100 ms.
    let fresh = Arc::new(Connector::new(source(), settings(Duration::ZERO)));
    post(
        &http,
        &url,
        serde_json::json!({ "query": "mutation { setLatency(millis: 100) }" }),
    )
    .await;
    let before = requests(&http, port).await;
    let t0 = Instant::now();
    let asks: Vec<_> = (0..1_000)
        .map(|_| {
            let (c, page) = (fresh.clone(), page.clone());
            tokio::spawn(async move { c.latest(&Scope::of("ws-x"), &page, None).await.map(|_| ()) })
        })
        .collect();
    for ask in asks {
        ask.await.expect("task").expect("answer");
    }
    let upstream = requests(&http, port).await - before;
    println!(
        "1000 concurrent identical questions: {upstream} upstream call(s), {} saved, all answered in {:.0} ms",
        1_000 - upstream,
        t0.elapsed().as_secs_f64() * 1e3
    );
    child.kill().ok();
    child.wait().ok();
}
