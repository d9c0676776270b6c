//! Finding the members of a workspace as cargo does (`find_root`, `find_members`,
//! `find_path_deps`, `validate_members`), from the manifests read once.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use super::fallback::{fallback, Fallback};
use super::manifest::{parent, read_manifest, DependencyPath, Manifest, RootConfig};
use crate::fast_map::{FastMap, FastSet};
use crate::load::expand::normalize;

/// The workspace whose members are being found.
pub(super) struct Members<'a> {
    pub(super) root: &'a Path,
    pub(super) root_manifest: &'a Path,
    pub(super) config: &'a RootConfig,
}

/// Every manifest read once, and every directory looked into once for a workspace root.
#[derive(Debug, Default)]
pub(super) struct Resolver {
    /// Keyed by the (normalized) path's bytes: hashing a `Path` walks its components.
    pub(super) manifests: FastMap<OsString, Manifest>,
    /// For each directory, the nearest `Cargo.toml` with `[workspace]` in it or above it:
    /// [`Resolver::nearest_workspace`].
    nearest: FastMap<OsString, Option<PathBuf>>,
}

impl Resolver {
    pub(super) fn load(&mut self, path: &Path) -> Result<&Manifest, Fallback> {
        self.load_mut(path).map(|manifest| &*manifest)
    }

    fn load_mut(&mut self, path: &Path) -> Result<&mut Manifest, Fallback> {
        if !self.manifests.contains_key(path.as_os_str()) {
            let manifest = read_manifest(path)?;
            self.manifests
                .insert(path.as_os_str().to_os_string(), manifest);
        }
        match self.manifests.get_mut(path.as_os_str()) {
            Some(manifest) => Ok(manifest),
            None => fallback("unreachable: a manifest just read is missing"),
        }
    }

    /// cargo's `find_root`: the root manifest of the workspace `manifest` belongs to — the
    /// manifest itself when it has a `[workspace]` that does not exclude it, else the nearest
    /// `Cargo.toml` above it with one that does not (`WorkspaceConfig::get_ws_root`).
    pub(super) fn find_root(&mut self, manifest: &Path) -> Result<Option<PathBuf>, Fallback> {
        let loaded = self.load(manifest)?;
        if loaded.points_to_root {
            return fallback(format!("`{}` sets `package.workspace`", manifest.display()));
        }
        if loaded
            .workspace
            .as_ref()
            .is_some_and(|config| !config.is_excluded(parent(manifest), manifest))
        {
            return Ok(Some(manifest.to_path_buf()));
        }
        let mut further_up: Option<PathBuf>;
        let mut above = parent(manifest).parent();
        while let Some(dir) = above {
            let Some(candidate) = self.nearest_workspace(dir)? else {
                return Ok(None);
            };
            let excluded = self
                .load(&candidate)?
                .workspace
                .as_ref()
                .is_some_and(|config| config.is_excluded(parent(&candidate), manifest));
            if !excluded {
                return Ok(Some(candidate));
            }
            // Excluded from that workspace: cargo looks further up.
            further_up = parent(&candidate).parent().map(Path::to_path_buf);
            above = further_up.as_deref();
        }
        Ok(None)
    }

    /// The nearest `Cargo.toml` with a `[workspace]` in `dir` or above it, whatever it
    /// excludes. Remembered for each directory: every member asks it of the same few.
    fn nearest_workspace(&mut self, dir: &Path) -> Result<Option<PathBuf>, Fallback> {
        if let Some(known) = self.nearest.get(dir.as_os_str()) {
            return Ok(known.clone());
        }
        if dir.ends_with("target/package") {
            // cargo stops there (packaged crates are not workspace members).
            return fallback("the manifest is inside `target/package`");
        }
        let candidate = dir.join("Cargo.toml");
        let found = if candidate.exists() && {
            let loaded = self.load(&candidate)?;
            if loaded.points_to_root {
                return fallback(format!(
                    "`{}` sets `package.workspace`",
                    candidate.display()
                ));
            }
            loaded.workspace.is_some()
        } {
            Some(candidate)
        } else {
            match dir.parent() {
                Some(up) => self.nearest_workspace(up)?,
                None => None,
            }
        };
        self.nearest
            .insert(dir.as_os_str().to_os_string(), found.clone());
        Ok(found)
    }

