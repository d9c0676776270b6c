//! The groups: one per crate with its own version, one for the workspace's version, each with
//! its policy and the `manifests` entries that name its files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use policy_schema::{AppVersion, ManifestEntry, ManifestPolicies, Policy, SharedVersion};

use super::error::{LoadError, Located};
use super::repo::Repo;
use super::source::SourceFile;
use crate::group::{self, Group, Unreadable, WORKSPACE};
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
    // proof: `files` and `policies` hold the root manifest (read and parsed first, in `load`); `i`
    // and the members led are indices of `members`; a `Leader::Workspace` follower exists only with
    // a workspace group, inserted at 0, and crate groups are pushed after it, so `g + ws_offset`
    // and `index` are indices of `groups`, of which `entries` has one each.
    #[allow(clippy::indexing_slicing)]
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
        // Every package first: which crate follows which group is known only once every
        // table's `manifests` and every `shared-version` has been read.
        let members = self.members(manifests, policies, &root_key)?;
        let sole_root = ws_version.is_none();
        let follows = followers(
            &self.files,
            &members,
            ws_version.is_some(),
            root_policies.workspace.as_ref(),
            &root_key,
        )?;
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        let mut ws_crates = Vec::new();
        let mut root_package_group = None;
        // The group (index into `self.groups`) of each leading crate, by member index.
        let mut led: BTreeMap<usize, usize> = BTreeMap::new();
        for (i, member) in members.iter().enumerate() {
            if member.inherits {
                ws_crates.push(member.name.clone());
                continue;
            }
            let field = match (&member.own, &member.package) {
                (Some(_), _) if follows.contains_key(&i) => continue,
                (Some(field), _) => field,
                (None, Some(_)) => return Err(self.policy_without_version(&member.key)),
                (None, None) => continue,
            };
            let sole = member.is_root && sole_root;
            if sole {
                root_package_group = Some(self.groups.len());
            }
            let policy = crate_policy(
                &member.key,
                member.package.clone(),
                root_policies.workspace.as_ref(),
                sole,
            )?;
            let group_entries = entries_of(&policy, &member.abs, &member.key);
            let group = self.make_group(
                member.name.clone(),
                Some(member.name.clone()),
                &member.key,
                field,
                policy,
                member.is_root,
            )?;
            led.insert(i, self.groups.len());
            self.groups.push(group);
            entries.push(group_entries);
        }
        let ws_offset = usize::from(ws_version.is_some());
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
        // The followers join their leader's group: their crate (its `package.version`, its
        // `Cargo.lock` entries and the requirements on it) and, under `shared-version`, the
        // files their own table lists.
        for (i, leader) in follows {
            let index = match leader {
                Leader::Workspace => 0,
                Leader::Member(m) => match led.get(&m) {
                    Some(&g) => g + ws_offset,
                    None => continue, // not reached: a leader leads a group
                },
            };
            let member = &members[i];
            self.groups[index].crates.push(member.name.clone());
            if let Some(package) = &member.package {
                entries[index].extend(entries_of(package, &member.abs, &member.key));
            }
        }
        self.check_helm_groups()?;
        Ok(entries)
    }

    /// Every package of the workspace with its version and table; a table on a crate that
    /// cannot hold it is an error.
    // proof: every workspace manifest was read into `files` before groups are built (`load`), under
    // its relative key.
    #[allow(clippy::indexing_slicing)]
    fn members(
        &self,
        manifests: &[PathBuf],
        policies: &BTreeMap<String, Box<ManifestPolicies>>,
        root_key: &str,
    ) -> Result<Vec<Member>, LoadError> {
        let mut members = Vec::new();
        for abs in manifests {
            let key = self.workspace.relative(abs);
            let file = &self.files[&key];
            let Some(name) = file.reading.name.clone() else {
                continue; // a virtual manifest
            };
            let package = policies[&key].package.clone();
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
                if package.as_ref().is_some_and(|p| !p.manifests.is_empty()) {
                    return Err(LoadError::config(
                        &key,
                        None,
                        format!("`{key}` inherits the workspace version but lists `manifests` in its package table"),
                        "list those files in `[workspace.metadata.release]`: the crate belongs to the workspace group",
                    ));
                }
            } else if own.is_none() && package.is_some() {
                // Located at the `[package]` header, as the same error is from a group.
                return Err(self.policy_without_version(&key));
            }
            members.push(Member {
                is_root: key == root_key,
                key,
                abs: abs.clone(),
                name,
                inherits,
                own,
                package,
            });
        }
        Ok(members)
    }

    // proof: `leader` is the key of a Cargo.toml that `members` found in `files` (a member's or the
    // root's), and `files` never loses a key.
    #[allow(clippy::indexing_slicing)]
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
        // A leader that cannot be read is that group's error, reported by the commands
        // next to every other group (`Group::unreadable`); the version stands in for nothing.
        let (version, unreadable) = match Version::parse(&field.value, &spelling.labels) {
            Ok(version) => (version, None),
            Err(e) => {
                let place = at.as_ref().map_or_else(String::new, |at| {
                    let position = at.position();
                    format!(":{}:{}", position.line, position.column)
                });
                (
                    Version::new(0, 0, 0),
                    Some(Unreadable {
                        message: format!(
                            "`{}` in `{leader}{place}` cannot lead a group: {e}",
                            field.key
                        ),
                        help: e.help(),
                    }),
                )
            }
        };
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
            unreadable,
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

