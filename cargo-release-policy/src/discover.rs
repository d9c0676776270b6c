//! Expanding `manifests` globs into files, inside the repository.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::fxhash::{FastMap, FastSet};
use entries::Kind;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

mod entries;

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
    set: GlobSet,
}

impl Excludes {
    /// `patterns` are relative to `base` (a directory inside `root`).
    pub fn new(root: &Path, base: &Path, patterns: &[String]) -> Result<Excludes, DiscoverError> {
        let mut builder = GlobSetBuilder::new();
        for pattern in ALWAYS_EXCLUDED {
            builder.add(glob(pattern)?);
        }
        for pattern in patterns {
            let rel = repo_relative(root, base, pattern)?;
            builder.add(glob(&rel)?);
        }
        let set = builder.build().map_err(|e| DiscoverError::BadGlob {
            pattern: patterns.join(", "),
            message: e.to_string(),
        })?;
        Ok(Excludes { set })
    }

    pub fn matches(&self, repo_relative: &str) -> bool {
        self.set.is_match(repo_relative)
    }
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
    let rel = repo_relative(root, base, pattern)?;
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // Each found path, and whether its real location must be checked on its own.
    let found: Vec<(PathBuf, bool)> = if !is_glob(&rel) {
        let path = root.join(&rel);
        if let Some(dir) = path.parent() {
            listings.consulted().dirs.push(dir.to_path_buf());
        }
        if path.is_file() {
            vec![(path, true)]
        } else {
            Vec::new()
        }
    } else if by_components(&rel) {
        let matcher = glob(&rel)?.compile_matcher();
        Expansion {
            root,
            real_root: &real_root,
            excludes,
            matcher: &matcher,
            listings,
            ignores: Ignores::default(),
        }
        .run(&rel)?
    } else {
        listings
            .walked
            .store(true, std::sync::atomic::Ordering::Relaxed);
        walk(root, &real_root, &rel, excludes)?
    };
    if found.is_empty() {
        return Err(DiscoverError::NoMatch {
            pattern: pattern.to_string(),
        });
    }
    let mut found = found;
    found.sort();
    for (path, check) in &found {
        if *check {
            check_real(&real_root, path, pattern)?;
        }
    }
    Ok(found.into_iter().map(|(path, _)| path).collect())
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

/// What the directories listed by glob expansions hold, so that looking for a file in one
/// of them (a lockfile beside a manifest, `Directory.Build.props`) asks nothing more of the
/// file system. Shared by the threads that expand and read.
#[derive(Debug, Default)]
pub struct Listings {
    dirs: Mutex<FastMap<OsString, Listing>>,
    /// Every directory an expansion looked into (listed, or asked for a name), and every
    /// ignore file it read: what its answer depends on, besides the files it found.
    consulted: Mutex<Consulted>,
    /// Whether a `**` pattern was walked (what the walk looked at is not recorded).
    walked: std::sync::atomic::AtomicBool,
}

/// Directories looked into and files read, each file with its identity when reading it
/// took one.
#[derive(Debug, Default, Clone)]
pub struct Consulted {
    pub dirs: Vec<PathBuf>,
    pub files: Vec<(PathBuf, Option<crate::source::FileId>)>,
}

/// One directory's entries that are not directories.
#[derive(Debug, Default)]
struct Listing {
    files: FastSet<OsString>,
    links: FastSet<OsString>,
}

impl Listings {
    fn record(&self, dir: &Path, listing: Listing) {
        self.dirs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(dir.as_os_str().to_os_string(), listing);
    }

    fn consulted(&self) -> std::sync::MutexGuard<'_, Consulted> {
        self.consulted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What the expansions depended on: `None` when a `**` pattern was walked.
    pub fn dependencies(&self) -> Option<Consulted> {
        (!self.walked.load(std::sync::atomic::Ordering::Relaxed))
            .then(|| std::mem::take(&mut *self.consulted()))
    }

