//! Surveying an existing repository for `init`: the manifests that carry a version, the
//! globs that cover them, and the versions written as text that pattern entries could
//! follow. Reads files; writes and prints nothing.

use std::collections::BTreeMap;
use std::path::Path;

use crate::load::source::SourceFile;
use crate::load::Repo;
use release_policy_editor::{FieldKind, FileKind, Note};
use release_policy_version::{Comparison, Ecosystem, Spelling, Version};

mod parts;
mod suggestion;
mod unfollowed;

pub use suggestion::{toml_string, Suggestion};

/// Directories `init` never looks in.
const SKIPPED_DIRS: [&str; 7] = [
    "node_modules",
    "target",
    "bin",
    "obj",
    ".git",
    ".venv",
    "dist",
];

/// A manifest under the surveyed root that carries a version (or follows one: a project file
/// whose version comes from a props file, a dynamic Python version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Relative to the surveyed root, with `/` separators.
    pub path: String,
    pub kind: FileKind,
    /// The version the file spells (`version`, `<Version>`, `<VersionPrefix>`), when it
    /// spells one itself.
    pub version: Option<String>,
    /// The version is an MSBuild `<VersionPrefix>`: the release part only.
    pub prefix: bool,
    /// A package that is never published: `"private": true` in a package.json.
    pub private: bool,
    /// A `go.mod`'s module path.
    pub module: Option<String>,
    /// Why it cannot be listed whatever the leader's version (a test project never packed, a
    /// version computed by code).
    pub blocker: Option<String>,
    /// A maturin pyproject's `Cargo.toml` (as the pyproject names it) and its version.
    pub maturin: Option<(String, String)>,
}

/// The manifests under `root` that carry a version of their own, relative to `root`, sorted.
pub fn find_manifests(root: &Path) -> Vec<String> {
    find_candidates(root).into_iter().map(|c| c.path).collect()
}

