//! Recovery: what a crash in the middle of a write left behind — a journal, a lock — put
//! right before a command reads the tree.
//!
//! Recovery rolls back: every file the journal names goes back to its old text. Rolling
//! forward would finish a write whose command never reported success, and whose caller (a
//! release script, a person) saw it fail: they expect the tree as it was, and run the command
//! again. Only a journal marked done (every file written; the crash came while removing it)
//! is kept as it is.
//!
//! Each file is classified, then — only when every file can be — the files are written:
//! - holding its old text: nothing to do;
//! - holding its new text: written back to its old one;
//! - holding neither, and named in a slot (it was being written when the crash came): it is
//!   half-written, and written back too;
//! - holding neither otherwise, or gone: edited (or removed) since. Recovery writes nothing
//!   at all, names every such file and says how to go on ([`Edited`]).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::durability::Durability;
use super::error::ApplyError;
use super::journal::JOURNAL_FILE;
use super::journal::{self, Journal, Read};
use super::lock::{Found, Lock, LOCK_FILE};
use super::ops::{Fs, RealFs};

/// What to do with files edited since the interrupted write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edited {
    /// Write nothing at all; name them.
    #[default]
    Refuse,
    /// Put back every other file; leave the edited ones as they are.
    Keep,
    /// Put back every file, the edited ones included (their edits are lost).
    Overwrite,
}

/// What recovery found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// The directory holding the journal and the lock.
    pub dir: PathBuf,
    /// A lock file no running process held, removed.
    pub stale_lock: Option<StaleLock>,
    /// What became of the journal, when there was one.
    pub journal: Option<Outcome>,
}

/// A lock file left by a run that is no longer running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleLock {
    /// The process id it named, when it named one.
    pub holder: Option<String>,
}

/// What became of an interrupted write's journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It was cut short while being written: no file had been written. Removed.
    Cut,
    /// Every file had been written (the crash came while removing it). Removed; the files
    /// keep their new text.
    Finished { pid: u32, files: usize },
    /// The files were put back to their old text.
    RolledBack(RolledBack),
}

/// The files of a rolled-back write.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RolledBack {
    /// The process that was writing.
    pub pid: u32,
    /// Put back to their old text (shown paths, in the write's order).
    pub restored: Vec<String>,
    /// Holding their old text already (not written yet when the crash came).
    pub unchanged: Vec<String>,
    /// Edited since, left as they are ([`Edited::Keep`]).
    pub kept: Vec<String>,
    /// Edited since, put back all the same ([`Edited::Overwrite`]).
    pub overwritten: Vec<String>,
}

impl Recovery {
    /// The directory's journal, as shown.
    pub fn journal_path(&self) -> PathBuf {
        self.dir.join(JOURNAL_FILE)
    }

