//! A startup's brand: product name, logo, colours (light and dark), fonts, corner radius, the
//! support contacts, the landing page's copy and the look of mails.
//!
//! A theme file (`themes/<name>/theme.toml`) may set any of the keys in [`KEYS`]; every key it
//! leaves out comes from the default theme. The server reads the file (keeping line and column of
//! each value), checks each value here, and [`resolve`]s the result into a [`Theme`], which turns
//! into CSS variables, so rebranding needs no rebuild.

pub mod colour;

use colour::{Rgb, AA_CONTRAST};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The brand as the pages and mails use it: every field filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// Shown in the header, the title bar and mails.
    pub product_name: String,
    /// One sentence under the name on the landing page.
    pub tagline: String,
    /// Where the logo is served, with a version so a changed file is fetched again.
    pub logo_url: String,
    pub favicon_url: String,
    pub colors: Colors,
    /// Colours when the reader's system asks for a dark look; none when the theme has no dark
    /// variant.
    pub dark: Option<Colors>,
    pub fonts: Fonts,
    /// Corner radius of cards, buttons and fields, in CSS pixels.
    pub radius_px: u8,
    pub support_email: Option<String>,
    pub support_url: Option<String>,
    /// A line of legal text in every page's footer and every mail.
    pub legal_footer: String,
    pub landing: Landing,
    pub mail: MailLook,
    /// The workspace's own brand over this theme, on that workspace's pages.
    #[serde(default)]
    pub co_brand: Option<crate::workspace::CoBrand>,
    /// For operators only: what is wrong with the theme on disk while the last good one is
    /// shown (one line per problem, with file, line and column).
    #[serde(default)]
    pub problems: Vec<String>,
    /// The copy in each language, until [`Theme::in_language`] picks one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copy: Vec<Copy>,
}

