//! The theme reaches components as context. The server provides it while rendering and writes
//! it into the page as JSON; the browser reads it back before hydrating, so both render the
//! same brand without a second request.

use leptos::prelude::*;
use model::Theme;

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
