//! Server-side glue for server functions and the HTML shell: reaching the shared services,
//! the request id, HTTP statuses, and turning backend errors into what a person may read.

use crate::theme::{theme_json, THEME_SCRIPT_ID};
use crate::App;
use backend::{BackendError, Services};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use leptos_meta::MetaTags;
use model::ApiError;

/// The request header that carries the request id (set by the server's middleware).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

pub fn services() -> Result<Services, ApiError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("services missing from the Leptos context");
        ApiError::Internal {
            request_id: request_id(),
        }
    })
}

/// The id the middleware gave this request, for logs and error references.
pub fn request_id() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(REQUEST_ID_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "-".to_string())
}

/// Who sent this request (the server's middleware put it there).
pub fn caller() -> backend::auth::Caller {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<backend::auth::Caller>().cloned())
        .unwrap_or(backend::auth::Caller::Anonymous)
}

/// The client's address, for per-address rate limits.
pub fn client_addr() -> backend::auth::ClientAddr {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<backend::auth::ClientAddr>().cloned())
        .unwrap_or_default()
}

/// The context for `action` in the workspace at `slug`: the only way a server function reaches
/// a workspace's data. Refusals come back as plain errors with their status set.
pub async fn open_workspace(
    slug: &str,
    action: model::access::Action,
) -> Result<backend::auth::WorkspaceCtx, ApiError> {
    let services = services()?;
    backend::auth::open_workspace(
        &services.control,
        &services.registry,
        &caller(),
        slug,
        action,
    )
    .await
    .map_err(fail)
}

/// The signed-in operator, if the policy lets them do `action`.
pub async fn require_operator(
    action: model::access::Action,
) -> Result<backend::auth::OperatorCtx, ApiError> {
    let services = services()?;
    backend::auth::require_operator(&services.control, &caller(), action)
        .await
        .map_err(fail)
}

/// Gives the browser the session cookie for `token`.
fn set_session_cookie(services: &Services, token: &str) {
    append_header(
        http::header::SET_COOKIE,
        &services
            .cookie
            .set(token, services.sessions.lifetime.as_secs()),
    );
}

/// Gives the browser the new session and sends it to `to`, or when `None` to the home of the
/// workspace signed into (the start page if none).
pub fn signed_in_go(
    services: &Services,
    signed: backend::auth::signin::SignedIn,
    to: Option<&str>,
) {
    set_session_cookie(services, &signed.token);
    let home = match (to, signed.slug) {
        (Some(to), _) => to.to_string(),
        (None, Some(slug)) => slug.home_path(),
        (None, None) => "/".to_string(),
    };
    leptos_axum::redirect(&home);
}

/// Removes the session cookie from the browser.
pub fn clear_session_cookie(services: &Services) {
    append_header(http::header::SET_COOKIE, &services.cookie.clear());
}

pub(crate) fn append_header(name: http::HeaderName, value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(name, value);
    }
}

pub fn set_status(status: u16) {
    if let (Some(response), Ok(code)) = (
        use_context::<ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(code);
    }
}

/// The language of this request (the server provides it with the theme): what mails written
/// for it speak unless their reader chose another.
pub fn language() -> model::Language {
    use_context::<model::Language>().unwrap_or_default()
}

/// Logs a backend error in full and returns the plain version in the request's language, with
/// its HTTP status set —
/// except for a form posted without JavaScript, which must stay a redirect back to its page
/// (the error travels in that URL).
pub fn fail(error: BackendError) -> ApiError {
    // The server's checks write in English; the reader gets their language.
    let api = i18n::localize_error(error.into_api(&request_id()), language());
    if let ApiError::RateLimited { retry_after_secs } = api {
        append_header(http::header::RETRY_AFTER, &retry_after_secs.to_string());
    }
    if !is_plain_form_post() {
        set_status(api.status());
    }
    api
}

fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.method == http::Method::POST
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// The HTML document around the app. Only the server renders it: the theme's CSS variables,
/// every component style, and the theme as JSON for the browser's hydration.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let theme = crate::theme::use_theme();
    let css = format!(
        "{}{}",
        theme.css_variables(),
        crate::styles::component_css()
    );
    let favicon = theme.favicon_url.clone();
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    let language = use_context::<model::Language>().unwrap_or_default();
    view! {
        <!DOCTYPE html>
        <html lang=language.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href=favicon />
                <link rel="stylesheet" href="/map/leaflet/leaflet.css" />
                <link rel="stylesheet" href="/map/markercluster/MarkerCluster.css" />
                <link rel="stylesheet" href="/map/markercluster/MarkerCluster.Default.css" />
                <link rel="stylesheet" href=stylesheet />
                <style>{css}</style>
                <script id=THEME_SCRIPT_ID type="application/json" inner_html=theme_json(&theme)></script>
                // Before the hydration scripts, which run after it (both are deferred).
                <script defer src="/map/leaflet/leaflet.js"></script>
                <script defer src="/map/markercluster/leaflet.markercluster.js"></script>
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}
