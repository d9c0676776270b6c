//! The fast builder against `toml_edit`, the oracle: over generated documents (every kind of
//! key, string and value, tables, dotted keys, arrays of tables, comments, CRLF, a BOM, keys
//! defined twice and tables redefined on purpose) and every TOML file of the repository,
//! the builder's tree must equal `toml_edit`'s converted (keys, values, spans, order), and the
//! builder must refuse every document `toml_edit` rejects.

use std::path::Path;
use std::process::Command;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use super::{build, convert};

/// What happened to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// The builder took it, with `toml_edit`'s tree.
    Fast,
    /// Valid, left to `toml_edit`.
    Fallback,
    /// Rejected by `toml_edit`, refused by the builder.
    Rejected,
}

/// Hold the builder to `toml_edit` on `text`.
#[track_caller]
pub(super) fn check(text: &str) -> Outcome {
    let fast = build::build(text);
    match toml_edit::Document::parse(text) {
        Err(error) => {
            assert!(
                fast.is_none(),
                "the fast path took a document toml_edit rejects ({error}):\n{text:?}"
            );
            Outcome::Rejected
        }
        Ok(doc) => {
            let Some(fast) = fast else {
                return Outcome::Fallback;
            };
            assert_eq!(fast, convert::document(&doc), "{text:?}");
            Outcome::Fast
        }
    }
}

/// One part of a key: bare, quoted, escaped, some equal to others once decoded; now and then
/// one that is not a key.
fn simple_key() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        30 => prop::sample::select(vec![
            "a", "b", "c", "d", "e", "x-y", "1", "\"a\"", "'b'", "\"\\u0061\"", "\"c d\"", "'a.b'",
            "\"\"", "\"é\"",
        ]),
        1 => prop::sample::select(vec!["'''a'''", "a b", "\"\\q\"", "é"]),
    ]
}

/// A key: one to three parts, with or without spaces around the dots.
fn key() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(simple_key(), 1..=3),
        prop::sample::select(vec![".", ".", " . ", ". "]),
    )
        .prop_map(|(parts, dot)| parts.join(dot))
}

/// A scalar: every kind of string, number and date-time; now and then an invalid one.
fn scalar() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        20 => prop::sample::select(vec![
            "\"1.4.0\"",
            "'1.4.0'",
            "\"\"",
            "''",
            "\"a\\tb\"",
            "\"\\u00e9\\U0001F600\"",
            "\"\\\"q\\\"\"",
            "\"é\"",
            "\"\"\"\nml\"\"\"",
            "\"\"\"ml\\\n   joined\"\"\"",
            "\"\"\"\r\ncrlf\"\"\"",
            "'''\nliteral'''",
            "'''a''''",
            "\"\"\"a\"\"\"\"",
            "\"tab\there\"",
            "0",
            "-17",
            "+5",
            "1_000",
            "0x1F",
            "0o17",
            "0b101",
            "9223372036854775807",
            "1.5",
            "-0.0",
            "1e10",
            "6.02e+23",
            "inf",
            "-inf",
            "nan",
            "true",
            "false",
        ]),
        2 => prop::sample::select(vec!["1979-05-27", "1979-05-27T07:32:00Z", "07:32:00"]),
        1 => prop::sample::select(vec![
            "\"\\x\"",
            "'open",
            "01",
            "9223372036854775808",
            "1__0",
            "1e999",
            "3.",
            ".5",
            "True",
            "1979-13-27",
        ]),
    ]
}

/// Between values of an array or an inline table: spaces, line breaks, comments.
fn gap() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["", " ", "", "\n  ", " # c\n", "\r\n"])
}

