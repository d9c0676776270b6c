//! Reading a Cargo manifest once, for everything the tool needs of it: what makes it a
//! member or a root, the editor's reading and the policy tables.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use policy_schema::{ManifestPolicies, PolicyError};

use super::fallback::{fallback, Fallback};
use crate::load::expand::push_normalized;
use crate::load::source::{self, Stamp};
use release_policy_editor::toml_tree::{Item, Table};
use release_policy_editor::{cargo_toml, EditorError, Reading};

/// A Cargo manifest the workspace resolution read, parsed once for everything the tool
/// needs of it: the editor's reading and the policy tables, handed to the loading of the repository.
#[derive(Debug, Clone)]
pub struct Preread {
    pub text: String,
    pub stamp: Stamp,
    pub reading: Result<Reading, EditorError>,
    /// Boxed: more than a kilobyte, and moved into the repository's map.
    pub policies: Result<Box<ManifestPolicies>, PolicyError>,
}

/// A manifest as far as membership goes, and what else its one parse gave.
#[derive(Debug)]
pub(super) struct Manifest {
    /// Boxed, as is the root configuration: the resolver's map and the hand-over to the
    /// repository move manifests around (a `Manifest` was 1.6 KB inline, 72 bytes now).
    pub(super) preread: Box<Preread>,
    pub(super) workspace: Option<Box<RootConfig>>,
    /// `[package]`: its `name`.
    pub(super) package: Option<String>,
    /// `package.workspace = "…"`: the root is where it says.
    pub(super) points_to_root: bool,
    /// Where each dependency's manifest is said to be.
    pub(super) dependencies: Vec<DependencyPath>,
}

#[derive(Debug, Clone)]
pub(super) enum DependencyPath {
    /// `path = "…"`: the dependency's `Cargo.toml`, joined to the manifest's directory and
    /// normalized as the manifest is read (on all cores, for the listed members).
    Path(PathBuf),
    /// `name = { workspace = true }`: the root's `[workspace.dependencies]` entry decides.
    Inherited(String),
}

/// `[workspace]`.
#[derive(Debug, Clone, Default)]
pub(super) struct RootConfig {
    pub(super) members: Option<Vec<String>>,
    pub(super) default_members: Option<Vec<String>>,
    pub(super) exclude: Vec<String>,
    /// `[workspace.dependencies]`: each entry's `path`, when it has one.
    pub(super) dependencies: HashMap<String, Option<String>>,
}

impl RootConfig {
    /// cargo's `WorkspaceRootConfig::is_excluded`: below an `exclude` entry and below no
    /// `members` entry (both joined to the root as written, globs not expanded).
    pub(super) fn is_excluded(&self, root: &Path, manifest: &Path) -> bool {
        // The `members` entries are joined only for a manifest an `exclude` entry names:
        // asked of every member, and most workspaces exclude nothing.
        self.exclude
            .iter()
            .any(|ex| manifest.starts_with(root.join(ex)))
            && !self
                .members
                .iter()
                .flatten()
                .any(|mem| manifest.starts_with(root.join(mem)))
    }
}

pub(super) fn read_manifest(path: &Path) -> Result<Manifest, Fallback> {
    let shown = path.display().to_string();
    let Ok((text, stamp)) = source::read_text(path, &shown) else {
        return fallback(format!("cannot read `{shown}`"));
    };
    parse(path, &shown, text, stamp)
}

