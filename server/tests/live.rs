//! The live socket `/w/<slug>/live` on a real port, against a real datagen: refused without a
//! session, from another site, and for a stranger; a member's watch gets the datagen's values,
//! then a value the datagen changes, and an edit of a dashboard; a viewer gets nothing of
//! devices kept from them; a socket whose session ended is closed. With PostgreSQL, an edit
//! made through one server reaches a socket of another.

mod common;

use axum::http::StatusCode;
use backend::on_both;
use backend::testing::TestDbRef;
use common::{datagen_graphql, datagen_on, free_addr, TestApp};
use datagen::sim::{Anomaly, AnomalyKind, Metric};
use datagen::{Clock, Sim};
use futures_util::{SinkExt, StreamExt};
use model::dashboards::live::{ClientFrame, ServerFrame, CLOSE_SESSION_ENDED};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

const TOKEN: &str = "server-live-test-token";

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens the socket of `slug` with these headers; the HTTP status when the handshake is refused.
async fn open(
    addr: SocketAddr,
    slug: &str,
    headers: &[(&'static str, String)],
) -> Result<Ws, StatusCode> {
    let mut request = format!("ws://{addr}/w/{slug}/live")
        .into_client_request()
        .expect("request");
    for (name, value) in headers {
        request
            .headers_mut()
            .insert(*name, value.parse().expect("header value"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, _)) => Ok(ws),
        Err(tungstenite::Error::Http(res)) => {
            Err(StatusCode::from_u16(res.status().as_u16()).unwrap())
        }
        Err(e) => panic!("the handshake failed otherwise: {e}"),
    }
}

fn as_member(addr: SocketAddr, cookie: &str) -> Vec<(&'static str, String)> {
    vec![
        ("cookie", cookie.to_string()),
        ("origin", format!("http://{addr}")),
    ]
}

async fn send(ws: &mut Ws, frame: &ClientFrame) {
    let text = serde_json::to_string(frame).unwrap();
    ws.send(Message::Text(text.into())).await.expect("send");
}

/// The next frame the server sends (pings skipped), within ten seconds; `Err` with the close
/// code when the server closes.
async fn next(ws: &mut Ws) -> Result<ServerFrame, u16> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a frame within 10 s")
            .expect("the socket is open")
            .expect("a frame");
        match message {
            Message::Text(text) => {
                return Ok(serde_json::from_str(text.as_str()).expect("a frame that parses"))
            }
            Message::Close(frame) => return Err(frame.map_or(1005, |f| u16::from(f.code))),
            _ => {}
        }
    }
}

/// Makes the datagen's `device` report spiked batteries from `from` on.
async fn inject(source: SocketAddr, device: &str, from: i64) {
    let query = format!(
        "mutation {{ injectAnomaly(device: \"{device}\", kind: SPIKE, metric: \"battery\", from: {from}) {{ from }} }}"
    );
    datagen_graphql(source, TOKEN, &query).await;
}

