//! People in a workspace: e-mail addresses, names, passwords and roles, with the rules a form
//! checks before anything is stored.

use serde::{Deserialize, Serialize};

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

/// A user's role in a workspace, from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Editor,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Editor => "editor",
            Self::Viewer => "viewer",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "owner" => Some(Self::Owner),
            "admin" => Some(Self::Admin),
            "editor" => Some(Self::Editor),
            "viewer" => Some(Self::Viewer),
            _ => None,
        }
    }
}

/// The signed-in person, as a workspace page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub email: String,
    /// `None` for an operator visiting the workspace.
    pub role: Option<Role>,
    pub workspace: crate::WorkspaceSummary,
}

pub const EMAIL_EMPTY: &str = "Enter an e-mail address.";
pub const EMAIL_TOO_LONG: &str = "That e-mail address is too long.";
pub const EMAIL_MALFORMED: &str = "An e-mail address looks like name@example.com.";
/// Every sentence [`Email::parse`] may answer (a page shows only these).
pub const EMAIL_MESSAGES: [&str; 3] = [EMAIL_EMPTY, EMAIL_TOO_LONG, EMAIL_MALFORMED];

/// An e-mail address, trimmed and lower-cased: one person, one spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        let v = value.trim().to_lowercase();
        if v.is_empty() {
            return Err(EMAIL_EMPTY);
        }
        if v.len() > 254 {
            return Err(EMAIL_TOO_LONG);
        }
        let Some((local, domain)) = v.split_once('@') else {
            return Err(EMAIL_MALFORMED);
        };
        let ok = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !v
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c));
        if ok {
            Ok(Self(v))
        } else {
            Err(EMAIL_MALFORMED)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The one answer to a failed sign-in, whether the address is unknown or the password wrong.
pub const SIGN_IN_FAILED: &str = "That e-mail address and password do not match an account here.";

/// Every sentence [`check_display_name`] may answer for `what`.
pub fn display_name_messages(what: &'static str) -> [String; 3] {
    [
        format!("Enter {what}."),
        format!("{} must be at most 100 characters.", capitalise(what)),
        format!(
            "{} cannot hold control or invisible characters.",
            capitalise(what)
        ),
    ]
}

/// Every sentence [`check_password`] may answer.
pub fn password_messages() -> [String; 3] {
    [
        format!("A password needs at least {PASSWORD_MIN} characters."),
        format!("A password can have at most {PASSWORD_MAX} characters."),
        "A password cannot be only spaces.".to_string(),
    ]
}

/// A person's or a company's display name: trimmed, 1 to 100 characters, no control characters.
pub fn check_display_name(value: &str, what: &'static str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("Enter {what}."));
    }
    if v.chars().count() > 100 {
        return Err(format!(
            "{} must be at most 100 characters.",
            capitalise(what)
        ));
    }
    if v.chars().any(|c| c.is_control() || is_invisible(c)) {
        return Err(format!(
            "{} cannot hold control or invisible characters.",
            capitalise(what)
        ));
    }
    Ok(v.to_string())
}

fn capitalise(what: &str) -> String {
    let mut c = what.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Characters that change how text around them reads without showing themselves: direction
/// overrides and isolates, zero-width characters, line and paragraph separators. A name that
/// goes into a mail or a page may not hold them (no reversed links, no hidden words).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Password rules: 12 to 128 characters, not only spaces.
pub fn check_password(value: &str) -> Result<(), String> {
    let n = value.chars().count();
    if n < PASSWORD_MIN {
        return Err(format!(
            "A password needs at least {PASSWORD_MIN} characters."
        ));
    }
    if n > PASSWORD_MAX {
        return Err(format!(
            "A password can have at most {PASSWORD_MAX} characters."
        ));
    }
    if value.trim().is_empty() {
        return Err("A password cannot be only spaces.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").map(|e| e.0),
            Ok("ada@example.com".into())
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
            "ada@.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn passwords_follow_the_length_rules() {
        assert!(check_password("correct horse").is_ok());
        assert!(check_password("short").unwrap_err().contains("at least 12"));
        assert!(check_password(&"x".repeat(129))
            .unwrap_err()
            .contains("at most 128"));
        assert!(check_password(&" ".repeat(12)).is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_display_name("  Ada  ", "your name"), Ok("Ada".into()));
        assert_eq!(
            check_display_name(" ", "your name"),
            Err("Enter your name.".into())
        );
        assert!(check_display_name(&"x".repeat(101), "the company name")
            .unwrap_err()
            .starts_with("The company name"));
        assert!(check_display_name("a\u{7}b", "your name").is_err());
    }

    #[test]
    fn the_message_lists_hold_every_answer() {
        let names = display_name_messages("your name");
        for bad in ["", &"x".repeat(101), "a\u{7}b"] {
            let m = check_display_name(bad, "your name").unwrap_err();
            assert!(names.contains(&m), "{m}");
        }
        let passwords = password_messages();
        for bad in ["short", &"x".repeat(129), &" ".repeat(12)] {
            let m = check_password(bad).unwrap_err();
            assert!(passwords.contains(&m), "{m}");
        }
    }

    #[test]
    fn roles_round_trip_and_order_by_power() {
        for r in [Role::Owner, Role::Admin, Role::Editor, Role::Viewer] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert!(Role::Owner < Role::Viewer);
    }

    #[test]
    fn names_hold_no_invisible_characters() {
        for name in [
            "Ada\u{202E}moc.live",
            "Ada\u{200B}Lovelace",
            "Ada\u{2028}Bob",
        ] {
            assert_eq!(
                check_display_name(name, "your name"),
                Err("Your name cannot hold control or invisible characters.".to_string()),
                "{name:?}"
            );
        }
        assert_eq!(
            check_display_name("Zoë O'Neil-Ünal", "your name"),
            Ok("Zoë O'Neil-Ünal".to_string())
        );
    }
}
