//! Reading the exercise file: TOML parsed with spans kept on every key and
//! value (`toml::de::DeTable`), so that every mistake in the file, from a
//! TOML syntax error to an unknown check kind or a bad size, is reported
//! with a line and column.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

use serde::Serialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// A mistake in an exercise file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExerciseError {
    /// What is wrong, in words.
    pub message: String,
    /// 1-based line in the exercise file.
    pub line: usize,
    /// 1-based column (characters) in that line.
    pub column: usize,
    /// Byte offset where the mistake starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
}

impl fmt::Display for ExerciseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ExerciseError {}

/// 1-based line and column (in characters) of byte offset `at`.
pub(crate) fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// An error at a span of `text`.
pub(crate) fn error_at(
    text: &str,
    span: Range<usize>,
    message: impl Into<String>,
) -> ExerciseError {
    let (line, column) = line_column(text, span.start);
    ExerciseError {
        message: message.into(),
        line,
        column,
        start: span.start,
        end: span.end,
    }
}

/// A `(key, value)` pair of strings with their spans.
pub(crate) type SpannedPair = (Spanned<String>, Spanned<String>);

/// A TOML value with its span.
pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// The TOML type of a value, for messages.
fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Reads one TOML table, remembering which keys were read so that
/// [`Table::finish`] can reject the others (a misspelt key is an error,
/// never silently ignored).
pub(crate) struct Table<'a, 'i> {
    src: &'a str,
    table: &'a DeTable<'i>,
    span: Range<usize>,
    /// How the table is named in messages (`[start]`, `[[check]] 2`).
    pub(crate) what: String,
    used: BTreeSet<String>,
}

impl<'a, 'i> Table<'a, 'i> {
    /// A reader over `table`.
    pub(crate) fn new(
        src: &'a str,
        table: &'a DeTable<'i>,
        span: Range<usize>,
        what: impl Into<String>,
    ) -> Self {
        Table {
            src,
            table,
            span,
            what: what.into(),
            used: BTreeSet::new(),
        }
    }

    /// The span of the whole table.
    pub(crate) fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// An error at `span`.
    pub(crate) fn error(&self, span: Range<usize>, message: impl Into<String>) -> ExerciseError {
        error_at(self.src, span, message)
    }

