//! The deployment's theme: a folder with `theme.toml` and its images, read over the default
//! theme that is built into the binary. Problems are reported with file, line, column and key, so
//! a broken theme stops start-up with a clear message; afterwards the folder is watched on every
//! page load, and a broken edit keeps the last good theme (see [`ThemeStore`]).

pub mod file;
pub mod svg;

pub use file::Problem;
use model::theme::{asset_url, image_kind, ImageKind, Values};
use model::Theme;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// The largest logo or favicon a theme may ship.
pub const MAX_ASSET_BYTES: usize = 512 * 1024;

/// The default theme, built in: every key a theme may leave out comes from here.
const DEFAULT_TOML: &str = include_str!("../../../themes/default/theme.toml");
const DEFAULT_LOGO: &[u8] = include_bytes!("../../../themes/default/logo.svg");
const DEFAULT_FAVICON: &[u8] = include_bytes!("../../../themes/default/favicon.svg");

/// An image the theme serves at `/theme/<file>`.
#[derive(Debug, Clone)]
pub struct Asset {
    pub bytes: Arc<[u8]>,
    pub kind: ImageKind,
}

/// A checked theme with its images in memory.
#[derive(Debug, Clone)]
pub struct LoadedTheme {
    pub theme: Theme,
    /// By file name, as the theme's URLs name them.
    pub assets: HashMap<String, Asset>,
    /// What works but may not be meant: pairs of colours below WCAG AA, the default's legal
    /// footer under another brand (warnings, not errors).
    pub warnings: Vec<String>,
}

impl LoadedTheme {
    /// The built-in default theme.
    pub fn builtin() -> Self {
        load_from(None).expect("the built-in default theme is valid (a unit test checks it)")
    }
}

/// Every problem that makes a theme unusable.
#[derive(Debug, Clone)]
pub struct ThemeLoadError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for ThemeLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the theme is not usable:")?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ThemeLoadError {}

/// Where `THEME` points: a name under `themes_root`, or a path (anything with a `/`, or `.`).
pub fn locate(theme: &str, themes_root: &Path) -> PathBuf {
    if theme.contains('/') || theme.contains('\\') || theme.starts_with('.') {
        PathBuf::from(theme)
    } else {
        themes_root.join(theme)
    }
}

/// Loads and checks the theme folder `dir`.
pub fn load(dir: &Path) -> Result<LoadedTheme, ThemeLoadError> {
    load_from(Some(dir))
}

fn default_values() -> Values {
    file::read("themes/default/theme.toml", DEFAULT_TOML)
        .expect("the built-in default theme is valid (a unit test checks it)")
}

fn load_from(dir: Option<&Path>) -> Result<LoadedTheme, ThemeLoadError> {
    let defaults = default_values();
    let (own, toml_name) = match dir {
        None => (defaults.clone(), String::new()),
        Some(dir) => {
            let path = dir.join("theme.toml");
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| ThemeLoadError {
                problems: vec![Problem {
                    file: name.clone(),
                    line: 0,
                    column: 0,
                    key: None,
                    message: format!("cannot be read: {e}"),
                }],
            })?;
            let own = file::read(&name, &text).map_err(|problems| ThemeLoadError { problems })?;
            (own, name)
        }
    };
    let mut assets = HashMap::new();
    let mut problems = Vec::new();
    let mut urls = Vec::new();
    for key in ["logo", "favicon"] {
        let (name, bytes) = match (dir, own.get(key).filter(|_| dir.is_some())) {
            (Some(dir), Some(name)) => {
                let path = dir.join(name);
                match std::fs::read(&path) {
                    Ok(bytes) => (name.clone(), bytes),
                    Err(e) => {
                        problems.push(asset_problem(
                            &toml_name,
                            key,
                            format!(
                                "the file \u{201c}{}\u{201d} cannot be read: {e}",
                                path.display()
                            ),
                        ));
                        continue;
                    }
                }
            }
            _ => {
                let name = defaults[key].clone();
                let bytes = if key == "logo" {
                    DEFAULT_LOGO
                } else {
                    DEFAULT_FAVICON
                };
                (name, bytes.to_vec())
            }
        };
        match check_image(&name, &bytes) {
            Ok(kind) => {
                urls.push(asset_url(&name, &content_version(&bytes)));
                assets.insert(
                    name,
                    Asset {
                        bytes: bytes.into(),
                        kind,
                    },
                );
            }
            Err(message) => problems.push(asset_problem(&toml_name, key, message)),
        }
    }
    if !problems.is_empty() {
        return Err(ThemeLoadError { problems });
    }
    let favicon_url = urls.pop().unwrap_or_default();
    let logo_url = urls.pop().unwrap_or_default();
    let theme = model::theme::resolve(&defaults, &own, logo_url, favicon_url).map_err(|e| {
        ThemeLoadError {
            problems: vec![asset_problem(&toml_name, &e.0, e.to_string())],
        }
    })?;
    let mut warnings: Vec<String> = theme
        .low_contrast()
        .iter()
        .map(ToString::to_string)
        .collect();
    if dir.is_some() && own.contains_key("product_name") && !own.contains_key("legal_footer") {
        warnings.push(format!(
            "legal_footer is not set, so pages and mails carry the default's \u{201c}{}\u{201d}",
            theme.legal_footer
        ));
    }
    Ok(LoadedTheme {
        theme,
        assets,
        warnings,
    })
}

