//! Shared helpers for the TOML editors (`Cargo.toml`, `Cargo.lock`, `pyproject.toml`,
//! `uv.lock`): parse into the read-only [`toml_tree`](super::toml_tree) (which keeps byte
//! spans), undo a stripped BOM, and turn string values into spans *inside* their quotes.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::toml_tree::{self, Item, Key, Table, Value};
use crate::error::EditorError;
use crate::reading::Note;
use crate::text::{strip_bom, Span};

/// A parsed TOML file: the root table (over the text after any BOM) and the BOM's length.
#[derive(Debug)]
pub(super) struct Toml<'a> {
    pub root: Table<'a>,
    /// The text after the BOM: what the tree's spans index.
    pub text: &'a str,
    pub bom: usize,
}

impl<'a> Toml<'a> {
    /// Parse `text` (with or without a UTF-8 BOM). A syntax error becomes an
    /// [`EditorError`] at its offset in the original text.
    pub fn parse(text: &'a str) -> Result<Self, EditorError> {
        let (body, bom) = strip_bom(text);
        let root = toml_tree::parse(body).map_err(|e| {
            let mut message = e.message().trim().to_string();
            lowercase_first(&mut message);
            let mut err = EditorError::new(format!("invalid TOML: {message}"));
            if let Some(span) = e.span() {
                err = err.at(span.start + bom);
            }
            err
        })?;
        Ok(Toml {
            root,
            text: body,
            bom,
        })
    }

    /// A span from the tree, in the original text.
    pub fn span(&self, span: Span) -> Span {
        span.shift(self.bom)
    }

    /// The start of `item` in the original text.
    pub fn item_offset(&self, item: &Item) -> usize {
        item.span().start + self.bom
    }

    /// The start of `value` in the original text.
    pub fn value_offset(&self, value: &Value) -> usize {
        value.span().start + self.bom
    }

    /// The offset of `key` in the original text.
    pub fn key_offset(&self, key: &Key) -> usize {
        key.span().start + self.bom
    }

    /// `item` as a table (standard, dotted or inline), or an error naming `path`.
    pub fn table<'i, 'd>(
        &self,
        item: &'i Item<'d>,
        path: &str,
    ) -> Result<&'i Table<'d>, EditorError> {
        item.as_table_like().ok_or_else(|| {
            at(
                EditorError::new(format!(
                    "expected a table for `{path}`, found {}",
                    describe(item)
                )),
                self.item_offset(item),
            )
        })
    }

    /// Read `value` as a string. `None` when it is not a string.
    pub fn string(&self, value: &Value) -> Option<Str> {
        let Value::String(s) = value else {
            return None;
        };
        let decoded: &str = &s.value;
        let written = s.span;
        let raw = written.slice(self.text);
        let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            3
        } else {
            1
        };
        let full = self.span(written);
        let inner = raw.get(quote..raw.len().saturating_sub(quote));
        let span = (inner == Some(decoded))
            .then(|| self.span(Span::new(written.start + quote, written.end - quote)));
        Some(Str {
            value: decoded.to_string(),
            span,
            full,
        })
    }

    /// Read `item` as a string, if it is one.
    pub fn item_string(&self, item: &Item) -> Option<Str> {
        item.as_value().and_then(|v| self.string(v))
    }
}

/// A string value: decoded, and where its bytes sit.
#[derive(Debug)]
pub(super) struct Str {
    pub value: String,
    /// The bytes inside the quotes, when they spell the value exactly (no escapes, no
    /// trimmed leading newline): only then is the value editable in place.
    pub span: Option<Span>,
    /// The whole value, quotes included.
    pub full: Span,
}

impl Str {
    /// The "cannot edit" note for a string whose raw bytes differ from its value.
    pub fn unsupported(&self, key: &str) -> Note {
        Note::Unsupported {
            key: key.to_string(),
            reason: format!(
                "the string `{}` is written with escapes; write it as a plain string to let the tool edit it",
                self.value
            ),
            span: self.full,
        }
    }
}

/// "a string", "an integer", … for messages.
pub(super) fn describe(item: &Item) -> &'static str {
    match item {
        Item::Value(value) => describe_value(value),
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

/// Describe a value (not an item).
pub(super) fn describe_value(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a datetime",
        Value::Array(_) => "an array",
        Value::InlineTable(_) => "a table",
    }
}

/// A key as a TOML key segment: bare when it can be, else quoted (`'cfg(unix)'`).
pub(super) fn key_segment(key: &str) -> Cow<'_, str> {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        Cow::Borrowed(key)
    } else if !key.contains('\'') && !key.chars().any(char::is_control) {
        Cow::Owned(format!("'{key}'"))
    } else {
        Cow::Owned(quoted(key))
    }
}

/// A key always written as a basic string: `"name"` (lockfile package keys).
pub(super) fn quoted(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 2);
    out.push('"');
    for c in key.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `true` when `table.workspace` is the boolean `true`.
pub(super) fn workspace_true(table: &Table) -> bool {
    table
        .get("workspace")
        .and_then(Item::as_bool)
        .unwrap_or(false)
}

/// `err` at `offset`, when there is one.
pub(super) fn at(err: EditorError, offset: impl Into<Option<usize>>) -> EditorError {
    match offset.into() {
        Some(offset) => err.at(offset),
        None => err,
    }
}

fn lowercase_first(s: &mut String) {
    let mut chars = s.chars();
    if let Some(first) = chars.next() {
        if first.is_uppercase() && !chars.next().is_some_and(char::is_uppercase) {
            let lower: String = first.to_lowercase().collect();
            s.replace_range(..first.len_utf8(), &lower);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_segments() {
        assert_eq!(key_segment("core"), "core");
        assert_eq!(key_segment("dev-dependencies"), "dev-dependencies");
        assert_eq!(key_segment("cfg(unix)"), "'cfg(unix)'");
        assert_eq!(key_segment("a'b"), "\"a'b\"");
        assert_eq!(key_segment(""), "''");
        assert_eq!(quoted("a\"b"), "\"a\\\"b\"");
    }

    #[test]
    fn strings_and_spans() {
        let text =
            "\u{feff}a = \"1.0\"\nb = '2.0'\nc = \"x\\ty\"\nd = '''3.0'''\ne = \"\"\"\n4.0\"\"\"\n";
        let toml = Toml::parse(text).unwrap();
        let get = |k: &str| toml.item_string(toml.root.get(k).unwrap()).unwrap();
        let a = get("a");
        assert_eq!(a.span.unwrap().slice(text), "1.0");
        assert_eq!(a.full.slice(text), "\"1.0\"");
        assert_eq!(get("b").span.unwrap().slice(text), "2.0");
        assert_eq!(get("c").span, None);
        assert_eq!(get("c").value, "x\ty");
        assert_eq!(get("d").span.unwrap().slice(text), "3.0");
        assert_eq!(get("e").span, None);
    }

    #[test]
    fn parse_errors_point_into_the_original_text() {
        let text = "\u{feff}a = 1\nb = = 2\n";
        let err = Toml::parse(text).unwrap_err();
        assert!(err.message.starts_with("invalid TOML: "), "{}", err.message);
        let pos = err.position(text).unwrap();
        assert_eq!((pos.line, pos.column), (2, 5), "{}", err.message);
    }
}
