use std::cmp::Ordering;
use std::str::FromStr;

use proptest::prelude::*;

use super::*;

fn v(s: &str) -> Version {
    Version::parse(s, &custom()).unwrap()
}

fn custom() -> Labels {
    Labels::with_custom([("pre".to_string(), Stage::Rc)]).unwrap()
}

#[track_caller]
fn bump_case(current: &str, level: &str, pre: Option<&str>, expected: &str) {
    let got = bump(&v(current), &level.parse().unwrap(), pre, &custom()).unwrap();
    assert_eq!(
        got.to_string(),
        expected,
        "bump {level} {pre:?} on {current}"
    );
}

#[test]
fn bumps() {
    // stable → release levels
    bump_case("1.4.2", "major", None, "2.0.0");
    bump_case("1.4.2", "minor", None, "1.5.0");
    bump_case("1.4.2", "patch", None, "1.4.3");
    // pre-release → release levels drop the pre-release when lower parts are zero
    bump_case("1.5.0-beta.2", "patch", None, "1.5.0");
    bump_case("1.5.0-rc.1", "minor", None, "1.5.0");
    bump_case("1.5.1-rc.1", "minor", None, "1.6.0");
    bump_case("2.0.0-alpha.1", "major", None, "2.0.0");
    bump_case("2.1.0-alpha.1", "major", None, "3.0.0");
    // stable → pre
    bump_case("1.4.2", "minor", Some("beta"), "1.5.0-beta.1");
    bump_case("1.4.2", "major", Some("rc"), "2.0.0-rc.1");
    bump_case("1.4.2", "patch", Some("alpha"), "1.4.3-alpha.1");
    bump_case("1.4.2", "dev", None, "1.4.3-dev.1");
    bump_case("1.4.2", "alpha", None, "1.4.3-alpha.1");
    bump_case("1.4.2", "rc", None, "1.4.3-rc.1");
    // pre → pre, same label and higher label
    bump_case("1.5.0-beta.1", "beta", None, "1.5.0-beta.2");
    bump_case("1.5.0-alpha.3", "beta", None, "1.5.0-beta.1");
    bump_case("1.5.0-beta.3", "rc", None, "1.5.0-rc.1");
    bump_case("1.5.0-beta.3", "pre", None, "1.5.0-beta.4");
    bump_case("0.8.0-pre.7", "pre", None, "0.8.0-pre.8");
    bump_case("2.60.0-dev", "pre", None, "2.60.0-dev.1");
    bump_case("2.60.0-dev", "dev", None, "2.60.0-dev.1");
    // pre → release
    bump_case("1.5.0-rc.3", "release", None, "1.5.0");
    // any SemVer: a bare label counts from 0, build metadata is dropped
    bump_case("0.3.0-alpha", "alpha", None, "0.3.0-alpha.1");
    bump_case("0.1.0+dev", "patch", None, "0.1.1");
    bump_case("1.0.0-0", "release", None, "1.0.0");
    // past NuGet's int32 is the NuGet rule's to refuse, not the bump's
    bump_case("1.0.0-rc.2147483647", "pre", None, "1.0.0-rc.2147483648");
    // explicit
    bump_case("1.4.2", "1.5.0-rc.1", None, "1.5.0-rc.1");
    bump_case("1.4.2", "v2.0.0", None, "2.0.0");
}

#[track_caller]
fn bump_refused(current: &str, level: &str, pre: Option<&str>, message: &str) {
    let err = bump(&v(current), &level.parse().unwrap(), pre, &custom()).unwrap_err();
    assert!(err.to_string().contains(message), "{err}");
    assert!(err.help().is_some());
}

#[test]
fn bump_refusals() {
    bump_refused("1.4.2", "pre", None, "is a release");
    bump_refused("1.4.2", "release", None, "already a release");
    bump_refused("1.0.0-0", "pre", None, "has none");
    bump_refused(
        "1.0.0-rc.18446744073709551615",
        "pre",
        None,
        "largest there is",
    );
    bump_refused("1.4.2", "beta", Some("rc"), "`--pre rc` goes with");
    bump_refused(
        "1.4.2",
        "minor",
        Some("nightly"),
        "not a known pre-release label",
    );
}

