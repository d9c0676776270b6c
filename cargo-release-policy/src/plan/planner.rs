//! Planning one file: what each of its fields should hold, and the edits that get it there.

use crate::group::Group;
use crate::load::source::SourceFile;
use crate::load::{PatternUse, Repo};
use release_policy_editor::text::{LineCursor, Position, Span};
use release_policy_editor::text_pattern::Slot;
use release_policy_editor::{self as editor, DynamicVersion, Field, FieldKind, FileKind, Note};
use release_policy_version::requirement::{self, Flavor, Requirement};
use release_policy_version::{Comparison, Ecosystem, Spelling, VersionError};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use super::kinds::{self, Record};
use super::model::{field_name, format_ecosystem, Finding, Keep, Plan, PlanError, Status, Target};
use super::names::Names;

mod jvm;

pub(super) struct Planner<'a> {
    pub(super) repo: &'a Repo,
    pub(super) targets: &'a [Target],
    pub(super) names: &'a Names,
    /// Each file's key by its absolute path.
    pub(super) by_path: &'a OnceLock<HashMap<&'a Path, &'a String>>,
    /// See [`versioned_props_dirs`].
    pub(super) props_dirs: &'a HashSet<&'a Path>,
    /// Each group's expected spellings (`rendered[i]` for group `i`).
    pub(super) rendered: &'a [Rendered],
    pub(super) plan: Plan,
    /// Where the last position was found, and in which file.
    pub(super) cursor: Option<(String, LineCursor)>,
    /// Which findings to keep.
    pub(super) keep: Keep,
}

/// A group's expected spellings, each rendered on first use and then shared by every field
/// (and every thread) that expects it.
#[derive(Default)]
pub(super) struct Rendered {
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
pub(super) fn spells_apart(eco: Ecosystem) -> bool {
    matches!(
        eco,
        Ecosystem::Cargo | Ecosystem::Npm | Ecosystem::NuGet | Ecosystem::Pep440
    )
}

/// For an npm sibling range that does not include the group's version `new`: why it is left
/// alone all the same (npm then installs the sibling from the registry, which some
/// packages want).
fn npm_outside(
    flavor: Flavor,
    field: &Field,
    new: &release_policy_version::Version,
) -> Option<String> {
    (flavor == Flavor::Npm && requirement::npm_accepts(&field.value, new) == Some(false)).then(|| {
        format!(
            "`{}` does not include {new}: npm installs this package from the registry, not the sibling",
            field.value
        )
    })
}

fn ecosystem_index(eco: Ecosystem) -> usize {
    Ecosystem::ALL
        .iter()
        .position(|&e| e == eco)
        .unwrap_or_default()
}

/// What an own-version field expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The version in this ecosystem's spelling.
    Spelled(Ecosystem),
    /// `X.Y.Z` (MSBuild `VersionPrefix`).
    Prefix,
    /// The pre-release without a dash, or empty (MSBuild `VersionSuffix`).
    Suffix,
    /// A numeric .NET version from the `FileVersion` template.
    FileVersion,
    /// One number of the version (`{{major}}` of a pattern).
    Part(Slot),
}

