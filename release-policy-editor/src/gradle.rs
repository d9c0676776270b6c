//! The Gradle editors: `gradle.properties` and `build.gradle` / `build.gradle.kts`.
//!
//! # `gradle.properties`
//!
//! A Java properties file (`key=value`, `key: value` or `key value`; `#` and `!` comments).
//! `version` is the project's [`FieldKind::Version`]; every other key is a
//! [`FieldKind::Property`], so that a build script's `version = sdkVersion` can be followed
//! to it. A value continued over lines (`\` at the end) or written with escapes is a
//! [`Note::Unsupported`]. Keys are the property names.
//!
//! # `build.gradle`, `build.gradle.kts`
//!
//! Read as text, with Groovy's and Kotlin's comments and strings skipped and blocks
//! (`{ … }`) tracked: every statement that assigns or calls `version` — `version = "1.6.1"`,
//! `version '1.6.1'`, `version = '1.6.1'` — is a [`FieldKind::Version`] when its value is one
//! plain string literal, keyed by its enclosing blocks (`version`, `allprojects/version`).
//! `version = sdkVersion`, `version = "$sdkVersion"` and `version = "${sdkVersion}"` are a
//! [`Note::PropertyReference`] to the Gradle property (in `gradle.properties`); anything
//! else (`file("VERSION").text`, a string with other interpolation, a function call) is
//! computed: a [`Note::Unsupported`], never guessed. `version` as a word inside a statement
//! (`id "x" version "1.2"` in `plugins { }`, `languageVersion = …`) is not the project's.

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::text::{strip_bom, Span};

#[cfg(test)]
mod tests;

/// Read a `gradle.properties`.
// proof: `key_len` is where `find` found an ASCII character (or the end) of `trimmed`, so
// both slices are on character boundaries.
#[allow(clippy::indexing_slicing, clippy::string_slice)]
pub fn read_properties(text: &str) -> Result<Reading, EditorError> {
    let (body, bom) = strip_bom(text);
    let mut reading = Reading::default();
    let mut offset = bom;
    let mut continued = false;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let was_continued = continued;
        continued = ends_continued(content);
        if was_continued {
            continue;
        }
        let trimmed = content.trim_start_matches([' ', '\t', '\u{c}']);
        if trimmed.is_empty() || trimmed.starts_with(['#', '!']) {
            continue;
        }
        let lead = content.len() - trimmed.len();
        let key_len = trimmed
            .find(['=', ':', ' ', '\t', '\u{c}'])
            .unwrap_or(trimmed.len());
        let key = &trimmed[..key_len];
        let rest = trimmed[key_len..].trim_start_matches([' ', '\t', '\u{c}']);
        let rest = rest
            .strip_prefix(['=', ':'])
            .map_or(rest, |r| r.trim_start_matches([' ', '\t', '\u{c}']));
        let value = rest.trim_end_matches([' ', '\t', '\u{c}']);
        let value_start = start + lead + (trimmed.len() - rest.len());
        let span = Span::new(value_start, value_start + value.len());
        let kind = if key == "version" {
            FieldKind::Version
        } else {
            FieldKind::Property {
                name: key.to_string(),
            }
        };
        if continued || value.contains('\\') || key.contains('\\') {
            // Only the version's own line matters here: another property is looked at
            // only when a build script names it, and then "not defined literally" says why.
            if key != "version" {
                continue;
            }
            reading.notes.push(Note::Unsupported {
                key: key.to_string(),
                reason: "the value is continued over lines or written with escapes".to_string(),
                span,
            });
            continue;
        }
        reading.fields.push(Field::new(kind, key, value, span));
    }
    Ok(reading)
}

/// A properties line ending in an odd number of backslashes continues on the next.
fn ends_continued(line: &str) -> bool {
    let backslashes = line.len() - line.trim_end_matches('\\').len();
    backslashes % 2 == 1
}

