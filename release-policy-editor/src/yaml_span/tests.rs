use super::{parse, Value};
use crate::testing::assert_refused;

fn read(text: &str) -> Result<crate::reading::Reading, crate::error::EditorError> {
    parse(text).map(|_| crate::reading::Reading::default())
}

/// `text` parses; `key` (a path of top-level then nested keys) holds `expected`.
#[track_caller]
fn value(text: &str, path: &[&str], expected: Option<&str>) {
    let doc = parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut parent = None;
    let mut found = None;
    for key in path {
        let Some((index, entry)) = doc.child(parent, key) else {
            found = None;
            break;
        };
        parent = Some(index);
        found = Some(entry);
    }
    let got = found.map(|e| match &e.value {
        Value::Scalar { value, span } => {
            assert_eq!(span.slice(text), value);
            value.clone()
        }
        Value::Nested => "<nested>".to_string(),
        Value::Unsupported { reason, .. } => format!("<unsupported: {reason}>"),
    });
    assert_eq!(got.as_deref(), expected, "{path:?} in\n{text}");
}

#[test]
fn scalars() {
    value("version: 1.2.3\n", &["version"], Some("1.2.3"));
    value("version: \"1.2.3\" # c\n", &["version"], Some("1.2.3"));
    value("version: '1.2.3'", &["version"], Some("1.2.3"));
    value(
        "\u{feff}version:\t1.2.3  # c\r\n",
        &["version"],
        Some("1.2.3"),
    );
    value("\"version\": 1.2.3\n", &["version"], Some("1.2.3"));
    value("version: a#b\n", &["version"], Some("a#b"));
    value(
        "version: \"1\\.2\"\n",
        &["version"],
        Some("<unsupported: the string `1\\.2` has an escape; write the version without one>"),
    );
    value(
        "version: 1.2.3\n  continued\n",
        &["version"],
        Some("<unsupported: the value goes on over the next lines>"),
    );
    value("version: |\n  1.2.3\nname: x\n", &["name"], Some("x"));
    value(
        "version: >-\n  1.2.3\n",
        &["version"],
        Some("<unsupported: a block scalar>"),
    );
    value(
        "version: !!str 1.2.3\n",
        &["version"],
        Some("<unsupported: a tagged value (`!…`)>"),
    );
}

#[test]
fn nesting_and_skipping() {
    let lock = "packages:\n  foo:\n    source: path\n    version: \"1.0.0\"\n  bar:\n    version: 2.0.0\nsdks:\n  dart: \">=3.0.0\"\n";
    value(lock, &["packages", "foo", "version"], Some("1.0.0"));
    value(lock, &["packages", "bar", "version"], Some("2.0.0"));
    value(lock, &["sdks", "dart"], Some(">=3.0.0"));
    value(lock, &["version"], None);
    // A flow collection across lines, a sequence, a multi-line string: not read, and what
    // follows them is.
    let chart = "deps: [a,\n  b,\nversion: 9]\nlist:\n- version: 8\n  name: x\nmsg: \"a\nversion: 7\"\n---x: 1\nversion: 1.0.0\n";
    value(chart, &["version"], Some("1.0.0"));
    value(chart, &["deps"], Some("<unsupported: a flow collection>"));
    value("---\nversion: 1\n", &["version"], Some("1"));
    value("%YAML 1.2\n---\nversion: 1\n...\n", &["version"], Some("1"));
}

#[test]
fn refusals() {
    assert_refused(
        read,
        "a: 1\n---\nb: 2\n",
        "a second YAML document in the file",
        "2:1",
    );
    assert_refused(
        read,
        "a: 1\n...\nb: 2\n",
        "content after the end of the YAML document (`...`)",
        "3:1",
    );
    assert_refused(read, "base: &b 1\n", "a YAML anchor (`&…`)", "1:7");
    assert_refused(read, "version: *v\n", "a YAML alias (`*…`)", "1:10");
    assert_refused(read, "x:\n  - *v\n", "a YAML alias (`*…`)", "2:5");
    assert_refused(read, "x: [1, *v]\n", "a YAML alias (`*…`)", "1:8");
    assert_refused(read, "a:\n  <<: {b: 1}\n", "a YAML merge key (`<<`)", "2:3");
    assert_refused(
        read,
        "{version: 1.0.0}\n",
        "the document is a flow collection (`{…}` or `[…]`)",
        "1:1",
    );
    assert_refused(read, "a:\n\tb: 1\n", "a tab in the indentation", "2:1");
    // `&` and `*` inside a value are text, not anchors.
    value(
        "description: Tom & Jerry *x\n",
        &["description"],
        Some("Tom & Jerry *x"),
    );
}

/// Non-ASCII text next to every position the scan computes from bytes: read without a panic,
/// values spelled by their bytes.
#[test]
fn non_ascii_no_panic() {
    value("name: 日本\nversion: 1.0.0\n", &["name"], Some("日本"));
    value("\"é\": \"日本\" # é\n", &["é"], Some("日本"));
    value("clé: 'é' # é\n", &["clé"], Some("é"));
    value("- é\nversion: 1.0.0 #日本\n", &["version"], Some("1.0.0"));
    for input in [
        "é: \"\\é\n",
        "é: \"\\",
        "x: \"日本\n  本\" é: [é]\n",
        "x: [é, \"é\n é\", 'é'] # é\n",
        "---é\n",
        "...é\n",
        "-é\n",
        "- é: {é: 日本}\n",
        "\"é\\\":é\n",
        "'é'':é'\n",
        "é #é: x\n",
        "x: 1.0\n  é\n",
        "x:\té\ty: &é\n",
    ] {
        let _ = parse(input);
    }
}