#[track_caller]
fn forward(from: &str, to: &str, ecosystems: &[Ecosystem]) -> Result<(), VersionError> {
    let spelling = Spelling {
        labels: custom(),
        ..Spelling::default()
    };
    let labels = custom();
    check_forward(
        &Version::parse(from, &labels).unwrap(),
        &Version::parse(to, &labels).unwrap(),
        ecosystems,
        &spelling,
    )
}

/// The ecosystems of the manifest kinds (Cargo, npm, .NET, Python).
const ALL: &[Ecosystem] = &[
    Ecosystem::Cargo,
    Ecosystem::Npm,
    Ecosystem::NuGet,
    Ecosystem::Assembly,
    Ecosystem::Pep440,
];

#[test]
fn monotonic_rule() {
    let cargo_only = &[Ecosystem::Cargo, Ecosystem::Npm];
    forward("1.4.0", "1.5.0-beta.1", ALL).unwrap();
    forward("1.5.0-dev.3", "1.5.0-rc.1", ALL).unwrap();
    forward("1.5.0-dev.3", "1.5.0", ALL).unwrap();
    forward("1.5.0-beta.1", "1.5.0", ALL).unwrap();
    // forward in SemVer, backward in PEP 440
    let err = forward("1.5.0-beta.1", "1.5.0-dev.1", ALL).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("does not move forward in PEP 440"), "{msg}");
    assert!(
        msg.contains("SemVer:         1.5.0-beta.1 < 1.5.0-dev.1  (forward)"),
        "{msg}"
    );
    assert!(
        msg.contains("PEP 440:        1.5.0b1 > 1.5.0.dev1  (backward)"),
        "{msg}"
    );
    // without Python in the group, SemVer alone decides
    forward("1.5.0-beta.1", "1.5.0-dev.1", cargo_only).unwrap();
    // forward in PEP 440, backward in SemVer
    let err = forward("1.5.0-dev.3", "1.5.0-alpha.1", ALL).unwrap_err();
    assert!(
        err.to_string().contains("does not move forward in SemVer"),
        "{err}"
    );
    // explicit version lower than current
    let err = forward("1.5.0", "1.4.9", ALL).unwrap_err();
    assert!(err.to_string().contains("SemVer and PEP 440"), "{err}");
    // the same version is not forward
    forward("1.5.0", "1.5.0", ALL).unwrap_err();
    // two labels on one stage for one X.Y.Z: pre.7 → rc.1 is rc7 → rc1 in PEP 440
    let err = forward("0.8.0-pre.7", "0.8.0-rc.1", ALL).unwrap_err();
    assert!(err.to_string().contains("0.8.0rc7 > 0.8.0rc1"), "{err}");
    // a part AssemblyVersion cannot hold
    let err = forward("1.0.0", "70000.0.0", ALL).unwrap_err();
    assert!(err.to_string().contains("AssemblyVersion"), "{err}");
    forward("1.0.0", "70000.0.0", cargo_only).unwrap();
}

/// `input` parses (any SemVer does) and is refused in `eco` with `message`; Cargo spells it.
#[track_caller]
fn refused(input: &str, eco: Ecosystem, message: &str) {
    let s = Spelling {
        labels: custom(),
        ..Spelling::default()
    };
    let version = Version::parse(input, &s.labels).unwrap();
    assert_eq!(s.render(&version, Ecosystem::Cargo).unwrap(), input);
    let err = s.render(&version, eco).unwrap_err();
    assert!(err.to_string().contains(message), "{input} in {eco}: {err}");
}

#[track_caller]
fn unreadable(input: &str, message: &str) {
    let err = Version::parse(input, &custom()).unwrap_err();
    assert!(err.to_string().contains(message), "{input}: {err}");
}

