//! The groups: one per crate with its own version, one for the workspace's version, each with
//! its policy and the `manifests` entries that name its files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use policy_schema::{ManifestEntry, ManifestPolicies, Policy};

use super::error::{LoadError, Located};
use super::repo::Repo;
use crate::group::{self, Group, WORKSPACE};
use release_policy_editor::{FieldKind, Note};
use release_policy_version::Version;

/// One `manifests` entry with the Cargo.toml that lists it.
pub(super) struct Entry {
    pub(super) base: PathBuf,
    pub(super) policy_file: String,
    pub(super) origin: String,
    pub(super) manifest: ManifestEntry,
}

impl Repo {
    pub(super) fn build_groups(
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
                        super::error::table_header(&file.text, "package"),
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
                super::error::table_header(&self.files[&root_key].text, "workspace.metadata.release"),
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
        field: &release_policy_editor::Field,
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
