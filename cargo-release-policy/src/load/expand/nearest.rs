//! The nearest file of a name above a manifest (its lockfile, its `Directory.Build.props`),
//! each directory asked once.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::entries;
use super::listings::Listings;
use super::paths::join_name;
use crate::fast_map::FastMap;

/// For each name asked about, the answer for each directory asked (looked up by the
/// directory's bytes, without building a key).
type Known = FastMap<&'static str, FastMap<OsString, Option<PathBuf>>>;

/// [`nearest`], remembering each directory's answer: sibling manifests share their
/// ancestors, so each directory is asked about each name once, and a directory a glob
/// listed is not asked at all. Shared by the threads that read files.
#[derive(Debug, Default)]
pub struct Nearest {
    known: Mutex<Known>,
    listings: Listings,
}

impl Nearest {
    /// Answering from what the globs' expansions listed first.
    pub fn new(listings: Listings) -> Nearest {
        Nearest {
            known: Mutex::default(),
            listings,
        }
    }

    /// The listings it answers from.
    pub fn listings(&self) -> &Listings {
        &self.listings
    }

    /// The listings it answered from, with what the expansions consulted.
    pub fn into_listings(self) -> Listings {
        self.listings
    }

    // proof: `until` is `asked.len()` or one past a position enumerated from `asked`.
    #[allow(clippy::indexing_slicing)]
    pub fn find(&self, root: &Path, dir: &Path, name: &'static str) -> Option<PathBuf> {
        // The directories from `dir` up to the first one whose answer is known (one lock
        // for all the lookups), then each of them asked, from `dir` up, until one holds it.
        let plain = plain(dir);
        let mut asked: Vec<&Path> = Vec::new();
        let mut answer = None;
        {
            let known = self.lock();
            let by_dir = known.get(name);
            let mut next = Some(dir);
            while let Some(d) = next {
                if !at_or_below(d, root) {
                    break;
                }
                if let Some(known) = by_dir.and_then(|by_dir| by_dir.get(d.as_os_str())) {
                    answer.clone_from(known);
                    break;
                }
                asked.push(d);
                next = if plain { plain_parent(d) } else { d.parent() };
            }
        }
        let mut until = asked.len();
        for (at, d) in asked.iter().enumerate() {
            let is_file = match self.listings.is_file(d, name) {
                Some(listed) => listed,
                None => entries::is_file(&join_name(d, name)),
            };
            if is_file {
                answer = Some(join_name(d, name));
                until = at + 1;
                break;
            }
        }
        if until > 0 {
            let mut known = self.lock();
            let by_dir = known.entry(name).or_default();
            for d in &asked[..until] {
                by_dir.insert(d.as_os_str().to_os_string(), answer.clone());
            }
        }
        answer
    }

    fn lock(&self) -> MutexGuard<'_, Known> {
        // A panic while holding the lock cannot leave the map inconsistent: take it anyway.
        self.known.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether `path` is absolute and its parents are found by cutting at its last `/` (on
/// Unix): no empty, `.` or `..` component and no trailing `/`, so that each parent is what
/// `Path::parent` says, without parsing components (half of [`Nearest::find`]'s work).
// proof: `bytes.len() >= 2` is checked before `bytes[0]`; `start` is 1 or one past a position of
// `bytes`, and `at` a position after it.
#[allow(clippy::indexing_slicing)]
pub(super) fn plain(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    if !cfg!(unix) || bytes.len() < 2 || bytes[0] != b'/' {
        return false;
    }
    let mut start = 1;
    for (at, &byte) in bytes.iter().enumerate().skip(1) {
        if byte == b'/' {
            if !plain_component(&bytes[start..at]) {
                return false;
            }
            start = at + 1;
        }
    }
    plain_component(&bytes[start..])
}

fn plain_component(name: &[u8]) -> bool {
    !name.is_empty() && name != b"." && name != b".."
}

/// The parent of a [`plain`] path (`None` for `/`).
#[cfg(unix)]
// proof: this runs only when `bytes.len() > 1`, so `cut.max(1)` (`cut` a position in `bytes`) is at
// most `bytes.len()`.
#[allow(clippy::indexing_slicing)]
pub(super) fn plain_parent(path: &Path) -> Option<&Path> {
    use std::os::unix::ffi::OsStrExt as _;
    let bytes = path.as_os_str().as_bytes();
    let cut = bytes.iter().rposition(|&b| b == b'/')?;
    (bytes.len() > 1).then(|| Path::new(std::ffi::OsStr::from_bytes(&bytes[..cut.max(1)])))
}

/// The parent of a [`plain`] path (`None` for `/`); no path is plain but on Unix.
#[cfg(not(unix))]
pub(super) fn plain_parent(path: &Path) -> Option<&Path> {
    path.parent()
}

/// `path.starts_with(root)`, answered from the bytes when they tell (on Unix, a byte prefix
/// ending at a `/` is a prefix of the components): `Path::starts_with` parses both paths'
/// components, and was half of [`Nearest::find`]'s work.
// proof: `bytes` starts with `prefix` and is not the same length, so it is longer and
// `bytes[prefix.len()]` exists.
#[allow(clippy::indexing_slicing)]
pub(super) fn at_or_below(path: &Path, root: &Path) -> bool {
    if cfg!(unix) {
        let (bytes, prefix) = (
            path.as_os_str().as_encoded_bytes(),
            root.as_os_str().as_encoded_bytes(),
        );
        if bytes.starts_with(prefix)
            && (bytes.len() == prefix.len()
                || prefix.ends_with(b"/")
                || bytes[prefix.len()] == b'/')
        {
            return true;
        }
    }
    path.starts_with(root)
}
