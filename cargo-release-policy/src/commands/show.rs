//! `cargo release-policy show`: every group, manifest and field with its current and
//! expected version.

use super::exit::{finish, Exit};
use super::shared::{self, Outcome};
use crate::cli::GlobalArgs;
use crate::error::Error;
use crate::plan;
use crate::printer::Printer;
use crate::report;

/// Print the table, or the JSON document (`show` takes no arguments of its own).
pub(crate) fn run(printer: &Printer, global: &GlobalArgs) -> Result<Exit, Error> {
    let repo = shared::load(printer, global)?;
    let (targets, left_out) = shared::targets(printer, &repo, &[]);
    let left_out = shared::report_duplicate_tag(printer, &repo, &targets) || left_out;
    let plan = plan::plan(&repo, &targets)?;
    if !shared::json(
        printer,
        &repo,
        &plan,
        &targets,
        Outcome {
            command: "show",
            ok: true,
            changed: None,
            bump: None,
            unlisted: None,
            tag_check: None,
        },
    ) {
        printer.out(&report::show_human(&repo, &plan, printer.verbose() > 0));
    }
    finish((repo, plan));
    Ok(if left_out { Exit::Error } else { Exit::Success })
}
