//! Writing (the only module that writes files): all or nothing, even across a crash.
//!
//! A write takes the repository's [`Lock`], then:
//!
//! 1. checks every file: one that changed on disk since it was read, or whose permissions make
//!    it read-only, stops the whole write before anything is written;
//! 2. writes a journal beside the lock (`.release-policy.journal`, format in
//!    [`journal`]) holding, for every file to write, its path, its old text, and its new
//!    text's length and checksum, and syncs it (and its directory) to the disk;
//! 3. rewrites each file in place — the same inode, so its permissions, owner, hard links and
//!    a symbolic link pointing at it all stay — each write marked in the journal before it
//!    starts (the writing thread's slot names the file);
//! 4. marks the journal done and removes it.
//!
//! A write that fails in step 3 puts every file already written back, from the texts in
//! memory, and removes the journal. A crash (a `kill -9`, a power cut) leaves the journal:
//! [`recover`], which every command runs before it reads the tree, puts every file back to
//! its old text. A file holding neither its old nor its new text, and not the one being
//! written when the crash came, was edited since: recovery touches nothing and names it
//! ([`ApplyError::Edited`]). What holds against a process crash and against a power loss, and
//! what the syncs cost, is in `docs/guarantees.md` and `docs/performance.md`.
//!
//! Checking and writing run on all cores when there are many files ([`crate::par`]), each step
//! ending for every file before the next starts. Per file, a write costs eight system calls:
//! open, stat, read and close to check it; the mark, then open, write and close to write it
//! (a `ftruncate` more when it got shorter). No file is created but the journal.

use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::load::source::Stamp;
use crate::par;

mod durability;
mod error;
pub mod journal;
mod lock;
mod ops;
mod recover;

pub use durability::Durability;
pub use error::ApplyError;
pub use journal::JOURNAL_FILE;
pub use lock::Lock;
pub use ops::{Fault, FaultFs, Fs, OnDisk, RealFs};
pub use recover::{recover, Edited, Outcome, Recovery};

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

/// Fewer files than this are written on the calling thread (as `par::map` does).
const PARALLEL_MIN: usize = 64;

/// Write every change, or none, holding the [`Lock`] in `root` (the directory of the
/// workspace's root `Cargo.toml`) meanwhile, with the journal beside it. Nothing to write
/// takes no lock.
///
/// Debug builds honour `RELEASE_POLICY_FAULT` (see [`Fault`]): `write:N` makes the Nth
/// in-place write fail halfway and `crash:N` stops the process there (the Nth to start,
/// when the writes run on several threads: see [`FaultFs`]); `crash:journal`,
/// `crash:written` and `crash:done` stop it while the journal is written, after every file
/// is, and before the journal is removed; `journal:fail` fails the journal's write; `hold:MS`
/// waits MS milliseconds holding the lock before checking and writing, so tests can run
/// another process, or change a file, in between.
pub fn apply(root: &Path, changes: &[Change<'_>]) -> Result<(), ApplyError> {
    if changes.is_empty() {
        return Ok(());
    }
    let _lock = Lock::acquire(root)?;
    let journal = root.join(JOURNAL_FILE);
    let durability = Durability::from_env();
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
            apply_with(&RealFs, &journal, durability, changes)
        }
        Some(fault) => apply_with(&FaultFs::new(RealFs, fault), &journal, durability, changes),
        None => apply_with(&RealFs, &journal, durability, changes),
    }
}

/// One file to write, after the checks.
#[derive(Debug)]
struct Job<'a> {
    shown: &'a str,
    target: &'a Path,
    old: &'a [u8],
    new: &'a [u8],
    mode: u32,
}

