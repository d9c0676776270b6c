//! Oracle: the workspace members resolved from the manifests ([`Workspace::resolve`]) are
//! exactly what `cargo metadata --no-deps` reports ([`Workspace::from_metadata`]), over
//! generated workspaces (globs, `exclude`, nested workspaces, members reached only by a path
//! dependency, virtual roots, root packages, randomly generated layouts) and over every Cargo
//! workspace fixture of this repository. Where the fast path gives up, it must say so (and
//! `cargo metadata` decides); it must never accept a workspace cargo refuses.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;

use super::{Fallback, Workspace};

/// The repository this crate is in.
fn project_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Copy the directory `from` (files and directories only) into `to`.
fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&source, &target);
        } else {
            std::fs::copy(&source, &target).unwrap();
        }
    }
}

fn require_cargo() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    match Command::new(&cargo).arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => panic!(
            "this oracle test needs `cargo` on PATH (or $CARGO): install Rust with https://rustup.rs"
        ),
    }
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A package at `dir` (relative to `root`) named `name`, with `extra` after `[package]`.
fn package(root: &Path, dir: &str, name: &str, extra: &str) {
    let manifest = if dir.is_empty() {
        "Cargo.toml".to_string()
    } else {
        format!("{dir}/Cargo.toml")
    };
    let src = if dir.is_empty() {
        "src/lib.rs".to_string()
    } else {
        format!("{dir}/src/lib.rs")
    };
    write(
        root,
        &manifest,
        &format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}"),
    );
    write(root, &src, "");
}

/// Resolve `manifest` both ways; they must agree whenever the fast path answers.
fn agree(manifest: &Path) -> Result<Workspace, Fallback> {
    let fast = Workspace::resolve(manifest);
    let cargo = Workspace::from_metadata(manifest);
    match (&fast, &cargo) {
        (Ok(fast), Ok(cargo)) => {
            assert_eq!(fast.root, cargo.root, "root of {}", manifest.display());
            assert_eq!(fast.root_manifest, cargo.root_manifest);
            assert_eq!(
                fast.members,
                cargo.members,
                "members of {}",
                manifest.display()
            );
            assert_eq!(fast.repo_root, cargo.repo_root);
        }
        (Ok(fast), Err(error)) => panic!(
            "the fast path accepted {} (members {:?}) where cargo fails: {error}",
            manifest.display(),
            fast.members
        ),
        (Err(_), _) => {}
    }
    fast
}

/// `agree`, and the fast path must have answered.
#[track_caller]
fn handled(manifest: &Path) -> Workspace {
    match agree(manifest) {
        Ok(workspace) => workspace,
        Err(Fallback(why)) => panic!("{}: fell back: {why}", manifest.display()),
    }
}

