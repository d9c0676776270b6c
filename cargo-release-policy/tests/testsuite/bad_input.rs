#![cfg(unix)]
//! Bad input, one case per class: the example monorepo (`examples/polyglot-sdk`), copied to a
//! temporary directory and broken in one way, then `bump` (the command that writes most).
//! Each case checks the exit status (2 for input and configuration errors, 1 for a refused
//! operation), that the message names the file and, where the problem has a place,
//! `path:line:col`, and that every file of the tree is byte-identical afterwards: the tree is
//! fingerprinted (a `SipHash` digest of each file's bytes, its length, permissions, and a link's
//! target) before and after, so a temporary file or lock left behind fails too.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::hash::{DefaultHasher, Hasher as _};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::project_root;

/// What a file looks like, for comparing trees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Print {
    File { len: u64, mode: u32, digest: u64 },
    Link(PathBuf),
    Dir { mode: u32 },
}

/// Every entry below `dir` (skipping `target`, where cargo may write), fingerprinted.
pub(crate) fn fingerprint(dir: &Path) -> BTreeMap<String, Print> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(dir).unwrap().display().to_string();
            let meta = fs::symlink_metadata(&path).unwrap();
            let mode = meta.permissions().mode();
            let print = if meta.file_type().is_symlink() {
                Print::Link(fs::read_link(&path).unwrap())
            } else if meta.is_dir() {
                if rel == "target" {
                    continue;
                }
                stack.push(path);
                Print::Dir { mode }
            } else {
                let mut hasher = DefaultHasher::new();
                hasher.write(&fs::read(&path).unwrap());
                Print::File {
                    len: meta.len(),
                    mode,
                    digest: hasher.finish(),
                }
            };
            out.insert(rel, print);
        }
    }
    out
}

