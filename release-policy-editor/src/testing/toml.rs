//! Test support for the TOML-family editors (and `__version__` files): a reading as one line
//! per field and note, a rewrite checked byte for byte, the pieces of generated files.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::{assert_only_edited, spans, Read};
use crate::kind::FileKind;
use crate::reading::{Field, FieldKind, Note, Reading};
use crate::rewrite::rewrite;

/// `input` reads as `expected` (one line per field, see [`summary`]); the reading, for more
/// checks.
#[track_caller]
pub(crate) fn assert_fields(read: Read, input: &str, expected: &[&str]) -> Reading {
    let reading = read(input).unwrap_or_else(|e| panic!("{e}\n{input}"));
    assert_eq!(summary(input, &reading), expected, "\n{input}");
    reading
}

/// `input` reads as `fields` and `notes` (see [`summary`] and [`notes`]); the reading, for
/// more checks.
#[track_caller]
pub(crate) fn assert_reading(
    read: Read,
    input: &str,
    fields: &[&str],
    expected_notes: &[&str],
) -> Reading {
    let reading = assert_fields(read, input, fields);
    assert_eq!(notes(input, &reading), expected_notes, "\n{input}");
    reading
}

/// One line per field: `key kind = value`, after checking that the span covers the value.
#[track_caller]
pub(crate) fn summary(text: &str, reading: &Reading) -> Vec<String> {
    reading
        .fields
        .iter()
        .map(|f| {
            assert_eq!(
                f.span.slice(text),
                f.value,
                "span of `{}` does not cover its value",
                f.key
            );
            format!("{} {} = {}", f.key, kind_name(&f.kind), f.value)
        })
        .collect()
}

/// One line per note, for comparisons.
pub(crate) fn notes(text: &str, reading: &Reading) -> Vec<String> {
    reading
        .notes
        .iter()
        .map(|n| match n {
            Note::InheritsWorkspace { span } => format!("inherits {}", span.slice(text)),
            Note::Dynamic { source, span } => format!("dynamic {source:?} at {}", span.slice(text)),
            Note::Unsupported { key, span, .. } => {
                format!("unsupported {key} {}", span.slice(text))
            }
            other => format!("{other:?}"),
        })
        .collect()
}

pub(crate) fn kind_name(kind: &FieldKind) -> String {
    match kind {
        FieldKind::Version => "version".to_string(),
        FieldKind::Requirement { package } => format!("req({package})"),
        FieldKind::Locked { package } => format!("locked({package})"),
        FieldKind::LockReference { package } => format!("lockref({package})"),
        other => format!("{other:?}"),
    }
}

/// `rewrite` the given fields and check the result: every byte outside the edited spans
/// is unchanged, the new values sit where the spans were, and the file reads back with the
/// new values under the same keys. Returns the new text.
#[track_caller]
pub(crate) fn assert_rewrite(kind: FileKind, text: &str, edits: &[(&Field, &str)]) -> String {
    let out = match rewrite(kind, text, edits) {
        Ok(out) => out,
        Err(e) => panic!("rewrite failed: {e}\n--- input ---\n{text}"),
    };
    assert_only_edited(text, &out, &spans(edits));
    let reading = kind.read(&out).unwrap();
    for (field, value) in edits {
        assert!(
            reading
                .fields
                .iter()
                .any(|f| f.key == field.key && f.kind == field.kind && f.value == *value),
            "`{}` does not read back as `{value}`",
            field.key
        );
    }
    out
}

/// Rewrite every field of `reading` to the matching value of `values` (cycled).
#[track_caller]
pub(crate) fn rewrite_all(
    kind: FileKind,
    text: &str,
    reading: &Reading,
    values: &[String],
) -> String {
    let edits: Vec<(&Field, &str)> = reading
        .fields
        .iter()
        .zip(values.iter().cycle())
        .map(|(f, v)| (f, v.as_str()))
        .collect();
    assert_rewrite(kind, text, &edits)
}

/// A generated file's property: `text` reads as `expected` (its fields' summary lines, in any
/// order), and when it has fields, rewriting them all to `values` (cycled) changes only their
/// spans and reads back ([`rewrite_all`]). The reading, for more checks.
pub(crate) fn check_generated(
    kind: FileKind,
    text: &str,
    expected: &[String],
    values: &[String],
) -> Result<Reading, TestCaseError> {
    let reading = kind.read(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut found = summary(text, &reading);
    found.sort();
    prop_assert_eq!(found, expected, "\n{}", text);
    if !reading.fields.is_empty() {
        rewrite_all(kind, text, &reading, values);
    }
    Ok(reading)
}

/// A generated file and its expected summary lines, done: the text without its final line
/// ending(s) unless `final_newline`, the lines sorted (as [`check_generated`] compares them).
pub(crate) fn finish(
    mut out: String,
    mut expected: Vec<String>,
    final_newline: bool,
) -> (String, Vec<String>) {
    if !final_newline {
        while out.ends_with('\n') || out.ends_with('\r') {
            out.pop();
        }
    }
    expected.sort();
    (out, expected)
}

/// Version-like values: `1.4.0`, `0.2.0-beta.1`, `10.0.3-rc.12`.
pub(crate) fn version() -> impl Strategy<Value = String> {
    (
        0u32..30,
        0u32..30,
        0u32..300,
        prop::option::of((
            prop::sample::select(vec!["alpha", "beta", "rc", "dev"]),
            0u32..20,
        )),
    )
        .prop_map(|(a, b, c, pre)| match pre {
            Some((label, n)) => format!("{a}.{b}.{c}-{label}.{n}"),
            None => format!("{a}.{b}.{c}"),
        })
}

/// Horizontal whitespace: nothing, spaces, tabs.
pub(crate) fn ws() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", " ", "  ", "\t", " \t "]).prop_map(str::to_string)
}

/// Nothing, or a comment (without the line ending), with odd characters in it.
pub(crate) fn comment() -> impl Strategy<Value = String> {
    prop::option::of("[ a-z0-9=\"'\\[\\]{}#é.,]{0,12}")
        .prop_map(|c| c.map(|c| format!(" #{c}")).unwrap_or_default())
}

/// A line ending.
pub(crate) fn newline() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["\n", "\r\n"])
}
