//! Reads `locales/<language>/<namespace>.json` and writes the typed translation module the
//! crate includes. A key missing in one language, or an interpolation that differs, stops the
//! build with the file and key.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::path::PathBuf;

/// One namespace per part of the product, each a file in every language.
const NAMESPACES: &[&str] = &[
    "common",
    "account",
    "workspaces",
    "members",
    "settings",
    "groups",
    "devices",
    "dashboards",
    "admin",
    "mail",
    "server",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::new("en")?
        .add_locale("fr")?
        .add_namespaces(NAMESPACES)?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    println!("cargo::rerun-if-changed=locales/en/server.json");
    println!("cargo::rerun-if-changed=locales/fr/server.json");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    server_messages(&out_dir)?;
    Ok(())
}

/// `server.json` as (English, French) template pairs, for translating the messages the
/// server's checks write in English (see `server_message` in lib.rs). Every key must be in
/// both languages with the same variables.
fn server_messages(out_dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let read = |language: &str| -> Result<
        serde_json::Map<String, serde_json::Value>,
        Box<dyn std::error::Error>,
    > {
        let text = std::fs::read_to_string(format!("locales/{language}/server.json"))?;
        Ok(serde_json::from_str(&text)?)
    };
    let variables = |template: &str| {
        let mut names: Vec<String> = template
            .split("{{")
            .skip(1)
            .filter_map(|rest| {
                rest.split_once("}}")
                    .map(|(name, _)| name.trim().to_string())
            })
            .collect();
        names.sort();
        names
    };
    let (en, fr) = (read("en")?, read("fr")?);
    let mut pairs = Vec::new();
    for (key, english) in &en {
        let (Some(english), Some(french)) =
            (english.as_str(), fr.get(key).and_then(|v| v.as_str()))
        else {
            return Err(format!("locales/fr/server.json lacks the string {key}").into());
        };
        if variables(english) != variables(french) {
            return Err(format!("server.json: {key} has other variables in en and fr").into());
        }
        pairs.push(format!("({english:?}, {french:?})"));
    }
    if let Some(extra) = fr.keys().find(|k| !en.contains_key(*k)) {
        return Err(format!("locales/en/server.json lacks {extra}").into());
    }
    std::fs::write(
        out_dir.join("server_messages.rs"),
        format!("&[{}]", pairs.join(",\n")),
    )?;
    Ok(())
}
