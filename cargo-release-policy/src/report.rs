//! Reports: `check`'s diagnostics, the `show` table, and the stable JSON documents (as text
//! or data: the commands print them).

use std::borrow::Cow;
use std::collections::BTreeMap;
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
// proof: the planner makes findings only for files of `repo.files`, under their keys.
#[allow(clippy::indexing_slicing)]
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

/// `check -v`: what was checked — per group, every file with how many of its fields hold
/// which status.
pub fn check_verbose(repo: &Repo, plan: &Plan) -> String {
    let mut out = String::new();
    for group in &repo.groups {
        let mut files: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        for f in plan.findings.iter().filter(|f| f.group == group.name) {
            *files
                .entry(f.path.as_str())
                .or_default()
                .entry(f.status.name())
                .or_default() += 1;
        }
        let fields: usize = files.values().flat_map(BTreeMap::values).sum();
        let _ = writeln!(
            out,
            "{NOTE}{:>12}{NOTE:#} group {} {}: {fields} field{} in {} file{}",
            "Checked",
            group.name,
            group.version,
            if fields == 1 { "" } else { "s" },
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
        for (path, statuses) in files {
            let counts: Vec<String> = statuses
                .iter()
                .map(|(status, n)| format!("{n} {status}"))
                .collect();
            let _ = writeln!(out, "             {path} ({})", counts.join(", "));
        }
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

/// The width `show` fits its rows to without `-v` (with `-v`, rows are whole: nothing is
/// shortened).
const WIDTH: usize = 80;

/// The widest the file column gets: longer paths are shortened from the left (`…/x.csproj`).
const PLACE_WIDTH: usize = 30;

/// Where a row's continuation lines start: under the file column.
const INDENT: &str = "                ";

/// The `show` table: per group, its header, what each `manifests` entry named, then a row per
/// field under a header row. Rows fit [`WIDTH`] columns (paths shortened from the left, the
/// key and value, then the detail, on lines of their own when they do not fit); `-v` shows
/// every field whole, with where its file comes from. The legend is `show --help`'s.
pub fn show_human(repo: &Repo, plan: &Plan, verbose: bool) -> String {
    let mut out = String::new();
    let sources = if verbose {
        file_sources(repo)
    } else {
        BTreeMap::new()
    };
    for (index, group) in repo.groups.iter().enumerate() {
        if group.unreadable.is_some() {
            let _ = writeln!(
                out,
                "{BOLD}{}{BOLD:#} {DIM}(leader {}: cannot be read, left out){DIM:#}",
                group.name, group.leader
            );
            continue;
        }
        group_header(&mut out, repo, index, verbose);
        listed(&mut out, repo, index, verbose);
        let findings: Vec<&Finding> = plan
            .findings
            .iter()
            .filter(|f| f.group == group.name)
            .filter(|f| verbose || f.status != Status::LeftAlone || f.field != "lock-reference")
            .collect();
        let longest = findings
            .iter()
            .map(|f| place_of(f).chars().count())
            .max()
            .unwrap_or(0);
        let width = if verbose {
            longest
        } else {
            longest.min(PLACE_WIDTH)
        };
        if !findings.is_empty() {
            let _ = writeln!(
                out,
                "  {DIM}{:<13} {:<width$}  KEY VALUE{DIM:#}",
                "STATUS", "FILE:LINE:COLUMN"
            );
        }
        for f in findings {
            row(&mut out, f, width, verbose, sources.get(f.path.as_str()));
        }
    }
    out
}

/// `workspace 1.4.0 (leader Cargo.toml, tag v1.4.0)` and, under it, the group's spellings;
/// the leader and tag on a line of their own when the header would pass [`WIDTH`].
// proof: `index` is a position in `repo.groups` (the caller walks them).
#[allow(clippy::indexing_slicing)]
fn group_header(out: &mut String, repo: &Repo, index: usize, verbose: bool) {
    let group = &repo.groups[index];
    let ecosystems = crate::plan::ecosystems(repo, index);
    let tag = crate::template::Context::new(group, &group.version, &group.version)
        .tag_name()
        .unwrap_or_else(|e| e.to_string());
    let about = format!("leader {}, tag {tag}", group.leader);
    let head = format!("{} {}", group.name, group.version);
    if verbose || head.chars().count() + about.chars().count() + 3 <= WIDTH {
        let _ = writeln!(
            out,
            "{BOLD}{}{BOLD:#} {GOOD}{}{GOOD:#} {DIM}({about}){DIM:#}",
            group.name, group.version
        );
    } else {
        let _ = writeln!(
            out,
            "{BOLD}{}{BOLD:#} {GOOD}{}{GOOD:#}\n  {DIM}{:<13} {}\n  {:<13} {tag}{DIM:#}",
            group.name, group.version, "leader", group.leader, "tag"
        );
    }
    let _ = writeln!(
        out,
        "  {DIM}{:<13} {}{DIM:#}",
        "spelled",
        spellings(group, &group.version, &ecosystems)
    );
}

/// What each `manifests` entry of group `index` named (a file listed never goes missing
/// unseen): counted, and with `-v` one file a line.
fn listed(out: &mut String, repo: &Repo, index: usize, verbose: bool) {
    for resolved in repo.resolved.iter().filter(|r| r.group == index) {
        let n = resolved.files.len();
        let _ = write!(
            out,
            "  {NOTE}{:<13}{NOTE:#} {} `{}` ({})",
            "listed", resolved.origin, resolved.path, resolved.policy_file
        );
        if n == 1 && resolved.files.first() == Some(&resolved.path) && !verbose {
            out.push('\n'); // the file is the entry
        } else if verbose || n == 1 {
            let _ = writeln!(out, " → {n} file{}", if n == 1 { "" } else { "s" });
            for key in &resolved.files {
                let _ = writeln!(out, "{INDENT}{}", listed_file(repo, key));
            }
        } else {
            let _ = writeln!(out, " → {n} files");
        }
    }
}

/// A listed file, with its crate's name when it is a Cargo.toml.
fn listed_file(repo: &Repo, key: &str) -> String {
    match repo.files.get(key) {
        Some(file) if file.kind == release_policy_editor::FileKind::CargoToml => {
            match &file.reading.name {
                Some(name) => format!("{key} (crate {name})"),
                None => key.to_string(),
            }
        }
        _ => key.to_string(),
    }
}

/// `path:line:column` of a finding.
fn place_of(f: &Finding) -> String {
    format!("{}:{}:{}", f.path, f.line, f.column)
}

/// `text` in at most `width` characters: cut from the left, `…` in place of what was cut.
fn shorten_left(text: &str, width: usize) -> String {
    let n = text.chars().count();
    if n <= width || width < 2 {
        return text.to_string();
    }
    let tail: String = text.chars().skip(n - (width - 1)).collect();
    format!("…{tail}")
}

/// One field's row (and its continuation lines).
fn row(out: &mut String, f: &Finding, width: usize, verbose: bool, source: Option<&String>) {
    let style = status_style(f.status);
    let place = if verbose {
        place_of(f)
    } else {
        shorten_left(&place_of(f), width)
    };
    let mut value = format!("{} {}", f.key, display_value(&f.found));
    if let Some(expected) = f.expected.as_ref().filter(|e| **e != f.found) {
        let _ = write!(value, " → {}", display_value(expected));
    }
    let used = 2 + 13 + 1 + width + 2;
    let fits = |len: usize| verbose || len <= WIDTH;
    if fits(used + value.chars().count()) {
        let _ = write!(
            out,
            "  {style}{:<13}{style:#} {place:<width$}  {value}",
            f.status.name()
        );
    } else if fits(INDENT.len() + 2 + value.chars().count()) {
        let _ = write!(
            out,
            "  {style}{:<13}{style:#} {place}\n{INDENT}  {value}",
            f.status.name()
        );
    } else {
        // One field a line: the key, then the value.
        let (key, rest) = value.split_at(f.key.len());
        let _ = write!(
            out,
            "  {style}{:<13}{style:#} {place}\n{INDENT}  {key}\n{INDENT}  {}",
            f.status.name(),
            rest.trim_start()
        );
    }
    if let Some(detail) = &f.detail {
        let line_len = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
        if fits(line_len + detail.chars().count() + 3) {
            let _ = write!(out, " {DIM}({detail}){DIM:#}");
        } else {
            let _ = write!(out, "\n{INDENT}  {DIM}({detail}){DIM:#}");
        }
    }
    out.push('\n');
    if let Some(source) = source {
        let _ = writeln!(out, "{INDENT}  {DIM}from {source}{DIM:#}");
    }
}

/// Where each file comes from, for `show -v`: the `manifests` entry or pattern entry that
/// names it, else the Cargo workspace (a Cargo.toml) or the file that implies it (a
/// lockfile, a version file).
fn file_sources(repo: &Repo) -> BTreeMap<&str, String> {
    let mut sources: BTreeMap<&str, String> = BTreeMap::new();
    for resolved in &repo.resolved {
        for key in &resolved.files {
            sources.entry(key.as_str()).or_insert_with(|| {
                format!(
                    "{} `{}` in {}",
                    resolved.origin, resolved.path, resolved.policy_file
                )
            });
        }
    }
    for (key, file) in &repo.files {
        sources.entry(key.as_str()).or_insert_with(|| {
            if file.kind == release_policy_editor::FileKind::CargoToml {
                "the Cargo workspace".to_string()
            } else {
                "a file it goes with (a lockfile, a version file, an MSBuild import)".to_string()
            }
        });
    }
    sources
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
    /// With `--tag`: the tags made (or, with `--dry-run`, that would be): the group's,
    /// then one per Go module.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}
