//! The policy table as data: what `[workspace.metadata.release]` and
//! `[package.metadata.release]` (and their `release-policy` twins) say.
//!
//! The doc comments on these types are the descriptions of the JSON Schema: they are written for
//! people adopting the standard, not for readers of this crate.

// The doc comments here are the JSON Schema's descriptions, read by users: names such as SemVer,
// NuGet and RubyGems are prose there, not code to put in backticks.
#![allow(clippy::doc_markdown)]

use std::collections::BTreeMap;
use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cargo_release::CargoReleaseKeys;

/// The policy tables of one Cargo.toml: `[workspace.metadata.release]` for the workspace group,
/// `[package.metadata.release]` for a crate that leads its own group. Each is the merge of the
/// `release` table and its `release-policy` twin; `None` when the manifest has neither.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestPolicies {
    /// `[workspace.metadata.release]` merged with `[workspace.metadata.release-policy]`.
    pub workspace: Option<Policy>,
    /// `[package.metadata.release]` merged with `[package.metadata.release-policy]`.
    pub package: Option<Policy>,
}

/// The release policy of a version group: which files follow the group's version, how versions
/// are spelled where the ecosystems disagree, and how releases are committed and tagged.
///
/// Write it as `[workspace.metadata.release]` (the workspace group, led by
/// `[workspace.package].version`) or `[package.metadata.release]` (a crate with its own version,
/// leading its own group). A repository that also runs cargo-release puts the keys cargo-release
/// does not know (`manifests`, `exclude`, `lockfiles`, `labels`, `dotnet`, `checks`,
/// `commit-message`) in `[workspace.metadata.release-policy]` (or
/// `[package.metadata.release-policy]`): both tables are read as one policy, and a key may be set
/// in only one of them. Unknown keys are an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", default)]
#[schemars(title = "cargo-release-policy policy table")]
#[schemars(extend("additionalProperties" = false))]
pub struct Policy {
    /// Files whose version follows the group's version, relative to the Cargo.toml holding this
    /// table. An entry is a path or glob (`*` stops at `/`, `**` crosses directories) whose file
    /// kind is detected from its name (`package.json`, `package-lock.json`, `pyproject.toml`,
    /// `uv.lock`, `Cargo.toml`, `Cargo.lock`, `*.csproj`, `*.fsproj`, `*.vbproj`, `*.props`), or a
    /// table `{ path, search, format }` for any other file, where `search` is the text around the
    /// version with `{{version}}` standing for it. Files ignored by git are never matched.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub manifests: Vec<ManifestEntry>,

    /// Globs of files never to treat as manifests even when `manifests` matches them, relative to
    /// the Cargo.toml holding this table, e.g. `["**/node_modules/**", "examples/**"]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(min = 1)))]
    pub exclude: Vec<String>,

    /// Lockfiles outside the workspace that record the group's packages and must follow a bump
    /// (`Cargo.lock`, `package-lock.json`, `uv.lock`), relative to the Cargo.toml holding this
    /// table. The workspace's own `Cargo.lock` and the lockfile beside each listed manifest are
    /// found without being listed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(min = 1)))]
    pub lockfiles: Vec<String>,

    /// Pre-release labels of your own, each mapped to the PEP 440 stage it is spelled as:
    /// `a` (alpha), `b` (beta), `rc` (release candidate) or `dev` (development release). For
    /// example `pre = "rc"` lets `0.8.0-pre.7` be written `0.8.0rc7` in Python. The built-in
    /// labels `alpha`, `beta`, `rc` and `dev` need no entry. Labels are lowercase ASCII letters
    /// only: a digit would make compact spellings (`-pre21`) ambiguous, and `-` separates
    /// parts in RubyGems and Maven; `post`, `rev` and `r` are post-releases in PEP 440.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z]+$" }))]
    pub labels: BTreeMap<String, Pep440Stage>,

