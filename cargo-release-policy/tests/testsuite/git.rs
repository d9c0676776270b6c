//! Release integration against real git, in temporary repositories: `tag`, `bump --commit
//! --tag`, `check --tag`.

use crate::support::{copy_dir, project_root};

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

pub(crate) const IDENTITY: [(&str, &str); 4] = [
    ("GIT_AUTHOR_NAME", "Release Bot"),
    ("GIT_AUTHOR_EMAIL", "bot@example.com"),
    ("GIT_COMMITTER_NAME", "Release Bot"),
    ("GIT_COMMITTER_EMAIL", "bot@example.com"),
];

/// A copy of `repo` (a directory of this project) committed in a new git repository.
pub(crate) struct Repo {
    _temp: tempfile::TempDir,
    pub(crate) dir: PathBuf,
}

impl Repo {
    pub(crate) fn new(repo: &str) -> Repo {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("repo");
        fs::create_dir_all(&dir).unwrap();
        copy_dir(&project_root().join(repo), &dir);
        let repo = Repo { _temp: temp, dir };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "initial"]);
        repo
    }

    pub(crate) fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(&self.dir)
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

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
            .arg("release-policy")
            .args(args)
            .current_dir(&self.dir)
            .envs(IDENTITY)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    #[track_caller]
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    }

    #[track_caller]
    pub(crate) fn refused(&self, args: &[&str], message: &str) {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }

    pub(crate) fn edit(&self, path: &str, from: &str, to: &str) {
        let path = self.dir.join(path);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        fs::write(path, text.replacen(from, to, 1)).unwrap();
    }
}

#[test]
fn tag_creates_an_annotated_tag_at_head() {
    let repo = Repo::new("examples/polyglot-sdk");
    let out = repo.ok(&["tag"]);
    assert!(out.contains("Tagged v1.4.0"), "{out}");
    assert_eq!(repo.git(&["cat-file", "-t", "v1.4.0"]), "tag");
    assert_eq!(
        repo.git(&["tag", "-l", "--format=%(contents:subject)", "v1.4.0"]),
        "Release 1.4.0"
    );
    assert_eq!(
        repo.git(&["rev-parse", "v1.4.0^{commit}"]),
        repo.git(&["rev-parse", "HEAD"])
    );
    // Already at HEAD: a no-op success.
    assert!(repo
        .ok(&["tag"])
        .contains("Unchanged v1.4.0 already tags HEAD: nothing to do"));
    assert!(repo
        .ok(&["tag", "--dry-run"])
        .contains("Unchanged v1.4.0 already tags HEAD: nothing to do"));
}

#[test]
fn tag_print_prints_the_name_only_and_creates_nothing() {
    let repo = Repo::new("examples/polyglot-sdk");
    let out = repo.run(&["tag", "--print"]);
    assert!(out.status.success());
    // The group's tag, then the Go module's (bindings/go/go.mod).
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "v1.4.0\nbindings/go/v1.4.0\n"
    );
    assert_eq!(repo.git(&["tag", "-l"]), "");
    let dry = repo.ok(&["tag", "--dry-run"]);
    assert!(dry.contains("Would tag v1.4.0"), "{dry}");
    assert!(dry.contains("Would tag bindings/go/v1.4.0"), "{dry}");
    assert_eq!(repo.git(&["tag", "-l"]), "");
}

#[test]
fn an_empty_message_makes_a_lightweight_crate_tag() {
    // crate-groups: `tag-message = ""` in the workspace table, inherited by each crate group.
    let repo = Repo::new("cargo-release-policy/tests/testsuite/repos/crate-groups");
    repo.ok(&["tag", "-p", "alpha"]);
    assert_eq!(repo.git(&["cat-file", "-t", "alpha-v0.3.1"]), "commit");
    assert_eq!(
        String::from_utf8_lossy(&repo.run(&["tag", "-p", "beta", "--print"]).stdout),
        "beta-v2.0.0\n"
    );
}

