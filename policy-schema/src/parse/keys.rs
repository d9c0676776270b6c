//! The keys of the policy table and how each is read.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::cargo_release;
use super::field::{unknown_key, Field, Result};
use crate::cargo_release::CargoReleaseKeys;
use crate::error::{PolicyError, PolicyErrorKind};
use crate::policy::{
    AppVersion, Check, DotnetPolicy, HelmPolicy, ManifestEntry, Origin, PatternEntry, Pep440Stage,
    Policy, PreReleaseSpelling, PreReleaseStart, SharedVersion, VersionFormat,
};
use crate::template::{first_unknown, numeric_template_problem, TemplateKind};

/// The keys this tool acts on.
pub(crate) const POLICY_KEYS: [&str; 19] = [
    "manifests",
    "go-tags",
    "exclude",
    "lockfiles",
    "labels",
    "pre-release-spelling",
    "pre-release-start",
    "pep440-local-version",
    "dotnet",
    "helm",
    "checks",
    "commit-message",
    "pre-release-commit-message",
    "tag-name",
    "tag-prefix",
    "tag-message",
    "sign-tag",
    "tag",
    "shared-version",
];

/// Keys older cargo-release versions had; current cargo-release rejects them too.
const REMOVED_CARGO_RELEASE_KEYS: [&str; 6] = [
    "dev-version",
    "dev-version-ext",
    "consolidate-pushes",
    "post-release-commit-message",
    "post-release-replacements",
    "post-release-hook",
];

/// Every key of the policy table.
pub(crate) fn all() -> Vec<&'static str> {
    POLICY_KEYS
        .iter()
        .chain(CargoReleaseKeys::NAMES.iter())
        .copied()
        .collect()
}

pub(crate) fn unknown_top_level_key(
    key: &str,
    table: &str,
    span: Range<usize>,
    known: &[&str],
) -> PolicyError {
    let mut error = unknown_key(key, table, span, known);
    let PolicyErrorKind::UnknownKey { suggestion, .. } = &*error.kind else {
        return error;
    };
    if suggestion.is_none() {
        error.help = Some(if key == "version" {
            "the group's version is not set here: it is `[workspace.package].version` for the \
             workspace group, `[package].version` for a crate"
                .to_owned()
        } else if REMOVED_CARGO_RELEASE_KEYS.contains(&key) {
            format!("`{key}` was removed from cargo-release, which rejects it too: remove it")
        } else {
            "remove it; `cargo release-policy schema` prints every key of this table".to_owned()
        });
    }
    error
}

/// Read the top-level `key` into `policy`.
pub(crate) fn read(
    policy: &mut Policy,
    key: &str,
    field: &Field<'_>,
    origins: &mut BTreeMap<String, Origin>,
) -> Result<()> {
    field.record(origins);
    match key {
        "manifests" => policy.manifests = manifests(field, origins)?,
        "exclude" => policy.exclude = field.non_empty_strings(origins)?,
        "lockfiles" => policy.lockfiles = field.non_empty_strings(origins)?,
        "labels" => policy.labels = labels(field, origins)?,
        "pre-release-spelling" => {
            policy.pre_release_spelling = Some(field.keyword(&PreReleaseSpelling::ALL)?);
        }
        "pre-release-start" => policy.pre_release_start = Some(pre_release_start(field, origins)?),
        "pep440-local-version" => policy.pep440_local_version = Some(field.bool()?),
        "dotnet" => policy.dotnet = dotnet(field, origins)?,
        "go-tags" => policy.go_tags = go_tags(field, origins)?,
        "helm" => policy.helm = helm(field, origins)?,
        "checks" => policy.checks = checks(field, origins)?,
        "commit-message" => {
            policy.commit_message = Some(template(field, TemplateKind::Message)?);
        }
        "pre-release-commit-message" => {
            policy.pre_release_commit_message = Some(template(field, TemplateKind::Message)?);
        }
        "tag-name" => {
            let name = template(field, TemplateKind::TagName)?;
            if name.is_empty() {
                return Err(field.invalid(format!("`{}` is empty", field.name()), None));
            }
            policy.tag_name = Some(name);
        }
        "tag-prefix" => policy.tag_prefix = Some(template(field, TemplateKind::TagPrefix)?),
        "tag-message" => policy.tag_message = Some(template(field, TemplateKind::Message)?),
        "sign-tag" => policy.sign_tag = Some(field.bool()?),
        "tag" => policy.tag = Some(field.bool()?),
        "shared-version" => policy.shared_version = Some(shared_version(field)?),
        _ => cargo_release::read(&mut policy.cargo_release, key, field, origins)?,
    }
    Ok(())
}

