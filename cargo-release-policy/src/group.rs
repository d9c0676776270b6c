//! Groups: a leader version and every manifest that follows it.

use policy_schema::{Pep440Stage, Policy, PreReleaseSpelling};

use release_policy_version::{
    Labels, PreSpelling, Spelling, Stage, Version, DEFAULT_ASSEMBLY_TEMPLATE,
};

/// The name of the workspace group.
pub const WORKSPACE: &str = "workspace";

/// A set of manifests that carry one version.
#[derive(Debug, Clone)]
pub struct Group {
    /// `workspace`, or the name of the crate leading the group.
    pub name: String,
    /// The crate leading a crate group; `None` for the workspace group.
    pub crate_name: Option<String>,
    /// What `{{crate_name}}` stands for: the leading crate, or for the workspace group the
    /// root package (or, in a virtual workspace, the workspace directory's name).
    pub template_name: String,
    /// The Cargo.toml holding the version (key of `load::Repo::files`).
    pub leader: String,
    /// `workspace.package.version` or `package.version`.
    // Read by nothing since the crate's modules stopped being public; set by `repo`, which
    // another change is reorganising into `load/`: the field goes with that change.
    #[allow(dead_code)]
    pub leader_key: String,
    /// The group's current version, read from the leader.
    pub version: Version,
    pub policy: Policy,
    /// The Cargo.toml holding the policy table: globs are relative to its directory.
    pub policy_file: String,
    /// The Cargo packages in the group (the leader crate, crates inheriting the workspace version).
    pub crates: Vec<String>,
    /// Files listed by `manifests` (and their lockfiles, version files, props), as repo keys.
    pub files: Vec<String>,
    pub spelling: Spelling,
    /// Whether the workspace root is a single package leading this group (its default tag has
    /// no crate prefix).
    pub is_root_package: bool,
    /// Why the leader's version cannot be read (it is not SemVer): the group is left out of
    /// every plan, its error reported next to the other groups; `version` means nothing.
    pub unreadable: Option<Unreadable>,
}

/// A leader version that cannot be read: the message (naming the file, line and column)
/// and how to fix it.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub message: String,
    pub help: Option<String>,
}

impl Group {
    /// Whether the group is the workspace group.
    pub fn is_workspace(&self) -> bool {
        self.crate_name.is_none()
    }
}

/// A policy whose labels or templates cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SpellingError {
    pub key: String,
    pub message: String,
}

/// The spelling rules a policy sets: custom labels and where their series start, the
/// numeric .NET template, the pre-release spelling of SemVer files, PEP 440 local versions.
pub fn spelling(policy: &Policy) -> Result<Spelling, SpellingError> {
    let custom = policy.labels.iter().map(|(label, stage)| {
        let stage = match stage {
            Pep440Stage::Alpha => Stage::Alpha,
            Pep440Stage::Beta => Stage::Beta,
            Pep440Stage::Rc => Stage::Rc,
            Pep440Stage::Dev => Stage::Dev,
        };
        (label.clone(), stage)
    });
    let labels = Labels::with_custom(custom).map_err(|e| SpellingError {
        key: "labels".to_string(),
        message: e.to_string(),
    })?;
    let labels = match &policy.pre_release_start {
        Some(start) => {
            let (all, per_label) = start.split();
            labels.with_start(all, per_label)
        }
        None => labels,
    };
    Ok(Spelling {
        labels,
        assembly: policy
            .dotnet
            .assembly_version
            .clone()
            .unwrap_or_else(|| DEFAULT_ASSEMBLY_TEMPLATE.to_string()),
        pre: match policy.pre_release_spelling.unwrap_or_default() {
            PreReleaseSpelling::Dotted => PreSpelling::Dotted,
            PreReleaseSpelling::Compact => PreSpelling::Compact,
        },
        pep440_local: policy.pep440_local_version.unwrap_or(true),
    })
}
