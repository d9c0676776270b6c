//! Version files named by a dynamic-version `pyproject.toml`: a Python module assigning
//! `__version__ = "…"` (setuptools `attr`, hatch `path`, pdm `file`), or a plain `VERSION`
//! file (setuptools `file =`).
//!
//! Fields ([`FieldKind::Version`]):
//!
//! * the first top-level assignment of a string literal to `__version__` (else to
//!   `VERSION`, else to `version`): one field at most, key = the name. Annotations
//!   (`__version__: str = "…"`), `'…'`, `u"…"`, a trailing comment or `;` are fine; an
//!   assignment of anything but a lone literal (`__version__ = get_version()`,
//!   `VERSION = __version__`) is skipped. A literal with a backslash is reported as
//!   [`Note::Unsupported`].
//! * otherwise, a file whose whole (trimmed) content is one version-looking token, key
//!   `file`.
//!
//! The scan is a small line-oriented tokenizer: it follows strings (triple-quoted too),
//! comments, brackets and backslash continuations, so text inside a docstring or a call
//! spanning lines is never taken for an assignment.
//!
//! With hatch's `[tool.hatch.version] pattern` ([`VersionPattern`], [`read_with`]) the field
//! is what hatch reads instead: the `version` group of the pattern's first match, searched
//! as `re.search(pattern, text, flags=re.MULTILINE)` searches the text Python reads (line
//! ends `\r\n` and `\r` read as `\n`, a BOM kept), key `pattern`. That is the one regular
//! expression an editor runs over a whole file: the user wrote it.

use std::borrow::Cow;

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::text::{strip_bom, Span};
pub use crate::version_pattern::VersionPattern;

/// The names whose assignment is a version, by preference.
const NAMES: &[&str] = &["__version__", "VERSION", "version"];

/// Read a version file: with hatch's `pattern` when its pyproject names one, else as [`read`]
/// does.
pub fn read_with(text: &str, pattern: Option<&VersionPattern>) -> Result<Reading, EditorError> {
    match pattern {
        Some(pattern) => read_pattern(text, pattern),
        None => read(text),
    }
}

/// The `version` group of `pattern`'s first match in the text Python reads.
fn read_pattern(text: &str, pattern: &VersionPattern) -> Result<Reading, EditorError> {
    let lines = UniversalNewlines::of(text);
    let haystack = lines.text(text);
    let shown = pattern.display();
    let Some(captures) = pattern.regex.captures(&haystack) else {
        // At 1:1: the fault is the whole file, and every error inside a file has a place.
        return Err(EditorError::new(format!(
            "no match of `tool.hatch.version.pattern` `{shown}`"
        ))
        .at(0)
        .help(
            "write the version where the pattern finds it, or change \
             `tool.hatch.version.pattern` to match the file (hatch reads the `version` group of \
             its first match, in multi-line mode)",
        ));
    };
    let Some(group) = captures.get(pattern.group) else {
        let whole = captures.get(0).map_or(0..0, |m| m.range());
        return Err(EditorError::new(format!(
            "the first match of `tool.hatch.version.pattern` `{shown}` has no `version` group"
        ))
        .at(lines.original(whole.start))
        .help("make the `version` group part of every match (not inside an optional part or an alternative)"));
    };
    let span = Span::new(lines.original(group.start()), lines.original(group.end()));
    let mut reading = Reading::default();
    reading.fields.push(Field::new(
        FieldKind::Version,
        "pattern",
        span.slice(text),
        span,
    ));
    Ok(reading)
}

/// The text as Python's `open()` reads it (universal newlines: `\r\n` and `\r` become
/// `\n`), and the way back to the original offsets.
struct UniversalNewlines {
    /// The offsets in the original text of the `\r`s dropped (each before a `\n`).
    dropped: Vec<usize>,
    /// The text has a `\r`.
    any: bool,
}

impl UniversalNewlines {
    fn of(text: &str) -> UniversalNewlines {
        let any = text.contains('\r');
        let dropped = if any {
            text.match_indices("\r\n").map(|(i, _)| i).collect()
        } else {
            Vec::new()
        };
        UniversalNewlines { dropped, any }
    }

    fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.any {
            Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(text)
        }
    }

    /// The original offset of offset `at` of [`UniversalNewlines::text`]: an offset at a
    /// `\n` that was `\r\n` is before the `\r`.
    fn original(&self, at: usize) -> usize {
        // The `k`th dropped `\r` (from 0), at `r`, left its `\n` at `r - k`.
        let before = self
            .dropped
            .iter()
            .enumerate()
            .take_while(|(k, r)| **r - k < at)
            .count();
        at + before
    }
}

/// Read a version file. See the module documentation for what is reported.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let (body, bom) = strip_bom(text);
    let mut reading = Reading::default();
    // The first literal assignment of each name; `__version__` wins over `VERSION`, which
    // wins over `version`.
    let mut first: Vec<Assignment> = Vec::new();
    for start in statement_starts(body) {
        if let Some(assignment) = assignment(body, start) {
            if !first.iter().any(|a| a.name == assignment.name) {
                first.push(assignment);
            }
        }
    }
    let chosen = NAMES
        .iter()
        .find_map(|name| first.iter().find(|a| a.name == *name));
    if let Some(assignment) = chosen {
        let span = Span::from(assignment.value.clone()).shift(bom);
        let value = span.slice(text);
        if assignment.escaped {
            reading.notes.push(Note::Unsupported {
                key: assignment.name.to_string(),
                reason: format!(
                    "the string `{value}` has a backslash; write the version as a plain string"
                ),
                span,
            });
        } else {
            reading
                .fields
                .push(Field::new(FieldKind::Version, assignment.name, value, span));
        }
    }
    if chosen.is_none() {
        if let Some(range) = whole_file_version(body) {
            let span = Span::from(range).shift(bom);
            reading.fields.push(Field::new(
                FieldKind::Version,
                "file",
                span.slice(text),
                span,
            ));
        }
    }
    if reading.fields.is_empty() && reading.notes.is_empty() {
        return Err(
            // At 1:1: the fault is the whole file, and every error inside a file has a place.
            EditorError::new("no `__version__ = \"…\"` assignment found")
                .at(0)
                .help(
                    "assign the version to `__version__` at the top level of the module \
                 (`__version__ = \"1.2.3\"`), or make the file hold only the version",
                ),
        );
    }
    Ok(reading)
}

