//! The file system operations a write needs, behind the [`Fs`] seam: the real ones, and
//! [`FaultFs`], which makes the Nth write or rename fail for tests.

use std::fs;
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// A file as it is on disk just before it is replaced.
#[derive(Debug, Clone)]
pub struct OnDisk {
    /// Its length.
    pub len: u64,
    /// Whether it holds exactly the bytes expected (not read when the length differs).
    pub holds: bool,
    /// Its permissions, which the new file gets.
    pub permissions: fs::Permissions,
    /// The file to replace when the path is a symbolic link: the file it names. `None` when
    /// the path itself is the file.
    pub resolved: Option<PathBuf>,
    /// Which file it is (device and inode on Unix), to tell when two paths name one file.
    pub id: Option<(u64, u64)>,
}

/// The file system operations a write needs: a seam for tests that make the Nth one fail.
/// Shared by the threads that check and write the files.
pub trait Fs: Sync {
    /// Look at the file at `path` (through a symbolic link): its length, permissions and
    /// real location, and whether it holds exactly `expected`.
    fn check(&self, path: &Path, expected: &[u8]) -> io::Result<OnDisk>;
    /// Write `contents` to a new temporary file beside `target` (in its directory), with
    /// `permissions`.
    fn write_temp(
        &self,
        target: &Path,
        permissions: &fs::Permissions,
        contents: &[u8],
    ) -> io::Result<PathBuf>;
    /// Rename `from` onto `to`, replacing it.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Remove a temporary file (best effort).
    fn remove(&self, path: &Path);
}

/// The real file system.
#[derive(Debug, Default)]
pub struct RealFs;

/// How much of a file is compared at a time.
const CHUNK: usize = 64 * 1024;

impl Fs for RealFs {
    fn check(&self, path: &Path, expected: &[u8]) -> io::Result<OnDisk> {
        let (file, resolved) = open_through_link(path)?;
        // Length and permissions of the file opened: no second lookup of the path.
        let meta = file.metadata()?;
        let holds = meta.len() == expected.len() as u64 && holds(&file, expected)?;
        Ok(OnDisk {
            len: meta.len(),
            holds,
            permissions: meta.permissions(),
            resolved,
            id: file_id(&meta),
        })
    }

    fn write_temp(
        &self,
        target: &Path,
        permissions: &fs::Permissions,
        contents: &[u8],
    ) -> io::Result<PathBuf> {
        let dir = target.parent().unwrap_or(Path::new("."));
        let name = target
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
        //
        // The permissions are set on the open file (no path lookup), always: a mode given at
        // creation would pass through the umask and the directory's default ACL.
        temp.as_file().set_permissions(permissions.clone())?;
        let (_, path) = temp.keep().map_err(|e| e.error)?;
        Ok(path)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn remove(&self, path: &Path) {
        let _ = fs::remove_file(path);
    }
}

/// The file at `path` opened for reading, and, when the path's last component is a symbolic
/// link, the file it names (renaming onto the link would replace the link). A linked
/// directory above the file needs no resolving: the temporary file goes into the directory
/// the rename targets.
///
/// On Unix the path is opened with `O_NOFOLLOW`: one lookup, and a link is found by the open
/// failing (`ELOOP` on Linux; other systems answer otherwise, so any failure asks `lstat`).
#[cfg(unix)]
fn open_through_link(path: &Path) -> io::Result<(fs::File, Option<PathBuf>)> {
    use std::os::unix::fs::OpenOptionsExt as _;
    match fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
    {
        Ok(file) => Ok((file, None)),
        Err(e) => {
            if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                open_link(path)
            } else {
                Err(e)
            }
        }
    }
}

#[cfg(not(unix))]
fn open_through_link(path: &Path) -> io::Result<(fs::File, Option<PathBuf>)> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        open_link(path)
    } else {
        Ok((fs::File::open(path)?, None))
    }
}

fn open_link(path: &Path) -> io::Result<(fs::File, Option<PathBuf>)> {
    let real = fs::canonicalize(path)?;
    Ok((fs::File::open(&real)?, Some(real)))
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps)]
fn file_id(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Whether `file` (of `expected.len()` bytes, as stat'ed) holds `expected`: compared as it
/// is read, [`CHUNK`] bytes at a time, with no read past the stat'ed length (a small file
/// takes one `read`).
fn holds(mut file: &fs::File, expected: &[u8]) -> io::Result<bool> {
    let mut buffer = vec![0; expected.len().min(CHUNK)];
    let mut rest = expected;
    while !rest.is_empty() {
        let want = rest.len().min(buffer.len());
        let n = match file.read(&mut buffer[..want]) {
            Ok(0) => return Ok(false),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer[..n] != rest[..n] {
            return Ok(false);
        }
        rest = &rest[n..];
    }
    Ok(true)
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
///
/// The operations of a phase run on several threads when there are many files: the Nth
/// write or rename is the Nth to start, counted atomically, so exactly one fails, but which
/// file it is may vary from run to run; [`FaultFs::failed`] says which. Below
/// `par::MIN_ITEMS` files (and with `RELEASE_POLICY_THREADS=1`) the operations run in the
/// changes' order, and the Nth is the Nth file's.
#[derive(Debug)]
pub struct FaultFs<F> {
    pub inner: F,
    fault: Fault,
    writes: AtomicUsize,
    renames: AtomicUsize,
    failed: Mutex<Option<PathBuf>>,
}

impl<F: Fs> FaultFs<F> {
    pub fn new(inner: F, fault: Fault) -> Self {
        FaultFs {
            inner,
            fault,
            writes: AtomicUsize::new(0),
            renames: AtomicUsize::new(0),
            failed: Mutex::new(None),
        }
    }

    /// The target of the operation that failed (the file a temporary was for, or the
    /// rename's destination), once it has.
    #[cfg(test)]
    pub fn failed(&self) -> Option<PathBuf> {
        self.failed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn fail(&self, target: &Path) -> io::Error {
        *self
            .failed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(target.to_path_buf());
        io::Error::other("injected fault")
    }
}

impl<F: Fs> Fs for FaultFs<F> {
    fn check(&self, path: &Path, expected: &[u8]) -> io::Result<OnDisk> {
        self.inner.check(path, expected)
    }

    fn write_temp(
        &self,
        target: &Path,
        permissions: &fs::Permissions,
        contents: &[u8],
    ) -> io::Result<PathBuf> {
        let nth = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        if self.fault == Fault::Write(nth) {
            return Err(self.fail(target));
        }
        self.inner.write_temp(target, permissions, contents)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        let nth = self.renames.fetch_add(1, Ordering::SeqCst) + 1;
        if self.fault == Fault::Rename(nth) {
            return Err(self.fail(to));
        }
        self.inner.rename(from, to)
    }

    fn remove(&self, path: &Path) {
        self.inner.remove(path);
    }
}