#[test]
fn refusal_rules() {
    use Ecosystem::{Maven, Npm, NuGet, Pep440, RubyGems};
    refused("1.5.0+Build-7", Pep440, "local version `+build.7`");
    refused("1.5.0+build.7", Npm, "drops the build metadata");
    refused("1.5.0+build.7", Maven, "build metadata");
    refused("1.5.0-1", Pep440, "post-release");
    refused("1.0.0-0", Pep440, "post-release");
    refused("1.0.0-0", RubyGems, "label with a number");
    refused("1.5.0-rc1x.1", RubyGems, "segments of their own");
    refused("1.5.0-pre-2.1", RubyGems, "segments of their own");
    refused("1.5.0-post.1", Pep440, "post-release");
    refused("1.5.0-rev.2", Pep440, "post-release");
    refused(
        "1.5.0-beta.1.dev.2",
        Pep440,
        "more than one pre-release part",
    );
    refused("1.5.0-alpha", Pep440, "has no number");
    refused("0.3.0-alpha", Pep440, "has no number");
    refused("1.5.0-Beta.1", Pep440, "not lowercase");
    refused("1.5.0-Beta.1", NuGet, "ignoring case");
    refused("1.5.0-nightly.1", Pep440, "not a known pre-release label");
    refused("1.5.0-nightly.1", Maven, "after the release");
    refused("1.5.0-beta.x", Pep440, "more than one pre-release part");
    refused("1.5.0-beta.2147483648", NuGet, "2,147,483,647");
    refused("2147483648.0.0", NuGet, "2,147,483,647");
    refused("1.0.0-rc.9007199254740992", Npm, "MAX_SAFE_INTEGER");
    unreadable("01.5.0", "not a valid version");
    unreadable("1.5", "not a valid version");
    unreadable("1.0.0-", "not a valid version");
    // accepted forms
    assert_eq!(v("2.60.0-dev").pre.unwrap().number, None);
    assert_eq!(v("0.1.0+dev").to_string(), "0.1.0+dev");
    for ok in ["1.5.0-nightly.1", "0.1.0+dev", "1.0.0-0", "0.3.0-alpha"] {
        let s = Spelling::default();
        let version = Version::parse(ok, &s.labels).unwrap();
        assert_eq!(s.render(&version, Ecosystem::Cargo).unwrap(), ok);
        if ok != "0.1.0+dev" {
            assert_eq!(s.render(&version, Npm).unwrap(), ok);
        }
    }
    assert_eq!(
        v("1.5.0-beta.2147483647").to_string(),
        "1.5.0-beta.2147483647"
    );
}

#[test]
fn custom_labels() {
    assert!(matches!(
        Labels::with_custom([("beta".to_string(), Stage::Rc)]),
        Err(LabelError::Builtin { .. })
    ));
    assert!(matches!(
        Labels::with_custom([("Pre".to_string(), Stage::Rc)]),
        Err(LabelError::Spelling { .. })
    ));
    assert!(matches!(
        Labels::with_custom([("post".to_string(), Stage::Rc)]),
        Err(LabelError::Post { .. })
    ));
    // A built-in label named with its own stage is accepted (the policy accepts it too).
    assert!(Labels::with_custom([("alpha".to_string(), Stage::Alpha)]).is_ok());
    refused("0.8.0-preview.1", Ecosystem::Pep440, "not a known");
}

#[track_caller]
fn spell(canonical: &str, pep440: &str, assembly: &str) {
    let s = Spelling {
        labels: custom(),
        ..Spelling::default()
    };
    let version = Version::parse(canonical, &s.labels).unwrap();
    assert_eq!(s.render(&version, Ecosystem::Cargo).unwrap(), canonical);
    assert_eq!(s.render(&version, Ecosystem::Npm).unwrap(), canonical);
    assert_eq!(s.render(&version, Ecosystem::NuGet).unwrap(), canonical);
    assert_eq!(s.render(&version, Ecosystem::Pep440).unwrap(), pep440);
    assert_eq!(s.render(&version, Ecosystem::Assembly).unwrap(), assembly);
}

#[test]
fn translation_table() {
    spell("1.5.0", "1.5.0", "1.5.0.0");
    spell("1.5.0-alpha.2", "1.5.0a2", "1.5.0.0");
    spell("1.5.0-beta.1", "1.5.0b1", "1.5.0.0");
    spell("1.5.0-rc.3", "1.5.0rc3", "1.5.0.0");
    spell("1.5.0-dev.4", "1.5.0.dev4", "1.5.0.0");
    spell("2.60.0-dev", "2.60.0.dev0", "2.60.0.0");
    spell("0.8.0-pre.7", "0.8.0rc7", "0.8.0.0");
}

