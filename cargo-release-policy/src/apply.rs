//! Writing (the only module that writes files): all or nothing.
//!
//! Every new text is written to a temporary file beside its target (with the target's
//! permissions) before anything is renamed; then each is renamed into place. A failure while
//! writing removes the temporary files; a failure while renaming puts back every file already
//! renamed. A file that changed on disk since it was read, or whose permissions make it
//! read-only, stops the whole write before anything is written. A target that is a symbolic
//! link is written through: the file it points to changes, the link stays.
//!
//! Two runs never write one repository at once: [`apply`] holds a [`Lock`] (a file created
//! with `create_new` beside the workspace's root `Cargo.toml`) while it checks and writes, and
//! a second run refuses while it exists. A run that read the files before the first one wrote
//! them then finds them changed, and refuses too.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::source::Stamp;

/// One file to replace.
#[derive(Debug, Clone)]
pub struct Change {
    /// As shown to people.
    pub path: String,
    pub abs: PathBuf,
    /// The text the plan was made from.
    pub old: String,
    pub new: String,
    pub stamp: Stamp,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("`{path}` changed on disk since it was read; nothing was written")]
    Changed { path: String },
    #[error("`{path}` is read-only; nothing was written")]
    ReadOnly { path: String },
    #[error("another run of `cargo release-policy` is writing this repository (`{lock}` exists{}); nothing was written", holder.as_ref().map(|pid| format!(", held by process {pid}")).unwrap_or_default())]
    Locked {
        lock: String,
        holder: Option<String>,
    },
    #[error("failed to create the lock `{lock}`: {source}; nothing was written")]
    Lock { lock: String, source: io::Error },
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

impl ApplyError {
    /// How to fix it, when there is something to say.
    pub fn help(&self) -> Option<String> {
        match self {
            ApplyError::Changed { .. } => {
                Some("run the command again: it reads the files anew".to_string())
            }
            ApplyError::ReadOnly { path } => Some(format!(
                "make `{path}` writable (e.g. `chmod u+w`, or check it out for editing), then run again"
            )),
            ApplyError::Locked { lock, .. } => Some(format!(
                "wait for the other run to finish; if none is running (it was killed), remove `{lock}`"
            )),
            ApplyError::Lock { .. }
            | ApplyError::Write { .. }
            | ApplyError::Rename { .. }
            | ApplyError::Restore { .. } => None,
        }
    }
}

/// The name of the lock file, beside the workspace's root `Cargo.toml`.
pub const LOCK_FILE: &str = ".release-policy.lock";

/// Held while a run checks and writes files: `.release-policy.lock`, created with
/// `create_new` (so exactly one run can create it) and holding the run's process id; removed
/// when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Create the lock in `dir`, or refuse when another run holds it.
    pub fn acquire(dir: &Path) -> Result<Lock, ApplyError> {
        let path = dir.join(LOCK_FILE);
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let lock = Lock { path };
                file.write_all(format!("{}\n", std::process::id()).as_bytes())
                    .map_err(|source| ApplyError::Lock {
                        lock: lock.path.display().to_string(),
                        source,
                    })?;
                Ok(lock)
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(ApplyError::Locked {
                holder: fs::read_to_string(&path)
                    .ok()
                    .map(|text| text.trim().to_string())
                    .filter(|pid| !pid.is_empty()),
                lock: path.display().to_string(),
            }),
            Err(source) => Err(ApplyError::Lock {
                lock: path.display().to_string(),
                source,
            }),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// The file system operations a write needs: a seam for tests that make the Nth one fail.
pub trait Fs {
    /// Write `contents` to a new temporary file in `dir` with the permissions of `like`.
    fn write_temp(&mut self, dir: &Path, like: &Path, contents: &[u8]) -> io::Result<PathBuf>;
    /// Rename `from` onto `to`, replacing it.
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    /// Remove a temporary file (best effort).
    fn remove(&mut self, path: &Path);
    /// Read a file's bytes.
    fn read(&mut self, path: &Path) -> io::Result<Vec<u8>>;
}

/// The real file system.
#[derive(Debug, Default)]
pub struct RealFs;

impl Fs for RealFs {
    fn write_temp(&mut self, dir: &Path, like: &Path, contents: &[u8]) -> io::Result<PathBuf> {
        let name = like
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".release-policy.tmp")
            .tempfile_in(dir)?;
        temp.write_all(contents)?;
        // No `sync_all`: it cost 2 ms a file here (4 s of a 2,000-manifest bump). The rename
        // still keeps readers and a crash of the tool from seeing half a file; see
        // docs/performance.md ("No fsync per file") for the power-loss trade-off.
        if let Ok(meta) = fs::metadata(like) {
            fs::set_permissions(temp.path(), meta.permissions())?;
        }
        let (_, path) = temp.keep().map_err(|e| e.error)?;
        Ok(path)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn remove(&mut self, path: &Path) {
        let _ = fs::remove_file(path);
    }

    fn read(&mut self, path: &Path) -> io::Result<Vec<u8>> {
        fs::read(path)
    }
}

/// Write every change, or none, holding the [`Lock`] in `root` (the directory of the
/// workspace's root `Cargo.toml`) meanwhile. Nothing to write takes no lock.
///
/// Debug builds honour `RELEASE_POLICY_FAULT` (see [`Fault`]): `write:N` / `rename:N` make
/// the Nth temporary-file write or rename fail, so tests can prove that nothing is left
/// half-written; `hold:MS` waits MS milliseconds holding the lock before checking and
/// writing, so tests can run another process, or change a file, in between.
pub fn apply(root: &Path, changes: &[Change]) -> Result<(), ApplyError> {
    if changes.is_empty() {
        return Ok(());
    }
    let _lock = Lock::acquire(root)?;
    let fault = if cfg!(debug_assertions) {
        std::env::var("RELEASE_POLICY_FAULT")
            .ok()
            .and_then(|f| Fault::parse(&f))
    } else {
        None
    };
    match fault {
        Some(Fault::Hold(ms)) => {
            std::thread::sleep(Duration::from_millis(ms));
            apply_with(&mut RealFs, changes)
        }
        Some(fault) => apply_with(&mut FaultFs::new(RealFs, fault), changes),
        None => apply_with(&mut RealFs, changes),
    }
}

/// Which operation of a write fails, for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The Nth temporary-file write (1-based).
    Write(usize),
    /// The Nth rename (1-based).
    Rename(usize),
    /// No failure: wait this many milliseconds, holding the lock, before writing.
    Hold(u64),
}