/// [`apply`] through `fs`, with the journal at `journal`, without the lock.
///
/// Every file is checked before the journal is written, and the journal is written before
/// any file; the check and the writes may run on several threads. The check looks at every
/// file and reports the first refusal in the changes' order, whatever the threads. Once a
/// write fails, no new one starts (those under way on other threads finish); the first
/// failure in the changes' order is reported, and every file whose write started is put
/// back.
pub fn apply_with(
    fs: &dyn Fs,
    journal: &Path,
    durability: Durability,
    changes: &[Change<'_>],
) -> Result<(), ApplyError> {
    let shown_journal = || journal.display().to_string();
    if fs::symlink_metadata(journal).is_ok() {
        return Err(ApplyError::Interrupted {
            journal: shown_journal(),
        });
    }
    let files = check_all(fs, changes)?;
    crate::timing::phase("write: check");
    let jobs = jobs(&files);
    if jobs.is_empty() {
        return Ok(());
    }
    let slots = if jobs.len() < PARALLEL_MIN {
        1
    } else {
        par::threads().min(jobs.len())
    };
    let file = write_journal(fs, journal, durability, &jobs, slots)?;
    crate::timing::phase("write: journal");
    let (started, failed) = write_files(fs, &file, durability, &jobs, slots);
    let Some((job, source)) = failed else {
        crate::timing::phase("write: files");
        // Done: a crash from here on keeps the write (recovery finds it marked done).
        let _ = fs.mark(&file, journal::STATE_OFFSET, &[journal::STATE_DONE]);
        drop(file);
        return fs
            .remove_journal(journal, durability.files())
            .map_err(|source| ApplyError::Finish {
                journal: shown_journal(),
                source,
            });
    };
    drop(file);
    // Every started file is put back, even past one that cannot be; the first that could
    // not is reported, and the journal kept for recovery to try again.
    let mut unrestored = None;
    for done in started.into_iter().rev() {
        if let Err(restore_error) = put_back(fs, done.target, done.old, durability.files()) {
            unrestored.get_or_insert((done, restore_error));
        }
    }
    if let Some((done, restore_error)) = unrestored {
        return Err(ApplyError::Restore {
            path: job.shown.to_string(),
            source,
            restore: done.shown.to_string(),
            restore_error,
            journal: shown_journal(),
        });
    }
    let _ = fs.remove_journal(journal, durability.files());
    Err(ApplyError::Write {
        path: job.shown.to_string(),
        source,
    })
}

/// Every file checked (on all cores): each as it was read and writable, or the first
/// refusal in the changes' order.
fn check_all<'a, 'c>(
    fs: &dyn Fs,
    changes: &'a [Change<'c>],
) -> Result<Vec<(&'a Change<'c>, OnDisk)>, ApplyError> {
    let checked = par::map(changes, |change| {
        fs.check(&change.abs, change.old.as_bytes())
    });
    let mut files = Vec::with_capacity(changes.len());
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
    Ok(files)
}