    /// How SemVer files (Cargo, npm, NuGet, `semver` patterns) write a pre-release: `dotted`
    /// (`1.5.0-rc.1`, the default) or `compact` (`1.5.0-rc1`, `2.6.0-dev` for dev 0). Both
    /// are read everywhere; the monotonic rule judges what is written (`-rc10` sorts before
    /// `-rc9` in SemVer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_release_spelling: Option<PreReleaseSpelling>,

    /// The first number of a pre-release series, for `--pre LABEL` and `bump LABEL`: a
    /// number for every label (`0` gives `1.1.0-beta.0`), or a table per label
    /// (`{ dev = 0, rc = 1 }`, other labels start at 1). Default 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_release_start: Option<PreReleaseStart>,

    /// Whether PEP 440 files carry a version's build metadata (`bump … --build dev`) as a
    /// local version (`0.37.0a1+dev`: pip and uv accept it, PyPI refuses it). Default
    /// `true`; `false` writes them without it, for groups that publish to PyPI from such a
    /// version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pep440_local_version: Option<bool>,

    /// How .NET projects spell the numeric `AssemblyVersion` and `FileVersion` they already carry.
    #[serde(skip_serializing_if = "DotnetPolicy::is_empty")]
    pub dotnet: DotnetPolicy,

    /// The tag of a Go module of the group, instead of `<module directory>/v{{version}}`:
    /// keyed by the `go.mod` as listed in `manifests` (relative to the Cargo.toml holding the
    /// table), e.g. `{ "bindings/go/go.mod" = "sdk/go/v{{version}}" }`. Go only reads a
    /// module's version from a tag named after its directory: use this for a module whose
    /// repository path differs from the tag Go expects (a vanity import, a moved module).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub go_tags: BTreeMap<String, String>,
    /// Which versions of the Helm charts (`Chart.yaml`) this group lists follow which group: the
    /// chart's own `version` (this group's by default) and its `appVersion` (left alone by
    /// default).
    #[serde(skip_serializing_if = "HelmPolicy::is_empty")]
    pub helm: HelmPolicy,

    /// The release checklist: commands that must succeed before a release, in order, e.g.
    /// `{ name = "tests", run = ["cargo", "test", "--workspace"] }`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,

    /// Template of the release commit message written by `bump --commit`. Default
    /// `"Release {{version}}"`; when unset, cargo-release's `pre-release-commit-message` is used
    /// if present.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = crate::schema_rules::template)]
    pub commit_message: Option<String>,

    /// cargo-release's name for the release commit message template. Used for release commits
    /// when `commit-message` is not set, so a cargo-release configuration keeps its message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = crate::schema_rules::template)]
    pub pre_release_commit_message: Option<String>,

    /// Template of the git tag name, as in cargo-release. Default `"{{prefix}}v{{version}}"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = crate::schema_rules::tag_name_template, length(min = 1))]
    pub tag_name: Option<String>,

    /// The value of `{{prefix}}` in `tag-name` and `tag-message`, as in cargo-release. Default
    /// `""` for the workspace group and for a crate at the workspace root, `"{{crate_name}}-"`
    /// for any other crate leading its own group.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = crate::schema_rules::tag_prefix_template)]
    pub tag_prefix: Option<String>,

    /// Template of the annotated tag's message, as in cargo-release. Default
    /// `"Release {{version}}"`; an empty string makes lightweight tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = crate::schema_rules::template)]
    pub tag_message: Option<String>,

    /// Sign the tag with git's configured signing key (`git tag --sign`), as in cargo-release.
    /// Default `false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_tag: Option<bool>,

    /// Create a git tag for a release, as in cargo-release. Default `true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<bool>,

    /// cargo-release's shared versions: `true`, or a name, puts this crate in a set of crates that
    /// always carry the same version. Default `false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_version: Option<SharedVersion>,

    /// Keys only cargo-release acts on: accepted, type-checked and otherwise ignored.
    #[serde(flatten)]
    pub cargo_release: CargoReleaseKeys,