/// Every file below `dir`: relative path → bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fingerprint(dir)
        .into_iter()
        .filter(|(_, p)| matches!(p, Print::File { .. }))
        .map(|(rel, _)| {
            let bytes = fs::read(dir.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in contents(from) {
        let path = to.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

/// A copy of the example monorepo in `<temp>/repo`; `<temp>/outside` is outside it.
pub(crate) struct Repo {
    _temp: tempfile::TempDir,
    pub(crate) root: PathBuf,
    pub(crate) outside: PathBuf,
}

impl Repo {
    pub(crate) fn example() -> Repo {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("repo");
        let outside = temp.path().join("outside");
        copy_tree(&project_root().join("examples/polyglot-sdk"), &root);
        fs::create_dir_all(&outside).unwrap();
        Repo {
            _temp: temp,
            root,
            outside,
        }
    }

    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    pub(crate) fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// Replace the one occurrence of `from` in `rel` by `to`.
    #[track_caller]
    pub(crate) fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "`{from}` in {rel}:\n{text}");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Keep the first `len` bytes of `rel`.
    pub(crate) fn truncate(&self, rel: &str, len: usize) {
        let bytes = fs::read(self.path(rel)).unwrap();
        self.write(rel, &bytes[..len]);
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        // `RELEASE_POLICY_TEST_BIN`: run these cases against another build (an older one,
        // to see a regression test fail on the code before its fix).
        let bin = std::env::var_os("RELEASE_POLICY_TEST_BIN")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_cargo-release-policy").into());
        Command::new(bin)
            .arg("release-policy")
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .env_remove("CARGO_TERM_COLOR")
            .env_remove("RELEASE_POLICY_FAULT")
            .output()
            .unwrap()
    }

    /// Run `args`: exit `code`, stderr holding every one of `expected`, and no file changed.
    #[track_caller]
    pub(crate) fn refused(&self, args: &[&str], code: i32, expected: &[&str]) -> String {
        let before = fingerprint(&self.root);
        let output = self.run(args);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(code), "{args:?}\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        for fragment in expected {
            assert!(
                stderr.contains(fragment),
                "{args:?}: stderr lacks `{fragment}`:\n{stderr}"
            );
        }
        let after = fingerprint(&self.root);
        let changed: Vec<_> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .collect();
        assert!(changed.is_empty(), "{args:?} changed {changed:?}\n{stderr}");
        stderr
    }

    /// `bump minor` is refused with `code` and every one of `expected` in stderr; `check`,
    /// which writes nothing, fails the same way on input errors.
    #[track_caller]
    pub(crate) fn bump_refused(&self, code: i32, expected: &[&str]) -> String {
        if code == 2 {
            self.refused(&["check"], code, expected);
        }
        self.refused(&["bump", "minor"], code, expected)
    }
}

const LOCK: &str = "bindings/node/package-lock.json";
const NODE: &str = "bindings/node/package.json";
const DARWIN: &str = "bindings/node/npm/darwin-arm64/package.json";
const HELPERS: &str = "bindings/python/helpers/pyproject.toml";
const PROPS: &str = "bindings/dotnet/Directory.Build.props";
const CSPROJ: &str = "bindings/dotnet/PolyglotSdk/PolyglotSdk.csproj";

#[test]
fn truncated_toml() {
    let repo = Repo::example();
    let cut = repo.read(HELPERS).find(">=3.9").unwrap() + 3;
    repo.truncate(HELPERS, cut);
    repo.bump_refused(
        2,
        &[
            "failed to parse `bindings/python/helpers/pyproject.toml`",
            "bindings/python/helpers/pyproject.toml:8:23",
            "invalid TOML",
        ],
    );
}

#[test]
fn malformed_toml() {
    let repo = Repo::example();
    repo.edit(
        "Cargo.lock",
        "name = \"sdk-node\"\nversion = \"1.4.0\"",
        "name = \"sdk-node\"\nversion = \"1.4.0",
    );
    repo.bump_refused(2, &["Cargo.lock:11:17", "invalid TOML"]);
}

#[test]
fn truncated_json() {
    let repo = Repo::example();
    let cut = repo.read(NODE).find("bindings of").unwrap();
    repo.truncate(NODE, cut);
    repo.bump_refused(
        2,
        &[
            "failed to parse `bindings/node/package.json`",
            "bindings/node/package.json:4:17",
            "unterminated string",
        ],
    );
}

#[test]
fn malformed_json() {
    let repo = Repo::example();
    let text = repo.read(LOCK);
    repo.write(LOCK, text.replacen("\"version\": ", "\"version\" ", 1));
    repo.bump_refused(
        2,
        &[
            "bindings/node/package-lock.json:3:12",
            "expected `:` after an object key",
        ],
    );
}

#[test]
fn truncated_xml() {
    let repo = Repo::example();
    let cut = repo.read(CSPROJ).find("<Description>").unwrap() + 8;
    repo.truncate(CSPROJ, cut);
    repo.bump_refused(
        2,
        &[
            "bindings/dotnet/PolyglotSdk/PolyglotSdk.csproj:6:13",
            "the root element is never closed",
        ],
    );
}

#[test]
fn malformed_xml() {
    let repo = Repo::example();
    repo.edit(PROPS, "</VersionPrefix>", "</VersionPrefx>");
    repo.bump_refused(
        2,
        &[
            "bindings/dotnet/Directory.Build.props:4:25",
            "expected the end tag `</VersionPrefix>`, found `</VersionPrefx>`",
        ],
    );
}

/// A BOM, CRLF line ends and tabs together: columns count characters after the BOM (a tab
/// is one), lines count CRLF once.
#[test]
fn bom_crlf_tabs_mix() {
    let repo = Repo::example();
    let text = "\u{feff}{\r\n\t\"name\": \"@polyglot-sdk/node-darwin-arm64\",\r\n\t\"version\": \"1.4.0\"\r\n\t\"license\": \"MIT\"\r\n}";
    repo.write(DARWIN, text);
    repo.bump_refused(
        2,
        &[
            "bindings/node/npm/darwin-arm64/package.json:4:2",
            "expected `,` or `}` after an object member",
        ],
    );

    // The same mix without the error is edited in place: only the version's bytes change.
    let repo = Repo::example();
    let fixed = text.replace("\"1.4.0\"\r\n", "\"1.4.0\",\r\n");
    repo.write(DARWIN, &fixed);
    let output = repo.run(&["bump", "minor"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(repo.read(DARWIN), fixed.replace("1.4.0", "1.5.0"));
}

#[test]
fn utf16_project_file() {
    let utf16 = |text: &str, bom: bool| -> Vec<u8> {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let repo = Repo::example();
    repo.write(CSPROJ, utf16(&repo.read(CSPROJ), true));
    repo.bump_refused(
        2,
        &[
            "`bindings/dotnet/PolyglotSdk/PolyglotSdk.csproj` is UTF-16; only UTF-8 files can be edited",
            "re-save the file as UTF-8",
        ],
    );
    // Without a BOM: found by its NUL bytes, at the first one.
    let repo = Repo::example();
    repo.write(CSPROJ, utf16(&repo.read(CSPROJ), false));
    repo.bump_refused(
        2,
        &[
            "bindings/dotnet/PolyglotSdk/PolyglotSdk.csproj:1:2",
            "it looks like UTF-16",
        ],
    );
}

#[test]
fn duplicate_keys() {
    let repo = Repo::example();
    repo.edit(
        NODE,
        "\t\"version\": \"1.4.0\",\n",
        "\t\"version\": \"1.4.0\",\n\t\"version\": \"1.3.0\",\n",
    );
    repo.bump_refused(
        2,
        &[
            "bindings/node/package.json:4:2",
            "duplicate key `version` at 3:2 and 4:2",
            "npm silently uses the last one",
        ],
    );
    let repo = Repo::example();
    repo.edit(
        HELPERS,
        "name = \"polyglot-sdk-helpers\"\n",
        "name = \"polyglot-sdk-helpers\"\nname = \"other\"\n",
    );
    repo.bump_refused(
        2,
        &[
            "bindings/python/helpers/pyproject.toml:7:1",
            "duplicate key",
        ],
    );
}

#[test]
fn version_that_is_not_a_string() {
    let repo = Repo::example();
    repo.edit(NODE, "\"version\": \"1.4.0\"", "\"version\": 1.4");
    repo.bump_refused(
        2,
        &[
            "bindings/node/package.json:3:13",
            "expected a string for `version`, found a number",
        ],
    );
    let repo = Repo::example();
    repo.edit(HELPERS, "dynamic = [\"version\"]", "version = 1.4");
    repo.bump_refused(
        2,
        &[
            "bindings/python/helpers/pyproject.toml:9:11",
            "expected a string for `project.version`, found a float",
        ],
    );
    // XML has no types: an element where the text should be is a value the tool cannot edit
    // (`show` reports it as unsupported), so the bump is refused, naming it.
    let repo = Repo::example();
    repo.edit(
        PROPS,
        "<VersionPrefix>1.4.0</VersionPrefix>",
        "<VersionPrefix><Major/>.4.0</VersionPrefix>",
    );
    repo.refused(
        &["bump", "minor"],
        1,
        &[
            "refusing to write: `bindings/dotnet/Directory.Build.props:4:5`: `PropertyGroup/VersionPrefix` cannot be edited (the value contains the XML element `<Major>`)",
            "nothing was written",
        ],
    );
    // `-v`: rows whole (without it, the path is shortened from the left to fit 80 columns).
    let show = repo.run(&["show", "-v"]);
    let stdout = String::from_utf8_lossy(&show.stdout);
    assert!(
        stdout.contains("bindings/dotnet/Directory.Build.props:4:5")
            && stdout.contains("the value contains the XML element `<Major>`"),
        "{stdout}"
    );
}

/// A listed manifest without the version the policy expects: `bump` and `sync` would leave
/// the repository out of lockstep, so they write nothing (`check` reports it as drift).
#[test]
fn missing_required_field() {
    let repo = Repo::example();
    repo.edit(NODE, "\t\"version\": \"1.4.0\",\n", "");
    for args in [&["bump", "minor"][..], &["sync"]] {
        repo.refused(
            args,
            1,
            &[
                "refusing to write: `bindings/node/package.json:1:1`: the file has no version",
                "nothing was written",
                "add the field by hand",
            ],
        );
    }
    repo.refused(&["check"], 1, &["bindings/node/package.json"]);
}

#[test]
fn unknown_policy_key() {
    let repo = Repo::example();
    repo.edit("Cargo.toml", "tag-name = ", "tag-nmae = ");
    repo.bump_refused(
        2,
        &[
            "Cargo.toml:15:1",
            "unknown key `tag-nmae` in `workspace.metadata.release`, did you mean `tag-name`?",
        ],
    );
}

#[test]
fn glob_matching_nothing() {
    let repo = Repo::example();
    repo.edit(
        "Cargo.toml",
        "\"bindings/dotnet/*/*.csproj\"",
        "\"bindings/dotnet/*/*.fsproj\"",
    );
    repo.bump_refused(
        2,
        &[
            "Cargo.toml:23:3",
            "`bindings/dotnet/*/*.fsproj` matches no file",
        ],
    );
}

/// A glob's literal file name is not asked for before it is read: what reading finds
/// decides. A directory, a FIFO or nothing under that name is no match (silently, as a
/// listing skips them), and when no directory holds the file the entry matches nothing.
#[cfg(unix)]
#[test]
fn glob_whose_literal_name_matches_nothing() {
    let repo = Repo::example();
    // A directory and a FIFO named `package.json`, and a directory without one: skipped.
    fs::create_dir_all(repo.path("bindings/node/npm/a-dir/package.json")).unwrap();
    fs::create_dir_all(repo.path("bindings/node/npm/a-fifo")).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(repo.path("bindings/node/npm/a-fifo/package.json"))
        .status()
        .unwrap();
    assert!(fifo.success());
    fs::create_dir_all(repo.path("bindings/node/npm/empty")).unwrap();
    let check = repo.run(&["check"]);
    assert!(check.status.success(), "{check:?}");
    // (The checks below read every file to tell that none changed: not a FIFO.)
    fs::remove_file(repo.path("bindings/node/npm/a-fifo/package.json")).unwrap();
    // No directory the glob reaches holds the name.
    repo.edit(
        "Cargo.toml",
        "\"bindings/dotnet/*/*.csproj\",\n",
        "\"bindings/dotnet/*/*.csproj\",\n  \"bindings/node/npm/*/pyproject.toml\",\n",
    );
    repo.bump_refused(
        2,
        &[
            "Cargo.toml:24:3",
            "`bindings/node/npm/*/pyproject.toml` matches no file",
        ],
    );
}

#[test]
fn path_escaping_through_dotdot() {
    let repo = Repo::example();
    fs::write(repo.outside.join("package.json"), repo.read(DARWIN)).unwrap();
    repo.edit(
        "Cargo.toml",
        "  \"bindings/dotnet/*/*.csproj\",\n",
        "  \"bindings/dotnet/*/*.csproj\",\n  \"bindings/../../outside/package.json\",\n",
    );
    repo.bump_refused(
        2,
        &[
            "Cargo.toml:24:3",
            "`bindings/../../outside/package.json` points outside the repository",
        ],
    );
}

#[test]
fn path_escaping_through_a_symlink() {
    // A file link matched by a glob.
    let repo = Repo::example();
    let outside = repo.outside.join("package.json");
    fs::write(&outside, repo.read(DARWIN)).unwrap();
    fs::create_dir_all(repo.path("bindings/node/npm/evil")).unwrap();
    std::os::unix::fs::symlink(&outside, repo.path("bindings/node/npm/evil/package.json")).unwrap();
    repo.bump_refused(
        2,
        &[
            "Cargo.toml:19:3",
            "bindings/node/npm/evil/package.json` (matched by `bindings/node/npm/*/package.json`) is a link to",
            "outside the repository",
        ],
    );
    // A literal path through a directory link.
    let repo = Repo::example();
    fs::write(repo.outside.join("package.json"), repo.read(DARWIN)).unwrap();
    std::os::unix::fs::symlink(&repo.outside, repo.path("bindings/linked")).unwrap();
    repo.edit(
        "Cargo.toml",
        "  \"bindings/dotnet/*/*.csproj\",\n",
        "  \"bindings/dotnet/*/*.csproj\",\n  \"bindings/linked/package.json\",\n",
    );
    repo.bump_refused(
        2,
        &[
            "Cargo.toml:24:3",
            "bindings/linked/package.json` (matched by `bindings/linked/package.json`) is a link to",
        ],
    );
}

#[test]
fn manifest_listed_twice_through_two_globs() {
    let repo = Repo::example();
    repo.edit(
        "Cargo.toml",
        "  \"bindings/dotnet/*/*.csproj\",\n",
        "  \"bindings/dotnet/*/*.csproj\",\n  \"bindings/node/npm/linux-*/package.json\",\n",
    );
    repo.bump_refused(
        2,
        &[
            "Cargo.toml:24:3",
            "`bindings/node/npm/linux-x64-gnu/package.json` is listed twice: by `manifests[1]` (workspace) and by `manifests[6]` (workspace)",
        ],
    );
}

#[test]
fn version_an_ecosystem_cannot_spell() {
    let repo = Repo::example();
    // No Maven spelling (the group has a Maven project, checked before the Python
    // packages, which have none either).
    repo.refused(
        &["bump", "1.5.0-nightly.1"],
        1,
        &["refusing to bump", "cannot be spelled in Maven"],
    );
    // No AssemblyVersion spelling (the group has .NET projects).
    repo.refused(
        &["bump", "65535.0.0"],
        1,
        &["`65535.0.0` cannot be spelled in AssemblyVersion"],
    );
    // Already in the leader: the group is left out of `check`, an error (exit 2) naming it.
    repo.edit(
        "Cargo.toml",
        "version = \"1.4.0\" #",
        "version = \"1.4.0-nightly.1\" #",
    );
    repo.refused(
        &["check"],
        2,
        &[
            "group `workspace` (leader `Cargo.toml`) is left out",
            "cannot be spelled in Maven",
        ],
    );
}

/// `package-lock.json` of 50 MB: ~190,000 registry entries, several at the group's version.
fn big_lock(small: &str) -> String {
    let marker = "\t\"packages\": {\n";
    let at = small.find(marker).unwrap() + marker.len();
    let mut text = String::with_capacity(52 << 20);
    text.push_str(&small[..at]);
    let mut n = 0;
    while text.len() < 50 << 20 {
        write!(
            text,
            "\t\t\"node_modules/dep-{n}\": {{\n\t\t\t\"version\": \"1.4.0\",\n\t\t\t\"resolved\": \"https://registry.npmjs.org/dep-{n}/-/dep-{n}-1.4.0.tgz\",\n\t\t\t\"integrity\": \"sha512-{}==\",\n\t\t\t\"license\": \"MIT\"\n\t\t}},\n",
            "A".repeat(86)
        )
        .unwrap();
        n += 1;
    }
    text.push_str(&small[at..]);
    text
}

#[test]
fn fifty_megabyte_lockfile() {
    // Truncated (a full disk, an interrupted copy): the error points at its last line.
    let repo = Repo::example();
    let big = big_lock(&repo.read(LOCK));
    let cut = big.len() - 60;
    let line = big[..cut].matches('\n').count() + 1;
    repo.write(LOCK, &big[..cut]);
    repo.bump_refused(
        2,
        &[
            &format!("bindings/node/package-lock.json:{line}:12"),
            "unterminated string",
        ],
    );

    // Whole: bumped exactly as the small one is, every registry entry left as it was.
    let small = Repo::example();
    assert!(small.run(&["bump", "minor"]).status.success());
    let repo = Repo::example();
    repo.write(LOCK, &big);
    let output = repo.run(&["bump", "minor"]);
    assert!(output.status.success(), "{output:?}");
    let mut expected = contents(&small.root);
    let bumped = String::from_utf8(expected[LOCK].clone()).unwrap();
    expected.insert(LOCK.to_string(), big_lock(&bumped).into_bytes());
    let actual = contents(&repo.root);
    assert!(
        actual == expected,
        "the 50 MB bump differs from the small one"
    );
}

/// Read-only permissions stop the write, even for root (who could replace the file).
#[test]
fn file_that_is_not_writable() {
    let repo = Repo::example();
    fs::set_permissions(repo.path(DARWIN), fs::Permissions::from_mode(0o444)).unwrap();
    repo.refused(
        &["bump", "minor"],
        1,
        &[
            "`bindings/node/npm/darwin-arm64/package.json` is read-only; nothing was written",
            "chmod u+w",
        ],
    );
}

/// Found by fuzzing: a blank requirement on a sibling (`"  "`) panicked. It names no
/// version, so it is left alone, and the bump goes on.
#[test]
fn blank_sibling_requirement() {
    let repo = Repo::example();
    repo.edit(
        NODE,
        "\"@polyglot-sdk/node-darwin-arm64\": \"1.4.0\"",
        "\"@polyglot-sdk/node-darwin-arm64\": \"  \"",
    );
    let show = repo.run(&["show"]);
    assert!(show.status.success(), "{show:?}");
    let output = repo.run(&["bump", "minor"]);
    assert!(output.status.success(), "{output:?}");
    assert!(repo
        .read(NODE)
        .contains("\"@polyglot-sdk/node-darwin-arm64\": \"  \""));
}

/// The example with 150 more `package.json`s (`many/many-000` … `many/many-149`), in
/// lockstep: enough files for them to be read on all cores.
fn example_with_many_packages() -> Repo {
    let repo = Repo::example();
    for i in 0..150 {
        let name = format!("many-{i:03}");
        repo.write(
            &format!("many/{name}/package.json"),
            format!("{{ \"name\": \"{name}\", \"version\": \"1.4.0\" }}\n"),
        );
    }
    repo
}

#[test]
fn first_error_in_order_among_many_files() {
    // Enough files that they are read on all cores while they are claimed, in order, as
    // their reads complete: whichever read completes first, the error reported is the one
    // a file-by-file pass meets first (a later file's, or a later entry's, never).
    let repo = example_with_many_packages();
    repo.edit(
        "Cargo.toml",
        "  \"bindings/dotnet/*/*.csproj\",\n",
        "  \"bindings/dotnet/*/*.csproj\",\n  \"many/*/package.json\",\n  \"many/many-100/package.json\",\n",
    );
    let broken = |i: usize| {
        let rel = format!("many/many-{i:03}/package.json");
        repo.write(&rel, "{ \"name\": ");
        rel
    };
    let (first, second) = (broken(40), broken(120));
    let stderr = repo.bump_refused(2, &[&first]);
    assert!(!stderr.contains(&second), "{stderr}");
    repo.write(
        &first,
        "{ \"name\": \"many-040\", \"version\": \"1.4.0\" }\n",
    );
    let stderr = repo.bump_refused(2, &[&second]);
    assert!(!stderr.contains("listed twice"), "{stderr}");
    repo.write(
        &second,
        "{ \"name\": \"many-120\", \"version\": \"1.4.0\" }\n",
    );
    repo.bump_refused(
        2,
        &["`many/many-100/package.json` is listed twice: by `manifests[6]` (workspace) and by `manifests[7]` (workspace)"],
    );
}

#[test]
fn entry_error_before_its_files_errors_among_many_files() {
    // The files of a glob are claimed as their reads complete, before the glob is known to
    // be sound: its own error (a link leading outside, found after a file listed twice)
    // still comes first, as when the glob is checked before any of its files is claimed.
    let repo = example_with_many_packages();
    fs::write(repo.outside.join("package.json"), repo.read(DARWIN)).unwrap();
    fs::create_dir_all(repo.path("many/many-150")).unwrap();
    std::os::unix::fs::symlink(
        repo.outside.join("package.json"),
        repo.path("many/many-150/package.json"),
    )
    .unwrap();
    repo.edit(
        "Cargo.toml",
        "  \"bindings/dotnet/*/*.csproj\",\n",
        "  \"bindings/dotnet/*/*.csproj\",\n  \"many/many-01*/package.json\",\n  \"many/*/package.json\",\n",
    );
    let stderr = repo.bump_refused(2, &["many/many-150/package.json", "is a link to"]);
    assert!(!stderr.contains("listed twice"), "{stderr}");
}
