//! Who is asking, built once per request to a page or server function: the session behind the
//! cookie becomes a [`Caller`] and the peer address a [`ClientAddr`], both in the request's
//! extensions, where those handlers read them. Also the cross-origin guard for every request
//! that changes state.

use crate::error::RouteError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use backend::auth::{session, Caller, ClientAddr};
use backend::Services;
use model::ApiError;
use std::net::{IpAddr, SocketAddr};

/// Puts the request's [`Caller`] and [`ClientAddr`] into its extensions.
pub async fn resolve_caller(
    State(services): State<Services>,
    mut req: Request,
    next: Next,
) -> Response {
    let token = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| services.cookie.read(v));
    let caller = match token {
        None => Caller::Anonymous,
        Some(token) => {
            match session::resolve(&services.control, &token, &services.sessions).await {
                Ok(Some(s)) => Caller::Signed(s),
                Ok(None) => Caller::Anonymous,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot look the session up");
                    Caller::Unknown
                }
            }
        }
    };
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| {
            ClientAddr(client_ip(addr.ip(), forwarded, &services.trusted_proxies).to_string())
        })
        .unwrap_or_default();
    req.extensions_mut().insert(caller);
    req.extensions_mut().insert(client);
    next.run(req).await
}

/// Puts the workspace's brand ([`model::workspace::CoBrand`]) into the extensions of a page request under
/// `/w/<slug>/`, read through the brand cache (no query most of the time). A session of another
/// workspace is told nothing of this one, its brand included: it gets the theme's look.
pub async fn co_brand(State(services): State<Services>, mut req: Request, next: Next) -> Response {
    if req.method() == Method::GET {
        let slug = req
            .uri()
            .path()
            .strip_prefix("/w/")
            .and_then(|rest| rest.split('/').next())
            .filter(|s| model::Slug::parse(s).is_ok())
            .map(str::to_string);
        if let Some(slug) = slug {
            let page = services
                .brands
                .page(&services.control, &services.registry, &slug)
                .await;
            let stranger = |workspace: &str| {
                matches!(
                    req.extensions().get::<Caller>(),
                    Some(Caller::Signed(backend::auth::Session {
                        subject: backend::auth::Subject::Member { workspace_id, .. },
                        ..
                    })) if workspace_id != workspace
                )
            };
            if let Some(page) = page.filter(|p| !stranger(&p.workspace_id)) {
                req.extensions_mut().insert(page.brand);
            }
        }
    }
    next.run(req).await
}

/// The client behind a request: the peer, unless the peer is a trusted proxy; then the nearest
/// address in `X-Forwarded-For` (read from the right) that is not itself a trusted proxy. A
/// client cannot pose as another: entries it wrote lie left of what the proxies appended.
pub fn client_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_for.unwrap_or_default().rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => client = ip,
            Ok(ip) => return ip,
            Err(_) => break,
        }
    }
    client
}

/// The origin (`scheme://host[:port]`) of a URL, as browsers write it in `Origin`.
fn origin_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    match u.origin() {
        url::Origin::Tuple(..) => Some(u.origin().ascii_serialization()),
        url::Origin::Opaque(_) => None,
    }
}

/// Whether a request may change state: safe methods always; others only when the browser says
/// they come from this site (`Origin`, else `Referer`, matching the public address or the
/// `Host` the request was sent to). A request with neither header is not from a browser form
/// or script of another site (browsers send `Origin` on every cross-origin POST), so it passes.
pub fn same_origin(method: &Method, headers: &HeaderMap, public_url: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
    };
    let claimed = match (text(header::ORIGIN), text(header::REFERER)) {
        (Some(origin), _) => origin.to_string(),
        (None, Some(referer)) => match origin_of(referer) {
            Some(o) => o,
            None => return false,
        },
        (None, None) => return true,
    };
    if origin_of(public_url).as_deref() == Some(claimed.as_str()) {
        return true;
    }
    // The host the request was sent to, with the public address's scheme (never plain HTTP
    // behind an HTTPS address).
    let scheme = url::Url::parse(public_url).map_or("https", |u| {
        if u.scheme() == "http" {
            "http"
        } else {
            "https"
        }
    });
    text(header::HOST).is_some_and(|host| {
        origin_of(&format!("{scheme}://{host}")).as_deref() == Some(claimed.as_str())
    })
}

