//! The spellings real projects use: compact pre-releases, the first pre-release number,
//! build metadata as an unreleased marker, Maven snapshots (see also `maven.rs`).

use std::cmp::Ordering;
use std::str::FromStr;

use proptest::prelude::*;

use super::*;

fn v(s: &str) -> Version {
    Version::from_str(s).unwrap()
}

fn compact() -> Spelling {
    Spelling {
        pre: PreSpelling::Compact,
        ..Spelling::default()
    }
}

/// One canonical version as a compact group writes it: Cargo/npm/NuGet, PEP 440, Maven.
#[track_caller]
fn spelled(canonical: &str, semver: &str, pep440: &str, maven: Option<&str>) {
    let s = compact();
    let version = v(canonical);
    for eco in [Ecosystem::Cargo, Ecosystem::Npm, Ecosystem::NuGet] {
        let text = s.render(&version, eco).unwrap();
        assert_eq!(text, semver, "{eco} {canonical}");
        // read back: the same canonical version, and `check` finds it the same
        // (dev 0 is written as the bare `-dev`, and read back so)
        let back = s.read(&text, eco).unwrap();
        let expected = if text.ends_with("-dev") {
            v(&text)
        } else {
            version.clone()
        };
        assert_eq!(back, expected, "{eco} {text}");
        assert_eq!(s.compare(&version, &text, eco), Comparison::Same);
        // the dotted spelling is the same version, spelled another way
        let dotted = Spelling::default().render(&version, eco).unwrap();
        if dotted != text {
            assert_eq!(s.compare(&version, &dotted, eco), Comparison::Equivalent);
            assert_eq!(
                Spelling::default().compare(&version, &text, eco),
                Comparison::Equivalent
            );
        }
    }
    assert_eq!(s.render(&version, Ecosystem::Pep440).unwrap(), pep440);
    assert_eq!(
        s.render(&version, Ecosystem::Maven).ok().as_deref(),
        maven,
        "{canonical}"
    );
}

#[test]
fn compact_pre_releases() {
    spelled("2.5.0-rc.1", "2.5.0-rc1", "2.5.0rc1", Some("2.5.0-rc.1"));
    spelled(
        "2.2.0-beta.1",
        "2.2.0-beta1",
        "2.2.0b1",
        Some("2.2.0-beta.1"),
    );
    spelled(
        "1.5.0-beta.12",
        "1.5.0-beta12",
        "1.5.0b12",
        Some("1.5.0-beta.12"),
    );
    spelled(
        "2.6.0-dev.0",
        "2.6.0-dev",
        "2.6.0.dev0",
        Some("2.6.0-SNAPSHOT"),
    );
    spelled(
        "2.6.0-dev",
        "2.6.0-dev",
        "2.6.0.dev0",
        Some("2.6.0-SNAPSHOT"),
    );
    spelled(
        "2.6.0-dev.3",
        "2.6.0-dev3",
        "2.6.0.dev3",
        Some("2.6.0-SNAPSHOT"),
    );
    spelled(
        "1.1.0-alpha.0",
        "1.1.0-alpha0",
        "1.1.0a0",
        Some("1.1.0-alpha.0"),
    );
    spelled("1.5.0", "1.5.0", "1.5.0", Some("1.5.0"));
    // forms with no compact spelling stay as they are
    assert_eq!(
        compact().render(&v("1.0.0-0"), Ecosystem::Cargo).unwrap(),
        "1.0.0-0"
    );
    assert_eq!(
        compact()
            .render(&v("1.0.0-alpha.x.1"), Ecosystem::Cargo)
            .unwrap(),
        "1.0.0-alpha.x.1"
    );
}

/// Reading accepts both spellings, in every group.
#[test]
fn compact_reads_everywhere() {
    for (text, canonical) in [
        ("2.5.0-rc1", "2.5.0-rc.1"),
        ("2.5.0-rc.1", "2.5.0-rc.1"),
        ("2.2.0-beta10", "2.2.0-beta.10"),
        ("2.6.0-dev", "2.6.0-dev"),
        ("1.0.0-rc01", "1.0.0-rc01"),
        ("1.0.0-x86y", "1.0.0-x86y"),
        ("0.37.0-alpha1+dev", "0.37.0-alpha.1+dev"),
    ] {
        assert_eq!(v(text).to_string(), canonical, "{text}");
    }
    assert_eq!(v("1.0.0-rc01").pre.unwrap().number, None);
}

