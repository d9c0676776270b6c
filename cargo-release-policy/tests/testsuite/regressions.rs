#![cfg(unix)]
//! Regression tests of issue 19 ("Reliability, second pass"), one per defect, through the
//! binary on a copy of the example monorepo (`bad_input::Repo`): each failed on the code
//! before the fix.

use std::fs;
use std::os::unix::ffi::OsStrExt as _;
use std::path::Path;
use std::process::{Command, Output};

use crate::bad_input::{fingerprint, Repo};

const NODE: &str = "bindings/node/package.json";
const DARWIN: &str = "bindings/node/npm/darwin-arm64/package.json";
const HELPERS: &str = "bindings/python/helpers/pyproject.toml";
const ABOUT: &str = "bindings/python/helpers/src/polyglot_sdk_helpers/__about__.py";
const CSPROJ: &str = "bindings/dotnet/PolyglotSdk/PolyglotSdk.csproj";
const NATIVE: &str = "bindings/python/native/pyproject.toml";

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `path:line:col` of some line and column in `stderr`.
fn has_location(stderr: &str, path: &str) -> bool {
    stderr.match_indices(&format!("{path}:")).any(|(at, m)| {
        let rest = &stderr[at + m.len()..];
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap_or("");
        let col: String = parts
            .next()
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) && !col.is_empty()
    })
}

/// `check`, `check --format json` and `bump minor` exit 2 (no panic), name `path:line:col`,
/// and change nothing.
#[track_caller]
fn input_error_at(repo: &Repo, path: &str) {
    failure_at(repo, path, 2);
}

/// [`input_error_at`] with exit `code` (1: a field missing, as in an empty TOML document).
#[track_caller]
fn failure_at(repo: &Repo, path: &str, code: i32) {
    for args in [
        &["check"][..],
        &["bump", "minor"],
        &["--format", "json", "bump", "minor"],
    ] {
        let stderr = repo.refused(args, code, &[path]);
        assert!(
            has_location(&stderr, path),
            "{args:?}: no location:\n{stderr}"
        );
    }
    // JSON: the error on stderr for input errors; the finding (with its line) for a check.
    let json = repo.run(&["--format", "json", "check"]);
    assert_eq!(json.status.code(), Some(code), "{:?}", text(&json));
    let (stdout, stderr) = text(&json);
    assert!(
        has_location(&stderr, path) || stdout.contains("\"line\""),
        "{stdout}{stderr}"
    );
}

/// Defect 1: a parse error's position inside a multi-byte character panicked the renderer.
#[test]
fn parse_error_inside_a_multibyte_character_is_exit_2_with_a_location() {
    let cases: &[(&str, &[u8])] = &[
        (
            NODE,
            "{\"name\": \"x\", \"version\": \"1.0.0\" é}".as_bytes(),
        ),
        (NODE, b"\xef\xbb\xbf"),
        (NODE, "\u{feff}\u{feff}{\"version\": \"1.4.0\"}".as_bytes()),
        // Not UTF-8 (found by the mutation test): the place of the first bad byte.
        (NODE, b"{\n  \"version\": \"1.4.0\" \xff\n}\n"),
    ];
    for (path, bytes) in cases {
        let repo = Repo::example();
        repo.write(path, bytes);
        input_error_at(&repo, path);
    }
    // Only a BOM in a hatch version file: no `__version__` (exit 2), at 1:1.
    let repo = Repo::example();
    repo.write(ABOUT, "\u{feff}");
    input_error_at(&repo, ABOUT);
    // Only a BOM in a pyproject: an empty TOML document, without the version (a failed
    // check, exit 1), at 1:1.
    let repo = Repo::example();
    repo.write(HELPERS, "\u{feff}");
    failure_at(&repo, HELPERS, 1);
    // `é = 1` in a pyproject; U+2028 and an emoji in Cargo.lock.
    let repo = Repo::example();
    repo.edit(HELPERS, "[project]\n", "[project]\né = 1\n");
    input_error_at(&repo, HELPERS);
    for odd in ["\u{2028}", "🦀"] {
        let repo = Repo::example();
        repo.edit(
            "Cargo.lock",
            "version = 4\n",
            &format!("version = 4\n{odd}\n"),
        );
        input_error_at(&repo, "Cargo.lock");
        let repo = Repo::example();
        repo.edit(
            "Cargo.lock",
            "name = \"sdk-core\"\n",
            &format!("name = \"sdk-core\" {odd}\n"),
        );
        input_error_at(&repo, "Cargo.lock");
    }
}

