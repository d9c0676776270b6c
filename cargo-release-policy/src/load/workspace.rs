//! Finding the Cargo workspace: its root, its members and the repository around it.
//!
//! `check` runs on every commit, and `cargo metadata --no-deps` alone costs more than the
//! whole of `check` may. So [`Workspace::load`] resolves the members from the manifests
//! directly ([`Workspace::resolve`]), following cargo's own rules (`cargo/src/cargo/core/
//! workspace.rs`: `find_root`, `find_members`, `find_path_deps`, `validate_members`):
//!
//! * the root is the manifest itself when it has `[workspace]`, else the nearest ancestor
//!   `Cargo.toml` with a `[workspace]` that does not exclude it, else the package is alone;
//! * the members are the directories `[workspace] members` names (globs expanded), the root
//!   package, and, transitively, every path dependency of a member (all dependency tables,
//!   `[target.*]` ones and `workspace = true` ones included) that lies inside the root's
//!   directory — except what `exclude` names, unless `members` names it too;
//! * every member must find this root as its own (a nested workspace reached from here, or a
//!   member outside the root's directory, is cargo's error, not ours to judge).
//!
//! Whatever it does not handle — a `package.workspace` pointer, globs beyond `*` and `?`, a
//! manifest that does not parse, a member that is missing, two members with one name, … —
//! makes it give up with a [`Fallback`] naming why, and `cargo metadata --no-deps --offline`
//! decides instead (and reports cargo's own error when there is one). The test
//! `oracle_tests.rs` beside it proves both agree.

use std::cmp::Ordering;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;

use super::expand::normalize;
use super::source::Stamp;
use crate::diagnostic::Diagnostic;
use crate::fast_map::{FastBuildHasher, FastMap};

mod fallback;
mod manifest;
#[cfg(test)]
mod oracle_tests;
mod resolver;

use fallback::fallback;
pub use fallback::Fallback;
use manifest::parent;
pub use manifest::Preread;
use resolver::{Members, Resolver};

/// The Cargo workspace the tool works on.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The repository root: the nearest ancestor of the workspace root holding `.git`, or the
    /// workspace root itself. No manifest may lie outside it.
    pub repo_root: PathBuf,
    /// The directory of the workspace's root `Cargo.toml` (absolute).
    pub root: PathBuf,
    /// The root `Cargo.toml` (absolute).
    pub root_manifest: PathBuf,
    /// Every member's `Cargo.toml` (absolute), the root's first when it is a package.
    pub members: Vec<PathBuf>,
    /// The root and member manifests as the resolution read them, so that each is read
    /// and parsed once: [`Workspace::take_preread`].
    prereads: FastMap<OsString, Box<Preread>>,
    /// Every `Cargo.toml` the resolution read (members, the root, path dependencies,
    /// candidate roots above), when it resolved from the manifests; `None` when `cargo
    /// metadata` did (what cargo read is not known).
    pub read: Option<Vec<(PathBuf, Stamp)>>,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("could not find `Cargo.toml` in `{dir}` or any parent directory")]
    NotFound { dir: String },
    #[error("`cargo metadata` failed for `{manifest}`:\n{message}")]
    Metadata { manifest: String, message: String },
}

impl Workspace {
    /// Load the workspace holding `manifest_path`, or the one cargo finds from the current
    /// directory: from the manifests when [`Workspace::resolve`] can, else with
    /// `cargo metadata --no-deps --offline`.
    pub fn load(manifest_path: Option<&Path>) -> Result<Workspace, WorkspaceError> {
        let manifest = match manifest_path {
            Some(path) => path.to_path_buf(),
            None => find_manifest()?,
        };
        match Workspace::resolve(&manifest) {
            Ok(workspace) => Ok(workspace),
            Err(Fallback(_)) => Workspace::from_metadata(&manifest),
        }
    }

