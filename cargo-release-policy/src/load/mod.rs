//! Loading everything once: the workspace, its policies, its groups and every file they name.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use policy_schema::{ManifestEntry, ManifestPolicies, Policy};

use crate::discover::{self};
use crate::editor::{FieldKind, FileKind, Note};
use crate::fxhash::FastMap;
use crate::group::{self, Group, WORKSPACE};
use crate::source::SourceFile;
use crate::version::Version;
use crate::workspace::Workspace;

mod discovery;
mod error;
mod patterns;
mod preload;

pub use error::{LoadError, Located};
pub use patterns::PatternUse;

/// The repository as read: the workspace, every file once, and the groups.
#[derive(Debug)]
pub struct Repo {
    pub workspace: Workspace,
    /// Every file read, keyed by its path relative to the workspace root.
    pub files: BTreeMap<String, Box<SourceFile>>,
    pub groups: Vec<Group>,
    /// The group whose version each file's own version fields follow (hashed: claiming a
    /// file is one lookup, on the one thread that claims them all).
    pub owners: FastMap<String, usize>,
    /// The pattern entries naming each [`FileKind::Text`] file, in the order they are listed
    /// (each with its own group: a README may spell the versions of two groups).
    pub patterns: BTreeMap<String, Vec<PatternUse>>,
    /// What the glob expansions looked into ([`Repo::dependencies`] adds the rest); `None`
    /// when that is not known (a `**` glob was walked).
    expanded: Option<discover::Consulted>,
}

/// One `manifests` entry with the Cargo.toml that lists it.
struct Entry {
    base: PathBuf,
    policy_file: String,
    origin: String,
    manifest: ManifestEntry,
}

impl Repo {
    /// Load the workspace at `manifest_path` (or found from the current directory).
    pub fn load(manifest_path: Option<&Path>) -> Result<Repo, LoadError> {
        crate::timing::phase("start");
        let workspace = Workspace::load(manifest_path)?;
        crate::timing::phase("workspace");
        let mut repo = Repo {
            workspace,
            files: BTreeMap::new(),
            groups: Vec::new(),
            owners: FastMap::default(),
            patterns: BTreeMap::new(),
            expanded: None,
        };
        let mut manifests = vec![repo.workspace.root_manifest.clone()];
        manifests.extend(repo.workspace.members.iter().cloned());
        manifests.dedup();
        let mut policies = BTreeMap::new();
        for abs in &manifests {
            let (key, parsed) = if let Some(pre) = repo.workspace.take_preread(abs) {
                // Read and parsed once, by the workspace resolution.
                let key = repo.workspace.relative(abs);
                let file = SourceFile::with_reading(
                    abs.clone(),
                    key.clone(),
                    (FileKind::CargoToml, Vec::new()),
                    pre.text,
                    pre.stamp,
                    pre.reading,
                )?;
                repo.files.insert(key.clone(), Box::new(file));
                (key, pre.policies)
            } else {
                let key = repo.add_file(abs, FileKind::CargoToml)?;
                let parsed = policy_schema::parse_policies(&repo.files[&key].text).map(Box::new);
                (key, parsed)
            };
            let file = &repo.files[&key];
            let parsed = parsed.map_err(|error| LoadError::Policy {
                at: Some(Located::new(&file.text, error.offset(), error.span.len())),
                path: key.clone(),
                error,
            })?;
            policies.insert(key, parsed);
        }
        let entries = repo.build_groups(&manifests, &policies)?;
        crate::timing::phase("groups");
        let listings = repo.discover(entries)?;
        repo.expanded = listings.dependencies();
        Ok(repo)
    }

