//! Typed configuration from flags and environment variables. Every variable is documented in
//! README.md and listed in `.env.example`; a test checks that the three agree.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "iot-rocket",
    version,
    about = "IoT Rocket: white-label, multi-tenant IoT dashboards"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the product over HTTP (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage workspaces: create, list, suspend, resume.
    #[command(subcommand)]
    Workspace(crate::cli::WorkspaceCommand),
    /// Manage operator accounts (the back office at /admin).
    #[command(subcommand)]
    Operator(crate::cli::OperatorCommand),
    /// Check a theme folder and print every problem with its file, line and column.
    #[command(subcommand)]
    Theme(crate::cli::ThemeCommand),
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Folder for the embedded databases and other local files.
    #[arg(long, env = "DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// Control-plane database: `postgres://…` for PostgreSQL; unset for SQLite at DATA_DIR/control.db.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// The theme: a folder name under `themes/` (`agritech`), or a path to a theme folder.
    /// Unset: `themes/default` when that folder is there, else the built-in default.
    #[arg(long, env = "THEME", global = true)]
    pub theme: Option<String>,
    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Most connections the control-plane pool opens.
    #[arg(long, env = "DB_MAX_CONNECTIONS", default_value_t = 8, global = true,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_max_connections: u32,
    /// Connections each workspace database pool may open.
    #[arg(long, env = "WORKSPACE_POOL_CONNECTIONS", default_value_t = 4, global = true,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub workspace_pool_connections: u32,
    /// Connections all workspace pools together may open; the least recently used pool closes
    /// when a new one would pass this.
    #[arg(long, env = "WORKSPACE_MAX_CONNECTIONS", default_value_t = 200, global = true,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub workspace_max_connections: u32,
    /// Seconds after which an unused workspace pool is closed.
    #[arg(long, env = "WORKSPACE_IDLE_SECONDS", default_value_t = 300, global = true,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub workspace_idle_seconds: u64,
    /// SMTP server for mails, e.g. `smtp://user:pass@in-v3.mailjet.com:587?tls=required`;
    /// unset: mails are written as .eml files to DATA_DIR/outbox.
    #[arg(long, env = "SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of mails, e.g. `Acme <no-reply@acme.io>` (default: the theme's name at
    /// no-reply@localhost).
    #[arg(long, env = "MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// The address people reach the product at, for links in mails.
    #[arg(
        long,
        env = "PUBLIC_URL",
        default_value = "http://127.0.0.1:3000",
        global = true
    )]
    pub public_url: String,
    /// Reverse proxies whose `X-Forwarded-For` is believed (comma-separated IP addresses);
    /// empty: the client is the peer of the connection.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', global = true)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "SESSION_IDLE_MINUTES", default_value_t = 30, global = true,
          value_parser = clap::value_parser!(u64).range(1..=10_080))]
    pub session_idle_minutes: u64,
    /// Hours after sign-in at which a session ends, however active.
    #[arg(long, env = "SESSION_LIFETIME_HOURS", default_value_t = 12, global = true,
          value_parser = clap::value_parser!(u64).range(1..=2_160))]
    pub session_lifetime_hours: u64,
    /// Seconds in-flight requests get to finish after SIGTERM before the process exits.
    #[arg(
        long,
        env = "SHUTDOWN_GRACE_SECONDS",
        default_value_t = 10,
        global = true
    )]
    pub shutdown_grace_seconds: u64,
    /// GraphQL endpoint of the device-data source (the startup's API); empty: no source.
    #[arg(
        long,
        env = "DATA_SOURCE_URL",
        default_value = "http://127.0.0.1:4000/graphql",
        global = true
    )]
    pub data_source_url: String,
    /// Bearer token sent to the data source.
    #[arg(long, env = "DATA_SOURCE_TOKEN", global = true, hide_env_values = true)]
    pub data_source_token: Option<String>,
    /// Milliseconds a data-source call may take, retries included.
    #[arg(long, env = "DATA_SOURCE_TIMEOUT_MS", default_value_t = 3000, global = true,
          value_parser = clap::value_parser!(u64).range(100..=60_000))]
    pub data_source_timeout_ms: u64,
    /// Seconds an answer of the data source is reused (per workspace and question).
    #[arg(long, env = "DATA_SOURCE_CACHE_SECONDS", default_value_t = 5, global = true,
          value_parser = clap::value_parser!(u64).range(0..=3_600))]
    pub data_source_cache_seconds: u64,
    /// Map tiles, as a Leaflet URL template with {z}, {x} and {y}; empty: the bundled world
    /// outline only. Browsers fetch the tiles themselves; the server never does.
    #[arg(
        long,
        env = "MAP_TILE_URL",
        default_value = "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        global = true
    )]
    pub map_tile_url: String,
    /// The credit the tile provider requires, shown in each map's corner.
    #[arg(
        long,
        env = "MAP_TILE_ATTRIBUTION",
        default_value = "© OpenStreetMap contributors",
        global = true
    )]
    pub map_tile_attribution: String,
    /// Milliseconds between two questions a live feed asks the data source (one feed per
    /// workspace with a dashboard open, past the cache).
    #[arg(long, env = "LIVE_INTERVAL_MS", default_value_t = 2000, global = true,
          value_parser = clap::value_parser!(u64).range(100..=600_000))]
    pub live_interval_ms: u64,
    /// Seconds between two checks that an open live socket's session still lives.
    #[arg(long, env = "LIVE_SESSION_CHECK_SECONDS", default_value_t = 30, global = true,
          value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub live_session_check_seconds: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Environment variables read outside clap: by Leptos (listen address, site files) and by the
