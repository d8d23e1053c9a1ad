//! Structured logs on stderr (stdout stays for command output such as `workspace list --json`):
//! readable text for people, JSON lines (`LOG_FORMAT=json`) for collectors. `RUST_LOG` filters;
//! without it the server logs `info` and the one-shot commands only warnings.

use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;

pub const SERVER_FILTER: &str = "info,sqlx=warn,tower_http=info";
pub const COMMAND_FILTER: &str = "warn";

pub fn init(format: LogFormat, default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
    };
    if let Err(e) = result {
        eprintln!("logging was already set up: {e}");
    }
}
