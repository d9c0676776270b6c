//! Dart's `pubspec.yaml`: the package's `version:` (and its `name:`).
//!
//! Fields: the top-level `version` ([`FieldKind::Version`], key `version`). Read with the
//! span reader of [`crate::yaml_span`], which refuses anchors, aliases, merge keys and several
//! documents; a `version` that is not a one-line scalar is a [`Note::Unsupported`]. The
//! dependencies (`path:` ones included) carry constraints, not this package's version: pub
//! reads a path dependency's version from its own pubspec, so they are not fields.

use crate::error::EditorError;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::yaml_span::{self, Document, Value};

/// Read a `pubspec.yaml`.
pub fn read(text: &str) -> Result<Reading, EditorError> {
    let doc = yaml_span::parse(text)?;
    let mut reading = Reading {
        name: top_scalar(&doc, "name"),
        ..Reading::default()
    };
    push_top(&doc, "version", FieldKind::Version, &mut reading);
    Ok(reading)
}

/// The value of a top-level scalar `key`, if any.
pub(crate) fn top_scalar(doc: &Document, key: &str) -> Option<String> {
    match &doc.child(None, key)?.1.value {
        Value::Scalar { value, .. } => Some(value.clone()),
        _ => None,
    }
}

/// The top-level `key` as a field of `kind` (or a note when it cannot be edited).
pub(crate) fn push_top(doc: &Document, key: &str, kind: FieldKind, reading: &mut Reading) {
    if let Some((_, entry)) = doc.child(None, key) {
        push_entry(&entry.value, key, kind, reading);
    }
}

/// `value` (at `key`) as a field of `kind`, or a note when it cannot be edited.
pub(crate) fn push_entry(value: &Value, key: &str, kind: FieldKind, reading: &mut Reading) {
    match value {
        Value::Scalar { value, span } => {
            reading
                .fields
                .push(Field::new(kind, key, value.clone(), *span));
        }
        Value::Unsupported { reason, span } => reading.notes.push(Note::Unsupported {
            key: key.to_string(),
            reason: format!("{reason}: write the version as a plain or quoted value on its line"),
            span: *span,
        }),
        Value::Nested => {}
    }
}

#[cfg(test)]
mod tests;