#[test]
fn tag_refusals() {
    let repo = Repo::new("examples/polyglot-sdk");
    // A dirty manifest.
    repo.edit("bindings/node/package.json", "\"main\"", "\"main\" ");
    repo.refused(
        &["tag"],
        "uncommitted changes in manifests of group `workspace`: bindings/node/package.json",
    );
    repo.git(&["checkout", "--", "."]);
    // Drift (committed).
    repo.edit(
        "bindings/node/npm/darwin-arm64/package.json",
        "1.4.0",
        "1.3.9",
    );
    repo.git(&["commit", "-qam", "drift"]);
    repo.refused(
        &["tag"],
        "out of lockstep: bindings/node/npm/darwin-arm64/package.json:3:15",
    );
    repo.ok(&["sync"]);
    repo.git(&["commit", "-qam", "sync"]);
    // A tag of that name at another commit.
    repo.git(&["tag", "v1.4.0", "HEAD~1"]);
    repo.refused(&["tag"], "tag `v1.4.0` already exists");
    repo.git(&["tag", "-d", "v1.4.0"]);
    // A name git rejects.
    repo.edit(
        "Cargo.toml",
        "tag-name = \"v{{version}}\"",
        "tag-name = \"v {{version}}..\"",
    );
    repo.git(&["commit", "-qam", "bad tag name"]);
    repo.refused(&["tag"], "is not a valid tag name");
    assert_eq!(repo.git(&["tag", "-l"]), "");
}

#[test]
fn bump_commit_tag_makes_one_commit_of_exactly_the_changed_files() {
    let repo = Repo::new("examples/polyglot-sdk");
    let before = repo.git(&["rev-parse", "HEAD"]);
    repo.ok(&["bump", "minor", "--pre", "beta", "--commit", "--tag"]);
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]), before, "one commit");
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]),
        "Release 1.5.0-beta.1"
    );
    let files = repo.git(&["diff", "--name-only", "HEAD~1", "HEAD"]);
    let mut files: Vec<&str> = files.lines().collect();
    files.sort_unstable();
    assert_eq!(
        files,
        [
            "Cargo.lock",
            "Cargo.toml",
            "bindings/c/CMakeLists.txt",
            "bindings/dart/example/pubspec.lock",
            "bindings/dart/pubspec.yaml",
            "bindings/dotnet/Directory.Build.props",
            "bindings/dotnet/PolyglotSdk.Extensions/PolyglotSdk.Extensions.csproj",
            "bindings/go/sdk.go",
            "bindings/java/pom.xml",
            "bindings/java/sdk-async/pom.xml",
            "bindings/java/sdk/pom.xml",
            "bindings/node/npm/darwin-arm64/package.json",
            "bindings/node/npm/linux-x64-gnu/package.json",
            "bindings/node/npm/win32-x64-msvc/package.json",
            "bindings/node/package-lock.json",
            "bindings/node/package.json",
            "bindings/python/helpers/pyproject.toml",
            "bindings/python/helpers/src/polyglot_sdk_helpers/__about__.py",
            "bindings/ruby/Gemfile.lock",
            "bindings/ruby/lib/polyglot_sdk/version.rb",
            "bindings/swift/PolyglotSdk.podspec",
            "bindings/zig/build.zig.zon",
            "crates/sdk-node/Cargo.toml",
            "deploy/chart/Chart.yaml",
        ]
    );
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "nothing left uncommitted"
    );
    assert_eq!(
        repo.git(&["rev-parse", "v1.5.0-beta.1^{commit}"]),
        repo.git(&["rev-parse", "HEAD"])
    );
    repo.ok(&["check", "--tag", "refs/tags/v1.5.0-beta.1"]);
}

#[test]
fn a_group_that_cannot_be_spelled_does_not_stop_another_groups_tag() {
    // rules-per-group: `exp` is at 1.0.0-0 with a pyproject, which PEP 440 cannot spell.
    let repo = Repo::new("cargo-release-policy/tests/testsuite/repos/rules-per-group");
    repo.ok(&["tag", "-p", "web"]);
    assert_eq!(repo.git(&["tag", "--list", "web-v2.0.0"]), "web-v2.0.0");
    repo.refused(&["tag", "-p", "exp"], "cannot be spelled in PEP 440");
}

