use policy_schema::VersionFormat;
use proptest::prelude::*;

use super::{read, Pattern, Slot};
use crate::reading::Field;
use crate::rewrite::rewrite_with;
use crate::text::{apply_splices, Position, Splice};

fn pattern(search: &str, format: VersionFormat) -> Pattern {
    Pattern::new(search, format).unwrap()
}

/// `key line:column value` of every match.
fn summary(text: &str, patterns: &[Pattern]) -> Vec<String> {
    let reading = read(text, patterns).unwrap_or_else(|e| panic!("{e}\n{text}"));
    reading
        .fields
        .iter()
        .map(|f| {
            assert_eq!(f.span.slice(text), f.value);
            format!("{} {} {}", f.key, Position::of(text, f.span.start), f.value)
        })
        .collect()
}

#[track_caller]
fn case(search: &str, format: VersionFormat, text: &str, expected: &[&str]) {
    assert_eq!(
        summary(text, &[pattern(search, format)]),
        expected,
        "`{search}` in\n{text}"
    );
}

#[test]
fn matches_per_format() {
    use VersionFormat::{Assembly, Maven, Nuget, Pep440, Rubygems, Semver};
    case(
        "VERSION := {{version}}",
        Semver,
        "NAME := hp\nVERSION := 0.25.0\n",
        &["VERSION := {{version}}[0] 2:12 0.25.0"],
    );
    case(
        "cargo add hp-core@{{version}}",
        Semver,
        "Install:\n\n```sh\ncargo add hp-core@2.3.1-rc.1\n```\n",
        &["cargo add hp-core@{{version}}[0] 4:19 2.3.1-rc.1"],
    );
    case(
        "__version__ = \"{{version}}\"",
        Pep440,
        "__version__ = \"1.5.0rc1\"\n",
        &["__version__ = \"{{version}}\"[0] 1:16 1.5.0rc1"],
    );
    case(
        "pip install hp=={{version}}",
        Pep440,
        "Run `pip install hp==2.3.1.dev4`.",
        &["pip install hp=={{version}}[0] 1:22 2.3.1.dev4"],
    );
    case(
        "Version(\"{{version}}\")",
        Nuget,
        "[assembly: Version(\"1.5.0-beta.1\")]",
        &["Version(\"{{version}}\")[0] 1:21 1.5.0-beta.1"],
    );
    case(
        "AssemblyVersion(\"{{version}}\")",
        Assembly,
        "[assembly: AssemblyVersion(\"1.5.0.0\")]",
        &["AssemblyVersion(\"{{version}}\")[0] 1:29 1.5.0.0"],
    );
    case(
        "project(hp VERSION {{version}}",
        Assembly,
        "project(hp VERSION 2.3.1 LANGUAGES C)\n",
        &["project(hp VERSION {{version}}[0] 1:20 2.3.1"],
    );
    case(
        "VERSION = \"{{version}}\"",
        Rubygems,
        "module Hp\n  VERSION = \"1.5.0.rc.3\"\nend\n",
        &["VERSION = \"{{version}}\"[0] 2:14 1.5.0.rc.3"],
    );
    case(
        "<version>{{version}}</version>",
        Maven,
        "<project>\n  <version>1.5.0-rc.3</version>\n</project>\n",
        &["<version>{{version}}</version>[0] 2:12 1.5.0-rc.3"],
    );
}

/// `{{major}}`, `{{minor}}`, `{{patch}}`: numbers, several per search, with or without
/// `{{version}}`.
#[test]
fn version_parts() {
    use VersionFormat::Semver;
    case(
        "__version_info__ = ({{major}}, {{minor}}, {{patch}})",
        Semver,
        "__version__ = \"0.37.0\"\n__version_info__ = (0, 37, 0)\n",
        &[
            "__version_info__ = ({{major}}, {{minor}}, {{patch}})[0].major 2:21 0",
            "__version_info__ = ({{major}}, {{minor}}, {{patch}})[0].minor 2:24 37",
            "__version_info__ = ({{major}}, {{minor}}, {{patch}})[0].patch 2:28 0",
        ],
    );
    case(
        "#define SDK_VERSION_MAJOR {{major}}",
        Semver,
        "#define SDK_VERSION \"0.37.0\"\n#define SDK_VERSION_MAJOR 0\n#define SDK_VERSION_MINOR 37\n",
        &["#define SDK_VERSION_MAJOR {{major}}[0].major 2:27 0"],
    );
    // with the version: each is a field of the match
    case(
        "v{{version}} ({{major}})",
        Semver,
        "v1.5.0-rc.1 (1) v2.0.0 (x)",
        &[
            "v{{version}} ({{major}})[0] 1:2 1.5.0-rc.1",
            "v{{version}} ({{major}})[0].major 1:14 1",
        ],
    );
    // a number is all its digits; not a number, no match
    case(
        "MAJOR {{major}};",
        Semver,
        "MAJOR 12; MAJOR 1x; MAJOR ;",
        &["MAJOR {{major}};[0].major 1:7 12"],
    );
    // nothing before it: it must not continue a word
    case(
        "{{major}}.x",
        Semver,
        "a1.x 2.x",
        &["{{major}}.x[0].major 1:6 2"],
    );
}

