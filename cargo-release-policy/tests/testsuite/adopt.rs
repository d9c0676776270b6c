//! `init` adopting repositories laid out as real polyglot projects are, then `check` and
//! `bump` right after it: the table lists what is in lockstep and names the rest.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{copy_dir, project_root};

/// A fixture repository committed in a new git repository (the work tree `init` searches).
fn repository(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("repo");
    fs::create_dir_all(&dir).unwrap();
    copy_dir(
        &project_root()
            .join("cargo-release-policy/tests/testsuite/repos")
            .join(fixture),
        &dir,
    );
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-q",
            "-m",
            "initial",
        ],
    ] {
        let out = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}");
    }
    (temp, dir)
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .arg("release-policy")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TERM_COLOR")
        .output()
        .unwrap()
}

fn changed(dir: &Path) -> Vec<String> {
    let out = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l[3..].to_string())
        .collect()
}

/// A crate in `native/` with its bindings in sibling directories, and packages that are not
/// released with it: documentation, an example, a template with a placeholder version, a
/// plugin at its own version, a private package.
#[test]
fn crate_in_a_subdirectory_with_sibling_bindings() {
    let (_temp, dir) = repository("adopt-native");
    let manifest = ["--manifest-path", "native/Cargo.toml"];

    // The dry run's diff is named from the repository's root: `git apply` takes it there.
    let dry = run(&dir, &[&["init", "--dry-run"][..], &manifest].concat());
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let diff = String::from_utf8(dry.stdout).unwrap();
    assert!(
        diff.starts_with("--- a/native/Cargo.toml\n+++ b/native/Cargo.toml\n"),
        "{diff}"
    );
    let patch = dir.join("init.patch");
    fs::write(&patch, &diff).unwrap();
    let apply = Command::new("git")
        .args(["apply", "--check", "init.patch"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        apply.status.success(),
        "{}",
        String::from_utf8_lossy(&apply.stderr)
    );
    fs::remove_file(&patch).unwrap();

    let init = run(&dir, &[&["init"][..], &manifest].concat());
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let table = fs::read_to_string(dir.join("native/Cargo.toml")).unwrap();
    let expected = r#"
[package.metadata.release]
# Files that follow this version (see docs/standard.md).
manifests = [
  "../dotnet/Hp/Hp.csproj",
  "../node/package.json",
  "../python/pyproject.toml",
  { path = "../python/src/hp/__init__.py", search = '__version__ = "{{version}}"', format = "pep440" },
  # Found by `init` but not in lockstep with this version: uncomment to follow.
  # "../docs/pyproject.toml",  # under `docs/`: not released with the product
  # "../examples/demo/package.json",  # under `examples/`: not released with the product
  # "../templates/plugin/package.json",  # under `templates/`: not released with the product
  # "../tools/lint-plugin/package.json",  # at 0.4.2, not 2.3.1: its own version
  # "../tools/package.json",  # `"private": true`: npm never publishes it
]
"#;
    assert!(table.ends_with(expected), "{table}");

    // In lockstep right after `init`.
    let check = run(&dir, &[&["check"][..], &manifest].concat());
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    // `bump patch` changes what the project's own release would: the crate, its lock, the
    // three bindings — nothing that was left out.
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qam",
            "policy",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let bump = run(&dir, &[&["bump", "patch"][..], &manifest].concat());
    assert!(
        bump.status.success(),
        "{}",
        String::from_utf8_lossy(&bump.stderr)
    );
    let mut files = changed(&dir);
    files.sort();
    assert_eq!(
        files,
        [
            "dotnet/Hp/Hp.csproj",
            "native/Cargo.lock",
            "native/Cargo.toml",
            "node/package.json",
            "python/pyproject.toml",
            "python/src/hp/__init__.py",
        ]
    );
    let node = fs::read_to_string(dir.join("node/package.json")).unwrap();
    assert!(node.contains("\"version\": \"2.3.2\""), "{node}");
}

/// A fixture repository adopted: `init` (with `args`), `check` passing right after it, then
/// `bump patch` (with `bump`) changing exactly `changed`: the files the layout's own release
/// (its script, or the release tool whose configuration `init` imported) rewrites.
#[track_caller]
fn adopt_then_bump(fixture: &str, args: &[&str], bump: &[&str], changed_files: &[&str]) {
    let (_temp, dir) = repository(fixture);
    let init = run(&dir, &[&["init"][..], args].concat());
    assert!(
        init.status.success(),
        "{fixture}: {}",
        String::from_utf8_lossy(&init.stderr)
    );
    let check = run(&dir, &[&["check"][..], args].concat());
    assert!(
        check.status.success(),
        "{fixture}: check right after init: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let commit = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(["commit", "-qam", "policy"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(commit.status.success());
    let bumped = run(&dir, &[&["bump", "patch"][..], args, bump].concat());
    assert!(
        bumped.status.success(),
        "{fixture}: {}",
        String::from_utf8_lossy(&bumped.stderr)
    );
    let mut files = changed(&dir);
    files.sort();
    assert_eq!(
        files, changed_files,
        "{fixture}: the files `bump patch` changed"
    );
    let check = run(&dir, &[&["check"][..], args].concat());
    assert!(
        check.status.success(),
        "{fixture}: check after the bump: {}",
        String::from_utf8_lossy(&check.stderr)
    );
}

// Each layout `init` adopts: what it lists is what the project's release rewrites. The tables
// `init` writes are the snapshots of the `adopt-*` cases (`cases/adopt-*.out/`).

/// No `[workspace.package].version`: `tabula` leads (its CLI, the Node and Python bindings
/// share 1.4.0); the proc-macro crate and the xtask keep their own versions.
#[test]
fn adopt_literal_ws() {
    adopt_then_bump(
        "adopt-literal-ws",
        &[],
        &["-p", "tabula"],
        &[
            "Cargo.lock",
            "bindings/node/package.json",
            "bindings/python/pyproject.toml",
            "crates/cli/Cargo.toml",
            "crates/core/Cargo.toml",
        ],
    );
}

/// Every version-file kind, each in its spelling; the vendored header stays.
#[test]
fn adopt_version_files() {
    adopt_then_bump(
        "adopt-version-files",
        &[],
        &[],
        &[
            "Cargo.lock",
            "Cargo.toml",
            "android/app/src/main/AndroidManifest.xml",
            "bindings/node/Cargo.lock",
            "bindings/node/Cargo.toml",
            "bindings/py-semver/quill_sys/__init__.py",
            "flake.nix",
            "include/quill/version.h",
            "python/quill/_version.py",
            "python/setup.cfg",
        ],
    );
}

/// bump2version's files, and its own `current_version`; not the docs' `{major}.{minor}`.
#[test]
fn adopt_bumpversion() {
    adopt_then_bump(
        "adopt-bumpversion",
        &[],
        &[],
        &[
            ".bumpversion.cfg",
            "Cargo.lock",
            "Cargo.toml",
            "README.md",
            "python/ember/__init__.py",
            "python/pyproject.toml",
        ],
    );
}

#[test]
fn adopt_bump_my_version() {
    adopt_then_bump(
        "adopt-bump-my-version",
        &[],
        &[],
        &[
            ".bumpversion.toml",
            "Cargo.lock",
            "Cargo.toml",
            "bindings/python/python/kiln/__init__.py",
        ],
    );
}

#[test]
fn adopt_tbump() {
    adopt_then_bump(
        "adopt-tbump",
        &[],
        &[],
        &[
            "Cargo.lock",
            "Cargo.toml",
            "pkg/npm/package.json",
            "src/lib.rs",
            "tbump.toml",
        ],
    );
}

#[test]
fn adopt_rooster() {
    adopt_then_bump(
        "adopt-rooster",
        &[],
        &["-p", "heron"],
        &[
            "Cargo.lock",
            "README.md",
            "crates/heron/Cargo.toml",
            "docs/integration.md",
            "pyproject.toml",
        ],
    );
}

#[test]
fn adopt_commitizen() {
    adopt_then_bump(
        "adopt-commitizen",
        &[],
        &[],
        &[
            ".cz.toml",
            "Cargo.lock",
            "Cargo.toml",
            "python/lumen/__init__.py",
            "python/pyproject.toml",
        ],
    );
}

#[test]
fn adopt_release_please() {
    adopt_then_bump(
        "adopt-release-please",
        &[],
        &[],
        &[
            ".release-please-manifest.json",
            "Cargo.lock",
            "Cargo.toml",
            "bindings/node/package.json",
            "bindings/python/sable/__init__.py",
            "include/sable.h",
        ],
    );
}

#[test]
fn adopt_knope() {
    adopt_then_bump(
        "adopt-knope",
        &[],
        &[],
        &[
            "Cargo.lock",
            "Cargo.toml",
            "bindings/node/package.json",
            "bindings/python/pyproject.toml",
        ],
    );
}

#[test]
fn adopt_cargo_release() {
    adopt_then_bump(
        "adopt-cargo-release",
        &[],
        &[],
        &[
            "Cargo.lock",
            "Cargo.toml",
            "bindings/node/package.json",
            "crates/wren-cli/Cargo.toml",
        ],
    );
}

/// `cargo release` run in `dir`.
fn cargo_release(dir: &Path, args: &[&str]) -> Output {
    Command::new("cargo")
        .arg("release")
        .args(args)
        .current_dir(dir)
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .expect("cargo-release is installed (scripts/test installs it)")
}

/// The real cargo-release loads a repository `init` configured next to its own table: the
/// policy went to the `release-policy` twin, which cargo-release does not read. The same
/// `manifests` in cargo-release's `release` table is refused by it: the check can fail.
#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs cargo-release: scripts/test runs it (cargo test --features oracles)"
)]
fn cargo_release_loads_what_init_wrote_beside_it() {
    let (_temp, dir) = repository("adopt-cargo-release");
    let init = run(&dir, &["init"]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let written = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        written.contains("[workspace.metadata.release-policy]\n"),
        "{written}"
    );
    for args in [&["config"][..], &["version", "patch"]] {
        let out = cargo_release(&dir, args);
        assert!(
            out.status.success(),
            "cargo release {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // cargo-release's own keys still reach it: `config` shows the tag name it read.
    let config = cargo_release(&dir, &["config"]);
    let shown = String::from_utf8_lossy(&config.stdout);
    assert!(shown.contains("v{{version}}"), "{shown}");

    // The same `manifests` in cargo-release's own table: refused by cargo-release (and read
    // by this tool as the same policy).
    let wrong = written
        .split("\n[workspace.metadata.release-policy]")
        .next()
        .unwrap()
        .replace(
            "[workspace.metadata.release]\n",
            "[workspace.metadata.release]\nmanifests = [\"bindings/node/package.json\"]\n",
        );
    fs::write(dir.join("Cargo.toml"), wrong).unwrap();
    let check = run(&dir, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let refused = cargo_release(&dir, &["config"]);
    assert!(
        !refused.status.success(),
        "cargo-release accepted `manifests` in its table: {}",
        String::from_utf8_lossy(&refused.stdout)
    );
}
