//! End-to-end cases, a test each: `cases/<name>.toml` names a repository (a directory of this
//! project), the arguments and the exit status. The repository is copied to a temporary
//! directory, `<name>.in/` is laid over it, the command runs, and then:
//! * stdout and stderr must equal `<name>.stdout` / `<name>.stderr` (none: empty) to the byte,
//!   the temporary directory written `[ROOT]`;
//! * the exit status must be the case's;
//! * the tree must equal the copy with `<name>.out/` laid over it: the files that changed are
//!   exactly those of `.out/`, and every other file is byte-identical to before (none removed).
//!
//! Optional keys: `cwd` (the directory to run in, relative to the repository), `metadata =
//! true` (`cargo metadata --locked --offline` must load the tree afterwards), `cargo-rejects
//! = true` (cargo refuses the manifests on purpose: the workspace oracle skips the case).
//!
//! `SNAPSHOTS=overwrite cargo test -p cargo-release-policy --test testsuite cli::` rewrites the
//! stdout/stderr snapshots and the `.out/` trees from what the command did (snapbox's
//! variable). A new case is a name in [`cases!`]; `every_case_has_a_test` fails until it is.

use crate::support::{cases_dir, project_root, tree, write_tree};

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use snapbox::assert::{Action, DEFAULT_ACTION_ENV};
use snapbox::data::DataFormat;
use snapbox::{Assert, Data, Redactions};

/// A test per case, named as its file with `_` for `-`.
macro_rules! cases {
    ($($case:ident)*) => {
        mod case {
            $(#[test] fn $case() { super::run_case(&stringify!($case).replace('_', "-")); })*
        }
        const CASES: &[&str] = &[$(stringify!($case)),*];
    };
}

cases! {
    adopt_bump_my_version adopt_bumpversion adopt_bumpversion_json adopt_cargo_release
    adopt_commitizen adopt_knope adopt_literal_ws adopt_release_please adopt_rooster adopt_tbump
    adopt_version_files build_bump_alpha_dev bump_dev_refused bump_dry_run bump_json
    bump_minor_beta bump_pre_numbered bump_pre_overflow bump_typo bump_unknown_level
    bump_unspellable check check_drift check_drift_json check_no_policy check_no_policy_json
    check_no_policy_strict check_verbose cmake_three_parts glob_no_match go_major_v2_refused
    go_module_tag_override go_module_tag_unknown go_module_tags go_module_tags_json
    groups_bump_alpha groups_bump_no_group groups_duplicate_tag groups_listed_inherits
    groups_listed_leader groups_show groups_show_json hatch_bump_minor hatch_check
    hatch_check_drift hatch_no_match hatch_pattern_conflict hatch_pattern_refused hatch_show
    helm_app_version_unknown init init_dry_run jvm_go_bump_dev jvm_go_bump_minor jvm_go_show
    malformed_json maturin_bump maturin_check_drift maturin_member_group maturin_sync_drift
    maven_bump_dev maven_bump_rc_refused maven_bump_release maven_module_external_parent
    npm_range_show parts_bump_rc parts_check_drift patterns_bump_no_match patterns_bump_rc
    patterns_check patterns_check_drift patterns_conflict patterns_init patterns_no_match
    patterns_no_match_json patterns_overlap patterns_show patterns_sync_drift patterns_too_many
    poetry_pin_bump requirements_bump_exact requirements_bump_major requirements_check_drift
    requirements_sync_drift rules_bump_bare_alpha rules_bump_left_out rules_bump_nightly
    rules_bump_nightly_python rules_bump_workspace rules_check_drift rules_show rules_unreadable
    rules_unreadable_bump_other select_cwd_member select_root_package select_two_groups
    select_two_groups_refused select_workspace_json shared_literal_bump_minor
    shared_literal_check_drift shared_literal_show show show_json show_verbose single_bump_rc
    single_check sync_drift sync_in_lockstep unknown_key unpublished_bump
    unpublished_bump_published unpublished_bump_unspellable uv_range_bump_major
    uv_range_check_drift yaml_alias_refused
}

#[test]
fn every_case_has_a_test() {
    let mut files: Vec<String> = fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().replace('-', "_"))
        .collect();
    files.sort();
    assert_eq!(files, CASES, "the cases of {}", cases_dir().display());
}

fn overwrite() -> bool {
    Action::with_env_var(DEFAULT_ACTION_ENV) == Some(Action::Overwrite)
}

