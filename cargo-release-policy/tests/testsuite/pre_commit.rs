//! The real `pre-commit` framework runs this repository's `.pre-commit-hooks.yaml` (as local
//! hooks pointing at the test binary) in a fixture repository.

use crate::support::{copy_dir, project_root};

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, program: &str, args: &[&str], home: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .envs([
            ("GIT_AUTHOR_NAME", "t"),
            ("GIT_AUTHOR_EMAIL", "t@example.com"),
            ("GIT_COMMITTER_NAME", "t"),
            ("GIT_COMMITTER_EMAIL", "t@example.com"),
        ])
        .output()
        .unwrap_or_else(|e| panic!("`{program}` could not run ({e}); install pre-commit with `python3 -m pip install pre-commit` (scripts/test does)"))
}

/// Our hooks as a local `.pre-commit-config.yaml` running the test binary.
fn local_config() -> String {
    let hooks = fs::read_to_string(project_root().join(".pre-commit-hooks.yaml")).unwrap();
    let binary = env!("CARGO_BIN_EXE_cargo-release-policy");
    let hooks = hooks.replace("entry: cargo-release-policy ", &format!("entry: {binary} "));
    let mut config = String::from("repos:\n  - repo: local\n    hooks:\n");
    for line in hooks.lines().filter(|l| !l.starts_with('#')) {
        config.push_str("      ");
        config.push_str(line);
        config.push('\n');
    }
    config
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs pre-commit: scripts/test runs it (cargo test --features oracles)"
)]
fn pre_commit_rejects_a_drifted_manifest_until_synced() {
    let temp = tempfile::tempdir().unwrap();
    let home = temp.path().join("pre-commit-home");
    let dir = temp.path().join("repo");
    fs::create_dir_all(&dir).unwrap();
    copy_dir(&project_root().join("examples/polyglot-sdk"), &dir);
    fs::write(dir.join(".pre-commit-config.yaml"), local_config()).unwrap();
    let git = |args: &[&str]| {
        let out = run(&dir, "git", args, &home);
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "initial"]);
    let install = run(&dir, "pre-commit", &["install"], &home);
    assert!(
        install.status.success(),
        "{}",
        String::from_utf8_lossy(&install.stderr)
    );

    // A platform package left behind: the commit is rejected with the diagnostic.
    let manifest = dir.join("bindings/node/npm/linux-x64-gnu/package.json");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, text.replace("\"1.4.0\"", "\"1.3.0\"")).unwrap();
    fs::write(dir.join("NOTES.md"), "a change worth committing\n").unwrap();
    git(&["add", "-A"]);
    let commit = run(&dir, "git", &["commit", "-m", "drift"], &home);
    let output = String::from_utf8_lossy(&commit.stdout).into_owned()
        + &String::from_utf8_lossy(&commit.stderr);
    assert!(
        !commit.status.success(),
        "the commit went through:\n{output}"
    );
    assert!(output.contains("release-policy check"), "{output}");
    assert!(
        output.contains("bindings/node/npm/linux-x64-gnu/package.json:3:15"),
        "no diagnostic:\n{output}"
    );
    assert!(output.contains("expected \"1.4.0\""), "{output}");
    // The sync hook rewrote the file (and failed the commit, as formatters do).
    assert_eq!(
        fs::read_to_string(&manifest).unwrap(),
        text,
        "the sync hook did not repair the file"
    );

    // After sync, the commit passes.
    git(&["add", "-A"]);
    let commit = run(&dir, "git", &["commit", "-m", "synced"], &home);
    assert!(
        commit.status.success(),
        "{}{}",
        String::from_utf8_lossy(&commit.stdout),
        String::from_utf8_lossy(&commit.stderr)
    );
}
