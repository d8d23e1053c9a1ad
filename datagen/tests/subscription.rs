//! The readings subscription over the graphql-ws protocol (graphql-transport-ws), on a real
//! socket: refused without the token; with it, the latest reading of every (device, metric)
//! asked for arrives at once.

use datagen::{Clock, Sim};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const TOKEN: &str = "subscription-test-token-42";
const NOW: i64 = 1_772_359_200;

async fn serve() -> (std::net::SocketAddr, Arc<Sim>) {
    let sim = Arc::new(Sim::new(3, 20, Clock::Fixed(NOW)));
    let app = datagen::router(sim.clone(), TOKEN);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, sim)
}

fn request(
    addr: std::net::SocketAddr,
    token: Option<&str>,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let mut request = format!("ws://{addr}/graphql")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    if let Some(token) = token {
        request
            .headers_mut()
            .insert("Authorization", format!("Bearer {token}").parse().unwrap());
    }
    request
}

#[tokio::test]
async fn readings_arrive_over_graphql_ws_for_a_client_with_the_token() {
    let (addr, sim) = serve().await;
    let refused = tokio_tungstenite::connect_async(request(addr, None)).await;
    assert!(refused.is_err(), "no token, no socket");

    let (mut socket, _) = tokio_tungstenite::connect_async(request(addr, Some(TOKEN)))
        .await
        .unwrap();
    socket
        .send(Message::text(
            json!({ "type": "connection_init" }).to_string(),
        ))
        .await
        .unwrap();
    let device = &sim.fleet.devices()[0];
    socket
        .send(Message::text(
            json!({
                "id": "1", "type": "subscribe",
                "payload": {
                    "query": "subscription($d: [ID!]!) { readings(devices: $d) { device metric t value } }",
                    "variables": { "d": [device.id] }
                }
            })
            .to_string(),
        ))
        .await
        .unwrap();
    let mut readings = Vec::new();
    let wanted = device.kind.metrics().len();
    while readings.len() < wanted {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        let Message::Text(text) = message else {
            continue;
        };
        let frame: Value = serde_json::from_str(&text).unwrap();
        match frame["type"].as_str() {
            Some("connection_ack") => {}
            Some("next") => readings.push(frame["payload"]["data"]["readings"].clone()),
            other => panic!("unexpected frame {other:?}: {frame}"),
        }
    }
    for reading in readings {
        let metric = datagen::sim::Metric::parse(reading["metric"].as_str().unwrap()).unwrap();
        let (t, v) = sim.fleet.latest(device, metric, NOW, &[]).unwrap();
        assert_eq!(
            (
                reading["t"].as_i64().unwrap(),
                reading["value"].as_f64().unwrap()
            ),
            (t, v)
        );
    }
}
