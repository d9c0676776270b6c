//! Zig's `build.zig.zon`: the package's `.version = "…"` (and its `.name`).
//!
//! A small tokenizer of ZON (Zig Object Notation): it follows `//` comments, string and
//! character literals (with escapes), multi-line string lines (`\\…`) and braces, so only
//! the fields of the top-level struct `.{ … }` are read, never a dependency's.
//!
//! Fields ([`FieldKind::Version`], key `.version`): the top-level `.version` string. A
//! string with an escape is a [`Note::Unsupported`]. The name is `.name = "foo"` or the enum
//! literal `.name = .foo` (Zig 0.14 and later).

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::text::{strip_bom, Span};

/// Read a `build.zig.zon`.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let (body, bom) = strip_bom(text);
    let bytes = body.as_bytes();
    let mut reading = Reading::default();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = line_end(bytes, i),
            b'\\' if bytes.get(i + 1) == Some(&b'\\') => i = line_end(bytes, i),
            b'"' | b'\'' => i = string_end(bytes, i)?.0 + 1,
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'.' if depth == 1 => {
                let (name, after) = identifier(body, i + 1);
                i = after.max(i + 1);
                let Some(name) = name else { continue };
                let j = skip_blank(bytes, after);
                if bytes.get(j) != Some(&b'=') || bytes.get(j + 1) == Some(&b'=') {
                    continue;
                }
                let v = skip_blank(bytes, j + 1);
                field(body, bom, &name, v, &mut reading)?;
            }
            _ => i += 1,
        }
    }
    Ok(reading)
}

/// The value of top-level field `name` at `v`: the version, or the package's name.
fn field(
    body: &str,
    bom: usize,
    name: &str,
    v: usize,
    reading: &mut Reading,
) -> Result<(), EditorError> {
    let bytes = body.as_bytes();
    match (name, bytes.get(v)) {
        ("version", Some(b'"')) => {
            let (end, escaped) = string_end(bytes, v)?;
            let span = Span::new(v + 1, end).shift(bom);
            // proof: `v` is the opening `"` and `end` its closing `"` (`string_end`), both
            // ASCII, so `v + 1` and `end` are character boundaries and `v + 1 <= end`.
            #[allow(clippy::string_slice)]
            let value = &body[v + 1..end];
            if escaped {
                reading.notes.push(Note::Unsupported {
                    key: ".version".to_string(),
                    reason: "the string has an escape; write the version as a plain string"
                        .to_string(),
                    span,
                });
            } else {
                reading
                    .fields
                    .push(Field::new(FieldKind::Version, ".version", value, span));
            }
        }
        ("name", Some(b'"')) => {
            let (end, _) = string_end(bytes, v)?;
            reading.name = body.get(v + 1..end).map(str::to_string);
        }
        ("name", Some(b'.')) => reading.name = identifier(body, v + 1).0,
        _ => {}
    }
    Ok(())
}

/// An identifier at `i` (`version`, or `@"version"`) and the offset after it.
fn identifier(body: &str, i: usize) -> (Option<String>, usize) {
    let bytes = body.as_bytes();
    if bytes.get(i) == Some(&b'@') && bytes.get(i + 1) == Some(&b'"') {
        return match string_end(bytes, i + 1) {
            Ok((end, false)) => (body.get(i + 2..end).map(str::to_string), end + 1),
            _ => (None, i),
        };
    }
    let mut j = i;
    while bytes
        .get(j)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        j += 1;
    }
    let name = body.get(i..j).filter(|name| !name.is_empty());
    (name.map(str::to_string), j)
}

/// The closing quote of the literal opening at `i`, and whether it holds an escape.
fn string_end(bytes: &[u8], i: usize) -> Result<(usize, bool), EditorError> {
    let unclosed = || {
        EditorError::new("unclosed string literal")
            .at(i)
            .help("close the string on its line: Zig could not read this file either")
    };
    let &quote = bytes.get(i).ok_or_else(unclosed)?;
    let mut j = i + 1;
    let mut escaped = false;
    while let Some(&b) = bytes.get(j) {
        if b == quote || b == b'\n' {
            break;
        }
        if b == b'\\' {
            escaped = true;
            j += 1;
        }
        j += 1;
    }
    if bytes.get(j) == Some(&quote) {
        Ok((j, escaped))
    } else {
        Err(unclosed())
    }
}

fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |n| i + n)
}

fn skip_blank(bytes: &[u8], mut i: usize) -> usize {
    while bytes
        .get(i)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests;
