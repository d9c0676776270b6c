//! Release steps in git, without printing: the tag a release gets, the checks before a
//! `bump --commit [--tag]` writes anything, the commit and tag after, the CI gate
//! (`check --tag`) and nightly snapshot versions. The commands (`tag`, `bump`, `check`) say
//! what happened.

use std::path::{Path, PathBuf};

use crate::branch_guard::Refusal;
use crate::cli::BumpArgs;
use crate::diagnostic::Diagnostic;
use crate::git::{Git, GitError};
use crate::load::Repo;
use crate::plan::Target;
use crate::safety::{self, Flags, PushTo, Safety};
use crate::template::{Context, TemplateError};
use release_policy_version::Version;

/// Why a release step cannot be taken.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// The repository or the policy does not allow the step (exit 1).
    #[error("{message}")]
    Refused { message: String, help: String },
    /// A template of the policy cannot be rendered.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A snapshot counts from the group's tags, which `tag-name` must say how to find.
    #[error("the `tag-name` of group `{group}` has no `{{{{version}}}}`")]
    UntaggedVersion { group: String },
    #[error(transparent)]
    Git(#[from] GitError),
}

impl Diagnostic for ReleaseError {
    fn help(&self) -> Option<String> {
        match self {
            ReleaseError::Refused { help, .. } => Some(help.clone()),
            ReleaseError::Template(e) => e.help(),
            ReleaseError::UntaggedVersion { .. } => {
                Some("a snapshot counts commits since the last tag named by `tag-name`".to_string())
            }
            ReleaseError::Git(e) => e.help(),
        }
    }
}

impl From<Refusal> for ReleaseError {
    fn from(refusal: Refusal) -> ReleaseError {
        ReleaseError::Refused {
            message: refusal.message,
            help: refusal.help,
        }
    }
}

/// The safety of a release of `groups` ([`safety::resolve`]), its branch guards checked
/// against the branch `git` is on; returns it with the branch (`HEAD` when detached).
pub fn guard(
    git: &Git,
    repo: &Repo,
    groups: &[usize],
    flags: Flags<'_>,
) -> Result<(Safety, String), ReleaseError> {
    let safety = safety::resolve(repo, groups, flags)?;
    let branch = git.current_branch()?;
    safety.check_branch(&branch)?;
    Ok((safety, branch))
}

/// A push that git refused, after the release was made here: what to say, and the command
/// that retries it.
#[derive(Debug)]
pub struct PushFailure {
    pub remote: String,
    pub message: String,
    pub retry: String,
}

/// Push `tags` (and `branch`, unless it is `HEAD`) to `to`: `Ok(refs pushed)`, or why not.
pub fn push(
    git: &Git,
    to: &PushTo,
    branch: &str,
    tags: &[&str],
) -> Result<Vec<String>, PushFailure> {
    let refs = safety::refs(branch, tags);
    match git.push(&to.remote, &refs, &to.options) {
        Ok(()) => Ok(refs),
        Err(error) => Err(PushFailure {
            remote: to.remote.clone(),
            message: match error {
                GitError::Command { message, .. } => message,
                other @ GitError::NotARepository { .. } => other.to_string(),
            },
            retry: to.command(&refs),
        }),
    }
}

/// A refusal of a release step.
pub fn refuse(message: String, help: &str) -> ReleaseError {
    ReleaseError::Refused {
        message,
        help: help.to_string(),
    }
}

/// The tag to create for a version of a group: name, message, signed.
#[derive(Debug)]
pub struct TagPlan {
    pub name: String,
    /// Empty: a lightweight tag.
    pub message: String,
    pub sign: bool,
}

impl TagPlan {
    /// The tag of `version` of group `index`; signed with `sign` or when the policy says so.
    // proof: `index` is a group index (`select_groups`, or enumerated from `repo.groups`).
    #[allow(clippy::indexing_slicing)]
    pub fn new(
        repo: &Repo,
        index: usize,
        version: &Version,
        sign: bool,
    ) -> Result<TagPlan, ReleaseError> {
        let group = &repo.groups[index];
        let ctx = Context::new(group, version, &group.version);
        Ok(TagPlan {
            name: ctx.tag_name()?,
            message: ctx.tag_message()?,
            sign: sign || group.policy.sign_tag(),
        })
    }
}

/// Refuse a tag that git would reject, or that exists at another commit. `Ok(true)`: the tag
/// already points at `HEAD`.
pub fn check_new_tag(git: &Git, name: &str, at_head: bool) -> Result<bool, ReleaseError> {
    // `git tag` refuses a name starting with `-` (it would read as an option), which
    // `check-ref-format` accepts: refused here, before anything is written.
    if name.starts_with('-') {
        return Err(refuse(
            format!("`{name}` is not a valid tag name (it starts with `-`, which git reads as an option)"),
            "change `tag-name` / `tag-prefix` in the policy so that the tag starts with a letter or digit",
        ));
    }
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
            format!("tag `{name}` already exists (at {})", short(&commit)),
            "bump to a new version first, or delete the tag if it was a mistake",
        ));
    }
    Ok(false)
}