#[test]
fn bump_of_two_groups_is_one_commit_with_a_tag_each() {
    let repo = Repo::new("cargo-release-policy/tests/testsuite/repos/crate-groups");
    let before = repo.git(&["rev-parse", "HEAD"]);
    repo.ok(&[
        "bump", "patch", "-p", "alpha", "-p", "beta", "--commit", "--tag",
    ]);
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]), before, "one commit");
    assert_eq!(
        repo.git(&["log", "-1", "--format=%B"]),
        "Release 0.3.2\nRelease 2.0.1"
    );
    let head = repo.git(&["rev-parse", "HEAD"]);
    for tag in ["alpha-v0.3.2", "beta-v2.0.1"] {
        assert_eq!(repo.git(&["rev-parse", &format!("{tag}^{{commit}}")]), head);
    }
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    // One tag that exists already: nothing is written, committed or tagged.
    repo.git(&["tag", "beta-v2.0.2", &before]);
    repo.refused(
        &[
            "bump", "patch", "-p", "alpha", "-p", "beta", "--commit", "--tag",
        ],
        "tag `beta-v2.0.2` already exists",
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.git(&["tag", "--list", "alpha-v0.3.3"]), "");
}

#[test]
fn bump_commit_refusals_leave_everything_alone() {
    let repo = Repo::new("examples/polyglot-sdk");
    let head = repo.git(&["rev-parse", "HEAD"]);
    // A dirty tree.
    fs::write(repo.dir.join("README.md"), "changed\n").unwrap();
    repo.refused(
        &["bump", "minor", "--commit"],
        "uncommitted changes: README.md",
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "M README.md");
    // --allow-dirty commits the bump only.
    repo.ok(&["bump", "minor", "--commit", "--allow-dirty"]);
    assert_eq!(repo.git(&["status", "--porcelain"]), "M README.md");
    assert!(!repo
        .git(&["diff", "--name-only", "HEAD~1", "HEAD"])
        .contains("README.md"));
    repo.git(&["checkout", "--", "README.md"]);
    // An existing tag: refused before any file is written.
    let head2 = repo.git(&["rev-parse", "HEAD"]);
    assert_ne!(head, head2);
    repo.git(&["tag", "v1.6.0", &head]);
    repo.refused(
        &["bump", "minor", "--commit", "--tag"],
        "tag `v1.6.0` already exists",
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head2);
}

#[test]
fn check_tag_is_the_ci_gate() {
    let repo = Repo::new("examples/polyglot-sdk");
    repo.ok(&["check", "--tag", "v1.4.0"]);
    repo.ok(&["check", "--tag", "refs/tags/v1.4.0"]);
    repo.refused(
        &["check", "--tag", "v1.4.1"],
        "tag `v1.4.1` does not match the manifests: expected `v1.4.0` (workspace 1.4.0)",
    );
    // The right tag but a drifted manifest.
    repo.edit(
        "bindings/node/npm/darwin-arm64/package.json",
        "1.4.0",
        "1.3.9",
    );
    repo.refused(&["check", "--tag", "v1.4.0"], "version drift");
}

