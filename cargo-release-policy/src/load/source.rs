//! Reading files once: bytes → text, with encodings the editors cannot handle refused.

use std::borrow::Cow;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use release_policy_editor::text::Position;

use crate::diagnostic::{Diagnostic, Location};
use release_policy_editor::text_pattern::{self, Pattern};
use release_policy_editor::version_file::{self, VersionPattern};
use release_policy_editor::{EditorError, FileKind, Reading};

/// A file read from disk, with what its editor found in it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    /// Absolute path on disk.
    pub abs: PathBuf,
    pub kind: FileKind,
    pub text: String,
    pub reading: Reading,
    /// For a [`FileKind::Text`] file: the searches of the pattern entries naming it, in the
    /// order they are listed. Empty for every other kind.
    pub patterns: Vec<Pattern>,
    /// For a [`FileKind::VersionFile`]: hatch's `[tool.hatch.version] pattern`, when the
    /// pyproject naming the file sets one. `None` for every other kind.
    pub version_pattern: Option<VersionPattern>,
    /// Length and modification time when read, to refuse writing over a file that changed.
    pub stamp: Stamp,
}

/// What a file looked like when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    /// Its identity, where the platform gives one (the check-result cache, `crate::cache`, keeps it).
    pub id: Option<FileId>,
}

impl Stamp {
    #[cfg(test)]
    pub fn of(path: &Path) -> std::io::Result<Stamp> {
        Ok(Stamp::from_metadata(&fs::metadata(crate::fspath::os(
            path,
        ))?))
    }

    pub fn from_metadata(meta: &fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            id: FileId::of(meta),
        }
    }
}

/// A file or directory as `stat` describes it: which one it is (device, inode), its size,
/// and when its contents and its status last changed — what git's index keeps to tell that a
/// file did not change without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
}

impl FileId {
    // `None` only where there is no device and inode to tell files apart (off Unix).
    #[cfg(unix)]
    #[allow(clippy::unnecessary_wraps)]
    pub fn of(meta: &fs::Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt as _;
        Some(FileId {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
        })
    }

    /// Without inodes and status-change times an identity is too weak to trust.
    #[cfg(not(unix))]
    pub fn of(_meta: &fs::Metadata) -> Option<FileId> {
        None
    }
}

/// Opening a path that may not be there, without asking first.
mod open {
    use std::fs;
    use std::io;
    use std::path::Path;

    pub(super) enum Regular {
        Absent,
        Link,
        /// A regular file open for reading, with its metadata; or the error opening one.
        File(io::Result<(fs::File, fs::Metadata)>),
    }

    /// `abs` when it is a regular file, opened; what else it is otherwise.
    #[cfg(target_os = "linux")]
    pub(super) fn regular(abs: &Path) -> Regular {
        use rustix::fs::{Mode, OFlags};
        use rustix::io::Errno;
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        match rustix::fs::open(crate::fspath::os(abs), flags, Mode::empty()) {
            Ok(fd) => {
                let file = fs::File::from(fd);
                match file.metadata() {
                    Ok(meta) if meta.is_file() => Regular::File(Ok((file, meta))),
                    Ok(_) => Regular::Absent,
                    Err(error) => Regular::File(Err(error)),
                }
            }
            Err(Errno::NOENT | Errno::NOTDIR) => Regular::Absent,
            // `ELOOP` is a link as the last component (or too many links on the way, which
            // `lstat` tells apart); any other error is the file's when `lstat` sees one.
            Err(error) => by_lstat(abs, || Regular::File(Err(error.into()))),
        }
    }

    /// `abs` when it is a regular file, opened; what else it is otherwise.
    #[cfg(not(target_os = "linux"))]
    pub(super) fn regular(abs: &Path) -> Regular {
        by_lstat(abs, || {
            Regular::File(fs::File::open(abs).and_then(|file| {
                let meta = file.metadata()?;
                Ok((file, meta))
            }))
        })
    }

    /// What `lstat` says `abs` is; `file` when a regular file.
    fn by_lstat(abs: &Path, file: impl FnOnce() -> Regular) -> Regular {
        match fs::symlink_metadata(abs) {
            Ok(meta) if meta.file_type().is_symlink() => Regular::Link,
            Ok(meta) if meta.is_file() => file(),
            _ => Regular::Absent,
        }
    }
}

/// A file that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("failed to read `{path}`: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("`{path}` is UTF-16; only UTF-8 files can be edited")]
    Utf16 { path: String },
    #[error("`{path}` is not valid UTF-8 (at byte {offset})")]
    NotUtf8 {
        path: String,
        offset: usize,
        /// The file read lossily (the bytes before `offset` are as they are), to show the
        /// offending line.
        text: String,
    },
    #[error("failed to parse `{path}`{}: {}", position.map(|p| format!(" at {p}")).unwrap_or_default(), error.message)]
    Parse {
        path: String,
        position: Option<Position>,
        error: EditorError,
        /// The file's text, for showing the offending line.
        text: String,
    },
}

