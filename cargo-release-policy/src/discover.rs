//! Expanding `manifests` globs into files, inside the repository.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

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
    out
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
    let rel = repo_relative(root, base, pattern)?;
    // Each found path, and whether its real location must be checked on its own.
    let mut found: Vec<(PathBuf, bool)> = Vec::new();
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if is_glob(&rel) {
        let matcher = glob(&rel)?.compile_matcher();
        // Walk only below the literal part of the pattern, and no deeper than it reaches.
        let parts: Vec<&str> = rel.split('/').collect();
        let literal = parts.iter().take_while(|part| !is_glob(part)).count();
        let rest = &parts[literal..];
        let max_depth = (!rest.iter().any(|part| part.contains("**"))).then_some(rest.len());
        let start = root.join(parts[..literal].join("/"));
        if start.is_dir() {
            // Below `start` the walk follows no link, so a file that is not a link is where
            // its real directory is: inside the root when `start` really is.
            let start_inside = start
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&real_root));
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
            found = hits
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    } else {
        let path = root.join(&rel);
        if path.is_file() {
            found.push((path, true));
        }
    }
    if found.is_empty() {
        return Err(DiscoverError::NoMatch {
            pattern: pattern.to_string(),
        });
    }
    found.sort();
    for (path, check) in &found {
        if *check {
            check_real(&real_root, path, pattern)?;
        }
    }
    Ok(found.into_iter().map(|(path, _)| path).collect())
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
/// ancestors, so each directory is asked about each name once. Shared by the threads that
/// read files.
#[derive(Debug, Default)]
pub struct Nearest {
    known: Mutex<HashMap<(OsString, &'static str), Option<PathBuf>>>,
}

impl Nearest {
    pub fn find(&self, root: &Path, dir: &Path, name: &'static str) -> Option<PathBuf> {
        let mut asked = Vec::new();
        let mut answer = None;
        for d in dir.ancestors().take_while(|d| d.starts_with(root)) {
            let key = (d.as_os_str().to_os_string(), name);
            if let Some(known) = self.lock().get(&key) {
                answer.clone_from(known);
                break;
            }
            asked.push(key);
            let path = d.join(name);
            if path.is_file() {
                answer = Some(path);
                break;
            }
        }
        let mut known = self.lock();
        for key in asked {
            known.insert(key, answer.clone());
        }
        answer
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(OsString, &'static str), Option<PathBuf>>> {
        // A panic while holding the lock cannot leave the map inconsistent: take it anyway.
        self.known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The nearest file called `name` in `dir` or its ancestors, up to `root`.
pub fn nearest(root: &Path, dir: &Path, name: &str) -> Option<PathBuf> {
    dir.ancestors()
        .take_while(|d| d.starts_with(root))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(
            normalize(Path::new("/r/crates/x/../../b/p.json")),
            Path::new("/r/b/p.json")
        );
        assert_eq!(normalize(Path::new("/r/./a")), Path::new("/r/a"));
    }

    #[test]
    fn globs_and_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for p in [
            "npm/a/package.json",
            "npm/b/package.json",
            "npm/b/node_modules/x/package.json",
            "x/package.json",
        ] {
            std::fs::create_dir_all(root.join(p).parent().unwrap()).unwrap();
            std::fs::write(root.join(p), "{}").unwrap();
        }
        let none = Excludes::new(root, root, &[]).unwrap();
        let got = expand(root, root, "npm/*/package.json", &none).unwrap();
        assert_eq!(
            got,
            vec![
                root.join("npm/a/package.json"),
                root.join("npm/b/package.json")
            ]
        );
        let all = expand(root, root, "**/package.json", &none).unwrap();
        assert_eq!(all.len(), 3, "node_modules is never searched: {all:?}");
        let excl = Excludes::new(root, root, &["npm/b/**".to_string()]).unwrap();
        assert_eq!(
            expand(root, root, "npm/*/package.json", &excl)
                .unwrap()
                .len(),
            1
        );
        assert!(matches!(
            expand(root, root, "nope/*.json", &none),
            Err(DiscoverError::NoMatch { .. })
        ));
        assert!(matches!(
            expand(root, root, "nope.json", &none),
            Err(DiscoverError::NoMatch { .. })
        ));
        assert!(matches!(
            expand(root, &root.join("npm"), "../../x.json", &none),
            Err(DiscoverError::Escapes { .. })
        ));
        assert_eq!(
            expand(root, &root.join("npm/a"), "../../x/package.json", &none)
                .unwrap()
                .len(),
            1
        );
    }
}
