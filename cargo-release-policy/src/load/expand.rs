//! Expanding `manifests` globs into files, inside the repository.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use entries::Kind;
use excludes::{glob, is_glob, repo_relative, PRUNED_DIRS};
use inside::check_real;
use paths::relative_text;

mod entries;
mod error;
mod excludes;
mod expansion;
mod inside;
mod listings;
mod nearest;
mod paths;

pub use error::ExpandError;
pub use excludes::Excludes;
#[cfg(test)]
pub use excludes::ALWAYS_EXCLUDED;
pub use listings::{Consulted, Listings};
pub use nearest::Nearest;
pub use paths::{file_name_text, normalize, push_normalized};

/// The files `pattern` (relative to the directory `base`) names inside `root`, sorted. A
/// literal path must exist; a glob must match at least one file that is not excluded or
/// ignored by `.gitignore`. (Loading expands with shared listings: [`expand_with`].)
#[cfg(test)]
pub fn expand(
    root: &Path,
    base: &Path,
    pattern: &str,
    excludes: &Excludes,
) -> Result<Vec<PathBuf>, ExpandError> {
    expand_with(root, base, pattern, excludes, &Listings::default())
}

/// [`expand`], recording in `listings` what each directory it lists holds.
pub fn expand_with(
    root: &Path,
    base: &Path,
    pattern: &str,
    excludes: &Excludes,
    listings: &Listings,
) -> Result<Vec<PathBuf>, ExpandError> {
    let expanded = expand_unconfirmed(root, base, pattern, excludes, listings)?;
    let presences = if expanded.unconfirmed {
        crate::par::map(&expanded.paths, |(path, _)| presence(path))
    } else {
        Vec::new()
    };
    expanded.confirm(root, listings, &presences)
}

/// What a pattern's expansion found, perhaps not all confirmed to be there: a literal file
/// name at the end of a glob (`packages/*/package.json`) is joined to every directory the
/// glob reaches without asking whether each holds it, so that reading it says
/// ([`Expanded::confirm`]): one `open` instead of an `lstat` and an `open`.
#[derive(Debug)]
pub struct Expanded {
    pattern: String,
    /// Sorted; each with whether its real location must be checked.
    paths: Vec<(PathBuf, bool)>,
    unconfirmed: bool,
}

/// Whether a path an expansion did not confirm is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Not there, or not a file: a directory, a FIFO, a socket or a device (as a listing
    /// skips them).
    Absent,
    File,
    /// A symbolic link: where it leads is checked before it is followed.
    Link,
}

/// Whether `path` is there, asked with one `lstat` (a link is not followed).
pub fn presence(path: &Path) -> Presence {
    match entries::kind(path) {
        Some(Kind::File) => Presence::File,
        Some(Kind::Link) => Presence::Link,
        Some(Kind::Dir | Kind::Other) | None => Presence::Absent,
    }
}

impl Expanded {
    /// The paths found, sorted; each still to be confirmed when [`Expanded::is_unconfirmed`].
    pub fn paths(&self) -> impl ExactSizeIterator<Item = &Path> {
        self.paths.iter().map(|(path, _)| path.as_path())
    }

    /// Whether whoever reads the paths must say which are there.
    pub fn is_unconfirmed(&self) -> bool {
        self.unconfirmed
    }

    /// The files found: when unconfirmed, those `presences` (one per path, in order; a
    /// missing one is absent) says are there. Fails when none is, or when one's real
    /// location (a link's, or any path's when the glob's start is reached through a link)
    /// is outside the repository.
    pub fn confirm(
        self,
        root: &Path,
        listings: &Listings,
        presences: &[Presence],
    ) -> Result<Vec<PathBuf>, ExpandError> {
        let mut confirmed = self;
        if confirmed.unconfirmed {
            let mut presences = presences.iter();
            confirmed.paths.retain_mut(|(_, check)| {
                match presences.next().copied().unwrap_or(Presence::Absent) {
                    Presence::Absent => false,
                    Presence::File => true,
                    Presence::Link => {
                        *check = true;
                        true
                    }
                }
            });
            confirmed.check(root, listings)?;
        }
        Ok(confirmed.paths.into_iter().map(|(path, _)| path).collect())
    }

