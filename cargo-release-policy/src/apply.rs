//! Writing (the only module that writes files): all or nothing.
//!
//! Every new text is written to a temporary file beside its target (with the target's
//! permissions) before anything is renamed; then each is renamed into place. A failure while
//! writing removes the temporary files; a failure while renaming puts back every file already
//! renamed (all of them: one that cannot be put back is reported, and the others still are).
//! A file that changed on disk since it was read, or whose permissions make it read-only,
//! stops the whole write before anything is written. A target that is a symbolic link is
//! written through: the file it points to changes, the link stays.
//!
//! Each of the three steps — check every file, write every temporary file, rename every one
//! — runs on all cores when there are many files ([`crate::par`]); a step starts when the
//! one before has finished for every file, and each step knows exactly which of its
//! operations succeeded. Per file, a write costs nine system calls: open, stat, read and
//! close to check it; create, write, chmod and close the temporary file; rename.
//!
//! Two runs never write one repository at once: [`apply`] holds a [`Lock`] (a file created
//! with `create_new` beside the workspace's root `Cargo.toml`) while it checks and writes, and
//! a second run refuses while it exists. A run that read the files before the first one wrote
//! them then finds them changed, and refuses too.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::load::source::Stamp;
use crate::par;

mod ops;

pub use ops::{Fault, FaultFs, Fs, OnDisk, RealFs};

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