/// The monotonic rule judges what is written: SemVer orders `rc10` before `rc9`.
#[test]
fn compact_ordering() {
    let s = compact();
    let cargo = [Ecosystem::Cargo];
    let ok = |a: &str, b: &str| check_forward(&v(a), &v(b), &cargo, &s);
    ok("2.5.0-rc.1", "2.5.0-rc.2").unwrap();
    ok("2.5.0-rc.8", "2.5.0-rc.9").unwrap();
    let err = ok("2.5.0-rc.9", "2.5.0-rc.10").unwrap_err();
    assert!(err.to_string().contains("2.5.0-rc9 > 2.5.0-rc10"), "{err}");
    // dotted, SemVer orders the numbers
    check_forward(
        &v("2.5.0-rc.9"),
        &v("2.5.0-rc.10"),
        &cargo,
        &Spelling::default(),
    )
    .unwrap();
    // unpublished SemVer files do not judge: a Python-only published group may go on
    check_forward_published(
        &v("2.5.0-rc.9"),
        &v("2.5.0-rc.10"),
        &[Ecosystem::Cargo, Ecosystem::Pep440],
        &[Ecosystem::Pep440],
        &s,
    )
    .unwrap();
    // the bare dev 0 sorts before dev1
    ok("2.6.0-dev.0", "2.6.0-dev.1").unwrap();
    ok("2.5.0", "2.6.0-dev.0").unwrap();
    ok("2.6.0-dev.0", "2.6.0").unwrap();
}

#[track_caller]
fn starts(labels: &Labels, current: &str, level: &str, pre: Option<&str>, expected: &str) {
    let got = bump(&v(current), &level.parse().unwrap(), pre, labels).unwrap();
    assert_eq!(
        got.to_string(),
        expected,
        "bump {level} {pre:?} on {current}"
    );
}

#[test]
fn pre_release_start() {
    let zero = Labels::builtin().with_start(0, []);
    starts(&zero, "1.0.0", "minor", Some("beta"), "1.1.0-beta.0");
    starts(&zero, "1.1.0-beta.0", "beta", None, "1.1.0-beta.1");
    starts(&zero, "1.1.0-beta.1", "pre", None, "1.1.0-beta.2");
    starts(&zero, "1.1.0-beta.2", "rc", None, "1.1.0-rc.0");
    starts(&zero, "1.0.0", "dev", None, "1.0.1-dev.0");
    let mixed = Labels::builtin().with_start(1, [("dev".to_string(), 0)]);
    starts(&mixed, "2.5.0", "minor", Some("dev"), "2.6.0-dev.0");
    starts(&mixed, "2.6.0-dev.0", "beta", None, "2.6.0-beta.1");
    starts(&mixed, "2.6.0-beta.1", "rc", None, "2.6.0-rc.1");
    assert_eq!(mixed.first("rc"), 1);
    // compact reads dev 0 back bare: a bump to it is the bare `dev`
    let dev0 = bump(&v("2.5.0"), &"minor".parse().unwrap(), Some("dev"), &mixed).unwrap();
    assert_eq!(
        PreSpelling::Compact.normalize(dev0.clone()).to_string(),
        "2.6.0-dev"
    );
    assert_eq!(
        PreSpelling::Dotted.normalize(dev0).to_string(),
        "2.6.0-dev.0"
    );
    assert_eq!(Labels::builtin().first("rc"), DEFAULT_START);
}

