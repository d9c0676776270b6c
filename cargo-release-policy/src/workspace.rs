//! Finding the Cargo workspace: its root, its members and the repository around it.
//!
//! `check` runs on every commit, and `cargo metadata --no-deps` alone costs more than the
//! whole of `check` may. So [`Workspace::load`] resolves the members from the manifests
//! directly ([`Workspace::resolve`]), following cargo's own rules (`cargo/src/cargo/core/
//! workspace.rs`: `find_root`, `find_members`, `find_path_deps`, `validate_members`):
//!
//! * the root is the manifest itself when it has `[workspace]`, else the nearest ancestor
//!   `Cargo.toml` with a `[workspace]` that does not exclude it, else the package is alone;
//! * the members are the directories `[workspace] members` names (globs expanded), the root
//!   package, and, transitively, every path dependency of a member (all dependency tables,
//!   `[target.*]` ones and `workspace = true` ones included) that lies inside the root's
//!   directory — except what `exclude` names, unless `members` names it too;
//! * every member must find this root as its own (a nested workspace reached from here, or a
//!   member outside the root's directory, is cargo's error, not ours to judge).
//!
//! Whatever it does not handle — a `package.workspace` pointer, globs beyond `*` and `?`, a
//! manifest that does not parse, a member that is missing, two members with one name, … —
//! makes it give up with a [`Fallback`] naming why, and `cargo metadata --no-deps --offline`
//! decides instead (and reports cargo's own error when there is one). The test
//! `tests/oracle_workspace.rs` proves both agree.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use cargo_metadata::MetadataCommand;
use toml_edit::{Document, Item, TableLike};

use policy_schema::{ManifestPolicies, PolicyError};

use crate::discover::normalize;
use crate::editor::{cargo_toml, EditorError, Reading};
use crate::fxhash::FastMap;
use crate::source::{self, Stamp};

/// The Cargo workspace the tool works on.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The repository root: the nearest ancestor of the workspace root holding `.git`, or the
    /// workspace root itself. No manifest may lie outside it.
    pub repo_root: PathBuf,
    /// The directory of the workspace's root `Cargo.toml` (absolute).
    pub root: PathBuf,
    /// The root `Cargo.toml` (absolute).
    pub root_manifest: PathBuf,
    /// Every member's `Cargo.toml` (absolute), the root's first when it is a package.
    pub members: Vec<PathBuf>,
    /// The root and member manifests as the resolution read them, so that each is read
    /// and parsed once: [`Workspace::take_preread`].
    prereads: HashMap<OsString, Preread>,
    /// Every `Cargo.toml` the resolution read (members, the root, path dependencies,
    /// candidate roots above), when it resolved from the manifests; `None` when `cargo
    /// metadata` did (what cargo read is not known).
    pub read: Option<Vec<(PathBuf, Stamp)>>,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("could not find `Cargo.toml` in `{dir}` or any parent directory")]
    NotFound { dir: String },
    #[error("`cargo metadata` failed for `{manifest}`:\n{message}")]
    Metadata { manifest: String, message: String },
}

/// Why [`Workspace::resolve`] left the workspace to `cargo metadata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback(pub String);

fn fallback<T>(why: impl Into<String>) -> Result<T, Fallback> {
    Err(Fallback(why.into()))
}

impl Workspace {
    /// Load the workspace holding `manifest_path`, or the one cargo finds from the current
    /// directory: from the manifests when [`Workspace::resolve`] can, else with
    /// `cargo metadata --no-deps --offline`.
    pub fn load(manifest_path: Option<&Path>) -> Result<Workspace, WorkspaceError> {
        let manifest = match manifest_path {
            Some(path) => path.to_path_buf(),
            None => find_manifest()?,
        };
        match Workspace::resolve(&manifest) {
            Ok(workspace) => Ok(workspace),
            Err(Fallback(_)) => Workspace::from_metadata(&manifest),
        }
    }