/// A template string whose placeholders `kind` accepts.
// proof: `unknown.range` is a placeholder's range found by `first_unknown` in this same `text`,
// delimited by the ASCII `{{`/`}}`, so it is in range and on character boundaries.
#[allow(clippy::string_slice)]
fn template(field: &Field<'_>, kind: TemplateKind) -> Result<String> {
    let text = field.string()?;
    if let Some(unknown) = first_unknown(text, kind) {
        let allowed: Vec<String> = kind
            .allowed()
            .iter()
            .map(|name| format!("`{{{{{name}}}}}`"))
            .collect();
        let suggestion = crate::suggest::closest(&unknown.name, kind.allowed());
        let help = match suggestion {
            Some(name) if name != unknown.name => format!("did you mean `{{{{{name}}}}}`?"),
            _ => format!("the placeholders of this key are {}", allowed.join(", ")),
        };
        let span = literal_span(field, text, unknown.range.clone());
        let known_elsewhere = crate::template::PLACEHOLDERS
            .iter()
            .any(|&(name, _)| name == unknown.name);
        let message = if known_elsewhere {
            format!(
                "the placeholder `{}` cannot be used in `{}`",
                &text[unknown.range],
                field.name()
            )
        } else {
            format!(
                "unknown placeholder `{}` in `{}`",
                &text[unknown.range],
                field.name()
            )
        };
        return Err(field.invalid_at(span, message, Some(help)));
    }
    Ok(text.to_owned())
}

/// The span of `range` (inside the decoded string `text`) in the file, when the string is
/// written without escapes so the two line up; else the whole value.
fn literal_span(field: &Field<'_>, text: &str, range: Range<usize>) -> Range<usize> {
    let span = &field.span;
    // A basic or literal string on one line: one quote character on each side.
    let written_len = span.end.saturating_sub(span.start);
    if written_len == text.len() + 2 {
        span.start + 1 + range.start..span.start + 1 + range.end
    } else {
        span.clone()
    }
}

fn shared_version(field: &Field<'_>) -> Result<SharedVersion> {
    if let Ok(enabled) = field.bool() {
        return Ok(SharedVersion::Enabled(enabled));
    }
    field
        .string()
        .map(|name| SharedVersion::Name(name.to_owned()))
        .map_err(|_| field.wrong_type("a boolean or a string"))
}

fn manifests(
    field: &Field<'_>,
    origins: &mut BTreeMap<String, Origin>,
) -> Result<Vec<ManifestEntry>> {
    let expected = "an array of paths and `{ path, search }` tables";
    let mut entries = Vec::new();
    for element in field.array(expected)? {
        element.record(origins);
        if let Ok(path) = element.string() {
            if path.is_empty() {
                return Err(element.invalid(format!("`{}` is empty", element.name()), None));
            }
            entries.push(ManifestEntry::Path(path.to_owned()));
        } else if element.is_table() {
            entries.push(ManifestEntry::Pattern(pattern_entry(&element, origins)?));
        } else {
            return Err(element.wrong_type("a path or a `{ path, search }` table"));
        }
    }
    Ok(entries)
}

fn pattern_entry(
    field: &Field<'_>,
    origins: &mut BTreeMap<String, Origin>,
) -> Result<PatternEntry> {
    const KEYS: [&str; 6] = ["path", "search", "format", "exactly", "min", "max"];
    let mut path = None;
    let mut search = None;
    let mut format = VersionFormat::default();
    let (mut exactly, mut min, mut max) = (None, None, None);
    let mut min_field = None;
    for (key, entry) in field.table(&KEYS)? {
        entry.record(origins);
        match key {
            "path" => path = Some(entry.non_empty_string()?.to_owned()),
            "search" => {
                let text = template(&entry, TemplateKind::Search)?;
                if let Some(problem) = search_problem(&text) {
                    return Err(entry.invalid(
                        format!("`{}` {problem}", entry.name()),
                        Some(
                            "write the text around the version literally, with `{{version}}` \
                             where the version stands (or `{{major}}`, `{{minor}}`, \
                             `{{patch}}` where its numbers do)"
                                .to_owned(),
                        ),
                    ));
                }
                search = Some(text);
            }
            "format" => format = entry.keyword(&VersionFormat::ALL)?,
            "exactly" => exactly = Some(at_least_one(&entry)?),
            "min" => {
                min = Some(entry.count::<u32>()?);
                min_field = Some(entry);
            }
            "max" => max = Some(at_least_one(&entry)?),
            _ => {}
        }
    }
    if let (Some(min_value), Some(max_value), Some(min_entry)) = (min, max, &min_field) {
        if min_value > max_value {
            return Err(min_entry.invalid(
                format!(
                    "`{}` is greater than `max`: {min_value} > {max_value}",
                    min_entry.name()
                ),
                None,
            ));
        }
    }
    if exactly.is_some() && (min.is_some() || max.is_some()) {
        return Err(field.invalid(
            format!(
                "`{}` sets `exactly` together with `min` or `max`",
                field.name()
            ),
            Some("use either `exactly`, or `min` and `max`".to_owned()),
        ));
    }
    let missing = |key: &str| {
        field.invalid(
            format!("`{}` has no `{key}`", field.name()),
            Some(
                "a pattern entry is `{ path = \"…\", search = '…{{version}}…', format = \"…\" }`"
                    .to_owned(),
            ),
        )
    };
    Ok(PatternEntry {
        path: path.ok_or_else(|| missing("path"))?,
        search: search.ok_or_else(|| missing("search"))?,
        format,
        exactly,
        min,
        max,
    })
}

