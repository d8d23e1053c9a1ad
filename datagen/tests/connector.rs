//! The connector (backend::connector) against a real `iot-rocket-datagen` process: the numbers
//! it brings are the simulation's, identical questions share one upstream call (counted by the
//! datagen's own /metrics), and a slow, dead, lying or redirecting source fails cleanly.

use backend::connector::{Connector, Limits, Scope, Settings, Source, SourceError};
use datagen::sim::{Fleet, Kind, Metric};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "connector-test-token-0123456789";
const SEED: u64 = 11;
const DEVICES: u32 = 40;
/// 2026-06-01T08:00:00Z
const NOW: i64 = 1_780_300_800;

struct Datagen {
    child: Child,
    port: u16,
}

impl Datagen {
    fn start() -> Datagen {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Datagen::on(port)
    }

    fn on(port: u16) -> Datagen {
        let child = Command::new(env!("CARGO_BIN_EXE_iot-rocket-datagen"))
            .env("DATAGEN_ADDR", format!("127.0.0.1:{port}"))
            .env("DATAGEN_TOKEN", TOKEN)
            .env("DATAGEN_SEED", SEED.to_string())
            .env("DATAGEN_DEVICES", DEVICES.to_string())
            .env("DATAGEN_NOW", NOW.to_string())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("iot-rocket-datagen starts");
        let datagen = Datagen { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "datagen did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        datagen
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/graphql", self.port)
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    async fn requests(&self) -> u64 {
        let text = reqwest::Client::new()
            .get(format!("http://127.0.0.1:{}/metrics", self.port))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("datagen_graphql_requests_total "))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    async fn mutate(&self, query: &str) {
        let answer: serde_json::Value = reqwest::Client::new()
            .post(self.url())
            .bearer_auth(TOKEN)
            .json(&serde_json::json!({ "query": query }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(answer.get("errors").is_none(), "{answer}");
    }
}

impl Drop for Datagen {
    fn drop(&mut self) {
        self.kill();
    }
}

fn settings(ttl: Duration) -> Settings {
    Settings {
        limits: Limits {
            timeout: Duration::from_secs(3),
            attempts: 3,
            max_bytes: 8 << 20,
        },
        cache_ttl: ttl,
        failure_ttl: Duration::from_millis(200),
        max_entries: 1_000,
    }
}

fn connector(url: &str, token: &str, settings: Settings) -> Connector {
    Connector::new(
        Some(Source::new(url, Some(token.into())).unwrap()),
        settings,
    )
}

fn fleet() -> Fleet {
    Fleet::new(SEED, DEVICES)
}

#[tokio::test]
async fn devices_latest_values_and_series_are_the_simulations_numbers() {
    let datagen = Datagen::start();
    let c = connector(&datagen.url(), TOKEN, settings(Duration::from_secs(5)));
    let fleet = fleet();
    let page = c
        .devices(&Scope::of("ws1"), &Default::default())
        .await
        .unwrap();
    assert_eq!(page.value.total, DEVICES);
    let first = &page.value.items[0];
    assert_eq!(first.id, fleet.devices()[0].id);
    assert_eq!(first.latitude, Some(fleet.devices()[0].latitude));
    assert!(!page.freshness.stale);

    let station = fleet
        .devices()
        .iter()
        .find(|d| d.kind == Kind::WeatherStation)
        .unwrap();
    let ids = vec![station.id.clone()];
    let latest = c.latest(&Scope::of("ws1"), &ids, None).await.unwrap();
    assert_eq!(latest.value.len(), Kind::WeatherStation.metrics().len());
    for value in latest.value.iter() {
        let metric = Metric::parse(&value.metric).unwrap();
        assert_eq!(
            fleet.latest(station, metric, NOW, &[]),
            Some((value.t, value.value))
        );
        assert_eq!(value.unit, metric.unit());
    }

    // A week at one-minute readings is 10,080 readings: the connector asks for at most 4 per
    // chart point and reduces to the chart's 300 with LTTB, keeping the first and last.
    let from = NOW - 7 * 86_400;
    let series = c
        .series(
            &Scope::of("ws1"),
            &station.id,
            "temperature",
            from,
            NOW,
            300,
        )
        .await
        .unwrap();
    assert!(
        series.value.points.len() <= 300 && series.value.points.len() > 250,
        "{}",
        series.value.points.len()
    );
    for &(t, v) in &series.value.points {
        assert_eq!(
            fleet.reading(station, Metric::Temperature, t, &[]),
            Some(v),
            "at {t}"
        );
    }
    let again = c
        .series(
            &Scope::of("ws1"),
            &station.id,
            "temperature",
            from + 5,
            NOW + 5,
            300,
        )
        .await
        .unwrap();
    assert!(
        Arc::ptr_eq(&series.value, &again.value),
        "a range a few seconds later shares the answer"
    );

    let unknown = c
        .series(&Scope::of("ws1"), "wx-99999", "temperature", from, NOW, 300)
        .await;
    assert!(matches!(unknown, Err(SourceError::Rejected(m)) if m.contains("no device")));
    let device = c.device(&Scope::of("ws1"), "wx-99999").await.unwrap();
    assert_eq!(*device.value, None);
}

#[tokio::test]
async fn a_hundred_identical_concurrent_questions_make_one_upstream_call() {
    let datagen = Datagen::start();
    let c = Arc::new(connector(
        &datagen.url(),
        TOKEN,
        settings(Duration::from_secs(30)),
    ));
    // A slow source makes sure the hundred questions overlap.
    datagen.mutate("mutation { setLatency(millis: 300) }").await;
    let before = datagen.requests().await;
    let ids: Vec<String> = fleet().devices().iter().map(|d| d.id.clone()).collect();
    let asks: Vec<_> = (0..100)
        .map(|_| {
            let (c, ids) = (c.clone(), ids.clone());
            tokio::spawn(async move { c.latest(&Scope::of("ws1"), &ids, None).await.unwrap() })
        })
        .collect();
    let mut answers = Vec::new();
    for ask in asks {
        answers.push(ask.await.unwrap());
    }
    assert_eq!(
        datagen.requests().await - before,
        1,
        "one upstream call for 100 questions"
    );
    assert!(answers
        .iter()
        .all(|a| Arc::ptr_eq(&a.value, &answers[0].value)));
    // Another workspace does not share the first one's answers.
    c.latest(&Scope::of("ws2"), &ids, None).await.unwrap();
    assert_eq!(datagen.requests().await - before, 2);
    datagen.mutate("mutation { setLatency(millis: 0) }").await;
}

#[tokio::test]
async fn a_slow_source_times_out_within_the_deadline() {
    let datagen = Datagen::start();
    datagen
        .mutate("mutation { setLatency(millis: 5000) }")
        .await;
    let mut s = settings(Duration::ZERO);
    s.limits.timeout = Duration::from_millis(600);
    let c = connector(&datagen.url(), TOKEN, s);
    let started = Instant::now();
    let result = c.devices(&Scope::of("ws1"), &Default::default()).await;
    assert!(matches!(result, Err(SourceError::Timeout(_))), "{result:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_dead_source_serves_the_last_answer_as_stale_and_a_restarted_one_recovers() {
    let mut datagen = Datagen::start();
    let port = datagen.port;
    let c = connector(&datagen.url(), TOKEN, settings(Duration::ZERO));
    let ids = vec![fleet().devices()[0].id.clone()];
    let fresh = c.latest(&Scope::of("ws1"), &ids, None).await.unwrap();
    assert!(!fresh.freshness.stale);

    datagen.kill();
    let stale = c.latest(&Scope::of("ws1"), &ids, None).await.unwrap();
    assert!(stale.freshness.stale, "the last good answer, marked stale");
    assert_eq!(stale.value, fresh.value);
    assert_eq!(stale.freshness.fetched_at, fresh.freshness.fetched_at);
    let never_asked = c.devices(&Scope::of("ws1"), &Default::default()).await;
    assert!(
        matches!(never_asked, Err(SourceError::Unreachable(_))),
        "{never_asked:?}"
    );
    assert_eq!(
        never_asked.unwrap_err().user_message(),
        "The data source is unavailable."
    );

    let _restarted = Datagen::on(port);
    // The failing source rests for 200 ms (failure_ttl); ask until it is asked again.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let answer = c.latest(&Scope::of("ws1"), &ids, None).await.unwrap();
        if !answer.freshness.stale {
            break;
        }
        assert!(Instant::now() < deadline, "the same connector recovers");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The question that had no answer yet recovers too, once its own rest is over.
    while c
        .devices(&Scope::of("ws1"), &Default::default())
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "the device list recovers");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_wrong_token_and_an_oversized_answer_are_refused() {
    let datagen = Datagen::start();
    let wrong = connector(
        &datagen.url(),
        "not-the-token-at-all-000",
        settings(Duration::ZERO),
    );
    assert!(matches!(
        wrong.devices(&Scope::of("ws1"), &Default::default()).await,
        Err(SourceError::Refused(401))
    ));
    let mut small = settings(Duration::ZERO);
    small.limits.max_bytes = 2_000;
    let capped = connector(&datagen.url(), TOKEN, small);
    let query = backend::connector::DeviceQuery {
        limit: 40,
        ..Default::default()
    };
    assert!(matches!(
        capped.devices(&Scope::of("ws1"), &query).await,
        Err(SourceError::TooLarge(2_000))
    ));
    let unconfigured = Connector::new(None, settings(Duration::ZERO));
    assert!(matches!(
        unconfigured.devices(&Scope::of("ws1"), &query).await,
        Err(SourceError::NotConfigured)
    ));
}

/// A source that is not GraphQL, and one that redirects elsewhere: refused, never followed.
#[tokio::test]
async fn garbage_and_redirects_are_refused() {
    use axum::response::{IntoResponse, Redirect};
    let datagen = Datagen::start();
    let target = datagen.url();
    let app = axum::Router::new()
        .route(
            "/html",
            axum::routing::post(|| async { "<html><body>Gateway says hi</body></html>" }),
        )
        .route(
            "/shape",
            axum::routing::post(|| async {
                axum::Json(serde_json::json!({ "data": { "devices": 12 } }))
            }),
        )
        .route(
            "/away",
            axum::routing::post(
                move || async move { Redirect::temporary(&target).into_response() },
            ),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let before = datagen.requests().await;
    for (path, expect_garbage) in [("html", true), ("shape", true), ("away", false)] {
        let c = connector(
            &format!("http://{addr}/{path}"),
            TOKEN,
            settings(Duration::ZERO),
        );
        let result = c.devices(&Scope::of("ws1"), &Default::default()).await;
        match result {
            Err(SourceError::Garbage(_)) if expect_garbage => {}
            Err(SourceError::Status(307)) if !expect_garbage => {}
            other => panic!("{path}: {other:?}"),
        }
    }
    assert_eq!(
        datagen.requests().await,
        before,
        "the redirect was not followed"
    );
    assert!(Source::new("file:///etc/passwd", None).is_err());
    assert!(Source::new("not a url", None).is_err());
}

/// A workspace with a source of its own and its own device ids: its questions go there, with
/// the ids translated both ways, while the deployment has no source at all.
#[tokio::test]
async fn a_workspace_reads_its_own_source_under_its_own_device_ids() {
    let datagen = Datagen::start();
    let fleet = fleet();
    let station = fleet
        .devices()
        .iter()
        .find(|d| d.kind == Kind::WeatherStation)
        .unwrap();
    let c = Connector::new(None, settings(Duration::ZERO));
    let map = [("roof-station".to_string(), station.id.clone())].into();
    let own = Scope::with_source(
        "ws1",
        Source::new(&datagen.url(), Some(TOKEN.into())).unwrap(),
        map,
    );
    let latest = c
        .latest(
            &own,
            &["roof-station".to_string()],
            Some(&["humidity".to_string()]),
        )
        .await
        .unwrap();
    assert_eq!(latest.value.len(), 1);
    assert_eq!(
        latest.value[0].device, "roof-station",
        "answers come back under the registry's id"
    );
    assert_eq!(
        fleet.latest(station, Metric::Humidity, NOW, &[]),
        Some((latest.value[0].t, latest.value[0].value))
    );
    let listed = c
        .devices(
            &own,
            &backend::connector::DeviceQuery {
                limit: 40,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(listed.value.items.iter().any(|d| d.id == "roof-station"));
    assert!(!listed.value.items.iter().any(|d| d.id == station.id));
    let series = c
        .series(&own, "roof-station", "humidity", NOW - 3_600, NOW, 30)
        .await
        .unwrap();
    assert_eq!(series.value.device, "roof-station");
    assert!(!series.value.points.is_empty());
    // Another workspace without a source of its own gets the deployment's: none here.
    assert!(matches!(
        c.latest(&Scope::of("ws2"), std::slice::from_ref(&station.id), None)
            .await,
        Err(SourceError::NotConfigured)
    ));
}