/// The product's words in one language: what a theme may say again under `[fr]` or `[en]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Copy {
    pub language: crate::Language,
    pub tagline: String,
    pub legal_footer: String,
    pub landing: Landing,
    pub mail_footer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colors {
    pub primary: String,
    pub accent: String,
    pub background: String,
    pub surface: String,
    pub text: String,
    pub success: String,
    pub warning: String,
    pub danger: String,
    /// Text on a primary background (buttons); white or ink, whichever reads better, unless set.
    pub on_primary: String,
    /// Secondary text; text mixed into the background unless set.
    pub muted: String,
    /// Lines around cards and fields; a light mix of text into the surface unless set.
    pub border: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fonts {
    pub body: String,
    pub heading: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Landing {
    /// The landing page's heading; the product name when empty.
    pub headline: String,
    /// A paragraph under the tagline.
    pub intro: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailLook {
    /// The name mails come from (`"Acme" <no-reply@…>`).
    pub sender_name: String,
    /// The band across the top of HTML mails.
    pub header_color: String,
    /// Text under every mail.
    pub footer: String,
}

/// What a theme key holds, and so how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text of at most this many characters, over several lines if need be.
    Text(usize),
    /// One line of at most this many characters (a tagline, a heading).
    Line(usize),
    /// A name: one line, not empty, at most this many characters.
    Name(usize),
    /// `#rgb` or `#rrggbb`.
    Colour,
    /// A CSS font stack.
    Fonts,
    /// A file in the theme folder.
    Asset,
    Email,
    /// An `https://` or `http://` address.
    Url,
    /// Whole pixels, 0 to 32 (written as a TOML integer).
    Radius,
}

const PALETTE: [&str; 11] = [
    "primary",
    "accent",
    "background",
    "surface",
    "text",
    "success",
    "warning",
    "danger",
    "on_primary",
    "muted",
    "border",
];

/// Every key a theme file may set, dotted by table (`colors.dark.primary` is `primary` in
/// `[colors.dark]`).
pub static KEYS: std::sync::LazyLock<Vec<(String, Kind)>> = std::sync::LazyLock::new(|| {
    let mut keys: Vec<(String, Kind)> = [
        ("product_name", Kind::Name(60)),
        ("tagline", Kind::Line(200)),
        ("logo", Kind::Asset),
        ("favicon", Kind::Asset),
        ("radius", Kind::Radius),
        ("support_email", Kind::Email),
        ("support_url", Kind::Url),
        ("legal_footer", Kind::Text(300)),
        ("fonts.body", Kind::Fonts),
        ("fonts.heading", Kind::Fonts),
        ("landing.headline", Kind::Line(120)),
        ("landing.intro", Kind::Text(600)),
        ("mail.sender_name", Kind::Name(60)),
        ("mail.header_color", Kind::Colour),
        ("mail.footer", Kind::Text(300)),
    ]
    .into_iter()
    .map(|(k, kind)| (k.to_string(), kind))
    .collect();
    // The product's copy again in each language (`[fr]`, `[fr.landing]`, `[fr.mail]`).
    for language in crate::Language::ALL {
        keys.extend(
            COPY_KEYS
                .iter()
                .map(|(k, kind)| (format!("{}.{k}", language.code()), *kind)),
        );
    }
    for table in ["colors", "colors.dark"] {
        keys.extend(
            PALETTE
                .iter()
                .map(|c| (format!("{table}.{c}"), Kind::Colour)),
        );
    }
    keys
});

/// The keys of the product's copy, which a theme may give again per language.
const COPY_KEYS: [(&str, Kind); 5] = [
    ("tagline", Kind::Line(200)),
    ("legal_footer", Kind::Text(300)),
    ("landing.headline", Kind::Line(120)),
    ("landing.intro", Kind::Text(600)),
    ("mail.footer", Kind::Text(300)),
];

/// The tables a theme file may have.
pub const TABLES: &[&str] = &[
    "colors",
    "colors.dark",
    "fonts",
    "landing",
    "mail",
    "en",
    "en.landing",
    "en.mail",
    "fr",
    "fr.landing",
    "fr.mail",
];

/// What kind of value `key` holds, or `None` for a key themes do not have.
pub fn kind_of(key: &str) -> Option<Kind> {
    KEYS.iter().find(|(k, _)| k == key).map(|(_, kind)| *kind)
}

/// The checked values of one theme file, by dotted key. Colours are normalised to `#rrggbb`.
pub type Values = BTreeMap<String, String>;

/// Checks one value of `kind` and returns it as the theme keeps it, or the problem in words.
pub fn check_value(kind: Kind, value: &str) -> Result<String, String> {
    match kind {
        Kind::Text(max) | Kind::Line(max) | Kind::Name(max) => {
            let value = value.trim();
            let multi_line = matches!(kind, Kind::Text(_));
            if value.chars().count() > max {
                Err(format!("must be at most {max} characters"))
            } else if value.contains('\n') && !multi_line {
                Err("must be one line".into())
            } else if value.chars().any(|c| c.is_control() && c != '\n') {
                Err("must not hold control characters".into())
            } else if value.is_empty() && matches!(kind, Kind::Name(_)) {
                Err("must not be empty".into())
            } else {
                Ok(value.to_string())
            }
        }
        Kind::Colour => Rgb::parse(value.trim())
            .map(Rgb::hex)
            .ok_or_else(|| format!("\"{value}\" is not a colour; write it as #rgb or #rrggbb")),
        Kind::Fonts => check_font_stack(value).map(|()| value.trim().to_string()),
        Kind::Asset => check_asset_name(value).map(|()| value.to_string()),
        Kind::Email | Kind::Url if value.trim().is_empty() => Ok(String::new()),
        Kind::Email => crate::Email::parse(value)
            .map(|e| e.as_str().to_string())
            .map_err(|m| m.to_string()),
        Kind::Url => check_url(value).map(|()| value.trim().to_string()),
        Kind::Radius => match value.parse::<u8>() {
            Ok(px) if px <= 32 => Ok(px.to_string()),
            _ => Err(format!(
                "\"{value}\" is not a radius; write whole pixels from 0 to 32"
            )),
        },
    }
}

/// A key the default theme lacks, which only a broken build can cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the default theme has no value for {0}")]
pub struct MissingKey(pub String);

/// The theme made of `own` over `default` (a complete set of values), with the assets' URLs.
///
/// Dark colours: a theme that sets none of `colors.dark` has no dark variant (unless it is the
/// default itself). One that sets some takes the rest of its brand colours (primary, accent,
/// success, warning, danger) from its own light palette, and background, surface and text from
/// the default's dark palette.
pub fn resolve(
    default: &Values,
    own: &Values,
    logo_url: String,
    favicon_url: String,
) -> Result<Theme, MissingKey> {
    let get = |key: &str| -> Result<String, MissingKey> {
        own.get(key)
            .or_else(|| default.get(key))
            .cloned()
            .ok_or_else(|| MissingKey(key.to_string()))
    };
    let optional = |key: &str| own.get(key).or_else(|| default.get(key)).cloned();
    let palette = |lookup: &dyn Fn(&str) -> Result<String, MissingKey>| {
        let base = |name: &str| lookup(name);
        let rgb = |name: &str| -> Result<Rgb, MissingKey> {
            Rgb::parse(&base(name)?).ok_or_else(|| MissingKey(name.to_string()))
        };
        let (primary, text, background, surface) = (
            rgb("primary")?,
            rgb("text")?,
            rgb("background")?,
            rgb("surface")?,
        );
        let or_derived = |name: &str, derived: Rgb| lookup(name).unwrap_or_else(|_| derived.hex());
        Ok::<Colors, MissingKey>(Colors {
            primary: primary.hex(),
            accent: base("accent")?,
            background: background.hex(),
            surface: surface.hex(),
            text: text.hex(),
            success: base("success")?,
            warning: base("warning")?,
            danger: base("danger")?,
            on_primary: or_derived("on_primary", primary.readable_text()),
            muted: or_derived("muted", text.mix(background, 0.35)),
            border: or_derived("border", text.mix(surface, 0.82)),
        })
    };
    // Derived colours are only taken from a file that sets them itself.
    let light_lookup = |name: &str| -> Result<String, MissingKey> {
        let key = format!("colors.{name}");
        if matches!(name, "on_primary" | "muted" | "border") {
            return own
                .get(&key)
                .cloned()
                .ok_or_else(|| MissingKey(key.clone()));
        }
        get(&key)
    };
    let colors = palette(&light_lookup)?;
    let has_dark = own.keys().any(|k| k.starts_with("colors.dark."));
    let dark = if has_dark {
        let dark_lookup = |name: &str| -> Result<String, MissingKey> {
            let key = format!("colors.dark.{name}");
            if let Some(v) = own.get(&key) {
                return Ok(v.clone());
            }
            match name {
                "on_primary" | "muted" | "border" => Err(MissingKey(key)),
                "background" | "surface" | "text" => {
                    default.get(&key).cloned().ok_or(MissingKey(key))
                }
                _ => light_lookup(name),
            }
        };
        Some(palette(&dark_lookup)?)
    } else {
        None
    };
    let product_name = get("product_name")?;
    let legal_footer = get("legal_footer")?;
    Ok(Theme {
        tagline: get("tagline")?,
        logo_url,
        favicon_url,
        fonts: Fonts {
            body: get("fonts.body")?,
            heading: get("fonts.heading")?,
        },
        radius_px: get("radius")?
            .parse()
            .map_err(|_| MissingKey("radius".into()))?,
        support_email: optional("support_email").filter(|v| !v.is_empty()),
        support_url: optional("support_url").filter(|v| !v.is_empty()),
        landing: Landing {
            headline: get("landing.headline")?,
            intro: get("landing.intro")?,
        },
        mail: MailLook {
            sender_name: own
                .get("mail.sender_name")
                .cloned()
                .unwrap_or_else(|| product_name.clone()),
            header_color: own
                .get("mail.header_color")
                .cloned()
                .unwrap_or_else(|| colors.primary.clone()),
            footer: own
                .get("mail.footer")
                .cloned()
                .unwrap_or_else(|| legal_footer.clone()),
        },
        colors,
        dark,
        product_name,
        legal_footer,
        co_brand: None,
        problems: Vec::new(),
        copy: copies(default, own)?,
    })
}

/// The copy in every language: the theme's own words in that language, else its own words,
/// else the default theme's in that language, else the default theme's. (A startup's own
/// tagline beats the default theme's French one: a white-label page never says ours.)
fn copies(default: &Values, own: &Values) -> Result<Vec<Copy>, MissingKey> {
    crate::Language::ALL
        .into_iter()
        .map(|language| {
            let code = language.code();
            let find = |key: &str| {
                own.get(&format!("{code}.{key}"))
                    .or_else(|| own.get(key))
                    .or_else(|| default.get(&format!("{code}.{key}")))
                    .or_else(|| default.get(key))
                    .cloned()
                    .ok_or_else(|| MissingKey(key.to_string()))
            };
            let legal_footer = find("legal_footer")?;
            let mail_footer = own
                .get(&format!("{code}.mail.footer"))
                .or_else(|| own.get("mail.footer"))
                .cloned()
                .unwrap_or_else(|| legal_footer.clone());
            Ok(Copy {
                language,
                tagline: find("tagline")?,
                landing: Landing {
                    headline: find("landing.headline")?,
                    intro: find("landing.intro")?,
                },
                legal_footer,
                mail_footer,
            })
        })
        .collect()
}

/// A pair of colours that carries text and reads below WCAG AA.
#[derive(Debug, Clone, PartialEq)]
pub struct LowContrast {
    /// e.g. `colors.text on colors.background`.
    pub pair: String,
    pub ratio: f64,
}

impl std::fmt::Display for LowContrast {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} has a contrast of {:.2}:1, below the {AA_CONTRAST}:1 that WCAG AA asks of text",
            self.pair, self.ratio
        )
    }
}

