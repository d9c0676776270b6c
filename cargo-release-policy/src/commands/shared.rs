//! What several commands share: loading with progress, the group a command acts on, the
//! edits written or shown, the JSON document, and running a group's checklist.

use crate::apply::{self, Change};
use crate::checklist;
use crate::cli::GlobalArgs;
use crate::error::Error;
use crate::load::Repo;
use crate::plan::{self, Plan, Status, Target};
use crate::printer::Printer;
use crate::report::{self, BumpJson, Document, GroupJson};
use release_policy_version::Version;

/// Load the repository, with a spinner while it takes long.
pub(super) fn load(printer: &Printer, global: &GlobalArgs) -> Result<Repo, Error> {
    let progress = printer.progress("reading manifests");
    let repo = Repo::load(global.manifest_path.as_deref());
    progress.finish();
    Ok(repo?)
}

/// The group `-p CRATE` names, or the workspace group, or the only group.
pub(super) fn select_group(repo: &Repo, package: Option<&str>) -> Result<usize, Error> {
    let names = || {
        repo.groups
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match package {
        Some(name) => repo
            .groups
            .iter()
            .position(|g| {
                g.crate_name.as_deref() == Some(name) || g.crates.iter().any(|c| c == name)
            })
            .ok_or_else(|| Error::Usage {
                message: format!("no group is led by or contains the crate `{name}`"),
                help: Some(format!("groups: {}", names())),
            }),
        None => repo
            .groups
            .iter()
            .position(crate::group::Group::is_workspace)
            .or_else(|| (repo.groups.len() == 1).then_some(0))
            .ok_or_else(|| Error::Usage {
                message: "there is no workspace group; say which group to use".to_string(),
                help: Some(format!("use `-p CRATE` with one of: {}", names())),
            }),
    }
}

/// What a command reports in JSON besides the findings.
pub(super) struct Outcome {
    pub command: &'static str,
    pub ok: bool,
    pub changed: Option<Vec<String>>,
    pub bump: Option<BumpJson>,
    pub unlisted: Option<Vec<String>>,
}

/// Print the JSON document when `--format json`; returns whether it did.
pub(super) fn json(
    printer: &Printer,
    repo: &Repo,
    plan: &Plan,
    targets: &[Target],
    outcome: Outcome,
) -> bool {
    if !printer.json_format() {
        return false;
    }
    let Outcome {
        command,
        ok,
        changed,
        bump,
        unlisted,
    } = outcome;
    let document = Document {
        format_version: report::JSON_FORMAT_VERSION,
        command,
        ok,
        groups: repo
            .groups
            .iter()
            .zip(targets)
            .map(|(g, t)| GroupJson::of(g, &t.new))
            .collect(),
        findings: plan.findings.iter().collect(),
        changed,
        bump,
        unlisted,
    };
    printer.json(&document);
    true
}

/// Show (`dry_run`) or write the plan's edits; returns the paths of the files that change.
pub(super) fn write(
    printer: &Printer,
    repo: &Repo,
    plan: &Plan,
    dry_run: bool,
) -> Result<Vec<String>, Error> {
    crate::timing::phase("plan");
    let texts = plan::render(repo, plan)?;
    crate::timing::phase("render");
    let changes: Vec<Change> = texts
        .into_iter()
        .map(|(key, new)| {
            let file = &repo.files[&key];
            Change {
                path: key,
                abs: file.abs.clone(),
                old: &file.text,
                new,
                stamp: file.stamp,
            }
        })
        .collect();
    let paths: Vec<String> = changes.iter().map(|c| c.path.clone()).collect();
    if dry_run {
        if !printer.json_format() {
            for change in &changes {
                printer.out(&crate::diff::unified(&change.path, change.old, &change.new));
            }
        }
    } else {
        refuse_incomplete(plan)?;
        apply::apply(&repo.workspace.root, &changes)?;
        crate::timing::phase("write");
    }
    Ok(paths)
}

/// A field the policy expects but a file lacks (and the tool does not add) would leave the
/// repository out of lockstep after the write: refuse before writing anything.
fn refuse_incomplete(plan: &Plan) -> Result<(), Error> {
    // A value the tool cannot edit would keep its old version through the write.
    if let Some(finding) = plan
        .findings
        .iter()
        .find(|f| f.status == Status::Unsupported)
    {
        return Err(Error::Incomplete {
            message: format!(
                "`{}:{}:{}`: `{}` cannot be edited ({})",
                finding.path,
                finding.line,
                finding.column,
                finding.key,
                finding.detail.as_deref().unwrap_or("unsupported value")
            ),
            help: Some(crate::report::UNSUPPORTED_HELP.to_string()),
        });
    }
    // A missing field the tool adds (MSBuild's `<VersionSuffix>`) has an edit at its span.
    let Some(finding) = plan
        .findings
        .iter()
        .find(|f| f.status == Status::Missing && !crate::report::adds_field(plan, f))
    else {
        return Ok(());
    };
    Err(Error::Incomplete {
        message: format!(
            "`{}:{}:{}`: {}",
            finding.path,
            finding.line,
            finding.column,
            finding.detail.as_deref().unwrap_or("missing version")
        ),
        help: Some(format!(
            "{}, then run again",
            crate::report::missing_help(&finding.path)
        )),
    })
}

/// `Updated 2 files: a, b`: the status line of the files a write changed.
pub(super) fn updated(printer: &Printer, dry_run: bool, changed: &[String]) {
    let verb = if dry_run { "Would update" } else { "Updated" };
    printer.status(
        verb,
        &format!(
            "{} file{}: {}",
            changed.len(),
            plural(changed.len()),
            changed.join(", ")
        ),
    );
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Run group `index`'s checklist for `version` (released after `prev`); `Err` names the
/// check that failed, whose last lines of output are printed.
pub(super) fn run_checks(
    printer: &Printer,
    repo: &Repo,
    index: usize,
    version: &Version,
    prev: &Version,
) -> Result<(), String> {
    let group = &repo.groups[index];
    if group.policy.checks.is_empty() {
        return Ok(());
    }
    let base = repo.files[&group.policy_file]
        .abs
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let env = checklist::environment(group, version, prev);
    let outcomes =
        checklist::run(&group.policy.checks, &base, &env, printer).map_err(|e| e.to_string())?;
    match outcomes.iter().find(|o| !o.success) {
        None => Ok(()),
        Some(failed) => {
            let mut out = format!("--- output of `{}` (last lines) ---\n", failed.command);
            for line in &failed.tail {
                out.push_str(line);
                out.push('\n');
            }
            printer.err(&out);
            Err(format!("check `{}` failed", failed.name))
        }
    }
}