/// A line break in a search matches LF or CRLF and any indentation after it.
#[test]
fn searches_span_lines() {
    use VersionFormat::Maven;
    let search = "<artifactId>sdk-parent</artifactId>\n<version>{{version}}</version>";
    let parent = "<project>\n  <artifactId>sdk-parent</artifactId>\n  <version>1.4.0</version>\n  <dependencies>\n    <artifactId>junit</artifactId>\n    <version>5.10.2</version>\n";
    case(
        search,
        Maven,
        parent,
        &["<artifactId>sdk-parent</artifactId>\\n<version>{{version}}</version>[0] 3:12 1.4.0"],
    );
    let module = "<parent>\r\n\t\t<artifactId>sdk-parent</artifactId>\r\n\t\t<version>1.4.0-SNAPSHOT</version>\r\n</parent>\r\n";
    case(
        search,
        Maven,
        module,
        &["<artifactId>sdk-parent</artifactId>\\n<version>{{version}}</version>[0] 3:12 1.4.0-SNAPSHOT"],
    );
    // the line break must be there
    case(
        search,
        Maven,
        "<artifactId>sdk-parent</artifactId><version>1.4.0</version>",
        &[],
    );
    // after the placeholder too
    case(
        "VERSION {{version}}\nEND",
        VersionFormat::Semver,
        "VERSION 1.0.0\r\n    END\nVERSION 2.0.0 END\n",
        &["VERSION {{version}}\\nEND[0] 1:9 1.0.0"],
    );
}

#[test]
fn what_is_a_match() {
    use VersionFormat::{Assembly, Pep440, Semver};
    // every occurrence, numbered from 0; one that holds no version is not a match
    case(
        "hp@{{version}}",
        Semver,
        "hp@1.0.0 hp@latest hp@v1.0.0 hp@1 hp@2.0.0",
        &[
            "hp@{{version}}[0] 1:4 1.0.0",
            "hp@{{version}}[1] 1:38 2.0.0",
        ],
    );
    // the token stops where the format's characters stop, and never ends with punctuation
    case("hp=={{version}}", Pep440, "", &[]);
    case(
        "hp=={{version}}",
        Pep440,
        "hp==2.3.1.\nhp==2.3.1, hp==2.3.1-",
        &[
            "hp=={{version}}[0] 1:5 2.3.1",
            "hp=={{version}}[1] 2:5 2.3.1",
            "hp=={{version}}[2] 2:16 2.3.1",
        ],
    );
    // a hand-edited token is still a match (the planner reports it), as long as it is
    // version-shaped
    case(
        "VERSION := {{version}}",
        Semver,
        "VERSION := 2.3.1x\nVERSION := 2.3\nVERSION := 2\n",
        &[
            "VERSION := {{version}}[0] 1:12 2.3.1x",
            "VERSION := {{version}}[1] 2:12 2.3",
        ],
    );
    // the text after the placeholder must follow: the longest token that it follows
    case(
        "hp-{{version}}.tar.gz",
        Semver,
        "hp-1.2.3.tar.gz hp-1.2.3-rc.1.tar.gz hp-1.2.3.zip",
        &[
            "hp-{{version}}.tar.gz[0] 1:4 1.2.3",
            "hp-{{version}}.tar.gz[1] 1:20 1.2.3-rc.1",
        ],
    );
    // `assembly` takes digits and dots only
    case(
        "v{{version}}",
        Assembly,
        "v1.2.3.4-beta v1.2",
        &["v{{version}}[0] 1:2 1.2.3.4", "v{{version}}[1] 1:16 1.2"],
    );
    // nothing before the placeholder: a token must not continue a word
    case(
        "{{version}}",
        Semver,
        "x1.2.3 1.2.3 (2.0.0) a-1.0.0",
        &["{{version}}[0] 1:8 1.2.3", "{{version}}[1] 1:15 2.0.0"],
    );
    // multi-line searches, and text around in any script
    case(
        "[versions]\nhp = \"{{version}}\"",
        Semver,
        "é [versions]\nhp = \"1.0.0\"\n[versions]\nother = \"1.0.0\"",
        &["[versions]\\nhp = \"{{version}}\"[0] 2:7 1.0.0"],
    );
    // a BOM before a token at the start of the file does not continue a word
    case(
        "{{version}}",
        Semver,
        "\u{feff}1.0.0\n",
        &["{{version}}[0] 1:1 1.0.0"],
    );
}