/// A commit's abbreviated name, as the tool shows it.
pub fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// What `bump --commit [--tag]` does once the files are written.
#[derive(Debug)]
pub struct ReleaseSteps {
    pub git: Git,
    /// Signing and pushing (the branch guard is passed already).
    pub safety: Safety,
    /// The branch released from (`HEAD` when detached and allowed).
    pub branch: String,
    /// The release commit's message: each group's, one a line (the first is the subject).
    pub message: String,
    /// A tag per bumped group, in the order the groups were named.
    tags: Vec<TagPlan>,
    /// Run each group's checklist (group index, new and previous version) before committing.
    pub checks: Vec<(usize, Version, Version)>,
    /// The workspace root, which the paths of written files are relative to.
    root: PathBuf,
    /// Files the write changes that git ignores (and does not track): written, not
    /// committed (see [`ReleaseSteps::ignored_files`]).
    ignored: Vec<String>,
}

/// Before a `bump --commit [--tag]` writes anything: refuse a branch `allow-branch` does not
/// allow, a dirty tree, an existing or invalid tag, a disabled tag. `bumps`: each group
/// bumped, with its new version.
// proof: `index` is a group index (`select_groups`, or enumerated from `repo.groups`).
#[allow(clippy::indexing_slicing)]
pub fn prepare(
    repo: &Repo,
    bumps: &[(usize, Version)],
    args: &BumpArgs,
) -> Result<Option<ReleaseSteps>, ReleaseError> {
    if !args.commit {
        return Ok(None);
    }
    let git = Git::open(
        &repo.workspace.root,
        "run it inside a git repository (`git init`), or drop `--commit`/`--tag`",
    )?;
    let groups: Vec<usize> = bumps.iter().map(|(i, _)| *i).collect();
    let flags = bump_flags(args);
    let (safety, branch) = guard(&git, repo, &groups, flags)?;
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
    let mut messages = Vec::new();
    let mut tags = Vec::new();
    let mut checks = Vec::new();
    for (index, new) in bumps {
        let group = &repo.groups[*index];
        let ctx = Context::new(group, new, &group.version);
        messages.push(ctx.commit_message()?);
        if args.tag {
            if !group.policy.tag() {
                return Err(refuse(
                    format!(
                        "group `{}` does not tag releases (`tag = false`)",
                        group.name
                    ),
                    "drop `--tag`, or remove `tag = false` from the policy",
                ));
            }
            let planned = TagPlan::new(repo, *index, new, args.sign)?;
            check_new_tag(&git, &planned.name, false)?;
            tags.push(planned);
        }
        if !args.no_checks {
            checks.push((*index, new.clone(), group.version.clone()));
        }
    }
    Ok(Some(ReleaseSteps {
        git,
        safety,
        branch,
        message: messages.join("\n"),
        tags,
        checks,
        root: repo.workspace.root.clone(),
        ignored: Vec::new(),
    }))
}

/// What `bump`'s command line says about the release's safety.
fn bump_flags(args: &BumpArgs) -> Flags<'_> {
    Flags {
        allow_branch: &args.allow_branch,
        sign_commit: args.sign_commit,
        push: args.push,
        no_push: args.no_push,
    }
}

/// `bump --dry-run --commit`: the branch guard of [`prepare`], so that a dry run refuses a
/// branch the release would be refused on (nothing else of the release is checked).
pub fn dry_run_guard(
    repo: &Repo,
    bumps: &[(usize, Version)],
    args: &BumpArgs,
) -> Result<(), ReleaseError> {
    if !args.commit {
        return Ok(());
    }
    let git = Git::open(
        &repo.workspace.root,
        "run it inside a git repository (`git init`), or drop `--commit`/`--tag`",
    )?;
    let groups: Vec<usize> = bumps.iter().map(|(i, _)| *i).collect();
    let flags = bump_flags(args);
    guard(&git, repo, &groups, flags).map(drop)
}

/// Refuse a release commit of nothing (before its checks run).
pub fn refuse_empty_commit(changed: &[String]) -> Result<(), ReleaseError> {
    if changed.is_empty() {
        return Err(refuse(
            "nothing changed, so there is nothing to commit".to_string(),
            "the group already holds that version",
        ));
    }
    Ok(())
}