/// log filter.
pub const OTHER_ENV: &[&str] = &["LEPTOS_SITE_ADDR", "LEPTOS_SITE_ROOT", "RUST_LOG"];

impl Config {
    /// The theme in use, watched for edits. A theme that does not load stops start-up with
    /// every problem named.
    pub fn theme_store(&self) -> anyhow::Result<backend::theme::ThemeStore> {
        use backend::theme::{locate, ThemeStore};
        // Renamed: a deployment still setting it would quietly lose its brand.
        if std::env::var_os("THEME_DIR").is_some() {
            anyhow::bail!(
                "THEME_DIR is no longer read: set THEME to the theme's folder name or path instead"
            );
        }
        let themes = std::path::Path::new("themes");
        match self
            .theme
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(theme) => {
                let dir = locate(theme, themes);
                if !dir.join("theme.toml").is_file() {
                    anyhow::bail!("THEME={theme}: there is no theme.toml in {}", dir.display());
                }
                Ok(ThemeStore::open(&dir)?)
            }
            None if themes.join("default/theme.toml").is_file() => {
                Ok(ThemeStore::open(&themes.join("default"))?)
            }
            None => Ok(ThemeStore::builtin()),
        }
    }

    /// The control-plane database URL: DATABASE_URL, or a SQLite file in DATA_DIR.
    pub fn control_database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_string(),
            _ => backend::db::sqlite_url(&self.data_dir.join("control.db")),
        }
    }

    pub fn registry_settings(&self) -> backend::registry::RegistrySettings {
        backend::registry::RegistrySettings {
            per_workspace: self.workspace_pool_connections,
            total: self.workspace_max_connections,
            idle: std::time::Duration::from_secs(self.workspace_idle_seconds),
        }
    }

    pub fn session_settings(&self) -> backend::auth::SessionSettings {
        backend::auth::SessionSettings {
            idle: std::time::Duration::from_secs(self.session_idle_minutes * 60),
            lifetime: std::time::Duration::from_secs(self.session_lifetime_hours * 3600),
        }
    }

    /// The connector to the device-data source; a malformed address is a start-up error.
    pub fn connector(&self) -> anyhow::Result<backend::connector::Connector> {
        use backend::connector::{Connector, Settings, Source};
        let source = match self.data_source_url.trim() {
            "" => None,
            url => Some(
                Source::new(url, self.data_source_token.clone())
                    .map_err(|e| anyhow::anyhow!("DATA_SOURCE_URL: {e}"))?,
            ),
        };
        let mut settings = Settings::default();
        settings.limits.timeout = std::time::Duration::from_millis(self.data_source_timeout_ms);
        settings.cache_ttl = std::time::Duration::from_secs(self.data_source_cache_seconds);
        Ok(Connector::new(source, settings))
    }

    pub fn live_settings(&self) -> backend::live::LiveSettings {
        backend::live::LiveSettings {
            interval: std::time::Duration::from_millis(self.live_interval_ms),
            session_check: std::time::Duration::from_secs(self.live_session_check_seconds),
        }
    }

    /// Where maps take their tiles from; a malformed template is a start-up error.
    pub fn map_tiles(&self) -> anyhow::Result<model::map::MapTiles> {
        model::map::MapTiles::new(&self.map_tile_url, &self.map_tile_attribution)
            .map_err(|e| anyhow::anyhow!("MAP_TILE_URL: {e}"))
    }

    /// Names of every environment variable this configuration reads.
    pub fn env_names() -> Vec<String> {
        use clap::CommandFactory;
        let mut names: Vec<String> = Cli::command()
            .get_arguments()
            .filter_map(|a| a.get_env().map(|e| e.to_string_lossy().into_owned()))
            .collect();
        names.extend(OTHER_ENV.iter().map(|s| s.to_string()));
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("iot-rocket").chain(args.iter().copied()))
            .expect("parse")
    }

    #[test]
    fn defaults_need_no_setup() {
        let cli = parse(&[]);
        assert!(cli.command.is_none());
        assert_eq!(cli.config.data_dir, PathBuf::from("./data"));
        assert_eq!(cli.config.theme, None);
    }

    #[test]
    fn without_database_url_the_control_plane_is_sqlite_in_the_data_dir() {
        let cli = parse(&["--data-dir", "/srv/iot"]);
        assert_eq!(
            cli.config.control_database_url(),
            "sqlite:///srv/iot/control.db?mode=rwc"
        );
        let cli = parse(&["--database-url", "postgres://u@db/iot"]);
        assert_eq!(cli.config.control_database_url(), "postgres://u@db/iot");
    }

    #[test]
    fn the_data_source_defaults_to_the_bundled_datagen_and_a_bad_address_is_refused() {
        let connector = parse(&[]).config.connector().expect("default source");
        let source = connector.source().expect("a source by default");
        assert_eq!(source.url.as_str(), "http://127.0.0.1:4000/graphql");
        assert!(parse(&["--data-source-url", ""])
            .config
            .connector()
            .unwrap()
            .source()
            .is_none());
        let err = parse(&["--data-source-url", "ftp://x/graphql"])
            .config
            .connector()
            .unwrap_err();
        assert!(err.to_string().contains("DATA_SOURCE_URL"), "{err}");
        let token = parse(&["--data-source-token", "s3cret-token-value"])
            .config
            .connector()
            .unwrap();
        assert!(
            !format!("{token:?}").contains("s3cret"),
            "the token is never printed"
        );
    }

    #[test]
    fn flags_work_after_the_subcommand() {
        let cli = parse(&["migrate", "--log-format", "json"]);
        assert!(matches!(cli.command, Some(Command::Migrate)));
        assert_eq!(cli.config.log_format, LogFormat::Json);
    }

    #[test]
    fn bad_values_are_refused_with_the_flag_named() {
        let err =
            Cli::try_parse_from(["iot-rocket", "--log-format", "xml"]).expect_err("bad format");
        assert!(err.to_string().contains("--log-format"), "{err}");
        let err = Cli::try_parse_from(["iot-rocket", "--db-max-connections", "0"])
            .expect_err("zero connections");
        assert!(err.to_string().contains("--db-max-connections"), "{err}");
    }

    #[test]
    fn env_names_include_leptos_and_our_own() {
        let names = Config::env_names();
        for n in [
            "DATA_DIR",
            "DATABASE_URL",
            "THEME",
            "LOG_FORMAT",
            "LEPTOS_SITE_ADDR",
        ] {
            assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
        }
    }
}
