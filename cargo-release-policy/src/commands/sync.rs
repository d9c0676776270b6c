//! `cargo release-policy sync`: rewrite drifted fields to the expected spelling.

use super::exit::{finish, Exit};
use super::shared::{self, Outcome};
use crate::cli::{GlobalArgs, SyncArgs};
use crate::error::Error;
use crate::plan::{self, Status};
use crate::printer::Printer;

pub(crate) fn run(printer: &Printer, global: &GlobalArgs, args: &SyncArgs) -> Result<Exit, Error> {
    let repo = shared::load(printer, global)?;
    let (targets, left_out) = shared::targets(printer, &repo, &[]);
    let plan = plan::plan(&repo, &targets)?;
    let changed = shared::write(printer, &repo, &plan, args.dry_run)?;
    let missing: Vec<_> = plan
        .findings
        .iter()
        .filter(|f| f.status == Status::Missing && !plan.edits.contains_key(&f.path))
        .collect();
    if !shared::json(
        printer,
        &repo,
        &plan,
        &targets,
        Outcome {
            command: "sync",
            ok: missing.is_empty(),
            changed: Some(changed.clone()),
            bump: None,
            unlisted: None,
            tag_check: None,
        },
    ) {
        if changed.is_empty() {
            printer.status("Synced", "0 files: every manifest is in lockstep already");
        } else {
            shared::updated(printer, &plan, args.dry_run, &changed);
        }
        for finding in &missing {
            printer.error(
                &format!(
                    "`{}`: {}",
                    finding.path,
                    finding.detail.as_deref().unwrap_or("missing version")
                ),
                Some(crate::report::missing_help(&finding.path)),
            );
        }
    }
    let in_lockstep = missing.is_empty();
    drop(missing);
    finish((repo, plan));
    Ok(Exit::of_report(in_lockstep, left_out))
}
