//! The one error type server functions return. The UI matches on its variants; every message
//! is a plain sentence a person can read. Internal details never get here: the server logs
//! them and sends `Internal` or `Unavailable` instead.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ApiError {
    /// The thing asked for does not exist (or the caller may not know that it exists).
    #[error("{message}")]
    NotFound { message: String },
    /// The caller is signed in but lacks the right.
    #[error("You are not allowed to do that.")]
    Forbidden,
    /// The caller must sign in first.
    #[error("Please sign in first.")]
    Unauthorized,
    /// Too many attempts (sign-in failures, creations) from this account or address; the
    /// caller may try again after `retry_after_secs`.
    #[error("Too many attempts. Please try again in {}.", wait_words(*retry_after_secs))]
    RateLimited { retry_after_secs: u64 },
    /// One input is wrong; `field` names the form field, `message` says what to fix.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// A service the request needs (a database, the device-data source) cannot be reached.
    #[error("The service is unavailable right now. Please try again in a moment.")]
    Unavailable,
    /// The startup's device-data source did not answer (down, slow, or answering nonsense).
    #[error("The data source is unavailable.")]
    SourceUnavailable,
    /// Something went wrong on the server; details are in the server log under this request id.
    #[error("Something went wrong on our side (reference {request_id}).")]
    Internal { request_id: String },
    /// The request did not reach the server function or its answer could not be read
    /// (network failure, bad arguments). The text is safe to show.
    #[error("{message}")]
    Transport { message: String },
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The HTTP status that goes with this error.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound { .. } => 404,
            Self::Forbidden => 403,
            Self::Unauthorized => 401,
            Self::Invalid { .. } | Self::Transport { .. } => 400,
            Self::RateLimited { .. } => 429,
            Self::Unavailable => 503,
            // The upstream failed, not us.
            Self::SourceUnavailable => 502,
            Self::Internal { .. } => 500,
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound {
            message: message.into(),
        }
    }

    fn transport(message: &str) -> Self {
        Self::Transport {
            message: message.to_string(),
        }
    }

    /// The message for one form field, if this error is about that field.
    pub fn field_message(&self, name: &str) -> Option<&str> {
        match self {
            Self::Invalid { field, message } if field == name => Some(message),
            _ => None,
        }
    }
}

/// A wait in words: "40 seconds", "3 minutes", "2 hours".
pub fn wait_words(secs: u64) -> String {
    let (n, unit) = match secs {
        0..=59 => (secs.max(1), "second"),
        60..=3599 => (secs.div_ceil(60), "minute"),
        _ => (secs.div_ceil(3600), "hour"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

impl server_fn::error::FromServerFnError for ApiError {
    type Encoder = server_fn::codec::JsonEncoding;

    /// Failures of the server-function machinery itself (network, encoding) in plain words.
    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        use server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(_) => {
                Self::transport("Could not reach the server. Check your connection and try again.")
            }
            E::Args(_) | E::MissingArg(_) | E::Deserialization(_) | E::Serialization(_) => {
                Self::transport("The request could not be understood. Please reload the page.")
            }
            _ => Self::transport("The request could not be completed. Please try again."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_http_meaning() {
        assert_eq!(ApiError::not_found("x").status(), 404);
        assert_eq!(ApiError::Forbidden.status(), 403);
        assert_eq!(ApiError::Unauthorized.status(), 401);
        assert_eq!(ApiError::invalid("slug", "too short").status(), 400);
        assert_eq!(ApiError::Unavailable.status(), 503);
        assert_eq!(
            ApiError::Internal {
                request_id: "r".into()
            }
            .status(),
            500
        );
    }

    #[test]
    fn every_variant_round_trips_through_json_with_a_kind_tag() {
        let all = [
            ApiError::not_found("No such page."),
            ApiError::Forbidden,
            ApiError::Unauthorized,
            ApiError::invalid("name", "Enter a name."),
            ApiError::Unavailable,
            ApiError::RateLimited {
                retry_after_secs: 90,
            },
            ApiError::Internal {
                request_id: "r".into(),
            },
            ApiError::transport("offline"),
        ];
        for e in all {
            let json = serde_json::to_string(&e).expect("serialise");
            assert!(json.starts_with("{\"kind\":"), "{json}");
            assert_eq!(serde_json::from_str::<ApiError>(&json).expect("parse"), e);
        }
        let json = serde_json::to_string(&ApiError::invalid("name", "x")).expect("serialise");
        assert!(json.contains("\"field\":\"name\""), "{json}");
    }

    #[test]
    fn field_message_only_matches_its_field() {
        let e = ApiError::invalid("name", "Enter a name.");
        assert_eq!(e.field_message("name"), Some("Enter a name."));
        assert_eq!(e.field_message("email"), None);
        assert_eq!(ApiError::Forbidden.field_message("name"), None);
    }

    #[test]
    fn rate_limits_say_when_to_retry() {
        let e = ApiError::RateLimited {
            retry_after_secs: 90,
        };
        assert_eq!(e.status(), 429);
        assert_eq!(
            e.to_string(),
            "Too many attempts. Please try again in 2 minutes."
        );
        assert_eq!(wait_words(1), "1 second");
        assert_eq!(wait_words(0), "1 second");
        assert_eq!(wait_words(3600), "1 hour");
        assert_eq!(wait_words(3601), "2 hours");
    }

    #[test]
    fn messages_are_plain_sentences() {
        assert_eq!(
            ApiError::Unavailable.to_string(),
            "The service is unavailable right now. Please try again in a moment."
        );
        assert!(ApiError::Internal {
            request_id: "abc".into()
        }
        .to_string()
        .contains("abc"));
    }
}
