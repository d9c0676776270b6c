//! Test support for the npm editors: write a JSON tree in a random style (indentation, line
//! endings, spacing, BOM, final newline), recording where marked strings land; read a file
//! as a summary; read, rewrite and read again a generated one.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::{assert_only_edited, spans, Read};
use crate::kind::FileKind;
use crate::reading::{Field, FieldKind, Reading};
use crate::rewrite::rewrite;
use crate::text::Span;

/// A JSON value to write.
#[derive(Debug, Clone)]
pub(crate) enum J {
    /// A string, its text written between quotes as given (escapes already in place), with
    /// the field it is, if it is one (kind, key).
    Str(String, Option<(FieldKind, String)>),
    /// A number, `true`, an array…: written as given.
    Raw(String),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn str(value: &str) -> J {
        J::Str(value.to_string(), None)
    }

    pub fn field(value: &str, kind: FieldKind, key: impl Into<String>) -> J {
        J::Str(value.to_string(), Some((kind, key.into())))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Style {
    pub indent: &'static str,
    pub newline: &'static str,
    pub colon: &'static str,
    pub before_comma: &'static str,
    pub minified: bool,
    pub bom: bool,
    pub final_newline: bool,
}

pub(crate) fn style() -> impl Strategy<Value = Style> {
    (
        prop::sample::select(vec!["  ", "    ", "\t", " \t", "   ", ""]),
        prop::sample::select(vec!["\n", "\r\n"]),
        prop::sample::select(vec![": ", ":", " : ", ":\t"]),
        prop::sample::select(vec!["", "", " "]),
        prop::bool::weighted(0.15),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(indent, newline, colon, before_comma, minified, bom, final_newline)| Style {
                indent,
                newline,
                colon,
                before_comma,
                minified,
                bom,
                final_newline,
            },
        )
}

/// The text of `root` in `style`, and the fields it holds (sorted by span).
pub(crate) fn write(root: &J, style: &Style) -> (String, Vec<Field>) {
    let mut writer = Writer {
        out: String::new(),
        fields: Vec::new(),
        style,
    };
    if style.bom {
        writer.out.push('\u{feff}');
    }
    writer.value(root, 0);
    if style.final_newline {
        writer.out.push_str(style.newline);
    }
    let mut fields = writer.fields;
    fields.sort_by_key(|f| f.span);
    (writer.out, fields)
}

struct Writer<'s> {
    out: String,
    fields: Vec<Field>,
    style: &'s Style,
}

impl Writer<'_> {
    fn value(&mut self, value: &J, depth: usize) {
        match value {
            J::Str(text, field) => {
                self.out.push('"');
                let start = self.out.len();
                self.out.push_str(text);
                if let Some((kind, key)) = field {
                    let span = Span::new(start, self.out.len());
                    self.fields
                        .push(Field::new(kind.clone(), key.clone(), text.clone(), span));
                }
                self.out.push('"');
            }
            J::Raw(text) => self.out.push_str(text),
            J::Obj(members) if members.is_empty() => self.out.push_str("{}"),
            J::Obj(members) => {
                self.out.push('{');
                for (i, (key, member)) in members.iter().enumerate() {
                    if i > 0 {
                        if !self.style.minified {
                            self.out.push_str(self.style.before_comma);
                        }
                        self.out.push(',');
                    }
                    self.line(depth + 1);
                    self.out.push('"');
                    self.out.push_str(key);
                    self.out.push('"');
                    self.out.push_str(if self.style.minified {
                        ":"
                    } else {
                        self.style.colon
                    });
                    self.value(member, depth + 1);
                }
                self.line(depth);
                self.out.push('}');
            }
        }
    }

    fn line(&mut self, depth: usize) {
        if !self.style.minified {
            self.out.push_str(self.style.newline);
            for _ in 0..depth {
                self.out.push_str(self.style.indent);
            }
        }
    }
}

/// A version-like value: `1.2.3`, `0.2.0-beta.1`.
pub(crate) fn version() -> impl Strategy<Value = String> {
    "(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})(-(alpha|beta|rc|dev)\\.[0-9]{1,2})?"
}

/// A package name: `core`, `@scope/linux-x64`.
pub(crate) fn package_name() -> impl Strategy<Value = String> {
    "(@[a-z]{1,4}/)?[a-z][a-z0-9-]{0,6}"
}

/// A range as npm users write them.
pub(crate) fn range() -> impl Strategy<Value = String> {
    let operator = prop::sample::select(vec!["", "^", "~", ">=", "=", "workspace:^", "workspace:"]);
    prop_oneof![
        4 => (operator, version()).prop_map(|(op, v)| format!("{op}{v}")),
        1 => prop::sample::select(vec![
            "workspace:*", "file:../x", "npm:other@1", "catalog:", "*", "latest", "1.x",
            ">=1.0.0 <2.0.0", "git+https://example.com/x.git#v1", "",
        ])
        .prop_map(str::to_string),
    ]
}