#[test]
fn several_patterns_on_one_file() {
    let text = "cargo add hp-core@2.3.1\npip install hp==2.3.1\n";
    let patterns = [
        pattern("cargo add hp-core@{{version}}", VersionFormat::Semver),
        pattern("pip install hp=={{version}}", VersionFormat::Pep440),
    ];
    assert_eq!(
        summary(text, &patterns),
        [
            "cargo add hp-core@{{version}}[0] 1:19 2.3.1",
            "pip install hp=={{version}}[0] 2:17 2.3.1"
        ]
    );
    assert!(patterns[0].owns("cargo add hp-core@{{version}}[0]"));
    assert!(patterns[0].owns("cargo add hp-core@{{version}}[12]"));
    assert!(!patterns[0].owns("pip install hp=={{version}}[0]"));
    assert!(!patterns[0].owns("cargo add hp-core@{{version}}[]"));
    assert!(!patterns[0].owns("cargo add hp-core@{{version}}"));

    // two searches matching one token: refused
    let err = read(
        text,
        &[
            pattern("hp-core@{{version}}", VersionFormat::Semver),
            pattern("{{version}}", VersionFormat::Semver),
        ],
    )
    .unwrap_err();
    assert_eq!(
        err.message,
        "the searches `hp-core@{{version}}` and `{{version}}` both match this version"
    );
    assert_eq!(err.offset, Some(18));
    // one search listed twice for a file: refused
    let twice = pattern("pip install hp=={{version}}", VersionFormat::Pep440);
    let err = read(text, &[twice.clone(), twice]).unwrap_err();
    assert!(err.message.contains("listed twice"), "{}", err.message);
}

#[test]
fn placeholder() {
    let p = pattern("a {{version}} b", VersionFormat::Pep440);
    assert_eq!(
        (p.slots.as_slice(), p.format),
        (&[Slot::Version][..], VersionFormat::Pep440)
    );
    let p = pattern("({{major}}, {{minor}}, {{patch}})", VersionFormat::Semver);
    assert_eq!(p.slots, [Slot::Major, Slot::Minor, Slot::Patch]);
    let p = pattern("{{patch}} of {{version}}", VersionFormat::Semver);
    assert_eq!(p.slots, [Slot::Patch, Slot::Version]);
    assert_eq!(
        p.slot_of("{{patch}} of {{version}}[3].patch"),
        Some(Slot::Patch)
    );
    assert_eq!(
        p.slot_of("{{patch}} of {{version}}[3]"),
        Some(Slot::Version)
    );
    assert_eq!(p.slot_of("{{patch}} of {{version}}[3].major"), None);
    assert_eq!(p.slot_of("{{patch}} of {{version}}[].patch"), None);
    for (bad, message) in [
        ("no placeholder", "exactly once"),
        ("{{pep440}}", "exactly once"),
        ("{{version}} {{version}}", "at most once"),
        ("{{major}}.{{major}}", "at most once"),
        ("{{major}}{{minor}}", "nothing between them"),
    ] {
        let err = Pattern::new(bad, VersionFormat::Semver).unwrap_err();
        assert!(err.message.contains(message), "{bad}: {}", err.message);
        assert!(err.help.is_some());
    }
    let p = pattern("line\n\tx = \"{{version}}\"\r\n", VersionFormat::Semver);
    assert_eq!(p.display(), "line\\n\\tx = \"{{version}}\"\\r\\n");
}

