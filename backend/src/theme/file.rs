//! Reads a `theme.toml`, keeping where each value is written, so every problem (a syntax error,
//! an unknown key, a value of the wrong type, a colour that does not parse) is reported with its
//! line, column and key, all in one pass.

use model::theme::{check_value, kind_of, Kind, Values, TABLES};
use std::fmt;
use toml_edit::{ImDocument, Item, TableLike, Value};

/// One problem in a theme, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the theme's folder names it (`themes/acme/theme.toml`).
    pub file: String,
    /// 1-based; 0 when the problem has no place in a file (a file that cannot be read).
    pub line: usize,
    pub column: usize,
    /// The dotted key, when there is one.
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if let Some(key) = &self.key {
            write!(f, ": {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The checked values of `text`, or every problem found in it.
pub fn read(file: &str, text: &str) -> Result<Values, Vec<Problem>> {
    let at = |span: Option<std::ops::Range<usize>>, key: Option<&str>, message: String| {
        let (line, column) = span.map_or((1, 1), |s| line_column(text, s.start));
        Problem {
            file: file.to_string(),
            line,
            column,
            key: key.map(str::to_string),
            message,
        }
    };
    let doc = match ImDocument::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let message = e.message().trim().to_string();
            return Err(vec![at(
                e.span(),
                None,
                format!("not valid TOML: {message}"),
            )]);
        }
    };
    let mut values = Values::new();
    let mut problems = Vec::new();
    walk(
        doc.as_table(),
        "",
        &mut values,
        &mut |span, key, message| problems.push(at(span, Some(key), message)),
    );
    if problems.is_empty() {
        Ok(values)
    } else {
        problems.sort_by_key(|p| (p.line, p.column));
        Err(problems)
    }
}

type Report<'a> = dyn FnMut(Option<std::ops::Range<usize>>, &str, String) + 'a;

fn walk(table: &dyn TableLike, prefix: &str, values: &mut Values, report: &mut Report<'_>) {
    for (name, item) in table.iter() {
        let key = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        };
        let key_span = table.get_key_value(name).and_then(|(k, _)| k.span());
        if name.contains('.') {
            report(
                key_span,
                &key,
                format!(
                    "a quoted key may not hold a dot; write the table as [{}]",
                    name.rsplit_once('.').map_or(name, |(t, _)| t)
                ),
            );
            continue;
        }
        if let Some(inner) = item.as_table_like() {
            if TABLES.contains(&key.as_str()) {
                walk(inner, &key, values, report);
            } else if kind_of(&key).is_some() {
                report(key_span, &key, "must be a value, not a table".into());
            } else {
                report(key_span, &key, unknown(&key));
            }
            continue;
        }
        let Some(kind) = kind_of(&key) else {
            let message = if TABLES.contains(&key.as_str()) {
                format!("must be a table ([{key}])")
            } else {
                unknown(&key)
            };
            report(key_span, &key, message);
            continue;
        };
        let value_span = item.span().or(key_span.clone());
        let raw = match (kind, item) {
            (Kind::Radius, Item::Value(Value::Integer(i))) => i.value().to_string(),
            (Kind::Radius, _) => {
                report(
                    value_span,
                    &key,
                    "must be a whole number of pixels, like 6".into(),
                );
                continue;
            }
            (_, Item::Value(Value::String(s))) => s.value().to_string(),
            (_, other) => {
                report(
                    value_span,
                    &key,
                    format!("must be a quoted string, not {}", other.type_name()),
                );
                continue;
            }
        };
        match check_value(kind, &raw) {
            Ok(v) => {
                values.insert(key, v);
            }
            Err(message) => report(value_span, &key, message),
        }
    }
}

fn unknown(key: &str) -> String {
    let (table, name) = key.rsplit_once('.').unwrap_or(("", key));
    let known: Vec<String> = model::theme::KEYS
        .iter()
        .filter_map(|(k, _)| {
            let (t, n) = k.rsplit_once('.').unwrap_or(("", k.as_str()));
            (t == table).then(|| n.to_string())
        })
        .chain(
            TABLES
                .iter()
                .filter(|t| t.rsplit_once('.').map_or("", |(p, _)| p) == table)
                .map(|t| t.rsplit('.').next().unwrap_or(t).to_string()),
        )
        .collect();
    let close = known.iter().min_by_key(|k| strsim(k, name));
    let mut message = format!("unknown key `{name}`");
    if let Some(close) = close.filter(|k| strsim(k, name) <= 3) {
        message.push_str(&format!("; did you mean `{close}`?"));
    }
    message
}

/// Edit distance, for "did you mean".
fn strsim(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        read("t/theme.toml", text)
            .expect_err("problems")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn values_are_read_by_dotted_key() {
        let v = read(
            "t/theme.toml",
            "product_name = \"Acme\"\nradius = 4\n[colors]\nprimary = \"#ABC\"\n[colors.dark]\ntext = \"#eee\"\n",
        )
        .expect("valid");
        assert_eq!(v["product_name"], "Acme");
        assert_eq!(v["radius"], "4");
        assert_eq!(v["colors.primary"], "#aabbcc");
        assert_eq!(v["colors.dark.text"], "#eeeeee");
    }

    #[test]
    fn a_syntax_error_names_line_and_column() {
        assert_eq!(
            problems("product_name = \"A\"\nlogo = = \"x\"\n"),
            ["t/theme.toml:2:8: not valid TOML: invalid string\nexpected `\"`, `'`"]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_place_and_key() {
        let text = "product_name = \"Acme\"\ncolour = \"#fff\"\nradius = \"6px\"\n\
                    [colors]\nprimary = \"blue\"\ndanger = \"#12345\"\n\
                    [fonts]\nbody = \"Inter; }\"\n[colors.dark]\ntext = 3\n";
        assert_eq!(
            problems(text),
            [
                "t/theme.toml:2:1: colour: unknown key `colour`; did you mean `colors`?",
                "t/theme.toml:3:10: radius: must be a whole number of pixels, like 6",
                "t/theme.toml:5:11: colors.primary: \"blue\" is not a colour; write it as #rgb or #rrggbb",
                "t/theme.toml:6:10: colors.danger: \"#12345\" is not a colour; write it as #rgb or #rrggbb",
                "t/theme.toml:8:8: fonts.body: \"Inter; }\" is not a font name; write names with letters, digits, spaces, '-' or '_', quoted or not, separated by commas",
                "t/theme.toml:10:8: colors.dark.text: must be a quoted string, not integer",
            ]
        );
    }

    #[test]
    fn a_quoted_dotted_key_is_not_a_second_way_to_write_a_table() {
        let found = problems("\"colors.primary\" = \"#fff\"\n");
        assert_eq!(
            found,
            ["t/theme.toml:1:1: colors.primary: a quoted key may not hold a dot; write the table as [colors]"]
        );
    }

    #[test]
    fn tables_and_values_cannot_swap_places() {
        let found = problems("colors = \"#fff\"\n[logo]\nfile = \"x.svg\"\n");
        assert_eq!(
            found,
            [
                "t/theme.toml:1:1: colors: must be a table ([colors])",
                "t/theme.toml:2:2: logo: must be a value, not a table",
            ]
        );
    }
}
