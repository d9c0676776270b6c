//! Planning (pure): what every field should say, what differs, and the edits that fix it.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use crate::load::source::SourceFile;
use crate::load::Repo;
use release_policy_editor::text_pattern::Slot;
use release_policy_editor::{self as editor, Field, FieldKind, FileKind};
use release_policy_version::Ecosystem;

mod kinds;
mod model;
mod names;
mod planner;

use names::Names;
use planner::{Planner, Rendered};

pub use model::{current, format_ecosystem, Finding, Keep, Plan, PlanError, Status, Target};

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
            FileKind::MavenPom | FileKind::GradleProperties | FileKind::GradleBuild => {
                &[Ecosystem::Maven]
            }
            FileKind::GoMod => &[Ecosystem::Go],
            FileKind::CargoToml | FileKind::CargoLock | FileKind::Text => &[],
            kind => match kinds::ecosystem(kind) {
                Some(Ecosystem::RubyGems) => &[Ecosystem::RubyGems],
                Some(Ecosystem::CocoaPods) => &[Ecosystem::CocoaPods],
                _ => &[],
            },
        };
        for eco in ecos {
            if !out.contains(eco) {
                out.push(*eco);
            }
        }
    }
    let patterns = repo.patterns.values().flatten();
    // A search of the version's numbers only (`{{major}}`) spells no version.
    for eco in patterns
        .filter(|u| u.group == group && u.pattern.slots.contains(&Slot::Version))
        .map(|u| format_ecosystem(u.pattern.format))
    {
        if !out.contains(&eco) {
            out.push(eco);
        }
    }
    out
}

/// The ecosystems whose ordering a group's new version must move forward in: those of
/// [`ecosystems`] with a file whose package is published. A Cargo crate with
/// `publish = false` (or `[]`), an npm package with `"private": true` and a pyproject with
/// the `Private :: Do Not Upload` classifier are never compared with older releases on a
/// registry; their spelling is still checked (by [`ecosystems`]).
// proof: `group` is a group index (`select_groups`, or enumerated from `repo.groups`).
#[allow(clippy::indexing_slicing)]
pub fn published_ecosystems(repo: &Repo, group: usize) -> Vec<Ecosystem> {
    let all = ecosystems(repo, group);
    let crates = &repo.groups[group].crates;
    let mut published: Vec<Ecosystem> = Vec::new();
    let mut add = |eco: Ecosystem| {
        if !published.contains(&eco) {
            published.push(eco);
        }
    };
    for (key, file) in &repo.files {
        let in_group = repo.owners.get(key) == Some(&group)
            || (file.kind == FileKind::CargoToml
                && file
                    .reading
                    .name
                    .as_ref()
                    .is_some_and(|n| crates.contains(n)));
        if !in_group {
            continue;
        }
        match file.kind {
            FileKind::CargoToml
                if file.reading.name.is_some() && !cargo_unpublished(&file.text) =>
            {
                add(Ecosystem::Cargo);
            }
            FileKind::PackageJson if !npm_private(&file.text) => add(Ecosystem::Npm),
            FileKind::Pyproject if !file.text.contains("Private :: Do Not Upload") => {
                add(Ecosystem::Pep440);
            }
            FileKind::MsBuild => {
                add(Ecosystem::NuGet);
                add(Ecosystem::Assembly);
            }
            FileKind::MavenPom | FileKind::GradleProperties | FileKind::GradleBuild => {
                add(Ecosystem::Maven);
            }
            FileKind::GoMod => add(Ecosystem::Go),
            _ => {}
        }
    }
    // Pattern entries (and version files) spell what their package publishes.
    for eco in &all {
        if !matches!(eco, Ecosystem::Cargo | Ecosystem::Npm | Ecosystem::Pep440)
            || repo.patterns.values().flatten().any(|u| {
                u.group == group
                    && u.pattern.slots.contains(&Slot::Version)
                    && format_ecosystem(u.pattern.format) == *eco
            })
        {
            add(*eco);
        }
    }
    all.into_iter().filter(|e| published.contains(e)).collect()
}

/// `publish = false` (or `publish = []`) in `[package]`.
fn cargo_unpublished(text: &str) -> bool {
    let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else {
        return false;
    };
    match doc.get("package").and_then(|p| p.get("publish")) {
        Some(item) => {
            item.as_bool() == Some(false) || item.as_array().is_some_and(toml_edit::Array::is_empty)
        }
        None => false,
    }
}

/// `"private": true` in a package.json.
fn npm_private(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}'))
        .ok()
        .and_then(|v| v.get("private").and_then(serde_json::Value::as_bool))
        == Some(true)
}

/// The groups whose current version one of their ecosystems cannot spell (`0.3.0-alpha`
/// next to a pyproject), each with why: that group's error alone.
// proof: `index` is enumerated from `repo.groups`.
#[allow(clippy::indexing_slicing)]
pub fn unspellable(repo: &Repo) -> Vec<(usize, release_policy_version::VersionError)> {
    (0..repo.groups.len())
        .filter_map(|index| {
            let group = &repo.groups[index];
            group
                .spelling
                .check_expressible(&group.version, &ecosystems(repo, index))
                .err()
                .map(|error| (index, error))
        })
        .collect()
}

/// The new text of every file with edits, each checked by reading it back. Refused when a
/// pattern entry's match count is broken: the file is not what the policy describes, and a
/// rewrite could not repair it.
// proof: the planner records edits only for files of `repo.files`, under their keys.
#[allow(clippy::indexing_slicing)]
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
