//! `cargo release-policy bump`: move a group to its next version and rewrite every manifest,
//! requirement and lockfile; with `--commit [--tag]`, commit (and tag) the release.

use super::exit::{finish, Exit};
use super::shared::{self, Outcome};
use crate::cli::{BumpArgs, GlobalArgs};
use crate::diagnostic::Diagnostic as _;
use crate::documents::SnapshotJson;
use crate::error::Error;
use crate::group::Group;
use crate::load::Repo;
use crate::plan::{self, Plan};
use crate::printer::Printer;
use crate::release::{self, ReleaseSteps, Snapshot};
use crate::report::BumpJson;
use release_policy_version::{self as version, Version, VersionError};
use std::str::FromStr;

// proof: group indices come from `select_groups` (positions in `repo.groups`), and `targets` has
// one entry per group (`plan::current`).
#[allow(clippy::indexing_slicing)]
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
        let new = with_build(group, new, args.build.as_deref())?;
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
    shared::warn_ignored_keys(printer, &repo, &indices);
    let steps = if args.dry_run {
        // A dry run of a release says now what the real one would refuse first: the branch.
        release::dry_run_guard(&repo, &bumps, args)?;
        None
    } else {
        release::prepare(&repo, &bumps, args)?
    };
    let plan = plan::plan(&repo, &targets)?;
    refuse_go_major(&plan)?;
    let mut steps = steps;
    if let Some(steps) = &mut steps {
        // Decided before any write: which edited files git ignores (left out of the commit).
        let planned: Vec<String> = plan.edits.keys().cloned().collect();
        steps.exclude_ignored(&planned)?;
    }
    let changed = shared::write(printer, &repo, &plan, args.dry_run)?;
    if !printer.json_format() {
        say_bumped(printer, &repo, &plan, &bumps, args.dry_run, &changed);
        if args.dry_run && args.tag {
            for (index, new) in &bumps {
                for planned in release::TagPlan::all(&repo, *index, new, false)? {
                    printer.status("Would tag", &planned.name);
                }
            }
        }
    }
    if let Some(steps) = &steps {
        commit_and_tag(printer, &repo, &plan, steps, &changed, args.keep_on_failure)?;
    }
    // The document once the release stands: a bump taken back (a check failed) prints none.
    let bump_json = bump_json(&repo, &bumps, args);
    shared::json(
        printer,
        &repo,
        &plan,
        &targets,
        Outcome {
            command: "bump",
            ok: true,
            changed: Some(changed),
            bump: Some(bump_json),
            unlisted: None,
            tag_check: None,
        },
    );
    finish((repo, plan));
    Ok(Exit::Success)
}

/// `Bumped workspace 1.4.0 → 1.5.0` per group, and the files written.
fn say_bumped(
    printer: &Printer,
    repo: &Repo,
    plan: &Plan,
    bumps: &[(usize, Version)],
    dry_run: bool,
    changed: &[String],
) {
    let verb = if dry_run { "Would bump" } else { "Bumped" };
    for (index, new) in bumps {
        let Some(group) = repo.groups.get(*index) else {
            continue;
        };
        let spelled = match group.spelling.pep440(new).ok() {
            Some(p) if p != new.to_string() => format!(" (PEP 440 {p})"),
            _ => String::new(),
        };
        printer.status(
            verb,
            &format!("{} {} → {new}{spelled}", group.name, group.version),
        );
    }
    shared::updated(printer, plan, dry_run, changed);
}