impl Diagnostic for ApplyError {
    fn help(&self) -> Option<String> {
        ApplyError::help(self)
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

/// Write every change, or none, holding the [`Lock`] in `root` (the directory of the
/// workspace's root `Cargo.toml`) meanwhile. Nothing to write takes no lock.
///
/// Debug builds honour `RELEASE_POLICY_FAULT` (see [`Fault`]): `write:N` / `rename:N` make
/// the Nth temporary-file write or rename fail (the Nth to start, when a step runs on several
/// threads: see [`FaultFs`]), so tests can prove that nothing is left half-written; `hold:MS` waits MS milliseconds holding the lock before checking and
/// writing, so tests can run another process, or change a file, in between.
pub fn apply(root: &Path, changes: &[Change<'_>]) -> Result<(), ApplyError> {
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
            apply_with(&RealFs, changes)
        }
        Some(fault) => apply_with(&FaultFs::new(RealFs, fault), changes),
        None => apply_with(&RealFs, changes),
    }
}

/// [`apply`] through `fs`, without the lock.
///
/// Every file is checked before any temporary file is written, and every temporary file is
/// written before any rename; each step may run on several threads. The check looks at every
/// file and reports the first refusal in the changes' order, whatever the threads. Once a
/// write or rename fails, no new one starts (those under way on other threads finish); the
/// first failure in the changes' order is reported, every temporary file is removed, and
/// every file already renamed is put back, in the reverse of the changes' order.
pub fn apply_with(fs: &dyn Fs, changes: &[Change<'_>]) -> Result<(), ApplyError> {
    // Refuse when anything changed since it was read, or is read-only.
    let checked = par::map(changes, |change| {
        fs.check(&change.abs, change.old.as_bytes())
    });
    let mut files: Vec<(&Change<'_>, OnDisk)> = Vec::with_capacity(changes.len());
    for (change, checked) in changes.iter().zip(checked) {
        let Some(on_disk) = checked
            .ok()
            .filter(|d| d.len == change.stamp.len && d.holds)
        else {
            return Err(ApplyError::Changed {
                path: change.path.clone(),
            });
        };
        // Permissions, not the kernel, decide: a process running as root may replace any
        // file, but a file marked read-only is not the tool's to rewrite.
        if on_disk.permissions.readonly() {
            return Err(ApplyError::ReadOnly {
                path: change.path.clone(),
            });
        }
        files.push((change, on_disk));
    }
    let stop = AtomicBool::new(false);
    // Phase 1: every new text in a temporary file beside its target.
    let written = par::map(&files, |(change, on_disk)| {
        until_failure(&stop, || {
            fs.write_temp(
                target(change, on_disk),
                &on_disk.permissions,
                change.new.as_bytes(),
            )
        })
    });
    let mut temps: Vec<PathBuf> = Vec::with_capacity(changes.len());
    let mut failed = None;
    for ((change, _), result) in files.iter().zip(written) {
        match result {
            Some(Ok(temp)) => temps.push(temp),
            Some(Err(source)) => {
                failed.get_or_insert((change, source));
            }
            None => {}
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
    // Phase 2: rename into place; on failure, put back what was replaced. Two changes of one
    // file (a link and the file it names, both manifests) are renamed in the changes' order,
    // the last one winning, as on one thread.
    let jobs: Vec<(&(&Change<'_>, OnDisk), &PathBuf)> = files.iter().zip(&temps).collect();
    let rename = |((change, on_disk), temp): &(&(&Change<'_>, OnDisk), &PathBuf)| {
        until_failure(&stop, || fs.rename(temp, target(change, on_disk)))
    };
    let renamed = if one_file_twice(&files) {
        jobs.iter().map(rename).collect()
    } else {
        par::map(&jobs, rename)
    };
    let mut replaced: Vec<&(&Change<'_>, OnDisk)> = Vec::new();
    let mut failed = None;
    for ((file, temp), result) in jobs.iter().zip(renamed) {
        match result {
            Some(Ok(())) => replaced.push(file),
            Some(Err(source)) => {
                fs.remove(temp);
                failed.get_or_insert((file.0, source));
            }
            None => fs.remove(temp),
        }
    }
    let Some((change, source)) = failed else {
        return Ok(());
    };
    // Every replaced file is put back, even past one that cannot be; the first that could not
    // is reported.
    let mut unrestored = None;
    for (done, on_disk) in replaced.into_iter().rev() {
        if let Err(restore_error) = restore(fs, done, on_disk) {
            unrestored.get_or_insert((done, restore_error));
        }
    }
    Err(match unrestored {
        Some((done, restore_error)) => ApplyError::Restore {
            path: change.path.clone(),
            source,
            restore: done.path.clone(),
            restore_error,
        },
        None => ApplyError::Rename {
            path: change.path.clone(),
            source,
        },
    })
}

/// `operation`'s result, or `None` without running it once an earlier one failed (on any
/// thread); a failure stops the others.
fn until_failure<T>(
    stop: &AtomicBool,
    operation: impl FnOnce() -> io::Result<T>,
) -> Option<io::Result<T>> {
    if stop.load(Ordering::Relaxed) {
        return None;
    }
    let result = operation();
    if result.is_err() {
        stop.store(true, Ordering::Relaxed);
    }
    Some(result)
}

/// Whether two of the changes replace one file.
fn one_file_twice(files: &[(&Change<'_>, OnDisk)]) -> bool {
    let mut seen = HashSet::with_capacity(files.len());
    !files.iter().all(|(change, on_disk)| match on_disk.id {
        Some(id) => seen.insert(Ok(id)),
        None => seen.insert(Err(target(change, on_disk))),
    })
}

/// The file to replace: the change's path, or the file its symbolic link names.
fn target<'a>(change: &'a Change<'_>, on_disk: &'a OnDisk) -> &'a Path {
    on_disk.resolved.as_deref().unwrap_or(&change.abs)
}

fn restore(fs: &dyn Fs, change: &Change<'_>, on_disk: &OnDisk) -> io::Result<()> {
    let target = target(change, on_disk);
    let temp = fs.write_temp(target, &on_disk.permissions, change.old.as_bytes())?;
    fs.rename(&temp, target).inspect_err(|_| fs.remove(&temp))
}

// The tests set Unix permissions and make symbolic links.
#[cfg(test)]
#[cfg(unix)]
mod tests;