    /// Whether `dir/name` is a file, when `dir` was listed and the answer needs no more
    /// (a symbolic link is followed by asking the file system).
    pub fn is_file(&self, dir: &Path, name: &str) -> Option<bool> {
        let dirs = self
            .dirs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let listing = dirs.get(dir.as_os_str())?;
        let name = std::ffi::OsStr::new(name);
        if listing.links.contains(name) {
            None
        } else {
            Some(listing.files.contains(name))
        }
    }
}

/// The `.gitignore` and `.ignore` files met by an expansion, by directory.
#[derive(Debug, Default)]
struct Ignores {
    by_dir: Mutex<HashMap<PathBuf, std::sync::Arc<ignore::gitignore::Gitignore>>>,
}

impl Ignores {
    /// Read the ignore files of `dir` (those of `names` that it holds).
    fn add(&self, dir: &Path, names: &[&str]) {
        if names.is_empty() {
            return;
        }
        let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
        // `.ignore` after `.gitignore`: its rules win, as ripgrep's do.
        for name in [".gitignore", ".ignore"] {
            if names.contains(&name) {
                let _ = builder.add(dir.join(name));
            }
        }
        if let Ok(matcher) = builder.build() {
            if !matcher.is_empty() {
                self.by_dir
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(dir.to_path_buf(), std::sync::Arc::new(matcher));
            }
        }
    }

    /// Whether the nearest ignore file with a say on `path` (inside `root`) ignores it.
    fn ignored(&self, root: &Path, path: &Path, is_dir: bool) -> bool {
        let by_dir = self
            .by_dir
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if by_dir.is_empty() {
            return false;
        }
        for dir in path.ancestors().skip(1) {
            if let Some(matcher) = by_dir.get(dir) {
                match matcher.matched(path, is_dir) {
                    ignore::Match::Ignore(_) => return true,
                    ignore::Match::Whitelist(_) => return false,
                    ignore::Match::None => {}
                }
            }
            if dir == root {
                break;
            }
        }
        false
    }
}

/// A glob expanded one path component at a time: a literal component is joined without
/// asking the file system, a wildcard component lists the directories reached so far.
/// Nothing below the last directory a wildcard needs is listed: `packages/*/package.json`
/// lists `packages` once and asks each `packages/<name>/package.json` whether it is there,
/// where a walk would list every package directory (and look for ignore files in each).
///
/// As [`walk`]: hidden entries and [`PRUNED_DIRS`] are skipped, links to directories are not
/// followed, `.gitignore` and `.ignore` files are honoured in the root, in the directories
/// down to the pattern's literal start, in every directory listed and in every directory
/// gone through by name. (An ignore file in the directory of a literal file name —
/// `packages/a/.gitignore` for `packages/*/package.json` — is not looked for.)
struct Expansion<'a> {
    root: &'a Path,
    real_root: &'a Path,
    excludes: &'a Excludes,
    /// The whole pattern, for the final say on a file.
    matcher: &'a globset::GlobMatcher,
    listings: &'a Listings,
    ignores: Ignores,
}