impl SourceError {
    pub fn help(&self) -> Option<String> {
        match self {
            SourceError::Utf16 { .. } => {
                Some("re-save the file as UTF-8 (with or without a BOM)".to_string())
            }
            SourceError::Parse { error, .. } => error.help.clone(),
            SourceError::NotUtf8 { .. } => {
                Some("re-save the file as UTF-8, or fix the bytes at that place".to_string())
            }
            SourceError::Io { .. } => None,
        }
    }
}

/// Read a file as UTF-8 text, refusing UTF-16 and invalid UTF-8.
///
/// Four system calls: open, stat (the stamp, and the size to read), one read of that size,
/// close. A file that grows meanwhile is read up to the size it had; writing refuses to
/// replace a file that changed since (`crate::apply`).
pub fn read_text(abs: &Path, path: &str) -> Result<(String, Stamp), SourceError> {
    let file = fs::File::open(crate::fspath::os(abs)).map_err(|source| SourceError::Io {
        path: path.to_string(),
        source,
    })?;
    read_open(file, None, path)
}

/// [`read_text`] of a file already open (with its metadata, when taken).
fn read_open(
    file: fs::File,
    meta: Option<fs::Metadata>,
    path: &str,
) -> Result<(String, Stamp), SourceError> {
    let io = |source| SourceError::Io {
        path: path.to_string(),
        source,
    };
    let meta = match meta {
        Some(meta) => meta,
        None => file.metadata().map_err(io)?,
    };
    let stamp = Stamp::from_metadata(&meta);
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(meta.len()).read_to_end(&mut bytes).map_err(io)?;
    decode(bytes, path).map(|text| (text, stamp))
}

/// Bytes → text, refusing UTF-16 and invalid UTF-8.
// proof: `bytes.len() >= 4` is checked first.
#[allow(clippy::indexing_slicing)]
pub fn decode(bytes: Vec<u8>, path: &str) -> Result<String, SourceError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(SourceError::Utf16 {
            path: path.to_string(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        // UTF-16 without a BOM: ASCII interleaved with NUL bytes.
        if bytes.len() >= 4 && (bytes[1] == 0 || bytes[0] == 0) {
            SourceError::Utf16 {
                path: path.to_string(),
            }
        } else {
            SourceError::NotUtf8 {
                path: path.to_string(),
                offset,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            }
        }
    })
}

/// What opening a path that may not be there found ([`SourceFile::load_if_file`]).
#[derive(Debug)]
pub enum Opened {
    /// Not there, or not a regular file (a directory, a FIFO, a socket, a device).
    Absent,
    /// A symbolic link, not followed: where it leads is checked before it is read.
    Link,
    /// A regular file, read and parsed (or the error doing so); boxed, as the repository
    /// keeps it.
    File(Result<Box<SourceFile>, SourceError>),
}

impl SourceFile {
    /// Read and parse `abs` (shown as `path()`) with `kind`'s editor, when it is a regular
    /// file: the open says whether it is there, where asking first (`lstat`) took a system
    /// call more. On Linux it opens with `O_NOFOLLOW | O_NONBLOCK` (a link is not followed,
    /// a FIFO does not block) and takes the kind from the open file.
    pub fn load_if_file(abs: &Path, path: impl FnOnce() -> String, kind: FileKind) -> Opened {
        match open::regular(abs) {
            open::Regular::Absent => Opened::Absent,
            open::Regular::Link => Opened::Link,
            open::Regular::File(opened) => {
                let path = path();
                let read = opened
                    .map_err(|source| SourceError::Io {
                        path: path.clone(),
                        source,
                    })
                    .and_then(|(file, meta)| read_open(file, Some(meta), &path));
                Opened::File(read.and_then(|(text, stamp)| {
                    SourceFile::parse(abs.to_path_buf(), path, kind, text, stamp).map(Box::new)
                }))
            }
        }
    }

    /// Read `text` (this file's new text, after an edit) the way this file was read.
    pub fn reread(&self, text: &str) -> Result<Reading, EditorError> {
        match self.kind {
            FileKind::Text => text_pattern::read(text, &self.patterns),
            FileKind::VersionFile => version_file::read_with(text, self.version_pattern.as_ref()),
            kind => kind.read(text),
        }
    }

    /// Read and parse `abs` (shown as `path`) with `kind`'s editor.
    pub fn load(abs: &Path, path: &str, kind: FileKind) -> Result<SourceFile, SourceError> {
        let (text, stamp) = read_text(abs, path)?;
        SourceFile::parse(abs.to_path_buf(), path.to_string(), kind, text, stamp)
    }