impl Fault {
    /// `write:N`, `rename:N` or `hold:MS`.
    pub fn parse(text: &str) -> Option<Fault> {
        let (op, n) = text.split_once(':')?;
        match op {
            "write" => n.parse().ok().map(Fault::Write),
            "rename" => n.parse().ok().map(Fault::Rename),
            "hold" => n.parse().ok().map(Fault::Hold),
            _ => None,
        }
    }
}

/// A file system that fails one chosen operation and passes the others to `inner`.
#[derive(Debug)]
pub struct FaultFs<F> {
    pub inner: F,
    fault: Fault,
    writes: usize,
    renames: usize,
}

impl<F: Fs> FaultFs<F> {
    pub fn new(inner: F, fault: Fault) -> Self {
        FaultFs {
            inner,
            fault,
            writes: 0,
            renames: 0,
        }
    }
}

fn injected() -> io::Error {
    io::Error::other("injected fault")
}

impl<F: Fs> Fs for FaultFs<F> {
    fn write_temp(&mut self, dir: &Path, like: &Path, contents: &[u8]) -> io::Result<PathBuf> {
        self.writes += 1;
        if self.fault == Fault::Write(self.writes) {
            return Err(injected());
        }
        self.inner.write_temp(dir, like, contents)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        self.renames += 1;
        if self.fault == Fault::Rename(self.renames) {
            return Err(injected());
        }
        self.inner.rename(from, to)
    }

    fn remove(&mut self, path: &Path) {
        self.inner.remove(path);
    }

    fn read(&mut self, path: &Path) -> io::Result<Vec<u8>> {
        self.inner.read(path)
    }
}

/// [`apply`] through `fs`, without the lock.
pub fn apply_with(fs: &mut dyn Fs, changes: &[Change]) -> Result<(), ApplyError> {
    // Refuse when anything changed since it was read, or is read-only.
    let mut targets: Vec<PathBuf> = Vec::with_capacity(changes.len());
    for change in changes {
        let unchanged = Stamp::of(&change.abs).is_ok_and(|s| s.len == change.stamp.len)
            && fs
                .read(&change.abs)
                .is_ok_and(|bytes| bytes == change.old.as_bytes());
        if !unchanged {
            return Err(ApplyError::Changed {
                path: change.path.clone(),
            });
        }
        // Permissions, not the kernel, decide: a process running as root may replace any
        // file, but a file marked read-only is not the tool's to rewrite.
        if std::fs::metadata(&change.abs).is_ok_and(|m| m.permissions().readonly()) {
            return Err(ApplyError::ReadOnly {
                path: change.path.clone(),
            });
        }
        // Renaming onto a symbolic link would replace the link: write the file it names.
        targets.push(std::fs::canonicalize(&change.abs).unwrap_or_else(|_| change.abs.clone()));
    }
    // Phase 1: every new text in a temporary file beside its target.
    let mut temps: Vec<PathBuf> = Vec::with_capacity(changes.len());
    for (change, target) in changes.iter().zip(&targets) {
        let dir = target.parent().unwrap_or(Path::new("."));
        match fs.write_temp(dir, target, change.new.as_bytes()) {
            Ok(path) => temps.push(path),
            Err(source) => {
                for temp in &temps {
                    fs.remove(temp);
                }
                return Err(ApplyError::Write {
                    path: change.path.clone(),
                    source,
                });
            }
        }
    }
    // Phase 2: rename into place; on failure, put back what was replaced.
    for (index, ((change, target), temp)) in changes.iter().zip(&targets).zip(&temps).enumerate() {
        if let Err(source) = fs.rename(temp, target) {
            for temp in &temps[index..] {
                fs.remove(temp);
            }
            for (done, done_target) in changes[..index].iter().zip(&targets).rev() {
                if let Err(restore_error) = restore(fs, done, done_target) {
                    return Err(ApplyError::Restore {
                        path: change.path.clone(),
                        source,
                        restore: done.path.clone(),
                        restore_error,
                    });
                }
            }
            return Err(ApplyError::Rename {
                path: change.path.clone(),
                source,
            });
        }
    }
    Ok(())
}

fn restore(fs: &mut dyn Fs, change: &Change, target: &Path) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let temp = fs.write_temp(dir, target, change.old.as_bytes())?;
    fs.rename(&temp, target).inspect_err(|_| fs.remove(&temp))
}

// The tests set Unix permissions and make symbolic links.
#[cfg(test)]
#[cfg(unix)]
mod tests;
