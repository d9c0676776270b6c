//! `cargo release-policy schema`: the JSON Schema of the policy table.

use super::exit::Exit;
use crate::error::Error;
use crate::printer::Printer;

/// Print the schema (it takes no arguments of its own).
#[allow(clippy::unnecessary_wraps)] // the shape of every command's `run`
pub(crate) fn run(printer: &Printer) -> Result<Exit, Error> {
    printer.out(&policy_schema::json_schema());
    Ok(Exit::Success)
}
