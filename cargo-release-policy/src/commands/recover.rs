//! `cargo release-policy recover`: put back what a write interrupted by a crash changed. Every
//! command that reads the tree does this first (refusing when files were edited since); this
//! command does only that, and says what to do with edited files.

use serde::Serialize;

use super::exit::Exit;
use super::shared;
use crate::apply::{ApplyError, Edited, Outcome, Recovery};
use crate::cli::{GlobalArgs, RecoverArgs};
use crate::error::Error;
use crate::printer::Printer;
use crate::report::JSON_FORMAT_VERSION;

/// `recover --format json` (docs/json.md).
#[derive(Debug, Serialize)]
struct RecoverJson {
    format_version: u32,
    command: &'static str,
    ok: bool,
    /// The journal found, when there was one.
    journal: Option<String>,
    /// `none`, `rolled-back`, `cut`, `finished`, or `refused` (files edited since).
    outcome: &'static str,
    restored: Vec<String>,
    unchanged: Vec<String>,
    kept: Vec<String>,
    overwritten: Vec<String>,
    edited: Vec<String>,
    /// The process id a stale lock named, when one was removed (`""` when it named none).
    stale_lock: Option<String>,
}

impl RecoverJson {
    fn new(ok: bool, outcome: &'static str) -> RecoverJson {
        RecoverJson {
            format_version: JSON_FORMAT_VERSION,
            command: "recover",
            ok,
            journal: None,
            outcome,
            restored: Vec::new(),
            unchanged: Vec::new(),
            kept: Vec::new(),
            overwritten: Vec::new(),
            edited: Vec::new(),
            stale_lock: None,
        }
    }

    fn of(recovery: Option<&Recovery>) -> RecoverJson {
        let Some(recovery) = recovery else {
            return RecoverJson::new(true, "none");
        };
        let mut json = RecoverJson::new(true, "none");
        json.stale_lock = recovery
            .stale_lock
            .as_ref()
            .map(|stale| stale.holder.clone().unwrap_or_default());
        if let Some(outcome) = &recovery.journal {
            json.journal = Some(recovery.journal_path().display().to_string());
            json.outcome = match outcome {
                Outcome::Cut => "cut",
                Outcome::Finished { .. } => "finished",
                Outcome::RolledBack(rolled) => {
                    json.restored.clone_from(&rolled.restored);
                    json.unchanged.clone_from(&rolled.unchanged);
                    json.kept.clone_from(&rolled.kept);
                    json.overwritten.clone_from(&rolled.overwritten);
                    "rolled-back"
                }
            };
        }
        json
    }
}

pub(crate) fn run(
    printer: &Printer,
    global: &GlobalArgs,
    args: &RecoverArgs,
) -> Result<Exit, Error> {
    let edited = if args.keep_edited {
        Edited::Keep
    } else if args.discard_edits {
        Edited::Overwrite
    } else {
        Edited::Refuse
    };
    let recovery = match shared::recover(printer, global, edited) {
        Ok(recovery) => recovery,
        Err(Error::Apply(ApplyError::Edited { journal, files })) => {
            if printer.json_format() {
                let mut json = RecoverJson::new(false, "refused");
                json.journal = Some(journal.clone());
                json.edited.clone_from(&files);
                printer.json(&json);
            }
            return Err(Error::Apply(ApplyError::Edited { journal, files }));
        }
        Err(error) => return Err(error),
    };
    if printer.json_format() {
        printer.json(&RecoverJson::of(recovery.as_ref()));
    } else if recovery.as_ref().is_none_or(|r| r.journal.is_none()) {
        printer.status(
            "Recovered",
            &format!(
                "nothing: no interrupted write in `{}` or above",
                shared::start_dir(global).display()
            ),
        );
    }
    Ok(Exit::Success)
}
