//! Planning the manifests that carry only their own version and the lockfiles that record
//! it: Ruby (`version.rb`, gemspec, `Gemfile.lock`), Dart (`pubspec.yaml`, `pubspec.lock`),
//! CocoaPods, CMake, Zig and Helm. None of them holds a requirement the tool rewrites.

use policy_schema::AppVersion;
use release_policy_editor::{Field, FieldKind, FileKind, Note};
use release_policy_version::{Ecosystem, Version, VersionError};

use super::model::{PlanError, Status};
use crate::load::source::SourceFile;
use crate::load::Repo;

/// What planning these files asks of the planner (`planner.rs` implements it): the
/// repository, the targets, and recording findings and edits.
pub(super) trait Record {
    fn repo(&self) -> &Repo;
    /// Whether group `group` is left out of this plan.
    fn skip(&self, group: usize) -> bool;
    /// The group's new version.
    fn new_version(&self, group: usize) -> &Version;
    /// The group's new version as `eco` spells it.
    fn expected_spelled(
        &self,
        group: usize,
        eco: Ecosystem,
        key: &str,
    ) -> Result<String, PlanError>;
    /// Plan an own-version field that must hold the group's version as `eco` spells it.
    fn own_spelled(
        &mut self,
        key: &str,
        file: &SourceFile,
        field: &Field,
        group: usize,
        eco: Ecosystem,
    ) -> Result<(), PlanError>;
    /// Record a field's finding (and its edit, when it drifted).
    fn push_field(
        &mut self,
        key: &str,
        file: &SourceFile,
        field: &Field,
        group: usize,
        verdict: (String, Status, Option<String>),
    );
    /// Report a note; how many own-version facts it stands for.
    fn note(
        &mut self,
        key: &str,
        file: &SourceFile,
        note: &Note,
        owner: Option<usize>,
    ) -> Result<usize, PlanError>;
    /// Record that `file` has no version field, expected `expected`: `detail` says what.
    fn missing(
        &mut self,
        key: &str,
        file: &SourceFile,
        group: usize,
        expected: String,
        detail: String,
    );
}

/// The ecosystem whose spelling a file of `kind` (one of this module's) uses.
pub(super) fn ecosystem(kind: FileKind) -> Option<Ecosystem> {
    match kind {
        FileKind::RubyVersion | FileKind::Gemspec | FileKind::GemfileLock => {
            Some(Ecosystem::RubyGems)
        }
        FileKind::Podspec => Some(Ecosystem::CocoaPods),
        // Dart (pub_semver), Zig (`std.SemanticVersion`) and Helm charts read SemVer 2.0.
        FileKind::Pubspec | FileKind::PubspecLock | FileKind::ZigZon | FileKind::HelmChart => {
            Some(Ecosystem::Cargo)
        }
        // CMake's numeric `project()` version: its shape is the file's (see `numeric`).
        FileKind::CMake => Some(Ecosystem::Cargo),
        _ => None,
    }
}

/// Plan a file of one of this module's kinds, owned by group `owner`, if any.
pub(super) fn plan_file(
    planner: &mut impl Record,
    key: &str,
    file: &SourceFile,
    owner: Option<usize>,
    eco: Ecosystem,
) -> Result<(), PlanError> {
    let mut own_fields = 0;
    for field in &file.reading.fields {
        match &field.kind {
            FieldKind::Locked { package } => {
                if let Some(group) = lock_group(planner.repo(), file.kind, package) {
                    planner.own_spelled(key, file, field, group, eco)?;
                }
            }
            FieldKind::AppVersion => {
                own_fields += 1;
                app_version(planner, key, file, field, owner)?;
            }
            _ => {
                let Some(group) = owner else { continue };
                own_fields += 1;
                if file.kind == FileKind::HelmChart
                    && planner
                        .repo()
                        .groups
                        .get(group)
                        .is_some_and(|g| g.policy.helm.chart_version == Some(false))
                {
                    let detail =
                        "`helm.chart-version = false`: the chart's version is bumped by hand";
                    planner.push_field(
                        key,
                        file,
                        field,
                        group,
                        (String::new(), Status::LeftAlone, Some(detail.to_string())),
                    );
                } else if file.kind == FileKind::CMake {
                    cmake(planner, key, file, field, group)?;
                } else {
                    planner.own_spelled(key, file, field, group, eco)?;
                }
            }
        }
    }
    for note in &file.reading.notes {
        own_fields += planner.note(key, file, note, owner)?;
    }
    let locks = matches!(file.kind, FileKind::GemfileLock | FileKind::PubspecLock);
    if let Some(group) = owner.filter(|&g| !planner.skip(g) && !locks) {
        if own_fields == 0 {
            missing(planner, key, file, group, eco)?;
        }
    }
    Ok(())
}

/// A manifest without a version field.
fn missing(
    planner: &mut impl Record,
    key: &str,
    file: &SourceFile,
    group: usize,
    eco: Ecosystem,
) -> Result<(), PlanError> {
    let what = match file.kind {
        FileKind::Pubspec | FileKind::HelmChart => "a `version:` line",
        FileKind::CMake => "`project(<name> VERSION x.y.z)`",
        FileKind::ZigZon => "a `.version = \"…\"` field",
        FileKind::RubyVersion => "a `VERSION = \"…\"` constant",
        _ => "a `spec.version = \"…\"` line",
    };
    let expected = planner.expected_spelled(group, eco, key)?;
    let detail = format!("the file has no version: expected {what}");
    planner.missing(key, file, group, expected, detail);
    Ok(())
}

