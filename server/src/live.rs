//! `/w/<slug>/live`: the WebSocket that keeps an open dashboard live (see `backend::live`).
//!
//! The handshake needs a session of the workspace (the cookie, like any page) and, from a
//! browser, an `Origin` of this site: another site's page could otherwise open the socket with
//! our cookie (cross-site WebSocket hijacking). Each watch is checked against the devices the
//! member sees at that moment; the session is checked again every
//! `LIVE_SESSION_CHECK_SECONDS` and the socket closes (code 4401) once it has ended.

use crate::error::RouteError;
use crate::AppState;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use backend::auth::{session, Caller};
use backend::live::{Event, Sent};
use backend::{BackendError, Services};
use model::access::Action;
use model::dashboards::live::{
    ClientFrame, ServerFrame, CLOSE_BAD_REQUEST, CLOSE_SESSION_ENDED, MAX_CLIENT_FRAME,
    MAX_WATCHED_DEVICES,
};
use model::ApiError;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// A browser that takes longer than this to accept a frame is let go.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);
/// Pings keep proxies from closing a quiet socket and find browsers that vanished.
const PING_EVERY: Duration = Duration::from_secs(25);

/// The routes of this module (the access test walks them).
pub fn routes() -> Vec<(&'static str, axum::routing::MethodRouter<AppState>)> {
    vec![("/w/{slug}/live", axum::routing::get(live))]
}

async fn live(
    State(services): State<Services>,
    Extension(caller): Extension<Caller>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    // Browsers send Origin on every handshake; a handshake is a GET, so the guard of
    // state-changing requests does not see it.
    if !crate::access::same_origin(&Method::POST, &headers, &services.public_url) {
        tracing::warn!(origin = ?headers.get("origin"), "refused a live socket from another site");
        return RouteError(ApiError::Forbidden).into_response();
    }
    let ctx = match backend::auth::open_workspace(
        &services.control,
        &services.registry,
        &caller,
        &slug,
        Action::ViewWorkspace,
    )
    .await
    {
        Ok(ctx) => ctx,
        Err(e) => {
            return RouteError(crate::error::api_error(
                e,
                &headers,
                Some(&caller),
                "opening a live socket",
            ))
            .into_response()
        }
    };
    let language = crate::language::of(&headers, Some(&caller));
    let Caller::Signed(session) = caller else {
        return RouteError(ApiError::Unauthorized).into_response();
    };
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(_) => {
            return (
                StatusCode::UPGRADE_REQUIRED,
                "This address is a WebSocket: dashboards open it to stay live.",
            )
                .into_response()
        }
    };
    let socket = Socket {
        workspace: ctx.workspace.id.clone(),
        slug,
        session,
        services,
        language,
    };
    upgrade
        .max_message_size(MAX_CLIENT_FRAME)
        .on_upgrade(move |ws| socket.run(ws))
}

struct Socket {
    workspace: String,
    slug: String,
    session: backend::auth::Session,
    services: Services,
    /// The language of the page that opened it: what its reasons are written in.
    language: model::Language,
}

/// Why a socket ends.
enum End {
    /// The browser left or the network broke.
    Gone,
    /// Closed by us with a code and a reason.
    Close(u16, &'static str),
}

impl Socket {
    /// One of this module's sentences in the socket's language.
    fn say(&self, english: &str) -> String {
        i18n::server_message(english, self.language).unwrap_or_else(|| english.to_string())
    }

