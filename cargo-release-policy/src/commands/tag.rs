//! `cargo release-policy tag`: create (or print) the git tag of a group's current version.

use std::collections::BTreeSet;

use super::exit::Exit;
use super::shared;
use crate::cli::{GlobalArgs, TagArgs};
use crate::documents::{TagJson, TagOutcome};
use crate::error::Error;
use crate::git::Git;
use crate::group::Group;
use crate::load::Repo;
use crate::plan::{self, Plan};
use crate::printer::Printer;
use crate::release::{self, TagPlan};
use crate::safety::Flags;

/// A refusal to tag: exit 1.
fn refuse(message: String, help: &str) -> Error {
    Error::Refused {
        message,
        help: Some(help.to_string()),
    }
}

// proof: group indices come from `select_groups` (positions in `repo.groups`), and `targets` has
// one entry per group (`plan::current`).
#[allow(clippy::indexing_slicing)]
pub(crate) fn run(printer: &Printer, global: &GlobalArgs, args: &TagArgs) -> Result<Exit, Error> {
    let repo = shared::load(printer, global)?;
    let index = shared::select_group(&repo, global, args.package.as_deref())?;
    let group = &repo.groups[index];
    shared::refuse_unreadable(group)?;
    // The group's tag, then one per Go module of the group.
    let all = TagPlan::all(&repo, index, &group.version, args.sign)?;
    if args.print {
        if !json(printer, group, &all, TagOutcome::Printed) {
            for planned in &all {
                printer.out(&format!("{}\n", planned.name));
            }
        }
        return Ok(Exit::Success);
    }
    shared::warn_ignored_keys(printer, &repo, &[index]);
    if !group.policy.tag() {
        return Err(refuse(
            format!(
                "group `{}` does not tag releases (`tag = false`)",
                group.name
            ),
            "remove `tag = false` from the policy to tag this group",
        ));
    }
    let git = Git::open(
        &repo.workspace.root,
        "a tag is made in git: run it inside the repository (`git init` first), or use `tag --print` for the name alone",
    )?;
    let flags = Flags {
        allow_branch: &args.allow_branch,
        sign_commit: false,
        push: args.push,
        no_push: args.no_push,
    };
    let (safety, _) = release::guard(&git, &repo, &[index], flags)?;
    ready_to_tag(printer, &git, &repo, index, args.allow_dirty)?;
    // Each tag: already at HEAD, or to make.
    let mut to_make = Vec::new();
    for planned in &all {
        if release::check_new_tag(&git, &planned.name, true)? {
            // Nothing is done for it, in a dry run or not: it is made already.
            if !printer.json_format() {
                printer.status(
                    "Unchanged",
                    &format!("{} already tags HEAD: nothing to do", planned.name),
                );
            }
        } else {
            to_make.push(planned);
        }
    }
    if to_make.is_empty() {
        json(printer, group, &all, TagOutcome::Exists);
        return Ok(Exit::Success);
    }
    let names: Vec<&str> = to_make.iter().map(|p| p.name.as_str()).collect();
    if args.dry_run {
        if json(printer, group, &all, TagOutcome::WouldCreate) {
            return Ok(Exit::Success);
        }
        for planned in &to_make {
            printer.status("Would tag", &describe(planned));
        }
        if let Some(to) = &safety.push {
            let refs: Vec<String> = names.iter().map(|n| format!("refs/tags/{n}")).collect();
            printer.status(
                "Would push",
                &format!("{} to {}", refs.join(", "), to.remote),
            );
        }
        return Ok(Exit::Success);
    }
    if !args.no_checks {
        shared::run_checks(printer, &repo, index, &group.version, &group.version).map_err(
            |failure| {
                refuse(
                    format!("{failure}; no tag was created"),
                    "fix it and run `cargo release-policy tag` again (or `--no-checks`)",
                )
            },
        )?;
    }
    create_all(printer, &git, &to_make)?;
    push_tags(&git, &safety, &names, printer)?;
    json(printer, group, &all, TagOutcome::Created);
    Ok(Exit::Success)
}

/// Push the tags alone, when the release pushes: `tag` makes no commit, and the branch is
/// the user's to push.
fn push_tags(
    git: &Git,
    safety: &crate::safety::Safety,
    names: &[&str],
    printer: &Printer,
) -> Result<(), Error> {
    if let Some(to) = &safety.push {
        let refs = release::push(git, to, "HEAD", names).map_err(|f| {
            refuse(
                format!(
                    "the push to `{}` failed, so the tags are made here only (and kept): {}",
                    f.remote, f.message
                ),
                &format!("once the remote accepts them, push them with `{}`", f.retry),
            )
        })?;
        printer.status("Pushed", &format!("{} to {}", refs.join(", "), to.remote));
    }
    Ok(())
}