    /// Read and parse `abs` (shown as `path`), a version file, with hatch's `pattern` when its
    /// pyproject sets one.
    pub fn load_version_file(
        abs: &Path,
        path: &str,
        pattern: Option<VersionPattern>,
    ) -> Result<SourceFile, SourceError> {
        let (text, stamp) = read_text(abs, path)?;
        let reading = version_file::read_with(&text, pattern.as_ref());
        let mut file = SourceFile::with_reading(
            abs.to_path_buf(),
            path.to_string(),
            (FileKind::VersionFile, Vec::new()),
            text,
            stamp,
            reading,
        )?;
        file.version_pattern = pattern;
        Ok(file)
    }

    /// Read and parse `abs` (shown as `path`), a file listed by pattern entries, with their
    /// `patterns`.
    pub fn load_text(
        abs: &Path,
        path: &str,
        patterns: Vec<Pattern>,
    ) -> Result<SourceFile, SourceError> {
        let (text, stamp) = read_text(abs, path)?;
        SourceFile::parse_with(
            abs.to_path_buf(),
            path.to_string(),
            (FileKind::Text, patterns),
            text,
            stamp,
        )
    }

    pub fn parse(
        abs: PathBuf,
        path: String,
        kind: FileKind,
        text: String,
        stamp: Stamp,
    ) -> Result<SourceFile, SourceError> {
        SourceFile::parse_with(abs, path, (kind, Vec::new()), text, stamp)
    }

    fn parse_with(
        abs: PathBuf,
        path: String,
        (kind, patterns): (FileKind, Vec<Pattern>),
        text: String,
        stamp: Stamp,
    ) -> Result<SourceFile, SourceError> {
        let reading = if kind == FileKind::Text {
            text_pattern::read(&text, &patterns)
        } else {
            kind.read(&text)
        };
        SourceFile::with_reading(abs, path, (kind, patterns), text, stamp, reading)
    }

    /// A file whose text was already read with `kind`'s editor (the workspace resolution
    /// reads the Cargo manifests).
    pub fn with_reading(
        abs: PathBuf,
        path: String,
        (kind, patterns): (FileKind, Vec<Pattern>),
        text: String,
        stamp: Stamp,
        reading: Result<Reading, EditorError>,
    ) -> Result<SourceFile, SourceError> {
        match reading {
            Ok(reading) => Ok(SourceFile {
                path,
                abs,
                kind,
                text,
                reading,
                patterns,
                version_pattern: None,
                stamp,
            }),
            Err(error) => Err(SourceError::Parse {
                position: error.position(&text),
                path,
                error,
                text,
            }),
        }
    }
}

impl Diagnostic for SourceError {
    fn location(&self) -> Option<Location<'_>> {
        match self {
            SourceError::Parse {
                path, error, text, ..
            } => error.offset.map(|offset| Location {
                title: Cow::Owned(format!("failed to parse `{path}`")),
                path,
                text,
                offset,
                len: 1,
                label: Cow::Borrowed(&error.message),
            }),
            // The valid prefix is the same in the lossy text, so `offset` points at the
            // first replaced character there.
            SourceError::NotUtf8 { path, offset, text } => Some(Location {
                title: Cow::Owned(format!("`{path}` is not valid UTF-8")),
                path,
                text,
                offset: *offset,
                len: 1,
                label: Cow::Borrowed("not UTF-8"),
            }),
            SourceError::Io { .. } | SourceError::Utf16 { .. } => None,
        }
    }

    fn help(&self) -> Option<String> {
        SourceError::help(self)
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    fn load(abs: &Path) -> Opened {
        SourceFile::load_if_file(abs, || "p.json".to_string(), FileKind::PackageJson)
    }

    #[test]
    fn a_path_that_may_not_be_there_is_opened_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("p.json"),
            "{\"name\": \"p\", \"version\": \"1.0.0\"}",
        )
        .unwrap();
        std::fs::write(root.join("bad.json"), "{").unwrap();
        std::fs::create_dir(root.join("dir.json")).unwrap();
        std::os::unix::fs::symlink(root.join("p.json"), root.join("link.json")).unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(root.join("fifo.json"))
            .status()
            .unwrap();
        assert!(fifo.success());
        match load(&root.join("p.json")) {
            Opened::File(Ok(file)) => {
                assert_eq!(file.path, "p.json");
                assert_eq!(file.reading.name.as_deref(), Some("p"));
                assert_eq!(file.stamp, Stamp::of(&root.join("p.json")).unwrap());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            load(&root.join("bad.json")),
            Opened::File(Err(SourceError::Parse { .. }))
        ));
        assert!(matches!(load(&root.join("link.json")), Opened::Link));
        for absent in ["missing.json", "dir.json", "fifo.json", "p.json/x.json"] {
            assert!(
                matches!(load(&root.join(absent)), Opened::Absent),
                "{absent}"
            );
        }
    }
}
