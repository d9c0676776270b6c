//! Oracles for the Maven, Gradle and Go manifests: after a bump, Maven itself (offline:
//! `mvn -o validate`, which resolves every module's `<parent>` in the reactor and prints
//! each module's version) builds every module at the new version, with literal versions and
//! with a CI-friendly `${revision}`; `go mod edit -json` reads every bumped `go.mod`, and
//! `go list -m` (offline: `GOPROXY=off`, the sibling through the module's `replace`)
//! resolves the sibling requirement at the new version; `git tag` lists the group's tag and
//! one tag per Go module at the release commit. `scripts/test` installs Maven and Go.

use crate::support::{copy_dir, project_root};

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GOPROXY", "off")
        .env("GOFLAGS", "-mod=mod")
        .env("GOTOOLCHAIN", "local")
        .env("GOCACHE", dir.join(".gocache"))
        .env("GOPATH", dir.join(".gopath"))
        .envs([
            ("GIT_AUTHOR_NAME", "t"),
            ("GIT_AUTHOR_EMAIL", "t@example.com"),
            ("GIT_COMMITTER_NAME", "t"),
            ("GIT_COMMITTER_EMAIL", "t@example.com"),
        ])
        .output()
        .unwrap_or_else(|e| panic!("`{program}` could not run ({e}); install it (`apt-get install maven golang-go`; scripts/test does)"))
}

#[track_caller]
fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn tool(dir: &Path, args: &[&str]) -> String {
    ok(&run(dir, env!("CARGO_BIN_EXE_cargo-release-policy"), args))
}

/// Every `Building <name> <version>` line of an offline Maven build of `dir`.
fn maven_versions(dir: &Path) -> Vec<(String, String)> {
    let out = ok(&run(dir, "mvn", &["-o", "-B", "validate"]));
    out.lines()
        .filter_map(|l| l.split("Building ").nth(1))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_string(), words.next()?.to_string()))
        })
        .collect()
}

fn fixture() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(
        &project_root().join("cargo-release-policy/tests/testsuite/repos/jvm-go"),
        temp.path(),
    );
    temp
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs Maven: scripts/test runs it (cargo test --features oracles)"
)]
fn maven_builds_every_module_at_the_bumped_version() {
    let temp = fixture();
    let java = temp.path().join("java");
    let before = maven_versions(&java);
    assert_eq!(before.len(), 3, "{before:?}");
    assert!(before.iter().all(|(_, v)| v == "1.6.0"), "{before:?}");
    tool(
        temp.path(),
        &["release-policy", "bump", "minor", "--pre", "rc"],
    );
    let after = maven_versions(&java);
    assert_eq!(after.len(), 3, "{after:?}");
    assert!(after.iter().all(|(_, v)| v == "1.7.0-rc.1"), "{after:?}");
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs Maven: scripts/test runs it (cargo test --features oracles)"
)]
fn maven_builds_a_ci_friendly_revision_at_the_bumped_version() {
    let temp = fixture();
    let java = temp.path().join("java");
    // The CI-friendly layout: `${revision}` everywhere, defined once in the parent.
    let parent = fs::read_to_string(java.join("pom.xml")).unwrap();
    let parent = parent
        .replace(
            "<version>1.6.0</version>\n  <packaging>",
            "<version>${revision}</version>\n  <packaging>",
        )
        .replace(
            "<properties>\n",
            "<properties>\n    <revision>1.6.0</revision>\n",
        );
    fs::write(java.join("pom.xml"), parent).unwrap();
    for module in ["core", "client"] {
        let path = java.join(module).join("pom.xml");
        let text = fs::read_to_string(&path).unwrap();
        fs::write(
            &path,
            text.replace("<version>1.6.0</version>", "<version>${revision}</version>"),
        )
        .unwrap();
    }
    tool(temp.path(), &["release-policy", "check"]);
    tool(temp.path(), &["release-policy", "bump", "patch"]);
    let after = maven_versions(&java);
    assert_eq!(after.len(), 3, "{after:?}");
    assert!(after.iter().all(|(_, v)| v == "1.6.1"), "{after:?}");
    let parent = fs::read_to_string(java.join("pom.xml")).unwrap();
    assert!(parent.contains("<revision>1.6.1</revision>"));
    assert!(
        parent.contains("<jackson.version>1.6.0</jackson.version>"),
        "a decoy moved"
    );
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs Go and git: scripts/test runs it (cargo test --features oracles)"
)]
fn go_reads_the_bumped_modules_and_git_has_their_tags() {
    let temp = fixture();
    let dir = temp.path();
    let git = |args: &[&str]| ok(&run(dir, "git", args));
    git(&["init", "-q", "-b", "main"]);
    fs::write(dir.join(".gitignore"), "/target\n/.gocache\n/.gopath\n").unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "init"]);
    tool(
        dir,
        &[
            "release-policy",
            "bump",
            "minor",
            "--commit",
            "--tag",
            "--no-checks",
        ],
    );
    for module in ["go", "bindings/go/ext"] {
        let json = ok(&run(&dir.join(module), "go", &["mod", "edit", "-json"]));
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        for require in parsed["Require"].as_array().into_iter().flatten() {
            if require["Path"] == "example.com/acme/sdk/go" {
                assert_eq!(require["Version"], "v1.7.0");
            } else {
                assert_eq!(require["Version"], "v1.6.0", "a decoy moved: {require}");
            }
        }
    }
    // Go resolves the sibling at the new version (through the `replace`, offline).
    let listed = ok(&run(
        &dir.join("bindings/go/ext"),
        "go",
        &["list", "-m", "example.com/acme/sdk/go"],
    ));
    assert_eq!(
        listed.trim(),
        "example.com/acme/sdk/go v1.7.0 => ../../../go"
    );
    let mut tags: Vec<String> = git(&["tag", "--points-at", "HEAD"])
        .lines()
        .map(str::to_string)
        .collect();
    tags.sort();
    assert_eq!(tags, ["bindings/go/ext/v1.7.0", "go/v1.7.0", "v1.7.0"]);
}