/// Refuses (403) a state-changing request sent from another site.
pub async fn refuse_cross_origin(
    State(services): State<Services>,
    req: Request,
    next: Next,
) -> Response {
    if same_origin(req.method(), req.headers(), &services.public_url) {
        next.run(req).await
    } else {
        tracing::warn!(
            origin = ?req.headers().get(header::ORIGIN),
            referer = ?req.headers().get(header::REFERER),
            "refused a cross-origin request"
        );
        RouteError(ApiError::Forbidden).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    const PUBLIC: &str = "https://iot.example.com";

    #[test]
    fn the_client_is_the_peer_unless_a_trusted_proxy_says_otherwise() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let proxy = ip("10.0.0.2");
        let trusted = [proxy, ip("10.0.0.3")];
        // No trusted proxies: the header is ignored.
        assert_eq!(
            client_ip(ip("203.0.113.9"), Some("1.2.3.4"), &[]),
            ip("203.0.113.9")
        );
        // A peer that is no trusted proxy cannot claim an address.
        assert_eq!(
            client_ip(ip("203.0.113.9"), Some("1.2.3.4"), &trusted),
            ip("203.0.113.9")
        );
        // Behind the proxy: the address it appended, not what the client wrote before it.
        assert_eq!(
            client_ip(proxy, Some("6.6.6.6, 198.51.100.7"), &trusted),
            ip("198.51.100.7")
        );
        // Two proxies deep.
        assert_eq!(
            client_ip(proxy, Some("198.51.100.7, 10.0.0.3"), &trusted),
            ip("198.51.100.7")
        );
        // Nothing usable: the proxy itself.
        assert_eq!(client_ip(proxy, None, &trusted), proxy);
        assert_eq!(client_ip(proxy, Some("garbage"), &trusted), proxy);
    }

    #[test]
    fn reads_pass_whatever_their_origin() {
        let h = headers(&[(header::ORIGIN, "https://evil.example")]);
        assert!(same_origin(&Method::GET, &h, PUBLIC));
    }

    #[test]
    fn writes_from_this_site_pass_and_from_others_do_not() {
        let ok = [
            headers(&[(header::ORIGIN, "https://iot.example.com")]),
            headers(&[(header::REFERER, "https://iot.example.com/w/acme/")]),
            headers(&[
                (header::HOST, "127.0.0.1:3000"),
                (header::ORIGIN, "https://127.0.0.1:3000"),
            ]),
            headers(&[]),
        ];
        for h in ok {
            assert!(same_origin(&Method::POST, &h, PUBLIC), "{h:?}");
        }
        let refused = [
            headers(&[(header::ORIGIN, "https://evil.example")]),
            headers(&[(header::ORIGIN, "null")]),
            headers(&[(header::ORIGIN, "https://iot.example.com.evil.example")]),
            headers(&[(header::REFERER, "https://evil.example/iot.example.com")]),
            headers(&[(header::REFERER, "not a url")]),
            headers(&[
                (header::HOST, "127.0.0.1:3000"),
                (header::ORIGIN, "https://127.0.0.1:3001"),
            ]),
            // Plain HTTP to the right host, when the public address is HTTPS.
            headers(&[
                (header::HOST, "iot.example.com"),
                (header::ORIGIN, "http://iot.example.com"),
            ]),
            // Origin wins over a same-site Referer.
            headers(&[
                (header::ORIGIN, "https://evil.example"),
                (header::REFERER, "https://iot.example.com/"),
            ]),
        ];
        for h in refused {
            assert!(!same_origin(&Method::POST, &h, PUBLIC), "{h:?}");
            assert!(!same_origin(&Method::DELETE, &h, PUBLIC), "{h:?}");
        }
        // A plain-HTTP deployment matches its own scheme.
        let h = headers(&[
            (header::HOST, "127.0.0.1:3000"),
            (header::ORIGIN, "http://127.0.0.1:3000"),
        ]);
        assert!(same_origin(&Method::POST, &h, "http://localhost:3000"));
    }
}
