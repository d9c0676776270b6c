//! The file system operations a write needs, behind the [`Fs`] seam: the real ones, and
//! [`FaultFs`], which makes the Nth write fail or crash the process, for tests.

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

/// The file system operations a write needs: a seam for tests that make the Nth one fail
/// or crash. Shared by the threads that check and write the files.
pub trait Fs: Sync {
    /// Look at the file at `path` (through a symbolic link): its length, permissions and
    /// real location, and whether it holds exactly `expected`.
    fn check(&self, path: &Path, expected: &[u8]) -> io::Result<OnDisk>;
    /// The whole content of the file at `path` (through links).
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Rewrite the existing file `target` in place to hold `contents`: the same inode, so its
    /// permissions, owner and links stay. `old_len`: its length before, when known (it is
    /// cut to the new length only when that is shorter). `sync`: its data is on the disk
    /// before this returns.
    fn write_in_place(
        &self,
        target: &Path,
        contents: &[u8],
        old_len: Option<u64>,
        sync: bool,
    ) -> io::Result<()>;
    /// Create the file `path`, which must not exist, holding `contents`, with the permission
    /// bits `mode` (recovery, putting back a file removed since).
    fn recreate(&self, path: &Path, contents: &[u8], mode: u32) -> io::Result<()>;
    /// Create the journal `path` (it must not exist) holding `parts`, one after the other;
    /// `sync`: it and its directory entry are on the disk before this returns. Returns the
    /// open journal, to mark progress in.
    fn create_journal(&self, path: &Path, parts: &[&[u8]], sync: bool) -> io::Result<fs::File>;
    /// Write `bytes` at `offset` in the journal (a slot, or the state byte).
    fn mark(&self, journal: &fs::File, offset: u64, bytes: &[u8]) -> io::Result<()>;
    /// Remove the journal; `sync`: its removal is on the disk before this returns.
    fn remove_journal(&self, path: &Path, sync: bool) -> io::Result<()>;
}

/// The real file system.
#[derive(Debug, Default)]
pub struct RealFs;

/// How much of a file is compared at a time.
const CHUNK: usize = 64 * 1024;

impl Fs for RealFs {
    fn check(&self, path: &Path, expected: &[u8]) -> io::Result<OnDisk> {
        let (file, resolved) = open_through_link(crate::fspath::os(path))?;
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

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        fs::read(crate::fspath::os(path))
    }

    fn write_in_place(
        &self,
        target: &Path,
        contents: &[u8],
        old_len: Option<u64>,
        sync: bool,
    ) -> io::Result<()> {
        // Not `O_TRUNC`: on ext4, truncating to nothing frees the file's blocks and makes its
        // close start writing it out (`auto_da_alloc`), 85–250 µs a file here, as much as the
        // rename it replaces; overwriting costs ~2 µs (docs/performance.md). The new text
        // goes over the old one from its start, then the file is cut to its length when it
        // got shorter: a file never looks empty, and a crash in between leaves the file the
        // journal names as being written.
        let file = fs::OpenOptions::new()
            .write(true)
            .open(crate::fspath::os(target))?;
        write_all_at(&file, contents)?;
        if old_len.is_none_or(|len| (contents.len() as u64) < len) {
            file.set_len(contents.len() as u64)?;
        }
        if sync {
            file.sync_data()?;
        }
        Ok(())
    }

    fn recreate(&self, path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        file.write_all(contents)?;
        set_mode(&file, mode)?;
        file.sync_data()
    }

    fn create_journal(&self, path: &Path, parts: &[&[u8]], sync: bool) -> io::Result<fs::File> {
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)?;
        write_all_parts(&mut file, parts)?;
        if sync {
            file.sync_data()?;
            sync_dir(path)?;
        }
        Ok(file)
    }

    fn mark(&self, journal: &fs::File, offset: u64, bytes: &[u8]) -> io::Result<()> {
        write_all_at_offset(journal, bytes, offset)
    }

    fn remove_journal(&self, path: &Path, sync: bool) -> io::Result<()> {
        fs::remove_file(path)?;
        if sync {
            sync_dir(path)?;
        }
        Ok(())
    }
}

