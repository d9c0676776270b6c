//! Release safety against real git, in temporary repositories: the branch guard
//! (`allow-branch`, `--allow-branch`), signed release commits, `--push` to a local bare
//! remote (and a push the remote refuses), the take-back of a bump whose check fails, the
//! checklist's logs, and the warning for cargo-release keys this tool ignores.

use crate::git::{configure_ssh_signing, with_checks, Repo, IDENTITY};
use crate::support::tree;

use std::fs;
use std::path::Path;
use std::process::Command;

/// Every file of the working tree (not `.git/`, nor `target/`) with its bytes.
fn worktree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = tree(dir);
    files.retain(|path, _| !path.starts_with(".git/"));
    files
}

/// Set `key = value` in the example's workspace table and commit it.
fn with_policy(repo: &Repo, lines: &str) {
    repo.edit(
        "Cargo.toml",
        "[workspace.metadata.release]\n",
        &format!("[workspace.metadata.release]\n{lines}\n"),
    );
    repo.git(&["commit", "-qam", "policy"]);
}

fn stderr_of(repo: &Repo, args: &[&str]) -> (Option<i32>, String) {
    let out = repo.run(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A refused release: exit 1, the message, and nothing changed — no commit, no tag, a clean
/// tree.
#[track_caller]
fn refused_untouched(repo: &Repo, args: &[&str], message: &str) {
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.refused(args, message);
    assert_eq!(
        repo.git(&["rev-parse", "HEAD"]),
        head,
        "{args:?}: no commit"
    );
    assert_eq!(repo.git(&["tag", "-l"]), "", "{args:?}: no tag");
    assert_eq!(repo.git(&["status", "--porcelain"]), "", "{args:?}: clean");
}

#[test]
fn allow_branch_in_the_policy_guards_bump_and_tag() {
    let repo = Repo::new("examples/polyglot-sdk");
    with_policy(&repo, r#"allow-branch = ["main"]"#);
    repo.git(&["switch", "-q", "-c", "feature"]);
    refused_untouched(
        &repo,
        &["bump", "patch", "--commit", "--tag"],
        "cannot release from branch `feature`: it does not match [`main`] (`allow-branch` of group `workspace`)",
    );
    refused_untouched(&repo, &["tag"], "cannot release from branch `feature`");
    // The command line overrides the policy.
    let out = repo.ok(&[
        "bump",
        "patch",
        "--commit",
        "--tag",
        "--allow-branch",
        "feat*",
    ]);
    assert!(out.contains("Tagged v1.4.1"), "{out}");
    // Allowed: on `main`.
    repo.git(&["switch", "-q", "main"]);
    let out = repo.ok(&["bump", "minor", "--commit", "--tag"]);
    assert!(out.contains("Tagged v1.5.0"), "{out}");
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "Release 1.5.0");
}

#[test]
fn allow_branch_globs_and_negation() {
    let repo = Repo::new("examples/polyglot-sdk");
    with_policy(&repo, r#"allow-branch = ["release/*", "!release/old-*"]"#);
    repo.git(&["switch", "-q", "-c", "release/1.x"]);
    repo.ok(&["bump", "patch", "--commit"]);
    repo.git(&["switch", "-q", "-c", "release/old-0.9"]);
    refused_untouched(
        &repo,
        &["bump", "patch", "--commit"],
        "cannot release from branch `release/old-0.9`",
    );
    repo.git(&["switch", "-q", "-c", "releases"]);
    refused_untouched(
        &repo,
        &["bump", "patch", "--commit"],
        "cannot release from branch `releases`",
    );
    // `--allow-branch` takes a comma-separated list, with negation too.
    refused_untouched(
        &repo,
        &["bump", "patch", "--commit", "--allow-branch", "*,!releases"],
        "cannot release from branch `releases`: it does not match [`*`, `!releases`] (`--allow-branch`)",
    );
    repo.ok(&[
        "bump",
        "patch",
        "--commit",
        "--allow-branch",
        "main,releases",
    ]);
}

#[test]
fn a_detached_head_is_refused_by_default() {
    let repo = Repo::new("examples/polyglot-sdk");
    repo.git(&["switch", "-q", "--detach"]);
    refused_untouched(
        &repo,
        &["bump", "patch", "--commit", "--tag"],
        "cannot release from a detached HEAD (no branch): it does not match [`*`, `!HEAD`] (the default `allow-branch = [\"*\", \"!HEAD\"]`)",
    );
    refused_untouched(&repo, &["tag"], "cannot release from a detached HEAD");
    // Without `--commit` nothing is released from the branch: the bump is allowed; a dry
    // run of the release says it would be refused.
    repo.ok(&["bump", "patch", "--dry-run"]);
    refused_untouched(
        &repo,
        &["bump", "patch", "--dry-run", "--commit"],
        "cannot release from a detached HEAD",
    );
    // Allowed on purpose.
    let out = repo.ok(&["tag", "--allow-branch", "HEAD"]);
    assert!(out.contains("Tagged v1.4.0"), "{out}");
}

#[test]
fn allow_branch_on_the_command_line_needs_commit() {
    let repo = Repo::new("examples/polyglot-sdk");
    for args in [
        &["bump", "patch", "--allow-branch", "main"][..],
        &["bump", "patch", "--push"],
        &["bump", "patch", "--keep-on-failure"],
        &["bump", "patch", "--sign-commit"],
    ] {
        let (code, stderr) = stderr_of(&repo, args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("--commit"), "{args:?}: {stderr}");
    }
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs ssh-keygen: scripts/test runs it (cargo test --features oracles)"
)]
fn sign_commit_signs_the_release_commit_git_verifies() {
    let repo = Repo::new("examples/polyglot-sdk");
    configure_ssh_signing(&repo);
    with_policy(&repo, "sign-commit = true");
    let out = repo.ok(&["bump", "minor", "--commit", "--tag"]);
    assert!(out.contains("(signed)"), "{out}");
    // `git verify-commit` fails on an unsigned commit or one it cannot verify.
    repo.git(&["verify-commit", "HEAD"]);
    let shown = repo.git(&["log", "-1", "--show-signature", "--format=%s"]);
    assert!(
        shown.contains("Good \"git\" signature for bot@example.com"),
        "{shown}"
    );
    // The earlier, unsigned commit is not verified: the check can fail.
    let out = Command::new("git")
        .args(["verify-commit", "HEAD~1"])
        .current_dir(&repo.dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    // `--sign-commit` without the key in the policy.
    repo.edit("Cargo.toml", "sign-commit = true\n", "");
    repo.git(&["commit", "-qam", "no signing"]);
    repo.git(&["verify-commit", "HEAD~1"]);
    repo.ok(&["bump", "patch", "--commit", "--sign-commit"]);
    repo.git(&["verify-commit", "HEAD"]);
}

#[test]
fn a_commit_signature_that_cannot_be_made_takes_the_bump_back() {
    let repo = Repo::new("examples/polyglot-sdk");
    let missing = repo.dir.parent().unwrap().join("no-such-key");
    repo.git(&["config", "gpg.format", "ssh"]);
    repo.git(&["config", "user.signingKey", missing.to_str().unwrap()]);
    let before = worktree(&repo.dir);
    refused_untouched(
        &repo,
        &["bump", "minor", "--commit", "--sign-commit"],
        "the bump is taken back (24 files put back as they were)",
    );
    assert!(worktree(&repo.dir) == before, "the tree is byte-identical");
}

/// A bare repository beside `repo`, added as remote `name`; its directory.
fn bare_remote(repo: &Repo, name: &str) -> std::path::PathBuf {
    let bare = repo.dir.parent().unwrap().join(format!("{name}.git"));
    let out = Command::new("git")
        .args(["init", "-q", "--bare", "-b", "main"])
        .arg(&bare)
        .output()
        .unwrap();
    assert!(out.status.success());
    repo.git(&["remote", "add", name, bare.to_str().unwrap()]);
    repo.git(&["push", "-q", name, "main"]);
    bare
}

fn remote_git(bare: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(bare)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A `pre-receive` hook in `bare` running `script`.
fn hook(bare: &Path, script: &str) {
    let path = bare.join("hooks/pre-receive");
    fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn push_sends_the_commit_and_the_tag_to_the_remote() {
    let repo = Repo::new("examples/polyglot-sdk");
    let bare = bare_remote(&repo, "origin");
    let out = repo.ok(&["bump", "minor", "--commit", "--tag", "--push"]);
    assert!(
        // The example's Go module gets its own tag, pushed with the group's.
        out.contains(
            "Pushed refs/heads/main, refs/tags/v1.5.0, refs/tags/bindings/go/v1.5.0 to origin"
        ),
        "{out}"
    );
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(remote_git(&bare, &["rev-parse", "main"]), head);
    assert_eq!(remote_git(&bare, &["rev-parse", "v1.5.0^{commit}"]), head);
    // `tag --push` pushes the tag alone.
    repo.git(&["tag", "-d", "v1.5.0"]);
    remote_git(&bare, &["tag", "-d", "v1.5.0"]);
    let out = repo.ok(&["tag", "--push"]);
    assert!(out.contains("Pushed refs/tags/v1.5.0 to origin"), "{out}");
    assert_eq!(remote_git(&bare, &["rev-parse", "v1.5.0^{commit}"]), head);
}

#[test]
fn push_in_the_policy_with_its_remote_and_options() {
    let repo = Repo::new("examples/polyglot-sdk");
    let bare = bare_remote(&repo, "upstream");
    let _origin = bare_remote(&repo, "origin");
    Command::new("git")
        .args(["config", "receive.advertisePushOptions", "true"])
        .current_dir(&bare)
        .output()
        .unwrap();
    let seen = repo.dir.parent().unwrap().join("push-options.txt");
    hook(
        &bare,
        &format!(
            "i=0; while [ $i -lt \"${{GIT_PUSH_OPTION_COUNT:-0}}\" ]; do eval echo \\$GIT_PUSH_OPTION_$i >> '{}'; i=$((i+1)); done",
            seen.display()
        ),
    );
    with_policy(
        &repo,
        r#"push = true
push-remote = "upstream"
push-options = ["ci.skip", "merge_request.create"]"#,
    );
    repo.ok(&["bump", "minor", "--commit", "--tag"]);
    let head = repo.git(&["rev-parse", "HEAD"]);
    assert_eq!(remote_git(&bare, &["rev-parse", "v1.5.0^{commit}"]), head);
    assert_eq!(
        fs::read_to_string(&seen).unwrap(),
        "ci.skip\nmerge_request.create\n"
    );
    // `--no-push` keeps it here.
    repo.ok(&["bump", "patch", "--commit", "--tag", "--no-push"]);
    assert_eq!(remote_git(&bare, &["tag", "-l", "v1.5.1"]), "");
    assert_eq!(repo.git(&["tag", "-l", "v1.5.1"]), "v1.5.1");
}

#[test]
fn a_refused_push_leaves_the_release_here_and_says_how_to_retry() {
    let repo = Repo::new("examples/polyglot-sdk");
    let bare = bare_remote(&repo, "origin");
    let remote_head = remote_git(&bare, &["rev-parse", "main"]);
    hook(&bare, "echo 'rejected by policy' >&2; exit 1");
    let (code, stderr) = stderr_of(&repo, &["bump", "minor", "--commit", "--tag", "--push"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the push to `origin` failed, so the release is made here only (committed and tagged, and kept)"),
        "{stderr}"
    );
    assert!(stderr.contains("rejected by policy"), "{stderr}");
    let retry =
        "git push --atomic origin refs/heads/main refs/tags/v1.5.0 refs/tags/bindings/go/v1.5.0";
    assert!(stderr.contains(retry), "{stderr}");
    // The release is here; nothing arrived.
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "Release 1.5.0");
    assert_eq!(repo.git(&["tag", "-l"]), "bindings/go/v1.5.0\nv1.5.0");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(remote_git(&bare, &["rev-parse", "main"]), remote_head);
    assert_eq!(remote_git(&bare, &["tag", "-l"]), "");
    // The command it gives works once the remote accepts.
    fs::remove_file(bare.join("hooks/pre-receive")).unwrap();
    let out = Command::new("sh")
        .args(["-c", retry])
        .current_dir(&repo.dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        remote_git(&bare, &["rev-parse", "main"]),
        repo.git(&["rev-parse", "HEAD"])
    );
}

#[test]
fn a_failing_check_takes_the_bump_back_unless_kept() {
    let repo = Repo::new("examples/polyglot-sdk");
    with_checks(
        &repo,
        r#"[{ name = "tests", run = ["sh", "-c", "echo boom; exit 3"] }]"#,
    );
    let before = worktree(&repo.dir);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let (code, stderr) = stderr_of(&repo, &["bump", "minor", "--commit", "--tag"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("check `tests` failed: the bump is taken back (24 files put back as they were), and nothing was committed or tagged"),
        "{stderr}"
    );
    // Byte-identical (the check's log is in the ignored `target/`).
    assert!(worktree(&repo.dir) == before, "the tree is byte-identical");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.git(&["tag", "-l"]), "");
    // With `--format json`, no document claims files changed that were put back.
    let out = repo.run(&["bump", "minor", "--commit", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert!(worktree(&repo.dir) == before, "the tree is byte-identical");
    // Kept on request.
    let (code, stderr) = stderr_of(
        &repo,
        &["bump", "minor", "--commit", "--tag", "--keep-on-failure"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("stay written (`--keep-on-failure`)"),
        "{stderr}"
    );
    assert!(repo
        .git(&["status", "--porcelain"])
        .contains("M Cargo.toml"));
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
}

#[test]
fn a_check_that_edits_a_bumped_file_stops_the_take_back_and_says_so() {
    let repo = Repo::new("examples/polyglot-sdk");
    with_checks(
        &repo,
        r#"[{ name = "touchy", run = ["sh", "-c", "echo >> bindings/node/package.json; exit 1"] }]"#,
    );
    let (code, stderr) = stderr_of(&repo, &["bump", "minor", "--commit"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("check `touchy` failed, and the bump could not be taken back"),
        "{stderr}"
    );
    assert!(stderr.contains("bindings/node/package.json"), "{stderr}");
    assert!(
        stderr.contains("git checkout -- Cargo.lock Cargo.toml"),
        "{stderr}"
    );
}

#[test]
fn a_failing_checks_output_is_logged_in_full() {
    let repo = Repo::new("examples/polyglot-sdk");
    with_checks(
        &repo,
        r#"[{ name = "quick", run = ["sh", "-c", "echo fine"] }, { name = "long one", run = ["sh", "-c", "for i in $(seq 1 100); do echo \"line $i\"; done; exit 4"] }]"#,
    );
    let (code, stderr) = stderr_of(&repo, &["checklist"]);
    assert_eq!(code, Some(1), "{stderr}");
    // Shell-quoted as `sh` reads it back.
    assert!(
        stderr.contains(
            r#"Running long one (`sh -c 'for i in $(seq 1 100); do echo "line $i"; done; exit 4'`)"#
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("--- last 40 of 100 lines of `sh -c"),
        "{stderr}"
    );
    assert!(!stderr.contains("line 60\n"), "{stderr}");
    assert!(stderr.contains("line 61\n"), "{stderr}");
    let logs = repo.dir.join("target/release-policy/checklist");
    let log = logs.join("workspace-02-long_one.log");
    assert!(
        stderr.contains(&format!("Log {}", log.display())),
        "{stderr}"
    );
    let expected: Vec<String> = (1..=100).map(|i| format!("line {i}")).collect();
    let expected = expected.join("\n") + "\n";
    assert_eq!(fs::read_to_string(&log).unwrap(), expected);
    // A passing check's log is not kept without `-v`.
    assert!(!logs.join("workspace-01-quick.log").exists());
    let (_, stderr) = stderr_of(&repo, &["-v", "checklist"]);
    let quick = logs.join("workspace-01-quick.log");
    assert!(
        stderr.contains(&format!("Log {}", quick.display())),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&quick).unwrap(), "fine\n");
}

#[test]
fn check_verdicts_are_coloured_as_asked() {
    let repo = Repo::new("examples/polyglot-sdk");
    with_checks(
        &repo,
        r#"[{ name = "ok", run = ["true"] }, { name = "bad", run = ["false"] }]"#,
    );
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .args(["release-policy", "--color", "always", "checklist"])
        .current_dir(&repo.dir)
        .envs(IDENTITY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Bold green and bold red, as cargo's status and error.
    assert!(
        stderr.contains("\u{1b}[1m\u{1b}[32m      Passed\u{1b}[0m ok in"),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("\u{1b}[1m\u{1b}[31m      Failed\u{1b}[0m bad in"),
        "{stderr:?}"
    );
    // NO_COLOR (the harness's `run`): none.
    let (_, plain) = stderr_of(&repo, &["checklist"]);
    assert!(!plain.contains('\u{1b}'), "{plain:?}");
    assert!(plain.contains("      Failed bad"), "{plain}");
}

#[test]
fn cargo_release_keys_this_tool_ignores_are_warned_about_on_release() {
    let repo = Repo::new("examples/polyglot-sdk");
    with_policy(&repo, "publish = false\npre-release-hook = [\"./hook.sh\"]");
    let out = repo.ok(&["bump", "patch", "--dry-run"]);
    assert!(
        out.contains("warning: group `workspace`: cargo-release keys ignored by this tool: `publish` (Cargo.toml:15:1), `pre-release-hook` (Cargo.toml:16:1)"),
        "{out}"
    );
    assert!(repo
        .ok(&["tag", "--dry-run"])
        .contains("`publish` (Cargo.toml:15:1)"));
    // `check` (a hook, CI) stays quiet about them; so does `-q`.
    assert!(!repo.ok(&["check"]).contains("warning"));
    assert!(!repo.ok(&["-q", "tag", "--dry-run"]).contains("warning"));
}

#[test]
fn outside_git_tag_says_what_it_needs_git_for() {
    let temp = tempfile::tempdir().unwrap();
    crate::support::copy_dir(
        &crate::support::project_root()
            .join("cargo-release-policy/tests/testsuite/repos/single-crate"),
        temp.path(),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .args(["release-policy", "tag"])
        .current_dir(temp.path())
        .env("GIT_CEILING_DIRECTORIES", temp.path().parent().unwrap())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("or use `tag --print` for the name alone"),
        "{stderr}"
    );
    assert!(!stderr.contains("--commit"), "{stderr}");
}

#[test]
fn a_dry_run_diff_applies_at_the_repository_root() {
    // The Cargo workspace in `rust/`, the npm package beside it: paths from the workspace
    // are `../bindings/…`, but `git apply` at the repository root wants `bindings/…`.
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "rust/Cargo.toml",
        "[workspace]\nmembers = [\"core\"]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"0.3.0\"\n\n[workspace.metadata.release]\nmanifests = [\"../bindings/node/package.json\"]\n",
    );
    write(
        "rust/core/Cargo.toml",
        "[package]\nname = \"core\"\nversion.workspace = true\nedition = \"2021\"\n",
    );
    write("rust/core/src/lib.rs", "");
    write(
        "bindings/node/package.json",
        "{\n  \"name\": \"core\",\n  \"version\": \"0.3.0\"\n}\n",
    );
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(root)
            .envs(IDENTITY)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "init"]);
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .args(["release-policy", "bump", "minor", "--dry-run"])
        .current_dir(root.join("rust"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        diff.contains("+++ b/bindings/node/package.json\n"),
        "{diff}"
    );
    assert!(diff.contains("+++ b/rust/Cargo.toml\n"), "{diff}");
    assert!(!diff.contains("../"), "{diff}");
    // git is the judge: the diff applies at the repository root.
    let patch = root.join("../bump.diff");
    fs::write(&patch, diff.as_bytes()).unwrap();
    git(&["apply", patch.to_str().unwrap()]);
    let npm = fs::read_to_string(root.join("bindings/node/package.json")).unwrap();
    assert!(npm.contains("\"version\": \"0.4.0\""), "{npm}");
}

#[test]
fn a_tag_that_cannot_be_made_takes_the_commit_and_the_bump_back() {
    let repo = Repo::new("examples/polyglot-sdk");
    let missing = repo.dir.parent().unwrap().join("no-such-key");
    repo.git(&["config", "gpg.format", "ssh"]);
    repo.git(&["config", "user.signingKey", missing.to_str().unwrap()]);
    let before = worktree(&repo.dir);
    refused_untouched(
        &repo,
        &["bump", "minor", "--commit", "--tag", "--sign"],
        "the bump is taken back (24 files put back as they were), and nothing was committed or tagged",
    );
    assert!(worktree(&repo.dir) == before, "the tree is byte-identical");
}
