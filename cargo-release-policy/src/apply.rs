//! Writing (the only module that writes files): all or nothing.
//!
//! Every new text is written to a temporary file beside its target (with the target's
//! permissions) before anything is renamed; then each is renamed into place. A failure while
//! writing removes the temporary files; a failure while renaming puts back every file already
//! renamed. A file that changed on disk since it was read stops the whole write. Each phase
//! runs on all cores (a bump of 2,000 manifests writes 2,000 files).

use std::fs;
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::source::Stamp;

/// One file to replace.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// As shown to people.
    pub path: String,
    pub abs: PathBuf,
    /// The text the plan was made from (borrowed: a lockfile may be 10 MB).
    pub old: &'a str,
    pub new: String,
    pub stamp: Stamp,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("`{path}` changed on disk since it was read; nothing was written")]
    Changed { path: String },
    #[error("failed to write `{path}`: {source}; nothing was written")]
    Write { path: String, source: io::Error },
    #[error("failed to replace `{path}`: {source}; every file was restored")]
    Rename { path: String, source: io::Error },
    #[error("failed to replace `{path}`: {source}; and restoring `{restore}` failed too: {restore_error}")]
    Restore {
        path: String,
        source: io::Error,
        restore: String,
        restore_error: io::Error,
    },
}

/// The file system operations a write needs: a seam for tests that make the Nth one fail.
/// Shared by the threads that check and write files.
pub trait Fs: Sync {
    /// Write `contents` to a new temporary file in `dir` with the permissions of `like`.
    fn write_temp(&self, dir: &Path, like: &Path, contents: &[u8]) -> io::Result<PathBuf>;
    /// Rename `from` onto `to`, replacing it.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Remove a temporary file (best effort).
    fn remove(&self, path: &Path);
    /// Whether the file holds exactly `expected`.
    fn holds(&self, path: &Path, expected: &[u8]) -> io::Result<bool>;
}

/// The real file system.
#[derive(Debug, Default)]
pub struct RealFs;

impl Fs for RealFs {
    fn write_temp(&self, dir: &Path, like: &Path, contents: &[u8]) -> io::Result<PathBuf> {
        let name = like
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".release-policy.tmp")
            .tempfile_in(dir)?;
        temp.write_all(contents)?;
        // No `sync_all` per file: the rename makes each replacement atomic for other
        // processes and against a crash of this one, and the file systems that matter (ext4,
        // btrfs) write a file's data before committing a rename over an existing file. An
        // fsync per file cost 2 ms each on the benchmark's disk (4 s for 2,000 manifests; on
        // macOS `F_FULLFSYNC` costs more): see docs/performance.md.
        if let Ok(meta) = fs::metadata(like) {
            temp.as_file().set_permissions(meta.permissions())?;
        }
        let (_, path) = temp.keep().map_err(|e| e.error)?;
        Ok(path)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn remove(&self, path: &Path) {
        let _ = fs::remove_file(path);
    }

    fn holds(&self, path: &Path, expected: &[u8]) -> io::Result<bool> {
        // Compared as it is read, 64 KiB at a time: no second copy of a large file.
        let mut file = fs::File::open(path)?;
        let mut buffer = vec![0; 64 * 1024];
        let mut rest = expected;
        loop {
            let n = match file.read(&mut buffer) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                return Ok(rest.is_empty());
            }
            if n > rest.len() || buffer[..n] != rest[..n] {
                return Ok(false);
            }
            rest = &rest[n..];
        }
    }
}

/// Write every change, or none.
///
/// Debug builds honour `RELEASE_POLICY_FAULT=write:N` / `rename:N`: the Nth temporary-file
/// write or rename fails, so tests can prove that nothing is left half-written.
pub fn apply(changes: &[Change<'_>]) -> Result<(), ApplyError> {
    if cfg!(debug_assertions) {
        if let Some(fault) = std::env::var("RELEASE_POLICY_FAULT")
            .ok()
            .and_then(|f| Fault::parse(&f))
        {
            return apply_with(&FaultFs::new(RealFs, fault), changes);
        }
    }
    apply_with(&RealFs, changes)
}

/// Which operation of a write fails, for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The Nth temporary-file write (1-based).
    Write(usize),
    /// The Nth rename (1-based).
    Rename(usize),
}

