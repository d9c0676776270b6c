//! Oracles for the spellings of issue 20: node's own `semver` (the copy npm bundles) decides
//! the monotonic rule of a compact group's SemVer files (`-rc9 → -rc10` is backward there),
//! and Python's `packaging` decides it for PEP 440 files with local versions (`+dev`).
//! `scripts/test` installs npm and `packaging`; a machine without them fails here, loudly.

use std::process::Command;
use std::str::FromStr;

use release_policy_version::{
    check_forward, check_forward_published, Ecosystem, PreSpelling, Spelling, Version,
};

/// Canonical versions with compact forms, bare dev, numbers past 9, build metadata.
const VERSIONS: [&str; 14] = [
    "2.4.0",
    "2.5.0-dev",
    "2.5.0-dev.1",
    "2.5.0-dev.2",
    "2.5.0-alpha.1",
    "2.5.0-beta.1",
    "2.5.0-beta.2",
    "2.5.0-rc.1",
    "2.5.0-rc.9",
    "2.5.0-rc.10",
    "2.5.0-alpha.1+dev",
    "2.5.0",
    "2.5.1-rc.1",
    "2.6.0-dev",
];

fn pairs() -> Vec<(Version, Version)> {
    let mut out = Vec::new();
    for a in VERSIONS {
        for b in VERSIONS {
            out.push((Version::from_str(a).unwrap(), Version::from_str(b).unwrap()));
        }
    }
    out
}

/// One verdict per line for `a b` pairs: `<`, `=` or `>`, from a script fed the pairs.
fn verdicts(program: &str, args: &[&str], pairs: &[(String, String)]) -> Vec<String> {
    let mut command = Command::new(program);
    command.args(args);
    for (a, b) in pairs {
        command.arg(a).arg(b);
    }
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("`{program}` is needed for this oracle test: {e}"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), pairs.len(), "{text}");
    lines
}

fn npm_semver() -> String {
    let out = Command::new("npm")
        .args(["root", "-g"])
        .output()
        .expect("npm is needed for this oracle test (scripts/test installs it)");
    let root = String::from_utf8_lossy(&out.stdout).trim().to_string();
    format!("{root}/npm/node_modules/semver")
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs node and npm (its bundled semver): scripts/test runs it (cargo test --features oracles)"
)]
fn node_semver_decides_the_compact_spelling() {
    let compact = Spelling {
        pre: PreSpelling::Compact,
        ..Spelling::default()
    };
    let pairs = pairs();
    let spelled: Vec<(String, String)> = pairs
        .iter()
        .map(|(a, b)| {
            (
                compact.render(a, Ecosystem::Cargo).unwrap(),
                compact.render(b, Ecosystem::Cargo).unwrap(),
            )
        })
        .collect();
    let script = format!(
        "const semver = require({:?}); const a = process.argv.slice(1); \
         for (let i = 0; i < a.length; i += 2) {{ const c = semver.compare(a[i], a[i + 1]); \
         console.log(c < 0 ? '<' : c > 0 ? '>' : '='); }}",
        npm_semver()
    );
    let verdicts = verdicts("node", &["-e", &script, "--"], &spelled);
    let mut rc9_rc10 = false;
    for (((a, b), (sa, sb)), verdict) in pairs.iter().zip(&spelled).zip(&verdicts) {
        let ours = check_forward(a, b, &[Ecosystem::Cargo], &compact).is_ok();
        assert_eq!(
            ours,
            verdict == "<",
            "{a} → {b} ({sa} → {sb}): node semver says {verdict}"
        );
        rc9_rc10 |= sa == "2.5.0-rc9" && sb == "2.5.0-rc10" && verdict == ">";
    }
    assert!(rc9_rc10, "node semver orders rc10 before rc9");
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs python3 with packaging: scripts/test runs it (cargo test --features oracles)"
)]
fn packaging_decides_pep440_files_with_local_versions() {
    let spelling = Spelling::default();
    let pairs = pairs();
    let spelled: Vec<(String, String)> = pairs
        .iter()
        .map(|(a, b)| (spelling.pep440(a).unwrap(), spelling.pep440(b).unwrap()))
        .collect();
    let script = "
import sys
from packaging.version import Version
a = sys.argv[1:]
for x, y in zip(a[::2], a[1::2]):
    vx, vy = Version(x), Version(y)
    assert str(vx) == x and str(vy) == y, (x, y)
    print('<' if vx < vy else '>' if vx > vy else '=')
";
    let verdicts = verdicts("python3", &["-c", script], &spelled);
    // A group whose only published files are Python's: PEP 440 decides.
    let eco = [Ecosystem::Cargo, Ecosystem::Pep440];
    for (((a, b), (sa, sb)), verdict) in pairs.iter().zip(&spelled).zip(&verdicts) {
        let ours = check_forward_published(a, b, &eco, &[Ecosystem::Pep440], &spelling).is_ok();
        assert_eq!(
            ours,
            verdict == "<",
            "{a} → {b} ({sa} → {sb}): packaging says {verdict}"
        );
        // reading the spelling back gives the version (dev 0 numbered, as PEP 440 does)
        let back = spelling.read(sa, Ecosystem::Pep440).unwrap();
        assert_eq!(spelling.pep440(&back).unwrap(), *sa);
    }
}