    /// The value of `key`, marking it read.
    pub(crate) fn get(&mut self, key: &str) -> Option<&'a Value<'i>> {
        let found = self
            .table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v);
        if found.is_some() {
            self.used.insert(key.to_string());
        }
        found
    }

    fn wrong_type(&self, key: &str, v: &Value<'_>, expected: &str) -> ExerciseError {
        self.error(
            v.span(),
            format!(
                "`{key}` in {} must be {expected}, not {}",
                self.what,
                type_name(v.get_ref())
            ),
        )
    }

    /// An optional string.
    pub(crate) fn string(&mut self, key: &str) -> Result<Option<Spanned<String>>, ExerciseError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref() {
                DeValue::String(s) => Ok(Some(Spanned::new(v.span(), s.to_string()))),
                _ => Err(self.wrong_type(key, v, "a string")),
            },
        }
    }

    /// A required string.
    pub(crate) fn required_string(&mut self, key: &str) -> Result<Spanned<String>, ExerciseError> {
        match self.string(key)? {
            Some(s) => Ok(s),
            None => Err(self.error(self.span(), format!("{} needs `{key}`", self.what))),
        }
    }

    /// An optional boolean.
    pub(crate) fn boolean(&mut self, key: &str) -> Result<Option<bool>, ExerciseError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref() {
                DeValue::Boolean(b) => Ok(Some(*b)),
                _ => Err(self.wrong_type(key, v, "true or false")),
            },
        }
    }

    /// An optional non-negative integer.
    pub(crate) fn integer(&mut self, key: &str) -> Result<Option<Spanned<u64>>, ExerciseError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match integer_value(v) {
                Some(n) => Ok(Some(Spanned::new(v.span(), n))),
                None => match v.get_ref() {
                    DeValue::Integer(_) => Err(self.error(
                        v.span(),
                        format!("`{key}` in {} must not be negative", self.what),
                    )),
                    _ => Err(self.wrong_type(key, v, "an integer")),
                },
            },
        }
    }

    /// A list of strings: an array of strings, or one string (a list of
    /// one). Absent: empty.
    pub(crate) fn strings(&mut self, key: &str) -> Result<Vec<Spanned<String>>, ExerciseError> {
        let Some(v) = self.get(key) else {
            return Ok(Vec::new());
        };
        match v.get_ref() {
            DeValue::String(s) => Ok(vec![Spanned::new(v.span(), s.to_string())]),
            DeValue::Array(items) => items
                .iter()
                .map(|item| match item.get_ref() {
                    DeValue::String(s) => Ok(Spanned::new(item.span(), s.to_string())),
                    _ => Err(self.wrong_type(key, item, "a list of strings")),
                })
                .collect(),
            _ => Err(self.wrong_type(key, v, "a string or a list of strings")),
        }
    }

    /// A list of raw values: an array, or one value (a list of one).
    pub(crate) fn values(&mut self, key: &str) -> Vec<&'a Value<'i>> {
        match self.get(key) {
            None => Vec::new(),
            Some(v) => match v.get_ref() {
                DeValue::Array(items) => items.iter().collect(),
                _ => vec![v],
            },
        }
    }

    /// An optional sub-table.
    pub(crate) fn table(&mut self, key: &str) -> Result<Option<Table<'a, 'i>>, ExerciseError> {
        let what = format!("`{key}` in {}", self.what);
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref() {
                DeValue::Table(t) => Ok(Some(Table::new(self.src, t, v.span(), what))),
                _ => Err(self.wrong_type(key, v, "a table")),
            },
        }
    }

    /// An optional table of strings (`{ "path" = "text" }`), in key order.
    pub(crate) fn string_map(&mut self, key: &str) -> Result<Vec<SpannedPair>, ExerciseError> {
        let Some(v) = self.get(key) else {
            return Ok(Vec::new());
        };
        let DeValue::Table(t) = v.get_ref() else {
            return Err(self.wrong_type(key, v, "a table of strings"));
        };
        let mut out = Vec::new();
        for (k, val) in t.iter() {
            match val.get_ref() {
                DeValue::String(s) => out.push((
                    Spanned::new(k.span(), k.get_ref().to_string()),
                    Spanned::new(val.span(), s.to_string()),
                )),
                _ => {
                    return Err(self.error(
                        val.span(),
                        format!(
                            "`{}` in `{key}` must be a string, not {}",
                            k.get_ref(),
                            type_name(val.get_ref())
                        ),
                    ))
                }
            }
        }
        Ok(out)
    }

    /// An error for the first key that was never read.
    pub(crate) fn finish(self, known: &[&str]) -> Result<(), ExerciseError> {
        for (k, _) in self.table.iter() {
            let name = k.get_ref().as_ref();
            if !self.used.contains(name) {
                let mut message = format!("unknown key `{name}` in {}", self.what);
                if !known.is_empty() {
                    message.push_str(&format!("; expected one of: {}", known.join(", ")));
                }
                return Err(self.error(k.span(), message));
            }
        }
        Ok(())
    }
}

/// A non-negative integer value, if `v` is one.
pub(crate) fn integer_value(v: &Value<'_>) -> Option<u64> {
    match v.get_ref() {
        DeValue::Integer(i) => u64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

/// The string of `v`, if it is one.
pub(crate) fn string_value(v: &Value<'_>) -> Option<String> {
    match v.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => None,
    }
}

/// Parses the document, turning a TOML syntax error into an
/// [`ExerciseError`] with its position.
pub(crate) fn parse_document(text: &str) -> Result<Spanned<DeTable<'_>>, ExerciseError> {
    DeTable::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        error_at(text, span, format!("invalid TOML: {message}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_column("ab\ncé", 0), (1, 1));
        assert_eq!(line_column("ab\ncé", 3), (2, 1));
        assert_eq!(line_column("ab\ncéd", 6), (2, 3));
        assert_eq!(line_column("ab", 99), (1, 3));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse_document("title = \"x\"\nkind = = 3\n").err();
        let Some(e) = e else {
            panic!("expected an error");
        };
        assert_eq!(e.line, 2, "{e:?}");
        assert!(e.message.starts_with("invalid TOML"), "{e:?}");
    }
}