impl Fault {
    /// `write:N` or `rename:N`.
    pub fn parse(text: &str) -> Option<Fault> {
        let (op, n) = text.split_once(':')?;
        let n = n.parse().ok()?;
        match op {
            "write" => Some(Fault::Write(n)),
            "rename" => Some(Fault::Rename(n)),
            _ => None,
        }
    }
}

/// A file system that fails one chosen operation and passes the others to `inner`. Writes
/// run on several threads: the Nth is the Nth to start.
#[derive(Debug)]
pub struct FaultFs<F> {
    pub inner: F,
    fault: Fault,
    writes: AtomicUsize,
    renames: AtomicUsize,
}

impl<F: Fs> FaultFs<F> {
    pub fn new(inner: F, fault: Fault) -> Self {
        FaultFs {
            inner,
            fault,
            writes: AtomicUsize::new(0),
            renames: AtomicUsize::new(0),
        }
    }
}

fn injected() -> io::Error {
    io::Error::other("injected fault")
}

impl<F: Fs> Fs for FaultFs<F> {
    fn write_temp(&self, dir: &Path, like: &Path, contents: &[u8]) -> io::Result<PathBuf> {
        let nth = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        if self.fault == Fault::Write(nth) {
            return Err(injected());
        }
        self.inner.write_temp(dir, like, contents)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        let nth = self.renames.fetch_add(1, Ordering::SeqCst) + 1;
        if self.fault == Fault::Rename(nth) {
            return Err(injected());
        }
        self.inner.rename(from, to)
    }

    fn remove(&self, path: &Path) {
        self.inner.remove(path);
    }

    fn holds(&self, path: &Path, expected: &[u8]) -> io::Result<bool> {
        self.inner.holds(path, expected)
    }
}

/// [`apply`] through `fs`.
pub fn apply_with(fs: &dyn Fs, changes: &[Change<'_>]) -> Result<(), ApplyError> {
    // Refuse when anything changed since it was read (checked on all cores).
    let unchanged = crate::par::map(changes, |change| {
        Stamp::of(&change.abs).is_ok_and(|s| s.len == change.stamp.len)
            && fs
                .holds(&change.abs, change.old.as_bytes())
                .unwrap_or(false)
    });
    if let Some((change, _)) = changes.iter().zip(&unchanged).find(|(_, ok)| !**ok) {
        return Err(ApplyError::Changed {
            path: change.path.clone(),
        });
    }
    // Phase 1: every new text in a temporary file beside its target (on all cores).
    let written = crate::par::map(changes, |change| {
        let dir = change.abs.parent().unwrap_or(Path::new("."));
        fs.write_temp(dir, &change.abs, change.new.as_bytes())
    });
    let mut temps: Vec<PathBuf> = Vec::with_capacity(changes.len());
    let mut failed = None;
    for (change, result) in changes.iter().zip(written) {
        match result {
            Ok(path) => temps.push(path),
            Err(source) => {
                failed.get_or_insert((change, source));
            }
        }
    }
    if let Some((change, source)) = failed {
        for temp in &temps {
            fs.remove(temp);
        }
        return Err(ApplyError::Write {
            path: change.path.clone(),
            source,
        });
    }
    // Phase 2: rename into place (on all cores); on failure, put back every file replaced.
    let pairs: Vec<(&Change<'_>, &PathBuf)> = changes.iter().zip(&temps).collect();
    let renamed = crate::par::map(&pairs, |&(change, temp)| fs.rename(temp, &change.abs));
    let mut failed = None;
    let mut replaced = Vec::new();
    for (&(change, temp), result) in pairs.iter().zip(renamed) {
        match result {
            Ok(()) => replaced.push(change),
            Err(source) => {
                fs.remove(temp);
                failed.get_or_insert((change, source));
            }
        }
    }
    let Some((change, source)) = failed else {
        return Ok(());
    };
    for done in replaced.iter().rev() {
        if let Err(restore_error) = restore(fs, done) {
            return Err(ApplyError::Restore {
                path: change.path.clone(),
                source,
                restore: done.path.clone(),
                restore_error,
            });
        }
    }
    Err(ApplyError::Rename {
        path: change.path.clone(),
        source,
    })
}

fn restore(fs: &dyn Fs, change: &Change<'_>) -> io::Result<()> {
    let dir = change.abs.parent().unwrap_or(Path::new("."));
    let temp = fs.write_temp(dir, &change.abs, change.old.as_bytes())?;
    fs.rename(&temp, &change.abs)
        .inspect_err(|_| fs.remove(&temp))
}
