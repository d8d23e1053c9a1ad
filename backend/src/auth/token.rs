//! Session tokens and the cookie that carries them. A token is 32 random bytes; the database
//! keeps only its SHA-256, so reading the sessions table signs nobody in.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// A fresh random token, as the cookie carries it.
pub fn new_token() -> Result<String, crate::BackendError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| crate::BackendError::Internal(format!("no randomness for a token: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The SHA-256 of `text`, in lowercase hex: how tokens and rate-limit keys are stored.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// How the session cookie is written: `Secure` with a `__Host-` name everywhere except plain
/// HTTP on localhost, always `HttpOnly`, `SameSite=Lax` and for the whole site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionCookie {
    pub secure: bool,
}

impl SessionCookie {
    /// The cookie for a product reached at `public_url`.
    pub fn for_public_url(public_url: &str) -> Self {
        let plain_local = url::Url::parse(public_url).is_ok_and(|u| {
            u.scheme() == "http"
                && matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
        });
        Self {
            secure: !plain_local,
        }
    }

    pub fn name(self) -> &'static str {
        if self.secure {
            "__Host-iotr_session"
        } else {
            "iotr_session"
        }
    }

    /// The `Set-Cookie` value that gives the browser `token` for `max_age_secs`.
    pub fn set(self, token: &str, max_age_secs: u64) -> String {
        format!(
            "{}={token}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{}",
            self.name(),
            if self.secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that removes the cookie.
    pub fn clear(self) -> String {
        self.set("", 0)
    }

    /// The token in a `Cookie` request header, if there is one of ours.
    pub fn read(self, cookie_header: &str) -> Option<String> {
        cookie_header.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == self.name() && !value.is_empty() && value.len() <= 64)
                .then(|| value.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_eq!(sha256_hex("abc").len(), 64);
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_cookie_is_secure_except_on_plain_local_http() {
        let local = SessionCookie::for_public_url("http://localhost:3000");
        assert!(!local.secure);
        assert_eq!(
            local.set("t", 60),
            "iotr_session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"
        );
        assert!(!SessionCookie::for_public_url("http://127.0.0.1:8080").secure);
        for url in [
            "https://iot.example.com",
            "http://iot.example.com",
            "https://localhost",
        ] {
            let c = SessionCookie::for_public_url(url);
            assert!(c.secure, "{url}");
            let header = c.set("t", 60);
            assert!(
                header.starts_with("__Host-iotr_session=t; Path=/;"),
                "{header}"
            );
            assert!(
                header.ends_with("; HttpOnly; SameSite=Lax; Secure"),
                "{header}"
            );
        }
    }

    #[test]
    fn only_our_cookie_is_read() {
        let c = SessionCookie { secure: false };
        assert_eq!(
            c.read("theme=dark; iotr_session=abc; other=1"),
            Some("abc".to_string())
        );
        assert_eq!(c.read("x_iotr_session=abc"), None);
        assert_eq!(c.read("iotr_session="), None);
        assert_eq!(
            SessionCookie { secure: true }.read("iotr_session=abc"),
            None
        );
    }
}