#[test]
fn assembly_templates() {
    let s = Spelling::default();
    let version = v("1.5.3-beta.1");
    assert_eq!(
        s.assembly(&version, "{{major}}.{{minor}}.0.0").unwrap(),
        "1.5.0.0"
    );
    assert_eq!(s.assembly(&version, "{{major}}.0.0.0").unwrap(), "1.0.0.0");
    assert!(matches!(
        s.assembly(&version, "{{major}}.x"),
        Err(VersionError::Template { .. })
    ));
    assert!(s
        .assembly(&v("1.65535.0"), "{{major}}.{{minor}}.0.0")
        .is_err());
}

#[track_caller]
fn reads(eco: Ecosystem, found: &str, canonical: &str) {
    let s = Spelling::default();
    assert_eq!(
        s.read(found, eco).unwrap().to_string(),
        canonical,
        "{found}"
    );
}

#[test]
fn reading_spellings_back() {
    reads(Ecosystem::Pep440, "1.5.0rc2", "1.5.0-rc.2");
    reads(Ecosystem::Pep440, "1.5.0-rc.2", "1.5.0-rc.2");
    reads(Ecosystem::Pep440, "1.5.0.rc2", "1.5.0-rc.2");
    reads(Ecosystem::Pep440, "1.5.0c2", "1.5.0-rc.2");
    reads(Ecosystem::Pep440, "1.5.0.dev4", "1.5.0-dev.4");
    reads(Ecosystem::Pep440, "1.5", "1.5.0");
    reads(Ecosystem::Assembly, "1.5.0.0", "1.5.0");
    reads(Ecosystem::NuGet, "1.5.0-BETA.1", "1.5.0-beta.1");
    reads(Ecosystem::NuGet, "1.5", "1.5.0");
    reads(Ecosystem::Cargo, "1.5.0-beta.1", "1.5.0-beta.1");
    let s = Spelling::default();
    assert!(s.read("1.5.0.post1", Ecosystem::Pep440).is_err());
    assert!(s.read("1!1.5.0", Ecosystem::Pep440).is_err());
    assert!(s.read("1.5.0b1.dev2", Ecosystem::Pep440).is_err());
}

#[track_caller]
fn compare(eco: Ecosystem, expected: &str, found: &str, result: &Comparison) {
    let s = Spelling::default();
    assert_eq!(&s.compare(&v(expected), found, eco), result, "{found}");
}

#[test]
fn comparing_by_meaning() {
    use Comparison::{Different, Equivalent, Same};
    compare(Ecosystem::Pep440, "1.5.0-rc.2", "1.5.0rc2", &Same);
    compare(Ecosystem::Pep440, "1.5.0-rc.2", "1.5.0-rc.2", &Equivalent);
    compare(Ecosystem::Pep440, "1.5.0-rc.2", "1.5.0.RC2", &Equivalent);
    compare(Ecosystem::Pep440, "1.5.0-rc.2", "1.5.0rc3", &Different);
    compare(Ecosystem::Cargo, "1.5.0", "1.4.0", &Different);
    compare(
        Ecosystem::NuGet,
        "1.5.0-beta.1",
        "1.5.0-BETA.1",
        &Equivalent,
    );
    compare(Ecosystem::NuGet, "1.5.0", "1.5.0.0", &Equivalent);
    compare(Ecosystem::Assembly, "1.5.0-beta.1", "1.5.0.0", &Same);
    compare(Ecosystem::Assembly, "1.5.0", "1.5", &Equivalent);
    compare(Ecosystem::Assembly, "1.5.0", "1.4.0.0", &Different);
    assert!(matches!(
        Spelling::default().compare(&v("1.5.0"), "banana", Ecosystem::Cargo),
        Comparison::Invalid(_)
    ));
}