/// The byte offsets where a top-level statement starts: column 0, outside any string,
/// bracket or continued line. Blank and comment-only lines are included (they fail to
/// parse as assignments).
// proof: `bytes[i]` is read only while `i < bytes.len()`.
#[allow(clippy::indexing_slicing)]
fn statement_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'\\' => {
                // A continuation: the next line belongs to this statement.
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 2;
                    continue;
                }
                if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') {
                    i += 3;
                    continue;
                }
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' if depth == 0 => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// The end of the string literal opening at `i` (exclusive); the end of the text when it
/// is not closed.
// proof: callers pass the `i` of a quote they read; `bytes[j]` is read only while
// `j < bytes.len()`.
#[allow(clippy::indexing_slicing)]
fn skip_string(bytes: &[u8], i: usize) -> usize {
    let quote = bytes[i];
    let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
    let mut j = if triple { i + 3 } else { i + 1 };
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'\n' if !triple => return j,
            b if b == quote => {
                if !triple {
                    return j + 1;
                }
                if bytes.get(j + 1) == Some(&quote) && bytes.get(j + 2) == Some(&quote) {
                    return j + 3;
                }
                j += 1;
            }
            _ => j += 1,
        }
    }
    bytes.len()
}

/// `name[: annotation] = "literal"` at `start`.
struct Assignment {
    name: &'static str,
    /// The bytes inside the quotes.
    value: std::ops::Range<usize>,
    /// The literal has a backslash: its bytes are not its value.
    escaped: bool,
}

// proof: `start` is 0 or one past a `\n` (`statement_starts`), a character boundary; `ident_end`
// ends an ASCII run; `open` follows an ASCII quote and `close` is one, so every cut is a character
// boundary.
#[allow(clippy::string_slice)]
fn assignment(text: &str, start: usize) -> Option<Assignment> {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[start..line_end];
    let bytes = line.as_bytes();
    let ident_end = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .unwrap_or(bytes.len());
    let name = NAMES.iter().find(|n| **n == &line[..ident_end])?;
    let mut i = skip_ws(bytes, ident_end);
    if bytes.get(i) == Some(&b':') {
        // An annotation: up to the `=`.
        i = annotation_end(bytes, i + 1)?;
    }
    if bytes.get(i) != Some(&b'=') || bytes.get(i + 1) == Some(&b'=') {
        return None;
    }
    i = skip_ws(bytes, i + 1);
    // String prefixes that keep a literal a plain `str`.
    while bytes
        .get(i)
        .is_some_and(|b| matches!(b, b'u' | b'U' | b'r' | b'R'))
    {
        i += 1;
    }
    let quote = *bytes.get(i)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
    let width = if triple { 3 } else { 1 };
    let open = i + width;
    let close = {
        let mut j = open;
        loop {
            match bytes.get(j)? {
                b'\\' => j += 2,
                b if *b == quote
                    && (!triple
                        || (bytes.get(j + 1) == Some(&quote)
                            && bytes.get(j + 2) == Some(&quote))) =>
                {
                    break j;
                }
                _ => j += 1,
            }
        }
    };
    let after = skip_ws(bytes, close + width);
    if !matches!(bytes.get(after), None | Some(b'#' | b';' | b'\r')) {
        return None;
    }
    if bytes.get(after) == Some(&b'\r') && after + 1 != bytes.len() {
        return None;
    }
    Some(Assignment {
        name,
        value: start + open..start + close,
        escaped: line[open..close].contains('\\'),
    })
}

/// The `=` ending an annotation that starts at `i`, skipping the annotation's string
/// literals (`Literal['=']`), as the statement scan does; none when a comment or an unclosed
/// string comes first.
// proof: `bytes[i]` is read only while `i < bytes.len()`.
#[allow(clippy::indexing_slicing)]
fn annotation_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    while i < bytes.len() {
        match bytes[i] {
            b'=' => return Some(i),
            b'#' => return None,
            b'"' | b'\'' => i = skip_string(bytes, i),
            _ => i += 1,
        }
    }
    None
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// The whole file is one version-looking token (`1.4.0`, `v2.0.0-rc.1`): its range.
fn whole_file_version(text: &str) -> Option<std::ops::Range<usize>> {
    let trimmed = text.trim();
    let start = text.len() - text.trim_start().len();
    let bytes = trimmed.as_bytes();
    let digits_from = usize::from(matches!(bytes.first(), Some(b'v' | b'V')));
    let looks_like_version = bytes.get(digits_from).is_some_and(u8::is_ascii_digit)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+' | b'_' | b'!'));
    looks_like_version.then(|| start..start + trimmed.len())
}

#[cfg(test)]
mod tests;