/// Read a `build.gradle` or `build.gradle.kts`.
pub fn read_build(text: &str) -> Result<Reading, EditorError> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: strip_bom(text).1,
        blocks: Vec::new(),
        reading: Reading::default(),
    };
    scanner.run()?;
    if let Some((_, at)) = scanner.blocks.last() {
        return Err(EditorError::new("a `{` is never closed")
            .at(*at)
            .help("the build script must compile: `gradle help` shows the same fault"));
    }
    Ok(scanner.reading)
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// The open blocks: the word before each `{` (empty for a closure), and where it opened.
    blocks: Vec<(String, usize)>,
    reading: Reading,
}

impl Scanner<'_> {
    // proof: `self.pos < self.bytes.len()` guards the index; `pos` moves over ASCII bytes only, so
    // `from..pos` is on character boundaries.
    #[allow(clippy::indexing_slicing, clippy::string_slice)]
    fn run(&mut self) -> Result<(), EditorError> {
        let mut statement_start = true;
        let mut last_word = String::new();
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            match b {
                b'\n' | b';' => {
                    statement_start = true;
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'/' if self.peek(1) == Some(b'/') => {
                    self.skip_until("\n");
                }
                b'/' if self.peek(1) == Some(b'*') => {
                    let at = self.pos;
                    self.pos += 2;
                    if !self.skip_until("*/") {
                        return Err(EditorError::new("a `/*` comment is never closed").at(at));
                    }
                    self.pos += 2;
                }
                b'"' | b'\'' => {
                    self.string()?;
                    statement_start = false;
                }
                b'{' => {
                    self.blocks.push((std::mem::take(&mut last_word), self.pos));
                    self.pos += 1;
                    statement_start = true;
                }
                b'}' => {
                    if self.blocks.pop().is_none() {
                        return Err(EditorError::new("a `}` closes no block").at(self.pos));
                    }
                    self.pos += 1;
                    statement_start = true;
                }
                _ if b.is_ascii_alphabetic() || b == b'_' => {
                    let from = self.pos;
                    while self
                        .peek(0)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                    {
                        self.pos += 1;
                    }
                    let word = &self.text[from..self.pos];
                    if statement_start && word == "version" {
                        self.version(from);
                    }
                    last_word = word.to_string();
                    statement_start = false;
                }
                _ => {
                    self.pos += 1;
                    statement_start = false;
                }
            }
        }
        Ok(())
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    /// Move to the next `end` (or the end of the text); whether it was found.
    fn skip_until(&mut self, end: &str) -> bool {
        // proof: `skip_until` is called at an ASCII `/`, or after `/*`: character boundaries.
        #[allow(clippy::string_slice)]
        let found = self.text[self.pos..].find(end);
        if let Some(i) = found {
            self.pos += i;
            true
        } else {
            self.pos = self.bytes.len();
            false
        }
    }

    /// Skip a string literal at `pos`; returns its content's span.
    // proof: `at` is the ASCII quote at `pos`, and `i` moves by whole ASCII bytes or past a `\\` and
    // the byte after it (ASCII or the start of a character, checked by `is_char_boundary`).
    #[allow(clippy::indexing_slicing, clippy::string_slice)]
    fn string(&mut self) -> Result<Span, EditorError> {
        let at = self.pos;
        let quote = self.bytes[at];
        let triple = self.text[at..].starts_with(if quote == b'"' { "\"\"\"" } else { "'''" });
        let delimiter = if triple { 3 } else { 1 };
        let mut i = at + delimiter;
        while i < self.bytes.len() {
            let c = self.bytes[i];
            if c == b'\\' {
                // The escaped character, whole.
                i += 1 + self.text[i + 1..].chars().next().map_or(0, char::len_utf8);
                continue;
            }
            if c == b'\n' && !triple {
                break;
            }
            if c == quote && (!triple || self.text[i..].starts_with(&self.text[at..at + 3])) {
                self.pos = i + delimiter;
                return Ok(Span::new(at + delimiter, i));
            }
            i += 1;
        }
        Err(EditorError::new("a string is never closed")
            .at(at)
            .help("the build script must compile: `gradle help` shows the same fault"))
    }

    /// The statement `version …` whose word starts at `from`.
    // proof: `pos` is just after the ASCII word `version`; `value_from` adds the length of ASCII
    // white space and `=`; the other offsets come from `find` on ASCII characters or from
    // trimming, all on character boundaries.
    #[allow(clippy::indexing_slicing, clippy::string_slice)]
    fn version(&mut self, from: usize) {
        let rest = &self.text[self.pos..];
        let after = rest.trim_start_matches([' ', '\t']);
        let assigns = after.starts_with('=') && !after.starts_with("==");
        let calls = after.starts_with(['\'', '"', '(']);
        if !assigns && !calls {
            return; // `version.set(…)`, `version += …`: not one of the shapes read
        }
        let mut key: Vec<&str> = self
            .blocks
            .iter()
            .map(|(w, _)| w.as_str())
            .filter(|w| !w.is_empty())
            .collect();
        key.push("version");
        let key = key.join("/");
        let value_from = self.pos + (rest.len() - after.len()) + usize::from(assigns);
        let line_end = self.text[value_from..]
            .find(['\n', ';'])
            .map_or(self.text.len(), |i| value_from + i);
        let expr = self.text[value_from..line_end].trim_end_matches(['\r', ' ', '\t']);
        let expr = strip_line_comment(expr);
        let lead = expr.len() - expr.trim_start_matches([' ', '\t']).len();
        let expr_start = value_from + lead;
        let expr = expr.trim_start_matches([' ', '\t']);
        let whole = Span::new(from, expr_start + expr.len());
        let literal = strip_parens(expr).and_then(|(inner, offset)| {
            let quote = inner.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let content = inner.strip_prefix(quote)?.strip_suffix(quote)?;
            (!content.contains([quote, '\\', '\n'])).then_some((quote, content, offset + 1))
        });
        let note = |reason: String| Note::Unsupported {
            key: key.clone(),
            reason,
            span: whole,
        };
        match literal {
            Some((quote, content, offset)) => {
                let span = Span::new(expr_start + offset, expr_start + offset + content.len());
                if let Some(property) = interpolated(content).filter(|_| quote == '"') {
                    self.reading.notes.push(Note::PropertyReference {
                        field: FieldKind::Version,
                        key,
                        property: property.to_string(),
                        span,
                    });
                } else if quote == '"' && content.contains('$') {
                    self.reading.notes.push(note(format!(
                        "`{expr}` interpolates more than one property: Gradle computes it"
                    )));
                } else {
                    self.reading
                        .fields
                        .push(Field::new(FieldKind::Version, key, content, span));
                }
            }
            None if is_identifier(expr) && assigns => {
                self.reading.notes.push(Note::PropertyReference {
                    field: FieldKind::Version,
                    key,
                    property: expr.to_string(),
                    span: Span::new(expr_start, expr_start + expr.len()),
                });
            }
            None => self.reading.notes.push(note(format!(
                "`{expr}` is computed when Gradle runs: write the version as a string literal, or as a property in gradle.properties"
            ))),
        }
    }
}