/// One canonical version in every format of a text pattern: `semver`, `pep440`, `nuget`,
/// `assembly`, `rubygems`, `maven` (`None`: the format cannot spell it).
type FormatRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const FORMATS: &[FormatRow] = &[
    (
        "1.5.0",
        "1.5.0",
        "1.5.0",
        "1.5.0",
        "1.5.0.0",
        "1.5.0",
        Some("1.5.0"),
    ),
    (
        "1.5.0-alpha.2",
        "1.5.0-alpha.2",
        "1.5.0a2",
        "1.5.0-alpha.2",
        "1.5.0.0",
        "1.5.0.alpha.2",
        Some("1.5.0-alpha.2"),
    ),
    (
        "1.5.0-beta.1",
        "1.5.0-beta.1",
        "1.5.0b1",
        "1.5.0-beta.1",
        "1.5.0.0",
        "1.5.0.beta.1",
        Some("1.5.0-beta.1"),
    ),
    (
        "1.5.0-rc.3",
        "1.5.0-rc.3",
        "1.5.0rc3",
        "1.5.0-rc.3",
        "1.5.0.0",
        "1.5.0.rc.3",
        Some("1.5.0-rc.3"),
    ),
    (
        "1.5.0-dev.4",
        "1.5.0-dev.4",
        "1.5.0.dev4",
        "1.5.0-dev.4",
        "1.5.0.0",
        "1.5.0.dev.4",
        Some("1.5.0-SNAPSHOT"),
    ),
    (
        "2.60.0-dev",
        "2.60.0-dev",
        "2.60.0.dev0",
        "2.60.0-dev",
        "2.60.0.0",
        "2.60.0.dev",
        Some("2.60.0-SNAPSHOT"),
    ),
    (
        "0.8.0-pre.7",
        "0.8.0-pre.7",
        "0.8.0rc7",
        "0.8.0-pre.7",
        "0.8.0.0",
        "0.8.0.pre.7",
        None,
    ),
];

const FORMAT_ECOSYSTEMS: [(&str, Ecosystem); 6] = [
    ("semver", Ecosystem::Cargo),
    ("pep440", Ecosystem::Pep440),
    ("nuget", Ecosystem::NuGet),
    ("assembly", Ecosystem::Assembly),
    ("rubygems", Ecosystem::RubyGems),
    ("maven", Ecosystem::Maven),
];

fn row_spellings(row: &FormatRow) -> [Option<&'static str>; 6] {
    let (_, semver, pep440, nuget, assembly, rubygems, maven) = *row;
    [
        Some(semver),
        Some(pep440),
        Some(nuget),
        Some(assembly),
        Some(rubygems),
        maven,
    ]
}

/// Every format renders the table's spelling, reads it back to the canonical version (the
/// numeric `assembly` keeps only `X.Y.Z`), and compares it with the version as the same.
#[test]
fn formats_render_and_read_back() {
    let s = Spelling {
        labels: custom(),
        ..Spelling::default()
    };
    for row in FORMATS {
        let canonical = v(row.0);
        for ((format, eco), spelled) in FORMAT_ECOSYSTEMS.iter().zip(row_spellings(row)) {
            let rendered = s.render(&canonical, *eco);
            let Some(spelled) = spelled else {
                let err = rendered.unwrap_err();
                assert!(
                    err.to_string().contains("after the release"),
                    "{format} {}: {err}",
                    row.0
                );
                continue;
            };
            assert_eq!(rendered.unwrap(), spelled, "{format} {}", row.0);
            let back = s.read(spelled, *eco).unwrap();
            // reading back gives a version with the same spelling …
            assert_eq!(
                s.render(&back, *eco).unwrap(),
                spelled,
                "{format} {spelled}"
            );
            // … which is the canonical version itself, except where the format drops
            // information: `assembly` keeps `X.Y.Z`, PEP 440 keeps the stage (`rc7` reads as
            // `rc.7`, not `pre.7`) and numbers a bare `dev`, Maven's snapshot is every `dev`.
            match eco {
                Ecosystem::Assembly => assert_eq!(back, canonical.release()),
                Ecosystem::Pep440 => assert_eq!(back.release(), canonical.release()),
                Ecosystem::Maven if spelled.ends_with("-SNAPSHOT") => {
                    assert_eq!(back.to_string(), format!("{}-dev", canonical.release()));
                }
                _ => assert_eq!(back, canonical, "{format} {spelled}"),
            }
            assert_eq!(s.compare(&canonical, spelled, *eco), Comparison::Same);
        }
    }
}