/// Refuse to tag group `index` when its manifests are out of lockstep or uncommitted, or
/// (unless `allow_dirty`) any tracked file has changes.
// proof: `index` is a group index (`select_group`: a position in `repo.groups`).
#[allow(clippy::indexing_slicing)]
fn ready_to_tag(
    printer: &Printer,
    git: &Git,
    repo: &Repo,
    index: usize,
    allow_dirty: bool,
) -> Result<(), Error> {
    let group = &repo.groups[index];
    // Another group that cannot be spelled is left out: it does not stop this one's tag.
    let (targets, _) = shared::targets(printer, repo, &[index]);
    let plan = plan::plan(repo, &targets)?;
    let drifted: Vec<String> = plan
        .findings
        .iter()
        .filter(|f| f.group == group.name && f.status.fails(false))
        .map(|f| format!("{}:{}:{}", f.path, f.line, f.column))
        .collect();
    if !drifted.is_empty() {
        return Err(refuse(
            format!(
                "group `{}` is out of lockstep: {}",
                group.name,
                drifted.join(", ")
            ),
            "run `cargo release-policy check` to see the fields, `sync` to repair them",
        ));
    }
    // The files the manifests really are (a link's target: what a bump wrote).
    let manifests = release::real_paths(&repo.workspace.root, &group_paths(&plan, repo, index));
    let dirty = git.dirty(&manifests)?;
    if !dirty.is_empty() {
        let files: Vec<String> = dirty.iter().map(|d| d.path.clone()).collect();
        return Err(refuse(
            format!(
                "uncommitted changes in manifests of group `{}`: {}",
                group.name,
                files.join(", ")
            ),
            "commit them first: the tag must name what the manifests say",
        ));
    }
    // The tag names a commit: a change outside the manifests (a README, a source file)
    // would not be in it, which is what a tag of a dirty tree usually hides.
    if !allow_dirty {
        let dirty = git.dirty(&[])?;
        if !dirty.is_empty() {
            let files: Vec<String> = dirty.iter().map(|d| d.path.clone()).collect();
            return Err(refuse(
                format!("the working tree has uncommitted changes: {}", files.join(", ")),
                "commit or stash them (the tag names the commit, not the working tree), or pass `--allow-dirty`",
            ));
        }
    }
    Ok(())
}

/// Create every tag, all or none: the tags made before a failure are taken back.
fn create_all(printer: &Printer, git: &Git, tags: &[&TagPlan]) -> Result<(), Error> {
    let mut made: Vec<&str> = Vec::new();
    for planned in tags {
        if let Err(error) = git.create_tag(&planned.name, &planned.message, planned.sign) {
            for name in made {
                let _ = git.delete_tag(name);
            }
            return Err(error.into());
        }
        made.push(&planned.name);
        printer.status("Tagged", &describe(planned));
    }
    Ok(())
}

/// With `--format json`: print the tag's document (docs/json.md) and return `true`.
fn json(printer: &Printer, group: &Group, all: &[TagPlan], outcome: TagOutcome) -> bool {
    if printer.json_format() {
        printer.json(&TagJson::new(group, all, outcome));
    }
    printer.json_format()
}

/// The files whose version follows group `index` (for the dirty check).
// proof: group indices come from `select_groups` (positions in `repo.groups`), and `targets` has
// one entry per group (`plan::current`).
#[allow(clippy::indexing_slicing)]
fn group_paths(plan: &Plan, repo: &Repo, index: usize) -> Vec<String> {
    let name = &repo.groups[index].name;
    let paths: BTreeSet<&String> = plan
        .findings
        .iter()
        .filter(|f| &f.group == name)
        .map(|f| &f.path)
        .collect();
    paths.into_iter().cloned().collect()
}

/// `v1.4.0 (annotated, "…")`: the tag and its kind.
fn describe(tag: &TagPlan) -> String {
    let kind = match (tag.message.is_empty(), tag.sign) {
        (true, _) => "lightweight".to_string(),
        (false, true) => format!("signed, \"{}\"", tag.message),
        (false, false) => format!("annotated, \"{}\"", tag.message),
    };
    format!("{} ({kind})", tag.name)
}