fn names(root: &Path, workspace: &Workspace) -> Vec<String> {
    workspace
        .members
        .iter()
        .map(|m| {
            m.parent()
                .unwrap()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// Globs (`*`, `?`, a hidden directory, a file the glob matches), `exclude`, a nested
/// workspace that is ignored, members reached only through path dependencies (plain, dev,
/// target-specific build, inherited from `[workspace.dependencies]`), and a path dependency
/// outside the workspace.
#[test]
fn virtual_root_with_globs_exclude_and_path_members() {
    require_cargo();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    write(
        &root,
        "Cargo.toml",
        "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\", \"tools/cl?\"]\nexclude = [\"crates/legacy\", \"nested\"]\n\n\
[workspace.dependencies]\nshared = { path = \"libs/shared\" }\nserde-like = \"1\"\n",
    );
    package(
        &root,
        "crates/a",
        "a",
        "\n[dependencies]\nutil = { path = \"../../libs/util\" }\nlegacy = { path = \"../legacy\" }\nshared.workspace = true\n",
    );
    package(
        &root,
        "crates/b",
        "b",
        "\n[dev-dependencies]\na = { path = \"../a\" }\n\n[target.'cfg(unix)'.build-dependencies]\ngen = { path = \"../../gen\" }\n\n[dependencies.outside]\npath = \"../../../outside\"\n",
    );
    package(&root, "crates/legacy", "legacy", "");
    package(&root, "crates/.hidden", "hidden", "");
    write(&root, "crates/notes.txt", "not a crate\n");
    package(&root, "tools/cli", "cli", "");
    package(
        &root,
        "libs/util",
        "util",
        "\n[dependencies]\nhelper = { path = \"../helper\" }\n",
    );
    package(&root, "libs/helper", "helper", "");
    package(&root, "libs/shared", "shared", "");
    package(&root, "libs/unused", "unused", "");
    package(&root, "gen", "gen", "");
    write(
        &root,
        "nested/Cargo.toml",
        "[workspace]\nmembers = [\"inner\"]\n",
    );
    package(&root, "nested/inner", "inner", "");
    package(dir.path(), "outside", "outside", "");

    let ws = handled(&root.join("Cargo.toml"));
    let mut got = names(&root, &ws);
    got.sort();
    assert_eq!(
        got,
        [
            "crates/.hidden",
            "crates/a",
            "crates/b",
            "gen",
            "libs/helper",
            "libs/shared",
            "libs/util",
            "tools/cli"
        ]
    );
    // From a member, from a member found only by path, from the nested workspace.
    handled(&root.join("crates/b/Cargo.toml"));
    handled(&root.join("libs/helper/Cargo.toml"));
    let nested = handled(&root.join("nested/inner/Cargo.toml"));
    assert_eq!(nested.root, root.join("nested"));
    // An excluded package is a workspace of its own.
    let legacy = handled(&root.join("crates/legacy/Cargo.toml"));
    assert_eq!(legacy.members, [root.join("crates/legacy/Cargo.toml")]);
    // Outside the workspace: a package alone.
    handled(&dir.path().join("outside/Cargo.toml"));
}

/// A root package without `members`: itself and its path dependencies, transitively.
#[test]
fn root_package_without_members() {
    require_cargo();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    package(
        root,
        "",
        "app",
        "\n[workspace]\n\n[workspace.dependencies]\nshared = { path = \"shared\" }\n\n[dependencies]\nsub = { path = \"sub\" }\nshared = { workspace = true }\n",
    );
    package(
        root,
        "sub",
        "sub",
        "\n[dependencies]\ndeep = { path = \"../deep\" }\n",
    );
    package(root, "deep", "deep", "");
    package(root, "shared", "shared", "");
    package(root, "stray", "stray", "");
    let ws = handled(&root.join("Cargo.toml"));
    assert_eq!(names(root, &ws), ["", "deep", "shared", "sub"]);
}

/// A package with no `[workspace]` anywhere above it: alone, without its path dependencies.
#[test]
fn lone_package() {
    require_cargo();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    package(
        root,
        "",
        "alone",
        "\n[dependencies]\ndep = { path = \"dep\" }\n",
    );
    package(root, "dep", "dep", "");
    let ws = handled(&root.join("Cargo.toml"));
    assert_eq!(names(root, &ws), [""]);
}

/// `members` naming a directory overrides an `exclude` of its parent; a nested workspace
/// that nothing reaches is ignored even when not excluded; `default-members` is checked.
#[test]
fn explicit_member_beats_exclude_and_nested_workspace_is_ignored() {
    require_cargo();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\", \"crates/keep\", \"apps/main\"]\nexclude = [\"crates\"]\ndefault-members = [\"apps/main\"]\n",
    );
    package(root, "crates/keep", "keep", "");
    package(root, "crates/dropped", "dropped", "");
    package(root, "apps/main", "main", "");
    write(
        root,
        "examples/demo/Cargo.toml",
        "[workspace]\nmembers = [\"d\"]\n",
    );
    package(root, "examples/demo/d", "d", "");
    let ws = handled(&root.join("Cargo.toml"));
    assert_eq!(names(root, &ws), ["apps/main", "crates/keep"]);
    handled(&root.join("examples/demo/Cargo.toml"));
}

/// What the fast path does not handle, it leaves to cargo — and cargo's answer (or error)
/// is what `Workspace::load` gives.
#[test]
fn unhandled_layouts_fall_back() {
    require_cargo();
    let cases: [(&str, &[(&str, &str)]); 5] = [
        // `package.workspace` points at the root.
        (
            "pointer",
            &[
                ("Cargo.toml", "[workspace]\nmembers = [\"m\"]\n"),
                (
                    "m/Cargo.toml",
                    "[package]\nname = \"m\"\nversion = \"0.1.0\"\nworkspace = \"..\"\n",
                ),
            ],
        ),
        // A recursive glob.
        (
            "recursive glob",
            &[
                ("Cargo.toml", "[workspace]\nmembers = [\"crates/**/x\"]\n"),
                (
                    "crates/a/x/Cargo.toml",
                    "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
                ),
            ],
        ),
        // A member directory without a manifest: cargo's error.
        (
            "missing member",
            &[("Cargo.toml", "[workspace]\nmembers = [\"gone\"]\n")],
        ),
        // Two members with one name: cargo's error.
        (
            "duplicate names",
            &[
                ("Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n"),
                (
                    "a/Cargo.toml",
                    "[package]\nname = \"same\"\nversion = \"0.1.0\"\n",
                ),
                (
                    "b/Cargo.toml",
                    "[package]\nname = \"same\"\nversion = \"0.1.0\"\n",
                ),
            ],
        ),
        // A member that is a nested workspace's root: cargo's error.
        (
            "nested root as member",
            &[
                ("Cargo.toml", "[workspace]\nmembers = [\"inner\"]\n"),
                (
                    "inner/Cargo.toml",
                    "[package]\nname = \"inner\"\nversion = \"0.1.0\"\n\n[workspace]\n",
                ),
            ],
        ),
    ];
    for (name, files) in cases {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            write(dir.path(), path, text);
            if path.ends_with("Cargo.toml") && text.contains("[package]") {
                let src = Path::new(path).parent().unwrap().join("src/lib.rs");
                write(dir.path(), src.to_str().unwrap(), "");
            }
        }
        let manifest = dir.path().join("Cargo.toml");
        assert!(
            agree(&manifest).is_err(),
            "{name}: the fast path should have fallen back"
        );
        let loaded = Workspace::load(Some(&manifest)).map(|w| w.members);
        let cargo = Workspace::from_metadata(&manifest).map(|w| w.members);
        assert_eq!(
            loaded.is_ok(),
            cargo.is_ok(),
            "{name}: {loaded:?} vs {cargo:?}"
        );
        if let (Ok(loaded), Ok(cargo)) = (loaded, cargo) {
            assert_eq!(loaded, cargo, "{name}");
        }
    }
}

/// Every Cargo workspace fixture of the repository: the example monorepo, each end-to-end
/// case's repository with its `.in/` overlay, and this project's own workspace.
#[test]
fn every_fixture() {
    require_cargo();
    let project = project_root();
    handled(&project.join("Cargo.toml"));
    handled(&project.join("examples/polyglot-sdk/Cargo.toml"));
    handled(&project.join("examples/polyglot-sdk/crates/sdk-node/Cargo.toml"));
    let cases = project.join("cargo-release-policy/tests/testsuite/cases");
    let mut count = 0;
    for entry in std::fs::read_dir(&cases).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let case: toml_edit::DocumentMut = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        // A case whose manifests cargo itself refuses on purpose (a leader version that is
        // not SemVer) has no answer of cargo's to agree with.
        if case.get("cargo-rejects").and_then(toml_edit::Item::as_bool) == Some(true) {
            continue;
        }
        let repo = case["repo"].as_str().unwrap();
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&project.join(repo), dir.path());
        let overlay = path.with_extension("in");
        if overlay.is_dir() {
            copy_dir(&overlay, dir.path());
        }
        // What the case's command would load: the root manifest.
        handled(&dir.path().join("Cargo.toml"));
        count += 1;
    }
    assert!(
        count >= 10,
        "only {count} cases found in {}",
        cases.display()
    );
}

