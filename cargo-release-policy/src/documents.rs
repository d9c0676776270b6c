//! The JSON documents of the commands that do not report findings: `tag`, `checklist`,
//! `init` and `bump dev --snapshot --print` (docs/json.md, each with its field order: the
//! order of the fields below is the order printed, and `tests/testsuite/json_contract.rs`
//! holds the two together). The findings document of `show`, `check`, `sync` and `bump` is
//! [`crate::report::Document`].

use serde::Serialize;

use crate::checklist::Outcome;
use crate::group::Group;
use crate::release::TagPlan;
use crate::report::JSON_FORMAT_VERSION;
use crate::survey::Suggestion;
use release_policy_version::{Ecosystem, Version};

/// What `tag` did with the tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TagOutcome {
    /// `--print`: named only.
    Printed,
    /// `--dry-run`: would be created.
    WouldCreate,
    /// The tag already names HEAD: nothing to do.
    Exists,
    /// Created.
    Created,
}

/// `tag --format json`.
#[derive(Debug, Serialize)]
pub struct TagJson {
    pub format_version: u32,
    pub command: &'static str,
    pub ok: bool,
    pub group: String,
    pub version: String,
    pub tag: String,
    /// `None`: a lightweight tag.
    pub message: Option<String>,
    pub signed: bool,
    pub outcome: TagOutcome,
    /// The tags of the group's Go modules, made with the group's (docs/standard.md).
    pub module_tags: Vec<String>,
}

impl TagJson {
    /// `all`: the group's tag first, then its Go modules' (`TagPlan::all`).
    pub fn new(group: &Group, all: &[TagPlan], outcome: TagOutcome) -> TagJson {
        let (planned, modules) = all
            .split_first()
            .map_or((None, &[][..]), |(p, m)| (Some(p), m));
        TagJson {
            format_version: JSON_FORMAT_VERSION,
            command: "tag",
            ok: true,
            group: group.name.clone(),
            version: group.version.to_string(),
            tag: planned.map(|p| p.name.clone()).unwrap_or_default(),
            message: planned
                .filter(|p| !p.message.is_empty())
                .map(|p| p.message.clone()),
            signed: planned.is_some_and(|p| p.sign),
            outcome,
            module_tags: modules.iter().map(|m| m.name.clone()).collect(),
        }
    }
}

/// One check of `checklist --format json`.
#[derive(Debug, Serialize)]
pub struct CheckJson {
    pub name: String,
    /// The argument vector, as the policy writes it.
    pub run: Vec<String>,
    /// `passed`, `failed`, or `not-run` (after a failure, the checklist stops).
    pub status: &'static str,
    pub exit_code: Option<i32>,
    pub seconds: Option<f64>,
    /// The last lines of a failed check's output (empty otherwise).
    pub output: Vec<String>,
}

/// `checklist --format json`.
#[derive(Debug, Serialize)]
pub struct ChecklistJson {
    pub format_version: u32,
    pub command: &'static str,
    pub ok: bool,
    pub group: String,
    pub version: String,
    pub checks: Vec<CheckJson>,
}

impl ChecklistJson {
    /// The document of `group`'s checklist, from the outcomes of the checks that ran.
    pub fn new(group: &Group, outcomes: &[Outcome]) -> ChecklistJson {
        let checks: Vec<CheckJson> = group
            .policy
            .checks
            .iter()
            .enumerate()
            .map(|(i, check)| {
                let outcome = outcomes.get(i);
                CheckJson {
                    name: check.name.clone(),
                    run: check.run.clone(),
                    status: match outcome {
                        Some(o) if o.success => "passed",
                        Some(_) => "failed",
                        None => "not-run",
                    },
                    exit_code: outcome.and_then(|o| o.code),
                    seconds: outcome.map(|o| (o.duration.as_secs_f64() * 1000.0).round() / 1000.0),
                    output: outcome
                        .filter(|o| !o.success)
                        .map(|o| o.tail.clone())
                        .unwrap_or_default(),
                }
            })
            .collect();
        ChecklistJson {
            format_version: JSON_FORMAT_VERSION,
            command: "checklist",
            ok: outcomes.iter().all(|o| o.success),
            group: group.name.clone(),
            version: group.version.to_string(),
            checks,
        }
    }
}

/// An entry `init` lists or leaves out: a plain path or a pattern entry, with why it is
/// written commented out.
#[derive(Debug, Serialize)]
pub struct EntryJson {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What `init` took from a release tool's configuration.
#[derive(Debug, Serialize)]
pub struct ImportedJson {
    pub tool: &'static str,
    pub config: String,
    pub listed: Vec<EntryJson>,
    pub left_out: Vec<EntryJson>,
}

/// `init --format json`.
#[derive(Debug, Serialize)]
pub struct InitJson {
    pub format_version: u32,
    pub command: &'static str,
    pub ok: bool,
    /// `workspace.metadata.release`, `package.metadata.release` or a `release-policy` twin.
    pub table: String,
    /// The Cargo.toml the table is (or would be) written to, from the repository's root.
    pub manifest: String,
    pub leader: Option<String>,
    pub cargo_release: Option<String>,
    pub manifests: Vec<String>,
    pub patterns: Vec<EntryJson>,
    pub imported: Vec<ImportedJson>,
    pub left_out: Vec<EntryJson>,
    pub suggested: Vec<Suggestion>,
    pub dry_run: bool,
}

/// `bump dev --snapshot --print --format json`.
#[derive(Debug, Serialize)]
pub struct SnapshotJson {
    pub format_version: u32,
    pub command: &'static str,
    pub ok: bool,
    pub group: String,
    pub version: String,
    pub cargo: Option<String>,
    pub npm: Option<String>,
    pub pep440: Option<String>,
    pub nuget: Option<String>,
    pub assembly: Option<String>,
    pub base_tag: String,
    pub height: u64,
}

impl SnapshotJson {
    pub fn new(group: &Group, version: &Version, base_tag: &str, height: u64) -> SnapshotJson {
        let spell = |eco| group.spelling.render(version, eco).ok();
        SnapshotJson {
            format_version: JSON_FORMAT_VERSION,
            command: "snapshot",
            ok: true,
            group: group.name.clone(),
            version: version.to_string(),
            cargo: spell(Ecosystem::Cargo),
            npm: spell(Ecosystem::Npm),
            pep440: spell(Ecosystem::Pep440),
            nuget: spell(Ecosystem::NuGet),
            assembly: spell(Ecosystem::Assembly),
            base_tag: base_tag.to_string(),
            height,
        }
    }
}
