//! Loads a startup's theme folder (`theme.toml` plus its images) and checks it, reporting each
//! problem with the file, line and column, so a broken theme stops start-up with a clear message.

use model::Theme;
use std::fmt;
use std::path::{Path, PathBuf};

/// A theme with the folder its files are served from.
#[derive(Debug, Clone)]
pub struct LoadedTheme {
    pub theme: Theme,
    pub dir: PathBuf,
}

#[derive(Debug)]
pub struct ThemeLoadError {
    pub file: PathBuf,
    pub problems: Vec<String>,
}

impl fmt::Display for ThemeLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "theme {} is not usable:", self.file.display())?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ThemeLoadError {}

pub fn load(dir: &Path) -> Result<LoadedTheme, ThemeLoadError> {
    let file = dir.join("theme.toml");
    let fail = |problems: Vec<String>| ThemeLoadError {
        file: file.clone(),
        problems,
    };
    let text =
        std::fs::read_to_string(&file).map_err(|e| fail(vec![format!("cannot read it: {e}")]))?;
    let theme: Theme =
        toml::from_str(&text).map_err(|e| fail(vec![describe_toml_error(&text, &e)]))?;
    let mut problems: Vec<String> = match theme.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    };
    for (key, name) in [("logo", &theme.logo), ("favicon", &theme.favicon)] {
        if model::theme::check_asset_name(name).is_ok() && !dir.join(name).is_file() {
            problems.push(format!(
                "{key}: file \"{name}\" is not in {}",
                dir.display()
            ));
        }
    }
    if problems.is_empty() {
        Ok(LoadedTheme {
            theme,
            dir: dir.to_path_buf(),
        })
    } else {
        Err(fail(problems))
    }
}

fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim();
    match e.span() {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            format!("line {line}, column {column}: {message}")
        }
        None => message.to_string(),
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes")
    }

    fn scratch(toml: &str, files: &[&str]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("iotr-theme-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("theme.toml"), toml).expect("write");
        for f in files {
            std::fs::write(dir.join(f), b"x").expect("write asset");
        }
        dir
    }

    #[test]
    fn the_shipped_default_theme_loads() {
        let loaded = load(&themes_dir().join("default")).expect("default theme");
        assert_eq!(loaded.theme.name, "IoT Rocket");
    }

    #[test]
    fn a_syntax_error_names_line_and_column() {
        let dir = scratch("name = \"A\"\nlogo = = \"x\"\n", &[]);
        let err = load(&dir).expect_err("broken");
        assert!(err.problems[0].starts_with("line 2, column 8"), "{err}");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn an_unknown_key_is_reported_where_it_is() {
        let base = std::fs::read_to_string(themes_dir().join("default/theme.toml")).expect("read");
        let dir = scratch(
            &format!("{base}\ncolour = \"#fff\"\n"),
            &["logo.svg", "favicon.svg"],
        );
        let err = load(&dir).expect_err("unknown key");
        assert!(err.to_string().contains("unknown field `colour`"), "{err}");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn missing_asset_files_are_reported() {
        let base = std::fs::read_to_string(themes_dir().join("default/theme.toml")).expect("read");
        let dir = scratch(&base, &["favicon.svg"]);
        let err = load(&dir).expect_err("no logo");
        assert_eq!(err.problems.len(), 1, "{err}");
        assert!(
            err.problems[0].starts_with("logo: file \"logo.svg\""),
            "{err}"
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
