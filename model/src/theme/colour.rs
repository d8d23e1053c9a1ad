//! Colours as a theme writes them (`#rgb`, `#rrggbb`), the mixes the product derives from them,
//! and the WCAG 2 contrast ratio that `theme check` warns about.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rgb` or `#rrggbb`, upper or lower case.
    pub fn parse(value: &str) -> Option<Self> {
        let hex = value.strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
        let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        match hex.len() {
            3 => Some(Self(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => Some(Self(pair(0)?, pair(2)?, pair(4)?)),
            _ => None,
        }
    }

    /// `#rrggbb` in lower case.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// `share` (0–1) of `other` mixed into this colour.
    pub fn mix(self, other: Rgb, share: f64) -> Rgb {
        let c = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * share).round() as u8;
        Rgb(c(self.0, other.0), c(self.1, other.1), c(self.2, other.2))
    }

    /// Relative luminance as WCAG 2 defines it.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = c as f64 / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// The WCAG 2 contrast ratio between two colours, from 1 to 21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// White or near-black, whichever reads better on this colour.
    pub fn readable_text(self) -> Rgb {
        let white = Rgb(255, 255, 255);
        let ink = Rgb(0x11, 0x18, 0x27);
        if self.contrast(white) >= self.contrast(ink) {
            white
        } else {
            ink
        }
    }
}

/// The contrast normal text needs under WCAG 2 level AA.
pub const AA_CONTRAST: f64 = 4.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_forms_parse_to_the_same_colour() {
        assert_eq!(Rgb::parse("#fA0"), Some(Rgb(255, 170, 0)));
        assert_eq!(Rgb::parse("#ffaa00"), Some(Rgb(255, 170, 0)));
        assert_eq!(
            Rgb::parse("#FFAA00").map(Rgb::hex).as_deref(),
            Some("#ffaa00")
        );
        for bad in ["ffaa00", "#ffaa0", "#ggg", "red", "#", "#ffaa00ff", "#ïï"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_matches_the_wcag_reference_values() {
        let black = Rgb(0, 0, 0);
        let white = Rgb(255, 255, 255);
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        assert!((white.contrast(white) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic lightest grey that passes AA (4.54:1).
        let grey = Rgb::parse("#767676").expect("grey");
        assert!(grey.contrast(white) > AA_CONTRAST);
        assert!(Rgb::parse("#777777").expect("grey").contrast(white) < AA_CONTRAST);
    }

    #[test]
    fn readable_text_picks_the_better_of_white_and_ink() {
        assert_eq!(
            Rgb::parse("#3454d1").expect("blue").readable_text(),
            Rgb(255, 255, 255)
        );
        assert_eq!(
            Rgb::parse("#ffd54f").expect("yellow").readable_text(),
            Rgb(0x11, 0x18, 0x27)
        );
    }

    #[test]
    fn mixing_goes_from_one_colour_to_the_other() {
        let a = Rgb(0, 0, 0);
        let b = Rgb(200, 100, 50);
        assert_eq!(a.mix(b, 0.0), a);
        assert_eq!(a.mix(b, 1.0), b);
        assert_eq!(a.mix(b, 0.5), Rgb(100, 50, 25));
    }
}