impl Theme {
    /// Text and background pairs of the light and dark palettes below 4.5:1.
    pub fn low_contrast(&self) -> Vec<LowContrast> {
        let mut found = Vec::new();
        let palettes = std::iter::once(("colors", &self.colors))
            .chain(self.dark.as_ref().map(|d| ("colors.dark", d)));
        for (table, c) in palettes {
            for (fg, fg_value, bg, bg_value) in [
                ("text", &c.text, "background", &c.background),
                ("text", &c.text, "surface", &c.surface),
                ("muted", &c.muted, "surface", &c.surface),
                ("on_primary", &c.on_primary, "primary", &c.primary),
                ("primary", &c.primary, "background", &c.background),
                ("danger", &c.danger, "surface", &c.surface),
                ("success", &c.success, "surface", &c.surface),
                ("warning", &c.warning, "surface", &c.surface),
            ] {
                let (Some(a), Some(b)) = (Rgb::parse(fg_value), Rgb::parse(bg_value)) else {
                    continue;
                };
                let ratio = a.contrast(b);
                if ratio < AA_CONTRAST {
                    found.push(LowContrast {
                        pair: format!("{table}.{fg} on {table}.{bg}"),
                        ratio,
                    });
                }
            }
        }
        found
    }

    /// The `:root { --… }` block that fills the design tokens of `style/main.css` and the
    /// component styles, with the dark palette under `prefers-color-scheme: dark`. Only call on
    /// a checked theme: values are inserted as they are.
    pub fn css_variables(&self) -> String {
        let mut css = String::from(":root{");
        push_palette(&mut css, &self.colors);
        css.push_str(&format!("--font-body:{};", self.fonts.body));
        css.push_str(&format!("--font-heading:{};", self.fonts.heading));
        css.push_str(&format!("--radius:{}px;", self.radius_px));
        css.push('}');
        if let Some(dark) = &self.dark {
            css.push_str("@media (prefers-color-scheme: dark){:root{color-scheme:dark;");
            push_palette(&mut css, dark);
            css.push_str("}}");
        }
        css
    }