    /// Where each value was written, keyed by its path in the policy (`tag-name`,
    /// `manifests[2]`, `manifests[2].search`, `labels.pre`, `dotnet.assembly-version`,
    /// `checks[0].run`, `rate-limit.new-packages`): for diagnostics that point into the Cargo.toml.
    /// Part of `==`: clear it to compare two policies by content.
    #[serde(skip)]
    #[schemars(skip)]
    pub origins: BTreeMap<String, Origin>,
}

impl Policy {
    /// The default of `commit-message`.
    pub const DEFAULT_COMMIT_MESSAGE: &'static str = "Release {{version}}";
    /// The default of `tag-name` (cargo-release's).
    pub const DEFAULT_TAG_NAME: &'static str = "{{prefix}}v{{version}}";
    /// The default of `tag-message`.
    pub const DEFAULT_TAG_MESSAGE: &'static str = "Release {{version}}";
    /// The default of `tag-prefix` for a crate below the workspace root leading its own group
    /// (cargo-release's).
    pub const DEFAULT_CRATE_TAG_PREFIX: &'static str = "{{crate_name}}-";

    /// The release commit message template: `commit-message`, else
    /// `pre-release-commit-message`, else [`Self::DEFAULT_COMMIT_MESSAGE`].
    pub fn commit_message(&self) -> &str {
        self.commit_message
            .as_deref()
            .or(self.pre_release_commit_message.as_deref())
            .unwrap_or(Self::DEFAULT_COMMIT_MESSAGE)
    }

    /// The tag name template.
    pub fn tag_name(&self) -> &str {
        self.tag_name.as_deref().unwrap_or(Self::DEFAULT_TAG_NAME)
    }

    /// The tag message template (empty: a lightweight tag).
    pub fn tag_message(&self) -> &str {
        self.tag_message
            .as_deref()
            .unwrap_or(Self::DEFAULT_TAG_MESSAGE)
    }

    /// The tag prefix template. `at_root`: the group is the workspace group, or its crate's
    /// Cargo.toml is the workspace root's.
    pub fn tag_prefix(&self, at_root: bool) -> &str {
        match (&self.tag_prefix, at_root) {
            (Some(prefix), _) => prefix,
            (None, true) => "",
            (None, false) => Self::DEFAULT_CRATE_TAG_PREFIX,
        }
    }

    /// Whether to sign tags.
    pub fn sign_tag(&self) -> bool {
        self.sign_tag.unwrap_or(false)
    }

    /// Whether a release is tagged.
    pub fn tag(&self) -> bool {
        self.tag.unwrap_or(true)
    }

    /// The `AssemblyVersion` template.
    pub fn assembly_version(&self) -> &str {
        self.dotnet
            .assembly_version
            .as_deref()
            .unwrap_or(DotnetPolicy::DEFAULT_TEMPLATE)
    }

    /// The `FileVersion` template.
    pub fn file_version(&self) -> &str {
        self.dotnet
            .file_version
            .as_deref()
            .unwrap_or(DotnetPolicy::DEFAULT_TEMPLATE)
    }

    /// The PEP 440 stage of a pre-release label: a custom label of `labels`, else a built-in
    /// one; `None` for a label the policy does not know.
    pub fn stage_of(&self, label: &str) -> Option<Pep440Stage> {
        self.labels
            .get(label)
            .copied()
            .or_else(|| Pep440Stage::of_builtin_label(label))
    }