/// Members that are not fields: text with escapes, numbers, arrays, nested objects that
/// hold a `version` of their own.
pub(crate) fn filler() -> impl Strategy<Value = (String, J)> {
    prop_oneof![
        Just((
            "description".to_string(),
            J::str("A \\\"quoted\\\" \\\\ text \\u00e9 é")
        )),
        Just(("license".to_string(), J::str("MIT"))),
        Just(("private".to_string(), J::Raw("true".to_string()))),
        Just((
            "files".to_string(),
            J::Raw("[\"dist\", {\"version\": \"9.9.9\"}, 1.5e3, null]".to_string())
        )),
        Just((
            "publishConfig".to_string(),
            J::Obj(vec![
                ("version".to_string(), J::str("9.9.9")),
                (
                    "dependencies".to_string(),
                    J::Obj(vec![("x".to_string(), J::str("1.0.0"))])
                ),
            ])
        )),
        Just((
            "scripts".to_string(),
            J::Obj(vec![
                ("build".to_string(), J::str("tsc -p . && echo \\\"done\\\"")),
                ("test".to_string(), J::str("node --test")),
            ])
        )),
        Just((
            "engines".to_string(),
            J::Obj(vec![("node".to_string(), J::str(">=18"))])
        )),
        Just((
            "peerDependenciesMeta".to_string(),
            J::Obj(vec![(
                "core".to_string(),
                J::Obj(vec![("optional".to_string(), J::Raw("true".to_string()))])
            )])
        )),
    ]
}

/// Distinct members: the first of each key is kept.
pub(crate) fn dedup(members: Vec<(String, J)>) -> Vec<(String, J)> {
    let mut seen = std::collections::HashSet::new();
    members
        .into_iter()
        .filter(|(key, _)| seen.insert(key.clone()))
        .collect()
}

/// One line per field and note, `kind key = value`, after checking that every field's span
/// holds its value between quotes.
#[track_caller]
pub(crate) fn summary(text: &str, reading: &Reading) -> String {
    use crate::reading::Note;
    let mut lines = Vec::new();
    if let Some(name) = &reading.name {
        lines.push(format!("name = {name}"));
    }
    for field in &reading.fields {
        assert_eq!(
            field.span.slice(text),
            field.value,
            "span of `{}`",
            field.key
        );
        assert_eq!(
            &text[field.span.start - 1..field.span.start],
            "\"",
            "`{}`",
            field.key
        );
        assert_eq!(
            &text[field.span.end..=field.span.end],
            "\"",
            "`{}`",
            field.key
        );
        let kind = match &field.kind {
            FieldKind::Version => "version".to_string(),
            FieldKind::Requirement { package } => format!("requirement({package})"),
            FieldKind::Locked { package } => format!("locked({package})"),
            other => format!("{other:?}"),
        };
        lines.push(format!("{kind} {} = {}", field.key, field.value));
    }
    for note in &reading.notes {
        match note {
            Note::Unsupported { key, reason, span } => {
                lines.push(format!(
                    "unsupported {key}: {reason} ({})",
                    span.slice(text)
                ));
            }
            other => lines.push(format!("{other:?}")),
        }
    }
    lines.join("\n")
}

/// `input` reads as `expected` (see [`summary`]).
#[track_caller]
pub(crate) fn assert_reads_as(read: Read, input: &str, expected: &str) {
    let reading = read(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
    assert_eq!(
        summary(input, &reading).trim(),
        expected.trim(),
        "{input:?}"
    );
}

/// The npm editors' property: `document` written in `style` reads as the fields it marks, with
/// no notes; rewriting the i-th field to `new_values[i]` (`None`: left alone) changes only
/// those spans, and the result reads back with every field under its key, of its kind, at its
/// new value or its old one. Returns the reading before and after.
pub(crate) fn read_and_rewrite(
    kind: FileKind,
    document: &J,
    style: &Style,
    new_values: &[Option<String>],
) -> Result<(Reading, Reading), TestCaseError> {
    let (text, expected) = write(document, style);
    let reading = kind.read(&text).unwrap();
    prop_assert_eq!(&reading.fields, &expected, "{}", text);
    prop_assert!(reading.notes.is_empty());

    let edits: Vec<(&Field, &str)> = reading
        .fields
        .iter()
        .zip(new_values)
        .filter_map(|(field, value)| Some((field, value.as_deref()?)))
        .collect();
    let out = rewrite(kind, &text, &edits).unwrap();
    assert_only_edited(&text, &out, &spans(&edits));
    let reread = kind.read(&out).unwrap();
    prop_assert_eq!(reread.fields.len(), expected.len());
    for (before, after) in reading.fields.iter().zip(&reread.fields) {
        let edited = edits
            .iter()
            .find(|(f, _)| f.span == before.span)
            .map(|(_, v)| *v);
        prop_assert_eq!(&after.kind, &before.kind);
        prop_assert_eq!(&after.key, &before.key);
        prop_assert_eq!(after.value.as_str(), edited.unwrap_or(&before.value));
    }
    Ok((reading, reread))
}