    /// Every file loading read and every directory it looked into, the ancestors of each
    /// file included (a file appearing or vanishing changes its directory).
    ///
    /// For [`crate::cache`]; `None` when that is not known (the workspace came from `cargo
    /// metadata`, or a `**` glob was walked). Computed when asked: only a `check` that passes
    /// needs it.
    pub fn dependencies(&self) -> Option<discover::Consulted> {
        let mut consulted = self.expanded.clone()?;
        let read = self.workspace.read.as_ref()?;
        consulted
            .files
            .extend(read.iter().map(|(path, stamp)| (path.clone(), stamp.id)));
        consulted
            .files
            .extend(self.files.values().map(|f| (f.abs.clone(), f.stamp.id)));
        // Sorted and looked up by their bytes: comparing paths component by component cost
        // 15 % of a `check`.
        let mut files = consulted.files;
        files.sort_unstable_by(|(a, a_id), (b, b_id)| {
            (a.as_os_str(), a_id.is_none()).cmp(&(b.as_os_str(), b_id.is_none()))
        });
        files.dedup_by(|(a, _), (b, _)| a == b);
        // Every directory is inserted with all its ancestors: meeting one already in means
        // the rest are.
        let mut seen: HashSet<&std::ffi::OsStr> = HashSet::new();
        let mut dirs = Vec::new();
        let starts = files
            .iter()
            .filter_map(|(file, _)| file.parent())
            .chain(consulted.dirs.iter().map(PathBuf::as_path));
        for start in starts {
            for dir in start.ancestors() {
                if !seen.insert(dir.as_os_str()) {
                    break;
                }
                dirs.push(dir.to_path_buf());
            }
        }
        Some(discover::Consulted { dirs, files })
    }

    /// Read `abs` once; returns its key.
    fn add_file(&mut self, abs: &Path, kind: FileKind) -> Result<String, LoadError> {
        let key = self.workspace.relative(abs);
        if !self.files.contains_key(&key) {
            let file = SourceFile::load(abs, &key, kind)?;
            self.files.insert(key.clone(), Box::new(file));
        }
        Ok(key)
    }

    fn build_groups(
        &mut self,
        manifests: &[PathBuf],
        policies: &BTreeMap<String, Box<ManifestPolicies>>,
    ) -> Result<Vec<Vec<Entry>>, LoadError> {
        let root_key = self.workspace.relative(&self.workspace.root_manifest);
        let root = &self.files[&root_key];
        let root_policies = &policies[&root_key];
        let ws_version = root
            .reading
            .fields
            .iter()
            .find(|f| f.kind == FieldKind::Version && f.key == "workspace.package.version")
            .cloned();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        let mut ws_crates = Vec::new();
        let mut root_package_group = None;
        for abs in manifests {
            let key = self.workspace.relative(abs);
            let file = &self.files[&key];
            let Some(name) = file.reading.name.clone() else {
                continue; // a virtual manifest
            };
            let package_policy = policies[&key].package.clone();
            let inherits = file
                .reading
                .notes
                .iter()
                .any(|n| matches!(n, Note::InheritsWorkspace { .. }));
            let own = file
                .reading
                .fields
                .iter()
                .find(|f| f.kind == FieldKind::Version && f.key == "package.version")
                .cloned();
            if inherits {
                ws_crates.push(name);
                if package_policy.is_some_and(|p| !p.manifests.is_empty()) {
                    return Err(LoadError::config(
                        &key,
                        None,
                        format!("`{key}` inherits the workspace version but lists `manifests` in its package table"),
                        "list those files in `[workspace.metadata.release]`: the crate belongs to the workspace group",
                    ));
                }
                continue;
            }
            let Some(field) = own else {
                if package_policy.is_some() {
                    return Err(LoadError::config(
                        &key,
                        None,
                        format!("`{key}` has a release policy but no `package.version`"),
                        "set `version = \"…\"` in `[package]`, or `version.workspace = true`",
                    ));
                }
                continue;
            };
            let is_root = key == root_key;
            if is_root && ws_version.is_none() {
                root_package_group = Some(self.groups.len());
            }
            let policy = crate_policy(
                &key,
                package_policy,
                root_policies.workspace.as_ref(),
                is_root && ws_version.is_none(),
            )?;
            let group_entries = entries_of(&policy, abs, &key);
            let group = self.make_group(name.clone(), Some(name), &key, &field, policy, is_root)?;
            self.groups.push(group);
            entries.push(group_entries);
        }
        if let Some(field) = ws_version {
            let policy = root_policies.workspace.clone().unwrap_or_default();
            let group_entries = entries_of(&policy, &self.workspace.root_manifest, &root_key);
            let mut group = self.make_group(
                WORKSPACE.to_string(),
                None,
                &root_key,
                &field,
                policy,
                false,
            )?;
            group.crates = ws_crates;
            self.groups.insert(0, group);
            entries.insert(0, group_entries);
        } else if root_package_group.is_none()
            && root_policies
                .workspace
                .as_ref()
                .is_some_and(|p| !p.manifests.is_empty() || !p.lockfiles.is_empty())
        {
            // Without a workspace version the workspace table only lends keys to crate groups.
            return Err(LoadError::config(
                &root_key,
                None,
                format!("`{root_key}` lists `manifests` in `[workspace.metadata.release]` but the workspace has no version"),
                "set `[workspace.package] version = \"…\"` and `version.workspace = true` in the members",
            ));
        }
        Ok(entries)
    }

