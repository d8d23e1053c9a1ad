//! Devices: the list (search, filters, sort, pages, online or offline), the device page (latest
//! values, a day of each metric) and, for admins, adding, importing and discovering devices.

pub mod api;
pub(crate) mod chart;
mod detail;
mod discover;
mod list;

pub use detail::DevicePage;
pub use discover::DiscoverPage;
pub use list::DevicesPage;

pub fn devices_path(slug: &str) -> String {
    format!("/w/{slug}/devices")
}

/// `key=value&…` with every value percent-encoded (RFC 3986 unreserved characters kept).
pub(crate) fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::form::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// What a page says about the data source when it is not answering, in the page's language
/// (so it is called while drawing a page, under the translations' context).
pub(crate) fn source_banner(state: model::devices::SourceState, now: i64) -> Option<String> {
    use model::devices::SourceState;
    let language = i18n::use_language();
    let locale = i18n::Locale::from(language);
    match state {
        SourceState::Fresh => None,
        SourceState::Stale { since } => Some(i18n::td_string!(
            locale,
            devices.source.stale,
            ago = ago(language, since, now)
        )),
        SourceState::Unavailable => {
            Some(i18n::td_string!(locale, devices.source.unavailable).to_string())
        }
    }
}

/// How long ago `t` was, in `language`: `model::devices::ago` ("just now", "5 min ago",
/// "3 h ago", "2 days ago") translated.
pub(crate) fn ago(language: model::Language, t: i64, now: i64) -> String {
    let locale = i18n::Locale::from(language);
    let secs = (now - t).max(0);
    match secs {
        0..=59 => i18n::td_string!(locale, devices.ago.just_now).to_string(),
        60..=3_599 => i18n::td_string!(locale, devices.ago.minutes, n = secs / 60),
        3_600..=86_399 => i18n::td_string!(locale, devices.ago.hours, n = secs / 3_600),
        _ => {
            let days = (secs / 86_400) as u64;
            i18n::td_string!(
                locale,
                devices.ago.days,
                count = days,
                n = language.count(days)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_encode_what_a_person_types() {
        let q = query_string(&[
            ("search", "100% Ünique & co".into()),
            ("page", "2".into()),
            ("kind", String::new()),
        ]);
        assert_eq!(q, "search=100%25%20%C3%9Cnique%20%26%20co&page=2");
    }

    #[test]
    fn ago_in_english_is_the_models_and_french_reads_naturally() {
        use model::Language;
        let now = 10 * 86_400;
        for secs in [
            0,
            59,
            60,
            3_599,
            3_600,
            86_399,
            86_400,
            2 * 86_400 - 1,
            2 * 86_400,
            9 * 86_400,
        ] {
            assert_eq!(
                ago(Language::En, now - secs, now),
                model::devices::ago(now - secs, now),
                "{secs} s"
            );
        }
        assert_eq!(ago(Language::Fr, now, now), "à l’instant");
        assert_eq!(ago(Language::Fr, now - 300, now), "il y a 5 min");
        assert_eq!(ago(Language::Fr, now - 86_400, now), "il y a 1 jour");
        assert_eq!(ago(Language::Fr, now - 3 * 86_400, now), "il y a 3 jours");
    }
}
