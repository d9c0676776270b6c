//! Finding the Cargo workspace: its root, its members and the repository around it.

use std::path::{Path, PathBuf};

use cargo_metadata::MetadataCommand;

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
    /// directory, with `cargo metadata --no-deps --offline`.
    pub fn load(manifest_path: Option<&Path>) -> Result<Workspace, WorkspaceError> {
        let manifest = match manifest_path {
            Some(path) => path.to_path_buf(),
            None => find_manifest()?,
        };
        let mut command = MetadataCommand::new();
        command
            .manifest_path(&manifest)
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
        })
    }

    /// How `abs` is shown and keyed: relative to the workspace root, with `/` separators
    /// (`../bindings/node/package.json` for a file beside a workspace in `rust/`).
    pub fn relative(&self, abs: &Path) -> String {
        relative_to(&self.root, abs)
    }
}

/// `abs` relative to the directory `base` (both absolute), with `/` separators and `..`
/// where `abs` is not below `base`.
pub fn relative_to(base: &Path, abs: &Path) -> String {
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
