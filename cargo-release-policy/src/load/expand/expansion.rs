//! A glob expanded one path component at a time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::entries::{self, Kind};
use super::error::ExpandError;
use super::excludes::{glob, is_glob, Excludes, PRUNED_DIRS};
use super::inside::plainly_below;
use super::listings::{Listing, Listings};
use super::nearest;
use super::paths::{join_name, relative_text};

/// The `.gitignore` and `.ignore` files met by an expansion, by directory.
#[derive(Debug, Default)]
struct Ignores {
    by_dir: Mutex<HashMap<PathBuf, Arc<ignore::gitignore::Gitignore>>>,
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
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(dir.to_path_buf(), Arc::new(matcher));
            }
        }
    }

    /// Whether the nearest ignore file with a say on `path` (inside `root`) ignores it.
    fn ignored(&self, root: &Path, path: &Path, is_dir: bool) -> bool {
        let by_dir = self.by_dir.lock().unwrap_or_else(PoisonError::into_inner);
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

/// What [`Expansion::run`] found: paths, each with whether its real location must be
/// checked on its own, and whether they are still to be confirmed.
pub(super) struct Found {
    pub(super) paths: Vec<(PathBuf, bool)>,
    /// The paths join a literal file name to the directories reached, without asking
    /// whether each is there: whoever opens them says (`Expanded::confirm`).
    pub(super) unconfirmed: bool,
}

/// A glob expanded one path component at a time: a literal component is joined without
/// asking the file system, a wildcard component lists the directories reached so far.
/// Nothing below the last directory a wildcard needs is listed: `packages/*/package.json`
/// lists `packages` once and joins `package.json` to each `packages/<name>`, unconfirmed
/// (reading it says whether it is there), where a walk would list every package directory
/// (and look for ignore files in each).
///
/// As `walk` (in `expand.rs`): hidden entries and [`PRUNED_DIRS`] are skipped, `.gitignore` and `.ignore` files are honoured in the root, in the
/// directories down to the pattern's literal start, in every directory listed and in every
/// directory gone through by name. (An ignore file in the directory of a literal file name
/// — `packages/a/.gitignore` for `packages/*/package.json` — is not looked for.) Unlike
/// `walk`, a link to a directory that a wildcard matches is followed when it leads inside
/// the repository, and an error when it leads outside.
pub(super) struct Expansion<'a> {
    root: &'a Path,
    /// Whether `root` is [`nearest::plain`]: every path an expansion builds below it
    /// (names from listings and the normalized pattern's components) is then the root's
    /// bytes, a `/`, and its relative path.
    plain_root: bool,
    excludes: &'a Excludes,
    /// The whole pattern, for the final say on a file, when matching each component is
    /// not exactly the same.
    matcher: Option<globset::GlobMatcher>,
    listings: &'a Listings,
    ignores: Ignores,
}