/// A package of the workspace, as its Cargo.toml and its table say.
struct Member {
    key: String,
    abs: PathBuf,
    name: String,
    is_root: bool,
    /// `version.workspace = true`.
    inherits: bool,
    /// Its literal `package.version`.
    own: Option<release_policy_editor::Field>,
    /// Its `[package.metadata.release]` table.
    package: Option<Policy>,
}

/// The group a following crate joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leader {
    Workspace,
    /// The crate at this index of the members leads it.
    Member(usize),
}

impl Repo {
    /// A crate with a release policy but no version of its own to lead a group.
    /// Every `helm.app-version` naming a group names one.
    fn check_helm_groups(&self) -> Result<(), LoadError> {
        for group in &self.groups {
            let Some(AppVersion::Group(name)) = &group.policy.helm.app_version else {
                continue;
            };
            if self.groups.iter().any(|g| &g.name == name) {
                continue;
            }
            let file = &group.policy_file;
            let at = group
                .policy
                .origins
                .get("helm.app-version")
                .and_then(|origin| {
                    let text = &self.files.get(file)?.text;
                    Some(Located::new(text, origin.value.start, origin.value.len()))
                });
            let names: Vec<String> = self
                .groups
                .iter()
                .map(|g| format!("`{}`", g.name))
                .collect();
            return Err(LoadError::config(
                file,
                at,
                format!("`helm.app-version = \"{name}\"` in `{file}` names no group"),
                &format!(
                    "name one of the groups ({}), or write `true` for this group",
                    names.join(", ")
                ),
            ));
        }
        Ok(())
    }

    fn policy_without_version(&self, key: &str) -> LoadError {
        let text = self.files.get(key).map_or("", |f| f.text.as_str());
        LoadError::config(
            key,
            // The header as written (`[ package ]` is TOML too), else the file's start: an
            // error inside a file always has a place.
            super::error::table_header(text, "package").or_else(|| Some(Located::new(text, 0, 0))),
            format!("`{key}` has a release policy but no `package.version`"),
            "set `version = \"…\"` in `[package]`, or `version.workspace = true`",
        )
    }
}

/// The name of a policy table, for errors naming two of them.
fn table(key: &str, leader: Leader) -> String {
    match leader {
        Leader::Workspace => format!("`[workspace.metadata.release]` of `{key}`"),
        Leader::Member(_) => format!("`[package.metadata.release]` of `{key}`"),
    }
}