/// What the JSON says of each bumped group; with `--tag`, the tags it gets (the group's and
/// one per Go module).
fn bump_json(
    repo: &Repo,
    bumps: &[(usize, Version)],
    args: &crate::cli::BumpArgs,
) -> Vec<BumpJson> {
    bumps
        .iter()
        .filter_map(|(index, new)| {
            let group = repo.groups.get(*index)?;
            let tags = if args.tag {
                release::TagPlan::all(repo, *index, new, false)
                    .map(|all| all.into_iter().map(|t| t.name).collect())
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            Some(BumpJson {
                group: group.name.clone(),
                from: group.version.to_string(),
                to: new.to_string(),
                pep440: group.spelling.pep440(new).ok(),
                dry_run: args.dry_run,
                tags,
            })
        })
        .collect()
}

/// A bump to a major version a Go module's path does not declare (`/v2`) is refused before
/// anything is written: Go would refuse the module's tag.
fn refuse_go_major(plan: &plan::Plan) -> Result<(), Error> {
    let Some(finding) = plan
        .findings
        .iter()
        .find(|f| f.field == "module" && f.status == plan::Status::Unsupported)
    else {
        return Ok(());
    };
    Err(Error::Refused {
        message: format!(
            "{}:{}:{}: {}",
            finding.path,
            finding.line,
            finding.column,
            finding.detail.as_deref().unwrap_or_default()
        ),
        help: Some(format!(
            "change the module path to `{}` first, or bump within the current major version",
            finding.expected.as_deref().unwrap_or_default()
        )),
    })
}

/// A refused bump; when several groups are bumped, naming the group.
// proof: group indices come from `select_groups` (positions in `repo.groups`), and `targets` has
// one entry per group (`plan::current`).
#[allow(clippy::indexing_slicing)]
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
// proof: group indices come from `select_groups` (positions in `repo.groups`), and `targets` has
// one entry per group (`plan::current`).
#[allow(clippy::indexing_slicing)]
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

/// The new version with `--build META` as its build metadata (without it, none: a bump
/// drops the marker), as the group's files read it back (a compact group's bare `-dev`).
fn with_build(group: &Group, new: Version, build: Option<&str>) -> Result<Version, Error> {
    let new = group.spelling.pre.normalize(new);
    let Some(build) = build else {
        return Ok(new);
    };
    let usage = |message: String| Error::Usage {
        message,
        help: Some(
            "build metadata is dot-separated letters, digits and `-`: `--build dev`".to_string(),
        ),
    };
    if new.build.is_some() {
        return Err(usage(format!(
            "`{new}` has build metadata already; `--build {build}` would replace it"
        )));
    }
    let marked = Version::from_str(&format!("{}+{build}", new.without_build()))
        .map_err(|e| usage(format!("`--build {build}`: {e}")))?;
    Ok(Version {
        build: marked.build,
        ..new
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

/// After the files are written: run the checklist, commit exactly `changed`, tag, then
/// push. A failure before the release is made puts the files back (unless `keep`); a push
/// that fails leaves the release made here and says how to retry it.
fn commit_and_tag(
    printer: &Printer,
    repo: &Repo,
    plan: &Plan,
    steps: &ReleaseSteps,
    changed: &[String],
    keep: bool,
) -> Result<(), Error> {
    release::refuse_empty_commit(changed)?;
    let tags = match release_here(printer, repo, steps, changed) {
        Ok(tags) => tags,
        Err(failure) => return Err(undo(repo, plan, changed, keep, &failure)),
    };
    let Some(to) = &steps.safety.push else {
        return Ok(());
    };
    if steps.branch == "HEAD" {
        printer.warning(
            "HEAD is detached: the release commit is on no branch, so only the tags are pushed",
            Some("push the commit to a branch yourself if it belongs on one"),
        );
        if tags.is_empty() {
            return Ok(());
        }
    }
    match release::push(&steps.git, to, &steps.branch, &tags) {
        Ok(refs) => {
            printer.status("Pushed", &format!("{} to {}", refs.join(", "), to.remote));
            Ok(())
        }
        Err(failure) => Err(Error::Refused {
            message: format!(
                "the push to `{}` failed, so the release is made here only (committed{}, and kept): {}",
                failure.remote,
                if tags.is_empty() { "" } else { " and tagged" },
                failure.message
            ),
            help: Some(format!(
                "once the remote accepts it, push it with `{}`",
                failure.retry
            )),
        }),
    }
}

/// The release in this repository: the checklist, the commit, the tags (their names).
fn release_here<'s>(
    printer: &Printer,
    repo: &Repo,
    steps: &'s ReleaseSteps,
    changed: &[String],
) -> Result<Vec<&'s str>, String> {
    for (index, new, prev) in &steps.checks {
        shared::run_checks(printer, repo, *index, new, prev)?;
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
    let commit = steps.commit(changed).map_err(|e| e.to_string())?;
    printer.status(
        "Committed",
        &format!(
            "{} \"{}\"{}",
            release::short(&commit),
            steps.message,
            if steps.safety.sign_commit {
                " (signed)"
            } else {
                ""
            }
        ),
    );
    let tags = steps.tag(changed).map_err(|e| e.to_string())?;
    for name in &tags {
        printer.status("Tagged", name);
    }
    Ok(tags)
}

/// The error of a release that failed before it was made (`failure`), the bumped files put
/// back first unless `keep`.
fn undo(repo: &Repo, plan: &Plan, changed: &[String], keep: bool, failure: &str) -> Error {
    let checkout = crate::shell_quote::join(
        &[
            &["git", "checkout", "--"][..],
            &changed.iter().map(String::as_str).collect::<Vec<_>>(),
        ]
        .concat(),
    );
    if keep {
        return Error::Refused {
            message: format!(
                "{failure}: the bumped files stay written (`--keep-on-failure`), but nothing was committed or tagged"
            ),
            help: Some(format!(
                "fix it and commit yourself, or undo the bump with `{checkout}`"
            )),
        };
    }
    match shared::take_back(repo, plan) {
        Ok(n) => Error::Refused {
            message: format!(
                "{failure}: the bump is taken back ({n} file{} put back as they were), and nothing was committed or tagged",
                shared::plural(n)
            ),
            help: Some(
                "fix it and bump again (`--keep-on-failure` keeps the bumped files written, to look into)"
                    .to_string(),
            ),
        },
        Err(error) => Error::Refused {
            message: format!(
                "{failure}, and the bump could not be taken back: {error}; nothing was committed or tagged"
            ),
            help: Some(format!(
                "{}undo the bump with `{checkout}`",
                error
                    .help()
                    .map(|h| format!("{h}; or "))
                    .unwrap_or_default()
            )),
        },
    }
}