/// Spellings each format accepts as the same version (non-canonical), and ones it reads as
/// another version or not at all.
#[test]
fn formats_compare_by_meaning() {
    use Comparison::{Different, Equivalent};
    let cases: &[(Ecosystem, &str, &str, Comparison)] = &[
        (Ecosystem::RubyGems, "1.5.0-rc.3", "1.5.0.rc3", Equivalent),
        (Ecosystem::RubyGems, "1.5.0", "1.5", Equivalent),
        // `-` is `.pre.` for RubyGems: another version
        (Ecosystem::RubyGems, "1.5.0-rc.3", "1.5.0-rc.3", Different),
        (Ecosystem::RubyGems, "1.5.0-rc.3", "1.5.0.RC.3", Different),
        (Ecosystem::RubyGems, "1.5.0", "1.4.0", Different),
        (Ecosystem::Maven, "1.5.0-rc.3", "1.5.0-RC.3", Equivalent),
        (Ecosystem::Maven, "1.5.0-rc.3", "1.5.0-cr.3", Equivalent),
        (Ecosystem::Maven, "1.5.0", "1.5", Equivalent),
        // `-rc3` is not `-rc.3` for Maven
        (Ecosystem::Maven, "1.5.0-rc.3", "1.5.0-rc3", Different),
        (Ecosystem::Maven, "1.5.0", "1.5.1", Different),
        // every `dev` of a release is its one snapshot
        (
            Ecosystem::Maven,
            "1.5.0-dev.7",
            "1.5.0-snapshot",
            Equivalent,
        ),
        (
            Ecosystem::Maven,
            "1.5.0-dev",
            "1.5.0-SNAPSHOT",
            Comparison::Same,
        ),
        (Ecosystem::Maven, "1.5.0-dev.7", "1.5.1-SNAPSHOT", Different),
        (Ecosystem::Maven, "1.5.0", "1.5.0-SNAPSHOT", Different),
    ];
    for (eco, expected, found, result) in cases {
        assert_eq!(
            &Spelling::default().compare(&v(expected), found, *eco),
            result,
            "{eco} {expected} vs {found}"
        );
    }
    for (eco, found) in [
        (Ecosystem::RubyGems, "banana"),
        (Ecosystem::RubyGems, "1.5.0+build"),
        (Ecosystem::Maven, "banana"),
    ] {
        assert!(
            matches!(
                Spelling::default().compare(&v("1.5.0"), found, eco),
                Comparison::Invalid(_)
            ),
            "{eco} {found}"
        );
    }
    let s = Spelling::default();
    assert!(s.read("1.5.0-rc.3", Ecosystem::RubyGems).is_err());
    assert!(s.read("1.5.0-rc3", Ecosystem::Maven).is_err());
    reads(Ecosystem::RubyGems, "1.5.0.rc3", "1.5.0-rc.3");
    reads(Ecosystem::Maven, "1.5.0-RC.3", "1.5.0-rc.3");
    reads(Ecosystem::Maven, "1.5.0-SNAPSHOT", "1.5.0-dev");
    reads(Ecosystem::Maven, "2.1-snapshot", "2.1.0-dev");
}

