//! What the expansions of one run learned of the file system, shared by the threads that
//! expand and read: what each listed directory holds, what was consulted (for the
//! remembered check), and the repository root's real location.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use super::error::ExpandError;
use super::inside::check_real;
use crate::fast_map::{FastMap, FastSet};

/// What the directories listed by glob expansions hold, so that looking for a file in one
/// of them (a lockfile beside a manifest, `Directory.Build.props`) asks nothing more of the
/// file system. Shared by the threads that expand and read.
#[derive(Debug, Default)]
pub struct Listings {
    dirs: Mutex<FastMap<OsString, Listing>>,
    /// Every directory an expansion looked into (listed, or asked for a name), and every
    /// ignore file it read: what its answer depends on, besides the files it found.
    consulted: Mutex<Consulted>,
    /// Whether a `**` pattern was walked (what the walk looked at is not recorded).
    walked: AtomicBool,
    /// The repository root, and its real location (links resolved): asked once per run,
    /// where every expansion asked it again (a `readlink` per component of its path).
    real_root: OnceLock<(PathBuf, PathBuf)>,
}

/// Directories looked into and files read, each file with its identity when reading it
/// took one.
#[derive(Debug, Default, Clone)]
pub struct Consulted {
    pub dirs: Vec<PathBuf>,
    pub files: Vec<(PathBuf, Option<crate::load::source::FileId>)>,
}

/// One directory's entries that are not directories.
#[derive(Debug, Default)]
pub(super) struct Listing {
    pub(super) files: FastSet<OsString>,
    pub(super) links: FastSet<OsString>,
    /// Whether the directory's real location is inside the repository: it was reached from
    /// a directory that is, following no link.
    pub(super) inside: bool,
}

impl Listings {
    pub(super) fn record(&self, dir: &Path, listing: Listing) {
        self.dirs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(dir.as_os_str().to_os_string(), listing);
    }

    pub(super) fn consulted(&self) -> MutexGuard<'_, Consulted> {
        self.consulted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn set_walked(&self) {
        self.walked.store(true, Ordering::Relaxed);
    }

    /// What the expansions depended on: `None` when a `**` pattern was walked.
    pub fn dependencies(&self) -> Option<Consulted> {
        (!self.walked.load(Ordering::Relaxed)).then(|| std::mem::take(&mut *self.consulted()))
    }

    /// Whether `dir/name` is a file, when `dir` was listed and the answer needs no more
    /// (a symbolic link is followed by asking the file system).
    pub fn is_file(&self, dir: &Path, name: &str) -> Option<bool> {
        let dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
        let listing = dirs.get(dir.as_os_str())?;
        let name = OsStr::new(name);
        if listing.links.contains(name) {
            None
        } else {
            Some(listing.files.contains(name))
        }
    }

    /// `root`'s real location (itself when it cannot be resolved), resolved once: the root
    /// is the same for a whole run.
    pub(super) fn real_root(&self, root: &Path) -> Cow<'_, Path> {
        let resolve = || root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let (known, real) = self
            .real_root
            .get_or_init(|| (root.to_path_buf(), resolve()));
        if known == root {
            Cow::Borrowed(real)
        } else {
            Cow::Owned(resolve())
        }
    }

    /// Refuse a path whose real location (links resolved) is outside `root`: answered
    /// without asking the file system when a listing shows it is a file (not a link) in a
    /// directory inside the repository.
    pub fn check_inside(&self, root: &Path, path: &Path, pattern: &str) -> Result<(), ExpandError> {
        if let (Some(dir), Some(name)) = (path.parent(), path.file_name()) {
            let dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
            if dirs
                .get(dir.as_os_str())
                .is_some_and(|listing| listing.inside && listing.files.contains(name))
            {
                return Ok(());
            }
        }
        check_real(root, &self.real_root(root), path, pattern)
    }
}