    /// cargo's `find_members` + `find_path_deps`: every member manifest, the root's included
    /// (even when virtual).
    pub(super) fn members(&mut self, ws: &Members<'_>) -> Result<Vec<PathBuf>, Fallback> {
        let mut members = Vec::new();
        let mut seen = FastSet::default();
        let listed = Self::expand(ws.root, ws.config.members.as_deref().unwrap_or_default())?;
        // Read and parse the listed members on all cores; the walk below finds them read.
        let read = crate::par::map(&listed, |dir| {
            let path = dir.join("Cargo.toml");
            let manifest = read_manifest(&path).ok();
            (path, manifest)
        });
        let mut starts = Vec::with_capacity(read.len() + 1);
        for (path, manifest) in read {
            if let Some(manifest) = manifest {
                self.manifests
                    .entry(path.as_os_str().to_os_string())
                    .or_insert(manifest);
            }
            starts.push(path);
        }
        starts.push(ws.root_manifest.to_path_buf());
        for start in starts {
            self.find_path_deps(ws, start, &mut members, &mut seen)?;
        }
        Ok(members)
    }

    /// The members `start` (a normalized manifest path) brings: itself, and its path
    /// dependencies inside the workspace, transitively.
    fn find_path_deps(
        &mut self,
        ws: &Members<'_>,
        start: PathBuf,
        members: &mut Vec<PathBuf>,
        seen: &mut FastSet<OsString>,
    ) -> Result<(), Fallback> {
        let mut stack = vec![(start, false)];
        while let Some((manifest, is_path_dep)) = stack.pop() {
            if seen.contains(manifest.as_os_str()) {
                continue;
            }
            if is_path_dep
                && !is_within(parent(&manifest), ws.root)
                && self.find_root(&manifest)?.as_deref() != Some(ws.root_manifest)
            {
                // A path dependency outside the workspace: not a member, nor its own.
                continue;
            }
            if ws.config.is_excluded(ws.root, &manifest) {
                continue;
            }
            seen.insert(manifest.as_os_str().to_os_string());
            let loaded = self.load_mut(&manifest)?;
            if loaded.package.is_some() {
                // Each manifest is walked once (`seen`): its dependencies move onto the stack.
                for dependency in std::mem::take(&mut loaded.dependencies) {
                    if let Some(path) = Self::manifest_of_dependency(ws, &manifest, dependency)? {
                        stack.push((path, true));
                    }
                }
            }
            members.push(manifest);
        }
        Ok(())
    }

    /// Where `dependency` of `manifest` has its `Cargo.toml` (normalized); `None` for one
    /// that inherits a `[workspace.dependencies]` entry without a path.
    fn manifest_of_dependency(
        ws: &Members<'_>,
        manifest: &Path,
        dependency: DependencyPath,
    ) -> Result<Option<PathBuf>, Fallback> {
        match dependency {
            DependencyPath::Path(path) => Ok(Some(path)),
            DependencyPath::Inherited(name) => match ws.config.dependencies.get(&name) {
                Some(Some(path)) => Ok(Some(normalize(&ws.root.join(path).join("Cargo.toml")))),
                Some(None) => Ok(None),
                None => fallback(format!(
                    "`{name}` in `{}` inherits a dependency the workspace does not declare",
                    manifest.display()
                )),
            },
        }
    }

    /// The directories `patterns` (relative to `root`, normalized) name, as cargo's use of
    /// the `glob` crate finds them: a literal path as written (when it is not a file), a
    /// pattern's matching directories. Normalized: a glob's components are names.
    fn expand(root: &Path, patterns: &[String]) -> Result<Vec<PathBuf>, Fallback> {
        let mut out = Vec::new();
        for pattern in patterns {
            let joined = root.join(pattern);
            let Some(text) = joined.to_str() else {
                return fallback(format!("`{}` is not UTF-8", joined.display()));
            };
            if !text.contains(['*', '?', '[']) {
                if !joined.exists() || joined.is_dir() {
                    out.push(normalize(&joined));
                }
                continue;
            }
            let found = expand_glob(root, pattern)?;
            if found.is_empty() {
                // cargo keeps the pattern itself as a path, and fails to load it.
                return fallback(format!("the member glob `{pattern}` matches nothing"));
            }
            out.extend(found);
        }
        Ok(out)
    }

    /// cargo errors when `default-members` names a directory that is not a member.
    pub(super) fn check_default_members(
        ws: &Members<'_>,
        members: &[PathBuf],
    ) -> Result<(), Fallback> {
        let Some(defaults) = &ws.config.default_members else {
            return Ok(());
        };
        for dir in Self::expand(ws.root, defaults)? {
            if !members.contains(&dir.join("Cargo.toml")) {
                return fallback(format!(
                    "`default-members` names `{}`, which is not a member",
                    dir.display()
                ));
            }
        }
        Ok(())
    }

