//! The languages the product speaks, how one is chosen for a request, and numbers and dates
//! written the way a reader of that language expects. The sentences themselves live in the
//! `i18n` crate's locale files.

use serde::{Deserialize, Serialize};

/// A language of the interface. English is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Fr,
}

/// The cookie that keeps the language of a visitor who is not signed in (or who chose one on
/// the landing page). A signed-in user's saved setting wins over it.
pub const LANGUAGE_COOKIE: &str = "iotr_lang";

/// The `Set-Cookie` value that keeps `language` in [`LANGUAGE_COOKIE`] for a year, or, for
/// `None`, forgets it (`Secure` when the site is served over HTTPS). Only the server reads it.
pub fn set_cookie(language: Option<Language>, secure: bool) -> String {
    let (value, age) = match language {
        Some(language) => (language.code(), 31_536_000),
        None => ("", 0),
    };
    format!(
        "{LANGUAGE_COOKIE}={value}; Path=/; Max-Age={age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::Fr];

    /// The BCP 47 code: `en`, `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
        }
    }

    /// The language's name in itself, as a language menu shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Fr => "Français",
        }
    }

    /// `en`, `fr`, and regional forms such as `fr-CA` or `EN_us`.
    pub fn parse(code: &str) -> Option<Language> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Language::En),
            "fr" => Some(Language::Fr),
            _ => None,
        }
    }

    /// The best language for an `Accept-Language` header: the one with the highest weight
    /// among those we speak (the first listed on a tie), or `None`.
    pub fn from_accept_language(header: &str) -> Option<Language> {
        let mut best: Option<(Language, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(language) = pieces.next().and_then(Language::parse) else {
                continue;
            };
            let weight = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if weight > 0.0 && best.is_none_or(|(_, w)| weight > w) {
                best = Some((language, weight));
            }
        }
        best.map(|(language, _)| language)
    }

    /// The language of a request: the user's saved setting, else the language cookie, else
    /// the browser's `Accept-Language`, else English.
    pub fn choose(
        setting: Option<Language>,
        cookie: Option<&str>,
        accept: Option<&str>,
    ) -> Language {
        setting
            .or_else(|| cookie.and_then(Language::parse))
            .or_else(|| accept.and_then(Language::from_accept_language))
            .unwrap_or_default()
    }

    /// A number with `decimals` digits after the point: `1,234.5` in English, `1 234,5` in
    /// French (a narrow no-break space between thousands, as French typography wants).
    pub fn number(self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return value.to_string();
        }
        let text = format!("{:.*}", decimals, value.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let (group, point) = match self {
            Language::En => (",", "."),
            Language::Fr => ("\u{202f}", ","),
        };
        let mut out = String::new();
        if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('-');
        }
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push_str(group);
            }
            out.push(digit);
        }
        if !fraction.is_empty() {
            out.push_str(point);
            out.push_str(fraction);
        }
        out
    }

    /// A whole count: `12,500` / `12 500`.
    pub fn count(self, n: u64) -> String {
        self.number(n as f64, 0)
    }

    /// A reading as a dashboard shows it: every digit the source gave, in the shortest form,
    /// without grouping (`1013.25`, `45.764043`; `1013,25` in French).
    pub fn reading(self, value: f64) -> String {
        let text = value.to_string();
        match self {
            Language::En => text,
            Language::Fr => text.replace('.', ","),
        }
    }

    /// The short name of month `m` (1 to 12).
    pub fn month(self, m: u32) -> &'static str {
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const FR: [&str; 12] = [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc.",
        ];
        let i = (m.clamp(1, 12) - 1) as usize;
        match self {
            Language::En => EN[i],
            Language::Fr => FR[i],
        }
    }

    /// A day: `4 Dec 2026` / `4 déc. 2026`.
    pub fn date(self, y: i64, m: u32, d: u32) -> String {
        format!("{d} {} {y}", self.month(m))
    }

    /// An instant (milliseconds) as read `offset` seconds east of UTC, with the zone's name:
    /// `2026-12-05 00:21 UTC+01:00` in English (ISO order, read the same everywhere),
    /// `05/12/2026 00:21 UTC+01:00` in French (day first, as France writes dates).
    pub fn minute_at(self, millis: i64, offset: i64) -> String {
        let (y, m, d, h, min) = crate::time::civil_minute(millis, offset);
        let day = match self {
            Language::En => format!("{y:04}-{m:02}-{d:02}"),
            Language::Fr => format!("{d:02}/{m:02}/{y:04}"),
        };
        format!("{day} {h:02}:{min:02} {}", crate::time::zone_name(offset))
    }

    /// An instant in UTC: `2026-12-04 23:21 UTC` / `04/12/2026 23:21 UTC`.
    pub fn utc_minute(self, millis: i64) -> String {
        self.minute_at(millis, 0)
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_with_regions_and_any_case() {
        assert_eq!(Language::parse("fr"), Some(Language::Fr));
        assert_eq!(Language::parse("fr-CA"), Some(Language::Fr));
        assert_eq!(Language::parse("EN_us"), Some(Language::En));
        assert_eq!(Language::parse("de"), None);
        assert_eq!(Language::parse(""), None);
        for l in Language::ALL {
            assert_eq!(Language::parse(l.code()), Some(l));
        }
    }

    #[test]
    fn accept_language_takes_the_heaviest_spoken_language() {
        let f = Language::from_accept_language;
        assert_eq!(f("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Language::Fr));
        assert_eq!(f("de-DE,de;q=0.9,en;q=0.5,fr;q=0.4"), Some(Language::En));
        assert_eq!(f("en;q=0.3, fr;q=0.8"), Some(Language::Fr));
        assert_eq!(f("fr;q=0, en;q=0.1"), Some(Language::En));
        assert_eq!(f("de, it"), None);
        assert_eq!(f("fr;q=nonsense, en;q=0.2"), Some(Language::En));
        assert_eq!(f(""), None);
    }

    #[test]
    fn the_setting_wins_then_the_cookie_then_the_browser() {
        let fr = Some(Language::Fr);
        assert_eq!(Language::choose(fr, Some("en"), Some("en")), Language::Fr);
        assert_eq!(Language::choose(None, Some("fr"), Some("en")), Language::Fr);
        assert_eq!(Language::choose(None, Some("xx"), Some("fr")), Language::Fr);
        assert_eq!(Language::choose(None, None, Some("de")), Language::En);
        assert_eq!(Language::choose(None, None, None), Language::En);
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Language::En.number(1234567.891, 2), "1,234,567.89");
        assert_eq!(
            Language::Fr.number(1234567.891, 2),
            "1\u{202f}234\u{202f}567,89"
        );
        assert_eq!(Language::En.number(-1234.5, 1), "-1,234.5");
        assert_eq!(Language::Fr.number(-0.04, 1), "0,0");
        assert_eq!(Language::En.number(999.0, 0), "999");
        assert_eq!(Language::Fr.count(12500), "12\u{202f}500");
        assert_eq!(Language::En.reading(21.5), "21.5");
        assert_eq!(Language::En.reading(1013.25), "1013.25");
        assert_eq!(Language::Fr.reading(45.764043), "45,764043");
        assert_eq!(Language::Fr.reading(20.0), "20");
    }

    #[test]
    fn dates_follow_the_language() {
        // 2026-12-04 23:21 UTC
        let at = 1_796_426_460_000;
        assert_eq!(Language::En.utc_minute(at), crate::time::utc_minute(at));
        assert_eq!(Language::En.utc_minute(at), "2026-12-04 23:21 UTC");
        assert_eq!(
            Language::Fr.minute_at(at, 3600),
            "05/12/2026 00:21 UTC+01:00"
        );
        assert_eq!(Language::Fr.date(2026, 12, 4), "4 déc. 2026");
        assert_eq!(Language::Fr.month(8), "août");
    }
}

#[cfg(test)]
mod cookie_tests {
    use super::*;

    #[test]
    fn the_cookie_is_kept_for_a_year_or_forgotten() {
        let kept = set_cookie(Some(Language::Fr), true);
        assert!(
            kept.starts_with("iotr_lang=fr; Path=/; Max-Age=31536000; HttpOnly"),
            "{kept}"
        );
        assert!(kept.ends_with("; Secure"));
        let forgotten = set_cookie(None, false);
        assert!(
            forgotten.starts_with("iotr_lang=; Path=/; Max-Age=0"),
            "{forgotten}"
        );
        assert!(!forgotten.contains("Secure"));
    }
}
