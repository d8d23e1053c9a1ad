use super::*;

fn themes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes")
}

struct Scratch(PathBuf);

impl Scratch {
    fn new(toml: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("iotr-theme-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("theme.toml"), toml).expect("write");
        Self(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> &Self {
        std::fs::write(self.0.join(name), bytes).expect("write asset");
        self
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

const LOGO: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#0a0"/></svg>"##;

fn messages(e: &ThemeLoadError) -> Vec<String> {
    e.problems.iter().map(ToString::to_string).collect()
}

#[test]
fn the_built_in_default_sets_every_key_and_reads_well() {
    let values = default_values();
    for (key, _) in model::theme::KEYS.iter() {
        let derived = ["on_primary", "muted", "border"]
            .iter()
            .any(|d| key.ends_with(d));
        let mail = key.starts_with("mail.");
        // The copy again per language is optional; English readers read the keys above.
        let copy = key.starts_with("en.") || key.starts_with("fr.");
        assert!(
            derived || mail || copy || values.contains_key(key),
            "default theme lacks {key}"
        );
    }
    // French readers get the default's own French words, not the English ones.
    for key in ["fr.tagline", "fr.legal_footer", "fr.landing.intro"] {
        assert!(values.contains_key(key), "default theme lacks {key}");
    }
    let builtin = LoadedTheme::builtin();
    assert_eq!(builtin.theme.product_name, "IoT Rocket");
    assert!(builtin.theme.dark.is_some());
    assert_eq!(
        builtin.warnings,
        Vec::<String>::new(),
        "the default theme must pass WCAG AA"
    );
}

#[test]
fn every_shipped_theme_loads_without_warnings_and_looks_different() {
    let mut primaries = Vec::new();
    for name in ["default", "agritech", "smart-city"] {
        let loaded = load(&themes_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(loaded.warnings, Vec::<String>::new(), "{name}");
        assert_eq!(loaded.assets.len(), 2, "{name}: logo and favicon");
        primaries.push((loaded.theme.colors.primary, loaded.theme.colors.background));
    }
    let distinct: std::collections::BTreeSet<_> = primaries.iter().collect();
    assert_eq!(distinct.len(), 3, "{primaries:?}");
}

#[test]
fn a_theme_of_two_keys_takes_the_rest_and_the_images_from_the_default() {
    let dir = Scratch::new("product_name = \"FieldSense\"\n[colors]\nprimary = \"#2e7d32\"\n");
    let loaded = load(&dir.0).expect("loads");
    assert_eq!(loaded.theme.product_name, "FieldSense");
    assert_eq!(loaded.theme.colors.primary, "#2e7d32");
    assert!(
        loaded.theme.logo_url.starts_with("/theme/logo.svg?v="),
        "{}",
        loaded.theme.logo_url
    );
    assert_eq!(&*loaded.assets["logo.svg"].bytes, DEFAULT_LOGO);
}

#[test]
fn image_problems_name_the_key() {
    let dir = Scratch::new("logo = \"brand.svg\"\nfavicon = \"icon.png\"\n");
    dir.file("icon.png", LOGO);
    let err = load(&dir.0).expect_err("broken");
    let found = messages(&err);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains(": logo: the file") && found[0].contains("brand.svg"),
        "{found:?}"
    );
    assert!(
        found[1].contains(": favicon: \u{201c}icon.png\u{201d} holds image/svg+xml"),
        "{found:?}"
    );
}

#[test]
fn a_logo_with_script_is_refused() {
    let dir = Scratch::new("logo = \"logo.svg\"\n");
    dir.file(
        "logo.svg",
        br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
    );
    let err = load(&dir.0).expect_err("refused");
    assert!(
        err.to_string()
            .contains("logo: \u{201c}logo.svg\u{201d} is refused: the SVG uses <script>"),
        "{err}"
    );
}

#[test]
fn images_are_limited_in_size() {
    let big = vec![b' '; MAX_ASSET_BYTES + 1];
    let err = check_image("logo.svg", &big).expect_err("too big");
    assert!(err.contains("at most 512 KiB"), "{err}");
}

#[test]
fn theme_names_and_paths_are_told_apart() {
    let root = Path::new("/srv/themes");
    assert_eq!(locate("agritech", root), root.join("agritech"));
    assert_eq!(
        locate("./brands/acme", root),
        PathBuf::from("./brands/acme")
    );
    assert_eq!(locate("/etc/acme", root), PathBuf::from("/etc/acme"));
}

#[test]
fn an_edit_shows_at_once_and_a_broken_edit_keeps_the_last_good_theme() {
    let dir = Scratch::new("product_name = \"First\"\n");
    let store = ThemeStore::open(&dir.0).expect("opens");
    assert_eq!(store.current().theme.product_name, "First");

    std::fs::write(
        dir.0.join("theme.toml"),
        "product_name = \"Second brand\"\n",
    )
    .expect("edit");
    assert_eq!(store.current().theme.product_name, "Second brand");
    assert!(store.problem().is_none());

    std::fs::write(
        dir.0.join("theme.toml"),
        "product_name = \"Third\"\n[colors]\nprimary = \"green\"\n",
    )
    .expect("broken edit");
    assert_eq!(
        store.current().theme.product_name,
        "Second brand",
        "last good theme kept"
    );
    let problem = store.problem().expect("problem named");
    assert!(
        problem
            .to_string()
            .contains(":3:11: colors.primary: \"green\" is not a colour"),
        "{problem}"
    );

    // A new logo file alone is noticed too.
    std::fs::write(dir.0.join("theme.toml"), "logo = \"mark.svg\"\n").expect("fix");
    assert!(store.problem().is_some(), "mark.svg is not there yet");
    dir.file("mark.svg", LOGO);
    let fixed = store.current();
    assert!(store.problem().is_none());
    assert!(fixed.theme.logo_url.starts_with("/theme/mark.svg?v="));
    assert_eq!(fixed.theme.product_name, "IoT Rocket");
}

#[test]
fn a_same_size_edit_in_the_same_clock_tick_is_seen() {
    let dir = Scratch::new("[colors]\nprimary = \"#111111\"\n");
    let store = ThemeStore::open(&dir.0).expect("opens");
    let file = dir.0.join("theme.toml");
    let before = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .expect("mtime");
    // Written through a new file renamed over the old one, as editors and deploy tools do,
    // with the old modification time put back.
    let fresh = dir.0.join(".theme.toml.new");
    std::fs::write(&fresh, "[colors]\nprimary = \"#222222\"\n").expect("write");
    std::fs::File::options()
        .write(true)
        .open(&fresh)
        .and_then(|f| f.set_modified(before))
        .expect("set mtime");
    std::fs::rename(&fresh, &file).expect("rename");
    assert_eq!(store.current().theme.colors.primary, "#222222");
}

#[cfg(unix)]
#[test]
fn theme_files_behind_symbolic_links_are_watched() {
    // A Kubernetes ConfigMap: the folder holds links into a data folder that is swapped.
    let dir = Scratch::new("");
    std::fs::remove_file(dir.0.join("theme.toml")).expect("rm");
    let data = dir.0.join("..data-1");
    std::fs::create_dir(&data).expect("mkdir");
    std::fs::write(data.join("theme.toml"), "product_name = \"Linked\"\n").expect("write");
    std::os::unix::fs::symlink(data.join("theme.toml"), dir.0.join("theme.toml")).expect("link");
    let store = ThemeStore::open(&dir.0).expect("opens");
    assert_eq!(store.current().theme.product_name, "Linked");
    std::fs::write(
        data.join("theme.toml"),
        "product_name = \"Relinked brand\"\n",
    )
    .expect("edit");
    assert_eq!(store.current().theme.product_name, "Relinked brand");
}
