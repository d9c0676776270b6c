//! The subcommands, one file each with one entry point, `run`: load → plan → report or
//! apply, writing through the run's [`Printer`]. What several of them share is in
//! [`shared`]. `main` maps the result to an exit code.

use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::printer::Printer;

mod bump;
mod check;
mod checklist;
mod completions;
mod exit;
mod init;
mod level;
mod recover;
mod schema;
mod shared;
mod show;
mod sync;
mod tag;

pub use exit::{exit_after_run, Exit};

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<Exit, Error> {
    let global = cli.global;
    let printer = Printer::new(&global);
    match cli.command {
        Command::Schema => schema::run(&printer),
        Command::Show => show::run(&printer, &global),
        Command::Check(args) => check::run(&printer, &global, &args),
        Command::Sync(args) => sync::run(&printer, &global, &args),
        Command::Bump(args) => bump::run(&printer, &global, &args),
        Command::Init(args) => init::run(&printer, &global, &args),
        Command::Tag(args) => tag::run(&printer, &global, &args),
        Command::Checklist(args) => checklist::run(&printer, &global, &args),
        Command::Recover(args) => recover::run(&printer, &global, &args),
        Command::Completions(args) => completions::run(&printer, &global, &args),
    }
}
