//! Reports: `check`'s diagnostics, the `show` table, and the stable JSON documents (as text
//! or data: the commands print them).

use std::borrow::Cow;
use std::fmt::Write as _;

use annotate_snippets::Level;
use anstyle::Style;
use serde::Serialize;

use crate::diagnostic::Location;
use crate::group::Group;
use crate::load::Repo;
use crate::plan::{Finding, Plan, Status};
use crate::style::{BOLD, DIM, ERROR, GOOD, NOTE, WARNING};
use release_policy_version::{Ecosystem, Version};

/// The JSON format's version; bumped on any incompatible change (see docs/json.md).
pub const JSON_FORMAT_VERSION: u32 = 1;

fn leader_label(group: &Group) -> String {
    format!("group {}, leader {}", group.name, group.leader)
}

/// `check`'s diagnostics: one per finding that fails (warnings for non-canonical spellings).
pub fn check_human(repo: &Repo, plan: &Plan, strict: bool) -> String {
    let mut out = String::new();
    for finding in &plan.findings {
        // Keep in step with `Status::shown_by_check`: `check` plans only those.
        let (level, title) = match finding.status {
            Status::Drift => (Level::ERROR, "version drift"),
            Status::Missing => (Level::ERROR, "missing version"),
            Status::Count => (Level::ERROR, "pattern match count"),
            Status::Unsupported => (Level::ERROR, "unsupported version value"),
            Status::NonCanonical if strict => (Level::ERROR, "non-canonical version spelling"),
            Status::NonCanonical => (Level::WARNING, "non-canonical version spelling"),
            _ => continue,
        };
        let Some(group) = repo.groups.iter().find(|g| g.name == finding.group) else {
            continue;
        };
        let file = &repo.files[&finding.path];
        let expected = finding.expected.as_deref().unwrap_or("");
        let label = match finding.status {
            Status::Missing | Status::Count | Status::Unsupported => format!(
                "{} ({})",
                finding.detail.as_deref().unwrap_or("missing"),
                leader_label(group)
            ),
            _ => format!(
                "expected \"{expected}\" ({}), found \"{}\"",
                leader_label(group),
                finding.found
            ),
        };
        let help = match finding.status {
            Status::NonCanonical if !strict => None,
            Status::Count => Some(
                "fix the file or the pattern entry: `sync` and `bump` rewrite matches, they cannot add or remove them",
            ),
            Status::Unsupported => Some(UNSUPPORTED_HELP),
            // `sync` adds no field (but MSBuild's `<VersionSuffix>`, an edit at the span).
            Status::Missing if !adds_field(plan, finding) => Some(missing_help(&finding.path)),
            _ => Some("run `cargo release-policy sync` to rewrite it"),
        };
        let location = Location {
            title: Cow::Borrowed(title),
            path: &finding.path,
            text: &file.text,
            offset: finding.span.start,
            len: finding.span.len(),
            label: Cow::Owned(label),
        };
        out.push_str(&location.render(level, help));
        out.push('\n');
    }
    out
}

/// How to fix a value the tool cannot edit (escapes, entities, `$(…)` mixed with text).
pub const UNSUPPORTED_HELP: &str = "write the version as plain text (no escapes, character references, CDATA or `$(…)` mixed with text), or remove the file from `manifests`";

/// Whether the write of `plan` adds the missing field of `finding` (MSBuild's
/// `<VersionSuffix>`): then `sync` fixes it.
pub fn adds_field(plan: &Plan, finding: &Finding) -> bool {
    plan.edits.get(&finding.path).is_some_and(|edits| {
        edits
            .iter()
            .any(|(e, _)| e.key == finding.key && e.span == finding.span)
    })
}

/// How to fix a file that lacks its version field: `sync` and `bump` only rewrite values.
pub fn missing_help(path: &str) -> &'static str {
    if path.ends_with("pyproject.toml") {
        "add `version = \"…\"` to `[project]`, or declare it dynamic (`dynamic = [\"version\"]`, with a build backend that provides it); `sync` and `bump` do not add fields"
    } else {
        "add the field by hand (`sync` and `bump` only rewrite values), or remove the file from `manifests`"
    }
}