/// The journal of `jobs`, with `slots` slots, written (and synced, by `durability`) at
/// `journal`; the open journal, to mark progress in.
fn write_journal(
    fs: &dyn Fs,
    journal: &Path,
    durability: Durability,
    jobs: &[Job<'_>],
    slots: usize,
) -> Result<fs::File, ApplyError> {
    let dir = journal.parent().unwrap_or(Path::new(""));
    let stored: Vec<PathBuf> = jobs
        .iter()
        .map(|job| stored_path(dir, job.target))
        .collect();
    let entries: Vec<journal::Entry<'_>> = jobs
        .iter()
        .zip(&stored)
        .map(|(job, path)| journal::Entry {
            path,
            shown: job.shown,
            mode: job.mode,
            old: job.old,
            new: job.new,
        })
        .collect();
    let failed = |source| ApplyError::Journal {
        journal: journal.display().to_string(),
        source,
    };
    let encoded = journal::encode(&entries, slots, std::process::id())
        .map_err(|error| failed(io::Error::other(error.to_string())))?;
    fs.create_journal(journal, &encoded.parts(), durability.journal())
        .map_err(|source| {
            if source.kind() != io::ErrorKind::AlreadyExists {
                // Cut short or not synced: no file was written, nothing to keep.
                let _ = fs.remove_journal(journal, false);
            }
            failed(source)
        })
}

/// Write every job in place, each thread one run of them in order, naming in its slot the
/// file it is about to write (after a crash the slots tell which files were being written).
/// Returns the jobs whose write started, and the first failure in the jobs' order.
// proof: each run ends at `jobs.len()` at most, so `i < jobs.len()`.
#[allow(clippy::indexing_slicing)]
fn write_files<'j, 'a>(
    fs: &dyn Fs,
    journal: &fs::File,
    durability: Durability,
    jobs: &'j [Job<'a>],
    slots: usize,
) -> (Vec<&'j Job<'a>>, Option<(&'j Job<'a>, io::Error)>) {
    let chunk = jobs.len().div_ceil(slots);
    let runs: Vec<(usize, Range<usize>)> = (0..slots)
        .map(|slot| (slot, slot * chunk..((slot + 1) * chunk).min(jobs.len())))
        .collect();
    let stop = AtomicBool::new(false);
    let written = par::map_few(&runs, |(slot, run)| {
        run.clone()
            .map(|i| {
                until_failure(&stop, || {
                    fs.mark(
                        journal,
                        journal::slot_offset(*slot),
                        &(i as u64).to_le_bytes(),
                    )?;
                    let job = &jobs[i];
                    fs.write_in_place(
                        job.target,
                        job.new,
                        Some(job.old.len() as u64),
                        durability.files(),
                    )
                })
            })
            .collect::<Vec<_>>()
    });
    let mut started = Vec::new();
    let mut failed = None;
    for (job, result) in jobs.iter().zip(written.into_iter().flatten()) {
        match result {
            Some(Ok(())) => started.push(job),
            Some(Err(source)) => {
                started.push(job);
                failed.get_or_insert((job, source));
            }
            None => {}
        }
    }
    (started, failed)
}

/// The files to write: one job per file, the later of two changes of one file (a link and
/// the file it names, both manifests) winning, as when both were written in the changes'
/// order; a change that changes nothing is no job.
fn jobs<'a>(files: &'a [(&'a Change<'a>, OnDisk)]) -> Vec<Job<'a>> {
    let mut last = std::collections::HashMap::with_capacity(files.len());
    for (i, (change, on_disk)) in files.iter().enumerate() {
        let key = match on_disk.id {
            Some(id) => Ok(id),
            None => Err(target(change, on_disk)),
        };
        last.insert(key, i);
    }
    files
        .iter()
        .enumerate()
        .filter(|(i, (change, on_disk))| {
            let key = match on_disk.id {
                Some(id) => Ok(id),
                None => Err(target(change, on_disk)),
            };
            last.get(&key) == Some(i) && change.old != change.new
        })
        .map(|(_, (change, on_disk))| Job {
            shown: &change.path,
            target: target(change, on_disk),
            old: change.old.as_bytes(),
            new: change.new.as_bytes(),
            mode: mode(&on_disk.permissions),
        })
        .collect()
}

#[cfg(unix)]
fn mode(permissions: &fs::Permissions) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    permissions.mode()
}

#[cfg(not(unix))]
fn mode(permissions: &fs::Permissions) -> u32 {
    if permissions.readonly() {
        0o444
    } else {
        0o644
    }
}

/// `target` as the journal in `dir` names it: relative when below `dir`, so that a
/// repository moved before recovery still finds its files.
fn stored_path(dir: &Path, target: &Path) -> PathBuf {
    target
        .strip_prefix(dir)
        .ok()
        .filter(|rel| !rel.as_os_str().is_empty())
        .map_or_else(|| target.to_path_buf(), Path::to_path_buf)
}

/// Put `old` back into `target` unless it holds it already.
fn put_back(fs: &dyn Fs, target: &Path, old: &[u8], sync: bool) -> io::Result<()> {
    if fs.read(target).is_ok_and(|now| now == old) {
        return Ok(());
    }
    fs.write_in_place(target, old, None, sync)
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

/// The file to replace: the change's path, or the file its symbolic link names.
fn target<'a>(change: &'a Change<'_>, on_disk: &'a OnDisk) -> &'a Path {
    on_disk.resolved.as_deref().unwrap_or(&change.abs)
}

// The tests set Unix permissions and make symbolic links.
#[cfg(test)]
#[cfg(unix)]
mod tests;