/// A count of matches that must be at least 1 (`exactly`, `max`).
fn at_least_one(field: &Field<'_>) -> Result<u32> {
    let count = field.count::<u32>()?;
    if count == 0 {
        return Err(field.invalid(
            format!(
                "`{}` is 0: a pattern must match at least once",
                field.name()
            ),
            Some("to allow a file without the pattern, set `min = 0`".to_owned()),
        ));
    }
    Ok(count)
}

fn labels(
    field: &Field<'_>,
    origins: &mut BTreeMap<String, Origin>,
) -> Result<BTreeMap<String, Pep440Stage>> {
    let mut labels = BTreeMap::new();
    for (label, entry) in field.map()? {
        entry.record(origins);
        let stage = entry.keyword(&Pep440Stage::ALL)?;
        // Letters only: a digit would make compact pre-releases ambiguous (`-pre21` is
        // `pre2` number 1 or `pre` number 21), and `-` is a separator in RubyGems
        // (`1.0.0-x` reads as `1.0.0.pre.x`) and Maven. Each refusal points at the key.
        if label.is_empty() || !label.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(entry.invalid_at(
                entry.key_span.clone(),
                format!("invalid pre-release label `{label}` in `{}`", field.name()),
                Some(
                    "a label is lowercase ASCII letters (`a`-`z`) only: no digits, no `-`"
                        .to_owned(),
                ),
            ));
        }
        if let Some(builtin) = Pep440Stage::of_builtin_label(label) {
            if builtin != stage {
                return Err(entry.invalid(
                    format!(
                        "the built-in label `{label}` is stage `{}`, not `{}`",
                        builtin.as_str(),
                        stage.as_str()
                    ),
                    Some(format!(
                        "remove `{label}` from `{}`: built-in labels need no entry",
                        field.name()
                    )),
                ));
            }
        }
        if matches!(label, "post" | "rev" | "r") {
            return Err(entry.invalid_at(
                entry.key_span.clone(),
                format!("label `{label}` cannot be used: PEP 440 reads it as a post-release"),
                Some(format!("choose another name in `{}`", field.name())),
            ));
        }
        labels.insert(label.to_owned(), stage);
    }
    Ok(labels)
}

/// Why a pattern's `search` cannot be scanned for: `{{version}}` and each of `{{major}}`,
/// `{{minor}}`, `{{patch}}` at most once, at least one of them, never two side by side.
fn search_problem(text: &str) -> Option<String> {
    const SLOTS: [&str; 4] = ["{{version}}", "{{major}}", "{{minor}}", "{{patch}}"];
    for slot in SLOTS {
        let count = text.matches(slot).count();
        if count > 1 {
            return Some(format!("must contain `{slot}` at most once, found {count}"));
        }
    }
    if !SLOTS.iter().any(|slot| text.contains(slot)) {
        return Some("must contain `{{version}}` exactly once, found 0".to_owned());
    }
    let adjacent = SLOTS
        .iter()
        .any(|a| SLOTS.iter().any(|b| text.contains(&format!("{a}{b}"))));
    adjacent.then(|| {
        "has two placeholders with nothing between them: where one ends is unknown".to_owned()
    })
}

