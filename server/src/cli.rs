//! `iot-rocket workspace …` (create, list, suspend, resume, export, import, erase) and
//! `iot-rocket operator create`: the commands of the people who run the deployment. Errors
//! are one plain sentence on stderr and a non-zero exit code.

use crate::config::Config;
use backend::workspaces::{self, NewWorkspace};
use backend::BackendError;
use clap::Subcommand;
use model::WorkspaceStatus;
use std::io::{BufRead, IsTerminal, Write};

/// A value that never appears in Debug output (logs, panics).
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_string()))
    }
}

#[derive(Debug, Subcommand)]
pub enum WorkspaceCommand {
    /// Create a workspace with its own database and its owner's account.
    Create {
        /// Address of the workspace (`/w/<slug>/`): lowercase letters, digits and hyphens.
        #[arg(long)]
        slug: String,
        /// Company name shown in the workspace.
        #[arg(long)]
        name: String,
        #[arg(long)]
        owner_email: String,
        /// Owner's name (default: the part of the e-mail before '@').
        #[arg(long)]
        owner_name: Option<String>,
        /// Owner's password; read from standard input when not given (safer: a flag shows in
        /// the process list).
        #[arg(long)]
        owner_password: Option<Secret>,
    },
    /// List the workspaces.
    List {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Suspend a workspace: its data stays, nobody can use it.
    Suspend { slug: String },
    /// Resume a suspended workspace.
    Resume { slug: String },
    /// Export everything a workspace holds to one archive (GDPR): manifest.json plus one JSON
    /// Lines file per table, in a .tar.gz.
    Export {
        slug: String,
        /// Archive to write.
        #[arg(short, long)]
        output: std::path::PathBuf,
    },
    /// Restore an export into a new workspace.
    Import {
        /// Archive written by `workspace export`.
        file: std::path::PathBuf,
        /// Address of the new workspace.
        #[arg(long)]
        slug: String,
        /// Company name (default: the one in the archive).
        #[arg(long)]
        name: Option<String>,
    },
    /// Point a workspace at its own device-data source instead of DATA_SOURCE_URL (token read
    /// from standard input with --token-stdin), or back to the deployment's with --clear.
    Source {
        slug: String,
        /// GraphQL endpoint of the workspace's source (http:// or https://).
        #[arg(long, required_unless_present = "clear")]
        url: Option<String>,
        /// Read the source's bearer token from standard input.
        #[arg(long)]
        token_stdin: bool,
        /// JSON file mapping registry device ids to the ids at this source, e.g.
        /// {"pump-1": "acme/pump-0001"}; ids not in it are the same at both.
        #[arg(long)]
        id_map: Option<std::path::PathBuf>,
        /// Read the deployment's source again.
        #[arg(long, conflicts_with_all = ["url", "token_stdin", "id_map"])]
        clear: bool,
    },
    /// Erase a workspace for good: its database and every record of it (a tombstone with its
    /// id stays). Cannot be undone.
    Erase {
        slug: String,
        /// Confirms that the workspace and all its data should go.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Create an operator account (they sign in at /admin).
    Create {
        #[arg(long)]
        email: String,
        /// Operator's name (default: the part of the e-mail before '@').
        #[arg(long)]
        name: Option<String>,
        /// Password; read from standard input when not given.
        #[arg(long)]
        password: Option<Secret>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Check a theme folder: every problem with file, line, column and key, and colour pairs
    /// below WCAG AA contrast as warnings. Exits with 1 when the theme cannot be used.
    Check {
        /// The theme: a folder name under `themes/` (as `THEME` takes it) or a folder's path.
        theme: String,
    },
}

/// Runs a theme command: the report goes to `out`. Returns whether the theme is usable.
pub fn run_theme(command: ThemeCommand, out: &mut impl Write) -> bool {
    let ThemeCommand::Check { theme } = command;
    let dir = backend::theme::locate(&theme, std::path::Path::new("themes"));
    match backend::theme::load(&dir) {
        Ok(loaded) => {
            for warning in &loaded.warnings {
                let _ = writeln!(
                    out,
                    "warning: {}: {warning}",
                    dir.join("theme.toml").display()
                );
            }
            let _ = writeln!(
                out,
                "{}: usable theme \u{201c}{}\u{201d}, {} warning(s)",
                dir.display(),
                loaded.theme.product_name,
                loaded.warnings.len()
            );
            true
        }
        Err(e) => {
            for problem in &e.problems {
                let _ = writeln!(out, "error: {problem}");
            }
            let _ = writeln!(
                out,
                "{}: not usable, {} problem(s)",
                dir.display(),
                e.problems.len()
            );
            false
        }
    }
}

/// Runs an operator command; the error is the sentence to print.
pub async fn run_operator(config: &Config, command: OperatorCommand) -> Result<(), String> {
    let control = crate::open_control_db(config)
        .await
        .map_err(|e| format!("{e:#}"))?;
    let result = match command {
        OperatorCommand::Create {
            email,
            name,
            password,
        } => {
            let password = match password {
                Some(Secret(p)) => p,
                None => read_password("Operator's password", "--password")?,
            };
            let name = name.unwrap_or_else(|| local_part(&email));
            backend::auth::operators::create(&control, &email, &name, &password)
                .await
                .map(|_| println!("Created operator {email}; they sign in at /admin"))
        }
    };
    control.close().await;
    result.map_err(sentence)
}

fn local_part(email: &str) -> String {
    email
        .split('@')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Runs a workspace command; the error is the sentence to print.
pub async fn run(config: &Config, command: WorkspaceCommand) -> Result<(), String> {
    let control = crate::open_control_db(config)
        .await
        .map_err(|e| format!("{e:#}"))?;
    let registry = crate::open_registry(config, &control)
        .await
        .map_err(|e| format!("{e:#}"))?;
    // What the operators' audit log will say of this command, if it succeeds.
    let audit = match &command {
        WorkspaceCommand::Create { slug, .. } => Some(("workspace_created", slug.clone())),
        WorkspaceCommand::Suspend { slug } => Some(("workspace_suspended", slug.clone())),
        WorkspaceCommand::Resume { slug } => Some(("workspace_resumed", slug.clone())),
        WorkspaceCommand::Export { slug, .. } => Some(("workspace_exported", slug.clone())),
        WorkspaceCommand::Import { slug, .. } => Some(("workspace_imported", slug.clone())),
        WorkspaceCommand::Source { slug, .. } => Some(("workspace_source_changed", slug.clone())),
        WorkspaceCommand::Erase { slug, yes: true } => Some(("workspace_erased", slug.clone())),
        WorkspaceCommand::Erase { yes: false, .. } | WorkspaceCommand::List { .. } => None,
    };
    let result = match command {
        WorkspaceCommand::Create {
            slug,
            name,
            owner_email,
            owner_name,
            owner_password,
        } => {
            let owner_password = match owner_password {
                Some(Secret(p)) => p,
                None => read_password("Owner's password", "--owner-password")?,
            };
            let owner_name = owner_name.unwrap_or_else(|| local_part(&owner_email));
            let new = NewWorkspace {
                slug,
                name,
                owner_name,
                owner_email,
                owner_password,
            };
            workspaces::create(&control, &registry, new)
                .await
                .map(|ws| println!("Created workspace {} at /w/{}/", ws.name, ws.slug))
        }
        WorkspaceCommand::List { json } => workspaces::list(&control).await.map(|rows| {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&rows).unwrap_or_default()
                );
            } else {
                print_table(&rows);
            }
        }),
        WorkspaceCommand::Suspend { slug } => {
            workspaces::set_status(&control, &slug, WorkspaceStatus::Suspended)
                .await
                .map(|()| println!("Suspended /w/{slug}/"))
        }
        WorkspaceCommand::Export { slug, output } => {
            let bar = table_progress("exporting");
            let result = workspaces::export(&control, &registry, &slug, &output, |table, rows| {
                bar.set_message(format!("{table}: {rows} rows"));
                bar.inc(1);
            })
            .await;
            bar.finish_and_clear();
            result.map(|manifest| {
                let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
                println!("Exported /w/{slug}/ ({rows} rows) to {}", output.display());
            })
        }
        WorkspaceCommand::Import { file, slug, name } => {
            let bar = table_progress("importing");
            let result =
                workspaces::import(&control, &registry, &file, &slug, name, |table, rows| {
                    bar.set_message(format!("{table}: {rows} rows"));
                    bar.inc(1);
                })
                .await;
            bar.finish_and_clear();
            result.map(|ws| println!("Imported {} into /w/{}/", file.display(), ws.slug))
        }
        WorkspaceCommand::Erase { slug, yes: false } => Err(BackendError::invalid(
            "yes",
            format!("Erasing /w/{slug}/ cannot be undone; add --yes to confirm."),
        )),
        WorkspaceCommand::Erase { slug, yes: true } => {
            workspaces::erase(&control, &registry, &slug)
                .await
                .map(|()| println!("Erased /w/{slug}/"))
        }
        WorkspaceCommand::Source {
            slug,
            url,
            token_stdin,
            id_map,
            clear,
        } => set_source(&control, &slug, url, token_stdin, id_map, clear).await,
        WorkspaceCommand::Resume { slug } => {
            workspaces::set_status(&control, &slug, WorkspaceStatus::Active)
                .await
                .map(|()| println!("Resumed /w/{slug}/"))
        }
    };
    let result = match (result, audit) {
        (Ok(()), Some((action, slug))) => {
            backend::audit::record_operator(
                &control,
                None,
                action,
                &format!("/w/{slug}/ from the command line"),
            )
            .await
        }
        (result, _) => result,
    };
    registry.close_all().await;
    control.close().await;
    result.map_err(sentence)
}

/// A bar over the workspace tables, on stderr (drawn only on a terminal).
fn table_progress(verb: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(workspaces::archive::TABLES.len() as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} tables  {msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(verb);
    bar
}

fn sentence(e: BackendError) -> String {
    match e {
        BackendError::Invalid { message, .. } => message,
        BackendError::NotFound(message) => message,
        BackendError::Unavailable(e) => format!("The database cannot be reached: {e}."),
        other => format!("The command failed: {other}."),
    }
}

async fn set_source(
    control: &backend::Db,
    slug: &str,
    url: Option<String>,
    token_stdin: bool,
    id_map: Option<std::path::PathBuf>,
    clear: bool,
) -> Result<(), BackendError> {
    use backend::connector::workspace;
    if clear {
        workspace::clear(control, slug).await?;
        println!("/w/{slug}/ reads the deployment's data source again");
        return Ok(());
    }
    let url = url.unwrap_or_default();
    let token = if token_stdin {
        workspace::Token::Replace(
            read_password("Token", "--token-stdin")
                .map_err(|m| BackendError::invalid("token", m))?,
        )
    } else {
        workspace::Token::Remove
    };
    let id_map = match id_map {
        None => Default::default(),
        Some(path) => {
            let text = std::fs::read_to_string(&path)?;
            serde_json::from_str(&text).map_err(|e| {
                BackendError::invalid(
                    "id_map",
                    format!("{}: not a JSON object of ids: {e}", path.display()),
                )
            })?
        }
    };
    workspace::set(control, slug, &url, token, id_map).await?;
    println!("/w/{slug}/ reads its devices from {url}");
    Ok(())
}

fn read_password(prompt: &str, flag: &str) -> Result<String, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{prompt}: ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("Cannot read the password from standard input: {e}."))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(format!(
            "Give the password with {flag} or on standard input."
        ));
    }
    Ok(password)
}

