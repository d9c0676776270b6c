//! Oracle: bump a generated uv workspace with the `pyproject.toml` and `uv.lock` editors,
//! then ask uv itself (`uv lock --locked --offline`) whether the lockfile still matches.
//!
//! Static versions and dependencies let uv lock without building anything, so no network
//! is needed (the build backends are never installed).

use std::path::Path;
use std::process::{Command, Output};

use release_policy_editor::{Field, FieldKind, FileKind};

use crate::support::{bump_file, write};

const OLD: &str = "0.1.0";
/// `0.2.0-beta.1` in PEP 440 normal form, as the planner writes it for Python.
const NEW: &str = "0.2.0b1";
const MEMBERS: &[&str] = &["root", "lib-a", "lib-b"];

fn uv(root: &Path, args: &[&str]) -> Output {
    let out = Command::new("uv")
        .args(args)
        .current_dir(root)
        .env("UV_CACHE_DIR", root.join(".uv-cache"))
        .env("UV_NO_CONFIG", "1")
        .env("UV_PYTHON_DOWNLOADS", "never")
        .output();
    match out {
        Ok(out) => out,
        Err(e) => panic!(
            "this oracle test needs `uv` on PATH ({e}): install it with `pip install uv` \
             (or see https://docs.astral.sh/uv/getting-started/installation/)"
        ),
    }
}

fn generate(root: &Path) {
    write(
        root,
        "pyproject.toml",
        "# The workspace root\n[project]\nname = \"root\"\nversion = \"0.1.0\" # bumped\nrequires-python = \">=3.8\"\n\
dependencies = [\n    \"lib-a==0.1.0\",\n]\n\n\
[dependency-groups]\ndev = [\"lib-b == 0.1.0\"]\n\n\
[tool.uv.workspace]\nmembers = [\"packages/*\"]\n\n\
[tool.uv.sources]\nlib-a = { workspace = true }\nlib-b = { workspace = true }\n\n\
[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
    );
    write(
        root,
        "packages/lib-a/pyproject.toml",
        "[project]\nname = \"lib-a\"\nversion = '0.1.0'\nrequires-python = \">=3.8\"\n\
dependencies = [\"lib_b[fast]==0.1.0 ; python_version >= '3.8'\"]\n\n\
[project.optional-dependencies]\nall = [\"lib-b>=0.1.0\"]\n\n\
[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
    );
    // CRLF, tabs, no final newline, uv's own backend.
    write(
        root,
        "packages/lib-b/pyproject.toml",
        "[project]\r\nname = \"lib-b\"\r\n\tversion\t= \"0.1.0\"\r\nrequires-python = \">=3.8\"\r\n\r\n\
[project.optional-dependencies]\r\nfast = []\r\n\r\n\
[build-system]\r\nrequires = [\"uv_build>=0.8,<0.10\"]\r\nbuild-backend = \"uv_build\"",
    );
    write(root, "src/root/__init__.py", "");
    write(root, "packages/lib-a/src/lib_a/__init__.py", "");
    write(root, "packages/lib-b/src/lib_b/__init__.py", "");
}

fn normalize(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

fn new_value(field: &Field) -> Option<String> {
    let member = |p: &str| MEMBERS.contains(&normalize(p).as_str());
    match &field.kind {
        FieldKind::Version => (field.value == OLD).then(|| NEW.to_string()),
        FieldKind::Requirement { package } if member(package) => {
            let version = field
                .value
                .trim_start_matches(['=', '>', '<', '~', '!', ' ']);
            let operator = &field.value[..field.value.len() - version.len()];
            (version == OLD).then(|| format!("{operator}{NEW}"))
        }
        FieldKind::Locked { package } | FieldKind::LockReference { package }
            if member(package) && field.value == OLD =>
        {
            Some(NEW.to_string())
        }
        _ => None,
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs uv: scripts/test runs it (cargo test --features oracles)"
)]
fn uv_accepts_the_bumped_workspace_and_lock() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    generate(root);

    let out = uv(root, &["lock", "--offline"]);
    assert!(out.status.success(), "uv lock failed:\n{}", stderr(&out));
    let stale_lock = std::fs::read_to_string(root.join("uv.lock")).unwrap();
    let out = uv(root, &["lock", "--locked", "--offline"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let mut edited = Vec::new();
    for manifest in [
        "pyproject.toml",
        "packages/lib-a/pyproject.toml",
        "packages/lib-b/pyproject.toml",
    ] {
        for key in bump_file(&root.join(manifest), FileKind::Pyproject, new_value) {
            edited.push(format!("{manifest}: {key}"));
        }
    }
    for key in bump_file(&root.join("uv.lock"), FileKind::UvLock, new_value) {
        edited.push(format!("uv.lock: {key}"));
    }
    edited.sort();
    assert_eq!(
        edited,
        [
            "packages/lib-a/pyproject.toml: project.dependencies[0]",
            "packages/lib-a/pyproject.toml: project.optional-dependencies.all[0]",
            "packages/lib-a/pyproject.toml: project.version",
            "packages/lib-b/pyproject.toml: project.version",
            "pyproject.toml: dependency-groups.dev[0]",
            "pyproject.toml: project.dependencies[0]",
            "pyproject.toml: project.version",
            "uv.lock: package.\"lib-a\"",
            "uv.lock: package.\"lib-b\"",
            "uv.lock: package.\"root\"",
        ]
    );
    let lib_a = std::fs::read_to_string(root.join("packages/lib-a/pyproject.toml")).unwrap();
    assert!(
        lib_a.contains("\"lib_b[fast]==0.2.0b1 ; python_version >= '3.8'\""),
        "{lib_a}"
    );
    let lib_b = std::fs::read_to_string(root.join("packages/lib-b/pyproject.toml")).unwrap();
    assert!(
        lib_b.contains("\r\n\tversion\t= \"0.2.0b1\"\r\n"),
        "{lib_b}"
    );

    // The oracle: uv agrees the lock matches the bumped workspace...
    let bumped_lock = std::fs::read_to_string(root.join("uv.lock")).unwrap();
    let out = uv(root, &["lock", "--locked", "--offline"]);
    assert!(
        out.status.success(),
        "uv rejected the bumped lock:\n{}\n{bumped_lock}",
        stderr(&out)
    );
    // ... and re-locking from scratch writes the same bytes.
    let out = uv(root, &["lock", "--offline"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(root.join("uv.lock")).unwrap(),
        bumped_lock
    );

    // The oracle can fail: the stale lock is rejected.
    std::fs::write(root.join("uv.lock"), &stale_lock).unwrap();
    let out = uv(root, &["lock", "--locked", "--offline"]);
    assert!(
        !out.status.success(),
        "uv accepted a stale uv.lock: the oracle proves nothing"
    );
}
