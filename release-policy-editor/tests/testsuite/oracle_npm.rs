//! npm is the oracle for the npm editors: a workspace bumped by `read` + `editor::rewrite`
//! must be one npm agrees with, byte for byte.
//!
//! Needs `npm` 9 or later (Node.js 20 or later) on `PATH`. No registry access: every
//! dependency is a workspace member, and npm runs with `--offline`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use release_policy_editor::{Field, FieldKind, FileKind};

use crate::support::{bump_file, write};

const OLD: &str = "0.1.0";
const NEW: &str = "0.2.0-beta.1";
const MEMBERS: [&str; 4] = ["core", "cli", "app", "@oracle/linux-x64"];

/// Run npm in `dir`, isolated from the user's npm cache and settings.
fn npm(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .env("npm_config_cache", dir.join(".npm-cache"))
        .env("npm_config_userconfig", dir.join(".npmrc-user"))
        .env("npm_config_update_notifier", "false")
        .env("npm_config_fund", "false")
        .env("npm_config_audit", "false")
        .output();
    match output {
        Ok(output) => output,
        Err(error) => panic!(
            "cannot run `npm` ({error}): this oracle test needs npm 9 or later on PATH. Install \
             Node.js 20 or later with npm (https://nodejs.org, or `apt-get install nodejs npm`); CI installs \
             it. The test fails rather than skips without it."
        ),
    }
}

