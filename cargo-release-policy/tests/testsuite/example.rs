//! The bundled example, bumped for real and judged by the real tools: `check` passes,
//! `cargo metadata --locked --offline` accepts the workspace, npm agrees with the lock, and
//! the change touches only version values.

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use crate::support::{project_root, tree, write_tree};

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs npm: scripts/test runs it (cargo test --features oracles)"
)]
fn bump_minor_beta_on_the_example_satisfies_every_tool() {
    let example = project_root().join("examples/polyglot-sdk");
    let before = tree(&example);
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    write_tree(root, &before);
    let text = |files: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(k, v)| (k.clone(), String::from_utf8(v.clone()).unwrap()))
            .collect()
    };
    let before = text(&before);
    let bin = env!("CARGO_BIN_EXE_cargo-release-policy");
    let run = |args: &[&str]| {
        let out = Command::new(bin)
            .arg("release-policy")
            .args(args)
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["bump", "minor", "--pre", "beta"]);
    run(&["check", "--strict"]);

    // Cargo accepts the lock (the full resolution, not --no-deps).
    let metadata = Command::new("cargo")
        .args(["metadata", "--locked", "--offline", "--format-version", "1"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&metadata.stdout).unwrap();
    for package in json["packages"].as_array().unwrap() {
        assert_eq!(package["version"], "1.5.0-beta.1", "{}", package["name"]);
    }

    // npm agrees with the lock: installing from it changes nothing.
    let lock = root.join("bindings/node/package-lock.json");
    let ours = fs::read(&lock).unwrap();
    let npm = Command::new("npm")
        .args([
            "install",
            "--package-lock-only",
            "--offline",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
        ])
        .current_dir(root.join("bindings/node"))
        .output()
        .expect("npm is needed (scripts/test installs it)");
    assert!(
        npm.status.success(),
        "{}",
        String::from_utf8_lossy(&npm.stderr)
    );
    assert_eq!(fs::read(&lock).unwrap(), ours, "npm rewrote the lock");

    // Only version values changed: spelling the new version back as the old one gives the
    // original text, except the one element added beside `VersionPrefix`.
    let after = text(&tree(root));
    let mut changed = 0;
    for (rel, old) in &before {
        let new = &after[rel];
        if new == old {
            continue;
        }
        changed += 1;
        let reverted = new
            .replace("1.5.0-beta.1", "1.4.0")
            .replace("1.5.0b1", "1.4.0")
            .replace("1.5.0.beta.1", "1.4.0")
            .replace("VERSION 1.5.0\n", "VERSION 1.4.0\n")
            .replace("1.5.0.0", "1.4.0.0")
            .replace(
                "<VersionPrefix>1.5.0</VersionPrefix>",
                "<VersionPrefix>1.4.0</VersionPrefix>",
            )
            .replace("\r\n    <VersionSuffix>beta.1</VersionSuffix>", "");
        assert_eq!(&reverted, old, "`{rel}` changed beyond its version values");
    }
    assert_eq!(changed, 24);
    assert_eq!(before.len(), after.len(), "files were added or removed");
}
