//! Planning (pure): what every field should say, what differs, and the edits that fix it.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use policy_schema::VersionFormat;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::editor::{self, EditorError, Field, FieldKind, FileKind};
use crate::load::source::SourceFile;
use crate::load::Repo;
use crate::text::Span;
use crate::version::{Ecosystem, Version, VersionError};

mod names;
mod planner;

use names::Names;
use planner::{Planner, Rendered};

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
            Status::Drift | Status::Missing | Status::Count | Status::NonCanonical
        )
    }

    /// Whether `check` fails on it (non-canonical spellings only with `--strict`).
    pub fn fails(self, strict: bool) -> bool {
        match self {
            Status::Drift | Status::Missing | Status::Count => true,
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
}

/// Each group's current version as its target: what `show`, `check`, `sync` and `tag` plan
/// (a bump moves one of them).
pub fn current(repo: &Repo) -> Vec<Target> {
    repo.groups
        .iter()
        .map(|g| Target {
            old: g.version.clone(),
            new: g.version.clone(),
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

/// Plan every group: `targets[i]` is what group `i` should hold.
pub fn plan(repo: &Repo, targets: &[Target]) -> Result<Plan, PlanError> {
    plan_keeping(repo, targets, Keep::All)
}

/// [`plan`], keeping only the findings `keep` asks for.
pub fn plan_keeping(repo: &Repo, targets: &[Target], keep: Keep) -> Result<Plan, PlanError> {
    let files = files_with_owners(repo);
    let names = Names::of(repo, &files);
    // Built on the first `$(Prop)` to follow: most repositories have none.
    let by_path = OnceLock::new();
    let props_dirs = versioned_props_dirs(repo);
    let rendered: Vec<Rendered> = targets.iter().map(|_| Rendered::default()).collect();
    // Each file is planned on its own (on all cores); the pieces are joined in file order,
    // so the plan is the one a single pass makes (an edit one file asks of another, through
    // an MSBuild property, lands in the same order).
    let pieces = crate::par::map(&files, |&(key, file, owner)| {
        let mut planner = Planner {
            repo,
            targets,
            names: &names,
            by_path: &by_path,
            props_dirs: &props_dirs,
            rendered: &rendered,
            plan: Plan::default(),
            cursor: None,
            keep,
        };
        planner.file(key, file, owner).map(|()| planner.plan)
    });
    let mut plan = Plan::default();
    let findings = pieces
        .iter()
        .map(|piece| piece.as_ref().map_or(0, |piece| piece.findings.len()))
        .sum();
    plan.findings.reserve_exact(findings);
    for piece in pieces {
        let piece = piece?;
        plan.findings.extend(piece.findings);
        for (key, edits) in piece.edits {
            match plan.edits.entry(key) {
                Entry::Vacant(entry) => {
                    entry.insert(edits);
                }
                Entry::Occupied(mut entry) => entry.get_mut().extend(edits),
            }
        }
    }
    Ok(plan)
}

/// Every file, in key order, with the group that owns it.
fn files_with_owners(repo: &Repo) -> Vec<(&String, &SourceFile, Option<usize>)> {
    repo.files
        .iter()
        .map(|(key, file)| (key, &**file, repo.owners.get(key).copied()))
        .collect()
}

/// The directories holding a `Directory.Build.props` that sets `Version` or
/// `VersionPrefix`: the projects below them take their version from it.
fn versioned_props_dirs(repo: &Repo) -> HashSet<&Path> {
    repo.files
        .iter()
        .filter(|(key, f)| f.kind == FileKind::MsBuild && key.ends_with("Directory.Build.props"))
        .filter(|(_, f)| {
            f.reading
                .fields
                .iter()
                .any(|x| matches!(x.kind, FieldKind::Version | FieldKind::VersionPrefix))
        })
        .filter_map(|(_, f)| f.abs.parent())
        .collect()
}

/// The ecosystems a group's files spell its version in.
pub fn ecosystems(repo: &Repo, group: usize) -> Vec<Ecosystem> {
    let mut out = vec![Ecosystem::Cargo];
    // In key order (the order of `repo.files`), as the ecosystems are listed.
    for (key, file) in &repo.files {
        if repo.owners.get(key) != Some(&group) {
            continue;
        }
        let ecos: &[Ecosystem] = match file.kind {
            FileKind::PackageJson | FileKind::PackageLock => &[Ecosystem::Npm],
            FileKind::Pyproject | FileKind::UvLock | FileKind::VersionFile => &[Ecosystem::Pep440],
            FileKind::MsBuild => &[Ecosystem::NuGet, Ecosystem::Assembly],
            FileKind::CargoToml | FileKind::CargoLock | FileKind::Text => &[],
        };
        for eco in ecos {
            if !out.contains(eco) {
                out.push(*eco);
            }
        }
    }
    let patterns = repo.patterns.values().flatten();
    for eco in patterns
        .filter(|u| u.group == group)
        .map(|u| format_ecosystem(u.pattern.format))
    {
        if !out.contains(&eco) {
            out.push(eco);
        }
    }
    out
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
        FieldKind::Property { .. } => "property",
        FieldKind::Requirement { .. } => "requirement",
        FieldKind::Locked { .. } => "locked",
        FieldKind::LockReference { .. } => "lock-reference",
    }
}

/// The new text of every file with edits, each checked by reading it back. Refused when a
/// pattern entry's match count is broken: the file is not what the policy describes, and a
/// rewrite could not repair it.
pub fn render(repo: &Repo, plan: &Plan) -> Result<BTreeMap<String, String>, PlanError> {
    if let Some(finding) = plan.findings.iter().find(|f| f.status == Status::Count) {
        return Err(PlanError::Pattern {
            path: finding.path.clone(),
            detail: finding.detail.clone().unwrap_or_default(),
        });
    }
    let edits: Vec<(&String, &Vec<(Field, String)>)> = plan.edits.iter().collect();
    // Each file is rewritten and read back on its own (on all cores); the first error in
    // file order is the one reported.
    let texts = crate::par::map(&edits, |&(key, edits)| {
        let file = &repo.files[key];
        let mut seen = std::collections::BTreeSet::new();
        let pairs: Vec<(&Field, &str)> = edits
            .iter()
            .filter(|(f, _)| seen.insert(f.span))
            .map(|(f, v)| (f, v.as_str()))
            .collect();
        editor::rewrite_with(&file.text, &pairs, |t| file.reread(t))
            .map(|text| (text != file.text).then_some(text))
            .map_err(|error| PlanError::Edit {
                path: key.clone(),
                error,
            })
    });
    let mut out = BTreeMap::new();
    for (&(key, _), text) in edits.iter().zip(texts) {
        if let Some(text) = text? {
            out.insert(key.clone(), text);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
