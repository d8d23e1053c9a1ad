//! What the operators' back office at `/admin` shows.

use crate::WorkspaceSummary;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceListing {
    #[serde(flatten)]
    pub summary: WorkspaceSummary,
    /// Milliseconds since 1970-01-01 UTC.
    pub created_at: i64,
}

/// A mail written to the outbox folder (when no SMTP server is configured).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub file: String,
    /// Milliseconds since 1970-01-01 UTC.
    pub at: i64,
    pub to: String,
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub operator_name: String,
    pub workspaces: Vec<WorkspaceListing>,
    /// `None` when mails go out over SMTP.
    pub outbox: Option<Vec<OutboxMail>>,
    /// The newest operator actions (and failed operator sign-ins), newest first.
    pub audit: Vec<crate::members::AuditListing>,
}

/// A workspace in the back office: what it is and which data source it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminWorkspaceView {
    pub summary: WorkspaceSummary,
    /// Its own source, or `None` when it reads the deployment's.
    pub own_source: Option<OwnSource>,
    /// The deployment's source (`DATA_SOURCE_URL`), if one is configured.
    pub deployment_source: Option<String>,
    /// Its dashboards, which operators may keep as templates; `None` when its database could
    /// not be read (the rest of the page still shows).
    #[serde(default)]
    pub dashboards: Option<Vec<crate::dashboards::DashboardSummary>>,
}

/// A workspace's own data source as operators see it: never its token, only whether it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnSource {
    pub url: String,
    pub has_token: bool,
    /// Registry id → id at the source, sorted by registry id.
    pub id_map: Vec<(String, String)>,
    /// Milliseconds since 1970-01-01 UTC.
    pub updated_at: i64,
}

/// What a check of a workspace's data source found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCheck {
    /// The source asked (the workspace's own, else the deployment's).
    pub url: Option<String>,
    /// How many devices it has, when it answered.
    pub devices: Option<u32>,
    /// Why it did not answer, in the operator's words.
    pub problem: Option<String>,
    pub millis: u64,
}

/// Reads the id map an operator typed: one `registry id = source id` per line (a comma or a
/// tab also separates them); blank lines and lines starting with `#` are skipped. Errors name
/// the line.
pub fn parse_id_map(text: &str) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut map = std::collections::BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let n = n + 1;
        let (registry, source) = line
            .split_once('=')
            .or_else(|| line.split_once(','))
            .or_else(|| line.split_once('\t'))
            .ok_or_else(|| format!("Line {n}: write \"registry id = source id\"."))?;
        let (registry, source) = (registry.trim(), source.trim());
        if registry.is_empty() || source.is_empty() {
            return Err(format!("Line {n}: both ids must be non-empty."));
        }
        if map
            .insert(registry.to_string(), source.to_string())
            .is_some()
        {
            return Err(format!("Line {n}: {registry} is mapped twice."));
        }
    }
    Ok(map)
}

/// The id map as the form shows it, one pair per line.
pub fn format_id_map(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(registry, source)| format!("{registry} = {source}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_map_reads_back_what_it_wrote() {
        let map =
            parse_id_map("# ours = theirs\nwx-1 = station-A\n\n gps-2,tracker-9 \nkwh-3\tm3\n")
                .expect("valid");
        let pairs: Vec<(String, String)> = map.clone().into_iter().collect();
        assert_eq!(
            pairs,
            [
                ("gps-2", "tracker-9"),
                ("kwh-3", "m3"),
                ("wx-1", "station-A")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert_eq!(parse_id_map(&format_id_map(&pairs)), Ok(map));
        assert_eq!(parse_id_map(""), Ok(Default::default()));
    }

    #[test]
    fn a_bad_line_is_named() {
        assert_eq!(
            parse_id_map("a = b\nlonely\n"),
            Err("Line 2: write \"registry id = source id\".".into())
        );
        assert_eq!(
            parse_id_map("a = \n"),
            Err("Line 1: both ids must be non-empty.".into())
        );
        assert_eq!(
            parse_id_map("a = b\na = c"),
            Err("Line 2: a is mapped twice.".into())
        );
    }
}