impl Expansion<'_> {
    fn run(&self, rel: &str) -> Result<Vec<(PathBuf, bool)>, DiscoverError> {
        let parts: Vec<&str> = rel.split('/').collect();
        let literal = parts.iter().take_while(|part| !is_glob(part)).count();
        let start = self.root.join(parts[..literal].join("/"));
        if !start.is_dir() {
            return Ok(Vec::new());
        }
        // Below `start` no link is followed, so a file that is not a link is where its real
        // directory is: inside the root when `start` really is.
        let start_inside = start
            .canonicalize()
            .is_ok_and(|real| real.starts_with(self.real_root));
        let mut dir = self.root.to_path_buf();
        for part in std::iter::once("").chain(parts[..literal].iter().copied()) {
            dir.push(part);
            self.probe_ignore_files(&dir);
            self.listings.consulted().dirs.push(dir.clone());
        }
        let mut current = vec![start];
        let rest = &parts[literal..];
        for (index, part) in rest.iter().enumerate() {
            let last = index + 1 == rest.len();
            self.listings
                .consulted()
                .dirs
                .extend(current.iter().cloned());
            if last && !is_glob(part) {
                let found = crate::par::map(&current, |dir| self.probe(&dir.join(part)));
                return Ok(found
                    .into_iter()
                    .flatten()
                    .map(|(path, link)| (path, link || !start_inside))
                    .collect());
            }
            if !is_glob(part) {
                // Going on through `dir` by name: its ignore files have their say below.
                crate::par::map(&current, |dir| self.probe_ignore_files(dir));
                current = current
                    .into_iter()
                    .map(|dir| dir.join(part))
                    .filter(|dir| !self.ignores.ignored(self.root, dir, true))
                    .collect();
                continue;
            }
            let matcher = glob(part)?.compile_matcher();
            let listed = crate::par::map(&current, |dir| self.list(dir, &matcher, last));
            if last {
                return Ok(listed
                    .into_iter()
                    .flatten()
                    .map(|(path, link)| (path, link || !start_inside))
                    .collect());
            }
            current = listed.into_iter().flatten().map(|(path, _)| path).collect();
        }
        Ok(Vec::new())
    }

    /// Read the ignore files `dir` holds, asking for each by name.
    fn probe_ignore_files(&self, dir: &Path) {
        let names: Vec<&str> = [".gitignore", ".ignore"]
            .into_iter()
            .filter(|name| dir.join(name).is_file())
            .collect();
        self.add_ignore_files(dir, &names);
    }

    fn add_ignore_files(&self, dir: &Path, names: &[&str]) {
        if !names.is_empty() {
            self.listings
                .consulted()
                .files
                .extend(names.iter().map(|name| (dir.join(name), None)));
            self.ignores.add(dir, names);
        }
    }

    /// `path`, a file the pattern names literally, when it is there (or a link) and
    /// matched; with whether it is a link.
    fn probe(&self, path: &Path) -> Option<(PathBuf, bool)> {
        let kind = entries::kind(path)?;
        matches!(kind, Kind::File | Kind::Link)
            .then(|| self.keep(path, false))
            .flatten()
            .map(|path| (path, kind == Kind::Link))
    }

    /// The entries of `dir` whose name matches `part`: directories (to go on from), or for
    /// the last component files and links; with whether each is a link.
    fn list(&self, dir: &Path, part: &globset::GlobMatcher, last: bool) -> Vec<(PathBuf, bool)> {
        let mut listing = Listing::default();
        let mut candidates = Vec::new();
        let mut ignore_files = Vec::new();
        let listed = entries::each_entry(dir, |name, kind| {
            match kind {
                Kind::Link => {
                    listing.links.insert(name.to_os_string());
                }
                Kind::File | Kind::Other => {
                    listing.files.insert(name.to_os_string());
                }
                Kind::Dir => {}
            }
            let Some(text) = name.to_str() else {
                return;
            };
            if text.starts_with('.') {
                if kind == Kind::File && (text == ".gitignore" || text == ".ignore") {
                    ignore_files.push(if text == ".gitignore" {
                        ".gitignore"
                    } else {
                        ".ignore"
                    });
                }
                return;
            }
            let wanted = if last {
                matches!(kind, Kind::File | Kind::Link)
            } else {
                kind == Kind::Dir && !PRUNED_DIRS.contains(&text)
            };
            if wanted && part.is_match(text) {
                candidates.push((dir.join(name), kind == Kind::Link));
            }
        });
        if listed.is_err() {
            // Not listed (or not whole): nothing recorded, nothing found, as for a directory
            // that is not there.
            return Vec::new();
        }
        self.listings.record(dir, listing);
        self.add_ignore_files(dir, &ignore_files);
        candidates
            .into_iter()
            .filter_map(|(path, link)| {
                if last {
                    self.keep(&path, false).map(|path| (path, link))
                } else {
                    (!self.ignores.ignored(self.root, &path, true)).then_some((path, link))
                }
            })
            .collect()
    }

    /// `path` when the whole pattern matches it and nothing excludes or ignores it.
    fn keep(&self, path: &Path, is_dir: bool) -> Option<PathBuf> {
        let rel = path.strip_prefix(self.root).ok()?;
        let rel_text = slash_path(rel);
        (self.matcher.is_match(rel_text.as_ref())
            && !self.excludes.matches(&rel_text)
            && !self.ignores.ignored(self.root, path, is_dir))
        .then(|| path.to_path_buf())
    }
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
            let path = entry.path();
            let Ok(rel_path) = path.strip_prefix(root) else {
                return ignore::WalkState::Continue;
            };
            let rel_text = slash_path(rel_path);
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
fn slash_path(rel: &Path) -> std::borrow::Cow<'_, str> {
    match rel.to_str() {
        Some(text) if std::path::MAIN_SEPARATOR == '/' => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        ),
    }
}

