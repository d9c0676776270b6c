//! End-to-end cases: `tests/cases/<name>.toml` names a repository (a directory of this
//! project), the arguments and the exit status. The repository is copied to a temporary
//! directory, `<name>.in/` is laid over it, the command runs, and then:
//! * stdout and stderr must equal `<name>.stdout` / `<name>.stderr`;
//! * the tree must equal the copy with `<name>.out/` laid over it: files outside `.out/`
//!   are byte-identical to before.
//!
//! `SNAPSHOTS=overwrite cargo test --test cli` rewrites the stdout/stderr snapshots and
//! the `.out/` trees from what the command did.

use crate::support::{project_root, tree, write_tree};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn overwrite() -> bool {
    std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite")
}

/// Output made stable: the temporary directory's path replaced by `[ROOT]`.
fn normalize(text: &[u8], root: &Path) -> String {
    let text = String::from_utf8_lossy(text).into_owned();
    let root = root.to_string_lossy().into_owned();
    text.replace(&root, "[ROOT]")
}

#[track_caller]
fn snapshot(path: &Path, actual: &str, what: &str, case: &str) {
    if overwrite() {
        if actual.is_empty() {
            let _ = fs::remove_file(path);
        } else {
            fs::write(path, actual).unwrap();
        }
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_default();
    assert!(
        expected == actual,
        "case `{case}`: {what} differs from {}\n--- expected\n{expected}\n--- actual\n{actual}\n(SNAPSHOTS=overwrite updates it)",
        path.display()
    );
}

fn run_case(case_file: &Path) {
    let name = case_file
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let dir = case_file.parent().unwrap();
    let spec: toml_edit::DocumentMut = fs::read_to_string(case_file).unwrap().parse().unwrap();
    let repo = project_root().join(spec["repo"].as_str().unwrap());
    let args: Vec<String> = spec["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let status = spec["status"].as_integer().unwrap() as i32;

    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("repo");
    let mut before = tree(&repo);
    let overlay = dir.join(format!("{name}.in"));
    if overlay.is_dir() {
        before.extend(tree(&overlay));
    }
    write_tree(&root, &before);

    let output = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .arg("release-policy")
        .args(&args)
        .current_dir(&root)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TERM_COLOR")
        .output()
        .unwrap();
    let stdout = normalize(&output.stdout, &root);
    let stderr = normalize(&output.stderr, &root);
    snapshot(
        &dir.join(format!("{name}.stdout")),
        &stdout,
        "stdout",
        &name,
    );
    snapshot(
        &dir.join(format!("{name}.stderr")),
        &stderr,
        "stderr",
        &name,
    );
    assert_eq!(
        output.status.code(),
        Some(status),
        "case `{name}`: exit status\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );

    let after = tree(&root);
    let out_dir = dir.join(format!("{name}.out"));
    let changed: BTreeMap<String, Vec<u8>> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(
        removed.is_empty(),
        "case `{name}`: files removed: {removed:?}"
    );
    if overwrite() {
        let _ = fs::remove_dir_all(&out_dir);
        if !changed.is_empty() {
            write_tree(&out_dir, &changed);
        }
        return;
    }
    let expected = if out_dir.is_dir() {
        tree(&out_dir)
    } else {
        BTreeMap::new()
    };
    let changed_names: Vec<&String> = changed.keys().collect();
    let expected_names: Vec<&String> = expected.keys().collect();
    assert_eq!(
        changed_names, expected_names,
        "case `{name}`: the files that changed"
    );
    for (file, bytes) in &expected {
        assert!(
            &changed[file] == bytes,
            "case `{name}`: `{file}` differs from {}\n--- actual\n{}",
            out_dir.join(file).display(),
            String::from_utf8_lossy(&changed[file])
        );
    }
}

#[test]
fn cases() {
    let dir = project_root().join("cargo-release-policy/tests/testsuite/cases");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let only = std::env::var("CASE").ok();
    for case in cases {
        if only
            .as_deref()
            .is_some_and(|o| !case.to_string_lossy().contains(o))
        {
            continue;
        }
        run_case(&case);
    }
}

/// `init` on the example without its table writes a table that makes `check` pass.
#[test]
fn init_then_check_passes() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let mut files = tree(&project_root().join("examples/polyglot-sdk"));
    files.extend(tree(
        &project_root().join("cargo-release-policy/tests/testsuite/cases/init.in"),
    ));
    write_tree(root, &files);
    let bin = env!("CARGO_BIN_EXE_cargo-release-policy");
    let run = |args: &[&str]| {
        Command::new(bin)
            .arg("release-policy")
            .args(args)
            .current_dir(root)
            .output()
            .unwrap()
    };
    let init = run(&["init"]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let check = run(&["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let bump = run(&["bump", "minor", "--pre", "beta"]);
    assert!(
        bump.status.success(),
        "{}",
        String::from_utf8_lossy(&bump.stderr)
    );
    let csproj = fs::read_to_string(
        root.join("bindings/dotnet/PolyglotSdk.Extensions/PolyglotSdk.Extensions.csproj"),
    )
    .unwrap();
    assert!(
        csproj.contains(r#"Include="PolyglotSdk" Version="1.5.0-beta.1""#),
        "{csproj}"
    );
}

/// A bump whose Nth file operation fails (every N of a 12-file bump, through the binary's
/// fault-injection seam, debug builds only) leaves every file as it was.
#[test]
fn failing_write_changes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let files = tree(&project_root().join("examples/polyglot-sdk"));
    write_tree(root, &files);
    let mut failures = 0;
    for op in ["write", "rename"] {
        for n in 1..=12 {
            let output = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
                .args(["release-policy", "bump", "minor"])
                .env("RELEASE_POLICY_FAULT", format!("{op}:{n}"))
                .current_dir(root)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{op}:{n}: {stderr}");
            assert!(stderr.contains("injected fault"), "{op}:{n}: {stderr}");
            assert_eq!(tree(root), files, "{op}:{n}: a failed bump changed files");
            failures += 1;
        }
    }
    assert_eq!(failures, 24);
    // Without a fault the same bump writes.
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .args(["release-policy", "bump", "minor"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_ne!(tree(root), files);
}

/// Every key of a JSON value, and the values of its `status`, `field` and `command` keys.
fn walk(value: &serde_json::Value, seen: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                seen.insert(k.clone());
                if k == "status" || k == "field" || k == "command" {
                    if let Some(s) = v.as_str() {
                        seen.insert(s.to_string());
                    }
                }
                walk(v, seen);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, seen)),
        _ => {}
    }
}

/// Every key and status the JSON outputs use is described in `docs/json.md`, and the
/// schema command prints the checked-in JSON Schema.
#[test]
fn json_output_is_documented() {
    let doc = fs::read_to_string(project_root().join("docs/json.md")).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for entry in
        fs::read_dir(project_root().join("cargo-release-policy/tests/testsuite/cases")).unwrap()
    {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with("-json.stdout") {
            let value: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            walk(&value, &mut seen);
        }
    }
    assert!(
        seen.contains("findings") && seen.contains("drift"),
        "{seen:?}"
    );
    for name in &seen {
        assert!(
            doc.contains(&format!("`{name}`")),
            "`{name}` is not described in docs/json.md"
        );
    }
}

#[test]
fn schema_command_prints_the_checked_in_schema() {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .args(["release-policy", "schema"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let checked_in =
        fs::read(project_root().join("policy-schema/release-policy.schema.json")).unwrap();
    assert_eq!(output.stdout, checked_in);
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}