/// Where each of `paths` (relative to `root`) really is, relative to `root`: a manifest
/// reached through a link is written at the link's target, which is what git must stage
/// and compare. A path whose target is not below `root` (or that cannot be resolved) is
/// kept as it is. Each path once, in order.
pub fn real_paths(root: &Path, paths: &[String]) -> Vec<String> {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut out: Vec<String> = Vec::with_capacity(paths.len());
    // (A set: a bump may write thousands of manifests.)
    let mut seen = std::collections::HashSet::with_capacity(paths.len());
    for path in paths {
        let real = root
            .join(path)
            .canonicalize()
            .ok()
            .and_then(|real| {
                real.strip_prefix(&real_root)
                    .ok()
                    .and_then(|rel| rel.to_str())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| path.clone());
        if seen.insert(real.clone()) {
            out.push(real);
        }
    }
    out
}

impl ReleaseSteps {
    /// Before anything is written: find which of the files the plan edits (`planned`) git
    /// ignores. Those are written but not committed — a library that ignores its
    /// `Cargo.lock` keeps it out of the repository, as cargo-release (`git commit --all`)
    /// does — and named by [`ReleaseSteps::ignored_files`]. When every one is ignored the
    /// release commit would be empty: refused now, before any write.
    pub fn exclude_ignored(&mut self, planned: &[String]) -> Result<(), ReleaseError> {
        let real = real_paths(&self.root, planned);
        let ignored = self.git.ignored(&real)?;
        if !real.is_empty() && real.iter().all(|p| ignored.contains(p)) {
            return Err(refuse(
                format!(
                    "every file the bump changes is ignored by git: {}",
                    ignored.join(", ")
                ),
                "un-ignore them or `git add -f` them, or drop `--commit`",
            ));
        }
        self.ignored = ignored;
        Ok(())
    }

    /// The files written but left out of the commit because git ignores them.
    pub fn ignored_files(&self, changed: &[String]) -> Vec<String> {
        real_paths(&self.root, changed)
            .into_iter()
            .filter(|p| self.ignored.contains(p))
            .collect()
    }

    /// After the files are written (and the checks passed): commit exactly `changed` — the
    /// files actually written (a link's target, not the link) — but those git ignores.
    /// Returns the commit.
    pub fn commit(&self, changed: &[String]) -> Result<String, ReleaseError> {
        let paths: Vec<String> = real_paths(&self.root, changed)
            .into_iter()
            .filter(|p| !self.ignored.contains(p))
            .collect();
        Ok(self
            .git
            .commit(&paths, &self.message, self.safety.sign_commit)?)
    }

    /// The files [`ReleaseSteps::commit`] commits of `changed`.
    pub fn committed(&self, changed: &[String]) -> Vec<String> {
        real_paths(&self.root, changed)
            .into_iter()
            .filter(|p| !self.ignored.contains(p))
            .collect()
    }

    /// After [`ReleaseSteps::commit`] of `changed`: create the tags, if asked for; returns
    /// their names. A failed tag takes back the tags made before it and the commit (the files
    /// stay written, unstaged).
    pub fn tag(&self, changed: &[String]) -> Result<Vec<&str>, ReleaseError> {
        let mut made: Vec<&str> = Vec::new();
        for tag in &self.tags {
            if let Err(error) = self.git.create_tag(&tag.name, &tag.message, tag.sign) {
                for name in &made {
                    let _ = self.git.delete_tag(name);
                }
                let _ = self.git.uncommit(&self.committed(changed));
                return Err(error.into());
            }
            made.push(&tag.name);
        }
        Ok(made)
    }
}

/// `check --tag TAG`: `None` when TAG is a group's tag for its current version, else why not.
pub fn check_tag(repo: &Repo, targets: &[Target], tag: &str) -> Option<String> {
    let tag = tag.strip_prefix("refs/tags/").unwrap_or(tag);
    let mut expected = Vec::new();
    for (group, target) in repo.groups.iter().zip(targets) {
        if group.unreadable.is_some() {
            continue; // no version to tag: its error is reported
        }
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

/// A nightly snapshot of group `index`: the next patch's `dev` pre-release numbered by the
/// commits since the group's last release tag (`v1.4.2` + 17 commits → `1.4.3-dev.17`).
// proof: `index` is a group index (`select_groups`, or enumerated from `repo.groups`).
#[allow(clippy::indexing_slicing)]
pub fn snapshot(repo: &Repo, index: usize) -> Result<Snapshot, ReleaseError> {
    let group = &repo.groups[index];
    let git = Git::open(
        &repo.workspace.root,
        "a snapshot counts the commits since the last release tag: run it inside the git repository",
    )?;
    let ctx = Context::new(group, &group.version, &group.version);
    let (prefix, suffix) = ctx
        .tag_affixes()?
        .ok_or_else(|| ReleaseError::UntaggedVersion {
            group: group.name.clone(),
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
        // The tag is the user's: its patch can be the largest number a part holds.
        base.patch.checked_add(1).ok_or_else(|| {
            refuse(
                format!("the last release tag `{tag}` has the largest patch number a version can hold: no next patch to snapshot"),
                "release a new minor or major version, and snapshot from its tag",
            )
        })?
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