fn asset_problem(file: &str, key: &str, message: String) -> Problem {
    Problem {
        file: file.to_string(),
        line: 0,
        column: 0,
        key: Some(key.to_string()),
        message,
    }
}

/// A short hash of a file's content: the `?v=` of its address, which changes with the file.
pub fn content_version(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks an image by its bytes: the type its name claims, the size, and for SVG that nothing in
/// it can run or fetch.
pub fn check_image(name: &str, bytes: &[u8]) -> Result<ImageKind, String> {
    let claimed = image_kind(name)
        .ok_or_else(|| format!("\u{201c}{name}\u{201d} is not an .svg, .png or .ico file"))?;
    if bytes.len() > MAX_ASSET_BYTES {
        return Err(format!(
            "\u{201c}{name}\u{201d} is {} KiB; images may be at most {} KiB",
            bytes.len().div_ceil(1024),
            MAX_ASSET_BYTES / 1024
        ));
    }
    match ImageKind::sniff(bytes) {
        Some(found) if found == claimed => {}
        Some(found) => {
            return Err(format!(
                "\u{201c}{name}\u{201d} holds {}, not what its name says",
                found.content_type()
            ))
        }
        None => {
            return Err(format!(
                "\u{201c}{name}\u{201d} is not an SVG, PNG or ICO image"
            ))
        }
    }
    if claimed == ImageKind::Svg {
        svg::check(bytes).map_err(|e| format!("\u{201c}{name}\u{201d} is refused: {e}"))?;
    }
    Ok(claimed)
}

/// The theme in use, reloaded from its folder when a file there changes. A broken edit keeps
/// the last good theme; [`ThemeStore::problem`] names what is wrong until it is fixed.
#[derive(Debug)]
pub struct ThemeStore {
    dir: Option<PathBuf>,
    state: RwLock<State>,
}

#[derive(Debug)]
struct State {
    current: Arc<LoadedTheme>,
    stamp: Stamp,
    problem: Option<Arc<ThemeLoadError>>,
}

/// What the folder looked like: each file's name, size, modification and change times, and
/// inode (a file replaced by another of the same size within one clock tick still differs).
type Stamp = Vec<(std::ffi::OsString, u64, Option<SystemTime>, i64, u64)>;

impl ThemeStore {
    /// Loads the theme in `dir`; a problem here stops start-up.
    pub fn open(dir: &Path) -> Result<Self, ThemeLoadError> {
        let stamp = stamp(dir);
        let current = load(dir)?;
        warn_contrast(dir, &current);
        Ok(Self {
            dir: Some(dir.to_path_buf()),
            state: RwLock::new(State {
                current: Arc::new(current),
                stamp,
                problem: None,
            }),
        })
    }

    /// The built-in default theme, never reloaded (tests, and deployments with no folder).
    pub fn builtin() -> Self {
        Self::fixed(LoadedTheme::builtin())
    }

    pub fn fixed(theme: LoadedTheme) -> Self {
        Self {
            dir: None,
            state: RwLock::new(State {
                current: Arc::new(theme),
                stamp: Vec::new(),
                problem: None,
            }),
        }
    }

    /// The theme to render with now. Looks at the folder first (a directory listing: a few
    /// microseconds) and reloads when anything in it changed since the last look.
    pub fn current(&self) -> Arc<LoadedTheme> {
        let Some(dir) = &self.dir else {
            return self.read().current.clone();
        };
        let now = stamp(dir);
        {
            let state = self.read();
            if state.stamp == now {
                return state.current.clone();
            }
        }
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        // Looked at again under the lock: another request may have reloaded meanwhile.
        let now = stamp(dir);
        if state.stamp != now {
            state.stamp = now;
            match load(dir) {
                Ok(theme) => {
                    tracing::info!(dir = %dir.display(), "theme reloaded");
                    warn_contrast(dir, &theme);
                    state.current = Arc::new(theme);
                    state.problem = None;
                }
                Err(e) => {
                    tracing::error!(dir = %dir.display(), error = %e, "theme edit refused; keeping the last good theme");
                    state.problem = Some(Arc::new(e));
                }
            }
        }
        state.current.clone()
    }

    /// What is wrong with the theme on disk, while the last good one is in use.
    pub fn problem(&self) -> Option<Arc<ThemeLoadError>> {
        self.current();
        self.read().problem.clone()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }
}

fn warn_contrast(dir: &Path, theme: &LoadedTheme) {
    for warning in &theme.warnings {
        tracing::warn!(dir = %dir.display(), "theme colours: {warning}");
    }
}

fn stamp(dir: &Path) -> Stamp {
    let mut files: Stamp = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            // Followed through symbolic links (a Kubernetes ConfigMap is links to links).
            let meta = std::fs::metadata(entry.path()).ok()?;
            #[cfg(unix)]
            let (ctime, ino) = {
                use std::os::unix::fs::MetadataExt;
                (meta.ctime_nsec() + meta.ctime() * 1_000_000_000, meta.ino())
            };
            #[cfg(not(unix))]
            let (ctime, ino) = (0, 0);
            meta.is_file().then(|| {
                (
                    entry.file_name(),
                    meta.len(),
                    meta.modified().ok(),
                    ctime,
                    ino,
                )
            })
        })
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests;
