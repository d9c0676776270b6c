//! Test helpers shared by the TOML-family editors' unit and property tests.

use proptest::prelude::*;

use crate::{rewrite, Field, FieldKind, FileKind, Note, Reading};

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
    let mut spans: Vec<_> = edits.iter().map(|(f, v)| (f.span, *v)).collect();
    spans.sort_by_key(|(s, _)| s.start);
    let (mut cursor_in, mut cursor_out) = (0, 0);
    for (span, value) in spans {
        let segment = &text[cursor_in..span.start];
        assert_eq!(&out[cursor_out..cursor_out + segment.len()], segment);
        cursor_out += segment.len();
        assert_eq!(&out[cursor_out..cursor_out + value.len()], value);
        cursor_out += value.len();
        cursor_in = span.end;
    }
    assert_eq!(&out[cursor_out..], &text[cursor_in..]);
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
