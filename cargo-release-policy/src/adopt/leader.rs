//! The leader `init` writes the table for: `[workspace.package].version` when the workspace
//! has one; else the workspace's root package; else the member crate whose version most other
//! manifests share. Without a workspace version the table goes in the leader's
//! `[package.metadata.release]` and lists the crates that write the same literal version
//! (the shared literal versions layout of docs/standard.md).

use std::path::PathBuf;

use crate::load::source::SourceFile;
use crate::load::workspace::Workspace;
use release_policy_editor::{FieldKind, FileKind};
use release_policy_version::{Comparison, Ecosystem, Labels, Spelling, Version};

/// A crate of the workspace.
#[derive(Debug, Clone)]
pub struct Member {
    /// Its `Cargo.toml` (absolute).
    pub manifest: PathBuf,
    pub name: Option<String>,
    /// Its literal `package.version`; `None` when it inherits the workspace's (or has none).
    pub version: Option<String>,
    /// The packages it requires (its dependencies with a version requirement).
    pub requires: Vec<String>,
}

/// Where the table goes and the version it leads.
#[derive(Debug, Clone)]
pub struct Leader {
    /// The `Cargo.toml` that holds the table (absolute).
    pub manifest: PathBuf,
    /// `workspace` or `package`: the table is `[<section>.metadata.release]`.
    pub section: &'static str,
    pub version: Version,
    /// The leading crate's name, without a workspace version.
    pub name: Option<String>,
}

/// Every crate of the workspace, as read from its `Cargo.toml`.
pub fn members(workspace: &Workspace) -> Vec<Member> {
    workspace
        .members
        .iter()
        .filter_map(|manifest| {
            let key = workspace.relative(manifest);
            let file = SourceFile::load(manifest, &key, FileKind::CargoToml).ok()?;
            let version = file
                .reading
                .fields
                .iter()
                .find(|f| f.key == "package.version")
                .map(|f| f.value.clone());
            let requires = file
                .reading
                .fields
                .iter()
                .filter_map(|f| match &f.kind {
                    FieldKind::Requirement { package } => Some(package.clone()),
                    _ => None,
                })
                .collect();
            Some(Member {
                manifest: manifest.clone(),
                name: file.reading.name.clone(),
                version,
                requires,
            })
        })
        .collect()
}

/// `text` as a version, when it is one.
pub fn parse(text: &str) -> Option<Version> {
    Version::parse(text, &Labels::builtin()).ok()
}

/// Whether `found` (a Cargo version) is `version` by meaning.
pub fn same(version: &Version, found: &str) -> bool {
    matches!(
        Spelling::default().compare(version, found, Ecosystem::Cargo),
        Comparison::Same | Comparison::Equivalent
    )
}

/// How a crate ranks as the leader of a workspace without a version: named by a release
/// tool's configuration, outside docs/examples/tests, the manifests sharing its version, the
/// crates of its version requiring it.
type Rank = (bool, bool, usize, usize);

/// The leader of `root` (the workspace's root `Cargo.toml`, read), `shares` counting the
/// manifests outside the workspace that are at a version, `named` the crates' manifests an
/// existing release-tool configuration rewrites; `Err` with why there is none.
pub fn choose(
    workspace: &Workspace,
    root: &SourceFile,
    members: &[Member],
    named: &std::collections::BTreeSet<PathBuf>,
    shares: impl Fn(&Version) -> usize,
) -> Result<Leader, String> {
    let field = |key: &str| {
        root.reading
            .fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.clone())
    };
    if let Some(text) = field("workspace.package.version") {
        let version = parse(&text).ok_or_else(|| {
            format!("`[workspace.package].version = \"{text}\"` is not a SemVer version")
        })?;
        return Ok(Leader {
            manifest: workspace.root_manifest.clone(),
            section: "workspace",
            version,
            name: None,
        });
    }
    if let (Some(text), Some(name)) = (field("package.version"), root.reading.name.clone()) {
        let version = parse(&text)
            .ok_or_else(|| format!("`[package].version = \"{text}\"` is not a SemVer version"))?;
        return Ok(Leader {
            manifest: workspace.root_manifest.clone(),
            section: "package",
            version,
            name: Some(name),
        });
    }
    // A virtual workspace of crates with literal versions: a crate the release tool in use
    // rewrites (its configuration knows the product; internal crates can outnumber it), then
    // one outside docs/examples/tests, then the one whose version most other manifests share,
    // then the crate the others of its version require (the library its CLI wraps), then the
    // first by path.
    let mut best: Option<(Rank, &Member, Version)> = None;
    for member in members {
        let Some(version) = member.version.as_deref().and_then(parse) else {
            continue;
        };
        let siblings = members
            .iter()
            .filter(|m| m.manifest != member.manifest)
            .filter(|m| m.version.as_deref().is_some_and(|v| same(&version, v)))
            .count();
        let score = siblings + shares(&version);
        let released = !crate::survey::in_unreleased_dir(&workspace.relative(&member.manifest));
        let required = members
            .iter()
            .filter(|m| m.version.as_deref().is_some_and(|v| same(&version, v)))
            .filter(|m| member.name.as_ref().is_some_and(|n| m.requires.contains(n)))
            .count();
        let key = (named.contains(&member.manifest), released, score, required);
        if best.as_ref().is_none_or(|(k, _, _)| key > *k) {
            best = Some((key, member, version));
        }
    }
    let (_, member, version) = best.ok_or_else(|| {
        "the workspace has no `[workspace.package].version` and no crate with a literal version to lead".to_string()
    })?;
    Ok(Leader {
        manifest: member.manifest.clone(),
        section: "package",
        version,
        name: member.name.clone(),
    })
}
