//! Planning (pure): what every field should say, what differs, and the edits that fix it.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use policy_schema::VersionFormat;
use serde::Serialize;

use crate::editor::fxhash::FxBuildHasher;
use crate::editor::{self, DynamicVersion, EditorError, Field, FieldKind, FileKind, Note};
use crate::group::Group;
use crate::repo::{PatternUse, Repo};
use crate::requirement::{Flavor, Requirement};
use crate::source::SourceFile;
use crate::text::{LineCursor, Position, Span};
use crate::version::{Comparison, Ecosystem, Spelling, Version, VersionError};

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

/// Plan every group: `targets[i]` is what group `i` should hold.
pub fn plan(repo: &Repo, targets: &[Target]) -> Result<Plan, PlanError> {
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

/// Every file, in key order, with the group that owns it: the two maps (both sorted by key)
/// walked together, not a lookup per file.
fn files_with_owners(repo: &Repo) -> Vec<(&String, &SourceFile, Option<usize>)> {
    let mut owners = repo.owners.iter().peekable();
    repo.files
        .iter()
        .map(|(key, file)| {
            while owners.next_if(|&(owned, _)| owned < key).is_some() {}
            let owner = owners.next_if(|&(owned, _)| owned == key).map(|(_, &g)| g);
            (key, file, owner)
        })
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
    for (key, &owner) in &repo.owners {
        if owner != group {
            continue;
        }
        let Some(file) = repo.files.get(key) else {
            continue;
        };
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

/// Which group each package name belongs to, per ecosystem (Python names PEP 503-normalized,
/// NuGet names lowercase). Looked up for every requirement and lock entry.
struct Names {
    cargo: NameMap,
    npm: NameMap,
    python: NameMap,
    nuget: NameMap,
}

type NameMap = HashMap<String, usize, FxBuildHasher>;

impl Names {
    fn of(repo: &Repo, files: &[(&String, &SourceFile, Option<usize>)]) -> Names {
        let mut names = Names {
            cargo: NameMap::default(),
            npm: NameMap::default(),
            python: NameMap::default(),
            nuget: NameMap::default(),
        };
        for (index, group) in repo.groups.iter().enumerate() {
            for name in &group.crates {
                names.cargo.insert(name.clone(), index);
            }
        }
        let owned = files
            .iter()
            .filter_map(|&(key, file, owner)| Some((key, file, owner?)));
        for (key, file, index) in owned {
            match file.kind {
                FileKind::CargoToml => {
                    if let Some(name) = &file.reading.name {
                        names.cargo.entry(name.clone()).or_insert(index);
                    }
                }
                FileKind::PackageJson => {
                    if let Some(name) = &file.reading.name {
                        names.npm.insert(name.clone(), index);
                    }
                }
                FileKind::Pyproject => {
                    if let Some(name) = &file.reading.name {
                        names.python.insert(normalize_python(name), index);
                    }
                }
                FileKind::MsBuild => {
                    let name = file.reading.name.clone().or_else(|| {
                        let stem = Path::new(key).file_stem()?.to_string_lossy().into_owned();
                        let ext = Path::new(key).extension()?.to_string_lossy().into_owned();
                        ext.ends_with("proj").then_some(stem)
                    });
                    if let Some(name) = name {
                        names.nuget.insert(name.to_ascii_lowercase(), index);
                    }
                }
                _ => {}
            }
        }
        names
    }

    fn group_of(&self, flavor: Flavor, package: &str) -> Option<usize> {
        match flavor {
            Flavor::Cargo => self.cargo.get(package),
            Flavor::Npm => self.npm.get(package),
            // Most names are written normalized already: looked up as they are.
            Flavor::Python if is_normal_python(package) => self.python.get(package),
            Flavor::Python => self.python.get(&normalize_python(package)),
            Flavor::NuGet if !package.bytes().any(|b| b.is_ascii_uppercase()) => {
                self.nuget.get(package)
            }
            Flavor::NuGet => self.nuget.get(&package.to_ascii_lowercase()),
        }
        .copied()
    }
}

/// Whether [`normalize_python`] leaves `name` as it is: no ASCII uppercase, no `_` or `.`,
/// and `-` only alone between other characters.
fn is_normal_python(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes
        .iter()
        .any(|&b| b.is_ascii_uppercase() || b == b'_' || b == b'.')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
}

/// PEP 503 normalization: lowercase, runs of `-`, `_`, `.` become `-`.
pub fn normalize_python(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

struct Planner<'a> {
    repo: &'a Repo,
    targets: &'a [Target],
    names: &'a Names,
    /// Each file's key by its absolute path.
    by_path: &'a OnceLock<HashMap<&'a Path, &'a String>>,
    /// See [`versioned_props_dirs`].
    props_dirs: &'a HashSet<&'a Path>,
    /// Each group's expected spellings (`rendered[i]` for group `i`).
    rendered: &'a [Rendered],
    plan: Plan,
    /// Where the last position was found, and in which file.
    cursor: Option<(String, LineCursor)>,
}

/// A group's expected spellings, each rendered on first use and then shared by every field
/// (and every thread) that expects it.
#[derive(Default)]
struct Rendered {
    /// The target's new version in each ecosystem's spelling, by [`Ecosystem::ALL`] index.
    new: [OnceLock<Result<String, VersionError>>; Ecosystem::ALL.len()],
    /// The target's old version likewise (a requirement naming it is drift).
    old: [OnceLock<Result<String, VersionError>>; Ecosystem::ALL.len()],
    prefix: OnceLock<String>,
    suffix: OnceLock<String>,
    file_version: OnceLock<Result<String, VersionError>>,
}

/// The ecosystems where each canonical version has one spelling, its normal form there, so
/// that two different spellings are two different versions: SemVer (Cargo, npm, NuGet,
/// which compare by precedence, ignoring only build metadata, which canonical versions do
/// not have) and PEP 440 (normalized). Not the numeric .NET versions (a template may drop
/// parts), RubyGems or Maven (their own comparisons). Property-tested below.
fn spells_apart(eco: Ecosystem) -> bool {
    matches!(
        eco,
        Ecosystem::Cargo | Ecosystem::Npm | Ecosystem::NuGet | Ecosystem::Pep440
    )
}

fn ecosystem_index(eco: Ecosystem) -> usize {
    Ecosystem::ALL
        .iter()
        .position(|&e| e == eco)
        .unwrap_or_default()
}

/// What an own-version field expects.
#[derive(Clone, Copy)]
enum Expect {
    /// The version in this ecosystem's spelling.
    Spelled(Ecosystem),
    /// `X.Y.Z` (MSBuild `VersionPrefix`).
    Prefix,
    /// The pre-release without a dash, or empty (MSBuild `VersionSuffix`).
    Suffix,
    /// A numeric .NET version from the `FileVersion` template.
    FileVersion,
}

impl<'a> Planner<'a> {
    /// Plan `file`, owned by group `owner` (listed in its `manifests`), if any.
    fn file(
        &mut self,
        key: &str,
        file: &SourceFile,
        owner: Option<usize>,
    ) -> Result<(), PlanError> {
        let flavor = match file.kind {
            FileKind::CargoToml | FileKind::CargoLock => Flavor::Cargo,
            FileKind::PackageJson | FileKind::PackageLock => Flavor::Npm,
            FileKind::Pyproject | FileKind::UvLock | FileKind::VersionFile => Flavor::Python,
            FileKind::MsBuild => Flavor::NuGet,
            FileKind::Text => return self.text_file(key, file),
        };
        // The group of the file's own version fields.
        let own_group = match file.kind {
            FileKind::PackageLock => file
                .reading
                .name
                .as_deref()
                .and_then(|n| self.names.group_of(Flavor::Npm, n)),
            _ => owner,
        };
        let mut own_fields = 0;
        for field in &file.reading.fields {
            match &field.kind {
                FieldKind::Requirement { package } => {
                    if let Some(group) = self.names.group_of(flavor, package) {
                        self.requirement(key, file, field, flavor, group)?;
                    }
                }
                FieldKind::Locked { package } | FieldKind::LockReference { package } => {
                    if let Some(group) = self.names.group_of(flavor, package) {
                        self.own(
                            key,
                            file,
                            field,
                            group,
                            Expect::Spelled(flavor_ecosystem(flavor)),
                        )?;
                    }
                }
                FieldKind::Property { .. } => {}
                kind => {
                    let group = if file.kind == FileKind::CargoToml {
                        self.cargo_group(file, field, owner)
                    } else {
                        own_group
                    };
                    let Some(group) = group else { continue };
                    own_fields += 1;
                    let expect = match kind {
                        FieldKind::VersionPrefix => Expect::Prefix,
                        FieldKind::VersionSuffix => Expect::Suffix,
                        FieldKind::AssemblyVersion => Expect::Spelled(Ecosystem::Assembly),
                        FieldKind::FileVersion => Expect::FileVersion,
                        _ => Expect::Spelled(match file.kind {
                            FileKind::MsBuild => Ecosystem::NuGet,
                            _ => flavor_ecosystem(flavor),
                        }),
                    };
                    self.own(key, file, field, group, expect)?;
                }
            }
        }
        for note in &file.reading.notes {
            own_fields += self.note(key, file, note, owner)?;
        }
        if let Some(group) = owner {
            let expects_own = matches!(
                file.kind,
                FileKind::PackageJson | FileKind::Pyproject | FileKind::VersionFile
            ) || (file.kind == FileKind::MsBuild && is_project(key));
            if expects_own && own_fields == 0 && !self.msbuild_inherits(key, file) {
                let what = match file.kind {
                    FileKind::PackageJson => "a `\"version\"` field",
                    FileKind::Pyproject => "`[project].version` or `dynamic = [\"version\"]`",
                    FileKind::VersionFile => "a `__version__ = \"…\"` line",
                    _ => "a `<Version>` or `<VersionPrefix>` property (here or in a Directory.Build.props above it)",
                };
                let expected =
                    self.expected(group, Expect::Spelled(flavor_ecosystem(flavor)), key)?;
                let at = self.at(key, file, Span::at(0), group);
                self.record(Finding {
                    field: "version",
                    key: "version".to_string(),
                    package: None,
                    found: String::new(),
                    expected: Some(expected),
                    status: Status::Missing,
                    detail: Some(format!("the file has no version: expected {what}")),
                    ..at
                });
            }
        }
        Ok(())
    }

    /// A file named by pattern entries: every match holds its entry's group's version in the
    /// entry's format, and each entry matches as many times as it allows.
    fn text_file(&mut self, key: &str, file: &SourceFile) -> Result<(), PlanError> {
        let Some(uses) = self.repo.patterns.get(key) else {
            return Ok(());
        };
        for pattern_use in uses {
            let matches: Vec<&Field> = file
                .reading
                .fields
                .iter()
                .filter(|f| pattern_use.pattern.owns(&f.key))
                .collect();
            let eco = format_ecosystem(pattern_use.pattern.format);
            for field in &matches {
                self.own(key, file, field, pattern_use.group, Expect::Spelled(eco))?;
            }
            if !pattern_use.allows(matches.len()) {
                self.count(key, file, pattern_use, &matches);
            }
        }
        Ok(())
    }

    /// A pattern entry matched a file a number of times it does not allow.
    fn count(
        &mut self,
        key: &str,
        file: &SourceFile,
        pattern_use: &PatternUse,
        matches: &[&Field],
    ) {
        let n = matches.len();
        let max = pattern_use.max.map_or(usize::MAX, |m| m as usize);
        // Point at the first match too many, else at the last match, else at the file.
        let span = matches
            .get(max)
            .or(matches.last())
            .map_or(Span::at(0), |f| f.span);
        let found = match n {
            0 => "nothing".to_string(),
            1 => "once".to_string(),
            n => format!("{n} times"),
        };
        let rule = pattern_use.rule();
        let plural = if rule.ends_with(" 1") { "" } else { "es" };
        let detail = format!(
            "the search `{}` matches {found}, and `{}` in `{}` expects {rule} match{plural}",
            pattern_use.pattern.display(),
            pattern_use.origin,
            pattern_use.policy_file,
        );
        let at = self.at(key, file, span, pattern_use.group);
        self.record(Finding {
            key: pattern_use.pattern.display(),
            found: n.to_string(),
            status: Status::Count,
            detail: Some(detail),
            ..at
        });
    }

    /// The group a Cargo.toml version field follows: the workspace group for
    /// `workspace.package.version`, the crate's own group for `package.version` (or the group
    /// listing this Cargo.toml in `manifests`).
    fn cargo_group(&self, file: &SourceFile, field: &Field, owner: Option<usize>) -> Option<usize> {
        let groups = &self.repo.groups;
        if field.key == "workspace.package.version" {
            return groups.iter().position(Group::is_workspace);
        }
        let name = file.reading.name.as_deref()?;
        groups
            .iter()
            .position(|g| g.crate_name.as_deref() == Some(name))
            .or(owner)
    }

    /// An MSBuild project whose version comes from a `Directory.Build.props` above it.
    fn msbuild_inherits(&self, key: &str, file: &SourceFile) -> bool {
        if file.kind != FileKind::MsBuild {
            return false;
        }
        let Some(dir) = file.abs.parent() else {
            return false;
        };
        // A `Directory.Build.props` does not inherit from itself.
        let is_props = key.ends_with("Directory.Build.props");
        dir.ancestors()
            .any(|d| self.props_dirs.contains(d) && !(is_props && d == dir))
    }

    fn target(&self, group: usize) -> &Target {
        &self.targets[group]
    }

    fn spelling(&self, group: usize) -> &Spelling {
        &self.repo.groups[group].spelling
    }

    fn expected(&self, group: usize, expect: Expect, key: &str) -> Result<String, PlanError> {
        let version = &self.target(group).new;
        let spelling = self.spelling(group);
        let rendered = &self.rendered[group];
        let result = match expect {
            Expect::Spelled(eco) => self.spelled(group, eco, false),
            Expect::Prefix => Ok(rendered
                .prefix
                .get_or_init(|| version.release().to_string())
                .as_str()),
            Expect::Suffix => Ok(rendered
                .suffix
                .get_or_init(|| {
                    version
                        .pre
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                })
                .as_str()),
            Expect::FileVersion => rendered
                .file_version
                .get_or_init(|| {
                    let template = self.repo.groups[group]
                        .policy
                        .dotnet
                        .file_version
                        .as_deref()
                        .unwrap_or(crate::version::DEFAULT_ASSEMBLY_TEMPLATE);
                    spelling.assembly(version, template)
                })
                .as_deref(),
        };
        result
            .map(str::to_string)
            .map_err(|error| PlanError::Version {
                path: key.to_string(),
                error: error.clone(),
            })
    }

    /// Whether `value` is exactly the group's old version as `eco` spells it, and that
    /// spelling differs from the new version's: then `value` names another version than the
    /// new one, known without parsing it (see [`spells_apart`]). What a bump asks of every
    /// field.
    fn spells_old(&self, group: usize, eco: Ecosystem, value: &str) -> bool {
        spells_apart(eco)
            && matches!(
                (self.spelled(group, eco, true), self.spelled(group, eco, false)),
                (Ok(old), Ok(new)) if old == value && old != new
            )
    }

    /// The group's new (or, with `old`, old) version as `eco` spells it, rendered once.
    fn spelled(
        &self,
        group: usize,
        eco: Ecosystem,
        old: bool,
    ) -> Result<&'a str, &'a VersionError> {
        let rendered: &'a Rendered = &self.rendered[group];
        let targets: &'a [Target] = self.targets;
        let spelling: &'a Spelling = &self.repo.groups[group].spelling;
        let (cells, version) = if old {
            (&rendered.old, &targets[group].old)
        } else {
            (&rendered.new, &targets[group].new)
        };
        cells[ecosystem_index(eco)]
            .get_or_init(|| spelling.render(version, eco))
            .as_deref()
    }

    fn own(
        &mut self,
        key: &str,
        file: &SourceFile,
        field: &Field,
        group: usize,
        expect: Expect,
    ) -> Result<(), PlanError> {
        let expected = self.expected(group, expect, key)?;
        let status = if field.insert.is_some() {
            // An absent `VersionSuffix`: only a pre-release adds it.
            if expected.is_empty() {
                return Ok(());
            }
            Status::Missing
        } else {
            let comparison = match expect {
                // What `compare` answers first: the expected spelling, exactly.
                Expect::Spelled(_) if field.value == expected => Comparison::Same,
                Expect::Spelled(eco) if self.spells_old(group, eco, &field.value) => {
                    Comparison::Different
                }
                Expect::Spelled(eco) => {
                    self.spelling(group)
                        .compare(&self.target(group).new, &field.value, eco)
                }
                Expect::Prefix | Expect::Suffix | Expect::FileVersion => {
                    if field.value == expected {
                        Comparison::Same
                    } else if field.value.eq_ignore_ascii_case(&expected) {
                        Comparison::Equivalent
                    } else {
                        Comparison::Different
                    }
                }
            };
            match comparison {
                Comparison::Same => Status::Ok,
                Comparison::Equivalent => Status::NonCanonical,
                Comparison::Different | Comparison::Invalid(_) => Status::Drift,
            }
        };
        let detail = (status == Status::Missing)
            .then(|| "the element is added beside `VersionPrefix`".to_string());
        self.push_field(key, file, field, group, (expected, status, detail));
        Ok(())
    }

    fn requirement(
        &mut self,
        key: &str,
        file: &SourceFile,
        field: &Field,
        flavor: Flavor,
        group: usize,
    ) -> Result<(), PlanError> {
        let targets = self.targets;
        let target = &targets[group];
        let spelling = &self.repo.groups[group].spelling;
        let Some(req) = Requirement::parse(flavor, &field.value) else {
            // `workspace:*`, `file:`, ranges: not ours to rewrite.
            self.push_field(
                key,
                file,
                field,
                group,
                (
                    String::new(),
                    Status::LeftAlone,
                    Some("not a requirement on one version".to_string()),
                ),
            );
            return Ok(());
        };
        let eco = flavor_ecosystem(flavor);
        let new = self.spelled(group, eco, false);
        let with_new = |new: Result<&str, &VersionError>| {
            new.map(|rendered| req.with_rendered(flavor, &target.new, rendered))
                .map_err(|error| PlanError::Version {
                    path: key.to_string(),
                    error: error.clone(),
                })
        };
        // Spelling the new version exactly (what `check` finds), or not the old one exactly
        // (what a bump finds) and naming the new one by meaning.
        let names_new = new.ok() == Some(req.version)
            || (!self.spells_old(group, eco, req.version)
                && req.names_rendered(flavor, &target.new, new.ok(), spelling));
        let (status, expected) = if names_new {
            let expected = with_new(new)?;
            let status = if expected == field.value {
                Status::Ok
            } else {
                Status::NonCanonical
            };
            (status, expected)
        } else if req.names_rendered(
            flavor,
            &target.old,
            self.spelled(group, eco, true).ok(),
            spelling,
        ) {
            let expected = with_new(new)?;
            (Status::Drift, expected)
        } else {
            self.push_field(
                key,
                file,
                field,
                group,
                (
                    String::new(),
                    Status::LeftAlone,
                    Some(format!("names another version than {}", target.new)),
                ),
            );
            return Ok(());
        };
        self.push_field(key, file, field, group, (expected, status, None));
        Ok(())
    }

    /// Report a fact about a file (not an editable value): the span's text, no expectation.
    #[allow(clippy::too_many_arguments)]
    fn fact(
        &mut self,
        key: &str,
        file: &SourceFile,
        span: Span,
        group: usize,
        field_key: &str,
        status: Status,
        detail: String,
    ) {
        let found = span.slice(&file.text).to_string();
        let at = self.at(key, file, span, group);
        self.record(Finding {
            key: field_key.to_string(),
            found,
            status,
            detail: Some(detail),
            ..at
        });
    }

    /// Report a note; returns how many own-version facts it stands for.
    fn note(
        &mut self,
        key: &str,
        file: &SourceFile,
        note: &Note,
        owner: Option<usize>,
    ) -> Result<usize, PlanError> {
        let Some(group) = owner else {
            return Ok(0);
        };
        if file.kind == FileKind::MsBuild && !msbuild_version_note(note) {
            return Ok(0);
        }
        match note {
            Note::InheritsWorkspace { span } => {
                let detail = "inherits `workspace.package.version`".to_string();
                self.fact(
                    key,
                    file,
                    *span,
                    group,
                    "package.version",
                    Status::Inherits,
                    detail,
                );
                Ok(1)
            }
            Note::Dynamic { source, span } => self.dynamic(key, file, source, *span, group),
            Note::PropertyReference {
                field,
                key: field_key,
                property,
                span,
            } => {
                self.property_reference(key, file, (field, field_key), property, *span, group)?;
                Ok(1)
            }
            Note::Conditional {
                key: field_key,
                condition,
                span,
            } => {
                let detail = format!("under `Condition=\"{condition}\"`: not evaluated");
                self.fact(
                    key,
                    file,
                    *span,
                    group,
                    field_key,
                    Status::Conditional,
                    detail,
                );
                Ok(0)
            }
            Note::Unsupported {
                key: field_key,
                reason,
                span,
            } => {
                self.fact(
                    key,
                    file,
                    *span,
                    group,
                    field_key,
                    Status::Unsupported,
                    reason.clone(),
                );
                Ok(0)
            }
        }
    }

    /// A pyproject's `dynamic = ["version"]`.
    fn dynamic(
        &mut self,
        key: &str,
        file: &SourceFile,
        source: &DynamicVersion,
        span: Span,
        group: usize,
    ) -> Result<usize, PlanError> {
        let (detail, counts) = match source {
            DynamicVersion::Maturin { manifest_path } => {
                let dir = file.abs.parent().unwrap_or(Path::new(""));
                let cargo = self
                    .repo
                    .workspace
                    .relative(&crate::discover::normalize(&dir.join(manifest_path)));
                if self.repo.owners.get(&cargo) != Some(&group) {
                    let expected = self.expected(group, Expect::Spelled(Ecosystem::Pep440), key)?;
                    let group_name = &self.repo.groups[group].name;
                    let detail = format!("maturin takes the version from `{cargo}`, which is not in group `{group_name}`");
                    let at = self.at(key, file, span, group);
                    self.record(Finding {
                        key: "project.dynamic".to_string(),
                        found: "dynamic".to_string(),
                        expected: Some(expected),
                        status: Status::Drift,
                        detail: Some(detail),
                        ..at
                    });
                    return Ok(1);
                }
                (format!("maturin takes the version from `{cargo}`"), 1)
            }
            DynamicVersion::Vcs => ("the version comes from git tags".to_string(), 1),
            DynamicVersion::SetuptoolsAttr { attr } => (format!("setuptools reads `{attr}`"), 1),
            DynamicVersion::File { path, .. } => (format!("read from `{path}`"), 1),
            DynamicVersion::Unknown { backend } => {
                (format!("dynamic version from `{backend}`: not checked"), 1)
            }
        };
        self.fact(
            key,
            file,
            span,
            group,
            "project.dynamic",
            Status::Derived,
            detail,
        );
        Ok(counts)
    }

    /// An MSBuild `$(Prop)` value: follow it to the literal definition and plan that.
    fn property_reference(
        &mut self,
        key: &str,
        file: &SourceFile,
        (field, field_key): (&FieldKind, &str),
        property: &str,
        span: Span,
        group: usize,
    ) -> Result<(), PlanError> {
        let Some((def_key, def_field)) = self.resolve_property(key, file, property, span.start)
        else {
            let detail = format!("`{property}` is not defined literally (here or in the Directory.*.props MSBuild imports)");
            self.fact(
                key,
                file,
                span,
                group,
                field_key,
                Status::Unsupported,
                detail,
            );
            return Ok(());
        };
        let detail = format!("defined by `{property}` in `{def_key}`");
        self.fact(key, file, span, group, field_key, Status::Derived, detail);
        let def_file = &self.repo.files[&def_key];
        if let FieldKind::Requirement { package } = field {
            if let Some(owner) = self.names.group_of(Flavor::NuGet, package) {
                self.requirement(&def_key, def_file, &def_field, Flavor::NuGet, owner)?;
            }
            return Ok(());
        }
        let expect = match field {
            FieldKind::VersionPrefix => Expect::Prefix,
            FieldKind::VersionSuffix => Expect::Suffix,
            FieldKind::AssemblyVersion => Expect::Spelled(Ecosystem::Assembly),
            FieldKind::FileVersion => Expect::FileVersion,
            _ => Expect::Spelled(Ecosystem::NuGet),
        };
        self.own(&def_key, def_file, &def_field, group, expect)
    }

    /// The literal definition of an MSBuild property as seen at byte `offset` of `key`:
    /// evaluated over the files MSBuild imports for it (`Directory.Build.props`,
    /// `Directory.Packages.props`, the file, `Directory.Build.targets`) that were read.
    fn resolve_property(
        &self,
        key: &str,
        file: &SourceFile,
        property: &str,
        offset: usize,
    ) -> Option<(String, Field)> {
        let repo = self.repo;
        let by_path = self.by_path.get_or_init(|| {
            repo.files
                .iter()
                .map(|(k, f)| (f.abs.as_path(), k))
                .collect()
        });
        let chain_paths = editor::msbuild::import_chain(&file.abs, |p| by_path.contains_key(p));
        let mut chain: Vec<(&str, &editor::Reading)> = Vec::new();
        let mut index = None;
        for path in &chain_paths {
            let Some(k) = by_path.get(path.as_path()) else {
                continue;
            };
            if k.as_str() == key {
                index = Some(chain.len());
            }
            chain.push((k.as_str(), &self.repo.files[*k].reading));
        }
        let index = index?;
        let (def_key, field) =
            editor::msbuild::resolve_reference(property, &chain, index, offset).literal()?;
        Some((def_key.to_string(), field.clone()))
    }

    fn push_field(
        &mut self,
        key: &str,
        file: &SourceFile,
        field: &Field,
        group: usize,
        (expected, status, detail): (String, Status, Option<String>),
    ) {
        if matches!(
            status,
            Status::Drift | Status::NonCanonical | Status::Missing
        ) {
            let edit = (field.clone(), expected.clone());
            match self.plan.edits.get_mut(key) {
                Some(edits) => edits.push(edit),
                None => {
                    self.plan.edits.insert(key.to_string(), vec![edit]);
                }
            }
        }
        let expected = (status != Status::LeftAlone).then_some(expected);
        let at = self.at(key, file, field.span, group);
        self.record(Finding {
            field: field_name(&field.kind),
            key: field.key.clone(),
            package: field.package().map(str::to_string),
            found: field.value.clone(),
            expected,
            status,
            detail,
            ..at
        });
    }

    /// A finding at `span` of `file` for `group`, to be filled in.
    fn at(&mut self, key: &str, file: &SourceFile, span: Span, group: usize) -> Finding {
        let position = self.position(key, file, span.start);
        Finding {
            path: key.to_string(),
            line: position.line,
            column: position.column,
            span,
            field: "version",
            key: String::new(),
            package: None,
            group: self.repo.groups[group].name.clone(),
            found: String::new(),
            expected: None,
            status: Status::Ok,
            detail: None,
        }
    }

    /// The position of `offset` in `file`, scanning on from the previous finding's when it
    /// is in the same file (see [`LineCursor`]).
    fn position(&mut self, key: &str, file: &SourceFile, offset: usize) -> Position {
        match &mut self.cursor {
            Some((cursor_key, cursor)) if cursor_key == key => cursor.position(&file.text, offset),
            _ => {
                let mut cursor = LineCursor::default();
                let position = cursor.position(&file.text, offset);
                self.cursor = Some((key.to_string(), cursor));
                position
            }
        }
    }

    fn record(&mut self, finding: Finding) {
        self.plan.findings.push(finding);
    }
}

/// Whether an MSBuild note is about a version (MSBuild notes cover every property, so that
/// `$(Prop)` chains resolve).
fn msbuild_version_note(note: &Note) -> bool {
    let is_version_kind = |kind: &FieldKind| !matches!(kind, FieldKind::Property { .. });
    match note {
        Note::PropertyReference { field, .. } => is_version_kind(field),
        Note::Conditional { key, .. } | Note::Unsupported { key, .. } => {
            key.starts_with("ItemGroup/")
                || editor::msbuild::property_name(key)
                    .map(editor::msbuild::property_kind)
                    .is_some_and(|k| is_version_kind(&k))
        }
        _ => false,
    }
}

fn is_project(key: &str) -> bool {
    key.ends_with("proj")
}

fn flavor_ecosystem(flavor: Flavor) -> Ecosystem {
    match flavor {
        Flavor::Cargo => Ecosystem::Cargo,
        Flavor::Npm => Ecosystem::Npm,
        Flavor::Python => Ecosystem::Pep440,
        Flavor::NuGet => Ecosystem::NuGet,
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
mod tests {
    use super::*;

    proptest::proptest! {
        /// A name that passes `is_normal_python` is looked up as written: it is its own
        /// normal form. Every normal form passes.
        #[test]
        fn normal_python_names(name in "[a-zA-Z0-9._\u{e9}-]{0,12}") {
            if is_normal_python(&name) {
                proptest::prop_assert_eq!(normalize_python(&name), name.clone());
            }
            proptest::prop_assert!(is_normal_python(&normalize_python(&name)));
        }
    }

    fn version(
        (major, minor, patch): (u64, u64, u64),
        pre: Option<(&str, Option<u64>)>,
    ) -> Version {
        Version {
            major,
            minor,
            patch,
            pre: pre.map(|(label, number)| crate::version::Pre {
                label: label.to_string(),
                number,
            }),
        }
    }

    fn any_version() -> impl proptest::strategy::Strategy<Value = Version> {
        use proptest::prelude::*;
        (
            (0..3u64, 0..3u64, 0..3u64),
            proptest::option::of((
                proptest::sample::select(vec!["alpha", "beta", "rc", "dev", "pre"]),
                proptest::option::of(0..3u64),
            )),
        )
            .prop_map(|(release, pre)| version(release, pre))
    }

    proptest::proptest! {
        /// `spells_apart`: in those ecosystems, a value spelling one version exactly,
        /// differently from another version's spelling, compares as another version, and
        /// a requirement on it does not name the other.
        #[test]
        fn different_spellings_are_different_versions(old in any_version(), new in any_version()) {
            let labels =
                crate::version::Labels::with_custom([("pre".to_string(), crate::version::Stage::Rc)])
                    .unwrap();
            let spelling = Spelling {
                labels,
                ..Spelling::default()
            };
            for (eco, flavors) in [
                (Ecosystem::Cargo, &[Flavor::Cargo][..]),
                (Ecosystem::Npm, &[Flavor::Npm][..]),
                (Ecosystem::NuGet, &[Flavor::NuGet][..]),
                (Ecosystem::Pep440, &[Flavor::Python][..]),
            ] {
                proptest::prop_assert!(spells_apart(eco));
                let (Ok(old_spelled), Ok(new_spelled)) =
                    (spelling.render(&old, eco), spelling.render(&new, eco))
                else {
                    continue;
                };
                if old_spelled == new_spelled {
                    continue;
                }
                proptest::prop_assert_eq!(
                    spelling.compare(&new, &old_spelled, eco),
                    Comparison::Different,
                    "{} in {}", &old_spelled, eco
                );
                for &flavor in flavors {
                    for operator in ["", "=", "^", "~", ">=", "==", "["] {
                        let close = if operator == "[" { "]" } else { "" };
                        let raw = format!("{operator}{old_spelled}{close}");
                        if let Some(req) = Requirement::parse(flavor, &raw) {
                            proptest::prop_assert!(
                                !req.names(flavor, &new, &spelling),
                                "{} names {}", &raw, &new
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn names_by_flavor() {
        let mut names = Names {
            cargo: NameMap::default(),
            npm: NameMap::default(),
            python: NameMap::default(),
            nuget: NameMap::default(),
        };
        names.python.insert("my-pkg".to_string(), 1);
        names.nuget.insert("acme.core".to_string(), 2);
        assert_eq!(names.group_of(Flavor::Python, "my-pkg"), Some(1));
        assert_eq!(names.group_of(Flavor::Python, "My_Pkg"), Some(1));
        assert_eq!(names.group_of(Flavor::Python, "my..pkg"), Some(1));
        assert_eq!(names.group_of(Flavor::Python, "mypkg"), None);
        assert_eq!(names.group_of(Flavor::NuGet, "acme.core"), Some(2));
        assert_eq!(names.group_of(Flavor::NuGet, "Acme.Core"), Some(2));
        assert_eq!(names.group_of(Flavor::Npm, "acme.core"), None);
    }
}