/// Parse a manifest once: the editor's reading, the policy tables, and what membership
/// needs (`[workspace]`, `[package] name`, the paths of its dependencies). Anything cargo
/// would reject falls back to cargo.
fn parse(path: &Path, shown: &str, text: String, stamp: Stamp) -> Result<Manifest, Fallback> {
    let (reading, also) = cargo_toml::read_with(&text, |root| {
        let policies = if has_policy_tables(root) {
            // `policy-schema` reads `toml_edit` documents: only the few manifests with a
            // policy table pay for one (its spans count a BOM, as the policies' must).
            policy_schema::parse_policies(&text)
        } else {
            Ok(ManifestPolicies::default())
        };
        (
            membership(shown, parent(path), root),
            policies.map(Box::new),
        )
    });
    let Some((membership, policies)) = also else {
        return fallback(format!("`{shown}` does not parse"));
    };
    let membership = membership?;
    Ok(Manifest {
        preread: Box::new(Preread {
            text,
            stamp,
            reading,
            policies,
        }),
        workspace: membership.workspace,
        package: membership.package,
        points_to_root: membership.points_to_root,
        dependencies: membership.dependencies,
    })
}

/// Whether `[workspace.metadata]` or `[package.metadata]` has a `release` or
/// `release-policy` entry: the tables `policy_schema::parse_policies` reads, which finds no
/// policy (`None` for both) without one.
fn has_policy_tables(root: &Table) -> bool {
    ["workspace", "package"].iter().any(|section| {
        root.get(section)
            .and_then(Item::as_table_like)
            .and_then(|s| s.get("metadata"))
            .and_then(Item::as_table_like)
            .is_some_and(|m| m.contains_key("release") || m.contains_key("release-policy"))
    })
}

/// What makes a manifest a member, or a root.
struct Membership {
    workspace: Option<Box<RootConfig>>,
    package: Option<String>,
    points_to_root: bool,
    dependencies: Vec<DependencyPath>,
}

fn membership(shown: &str, dir: &Path, top: &Table) -> Result<Membership, Fallback> {
    if top.contains_key("project") {
        return fallback(format!("`{shown}` has a `[project]` table"));
    }
    let workspace = match top.get("workspace") {
        None => None,
        Some(item) => Some(Box::new(root_config(shown, item)?)),
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
    dependency_paths(shown, dir, top, &mut dependencies)?;
    if let Some(targets) = top.get("target") {
        let Some(targets) = targets.as_table_like() else {
            return fallback(format!("`{shown}`: `target` is not a table"));
        };
        for (_, target) in targets.iter() {
            let Some(target) = target.as_table_like() else {
                return fallback(format!("`{shown}`: a `target` entry is not a table"));
            };
            dependency_paths(shown, dir, target, &mut dependencies)?;
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

/// The dependencies of `table` that name a path, or inherit one from the workspace; `dir`
/// is the manifest's directory.
fn dependency_paths(
    shown: &str,
    dir: &Path,
    table: &Table,
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
                    out.push(DependencyPath::Path(dependency_manifest(dir, path)));
                }
                None if inherits => out.push(DependencyPath::Inherited(dep.to_string())),
                None => {}
            }
        }
    }
    Ok(())
}

/// `normalize(dir/path/Cargo.toml)` for a normalized `dir`: only `path`'s components are
/// resolved (`normalize` rebuilds the whole path one component at a time, growing it as it
/// goes: most of the cost of reading a small manifest's membership).
fn dependency_manifest(dir: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    let mut out = PathBuf::with_capacity(dir.as_os_str().len() + path.as_os_str().len() + 12);
    out.push(dir);
    push_normalized(&mut out, path);
    out.push("Cargo.toml");
    out
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

/// The directory of `manifest`.
pub(super) fn parent(manifest: &Path) -> &Path {
    manifest.parent().unwrap_or(Path::new("/"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::load::expand::normalize;

    #[test]
    fn dependency_manifest_is_normalize() {
        for dir in ["/", "/ws", "/ws/crates/a"] {
            for path in [
                "../b",
                "../../libs/./util/",
                "sub",
                "./sub/../other",
                "../../../../..",
                "/abs/x",
                "/abs/../y",
                ".",
                "",
            ] {
                assert_eq!(
                    super::dependency_manifest(Path::new(dir), path),
                    normalize(&Path::new(dir).join(path).join("Cargo.toml")),
                    "{dir} + {path}"
                );
            }
        }
    }
}
