//! Bundler's `Gemfile.lock`: the versions it records for the gems that come from a path (the
//! gems of the repository).
//!
//! Fields ([`FieldKind::Locked`]): each spec of a `PATH` section (`    name (1.2.3)`, key
//! `PATH.specs.<name>`), and the entry of such a gem in a `CHECKSUMS` section (Bundler 2.5+
//! writes path gems there without a checksum; key `CHECKSUMS.<name>`). The gems of `GEM` and
//! `GIT` sections, the dependency lines under each spec and every other section are not
//! read: a bump changes the path gems' versions and nothing else. A spec whose version carries
//! a platform (`name (1.2.3-java)`) is a [`Note::Unsupported`].

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::text::{strip_bom, Span};

/// Read a `Gemfile.lock`.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let (body, bom) = strip_bom(text);
    let mut reading = Reading::default();
    let mut section = "";
    let mut path_gems: Vec<String> = Vec::new();
    let mut checksums: Vec<(String, Span)> = Vec::new();
    let mut offset = 0;
    for raw in body.split_inclusive('\n') {
        let start = bom + offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if !line.is_empty() && !line.starts_with(' ') {
            section = line.trim_end();
            continue;
        }
        let (indent, want) = match section {
            "PATH" => (4, true),
            "CHECKSUMS" => (2, false),
            _ => continue,
        };
        let Some((name, span)) = spec(line, indent) else {
            continue;
        };
        let span = span.shift(start);
        if want {
            path_gems.push(name.to_string());
            push(&mut reading, text, name, format!("PATH.specs.{name}"), span);
        } else {
            checksums.push((name.to_string(), span));
        }
    }
    for (name, span) in checksums {
        if path_gems.contains(&name) {
            let key = format!("CHECKSUMS.{name}");
            push(&mut reading, text, &name, key, span);
        }
    }
    Ok(reading)
}

fn push(reading: &mut Reading, text: &str, name: &str, key: String, span: Span) {
    let value = span.slice(text);
    if value.contains('-') {
        reading.notes.push(Note::Unsupported {
            key,
            reason: format!(
                "`{value}` carries a platform; a gem of the repository is locked without one"
            ),
            span,
        });
        return;
    }
    let kind = FieldKind::Locked {
        package: name.to_string(),
    };
    reading.fields.push(Field::new(kind, key, value, span));
}

/// `name (version)` indented exactly `indent` spaces (a checksum may follow): the name and
/// the span of the version within the line.
fn spec(line: &str, indent: usize) -> Option<(&str, Span)> {
    let rest = line.strip_prefix(" ".repeat(indent).as_str())?;
    if rest.starts_with(' ') {
        return None;
    }
    let (name, after) = rest.split_once(" (")?;
    let close = after.find(')')?;
    if name.is_empty() || close == 0 || name.contains(' ') {
        return None;
    }
    let from = indent + name.len() + 2;
    Some((name, Span::new(from, from + close)))
}

#[cfg(test)]
mod tests;