    fn make_group(
        &self,
        name: String,
        crate_name: Option<String>,
        leader: &str,
        field: &crate::editor::Field,
        policy: Policy,
        is_root_package: bool,
    ) -> Result<Group, LoadError> {
        let file = &self.files[leader];
        let at = Some(Located::new(&file.text, field.span.start, field.span.len()));
        let spelling = group::spelling(&policy).map_err(|e| {
            LoadError::config(
                leader,
                None,
                format!("invalid `{}` in `{leader}`: {e}", e.key),
                "see docs/standard.md",
            )
        })?;
        let version =
            Version::parse(&field.value, &spelling.labels).map_err(|e| LoadError::Config {
                path: leader.to_string(),
                at,
                message: format!("`{}` in `{leader}` cannot lead a group: {e}", field.key),
                help: e.help(),
            })?;
        let template_name = crate_name
            .clone()
            .or_else(|| file.reading.name.clone())
            .unwrap_or_else(|| {
                self.workspace
                    .root
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        Ok(Group {
            template_name,
            crates: crate_name.iter().cloned().collect(),
            name,
            crate_name,
            leader: leader.to_string(),
            leader_key: field.key.clone(),
            version,
            policy,
            policy_file: leader.to_string(),
            files: Vec::new(),
            spelling,
            is_root_package,
        })
    }
}

/// The policy of a crate's own group: its package table; for the root package of a workspace
/// without a version (`sole`), the workspace table; else the package table with the
/// workspace table's inheritable keys.
fn crate_policy(
    key: &str,
    package: Option<Policy>,
    workspace: Option<&Policy>,
    sole: bool,
) -> Result<Policy, LoadError> {
    match (package, workspace) {
        (Some(_), Some(_)) if sole => Err(LoadError::config(
            key,
            None,
            format!("`{key}` has both a workspace and a package release policy for one package"),
            "keep one of `[workspace.metadata.release]` and `[package.metadata.release]`",
        )),
        (None, Some(ws)) if sole => Ok(ws.clone()),
        (Some(own), Some(ws)) => Ok(own.inherit(ws)),
        (None, Some(ws)) => Ok(Policy::default().inherit(ws)),
        (own, None) => Ok(own.unwrap_or_default()),
    }
}

fn entries_of(policy: &Policy, cargo_toml: &Path, policy_file: &str) -> Vec<Entry> {
    let base = cargo_toml
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    policy
        .manifests
        .iter()
        .enumerate()
        .map(|(i, entry)| Entry {
            base: base.clone(),
            policy_file: policy_file.to_string(),
            origin: format!("manifests[{i}]"),
            manifest: entry.clone(),
        })
        .collect()
}
