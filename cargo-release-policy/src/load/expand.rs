//! Expanding `manifests` globs into files, inside the repository.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use entries::Kind;
use globset::{Candidate, Glob, GlobBuilder, GlobSet, GlobSetBuilder};

mod entries;
mod expansion;
mod listings;
mod nearest;

pub use listings::{Consulted, Listings};
pub use nearest::{nearest, Nearest};

/// Directories never searched by a glob: dependencies and build output.
pub const ALWAYS_EXCLUDED: [&str; 5] = [
    "**/node_modules/**",
    "**/target/**",
    "**/.git/**",
    "**/bin/**",
    "**/obj/**",
];

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("`{pattern}` points outside the repository (`{root}`)")]
    Escapes { pattern: String, root: String },
    #[error("`{pattern}` matches no file")]
    NoMatch { pattern: String },
    #[error("`{pattern}` is not a valid glob: {message}")]
    BadGlob { pattern: String, message: String },
    #[error("`{path}` (matched by `{pattern}`) is a link to `{target}`, outside the repository")]
    LinkEscapes {
        pattern: String,
        path: String,
        target: String,
    },
}

impl DiscoverError {
    pub fn help(&self) -> Option<String> {
        match self {
            DiscoverError::Escapes { .. } | DiscoverError::LinkEscapes { .. } => Some(
                "list only files inside the repository (the directory holding `.git`)".to_string(),
            ),
            DiscoverError::NoMatch { .. } => Some(
                "fix the path (globs are relative to the Cargo.toml holding the table), or remove the entry"
                    .to_string(),
            ),
            DiscoverError::BadGlob { .. } => None,
        }
    }
}

/// `path` with `.` and `..` resolved lexically (no file system access).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    push_normalized(&mut out, path);
    out
}

/// Push `path`'s components onto `out`, resolving `.` and `..` lexically: for a normalized
/// `out`, the result is `normalize(out/path)` without going through `out` again. An absolute
/// `path` replaces `out`, as `PathBuf::push` does.
pub fn push_normalized(out: &mut PathBuf, path: &Path) {
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
}

fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

fn glob(pattern: &str) -> Result<Glob, DiscoverError> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| DiscoverError::BadGlob {
            pattern: pattern.to_string(),
            message: e.kind().to_string(),
        })
}

/// Compiled `exclude` globs (relative to the repository root) plus [`ALWAYS_EXCLUDED`].
#[derive(Debug, Clone)]
pub struct Excludes {
    /// The `exclude` globs; `None` when there are none.
    set: Option<GlobSet>,
}

impl Excludes {
    /// `patterns` are relative to `base` (a directory inside `root`).
    pub fn new(root: &Path, base: &Path, patterns: &[String]) -> Result<Excludes, DiscoverError> {
        if patterns.is_empty() {
            return Ok(Excludes { set: None });
        }
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let rel = repo_relative(root, base, pattern)?;
            builder.add(glob(&rel)?);
        }
        let set = builder.build().map_err(|e| DiscoverError::BadGlob {
            pattern: patterns.join(", "),
            message: e.to_string(),
        })?;
        Ok(Excludes { set: Some(set) })
    }

    pub fn matches(&self, repo_relative: &str) -> bool {
        always_excluded(repo_relative)
            || self
                .set
                .as_ref()
                .is_some_and(|set| set.is_match_candidate(&Candidate::new(repo_relative)))
    }
}

/// Whether [`ALWAYS_EXCLUDED`] matches the `/`-separated `rel`: whether a directory of it
/// (a component but the last) has one of their names. Compared by name in one pass over the
/// bytes, where matching the five globs took a regular expression set per `manifests` entry
/// and a few hundred instructions per file found.
fn always_excluded(rel: &str) -> bool {
    let bytes = rel.as_bytes();
    let mut start = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        if byte == b'/' {
            if matches!(
                &bytes[start..at],
                b"node_modules" | b"target" | b".git" | b"bin" | b"obj"
            ) {
                return true;
            }
            start = at + 1;
        }
    }
    false
}

/// `pattern` (relative to `base`) as a `/`-separated path relative to `root`.
fn repo_relative(root: &Path, base: &Path, pattern: &str) -> Result<String, DiscoverError> {
    let joined = normalize(&base.join(pattern));
    let rel = joined
        .strip_prefix(root)
        .map_err(|_| DiscoverError::Escapes {
            pattern: pattern.to_string(),
            root: root.display().to_string(),
        })?;
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/"))
}

/// Directory names never descended into by a glob's walk: whatever is below them is
/// [`ALWAYS_EXCLUDED`] anyway (`.git` is hidden, and hidden entries are skipped).
const PRUNED_DIRS: [&str; 4] = ["node_modules", "target", "bin", "obj"];

/// The files `pattern` (relative to the directory `base`) names inside `root`, sorted. A
/// literal path must exist; a glob must match at least one file that is not excluded or
/// ignored by `.gitignore`.
pub fn expand(
    root: &Path,
    base: &Path,
    pattern: &str,
    excludes: &Excludes,
) -> Result<Vec<PathBuf>, DiscoverError> {
    expand_with(root, base, pattern, excludes, &Listings::default())
}

