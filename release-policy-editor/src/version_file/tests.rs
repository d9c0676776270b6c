use proptest::prelude::*;

use super::{read, read_with, VersionPattern};
use crate::kind::FileKind;
use crate::rewrite::rewrite_with;
use crate::testing::toml::{
    assert_fields, assert_reading, comment, newline, rewrite_all, summary, version, ws,
};
use crate::text::Position;

#[track_caller]
fn case(input: &str, expected: &[&str]) {
    assert_fields(read, input, expected);
}

#[track_caller]
fn nothing(input: &str) {
    let err = read(input).unwrap_err();
    assert_eq!(
        err.message, "no `__version__ = \"…\"` assignment found",
        "{input}"
    );
    assert!(err.help.is_some());
}

#[test]
fn assignments() {
    case(
        "__version__ = \"1.4.0\"\n",
        &["__version__ version = 1.4.0"],
    );
    case("__version__ = '1.4.0'", &["__version__ version = 1.4.0"]);
    case(
        "__version__: str = \"1.4.0\"  # the version\n",
        &["__version__ version = 1.4.0"],
    );
    case(
        "__version__ : Final[str]='1.4.0';\n",
        &["__version__ version = 1.4.0"],
    );
    case("VERSION = \"2.0\"\n", &["VERSION version = 2.0"]);
    case("version = u\"2.0\"\n", &["version version = 2.0"]);
    case(
        "__version__ = \"\"\"1.0\"\"\"\n",
        &["__version__ version = 1.0"],
    );
    case(
        "\"\"\"Docs.\n\n__version__ = \"0.0.0\" in a docstring\n\"\"\"\nimport os\n\n__version__ = \"1.4.0\"\nVERSION = __version__\n__version__ = \"9.9.9\"\n",
        &["__version__ version = 1.4.0"],
    );
    case(
        "__all__ = [\n    \"x\",\n]\nsetup(\n__version__ = \"0\",\n)\nif True:\n    __version__ = \"0\"\nx = 1 \\\n__version__ = '0'\n__version__ = \"1.4.0\"\n",
        &["__version__ version = 1.4.0"],
    );
    case(
        "# __version__ = \"0.0.0\"\nVERSION = (1, 4, 0)\nversion = '1.4.0'\n__version__ = \"1.4.0\"\n",
        &["__version__ version = 1.4.0"],
    );
    // Not a lone literal: skipped.
    case(
        "__version__ = \"1.0\" + suffix\n__version__ = \"1.4.0\"\n",
        &["__version__ version = 1.4.0"],
    );
    case(
        "__version__ == \"1.0\"\n__version__ = \"1.4.0\"\n",
        &["__version__ version = 1.4.0"],
    );
    case(
        "__version_info__ = \"1.0\"\nVERSION = \"1.4.0\"\n",
        &["VERSION version = 1.4.0"],
    );
}

#[test]
fn layout() {
    let text = "\u{feff}# -*- coding: utf-8 -*-\r\n\t\r\n__version__\t=\t\"1.4.0\"\r\n";
    case(text, &["__version__ version = 1.4.0"]);
    let reading = read(text).unwrap();
    let out = rewrite_all(
        FileKind::VersionFile,
        text,
        &reading,
        &["2.0.0b1".to_string()],
    );
    assert_eq!(
        out,
        "\u{feff}# -*- coding: utf-8 -*-\r\n\t\r\n__version__\t=\t\"2.0.0b1\"\r\n"
    );
    case("__version__ = \"1.4.0\"", &["__version__ version = 1.4.0"]);
}

#[test]
fn plain_version_files() {
    case("1.4.0\n", &["file version = 1.4.0"]);
    case(
        "\u{feff}  v2.0.0-rc.1\r\n\r\n",
        &["file version = v2.0.0-rc.1"],
    );
    case("1.4.0.dev3", &["file version = 1.4.0.dev3"]);
    nothing("1.4.0 beta\n");
    nothing("hello\n");
    nothing("");
    nothing("import os\n__version__ = get_version()\n");
}

