//! `cargo release-policy check`: exit 1 when any manifest disagrees with the policy (for
//! pre-commit and CI), with `--tag` the CI gate of a tag push. A passing answer is
//! remembered ([`crate::cache`]).

use super::exit::{finish, Exit};
use super::shared::{self, Outcome};
use crate::cli::{CheckArgs, Format, GlobalArgs};
use crate::error::Error;
use crate::plan;
use crate::printer::{status_line, Printer};
use crate::report;

/// The cache key of a `check` run, when its answer may be remembered.
fn cache_key(global: &GlobalArgs, args: &CheckArgs) -> Option<crate::cache::Key> {
    if args.no_cache || args.tag.is_some() || global.format != Format::Human {
        return None;
    }
    crate::cache::Key::new(&[
        "check".to_string(),
        format!("manifest-path {:?}", global.manifest_path),
        format!("strict {}", args.strict),
        format!("verbose {}", global.verbose),
    ])
}

/// Without a policy listing other manifests, "in lockstep" would speak for the Cargo files
/// only: say so (an error with `--strict`), and return the manifests not looked at.
fn unlisted(printer: &Printer, repo: &crate::load::Repo, strict: bool) -> Option<Vec<String>> {
    let paths = crate::survey::unlisted(repo)?;
    let title = format!(
        "no release policy lists manifests: only the Cargo workspace was checked, and {} more manifest{} carr{} a version here ({})",
        paths.len(),
        shared::plural(paths.len()),
        if paths.len() == 1 { "ies" } else { "y" },
        crate::survey::count_by_kind(&paths),
    );
    let help = "run `cargo release-policy init` to list them in a policy table (docs/guide.md)";
    if strict {
        printer.error(&title, Some(help));
    } else if !printer.json_format() {
        printer.warning(&title, Some(help));
    }
    Some(paths)
}

pub(crate) fn run(printer: &Printer, global: &GlobalArgs, args: &CheckArgs) -> Result<Exit, Error> {
    let started = std::time::SystemTime::now();
    // First: a remembered answer is about the tree before an interrupted write.
    shared::recover(printer, global, crate::apply::Edited::Refuse)?;
    let cache = cache_key(global, args);
    if let Some(output) = cache.as_ref().and_then(crate::cache::Key::lookup) {
        crate::timing::phase("cached");
        printer.info(&output);
        return Ok(Exit::Success);
    }
    let repo = shared::read(printer, global)?;
    crate::timing::phase("load");
    let (targets, left_out) = shared::targets(printer, &repo, &[]);
    let left_out = shared::report_duplicate_tag(printer, &repo, &targets) || left_out;
    let keep = if printer.json_format() || global.verbose > 0 {
        plan::Keep::All
    } else {
        plan::Keep::Shown
    };
    let plan = plan::plan_keeping(&repo, &targets, keep)?;
    crate::timing::phase("plan");
    let failed = plan
        .findings
        .iter()
        .filter(|f| f.status.fails(args.strict))
        .count();
    let tag_mismatch = args
        .tag
        .as_deref()
        .and_then(|tag| crate::release::check_tag(&repo, &targets, tag));
    let failed = failed + usize::from(tag_mismatch.is_some());
    let unlisted = unlisted(printer, &repo, args.strict);
    let failed = failed + usize::from(args.strict && unlisted.is_some());
    if let Some(mismatch) = &tag_mismatch {
        printer.error(
            mismatch,
            Some("tag the commit whose manifests hold that version, or bump first"),
        );
    }
    if !shared::json(
        printer,
        &repo,
        &plan,
        &targets,
        Outcome {
            command: "check",
            ok: failed == 0 && !left_out,
            changed: None,
            bump: None,
            unlisted: unlisted.clone(),
            tag_check: args.tag.as_ref().map(|tag| report::TagCheckJson {
                tag: tag.clone(),
                ok: tag_mismatch.is_none(),
                message: tag_mismatch.clone(),
            }),
        },
    ) {
        let mut text = report::check_human(&repo, &plan, args.strict);
        if global.verbose > 0 {
            // `-v`: what was checked, per group and file.
            text.push_str(&report::check_verbose(&repo, &plan));
        }
        if !printer.quiet() || failed > 0 {
            printer.err(&text);
        }
        let reported =
            usize::from(tag_mismatch.is_some()) + usize::from(args.strict && unlisted.is_some());
        if failed > reported {
            let failed = failed - reported;
            printer.error(
                &format!("{failed} field{} out of lockstep", shared::plural(failed)),
                None,
            );
            printer.err("\n");
        } else if failed == 0 && !left_out {
            let files = repo.files.len();
            let summary = repo
                .groups
                .iter()
                .map(|g| format!("{} {}", g.name, g.version))
                .collect::<Vec<_>>()
                .join(", ");
            let line = status_line(
                "Checked",
                &format!("{} files in lockstep ({summary})", shared::thousands(files)),
            );
            printer.info(&line);
            // What the answer depends on is gathered only when it is remembered; a warning
            // about unlisted manifests depends on the whole tree, so it is never remembered.
            if let Some(cache) = cache.as_ref().filter(|_| unlisted.is_none()) {
                if let Some(dependencies) = repo.dependencies() {
                    text.push_str(&line);
                    cache.store(&dependencies, &repo.workspace.repo_root, &text, started);
                }
            }
        }
    }
    finish((repo, plan));
    Ok(Exit::of_report(failed == 0, left_out))
}
