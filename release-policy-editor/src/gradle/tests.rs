//! The Gradle editors, table-driven, and lossless edits.

use proptest::prelude::*;

use super::{read_build, read_properties};
use crate::kind::FileKind;
use crate::reading::Note;
use crate::rewrite::rewrite;
use crate::testing::{assert_only_edited, assert_refused_at};

/// What a reading says, one line per field or note: `key = value`, `key -> property`,
/// `key unsupported`.
fn summary(text: &str, reading: &crate::reading::Reading) -> Vec<String> {
    let mut out: Vec<String> = reading
        .fields
        .iter()
        .map(|f| {
            assert_eq!(f.span.slice(text), f.value);
            format!("{} = {}", f.key, f.value)
        })
        .collect();
    out.extend(reading.notes.iter().map(|n| match n {
        Note::PropertyReference {
            key,
            property,
            span,
            ..
        } => {
            assert!(span.slice(text).contains(property.as_str()));
            format!("{key} -> {property}")
        }
        Note::Unsupported { key, .. } => format!("{key} unsupported"),
        other => format!("{other:?}"),
    }));
    out
}

#[track_caller]
fn build(text: &str, expected: &[&str]) {
    let reading = read_build(text).unwrap();
    assert_eq!(summary(text, &reading), expected, "{text}");
}

#[track_caller]
fn properties(text: &str, expected: &[&str]) {
    let reading = read_properties(text).unwrap();
    assert_eq!(summary(text, &reading), expected, "{text}");
}

#[test]
fn build_scripts() {
    build("version = \"1.6.1\"\n", &["version = 1.6.1"]);
    build("version '1.6.1'", &["version = 1.6.1"]);
    build(
        "group = 'org.acme'\nversion = '1.6.1' // the SDK\n",
        &["version = 1.6.1"],
    );
    build("version(\"1.6.1\")\n", &["version = 1.6.1"]);
    build(
        "allprojects {\n    version = \"1.6.1\"\n}\n",
        &["allprojects/version = 1.6.1"],
    );
    build("version = sdkVersion\n", &["version -> sdkVersion"]);
    build("version = \"${sdkVersion}\"\n", &["version -> sdkVersion"]);
    build("version = \"$sdkVersion\"\n", &["version -> sdkVersion"]);
    build("version = '$sdkVersion'\n", &["version = $sdkVersion"]);
    build(
        "version = file(\"VERSION\").text.trim()\n",
        &["version unsupported"],
    );
    build(
        "version = \"${major}.${minor}\"\n",
        &["version unsupported"],
    );
    // Not the project's version.
    build("plugins {\n  id 'org.x' version '1.6.1'\n}\n", &[]);
    build(
        "java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\n",
        &[],
    );
    build(
        "// version = '1.0'\n/* version = '2.0' */\ndef s = \"\"\"\nversion = '3.0'\n\"\"\"\n",
        &[],
    );
    build("if (version == '1') { }\n", &[]);
}

#[test]
fn properties_files() {
    properties("# comment\nversion=1.6.1\n", &["version = 1.6.1"]);
    properties(
        "version : 1.6.1  \r\nsdkVersion 1.6.1\n",
        &["version = 1.6.1", "sdkVersion = 1.6.1"],
    );
    properties(
        "  ! note\norg.gradle.jvmargs=-Xmx2g\n",
        &["org.gradle.jvmargs = -Xmx2g"],
    );
    properties(
        "version=1.6.\\\n  1\nafter=2\n",
        &["after = 2", "version unsupported"],
    );
}

#[test]
fn refusals() {
    assert_refused_at(
        read_build,
        "allprojects {\n version = '1'\n",
        1,
        13,
        "never closed",
    );
    assert_refused_at(
        read_build,
        "version = '1\n",
        1,
        11,
        "string is never closed",
    );
    assert_refused_at(read_build, "}\n", 1, 1, "closes no block");
}

proptest! {
    #[test]
    fn gradle_edits_are_lossless(crlf: bool, bom: bool, tabs: bool, groovy: bool, new in "[1-9]\\.[0-9]\\.[0-9](-SNAPSHOT)?") {
        let indent = if tabs { "\t" } else { "    " };
        let quote = if groovy { '\'' } else { '"' };
        let mut script = format!("plugins {{\n{indent}id(\"java\")\n}}\n\ngroup = \"org.acme\"\nversion = {quote}1.6.1{quote} // released by the tool\n/* version = \"0\" */\nallprojects {{\n{indent}version {quote}1.6.1{quote}\n}}");
        let mut props = "# the SDK\norg.gradle.caching=true\nversion = 1.6.1\n".to_string();
        if crlf {
            script = script.replace('\n', "\r\n");
            props = props.replace('\n', "\r\n");
        }
        if bom {
            script.insert(0, '\u{feff}');
            props.insert(0, '\u{feff}');
        }
        for (kind, text) in [(FileKind::GradleBuild, &script), (FileKind::GradleProperties, &props)] {
            let reading = kind.read(text).unwrap();
            let edits: Vec<_> = reading
                .fields
                .iter()
                .filter(|f| f.kind == crate::reading::FieldKind::Version)
                .map(|f| (f, new.as_str()))
                .collect();
            prop_assert!(!edits.is_empty());
            let out = rewrite(kind, text, &edits).unwrap();
            let spans: Vec<_> = edits.iter().map(|(f, v)| (f.span, *v)).collect();
            assert_only_edited(text, &out, &spans);
        }
    }
}