/// Refuse a path whose real location (links resolved) is outside `root`.
pub fn check_inside(root: &Path, path: &Path, pattern: &str) -> Result<(), DiscoverError> {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    check_real(&real_root, path, pattern)
}

/// [`check_inside`] with the root's real location known.
fn check_real(real_root: &Path, path: &Path, pattern: &str) -> Result<(), DiscoverError> {
    match path.canonicalize() {
        Ok(real) if !real.starts_with(real_root) => Err(DiscoverError::LinkEscapes {
            pattern: pattern.to_string(),
            path: path.display().to_string(),
            target: real.display().to_string(),
        }),
        _ => Ok(()),
    }
}

/// [`nearest`], remembering each directory's answer: sibling manifests share their
/// ancestors, so each directory is asked about each name once, and a directory a glob
/// listed is not asked at all. Shared by the threads that read files.
#[derive(Debug, Default)]
pub struct Nearest {
    /// For each name asked about, the answer for each directory asked (looked up by the
    /// directory's bytes, without building a key).
    known: Mutex<FastMap<&'static str, FastMap<OsString, Option<PathBuf>>>>,
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

    /// The listings it answered from, with what the expansions consulted.
    pub fn into_listings(self) -> Listings {
        self.listings
    }

    pub fn find(&self, root: &Path, dir: &Path, name: &'static str) -> Option<PathBuf> {
        let mut asked: Vec<&Path> = Vec::new();
        let mut answer = None;
        for d in dir.ancestors() {
            if !at_or_below(d, root) {
                break;
            }
            if let Some(known) = self
                .lock()
                .get(name)
                .and_then(|by_dir| by_dir.get(d.as_os_str()))
            {
                answer.clone_from(known);
                break;
            }
            asked.push(d);
            let is_file = match self.listings.is_file(d, name) {
                Some(listed) => listed,
                None => d.join(name).is_file(),
            };
            if is_file {
                answer = Some(d.join(name));
                break;
            }
        }
        if !asked.is_empty() {
            let mut known = self.lock();
            let by_dir = known.entry(name).or_default();
            for d in asked {
                by_dir.insert(d.as_os_str().to_os_string(), answer.clone());
            }
        }
        answer
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, FastMap<&'static str, FastMap<OsString, Option<PathBuf>>>> {
        // A panic while holding the lock cannot leave the map inconsistent: take it anyway.
        self.known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `path.starts_with(root)`, answered from the bytes when they tell (on Unix, a byte prefix
/// ending at a `/` is a prefix of the components): `Path::starts_with` parses both paths'
/// components, and was half of [`Nearest::find`]'s work.
fn at_or_below(path: &Path, root: &Path) -> bool {
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

/// The nearest file called `name` in `dir` or its ancestors, up to `root`.
pub fn nearest(root: &Path, dir: &Path, name: &str) -> Option<PathBuf> {
    dir.ancestors()
        .take_while(|d| d.starts_with(root))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests;