/// Defect 2: `<Version>1.0&#46;0</Version>` passed `check --strict` and `bump` in silence.
#[test]
fn an_xml_version_written_with_character_references_is_reported_and_refused() {
    let repo = Repo::example();
    repo.edit(
        CSPROJ,
        "<PackageId>PolyglotSdk</PackageId>",
        "<PackageId>PolyglotSdk</PackageId>\n    <Version>1.4&#46;0</Version>",
    );
    for args in [&["check"][..], &["check", "--strict"]] {
        let stderr = repo.refused(args, 1, &["unsupported version value", "no escapes"]);
        assert!(
            stderr.contains(&format!("{CSPROJ}:6:")),
            "{args:?}: no location:\n{stderr}"
        );
    }
    for args in [&["bump", "minor"][..], &["sync"]] {
        repo.refused(
            args,
            1,
            &[
                "refusing to write",
                &format!("{CSPROJ}:6:"),
                "nothing was written",
                "remove the file from `manifests`",
            ],
        );
    }
}

/// Defect 3: a glob match below a directory whose name is not UTF-8 was dropped in silence.
#[test]
fn a_glob_match_under_a_non_utf8_directory_is_an_error_naming_it() {
    let repo = Repo::example();
    let dir = repo
        .root
        .join("bindings/node/npm")
        .join(std::ffi::OsStr::from_bytes(b"b\xff"));
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("package.json"), repo.read(DARWIN)).unwrap();
    repo.bump_refused(
        2,
        &[
            "bindings/node/npm/b\u{fffd}",
            "is not valid UTF-8",
            "bindings/node/npm/*/package.json",
        ],
    );
}

/// Defect 10: a glob meeting a link to a directory outside the repository skipped it in
/// silence; one leading inside is followed.
#[test]
fn a_glob_meeting_a_linked_directory_follows_it_inside_and_refuses_it_outside() {
    let repo = Repo::example();
    fs::write(
        repo.outside.join("package.json"),
        repo.read(DARWIN).replace("1.4.0", "0.1.0"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&repo.outside, repo.path("bindings/node/npm/evil")).unwrap();
    repo.bump_refused(
        2,
        &[
            "bindings/node/npm/evil",
            "outside the repository",
            "bindings/node/npm/*/package.json",
        ],
    );

    // The same through a `**` walk (which follows no link): named, not skipped.
    repo.edit(
        "Cargo.toml",
        "\"bindings/node/npm/*/package.json\"",
        "\"bindings/node/npm/**/package.json\"",
    );
    repo.bump_refused(2, &["bindings/node/npm/evil", "outside the repository"]);

    // Inside: followed, so a drifted file behind the link is found.
    let repo = Repo::example();
    repo.write(
        "vendor/linux-arm64/package.json",
        repo.read(DARWIN)
            .replace("darwin-arm64", "linux-arm64")
            .replace("1.4.0", "1.3.0"),
    );
    std::os::unix::fs::symlink(
        "../../../vendor/linux-arm64",
        repo.path("bindings/node/npm/linux-arm64"),
    )
    .unwrap();
    let stderr = repo.refused(
        &["check"],
        1,
        &["bindings/node/npm/linux-arm64/package.json"],
    );
    assert!(stderr.contains("version drift"), "{stderr}");
    let bump = repo.run(&["bump", "minor"]);
    assert!(bump.status.success(), "{:?}", text(&bump));
    assert!(repo
        .read("vendor/linux-arm64/package.json")
        .contains("\"1.5.0\""));
}

/// Defect 8: the rendered column of a line-1 diagnostic counted the BOM.
#[test]
fn a_line_1_column_does_not_count_the_bom() {
    let repo = Repo::example();
    let one_line = repo
        .read(NODE)
        .replace(['\n', '\t'], "")
        .replace("\"version\": \"1.4.0\"", "\"version\": \"1.3.0\"");
    repo.write(NODE, format!("\u{feff}{one_line}\n"));
    // The column `show` and JSON give (the BOM not counted).
    let json = repo.run(&["--format", "json", "check"]);
    let document: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let finding = document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == NODE && f["status"] == "drift")
        .unwrap();
    assert_eq!(finding["line"], 1);
    let column = finding["column"].as_u64().unwrap();
    assert_eq!(
        column as usize,
        one_line.find("1.3.0").unwrap() + 1,
        "JSON counts the BOM"
    );
    let stderr = repo.refused(&["check"], 1, &["version drift"]);
    assert!(
        stderr.contains(&format!("{NODE}:1:{column}")),
        "expected {NODE}:1:{column}:\n{stderr}"
    );
}

