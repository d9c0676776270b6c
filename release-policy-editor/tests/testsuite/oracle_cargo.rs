//! Oracle: bump a generated Cargo workspace with the `Cargo.toml` and `Cargo.lock` editors,
//! then ask cargo itself (`cargo metadata --locked --offline`, full resolve) whether the
//! manifests and the lockfile agree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use release_policy_editor::{Field, FieldKind, FileKind};

use crate::support::{bump_file, write};

const OLD: &str = "0.1.0";
const NEW: &str = "0.2.0-beta.1";

/// The workspace members (all at 0.1.0).
const MEMBERS: &[&str] = &["core-lib", "util", "app", "testkit", "shim"];

fn cargo() -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    match Command::new(&cargo).arg("--version").output() {
        Ok(out) if out.status.success() => cargo,
        _ => panic!(
            "this oracle test needs `cargo` on PATH (or $CARGO): install Rust with https://rustup.rs"
        ),
    }
}

/// A workspace with every spelling the Cargo editor knows.
fn generate(root: &Path) {
    write(
        root,
        "Cargo.toml",
        "# The workspace root\n[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\nexclude = [\"vendor\"]\n\n\
[workspace.package]\nversion = \"0.1.0\" # shared\nedition = \"2021\"\n\n\
[workspace.dependencies]\ncore-lib = { path = \"crates/core-lib\", version = \"0.1.0\" }\n",
    );
    write(
        root,
        "crates/core-lib/Cargo.toml",
        "[package]\nname = \"core-lib\"\nversion.workspace = true\nedition.workspace = true\n",
    );
    // CRLF, tabs, a literal string, `=` requirement in the table form.
    write(
        root,
        "crates/util/Cargo.toml",
        "[package]\r\nname = \"util\"\r\n\tversion = '0.1.0'\r\nedition = \"2021\"\r\n\r\n[dependencies.core-lib]\r\npath = \"../core-lib\"\r\nversion = \"=0.1.0\"\r\n",
    );
    // Inherited version as an inline table, a renamed dep with `^0.1`, a plain `0.1.0`,
    // dev and build deps, a target-specific dep, and two packages named `shim` (the member
    // at 0.1.0 and a vendored one at 1.0.0), so the lockfile spells `"shim 0.1.0"`.
    write(
        root,
        "crates/app/Cargo.toml",
        "[package]\nname = \"app\"\nversion = { workspace = true }\nedition = \"2021\"\n\n\
[dependencies]\ncore = { package = \"core-lib\", path = \"../core-lib\", version = \"^0.1\" }\n\
util = { version = \"0.1.0\", path = \"../util\" }\n\
shim = { path = \"../shim\", version = \"0.1.0\" }\n\
shim-vendored = { package = \"shim\", path = \"../../vendor/shim\", version = \"=1.0.0\" }\n\n\
[dev-dependencies]\ntestkit = { path = \"../testkit\", version = \"~0.1.0\" }\n\n\
[build-dependencies]\nutil.path = \"../util\"\nutil.version = \">=0.1.0\"\n\n\
[target.'cfg(unix)'.dependencies]\nshim = { path = \"../shim\", version = \"0.1\" }\n",
    );
    write(
        root,
        "crates/testkit/Cargo.toml",
        "package.name = \"testkit\"\npackage.version = \"0.1.0\"\npackage.edition = \"2021\"\n\n\
[dependencies]\ncore-lib = { workspace = true }\n\n\
[target.x86_64-unknown-linux-gnu.dependencies]\nutil = { path = \"../util\", version = \"0.1.0\" }\n",
    );
    write(
        root,
        "crates/shim/Cargo.toml",
        "[package]\nname = \"shim\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(
        root,
        "vendor/shim/Cargo.toml",
        "[package]\nname = \"shim\"\nversion = \"1.0.0\"\nedition = \"2021\"\n",
    );
    for lib in ["core-lib", "util", "app", "testkit", "shim"] {
        write(root, &format!("crates/{lib}/src/lib.rs"), "");
    }
    write(root, "vendor/shim/src/lib.rs", "");
}

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(cargo())
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .unwrap()
}

fn metadata(root: &Path) -> std::process::Output {
    run(
        root,
        &["metadata", "--locked", "--offline", "--format-version", "1"],
    )
}

/// `=0.1.0` → `=0.2.0-beta.1`: keep the operator, replace the version.
fn bumped_requirement(value: &str) -> Option<String> {
    let operator: String = value
        .chars()
        .take_while(|c| matches!(c, '=' | '^' | '~' | '<' | '>' | ' '))
        .collect();
    let version = &value[operator.len()..];
    (version == "0.1" || version == OLD).then(|| format!("{operator}{NEW}"))
}

/// The new value for a field, when the bump changes it.
fn new_value(field: &Field) -> Option<String> {
    let member = |p: &str| MEMBERS.contains(&p);
    match &field.kind {
        FieldKind::Version => (field.value == OLD).then(|| NEW.to_string()),
        FieldKind::Requirement { package } if member(package) => bumped_requirement(&field.value),
        FieldKind::Locked { package } | FieldKind::LockReference { package }
            if member(package) && field.value == OLD =>
        {
            Some(NEW.to_string())
        }
        _ => None,
    }
}

fn manifests(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.join("Cargo.toml")];
    for member in MEMBERS {
        out.push(root.join("crates").join(member).join("Cargo.toml"));
    }
    out
}

