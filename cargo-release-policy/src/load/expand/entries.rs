//! A directory's entries and a path's kind, asked of the file system as cheaply as it
//! answers: globs list hundreds of directories and look for a name in hundreds more.
//!
//! On Linux a listing is `open` + `getdents64` into a buffer each thread keeps + `close`,
//! where `std::fs::read_dir` (glibc's `opendir`) adds an `fstat` and a 32 KiB allocation per
//! directory, and a kind is one `newfstatat`, where `std::fs::symlink_metadata` (and
//! `Path::is_file`) ask `statx` for every field (figures in `docs/performance.md`,
//! "Directories listed with `getdents64`"). Elsewhere, the standard library.

use std::ffi::OsStr;
use std::io;
use std::path::Path;

/// What a path is, its links not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    File,
    Dir,
    Link,
    /// A FIFO, socket or device.
    Other,
}

/// Call `each` with the name and kind of every entry of `dir` but `.` and `..`. An error
/// opening or reading `dir` ends the listing (what `each` saw of it is incomplete).
pub(super) fn each_entry(dir: &Path, each: impl FnMut(&OsStr, Kind)) -> io::Result<()> {
    imp::each_entry(dir, each)
}

/// What `path` is, when it is there (a link is not followed).
pub(super) fn kind(path: &Path) -> Option<Kind> {
    imp::kind(path)
}

/// Whether `path` is a regular file, links followed (`Path::is_file`, with the cheaper
/// system call on Linux).
pub(super) fn is_file(path: &Path) -> bool {
    imp::is_file(path)
}

#[cfg(target_os = "linux")]
mod imp {
    use std::cell::Cell;
    use std::ffi::OsStr;
    use std::io;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    use rustix::fs::{FileType, Mode, OFlags, RawDir};

    use super::Kind;

    /// Bytes of `linux_dirent64` records one `getdents64` call may fill: a directory of a
    /// few hundred entries in one call, as glibc's buffer does.
    const BUFFER: usize = 32 * 1024;

    thread_local! {
        /// The buffer a thread lists directories into, allocated once per thread.
        static BUFFERS: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
    }

    fn kind_of(file_type: FileType) -> Kind {
        match file_type {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Dir,
            FileType::Symlink => Kind::Link,
            _ => Kind::Other,
        }
    }

    pub(super) fn each_entry(dir: &Path, mut each: impl FnMut(&OsStr, Kind)) -> io::Result<()> {
        let fd = rustix::fs::open(
            crate::fspath::os(dir),
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        // Taken out of the thread's slot while in use: a listing inside `each` would get a
        // buffer of its own rather than share this one.
        let mut buffer = BUFFERS.take();
        buffer.reserve(BUFFER);
        let mut entries = RawDir::new(&fd, buffer.spare_capacity_mut());
        let mut outcome = Ok(());
        while let Some(entry) = entries.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    outcome = Err(error.into());
                    break;
                }
            };
            let name = OsStr::from_bytes(entry.file_name().to_bytes());
            if name == "." || name == ".." {
                continue;
            }
            let kind = match entry.file_type() {
                // The file system does not say (`DT_UNKNOWN`): ask it about the entry.
                FileType::Unknown => match kind(&dir.join(name)) {
                    Some(kind) => kind,
                    None => continue,
                },
                known => kind_of(known),
            };
            each(name, kind);
        }
        BUFFERS.set(buffer);
        outcome
    }

    pub(super) fn kind(path: &Path) -> Option<Kind> {
        let stat = rustix::fs::lstat(crate::fspath::os(path)).ok()?;
        Some(kind_of(FileType::from_raw_mode(stat.st_mode)))
    }

    pub(super) fn is_file(path: &Path) -> bool {
        rustix::fs::stat(crate::fspath::os(path))
            .is_ok_and(|stat| FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile)
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::ffi::OsStr;
    use std::fs::FileType;
    use std::io;
    use std::path::Path;

    use super::Kind;

    fn kind_of(file_type: FileType) -> Kind {
        if file_type.is_symlink() {
            Kind::Link
        } else if file_type.is_dir() {
            Kind::Dir
        } else if file_type.is_file() {
            Kind::File
        } else {
            Kind::Other
        }
    }

    pub(super) fn each_entry(dir: &Path, mut each: impl FnMut(&OsStr, Kind)) -> io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            // An entry removed since the listing has no kind left: skip it.
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            each(&entry.file_name(), kind_of(file_type));
        }
        Ok(())
    }

    pub(super) fn kind(path: &Path) -> Option<Kind> {
        std::fs::symlink_metadata(path)
            .ok()
            .map(|meta| kind_of(meta.file_type()))
    }

    pub(super) fn is_file(path: &Path) -> bool {
        path.is_file()
    }
}
