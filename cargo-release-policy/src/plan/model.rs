//! What a plan is made of: the findings (one per field, with its status), the targets
//! (what each group should hold), the errors that stop planning, and the names fields and
//! pattern formats have in output. Data only: `planner.rs` fills it in, `plan.rs` drives it.

use std::collections::BTreeMap;

use policy_schema::VersionFormat;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::load::Repo;
use release_policy_editor::text::Span;
use release_policy_editor::{EditorError, Field, FieldKind};
use release_policy_version::{Ecosystem, Version, VersionError};

/// What a field's value means for the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Holds the expected version, spelled canonically.
    Ok,
    /// Holds the expected version, spelled another way the ecosystem accepts.
    NonCanonical,
    /// Holds another version.
    Drift,
    /// The file lacks a field the policy expects.
    Missing,
    /// The version is inherited from the workspace (`version.workspace = true`).
    Inherits,
    /// The version comes from elsewhere (maturin's Cargo.toml, git tags, an MSBuild property).
    Derived,
    /// A requirement on another version of a sibling: left as it is.
    LeftAlone,
    /// Under an MSBuild `Condition` the tool does not evaluate: reported, not edited.
    Conditional,
    /// A value the tool cannot edit (escapes, mixed MSBuild text).
    Unsupported,
    /// A pattern entry matches a file fewer or more times than its `exactly` / `min` / `max`
    /// allow (at least once by default).
    Count,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NonCanonical => "non-canonical",
            Status::Drift => "drift",
            Status::Missing => "missing",
            Status::Inherits => "inherits",
            Status::Derived => "derived",
            Status::LeftAlone => "left-alone",
            Status::Conditional => "conditional",
            Status::Unsupported => "unsupported",
            Status::Count => "count",
        }
    }

    /// Whether the human `check` report shows it (as an error, or as a warning).
    pub fn shown_by_check(self) -> bool {
        matches!(
            self,
            Status::Drift
                | Status::Missing
                | Status::Count
                | Status::NonCanonical
                | Status::Unsupported
        )
    }

    /// Whether `check` fails on it (non-canonical spellings only with `--strict`). A value
    /// the tool cannot read or edit (`Unsupported`) fails: passing it in silence would let a
    /// listed file keep an old version through every bump.
    pub fn fails(self, strict: bool) -> bool {
        match self {
            Status::Drift | Status::Missing | Status::Count | Status::Unsupported => true,
            Status::NonCanonical => strict,
            _ => false,
        }
    }
}

/// One field (or fact) of one file.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The file, relative to the workspace root.
    pub path: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Span,
    /// `version`, `requirement`, `locked`, `version-prefix`, …
    pub field: &'static str,
    /// Where in the file: `package.version`, `dependencies.core`, …
    pub key: String,
    /// The package a requirement or lock entry is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// The group whose version the field follows.
    pub group: String,
    /// The value as written.
    pub found: String,
    /// The canonical spelling expected, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    pub status: Status,
    /// More about the status: where a derived version comes from, why a value is unsupported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Every finding, and the new text of every file that changes.
#[derive(Debug, Default)]
pub struct Plan {
    pub findings: Vec<Finding>,
    /// Edits per file: the field as read and its new value.
    pub edits: BTreeMap<String, Vec<(Field, String)>>,
}

/// What a group's fields should hold: its current version, or a bump's new version.
#[derive(Debug, Clone)]
pub struct Target {
    pub old: Version,
    pub new: Version,
    /// Left out of the plan: the group's version cannot be spelled in one of its
    /// ecosystems, an error of that group alone (reported by the command), which must not
    /// hide the others.
    pub skip: bool,
}

/// Each group's current version as its target: what `show`, `check`, `sync` and `tag` plan
/// (a bump moves one of them).
pub fn current(repo: &Repo) -> Vec<Target> {
    repo.groups
        .iter()
        .map(|g| Target {
            old: g.version.clone(),
            new: g.version.clone(),
            skip: false,
        })
        .collect()
}

/// A problem that stops planning.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("`{path}`: {error}")]
    Version { path: String, error: VersionError },
    #[error("failed to edit `{path}`: {error}")]
    Edit { path: String, error: EditorError },
    /// A Cargo requirement on a group's crate that its version does not satisfy, and that
    /// no rewrite keeping its shape would: cargo could not load the workspace.
    #[error("`{path}:{line}:{column}`: `{requirement}` does not accept {version}, and no requirement of its shape would: {tool} could not resolve the workspace")]
    Requirement {
        path: String,
        line: usize,
        column: usize,
        requirement: String,
        version: String,
        /// The package manager: `cargo` or `uv`.
        tool: &'static str,
    },
    /// A pattern entry's match count is broken: nothing is written.
    #[error("`{path}`: {detail}")]
    Pattern { path: String, detail: String },
}

impl Diagnostic for PlanError {
    fn help(&self) -> Option<String> {
        match self {
            PlanError::Version { error, .. } => error.help(),
            PlanError::Pattern { .. } => Some(
                "fix the file or the pattern entry (`exactly`, `min`, `max`); nothing was written"
                    .to_string(),
            ),
            PlanError::Requirement { version, .. } => Some(format!(
                "write a requirement that accepts {version} (such as `{version}`); nothing was written"
            )),
            PlanError::Edit { .. } => None,
        }
    }
}

/// Which findings a plan keeps. Edits are always planned in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Every finding: for `show`, `bump`, `sync` and `--format json`.
    All,
    /// Only those [`Status::shown_by_check`]: for the human `check`, which at monorepo scale
    /// would otherwise build thousands of `ok` findings to print none of them.
    Shown,
}

/// The ecosystem whose spelling and ordering a pattern's format follows.
pub fn format_ecosystem(format: VersionFormat) -> Ecosystem {
    match format {
        VersionFormat::Semver => Ecosystem::Cargo,
        VersionFormat::Pep440 => Ecosystem::Pep440,
        VersionFormat::Nuget => Ecosystem::NuGet,
        VersionFormat::Assembly => Ecosystem::Assembly,
        VersionFormat::Rubygems => Ecosystem::RubyGems,
        VersionFormat::Maven => Ecosystem::Maven,
    }
}

/// The name of a field kind in output.
pub fn field_name(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Version => "version",
        FieldKind::VersionPrefix => "version-prefix",
        FieldKind::VersionSuffix => "version-suffix",
        FieldKind::AssemblyVersion => "assembly-version",
        FieldKind::FileVersion => "file-version",
        FieldKind::InformationalVersion => "informational-version",
        FieldKind::AppVersion => "app-version",
        FieldKind::Property { .. } => "property",
        FieldKind::Requirement { .. } => "requirement",
        FieldKind::Locked { .. } => "locked",
        FieldKind::LockReference { .. } => "lock-reference",
    }
}