    /// This theme with its copy in `language` (and the other languages' dropped).
    pub fn in_language(mut self, language: crate::Language) -> Theme {
        if let Some(copy) = self.copy.iter().find(|c| c.language == language).cloned() {
            self.tagline = copy.tagline;
            self.legal_footer = copy.legal_footer;
            self.landing = copy.landing;
            self.mail.footer = copy.mail_footer;
        }
        self.copy.clear();
        self
    }

    /// This theme under a workspace's own brand: its primary colour (light and dark) and, in
    /// the header and title, its name and logo.
    pub fn co_branded(mut self, brand: crate::workspace::CoBrand) -> Theme {
        if let Some(primary) = brand.primary.as_deref().and_then(Rgb::parse) {
            for palette in std::iter::once(&mut self.colors).chain(self.dark.as_mut()) {
                palette.primary = primary.hex();
                palette.on_primary = primary.readable_text().hex();
            }
        }
        self.co_brand = Some(brand);
        self
    }

    /// The name in the header and the title bar: the workspace's, else the product's.
    pub fn shown_name(&self) -> &str {
        self.co_brand
            .as_ref()
            .and_then(|b| b.name.as_deref())
            .unwrap_or(&self.product_name)
    }

    /// The logo in the header: the workspace's, else the theme's.
    pub fn shown_logo(&self) -> &str {
        self.co_brand
            .as_ref()
            .and_then(|b| b.logo_url.as_deref())
            .unwrap_or(&self.logo_url)
    }