#[test]
fn not_a_git_repository_is_a_usage_error() {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(
        &project_root().join("cargo-release-policy/tests/testsuite/repos/single-crate"),
        temp.path(),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
        .args(["release-policy", "bump", "patch", "--commit"])
        .current_dir(temp.path())
        .env("GIT_CEILING_DIRECTORIES", temp.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not inside a git repository"));
    assert_eq!(
        fs::read_to_string(temp.path().join("package.json")).unwrap(),
        "{\r\n  \"name\": \"hp\",\r\n  \"version\": \"2.3.1\"\r\n}\r\n"
    );
}

/// Add `checks` to the example's workspace table and commit it.
pub(crate) fn with_checks(repo: &Repo, checks: &str) {
    repo.edit(
        "Cargo.toml",
        "[workspace.metadata.release]\n",
        &format!("[workspace.metadata.release]\nchecks = {checks}\n"),
    );
    repo.git(&["commit", "-qam", "checks"]);
}

#[test]
fn checklist_passes_and_sees_the_release_environment() {
    let repo = Repo::new("examples/polyglot-sdk");
    with_checks(
        &repo,
        r#"[{ name = "env", run = ["sh", "-c", "env | grep ^RELEASE_POLICY_ | sort > ../env.txt"] }, { name = "in-dir", run = ["sh", "-c", "test -f package.json"], dir = "bindings/node" }]"#,
    );
    let out = repo.ok(&["checklist"]);
    assert!(out.contains("Passed env"), "{out}");
    assert!(out.contains("2 checks passed"), "{out}");
    let env_file = repo.dir.parent().unwrap().join("env.txt");
    assert_eq!(
        fs::read_to_string(&env_file).unwrap(),
        "RELEASE_POLICY_GROUP=workspace\nRELEASE_POLICY_NUGET=1.4.0\nRELEASE_POLICY_PEP440=1.4.0\nRELEASE_POLICY_PREV_VERSION=1.4.0\nRELEASE_POLICY_VERSION=1.4.0\n"
    );
    // During a release the checks see the new and the previous version.
    repo.ok(&["bump", "minor", "--pre", "rc", "--commit", "--tag"]);
    let env = fs::read_to_string(&env_file).unwrap();
    assert!(env.contains("RELEASE_POLICY_VERSION=1.5.0-rc.1\n"), "{env}");
    assert!(env.contains("RELEASE_POLICY_PEP440=1.5.0rc1\n"), "{env}");
    assert!(env.contains("RELEASE_POLICY_PREV_VERSION=1.4.0\n"), "{env}");
    assert_eq!(
        repo.git(&["tag", "-l"]),
        "bindings/go/v1.5.0-rc.1\nv1.5.0-rc.1"
    );
}

#[test]
fn a_failing_check_stops_commit_and_tag() {
    let repo = Repo::new("examples/polyglot-sdk");
    with_checks(
        &repo,
        r#"[{ name = "tests", run = ["sh", "-c", "echo boom: 2 tests failed; exit 3"] }]"#,
    );
    let head = repo.git(&["rev-parse", "HEAD"]);
    let out = repo.run(&["bump", "minor", "--commit", "--tag", "--keep-on-failure"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Failed tests"), "{stderr}");
    assert!(stderr.contains("exit 3"), "{stderr}");
    assert!(
        stderr.contains("boom: 2 tests failed"),
        "the check's output is shown: {stderr}"
    );
    assert!(
        stderr.contains("the bumped files stay written (`--keep-on-failure`), but nothing was committed or tagged"),
        "{stderr}"
    );
    assert!(
        stderr.contains("git checkout -- Cargo.lock Cargo.toml"),
        "{stderr}"
    );
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head, "no commit");
    assert_eq!(repo.git(&["tag", "-l"]), "", "no tag");
    assert!(
        repo.git(&["status", "--porcelain"])
            .contains("M Cargo.toml"),
        "the bump stays written"
    );
    // The checklist alone fails too, and `tag` refuses.
    let out = repo.run(&["checklist"]);
    assert_eq!(out.status.code(), Some(1));
    repo.git(&["checkout", "--", "."]);
    repo.refused(&["tag"], "check `tests` failed; no tag was created");
    // --no-checks skips them.
    repo.ok(&["bump", "minor", "--commit", "--tag", "--no-checks"]);
    assert_eq!(repo.git(&["tag", "-l"]), "bindings/go/v1.5.0\nv1.5.0");
}

#[test]
fn snapshots_count_commits_since_the_last_release_tag() {
    let repo = Repo::new("examples/polyglot-sdk");
    repo.git(&["tag", "v1.4.0"]);
    // Height 0: refused.
    repo.refused(
        &["bump", "dev", "--snapshot", "--print"],
        "HEAD is the release tag `v1.4.0` itself",
    );
    for i in 0..3 {
        fs::write(repo.dir.join("NOTES.md"), format!("{i}\n")).unwrap();
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-qm", "work"]);
    }
    let out = repo.run(&["bump", "dev", "--snapshot", "--print"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1.4.1-dev.3\n");
    let out = repo.run(&["bump", "dev", "--snapshot", "--print", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["pep440"], "1.4.1.dev3");
    assert_eq!(json["nuget"], "1.4.1-dev.3");
    assert_eq!(json["npm"], "1.4.1-dev.3");
    assert_eq!(json["assembly"], "1.4.0.0");
    assert_eq!(json["height"], 3);
    assert_eq!(json["base_tag"], "v1.4.0");
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "",
        "--print writes nothing"
    );
    // Writing it: every manifest kind gets its spelling.
    repo.ok(&["bump", "dev", "--snapshot"]);
    let read = |p: &str| fs::read_to_string(repo.dir.join(p)).unwrap();
    assert!(read("Cargo.toml").contains("version = \"1.4.1-dev.3\""));
    assert!(read("bindings/node/npm/linux-x64-gnu/package.json")
        .contains("\"version\": \"1.4.1-dev.3\""));
    assert!(
        read("bindings/python/helpers/src/polyglot_sdk_helpers/__about__.py")
            .contains("__version__ = \"1.4.1.dev3\"")
    );
    assert!(read("bindings/python/helpers/pyproject.toml").contains("polyglot-sdk==1.4.1.dev3"));
    let props = read("bindings/dotnet/Directory.Build.props");
    assert!(
        props.contains(
            "<VersionPrefix>1.4.1</VersionPrefix>\r\n    <VersionSuffix>dev.3</VersionSuffix>"
        ),
        "{props}"
    );
    repo.ok(&["check"]);
    // A snapshot that would not sort after the current version is refused.
    repo.git(&["checkout", "--", "."]);
    repo.ok(&["bump", "minor", "--pre", "beta", "--commit"]);
    repo.refused(
        &["bump", "dev", "--snapshot", "--print"],
        "does not move forward",
    );
}

#[test]
fn a_snapshot_after_the_largest_patch_is_refused() {
    // Issue 19: the next patch of the tag's version overflowed (a panic, exit 101).
    let repo = Repo::new("examples/polyglot-sdk");
    repo.git(&["tag", "v1.4.18446744073709551615"]);
    fs::write(repo.dir.join("NOTES.md"), "work\n").unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "work"]);
    repo.refused(
        &["bump", "dev", "--snapshot", "--print"],
        "has the largest patch number a version can hold",
    );
}

/// A signing key made for the test (SSH signing, git ≥ 2.34), configured in `repo` with
/// the file git verifies signatures against.
pub(crate) fn configure_ssh_signing(repo: &Repo) {
    let dir = repo.dir.parent().unwrap();
    let key = dir.join("signing-key");
    let keygen = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "bot@example.com",
            "-f",
        ])
        .arg(&key)
        .output()
        .expect(
            "`ssh-keygen` signs the tags of this test: install OpenSSH (Debian: openssh-client)",
        );
    assert!(
        keygen.status.success(),
        "{}",
        String::from_utf8_lossy(&keygen.stderr)
    );
    let public = fs::read_to_string(dir.join("signing-key.pub")).unwrap();
    let allowed = dir.join("allowed-signers");
    fs::write(&allowed, format!("bot@example.com {public}")).unwrap();
    repo.git(&["config", "gpg.format", "ssh"]);
    repo.git(&["config", "user.signingKey", key.to_str().unwrap()]);
    repo.git(&[
        "config",
        "gpg.ssh.allowedSignersFile",
        allowed.to_str().unwrap(),
    ]);
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs ssh-keygen: scripts/test runs it (cargo test --features oracles)"
)]
fn sign_makes_a_signed_tag_git_verifies() {
    let repo = Repo::new("examples/polyglot-sdk");
    configure_ssh_signing(&repo);
    assert!(repo.ok(&["tag", "--sign", "--dry-run"]).contains("signed"));
    assert_eq!(repo.git(&["tag", "-l"]), "", "a dry run creates nothing");
    let out = repo.ok(&["tag", "--sign"]);
    assert!(out.contains("Tagged v1.4.0"), "{out}");
    // `git tag -v` fails on an unsigned tag or a signature it cannot verify.
    repo.git(&["tag", "-v", "v1.4.0"]);
    assert_eq!(
        repo.git(&["tag", "-l", "--format=%(contents:subject)", "v1.4.0"]),
        "Release 1.4.0"
    );
}