    async fn run(self, mut ws: WebSocket) {
        let live = self.services.live.clone();
        let settings = live.settings();
        let mut watcher = live.watcher(
            &self.workspace,
            &self.services.control,
            &self.services.connector,
        );
        let mut events = live.events();
        let mut sent: Option<Sent> = None;
        let mut check = tokio::time::interval(settings.session_check);
        check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        check.tick().await;
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        let end = loop {
            let outgoing: Option<Message> = tokio::select! {
                incoming = ws.recv() => match incoming {
                    Some(Ok(Message::Text(text))) => match ClientFrame::parse(text.as_str()) {
                        Ok(ClientFrame::Watch { devices, metrics }) => {
                            match self.watch(&mut watcher, devices, metrics).await {
                                Ok((frame, now_sent)) => {
                                    sent = Some(now_sent);
                                    Some(frame)
                                }
                                Err(end) => break end,
                            }
                        }
                        Err(reason) => Some(ServerFrame::Refused { reason }),
                    }
                    .map(text_frame),
                    Some(Ok(Message::Binary(_))) => {
                        break End::Close(CLOSE_BAD_REQUEST, "Frames are JSON text.")
                    }
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break End::Gone,
                    Some(Ok(_)) => None,
                },
                snapshot = watcher.changed(), if sent.is_some() => {
                    let changes = sent.as_mut().map(|s| s.changes(&snapshot)).unwrap_or_default();
                    (!changes.is_empty())
                        .then(|| text_frame(ServerFrame::Readings { readings: changes }))
                }
                event = events.recv() => match event {
                    Ok(event) if event.concerns(&self.workspace) => {
                        let id = match event {
                            Event::DashboardChanged { id, .. } => id,
                            Event::Resync => String::new(),
                        };
                        Some(text_frame(ServerFrame::DashboardChanged { id }))
                    }
                    Ok(_) => None,
                    // Fell behind: some edit may be lost, so the page loads again.
                    Err(RecvError::Lagged(_)) => {
                        Some(text_frame(ServerFrame::DashboardChanged { id: String::new() }))
                    }
                    Err(RecvError::Closed) => break End::Gone,
                },
                _ = check.tick() => {
                    let now = backend::now_millis();
                    match session::still_live(&self.services.control, &self.session.id, &self.services.sessions, now).await {
                        Ok(true) => None,
                        Ok(false) => break End::Close(CLOSE_SESSION_ENDED, "Your session has ended; sign in again."),
                        // The database may be back at the next check; the socket stays.
                        Err(e) => {
                            tracing::warn!(error = %e, "cannot check a live socket's session");
                            None
                        }
                    }
                }
                _ = ping.tick() => Some(Message::Ping(Default::default())),
            };
            if let Some(message) = outgoing {
                match tokio::time::timeout(SEND_TIMEOUT, ws.send(message)).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => break End::Gone,
                    Err(_) => {
                        tracing::info!(workspace = %self.slug, "let a live socket go: it does not read");
                        break End::Gone;
                    }
                }
            }
        };
        if let End::Close(code, reason) = end {
            let close = Message::Close(Some(CloseFrame {
                code,
                reason: self.say(reason).into(),
            }));
            let _ = tokio::time::timeout(SEND_TIMEOUT, ws.send(close)).await;
        }
    }

    /// Puts a watch in place over the devices asked that the member sees now.
    async fn watch(
        &self,
        watcher: &mut backend::live::Watcher,
        devices: Vec<String>,
        metrics: Vec<String>,
    ) -> Result<(ServerFrame, Sent), End> {
        let caller = Caller::Signed(self.session.clone());
        let s = &self.services;
        let visible = async {
            let ctx = backend::auth::open_workspace(
                &s.control,
                &s.registry,
                &caller,
                &self.slug,
                Action::ViewWorkspace,
            )
            .await?;
            backend::devices::visible_up_to(&ctx, MAX_WATCHED_DEVICES).await
        };
        let visible = match visible.await {
            Ok((visible, _)) => visible,
            Err(BackendError::Unauthorized | BackendError::Forbidden) => {
                return Err(End::Close(
                    CLOSE_SESSION_ENDED,
                    "You no longer have access to this workspace.",
                ))
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot start a live watch");
                return Ok((
                    ServerFrame::Refused {
                        reason: self.say("Live updates are unavailable for a moment; retrying."),
                    },
                    Sent::default(),
                ));
            }
        };
        let asked: std::collections::HashSet<&String> = devices.iter().collect();
        let watched: HashMap<String, String> = visible
            .into_iter()
            .filter(|d| asked.contains(&d.id))
            .map(|d| (d.external_id, d.id))
            .collect();
        watcher.watch(watched.keys().cloned().collect());
        let count = watched.len();
        Ok((
            ServerFrame::Watching { devices: count },
            Sent::new(watched, metrics.into_iter().collect()),
        ))
    }
}

fn text_frame(frame: ServerFrame) -> Message {
    Message::Text(
        serde_json::to_string(&frame)
            .expect("frames serialise")
            .into(),
    )
}
