//! Reading the manifests the `manifests` entries name ahead of claiming them: on all cores,
//! handed back in order as their reads complete, so that claiming the first files (on the
//! calling thread) overlaps the reading of the rest.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use policy_schema::ManifestEntry;

use super::expand::{self, Presence};
use super::implied::{implied, kind_of};
use super::source::{Opened, SourceError, SourceFile};
use super::workspace::relative_to;
use crate::editor::FileKind;
use crate::fxhash::{FastMap, FastSet};

/// A file to read ahead.
pub(super) struct Wanted<'p> {
    /// Its place in the list of files to read.
    at: usize,
    abs: &'p Path,
    kind: FileKind,
    /// Whether its expansion left it unconfirmed: opening it says whether it is there.
    unconfirmed: bool,
}

/// The files to read ahead, and where each entry's paths are among them.
pub(super) struct ReadList<'p> {
    pub(super) wanted: Vec<Wanted<'p>>,
    /// For each entry, for each of its paths (in its expansion's order), its place in
    /// `wanted`: `None` when it is not read ahead (a file read already, of no known kind,
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
                at: 0,
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
                                at: wanted.len(),
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

/// What reading a file ahead found.
#[derive(Debug)]
pub(super) struct ReadAhead {
    /// The file, when it was read.
    pub(super) read: Option<Result<Box<SourceFile>, SourceError>>,
    /// For a path an expansion left unconfirmed: whether it is there.
    pub(super) presence: Option<Presence>,
    /// What the file implies.
    pub(super) implied: Option<Vec<(PathBuf, FileKind, bool)>>,
}

impl ReadAhead {
    /// An unconfirmed path not read: not there, or a link (read once where it leads is
    /// checked).
    fn unread(presence: Presence) -> ReadAhead {
        ReadAhead {
            read: None,
            presence: Some(presence),
            implied: None,
        }
    }
}

/// One file read ahead, with the files it implies that its read was the first to meet
/// (read by the same thread).
struct Loaded {
    ahead: ReadAhead,
    extra: Vec<(PathBuf, Result<Box<SourceFile>, SourceError>)>,
    /// The last of the reads that read the files it implies (this one, or another that met
    /// them first): claiming the file takes them.
    needs: Option<usize>,
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
    /// Every file a read started for, with the place of the read that reads it: the files
    /// to read ahead, and the implied files, read by the read that meets them first.
    claimed: Mutex<FastMap<Cow<'a, OsStr>, usize>>,
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
        let mut needs = None;
        for (path, kind, _) in implied.iter().flatten() {
            let (first, reader) = {
                let mut claimed = self.claimed.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some(&reader) = claimed.get(path.as_os_str()) {
                    (false, reader)
                } else {
                    claimed.insert(Cow::Owned(path.clone().into_os_string()), wanted.at);
                    (true, wanted.at)
                }
            };
            needs = needs.max(Some(reader));
            if first && !self.known.contains(&relative(path)) {
                let read = SourceFile::load(path, &relative(path), *kind).map(Box::new);
                extra.push((path.clone(), read));
            }
        }
        Loaded {
            ahead: ReadAhead {
                read: Some(file),
                presence,
                implied,
            },
            extra,
            needs,
        }
    }
}

impl Loaded {
    fn unread(presence: Presence) -> Loaded {
        Loaded {
            ahead: ReadAhead::unread(presence),
            extra: Vec::new(),
            needs: None,
        }
    }
}

/// Read `wanted` on all cores while `consume` takes the reads in order ([`Reads::upto`]) on
/// the calling thread. `root` is the repository's, `workspace_root` the workspace's;
/// `known` the keys of the files read already.
pub(super) fn read_ahead<O>(
    root: &Path,
    workspace_root: &Path,
    known: &FastSet<String>,
    nearest: &expand::Nearest,
    wanted: &[Wanted<'_>],
    consume: impl FnOnce(&mut Reads<'_, '_>) -> O,
) -> O {
    let reader = Reader {
        root,
        workspace_root,
        known,
        nearest,
        claimed: Mutex::new(
            wanted
                .iter()
                .map(|w| (Cow::Borrowed(w.abs.as_os_str()), w.at))
                .collect(),
        ),
    };
    crate::par::map_streamed(
        wanted,
        |w| reader.read(w),
        |results| {
            let mut reads = Reads {
                results,
                wanted,
                presences: Vec::with_capacity(wanted.len()),
            };
            consume(&mut reads)
        },
    )
}

/// The reads ahead taken so far, by path: claiming takes each file from here.
#[derive(Debug, Default)]
pub(super) struct Taken {
    /// The files read ahead.
    pub(super) files: FastMap<OsString, ReadAhead>,
    /// What each file read ahead implies.
    pub(super) implied: FastMap<OsString, Vec<(PathBuf, FileKind, bool)>>,
}

/// The reads ahead, taken in order into [`Taken`] as the claims reach them.
pub(super) struct Reads<'r, 'a> {
    results: &'r mut dyn Iterator<Item = Loaded>,
    /// The files read, in order.
    wanted: &'r [Wanted<'a>],
    /// For each read taken, for a path its expansion left unconfirmed, whether it is there.
    presences: Vec<Option<Presence>>,
}

impl Reads<'_, '_> {
    /// Take every read up to the `at`-th into `taken`, waiting for them (or reading some
    /// on this thread), with the reads of the files they imply.
    pub(super) fn upto(&mut self, at: usize, taken: &mut Taken) {
        let mut last = at;
        while self.presences.len() <= last {
            let Some(loaded) = self.results.next() else {
                return;
            };
            last = last.max(loaded.needs.unwrap_or(0));
            let abs = self.wanted[self.presences.len()].abs.as_os_str();
            for (path, read) in loaded.extra {
                let ahead = ReadAhead {
                    read: Some(read),
                    presence: None,
                    implied: None,
                };
                taken.files.insert(path.into_os_string(), ahead);
            }
            let mut ahead = loaded.ahead;
            self.presences.push(ahead.presence);
            if let Some(implied) = ahead.implied.take() {
                taken.implied.insert(abs.to_os_string(), implied);
            }
            taken.files.insert(abs.to_os_string(), ahead);
        }
    }

    /// For the `at`-th read (taken), whether its path is there, when its expansion left
    /// it unconfirmed.
    pub(super) fn presence(&self, at: usize) -> Option<Presence> {
        self.presences.get(at).copied().flatten()
    }
}
