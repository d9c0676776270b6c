//! Oracle: Maven's own `ComparableVersion` (from the `maven-artifact` jar of the installed
//! Maven) orders the `maven` spellings of a release series, and agrees with
//! `version::maven::compare` on a few thousand generated versions. `scripts/test` installs
//! Maven; a machine without it fails here, loudly.

use std::cmp::Ordering;
use std::path::PathBuf;
use std::process::Command;
use std::str::FromStr;

use release_policy_version::{check_forward_published, maven, Ecosystem, Spelling, Version};

/// The `maven-artifact` jar of the Maven that `mvn` runs.
fn maven_artifact_jar() -> PathBuf {
    let out = Command::new("mvn").arg("--version").output().unwrap_or_else(|e| {
        panic!("`mvn` is needed for this oracle test ({e}): install Maven (`apt-get install maven`; scripts/test does)")
    });
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let home = text
        .lines()
        .find_map(|l| l.strip_prefix("Maven home: "))
        .unwrap_or_else(|| panic!("`mvn --version` does not name its home:\n{text}"));
    let lib = PathBuf::from(home.trim()).join("lib");
    std::fs::read_dir(&lib)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("maven-artifact"))
        })
        .unwrap_or_else(|| panic!("no maven-artifact jar in {}", lib.display()))
}

/// Maven's verdict on each adjacent pair of `versions`.
fn maven_orders(versions: &[String]) -> Vec<(String, Ordering, String)> {
    let jar = maven_artifact_jar();
    let out = Command::new("java")
        .arg("-cp")
        .arg(&jar)
        .arg("org.apache.maven.artifact.versioning.ComparableVersion")
        .args(versions)
        .output()
        .expect("`java` is needed for this oracle test: install Maven (`apt-get install maven`)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let verdicts: Vec<(String, Ordering, String)> = text
        .lines()
        .filter_map(|line| line.strip_prefix("   "))
        .map(|line| {
            let parts: Vec<&str> = line.split(' ').collect();
            assert_eq!(parts.len(), 3, "unexpected line: {line}");
            let order = match parts[1] {
                "<" => Ordering::Less,
                "==" => Ordering::Equal,
                ">" => Ordering::Greater,
                other => panic!("unexpected comparison `{other}` in {line}"),
            };
            (parts[0].to_string(), order, parts[2].to_string())
        })
        .collect();
    assert_eq!(verdicts.len(), versions.len() - 1, "{text}");
    verdicts
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs mvn and java (Maven): scripts/test runs it (cargo test --features oracles)"
)]
fn maven_orders_the_maven_spellings_of_a_release_series() {
    let series = [
        "1.4.2",
        "1.5.0-alpha.1",
        "1.5.0-alpha.2",
        "1.5.0-alpha.10",
        "1.5.0-beta.1",
        "1.5.0-rc.1",
        "1.5.0-rc.3",
        "1.5.0-dev.1",
        "1.5.0",
        "1.5.1-alpha.1",
        "1.5.1",
        "2.0.0-rc.1",
        "2.0.0",
        "10.0.0",
    ];
    let spelling = Spelling::default();
    let spelled: Vec<String> = series
        .iter()
        .map(|v| {
            spelling
                .render(&Version::from_str(v).unwrap(), Ecosystem::Maven)
                .unwrap()
        })
        .collect();
    for (a, order, b) in maven_orders(&spelled) {
        assert_eq!(order, Ordering::Less, "Maven: {a} !< {b}");
    }
}

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        items[(self.0 % items.len() as u64) as usize]
    }
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs mvn and java (Maven): scripts/test runs it (cargo test --features oracles)"
)]
fn maven_compare_agrees_with_comparable_version() {
    let releases = [
        "1", "1.0", "1.0.0", "1.5", "1.5.0", "1.5.1", "2", "0.9.9", "01.5",
    ];
    let separators = ["-", ".", ""];
    let qualifiers = [
        "alpha",
        "a",
        "beta",
        "b",
        "milestone",
        "m",
        "rc",
        "cr",
        "RC",
        "snapshot",
        "SNAPSHOT",
        "ga",
        "final",
        "GA",
        "Final",
        "sp",
        "dev",
        "foo",
        "x",
        "",
        "0",
    ];
    let numbers = ["", "1", "01", "3", "10", ".1", "-1", ".0", "-0", "1.2"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut versions: Vec<String> = Vec::new();
    for _ in 0..4000 {
        let mut v = rng.pick(&releases).to_string();
        let qualifier = rng.pick(&qualifiers);
        if !qualifier.is_empty() {
            v.push_str(rng.pick(&separators));
            v.push_str(qualifier);
            v.push_str(rng.pick(&numbers));
        }
        versions.push(v);
    }
    let mut disagreements = Vec::new();
    for (a, order, b) in maven_orders(&versions) {
        let ours = maven::compare(&a, &b);
        if ours != order {
            disagreements.push(format!("{a} vs {b}: Maven {order:?}, ours {ours:?}"));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements, e.g.:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(20)].join("\n")
    );
}

/// The monotonic decision in a group whose only published files are Maven's: a bump is
/// allowed exactly when `ComparableVersion` puts the new spelling after the old one, or
/// when both are the same snapshot (`dev.1 → dev.2`, one `X.Y.Z-SNAPSHOT` republished)
/// and SemVer moves forward.
#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs mvn and java (Maven): scripts/test runs it (cargo test --features oracles)"
)]
fn maven_decides_the_monotonic_rule_of_snapshots() {
    let versions = [
        "1.4.2",
        "1.4.3-dev.1",
        "1.4.3-dev.2",
        "1.4.3-alpha.1",
        "1.4.3-beta.2",
        "1.4.3-rc.1",
        "1.4.3",
        "1.5.0-dev",
        "1.5.0-dev.3",
        "1.5.0",
    ];
    let spelling = Spelling::default();
    let maven = [Ecosystem::Maven];
    let mut pairs: Vec<(Version, Version)> = Vec::new();
    let mut flat: Vec<String> = Vec::new();
    for a in versions {
        for b in versions {
            let (a, b) = (Version::from_str(a).unwrap(), Version::from_str(b).unwrap());
            flat.push(spelling.render(&a, Ecosystem::Maven).unwrap());
            flat.push(spelling.render(&b, Ecosystem::Maven).unwrap());
            pairs.push((a, b));
        }
    }
    // Maven's verdicts on (a, b), (b, a'), (a', b'), …: the pairs are every other one.
    let verdicts = maven_orders(&flat);
    for ((a, b), (sa, order, sb)) in pairs.iter().zip(verdicts.iter().step_by(2)) {
        let same_snapshot = sa == sb && sa.ends_with("-SNAPSHOT");
        let expected = if same_snapshot {
            a.to_semver() < b.to_semver()
        } else {
            *order == Ordering::Less
        };
        let ours = check_forward_published(a, b, &maven, &maven, &spelling).is_ok();
        assert_eq!(
            ours, expected,
            "{a} ({sa}) → {b} ({sb}): Maven says {order:?}"
        );
    }
}
