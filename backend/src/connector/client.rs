//! One GraphQL call over HTTP to the configured source: a deadline, retries with back-off for
//! transient failures, no redirects, and a cap on the size of the answer.

use super::{Source, SourceError};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Limits {
    /// Deadline of a whole call, retries included.
    pub timeout: Duration,
    /// Tries of a read before giving up (1 = no retry).
    pub attempts: u32,
    /// Largest answer accepted, in bytes.
    pub max_bytes: usize,
}

#[derive(Deserialize)]
struct Envelope {
    data: Option<serde_json::Value>,
    #[serde(default)]
    errors: Vec<GraphQlError>,
}

#[derive(Deserialize)]
struct GraphQlError {
    message: String,
}

/// Posts `query` with `variables` and decodes `data` as `T`.
pub async fn call<T: DeserializeOwned>(
    http: &reqwest::Client,
    source: &Source,
    limits: &Limits,
    query: &str,
    variables: &serde_json::Value,
) -> Result<T, SourceError> {
    let deadline = Instant::now() + limits.timeout;
    let body = serde_json::json!({ "query": query, "variables": variables });
    let mut backoff = Duration::from_millis(100);
    let mut attempt = 1;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let result = match tokio::time::timeout(left, once(http, source, limits, &body)).await {
            Ok(result) => result,
            Err(_) => Err(SourceError::Timeout(limits.timeout)),
        };
        match result {
            Err(e) if e.is_transient() && attempt < limits.attempts => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left <= backoff {
                    return Err(e);
                }
                tracing::warn!(error = %e, attempt, "data source call failed; retrying");
                tokio::time::sleep(backoff).await;
                backoff *= 3;
                attempt += 1;
            }
            Err(e) => return Err(e),
            Ok(bytes) => return decode(&bytes),
        }
    }
}

async fn once(
    http: &reqwest::Client,
    source: &Source,
    limits: &Limits,
    body: &serde_json::Value,
) -> Result<Vec<u8>, SourceError> {
    let mut request = http.post(source.url.clone()).json(body);
    if let Some(token) = &source.token {
        request = request.bearer_auth(token);
    }
    let mut response = request.send().await.map_err(|e| {
        if e.is_timeout() {
            SourceError::Timeout(limits.timeout)
        } else {
            SourceError::Unreachable(error_chain(&e))
        }
    })?;
    let status = response.status();
    if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
        return Err(SourceError::Refused(status.as_u16()));
    }
    if !status.is_success() {
        return Err(SourceError::Status(status.as_u16()));
    }
    if response
        .content_length()
        .is_some_and(|n| n as usize > limits.max_bytes)
    {
        return Err(SourceError::TooLarge(limits.max_bytes));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| SourceError::Unreachable(error_chain(&e)))?
    {
        if bytes.len() + chunk.len() > limits.max_bytes {
            return Err(SourceError::TooLarge(limits.max_bytes));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, SourceError> {
    let envelope: Envelope = serde_json::from_slice(bytes)
        .map_err(|e| SourceError::Garbage(format!("not a GraphQL answer: {e}")))?;
    if !envelope.errors.is_empty() {
        let messages: Vec<String> = envelope.errors.into_iter().map(|e| e.message).collect();
        return Err(SourceError::Rejected(messages.join("; ")));
    }
    let data = envelope
        .data
        .ok_or_else(|| SourceError::Garbage("a GraphQL answer without data".into()))?;
    serde_json::from_value(data)
        .map_err(|e| SourceError::Garbage(format!("an answer of an unexpected shape: {e}")))
}

/// reqwest's errors say little at the top; the causes say what happened.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_data_and_names_what_is_wrong_otherwise() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Answer {
            n: i32,
        }
        assert_eq!(
            decode::<Answer>(br#"{"data":{"n":3}}"#).unwrap(),
            Answer { n: 3 }
        );
        let rejected = decode::<Answer>(br#"{"data":null,"errors":[{"message":"no device x"}]}"#);
        assert!(matches!(rejected, Err(SourceError::Rejected(m)) if m == "no device x"));
        assert!(matches!(
            decode::<Answer>(b"<html>oops"),
            Err(SourceError::Garbage(_))
        ));
        assert!(matches!(
            decode::<Answer>(br#"{"data":{"n":"three"}}"#),
            Err(SourceError::Garbage(_))
        ));
        assert!(matches!(
            decode::<Answer>(br#"{"nothing":1}"#),
            Err(SourceError::Garbage(_))
        ));
    }
}