/// The group of the package a `Gemfile.lock` or `pubspec.lock` path entry records: the
/// group listing the gemspec (or `lib/<gem>/version.rb`) or the pubspec of that name.
fn lock_group(repo: &Repo, lock: FileKind, package: &str) -> Option<usize> {
    let gem_path = format!("lib/{}/version.rb", package.replace('-', "/"));
    let gem_path_flat = format!("lib/{package}/version.rb");
    repo.files.iter().find_map(|(key, file)| {
        let group = *repo.owners.get(key)?;
        let named = file.reading.name.as_deref() == Some(package);
        let found = match (lock, file.kind) {
            (FileKind::GemfileLock, FileKind::Gemspec)
            | (FileKind::PubspecLock, FileKind::Pubspec) => named,
            (FileKind::GemfileLock, FileKind::RubyVersion) => {
                key.ends_with(&gem_path) || key.ends_with(&gem_path_flat)
            }
            _ => false,
        };
        found.then_some(group)
    })
}

/// A Helm chart's `appVersion`: it follows the group `helm.app-version` names, if any.
fn app_version(
    planner: &mut impl Record,
    key: &str,
    file: &SourceFile,
    field: &Field,
    owner: Option<usize>,
) -> Result<(), PlanError> {
    let Some(owner) = owner else { return Ok(()) };
    let groups = &planner.repo().groups;
    let Some(owner_group) = groups.get(owner) else {
        return Ok(());
    };
    let group = match &owner_group.policy.helm.app_version {
        Some(AppVersion::Follow(true)) => Some(owner),
        Some(AppVersion::Group(name)) => groups.iter().position(|g| &g.name == name),
        Some(AppVersion::Follow(false)) | None => None,
    };
    let Some(group) = group else {
        let detail = "follows no group: set `helm.app-version` to make it follow one";
        planner.push_field(
            key,
            file,
            field,
            owner,
            (String::new(), Status::LeftAlone, Some(detail.to_string())),
        );
        return Ok(());
    };
    if planner.skip(group) {
        return Ok(());
    }
    let mut expected = planner.expected_spelled(group, Ecosystem::Cargo, key)?;
    // A `v` the chart writes before its application's version is kept.
    if field.value.starts_with('v') {
        expected.insert(0, 'v');
    }
    let status = if field.value == expected {
        Status::Ok
    } else {
        Status::Drift
    };
    planner.push_field(key, file, field, group, (expected, status, None));
    Ok(())
}

/// CMake's `project()` version: the group's release, numeric, in as many parts as the
/// file writes.
fn cmake(
    planner: &mut impl Record,
    key: &str,
    file: &SourceFile,
    field: &Field,
    group: usize,
) -> Result<(), PlanError> {
    if planner.skip(group) {
        return Ok(());
    }
    let new = planner.new_version(group);
    let detail = new
        .pre
        .as_ref()
        .map(|pre| format!("CMake versions are numeric: the pre-release `-{pre}` is not written"));
    let expected = numeric(new, &field.value).map_err(|error| PlanError::Version {
        path: key.to_string(),
        error,
    })?;
    let status = if field.value == expected {
        Status::Ok
    } else {
        Status::Drift
    };
    planner.push_field(key, file, field, group, (expected, status, detail));
    Ok(())
}

/// The release of `version` as a numeric version in as many parts as `found` has (one to
/// four; three when `found` is not numeric): `1.4` stays two parts, `1.4.0.0` four. A part
/// the shape has no room for must be zero. A pre-release has no numeric spelling and is left
/// out, as in .NET's `AssemblyVersion`.
///
/// Stands in for `release-policy-version`'s rule that numeric versions keep their shape
/// (issue 20), to be swapped for it when it lands.
pub(super) fn numeric(version: &Version, found: &str) -> Result<String, VersionError> {
    let numeric = !found.is_empty()
        && found
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let parts = if numeric {
        found.split('.').count().clamp(1, 4)
    } else {
        3
    };
    let all = [version.major, version.minor, version.patch, 0];
    if let Some(dropped) = all.iter().take(3).skip(parts).find(|&&n| n != 0) {
        return Err(VersionError::NotExpressible {
            version: version.to_string(),
            ecosystem: "CMake",
            rule: format!(
                "`{found}` has {parts} part(s), which leave out the {dropped} of {}: write the version in `project()` with three parts",
                version.release()
            ),
        });
    }
    Ok(all
        .iter()
        .take(parts)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("."))
}

#[cfg(test)]
mod tests {
    use super::numeric;
    use release_policy_version::{Labels, Version};

    #[track_caller]
    fn case(version: &str, found: &str, expected: Result<&str, &str>) {
        let version = Version::parse(version, &Labels::builtin()).unwrap();
        let got = numeric(&version, found).map_err(|e| e.to_string());
        match expected {
            Ok(text) => assert_eq!(got.as_deref(), Ok(text), "{version} in {found}"),
            Err(part) => assert!(got.unwrap_err().contains(part), "{version} in {found}"),
        }
    }

    #[test]
    fn keeps_the_number_of_parts() {
        case("1.5.0", "1.4.0", Ok("1.5.0"));
        case("1.5.0", "1.4.0.0", Ok("1.5.0.0"));
        case("1.5.0", "1.4", Ok("1.5"));
        case("2.0.0", "1", Ok("2"));
        case("1.5.0-beta.1", "1.4.2", Ok("1.5.0"));
        case("1.5.0", "${V}", Ok("1.5.0"));
        case("1.5.1", "1.5", Err("leave out the 1 of 1.5.1"));
        case(
            "1.5.0",
            "1",
            Err("write the version in `project()` with three parts"),
        );
    }
}