    /// cargo's `validate_unique_names` and `validate_members`: one package per name, and
    /// every member finds this root as its own (neither a nested workspace's member, nor
    /// outside the root's directory).
    pub(super) fn validate(
        &mut self,
        ws: &Members<'_>,
        members: &[PathBuf],
    ) -> Result<(), Fallback> {
        let mut names = FastSet::default();
        for member in members {
            let loaded = self.load(member)?;
            if let Some(name) = loaded.package.clone() {
                if !names.insert(name.clone()) {
                    return fallback(format!("two members are named `{name}`"));
                }
            } else if member.as_path() != ws.root_manifest {
                return fallback(format!(
                    "the member `{}` is a virtual manifest",
                    member.display()
                ));
            }
            if self.find_root(member)?.as_deref() != Some(ws.root_manifest) {
                return fallback(format!(
                    "the member `{}` belongs to another workspace, or to none",
                    member.display()
                ));
            }
        }
        Ok(())
    }
}

/// The directories a pattern matches, one path component at a time. Only `*` and `?`
/// inside a component are handled: `**`, classes (`[…]`), `.`/`..` components and absolute
/// patterns fall back.
fn expand_glob(root: &Path, pattern: &str) -> Result<Vec<PathBuf>, Fallback> {
    if pattern.contains("**") || pattern.contains(['[', ']', '{', '}', '\\']) {
        return fallback(format!(
            "the member glob `{pattern}` uses more than `*` and `?`"
        ));
    }
    let mut current = vec![root.to_path_buf()];
    // Whether every path in `current` is known to be a directory (from the listing).
    let mut known_dirs = true;
    for component in Path::new(pattern).components() {
        let Component::Normal(part) = component else {
            return fallback(format!(
                "the member glob `{pattern}` has a `.`, `..` or absolute component"
            ));
        };
        let Some(part) = part.to_str() else {
            return fallback(format!("the member glob `{pattern}` is not UTF-8"));
        };
        if !part.contains(['*', '?']) {
            current = current.into_iter().map(|dir| dir.join(part)).collect();
            known_dirs = false;
            continue;
        }
        let Ok(glob) = globset::GlobBuilder::new(part)
            .literal_separator(true)
            .backslash_escape(false)
            .build()
        else {
            return fallback(format!("the member glob `{pattern}` does not parse"));
        };
        let matcher = glob.compile_matcher();
        let mut next = Vec::new();
        for dir in current {
            next.extend(matching_dirs(&dir, &matcher)?);
        }
        current = next;
        known_dirs = true;
    }
    if !known_dirs {
        // The `glob` crate yields only paths that exist; cargo keeps the directories.
        current.retain(|path| path.is_dir());
    }
    Ok(current)
}

/// The directories (links to directories included) in `dir` whose name `matcher` matches,
/// sorted; none when `dir` is not a directory.
fn matching_dirs(dir: &Path, matcher: &globset::GlobMatcher) -> Result<Vec<PathBuf>, Fallback> {
    let entries = match std::fs::read_dir(crate::fspath::os(dir)) {
        Ok(entries) => entries,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Vec::new())
        }
        Err(_) => return fallback(format!("cannot list `{}`", dir.display())),
    };
    let mut found = Vec::new();
    for entry in entries {
        let Ok(entry) = entry else {
            return fallback(format!("cannot list `{}`", dir.display()));
        };
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return fallback(format!("a name in `{}` is not UTF-8", dir.display()));
        };
        if !matcher.is_match(name) {
            continue;
        }
        let path = dir.join(name);
        let is_dir = match entry.file_type() {
            Ok(t) if t.is_symlink() => path.is_dir(),
            Ok(t) => t.is_dir(),
            Err(_) => path.is_dir(),
        };
        if is_dir {
            found.push(path);
        }
    }
    // All in `dir`: their bytes compare as their names, as the components would (which
    // `Path`'s order parses).
    found.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    Ok(found)
}

/// Whether `path` is `dir` or below it, both normalized ([`normalize`]).
// proof: `path` starts with `dir` and is not the same length, so it is longer and `path[dir.len()]`
// exists.
#[allow(clippy::indexing_slicing)]
fn is_within(path: &Path, dir: &Path) -> bool {
    if cfg!(unix) {
        // Normalized Unix paths have one `/` between components and none at the end: a
        // prefix of the bytes that ends at a separator is a prefix of the components
        // (which `Path::starts_with` parses, for each path dependency).
        let (path, dir) = (
            path.as_os_str().as_encoded_bytes(),
            dir.as_os_str().as_encoded_bytes(),
        );
        path.starts_with(dir)
            && (path.len() == dir.len() || dir.ends_with(b"/") || path[dir.len()] == b'/')
    } else {
        path.starts_with(dir)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn is_within_is_starts_with() {
        let paths = [
            "/", "/a", "/a/b", "/a/bc", "/a-b", "/a/b/c", "/ab", "/a/b-c", "/b",
        ];
        for path in paths {
            for dir in paths {
                assert_eq!(
                    super::is_within(Path::new(path), Path::new(dir)),
                    Path::new(path).starts_with(dir),
                    "{path} within {dir}"
                );
            }
        }
    }
}