#[cfg(unix)]
fn set_mode(file: &fs::File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    file.set_permissions(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(file: &fs::File, mode: u32) -> io::Result<()> {
    let mut permissions = file.metadata()?.permissions();
    permissions.set_readonly(mode & 0o200 == 0);
    file.set_permissions(permissions)
}

/// Write `parts` one after the other, with as few system calls as the kernel allows
/// (`writev`).
fn write_all_parts(file: &mut fs::File, parts: &[&[u8]]) -> io::Result<()> {
    let mut slices: Vec<io::IoSlice<'_>> = parts
        .iter()
        .filter(|part| !part.is_empty())
        .map(|part| io::IoSlice::new(part))
        .collect();
    let mut left = &mut slices[..];
    while !left.is_empty() {
        match file.write_vectored(left) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => io::IoSlice::advance_slices(&mut left, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn write_all_at(file: &fs::File, contents: &[u8]) -> io::Result<()> {
    write_all_at_offset(file, contents, 0)
}

#[cfg(unix)]
fn write_all_at_offset(file: &fs::File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(not(unix))]
fn write_all_at_offset(mut file: &fs::File, bytes: &[u8], offset: u64) -> io::Result<()> {
    use std::io::Seek as _;
    file.seek(io::SeekFrom::Start(offset))?;
    file.write_all(bytes)
}

/// Make the entries of `path`'s directory durable (its creation or removal).
#[cfg(unix)]
fn sync_dir(path: &Path) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    fs::File::open(dir.unwrap_or(Path::new(".")))?.sync_all()
}

/// Directories cannot be opened as files on every platform: the file's own sync has to do.
#[cfg(not(unix))]
#[allow(clippy::unnecessary_wraps)]
fn sync_dir(_: &Path) -> io::Result<()> {
    Ok(())
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
// proof: `want` is at most `buffer.len()` and `rest.len()`, and `read` returns at most `want`.
#[allow(clippy::indexing_slicing)]
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

/// Which operation of a write fails or crashes, for tests (`RELEASE_POLICY_FAULT`, debug
/// builds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `write:N`: the Nth in-place write (1-based; restores count too) writes the first half
    /// of its text over the file and cuts it there, then fails.
    Write(usize),
    /// `crash:N`: the Nth in-place write writes the first half of its text (as `write:N`),
    /// then the process stops without any cleanup.
    Crash(usize),
    /// `journal:fail`: writing the journal fails halfway.
    Journal,
    /// `crash:journal`: half the journal is written, then the process stops.
    CrashJournal,
    /// `crash:written`: every file is written; the process stops before marking the journal
    /// done.
    CrashWritten,
    /// `crash:done`: the journal is marked done; the process stops before removing it.
    CrashDone,
    /// `hold:MS`: no failure: wait this many milliseconds, holding the lock, before writing.
    Hold(u64),
}

impl Fault {
    /// `write:N`, `crash:N`, `crash:journal`, `crash:written`, `crash:done`, `journal:fail`
    /// or `hold:MS`.
    pub fn parse(text: &str) -> Option<Fault> {
        let (op, n) = text.split_once(':')?;
        match (op, n) {
            ("crash", "journal") => Some(Fault::CrashJournal),
            ("crash", "written") => Some(Fault::CrashWritten),
            ("crash", "done") => Some(Fault::CrashDone),
            ("journal", "fail") => Some(Fault::Journal),
            ("write", n) => n.parse().ok().filter(|&n| n > 0).map(Fault::Write),
            ("crash", n) => n.parse().ok().filter(|&n| n > 0).map(Fault::Crash),
            ("hold", n) => n.parse().ok().map(Fault::Hold),
            _ => None,
        }
    }
}

/// Stop the process at once, as `kill -9` would: no destructor, no cleanup, no lock removed.
pub fn kill_self() {
    #[cfg(unix)]
    {
        let _ =
            rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
    }
    std::process::abort();
}

/// A file system that fails or crashes one chosen operation and passes the others to `inner`.
///
/// The writes of a step run on several threads when there are many files: the Nth write is
/// the Nth to start, counted atomically, so exactly one fails, but which file it is may vary
/// from run to run; [`FaultFs::failed`] says which. Below 64 files (and with
/// `RELEASE_POLICY_THREADS=1`) the writes run in the changes' order, and the Nth is the Nth
/// file's.
#[derive(Debug)]
pub struct FaultFs<F> {
    pub inner: F,
    fault: Fault,
    /// How a crash stops: [`kill_self`] in the binary; a panic in unit tests, which cannot
    /// kill their own process.
    crash: fn(),
    writes: AtomicUsize,
    failed: Mutex<Option<PathBuf>>,
}

impl<F: Fs> FaultFs<F> {
    pub fn new(inner: F, fault: Fault) -> Self {
        FaultFs::crashing_with(inner, fault, kill_self)
    }

    /// A crash calls `crash` (which must not return).
    pub fn crashing_with(inner: F, fault: Fault, crash: fn()) -> Self {
        FaultFs {
            inner,
            fault,
            crash,
            writes: AtomicUsize::new(0),
            failed: Mutex::new(None),
        }
    }

    /// The target of the write that failed or crashed, once it has.
    #[cfg(test)]
    pub fn failed(&self) -> Option<PathBuf> {
        self.failed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn note(&self, target: &Path) {
        *self
            .failed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(target.to_path_buf());
    }

    fn crash(&self) -> io::Error {
        (self.crash)();
        io::Error::other("injected crash")
    }
}

impl<F: Fs> Fs for FaultFs<F> {
    fn check(&self, path: &Path, expected: &[u8]) -> io::Result<OnDisk> {
        self.inner.check(path, expected)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.inner.read(path)
    }

    // proof: half a length is within it.
    #[allow(clippy::indexing_slicing)]
    fn write_in_place(
        &self,
        target: &Path,
        contents: &[u8],
        old_len: Option<u64>,
        sync: bool,
    ) -> io::Result<()> {
        let nth = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        if self.fault == Fault::Write(nth) || self.fault == Fault::Crash(nth) {
            self.note(target);
            // Torn: the first half of the new text, and the file cut there (neither its old
            // text nor its new one, whatever the two have in common).
            let half = &contents[..contents.len() / 2];
            let file = fs::OpenOptions::new().write(true).open(target)?;
            write_all_at(&file, half)?;
            file.set_len(half.len() as u64)?;
            if self.fault == Fault::Crash(nth) {
                return Err(self.crash());
            }
            return Err(io::Error::other("injected fault"));
        }
        self.inner.write_in_place(target, contents, old_len, sync)
    }

    fn recreate(&self, path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
        self.inner.recreate(path, contents, mode)
    }

    // proof: half a length is within it.
    #[allow(clippy::indexing_slicing)]
    fn create_journal(&self, path: &Path, parts: &[&[u8]], sync: bool) -> io::Result<fs::File> {
        if matches!(self.fault, Fault::Journal | Fault::CrashJournal) {
            let whole = parts.concat();
            self.inner
                .create_journal(path, &[&whole[..whole.len() / 2]], false)?;
            if self.fault == Fault::CrashJournal {
                return Err(self.crash());
            }
            return Err(io::Error::other("injected fault"));
        }
        self.inner.create_journal(path, parts, sync)
    }

    fn mark(&self, journal: &fs::File, offset: u64, bytes: &[u8]) -> io::Result<()> {
        if self.fault == Fault::CrashWritten && offset == super::journal::STATE_OFFSET {
            return Err(self.crash());
        }
        self.inner.mark(journal, offset, bytes)
    }

    fn remove_journal(&self, path: &Path, sync: bool) -> io::Result<()> {
        if self.fault == Fault::CrashDone {
            return Err(self.crash());
        }
        self.inner.remove_journal(path, sync)
    }
}