/// [`find_manifests`], with what each file says of its version.
pub fn find_candidates(root: &Path) -> Vec<Candidate> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .require_git(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        })
        .build();
    let mut found = Vec::new();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(kind) = FileKind::detect(&name) else {
            continue;
        };
        let rel = crate::load::workspace::relative_to(root, entry.path());
        if !proposed(kind, &rel) {
            continue;
        }
        // Only files that carry a version the tool can follow.
        let Ok(file) = SourceFile::load(entry.path(), &rel, kind) else {
            continue;
        };
        let field = file
            .reading
            .fields
            .iter()
            .find(|f| matches!(f.kind, FieldKind::Version | FieldKind::VersionPrefix));
        let version = field.map(|f| f.value.clone());
        let prefix = field.is_some_and(|f| f.kind == FieldKind::VersionPrefix);
        let derived = file
            .reading
            .notes
            .iter()
            .any(|n| matches!(n, Note::Dynamic { .. } | Note::PropertyReference { .. }));
        // Project files are packages even when their version comes from a props file: their
        // references to sibling packages follow the group.
        // A Go module has no version in its file: it is released by its tag.
        let project = name.ends_with("proj") || kind == FileKind::GoMod;
        if version.is_some() || derived || project {
            let private = kind == FileKind::PackageJson && is_private(&file.text);
            let module = (kind == FileKind::GoMod)
                .then(|| file.reading.name.clone())
                .flatten();
            let blocker = unfollowed::blocker(root, entry.path(), kind, &file.text, &file.reading);
            let maturin = (kind == FileKind::Pyproject)
                .then(|| unfollowed::maturin_source(entry.path(), &file.reading))
                .flatten();
            found.push(Candidate {
                path: rel,
                kind,
                version,
                prefix,
                private,
                module,
                blocker,
                maturin,
            });
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// Whether `init` proposes a manifest of `kind` at `rel`: the package manifests, not the
/// lockfiles (found beside them), and a `version.rb` only under a `lib/` (a gem's).
fn proposed(kind: FileKind, rel: &str) -> bool {
    match kind {
        FileKind::PackageJson
        | FileKind::Pyproject
        | FileKind::MsBuild
        | FileKind::Gemspec
        | FileKind::Podspec
        | FileKind::Pubspec
        | FileKind::CMake
        | FileKind::ZigZon
        | FileKind::HelmChart
        | FileKind::MavenPom
        | FileKind::GradleBuild
        | FileKind::GoMod => true,
        FileKind::RubyVersion => rel.starts_with("lib/") || rel.contains("/lib/"),
        _ => false,
    }
}

/// Why `init` leaves a candidate out of `manifests` (written commented out, with the reason),
/// or `None` to list it: only what is in lockstep with `leader` by meaning is listed, so that
/// `check` passes right after `init` and `sync` rewrites nothing nobody chose.
pub fn left_out(candidate: &Candidate, leader: &Version) -> Option<String> {
    if let Some(dir) = unreleased_dir(&candidate.path) {
        return Some(format!("under `{dir}/`: not released with the product"));
    }
    if candidate.private {
        return Some("`\"private\": true`: npm never publishes it".to_string());
    }
    if let Some(blocker) = &candidate.blocker {
        return Some(blocker.clone());
    }
    if let Some((path, found)) = &candidate.maturin {
        return unfollowed::maturin_reason(path, found, leader);
    }
    if candidate.kind == FileKind::GoMod {
        return go_left_out(candidate, leader);
    }
    let found = candidate.version.as_deref()?;
    let (expected, ecosystem) = match candidate.kind {
        FileKind::MavenPom | FileKind::GradleBuild => (leader.clone(), Ecosystem::Maven),
        FileKind::Pyproject => (leader.clone(), Ecosystem::Pep440),
        FileKind::MsBuild if candidate.prefix => (leader.release(), Ecosystem::NuGet),
        FileKind::MsBuild => (leader.clone(), Ecosystem::NuGet),
        FileKind::RubyVersion | FileKind::Gemspec => (leader.clone(), Ecosystem::RubyGems),
        FileKind::Podspec => (leader.clone(), Ecosystem::CocoaPods),
        // Numeric: `1.4`, `1.4.0` and `1.4.0.0` are the same release.
        FileKind::CMake => (leader.release(), Ecosystem::Assembly),
        _ => (leader.clone(), Ecosystem::Npm),
    };
    match Spelling::default().compare(&expected, found, ecosystem) {
        Comparison::Same | Comparison::Equivalent => None,
        Comparison::Invalid(_) => Some(format!("`{found}` is not a version")),
        Comparison::Different => Some(format!("at {found}, not {expected}: its own version")),
    }
}

/// A `go.mod` whose module path does not declare the leader's major version (`/v2` from 2,
/// none below): listing it would fail `check` right after `init`.
fn go_left_out(candidate: &Candidate, leader: &Version) -> Option<String> {
    let path = candidate.module.as_deref()?;
    let declared = release_policy_editor::go_mod::path_major(path).unwrap_or(1);
    let major = leader.major.max(1);
    (declared != major)
        .then(|| format!("module `{path}` is major version {declared}, the product is at {leader}"))
}

/// Whether a package.json says `"private": true` (npm never publishes it).
fn is_private(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}'))
        .is_ok_and(|v| v.get("private") == Some(&serde_json::Value::Bool(true)))
}

/// Directories whose packages are not released with the product: documentation, examples,
/// samples, tests and their fixtures, fuzzing corpora, templates.
const UNRELEASED_DIRS: [&str; 17] = [
    "benches",
    "corpus",
    "doc",
    "docs",
    "e2e",
    "example",
    "examples",
    "fixtures",
    "fuzz",
    "sample",
    "samples",
    "seeds",
    "template",
    "templates",
    "test",
    "testdata",
    "tests",
];

/// Whether `rel` (a `/`-separated path) lies in a directory of [`UNRELEASED_DIRS`].
pub fn in_unreleased_dir(rel: &str) -> bool {
    unreleased_dir(rel).is_some()
}

