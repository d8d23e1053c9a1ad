//! A workspace's logo: served to anyone who can see its sign-in page (it tells nothing more),
//! and uploaded by its owners and admins from the brand page as a plain multipart form, so it
//! works without JavaScript. The file is checked by its content before it is stored.

use crate::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use backend::auth::{open_workspace, Caller};
use backend::theme::MAX_ASSET_BYTES;
use backend::workspaces::branding;
use backend::{BackendError, Services};
use model::access::Action;

/// The routes of this module (the access test walks them).
pub fn routes() -> Vec<(&'static str, axum::routing::MethodRouter<AppState>)> {
    vec![(
        "/w/{slug}/brand/logo",
        axum::routing::get(logo)
            .post(upload)
            // Room for the form around a logo of the largest size; more is refused unread.
            .layer(DefaultBodyLimit::max(MAX_ASSET_BYTES + 16 * 1024)),
    )]
}

/// The brand page of a workspace, where the upload form lives.
pub fn brand_page(slug: &str) -> String {
    format!("/w/{slug}/branding")
}

/// `?v=` as pages link the logo: its content's hash.
#[derive(Debug, Default, serde::Deserialize)]
struct Version {
    v: Option<String>,
}

async fn logo(
    State(services): State<Services>,
    Path(slug): Path<String>,
    axum::extract::Query(version): axum::extract::Query<Version>,
    headers: HeaderMap,
) -> Response {
    // Kept a long time only under the address of the file it is: an old address may be
    // asked again after a change, and must not keep the new file under the old name.
    let current = branding::logo_version(
        &services.brands,
        &services.control,
        &services.registry,
        &slug,
    )
    .await;
    let cache = match (&version.v, &current) {
        (Some(asked), Some(current)) if asked == current => "public, max-age=31536000, immutable",
        _ => "no-cache",
    };
    match branding::logo(&services.control, &services.registry, &slug).await {
        Ok(Some((kind, bytes))) => crate::theme_files::image(kind, cache, bytes),
        Ok(None) | Err(BackendError::NotFound(_)) => {
            (StatusCode::NOT_FOUND, "This workspace has no logo.").into_response()
        }
        Err(e) => failure(e, &headers, None),
    }
}

async fn upload(
    State(services): State<Services>,
    Extension(caller): Extension<Caller>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let ctx = match open_workspace(
        &services.control,
        &services.registry,
        &caller,
        &slug,
        Action::BrandWorkspace,
    )
    .await
    {
        Ok(ctx) => ctx,
        Err(e) => return failure(e, &headers, Some(&caller)),
    };
    let saved = match read_logo(multipart).await {
        Ok((name, bytes)) => branding::set_logo(&ctx, &name, &bytes).await,
        Err(message) => Err(BackendError::invalid("logo", message)),
    };
    services.brands.forget(&slug);
    let from_browser = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    match saved {
        Ok(()) if from_browser => {
            Redirect::to(&format!("{}?logo=saved", brand_page(&slug))).into_response()
        }
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(BackendError::Invalid { message, .. }) if from_browser => {
            let mut res = Redirect::to(&brand_page(&slug)).into_response();
            if let Ok(cookie) = HeaderValue::from_str(&app::flash::set_cookie(
                &localized(
                    &format!("The logo was not saved: {message}"),
                    &headers,
                    &caller,
                ),
                services.cookie.secure,
            )) {
                res.headers_mut().append(header::SET_COOKIE, cookie);
            }
            res
        }
        Err(e) => failure(e, &headers, Some(&caller)),
    }
}

/// The `logo` field of the form: its file name and bytes, or why it cannot be read.
async fn read_logo(
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(String, Vec<u8>), String> {
    let too_big = format!("the file is larger than {} KiB.", MAX_ASSET_BYTES / 1024);
    let mut multipart = multipart.map_err(|_| "send the logo as a file in a form.".to_string())?;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Err("choose an image file to upload.".into()),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_big),
            Err(_) => return Err("the upload was cut short; try again.".into()),
        };
        if field.name() != Some("logo") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_string();
        return match field.bytes().await {
            Ok(bytes) if bytes.len() > MAX_ASSET_BYTES => Err(too_big),
            Ok(bytes) => Ok((name, bytes.to_vec())),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(too_big),
            Err(_) => Err("the upload was cut short; try again.".into()),
        };
    }
}

/// A sentence of this module in the language of the reader's pages.
fn localized(english: &str, headers: &HeaderMap, caller: &Caller) -> String {
    i18n::server_message(english, crate::language::of(headers, Some(caller)))
        .unwrap_or_else(|| english.to_string())
}

fn failure(e: BackendError, headers: &HeaderMap, caller: Option<&Caller>) -> Response {
    let api = crate::error::api_error(e, headers, caller, "a logo");
    crate::error::RouteError(api).into_response()
}
