//! Generated POMs: `read` finds exactly the generated versions, and `rewrite` changes only
//! their bytes, whatever surrounds them (comments, CDATA, attributes, CRLF, tabs, a BOM,
//! nested profiles, no final newline); decoys on external artifacts are found as their own
//! requirements and never touched by an edit of another field.

use std::fmt::Write as _;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::read;
use crate::kind::FileKind;
use crate::reading::{Field, FieldKind};
use crate::rewrite::rewrite;
use crate::testing::assert_only_edited;

const ARTIFACTS: [&str; 4] = [
    "org.acme:sdk-core",
    "org.acme:sdk-client",
    "org.other:decoy",
    "com.x:y",
];
const VERSIONS: [&str; 4] = ["1.6.0", "1.6.0-SNAPSHOT", "2.0.0-rc.1", "0.1"];
const NOISE: [&str; 5] = [
    "<!-- a comment with <version>9.9.9</version> -->",
    "<description><![CDATA[<version>9.9.9</version>]]></description>",
    "<name attr=\"v\" other='w'>SDK &amp; friends</name>",
    "<url/>",
    "",
];

#[derive(Debug, Clone)]
struct Dep {
    artifact: &'static str,
    version: &'static str,
    profile: Option<u8>,
}

fn dependency(out: &mut String, dep: &Dep, eol: &str, indent: &str) {
    let (g, a) = dep.artifact.split_once(':').unwrap();
    let _ = write!(
        out,
        "{indent}<dependency>{eol}{indent}{indent}<groupId>{g}</groupId>{eol}{indent}{indent}<artifactId>{a}</artifactId>{eol}{indent}{indent}<version>{}</version>{eol}{indent}</dependency>{eol}",
        dep.version
    );
}

#[allow(clippy::fn_params_excessive_bools)] // the layout switches the generator draws
fn document(
    version: &str,
    deps: &[Dep],
    noise: &[&str],
    crlf: bool,
    tabs: bool,
    bom: bool,
    final_newline: bool,
) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    let indent = if tabs { "\t" } else { "  " };
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    let _ = write!(out, "<?xml version=\"1.0\"?>{eol}<project xmlns=\"http://maven.apache.org/POM/4.0.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">{eol}");
    let _ = write!(
        out,
        "{indent}<groupId>org.acme</groupId>{eol}{indent}<artifactId>sdk</artifactId>{eol}"
    );
    for n in noise {
        let _ = write!(out, "{indent}{n}{eol}");
    }
    let _ = write!(
        out,
        "{indent}<version>{version}</version>{eol}{indent}<dependencies>{eol}"
    );
    for dep in deps.iter().filter(|d| d.profile.is_none()) {
        dependency(&mut out, dep, eol, indent);
    }
    let _ = write!(out, "{indent}</dependencies>{eol}{indent}<profiles>{eol}");
    for profile in 0..3u8 {
        let _ = write!(out, "{indent}<profile><id>p{profile}</id><activation><activeByDefault>false</activeByDefault></activation>{eol}<dependencies>{eol}");
        for dep in deps.iter().filter(|d| d.profile == Some(profile)) {
            dependency(&mut out, dep, eol, indent);
        }
        let _ = write!(out, "</dependencies></profile>{eol}");
    }
    let _ = write!(out, "{indent}</profiles>{eol}</project>");
    if final_newline {
        out.push_str(eol);
    }
    out
}

fn deps() -> impl Strategy<Value = Vec<Dep>> {
    vec(
        (
            select(ARTIFACTS.to_vec()),
            select(VERSIONS.to_vec()),
            proptest::option::of(0..3u8),
        )
            .prop_map(|(artifact, version, profile)| Dep {
                artifact,
                version,
                profile,
            }),
        0..6,
    )
}

proptest! {
    #[test]
    fn reads_and_rewrites_losslessly(
        version in select(VERSIONS.to_vec()),
        deps in deps(),
        noise in vec(select(NOISE.to_vec()), 0..4),
        crlf: bool, tabs: bool, bom: bool, final_newline: bool,
        new in select(vec!["1.7.0", "1.7.0-SNAPSHOT", "10.0.0-rc.2"]),
        pick in any::<proptest::sample::Index>(),
    ) {
        let text = document(version, &deps, &noise, crlf, tabs, bom, final_newline);
        let reading = read(&text).unwrap();
        prop_assert_eq!(reading.name.as_deref(), Some("org.acme:sdk"));
        // Exactly the generated values, in document order (root deps, then each profile's).
        let mut expected: Vec<(&str, &str)> = vec![("", version)];
        expected.extend(deps.iter().filter(|d| d.profile.is_none()).map(|d| (d.artifact, d.version)));
        for p in 0..3 {
            expected.extend(deps.iter().filter(|d| d.profile == Some(p)).map(|d| (d.artifact, d.version)));
        }
        let got: Vec<(&str, &str)> = reading.fields.iter().map(|f| (f.package().unwrap_or(""), f.value.as_str())).collect();
        prop_assert_eq!(got, expected);
        for f in &reading.fields {
            prop_assert_eq!(f.span.slice(&text), f.value.as_str());
        }
        // Edit the version and one sibling requirement: only those bytes change, and the
        // decoys stay as they were.
        let siblings: Vec<&Field> = reading.fields.iter().filter(|f| f.package() == Some("org.acme:sdk-core")).collect();
        let mut edits: Vec<(&Field, &str)> = vec![(reading.field(&FieldKind::Version).unwrap(), new)];
        if !siblings.is_empty() {
            edits.push((siblings[pick.index(siblings.len())], new));
        }
        let out = rewrite(FileKind::MavenPom, &text, &edits).unwrap();
        let spans: Vec<_> = edits.iter().map(|(f, v)| (f.span, *v)).collect();
        assert_only_edited(&text, &out, &spans);
        let again = read(&out).unwrap();
        for (before, after) in reading.fields.iter().zip(&again.fields) {
            if before.package() == Some("org.other:decoy") || before.package() == Some("com.x:y") {
                prop_assert_eq!(&before.value, &after.value);
            }
        }
    }
}