    /// [`Expanded::confirm`], borrowing the files found from the expansion.
    pub fn confirmed(
        &self,
        root: &Path,
        listings: &Listings,
        presences: &[Presence],
    ) -> Result<Vec<&Path>, ExpandError> {
        if !self.unconfirmed {
            return Ok(self.paths().collect());
        }
        let mut presences = presences.iter();
        let mut found: Vec<(&Path, bool)> = Vec::with_capacity(self.paths.len());
        for (path, check) in &self.paths {
            match presences.next().copied().unwrap_or(Presence::Absent) {
                Presence::Absent => {}
                Presence::File => found.push((path, *check)),
                Presence::Link => found.push((path, true)),
            }
        }
        check_found(&self.pattern, root, listings, &found)?;
        Ok(found.into_iter().map(|(path, _)| path).collect())
    }

    /// Fail when nothing was found, or when a path to check leads outside the repository
    /// (in order: the first such path is named); each path is checked once.
    fn check(&mut self, root: &Path, listings: &Listings) -> Result<(), ExpandError> {
        let found: Vec<(&Path, bool)> = self
            .paths
            .iter()
            .map(|(path, check)| (path.as_path(), *check))
            .collect();
        check_found(&self.pattern, root, listings, &found)?;
        for (_, check) in &mut self.paths {
            *check = false;
        }
        Ok(())
    }
}

/// [`Expanded::check`] of the files `found` (each with whether to check where it leads).
fn check_found(
    pattern: &str,
    root: &Path,
    listings: &Listings,
    found: &[(&Path, bool)],
) -> Result<(), ExpandError> {
    if found.is_empty() {
        return Err(ExpandError::NoMatch {
            pattern: pattern.to_string(),
        });
    }
    if found.iter().any(|(_, check)| *check) {
        let real_root = listings.real_root(root);
        for (path, check) in found {
            if *check {
                check_real(root, &real_root, path, pattern)?;
            }
        }
    }
    Ok(())
}

/// [`expand_with`], leaving a glob's literal file name unconfirmed ([`Expanded`]).
pub fn expand_unconfirmed(
    root: &Path,
    base: &Path,
    pattern: &str,
    excludes: &Excludes,
    listings: &Listings,
) -> Result<Expanded, ExpandError> {
    let rel = repo_relative(root, base, pattern)?;
    // Each found path, and whether its real location must be checked on its own.
    let (mut paths, unconfirmed) = if !is_glob(&rel) {
        let path = root.join(&rel);
        if let Some(dir) = path.parent() {
            listings.consulted().dirs.push(dir.to_path_buf());
        }
        if path.is_file() {
            (vec![(path, true)], false)
        } else {
            (Vec::new(), false)
        }
    } else if by_components(&rel) {
        let glob = glob(&rel)?;
        // Each component is matched on its own; the whole pattern has a say only when a
        // literal component could mean something else to it (an escape).
        let matcher = rel.contains('\\').then(|| glob.compile_matcher());
        let found = expansion::Expansion::new(root, excludes, matcher, listings).run(&rel)?;
        (found.paths, found.unconfirmed)
    } else {
        listings.set_walked();
        let real_root = listings.real_root(root);
        (walk(root, &real_root, &rel, excludes)?, false)
    };
    sort_paths(&mut paths, nearest::plain(root));
    let mut expanded = Expanded {
        pattern: pattern.to_string(),
        paths,
        unconfirmed,
    };
    if !unconfirmed {
        // Checked now, before anything is read: a link leading outside is not followed.
        expanded.check(root, listings)?;
    }
    Ok(expanded)
}

/// Sort as `Path`s sort (component by component), from the bytes when the paths are plain
/// (as an expansion's are, below a plain root: names from listings and a normalized
/// pattern's components): a `/` then sorts before every other byte.
fn sort_paths(paths: &mut [(PathBuf, bool)], plain: bool) {
    if plain {
        let key = |byte: &u8| {
            if *byte == b'/' {
                0
            } else {
                u16::from(*byte) + 1
            }
        };
        paths.sort_unstable_by(|(a, _), (b, _)| {
            let (a, b) = (
                a.as_os_str().as_encoded_bytes(),
                b.as_os_str().as_encoded_bytes(),
            );
            a.iter().map(key).cmp(b.iter().map(key))
        });
    } else {
        paths.sort();
    }
}