impl<'a> Planner<'a> {
    /// Plan `file`, owned by group `owner` (listed in its `manifests`), if any.
    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group.
    #[allow(clippy::indexing_slicing)]
    pub(super) fn file(
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
            FileKind::MavenPom | FileKind::GradleProperties | FileKind::GradleBuild => {
                Flavor::Maven
            }
            FileKind::GoMod => Flavor::Go,
            FileKind::Text => return self.text_file(key, file),
            kind => match kinds::ecosystem(kind) {
                Some(eco) => return kinds::plan_file(self, key, file, owner, eco),
                None => return Ok(()),
            },
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
        if let Some(group) = owner.filter(|&g| !self.targets[g].skip) {
            if file.kind == FileKind::GoMod {
                self.go_major(key, file, group);
            }
            let expects_own = matches!(
                file.kind,
                FileKind::PackageJson | FileKind::Pyproject | FileKind::VersionFile
            ) || (file.kind == FileKind::MsBuild && is_project(key))
                || (file.kind == FileKind::MavenPom && !self.maven_parent_in_group(file))
                || (file.kind == FileKind::GradleBuild && file.reading.notes.is_empty());
            if expects_own && own_fields == 0 && !self.msbuild_inherits(key, file) {
                let what = missing_version(file.kind);
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
                let expect = match pattern_use.pattern.slot_of(&field.key) {
                    Some(Slot::Version) | None => Expect::Spelled(eco),
                    Some(slot) => Expect::Part(slot),
                };
                self.own(key, file, field, pattern_use.group, expect)?;
            }
            // A match of a search with several placeholders is several fields: count its
            // first placeholder's.
            let first = pattern_use.pattern.slots.first().copied();
            let whole: Vec<&Field> = matches
                .iter()
                .copied()
                .filter(|f| pattern_use.pattern.slot_of(&f.key) == first)
                .collect();
            if !pattern_use.allows(whole.len()) {
                self.count(key, file, pattern_use, &whole);
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

    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group.
    #[allow(clippy::indexing_slicing)]
    fn target(&self, group: usize) -> &Target {
        &self.targets[group]
    }

    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group.
    #[allow(clippy::indexing_slicing)]
    fn spelling(&self, group: usize) -> &Spelling {
        &self.repo.groups[group].spelling
    }

    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group.
    #[allow(clippy::indexing_slicing)]
    fn expected(&self, group: usize, expect: Expect, key: &str) -> Result<String, PlanError> {
        let version = &self.target(group).new;
        let spelling = self.spelling(group);
        let rendered = &self.rendered[group];
        let result = match expect {
            Expect::Spelled(eco) => self.spelled(group, eco, false),
            Expect::Part(slot) => {
                let number = match slot {
                    Slot::Major => version.major,
                    Slot::Minor => version.minor,
                    Slot::Patch | Slot::Version => version.patch,
                };
                return Ok(number.to_string());
            }
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
                        .unwrap_or(release_policy_version::DEFAULT_ASSEMBLY_TEMPLATE);
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
    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group; `ecosystem_index` is a
    // position in `Ecosystem::ALL`, the length of the cell arrays.
    #[allow(clippy::indexing_slicing)]
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

    /// A numeric version keeps the number of parts its file writes (`CMake`'s `2.3.1` stays
    /// three numbers) unless the policy sets `dotnet.assembly-version`: the expected value in
    /// that shape, or `None` when the template decides (or the value is no numeric version).
    // proof: `group` is a position in `repo.groups` (an owner from `repo.owners`).
    #[allow(clippy::indexing_slicing)]
    fn numeric_shape_kept(
        &self,
        group: usize,
        found: &str,
        key: &str,
    ) -> Result<Option<String>, PlanError> {
        if self.repo.groups[group]
            .policy
            .dotnet
            .assembly_version
            .is_some()
        {
            return Ok(None);
        }
        let Some(parts) = release_policy_version::numeric_shape(found) else {
            return Ok(None);
        };
        self.spelling(group)
            .numeric(&self.target(group).new, parts)
            .map(Some)
            .map_err(|error| PlanError::Version {
                path: key.to_string(),
                error,
            })
    }

    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group.
    #[allow(clippy::indexing_slicing)]
    fn own(
        &mut self,
        key: &str,
        file: &SourceFile,
        field: &Field,
        group: usize,
        expect: Expect,
    ) -> Result<(), PlanError> {
        if self.targets[group].skip {
            return Ok(());
        }
        let mut expected = self.expected(group, expect, key)?;
        if expect == Expect::Spelled(Ecosystem::Assembly) {
            if let Some(shaped) = self.numeric_shape_kept(group, &field.value, key)? {
                expected = shaped;
            }
        }
        let status = if field.insert.is_some() {
            // An absent `VersionSuffix`: only a pre-release adds it.
            if expected.is_empty() {
                return Ok(());
            }
            Status::Missing
        } else {
            let comparison = match expect {
                // What `compare` answers first: the expected spelling, exactly.
                _ if field.value == expected => Comparison::Same,
                Expect::Spelled(eco) if self.spells_old(group, eco, &field.value) => {
                    Comparison::Different
                }
                Expect::Spelled(eco) => {
                    self.spelling(group)
                        .compare(&self.target(group).new, &field.value, eco)
                }
                // `07` is the number 7, written another way
                Expect::Part(_) if field.value.parse::<u64>().ok() == expected.parse().ok() => {
                    Comparison::Equivalent
                }
                Expect::Part(_) => Comparison::Different,
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

    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group.
    #[allow(clippy::indexing_slicing)]
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
        if target.skip {
            return Ok(());
        }
        let spelling = &self.repo.groups[group].spelling;
        let poetry = field.key.starts_with("tool.poetry.");
        let ranged = flavor == Flavor::Cargo || (flavor == Flavor::Python && !poetry);
        if ranged && self.unmet(key, file, field, group, flavor)? {
            return Ok(());
        }
        let parsed = if flavor == Flavor::Python && poetry {
            Requirement::parse_poetry(&field.value)
        } else {
            Requirement::parse(flavor, &field.value)
        };
        let Some(req) = parsed else {
            // `workspace:*`, `file:`, ranges: not ours to rewrite.
            self.push_field(
                key,
                file,
                field,
                group,
                (
                    String::new(),
                    Status::LeftAlone,
                    Some(
                        npm_outside(flavor, field, &target.new)
                            .unwrap_or_else(|| "not a requirement on one version".to_string()),
                    ),
                ),
            );
            return Ok(());
        };
        let eco = flavor_ecosystem(flavor);
        // A requirement names the version without its build metadata (`+dev`): Cargo
        // ignores it there and warns, and no other tool reads it.
        let bare = target.new.without_build();
        let bare_spelled;
        let new = if target.new.build.is_some() {
            bare_spelled = spelling.render(&bare, eco);
            bare_spelled.as_deref()
        } else {
            self.spelled(group, eco, false)
        };
        let with_new = |new: Result<&str, &VersionError>| {
            new.map(|rendered| req.with_rendered(flavor, &bare, rendered))
                .map_err(|error| PlanError::Version {
                    path: key.to_string(),
                    error: error.clone(),
                })
        };
        // Spelling the new version exactly (what `check` finds), or not the old one exactly
        // (what a bump finds) and naming the new one by meaning.
        let names_new = new.ok() == Some(req.version)
            || (!self.spells_old(group, eco, req.version)
                && req.names_rendered(flavor, &bare, new.ok(), spelling));
        let (status, expected) =
            if names_new {
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
                        Some(npm_outside(flavor, field, &target.new).unwrap_or_else(|| {
                            format!("names another version than {}", target.new)
                        })),
                    ),
                );
                return Ok(());
            };
        self.push_field(key, file, field, group, (expected, status, None));
        Ok(())
    }

    /// A Cargo requirement on the group's crate that the group's version does not satisfy
    /// and that does not name the old version (those are rewritten as the bump's): cargo
    /// cannot load the workspace, so it is drift, rewritten keeping its shape
    /// (`=1.0.0` on 1.1.0 gives `=1.1.0`, `>=1.4, <2` on 2.0.0 gives `>=2.0, <3`), or, with
    /// no such rewrite, an error naming it. Whether it was one.
    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group.
    #[allow(clippy::indexing_slicing)]
    fn unmet(
        &mut self,
        key: &str,
        file: &SourceFile,
        field: &Field,
        group: usize,
        flavor: Flavor,
    ) -> Result<bool, PlanError> {
        let target = &self.targets[group];
        let spelling = self.spelling(group);
        let (accepts, tool) = match flavor {
            Flavor::Cargo => (
                requirement::cargo_accepts(&field.value, &target.new, spelling),
                "cargo",
            ),
            _ => (
                requirement::python_accepts(&field.value, &target.new, spelling),
                "uv",
            ),
        };
        if accepts != Some(false) {
            return Ok(false);
        }
        let names_old = Requirement::parse(flavor, &field.value)
            .is_some_and(|req| req.names(flavor, &target.old, spelling));
        if names_old && target.old != target.new {
            return Ok(false); // the bump's own rewrite
        }
        let repaired = match flavor {
            Flavor::Cargo => requirement::repair_cargo(&field.value, &target.new, spelling),
            _ => requirement::repair_python(&field.value, &target.new, spelling),
        };
        let Some(repaired) = repaired else {
            let position = self.position(key, file, field.span.start);
            return Err(PlanError::Requirement {
                path: key.to_string(),
                line: position.line,
                column: position.column,
                requirement: field.value.clone(),
                version: target.new.to_string(),
                tool,
            });
        };
        let detail = format!(
            "`{}` does not accept {}: {tool} could not resolve the workspace",
            field.value, target.new
        );
        self.push_field(
            key,
            file,
            field,
            group,
            (repaired, Status::Drift, Some(detail)),
        );
        Ok(true)
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
        if !self.keeps(status) {
            return;
        }
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
    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group.
    #[allow(clippy::indexing_slicing)]
    fn note(
        &mut self,
        key: &str,
        file: &SourceFile,
        note: &Note,
        owner: Option<usize>,
    ) -> Result<usize, PlanError> {
        let Some(group) = owner.filter(|&g| !self.targets[g].skip) else {
            return Ok(0);
        };
        if file.kind == FileKind::MsBuild && !msbuild_version_note(note) {
            return Ok(0);
        }
        if is_jvm(file.kind) && !self.jvm_version_note(note) {
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
            } if is_jvm(file.kind) => {
                self.jvm_reference(key, file, (field, field_key), property, *span, group)?;
                Ok(1)
            }
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
    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group.
    #[allow(clippy::indexing_slicing)]
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
                    .relative(&crate::load::expand::normalize(&dir.join(manifest_path)));
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
            DynamicVersion::Expression { expression } => {
                self.expression(key, file, expression, span, group);
                return Ok(1);
            }
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

    /// A gemspec's `s.version = Foo::VERSION`: derived from the `version.rb` defining the
    /// constant when the group owns it, else unsupported (nothing would keep it in step).
    fn expression(
        &mut self,
        key: &str,
        file: &SourceFile,
        expression: &str,
        span: Span,
        group: usize,
    ) {
        let dir = file.abs.parent().unwrap_or(Path::new(""));
        let defined = crate::load::implied::ruby_constant_file(expression).map(|rel| {
            self.repo
                .workspace
                .relative(&crate::load::expand::normalize(&dir.join(rel)))
        });
        let (status, detail) = match defined {
            Some(rb) if self.repo.owners.get(&rb) == Some(&group) => (
                Status::Derived,
                format!("the version is `{expression}`, defined in `{rb}`"),
            ),
            Some(rb) => (
                Status::Unsupported,
                format!("the version is `{expression}`, computed in Ruby, and `{rb}` is not in the group: list the file defining it in `manifests`"),
            ),
            None => (
                Status::Unsupported,
                format!("the version is `{expression}`, computed in Ruby: list the file defining it in `manifests`"),
            ),
        };
        self.fact(key, file, span, group, "version", status, detail);
    }

    /// An MSBuild `$(Prop)` value: follow it to the literal definition and plan that.
    // proof: `def_key` is a key of `repo.files`, returned by `resolve_property` from its import
    // chain.
    #[allow(clippy::indexing_slicing)]
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
    // proof: `k` is a key of `repo.files` (`by_path` is built from it).
    #[allow(clippy::indexing_slicing)]
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
        if !self.keeps(status) {
            return;
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
    // proof: a group index here is an owner from `repo.owners` or `names` (positions in
    // `repo.groups`), and `targets` and `rendered` have one entry per group.
    #[allow(clippy::indexing_slicing)]
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

    /// Whether a finding of `status` is kept: asked before building it (its position and
    /// strings are most of a plan's work when nothing drifted).
    fn keeps(&self, status: Status) -> bool {
        self.keep == Keep::All || status.shown_by_check()
    }

    fn record(&mut self, finding: Finding) {
        if self.keeps(finding.status) {
            self.plan.findings.push(finding);
        }
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

/// The Maven and Gradle kinds, whose `${prop}` / `version = prop` references are followed
/// by [`Planner::jvm_reference`].
pub(super) fn is_jvm(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::MavenPom | FileKind::GradleBuild | FileKind::GradleProperties
    )
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
        Flavor::Maven => Ecosystem::Maven,
        Flavor::Go => Ecosystem::Go,
    }
}

/// What a file of `kind` that must have its own version and has none is missing.
fn missing_version(kind: FileKind) -> &'static str {
    match kind {
        FileKind::PackageJson => "a `\"version\"` field",
        FileKind::Pyproject => "`[project].version` or `dynamic = [\"version\"]`",
        FileKind::VersionFile => "a `__version__ = \"…\"` line",
        FileKind::MavenPom => "a `<version>`, or a `<parent>` in the group to inherit it from",
        FileKind::GradleBuild => "a `version = \"…\"` statement",
        _ => "a `<Version>` or `<VersionPrefix>` property (here or in a Directory.Build.props above it)",
    }
}

/// The planner as the Ruby, Dart, CocoaPods, CMake, Zig and Helm kinds use it.
impl Record for Planner<'_> {
    fn repo(&self) -> &Repo {
        self.repo
    }

    fn skip(&self, group: usize) -> bool {
        self.targets.get(group).is_some_and(|target| target.skip)
    }

    // proof: `kinds` passes a group index that is an owner from `repo.owners` or a position in
    // `repo.groups`, and `targets` has one entry per group.
    #[allow(clippy::indexing_slicing)]
    fn new_version(&self, group: usize) -> &release_policy_version::Version {
        &self.targets[group].new
    }

    fn expected_spelled(
        &self,
        group: usize,
        eco: Ecosystem,
        key: &str,
    ) -> Result<String, PlanError> {
        self.expected(group, Expect::Spelled(eco), key)
    }

    fn own_spelled(
        &mut self,
        key: &str,
        file: &SourceFile,
        field: &Field,
        group: usize,
        eco: Ecosystem,
    ) -> Result<(), PlanError> {
        self.own(key, file, field, group, Expect::Spelled(eco))
    }

    fn push_field(
        &mut self,
        key: &str,
        file: &SourceFile,
        field: &Field,
        group: usize,
        verdict: (String, Status, Option<String>),
    ) {
        Planner::push_field(self, key, file, field, group, verdict);
    }

    fn note(
        &mut self,
        key: &str,
        file: &SourceFile,
        note: &Note,
        owner: Option<usize>,
    ) -> Result<usize, PlanError> {
        Planner::note(self, key, file, note, owner)
    }

    fn missing(
        &mut self,
        key: &str,
        file: &SourceFile,
        group: usize,
        expected: String,
        detail: String,
    ) {
        let at = self.at(key, file, Span::at(0), group);
        self.record(Finding {
            field: "version",
            key: "version".to_string(),
            package: None,
            found: String::new(),
            expected: Some(expected),
            status: Status::Missing,
            detail: Some(detail),
            ..at
        });
    }
}
