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
    let targets = plan::current(&repo);
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
        },
    ) {
        printer.out(&report::show_human(&repo, &plan, printer.verbose() > 0));
    }
    finish((repo, plan));
    Ok(Exit::Success)
}
