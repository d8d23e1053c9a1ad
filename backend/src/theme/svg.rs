//! SVG that may be shown as a logo: parsed as XML and checked against a list of drawing elements
//! and attributes. Anything that can run script or fetch from elsewhere (`<script>`, event
//! attributes, `javascript:` or outside links, `<foreignObject>`, external `url(…)`, entities) is
//! refused with the reason, never silently dropped.

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Elements a logo may use.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "title",
    "desc",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "symbol",
    "use",
    "style",
    "metadata",
];

/// Checks `bytes` as a logo. `Err` says why it is refused.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the SVG is not UTF-8 text".to_string())?;
    if text.contains("<!ENTITY") || text.contains("<!DOCTYPE") {
        return Err("the SVG declares a DOCTYPE or entities, which logos may not".into());
    }
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| format!("the SVG is not well-formed XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG_NS) {
        return Err("the file's outermost element is not <svg> in the SVG namespace".into());
    }
    if doc.descendants().any(|n| n.is_pi()) {
        return Err("the SVG has a processing instruction (such as xml-stylesheet)".into());
    }
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        let name = node.tag_name().name();
        let in_svg = node.tag_name().namespace() == Some(SVG_NS);
        if !in_svg || !ELEMENTS.contains(&name) {
            return Err(format!("the SVG uses <{name}>, which logos may not"));
        }
        if name == "style" {
            // Only plain text: a comment or element inside could hide what the browser joins.
            if node.children().any(|c| !c.is_text()) {
                return Err("the SVG's <style> holds more than plain text".into());
            }
            let css: String = node.children().filter_map(|c| c.text()).collect();
            check_css(&css)?;
        }
        for attr in node.attributes() {
            let attr_name = attr.name();
            let value = attr.value();
            if attr_name.to_ascii_lowercase().starts_with("on") {
                return Err(format!("the SVG has an event attribute `{attr_name}`"));
            }
            if attr_name == "href" && !value.trim_start().starts_with('#') {
                return Err(format!(
                    "the SVG links to \u{201c}{value}\u{201d}; logos may only link inside themselves"
                ));
            }
            if attr_name == "style" {
                check_css(value)?;
            }
            check_urls(value)?;
        }
    }
    Ok(())
}

fn check_css(css: &str) -> Result<(), String> {
    let lower = css.to_ascii_lowercase();
    if lower.contains("@import") || lower.contains("expression(") || lower.contains("javascript:") {
        return Err("the SVG's styles import or run code".into());
    }
    // Escapes can spell anything (`u\72l(`); a logo needs none.
    if css.contains('\\') {
        return Err("the SVG's styles use backslash escapes".into());
    }
    for fetching in ["image-set(", "image(", "src(", "@font-face"] {
        if lower.contains(fetching) {
            return Err(format!(
                "the SVG's styles use {fetching}, which can fetch a file"
            ));
        }
    }
    check_urls(css)
}

/// Only `url(#…)` (a gradient or clip path inside the file) is allowed.
fn check_urls(value: &str) -> Result<(), String> {
    let lower = value.to_ascii_lowercase();
    if lower.contains("javascript:") {
        return Err("the SVG holds a javascript: address".into());
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        let inside = rest[at + 4..].trim_start_matches([' ', '\'', '"']);
        if !inside.starts_with('#') {
            return Err("the SVG fetches a file from elsewhere through url(…)".into());
        }
        rest = &rest[at + 4..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn a_plain_drawing_passes() {
        let logo = r##"<?xml version="1.0"?>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
              <defs><linearGradient id="g"><stop offset="0" stop-color="#0a0"/></linearGradient></defs>
              <title>Acme</title>
              <circle cx="16" cy="16" r="14" fill="url(#g)" style="stroke: #000"/>
              <use href="#g"/>
            </svg>"##;
        assert_eq!(check(logo.as_bytes()), Ok(()));
    }

    #[test]
    fn anything_that_can_run_or_fetch_is_refused_with_the_reason() {
        let wrap = |inner: &str| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{inner}</svg>"#
            )
        };
        for (svg, reason) in [
            (wrap("<script>alert(1)</script>"), "<script>"),
            (
                wrap(r#"<rect onclick="alert(1)"/>"#),
                "event attribute `onclick`",
            ),
            (wrap(r#"<rect OnLoad="alert(1)"/>"#), "event attribute"),
            (wrap(r#"<a href="javascript:alert(1)"><rect/></a>"#), "<a>"),
            (
                wrap(r#"<use xlink:href="https://evil.example/x.svg#a"/>"#),
                "links to",
            ),
            (
                wrap(
                    r#"<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>"#,
                ),
                "<foreignObject>",
            ),
            (
                wrap(r#"<rect style="fill:url(https://evil.example/t)"/>"#),
                "url(…)",
            ),
            (
                wrap("<style>@import url(https://evil.example/c.css);</style>"),
                "import",
            ),
            (
                wrap(r#"<image href="data:image/png;base64,AAAA"/>"#),
                "<image>",
            ),
            (
                r#"<!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>"#.to_string(),
                "DOCTYPE",
            ),
            ("<html><svg/></html>".to_string(), "not <svg>"),
            ("<svg/>".to_string(), "SVG namespace"),
            (
                format!(
                    "<?xml-stylesheet type=\"text/xsl\" href=\"https://evil.example/x.xsl\"?>{}",
                    wrap("")
                ),
                "processing instruction",
            ),
            (
                wrap("<style>rect{fill:u<!--x-->rl(https://evil.example/t)}</style>"),
                "more than plain text",
            ),
            (
                wrap(r#"<rect style="fill:u\72l(https://evil.example/t)"/>"#),
                "backslash",
            ),
            (
                wrap("<style>@\\69mport 'https://evil.example/c.css';</style>"),
                "backslash",
            ),
            (
                wrap(r#"<rect style="fill:image-set('https://evil.example/t' 1x)"/>"#),
                "image-set(",
            ),
            (
                wrap(r##"<set attributeName="href" to="javascript:alert(1)"/>"##),
                "<set>",
            ),
            (
                wrap(r##"<animate attributeName="href" values="javascript:alert(1)"/>"##),
                "<animate>",
            ),
            ("<svg><rect></svg>".to_string(), "not well-formed"),
        ] {
            let err = check(svg.as_bytes()).expect_err(&svg);
            assert!(err.contains(reason), "{svg}: {err}");
        }
    }
}