#[track_caller]
fn npm_ok(dir: &Path, args: &[&str]) -> Output {
    let output = npm(dir, args);
    assert!(
        output.status.success(),
        "npm {} failed in {}:\n{}{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

const LOCK_ONLY: [&str; 5] = [
    "install",
    "--package-lock-only",
    "--offline",
    "--ignore-scripts",
    "--no-audit",
];

/// The manifests, each in its own style (the root's style is the one npm gives the lock).
fn manifests(root_style: &str) -> Vec<(&'static str, String)> {
    let root = "{\n  \"name\": \"oracle-root\",\n  \"version\": \"0.1.0\",\n  \"private\": true,\n  \"workspaces\": [\n    \"packages/*\",\n    \"npm/*\"\n  ],\n  \"optionalDependencies\": {\n    \"@oracle/linux-x64\": \"0.1.0\"\n  }\n}\n";
    let root = match root_style {
        "tabs-crlf" => root.replace("  ", "\t").replace('\n', "\r\n"),
        _ => root.to_string(),
    };
    vec![
        ("package.json", root),
        (
            "packages/core/package.json",
            "{\n\t\"name\": \"core\",\n\t\"description\": \"the \\\"core\\\"\",\n\t\"version\": \"0.1.0\"\n}\n".to_string(),
        ),
        (
            "packages/cli/package.json",
            "{\r\n  \"name\": \"cli\",\r\n  \"version\": \"0.1.0\",\r\n  \"bin\": { \"cli\": \"index.js\" },\r\n  \"dependencies\": {\r\n    \"core\": \"^0.1.0\"\r\n  }\r\n}\r\n".to_string(),
        ),
        (
            "packages/app/package.json",
            "{\"name\":\"app\",\"devDependencies\":{\"core\":\"0.1.0\"},\"peerDependencies\":{\"cli\":\"~0.1.0\"},\"version\":\"0.1.0\"}".to_string(),
        ),
        (
            "npm/linux-x64/package.json",
            "{\n    \"name\": \"@oracle/linux-x64\",\n    \"version\": \"0.1.0\",\n    \"os\": [\"linux\"],\n    \"cpu\": [\"x64\"]\n}\n".to_string(),
        ),
    ]
}

/// A workspace at 0.1.0 with the lock npm makes for it.
fn workspace(root_style: &str, lockfile_version: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in manifests(root_style) {
        write(dir.path(), path, &text);
    }
    let mut args = LOCK_ONLY.to_vec();
    if let Some(version) = lockfile_version {
        args.extend(["--lockfile-version", version]);
    }
    npm_ok(dir.path(), &args);
    dir
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = manifests("")
        .into_iter()
        .map(|(path, _)| dir.join(path))
        .collect();
    files.push(dir.join("package-lock.json"));
    files
}

/// The new value of `field`, as the planner will compute it: every version of the group,
/// and every requirement on a member that names the old version (its operator kept).
fn bumped(field: &Field) -> Option<String> {
    match &field.kind {
        FieldKind::Version => Some(NEW.to_string()),
        FieldKind::Locked { package } if MEMBERS.contains(&package.as_str()) => {
            (field.value == OLD).then(|| NEW.to_string())
        }
        FieldKind::Requirement { package } if MEMBERS.contains(&package.as_str()) => {
            let operator = field.value.strip_suffix(OLD)?;
            ["", "^", "~", ">=", "="]
                .contains(&operator)
                .then(|| format!("{operator}{NEW}"))
        }
        _ => None,
    }
}

/// Bump every file with the editors, except the fields `keep` accepts. Returns how many
/// fields were edited.
fn bump(dir: &Path, keep: impl Fn(&Path, &Field) -> bool) -> usize {
    let mut edited = 0;
    for path in files(dir) {
        let kind = FileKind::detect(path.file_name().unwrap().to_str().unwrap()).unwrap();
        let keys = bump_file(&path, kind, |field| {
            if keep(&path, field) {
                None
            } else {
                bumped(field)
            }
        });
        edited += keys.len();
    }
    edited
}

/// Run `npm install --package-lock-only` again: `Some(new lock)` when npm changed it.
fn npm_relock(dir: &Path) -> (Output, Option<String>) {
    let lock = dir.join("package-lock.json");
    let before = std::fs::read_to_string(&lock).unwrap();
    let output = npm(dir, &LOCK_ONLY);
    let after = std::fs::read_to_string(&lock).unwrap();
    (output, (after != before).then_some(after))
}

#[track_caller]
fn assert_npm_agrees(dir: &Path) {
    let before = std::fs::read_to_string(dir.join("package-lock.json")).unwrap();
    let (output, changed) = npm_relock(dir);
    assert!(
        output.status.success(),
        "npm install failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    if let Some(after) = changed {
        panic!("npm rewrote the edited lock.\n--- ours\n{before}\n--- npm's\n{after}");
    }
    // npm reads the lock as a tree where every member is at the new version and every
    // requirement is met.
    let ls = npm_ok(
        dir,
        &[
            "ls",
            "--package-lock-only",
            "--workspaces",
            "--all",
            "--json",
        ],
    );
    let tree: serde_json::Value = serde_json::from_slice(&ls.stdout).unwrap();
    assert_eq!(tree["version"], NEW, "{tree:#}");
    for member in MEMBERS {
        assert_eq!(
            tree["dependencies"][member]["version"], NEW,
            "{member}: {tree:#}"
        );
    }
    assert_eq!(
        tree["dependencies"]["cli"]["dependencies"]["core"]["version"],
        NEW
    );
    assert_eq!(
        tree["dependencies"]["app"]["dependencies"]["core"]["version"],
        NEW
    );
    assert!(tree.get("problems").is_none(), "{tree:#}");
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs npm: scripts/test runs it (cargo test --features oracles)"
)]
fn npm_agrees_with_a_bumped_workspace() {
    let dir = workspace("", Some("3"));
    let lock = std::fs::read_to_string(dir.path().join("package-lock.json")).unwrap();
    assert!(lock.contains("\"lockfileVersion\": 3"), "{lock}");
    // Root and member package.json versions (5), the lock's root versions (2), members (4),
    // ranges in package.json (4: cli, app ×2, root) and their copies in the lock (4).
    assert_eq!(bump(dir.path(), |_, _| false), 19);
    assert_npm_agrees(dir.path());
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs npm: scripts/test runs it (cargo test --features oracles)"
)]
fn npm_agrees_with_a_bumped_lockfile_v2_in_tabs_and_crlf() {
    // Version 2 keeps the legacy `dependencies` section, whose `requires` copy the ranges.
    let dir = workspace("tabs-crlf", Some("2"));
    let lock = std::fs::read_to_string(dir.path().join("package-lock.json")).unwrap();
    assert!(lock.contains("\"lockfileVersion\": 2"), "{lock}");
    assert!(
        lock.contains("\r\n\t\"packages\": {"),
        "npm styles the lock like the root package.json"
    );
    // As above, plus the legacy copies of the cli and app ranges (2; npm leaves out peers).
    assert_eq!(bump(dir.path(), |_, _| false), 21);
    assert_npm_agrees(dir.path());
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs npm: scripts/test runs it (cargo test --features oracles)"
)]
fn npm_rewrites_a_lock_with_a_member_left_behind() {
    let dir = workspace("", None);
    let lock = dir.path().join("package-lock.json");
    bump(dir.path(), |path, field| {
        *path == lock && field.key == "packages[\"packages/core\"].version"
    });
    let (output, changed) = npm_relock(dir.path());
    assert!(output.status.success());
    let after = changed.expect("npm should have fixed the member left at 0.1.0");
    assert!(
        after.contains("\"packages/core\": {\n      \"version\": \"0.2.0-beta.1\""),
        "{after}"
    );
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs npm: scripts/test runs it (cargo test --features oracles)"
)]
fn npm_refuses_ranges_left_behind() {
    // `^0.1.0` does not match `0.2.0-beta.1`: with the ranges left alone, npm looks for
    // `core@^0.1.0` in the registry (offline: fails) or rewrites the lock.
    let dir = workspace("", None);
    bump(dir.path(), |_, field| {
        matches!(field.kind, FieldKind::Requirement { .. })
    });
    let (output, changed) = npm_relock(dir.path());
    assert!(
        !output.status.success() || changed.is_some(),
        "npm accepted a workspace whose ranges miss the new versions"
    );
}