    /// The workspace holding `manifest`, resolved from the manifests alone (see the module
    /// documentation), or why not.
    pub fn resolve(manifest: &Path) -> Result<Workspace, Fallback> {
        let Ok(cwd) = std::env::current_dir() else {
            return fallback("no current directory");
        };
        // As cargo takes `--manifest-path`: joined to the current directory, `.`/`..` resolved.
        let manifest = normalize(&cwd.join(manifest));
        if manifest.file_name().is_none_or(|n| n != "Cargo.toml") {
            // cargo refuses it, or reads it as a single-file package (cargo-script).
            return fallback("the manifest is not named `Cargo.toml`");
        }
        if cargo_home(&cwd).is_some_and(|home| manifest.starts_with(home)) {
            // cargo stops looking for a workspace root at `CARGO_HOME`.
            return fallback("the manifest is inside `CARGO_HOME`");
        }
        let mut resolver = Resolver::default();
        let root_manifest = if let Some(root) = resolver.find_root(&manifest)? {
            root
        } else {
            if resolver.load(&manifest)?.workspace.is_some() {
                // A `[workspace]` that excludes its own manifest.
                return fallback("the manifest's workspace excludes it");
            }
            manifest.clone()
        };
        let root = parent(&root_manifest).to_path_buf();
        let members = if let Some(config) = resolver.load(&root_manifest)?.workspace.clone() {
            let ws = Members {
                root: &root,
                root_manifest: &root_manifest,
                config: &config,
            };
            let members = resolver.members(&ws)?;
            if root_manifest == manifest {
                Resolver::check_default_members(&ws, &members)?;
            }
            resolver.validate(&ws, &members)?;
            members
        } else {
            // No workspace: the package alone, without its path dependencies.
            if resolver.load(&manifest)?.package.is_none() {
                return fallback("a virtual manifest without `[workspace]`");
            }
            vec![manifest.clone()]
        };
        let mut packages: Vec<PathBuf> = Vec::with_capacity(members.len());
        for member in members {
            if resolver.load(&member)?.package.is_some() {
                packages.push(member);
            }
        }
        packages.sort_by(|a, b| (a != &root_manifest, a).cmp(&(b != &root_manifest, b)));
        let read = resolver
            .manifests
            .iter()
            .map(|(path, manifest)| (PathBuf::from(path.clone()), manifest.preread.stamp))
            .collect();
        let mut prereads = HashMap::with_capacity(packages.len() + 1);
        for path in packages.iter().chain([&root_manifest]) {
            if let Some(read) = resolver.manifests.remove(path.as_os_str()) {
                prereads.insert(path.clone().into_os_string(), read.preread);
            }
        }
        Ok(Workspace {
            repo_root: repo_root(&root),
            root,
            root_manifest,
            members: packages,
            prereads,
            read: Some(read),
        })
    }

    /// The workspace holding `manifest`, as `cargo metadata --no-deps --offline` reports it.
    pub fn from_metadata(manifest: &Path) -> Result<Workspace, WorkspaceError> {
        let mut command = MetadataCommand::new();
        command
            .manifest_path(manifest)
            .no_deps()
            .other_options(vec!["--offline".to_string()]);
        let metadata = command.exec().map_err(|e| WorkspaceError::Metadata {
            manifest: manifest.display().to_string(),
            message: match e {
                cargo_metadata::Error::CargoMetadata { stderr } => stderr.trim_end().to_string(),
                other => other.to_string(),
            },
        })?;
        let root: PathBuf = metadata.workspace_root.clone().into();
        let root_manifest = root.join("Cargo.toml");
        let mut members: Vec<PathBuf> = metadata
            .workspace_packages()
            .iter()
            .map(|p| p.manifest_path.clone().into())
            .collect();
        members.sort_by_key(|m: &PathBuf| (m != &root_manifest, m.clone()));
        Ok(Workspace {
            repo_root: repo_root(&root),
            root,
            root_manifest,
            members,
            prereads: HashMap::new(),
            read: None,
        })
    }