#[test]
#[allow(clippy::too_many_lines)] // one scenario, told in order
fn cargo_accepts_the_bumped_workspace_and_lock() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    generate(root);

    let out = run(root, &["generate-lockfile", "--offline"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stale_lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    assert!(stale_lock.contains("\"shim 0.1.0\""), "{stale_lock}");
    let out = metadata(root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Bump every manifest, then the lockfile.
    let mut edited = BTreeSet::new();
    for path in manifests(root) {
        for key in bump_file(&path, FileKind::CargoToml, new_value) {
            let relative = path.strip_prefix(root).unwrap().display().to_string();
            edited.insert(format!("{relative}: {key}"));
        }
    }
    for key in bump_file(&root.join("Cargo.lock"), FileKind::CargoLock, new_value) {
        edited.insert(format!("Cargo.lock: {key}"));
    }
    let expected: BTreeSet<String> = [
        "Cargo.toml: workspace.package.version",
        "Cargo.toml: workspace.dependencies.core-lib",
        "crates/util/Cargo.toml: package.version",
        "crates/util/Cargo.toml: dependencies.core-lib",
        "crates/app/Cargo.toml: dependencies.core",
        "crates/app/Cargo.toml: dependencies.util",
        "crates/app/Cargo.toml: dependencies.shim",
        "crates/app/Cargo.toml: dev-dependencies.testkit",
        "crates/app/Cargo.toml: build-dependencies.util",
        "crates/app/Cargo.toml: target.'cfg(unix)'.dependencies.shim",
        "crates/testkit/Cargo.toml: package.version",
        "crates/testkit/Cargo.toml: target.x86_64-unknown-linux-gnu.dependencies.util",
        "crates/shim/Cargo.toml: package.version",
        "Cargo.lock: package.\"app\"",
        "Cargo.lock: package.\"core-lib\"",
        "Cargo.lock: package.\"util\"",
        "Cargo.lock: package.\"testkit\"",
        "Cargo.lock: package.\"shim\"@",
        "Cargo.lock: package.\"app\".dependencies.\"shim\"@",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    // The `@i` of the `shim` entries depends on cargo's sort order: compare without it.
    let normalize = |s: &String| {
        let mut out = String::new();
        let mut skipping = false;
        for c in s.chars() {
            if c == '@' {
                skipping = true;
                out.push(c);
            } else if !(skipping && c.is_ascii_digit()) {
                skipping = false;
                out.push(c);
            }
        }
        out
    };
    let edited_n: BTreeSet<String> = edited.iter().map(normalize).collect();
    let expected_n: BTreeSet<String> = expected.iter().map(normalize).collect();
    assert_eq!(edited_n, expected_n);

    // (A range such as `>=0.1.0, <0.3.0` would not do: cargo matches a pre-release only
    // from a comparator on the same `X.Y.Z`, so every requirement on a member is rewritten.)
    let app = std::fs::read_to_string(root.join("crates/app/Cargo.toml")).unwrap();
    assert!(app.contains("util.version = \">=0.2.0-beta.1\""));
    assert!(app.contains("version = \"^0.2.0-beta.1\""));
    let util = std::fs::read_to_string(root.join("crates/util/Cargo.toml")).unwrap();
    assert!(
        util.contains("\r\n\tversion = '0.2.0-beta.1'\r\n"),
        "{util}"
    );

    // The oracle: a full, locked resolve.
    let out = metadata(root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut versions = BTreeSet::new();
    for package in json["packages"].as_array().unwrap() {
        versions.insert(format!(
            "{} {}",
            package["name"].as_str().unwrap(),
            package["version"].as_str().unwrap()
        ));
    }
    let expected_versions: BTreeSet<String> = MEMBERS
        .iter()
        .map(|m| format!("{m} {NEW}"))
        .chain(["shim 1.0.0".to_string()])
        .collect();
    assert_eq!(versions, expected_versions);
    // `app` resolves to the new member `shim`, and to the vendored one.
    let resolve = json["resolve"]["nodes"].as_array().unwrap();
    let app_node = resolve
        .iter()
        .find(|n| n["id"].as_str().unwrap().contains("/crates/app#"))
        .unwrap();
    let deps: Vec<&str> = app_node["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(
        deps.iter()
            .any(|d| d.ends_with(&format!("/crates/shim#{NEW}"))),
        "{deps:?}"
    );
    assert!(
        deps.iter().any(|d| d.ends_with("/vendor/shim#1.0.0")),
        "{deps:?}"
    );

    // The oracle can fail: the manifests bumped, the lockfile left stale.
    let bumped_lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    std::fs::write(root.join("Cargo.lock"), &stale_lock).unwrap();
    let out = metadata(root);
    assert!(
        !out.status.success(),
        "cargo accepted a stale lockfile: the oracle proves nothing"
    );
    // And a lock with the versions bumped but a stale `"shim 0.1.0"` reference fails too.
    let half = bumped_lock.replace(&format!("\"shim {NEW}\""), "\"shim 0.1.0\"");
    assert_ne!(half, bumped_lock);
    std::fs::write(root.join("Cargo.lock"), &half).unwrap();
    let out = metadata(root);
    assert!(
        !out.status.success(),
        "cargo accepted a stale `name version` reference"
    );
}