/// `pre-release-start = 0`, or `{ dev = 0, rc = 1 }` naming labels of letters only.
fn pre_release_start(
    field: &Field<'_>,
    origins: &mut BTreeMap<String, Origin>,
) -> Result<PreReleaseStart> {
    if !field.is_table() {
        return Ok(PreReleaseStart::All(field.count()?));
    }
    let mut starts = BTreeMap::new();
    for (label, entry) in field.map()? {
        entry.record(origins);
        if label.is_empty() || !label.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(entry.invalid_at(
                entry.key_span.clone(),
                format!("invalid pre-release label `{label}` in `{}`", field.name()),
                Some("a label is lowercase ASCII letters (`a`-`z`) only".to_owned()),
            ));
        }
        starts.insert(label.to_owned(), entry.count()?);
    }
    Ok(PreReleaseStart::PerLabel(starts))
}

/// `go-tags = { "bindings/go/go.mod" = "sdk/go/v{{version}}" }`: a tag template per module.
fn go_tags(
    field: &Field<'_>,
    origins: &mut BTreeMap<String, Origin>,
) -> Result<BTreeMap<String, String>> {
    let mut tags = BTreeMap::new();
    for (module, entry) in field.map()? {
        entry.record(origins);
        let name = template(&entry, TemplateKind::TagName)?;
        if !name.contains("{{version}}") {
            return Err(entry.invalid(
                format!("`{}` has no `{{{{version}}}}`", entry.name()),
                Some("a Go module's tag names its version: `sdk/go/v{{version}}`".to_owned()),
            ));
        }
        tags.insert(module.to_owned(), name);
    }
    Ok(tags)
}

fn dotnet(field: &Field<'_>, origins: &mut BTreeMap<String, Origin>) -> Result<DotnetPolicy> {
    let mut dotnet = DotnetPolicy::default();
    for (key, entry) in field.table(&["assembly-version", "file-version"])? {
        entry.record(origins);
        let text = entry.string()?;
        if let Some(problem) = numeric_template_problem(text) {
            return Err(entry.invalid(
                format!(
                    "invalid template `{text}` for `{}`: {problem}",
                    entry.name()
                ),
                Some(format!("for example `{}`", DotnetPolicy::DEFAULT_TEMPLATE)),
            ));
        }
        let text = Some(text.to_owned());
        if key == "assembly-version" {
            dotnet.assembly_version = text;
        } else {
            dotnet.file_version = text;
        }
    }
    Ok(dotnet)
}

fn helm(field: &Field<'_>, origins: &mut BTreeMap<String, Origin>) -> Result<HelmPolicy> {
    let mut helm = HelmPolicy::default();
    for (key, entry) in field.table(&["chart-version", "app-version"])? {
        entry.record(origins);
        if key == "chart-version" {
            helm.chart_version = Some(entry.bool()?);
        } else if let Ok(follow) = entry.bool() {
            helm.app_version = Some(AppVersion::Follow(follow));
        } else {
            let name = entry
                .non_empty_string()
                .map_err(|_| entry.wrong_type("a boolean or a group name"))?;
            helm.app_version = Some(AppVersion::Group(name.to_owned()));
        }
    }
    Ok(helm)
}

fn checks(field: &Field<'_>, origins: &mut BTreeMap<String, Origin>) -> Result<Vec<Check>> {
    let mut checks: Vec<Check> = Vec::new();
    let mut names = BTreeSet::new();
    for element in field.array("an array of `{ name, run }` tables")? {
        element.record(origins);
        let (mut name, mut run, mut dir) = (None, None, None);
        for (key, entry) in element.table(&["name", "run", "dir"])? {
            entry.record(origins);
            match key {
                "name" => {
                    let text = entry.non_empty_string()?;
                    if !names.insert(text.to_owned()) {
                        return Err(entry.invalid(
                            format!("two checks are named `{text}` in `{}`", field.name()),
                            Some("give each check its own name".to_owned()),
                        ));
                    }
                    name = Some(text.to_owned());
                }
                "run" => {
                    let args = entry.strings(origins)?;
                    if args.is_empty() {
                        return Err(entry.invalid(
                            format!("`{}` is empty", entry.name()),
                            Some(
                                "write the program and its arguments: `[\"cargo\", \"test\"]`"
                                    .to_owned(),
                            ),
                        ));
                    }
                    run = Some(args);
                }
                _ => dir = Some(entry.non_empty_string()?.to_owned()),
            }
        }
        let missing = |key: &str| {
            element.invalid(
                format!("`{}` has no `{key}`", element.name()),
                Some("a check is `{ name = \"tests\", run = [\"cargo\", \"test\"] }`".to_owned()),
            )
        };
        checks.push(Check {
            name: name.ok_or_else(|| missing("name"))?,
            run: run.ok_or_else(|| missing("run"))?,
            dir,
        });
    }
    Ok(checks)
}
