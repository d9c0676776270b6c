//! Release integration: tags (`tag`, `bump --tag`), release commits (`bump --commit`) and the
//! CI gate (`check --tag`).

use std::collections::BTreeSet;

use crate::app::{self, AppError, Exit};
use crate::checklist;
use crate::cli::{BumpArgs, ChecklistArgs, GlobalArgs, TagArgs};
use crate::git::Git;
use crate::load::Repo;
use crate::plan::{self, Plan, Target};
use crate::template::Context;
use crate::version::Version;

/// A refusal of a release step: exit 1.
fn refuse(message: String, help: &str) -> AppError {
    AppError::Refused {
        message,
        help: Some(help.to_string()),
    }
}

fn template_error(error: &crate::template::TemplateError) -> AppError {
    AppError::Usage {
        message: error.to_string(),
        help: Some(
            "fix the template in the policy (see docs/standard.md#placeholders)".to_string(),
        ),
    }
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

/// The tag to create for `version` of group `index`: name, message, signed.
struct TagPlan {
    name: String,
    message: String,
    sign: bool,
}

fn tag_plan(repo: &Repo, index: usize, version: &Version, sign: bool) -> Result<TagPlan, AppError> {
    let group = &repo.groups[index];
    let ctx = Context::new(group, version, &group.version);
    let name = ctx.tag_name().map_err(|e| template_error(&e))?;
    let message = ctx.tag_message().map_err(|e| template_error(&e))?;
    Ok(TagPlan {
        name,
        message,
        sign: sign || group.policy.sign_tag(),
    })
}

/// Refuse a tag that git would reject, or that exists at another commit. `Ok(true)`: the tag
/// already points at `HEAD`.
fn check_new_tag(git: &Git, name: &str, at_head: bool) -> Result<bool, AppError> {
    if !git.valid_tag_name(name) {
        return Err(refuse(
            format!("`{name}` is not a valid tag name (`git check-ref-format` rejects it)"),
            "change `tag-name` / `tag-prefix` in the policy",
        ));
    }
    if let Some(commit) = git.tag_commit(name)? {
        if at_head && commit == git.head()? {
            return Ok(true);
        }
        return Err(refuse(
            format!(
                "tag `{name}` already exists (at {})",
                &commit[..commit.len().min(12)]
            ),
            "bump to a new version first, or delete the tag if it was a mistake",
        ));
    }
    Ok(false)
}

/// `cargo release-policy tag`.
pub fn tag(global: &GlobalArgs, args: &TagArgs) -> Result<Exit, AppError> {
    let repo = app::load(global)?;
    let index = app::select_group(&repo, args.package.as_deref())?;
    let group = &repo.groups[index];
    let planned = tag_plan(&repo, index, &group.version, args.sign)?;
    if args.print {
        println!("{}", planned.name);
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
    let plan = plan::plan(&repo, &app::current(&repo))?;
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
    let dirty = git.dirty(&group_paths(&plan, &repo, index))?;
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
    if check_new_tag(&git, &planned.name, true)? {
        app::status(
            global,
            "Tagged",
            &format!("{} (already at HEAD)", planned.name),
        );
        return Ok(Exit::Success);
    }
    if args.dry_run {
        app::status(global, "Would tag", &describe(&planned));
        return Ok(Exit::Success);
    }
    if !args.no_checks {
        run_checks(global, &repo, index, &group.version, &group.version).map_err(|failure| {
            refuse(
                format!("{failure}; no tag was created"),
                "fix it and run `cargo release-policy tag` again (or `--no-checks`)",
            )
        })?;
    }
    git.create_tag(&planned.name, &planned.message, planned.sign)?;
    app::status(global, "Tagged", &describe(&planned));
    Ok(Exit::Success)
}

fn describe(tag: &TagPlan) -> String {
    let kind = match (tag.message.is_empty(), tag.sign) {
        (true, _) => "lightweight".to_string(),
        (false, true) => format!("signed, \"{}\"", tag.message),
        (false, false) => format!("annotated, \"{}\"", tag.message),
    };
    format!("{} ({kind})", tag.name)
}

/// What `bump --commit [--tag]` will do once the files are written.
#[derive(Debug)]
pub struct ReleaseSteps {
    git: Git,
    message: String,
    tag: Option<(String, String, bool)>,
    /// Run the checklist (group index, new and previous version) before committing.
    checks: Option<(usize, Version, Version)>,
}

/// Before a `bump --commit [--tag]` writes anything: refuse a dirty tree, an existing or
/// invalid tag, a disabled tag.
pub fn prepare(
    repo: &Repo,
    index: usize,
    new: &Version,
    args: &BumpArgs,
) -> Result<Option<ReleaseSteps>, AppError> {
    if !args.commit {
        return Ok(None);
    }
    let group = &repo.groups[index];
    let git = Git::open(&repo.workspace.root)?;
    if !args.allow_dirty {
        let dirty = git.dirty(&[])?;
        if !dirty.is_empty() {
            let files: Vec<String> = dirty.iter().map(|d| d.path.clone()).collect();
            return Err(refuse(
                format!("the working tree has uncommitted changes: {}", files.join(", ")),
                "commit or stash them, or pass `--allow-dirty` (only the bumped files are committed)",
            ));
        }
    }
    let ctx = Context::new(group, new, &group.version);
    let message = ctx.commit_message().map_err(|e| template_error(&e))?;
    let tag = if args.tag {
        if !group.policy.tag() {
            return Err(refuse(
                format!(
                    "group `{}` does not tag releases (`tag = false`)",
                    group.name
                ),
                "drop `--tag`, or remove `tag = false` from the policy",
            ));
        }
        let planned = tag_plan(repo, index, new, args.sign)?;
        check_new_tag(&git, &planned.name, false)?;
        Some((planned.name, planned.message, planned.sign))
    } else {
        None
    };
    let checks = (!args.no_checks).then(|| (index, new.clone(), group.version.clone()));
    Ok(Some(ReleaseSteps {
        git,
        message,
        tag,
        checks,
    }))
}

/// After the files are written: commit exactly `changed`, then tag. A failed tag takes the
/// commit back (the files stay written).
pub fn finish(
    global: &GlobalArgs,
    repo: &Repo,
    steps: &ReleaseSteps,
    changed: &[String],
) -> Result<(), AppError> {
    if changed.is_empty() {
        return Err(refuse(
            "nothing changed, so there is nothing to commit".to_string(),
            "the group already holds that version",
        ));
    }
    if let Some((index, new, prev)) = &steps.checks {
        run_checks(global, repo, *index, new, prev).map_err(|failure| AppError::Refused {
            message: format!(
                "{failure}: the bumped manifests are written, but nothing was committed or tagged"
            ),
            help: Some(format!(
                "fix it and commit yourself, or undo the bump with `git checkout -- {}`",
                changed.join(" ")
            )),
        })?;
    }
    let commit = steps.git.commit(changed, &steps.message)?;
    app::status(
        global,
        "Committed",
        &format!("{} \"{}\"", &commit[..commit.len().min(12)], steps.message),
    );
    if let Some((name, message, sign)) = &steps.tag {
        if let Err(error) = steps.git.create_tag(name, message, *sign) {
            let _ = steps.git.uncommit();
            return Err(AppError::Git(error));
        }
        app::status(global, "Tagged", name);
    }
    Ok(())
}

/// `check --tag TAG`: `None` when TAG is a group's tag for its current version, else why not.
pub fn check_tag(repo: &Repo, targets: &[Target], tag: &str) -> Option<String> {
    let tag = tag.strip_prefix("refs/tags/").unwrap_or(tag);
    let mut expected = Vec::new();
    for (group, target) in repo.groups.iter().zip(targets) {
        let ctx = Context::new(group, &target.new, &group.version);
        match ctx.tag_name() {
            Ok(name) if name == tag => return None,
            Ok(name) => expected.push(format!("`{name}` ({} {})", group.name, target.new)),
            Err(e) => expected.push(format!("({}: {e})", group.name)),
        }
    }
    Some(format!(
        "tag `{tag}` does not match the manifests: expected {}",
        expected.join(" or ")
    ))
}

/// Run group `index`'s checklist; `Err` names the check that failed (its output is printed).
fn run_checks(
    global: &GlobalArgs,
    repo: &Repo,
    index: usize,
    version: &Version,
    prev: &Version,
) -> Result<(), String> {
    let group = &repo.groups[index];
    if group.policy.checks.is_empty() {
        return Ok(());
    }
    let base = repo.files[&group.policy_file]
        .abs
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let env = checklist::environment(group, version, prev);
    let outcomes = checklist::run(&group.policy.checks, &base, &env, global.quiet)
        .map_err(|e| e.to_string())?;
    match outcomes.iter().find(|o| !o.success) {
        None => Ok(()),
        Some(failed) => {
            let mut out = format!("--- output of `{}` (last lines) ---\n", failed.command);
            for line in &failed.tail {
                out.push_str(line);
                out.push('\n');
            }
            app::err(&out);
            Err(format!("check `{}` failed", failed.name))
        }
    }
}

/// `cargo release-policy checklist`.
pub fn checklist(global: &GlobalArgs, args: &ChecklistArgs) -> Result<Exit, AppError> {
    let repo = app::load(global)?;
    let index = app::select_group(&repo, args.package.as_deref())?;
    let group = &repo.groups[index];
    if group.policy.checks.is_empty() {
        app::status(
            global,
            "Checklist",
            &format!("group `{}` has no `checks`", group.name),
        );
        return Ok(Exit::Success);
    }
    match run_checks(global, &repo, index, &group.version, &group.version) {
        Ok(()) => {
            let n = group.policy.checks.len();
            app::status(
                global,
                "Checklist",
                &format!("{n} check{} passed", if n == 1 { "" } else { "s" }),
            );
            Ok(Exit::Success)
        }
        Err(failure) => {
            app::err(&crate::report::error(&failure, None));
            Ok(Exit::Failure)
        }
    }
}

/// A nightly snapshot of group `index`: the next patch's `dev` pre-release numbered by the
/// commits since the group's last release tag (`v1.4.2` + 17 commits → `1.4.3-dev.17`).
pub fn snapshot(repo: &Repo, index: usize) -> Result<Snapshot, AppError> {
    let group = &repo.groups[index];
    let git = Git::open(&repo.workspace.root)?;
    let ctx = Context::new(group, &group.version, &group.version);
    let (prefix, suffix) = ctx
        .tag_affixes()
        .map_err(|e| template_error(&e))?
        .ok_or_else(|| AppError::Usage {
            message: format!(
                "the `tag-name` of group `{}` has no `{{{{version}}}}`",
                group.name
            ),
            help: Some(
                "a snapshot counts commits since the last tag named by `tag-name`".to_string(),
            ),
        })?;
    let pattern = format!("{prefix}*{suffix}");
    let tag = git.last_tag(&pattern)?.ok_or_else(|| {
        refuse(
            format!(
                "no release tag of group `{}` (matching `{pattern}`) is reachable from HEAD",
                group.name
            ),
            "tag a release first (`cargo release-policy tag`)",
        )
    })?;
    let text = tag
        .strip_prefix(&prefix)
        .and_then(|t| t.strip_suffix(&suffix))
        .unwrap_or(&tag);
    let base = Version::parse(text, &group.spelling.labels).map_err(|e| {
        refuse(
            format!("the last release tag `{tag}` does not hold a version: {e}"),
            "snapshots count from tags named by `tag-name`",
        )
    })?;
    let height = git.height(&tag)?;
    if height == 0 {
        return Err(refuse(
            format!("HEAD is the release tag `{tag}` itself: a snapshot needs commits after it"),
            "publish the release itself, or commit first",
        ));
    }
    let patch = if base.is_pre() {
        base.patch
    } else {
        base.patch + 1
    };
    let version = Version::new(base.major, base.minor, patch).with_pre("dev", height);
    Ok(Snapshot {
        version,
        tag,
        height,
    })
}

/// A nightly snapshot version and where it counts from.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub version: Version,
    /// The release tag it counts from.
    pub tag: String,
    /// Commits since that tag.
    pub height: u64,
}
