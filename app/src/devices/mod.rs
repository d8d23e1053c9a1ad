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

/// What a page says about the data source when it is not answering.
pub(crate) fn source_banner(state: model::devices::SourceState, now: i64) -> Option<String> {
    use model::devices::{ago, SourceState};
    match state {
        SourceState::Fresh => None,
        SourceState::Stale { since } => Some(format!(
            "The data source is unavailable: the data shown is stale since {}.",
            ago(since, now)
        )),
        SourceState::Unavailable => Some("The data source is unavailable.".into()),
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
}