    /// The policy of a crate's own group, completed by the workspace's: like cargo-release, a
    /// key the package table does not set takes the workspace table's value. Inherited:
    /// `labels`, `pre-release-spelling`, `pre-release-start`, `pep440-local-version`, `dotnet`, the commit message (`commit-message` and `pre-release-commit-message`
    /// together), `tag-name`,
    /// `tag-prefix`, `tag-message`, `sign-tag`, `tag`, and cargo-release's `allow-branch`,
    /// `sign-commit`, `push`, `push-remote`, `push-options`. Not inherited, because they name
    /// files or steps of one group: `manifests`, `exclude`, `lockfiles`, `checks`; nor
    /// `shared-version` and cargo-release's other keys. `origins` keeps only the package table's own values (an
    /// inherited value was written in another file).
    #[must_use]
    pub fn inherit(&self, workspace: &Policy) -> Policy {
        fn or<T: Clone>(own: Option<&T>, inherited: Option<&T>) -> Option<T> {
            own.or(inherited).cloned()
        }
        let mut policy = self.clone();
        if policy.labels.is_empty() {
            policy.labels.clone_from(&workspace.labels);
        }
        if policy.dotnet.is_empty() {
            policy.dotnet.clone_from(&workspace.dotnet);
        }
        policy.pre_release_spelling = self.pre_release_spelling.or(workspace.pre_release_spelling);
        policy.pre_release_start = or(
            self.pre_release_start.as_ref(),
            workspace.pre_release_start.as_ref(),
        );
        policy.pep440_local_version = self.pep440_local_version.or(workspace.pep440_local_version);
        if policy.go_tags.is_empty() {
            policy.go_tags.clone_from(&workspace.go_tags);
        }
        // The two names of the commit message are one setting: the package's wins whole.
        if self.commit_message.is_none() && self.pre_release_commit_message.is_none() {
            policy.commit_message.clone_from(&workspace.commit_message);
            policy
                .pre_release_commit_message
                .clone_from(&workspace.pre_release_commit_message);
        }
        policy.tag_name = or(self.tag_name.as_ref(), workspace.tag_name.as_ref());
        policy.tag_prefix = or(self.tag_prefix.as_ref(), workspace.tag_prefix.as_ref());
        policy.tag_message = or(self.tag_message.as_ref(), workspace.tag_message.as_ref());
        policy.sign_tag = or(self.sign_tag.as_ref(), workspace.sign_tag.as_ref());
        policy.tag = or(self.tag.as_ref(), workspace.tag.as_ref());
        // cargo-release's release-step keys this tool acts on: a package table's value, else
        // the workspace's, as cargo-release merges them.
        let (own, ws) = (&self.cargo_release, &workspace.cargo_release);
        let keys = &mut policy.cargo_release;
        keys.allow_branch = or(own.allow_branch.as_ref(), ws.allow_branch.as_ref());
        keys.sign_commit = or(own.sign_commit.as_ref(), ws.sign_commit.as_ref());
        keys.push = or(own.push.as_ref(), ws.push.as_ref());
        keys.push_remote = or(own.push_remote.as_ref(), ws.push_remote.as_ref());
        keys.push_options = or(own.push_options.as_ref(), ws.push_options.as_ref());
        policy
    }
}

/// Where a value of the policy was written in the Cargo.toml text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The table holding the key, e.g. `workspace.metadata.release-policy`.
    pub table: String,
    /// Byte range of the key (for an array element: of the array's key), in the original text
    /// (a UTF-8 BOM included).
    pub key: Range<usize>,
    /// Byte range of the value in the original text.
    pub value: Range<usize>,
}

/// A file that follows the group's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ManifestEntry {
    /// A path or glob of manifests whose kind is detected from the file name, relative to the
    /// Cargo.toml holding the table, e.g. `"bindings/node/npm/*/package.json"`.
    Path(#[schemars(length(min = 1))] String),
    /// Any other file: the version is found by a text pattern.
    Pattern(PatternEntry),
}

impl ManifestEntry {
    /// The path or glob of this entry.
    pub fn path(&self) -> &str {
        match self {
            ManifestEntry::Path(path) => path,
            ManifestEntry::Pattern(pattern) => &pattern.path,
        }
    }
}

/// A file whose version is found by a text pattern, e.g.
/// `{ path = "src/pkg/_version.py", search = '__version__ = "{{version}}"', format = "pep440" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PatternEntry {
    /// Path or glob of the file(s), relative to the Cargo.toml holding the table.
    #[schemars(length(min = 1))]
    pub path: String,
    /// The text around the version, literally, with `{{version}}` (exactly once) where the
    /// version stands. No other placeholder is allowed.
    #[schemars(transform = crate::schema_rules::search_pattern)]
    pub search: String,
    /// How the version is spelled in this file. Default `semver`.
    #[serde(default, skip_serializing_if = "VersionFormat::is_default")]
    pub format: VersionFormat,
    /// The pattern must match exactly this many times. Not together with `min` or `max`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub exactly: Option<u32>,
    /// The pattern must match at least this many times. Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    /// The pattern may match at most this many times. Default: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub max: Option<u32>,
}