/// Defect 9: label errors had no `path:line:col`; digits and `-` are refused (the standard
/// now says so).
#[test]
fn label_errors_point_at_the_label() {
    for (labels, message) in [
        ("{ pre2 = \"rc\" }", "invalid pre-release label `pre2`"),
        ("{ my-pre = \"rc\" }", "invalid pre-release label `my-pre`"),
        ("{ post = \"rc\" }", "label `post` cannot be used"),
        (
            "{ alpha = \"b\" }",
            "the built-in label `alpha` is stage `a`, not `b`",
        ),
    ] {
        let repo = Repo::example();
        repo.edit(
            "Cargo.toml",
            "tag-name = ",
            &format!("labels = {labels}\ntag-name = "),
        );
        repo.bump_refused(2, &["Cargo.toml:15:", message]);
    }
    // A built-in label with its own stage is harmless.
    let repo = Repo::example();
    repo.edit(
        "Cargo.toml",
        "tag-name = ",
        "labels = { alpha = \"a\" }\ntag-name = ",
    );
    let check = repo.run(&["check"]);
    assert!(check.status.success(), "{:?}", text(&check));
}

/// Defect 11: a pyproject without `version` or `dynamic`: `check` said to run `sync`, which
/// refuses to add fields.
#[test]
fn a_missing_version_field_names_the_fix_that_works() {
    let repo = Repo::example();
    let native = repo.read(NATIVE);
    let mut stripped = String::new();
    for line in native.lines() {
        if !line.starts_with("dynamic") && !line.starts_with("version") {
            stripped.push_str(line);
            stripped.push('\n');
        }
    }
    assert_ne!(stripped, native);
    repo.write(NATIVE, stripped);
    let stderr = repo.refused(
        &["check"],
        1,
        &["missing version", "dynamic = [\"version\"]"],
    );
    assert!(
        !stderr.contains("run `cargo release-policy sync`"),
        "{stderr}"
    );
    for args in [&["sync"][..], &["bump", "minor"]] {
        let stderr = repo.refused(args, 1, &["refusing to write", "dynamic = [\"version\"]"]);
        assert!(
            !stderr.contains("run `cargo release-policy sync`"),
            "{stderr}"
        );
    }
}

// --- git ---

const IDENTITY: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "Release Bot"),
    ("GIT_AUTHOR_EMAIL", "bot@example.com"),
    ("GIT_COMMITTER_NAME", "Release Bot"),
    ("GIT_COMMITTER_EMAIL", "bot@example.com"),
];

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .envs(IDENTITY)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// [`Repo::refused`] in a git repository: `.git` may change (`git status` refreshes the
/// index), nothing else may.
#[track_caller]
fn refused_in_git(repo: &Repo, args: &[&str], code: i32, expected: &[&str]) -> String {
    let outside_git = |root: &Path| {
        let mut print = fingerprint(root);
        print.retain(|k, _| k != ".git" && !k.starts_with(".git/"));
        print
    };
    let before = outside_git(&repo.root);
    let output = repo.run(args);
    let (_, stderr) = text(&output);
    assert_eq!(output.status.code(), Some(code), "{args:?}\n{stderr}");
    for fragment in expected {
        assert!(
            stderr.contains(fragment),
            "{args:?}: lacks `{fragment}`:\n{stderr}"
        );
    }
    assert!(
        before == outside_git(&repo.root),
        "{args:?} changed the tree\n{stderr}"
    );
    stderr
}

fn committed(repo: &Repo) {
    git(&repo.root, &["init", "-q", "-b", "main"]);
    git(&repo.root, &["config", "user.name", "Release Bot"]);
    git(&repo.root, &["config", "user.email", "bot@example.com"]);
    git(&repo.root, &["add", "-A"]);
    git(&repo.root, &["commit", "-q", "-m", "initial"]);
}

