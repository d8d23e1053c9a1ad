//! Workspaces: one per customer of the startup, each with its own database.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Words that cannot be a workspace slug because they name parts of the product's URL space.
pub const RESERVED_SLUGS: &[&str] = &[
    "admin", "api", "app", "assets", "auth", "healthz", "login", "logout", "metrics", "pkg",
    "public", "readyz", "root", "signin", "signup", "static", "system", "theme", "w", "www",
];

/// The URL name of a workspace (`/w/<slug>/`): lowercase letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("A workspace address must be at least 3 characters long.")]
    TooShort,
    #[error("A workspace address must be at most 40 characters long.")]
    TooLong,
    #[error("A workspace address may only use lowercase letters, digits and hyphens.")]
    BadCharacter,
    #[error("A workspace address cannot start or end with a hyphen, or hold two in a row.")]
    BadHyphen,
    #[error("\"{0}\" is reserved; please choose another address.")]
    Reserved(String),
}

impl Slug {
    pub fn parse(value: &str) -> Result<Self, SlugError> {
        let len = value.chars().count();
        if len < 3 {
            return Err(SlugError::TooShort);
        }
        if len > 40 {
            return Err(SlugError::TooLong);
        }
        if !value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(SlugError::BadCharacter);
        }
        if value.starts_with('-') || value.ends_with('-') || value.contains("--") {
            return Err(SlugError::BadHyphen);
        }
        if RESERVED_SLUGS.contains(&value) {
            return Err(SlugError::Reserved(value.to_string()));
        }
        Ok(Self(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An address suggested from a company name: letters without accents, digits, single
    /// hyphens; empty when the name gives nothing usable (the person then types one).
    pub fn suggest(name: &str) -> String {
        let mut out = String::new();
        for c in name.to_lowercase().chars() {
            let mapped = match c {
                'a'..='z' | '0'..='9' => Some(c),
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => Some('a'),
                'ç' => Some('c'),
                'è' | 'é' | 'ê' | 'ë' => Some('e'),
                'ì' | 'í' | 'î' | 'ï' => Some('i'),
                'ñ' => Some('n'),
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => Some('o'),
                'ù' | 'ú' | 'û' | 'ü' => Some('u'),
                'ý' | 'ÿ' => Some('y'),
                'ß' => Some('s'),
                _ => None,
            };
            match mapped {
                Some(m) if out.chars().count() < 40 => out.push(m),
                Some(_) => break,
                None if !out.is_empty() && !out.ends_with('-') => out.push('-'),
                None => {}
            }
        }
        let trimmed = out.trim_end_matches('-').to_string();
        match Slug::parse(&trimmed) {
            Ok(slug) => slug.0,
            Err(SlugError::Reserved(word)) => format!("{word}-team"),
            Err(_) => String::new(),
        }
    }

    /// Where the workspace lives in the product.
    pub fn home_path(&self) -> String {
        format!("/w/{}/", self.0)
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceStatus {
    Provisioning,
    Active,
    Suspended,
}

impl WorkspaceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Provisioning => "provisioning",
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "provisioning" => Some(Self::Provisioning),
            "active" => Some(Self::Active),
            "suspended" => Some(Self::Suspended),
            _ => None,
        }
    }
}

/// What anyone may learn about a workspace before signing in: its address, name and whether
/// it is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSummary {
    pub slug: Slug,
    pub name: String,
    pub status: WorkspaceStatus,
}

/// The answer when an address is already used.
pub fn slug_taken_message(slug: &Slug) -> String {
    format!("The address \u{201c}{slug}\u{201d} is taken; please choose another.")
}

/// Whether `message` is one [`Slug::parse`] or [`slug_taken_message`] may give (the pages of
/// forms sent without JavaScript show no other).
pub fn is_slug_message(message: &str) -> bool {
    let fixed = [
        SlugError::TooShort,
        SlugError::TooLong,
        SlugError::BadCharacter,
        SlugError::BadHyphen,
    ];
    fixed.iter().any(|e| e.to_string() == message)
        || RESERVED_SLUGS
            .iter()
            .any(|w| SlugError::Reserved(w.to_string()).to_string() == message)
        || message
            .strip_prefix("The address \u{201c}")
            .and_then(|rest| rest.strip_suffix("\u{201d} is taken; please choose another."))
            .is_some_and(|slug| Slug::parse(slug).is_ok())
}

/// The key a workspace name is found by: trimmed, inner spaces collapsed, lower-cased.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A workspace's own brand over the deployment's theme (co-branding). Each part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoBrand {
    pub name: Option<String>,
    /// `#rrggbb`.
    pub primary: Option<String>,
    /// Where its logo is served, with a version.
    pub logo_url: Option<String>,
}

/// The brand settings page: empty strings where the theme's value is used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandingView {
    pub display_name: String,
    pub primary_color: String,
    pub logo_url: Option<String>,
}

/// The longest display name a workspace may show in the header.
pub const BRAND_NAME_MAX: usize = 60;

