//! CMake's `CMakeLists.txt`: the `VERSION` of each `project(<name> VERSION x.y.z …)` call.
//!
//! A small tokenizer of CMake's command syntax: it follows line comments (`#`), bracket
//! comments (`#[[…]]`, `#[==[…]==]`), quoted arguments (with their escapes), bracket arguments
//! (`[[…]]`) and parentheses, so text in a comment or a string is never taken for a call.
//!
//! Fields ([`FieldKind::Version`], key `project(<name>).VERSION`): the argument after the
//! `VERSION` keyword of every `project()` call (the command name in any case, as CMake reads
//! it), unquoted or quoted. A value built from variables (`${FOO_VERSION}`) or with an escape
//! is a [`Note::Unsupported`]; the name is the first `project()`'s first argument.

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::text::{strip_bom, Span};

/// One argument of a command: its text as written (without quotes) and its span.
struct Argument {
    span: Span,
    quoted: bool,
}

/// Read a `CMakeLists.txt`.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let (body, bom) = strip_bom(text);
    let mut reading = Reading::default();
    for (name, args) in commands(body)? {
        if !name.eq_ignore_ascii_case("project") {
            continue;
        }
        let Some(first) = args.first() else { continue };
        let project = first.span.slice(body).to_string();
        if reading.name.is_none() {
            reading.name = Some(project.clone());
        }
        let keyword = args
            .iter()
            .position(|a| !a.quoted && a.span.slice(body) == "VERSION");
        let Some(value) = keyword.and_then(|k| args.get(k + 1)) else {
            continue;
        };
        let key = format!("project({project}).VERSION");
        let span = value.span.shift(bom);
        let written = span.slice(text);
        if written.contains(['$', '\\', '@', ';']) {
            reading.notes.push(Note::Unsupported {
                key,
                reason: format!(
                    "`{written}` is built from variables or escapes; write the version as digits (`VERSION 1.2.3`)"
                ),
                span,
            });
        } else {
            reading
                .fields
                .push(Field::new(FieldKind::Version, key, written, span));
        }
    }
    Ok(reading)
}

/// Every command invocation: its name and its arguments.
fn commands(text: &str) -> Result<Vec<(&str, Vec<Argument>)>, EditorError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'#' => i = skip_comment(text, i)?,
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                {
                    i += 1;
                }
                // proof: `start` is at an ASCII letter or `_` and `i` ends the run of ASCII
                // bytes from it (the byte before `i` is ASCII), so both are character
                // boundaries and `start <= i`.
                #[allow(clippy::string_slice)]
                let name = &text[start..i];
                while bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'\t')) {
                    i += 1;
                }
                if bytes.get(i) == Some(&b'(') {
                    let (args, end) = arguments(text, i + 1)?;
                    out.push((name, args));
                    i = end;
                }
            }
            _ => i += 1,
        }
    }
    Ok(out)
}

/// The arguments from `i` (just after the opening parenthesis) to the matching `)`, and the
/// offset after it.
fn arguments(text: &str, mut i: usize) -> Result<(Vec<Argument>, usize), EditorError> {
    let bytes = text.as_bytes();
    let mut args = Vec::new();
    let mut depth = 0usize;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => i = skip_comment(text, i)?,
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' if depth == 0 => return Ok((args, i + 1)),
            b')' => {
                depth -= 1;
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while let Some(&b) = bytes.get(j).filter(|&&b| b != b'"') {
                    j += if b == b'\\' { 2 } else { 1 };
                }
                if j >= bytes.len() {
                    return Err(unclosed(i, "quoted argument"));
                }
                args.push(Argument {
                    span: Span::new(start, j),
                    quoted: true,
                });
                i = j + 1;
            }
            b'[' if bracket_level(bytes, i).is_some() => {
                let level = bracket_level(bytes, i).unwrap_or_default();
                let close = format!("]{}]", "=".repeat(level));
                let start = i + level + 2;
                let end = text
                    .get(start..)
                    .and_then(|rest| rest.find(&close))
                    .ok_or_else(|| unclosed(i, "bracket argument"))?;
                args.push(Argument {
                    span: Span::new(start, start + end),
                    quoted: true,
                });
                i = start + end + close.len();
            }
            _ => {
                let start = i;
                while let Some(&b) = bytes.get(i).filter(|&&b| {
                    !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'(' | b')' | b'#' | b'"')
                }) {
                    i += if b == b'\\' { 2 } else { 1 };
                }
                let i_end = i.min(bytes.len());
                args.push(Argument {
                    span: Span::new(start, i_end),
                    quoted: false,
                });
                i = i_end;
            }
        }
    }
    Err(unclosed(bytes.len(), "command: a `)` is missing"))
}

/// `[[`, `[=[`, `[==[`… opening at `at`: the number of `=`.
fn bracket_level(bytes: &[u8], at: usize) -> Option<usize> {
    let after = bytes.get(at + 1..)?;
    let level = after.iter().take_while(|&&b| b == b'=').count();
    (after.get(level) == Some(&b'[')).then_some(level)
}

/// The offset after the comment starting at `i` (a `#` line comment or a bracket comment).
fn skip_comment(text: &str, i: usize) -> Result<usize, EditorError> {
    let bytes = text.as_bytes();
    if bytes.get(i + 1) == Some(&b'[') {
        if let Some(level) = bracket_level(bytes, i + 1) {
            let close = format!("]{}]", "=".repeat(level));
            let start = i + level + 3;
            let end = text
                .get(start..)
                .and_then(|rest| rest.find(&close))
                .ok_or_else(|| unclosed(i, "bracket comment"))?;
            return Ok(start + end + close.len());
        }
    }
    Ok(bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |n| i + n))
}

fn unclosed(at: usize, what: &str) -> EditorError {
    EditorError::new(format!("unclosed {what}"))
        .at(at)
        .help("close it: CMake could not read this file either")
}

#[cfg(test)]
mod tests;