/// Each fixture repository is a workspace of its own where it is checked in: cargo run in it
/// does not take it for a member of this project's workspace (the root manifest excludes
/// them, and names `cargo-release-policy` by a glob so that the exclusion holds).
#[test]
fn fixture_repos_are_workspaces_of_their_own() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let repos = project_root().join("cargo-release-policy/tests/testsuite/repos");
    let mut count = 0;
    for entry in std::fs::read_dir(&repos).unwrap() {
        let dir = entry.unwrap().path();
        let out = Command::new(&cargo)
            .args([
                "metadata",
                "--no-deps",
                "--offline",
                "--format-version",
                "1",
            ])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cargo metadata in {}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        count += 1;
    }
    assert!(count >= 4, "only {count} fixture repositories");
}

/// A generated layout: crates in three directories, `members` and `exclude` drawn from
/// globs and literal paths, path dependencies between crates in every dependency table.
#[derive(Debug, Clone)]
struct Layout {
    crates: Vec<(&'static str, usize)>,
    members: Vec<&'static str>,
    exclude: Vec<&'static str>,
    root_package: bool,
    /// `(from, to, table)`: crate `from` depends on crate `to` by path.
    deps: Vec<(usize, usize, usize)>,
    nested: bool,
}

const DIRS: [&str; 3] = ["crates", "libs", "misc"];
const MEMBERS: [&str; 6] = [
    "crates/*",
    "libs/*",
    "crates/c1",
    "misc/m?",
    "libs/l0",
    "misc/*",
];
const EXCLUDES: [&str; 4] = ["crates/c2", "libs", "misc/m1", "nested"];
const TABLES: [&str; 4] = [
    "dependencies",
    "dev-dependencies",
    "build-dependencies",
    "target.'cfg(unix)'.dependencies",
];

fn crate_dir((dir, n): (&str, usize)) -> String {
    format!("{dir}/{}{n}", &dir[..1])
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        proptest::collection::vec((0..3usize, 0..4usize), 1..7),
        proptest::sample::subsequence(MEMBERS.to_vec(), 0..4),
        proptest::sample::subsequence(EXCLUDES.to_vec(), 0..3),
        any::<bool>(),
        proptest::collection::vec((0..7usize, 0..7usize, 0..4usize), 0..8),
        any::<bool>(),
    )
        .prop_map(|(crates, members, exclude, root_package, deps, nested)| {
            let mut unique: Vec<(&'static str, usize)> = Vec::new();
            for (d, n) in crates {
                if !unique.contains(&(DIRS[d], n)) {
                    unique.push((DIRS[d], n));
                }
            }
            let count = unique.len();
            Layout {
                crates: unique,
                members,
                exclude,
                root_package,
                deps: deps
                    .into_iter()
                    .filter(|(from, to, _)| from < &count && to < &count && from != to)
                    .collect(),
                nested,
            }
        })
}

fn write_layout(root: &Path, layout: &Layout) {
    let quote = |items: &[&str]| {
        items
            .iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut top = String::new();
    if layout.root_package {
        top.push_str("[package]\nname = \"root-pkg\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n");
        write(root, "src/lib.rs", "");
    }
    let _ = write!(
        top,
        "[workspace]\nmembers = [{}]\nexclude = [{}]\n",
        quote(&layout.members),
        quote(&layout.exclude)
    );
    let mut tables: BTreeMap<usize, String> = BTreeMap::new();
    for &(from, to, table) in &layout.deps {
        let section = tables.entry(from).or_default();
        let to_dir = crate_dir(layout.crates[to]);
        let _ = write!(
            section,
            "\n[{}.dep{to}]\npath = \"../../{to_dir}\"\n",
            TABLES[table]
        );
    }
    if layout.root_package {
        if let Some(first) = layout.crates.first() {
            let _ = write!(
                top,
                "\n[dependencies.first]\npackage = \"{}\"\npath = \"{}\"\n",
                crate_dir(*first).replace('/', "-"),
                crate_dir(*first)
            );
        }
    }
    write(root, "Cargo.toml", &top);
    for (i, &c) in layout.crates.iter().enumerate() {
        let dir = crate_dir(c);
        let extra = tables.get(&i).cloned().unwrap_or_default();
        package(root, &dir, &dir.replace('/', "-"), &extra);
    }
    if layout.nested {
        write(
            root,
            "nested/Cargo.toml",
            "[workspace]\nmembers = [\"n\"]\n",
        );
        package(root, "nested/n", "nested-n", "");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Random layouts: the fast path agrees with cargo whenever it answers, and answers for
    /// every layout cargo accepts.
    #[test]
    fn generated_layouts(layout in layout()) {
        require_cargo();
        let dir = tempfile::tempdir().unwrap();
        write_layout(dir.path(), &layout);
        let manifest = dir.path().join("Cargo.toml");
        let fast = agree(&manifest);
        if Workspace::from_metadata(&manifest).is_ok() {
            prop_assert!(fast.is_ok(), "cargo accepts {layout:?} but the fast path fell back: {:?}", fast.err());
        }
    }
}