pub const FIND_EMPTY: &str = "Enter your workspace's name or address.";
pub const FIND_TOO_LONG: &str = "That is longer than any workspace name (100 characters at most).";
pub const FIND_AMBIGUOUS: &str =
    "Several workspaces have this name. Enter your workspace's address instead.";
pub const FIND_NOT_FOUND: &str =
    "No workspace has that name or address. Check the spelling, or ask your administrator for the address.";

/// Every sentence "find your workspace" may show. The page shows only these, so an error
/// carried in a crafted URL (forms without JavaScript report errors there) cannot put other
/// words under the startup's brand.
pub const FIND_MESSAGES: [&str; 4] = [FIND_EMPTY, FIND_TOO_LONG, FIND_AMBIGUOUS, FIND_NOT_FOUND];

/// Normalises what a person typed into "find your workspace": trimmed, at most 100 characters.
pub fn normalise_search(query: &str) -> Result<String, &'static str> {
    let q = query.trim();
    if q.is_empty() {
        return Err(FIND_EMPTY);
    }
    if q.chars().count() > 100 {
        return Err(FIND_TOO_LONG);
    }
    Ok(q.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_lowercase_digits_and_single_hyphens() {
        for ok in ["acme", "acme-sensors", "a1b", "x".repeat(40).as_str()] {
            assert_eq!(Slug::parse(ok).map(|s| s.to_string()), Ok(ok.to_string()));
        }
    }

    #[test]
    fn names_each_broken_rule() {
        assert_eq!(Slug::parse("ab"), Err(SlugError::TooShort));
        assert_eq!(Slug::parse(&"a".repeat(41)), Err(SlugError::TooLong));
        assert_eq!(Slug::parse("Acme"), Err(SlugError::BadCharacter));
        assert_eq!(Slug::parse("ac me"), Err(SlugError::BadCharacter));
        assert_eq!(Slug::parse("acmé"), Err(SlugError::BadCharacter));
        assert_eq!(Slug::parse("-acme"), Err(SlugError::BadHyphen));
        assert_eq!(Slug::parse("acme-"), Err(SlugError::BadHyphen));
        assert_eq!(Slug::parse("ac--me"), Err(SlugError::BadHyphen));
        assert_eq!(
            Slug::parse("admin"),
            Err(SlugError::Reserved("admin".into()))
        );
        assert_eq!(Slug::parse("pkg"), Err(SlugError::Reserved("pkg".into())));
    }

    #[test]
    fn suggestions_are_valid_addresses() {
        assert_eq!(Slug::suggest("Acme Sensors GmbH"), "acme-sensors-gmbh");
        assert_eq!(
            Slug::suggest("  Éléctricité  du Nord! "),
            "electricite-du-nord"
        );
        assert_eq!(Slug::suggest("Admin"), "admin-team");
        assert_eq!(Slug::suggest("東京"), "");
        assert_eq!(Slug::suggest("ab"), "");
        let long = Slug::suggest(&"word ".repeat(30));
        assert!(Slug::parse(&long).is_ok(), "{long}");
    }

    #[test]
    fn slug_messages_are_recognised_and_forgeries_are_not() {
        assert!(is_slug_message(&SlugError::TooShort.to_string()));
        assert!(is_slug_message(
            &SlugError::Reserved("api".into()).to_string()
        ));
        assert!(is_slug_message(&slug_taken_message(
            &Slug::parse("acme").unwrap()
        )));
        assert!(!is_slug_message(
            &SlugError::Reserved("call 555".into()).to_string()
        ));
        assert!(!is_slug_message(
            "The address \u{201c}Visit evil.example\u{201d} is taken; please choose another."
        ));
    }

    #[test]
    fn deserialising_validates() {
        let ok: Result<Slug, _> = serde_json::from_str("\"acme\"");
        assert!(ok.is_ok());
        let bad: Result<Slug, _> = serde_json::from_str("\"API\"");
        assert!(bad.is_err());
    }

    #[test]
    fn status_round_trips_through_its_text() {
        for s in [
            WorkspaceStatus::Provisioning,
            WorkspaceStatus::Active,
            WorkspaceStatus::Suspended,
        ] {
            assert_eq!(WorkspaceStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(WorkspaceStatus::parse("deleted"), None);
    }

    #[test]
    fn name_keys_ignore_case_and_spacing_in_any_script() {
        assert_eq!(name_key("  Acme   Sensors "), "acme sensors");
        assert_eq!(name_key("ÄCME Çapteurs"), "äcme çapteurs");
        assert_eq!(name_key("ÄCME Çapteurs"), name_key("äcme çapteurs"));
    }

    #[test]
    fn search_input_is_trimmed_and_bounded() {
        assert_eq!(normalise_search("  Acme  "), Ok("Acme".to_string()));
        assert!(normalise_search("   ").is_err());
        assert!(normalise_search(&"a".repeat(101)).is_err());
    }
}
