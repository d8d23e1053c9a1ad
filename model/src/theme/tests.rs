use super::*;

/// A complete set of values, like the default theme's file.
fn default_values() -> Values {
    let mut v = Values::new();
    for (k, val) in [
        ("product_name", "IoT Rocket"),
        ("tagline", "Every device, live."),
        ("logo", "logo.svg"),
        ("favicon", "favicon.svg"),
        ("radius", "6"),
        ("support_email", ""),
        ("support_url", ""),
        ("legal_footer", "© IoT Rocket"),
        ("fonts.body", "system-ui, sans-serif"),
        ("fonts.heading", "system-ui, sans-serif"),
        ("landing.headline", ""),
        ("landing.intro", "Sign in to your workspace."),
        ("colors.primary", "#3454d1"),
        ("colors.accent", "#0f9d8a"),
        ("colors.background", "#f5f7fb"),
        ("colors.surface", "#ffffff"),
        ("colors.text", "#1b2233"),
        ("colors.success", "#1e7d45"),
        ("colors.warning", "#a15c00"),
        ("colors.danger", "#b3261e"),
        ("colors.dark.primary", "#8ea2ff"),
        ("colors.dark.background", "#11151f"),
        ("colors.dark.surface", "#1a2030"),
        ("colors.dark.text", "#e6e9f0"),
    ] {
        v.insert(k.to_string(), val.to_string());
    }
    v
}

fn resolved(own: &[(&str, &str)]) -> Theme {
    let own: Values = own
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    resolve(&default_values(), &own, "/l".into(), "/f".into()).expect("resolves")
}

#[test]
fn every_key_left_out_comes_from_the_default() {
    let t = resolved(&[
        ("product_name", "FieldSense"),
        ("colors.primary", "#2e7d32"),
    ]);
    assert_eq!(t.product_name, "FieldSense");
    assert_eq!(t.colors.primary, "#2e7d32");
    assert_eq!(t.colors.background, "#f5f7fb");
    assert_eq!(t.tagline, "Every device, live.");
    assert_eq!(t.radius_px, 6);
    assert_eq!(t.headline(), "FieldSense");
    // Mail look follows the theme's own name and colour unless set.
    assert_eq!(t.mail.sender_name, "FieldSense");
    assert_eq!(t.mail.header_color, "#2e7d32");
    assert_eq!(t.support_email, None);
}

#[test]
fn derived_colours_follow_the_theme_not_the_default() {
    let t = resolved(&[("colors.primary", "#ffd54f")]);
    // Yellow buttons get dark text; blue ones white.
    assert_eq!(t.colors.on_primary, "#111827");
    assert_eq!(resolved(&[]).colors.on_primary, "#ffffff");
    let set = resolved(&[
        ("colors.on_primary", "#000000"),
        ("colors.muted", "#444444"),
    ]);
    assert_eq!(set.colors.on_primary, "#000000");
    assert_eq!(set.colors.muted, "#444444");
}

#[test]
fn a_theme_without_dark_colours_has_no_dark_variant() {
    assert!(resolved(&[("colors.primary", "#2e7d32")]).dark.is_none());
    let css = resolved(&[("colors.primary", "#2e7d32")]).css_variables();
    assert!(!css.contains("prefers-color-scheme"), "{css}");
}

#[test]
fn a_partial_dark_palette_keeps_its_own_brand_colours() {
    let t = resolved(&[
        ("colors.primary", "#2e7d32"),
        ("colors.dark.background", "#000000"),
    ]);
    let dark = t.dark.expect("dark variant");
    assert_eq!(dark.background, "#000000");
    assert_eq!(
        dark.primary, "#2e7d32",
        "brand colour from the theme's light palette"
    );
    assert_eq!(
        dark.surface, "#1a2030",
        "base colour from the default's dark palette"
    );
    let css = resolved(&[("colors.dark.background", "#000000")]).css_variables();
    assert!(
        css.contains(
            "@media (prefers-color-scheme: dark){:root{color-scheme:dark;--color-primary:"
        ),
        "{css}"
    );
}

#[test]
fn css_variables_carry_every_token() {
    let css = resolved(&[("radius", "12")]).css_variables();
    for token in [
        "--color-primary:#3454d1;",
        "--color-accent:#0f9d8a;",
        "--color-warning:#a15c00;",
        "--color-on-primary:#ffffff;",
        "--color-muted:",
        "--color-border:",
        "--font-body:system-ui, sans-serif;",
        "--radius:12px;",
    ] {
        assert!(css.contains(token), "{token} missing from {css}");
    }
}

#[test]
fn each_kind_of_value_is_checked_in_words() {
    assert_eq!(check_value(Kind::Colour, "#ABC"), Ok("#aabbcc".into()));
    assert!(check_value(Kind::Colour, "blue")
        .expect_err("blue")
        .contains("\"blue\" is not a colour"));
    assert_eq!(check_value(Kind::Radius, "8"), Ok("8".into()));
    assert!(check_value(Kind::Radius, "40").is_err());
    assert!(check_value(Kind::Text(5), "too long").is_err());
    assert!(check_value(Kind::Text(50), "bell\u{7}").is_err());
    assert_eq!(
        check_value(Kind::Text(50), "two\nlines"),
        Ok("two\nlines".into())
    );
    assert_eq!(
        check_value(Kind::Line(50), "two\nlines"),
        Err("must be one line".into())
    );
    assert_eq!(
        check_value(Kind::Name(50), "Acme\nAlerts"),
        Err("must be one line".into())
    );
    assert_eq!(
        check_value(Kind::Name(50), "   "),
        Err("must not be empty".into())
    );
    assert_eq!(
        check_value(Kind::Line(3), "  abc  "),
        Ok("abc".into()),
        "length after trimming"
    );
    assert!(check_value(Kind::Url, "https://help.acme.io/iot").is_ok());
    assert!(check_value(Kind::Url, "javascript:alert(1)").is_err());
    assert!(check_value(Kind::Url, "https://a.io/\"onload=x").is_err());
    assert!(check_value(Kind::Email, "help@acme.io").is_ok());
    assert!(check_value(Kind::Email, "help").is_err());
    assert!(check_value(Kind::Asset, "../logo.svg").is_err());
    assert!(check_value(Kind::Fonts, "Inter; } body {").is_err());
}

