//! The iot-rocket server: configuration, the HTTP router (pages, server functions, health,
//! theme files, static site files) and the start-up sequence.

pub mod access;
pub mod branding;
pub mod cli;
pub mod config;
pub mod error;
pub mod exports;
pub mod health;
pub mod language;
pub mod live;
pub mod telemetry;
pub mod theme_files;

use anyhow::Context;
use app::ssr::{shell, REQUEST_ID_HEADER};
use axum::extract::FromRef;
use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::routing::get;
use axum::Router;
use backend::db::PoolSettings;
use backend::mail::Mailer;
use backend::registry::{Registry, Storage};
use backend::{Db, Services};
use config::Config;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Everything a handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
}

/// Opens the control database and applies its migrations; start-up stops when either fails.
pub async fn open_control_db(config: &Config) -> anyhow::Result<Db> {
    let url = config.control_database_url();
    let settings = PoolSettings {
        max_connections: config.db_max_connections,
        ..PoolSettings::default()
    };
    let db = Db::connect(&url, &settings)
        .await
        .with_context(|| format!("cannot open the control database ({})", redact(&url)))?;
    db.migrate_control()
        .await
        .context("cannot apply the control database migrations")?;
    Ok(db)
}

/// The registry of workspace databases beside the control database, sized by the configuration.
pub async fn open_registry(config: &Config, control: &Db) -> anyhow::Result<Registry> {
    let storage = Storage::beside(control, &config.control_database_url(), &config.data_dir);
    Ok(Registry::fitted(storage, config.registry_settings()).await?)
}

/// Builds the services from the configuration: theme first (a broken theme is a start-up error
/// with line and column), then the database.
pub async fn build_services(config: &Config) -> anyhow::Result<Services> {
    let themes = config.theme_store()?;
    let control = open_control_db(config).await?;
    let registry = open_registry(config, &control).await?;
    // Without a name in MAIL_FROM, each mail carries the theme's sender name.
    let from = config
        .mail_from
        .clone()
        .unwrap_or_else(|| "no-reply@localhost".to_string());
    let mailer = Mailer::new(
        config.smtp_url.as_deref(),
        config.data_dir.join("outbox"),
        &from,
    )?;
    let mut services = Services::new(control, registry, themes, mailer, &config.public_url);
    services.sessions = config.session_settings();
    services.trusted_proxies = config.trusted_proxies.clone().into();
    services.connector = std::sync::Arc::new(config.connector()?);
    services.map_tiles = config.map_tiles()?;
    services.live = backend::live::Live::new(config.live_settings());
    Ok(services)
}

/// The routes beside the pages and server functions. All public: they tell nothing about any
/// workspace (the access test walks them with the others).
pub fn plain_routes() -> Vec<(&'static str, axum::routing::MethodRouter<AppState>)> {
    vec![
        ("/healthz", get(health::healthz)),
        ("/readyz", get(health::readyz)),
        ("/theme/{file}", get(theme_files::theme_file)),
    ]
}

/// The pages of the application (the access test walks them), listed once per process.
///
/// Listing them renders the app with resource loading switched off, and leptos_server keeps
/// that switch in one process-wide flag: a page rendering in the same process at that moment
/// would wait forever for its data. Listing once, before any router exists, keeps every later
/// router (the tests build many in one process) from stalling the others' pages.
pub fn page_routes(theme: model::Theme) -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES
        .get_or_init(move || {
            generate_route_list(move || {
                provide_context(theme.clone());
                view! { <app::App /> }
            })
        })
        .clone()
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let routes = page_routes(state.services.theme().theme.clone());
    let services = state.services.clone();
    // The theme is looked up per request, so an edit on disk shows on the next page load; a
    // workspace's page wears that workspace's brand over it (found by `co_brand` below).
    let context = move || {
        let loaded = services.theme();
        provide_context(services.clone());
        let parts = use_context::<axum::http::request::Parts>();
        let language = parts.as_ref().map(language::of_request).unwrap_or_default();
        provide_context(language);
        let brand = parts
            .as_ref()
            .and_then(|p| p.extensions.get::<model::workspace::CoBrand>().cloned());
        let in_language = loaded.theme.clone().in_language(language);
        let mut theme = match brand {
            Some(brand) => in_language.co_branded(brand),
            None => in_language,
        };
        // Operators are told on every page when an edit of the theme was refused.
        let operator = parts.as_ref().is_some_and(|p| {
            matches!(
                p.extensions.get::<backend::auth::Caller>(),
                Some(backend::auth::Caller::Signed(backend::auth::Session {
                    subject: backend::auth::Subject::Operator { .. },
                    ..
                }))
            )
        });
        if operator {
            if let Some(problem) = services.themes.problem() {
                theme.problems = problem.problems.iter().map(ToString::to_string).collect();
            }
        }
        provide_context(theme);
    };
    let shell_options = state.leptos_options.clone();
    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);

    // Pages and server functions are the only handlers that ask who is calling: the session is
    // looked up for them alone, not for every script, stylesheet, image or health probe.
    let mut app =
        Router::new().leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(shell_options.clone())
        });
    for (path, route) in exports::routes()
        .into_iter()
        .chain(live::routes())
        .chain(branding::routes())
        .chain(language::routes())
    {
        app = app.route(path, route);
    }
    // Layers run outside in: who is calling first, then the brand that caller may see.
    let app = app
        .route_layer(axum::middleware::from_fn_with_state(
            state.services.clone(),
            access::co_brand,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.services.clone(),
            access::resolve_caller,
        ));
    let mut router = Router::new();
    for (path, route) in plain_routes() {
        router = router.route(path, route);
    }
    router
        .merge(app)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                .on_failure(DefaultOnFailure::new().level(Level::ERROR)),
        )
        // No MIME sniffing, no framing by other sites, no full URLs leaked to other origins
        // (same-origin form redirects still get theirs).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.services.clone(),
            access::refuse_cross_origin,
        ))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_unusable_request_id))
        .with_state(state)
}

