//! Reading the manifests the `manifests` entries name, with the files they imply, on all
//! cores, before they are claimed (on one thread, in order).

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use policy_schema::ManifestEntry;

use super::expand::{self, Presence};
use super::implied::{implied, kind_of};
use super::source::{Opened, SourceError, SourceFile};
use super::workspace::relative_to;
use crate::fast_map::{FastMap, FastSet};
use release_policy_editor::FileKind;

/// A file to read.
pub(super) struct Wanted<'p> {
    abs: &'p Path,
    kind: FileKind,
    /// Whether its expansion left it unconfirmed: opening it says whether it is there.
    unconfirmed: bool,
}

/// The files to read, and where each entry's paths are among them.
pub(super) struct ReadList<'p> {
    pub(super) wanted: Vec<Wanted<'p>>,
    /// For each entry, for each of its paths (in its expansion's order), its place in
    /// `wanted`: `None` when it is not read here (a file read already, of no known kind,
    /// or named by a pattern entry).
    pub(super) at: Vec<Vec<Option<usize>>>,
}

impl<'p> ReadList<'p> {
    /// The files `entries` name, each once, the workspace's lockfile (`cargo_lock`) first:
    /// the biggest file starts first. `known` are the files read already (by path).
    pub(super) fn new(
        entries: &[&ManifestEntry],
        found: &'p [Option<expand::Expanded>],
        cargo_lock: Option<&'p Path>,
        known: &FastSet<&OsStr>,
    ) -> ReadList<'p> {
        let mut wanted: Vec<Wanted<'p>> = cargo_lock
            .map(|abs| Wanted {
                abs,
                kind: FileKind::CargoLock,
                unconfirmed: false,
            })
            .into_iter()
            .collect();
        let mut seen: FastMap<&OsStr, usize> = FastMap::default();
        let mut at = Vec::with_capacity(entries.len());
        for (entry, found) in entries.iter().zip(found) {
            let Some(found) = found else {
                at.push(Vec::new());
                continue;
            };
            if matches!(entry, ManifestEntry::Pattern(_)) {
                // Read as text, with all its patterns, after every entry is known.
                at.push(vec![None; found.paths().len()]);
                continue;
            }
            let mut places = Vec::with_capacity(found.paths().len());
            for abs in found.paths() {
                let place = kind_of(abs)
                    .filter(|_| !known.contains(abs.as_os_str()))
                    .map(|kind| {
                        *seen.entry(abs.as_os_str()).or_insert_with(|| {
                            wanted.push(Wanted {
                                abs,
                                kind,
                                unconfirmed: found.is_unconfirmed(),
                            });
                            wanted.len() - 1
                        })
                    });
                places.push(place);
            }
            at.push(places);
        }
        ReadList { wanted, at }
    }
}

/// What reading a file found.
#[derive(Debug)]
pub(super) struct FileRead {
    /// The file, when it was read.
    pub(super) read: Option<Result<Box<SourceFile>, SourceError>>,
    /// For a path an expansion left unconfirmed: whether it is there.
    presence: Option<Presence>,
    /// What the file implies.
    implied: Option<Vec<(PathBuf, FileKind, bool)>>,
}

impl FileRead {
    /// An unconfirmed path not read: not there, or a link (read once where it leads is
    /// checked).
    fn unread(presence: Presence) -> FileRead {
        FileRead {
            read: None,
            presence: Some(presence),
            implied: None,
        }
    }
}

/// One file read, with the files it implies that its read was the first to meet (read by
/// the same thread).
struct Loaded {
    read: FileRead,
    extra: Vec<(PathBuf, Result<Box<SourceFile>, SourceError>)>,
}

/// What the reading threads share.
struct Reader<'a> {
    /// The repository's root.
    root: &'a Path,
    /// The workspace's root: files are keyed relative to it.
    workspace_root: &'a Path,
    /// The keys of the files read before (the workspace's manifests): an implied file
    /// among them is not read again.
    known: &'a FastSet<String>,
    nearest: &'a expand::Nearest,
    /// Every file a read started for: the files to read, and the implied files, read by
    /// the read that meets them first.
    started: Mutex<FastSet<Cow<'a, OsStr>>>,
}