#[test]
fn keys_are_known_by_table() {
    assert_eq!(kind_of("colors.dark.accent"), Some(Kind::Colour));
    assert_eq!(kind_of("mail.sender_name"), Some(Kind::Name(60)));
    assert_eq!(kind_of("colour"), None);
    assert_eq!(kind_of("colors.dark"), None, "a table, not a key");
}

#[test]
fn low_contrast_pairs_are_named() {
    let fine = resolved(&[]);
    assert_eq!(fine.low_contrast(), vec![]);
    let pale = resolved(&[("colors.text", "#aaaaaa"), ("colors.dark.text", "#222222")]);
    let pairs: Vec<_> = pale.low_contrast().into_iter().map(|l| l.pair).collect();
    assert!(
        pairs.contains(&"colors.text on colors.background".to_string()),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&"colors.dark.text on colors.dark.surface".to_string()),
        "{pairs:?}"
    );
}

#[test]
fn images_are_known_by_their_bytes() {
    assert_eq!(
        ImageKind::sniff(b"\x89PNG\r\n\x1a\nrest"),
        Some(ImageKind::Png)
    );
    assert_eq!(
        ImageKind::sniff(b"<?xml version=\"1.0\"?><svg/>"),
        Some(ImageKind::Svg)
    );
    assert_eq!(
        ImageKind::sniff(b"  <svg xmlns=\"\"/>"),
        Some(ImageKind::Svg)
    );
    assert_eq!(ImageKind::sniff(&[0, 0, 1, 0, 1]), Some(ImageKind::Ico));
    assert_eq!(ImageKind::sniff(b"<html><script>"), None);
    assert_eq!(ImageKind::sniff(b"MZ\x90\x00"), None);
    // The first KiB may end inside a character.
    let mut svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><title>".to_vec();
    svg.resize(1023, b'a');
    svg.extend_from_slice("é</title></svg>".as_bytes());
    assert_eq!(ImageKind::sniff(&svg), Some(ImageKind::Svg));
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
fn a_workspace_brand_changes_the_primary_colour_name_and_logo_only() {
    let base = resolved(&[("colors.dark.background", "#000000")]);
    let branded = base.clone().co_branded(crate::workspace::CoBrand {
        name: Some("Acme Farms".into()),
        primary: Some("#ffd54f".into()),
        logo_url: Some("/w/acme/brand/logo?v=1".into()),
    });
    assert_eq!(branded.shown_name(), "Acme Farms");
    assert_eq!(branded.shown_logo(), "/w/acme/brand/logo?v=1");
    assert_eq!(branded.colors.primary, "#ffd54f");
    assert_eq!(branded.colors.on_primary, "#111827", "readable on yellow");
    assert_eq!(
        branded.dark.as_ref().map(|d| d.primary.as_str()),
        Some("#ffd54f")
    );
    assert_eq!(branded.colors.background, base.colors.background);
    assert_eq!(
        branded.product_name, "IoT Rocket",
        "the footer and mails keep the product"
    );
    let name_only = base.clone().co_branded(crate::workspace::CoBrand {
        name: Some("Acme".into()),
        ..Default::default()
    });
    assert_eq!(name_only.colors, base.colors);
    assert_eq!(name_only.shown_logo(), base.logo_url);
    assert_eq!(base.shown_name(), "IoT Rocket");
}

#[test]
fn copy_in_a_language_comes_from_the_theme_before_the_default() {
    let resolve_with = |own: &[(&str, &str)]| {
        let own: Values = own
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut default = default_values();
        default.insert("fr.tagline".into(), "Chaque appareil, en direct.".into());
        default.insert("fr.landing.intro".into(), "Connectez-vous.".into());
        resolve(&default, &own, "/l".into(), "/f".into()).expect("resolves")
    };
    // The default theme in French.
    let t = resolve_with(&[]).in_language(crate::Language::Fr);
    assert_eq!(t.tagline, "Chaque appareil, en direct.");
    assert_eq!(t.landing.intro, "Connectez-vous.");
    assert_eq!(t.legal_footer, "© IoT Rocket");
    assert!(t.copy.is_empty(), "the other languages are dropped");
    // A theme's own words beat the default's French; its French beats its own words.
    let own = [
        ("tagline", "Fields, live."),
        ("fr.landing.headline", "Vos parcelles."),
        ("fr.mail.footer", "Pied de mail."),
        ("mail.footer", "Mail footer."),
    ];
    let fr = resolve_with(&own).in_language(crate::Language::Fr);
    assert_eq!(fr.tagline, "Fields, live.");
    assert_eq!(fr.landing.headline, "Vos parcelles.");
    assert_eq!(fr.mail.footer, "Pied de mail.");
    let en = resolve_with(&own).in_language(crate::Language::En);
    assert_eq!(en.tagline, "Fields, live.");
    assert_eq!(en.landing.headline, "");
    assert_eq!(en.mail.footer, "Mail footer.");
    assert!(kind_of("fr.landing.intro").is_some());
    assert!(TABLES.contains(&"fr.mail"));
}
