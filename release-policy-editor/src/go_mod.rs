//! The Go modules editor: `go.mod`.
//!
//! A `go.mod` has no version of its own (Go takes a module's version from its git tag), so
//! it reports none: [`Reading::name`] is the module path of the `module` directive, and every
//! `require` (single or in a `require ( … )` block) is a [`FieldKind::Requirement`] on the
//! module path, with the version as written (`v1.6.1`), keyed `require[example.com/sdk/go]`
//! (numbered `[2]` when a path is required twice). `replace`, `exclude`, `retract` and
//! `tool` directives name versions of other modules, not requirements: not reported.
//!
//! The file is split into lines and tokens as `go` does: `//` comments, `"…"` and `` `…` ``
//! quoted paths, blocks opened by `(` at the end of a directive line. A `require` line that
//! is not a path and a version, a block never closed, or a missing `module` directive is
//! refused with its place, as `go mod edit` refuses it.

use std::collections::HashMap;

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Reading};
use crate::text::Span;

#[cfg(test)]
mod tests;

/// One token of a line, with its span (quotes excluded for a quoted token).
#[derive(Debug, Clone, Copy)]
struct Token<'t> {
    text: &'t str,
    span: Span,
}

/// Read a `go.mod`.
// proof: `tokens[1]` and `tokens[1..]` follow checks that there are two tokens / a first one.
#[allow(clippy::indexing_slicing, clippy::string_slice)]
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let mut reading = Reading::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut block: Option<(&str, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let tokens = tokens(line, start)?;
        let Some(first) = tokens.first() else {
            continue;
        };
        if let Some((verb, _)) = block {
            if first.text == ")" {
                block = None;
                continue;
            }
            directive(verb, &tokens, &mut reading, &mut seen)?;
            continue;
        }
        if tokens.len() == 2 && tokens[1].text == "(" {
            block = Some((first.text, first.span.start));
            continue;
        }
        directive(first.text, &tokens[1..], &mut reading, &mut seen)?;
    }
    if let Some((verb, at)) = block {
        return Err(
            EditorError::new(format!("the `{verb} (` block is never closed"))
                .at(at)
                .help("end the block with a line holding `)`"),
        );
    }
    if reading.name.is_none() {
        return Err(EditorError::new("the file has no `module` directive")
            .at(0)
            .help("a go.mod starts with `module <path>` (`go mod init <path>` writes it)"));
    }
    Ok(reading)
}

/// The span of the module path of the `module` directive, for messages about it.
pub fn module_span(text: &str) -> Option<Span> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if let Ok(tokens) = tokens(line, start) {
            if let [verb, path] = tokens.as_slice() {
                if verb.text == "module" {
                    return Some(path.span);
                }
            }
        }
    }
    None
}

/// One directive (`verb` with its arguments).
fn directive(
    verb: &str,
    args: &[Token<'_>],
    reading: &mut Reading,
    seen: &mut HashMap<String, usize>,
) -> Result<(), EditorError> {
    match verb {
        "module" => {
            let [path] = args else {
                return Err(malformed(verb, args));
            };
            reading.name = Some(path.text.to_string());
        }
        "require" => {
            let [path, version] = args else {
                return Err(malformed(verb, args));
            };
            let count = seen.entry(path.text.to_string()).or_insert(0);
            *count += 1;
            let key = if *count == 1 {
                format!("require[{}]", path.text)
            } else {
                format!("require[{}][{count}]", path.text)
            };
            reading.fields.push(Field::new(
                FieldKind::Requirement {
                    package: path.text.to_string(),
                },
                key,
                version.text,
                version.span,
            ));
        }
        _ => {}
    }
    Ok(())
}

fn malformed(verb: &str, args: &[Token<'_>]) -> EditorError {
    let at = args.first().map_or(0, |t| t.span.start);
    let shape = if verb == "module" {
        "`module <path>`"
    } else {
        "`require <path> <version>`"
    };
    EditorError::new(format!("malformed `{verb}` line: expected {shape}"))
        .at(at)
        .help("`go mod edit -fmt` shows what go reads")
}

/// The tokens of `line` (which starts at byte `start` of the file), comments dropped.
// proof: `i` only moves over ASCII bytes (white space, quotes, parentheses, token bytes that are
// not those) or to one past a found ASCII quote, so every slice is on a character boundary;
// `i < bytes.len()` guards each index, a BOM at the start of the text is 3 bytes.
#[allow(clippy::indexing_slicing, clippy::string_slice)]
fn tokens(line: &str, start: usize) -> Result<Vec<Token<'_>>, EditorError> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // A BOM on the first line is white space to the Go reader as well.
    if start == 0 && line.starts_with('\u{feff}') {
        i = 3;
    }
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => break,
            quote @ (b'"' | b'`') => {
                let Some(len) = line[i + 1..].find(char::from(quote)) else {
                    return Err(EditorError::new("a quoted string is never closed")
                        .at(start + i)
                        .help("close the string on the same line"));
                };
                let inner = &line[i + 1..i + 1 + len];
                if quote == b'"' && inner.contains('\\') {
                    return Err(EditorError::new(
                        "a quoted string with escapes: write the path without them",
                    )
                    .at(start + i));
                }
                out.push(Token {
                    text: inner,
                    span: Span::new(start + i + 1, start + i + 1 + len),
                });
                i += len + 2;
            }
            b'(' | b')' => {
                out.push(Token {
                    text: &line[i..=i],
                    span: Span::new(start + i, start + i + 1),
                });
                i += 1;
            }
            _ => {
                let from = i;
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b' ' | b'\t' | b'\r' | b'\n' | b'(' | b')' | b'"' | b'`'
                    )
                    && !(bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'/'))
                {
                    i += 1;
                }
                out.push(Token {
                    text: &line[from..i],
                    span: Span::new(start + from, start + i),
                });
            }
        }
    }
    Ok(out)
}

/// The major version a module path's suffix declares: `2` for `example.com/sdk/v2` (and
/// `gopkg.in/yaml.v2`), `None` when the path has no suffix (majors 0 and 1).
pub fn path_major(path: &str) -> Option<u64> {
    let suffix = if path.starts_with("gopkg.in/") {
        path.rsplit_once(".v")?.1
    } else {
        path.rsplit_once("/v")?.1
    };
    let suffix = suffix.strip_suffix("-unstable").unwrap_or(suffix);
    if suffix.is_empty() || !suffix.bytes().all(|b| b.is_ascii_digit()) || suffix.starts_with('0') {
        return None;
    }
    let major = suffix.parse().ok()?;
    (major >= 2 || path.starts_with("gopkg.in/")).then_some(major)
}