/// The directory of [`UNRELEASED_DIRS`] `rel` lies in, with the path to it.
// proof: `at + part.len()` ends a `/`-separated part of `rel` (before a `/` or at its end), checked
// to be within `rel`.
#[allow(clippy::string_slice)]
pub(crate) fn unreleased_dir(rel: &str) -> Option<&str> {
    let mut end = 0;
    for part in rel.split('/') {
        let at = end;
        end = at + part.len() + 1;
        if end > rel.len() {
            return None;
        }
        if UNRELEASED_DIRS.contains(&part) {
            return Some(&rel[..at + part.len()]);
        }
    }
    None
}

/// When no policy table lists any `manifests`, the version-carrying manifests of other
/// ecosystems the repository holds (relative to the workspace root), which `check` then did
/// not look at — those in documentation, examples, tests and templates aside; `None` when a
/// table lists manifests, or there are none.
pub fn unlisted(repo: &Repo) -> Option<Vec<String>> {
    if repo.groups.iter().any(|g| !g.policy.manifests.is_empty()) {
        return None;
    }
    let root = &repo.workspace.repo_root;
    let found: Vec<String> = find_manifests(root)
        .into_iter()
        .filter(|rel| !in_unreleased_dir(rel))
        .map(|rel| repo.workspace.relative(&root.join(rel)))
        .collect();
    (!found.is_empty()).then_some(found)
}

#[cfg(test)]
#[test]
fn unreleased_dirs() {
    for (path, expected) in [
        ("examples/app/package.json", true),
        ("docs/pyproject.toml", true),
        ("bindings/node/tests/fixture/package.json", true),
        ("bindings/node/package.json", false),
        ("tests.json", false),
        ("fuzz/seeds/xml/refs.csproj", true),
        ("package.json", false),
    ] {
        assert_eq!(in_unreleased_dir(path), expected, "{path}");
    }
}