/// The spelling of a version in a text pattern.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VersionFormat {
    /// The canonical SemVer 2.0 version, as Cargo and npm write it: `1.5.0-rc.3`.
    #[default]
    Semver,
    /// PEP 440, as Python packaging writes it: `1.5.0rc3`, `1.5.0.dev4`.
    Pep440,
    /// NuGet's `Version`: `1.5.0-rc.3`.
    Nuget,
    /// .NET's numeric `AssemblyVersion`: `dotnet.assembly-version` when set, else `1.5.0.0`.
    Assembly,
    /// RubyGems: `1.5.0.rc.3`.
    Rubygems,
    /// Maven: `1.5.0-rc.3`.
    Maven,
}

impl VersionFormat {
    /// Every format with its name in the policy table.
    pub const ALL: [(&'static str, VersionFormat); 6] = [
        ("semver", VersionFormat::Semver),
        ("pep440", VersionFormat::Pep440),
        ("nuget", VersionFormat::Nuget),
        ("assembly", VersionFormat::Assembly),
        ("rubygems", VersionFormat::Rubygems),
        ("maven", VersionFormat::Maven),
    ];

    /// The name of this format in the policy table.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionFormat::Semver => "semver",
            VersionFormat::Pep440 => "pep440",
            VersionFormat::Nuget => "nuget",
            VersionFormat::Assembly => "assembly",
            VersionFormat::Rubygems => "rubygems",
            VersionFormat::Maven => "maven",
        }
    }

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
    fn is_default(&self) -> bool {
        *self == VersionFormat::default()
    }
}

/// A PEP 440 pre-release stage. PEP 440 orders them `dev < a < b < rc` (before the release).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Pep440Stage {
    /// Alpha: `1.5.0a2`.
    #[serde(rename = "a")]
    Alpha,
    /// Beta: `1.5.0b1`.
    #[serde(rename = "b")]
    Beta,
    /// Release candidate: `1.5.0rc3`.
    #[serde(rename = "rc")]
    Rc,
    /// Development release: `1.5.0.dev4`.
    #[serde(rename = "dev")]
    Dev,
}

impl Pep440Stage {
    /// Every stage with its name in the policy table.
    pub const ALL: [(&'static str, Pep440Stage); 4] = [
        ("a", Pep440Stage::Alpha),
        ("b", Pep440Stage::Beta),
        ("rc", Pep440Stage::Rc),
        ("dev", Pep440Stage::Dev),
    ];

    /// The built-in SemVer pre-release labels and their stages.
    pub const BUILTIN_LABELS: [(&'static str, Pep440Stage); 4] = [
        ("alpha", Pep440Stage::Alpha),
        ("beta", Pep440Stage::Beta),
        ("rc", Pep440Stage::Rc),
        ("dev", Pep440Stage::Dev),
    ];

    /// The stage's name in the policy table and its marker in a PEP 440 version: `a`, `b`, `rc`,
    /// `dev`.
    pub fn as_str(self) -> &'static str {
        match self {
            Pep440Stage::Alpha => "a",
            Pep440Stage::Beta => "b",
            Pep440Stage::Rc => "rc",
            Pep440Stage::Dev => "dev",
        }
    }

    /// The stage of a built-in label (`alpha`, `beta`, `rc`, `dev`).
    pub fn of_builtin_label(label: &str) -> Option<Pep440Stage> {
        Self::BUILTIN_LABELS
            .iter()
            .find(|(name, _)| *name == label)
            .map(|&(_, stage)| stage)
    }
}

/// How .NET projects spell their numeric versions. Each is written only where a project already
/// has the property.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct DotnetPolicy {
    /// Template of `AssemblyVersion`: two to four dot-separated parts, each a number or one of
    /// `{{major}}`, `{{minor}}`, `{{patch}}`. Default `"{{major}}.{{minor}}.{{patch}}.0"`; a
    /// library that keeps binary compatibility within a major version often uses
    /// `"{{major}}.0.0.0"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = crate::schema_rules::numeric_template)]
    pub assembly_version: Option<String>,
    /// Template of `FileVersion`, in the same form. Default `"{{major}}.{{minor}}.{{patch}}.0"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = crate::schema_rules::numeric_template)]
    pub file_version: Option<String>,
}