/// Frames until one matches.
async fn until(ws: &mut Ws, wanted: impl Fn(&ServerFrame) -> bool) -> ServerFrame {
    for _ in 0..50 {
        let frame = next(ws).await.expect("the socket stays open");
        if wanted(&frame) {
            return frame;
        }
    }
    panic!("the frame never came");
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Registers every datagen device in Acme; (registry id, datagen id) of each.
async fn register_all(app: &TestApp, sim: &Sim, cookie: &str) -> Vec<(String, String)> {
    let ids: Vec<&str> = sim.fleet.devices().iter().map(|d| d.id.as_str()).collect();
    let res = app
        .call_as(
            "/api/register_discovered",
            &format!("slug=acme&ids={}", ids.join("+")),
            cookie,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let db = app.workspace_db("acme").await;
    let mut rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, external_id FROM devices ORDER BY external_id")
            .fetch_all(db.pool())
            .await
            .expect("devices");
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    rows
}

const NOTE_FORM: &str = "slug=acme&name=Wall&visibility=everyone&is_default=yes\
    &widgets[0][kind]=note&widgets[0][title]=Hello&widgets[0][x]=0&widgets[0][y]=0\
    &widgets[0][w]=6&widgets[0][h]=2&widgets[0][text]=hi";

on_both!(
    a_member_watches_the_datagens_values_change_live,
    |t: TestDbRef| async move {
        let sim = Arc::new(Sim::new(11, 4, Clock::Wall));
        let source = free_addr();
        let (_stop, _task) = datagen_on(sim.clone(), source, TOKEN).await;
        let app = TestApp::on(&t)
            .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
            .with_created_workspace("globex", "Globex", "gil@globex.example")
            .data_source(&format!("http://{source}/graphql"), TOKEN)
            .live(100, 1)
            .build()
            .await;
        let ada = app.sign_in("acme", "ada@acme.example").await;
        let gil = app.sign_in("globex", "gil@globex.example").await;
        let devices = register_all(&app, &sim, &ada).await;
        let addr = app.serve().await;

        // Refused before any upgrade: no session, another site, another workspace's member.
        assert_eq!(
            open(addr, "acme", &[]).await.err(),
            Some(StatusCode::UNAUTHORIZED)
        );
        let mut evil = as_member(addr, &ada);
        evil[1].1 = "http://evil.example".into();
        assert_eq!(
            open(addr, "acme", &evil).await.err(),
            Some(StatusCode::FORBIDDEN)
        );
        // (A session of another workspace counts as none here.)
        assert!(matches!(
            open(addr, "acme", &as_member(addr, &gil)).await.err(),
            Some(StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        ));

        // Ada watches the first device's battery (and asks for a device Acme does not have).
        let mut ws = open(addr, "acme", &as_member(addr, &ada))
            .await
            .expect("opens");
        let (registry_id, datagen_id) = devices[0].clone();
        send(
            &mut ws,
            &ClientFrame::Watch {
                devices: vec![registry_id.clone(), "someone-elses".into()],
                metrics: vec!["battery".into()],
            },
        )
        .await;
        assert_eq!(
            next(&mut ws).await,
            Ok(ServerFrame::Watching { devices: 1 })
        );
        let device = sim.fleet.find(&datagen_id).expect("datagen device");
        let ServerFrame::Readings { readings } =
            until(&mut ws, |f| matches!(f, ServerFrame::Readings { .. })).await
        else {
            unreachable!()
        };
        assert_eq!(readings.len(), 1, "{readings:?}");
        assert_eq!(readings[0].device, registry_id, "named by the registry id");
        assert_eq!(readings[0].metric, "battery");
        let (t, normal) = sim
            .fleet
            .latest(device, Metric::Battery, now(), &[])
            .expect("a battery reading");
        assert_eq!((readings[0].t, readings[0].value), (t, normal));

        // The datagen's battery spikes: the socket is told, without asking.
        let spike = Anomaly {
            device: device.index,
            metric: Some(Metric::Battery),
            kind: AnomalyKind::Spike,
            from: now() - 86_400,
            until: None,
        };
        inject(source, &datagen_id, spike.from).await;
        let spiked = sim
            .fleet
            .latest(device, Metric::Battery, now(), &[spike])
            .expect("a battery reading")
            .1;
        assert_ne!(spiked, normal);
        let changed = until(&mut ws, |f| {
            matches!(f, ServerFrame::Readings { readings } if readings.iter().any(|r| r.value == spiked))
        })
        .await;
        let ServerFrame::Readings { readings } = changed else {
            unreachable!()
        };
        assert_eq!(readings.len(), 1, "only what changed: {readings:?}");

        // A dashboard saved through the server: the page hears of it.
        let saved = app.call_as("/api/save_dashboard", NOTE_FORM, &ada).await;
        assert!(
            saved.status.is_success() || saved.status.is_redirection(),
            "{}",
            saved.body
        );
        let edit = until(&mut ws, |f| {
            matches!(f, ServerFrame::DashboardChanged { .. })
        })
        .await;
        let ServerFrame::DashboardChanged { id } = edit else {
            unreachable!()
        };
        assert!(!id.is_empty());

        // A frame that does not parse is refused in words; the socket stays.
        ws.send(Message::Text("{\"type\":\"launch\"}".into()))
            .await
            .unwrap();
        let refused = until(&mut ws, |f| matches!(f, ServerFrame::Refused { .. })).await;
        assert!(
            matches!(refused, ServerFrame::Refused { reason } if reason.contains("not understood"))
        );

        // A viewer with no group granted sees no device without a group, and watches none.
        app.add_member("acme", "vi@acme.example", "viewer").await;
        let vi = app.sign_in("acme", "vi@acme.example").await;
        let mut viewer = open(addr, "acme", &as_member(addr, &vi))
            .await
            .expect("opens");
        send(
            &mut viewer,
            &ClientFrame::Watch {
                devices: devices.iter().map(|d| d.0.clone()).collect(),
                metrics: Vec::new(),
            },
        )
        .await;
        assert_eq!(
            next(&mut viewer).await,
            Ok(ServerFrame::Watching { devices: 0 })
        );

        // Ada signs out: her socket closes within a check, with the code that says so.
        let out = app.call_as("/api/sign_out", "slug=acme", &ada).await;
        assert!(
            out.status.is_success() || out.status.is_redirection(),
            "{}",
            out.body
        );
        let mut closed = None;
        for _ in 0..50 {
            if let Err(code) = next(&mut ws).await {
                closed = Some(code);
                break;
            }
        }
        assert_eq!(closed, Some(CLOSE_SESSION_ENDED));
    }
);

/// Two servers on one PostgreSQL (as two processes would be): an edit made through one reaches
/// a socket open on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_through_one_server_reaches_a_socket_of_another() {
    backend::testing::TestDb::run(backend::Engine::Postgres, |t: TestDbRef| async move {
        let a = TestApp::on(&t)
            .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
            .build()
            .await;
        let b = TestApp::on(&t).build().await;
        for app in [&a, &b] {
            app.services
                .live
                .share_through_postgres(&app.services.control, &t.url)
                .await
                .expect("listening");
        }
        let ada_on_a = a.sign_in("acme", "ada@acme.example").await;
        let ada_on_b = b.sign_in("acme", "ada@acme.example").await;
        let addr = b.serve().await;
        let mut ws = open(addr, "acme", &as_member(addr, &ada_on_b))
            .await
            .expect("opens");
        send(
            &mut ws,
            &ClientFrame::Watch {
                devices: Vec::new(),
                metrics: Vec::new(),
            },
        )
        .await;
        assert_eq!(
            next(&mut ws).await,
            Ok(ServerFrame::Watching { devices: 0 })
        );

        let saved = a.call_as("/api/save_dashboard", NOTE_FORM, &ada_on_a).await;
        assert!(
            saved.status.is_success() || saved.status.is_redirection(),
            "{}",
            saved.body
        );
        let frame = until(&mut ws, |f| {
            matches!(f, ServerFrame::DashboardChanged { .. })
        })
        .await;
        assert!(matches!(frame, ServerFrame::DashboardChanged { id } if !id.is_empty()));
    })
    .await;
}
