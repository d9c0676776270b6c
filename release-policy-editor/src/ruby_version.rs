//! A gem's `lib/<gem>/version.rb`: the `VERSION = "…"` constant.
//!
//! Fields ([`FieldKind::Version`], key `VERSION`): every assignment of a string literal to
//! `VERSION` at the start of a line (`VERSION = "1.2.3".freeze` and a trailing comment are
//! fine; see [`crate::ruby_source`]). A `VERSION` computed from anything else
//! (`[MAJOR, MINOR, PATCH].join(".")`) or a literal with an escape or interpolation is a
//! [`Note::Unsupported`]: reported, never guessed.

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::ruby_source::{assignments, Rhs};
use crate::text::strip_bom;

/// Read a `version.rb`.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let (body, bom) = strip_bom(text);
    let mut reading = Reading::default();
    for assignment in assignments(body) {
        if assignment.target != "VERSION" && !assignment.target.ends_with("::VERSION") {
            continue;
        }
        push(&mut reading, text, &assignment.target, &assignment.rhs, bom);
    }
    if reading.fields.is_empty() && reading.notes.is_empty() {
        return Err(EditorError::new("no `VERSION = \"…\"` constant found")
            .at(0)
            .help("assign the gem's version to a `VERSION` constant (`VERSION = \"1.2.3\"`)"));
    }
    Ok(reading)
}

/// The right-hand side `rhs` of `key` as a field, or a note when it is not a plain literal.
pub(crate) fn push(reading: &mut Reading, text: &str, key: &str, rhs: &Rhs, bom: usize) {
    match rhs {
        Rhs::Literal { span, escaped: false } => {
            let span = span.shift(bom);
            reading
                .fields
                .push(Field::new(FieldKind::Version, key, span.slice(text), span));
        }
        Rhs::Literal { span, escaped: true } => reading.notes.push(Note::Unsupported {
            key: key.to_string(),
            reason: "the string has an escape or an interpolation; write the version as a plain string".to_string(),
            span: span.shift(bom),
        }),
        Rhs::Other { expression, span } => reading.notes.push(Note::Unsupported {
            key: key.to_string(),
            reason: format!(
                "`{expression}` is computed, not a string literal; write the version as a string (`\"1.2.3\"`)"
            ),
            span: span.shift(bom),
        }),
    }
}

#[cfg(test)]
mod tests;