/// A guess at how much of the file system expanding `pattern` asks about, to start the
/// heaviest expansions first: each wildcard component lists every directory reached so
/// far, and `**` walks a whole tree.
pub fn weight(pattern: &str) -> usize {
    if pattern.contains("**") {
        return usize::MAX;
    }
    pattern.split('/').filter(|part| is_glob(part)).count()
}

/// Whether `rel` can be expanded one path component at a time: no `**`, and no `{…}` or
/// `[…]` spanning a `/`.
fn by_components(rel: &str) -> bool {
    !rel.contains("**")
        && rel.split('/').all(|part| {
            part.matches('{').count() == part.matches('}').count()
                && part.matches('[').count() == part.matches(']').count()
        })
}

/// The files a pattern with `**` matches, by walking below its literal start (with
/// `.gitignore` honoured by the `ignore` crate's walker).
// proof: `literal` counts leading parts of `parts` (`take_while`), so it is at most `parts.len()`.
#[allow(clippy::indexing_slicing)]
fn walk(
    root: &Path,
    real_root: &Path,
    rel: &str,
    excludes: &Excludes,
) -> Result<Vec<(PathBuf, bool)>, ExpandError> {
    let matcher = glob(rel)?.compile_matcher();
    // Walk only below the literal part of the pattern, and no deeper than it reaches.
    let parts: Vec<&str> = rel.split('/').collect();
    let literal = parts.iter().take_while(|part| !is_glob(part)).count();
    let rest = &parts[literal..];
    let max_depth = (!rest.iter().any(|part| part.contains("**"))).then_some(rest.len());
    let start = root.join(parts[..literal].join("/"));
    if !start.is_dir() {
        return Ok(Vec::new());
    }
    // Below `start` the walk follows no link, so a file that is not a link is where
    // its real directory is: inside the root when `start` really is.
    let start_inside = start
        .canonicalize()
        .is_ok_and(|real| real.starts_with(real_root));
    // The parallel walker lists each directory once to find its ignore files, where
    // the sequential one asks for `.gitignore` and `.ignore` one by one. One thread:
    // its idle threads sleep a millisecond at a time, longer than most walks here
    // (the entries are walked side by side instead, see `Repo::claim_files`).
    let walker = ignore::WalkBuilder::new(&start)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(false)
        .require_git(false)
        .follow_links(false)
        .max_depth(max_depth)
        .threads(1)
        .filter_entry(|entry| {
            !(entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| PRUNED_DIRS.contains(&name)))
        })
        .build_parallel();
    let hits = Mutex::new(Vec::new());
    // The first entry that cannot be dropped in silence: a name that is not UTF-8, a link
    // to a directory outside the repository.
    let problem = Mutex::new(None);
    walker.run(|| {
        let (matcher, hits, problem) = (&matcher, &hits, &problem);
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return ignore::WalkState::Continue;
            };
            let Some(file_type) = entry.file_type() else {
                return ignore::WalkState::Continue;
            };
            let shown = || {
                entry
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .into_owned()
            };
            let report = |error: ExpandError| {
                problem
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .get_or_insert(error);
                ignore::WalkState::Quit
            };
            // A directory could hold a match below it; a file is named when it would match.
            if entry.file_name().to_str().is_none()
                && (file_type.is_dir() || matcher.is_match(shown().as_str()))
            {
                return report(ExpandError::NotUtf8 {
                    pattern: rel.to_string(),
                    path: shown(),
                });
            }
            if file_type.is_symlink() && entry.path().is_dir() {
                // Not followed (the walk follows no link), but one leading outside the
                // repository is named rather than skipped.
                if let Ok(real) = entry.path().canonicalize() {
                    if !real.starts_with(real_root) {
                        return report(ExpandError::LinkEscapes {
                            pattern: rel.to_string(),
                            path: shown(),
                            target: real.display().to_string(),
                        });
                    }
                }
                return ignore::WalkState::Continue;
            }
            if !(file_type.is_file() || file_type.is_symlink()) {
                return ignore::WalkState::Continue;
            }
            let Some(rel_text) = relative_text(root, entry.path()) else {
                return ignore::WalkState::Continue;
            };
            if matcher.is_match(rel_text.as_ref()) && !excludes.matches(&rel_text) {
                let check = file_type.is_symlink() || !start_inside;
                hits.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((entry.into_path(), check));
            }
            ignore::WalkState::Continue
        })
    });
    if let Some(problem) = problem
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        return Err(problem);
    }
    Ok(hits
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

#[cfg(test)]
mod tests;