/// Build metadata: written by SemVer files and (by default) as a PEP 440 local version,
/// read back from both, and refused where the ecosystem has none.
#[test]
fn build_metadata() {
    let s = Spelling::default();
    let version = v("0.37.0-alpha.1+dev");
    assert_eq!(
        s.render(&version, Ecosystem::Cargo).unwrap(),
        "0.37.0-alpha.1+dev"
    );
    assert_eq!(
        s.render(&version, Ecosystem::NuGet).unwrap(),
        "0.37.0-alpha.1+dev"
    );
    assert_eq!(
        s.render(&version, Ecosystem::Pep440).unwrap(),
        "0.37.0a1+dev"
    );
    assert_eq!(s.read("0.37.0a1+dev", Ecosystem::Pep440).unwrap(), version);
    assert_eq!(s.read("0.37.0a1+DEV", Ecosystem::Pep440).unwrap(), version);
    assert_eq!(
        s.compare(&version, "0.37.0a1+dev", Ecosystem::Pep440),
        Comparison::Same
    );
    assert_eq!(
        s.compare(&version, "0.37.0a1", Ecosystem::Pep440),
        Comparison::Different
    );
    assert_eq!(
        s.compare(&version, "0.37.0-alpha.1+dev", Ecosystem::Cargo),
        Comparison::Same
    );
    for eco in [Ecosystem::Npm, Ecosystem::RubyGems, Ecosystem::Maven] {
        assert!(s.render(&version, eco).is_err(), "{eco}");
    }
    // `pep440-local-version = false`: the PEP 440 files are written without it
    let public = Spelling {
        pep440_local: false,
        ..Spelling::default()
    };
    assert_eq!(
        public.render(&version, Ecosystem::Pep440).unwrap(),
        "0.37.0a1"
    );
    assert_eq!(
        public.compare(&version, "0.37.0a1", Ecosystem::Pep440),
        Comparison::Same
    );
    // compact with build metadata
    assert_eq!(
        compact().render(&version, Ecosystem::Cargo).unwrap(),
        "0.37.0-alpha1+dev"
    );
    // the marker alone does not move a version forward; a bump drops it
    let pep = [Ecosystem::Cargo, Ecosystem::Pep440];
    assert!(check_forward(&v("0.37.0-alpha.1"), &version, &pep, &s).is_err());
    check_forward(&v("0.36.0"), &version, &pep, &s).unwrap();
    check_forward(&version, &v("0.37.0"), &pep, &s).unwrap();
    let labels = Labels::builtin();
    for level in ["release", "pre", "alpha", "minor", "patch"] {
        let next = bump(&version, &level.parse().unwrap(), None, &labels).unwrap();
        assert_eq!(next.build, None, "{level}");
    }
    assert_eq!(version.without_build().to_string(), "0.37.0-alpha.1");
}

fn version() -> impl Strategy<Value = Version> {
    let label = prop_oneof![Just("alpha"), Just("beta"), Just("rc"), Just("dev")];
    let pre = prop_oneof![
        1 => Just(None),
        4 => (label, 0u64..12).prop_map(|(l, n)| Some(Pre::new(l, n))),
    ];
    let build = prop_oneof![3 => Just(None), 1 => Just(Some("dev".to_string()))];
    ((0u64..3, 0u64..3, 0u64..3), pre, build).prop_map(|((major, minor, patch), pre, build)| {
        Version {
            major,
            minor,
            patch,
            pre,
            build,
        }
    })
}

proptest! {
    /// Every compact spelling reads back as the version it spells, and the monotonic rule
    /// of a compact group is exactly SemVer's order of what it writes (and PEP 440's).
    #[test]
    fn compact_round_trips_and_orders_what_it_writes(a in version(), b in version()) {
        let s = compact();
        let text = s.render(&a, Ecosystem::Cargo).unwrap();
        let back = s.read(&text, Ecosystem::Cargo).unwrap();
        // dev 0 is written bare, and read back bare
        let same = back == a || (text.contains("-dev") && back.pre.as_ref().map(Pre::n) == a.pre.as_ref().map(Pre::n));
        prop_assert!(same, "{} → {} → {}", a, text, back);
        prop_assert_eq!(s.compare(&a, &text, Ecosystem::Cargo), Comparison::Same);
        let written = |x: &Version| semver::Version::parse(&s.render(x, Ecosystem::Cargo).unwrap()).unwrap();
        let semver = written(&a).cmp_precedence(&written(&b));
        let pep = pep440_rs::Version::from_str(&s.pep440(&a).unwrap()).unwrap()
            .cmp(&pep440_rs::Version::from_str(&s.pep440(&b).unwrap()).unwrap());
        let allowed = check_forward(&a, &b, &[Ecosystem::Cargo, Ecosystem::Pep440], &s).is_ok();
        prop_assert_eq!(allowed, semver == Ordering::Less && pep == Ordering::Less);
    }

    /// PEP 440 spellings with a local version read back as the version with its build.
    #[test]
    fn pep440_local_round_trips(a in version()) {
        let s = Spelling::default();
        let text = s.pep440(&a).unwrap();
        let mut expected = a.clone();
        if let Some(p) = &mut expected.pre { p.number = Some(p.n()); }
        prop_assert_eq!(s.read(&text, Ecosystem::Pep440).unwrap(), expected);
    }
}
