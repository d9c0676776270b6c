//! Oracle: Python's `packaging` confirms the PEP 440 spellings of the translation table and
//! their order. `.ci/run` installs `packaging`; a machine without it fails here, loudly.

use std::process::Command;
use std::str::FromStr;

use release_policy_version::{Ecosystem, Spelling, Version};

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs python3 with packaging: scripts/test runs it (cargo test --features oracles)"
)]
fn packaging_agrees_with_pep440_spellings_and_order() {
    // In increasing SemVer precedence *and* increasing PEP 440 order.
    let ordered = [
        "1.4.2",
        "1.5.0-dev.1",
        "1.5.0-dev.4",
        "1.5.0-rc.1",
        "1.5.0",
        "1.5.1-alpha.1",
        "1.5.1-alpha.2",
        "1.5.1-beta.1",
        "1.5.1-rc.3",
        "1.5.1",
        "2.60.0-dev",
        "2.60.0-dev.1",
        "10.0.0",
    ];
    let spelling = Spelling::default();
    let pep: Vec<String> = ordered
        .iter()
        .map(|v| {
            spelling
                .render(&Version::from_str(v).unwrap(), Ecosystem::Pep440)
                .unwrap()
        })
        .collect();
    let script = r#"
import sys
from packaging.version import Version
spellings = sys.argv[1:]
parsed = [Version(s) for s in spellings]
for s, v in zip(spellings, parsed):
    if str(v) != s:
        print(f"not normal form: {s} -> {v}"); sys.exit(1)
for a, b in zip(parsed, parsed[1:]):
    if not a < b:
        print(f"out of order: {a} !< {b}"); sys.exit(1)
print("ok")
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&pep)
        .output()
        .expect("python3 is needed for this oracle test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("No module named 'packaging'"),
        "Python's `packaging` is missing: install it with `python3 -m pip install packaging` (.ci/run does)"
    );
    assert!(
        out.status.success(),
        "packaging disagrees: {stdout}{stderr}\nspellings: {pep:?}"
    );
    assert_eq!(stdout.trim(), "ok");
    assert_eq!(
        pep[..5],
        ["1.4.2", "1.5.0.dev1", "1.5.0.dev4", "1.5.0rc1", "1.5.0"]
    );
}