    /// What it did, for people: `(verb, message)` status lines; with `verbose`, every file
    /// restored is named, else the first few.
    pub fn lines(&self, verbose: bool) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(StaleLock { holder }) = &self.stale_lock {
            let by = holder
                .as_ref()
                .map_or_else(|| "a run".to_string(), |pid| format!("process {pid}"));
            out.push((
                "Removed",
                format!(
                    "`{}`, left by {by}, which is no longer running",
                    self.dir.join(LOCK_FILE).display()
                ),
            ));
        }
        let journal = self.journal_path();
        match &self.journal {
            None => {}
            Some(Outcome::Cut) => out.push((
                "Recovered",
                format!(
                    "an interrupted write had not written any file yet (its journal was cut short): removed `{}`",
                    journal.display()
                ),
            )),
            Some(Outcome::Finished { pid, files }) => out.push((
                "Recovered",
                format!(
                    "an interrupted write (process {pid}) had written all {files} {}: kept them, removed `{}`",
                    plural(*files, "file", "files"),
                    journal.display()
                ),
            )),
            Some(Outcome::RolledBack(rolled)) => {
                let n = rolled.restored.len();
                out.push((
                    "Restored",
                    format!(
                        "{n} {} to {} text from before the write interrupted in process {} ({} not written yet): {}",
                        plural(n, "file", "files"),
                        plural(n, "its", "their"),
                        rolled.pid,
                        rolled.unchanged.len(),
                        names(&rolled.restored, verbose),
                    ),
                ));
                if !rolled.overwritten.is_empty() {
                    out.push((
                        "Restored",
                        format!(
                            "edited since, edits discarded: {}",
                            names(&rolled.overwritten, true)
                        ),
                    ));
                }
                if !rolled.kept.is_empty() {
                    out.push((
                        "Kept",
                        format!(
                            "edited since, left as they are: {}",
                            names(&rolled.kept, true)
                        ),
                    ));
                }
            }
        }
        out
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `a`, `b` and `c`; the first ten and a count when not `all`.
// proof: `shown` is at most `files.len()`.
#[allow(clippy::indexing_slicing)]
fn names(files: &[String], all: bool) -> String {
    const FEW: usize = 10;
    if files.is_empty() {
        return "none".to_string();
    }
    let shown = if all {
        files.len()
    } else {
        files.len().min(FEW)
    };
    let mut text = files[..shown]
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if shown < files.len() {
        let _ = write!(text, " and {} more (`-v` lists them)", files.len() - shown);
    }
    text
}

/// The nearest of `start` and the directories above it that holds a journal or a lock file:
/// where the workspace's root `Cargo.toml` is, found without reading any manifest (a crash
/// may have left one half-written). Two `stat`s per directory.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            fs::symlink_metadata(dir.join(JOURNAL_FILE)).is_ok()
                || fs::symlink_metadata(dir.join(LOCK_FILE)).is_ok()
        })
        .map(Path::to_path_buf)
}

/// Recover what a crashed write left in `start` or the directories above it ([`find`]):
/// `None` when there is nothing.
pub fn recover(start: &Path, edited: Edited) -> Result<Option<Recovery>, ApplyError> {
    match find(start) {
        Some(dir) => recover_in(&RealFs, &dir, edited, Durability::from_env()),
        None => Ok(None),
    }
}

/// Recover the journal and the lock in `dir`, through `fs`.
///
/// A journal is recovered holding the lock. A lock held by a running process is left alone;
/// with a journal beside it, that process is writing now: [`ApplyError::Locked`].
pub fn recover_in(
    fs: &dyn Fs,
    dir: &Path,
    edited: Edited,
    durability: Durability,
) -> Result<Option<Recovery>, ApplyError> {
    let journal = dir.join(JOURNAL_FILE);
    let had_lock = fs::symlink_metadata(dir.join(LOCK_FILE)).is_ok();
    // With a journal, the lock is needed even when its file is gone (removed by hand).
    let found = Lock::take(dir, fs::symlink_metadata(&journal).is_ok())?;
    let (lock, previous) = match found {
        Found::Taken(lock, previous) => (lock, previous),
        Found::None => return Ok(None),
        Found::Held(error) => {
            return match error {
                ApplyError::Locked { lock, holder } if fs::symlink_metadata(&journal).is_ok() => {
                    Err(ApplyError::Busy { lock, holder })
                }
                _ => Ok(None),
            };
        }
    };
    // Looked for again holding the lock: a run may have finished in between.
    let outcome = if fs::symlink_metadata(&journal).is_ok() {
        Some(recover_journal(fs, &journal, edited, durability)?)
    } else {
        None
    };
    drop(lock);
    Ok(Some(Recovery {
        dir: dir.to_path_buf(),
        stale_lock: had_lock.then_some(StaleLock { holder: previous }),
        journal: outcome,
    }))
}

/// How a file stands against its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Old,
    New,
    /// Neither, and being written when the crash came.
    Torn,
    /// Neither, and not being written: edited since.
    Edited,
    Missing,
}

