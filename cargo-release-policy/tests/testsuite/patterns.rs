//! Pattern entries end to end, beyond the snapshot cases of `cases/patterns-*`: what
//! `init` proposes, once accepted, is a policy that `check` passes and `bump` follows.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::{copy_dir, project_root};

fn run(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .arg("release-policy")
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[track_caller]
fn succeeds(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

#[test]
fn accepted_init_suggestions_pass_check_and_follow_a_bump() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    copy_dir(
        &project_root().join("cargo-release-policy/tests/testsuite/repos/patterns"),
        root,
    );
    // The repository without its table.
    let cargo_toml = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let bare = cargo_toml
        .split("[workspace.metadata.release]")
        .next()
        .unwrap()
        .trim_end()
        .to_string();
    fs::write(root.join("Cargo.toml"), format!("{bare}\n")).unwrap();

    let init = succeeds(&run(root, &["init"]));
    // The Makefile line is a suggestion; the CMakeLists.txt is a manifest kind of its own and
    // the maturin package's `__version__` holds the version: both listed, with the pyproject.
    assert!(init.contains("Suggested 1 pattern entry"), "{init}");
    assert!(init.contains("with 3 manifest entries"), "{init}");
    // Nothing is followed until the user accepts it.
    let show = String::from_utf8_lossy(&run(root, &["show"]).stdout).into_owned();
    assert!(!show.contains("Makefile"), "{show}");

    // Accept every suggestion: uncomment the entries.
    let written = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let accepted: String = written
        .lines()
        .map(|line| match line.strip_prefix("  # {") {
            Some(rest) => format!("  {{{rest}\n"),
            None => format!("{line}\n"),
        })
        .collect();
    assert_eq!(accepted.matches("search =").count(), 2, "{accepted}");
    fs::write(root.join("Cargo.toml"), accepted).unwrap();

    // The CMake version is `2.3.1`: a numeric version keeps its file's three parts.
    let check = succeeds(&run(root, &["check", "--strict"]));
    assert!(!check.contains("non-canonical"), "{check}");

    succeeds(&run(root, &["bump", "minor", "--pre", "rc"]));
    let read = |path: &str| fs::read_to_string(root.join(path)).unwrap();
    assert!(read("Makefile").contains("VERSION := 2.4.0-rc.1\n"));
    assert!(read("CMakeLists.txt").contains("project(hp VERSION 2.4.0 LANGUAGES C)"));
    assert!(read("bindings/python/python/hp/__init__.py").contains("__version__ = \"2.4.0rc1\""));
    // Not listed by `init`: left as it was.
    assert!(read("README.md").contains("cargo add hp-core@2.3.1\n"));
    let check = succeeds(&run(root, &["check", "--strict"]));
    assert!(
        check.contains("in lockstep (workspace 2.4.0-rc.1)"),
        "{check}"
    );
}
