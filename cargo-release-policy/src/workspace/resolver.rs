//! Finding the members of a workspace as cargo does (`find_root`, `find_members`,
//! `find_path_deps`, `validate_members`), from the manifests read once.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use super::manifest::{read_manifest, DependencyPath, Manifest, RootConfig};
use super::{fallback, parent, Fallback};
use crate::discover::normalize;
use crate::fxhash::FastMap;

/// The workspace whose members are being found.
pub(super) struct Members<'a> {
    pub(super) root: &'a Path,
    pub(super) root_manifest: &'a Path,
    pub(super) config: &'a RootConfig,
}

/// Every manifest read once, and every `exists` asked once.
#[derive(Debug, Default)]
pub(super) struct Resolver {
    /// Keyed by the (normalized) path's bytes: hashing a `Path` walks its components.
    pub(super) manifests: FastMap<OsString, Manifest>,
    exists: FastMap<OsString, bool>,
}

impl Resolver {
    pub(super) fn load(&mut self, path: &Path) -> Result<&Manifest, Fallback> {
        if !self.manifests.contains_key(path.as_os_str()) {
            let manifest = read_manifest(path)?;
            self.manifests
                .insert(path.as_os_str().to_os_string(), manifest);
        }
        match self.manifests.get(path.as_os_str()) {
            Some(manifest) => Ok(manifest),
            None => fallback("unreachable: a manifest just read is missing"),
        }
    }

    fn exists(&mut self, path: &Path) -> bool {
        if let Some(&known) = self.exists.get(path.as_os_str()) {
            return known;
        }
        let exists = path.exists();
        self.exists.insert(path.as_os_str().to_os_string(), exists);
        exists
    }

    /// cargo's `find_root`: the root manifest of the workspace `manifest` belongs to.
    pub(super) fn find_root(&mut self, manifest: &Path) -> Result<Option<PathBuf>, Fallback> {
        if let Some(root) = self.root_of(manifest, manifest)? {
            return Ok(Some(root));
        }
        for dir in parent(manifest).ancestors().skip(1) {
            if dir.ends_with("target/package") {
                // cargo stops there (packaged crates are not workspace members).
                return fallback("the manifest is inside `target/package`");
            }
            let candidate = dir.join("Cargo.toml");
            if !self.exists(&candidate) {
                continue;
            }
            if let Some(root) = self.root_of(&candidate, manifest)? {
                return Ok(Some(root));
            }
        }
        Ok(None)
    }

    /// cargo's `WorkspaceConfig::get_ws_root`: `candidate` when it is a workspace root that
    /// does not exclude `member`.
    fn root_of(&mut self, candidate: &Path, member: &Path) -> Result<Option<PathBuf>, Fallback> {
        let loaded = self.load(candidate)?;
        if loaded.points_to_root {
            return fallback(format!(
                "`{}` sets `package.workspace`",
                candidate.display()
            ));
        }
        Ok(loaded
            .workspace
            .as_ref()
            .filter(|config| !config.is_excluded(parent(candidate), member))
            .map(|_| candidate.to_path_buf()))
    }

    /// cargo's `find_members` + `find_path_deps`: every member manifest, the root's included
    /// (even when virtual).
    pub(super) fn members(&mut self, ws: &Members<'_>) -> Result<Vec<PathBuf>, Fallback> {
        let mut members = Vec::new();
        let mut seen = HashSet::new();
        let listed = Self::expand(ws.root, ws.config.members.as_deref().unwrap_or_default())?;
        // Read and parse the listed members on all cores; the walk below finds them read.
        let read = crate::par::map(&listed, |dir| {
            let path = normalize(&dir.join("Cargo.toml"));
            let manifest = read_manifest(&path).ok();
            (path, manifest)
        });
        for (path, manifest) in read {
            if let Some(manifest) = manifest {
                self.manifests
                    .entry(path.into_os_string())
                    .or_insert(manifest);
            }
        }
        for dir in listed {
            self.find_path_deps(ws, dir.join("Cargo.toml"), false, &mut members, &mut seen)?;
        }
        self.find_path_deps(
            ws,
            ws.root_manifest.to_path_buf(),
            false,
            &mut members,
            &mut seen,
        )?;
        Ok(members)
    }

    fn find_path_deps(
        &mut self,
        ws: &Members<'_>,
        start: PathBuf,
        is_path_dep: bool,
        members: &mut Vec<PathBuf>,
        seen: &mut HashSet<OsString>,
    ) -> Result<(), Fallback> {
        let mut stack = vec![(start, is_path_dep)];
        while let Some((manifest, is_path_dep)) = stack.pop() {
            let manifest = normalize(&manifest);
            if seen.contains(manifest.as_os_str()) {
                continue;
            }
            if is_path_dep
                && !parent(&manifest).starts_with(ws.root)
                && self.find_root(&manifest)?.as_deref() != Some(ws.root_manifest)
            {
                // A path dependency outside the workspace: not a member, nor its own.
                continue;
            }
            if ws.config.is_excluded(ws.root, &manifest) {
                continue;
            }
            seen.insert(manifest.clone().into_os_string());
            members.push(manifest.clone());
            let loaded = self.load(&manifest)?;
            if loaded.package.is_none() {
                continue;
            }
            let dir = parent(&manifest).to_path_buf();
            for dependency in loaded.dependencies.clone() {
                let path = match dependency {
                    DependencyPath::Path(path) => dir.join(path),
                    DependencyPath::Inherited(name) => match ws.config.dependencies.get(&name) {
                        Some(Some(path)) => ws.root.join(path),
                        Some(None) => continue,
                        None => {
                            return fallback(format!(
                            "`{name}` in `{}` inherits a dependency the workspace does not declare",
                            manifest.display()
                        ))
                        }
                    },
                };
                stack.push((path.join("Cargo.toml"), true));
            }
        }
        Ok(())
    }

    /// The directories `patterns` (relative to `root`) name, as cargo's use of the `glob`
    /// crate finds them: a literal path as written (when it is not a file), a pattern's
    /// matching directories.
    fn expand(root: &Path, patterns: &[String]) -> Result<Vec<PathBuf>, Fallback> {
        let mut out = Vec::new();
        for pattern in patterns {
            let joined = root.join(pattern);
            let Some(text) = joined.to_str() else {
                return fallback(format!("`{}` is not UTF-8", joined.display()));
            };
            if !text.contains(['*', '?', '[']) {
                if !joined.exists() || joined.is_dir() {
                    out.push(joined);
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
            if !members.contains(&normalize(&dir).join("Cargo.toml")) {
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
        let mut names = HashSet::new();
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
    let entries = match std::fs::read_dir(dir) {
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
    found.sort();
    Ok(found)
}
