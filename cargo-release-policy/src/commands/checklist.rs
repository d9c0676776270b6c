//! `cargo release-policy checklist`: run the policy's release checklist (`checks`).

use super::exit::Exit;
use super::shared;
use crate::cli::{ChecklistArgs, GlobalArgs};
use crate::documents::ChecklistJson;
use crate::error::Error;
use crate::printer::Printer;

// proof: group indices come from `select_groups` (positions in `repo.groups`), and `targets` has
// one entry per group (`plan::current`).
#[allow(clippy::indexing_slicing)]
pub(crate) fn run(
    printer: &Printer,
    global: &GlobalArgs,
    args: &ChecklistArgs,
) -> Result<Exit, Error> {
    let repo = shared::load(printer, global)?;
    let index = shared::select_group(&repo, global, args.package.as_deref())?;
    let group = &repo.groups[index];
    shared::refuse_unreadable(group)?;
    if printer.json_format() {
        return json(printer, &repo, index);
    }
    if group.policy.checks.is_empty() {
        printer.status(
            "Checklist",
            &format!("group `{}` has no `checks`", group.name),
        );
        return Ok(Exit::Success);
    }
    match shared::run_checks(printer, &repo, index, &group.version, &group.version) {
        Ok(()) => {
            let n = group.policy.checks.len();
            printer.status(
                "Checklist",
                &format!("{n} check{} passed", shared::plural(n)),
            );
            Ok(Exit::Success)
        }
        Err(failure) => {
            printer.error(&failure, None);
            Ok(Exit::Failure)
        }
    }
}

/// `checklist --format json`: every check with its outcome (docs/json.md); a check that
/// cannot be started is the run's error, as in human output.
// proof: `index` is a group index (`select_group`/`select_groups`: a position in
// `repo.groups`).
#[allow(clippy::indexing_slicing)]
fn json(printer: &Printer, repo: &crate::load::Repo, index: usize) -> Result<Exit, Error> {
    let group = &repo.groups[index];
    let outcomes = shared::checklist_outcomes(printer, repo, index, &group.version, &group.version)
        .map_err(|message| Error::Refused {
            message,
            help: None,
        })?;
    let document = ChecklistJson::new(group, &outcomes);
    if let Some(failed) = outcomes.iter().find(|o| !o.success) {
        printer.err(&shared::failed_output(failed));
        printer.error(&format!("check `{}` failed", failed.name), None);
    }
    printer.json(&document);
    Ok(if document.ok {
        Exit::Success
    } else {
        Exit::Failure
    })
}