/// `expr` without one pair of surrounding parentheses, and the offset of what is left.
// proof: the slices cut after an ASCII `(` and at trimmed lengths: character boundaries.
#[allow(clippy::indexing_slicing, clippy::string_slice)]
fn strip_parens(expr: &str) -> Option<(&str, usize)> {
    match expr.strip_prefix('(') {
        Some(inner) => {
            let inner = inner.strip_suffix(')')?;
            let trimmed = inner.trim_start();
            Some((trimmed.trim_end(), 1 + inner.len() - trimmed.len()))
        }
        None => Some((expr, 0)),
    }
}

/// A `//` comment after a value on its line, outside quotes.
// proof: `i` is the index of an ASCII `/`: a character boundary.
#[allow(clippy::indexing_slicing, clippy::string_slice)]
fn strip_line_comment(expr: &str) -> &str {
    let mut quote = None;
    let bytes = expr.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'/' && bytes.get(i + 1) == Some(&b'/') => {
                return expr[..i].trim_end();
            }
            // Inside a string, or any other byte outside one.
            Some(_) | None => {}
        }
    }
    expr
}

/// `$name` or `${name}`: the property a Groovy/Kotlin string template is exactly.
fn interpolated(content: &str) -> Option<&str> {
    let name = content
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| content.strip_prefix('$'))?;
    is_identifier(name).then_some(name)
}

fn is_identifier(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