/// The `show` table.
pub fn show_human(repo: &Repo, plan: &Plan, verbose: bool) -> String {
    let mut out = String::new();
    for (index, group) in repo.groups.iter().enumerate() {
        if group.unreadable.is_some() {
            let _ = writeln!(
                out,
                "{BOLD}{}{BOLD:#} {DIM}(leader {}: cannot be read, left out){DIM:#}",
                group.name, group.leader
            );
            continue;
        }
        let ecosystems = crate::plan::ecosystems(repo, index);
        let _ = writeln!(
            out,
            "{BOLD}{}{BOLD:#} {GOOD}{}{GOOD:#} {DIM}(leader {}, {}, tag {}){DIM:#}",
            group.name,
            group.version,
            group.leader,
            spellings(group, &group.version, &ecosystems),
            crate::template::Context::new(group, &group.version, &group.version)
                .tag_name()
                .unwrap_or_else(|e| e.to_string())
        );
        // What each `manifests` entry named: a file listed never goes missing unseen.
        for resolved in repo.resolved.iter().filter(|r| r.group == index) {
            let files: Vec<String> = resolved
                .files
                .iter()
                .map(|key| match repo.files.get(key) {
                    Some(file) if file.kind == release_policy_editor::FileKind::CargoToml => {
                        match &file.reading.name {
                            Some(name) => format!("{key} (crate {name})"),
                            None => key.clone(),
                        }
                    }
                    _ => key.clone(),
                })
                .collect();
            let _ = writeln!(
                out,
                "  {NOTE}{:<13}{NOTE:#} {} {} `{}` → {}",
                "listed",
                resolved.policy_file,
                resolved.origin,
                resolved.path,
                files.join(", ")
            );
        }
        let findings: Vec<&Finding> = plan
            .findings
            .iter()
            .filter(|f| f.group == group.name)
            .filter(|f| verbose || f.status != Status::LeftAlone || f.field != "lock-reference")
            .collect();
        let width = findings
            .iter()
            .map(|f| format!("{}:{}:{}", f.path, f.line, f.column).len())
            .max()
            .unwrap_or(0);
        for f in findings {
            let style = status_style(f.status);
            let place = format!("{}:{}:{}", f.path, f.line, f.column);
            let _ = write!(
                out,
                "  {style}{:<13}{style:#} {place:<width$}  {} {}",
                f.status.name(),
                f.key,
                display_value(&f.found)
            );
            if let Some(expected) = &f.expected {
                if expected != &f.found {
                    let _ = write!(out, " → {}", display_value(expected));
                }
            }
            if let Some(detail) = &f.detail {
                let _ = write!(out, " {DIM}({detail}){DIM:#}");
            }
            out.push('\n');
        }
    }
    out
}

fn display_value(value: &str) -> String {
    if value.is_empty() {
        "\"\"".to_string()
    } else {
        value.to_string()
    }
}

fn status_style(status: Status) -> Style {
    match status {
        Status::Ok | Status::Inherits | Status::Derived => GOOD,
        Status::Drift | Status::Missing | Status::Count => ERROR,
        Status::NonCanonical | Status::Unsupported | Status::Conditional => WARNING,
        Status::LeftAlone => NOTE,
    }
}

/// `Cargo 1.5.0-beta.1, PEP 440 1.5.0b1, AssemblyVersion 1.5.0.0`: the spellings the
/// group's ecosystems use (npm and NuGet spell it as Cargo does).
pub fn spellings(group: &Group, version: &Version, ecosystems: &[Ecosystem]) -> String {
    let mut parts = vec![format!("Cargo {version}")];
    for eco in [Ecosystem::Pep440, Ecosystem::Assembly] {
        if !ecosystems.contains(&eco) {
            continue;
        }
        if let Ok(text) = group.spelling.render(version, eco) {
            parts.push(format!("{} {text}", eco.name()));
        }
    }
    parts.join(", ")
}

/// One group in JSON output.
#[derive(Debug, Serialize)]
pub struct GroupJson {
    pub name: String,
    pub leader: String,
    pub version: String,
    pub pep440: Option<String>,
    pub assembly: Option<String>,
    pub tag: Option<String>,
}

impl GroupJson {
    pub fn of(group: &Group, version: &Version) -> GroupJson {
        GroupJson {
            name: group.name.clone(),
            leader: group.leader.clone(),
            version: version.to_string(),
            pep440: group.spelling.render(version, Ecosystem::Pep440).ok(),
            assembly: group.spelling.render(version, Ecosystem::Assembly).ok(),
            tag: crate::template::Context::new(group, version, &group.version)
                .tag_name()
                .ok(),
        }
    }
}

/// The JSON document of `show`, `check` and `sync`/`bump` (see docs/json.md).
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    pub format_version: u32,
    pub command: &'static str,
    pub ok: bool,
    pub groups: Vec<GroupJson>,
    pub findings: Vec<&'a Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<Vec<String>>,
    /// The (first) group a bump moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bump: Option<&'a BumpJson>,
    /// Every group a bump moved, when it moved several (`bump -p a -p b`, `--workspace`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bumps: Option<&'a [BumpJson]>,
    /// `check` without a policy listing manifests: the version-carrying manifests of other
    /// ecosystems it did not look at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unlisted: Option<Vec<String>>,
    /// `check --tag TAG`: whether TAG is a group's tag for its current version, and why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_check: Option<TagCheckJson>,
    /// The errors the command reported and went on (a group left out, two groups making one
    /// tag, a tag that does not match): what makes `ok` false besides the findings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<crate::printer::ErrorJson>,
}

/// `check --tag TAG` in JSON.
#[derive(Debug, Serialize)]
pub struct TagCheckJson {
    pub tag: String,
    pub ok: bool,
    /// Why the tag does not match: the tags the groups' versions make (null when it matches).
    pub message: Option<String>,
}

/// What a bump did.
#[derive(Debug, Serialize)]
pub struct BumpJson {
    pub group: String,
    pub from: String,
    pub to: String,
    pub pep440: Option<String>,
    pub dry_run: bool,
}