/// [`expand`], recording in `listings` what each directory it lists holds.
pub fn expand_with(
    root: &Path,
    base: &Path,
    pattern: &str,
    excludes: &Excludes,
    listings: &Listings,
) -> Result<Vec<PathBuf>, DiscoverError> {
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
    ) -> Result<Vec<PathBuf>, DiscoverError> {
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
    ) -> Result<Vec<&Path>, DiscoverError> {
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
    fn check(&mut self, root: &Path, listings: &Listings) -> Result<(), DiscoverError> {
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
) -> Result<(), DiscoverError> {
    if found.is_empty() {
        return Err(DiscoverError::NoMatch {
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
) -> Result<Expanded, DiscoverError> {
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
fn walk(
    root: &Path,
    real_root: &Path,
    rel: &str,
    excludes: &Excludes,
) -> Result<Vec<(PathBuf, bool)>, DiscoverError> {
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
    // (the entries are walked side by side instead, see `Repo::discover`).
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
    walker.run(|| {
        let (matcher, hits) = (&matcher, &hits);
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return ignore::WalkState::Continue;
            };
            let Some(file_type) = entry.file_type() else {
                return ignore::WalkState::Continue;
            };
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
    Ok(hits
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// A relative path with `/` separators, as globs match it.
fn slash_path(rel: &Path) -> Cow<'_, str> {
    match rel.to_str() {
        Some(text) if std::path::MAIN_SEPARATOR == '/' => Cow::Borrowed(text),
        _ => Cow::Owned(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        ),
    }
}

/// `dir/name`, for a `name` that is one path component (from a listing or a pattern):
/// where `Path::join` looks at how `dir` ends and whether `name` is absolute, and grows its
/// buffer, on every call.
pub fn join_name(dir: &Path, name: impl AsRef<std::ffi::OsStr>) -> PathBuf {
    let name = name.as_ref();
    let bytes = dir.as_os_str().as_encoded_bytes();
    if std::path::MAIN_SEPARATOR == '/'
        && !bytes.is_empty()
        && !bytes.ends_with(b"/")
        && !name.as_encoded_bytes().starts_with(b"/")
    {
        let mut joined = std::ffi::OsString::with_capacity(bytes.len() + 1 + name.len());
        joined.push(dir.as_os_str());
        joined.push("/");
        joined.push(name);
        PathBuf::from(joined)
    } else {
        dir.join(name)
    }
}

/// The last component of `path` as text, cut from its bytes when it is a plain name
/// (where `Path::file_name` parses the component).
pub fn file_name_text(path: &Path) -> Option<&str> {
    let text = path.to_str()?;
    match text.rsplit_once('/') {
        Some((_, name)) if std::path::MAIN_SEPARATOR == '/' && plain_name(name) => Some(name),
        _ => path.file_name()?.to_str(),
    }
}

fn plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".."
}

/// `path` relative to `root` with `/` separators (`None` when it is not below it): cut from
/// the text when `path` is `root`, a `/`, and the rest (as the expansions build them),
/// where `Path::strip_prefix` parses both paths' components.
fn relative_text<'a>(root: &Path, path: &'a Path) -> Option<Cow<'a, str>> {
    if std::path::MAIN_SEPARATOR == '/' {
        if let (Some(root), Some(text)) = (root.to_str(), path.to_str()) {
            if let Some(rest) = text
                .strip_prefix(root)
                .and_then(|rest| rest.strip_prefix('/'))
            {
                if !root.ends_with('/')
                    && rest.split('/').all(|part| !part.is_empty() && part != ".")
                {
                    return Some(Cow::Borrowed(rest));
                }
            }
        }
    }
    path.strip_prefix(root).ok().map(slash_path)
}

/// What `path` is, when it is below `root` by plain names (no `.` or `..`) and no
/// component of it below `root` is a link (asked with one `lstat` each): its real location
/// is then the root's, joined with the same names. `None` otherwise (a link on the way, a
/// component missing or not a directory). The root itself is a directory.
fn plainly_below(root: &Path, path: &Path) -> Option<Kind> {
    let rel = path.strip_prefix(root).ok()?;
    let mut at = root.to_path_buf();
    let mut kind = Kind::Dir;
    for component in rel.components() {
        let Component::Normal(name) = component else {
            return None;
        };
        if kind != Kind::Dir {
            return None;
        }
        at.push(name);
        kind = entries::kind(&at)?;
        if kind == Kind::Link {
            return None;
        }
    }
    Some(kind)
}

/// Refuse a path whose real location (links resolved) is outside `root`, whose real
/// location is `real_root`.
fn check_real(
    root: &Path,
    real_root: &Path,
    path: &Path,
    pattern: &str,
) -> Result<(), DiscoverError> {
    if plainly_below(root, path).is_some() {
        return Ok(());
    }
    match path.canonicalize() {
        Ok(real) if !real.starts_with(real_root) => Err(DiscoverError::LinkEscapes {
            pattern: pattern.to_string(),
            path: path.display().to_string(),
            target: real.display().to_string(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
