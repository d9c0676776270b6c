//! The keys of cargo-release's configuration beyond the tag and commit templates: those of
//! the release steps this tool takes (`allow-branch`, `sign-commit`, `push`, `push-remote`,
//! `push-options`) it acts on; the others (publishing, hooks, replacements) it accepts and
//! ignores, with a warning when a release is made, so that a repository's existing
//! cargo-release configuration loads unchanged. Their types follow
//! cargo-release's reference (`docs/reference.md` of crate-ci/cargo-release).

// The doc comments here are the JSON Schema's descriptions, read by users: names such as SemVer,
// NuGet and RubyGems are prose there, not code to put in backticks.
#![allow(clippy::doc_markdown)]

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// cargo-release's own keys. `allow-branch`, `sign-commit`, `push`, `push-remote` and
/// `push-options` guard, sign and push the releases of `bump --commit` and `tag`; the others are
/// type-checked as cargo-release would, then ignored (with a warning on `bump` and `tag`). See
/// cargo-release's reference for their meaning.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", default)]
pub struct CargoReleaseKeys {
    /// Globs of branch names a release (`bump --commit`, `tag`) can be made from, as in
    /// cargo-release: gitignore patterns, `!` taking a branch back out, the last match winning.
    /// Default `["*", "!HEAD"]`: any branch, not a detached HEAD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_branch: Option<Vec<String>>,
    /// Sign the release commit of `bump --commit` with git's configured key, as in
    /// cargo-release. Default `false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_commit: Option<bool>,
    /// The git remote a release is pushed to (`--push`, `push = true`), as in cargo-release.
    /// Default `"origin"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push_remote: Option<String>,
    /// cargo-release: the registry to publish to. Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// cargo-release: release this crate (`false` for internal crates). Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<bool>,
    /// cargo-release: run `cargo publish`. Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish: Option<bool>,
    /// cargo-release: verify the package by building it before publishing. Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify: Option<bool>,
    /// cargo-release: logins to ensure as crate owners. Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owners: Option<Vec<String>>,
    /// Push the release (the branch and the tags of `bump --commit`, the tag of `tag`) once
    /// every other step succeeded. Unlike cargo-release, unset means no push: `true` turns it
    /// on (or `--push` for one run), `false` keeps it off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push: Option<bool>,
    /// Options sent to the server on `git push` (`--push-option`), as in cargo-release (a list;
    /// a single string is accepted as cargo-release's own documentation writes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push_options: Option<StringOrList>,
    /// cargo-release: one commit for the whole workspace. Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consolidate_commits: Option<bool>,
    /// cargo-release: search-and-replace in files at release time. Ignored by this tool: list
    /// such files in `manifests` as `{ path, search, format }` entries instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_release_replacements: Option<Vec<Replacement>>,
    /// cargo-release: a command run before the release commit. Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_release_hook: Option<StringOrList>,
    /// cargo-release: features enabled for `cargo publish`. Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_features: Option<Vec<String>>,
    /// cargo-release: enable all features for `cargo publish`. Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_all_features: Option<bool>,
    /// cargo-release: how requirements on this crate are updated in the workspace. Ignored by
    /// this tool, which rewrites a sibling requirement when it names the group's old version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependent_version: Option<DependentVersion>,
    /// cargo-release: policy for SemVer build metadata (`--metadata`). Ignored by this tool,
    /// which refuses build metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MetadataPolicy>,
    /// cargo-release: target triple for the verification build. Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// cargo-release: publishing rate limits. Ignored by this tool.
    #[serde(skip_serializing_if = "RateLimit::is_empty")]
    pub rate_limit: RateLimit,
    /// cargo-release: certificate store for web requests. Ignored by this tool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certs_source: Option<CertsSource>,
    /// cargo-release: unstable options. Ignored by this tool.
    #[serde(skip_serializing_if = "Unstable::is_empty")]
    pub unstable: Unstable,
}

impl CargoReleaseKeys {
    /// The keys this tool acts on (the release steps it takes as cargo-release does).
    pub const HONOURED: [&'static str; 5] = [
        "allow-branch",
        "sign-commit",
        "push",
        "push-remote",
        "push-options",
    ];

    /// The options of `push-options`, each once as written.
    pub fn push_options(&self) -> Vec<String> {
        match &self.push_options {
            None => Vec::new(),
            Some(StringOrList::One(one)) => vec![one.clone()],
            Some(StringOrList::List(list)) => list.clone(),
        }
    }