/// The searches of the round-trip property: one per format, none of whose text can be formed
/// by the filler between them.
fn searches() -> Vec<Pattern> {
    vec![
        pattern("VERSION := {{version}}", VersionFormat::Semver),
        pattern("__version__ = \"{{version}}\"", VersionFormat::Pep440),
        pattern("<Version>{{version}}</Version>", VersionFormat::Nuget),
        pattern("AssemblyVersion(\"{{version}}\")", VersionFormat::Assembly),
        pattern("VERSION = '{{version}}'", VersionFormat::Rubygems),
        pattern("<version>{{version}}</version>", VersionFormat::Maven),
    ]
}

/// A version token of `format` (index into [`searches`]), canonical or hand-written.
fn token(format: usize) -> BoxedStrategy<String> {
    let n = || 0u32..30;
    let release = (n(), n(), n()).prop_map(|(a, b, c)| format!("{a}.{b}.{c}"));
    let label = prop_oneof![Just("alpha"), Just("beta"), Just("rc"), Just("dev")];
    let pre = (label, 1u32..12);
    match format {
        1 => (release, prop::option::of(pre))
            .prop_map(|(r, pre)| match pre {
                None => r,
                Some(("dev", n)) => format!("{r}.dev{n}"),
                Some((l, n)) => format!("{r}{}{n}", &l[..1].replace('r', "rc")),
            })
            .boxed(),
        3 => (release, n()).prop_map(|(r, w)| format!("{r}.{w}")).boxed(),
        4 => (release, prop::option::of(pre))
            .prop_map(|(r, pre)| pre.map_or(r.clone(), |(l, n)| format!("{r}.{l}.{n}")))
            .boxed(),
        _ => (release, prop::option::of(pre), prop::bool::ANY)
            .prop_map(|(r, pre, odd)| {
                let t = pre.map_or(r.clone(), |(l, n)| format!("{r}-{l}.{n}"));
                // a hand-edited token: still version-shaped
                if odd {
                    format!("{t}x")
                } else {
                    t
                }
            })
            .boxed(),
    }
}

/// Text between the matches: never forms a search's text (no quotes, `=`, `<`, `(`, `:`),
/// but may continue a token (letters, digits, `.`, `-`).
fn filler() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 .#é\\-\r\n]{0,12}").unwrap()
}

fn chunk() -> impl Strategy<Value = String> {
    (0usize..6, filler()).prop_flat_map(|(index, filler)| {
        let p = &searches()[index];
        let (before, after) = p.search.split_once("{{version}}").unwrap();
        let (before, after) = (before.to_string(), after.to_string());
        // A line break ends the chunk: the filler may continue the token, the next search may
        // not.
        token(index).prop_map(move |t| format!("{before}{t}{after}{filler}\n"))
    })
}

/// One new token per format.
fn new_tokens() -> impl Strategy<Value = Vec<String>> {
    (0..6).map(token).collect::<Vec<_>>()
}

proptest! {
    /// After rewriting matches (every other one), the file reads back with the same keys
    /// holding the new values, and every byte outside the matched tokens is unchanged.
    #[test]
    fn bytes_outside_the_tokens_are_unchanged(
        head in filler(),
        chunks in prop::collection::vec(chunk(), 0..8),
        news in prop::collection::vec(new_tokens(), 8),
    ) {
        let text = format!("{head}{}", chunks.concat());
        let patterns = searches();
        let reading = read(&text, &patterns).unwrap();
        prop_assert_eq!(reading.fields.len(), chunks.len());
        let edits: Vec<(&Field, &str)> = reading
            .fields
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(i, f)| {
                let format = patterns.iter().position(|p| p.owns(&f.key)).unwrap();
                (f, news[i][format].as_str())
            })
            .collect();
        let out = rewrite_with(&text, &edits, |t| read(t, &patterns)).unwrap();
        let again = read(&out, &patterns).unwrap();
        prop_assert_eq!(again.fields.len(), reading.fields.len());
        for (old, new) in reading.fields.iter().zip(&again.fields) {
            prop_assert_eq!(&old.key, &new.key);
            let expected = edits
                .iter()
                .find(|(f, _)| f.key == old.key)
                .map_or(old.value.as_str(), |(_, v)| *v);
            prop_assert_eq!(new.value.as_str(), expected);
        }
        // put the old tokens back where the new ones are: the original text
        let undo = again
            .fields
            .iter()
            .zip(&reading.fields)
            .map(|(new, old)| Splice::new(new.span, old.value.clone()))
            .collect();
        prop_assert_eq!(apply_splices(&out, undo).unwrap(), text);
    }
}