    /// A manifest the resolution already read and parsed (handed over, not copied).
    pub fn take_preread(&mut self, abs: &Path) -> Option<Preread> {
        self.prereads.remove(abs.as_os_str())
    }

    /// How `abs` is shown and keyed: relative to the workspace root, with `/` separators
    /// (`../bindings/node/package.json` for a file beside a workspace in `rust/`).
    pub fn relative(&self, abs: &Path) -> String {
        relative_to(&self.root, abs)
    }
}

/// `abs` relative to the directory `base` (both absolute), with `/` separators and `..`
/// where `abs` is not below `base`.
pub fn relative_to(base: &Path, abs: &Path) -> String {
    // The common case, without collecting components: `abs` is below `base`, both
    // normalized.
    if let (Some(base_text), Some(abs_text)) = (base.to_str(), abs.to_str()) {
        if let Some(rest) = abs_text
            .strip_prefix(base_text)
            .and_then(|rest| rest.strip_prefix('/'))
        {
            if !base_text.ends_with('/')
                && rest
                    .split('/')
                    .all(|part| !part.is_empty() && part != "." && part != "..")
            {
                return rest.to_string();
            }
        }
    }
    let base: Vec<_> = base.components().collect();
    let target: Vec<_> = abs.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

fn find_manifest() -> Result<PathBuf, WorkspaceError> {
    let cwd = std::env::current_dir().map_err(|_| WorkspaceError::NotFound {
        dir: ".".to_string(),
    })?;
    cwd.ancestors()
        .map(|dir| dir.join("Cargo.toml"))
        .find(|path| path.is_file())
        .ok_or_else(|| WorkspaceError::NotFound {
            dir: cwd.display().to_string(),
        })
}

/// The nearest ancestor of `dir` with a `.git` entry, or `dir`.
fn repo_root(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// `CARGO_HOME` as cargo finds it.
fn cargo_home(cwd: &Path) -> Option<PathBuf> {
    match std::env::var_os("CARGO_HOME") {
        Some(home) if !home.is_empty() => Some(cwd.join(home)),
        _ => std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")),
    }
}

fn parent(manifest: &Path) -> &Path {
    manifest.parent().unwrap_or(Path::new("/"))
}

/// A Cargo manifest the workspace resolution read, parsed once for everything the tool
/// needs of it: the editor's reading and the policy tables, handed to [`crate::repo`].
#[derive(Debug, Clone)]
pub struct Preread {
    pub text: String,
    pub stamp: Stamp,
    pub reading: Result<Reading, EditorError>,
    pub policies: Result<ManifestPolicies, PolicyError>,
}

/// A manifest as far as membership goes, and what else its one parse gave.
#[derive(Debug)]
struct Manifest {
    preread: Preread,
    workspace: Option<RootConfig>,
    /// `[package]`: its `name`.
    package: Option<String>,
    /// `package.workspace = "…"`: the root is where it says.
    points_to_root: bool,
    /// Where each dependency's directory is said to be.
    dependencies: Vec<DependencyPath>,
}

#[derive(Debug, Clone)]
enum DependencyPath {
    /// `path = "…"`, relative to the manifest's directory.
    Path(String),
    /// `name = { workspace = true }`: the root's `[workspace.dependencies]` entry decides.
    Inherited(String),
}

/// `[workspace]`.
#[derive(Debug, Clone, Default)]
struct RootConfig {
    members: Option<Vec<String>>,
    default_members: Option<Vec<String>>,
    exclude: Vec<String>,
    /// `[workspace.dependencies]`: each entry's `path`, when it has one.
    dependencies: HashMap<String, Option<String>>,
}

impl RootConfig {
    /// cargo's `WorkspaceRootConfig::is_excluded`: below an `exclude` entry and below no
    /// `members` entry (both joined to the root as written, globs not expanded).
    fn is_excluded(&self, root: &Path, manifest: &Path) -> bool {
        let excluded = self
            .exclude
            .iter()
            .any(|ex| manifest.starts_with(root.join(ex)));
        let explicit = self
            .members
            .iter()
            .flatten()
            .any(|mem| manifest.starts_with(root.join(mem)));
        excluded && !explicit
    }
}

/// The workspace whose members are being found.
struct Members<'a> {
    root: &'a Path,
    root_manifest: &'a Path,
    config: &'a RootConfig,
}

/// Every manifest read once, and every `exists` asked once.
#[derive(Debug, Default)]
struct Resolver {
    /// Keyed by the (normalized) path's bytes: hashing a `Path` walks its components.
    manifests: FastMap<OsString, Manifest>,
    exists: FastMap<OsString, bool>,
}

impl Resolver {
    fn load(&mut self, path: &Path) -> Result<&Manifest, Fallback> {
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
    fn find_root(&mut self, manifest: &Path) -> Result<Option<PathBuf>, Fallback> {
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
    fn members(&mut self, ws: &Members<'_>) -> Result<Vec<PathBuf>, Fallback> {
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
    fn check_default_members(ws: &Members<'_>, members: &[PathBuf]) -> Result<(), Fallback> {
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
    fn validate(&mut self, ws: &Members<'_>, members: &[PathBuf]) -> Result<(), Fallback> {
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

fn read_manifest(path: &Path) -> Result<Manifest, Fallback> {
    let shown = path.display().to_string();
    let Ok((text, stamp)) = source::read_text(path, &shown) else {
        return fallback(format!("cannot read `{shown}`"));
    };
    parse(&shown, text, stamp)
}

/// Parse a manifest once: the editor's reading, the policy tables, and what membership
/// needs (`[workspace]`, `[package] name`, the paths of its dependencies). Anything cargo
/// would reject falls back to cargo.
fn parse(shown: &str, text: String, stamp: Stamp) -> Result<Manifest, Fallback> {
    let (reading, also) = cargo_toml::read_with(&text, |doc| {
        let policies = if text.starts_with('\u{feff}') {
            // Policy spans count the BOM; the shared document is parsed without it.
            policy_schema::parse_policies(&text)
        } else {
            policy_schema::policies_of_document(doc)
        };
        (membership(shown, doc), policies)
    });
    let Some((membership, policies)) = also else {
        return fallback(format!("`{shown}` does not parse"));
    };
    let membership = membership?;
    Ok(Manifest {
        preread: Preread {
            text,
            stamp,
            reading,
            policies,
        },
        workspace: membership.workspace,
        package: membership.package,
        points_to_root: membership.points_to_root,
        dependencies: membership.dependencies,
    })
}

/// What makes a manifest a member, or a root.
struct Membership {
    workspace: Option<RootConfig>,
    package: Option<String>,
    points_to_root: bool,
    dependencies: Vec<DependencyPath>,
}

fn membership(shown: &str, doc: &Document<&str>) -> Result<Membership, Fallback> {
    let top = doc.as_table();
    if top.contains_key("project") {
        return fallback(format!("`{shown}` has a `[project]` table"));
    }
    let workspace = match top.get("workspace") {
        None => None,
        Some(item) => Some(root_config(shown, item)?),
    };
    let mut points_to_root = false;
    let package = match top.get("package") {
        None => None,
        Some(item) => {
            let Some(package) = item.as_table_like() else {
                return fallback(format!("`{shown}`: `package` is not a table"));
            };
            let Some(name) = package.get("name").and_then(Item::as_str) else {
                return fallback(format!("`{shown}` has no `package.name`"));
            };
            points_to_root = package.contains_key("workspace");
            Some(name.to_string())
        }
    };
    let mut dependencies = Vec::new();
    dependency_paths(shown, top, &mut dependencies)?;
    if let Some(targets) = top.get("target") {
        let Some(targets) = targets.as_table_like() else {
            return fallback(format!("`{shown}`: `target` is not a table"));
        };
        for (_, target) in targets.iter() {
            let Some(target) = target.as_table_like() else {
                return fallback(format!("`{shown}`: a `target` entry is not a table"));
            };
            dependency_paths(shown, target, &mut dependencies)?;
        }
    }
    Ok(Membership {
        workspace,
        package,
        points_to_root,
        dependencies,
    })
}

/// The dependency tables of a package or of a `[target.*]` table.
const DEPENDENCY_TABLES: [&str; 5] = [
    "dependencies",
    "dev-dependencies",
    "dev_dependencies",
    "build-dependencies",
    "build_dependencies",
];

fn dependency_paths(
    shown: &str,
    table: &dyn TableLike,
    out: &mut Vec<DependencyPath>,
) -> Result<(), Fallback> {
    for name in DEPENDENCY_TABLES {
        let Some(deps) = table.get(name) else {
            continue;
        };
        let Some(deps) = deps.as_table_like() else {
            return fallback(format!("`{shown}`: `{name}` is not a table"));
        };
        for (dep, spec) in deps.iter() {
            if spec.is_str() {
                continue;
            }
            let Some(spec) = spec.as_table_like() else {
                return fallback(format!(
                    "`{shown}`: dependency `{dep}` is neither a string nor a table"
                ));
            };
            let inherits = spec.get("workspace").and_then(Item::as_bool) == Some(true);
            match spec.get("path") {
                Some(path) => {
                    let Some(path) = path.as_str() else {
                        return fallback(format!(
                            "`{shown}`: the `path` of `{dep}` is not a string"
                        ));
                    };
                    if inherits || spec.contains_key("git") {
                        return fallback(format!(
                            "`{shown}`: `{dep}` has `path` with `workspace` or `git`"
                        ));
                    }
                    out.push(DependencyPath::Path(path.to_string()));
                }
                None if inherits => out.push(DependencyPath::Inherited(dep.to_string())),
                None => {}
            }
        }
    }
    Ok(())
}

fn strings(shown: &str, key: &str, item: Option<&Item>) -> Result<Option<Vec<String>>, Fallback> {
    let Some(item) = item else {
        return Ok(None);
    };
    let Some(array) = item.as_array() else {
        return fallback(format!("`{shown}`: `workspace.{key}` is not an array"));
    };
    let mut out = Vec::with_capacity(array.len());
    for value in array {
        let Some(text) = value.as_str() else {
            return fallback(format!("`{shown}`: `workspace.{key}` holds a non-string"));
        };
        out.push(text.to_string());
    }
    Ok(Some(out))
}

fn root_config(shown: &str, item: &Item) -> Result<RootConfig, Fallback> {
    let Some(table) = item.as_table_like() else {
        return fallback(format!("`{shown}`: `workspace` is not a table"));
    };
    let mut config = RootConfig {
        members: strings(shown, "members", table.get("members"))?,
        default_members: strings(shown, "default-members", table.get("default-members"))?,
        exclude: strings(shown, "exclude", table.get("exclude"))?.unwrap_or_default(),
        dependencies: HashMap::new(),
    };
    if let Some(deps) = table.get("dependencies") {
        let Some(deps) = deps.as_table_like() else {
            return fallback(format!(
                "`{shown}`: `workspace.dependencies` is not a table"
            ));
        };
        for (name, spec) in deps.iter() {
            let path = match spec.as_table_like().and_then(|s| s.get("path")) {
                None => None,
                Some(path) => match path.as_str() {
                    Some(path) => Some(path.to_string()),
                    None => {
                        return fallback(format!(
                        "`{shown}`: the `path` of `workspace.dependencies.{name}` is not a string"
                    ))
                    }
                },
            };
            config.dependencies.insert(name.to_string(), path);
        }
    }
    Ok(config)
}