#[test]
#[cfg_attr(
    not(feature = "oracles"),
    ignore = "needs ssh-keygen: scripts/test runs it (cargo test --features oracles)"
)]
fn sign_tag_in_the_policy_signs_bump_tags() {
    let repo = Repo::new("examples/polyglot-sdk");
    configure_ssh_signing(&repo);
    repo.edit(
        "Cargo.toml",
        "tag-message = \"Release {{version}}\"",
        "tag-message = \"Release {{version}}\"\nsign-tag = true",
    );
    repo.git(&["commit", "-q", "-am", "sign release tags"]);
    repo.ok(&["bump", "minor", "--commit", "--tag"]);
    repo.git(&["tag", "-v", "v1.5.0"]);
}

#[test]
fn a_signature_that_cannot_be_made_creates_no_tag() {
    let repo = Repo::new("examples/polyglot-sdk");
    let missing = repo.dir.parent().unwrap().join("no-such-key");
    repo.git(&["config", "gpg.format", "ssh"]);
    repo.git(&["config", "user.signingKey", missing.to_str().unwrap()]);
    let out = repo.run(&["tag", "--sign"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("tag v1.4.0"), "{stderr}");
    assert_eq!(repo.git(&["tag", "-l"]), "");
}

/// A Java group (pattern entries with `format = "maven"` on two poms): a nightly snapshot
/// is `X.Y.Z-SNAPSHOT` in the poms whatever its height, a later snapshot of the same release
/// is the same SNAPSHOT (allowed: Maven republishes it), and `bump release` ends it.
#[test]
fn maven_snapshots_through_bump_dev_snapshot_and_release() {
    let repo = Repo::new("cargo-release-policy/tests/testsuite/repos/java-snapshot");
    repo.git(&["tag", "v1.4.0"]);
    let commit = |i: usize| {
        fs::write(repo.dir.join("NOTES.md"), format!("{i}\n")).unwrap();
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-qm", "work"]);
    };
    commit(0);
    commit(1);
    let read = |p: &str| fs::read_to_string(repo.dir.join(p)).unwrap();
    repo.ok(&["bump", "dev", "--snapshot", "--commit"]);
    assert!(read("Cargo.toml").contains("version = \"1.4.1-dev.2\""));
    assert!(read("java/pom.xml").contains("<version>1.4.1-SNAPSHOT</version>"));
    assert!(read("java/core/pom.xml").contains("<version>1.4.1-SNAPSHOT</version>"));
    // The junit version is another `<version>`, left alone.
    assert!(read("java/pom.xml").contains("<version>5.10.2</version>"));
    repo.ok(&["check"]);
    commit(2);
    let out = repo.ok(&["bump", "dev", "--snapshot", "--commit"]);
    assert!(out.contains("1.4.1-dev.2 → 1.4.1-dev.4"), "{out}");
    assert!(read("java/pom.xml").contains("<version>1.4.1-SNAPSHOT</version>"));
    repo.ok(&["bump", "release"]);
    assert!(read("Cargo.toml").contains("version = \"1.4.1\""));
    assert!(read("java/pom.xml").contains("<version>1.4.1</version>"));
    assert!(read("java/core/pom.xml").contains("<version>1.4.1</version>"));
    repo.ok(&["check"]);
}

/// A nightly snapshot of a Java and Go group: Maven's `-SNAPSHOT` in every POM and the
/// Gradle script; the release then tags every Go module beside the group.
#[test]
fn snapshot_then_release_of_a_java_and_go_group() {
    let repo = Repo::new("cargo-release-policy/tests/testsuite/repos/jvm-go");
    repo.git(&["tag", "v1.6.0"]);
    fs::write(
        repo.dir.join("src/lib.rs"),
        "// a change after the release\n",
    )
    .unwrap();
    repo.git(&["commit", "-q", "-am", "change"]);
    repo.ok(&["bump", "dev", "--snapshot"]);
    for pom in ["java/pom.xml", "java/core/pom.xml", "java/client/pom.xml"] {
        let text = fs::read_to_string(repo.dir.join(pom)).unwrap();
        assert!(
            text.contains("<version>1.6.1-SNAPSHOT</version>"),
            "{pom}:\n{text}"
        );
    }
    let gradle = fs::read_to_string(repo.dir.join("gradle/build.gradle.kts")).unwrap();
    assert!(gradle.contains("version = \"1.6.1-SNAPSHOT\""), "{gradle}");
    repo.git(&["commit", "-q", "-am", "snapshot"]);
    repo.ok(&["bump", "release", "--commit", "--tag"]);
    assert_eq!(
        repo.git(&["tag", "--points-at", "HEAD"]),
        "bindings/go/ext/v1.6.1\ngo/v1.6.1\nv1.6.1"
    );
}

/// The JSON of a release dry run names every tag it would make: the group's and one per Go
/// module (`bump.tags`). A dry run with `--commit` checks the branch, so it needs git: the
/// `go-module-tags-json` case shows the refusal outside a repository.
#[test]
fn a_release_dry_run_names_the_go_module_tags_in_its_json() {
    let repo = Repo::new("cargo-release-policy/tests/testsuite/repos/jvm-go");
    let out = repo.run(&[
        "bump",
        "minor",
        "--dry-run",
        "--commit",
        "--tag",
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["bump"]["tags"],
        serde_json::json!(["v1.7.0", "bindings/go/ext/v1.7.0", "go/v1.7.0"])
    );
}
