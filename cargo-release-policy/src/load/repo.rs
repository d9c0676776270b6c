//! The repository as loading leaves it: the workspace, every file read once, the groups and
//! who owns what.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::error::LoadError;
use super::expand::Consulted;
use super::patterns::PatternUse;
use super::source::SourceFile;
use super::workspace::Workspace;
use crate::fast_map::FastMap;
use crate::group::Group;
use release_policy_editor::FileKind;

/// The repository as read: the workspace, every file once, and the groups.
#[derive(Debug)]
pub struct Repo {
    pub workspace: Workspace,
    /// Every file read, keyed by its path relative to the workspace root.
    pub files: BTreeMap<String, Box<SourceFile>>,
    pub groups: Vec<Group>,
    /// The group whose version each file's own version fields follow (hashed: claiming a
    /// file is one lookup, on the one thread that claims them all).
    pub owners: FastMap<String, usize>,
    /// The pattern entries naming each [`FileKind::Text`] file, in the order they are listed
    /// (each with its own group: a README may spell the versions of two groups).
    pub patterns: BTreeMap<String, Vec<PatternUse>>,
    /// What each `manifests` entry resolved to, in the order the groups list them (for
    /// `show`).
    pub resolved: Vec<Resolved>,
    /// What the glob expansions looked into ([`Repo::dependencies`] adds the rest); `None`
    /// when that is not known (a `**` glob was walked).
    pub(super) expanded: Option<Consulted>,
}

/// One `manifests` entry and the files it named.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The group listing it (index into `Repo::groups`).
    pub group: usize,
    /// The Cargo.toml holding the table.
    pub policy_file: String,
    /// `manifests[2]`.
    pub origin: String,
    /// The path or glob as written.
    pub path: String,
    /// The files it named (keys of `Repo::files`, or of pattern files).
    pub files: Vec<String>,
}

impl Repo {
    /// The repository of `workspace`, before anything else is read.
    pub(super) fn new(workspace: Workspace) -> Repo {
        Repo {
            workspace,
            files: BTreeMap::new(),
            groups: Vec::new(),
            owners: FastMap::default(),
            patterns: BTreeMap::new(),
            resolved: Vec::new(),
            expanded: None,
        }
    }

    /// Every file loading read and every directory it looked into, the ancestors of each
    /// file included (a file appearing or vanishing changes its directory).
    ///
    /// For the check-result cache (`crate::cache`); `None` when that is not known (the workspace came from `cargo
    /// metadata`, or a `**` glob was walked). Computed when asked: only a `check` that passes
    /// needs it.
    pub fn dependencies(&self) -> Option<Consulted> {
        let mut consulted = self.expanded.clone()?;
        let read = self.workspace.read.as_ref()?;
        consulted
            .files
            .extend(read.iter().map(|(path, stamp)| (path.clone(), stamp.id)));
        consulted
            .files
            .extend(self.files.values().map(|f| (f.abs.clone(), f.stamp.id)));
        // Sorted and looked up by their bytes: comparing paths component by component was a
        // large share of a `check` (docs/performance.md, "Nothing computed for nobody").
        let mut files = consulted.files;
        files.sort_unstable_by(|(a, a_id), (b, b_id)| {
            (a.as_os_str(), a_id.is_none()).cmp(&(b.as_os_str(), b_id.is_none()))
        });
        files.dedup_by(|(a, _), (b, _)| a == b);
        // Every directory is inserted with all its ancestors: meeting one already in means
        // the rest are.
        let mut seen: HashSet<&std::ffi::OsStr> = HashSet::new();
        let mut dirs = Vec::new();
        let starts = files
            .iter()
            .filter_map(|(file, _)| file.parent())
            .chain(consulted.dirs.iter().map(PathBuf::as_path));
        for start in starts {
            for dir in start.ancestors() {
                if !seen.insert(dir.as_os_str()) {
                    break;
                }
                dirs.push(dir.to_path_buf());
            }
        }
        Some(Consulted { dirs, files })
    }

    /// Read `abs` once; returns its key.
    pub(super) fn add_file(&mut self, abs: &Path, kind: FileKind) -> Result<String, LoadError> {
        let key = self.workspace.relative(abs);
        if !self.files.contains_key(&key) {
            let file = SourceFile::load(abs, &key, kind)?;
            self.files.insert(key.clone(), Box::new(file));
        }
        Ok(key)
    }
}
