//! A startup's brand: product name, logo, colours and fonts. Loaded from `themes/<name>/theme.toml`
//! by the server, validated here, and turned into CSS variables, so rebranding needs no rebuild.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Product name shown in the header, the title bar and mails.
    pub name: String,
    /// One sentence under the name on the landing page.
    #[serde(default)]
    pub tagline: String,
    /// Logo file inside the theme folder (SVG or PNG), served at `/theme/<file>`.
    pub logo: String,
    /// Favicon file inside the theme folder, served at `/theme/<file>`.
    pub favicon: String,
    pub colors: Colors,
    #[serde(default)]
    pub fonts: Fonts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    pub primary: String,
    pub on_primary: String,
    pub background: String,
    pub surface: String,
    pub text: String,
    pub muted: String,
    pub border: String,
    pub danger: String,
    pub success: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    pub body: String,
    pub heading: String,
}

impl Default for Fonts {
    fn default() -> Self {
        let system = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif".to_string();
        Self {
            body: system.clone(),
            heading: system,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ThemeError {
    /// Dotted path of the offending key, e.g. `colors.primary`.
    pub field: String,
    pub message: String,
}

impl ThemeError {
    fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl Theme {
    /// Checks every rule and returns all the problems at once, so a developer fixes a theme file
    /// in one pass.
    pub fn validate(&self) -> Result<(), Vec<ThemeError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(ThemeError::new("name", "must not be empty"));
        } else if name.chars().count() > 60 {
            errors.push(ThemeError::new("name", "must be at most 60 characters"));
        }
        if self.tagline.chars().count() > 200 {
            errors.push(ThemeError::new("tagline", "must be at most 200 characters"));
        }
        for (field, file) in [("logo", &self.logo), ("favicon", &self.favicon)] {
            if let Err(message) = check_asset_name(file) {
                errors.push(ThemeError::new(field, message));
            }
        }
        for (field, value) in self.colors.named() {
            if !is_hex_colour(value) {
                errors.push(ThemeError::new(
                    &format!("colors.{field}"),
                    format!("\"{value}\" is not a colour; write it as #rgb or #rrggbb"),
                ));
            }
        }
        for (field, value) in [
            ("fonts.body", &self.fonts.body),
            ("fonts.heading", &self.fonts.heading),
        ] {
            if let Err(message) = check_font_stack(value) {
                errors.push(ThemeError::new(field, message));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The `:root { --… }` block that fills the design tokens of `style/main.css`.
    /// Only call on a validated theme: values are inserted as they are.
    pub fn css_variables(&self) -> String {
        let mut css = String::from(":root{");
        for (name, value) in self.colors.named() {
            css.push_str(&format!("--color-{}:{};", name.replace('_', "-"), value));
        }
        css.push_str(&format!("--font-body:{};", self.fonts.body));
        css.push_str(&format!("--font-heading:{};", self.fonts.heading));
        css.push('}');
        css
    }

    /// The URL the server serves a theme file at.
    pub fn asset_url(file: &str) -> String {
        format!("/theme/{file}")
    }
}

impl Colors {
    fn named(&self) -> [(&'static str, &String); 9] {
        [
            ("primary", &self.primary),
            ("on_primary", &self.on_primary),
            ("background", &self.background),
            ("surface", &self.surface),
            ("text", &self.text),
            ("muted", &self.muted),
            ("border", &self.border),
            ("danger", &self.danger),
            ("success", &self.success),
        ]
    }
}

fn is_hex_colour(value: &str) -> bool {
    let Some(hex) = value.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// A file name inside the theme folder: no directories, no hidden files, a known image type.
pub fn check_asset_name(file: &str) -> Result<(), String> {
    if file.is_empty() {
        return Err("must name a file in the theme folder".into());
    }
    if file.contains('/') || file.contains('\\') || file.starts_with('.') {
        return Err(format!(
            "\"{file}\" must be a plain file name in the theme folder, without folders"
        ));
    }
    if !file
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(format!(
            "\"{file}\" may only use letters, digits, '-', '_' and '.'"
        ));
    }
    let ext = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("svg" | "png" | "ico" | "jpg" | "jpeg" | "webp") => Ok(()),
        _ => Err(format!(
            "\"{file}\" must be an .svg, .png, .ico, .jpg or .webp image"
        )),
    }
}

fn check_font_stack(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err("must name at least one font".into());
    }
    if value.len() > 200 {
        return Err("must be at most 200 characters".into());
    }
    let plain = |name: &str| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_'))
    };
    for family in value.split(',').map(str::trim) {
        let unquoted = ['\'', '"']
            .iter()
            .find_map(|q| family.strip_prefix(*q).and_then(|f| f.strip_suffix(*q)))
            .unwrap_or(family);
        if !plain(unquoted) {
            return Err(format!(
                "\"{family}\" is not a font name; write names with letters, digits, spaces, '-' or '_', \
                 quoted or not, separated by commas"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme() -> Theme {
        Theme {
            name: "Acme Sensors".into(),
            tagline: "Your fleet at a glance".into(),
            logo: "logo.svg".into(),
            favicon: "favicon.ico".into(),
            colors: Colors {
                primary: "#0b5fff".into(),
                on_primary: "#fff".into(),
                background: "#f6f7f9".into(),
                surface: "#ffffff".into(),
                text: "#1c2430".into(),
                muted: "#5b6675".into(),
                border: "#d9dee5".into(),
                danger: "#c62828".into(),
                success: "#2e7d32".into(),
            },
            fonts: Fonts::default(),
        }
    }

    #[test]
    fn a_complete_theme_is_valid() {
        assert_eq!(theme().validate(), Ok(()));
    }

    #[test]
    fn every_problem_is_reported_with_its_key() {
        let mut t = theme();
        t.name = "  ".into();
        t.logo = "../etc/passwd".into();
        t.colors.primary = "blue".into();
        t.colors.danger = "#12345".into();
        t.fonts.body = "Inter; } body { display:none".into();
        let errors = t.validate().expect_err("invalid");
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "logo",
                "colors.primary",
                "colors.danger",
                "fonts.body"
            ]
        );
        assert!(errors[2].message.contains("\"blue\" is not a colour"));
    }

    #[test]
    fn asset_names_must_stay_inside_the_theme_folder() {
        assert!(check_asset_name("logo.svg").is_ok());
        assert!(check_asset_name("logo-dark_2.PNG").is_ok());
        assert!(check_asset_name("").is_err());
        assert!(check_asset_name("img/logo.svg").is_err());
        assert!(check_asset_name(".hidden.svg").is_err());
        assert!(check_asset_name("logo.exe").is_err());
        assert!(check_asset_name("lo go.svg").is_err());
    }

    #[test]
    fn font_stacks_cannot_break_out_of_their_css_value() {
        assert!(check_font_stack("Inter, 'Segoe UI', \"Open Sans\", sans-serif").is_ok());
        for bad in [
            "Inter\"",
            "'Inter",
            "Inter,,serif",
            "Inter; color: red",
            "a\"b\"",
            "",
        ] {
            assert!(check_font_stack(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn css_variables_carry_every_colour_and_font() {
        let css = theme().css_variables();
        assert!(css.starts_with(":root{"));
        assert!(css.contains("--color-primary:#0b5fff;"));
        assert!(css.contains("--color-on-primary:#fff;"));
        assert!(css.contains("--font-body:system-ui"));
        assert!(css.ends_with('}'));
    }
}
