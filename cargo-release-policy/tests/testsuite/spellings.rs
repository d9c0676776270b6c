//! The spellings real projects use, end to end through several bumps: a compact group
//! (`2.5.0-rc1` in Cargo, `2.5.0rc1` in Python), the first number of a series, build
//! metadata as an unreleased marker. Each step is checked by `check` and by cargo itself
//! (`cargo metadata --locked --offline` loads the workspace the step left).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{copy_dir, project_root};

struct Repo {
    _temp: tempfile::TempDir,
    dir: PathBuf,
}

impl Repo {
    fn new(repo: &str) -> Repo {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().to_path_buf();
        copy_dir(&project_root().join(repo), &dir);
        Repo { _temp: temp, dir }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cargo-release-policy"))
            .arg("release-policy")
            .args(args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// `args` succeeds, `check` passes after it, and cargo loads the workspace.
    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {stderr}");
        let check = self.run(&["check"]);
        assert!(
            check.status.success(),
            "check after {args:?}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        cargo_loads(&self.dir);
        stderr
    }

    #[track_caller]
    fn refused(&self, args: &[&str], message: &str) {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.dir.join(path)).unwrap()
    }

    /// The versions `Cargo.toml`, the workspace requirement, `Cargo.lock` and the pyproject
    /// hold.
    #[track_caller]
    fn holds(&self, cargo: &str, python: &str) {
        let manifest = self.read("Cargo.toml");
        assert!(
            manifest.contains(&format!("version = \"{cargo}\"\n")),
            "{manifest}"
        );
        assert!(
            manifest.contains(&format!("version = \"={cargo}\" }}")),
            "{manifest}"
        );
        let lock = self.read("Cargo.lock");
        assert_eq!(
            lock.matches(&format!("version = \"{cargo}\"")).count(),
            2,
            "{lock}"
        );
        let pyproject = self.read("bindings/python/pyproject.toml");
        assert!(
            pyproject.contains(&format!("version = \"{python}\"")),
            "{pyproject}"
        );
    }

    fn set_policy(&self, from: &str, to: &str) {
        self.edit("Cargo.toml", from, to);
    }

    fn edit(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{text}");
        fs::write(self.dir.join(path), text.replacen(from, to, 1)).unwrap();
    }
}

fn cargo_loads(dir: &Path) {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--locked", "--offline", "--format-version", "1"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const COMPACT: &str = "cargo-release-policy/tests/testsuite/repos/compact";

/// dev → beta → rc → release in a compact group whose crates are not published: PEP 440
/// judges (`.dev0 < b1 < rc1`), SemVer would not (`-dev > -beta1`).
#[test]
fn a_compact_group_from_dev_to_release() {
    let repo = Repo::new(COMPACT);
    repo.ok(&["bump", "minor", "--pre", "dev"]);
    repo.holds("2.5.0-dev", "2.5.0.dev0");
    repo.ok(&["bump", "dev"]);
    repo.holds("2.5.0-dev1", "2.5.0.dev1");
    repo.ok(&["bump", "beta"]);
    repo.holds("2.5.0-beta1", "2.5.0b1");
    repo.ok(&["bump", "pre"]);
    repo.holds("2.5.0-beta2", "2.5.0b2");
    repo.ok(&["bump", "rc"]);
    repo.holds("2.5.0-rc1", "2.5.0rc1");
    // the Python module, its numbers too
    let module = repo.read("bindings/python/sdk/__init__.py");
    assert!(
        module.contains("__version__ = \"2.5.0rc1\"\n__version_info__ = (2, 5, 0)\n"),
        "{module}"
    );
    repo.ok(&["bump", "release"]);
    repo.holds("2.5.0", "2.5.0");
    // the dotted spelling in a compact group is the same version, spelled another way
    repo.set_policy("version = \"2.5.0\"\n", "version = \"2.6.0-rc.1\"\n");
    repo.set_policy("\"=2.5.0\"", "\"=2.6.0-rc1\"");
    let out = repo.run(&["sync"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    repo.holds("2.6.0-rc1", "2.6.0rc1");
}

/// Where SemVer judges (the crates are published), the compact spelling's text order
/// refuses `-dev → -beta1` and `-rc9 → -rc10`.
#[test]
fn compact_refusals_where_semver_judges() {
    let repo = Repo::new(COMPACT);
    for krate in ["sdk-core", "sdk-cli"] {
        repo.edit(
            &format!("crates/{krate}/Cargo.toml"),
            "publish = false\n",
            "",
        );
    }
    repo.ok(&["bump", "minor", "--pre", "dev"]);
    repo.refused(&["bump", "beta"], "2.5.0-dev > 2.5.0-beta1");
    repo.ok(&["bump", "2.5.0-rc.9"]);
    repo.holds("2.5.0-rc9", "2.5.0rc9");
    repo.refused(&["bump", "pre"], "2.5.0-rc9 > 2.5.0-rc10");
}

/// `pre-release-start = 0`: every series starts at 0.
#[test]
fn pre_release_start_zero() {
    let repo = Repo::new(COMPACT);
    repo.set_policy(
        "pre-release-spelling = \"compact\"\npre-release-start = { dev = 0 }\n",
        "pre-release-start = 0\n",
    );
    repo.ok(&["bump", "minor", "--pre", "beta"]);
    repo.holds("2.5.0-beta.0", "2.5.0b0");
    repo.ok(&["bump", "beta"]);
    repo.holds("2.5.0-beta.1", "2.5.0b1");
    repo.ok(&["bump", "rc"]);
    repo.holds("2.5.0-rc.0", "2.5.0rc0");
}

/// `+dev` marks unreleased work: kept by the bump that sets it, never in requirements,
/// dropped by `release`, and cargo loads every step.
#[test]
fn build_metadata_marks_unreleased_work() {
    let repo = Repo::new(COMPACT);
    repo.set_policy(
        "pre-release-spelling = \"compact\"\npre-release-start = { dev = 0 }\n",
        "",
    );
    repo.ok(&["bump", "minor", "--pre", "alpha", "--build", "dev"]);
    let manifest = repo.read("Cargo.toml");
    assert!(
        manifest.contains("version = \"2.5.0-alpha.1+dev\"\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("version = \"=2.5.0-alpha.1\" }"),
        "{manifest}"
    );
    assert!(repo
        .read("Cargo.lock")
        .contains("version = \"2.5.0-alpha.1+dev\""));
    assert!(repo
        .read("bindings/python/pyproject.toml")
        .contains("version = \"2.5.0a1+dev\""));
    // the marker alone is not a new version
    repo.refused(&["bump", "2.5.0-alpha.1"], "does not move forward");
    repo.ok(&["bump", "release"]);
    repo.holds("2.5.0", "2.5.0");
    // a bad marker is a usage error
    let out = repo.run(&["bump", "patch", "--build", "dev!"]);
    assert_eq!(out.status.code(), Some(2));
    // for a group publishing to PyPI, its files are written without it
    repo.set_policy(
        "[workspace.metadata.release]\n",
        "[workspace.metadata.release]\npep440-local-version = false\n",
    );
    repo.ok(&["bump", "minor", "--pre", "alpha", "--build", "dev"]);
    assert!(repo
        .read("bindings/python/pyproject.toml")
        .contains("version = \"2.6.0a1\""));
}