/// `actual` against the snapshot file `path`, to the byte (no file: empty). snapbox's filters
/// are off ([`Data::raw`]: no `[..]` or `...` wildcards, no `\` made `/`), and text holding a
/// `\r` (a CRLF file's diff) is compared as bytes: snapbox compares text with line endings
/// made `\n`, and would overwrite it so.
#[track_caller]
fn assert_file(path: &Path, actual: Vec<u8>) {
    if actual.is_empty() && (overwrite() || !path.exists()) {
        let _ = fs::remove_file(path);
        return;
    }
    let text = |b: &[u8]| std::str::from_utf8(b).is_ok_and(|t| !t.contains('\r'));
    let format = if text(&actual) && text(&fs::read(path).unwrap_or_default()) {
        DataFormat::Text
    } else {
        DataFormat::Binary
    };
    Assert::new().action_env(DEFAULT_ACTION_ENV).eq(
        Data::binary(actual),
        Data::read_from(path, Some(format)).raw(),
    );
}

fn run_case(name: &str) {
    let dir = cases_dir();
    let spec: toml_edit::DocumentMut = fs::read_to_string(dir.join(format!("{name}.toml")))
        .unwrap()
        .parse()
        .unwrap();
    let repo = project_root().join(spec["repo"].as_str().unwrap());
    let args = spec["args"].as_array().unwrap().iter();
    let status = spec["status"].as_integer().unwrap() as i32;

    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("repo");
    let mut before = tree(&repo);
    let overlay = dir.join(format!("{name}.in"));
    if overlay.is_dir() {
        before.extend(tree(&overlay));
    }
    write_tree(&root, &before);

    // `cwd`: the directory the command runs in, relative to the repository (cargo chooses
    // the package of the current directory).
    let cwd = spec
        .get("cwd")
        .and_then(toml_edit::Item::as_str)
        .map_or_else(|| root.clone(), |c| root.join(c));
    let output = snapbox::cmd::Command::new(snapbox::cargo_bin!("cargo-release-policy"))
        .arg("release-policy")
        .args(args.map(|a| a.as_str().unwrap()))
        .current_dir(&cwd)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TERM_COLOR")
        .output()
        .unwrap();
    let mut redactions = Redactions::new();
    redactions.insert("[ROOT]", root.clone()).unwrap();
    let redact = |bytes: &[u8]| {
        redactions
            .redact(&String::from_utf8_lossy(bytes))
            .into_bytes()
    };
    assert_file(&dir.join(format!("{name}.stdout")), redact(&output.stdout));
    assert_file(&dir.join(format!("{name}.stderr")), redact(&output.stderr));
    assert_eq!(output.status.code(), Some(status), "exit status");

    // `metadata = true`: cargo loads the workspace as the command left it.
    if spec.get("metadata").and_then(toml_edit::Item::as_bool) == Some(true) {
        let metadata = Command::new(env!("CARGO"))
            .args(["metadata", "--locked", "--offline", "--format-version", "1"])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(
            metadata.status.success(),
            "cargo metadata: {}",
            String::from_utf8_lossy(&metadata.stderr)
        );
    }
    let after = tree(&root);
    let removed: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(removed.is_empty(), "files removed: {removed:?}");
    let changed: BTreeMap<String, Vec<u8>> = after
        .into_iter()
        .filter(|(k, v)| before.get(k) != Some(v))
        .collect();
    let out_dir = dir.join(format!("{name}.out"));
    if overwrite() {
        let _ = fs::remove_dir_all(&out_dir);
        write_tree(&out_dir, &changed);
        return;
    }
    let expected = if out_dir.is_dir() {
        tree(&out_dir)
    } else {
        BTreeMap::new()
    };
    let names = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&changed), names(&expected), "the files that changed");
    for (file, bytes) in changed {
        assert_file(&out_dir.join(file), bytes);
    }
}

/// `init` on the example without its table writes a table that makes `check` pass.
#[test]
fn init_then_check_passes() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let mut files = tree(&project_root().join("examples/polyglot-sdk"));
    files.extend(tree(&cases_dir().join("init.in")));
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

/// A bump whose Nth write fails halfway (every N of a 12-file bump, through the binary's
/// fault-injection seam, debug builds only) leaves every file as it was, and no journal.
#[test]
fn failing_write_changes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let files = tree(&project_root().join("examples/polyglot-sdk"));
    write_tree(root, &files);
    let mut failures = 0;
    for op in ["write"] {
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
    assert_eq!(failures, 12);
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
    for entry in fs::read_dir(cases_dir()).unwrap() {
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