fn print_table(rows: &[workspaces::WorkspaceRow]) {
    if rows.is_empty() {
        println!("No workspaces yet.");
        return;
    }
    let slug_w = rows
        .iter()
        .map(|r| r.summary.slug.as_str().len())
        .max()
        .unwrap_or(4)
        .max(4);
    let name_w = rows
        .iter()
        .map(|r| r.summary.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "{:slug_w$}  {:name_w$}  {:10}  CREATED (UTC)",
        "SLUG", "NAME", "STATUS"
    );
    for r in rows {
        println!(
            "{:slug_w$}  {:name_w$}  {:10}  {}",
            r.summary.slug.as_str(),
            r.summary.name,
            r.summary.status.as_str(),
            civil_date(r.created_at)
        );
    }
}

/// `YYYY-MM-DD` of a Unix time in milliseconds (proleptic Gregorian calendar, UTC).
fn civil_date(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn passwords_given_as_flags_stay_out_of_debug_output() {
        use clap::Parser;
        let cli = crate::config::Cli::try_parse_from([
            "iot-rocket",
            "workspace",
            "create",
            "--slug",
            "acme",
            "--name",
            "Acme",
            "--owner-email",
            "a@acme.example",
            "--owner-password",
            "hunter2 hunter2",
        ])
        .expect("parse");
        let shown = format!("{cli:?}");
        assert!(shown.contains("Secret(***)"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn dates_are_civil_utc_days() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(951_782_400_000), "2000-02-29");
        assert_eq!(civil_date(1_796_342_400_000), "2026-12-04");
        assert_eq!(civil_date(-86_400_000), "1969-12-31");
    }
}