/// Each format's own ordering of a release series, as its tool sorts it.
#[test]
fn formats_order_a_release_series() {
    let s = Spelling::default();
    // SemVer, NuGet, RubyGems: labels as text (`beta < dev < rc`); PEP 440: `.dev < a < b < rc`.
    let text_order = [
        "1.4.2",
        "1.5.0-alpha.1",
        "1.5.0-alpha.2",
        "1.5.0-beta.1",
        "1.5.0-dev.1",
        "1.5.0-rc.1",
        "1.5.0-rc.10",
        "1.5.0",
        "1.5.1",
    ];
    let pep440_order = [
        "1.4.2",
        "1.5.0-dev.1",
        "1.5.0-alpha.1",
        "1.5.0-alpha.2",
        "1.5.0-beta.1",
        "1.5.0-rc.1",
        "1.5.0-rc.10",
        "1.5.0",
        "1.5.1",
    ];
    let maven_order = [
        "1.4.2",
        "1.5.0-alpha.1",
        "1.5.0-alpha.2",
        "1.5.0-beta.1",
        "1.5.0-rc.1",
        "1.5.0-rc.10",
        "1.5.0-dev.1",
        "1.5.0",
        "1.5.1",
    ];
    let series: [(Ecosystem, &[&str]); 6] = [
        (Ecosystem::Cargo, &text_order),
        (Ecosystem::NuGet, &text_order),
        (Ecosystem::RubyGems, &text_order),
        (Ecosystem::Pep440, &pep440_order),
        (Ecosystem::Maven, &maven_order),
        (Ecosystem::Assembly, &["1.4.2", "1.5.0-rc.1", "1.5.1"]),
    ];
    for (eco, order) in series {
        for pair in order.windows(2) {
            let (a, b) = (v(pair[0]), v(pair[1]));
            if eco == Ecosystem::Assembly {
                // numeric: only never backward, checked by the rule itself
                check_forward(&a, &b, &[eco], &s).unwrap();
                continue;
            }
            // SemVer is always the first view; the format's own ordering is the last
            let views = orderings(&a, &b, &[eco], &s).unwrap();
            let own = views.last().unwrap();
            assert_eq!(own.order, Ordering::Less, "{eco}: {a} → {b}: {own}");
        }
    }
    // the views name their ordering
    let views = orderings(
        &v("1.5.0-beta.1"),
        &v("1.5.0-rc.1"),
        &[Ecosystem::RubyGems, Ecosystem::Maven],
        &s,
    )
    .unwrap();
    let names: Vec<&str> = views.iter().map(|w| w.ordering).collect();
    assert_eq!(names, ["SemVer", "RubyGems", "Maven"]);
    assert_eq!(views[1].to, "1.5.0.rc.1");
}

/// The monotonic rule with a Maven or RubyGems pattern in the group.
#[test]
fn formats_in_the_monotonic_rule() {
    let maven = &[Ecosystem::Cargo, Ecosystem::Maven];
    forward("1.4.2", "1.5.0-rc.1", maven).unwrap();
    forward("1.5.0-beta.2", "1.5.0-rc.1", maven).unwrap();
    // a `dev` is Maven's snapshot: after every `rc`, before the release, and one snapshot
    // for every `dev.N` of a release
    forward("1.4.2", "1.4.3-dev.1", maven).unwrap();
    forward("1.4.3-dev.1", "1.4.3-dev.2", maven).unwrap();
    forward("1.4.3-dev.2", "1.4.3", maven).unwrap();
    forward("1.4.3-dev.2", "1.4.4-dev.1", maven).unwrap();
    // SemVer says `dev < rc`, Maven `rc < SNAPSHOT`: both ways are refused
    let err = forward("1.4.3-dev.2", "1.4.3-rc.1", maven).unwrap_err();
    assert!(err.to_string().contains("in Maven"), "{err}");
    assert!(
        err.to_string().contains("1.4.3-SNAPSHOT > 1.4.3-rc.1"),
        "{err}"
    );
    forward("1.4.3-rc.1", "1.4.3-dev.1", maven).unwrap_err();
    // a custom label cannot be spelled for Maven: the release would sort before it
    let err = forward("0.8.0", "0.8.1-pre.1", maven).unwrap_err();
    assert!(
        matches!(
            &err,
            VersionError::NotExpressible {
                ecosystem: "Maven",
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("after the release `0.8.1`"),
        "{err}"
    );
    // RubyGems orders labels as text, like SemVer
    let gems = &[Ecosystem::Cargo, Ecosystem::RubyGems];
    forward("1.5.0-beta.1", "1.5.0-dev.1", gems).unwrap();
    forward("1.5.0-dev.3", "1.5.0", gems).unwrap();
    let err = forward("1.5.0-rc.1", "1.5.0-beta.1", gems).unwrap_err();
    assert!(err.to_string().contains("SemVer and RubyGems"), "{err}");
    // CocoaPods orders as RubyGems does, where a letter run sorts before a number (the
    // reverse of SemVer); and it has no build metadata
    let pods = &[Ecosystem::Cargo, Ecosystem::CocoaPods];
    forward("1.4.2", "1.5.0-beta.1", pods).unwrap();
    forward("1.5.0-beta.2", "1.5.0-beta.10", pods).unwrap();
    let err = forward("1.5.0-alpha.1", "1.5.0-alpha.beta", pods).unwrap_err();
    assert!(err.to_string().contains("CocoaPods"), "{err}");
    let err = forward("1.5.0", "1.5.1+build.1", pods).unwrap_err();
    assert!(err.to_string().contains("build metadata"), "{err}");
    // with Python too, both orderings must agree
    let all = &[Ecosystem::Cargo, Ecosystem::RubyGems, Ecosystem::Pep440];
    let err = forward("1.5.0-beta.1", "1.5.0-dev.1", all).unwrap_err();
    assert!(err.to_string().contains("PEP 440"), "{err}");
}

fn label() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("alpha"), Just("beta"), Just("rc"), Just("dev")]
}

