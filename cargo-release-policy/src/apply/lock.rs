//! The repository's lock: one run writes (or recovers) at a time.
//!
//! On Unix the lock is an exclusive `flock` on `.release-policy.lock`, which holds the
//! holder's process id. The kernel drops a `flock` when its process dies, however it dies:
//! a lock file left by a run that was killed is found stale and taken over, where a lock that
//! was only the file's existence stayed until someone removed it by hand — and the next
//! command has to take the lock to recover the killed run's write. The file is removed when
//! the lock is released. Elsewhere the lock is the file itself, created with `create_new`.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::time::Duration;

use super::error::ApplyError;

/// The name of the lock file, beside the workspace's root `Cargo.toml`.
pub const LOCK_FILE: &str = ".release-policy.lock";

/// How often a lock held by another process is asked for again before giving up, and how
/// long apart: a run finishing, or a command removing a stale lock, holds it for a moment.
#[cfg(unix)]
const ATTEMPTS: u32 = 5;
#[cfg(unix)]
const PAUSE: Duration = Duration::from_millis(20);

/// Held while a run checks and writes files, or recovers an interrupted write; released (and
/// the file removed) when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: Option<fs::File>,
}

/// What [`Lock::take_over`] found.
#[derive(Debug)]
pub enum Found {
    /// No lock file.
    None,
    /// The lock, now held by this process; with the process id the file named before (a run
    /// that died, when the file was there already).
    Taken(Lock, Option<String>),
    /// A live process holds it.
    Held(ApplyError),
}

impl Lock {
    /// Take the lock in `dir` (creating the file), or refuse when a live run holds it.
    pub fn acquire(dir: &Path) -> Result<Lock, ApplyError> {
        match Lock::take(dir, true)? {
            Found::Taken(lock, _) => Ok(lock),
            Found::Held(error) => Err(error),
            Found::None => Err(ApplyError::Lock {
                lock: dir.join(LOCK_FILE).display().to_string(),
                source: io::Error::from(io::ErrorKind::NotFound),
            }),
        }
    }

    /// Take the lock in `dir` when no live process holds it; without `create`, only when the
    /// file is there already.
    #[cfg(unix)]
    pub fn take(dir: &Path, create: bool) -> Result<Found, ApplyError> {
        use rustix::fs::{flock, FlockOperation};
        let path = dir.join(LOCK_FILE);
        let failed = |source: io::Error| ApplyError::Lock {
            lock: path.display().to_string(),
            source,
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let file = match fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(create)
                .truncate(false)
                .open(&path)
            {
                Ok(file) => file,
                Err(e) if !create && e.kind() == io::ErrorKind::NotFound => return Ok(Found::None),
                Err(e) => return Err(failed(e)),
            };
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {}
                Err(e) if e == rustix::io::Errno::WOULDBLOCK || e == rustix::io::Errno::INTR => {
                    if attempt < ATTEMPTS {
                        std::thread::sleep(PAUSE);
                        continue;
                    }
                    return Ok(Found::Held(ApplyError::Locked {
                        holder: holder(&path),
                        lock: path.display().to_string(),
                    }));
                }
                Err(e) => return Err(failed(e.into())),
            }
            // The file may have been removed (its holder finishing) or replaced between the
            // open and the lock: then the lock is on a file nobody else will look at.
            if !same_file(&file, &path) {
                if attempt < ATTEMPTS * 4 {
                    continue;
                }
                return Err(failed(io::Error::other("the lock file keeps changing")));
            }
            let previous = holder(&path);
            let mut lock = Lock {
                path: path.clone(),
                file: Some(file),
            };
            lock.write_pid().map_err(failed)?;
            return Ok(Found::Taken(lock, previous));
        }
    }

    #[cfg(not(unix))]
    pub fn take(dir: &Path, create: bool) -> Result<Found, ApplyError> {
        let path = dir.join(LOCK_FILE);
        if !create {
            // Whether a lock file's holder still runs cannot be told here: it is held.
            return Ok(match fs::symlink_metadata(&path) {
                Ok(_) => Found::Held(ApplyError::Locked {
                    holder: holder(&path),
                    lock: path.display().to_string(),
                }),
                Err(_) => Found::None,
            });
        }
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => {
                let mut lock = Lock {
                    path,
                    file: Some(file),
                };
                lock.write_pid().map_err(|source| ApplyError::Lock {
                    lock: lock.path.display().to_string(),
                    source,
                })?;
                Ok(Found::Taken(lock, None))
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                Ok(Found::Held(ApplyError::Locked {
                    holder: holder(&path),
                    lock: path.display().to_string(),
                }))
            }
            Err(source) => Err(ApplyError::Lock {
                lock: path.display().to_string(),
                source,
            }),
        }
    }

    fn write_pid(&mut self) -> io::Result<()> {
        if let Some(file) = &mut self.file {
            file.set_len(0)?;
            file.write_all(format!("{}\n", std::process::id()).as_bytes())?;
        }
        Ok(())
    }
}

/// The process id a lock file names.
fn holder(path: &Path) -> Option<String> {
    fs::read_to_string(path)
        .ok()
        .map(|text| text.trim().to_string())
        .filter(|pid| !pid.is_empty())
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Unix: removed while still locked, so that a run that opened it meanwhile finds, once
        // it gets the lock, that the file is no longer there. Elsewhere an open file may not
        // be removable: closed first.
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
            drop(self.file.take());
        } else {
            drop(self.file.take());
            let _ = fs::remove_file(&self.path);
        }
    }
}