/// How `unlisted` manifests are named: a count per kind of file.
pub fn count_by_kind(paths: &[String]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for path in paths {
        let name = path.rsplit('/').next().unwrap_or(path);
        let kind = if FileKind::detect(name) == Some(FileKind::MsBuild) {
            "MSBuild file"
        } else {
            name
        };
        *counts.entry(kind).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(kind, n)| match (kind, n) {
            ("MSBuild file", 1) => "1 MSBuild file".to_string(),
            ("MSBuild file", n) => format!("{n} MSBuild files"),
            (kind, n) => format!("{n} {kind}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Replace runs of siblings by a glob: `npm/a/package.json` + `npm/b/package.json` (and no
/// other `npm/*/` directory holding a `package.json` left out) become `npm/*/package.json`.
// proof: `parts.len() >= 3` is checked first.
#[allow(clippy::indexing_slicing)]
pub fn collapse(root: &Path, files: &[String]) -> Vec<String> {
    let mut by_pattern: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for file in files {
        let parts: Vec<&str> = file.split('/').collect();
        if parts.len() >= 3 {
            let pattern = format!(
                "{}/*/{}",
                parts[..parts.len() - 2].join("/"),
                parts[parts.len() - 1]
            );
            by_pattern.entry(pattern).or_default().push(file);
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut covered: Vec<&String> = Vec::new();
    for (pattern, members) in &by_pattern {
        if members.len() < 2 {
            continue;
        }
        let (dir, name) = pattern.split_once("/*/").unwrap_or((pattern, ""));
        let all_siblings = std::fs::read_dir(root.join(dir)).map_or(0, |entries| {
            entries
                .flatten()
                .filter(|e| e.path().join(name).is_file())
                .count()
        });
        if all_siblings == members.len() {
            out.push(pattern.clone());
            covered.extend(members.iter().copied());
        }
    }
    out.extend(files.iter().filter(|f| !covered.contains(f)).cloned());
    out.sort();
    out
}

/// Whether `text` starts with a version-shaped token (`N.N…`): its length.
// proof: `len` counts leading bytes of `bytes` (`take_while`).
#[allow(clippy::indexing_slicing)]
fn version_token(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let len = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
        .count();
    let token = &bytes[..len];
    let digits = token.iter().take_while(|b| b.is_ascii_digit()).count();
    let shaped = digits > 0
        && token.get(digits) == Some(&b'.')
        && token.get(digits + 1).is_some_and(u8::is_ascii_digit);
    let end = token.iter().rposition(u8::is_ascii_alphanumeric)? + 1;
    shaped.then_some(end)
}

/// Pattern entries for the common places a version is written as text whose meaning `init`
/// cannot be sure of: `VERSION := x` in a Makefile, and the version's numbers: a C header's
/// `#define X_MAJOR n` (with `_MINOR` and `_PATCH`), a Python `__version_info__ = (a, b, c)`
/// (paths relative to `root`). A CMakeLists.txt is a manifest kind of its own
/// ([`find_candidates`] proposes it); the version files `init` can be sure of are
/// [`crate::adopt::version_files`].
pub fn find_patterns(root: &Path) -> Vec<Suggestion> {
    let mut found = Vec::new();
    for entry in walk(root) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let extension = Path::new(&name)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let kind: fn(&str) -> Vec<Suggestion> = match (name.as_str(), extension.as_deref()) {
            ("Makefile" | "makefile" | "GNUmakefile", _) => {
                |t| make_version(t).into_iter().collect()
            }
            (_, Some("h" | "hpp")) => parts::header_defines,
            (_, Some("py")) => |t| parts::version_info(t).into_iter().collect(),
            _ => continue,
        };
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for mut suggestion in kind(&text) {
            suggestion.path = crate::load::workspace::relative_to(root, entry.path());
            found.push(suggestion);
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// The files below `root` that `init` looks at: not ignored, not in [`SKIPPED_DIRS`].
pub(crate) fn walk(root: &Path) -> impl Iterator<Item = ignore::DirEntry> {
    ignore::WalkBuilder::new(root)
        .hidden(true)
        .require_git(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        })
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
}

/// `VERSION := x` (or `=`, `?=`, `::=`) at the start of a Makefile line.
// proof: `op` is an ASCII prefix of `ops`; `value` is a suffix of `line`; `len` is the length of an
// ASCII token at its start.
#[allow(clippy::string_slice)]
fn make_version(text: &str) -> Option<Suggestion> {
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("VERSION") else {
            continue;
        };
        let ops = rest.trim_start_matches([' ', '\t']);
        let Some(op) = [":=", "::=", "?=", "="]
            .into_iter()
            .find(|op| ops.starts_with(op))
        else {
            continue;
        };
        let value = ops[op.len()..].trim_start_matches([' ', '\t']);
        let Some(len) = version_token(value) else {
            continue;
        };
        let prefix = &line[..line.len() - value.len()];
        return Some(Suggestion {
            path: String::new(),
            search: format!("{prefix}{{{{version}}}}"),
            format: None,
            found: value[..len].to_string(),
            note: None,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn suggests(found: Option<Suggestion>, search: &str, version: &str) {
        let found = found.unwrap_or_else(|| panic!("no suggestion, expected `{search}`"));
        assert_eq!(
            (found.search.as_str(), found.found.as_str()),
            (search, version)
        );
    }

    #[test]
    fn makefile_versions() {
        suggests(
            make_version("VERSION := 0.25.0\n"),
            "VERSION := {{version}}",
            "0.25.0",
        );
        suggests(
            make_version("NAME = x\nVERSION\t?= 1.2.3-rc.1 # next\n"),
            "VERSION\t?= {{version}}",
            "1.2.3-rc.1",
        );
        suggests(
            make_version("VERSION=1.0.0"),
            "VERSION={{version}}",
            "1.0.0",
        );
        assert_eq!(make_version("VERSION := $(shell git describe)\n"), None);
        assert_eq!(make_version("MY_VERSION := 1.0.0\n"), None);
        assert_eq!(make_version("VERSIONS := 1.0.0\n"), None);
        assert_eq!(make_version("  VERSION := 1.0.0\n"), None);
    }
}