/// Every canonical form: releases, numbered pre-releases, a bare `dev`.
fn version() -> impl Strategy<Value = Version> {
    let release = (0u64..4, 0u64..4, 0u64..4);
    let pre = prop_oneof![
        2 => Just(None),
        5 => (label(), 0u64..4).prop_map(|(l, n)| Some(Pre::new(l, n))),
        1 => Just(Some(Pre { label: "dev".to_string(), number: None })),
    ];
    (release, pre).prop_map(|((major, minor, patch), pre)| Version {
        build: None,
        major,
        minor,
        patch,
        pre,
    })
}

proptest! {
    #[test]
    fn pep440_rendering_round_trips(version in version()) {
        let s = Spelling::default();
        let text = s.pep440(&version).unwrap();
        let parsed = pep440_rs::Version::from_str(&text).unwrap();
        // the rendering is already PEP 440's normal form, except the bare `dev` → `dev0`
        prop_assert_eq!(parsed.to_string(), text.clone());
        let back = s.read(&text, Ecosystem::Pep440).unwrap();
        let mut expected = version.clone();
        if let Some(p) = &mut expected.pre { p.number = Some(p.n()); }
        prop_assert_eq!(back, expected);
        // canonical text round-trips through the parser
        prop_assert_eq!(Version::from_str(&version.to_string()).unwrap(), version);
    }

    #[test]
    fn monotonic_rule_is_both_orderings(a in version(), b in version()) {
        let s = Spelling::default();
        let semver = a.to_semver().cmp_precedence(&b.to_semver());
        let pep = pep440_rs::Version::from_str(&s.pep440(&a).unwrap()).unwrap()
            .cmp(&pep440_rs::Version::from_str(&s.pep440(&b).unwrap()).unwrap());
        let allowed = check_forward(&a, &b, &[Ecosystem::Cargo, Ecosystem::Pep440], &s).is_ok();
        prop_assert_eq!(allowed, semver == Ordering::Less && pep == Ordering::Less);
    }

    #[test]
    fn bumps_that_pass_the_rule_move_forward(a in version(), level in prop_oneof![
        Just("major"), Just("minor"), Just("patch"), Just("alpha"), Just("beta"), Just("rc"),
        Just("dev"), Just("pre"), Just("release")]) {
        let s = Spelling::default();
        if let Ok(b) = bump(&a, &level.parse().unwrap(), None, &s.labels) {
            if check_forward(&a, &b, &Ecosystem::ALL, &s).is_ok() {
                prop_assert!(a.to_semver() < b.to_semver());
            }
        }
    }
}

#[test]
fn a_bump_past_the_largest_part_is_refused() {
    let labels = Labels::builtin();
    for (current, level) in [
        ("1.0.18446744073709551615", Level::Patch),
        ("1.18446744073709551615.0", Level::Minor),
        ("18446744073709551615.0.0", Level::Major),
        ("1.0.18446744073709551615", Level::Label("beta".to_string())),
    ] {
        let current = Version::parse(current, &labels).unwrap();
        let err = bump(&current, &level, None, &labels).unwrap_err();
        assert!(
            err.to_string().contains("the largest number"),
            "{current} {level}: {err}"
        );
    }
}