    /// The names of the keys set here that this tool ignores (cargo-release's publishing,
    /// hooks and replacements), in [`Self::NAMES`] order.
    pub fn ignored_set(&self) -> Vec<&'static str> {
        let set = [
            ("registry", self.registry.is_some()),
            ("release", self.release.is_some()),
            ("publish", self.publish.is_some()),
            ("verify", self.verify.is_some()),
            ("owners", self.owners.is_some()),
            ("consolidate-commits", self.consolidate_commits.is_some()),
            (
                "pre-release-replacements",
                self.pre_release_replacements.is_some(),
            ),
            ("pre-release-hook", self.pre_release_hook.is_some()),
            ("enable-features", self.enable_features.is_some()),
            ("enable-all-features", self.enable_all_features.is_some()),
            ("dependent-version", self.dependent_version.is_some()),
            ("metadata", self.metadata.is_some()),
            ("target", self.target.is_some()),
            ("rate-limit", !self.rate_limit.is_empty()),
            ("certs-source", self.certs_source.is_some()),
            ("unstable", !self.unstable.is_empty()),
        ];
        set.into_iter()
            .filter(|(_, is_set)| *is_set)
            .map(|(name, _)| name)
            .collect()
    }

    /// The TOML names of these keys.
    pub const NAMES: [&'static str; 21] = [
        "allow-branch",
        "sign-commit",
        "push-remote",
        "registry",
        "release",
        "publish",
        "verify",
        "owners",
        "push",
        "push-options",
        "consolidate-commits",
        "pre-release-replacements",
        "pre-release-hook",
        "enable-features",
        "enable-all-features",
        "dependent-version",
        "metadata",
        "target",
        "rate-limit",
        "certs-source",
        "unstable",
    ];
}

/// A string or a list of strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum StringOrList {
    /// A single string.
    One(String),
    /// A list of strings.
    List(Vec<String>),
}

/// cargo-release: one search-and-replace in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Replacement {
    /// The file to edit.
    pub file: String,
    /// A regular expression to search for.
    pub search: String,
    /// The replacement text.
    pub replace: String,
    /// Minimum number of matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    /// Maximum number of matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// Exact number of matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exactly: Option<u64>,
    /// Also replace when releasing a pre-release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prerelease: Option<bool>,
}

/// cargo-release: how requirements on a crate are updated in the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DependentVersion {
    /// Always upgrade dependents.
    Upgrade,
    /// Upgrade when the old requirement no longer matches.
    Fix,
    /// Error when the old requirement no longer matches (older cargo-release).
    Error,
    /// Warn when the old requirement no longer matches (older cargo-release).
    Warn,
    /// Leave dependents alone (older cargo-release).
    Ignore,
}

impl DependentVersion {
    /// Every value with its name.
    pub const ALL: [(&'static str, DependentVersion); 5] = [
        ("upgrade", DependentVersion::Upgrade),
        ("fix", DependentVersion::Fix),
        ("error", DependentVersion::Error),
        ("warn", DependentVersion::Warn),
        ("ignore", DependentVersion::Ignore),
    ];
}

/// cargo-release: policy for SemVer build metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MetadataPolicy {
    /// Apply when given, clear when not.
    Optional,
    /// Error when not given.
    Required,
    /// Never apply.
    Ignore,
    /// Keep the previous metadata when not given.
    Persistent,
}

impl MetadataPolicy {
    /// Every value with its name.
    pub const ALL: [(&'static str, MetadataPolicy); 4] = [
        ("optional", MetadataPolicy::Optional),
        ("required", MetadataPolicy::Required),
        ("ignore", MetadataPolicy::Ignore),
        ("persistent", MetadataPolicy::Persistent),
    ];
}

/// cargo-release: certificate store for web requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CertsSource {
    /// Mozilla's root certificates.
    Webpki,
    /// The system's root certificates.
    Native,
}

impl CertsSource {
    /// Every value with its name.
    pub const ALL: [(&'static str, CertsSource); 2] = [
        ("webpki", CertsSource::Webpki),
        ("native", CertsSource::Native),
    ];
}

/// cargo-release: publishing rate limits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct RateLimit {
    /// Maximum number of new crates published at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_packages: Option<u64>,
    /// Maximum number of existing crates published at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_packages: Option<u64>,
}

impl RateLimit {
    /// Neither limit is set.
    pub fn is_empty(&self) -> bool {
        self.new_packages.is_none() && self.existing_packages.is_none()
    }
}

/// cargo-release: unstable options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct Unstable {
    /// Publish with `cargo publish --workspace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_publish: Option<bool>,
}

impl Unstable {
    /// No option is set.
    pub fn is_empty(&self) -> bool {
        self.workspace_publish.is_none()
    }
}