impl DotnetPolicy {
    /// The default template of `AssemblyVersion` and `FileVersion`.
    pub const DEFAULT_TEMPLATE: &'static str = "{{major}}.{{minor}}.{{patch}}.0";

    /// Neither template is set.
    pub fn is_empty(&self) -> bool {
        self.assembly_version.is_none() && self.file_version.is_none()
    }
}

/// How the Helm charts a group lists follow versions. A chart is often versioned apart from
/// the application it deploys: its `version` follows the group listing it unless
/// `chart-version = false`, and its `appVersion` follows a group only when `app-version` says
/// which.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub struct HelmPolicy {
    /// Whether the chart's own `version` follows this group. Default `true`; `false` leaves it
    /// to be bumped by hand (it is then reported, never edited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart_version: Option<bool>,
    /// Which group's version the chart's `appVersion` follows: `true` for this group, the
    /// name of another group (`"workspace"` or the crate leading it), or `false` (the default)
    /// to leave it alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_version: Option<AppVersion>,
}

impl HelmPolicy {
    /// Nothing is set.
    pub fn is_empty(&self) -> bool {
        self.chart_version.is_none() && self.app_version.is_none()
    }
}

/// The group a chart's `appVersion` follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AppVersion {
    /// `true`: the group listing the chart; `false`: none.
    Follow(bool),
    /// The group of this name (`workspace`, or the crate leading it).
    Group(#[schemars(length(min = 1))] String),
}

/// One step of the release checklist: a command that must succeed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Check {
    /// A short name shown in reports, unique within the table, e.g. `"tests"`.
    #[schemars(length(min = 1))]
    pub name: String,
    /// The program and its arguments, run without a shell, e.g. `["cargo", "test"]`.
    #[schemars(length(min = 1))]
    pub run: Vec<String>,
    /// The directory to run in, relative to the Cargo.toml holding the table. Default: that
    /// Cargo.toml's directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub dir: Option<String>,
}

/// cargo-release's `shared-version`: `true` or a set name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum SharedVersion {
    /// `true`: share the version with the other crates that set `true`.
    Enabled(bool),
    /// The name of a set of crates sharing a version.
    Name(String),
}

/// `pre-release-spelling`: how SemVer files write a pre-release.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PreReleaseSpelling {
    /// `1.5.0-rc.1`.
    #[default]
    Dotted,
    /// `1.5.0-rc1`, `2.6.0-dev` for dev 0.
    Compact,
}

impl PreReleaseSpelling {
    /// Every value with its name in the policy table.
    pub const ALL: [(&'static str, PreReleaseSpelling); 2] = [
        ("dotted", PreReleaseSpelling::Dotted),
        ("compact", PreReleaseSpelling::Compact),
    ];
}

/// `pre-release-start`: the first number of a pre-release series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PreReleaseStart {
    /// Every label starts at this number.
    All(u64),
    /// Per label; a label not named starts at 1.
    PerLabel(BTreeMap<String, u64>),
}

impl PreReleaseStart {
    /// The first number of every label not named, and the named ones.
    pub fn split(&self) -> (u64, Vec<(String, u64)>) {
        match self {
            PreReleaseStart::All(n) => (*n, Vec::new()),
            PreReleaseStart::PerLabel(map) => (
                1,
                map.iter().map(|(label, n)| (label.clone(), *n)).collect(),
            ),
        }
    }
}