// proof: `classify` fails with the index of the record it enumerated.
#[allow(clippy::indexing_slicing)]
fn recover_journal(
    fs: &dyn Fs,
    path: &Path,
    edited: Edited,
    durability: Durability,
) -> Result<Outcome, ApplyError> {
    let shown = || path.display().to_string();
    let bytes = fs::read(path).map_err(|source| ApplyError::Recover {
        journal: shown(),
        path: shown(),
        source,
    })?;
    let journal = match journal::decode(&bytes) {
        Ok(Read::Whole(journal)) => journal,
        Ok(Read::Cut) => {
            remove(fs, path, durability)?;
            return Ok(Outcome::Cut);
        }
        Err(error) => {
            return Err(ApplyError::Unreadable {
                journal: shown(),
                error,
            })
        }
    };
    drop(bytes);
    if journal.done {
        remove(fs, path, durability)?;
        return Ok(Outcome::Finished {
            pid: journal.pid,
            files: journal.records.len(),
        });
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    let targets: Vec<PathBuf> = journal.records.iter().map(|r| dir.join(&r.path)).collect();
    let classes = classify(fs, &journal, &targets).map_err(|(i, source)| ApplyError::Recover {
        journal: shown(),
        path: journal.records[i].shown.clone(),
        source,
    })?;
    let is_edited = |class: &Class| matches!(class, Class::Edited | Class::Missing);
    if edited == Edited::Refuse && classes.iter().any(is_edited) {
        return Err(ApplyError::Edited {
            journal: shown(),
            files: journal
                .records
                .iter()
                .zip(&classes)
                .filter(|(_, class)| is_edited(class))
                .map(|(record, _)| record.shown.clone())
                .collect(),
        });
    }
    let mut rolled = RolledBack {
        pid: journal.pid,
        ..RolledBack::default()
    };
    // What recovery writes is synced before the journal goes (unless nothing is synced at
    // all): a power cut right after recovery must not find the files half-restored and the
    // journal gone. Recovery is rare; its cost does not matter.
    let sync = durability.journal();
    for ((record, target), class) in journal.records.iter().zip(&targets).zip(&classes) {
        let shown = record.shown.clone();
        let result = match (class, edited) {
            (Class::Old, _) => {
                rolled.unchanged.push(shown);
                continue;
            }
            (Class::New | Class::Torn, _) => {
                rolled.restored.push(shown);
                fs.write_in_place(target, &record.old, None, sync)
            }
            (Class::Edited | Class::Missing, Edited::Keep | Edited::Refuse) => {
                rolled.kept.push(shown);
                continue;
            }
            (Class::Edited, Edited::Overwrite) => {
                rolled.overwritten.push(shown);
                fs.write_in_place(target, &record.old, None, sync)
            }
            (Class::Missing, Edited::Overwrite) => {
                rolled.overwritten.push(shown);
                fs.recreate(target, &record.old, record.mode)
            }
        };
        result.map_err(|source| ApplyError::Recover {
            journal: path.display().to_string(),
            path: record.shown.clone(),
            source,
        })?;
    }
    remove(fs, path, durability)?;
    Ok(Outcome::RolledBack(rolled))
}

/// Each record's file, classified; the first file that cannot be read, with its error.
fn classify(
    fs: &dyn Fs,
    journal: &Journal,
    targets: &[PathBuf],
) -> Result<Vec<Class>, (usize, io::Error)> {
    journal
        .records
        .iter()
        .zip(targets)
        .enumerate()
        .map(|(i, (record, target))| match fs.read(target) {
            Ok(now) if now == record.old => Ok(Class::Old),
            Ok(now) if record.is_new(&now) => Ok(Class::New),
            Ok(_) if journal.slots.contains(&Some(i)) => Ok(Class::Torn),
            Ok(_) => Ok(Class::Edited),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Class::Missing),
            Err(e) => Err((i, e)),
        })
        .collect()
}

fn remove(fs: &dyn Fs, path: &Path, durability: Durability) -> Result<(), ApplyError> {
    fs.remove_journal(path, durability.journal())
        .map_err(|source| ApplyError::Recover {
            journal: path.display().to_string(),
            path: path.display().to_string(),
            source,
        })
}