    /// The landing page's heading.
    pub fn headline(&self) -> &str {
        if self.landing.headline.is_empty() {
            &self.product_name
        } else {
            &self.landing.headline
        }
    }
}

impl Colors {
    fn named(&self) -> [(&'static str, &String); 11] {
        [
            ("primary", &self.primary),
            ("accent", &self.accent),
            ("background", &self.background),
            ("surface", &self.surface),
            ("text", &self.text),
            ("success", &self.success),
            ("warning", &self.warning),
            ("danger", &self.danger),
            ("on-primary", &self.on_primary),
            ("muted", &self.muted),
            ("border", &self.border),
        ]
    }
}

fn push_palette(css: &mut String, colors: &Colors) {
    for (name, value) in colors.named() {
        css.push_str(&format!("--color-{name}:{value};"));
    }
}

/// The URL the server serves a theme file at; `version` changes with the file's content.
pub fn asset_url(file: &str, version: &str) -> String {
    format!("/theme/{file}?v={version}")
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
    match image_kind(file) {
        Some(_) => Ok(()),
        None => Err(format!("\"{file}\" must be an .svg, .png or .ico image")),
    }
}

/// The image types a theme or a workspace may use for its logo and favicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Svg,
    Png,
    Ico,
}

impl ImageKind {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
            Self::Ico => "image/x-icon",
        }
    }

    /// What the first bytes of a file say it is (never its name).
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(Self::Png);
        }
        if bytes.starts_with(&[0, 0, 1, 0]) {
            return Some(Self::Ico);
        }
        let head = &bytes[..bytes.len().min(1024)];
        // The first KiB may end inside a character: read up to there.
        let text = match std::str::from_utf8(head) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        };
        let text = text.trim_start_matches('\u{feff}').trim_start();
        (text.starts_with("<svg") || text.starts_with("<?xml") || text.starts_with("<!--"))
            .then_some(Self::Svg)
    }
}

/// The image type a file name claims.
pub fn image_kind(file: &str) -> Option<ImageKind> {
    match file
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("svg") => Some(ImageKind::Svg),
        Some("png") => Some(ImageKind::Png),
        Some("ico") => Some(ImageKind::Ico),
        _ => None,
    }
}

fn check_url(value: &str) -> Result<(), String> {
    let v = value.trim();
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .ok_or_else(|| format!("\"{value}\" must start with https:// or http://"))?;
    if rest.is_empty()
        || v.len() > 300
        || v.chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'' | '`'))
    {
        return Err(format!("\"{value}\" is not a web address"));
    }
    Ok(())
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
mod tests;
