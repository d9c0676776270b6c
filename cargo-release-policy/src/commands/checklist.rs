//! `cargo release-policy checklist`: run the policy's release checklist (`checks`).

use super::exit::Exit;
use super::shared;
use crate::cli::{ChecklistArgs, GlobalArgs};
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