/// A request id from the client is kept only when it is short and plain (letters, digits, `-`,
/// `_`); anything else is replaced, so logs and error references hold no client-made text.
async fn drop_unusable_request_id<B>(mut req: Request<B>) -> Request<B> {
    let usable = req.headers().get(REQUEST_ID_HEADER).map(|v| {
        let v = v.as_bytes();
        (8..=64).contains(&v.len())
            && v.iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
    });
    if usable == Some(false) {
        req.headers_mut().remove(REQUEST_ID_HEADER);
    }
    req
}

/// Serves until SIGTERM or Ctrl-C, then lets in-flight requests finish (up to the grace period).
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let leptos_options = get_configuration(None)
        .context("cannot read the Leptos configuration (LEPTOS_* variables)")?
        .leptos_options;
    let addr = leptos_options.site_addr;
    let services = build_services(&config).await?;
    let control = services.control.clone();
    let registry = services.registry.clone();
    match backend::workspaces::discard_stale(&control, &registry).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            removed = n,
            "removed workspaces whose creation died half-way"
        ),
        Err(e) => tracing::error!(error = %e, "could not remove unfinished workspaces"),
    }
    let session_sweeper = tokio::spawn(purge_sessions(control.clone(), config.session_settings()));
    // With PostgreSQL, dashboard edits reach the pages open on every server process.
    let hearing = if control.engine() == backend::Engine::Postgres {
        let url = config.control_database_url();
        Some(
            services
                .live
                .share_through_postgres(&control, &url)
                .await
                .context("cannot listen for other server processes' events on PostgreSQL")?,
        )
    } else {
        None
    };
    let sweeper = tokio::spawn(close_idle_pools(
        registry.clone(),
        Duration::from_secs(config.workspace_idle_seconds),
    ));
    let app = router(AppState {
        leptos_options,
        services,
    });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (LEPTOS_SITE_ADDR)"))?;
    tracing::info!(%addr, database = control.engine().as_str(), "listening on http://{addr}");
    let grace = Duration::from_secs(config.shutdown_grace_seconds);
    // One signal listener; both the server and the grace timer wait on it.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        stop_tx.send_replace(true);
    });
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        // An error means the sender is gone, which only happens after it sent.
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(stopped(stop_rx.clone()));
    tokio::select! {
        result = server => result.context("server failed")?,
        () = async { stopped(stop_rx).await; tokio::time::sleep(grace).await } => {
            tracing::warn!(seconds = grace.as_secs(), "grace period over; closing remaining connections");
        }
    }
    sweeper.abort();
    session_sweeper.abort();
    if let Some(hearing) = hearing {
        hearing.abort();
    }
    // Connections still lent to unfinished requests must not hold the exit past the grace period.
    let close_all = async {
        registry.close_all().await;
        control.close().await;
    };
    if tokio::time::timeout(grace, close_all).await.is_err() {
        tracing::warn!("database connections still busy; exiting without waiting for them");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Closes workspace pools nobody used for `idle`, checking a few times per period.
async fn close_idle_pools(registry: Registry, idle: Duration) {
    let mut tick = tokio::time::interval((idle / 4).max(Duration::from_secs(1)));
    loop {
        tick.tick().await;
        let closed = registry.close_idle();
        if closed > 0 {
            tracing::debug!(
                closed,
                open = registry.open_count(),
                "closed idle workspace pools"
            );
        }
    }
}

/// Removes ended sessions from the control database every ten minutes.
async fn purge_sessions(control: Db, settings: backend::auth::SessionSettings) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        match backend::auth::session::purge_expired(&control, &settings).await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(removed = n, "removed ended sessions"),
            Err(e) => tracing::warn!(error = %e, "could not remove ended sessions"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_hidden_in_database_urls() {
        assert_eq!(
            super::redact("postgres://app:s3cret@db:5432/iot"),
            "postgres://app:***@db:5432/iot"
        );
        assert_eq!(
            super::redact("sqlite://data/control.db"),
            "sqlite://data/control.db"
        );
    }
}