    /// The workspace holding `manifest`, resolved from the manifests alone (see the module
    /// documentation), or why not.
    pub fn resolve(manifest: &Path) -> Result<Workspace, Fallback> {
        let Ok(cwd) = std::env::current_dir() else {
            return fallback("no current directory");
        };
        // As cargo takes `--manifest-path`: joined to the current directory, `.`/`..` resolved.
        let manifest = normalize(&cwd.join(manifest));
        if manifest.file_name().is_none_or(|n| n != "Cargo.toml") {
            // cargo refuses it, or reads it as a single-file package (cargo-script).
            return fallback("the manifest is not named `Cargo.toml`");
        }
        if cargo_home(&cwd).is_some_and(|home| manifest.starts_with(home)) {
            // cargo stops looking for a workspace root at `CARGO_HOME`.
            return fallback("the manifest is inside `CARGO_HOME`");
        }
        let mut resolver = Resolver::default();
        let root_manifest = if let Some(root) = resolver.find_root(&manifest)? {
            root
        } else {
            if resolver.load(&manifest)?.workspace.is_some() {
                // A `[workspace]` that excludes its own manifest.
                return fallback("the manifest's workspace excludes it");
            }
            manifest.clone()
        };
        let root = parent(&root_manifest).to_path_buf();
        let members = if let Some(config) = resolver.load(&root_manifest)?.workspace.clone() {
            let ws = Members {
                root: &root,
                root_manifest: &root_manifest,
                config: &config,
            };
            let members = resolver.members(&ws)?;
            if root_manifest == manifest {
                Resolver::check_default_members(&ws, &members)?;
            }
            resolver.validate(&ws, &members)?;
            members
        } else {
            // No workspace: the package alone, without its path dependencies.
            if resolver.load(&manifest)?.package.is_none() {
                return fallback("a virtual manifest without `[workspace]`");
            }
            vec![manifest.clone()]
        };
        let mut packages: Vec<PathBuf> = Vec::with_capacity(members.len());
        for member in members {
            if resolver.load(&member)?.package.is_some() {
                packages.push(member);
            }
        }
        let root_key = root_manifest.as_os_str();
        packages.sort_unstable_by(|a, b| {
            let (a_root, b_root) = (a.as_os_str() == root_key, b.as_os_str() == root_key);
            b_root.cmp(&a_root).then_with(|| path_order(a, b))
        });
        let mut read = Vec::with_capacity(resolver.manifests.len());
        let mut prereads =
            FastMap::with_capacity_and_hasher(packages.len() + 1, FastBuildHasher::default());
        for path in packages.iter().chain([&root_manifest]) {
            if let Some((key, manifest)) = resolver.manifests.remove_entry(path.as_os_str()) {
                read.push((path.clone(), manifest.preread.stamp));
                prereads.insert(key, manifest.preread);
            }
        }
        read.extend(
            resolver
                .manifests
                .into_iter()
                .map(|(path, manifest)| (PathBuf::from(path), manifest.preread.stamp)),
        );
        Ok(Workspace {
            repo_root: repo_root(&root),
            root,
            root_manifest,
            members: packages,
            prereads,
            read: Some(read),
        })
    }

    /// The workspace holding `manifest`, as `cargo metadata --no-deps --offline` reports it.
    pub fn from_metadata(manifest: &Path) -> Result<Workspace, WorkspaceError> {
        let mut command = MetadataCommand::new();
        command
            .manifest_path(manifest)
            .no_deps()
            .other_options(vec!["--offline".to_string()]);
        let metadata = command.exec().map_err(|e| WorkspaceError::Metadata {
            manifest: manifest.display().to_string(),
            message: match e {
                cargo_metadata::Error::CargoMetadata { stderr } => stderr.trim_end().to_string(),
                other => other.to_string(),
            },
        })?;
        let root: PathBuf = metadata.workspace_root.clone().into();
        let root_manifest = root.join("Cargo.toml");
        let mut members: Vec<PathBuf> = metadata
            .workspace_packages()
            .iter()
            .map(|p| p.manifest_path.clone().into())
            .collect();
        members.sort_by_key(|m: &PathBuf| (m != &root_manifest, m.clone()));
        Ok(Workspace {
            repo_root: repo_root(&root),
            root,
            root_manifest,
            members,
            prereads: FastMap::default(),
            read: None,
        })
    }