impl Reader<'_> {
    /// Read and parse `wanted`, and the files it implies that no read met before. A path
    /// an expansion left unconfirmed is opened without following a link: the open says
    /// whether it is there.
    fn read(&self, wanted: &Wanted<'_>) -> Loaded {
        let relative = |abs: &Path| relative_to(self.workspace_root, abs);
        let abs = wanted.abs;
        // Boxed here, on the reading thread: the repository's map then holds a pointer,
        // and moving a file into it (on one thread) copies 8 bytes, not 300.
        let (file, presence) = if wanted.unconfirmed {
            match SourceFile::load_if_file(abs, || relative(abs), wanted.kind) {
                Opened::Absent => return Loaded::unread(Presence::Absent),
                Opened::Link => return Loaded::unread(Presence::Link),
                Opened::File(file) => (file, Some(Presence::File)),
            }
        } else {
            let file = SourceFile::load(abs, &relative(abs), wanted.kind).map(Box::new);
            (file, None)
        };
        let implied = file
            .as_ref()
            .map(|f| implied(self.root, f, self.nearest))
            .ok();
        // The files the manifests imply (a `package-lock.json`, a `Directory.Build.props`)
        // are read by the thread that meets them first, while the other threads go on with
        // the manifests: a big lockfile does not wait for them all.
        let mut extra = Vec::new();
        for (path, kind, _) in implied.iter().flatten() {
            let first = self
                .started
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(Cow::Owned(path.clone().into_os_string()));
            if first && !self.known.contains(&relative(path)) {
                let read = SourceFile::load(path, &relative(path), *kind).map(Box::new);
                extra.push((path.clone(), read));
            }
        }
        Loaded {
            read: FileRead {
                read: Some(file),
                presence,
                implied,
            },
            extra,
        }
    }
}

impl Loaded {
    fn unread(presence: Presence) -> Loaded {
        Loaded {
            read: FileRead::unread(presence),
            extra: Vec::new(),
        }
    }
}

/// Read and parse `wanted`, with the files they imply, on all cores. `root` is the
/// repository's, `workspace_root` the workspace's; `known` the keys of the files read
/// already.
pub(super) fn read_all(
    root: &Path,
    workspace_root: &Path,
    known: &FastSet<String>,
    nearest: &expand::Nearest,
    wanted: &[Wanted<'_>],
) -> Reads {
    let reader = Reader {
        root,
        workspace_root,
        known,
        nearest,
        started: Mutex::new(
            wanted
                .iter()
                .map(|w| Cow::Borrowed(w.abs.as_os_str()))
                .collect(),
        ),
    };
    super::progress::start(wanted.len());
    let loaded = crate::par::map(wanted, |w| {
        let read = reader.read(w);
        super::progress::advance();
        read
    });
    let mut reads = Reads {
        files: FastMap::default(),
        implied: FastMap::default(),
        presences: Vec::with_capacity(wanted.len()),
    };
    for (wanted, loaded) in wanted.iter().zip(loaded) {
        for (path, read) in loaded.extra {
            let read = FileRead {
                read: Some(read),
                presence: None,
                implied: None,
            };
            reads.files.insert(path.into_os_string(), read);
        }
        let mut read = loaded.read;
        let abs = wanted.abs.as_os_str();
        reads.presences.push(read.presence);
        if let Some(implied) = read.implied.take() {
            reads.implied.insert(abs.to_os_string(), implied);
        }
        reads.files.insert(abs.to_os_string(), read);
    }
    reads
}

/// The files read, by path: claiming takes each from here.
#[derive(Debug)]
pub(super) struct Reads {
    /// The files read, by path.
    pub(super) files: FastMap<OsString, FileRead>,
    /// What each file read implies, by its path.
    pub(super) implied: FastMap<OsString, Vec<(PathBuf, FileKind, bool)>>,
    /// For each file in the list, for a path its expansion left unconfirmed, whether it
    /// is there.
    presences: Vec<Option<Presence>>,
}

impl Reads {
    /// For the `at`-th file of the list, whether its path is there, when its expansion left
    /// it unconfirmed.
    pub(super) fn presence(&self, at: usize) -> Option<Presence> {
        self.presences.get(at).copied().flatten()
    }
}