impl<'a> Expansion<'a> {
    pub(super) fn new(
        root: &'a Path,
        excludes: &'a Excludes,
        matcher: Option<globset::GlobMatcher>,
        listings: &'a Listings,
    ) -> Expansion<'a> {
        Expansion {
            root,
            plain_root: nearest::plain(root),
            excludes,
            matcher,
            listings,
            ignores: Ignores::default(),
        }
    }

    // proof: `literal` counts leading parts of `parts` (`take_while`), so it is at most
    // `parts.len()`.
    #[allow(clippy::indexing_slicing)]
    pub(super) fn run(&self, rel: &str) -> Result<Found, ExpandError> {
        let none = Found {
            paths: Vec::new(),
            unconfirmed: false,
        };
        let parts: Vec<&str> = rel.split('/').collect();
        let literal = parts.iter().take_while(|part| !is_glob(part)).count();
        let start = self.root.join(parts[..literal].join("/"));
        // Below `start` no link is followed, so a file that is not a link is where its real
        // directory is: inside the root when `start` really is. That is so when no component
        // of `start` below the root is a link (one `lstat` each); else its real location
        // tells.
        let start_inside = match plainly_below(self.root, &start) {
            Some(Kind::Dir) => true,
            Some(_) => return Ok(none),
            None => {
                if !start.is_dir() {
                    return Ok(none);
                }
                let real_root = self.listings.real_root(self.root);
                start
                    .canonicalize()
                    .is_ok_and(|real| real.starts_with(&real_root))
            }
        };
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
            if last && !is_glob(part) {
                let paths = current
                    .iter()
                    .filter_map(|dir| {
                        let path = join_name(dir, part);
                        self.keep(&path, false).then_some((path, !start_inside))
                    })
                    .collect();
                self.listings.consulted().dirs.extend(current);
                return Ok(Found {
                    paths,
                    unconfirmed: true,
                });
            }
            if !is_glob(part) {
                // Going on through `dir` by name: its ignore files have their say below.
                crate::par::map(&current, |dir| self.probe_ignore_files(dir));
                let next = current
                    .iter()
                    .map(|dir| join_name(dir, part))
                    .filter(|dir| !self.ignores.ignored(self.root, dir, true))
                    .collect();
                self.listings.consulted().dirs.extend(current);
                current = next;
                continue;
            }
            let matcher = Component::new(part)?;
            let listed = crate::par::map(&current, |dir| {
                self.list(dir, &matcher, last, start_inside, rel)
            });
            self.listings.consulted().dirs.extend(current);
            let listed = listed.into_iter().collect::<Result<Vec<_>, _>>()?;
            if last {
                return Ok(Found {
                    paths: listed
                        .into_iter()
                        .flatten()
                        .map(|(path, link)| (path, link || !start_inside))
                        .collect(),
                    unconfirmed: false,
                });
            }
            current = listed.into_iter().flatten().map(|(path, _)| path).collect();
        }
        Ok(none)
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

    /// The entries of `dir` whose name matches `part`: directories (to go on from), or for
    /// the last component files and links; with whether each is a link.
    ///
    /// Nothing the component matches is dropped in silence: a name that is not UTF-8 (no
    /// pattern can name it, no manifest key can hold it) is an error naming it, and a link
    /// to a directory is followed when it leads inside the repository, an error when it
    /// leads outside.
    fn list(
        &self,
        dir: &Path,
        part: &Component,
        last: bool,
        inside: bool,
        pattern: &str,
    ) -> Result<Vec<(PathBuf, bool)>, ExpandError> {
        let mut listing = Listing {
            inside,
            ..Listing::default()
        };
        let mut candidates = Vec::new();
        let mut ignore_files = Vec::new();
        let mut problem = None;
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
                let lossy = name.to_string_lossy();
                let wanted = if last {
                    matches!(kind, Kind::File | Kind::Link)
                } else {
                    matches!(kind, Kind::Dir | Kind::Link)
                };
                if problem.is_none() && wanted && !lossy.starts_with('.') && part.is_match(&lossy) {
                    problem = Some(ExpandError::NotUtf8 {
                        pattern: pattern.to_string(),
                        path: self.shown(&join_name(dir, name)),
                    });
                }
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
                matches!(kind, Kind::Dir | Kind::Link) && !PRUNED_DIRS.contains(&text)
            };
            if wanted && part.is_match(text) {
                candidates.push((join_name(dir, name), kind == Kind::Link));
            }
        });
        if let Some(problem) = problem {
            return Err(problem);
        }
        if listed.is_err() {
            // Not listed (or not whole): nothing recorded, nothing found, as for a directory
            // that is not there.
            return Ok(Vec::new());
        }
        if !last {
            // A link among the directories: followed when it leads to a directory inside
            // the repository (the files below it are then inside too, but for links of
            // their own, which are checked), an error when it leads outside. A link to a
            // file, or to nothing, is no directory to go on from.
            let mut kept = Vec::with_capacity(candidates.len());
            for (path, link) in candidates {
                if !link {
                    kept.push((path, link));
                    continue;
                }
                if !path.is_dir() {
                    continue;
                }
                let real_root = self.listings.real_root(self.root);
                match path.canonicalize() {
                    Ok(real) if real.starts_with(&*real_root) => kept.push((path, link)),
                    Ok(real) => {
                        return Err(ExpandError::LinkEscapes {
                            pattern: pattern.to_string(),
                            path: self.shown(&path),
                            target: real.display().to_string(),
                        })
                    }
                    Err(_) => {}
                }
            }
            candidates = kept;
        }
        self.listings.record(dir, listing);
        self.add_ignore_files(dir, &ignore_files);
        candidates.retain(|(path, _)| {
            if last {
                self.keep(path, false)
            } else {
                !self.ignores.ignored(self.root, path, true)
            }
        });
        Ok(candidates)
    }

    /// `path` as an error names it: relative to the root, lossily when it is not UTF-8.
    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned()
    }

    /// Whether the whole pattern matches `path` and nothing excludes or ignores it.
    fn keep(&self, path: &Path, is_dir: bool) -> bool {
        let rel = if self.plain_root {
            path.as_os_str()
                .as_encoded_bytes()
                .strip_prefix(self.root.as_os_str().as_encoded_bytes())
                .and_then(|rest| rest.strip_prefix(b"/"))
                .and_then(|rest| std::str::from_utf8(rest).ok())
                .map(std::borrow::Cow::Borrowed)
        } else {
            relative_text(self.root, path)
        };
        let Some(rel) = rel else {
            return false;
        };
        self.matcher
            .as_ref()
            .is_none_or(|matcher| matcher.is_match(rel.as_ref()))
            && !self.excludes.matches(&rel)
            && !self.ignores.ignored(self.root, path, is_dir)
    }
}

/// A wildcard component of a pattern, matched against one name. The usual shapes (`*`,
/// `*.csproj`, `v*`) are answered from the text, where a glob matcher builds a candidate
/// (a copy of the name, its extension) for every name of every directory listed.
pub(super) enum Component {
    /// `*`: any name (hidden ones are skipped before matching).
    Any,
    /// `*<suffix>`.
    Suffix(String),
    /// `<prefix>*`.
    Prefix(String),
    Glob(globset::GlobMatcher),
}

impl Component {
    pub(super) fn new(part: &str) -> Result<Component, ExpandError> {
        let glob = glob(part)?;
        let literal = |text: &str| !text.contains(['*', '?', '[', ']', '{', '}', '\\']);
        Ok(if part == "*" {
            Component::Any
        } else if let Some(suffix) = part.strip_prefix('*').filter(|rest| literal(rest)) {
            Component::Suffix(suffix.to_string())
        } else if let Some(prefix) = part.strip_suffix('*').filter(|rest| literal(rest)) {
            Component::Prefix(prefix.to_string())
        } else {
            Component::Glob(glob.compile_matcher())
        })
    }

    pub(super) fn is_match(&self, name: &str) -> bool {
        match self {
            Component::Any => true,
            Component::Suffix(suffix) => name.ends_with(suffix.as_str()),
            Component::Prefix(prefix) => name.starts_with(prefix.as_str()),
            Component::Glob(matcher) => matcher.is_match(name),
        }
    }
}