/// Whether a crate's own table says something only a group's leader can act on: then
/// following another group would drop it in silence.
fn leads(policy: &Policy) -> bool {
    !policy.manifests.is_empty() || !policy.lockfiles.is_empty() || !policy.checks.is_empty()
}

/// Which crates with a literal version follow another group instead of leading their own
/// (by member index): those listed by a leading table's `manifests`, and those sharing a
/// `shared-version` set with an earlier crate. A crate listed by a crate group while it
/// inherits the workspace version, or while its own table lists files, is an error naming
/// both tables.
fn followers(
    files: &BTreeMap<String, Box<SourceFile>>,
    members: &[Member],
    has_workspace_group: bool,
    workspace: Option<&Policy>,
    root_key: &str,
) -> Result<BTreeMap<usize, Leader>, LoadError> {
    let mut follows = shared_sets(members);
    // The tables that name files of a group, each with the Cargo.toml holding it and the
    // group it names them for.
    let mut tables: Vec<(Leader, &str, &Policy)> = Vec::new();
    if has_workspace_group {
        if let Some(ws) = workspace {
            tables.push((Leader::Workspace, root_key, ws));
        }
    }
    for (i, member) in members.iter().enumerate() {
        if member.inherits || member.own.is_none() {
            continue;
        }
        let leader = follows.get(&i).copied().unwrap_or(Leader::Member(i));
        if let Some(policy) = &member.package {
            tables.push((leader, &member.key, policy));
        } else if member.is_root && !has_workspace_group {
            if let Some(ws) = workspace {
                tables.push((leader, &member.key, ws));
            }
        }
    }
    for (leader, key, policy) in tables {
        let base = key.rsplit_once('/').map_or("", |(dir, _)| dir);
        for (j, entry) in policy.manifests.iter().enumerate() {
            let ManifestEntry::Path(path) = entry else {
                continue;
            };
            // Where the entry is written (a table lends no `manifests`: this is its file).
            let at = || {
                let origin = policy.origins.get(&format!("manifests[{j}]"))?;
                let file = files.get(key)?;
                Some(Located::new(
                    &file.text,
                    origin.value.start,
                    origin.value.len(),
                ))
            };
            if !path.ends_with("Cargo.toml") {
                continue;
            }
            let matcher = lexical_key(base, path).and_then(|pattern| {
                globset::GlobBuilder::new(&pattern)
                    .literal_separator(true)
                    .build()
                    .ok()
                    .map(|g| g.compile_matcher())
            });
            let Some(matcher) = matcher else { continue };
            for (i, member) in members.iter().enumerate() {
                let group = follows.get(&i).copied().unwrap_or(Leader::Member(i));
                if !matcher.is_match(&member.key) || group == leader {
                    continue;
                }
                let listing = Listing {
                    key,
                    leader,
                    path,
                    root_key,
                };
                match listing.verdict(members, &follows, i) {
                    Verdict::Follows => {}
                    Verdict::Skip => continue,
                    Verdict::Refused(message, help) => {
                        return Err(LoadError::config(key, at(), message, help));
                    }
                }
                follows.insert(i, leader);
            }
        }
    }
    Ok(follows)
}

/// A `manifests` entry of the table of `key` (for group `leader`) naming a Cargo.toml.
struct Listing<'a> {
    key: &'a str,
    leader: Leader,
    path: &'a str,
    root_key: &'a str,
}

