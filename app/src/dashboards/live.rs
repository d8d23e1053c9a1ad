//! The browser's end of `/w/<slug>/live`: opens the socket once the page has hydrated, asks
//! for the devices and metrics the widgets show, puts each pushed reading into the widgets it
//! concerns (they redraw themselves), and loads the page again when a dashboard was edited.
//! A lost connection is retried with growing waits (1 s doubling to 30 s, with jitter); on
//! reconnecting, the server sends the current value of everything watched, so nothing stays
//! stale. A session that ended stops the retries. Without JavaScript nothing of this runs:
//! the page's auto-refresh is the way to stay current.

use leptos::prelude::*;
use model::dashboards::live::ClientFrame;
use model::dashboards::Panel;

/// Where the socket stands, as the page says it.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveState {
    /// Not started (the page drawn by the server, or before the first frame).
    Idle,
    Live,
    /// Lost; the next try is in this many seconds.
    Retrying(u32),
    /// Stopped for good, and why.
    Stopped(String),
}

impl LiveState {
    /// What the page says, in `language` (the reason a socket stopped is the server's).
    pub fn text(&self, language: model::Language) -> String {
        let locale = i18n::Locale::from(language);
        match self {
            LiveState::Idle => String::new(),
            LiveState::Live => i18n::td_string!(locale, dashboards.live).into(),
            LiveState::Retrying(secs) => {
                i18n::td_string!(locale, dashboards.live_retrying, secs = secs).to_string()
            }
            LiveState::Stopped(why) => {
                i18n::td_string!(locale, dashboards.live_stopped, why = why).to_string()
            }
        }
    }
}

/// The wait before try `n` (1-based) after a lost connection: 1, 2, 4 … 30 seconds, with up
/// to a fifth more at random so that many pages do not come back in the same instant.
pub fn backoff(n: u32, jitter: f64) -> u32 {
    let base = 1u32 << n.saturating_sub(1).min(5);
    let secs = f64::from(base.min(30)) * (1.0 + 0.2 * jitter.clamp(0.0, 1.0));
    secs.round() as u32
}

/// Keeps `panels` live over the socket of workspace `slug` while the calling component lives;
/// `reload` runs when a dashboard of the workspace was edited.
pub fn keep_live(
    slug: String,
    watch: ClientFrame,
    panels: Vec<RwSignal<Panel>>,
    reload: Callback<()>,
) -> ReadSignal<LiveState> {
    let (state, set_state) = signal(LiveState::Idle);
    #[cfg(feature = "hydrate")]
    {
        let (task, handle) =
            futures_util::future::abortable(browser::run(slug, watch, panels, reload, set_state));
        leptos::task::spawn_local(async move {
            let _ = task.await;
        });
        on_cleanup(move || handle.abort());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (slug, watch, panels, reload, set_state);
    state
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{backoff, LiveState};
    use futures_util::{SinkExt, StreamExt};
    use gloo_net::websocket::{futures::WebSocket, Message, WebSocketError};
    use leptos::prelude::*;
    use model::dashboards::live::{ClientFrame, ServerFrame, CLOSE_SESSION_ENDED};
    use model::dashboards::Panel;

    /// How one connection ended.
    enum Outcome {
        /// Lost; `was_live` when it had worked (the waits start again from 1 s).
        Lost {
            was_live: bool,
        },
        Stopped(String),
        Reload,
    }

    pub async fn run(
        slug: String,
        watch: ClientFrame,
        panels: Vec<RwSignal<Panel>>,
        reload: Callback<()>,
        state: WriteSignal<LiveState>,
    ) {
        let Some(url) = socket_url(&slug) else {
            return;
        };
        let hello = serde_json::to_string(&watch).expect("frames serialise");
        let mut tries = 0u32;
        loop {
            match connect(&url, &hello, &panels, state).await {
                Outcome::Reload => {
                    reload.run(());
                    return;
                }
                Outcome::Stopped(why) => {
                    state.set(LiveState::Stopped(why));
                    return;
                }
                Outcome::Lost { was_live } => {
                    tries = if was_live { 1 } else { tries + 1 };
                    let mut wait = backoff(tries, js_sys::Math::random());
                    while wait > 0 {
                        state.set(LiveState::Retrying(wait));
                        gloo_timers::future::TimeoutFuture::new(1_000).await;
                        wait -= 1;
                    }
                }
            }
        }
    }

    async fn connect(
        url: &str,
        hello: &str,
        panels: &[RwSignal<Panel>],
        state: WriteSignal<LiveState>,
    ) -> Outcome {
        let Ok(ws) = WebSocket::open(url) else {
            return Outcome::Lost { was_live: false };
        };
        let (mut tx, mut rx) = ws.split();
        if tx.send(Message::Text(hello.to_string())).await.is_err() {
            return Outcome::Lost { was_live: false };
        }
        let mut was_live = false;
        while let Some(message) = rx.next().await {
            let text = match message {
                Ok(Message::Text(text)) => text,
                Ok(Message::Bytes(_)) => continue,
                Err(WebSocketError::ConnectionClose(close)) => {
                    if close.code == CLOSE_SESSION_ENDED {
                        return Outcome::Stopped(close.reason);
                    }
                    return Outcome::Lost { was_live };
                }
                Err(_) => return Outcome::Lost { was_live },
            };
            match serde_json::from_str::<ServerFrame>(&text) {
                Ok(ServerFrame::Watching { .. }) => {
                    was_live = true;
                    state.set(LiveState::Live);
                }
                Ok(ServerFrame::Readings { readings }) => {
                    for panel in panels {
                        panel.maybe_update(|p| p.apply(&readings));
                    }
                }
                Ok(ServerFrame::DashboardChanged { .. }) => return Outcome::Reload,
                Ok(ServerFrame::Refused { reason }) => {
                    leptos::logging::warn!("live updates refused: {reason}");
                }
                Err(e) => leptos::logging::warn!("a live frame that does not parse: {e}"),
            }
        }
        Outcome::Lost { was_live }
    }

    /// `ws://` or `wss://` to this page's own host.
    fn socket_url(slug: &str) -> Option<String> {
        let location = window().location();
        let scheme = if location.protocol().ok()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        let host = location.host().ok()?;
        Some(format!(
            "{scheme}://{host}{}",
            model::dashboards::live::live_path(slug)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_half_a_minute_with_some_jitter() {
        let waits: Vec<u32> = (1..=8).map(|n| backoff(n, 0.0)).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(backoff(6, 1.0), 36);
        assert_eq!(backoff(0, 0.0), 1);
    }

    #[test]
    fn the_page_says_where_live_updates_stand() {
        use model::Language::{En, Fr};
        assert_eq!(LiveState::Idle.text(En), "");
        assert_eq!(LiveState::Live.text(En), "Live");
        assert!(LiveState::Retrying(4).text(En).contains("in 4 s"));
        assert!(
            LiveState::Stopped("Your session has ended; sign in again.".into())
                .text(En)
                .contains("sign in again")
        );
        assert_eq!(LiveState::Live.text(Fr), "En direct");
        assert!(LiveState::Retrying(4).text(Fr).contains("dans 4 s"));
    }
}
