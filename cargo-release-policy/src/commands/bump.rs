//! `cargo release-policy bump`: move a group to its next version and rewrite every manifest,
//! requirement and lockfile; with `--commit [--tag]`, commit (and tag) the release.

use super::exit::{finish, Exit};
use super::shared::{self, Outcome};
use crate::cli::{BumpArgs, GlobalArgs};
use crate::documents::SnapshotJson;
use crate::error::Error;
use crate::group::Group;
use crate::load::Repo;
use crate::plan;
use crate::printer::Printer;
use crate::release::{self, ReleaseSteps, Snapshot};
use crate::report::BumpJson;
use release_policy_version::{self as version, Version, VersionError};

pub(crate) fn run(printer: &Printer, global: &GlobalArgs, args: &BumpArgs) -> Result<Exit, Error> {
    let repo = shared::load(printer, global)?;
    let indices = shared::select_groups(&repo, global, &args.package, args.workspace)?;
    if args.snapshot && indices.len() > 1 {
        return Err(Error::Usage {
            message: "`--snapshot` numbers one group's commits since its last tag: name one group"
                .to_string(),
            help: Some("use one `-p CRATE`".to_string()),
        });
    }
    // Every group's new version, checked, before anything is written: one write for all,
    // or none.
    let mut bumps: Vec<(usize, Version)> = Vec::new();
    for &index in &indices {
        let group = &repo.groups[index];
        shared::refuse_unreadable(group)?;
        let Some(new) = next_version(printer, &repo, index, args)? else {
            return Ok(Exit::Success);
        };
        let ecosystems = plan::ecosystems(&repo, index);
        let published = plan::published_ecosystems(&repo, index);
        version::check_forward_published(
            &group.version,
            &new,
            &ecosystems,
            &published,
            &group.spelling,
        )
        .map_err(|e| in_group(&repo, &indices, index, e))?;
        bumps.push((index, new));
    }
    // Another group whose version cannot be spelled is left as it is: `bump -p other`
    // works.
    let (mut targets, _) = shared::targets(printer, &repo, &indices);
    for (index, new) in &bumps {
        targets[*index].new = new.clone();
    }
    if args.tag {
        if let Some((message, help)) = shared::duplicate_tag(&repo, &targets, &indices) {
            return Err(Error::Refused {
                message,
                help: Some(help),
            });
        }
    }
    let steps = if args.dry_run {
        None
    } else {
        release::prepare(&repo, &bumps, args)?
    };
    let plan = plan::plan(&repo, &targets)?;
    let mut steps = steps;
    if let Some(steps) = &mut steps {
        // Decided before any write: which edited files git ignores (left out of the commit).
        let planned: Vec<String> = plan.edits.keys().cloned().collect();
        steps.exclude_ignored(&planned)?;
    }
    let changed = shared::write(printer, &repo, &plan, args.dry_run)?;
    let bump_json: Vec<BumpJson> = bumps
        .iter()
        .map(|(index, new)| {
            let group = &repo.groups[*index];
            BumpJson {
                group: group.name.clone(),
                from: group.version.to_string(),
                to: new.to_string(),
                pep440: group.spelling.pep440(new).ok(),
                dry_run: args.dry_run,
            }
        })
        .collect();
    if !shared::json(
        printer,
        &repo,
        &plan,
        &targets,
        Outcome {
            command: "bump",
            ok: true,
            changed: Some(changed.clone()),
            bump: Some(bump_json),
            unlisted: None,
            tag_check: None,
        },
    ) {
        let verb = if args.dry_run { "Would bump" } else { "Bumped" };
        for (index, new) in &bumps {
            let group = &repo.groups[*index];
            let spelled = match group.spelling.pep440(new).ok() {
                Some(p) if p != new.to_string() => format!(" (PEP 440 {p})"),
                _ => String::new(),
            };
            printer.status(
                verb,
                &format!("{} {} → {new}{spelled}", group.name, group.version),
            );
        }
        shared::updated(printer, &plan, args.dry_run, &changed);
    }
    if let Some(steps) = &steps {
        commit_and_tag(printer, &repo, steps, &changed)?;
    }
    finish((repo, plan));
    Ok(Exit::Success)
}

/// A refused bump; when several groups are bumped, naming the group.
fn in_group(repo: &Repo, indices: &[usize], index: usize, error: VersionError) -> Error {
    if indices.len() < 2 {
        return Error::RefusedBump(error);
    }
    Error::Refused {
        help: error.help(),
        message: format!(
            "refusing to bump group `{}`, so no group is bumped: {error}",
            repo.groups[index].name
        ),
    }
}

/// The version `bump` moves group `index` to; `None` when `--snapshot --print` printed it.
fn next_version(
    printer: &Printer,
    repo: &Repo,
    index: usize,
    args: &BumpArgs,
) -> Result<Option<Version>, Error> {
    let group = &repo.groups[index];
    if args.snapshot {
        if args.level != "dev" || args.pre.is_some() {
            return Err(Error::Usage {
                message: "`--snapshot` makes a `dev` pre-release: use `bump dev --snapshot`"
                    .to_string(),
                help: None,
            });
        }
        let snapshot = release::snapshot(repo, index)?;
        let ecosystems = plan::ecosystems(repo, index);
        version::check_forward(
            &group.version,
            &snapshot.version,
            &ecosystems,
            &group.spelling,
        )
        .map_err(Error::RefusedBump)?;
        if args.print {
            print_snapshot(printer, group, &snapshot);
            return Ok(None);
        }
        return Ok(Some(snapshot.version));
    }
    let level = super::level::parse(&args.level, &group.spelling.labels)?;
    version::bump(
        &group.version,
        &level,
        args.pre.as_deref(),
        &group.spelling.labels,
    )
    .map(Some)
    .map_err(|e| match e {
        VersionError::Bump { .. } => Error::Usage {
            help: e.help(),
            message: e.to_string(),
        },
        other => Error::RefusedBump(other),
    })
}

/// `bump dev --snapshot --print`: the version, or every spelling of it in JSON.
fn print_snapshot(printer: &Printer, group: &Group, snapshot: &Snapshot) {
    let v = &snapshot.version;
    if printer.json_format() {
        printer.json(&SnapshotJson::new(group, v, &snapshot.tag, snapshot.height));
    } else {
        printer.out(&format!("{v}\n"));
    }
}

/// After the files are written: run the checklist, commit exactly `changed`, then tag.
fn commit_and_tag(
    printer: &Printer,
    repo: &Repo,
    steps: &ReleaseSteps,
    changed: &[String],
) -> Result<(), Error> {
    release::refuse_empty_commit(changed)?;
    for (index, new, prev) in &steps.checks {
        shared::run_checks(printer, repo, *index, new, prev).map_err(|failure| Error::Refused {
            message: format!(
                "{failure}: the bumped manifests are written, but nothing was committed or tagged"
            ),
            help: Some(format!(
                "fix it and commit yourself, or undo the bump with `git checkout -- {}`",
                changed.join(" ")
            )),
        })?;
    }
    let ignored = steps.ignored_files(changed);
    if !ignored.is_empty() {
        printer.warning(
            &format!(
                "not committed, because git ignores {}: {}",
                if ignored.len() == 1 { "it" } else { "them" },
                ignored.join(", ")
            ),
            Some("they are written; `git add -f` them and amend the commit to release them too"),
        );
    }
    let commit = steps.commit(changed)?;
    printer.status(
        "Committed",
        &format!("{} \"{}\"", release::short(&commit), steps.message),
    );
    for name in steps.tag()? {
        printer.status("Tagged", name);
    }
    Ok(())
}
