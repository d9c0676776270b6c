//! What a glob never matches: the `exclude` globs and the always-excluded directories.

use std::path::Path;

use globset::{Candidate, Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use super::error::ExpandError;
use super::paths::normalize;

/// Directories never searched by a glob: dependencies and build output. Matched by name in
/// [`always_excluded`]; the tests hold the two together.
#[cfg(test)]
pub const ALWAYS_EXCLUDED: [&str; 5] = [
    "**/node_modules/**",
    "**/target/**",
    "**/.git/**",
    "**/bin/**",
    "**/obj/**",
];

/// Directory names never descended into by a glob's walk: whatever is below them is
/// always excluded anyway (`.git` is hidden, and hidden entries are skipped).
pub(super) const PRUNED_DIRS: [&str; 4] = ["node_modules", "target", "bin", "obj"];

pub(super) fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

pub(super) fn glob(pattern: &str) -> Result<Glob, ExpandError> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| ExpandError::BadGlob {
            pattern: pattern.to_string(),
            message: e.kind().to_string(),
        })
}

/// Compiled `exclude` globs (relative to the repository root) plus the directories always excluded (dependencies and build output: `**/node_modules/**`, `**/target/**`, `**/.git/**`, `**/bin/**`, `**/obj/**`).
#[derive(Debug, Clone)]
pub struct Excludes {
    /// The `exclude` globs; `None` when there are none.
    set: Option<GlobSet>,
}

impl Excludes {
    /// `patterns` are relative to `base` (a directory inside `root`).
    pub fn new(root: &Path, base: &Path, patterns: &[String]) -> Result<Excludes, ExpandError> {
        if patterns.is_empty() {
            return Ok(Excludes { set: None });
        }
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let rel = repo_relative(root, base, pattern)?;
            builder.add(glob(&rel)?);
        }
        let set = builder.build().map_err(|e| ExpandError::BadGlob {
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

/// Whether the always-excluded globs match the `/`-separated `rel`: whether a directory of it
/// (a component but the last) has one of their names. Compared by name in one pass over the
/// bytes, where matching the five globs took a regular expression set per `manifests` entry
/// and a few hundred instructions per file found.
// proof: `start` is 0 or one past an earlier position `at` of `bytes`.
#[allow(clippy::indexing_slicing)]
pub(super) fn always_excluded(rel: &str) -> bool {
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
pub(super) fn repo_relative(
    root: &Path,
    base: &Path,
    pattern: &str,
) -> Result<String, ExpandError> {
    let joined = normalize(&base.join(pattern));
    let rel = joined
        .strip_prefix(root)
        .map_err(|_| ExpandError::Escapes {
            pattern: pattern.to_string(),
            root: root.display().to_string(),
        })?;
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/"))
}
