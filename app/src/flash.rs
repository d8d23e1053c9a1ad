//! Why a form posted without JavaScript was refused. Such a post is sent back to the page it
//! came from; the reason travels in a one-time cookie that the next page shows and clears.
//! Only the server writes that cookie, so no address can put words on a page.

use leptos::prelude::*;
use model::ApiError;

pub const FLASH_COOKIE: &str = "iotr-flash";
/// The longest reason kept (longer ones are cut).
const MAX_CHARS: usize = 500;

/// Most bytes of an encoded reason: a browser drops a cookie over 4 KB.
const MAX_ENCODED: usize = 3_500;

/// `text` percent-encoded for a cookie value (RFC 3986 unreserved characters kept), cut at a
/// whole character so the cookie stays under the browsers' limit.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(MAX_CHARS) {
        let mut buf = [0u8; 4];
        let piece = crate::form::percent_encode(c.encode_utf8(&mut buf));
        if out.len() + piece.len() > MAX_ENCODED {
            break;
        }
        out.push_str(&piece);
    }
    out
}

/// The text back from [`encode`]; `None` when it is not such a value.
pub fn decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = value.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    let text = String::from_utf8(out).ok()?;
    Some(text.chars().take(MAX_CHARS).collect())
}

/// The `Set-Cookie` value that keeps `message` for the page the browser is sent back to
/// (plain routes, such as the logo upload, write it).
pub fn set_cookie(message: &str, secure: bool) -> String {
    format!(
        "{FLASH_COOKIE}={}; Path=/; Max-Age=120; HttpOnly; SameSite=Lax{}",
        encode(message),
        if secure { "; Secure" } else { "" }
    )
}

/// The reason kept for this page, if any, cleared as it is read.
#[server(prefix = "/api", endpoint = "take_flash")]
pub async fn take_flash() -> Result<Option<String>, ApiError> {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(None);
    };
    let kept = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == FLASH_COOKIE).then(|| decode(value)).flatten()
        });
    if kept.is_some() {
        crate::ssr::append_header(
            http::header::SET_COOKIE,
            &format!("{FLASH_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
        );
    }
    Ok(kept.filter(|m| !m.trim().is_empty()))
}

/// The kept reason at the top of the page, once.
#[component]
pub fn FormFlash() -> impl IntoView {
    let kept = Resource::new(|| (), |()| take_flash());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                kept.await.ok().flatten().map(|message| view! {
                    <p id="form-flash" class="form-flash" role="alert">{message}</p>
                })
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_survives_the_cookie() {
        for text in ["Line 2: write \u{201c}a = b\u{201d}.", "50% ; =, done", ""] {
            assert_eq!(decode(&encode(text)).as_deref(), Some(text));
        }
        assert!(!encode("a; b=c").contains([';', ' ', '=']));
        assert_eq!(decode("%E2%8"), None);
        assert_eq!(decode("%ZZ"), None);
        assert_eq!(
            decode(&encode(&"x".repeat(900))).map(|t| t.len()),
            Some(MAX_CHARS)
        );
        // Curly quotes and other non-Latin text take 9 bytes a character once encoded.
        let wide = "\u{201c}é\u{201d}".repeat(200);
        let encoded = encode(&wide);
        assert!(encoded.len() <= MAX_ENCODED, "{}", encoded.len());
        assert!(decode(&encoded).is_some_and(|t| wide.starts_with(&t)));
    }
}
