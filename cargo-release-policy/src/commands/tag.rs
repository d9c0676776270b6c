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

/// A refusal to tag: exit 1.
fn refuse(message: String, help: &str) -> Error {
    Error::Refused {
        message,
        help: Some(help.to_string()),
    }
}

pub(crate) fn run(printer: &Printer, global: &GlobalArgs, args: &TagArgs) -> Result<Exit, Error> {
    let repo = shared::load(printer, global)?;
    let index = shared::select_group(&repo, global, args.package.as_deref())?;
    let group = &repo.groups[index];
    shared::refuse_unreadable(group)?;
    let planned = TagPlan::new(&repo, index, &group.version, args.sign)?;
    if args.print {
        if !json(printer, group, &planned, TagOutcome::Printed) {
            printer.out(&format!("{}\n", planned.name));
        }
        return Ok(Exit::Success);
    }
    if !group.policy.tag() {
        return Err(refuse(
            format!(
                "group `{}` does not tag releases (`tag = false`)",
                group.name
            ),
            "remove `tag = false` from the policy to tag this group",
        ));
    }
    let git = Git::open(&repo.workspace.root)?;
    // Another group that cannot be spelled is left out: it does not stop this one's tag.
    let (targets, _) = shared::targets(printer, &repo, &[index]);
    let plan = plan::plan(&repo, &targets)?;
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
    let manifests = release::real_paths(&repo.workspace.root, &group_paths(&plan, &repo, index));
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
    if !args.allow_dirty {
        let dirty = git.dirty(&[])?;
        if !dirty.is_empty() {
            let files: Vec<String> = dirty.iter().map(|d| d.path.clone()).collect();
            return Err(refuse(
                format!("the working tree has uncommitted changes: {}", files.join(", ")),
                "commit or stash them (the tag names the commit, not the working tree), or pass `--allow-dirty`",
            ));
        }
    }
    if release::check_new_tag(&git, &planned.name, true)? {
        if !json(printer, group, &planned, TagOutcome::Exists) {
            printer.status("Tagged", &format!("{} (already at HEAD)", planned.name));
        }
        return Ok(Exit::Success);
    }
    if args.dry_run {
        if !json(printer, group, &planned, TagOutcome::WouldCreate) {
            printer.status("Would tag", &describe(&planned));
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
    git.create_tag(&planned.name, &planned.message, planned.sign)?;
    if !json(printer, group, &planned, TagOutcome::Created) {
        printer.status("Tagged", &describe(&planned));
    }
    Ok(Exit::Success)
}

/// With `--format json`: print the tag's document (docs/json.md) and return `true`.
fn json(printer: &Printer, group: &Group, planned: &TagPlan, outcome: TagOutcome) -> bool {
    if printer.json_format() {
        printer.json(&TagJson::new(group, planned, outcome));
    }
    printer.json_format()
}

/// The files whose version follows group `index` (for the dirty check).
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