/// What becomes of a crate a table lists.
enum Verdict {
    /// It follows the listing group.
    Follows,
    /// Nothing to do (a workspace crate listed by the workspace table, a virtual manifest).
    Skip,
    /// An error naming both tables: the message and the help.
    Refused(String, &'static str),
}

impl Listing<'_> {
    /// Whether the member `i` follows the listing group, given who follows whom so far.
    // proof: `i`, the keys of `follows` and its `Leader::Member` values are indices of `members`
    // (enumerated from it by `followers`/`shared_sets`).
    #[allow(clippy::indexing_slicing)]
    fn verdict(&self, members: &[Member], follows: &BTreeMap<usize, Leader>, i: usize) -> Verdict {
        let Listing {
            key,
            leader,
            path,
            root_key,
        } = *self;
        let member = &members[i];
        if member.inherits {
            if leader == Leader::Workspace {
                return Verdict::Skip; // a member of the workspace group already
            }
            return Verdict::Refused(
                format!(
                    "`{}` inherits the workspace version (`version.workspace = true`), but `{path}` in `manifests` of {} lists it: it carries the workspace version of `{root_key}`",
                    member.key,
                    table(key, leader),
                ),
                "remove the entry, or give the crate a literal `version` to release it with this group",
            );
        }
        if member.own.is_none() || (member.is_root && leader == Leader::Workspace) {
            return Verdict::Skip;
        }
        if member.package.as_ref().is_some_and(leads) {
            return Verdict::Refused(
                format!(
                    "`{}` leads its own group with {}, but `{path}` in `manifests` of {} lists it",
                    member.key,
                    table(&member.key, Leader::Member(i)),
                    table(key, leader),
                ),
                "keep one: move the files its table lists into the listing table, or remove the entry",
            );
        }
        if let Some(&other) = follows.get(&i) {
            let other_key = match other {
                Leader::Workspace => root_key,
                Leader::Member(m) => &members[m].key,
            };
            return Verdict::Refused(
                format!(
                    "`{}` is listed by `{path}` in `manifests` of {}, but it follows {}",
                    member.key,
                    table(key, leader),
                    table(other_key, other),
                ),
                "a crate follows one version: list it in one group",
            );
        }
        if let Some((&follower, _)) = follows.iter().find(|(_, &l)| l == Leader::Member(i)) {
            return Verdict::Refused(
                format!(
                    "`{}` is listed by `{path}` in `manifests` of {}, but `{}` shares its version (`shared-version`)",
                    member.key,
                    table(key, leader),
                    members[follower].key,
                ),
                "list every crate of the `shared-version` set in one group, or none",
            );
        }
        Verdict::Follows
    }
}

/// The crates of each `shared-version` set that follow its leader (by member index): the
/// root package, else the first crate whose table lists files, else the first crate.
// proof: every index in a set was enumerated from `members`.
#[allow(clippy::indexing_slicing)]
fn shared_sets(members: &[Member]) -> BTreeMap<usize, Leader> {
    let mut follows: BTreeMap<usize, Leader> = BTreeMap::new();
    // `shared-version`: the crates of a set share one group. A crate that inherits the
    // workspace version shares it already.
    let mut sets: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, member) in members.iter().enumerate() {
        if member.inherits || member.own.is_none() {
            continue;
        }
        let set = match member
            .package
            .as_ref()
            .and_then(|p| p.shared_version.as_ref())
        {
            Some(SharedVersion::Enabled(true)) => "default".to_string(),
            Some(SharedVersion::Name(name)) => name.clone(),
            _ => continue,
        };
        sets.entry(set).or_default().push(i);
    }
    for set in sets.values() {
        // The set's leader names the group: the root package, else the first crate whose
        // table lists files, else the first crate.
        let first = set
            .iter()
            .copied()
            .find(|&i| members[i].is_root)
            .or_else(|| {
                set.iter()
                    .copied()
                    .find(|&i| members[i].package.as_ref().is_some_and(leads))
            })
            .or_else(|| set.first().copied());
        let Some(first) = first else { continue };
        for &i in set {
            if i != first {
                follows.insert(i, Leader::Member(first));
            }
        }
    }
    follows
}

/// `path` (relative to the directory `base`, both with `/`) as a key relative to the
/// workspace root, `..` resolved; `None` when it leaves the root.
fn lexical_key(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in base.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}
