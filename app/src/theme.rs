//! The theme reaches components as context. The server provides it while rendering and writes
//! it into the page as JSON; the browser reads it back before hydrating, so both render the
//! same brand without a second request.

use leptos::prelude::*;
use model::{ApiError, Theme};

/// `id` of the `<script type="application/json">` that carries the theme to the browser.
pub const THEME_SCRIPT_ID: &str = "iotr-theme";

pub fn use_theme() -> Theme {
    use_context::<Theme>().expect("the theme is provided before the app renders")
}

/// The theme as JSON that is safe inside a `<script>` element.
pub fn theme_json(theme: &Theme) -> String {
    serde_json::to_string(theme)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The workspace part of a path (`/w/<slug>/…` gives `slug`): it decides which brand a page
/// wears (co-branding).
pub fn brand_scope(path: &str) -> Option<&str> {
    path.strip_prefix("/w/")
        .and_then(|rest| rest.split('/').next())
        .filter(|slug| !slug.is_empty())
}

/// The brand of the workspace at `slug` as its pages wear it (the same its sign-in page shows
/// anyone); `None` when it has none.
#[server(prefix = "/api", endpoint = "page_brand")]
pub async fn page_brand(slug: String) -> Result<Option<model::workspace::CoBrand>, ApiError> {
    let services = crate::ssr::services()?;
    Ok(services
        .brands
        .get(&services.control, &services.registry, &slug)
        .await)
}

/// The server draws each page in the brand of the workspace in its address. When the router
/// moves, in the browser, into a workspace whose brand differs from the one on screen (or out
/// of a branded one), the page is loaded afresh so that it wears the right brand (header,
/// colours, title).
#[component]
pub fn BrandFollowsWorkspace() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        let shown = use_theme().co_brand;
        let scope = Memo::new(move |_| brand_scope(&location.pathname.get()).map(str::to_string));
        Effect::new(move |previous: Option<Option<String>>| {
            let now = scope.get();
            if previous.is_some_and(|p| p != now) {
                let shown = shown.clone();
                let now = now.clone();
                // Where the router is going (its address may not be in the bar yet).
                let prefixed = |mark: char, part: String| match part.as_str() {
                    "" => part,
                    p if p.starts_with(mark) => part,
                    _ => format!("{mark}{part}"),
                };
                let href = format!(
                    "{}{}{}",
                    location.pathname.get_untracked(),
                    prefixed('?', location.search.get_untracked()),
                    prefixed('#', location.hash.get_untracked())
                );
                leptos::task::spawn_local(async move {
                    let wanted = match now {
                        Some(slug) => page_brand(slug).await.unwrap_or(None),
                        None => None,
                    };
                    if wanted != shown {
                        let _ = window().location().set_href(&href);
                    }
                });
            }
            now
        });
    }
}

/// Reads the theme the server wrote into the page.
#[cfg(feature = "hydrate")]
pub fn theme_from_document() -> Option<Theme> {
    let text = document()
        .get_element_by_id(THEME_SCRIPT_ID)?
        .text_content()?;
    serde_json::from_str(&text).ok()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_brand_scope_is_the_workspace_of_the_address() {
        assert_eq!(brand_scope("/w/acme/"), Some("acme"));
        assert_eq!(brand_scope("/w/acme/dashboards/1"), Some("acme"));
        assert_eq!(brand_scope("/w/acme"), Some("acme"));
        assert_eq!(brand_scope("/"), None);
        assert_eq!(brand_scope("/admin/workspaces/acme"), None);
        assert_eq!(brand_scope("/w/"), None);
    }

    #[test]
    fn theme_json_cannot_close_its_script_element() {
        let mut theme = backend::theme::LoadedTheme::builtin().theme;
        theme.product_name = "</script><script>alert(1)</script>".into();
        theme.tagline = "a & b".into();
        let json = theme_json(&theme);
        assert!(!json.contains("</script>"), "{json}");
        assert!(!json.contains('&'), "{json}");
        assert_eq!(
            serde_json::from_str::<Theme>(&json).expect("parse back"),
            theme
        );
    }
}