#[test]
fn escapes() {
    let text = "__version__ = \"1.4\\x2e0\"\n";
    assert_reading(read, text, &[], &["unsupported __version__ 1.4\\x2e0"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_modules(
        bom in any::<bool>(),
        nl in newline(),
        name in prop::sample::select(vec!["__version__", "VERSION", "version"]),
        quote in prop::sample::select(vec!["\"", "'"]),
        annotation in prop::sample::select(vec!["", ": str", ": Final[str]"]),
        (before, after) in (ws(), ws()),
        trailer in comment(),
        v in version(),
        decoy in prop::sample::select(vec![
            "",
            "\"\"\"Module.\n__version__ = \"0.0.0\"\n\"\"\"\n",
            "# __version__ = '0'\n",
            "def f():\n    __version__ = '0'\n",
            "x = (\n__version__ = '0')\n",
        ]),
        new in version(),
    ) {
        let decoy = decoy.replace('\n', nl);
        let text = format!(
            "{}{decoy}import os{nl}{name}{annotation}{before}={after}{quote}{v}{quote}{trailer}{nl}",
            if bom { "\u{feff}" } else { "" },
        );
        let reading = read(&text).unwrap();
        prop_assert_eq!(summary(&text, &reading), vec![format!("{name} version = {v}")]);
        rewrite_all(FileKind::VersionFile, &text, &reading, &[new]);
    }
}

/// Found by the `text` fuzz target: the `=` inside the annotation's string `'='` was taken
/// for the assignment's, so `VERSION:'='(0'` read `(0` as the version; rewriting it removed
/// the `(` that kept the next line inside brackets, and the file read back another field.
/// The annotation's strings are skipped now, as the statement scan skips them.
#[test]
fn annotations_skip_their_strings_and_stop_at_comments() {
    nothing("VERSION:'='(0'\n__version__ = \"1.4.0\"\n");
    nothing("__version__: # = \"1.4.0\"\n");
    nothing("__version__: Literal['1.4.0\n");
    case(
        "__version__: Literal['=', \"#\"] = \"1.4.0\"\n",
        &["__version__ version = 1.4.0"],
    );
    rewrite_all(
        FileKind::VersionFile,
        "__version__: Literal['='] = '1.4.0'\r\n",
        &read("__version__: Literal['='] = '1.4.0'\r\n").unwrap(),
        &["2.0.0rc12".to_string()],
    );
}

/// Read `text` with hatch's `pattern`: the field as `line:column value` (the span's start),
/// after checking that rewriting it replaces exactly the span's bytes; or the error's message.
#[track_caller]
fn with_pattern(pattern: &str, text: &str) -> Result<String, String> {
    let pattern = VersionPattern::new(pattern).unwrap_or_else(|e| panic!("{e}"));
    let reading = read_with(text, Some(&pattern)).map_err(|e| {
        assert!(e.help.is_some(), "{e:?}");
        e.message
    })?;
    assert!(reading.notes.is_empty(), "{:?}", reading.notes);
    let [field] = reading.fields.as_slice() else {
        panic!("{:?}", reading.fields);
    };
    assert_eq!(field.key, "pattern");
    assert_eq!(field.value, field.span.slice(text));
    let new = "10.20.30rc4";
    let out = rewrite_with(text, &[(field, new)], |t| read_with(t, Some(&pattern)))
        .unwrap_or_else(|e| panic!("{e}\n{text:?}"));
    assert_eq!(
        out,
        [&text[..field.span.start], new, &text[field.span.end..]].concat()
    );
    let at = Position::of(text, field.span.start);
    Ok(format!("{}:{} {}", at.line, at.column, field.value))
}

/// hatch's `pattern`: the `version` group of the first match, searched in multi-line mode in
/// the text as Python reads it.
#[test]
fn hatch_patterns() {
    let quoted = r#"^VERSION = ['"](?P<version>[^'"]+)['"]"#;
    let cases: &[(&str, &str, Result<&str, &str>)] = &[
        // The match and its group's span; the default scan's `__version__` is not looked at.
        (
            quoted,
            "__version__ = \"0.0.0\"\nVERSION = \"1.4.0\"\n",
            Ok("2:12 1.4.0"),
        ),
        (quoted, "VERSION = '1.4.0'", Ok("1:12 1.4.0")),
        // Not a Python assignment at all.
        (
            r"(?m)^version:\s*(?P<version>\S+)",
            "name: x\nversion:   2.0.0-rc.1  \n",
            Ok("2:12 2.0.0-rc.1"),
        ),
        // The first match, leftmost and, between alternatives, the first that matches.
        (
            r"(?i)version\s*=\s*'(?P<version>.+?)'",
            "x = 1; Version = '1.0'; VERSION = '2.0'\n",
            Ok("1:19 1.0"),
        ),
        (
            r"(?:V=(?P<version>[^;\s]+)|V=\S+)",
            "V=1.2;x\n",
            Ok("1:3 1.2"),
        ),
        // Multi-line anchors: `^` at every line start, `$` at every line end.
        (
            r"^v(?P<version>[\w.]+)$",
            "# v0.1 is not at a line start\nv1.2.3 beta\nv1.2.3\n",
            Ok("3:2 1.2.3"),
        ),
        // `$` before a `\r\n` and a lone `\r`: Python reads both as `\n`.
        (
            r"= (?P<version>.+)$",
            "A = x\r\nVERSION = 1.4.0\r\n",
            Ok("1:5 x"),
        ),
        (
            r"^VERSION = (?P<version>.+)$",
            "A = x\r\nVERSION = 1.4.0\r\n",
            Ok("2:11 1.4.0"),
        ),
        (
            r"^VERSION = (?P<version>.+)$",
            "A = x\rVERSION = 1.4.0\r",
            Ok("1:17 1.4.0"),
        ),
        (
            r"\n(?P<version>\d\S*)",
            "x\r\n\r\n1.0.0\r\n",
            Ok("3:1 1.0.0"),
        ),
        // A BOM is a character to Python: `^` is not after it.
        (
            r"^V = '(?P<version>.+)'",
            "\u{feff}V = '1.0'\nV = '2.0'\n",
            Ok("2:6 2.0"),
        ),
        // Text before the match that is not ASCII.
        (
            r"VERSION = '(?P<version>[^']+)'",
            "# Café ☕ — 版本\nVERSION = '1.0'  # ☕\n",
            Ok("2:12 1.0"),
        ),
        // An empty group is a field, with an empty value.
        (r"VERSION = '(?P<version>[^']*)'", "VERSION = ''\n", Ok("1:12 ")),
        // No match.
        (
            quoted,
            "  VERSION = '1.4.0'\n",
            Err("no match of `tool.hatch.version.pattern` `^VERSION = ['\"](?P<version>[^'\"]+)['\"]`"),
        ),
        (quoted, "", Err("no match of `tool.hatch.version.pattern`")),
        (
            r"^VERSION = (?P<version>.+)\r$",
            "VERSION = 1.4.0\r\n",
            Err("no match of `tool.hatch.version.pattern` `^VERSION = (?P<version>.+)\\r$`"),
        ),
        // A first match the `version` group is no part of.
        (
            r"(?P<version>\d+\.\d+)|none",
            "none yet, 1.0 later\n",
            Err("the first match of `tool.hatch.version.pattern` `(?P<version>\\d+\\.\\d+)|none` has no `version` group"),
        ),
    ];
    for (pattern, text, expected) in cases {
        let expected = expected.map(str::to_string).map_err(str::to_string);
        let actual = with_pattern(pattern, text);
        match (&actual, &expected) {
            (Err(actual), Err(expected)) => {
                assert!(
                    actual.starts_with(expected.as_str()),
                    "{pattern} on {text:?}: {actual}"
                );
            }
            _ => assert_eq!(actual, expected, "{pattern} on {text:?}"),
        }
    }
}

/// Python syntax the `regex` crate cannot run, and patterns hatch refuses, are errors that
/// say so and how to fix it.
#[test]
fn hatch_patterns_refused() {
    for (pattern, reason) in [
        (
            r#"(?i)^(__version__|VERSION) *= *(['"])v?(?P<version>.+?)\2"#,
            "cannot be run: backreferences are not supported",
        ),
        (
            r#"^V = (?P<q>['"])(?P<version>.+?)(?P=q)"#,
            "cannot be run: ",
        ),
        (
            r#"VERSION = "(?P<version>[^"]+)(?=")"#,
            "cannot be run: look-around, including look-ahead and look-behind, is not supported",
        ),
        (
            r#"(?<!# )VERSION = "(?P<version>[^"]+)""#,
            "cannot be run: look-around, including look-ahead and look-behind, is not supported",
        ),
        (
            r"VERSION = (?P<version>\d+",
            "cannot be run: unclosed group",
        ),
        (
            r"(?P<version>\S+)\Z",
            "cannot be run: unrecognized escape sequence",
        ),
        (r"VERSION = (?P<ver>\S+)", "has no group named `version`"),
        (r"VERSION = (\S+)", "has no group named `version`"),
    ] {
        let err = VersionPattern::new(pattern).unwrap_err();
        let shown = pattern.replace('\n', "\\n");
        assert!(
            err.message
                .starts_with(&format!("`tool.hatch.version.pattern` `{shown}` {reason}")),
            "{pattern}: {err:?}"
        );
        let help = err.help.unwrap();
        assert!(help.contains("write"), "{help}");
    }
    assert_eq!(
        VersionPattern::new("a\n(?P<version>b)").unwrap().display(),
        "a\\n(?P<version>b)"
    );
    // Equal when written alike.
    assert_eq!(
        VersionPattern::new("(?P<version>x)").unwrap(),
        VersionPattern::new("(?P<version>x)").unwrap()
    );
    assert_ne!(
        VersionPattern::new("(?P<version>x)").unwrap(),
        VersionPattern::new("(?P<version>x+)").unwrap()
    );
    // Without a pattern, the scan.
    assert_eq!(
        summary(
            "VERSION = '1.0'\n",
            &read_with("VERSION = '1.0'\n", None).unwrap()
        ),
        ["VERSION version = 1.0"]
    );
}
