//! Component styles, written with stylist and checked at compile time. Each sheet is scoped to a
//! fixed class name, so the class in the server HTML is the class the browser uses after
//! hydration (stylist's generated names differ between the two). Only the server needs them: it
//! writes them all into the page head; design tokens come from the theme's CSS variables.

use stylist::ast::{sheet, Sheet, ToStyleStr};

fn sheets() -> Vec<(&'static str, Sheet)> {
    vec![
        (
            "site-header",
            sheet!(
                r#"
                display: flex;
                align-items: center;
                gap: 1rem;
                padding: 0.75rem 1.5rem;
                background: var(--color-surface);
                border-bottom: 1px solid var(--color-border);
                .brand {
                    display: inline-flex;
                    align-items: center;
                    gap: 0.6rem;
                    color: var(--color-text);
                    text-decoration: none;
                    font-family: var(--font-heading);
                    font-weight: 650;
                    font-size: 1.15rem;
                }
                "#
            ),
        ),
        (
            "site-footer",
            sheet!(
                r#"
                display: flex;
                flex-wrap: wrap;
                gap: 0.75rem;
                justify-content: space-between;
                align-items: center;
                padding: 1rem 1.5rem;
                color: var(--color-muted);
                font-size: 0.85rem;
                border-top: 1px solid var(--color-border);
                .language-switch {
                    display: inline-flex;
                    align-items: center;
                    gap: 0.4rem;
                    margin: 0;
                }
                .language-switch select, .language-switch button {
                    font-size: 0.85rem;
                    padding: 0.2rem 0.5rem;
                    width: auto;
                }
                "#
            ),
        ),
        (
            "landing",
            sheet!(
                r#"
                max-width: 34rem;
                margin: 4rem auto;
                padding: 0 1.5rem;
                h1 {
                    font-family: var(--font-heading);
                    font-size: 2rem;
                    line-height: 1.2;
                    margin: 0 0 0.5rem;
                }
                .tagline {
                    color: var(--color-muted);
                    margin: 0 0 2rem;
                }
                .card + .card {
                    margin-top: 1.5rem;
                }
                "#
            ),
        ),
        (
            "card",
            sheet!(
                r#"
                background: var(--color-surface);
                border: 1px solid var(--color-border);
                border-radius: calc(var(--radius) * 1.5);
                padding: 1.5rem;
                h2 {
                    margin: 0 0 1rem;
                    font-size: 1.15rem;
                }
                label {
                    display: block;
                    font-weight: 600;
                    margin-bottom: 0.4rem;
                }
                input {
                    width: 100%;
                    box-sizing: border-box;
                    padding: 0.6rem 0.7rem;
                    font: inherit;
                    border: 1px solid var(--color-border);
                    border-radius: var(--radius);
                }
                input[aria-invalid="true"] {
                    border-color: var(--color-danger);
                }
                button {
                    margin-top: 1rem;
                    padding: 0.6rem 1.1rem;
                    font: inherit;
                    font-weight: 600;
                    color: var(--color-on-primary);
                    background: var(--color-primary);
                    border: 0;
                    border-radius: var(--radius);
                    cursor: pointer;
                }
                button:disabled {
                    opacity: 0.6;
                    cursor: progress;
                }
                .field-error {
                    color: var(--color-danger);
                    margin: 0.5rem 0 0;
                    min-height: 1.25rem;
                }
                .sent {
                    color: var(--color-success);
                    margin: 0.75rem 0 0;
                }
                "#
            ),
        ),
        (
            "message-page",
            sheet!(
                r#"
                max-width: 34rem;
                margin: 5rem auto;
                padding: 0 1.5rem;
                text-align: center;
                .code {
                    color: var(--color-muted);
                    font-size: 0.9rem;
                    letter-spacing: 0.08em;
                    text-transform: uppercase;
                }
                h1 {
                    font-family: var(--font-heading);
                    margin: 0.5rem 0 1rem;
                }
                a {
                    color: var(--color-primary);
                }
                "#
            ),
        ),
        (
            "page",
            sheet!(
                r#"
                max-width: 60rem;
                margin: 2rem auto;
                padding: 0 1.5rem;
                h1, h2 {
                    font-family: var(--font-heading);
                }
                a {
                    color: var(--color-primary);
                }
                table {
                    width: 100%;
                    border-collapse: collapse;
                    background: var(--color-surface);
                    border: 1px solid var(--color-border);
                    margin: 0.5rem 0 1.5rem;
                }
                th, td {
                    text-align: left;
                    padding: 0.5rem 0.75rem;
                    border-bottom: 1px solid var(--color-border);
                    vertical-align: middle;
                }
                th {
                    color: var(--color-muted);
                    font-weight: 600;
                    font-size: 0.85rem;
                }
                form.inline {
                    display: inline-flex;
                    gap: 0.4rem;
                    align-items: center;
                    margin: 0;
                }
                .card {
                    margin-bottom: 1rem;
                }
                select {
                    font: inherit;
                    padding: 0.35rem 0.5rem;
                    border: 1px solid var(--color-border);
                    border-radius: var(--radius);
                    background: var(--color-surface);
                }
                table button {
                    padding: 0.35rem 0.8rem;
                    font: inherit;
                    font-size: 0.9rem;
                    color: var(--color-primary);
                    background: transparent;
                    border: 1px solid var(--color-border);
                    border-radius: var(--radius);
                    cursor: pointer;
                }
                table button:disabled {
                    opacity: 0.5;
                    cursor: not-allowed;
                }
                .field-error {
                    color: var(--color-danger);
                }
                "#
            ),
        ),
        (
            "device-map",
            sheet!(
                r#"
                position: relative;
                width: 100%;
                max-width: 40rem;
                aspect-ratio: 5 / 2;
                overflow: hidden;
                background: #eef3f8;
                border: 1px solid var(--color-border);
                border-radius: var(--radius);
                .map-fallback {
                    display: block;
                    width: 100%;
                    height: 100%;
                }
                .map-fallback .marker {
                    fill: var(--color-primary);
                    stroke: var(--color-surface);
                    stroke-width: 1.5px;
                    vector-effect: non-scaling-stroke;
                }
                .map-fallback .marker.offline, .leaflet-interactive.offline {
                    fill: var(--color-muted);
                }
                .leaflet-interactive.marker {
                    fill: var(--color-primary);
                    stroke: var(--color-surface);
                }
                .map-popup p {
                    margin: 0.2rem 0 0;
                }
                "#
            ),
        ),
        (
            "dashboard",
            sheet!(
                r#"
                max-width: 80rem;
                margin: 1.5rem auto;
                padding: 0 1.5rem;
                h1 {
                    font-family: var(--font-heading);
                    margin: 0.5rem 0;
                }
                .dashboard-menu, .range-picker, .refresh-picker {
                    display: flex;
                    flex-wrap: wrap;
                    gap: 0.5rem;
                    list-style: none;
                    padding: 0;
                    margin: 0.5rem 0;
                }
                .dashboard-menu a, .range-picker a, .refresh-picker a {
                    padding: 0.2rem 0.6rem;
                    border: 1px solid var(--color-border);
                    border-radius: var(--radius);
                    text-decoration: none;
                }
                a[aria-current="page"] {
                    color: var(--color-on-primary);
                    background: var(--color-primary);
                }
                .dashboard-controls {
                    display: flex;
                    flex-wrap: wrap;
                    align-items: center;
                    gap: 1rem;
                }
                .custom-range {
                    display: flex;
                    flex-wrap: wrap;
                    align-items: center;
                    gap: 0.4rem;
                }
                .dashboard-grid {
                    display: grid;
                    grid-template-columns: repeat(12, minmax(0, 1fr));
                    grid-auto-rows: 5.5rem;
                    gap: 1rem;
                }
                .widget {
                    display: flex;
                    flex-direction: column;
                    min-width: 0;
                    overflow: auto;
                    padding: 0.75rem;
                    background: var(--color-surface);
                    border: 1px solid var(--color-border);
                    border-radius: calc(var(--radius) * 1.5);
                }
                .widget header {
                    display: flex;
                    justify-content: space-between;
                    align-items: baseline;
                    gap: 0.5rem;
                }
                .widget h2 {
                    font-size: 1rem;
                    margin: 0 0 0.5rem;
                }
                .widget-export {
                    font-size: 0.8rem;
                }
                .widget .chart svg {
                    width: 100%;
                    height: auto;
                }
                .widget .device-map {
                    max-width: none;
                    flex: 1;
                    aspect-ratio: auto;
                    min-height: 12rem;
                }
                .chart-legend {
                    display: flex;
                    flex-wrap: wrap;
                    gap: 0.25rem 1rem;
                    padding: 0;
                    margin: 0.25rem 0 0;
                    list-style: none;
                    font-size: 0.85rem;
                    color: var(--color-muted);
                }
                .chart-tip {
                    min-height: 1.2em;
                    margin: 0;
                    font-size: 0.85rem;
                }
                .chart-zone {
                    margin: 0;
                    font-size: 0.75rem;
                    color: var(--color-muted);
                    text-align: right;
                }
                .chart-legend li::before {
                    content: "";
                    display: inline-block;
                    width: 0.9rem;
                    height: 0.2rem;
                    margin-right: 0.35rem;
                    vertical-align: middle;
                    background: var(--series);
                }
                .stat-value {
                    font-size: 2.2rem;
                    font-weight: 700;
                    margin: 0;
                }
                .stat-label, .widget-empty {
                    color: var(--color-muted);
                    margin: 0.25rem 0;
                }
                .widget-note {
                    white-space: pre-wrap;
                    margin: 0;
                }
                .gauge {
                    width: 100%;
                    max-width: 14rem;
                }
                .latest-table {
                    width: 100%;
                    border-collapse: collapse;
                    font-size: 0.9rem;
                }
                .latest-table th, .latest-table td {
                    text-align: left;
                    padding: 0.25rem 0.4rem;
                    border-bottom: 1px solid var(--color-border);
                }
                .latest-table .sort {
                    font: inherit;
                    font-weight: 600;
                    background: none;
                    border: 0;
                    padding: 0;
                    cursor: pointer;
                    color: inherit;
                }
                .widget-forms {
                    display: grid;
                    grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr));
                    gap: 1rem;
                    margin: 1rem 0;
                }
                .widget-form label, .card label {
                    display: block;
                    margin-top: 0.5rem;
                }
                .widget-form input, .widget-form select, .widget-form textarea {
                    width: 100%;
                    box-sizing: border-box;
                }
                .widget-form .place {
                    display: grid;
                    grid-template-columns: repeat(4, 1fr);
                    gap: 0.5rem;
                }
                label.check input {
                    width: auto;
                }
                @media (max-width: 48rem) {
                    .dashboard-grid {
                        display: flex;
                        flex-direction: column;
                    }
                }
                "#
            ),
        ),
        (
            "workspace-nav",
            sheet!(
                r#"
                display: flex;
                flex-wrap: wrap;
                justify-content: center;
                gap: 1.25rem;
                margin: 1.5rem 0;
                a {
                    color: var(--color-primary);
                    font-weight: 600;
                }
                "#
            ),
        ),
        (
            "banner",
            sheet!(
                r#"
                padding: 0.75rem 1rem;
                margin: 0 0 1.5rem;
                border-radius: var(--radius);
                border: 1px solid var(--color-danger);
                background: var(--color-surface);
                color: var(--color-text);
                ul {
                    margin: 0.5rem 0;
                    font-family: ui-monospace, monospace;
                    font-size: 0.85rem;
                    color: var(--color-danger);
                }
                "#
            ),
        ),
        (
            "sign-out",
            sheet!(
                r#"
                display: flex;
                justify-content: center;
                gap: 0.75rem;
                flex-wrap: wrap;
                button {
                    padding: 0.5rem 1rem;
                    font: inherit;
                    font-weight: 600;
                    color: var(--color-on-primary);
                    background: var(--color-primary);
                    border: 0;
                    border-radius: var(--radius);
                    cursor: pointer;
                }
                button.secondary {
                    color: var(--color-primary);
                    background: transparent;
                    border: 1px solid var(--color-border);
                }
                "#
            ),
        ),
    ]
}

/// Every component style as one stylesheet, each scoped to its class (built once).
pub fn component_css() -> &'static str {
    static CSS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        sheets()
            .iter()
            .map(|(class, sheet)| sheet.to_style_str(Some(class)))
            .collect()
    });
    &CSS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sheet_is_scoped_to_its_class() {
        let css = component_css();
        for (class, _) in sheets() {
            assert!(
                css.contains(&format!(".{class}")),
                "{class} missing in {css}"
            );
        }
        assert!(css.contains(".landing h1"), "{css}");
        assert!(css.contains(".card input[aria-invalid=\"true\"]"), "{css}");
    }
}
