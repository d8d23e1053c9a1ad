//! The backend's error type. Full details stay in the server log; what reaches a person is an
//! [`ApiError`] with a plain sentence.

use model::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// A database that the request needs cannot be reached right now.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// Any other database failure: a bug or a broken invariant.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    NotFound(String),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// Nobody is signed in (or the session is of another workspace).
    #[error("not signed in")]
    Unauthorized,
    /// Signed in, without the right.
    #[error("forbidden")]
    Forbidden,
    /// Too many attempts; try again after this many seconds.
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The device-data source gave no usable answer.
    #[error("{0}")]
    Source(#[from] crate::connector::SourceError),
    /// A failure that is a bug or a broken environment, described for the log.
    #[error("{0}")]
    Internal(String),
}

impl From<sqlx::Error> for BackendError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => Self::Unavailable(e),
            other => Self::Database(other),
        }
    }
}

impl BackendError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Logs the full error under `request_id` and returns what a person may read.
    pub fn into_api(self, request_id: &str) -> ApiError {
        match self {
            Self::NotFound(message) => ApiError::NotFound { message },
            Self::Invalid { field, message } => ApiError::Invalid { field, message },
            Self::Unauthorized => ApiError::Unauthorized,
            Self::Forbidden => ApiError::Forbidden,
            Self::RateLimited { retry_after_secs } => ApiError::RateLimited { retry_after_secs },
            Self::Unavailable(e) => {
                tracing::warn!(request_id, error = %e, "service unavailable");
                ApiError::Unavailable
            }
            Self::Source(e) => {
                tracing::warn!(request_id, error = %e, "data source unavailable");
                ApiError::SourceUnavailable
            }
            other => {
                tracing::error!(request_id, error = %other, detail = ?other, "internal error");
                ApiError::Internal {
                    request_id: request_id.to_string(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outages_become_unavailable_and_bugs_become_internal_without_details() {
        let api = BackendError::from(sqlx::Error::PoolTimedOut).into_api("r1");
        assert_eq!(api, ApiError::Unavailable);
        let api = BackendError::from(sqlx::Error::RowNotFound).into_api("r2");
        assert_eq!(
            api,
            ApiError::Internal {
                request_id: "r2".into()
            }
        );
        assert!(!api.to_string().contains("RowNotFound"));
    }

    #[test]
    fn user_errors_pass_through() {
        assert_eq!(
            BackendError::invalid("q", "Enter a name.").into_api("r"),
            ApiError::invalid("q", "Enter a name.")
        );
        assert_eq!(
            BackendError::NotFound("No such workspace.".into()).into_api("r"),
            ApiError::not_found("No such workspace.")
        );
    }
}
