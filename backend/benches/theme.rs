//! Theme figures (printed, never asserted): what the per-page look at the theme folder costs
//! (it is what makes an edit show on the next page load), against the built-in theme that is
//! never looked at; and what a full reload of a theme costs when a file did change.
//!
//!   cargo bench -p backend --bench theme
//!   THEME_LOOKS=1000000 cargo bench -p backend --bench theme

use backend::theme::{load, ThemeStore};
use std::path::Path;
use std::time::Instant;

fn per_call(n: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_nanos() as f64 / n as f64
}

fn main() {
    let n: usize = std::env::var("THEME_LOOKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes/agritech");
    let watched = ThemeStore::open(&dir).expect("agritech theme");
    let fixed = ThemeStore::builtin();
    let watched_ns = per_call(n, || {
        std::hint::black_box(watched.current());
    });
    let fixed_ns = per_call(n, || {
        std::hint::black_box(fixed.current());
    });
    println!("theme for a page, folder watched (themes/agritech): {watched_ns:.0} ns per page");
    println!("theme for a page, built in (never reloaded):        {fixed_ns:.0} ns per page");

    let mut reloads: Vec<f64> = (0..200)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(load(&dir).expect("loads"));
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    reloads.sort_by(f64::total_cmp);
    println!(
        "full reload after an edit (parse, check, images, contrast): p50 {:.0} µs, p99 {:.0} µs",
        reloads[reloads.len() / 2],
        reloads[reloads.len() * 99 / 100]
    );
}