    /// A manifest the resolution already read and parsed (handed over, not copied).
    pub fn take_preread(&mut self, abs: &Path) -> Option<Preread> {
        self.prereads
            .remove(abs.as_os_str())
            .map(|preread| *preread)
    }

    /// How `abs` is shown and keyed: relative to the workspace root, with `/` separators
    /// (`../bindings/node/package.json` for a file beside a workspace in `rust/`).
    pub fn relative(&self, abs: &Path) -> String {
        relative_to(&self.root, abs)
    }
}

impl Diagnostic for WorkspaceError {}

/// `abs` relative to the directory `base` (both absolute), with `/` separators and `..`
/// where `abs` is not below `base`.
// proof: `common` counts a common prefix of `base` and `target`, so it is at most `target.len()`.
#[allow(clippy::indexing_slicing)]
pub fn relative_to(base: &Path, abs: &Path) -> String {
    // The common case, without collecting components: `abs` is below `base`, both
    // normalized.
    if let (Some(base_text), Some(abs_text)) = (base.to_str(), abs.to_str()) {
        if let Some(rest) = abs_text
            .strip_prefix(base_text)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            if !base_text.ends_with('/')
                && rest
                    .split('/')
                    .all(|part| !part.is_empty() && part != "." && part != "..")
            {
                return rest.to_string();
            }
        }
    }
    let base: Vec<_> = base.components().collect();
    let target: Vec<_> = abs.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

fn find_manifest() -> Result<PathBuf, WorkspaceError> {
    let cwd = std::env::current_dir().map_err(|_| WorkspaceError::NotFound {
        dir: ".".to_string(),
    })?;
    cwd.ancestors()
        .map(|dir| dir.join("Cargo.toml"))
        .find(|path| path.is_file())
        .ok_or_else(|| WorkspaceError::NotFound {
            dir: cwd.display().to_string(),
        })
}

/// The nearest ancestor of `dir` with a `.git` entry, or `dir`.
fn repo_root(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// `CARGO_HOME` as cargo finds it.
fn cargo_home(cwd: &Path) -> Option<PathBuf> {
    match std::env::var_os("CARGO_HOME") {
        Some(home) if !home.is_empty() => Some(cwd.join(home)),
        _ => std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")),
    }
}

/// `a.cmp(b)` for normalized paths ([`normalize`]), without parsing their components.
// proof: `at` is a position where both `a` and `b` have a byte (`zip`).
#[allow(clippy::indexing_slicing)]
fn path_order(a: &Path, b: &Path) -> Ordering {
    if !cfg!(unix) {
        return a.cmp(b);
    }
    // Normalized Unix paths have one `/` between components and none at the end. Where
    // their bytes first differ, both sides are in the same component of each, unless one
    // component ends there (a `/`, or the end of the path): that one is a prefix of the
    // other, and comes first. So the bytes compare as the components do, with `/` lowest.
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(at) => {
            let rank = |byte: u8| (byte != b'/', byte);
            rank(a[at]).cmp(&rank(b[at]))
        }
        None => a.len().cmp(&b.len()),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Normalized paths whose bytes and components order differently (`-` and `.` sort
    /// before `/`, a component that is a prefix of another).
    const PATHS: [&str; 12] = [
        "/",
        "/a",
        "/a/b",
        "/a/b/Cargo.toml",
        "/a-b",
        "/a-b/Cargo.toml",
        "/a.b/c",
        "/a0",
        "/ab",
        "/ab/Cargo.toml",
        "/b",
        "/a/b-c/Cargo.toml",
    ];

    #[test]
    fn path_order_is_the_order_of_components() {
        for a in PATHS {
            for b in PATHS {
                assert_eq!(
                    super::path_order(Path::new(a), Path::new(b)),
                    Path::new(a).cmp(Path::new(b)),
                    "{a} vs {b}"
                );
            }
        }
    }
}