fn value() -> impl Strategy<Value = String> {
    scalar()
        .prop_map(str::to_string)
        .prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                (
                    prop::collection::vec((gap(), inner.clone()), 0..4),
                    prop::bool::ANY,
                    gap()
                )
                    .prop_map(|(items, trailing, end)| {
                        let items: Vec<String> =
                            items.into_iter().map(|(g, v)| format!("{g}{v}")).collect();
                        let comma = if trailing && !items.is_empty() {
                            ","
                        } else {
                            ""
                        };
                        format!("[{}{comma}{end}]", items.join(","))
                    }),
                (prop::collection::vec((key(), inner), 0..4), gap()).prop_map(|(entries, end)| {
                    let entries: Vec<String> = entries
                        .into_iter()
                        .map(|(k, v)| format!(" {k} = {v}"))
                        .collect();
                    format!("{{{}{end}}}", entries.join(","))
                }),
            ]
        })
}

/// One line of a document.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => (key(), prop::sample::select(vec!["=", " = ", "= ", "\t=\t"]), value(),
              prop::sample::select(vec!["", " # note", "#"]))
            .prop_map(|(k, eq, v, c)| format!("{k}{eq}{v}{c}")),
        6 => key().prop_map(|k| format!("[{k}]")),
        2 => key().prop_map(|k| format!("[ {k} ] # t")),
        5 => key().prop_map(|k| format!("[[{k}]]")),
        2 => Just("# a comment".to_string()),
        2 => Just(String::new()),
        1 => prop::sample::select(vec!["= 1", "a = ", "a = 1 b = 2", "[a", "]]", "a.=1", "# \u{7}"])
            .prop_map(str::to_string),
    ]
}

fn document() -> impl Strategy<Value = String> {
    (
        prop::bool::weighted(0.1),
        prop::collection::vec(line(), 0..12),
        prop::sample::select(vec!["\n", "\n", "\r\n"]),
        prop::bool::ANY,
    )
        .prop_map(|(bom, lines, newline, last)| {
            let mut text = if bom { "\u{feff}" } else { "" }.to_string();
            text.push_str(&lines.join(newline));
            if last {
                text.push_str(newline);
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_documents_read_as_toml_edit_reads_them(text in document()) {
        check(&text);
    }
}

/// The generator makes documents of all three outcomes, so that the property above holds the
/// builder to something: many taken, many rejected, some left to `toml_edit`.
#[test]
fn the_generator_reaches_every_outcome() {
    let mut runner = TestRunner::new(Config::default());
    let strategy = document();
    let (mut fast, mut fallback, mut rejected) = (0, 0, 0);
    for _ in 0..2000 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        match check(&text) {
            Outcome::Fast => fast += 1,
            Outcome::Fallback => fallback += 1,
            Outcome::Rejected => rejected += 1,
        }
    }
    assert!(
        fast >= 400 && rejected >= 400 && fallback >= 40,
        "fast {fast}, left to toml_edit {fallback}, rejected {rejected}"
    );
}

/// Every TOML file of the repository (manifests, lockfiles, policy cases, fuzz seeds), as
/// written, with CRLF line endings, and cut short at each line.
#[test]
fn every_toml_file_of_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let output = Command::new("git")
        .args(["ls-files", "*.toml", "*Cargo.lock", "*uv.lock"])
        .current_dir(&root)
        .output()
        .expect("git ls-files (git must be installed)");
    assert!(output.status.success(), "git ls-files failed");
    let files = String::from_utf8(output.stdout).unwrap();
    let (mut count, mut fast) = (0, 0);
    for file in files.lines() {
        let Ok(text) = std::fs::read_to_string(root.join(file)) else {
            continue;
        };
        count += 1;
        if check(&text) == Outcome::Fast {
            fast += 1;
        }
        check(&text.replace('\n', "\r\n"));
        if text.len() < 20_000 {
            for (end, _) in text.match_indices('\n') {
                check(&text[..end]);
            }
        }
    }
    assert!(count >= 100, "only {count} TOML files found");
    // The fixtures are ordinary TOML: the builder takes nearly all of them.
    assert!(
        fast * 10 >= count * 8,
        "fast path for {fast} of {count} files"
    );
}