/// Defect 4: a manifest that is a link was written through, but the unchanged link was
/// committed; `tag`'s dirty check looked only at the link.
#[test]
fn bump_commit_commits_the_file_a_link_leads_to() {
    let repo = Repo::example();
    repo.write("real/darwin/package.json", repo.read(DARWIN));
    fs::remove_file(repo.path(DARWIN)).unwrap();
    std::os::unix::fs::symlink("../../../../real/darwin/package.json", repo.path(DARWIN)).unwrap();
    committed(&repo);
    let out = repo.run(&["bump", "minor", "--commit", "--tag"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(git(&repo.root, &["status", "--porcelain"]), "");
    let tagged = git(&repo.root, &["show", "v1.5.0:real/darwin/package.json"]);
    assert!(tagged.contains("\"version\": \"1.5.0\""), "{tagged}");

    // `tag` sees a change behind the link.
    let repo2 = Repo::example();
    repo2.write("real/darwin/package.json", repo2.read(DARWIN));
    fs::remove_file(repo2.path(DARWIN)).unwrap();
    std::os::unix::fs::symlink("../../../../real/darwin/package.json", repo2.path(DARWIN)).unwrap();
    committed(&repo2);
    repo2.edit(
        "real/darwin/package.json",
        "\"license\"",
        "\"private\": true, \"license\"",
    );
    let stderr = refused_in_git(
        &repo2,
        &["tag", "--allow-dirty"],
        1,
        &["real/darwin/package.json"],
    );
    assert!(stderr.contains("uncommitted changes"), "{stderr}");
}

/// Defect 5: a git-ignored file to change made `git add` fail after every file was
/// written, leaving the others staged. It is decided before writing: the ignored file is
/// written, left out of the commit, and named.
#[test]
fn bump_commit_leaves_git_ignored_files_out_and_names_them() {
    let repo = Repo::example();
    let mut ignore = repo.read(".gitignore");
    ignore.push_str("Cargo.lock\n");
    repo.write(".gitignore", ignore);
    committed(&repo);
    assert!(!git(&repo.root, &["ls-files"])
        .lines()
        .any(|l| l == "Cargo.lock"));
    let out = repo.run(&["bump", "minor", "--commit", "--tag"]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("not committed, because git ignores it: Cargo.lock"),
        "{stderr}"
    );
    assert!(repo.read("Cargo.lock").contains("version = \"1.5.0\""));
    // Nothing staged or modified is left behind.
    assert_eq!(git(&repo.root, &["status", "--porcelain"]), "");
    let tagged = git(&repo.root, &["show", "v1.5.0:Cargo.toml"]);
    assert!(tagged.contains("version = \"1.5.0\""), "{tagged}");
}

/// Defect 6: a tag name starting with `-` was passed to git as an option.
#[test]
fn a_tag_name_starting_with_a_dash_is_refused_before_any_write() {
    for template in ["--list", "-l{{version}}"] {
        let repo = Repo::example();
        repo.edit(
            "Cargo.toml",
            "tag-name = \"v{{version}}\"",
            &format!("tag-name = \"{template}\""),
        );
        committed(&repo);
        let head = git(&repo.root, &["rev-parse", "HEAD"]);
        refused_in_git(
            &repo,
            &["tag"],
            1,
            &["not a valid tag name", "starts with `-`"],
        );
        refused_in_git(
            &repo,
            &["bump", "minor", "--commit", "--tag"],
            1,
            &["not a valid tag name"],
        );
        assert_eq!(git(&repo.root, &["rev-parse", "HEAD"]), head);
        assert_eq!(git(&repo.root, &["tag", "-l"]), "");
    }
}

/// Defect 7: `tag` succeeded on a dirty tree when the dirty file was not a manifest.
#[test]
fn tag_refuses_a_dirty_tree_unless_allowed() {
    let repo = Repo::example();
    committed(&repo);
    let mut readme = repo.read("README.md");
    readme.push_str("\nmore\n");
    repo.write("README.md", readme);
    refused_in_git(
        &repo,
        &["tag"],
        1,
        &["uncommitted changes", "README.md", "--allow-dirty"],
    );
    assert_eq!(git(&repo.root, &["tag", "-l"]), "");
    let out = repo.run(&["tag", "--allow-dirty"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(
        git(&repo.root, &["tag", "-l"]),
        "bindings/go/v1.4.0\nv1.4.0"
    );
}
