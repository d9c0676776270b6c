//! What guards, signs and pushes a release (`bump --commit`, `tag`), from cargo-release's
//! keys of the released groups' policies and the command line: `allow-branch` /
//! `--allow-branch`, `sign-commit` / `--sign-commit`, `push` / `--push` / `--no-push`,
//! `push-remote`, `push-options`. Pure: git is asked by [`crate::release`].

use crate::branch_guard::{AllowBranch, Refusal};
use crate::load::Repo;

/// What the command line says about a release's safety.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags<'a> {
    /// `--allow-branch`: replaces every policy's `allow-branch`.
    pub allow_branch: &'a [String],
    pub sign_commit: bool,
    pub push: bool,
    pub no_push: bool,
}

/// A release's guards, signing and push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Safety {
    /// Each must allow the branch: one per released group (or the command line's).
    pub guards: Vec<AllowBranch>,
    pub sign_commit: bool,
    pub push: Option<PushTo>,
}

/// Where a release is pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushTo {
    pub remote: String,
    pub options: Vec<String>,
}

impl PushTo {
    /// The command that pushes `refs` as the release does (to retry a refused push).
    pub fn command(&self, refs: &[String]) -> String {
        let mut words = vec!["git".to_string(), "push".into(), "--atomic".into()];
        words.extend(self.options.iter().map(|o| format!("--push-option={o}")));
        words.push(self.remote.clone());
        words.extend(refs.iter().cloned());
        crate::shell_quote::join(&words)
    }
}

/// The refs a release pushes: the branch (unless `HEAD` is detached) and each tag, spelled
/// out in full so that a branch and a tag of one name are never confused.
pub fn refs(branch: &str, tags: &[&str]) -> Vec<String> {
    let mut refs = Vec::with_capacity(tags.len() + 1);
    if branch != "HEAD" {
        refs.push(format!("refs/heads/{branch}"));
    }
    refs.extend(tags.iter().map(|t| format!("refs/tags/{t}")));
    refs
}

/// The safety of releasing `groups` (indices into `repo.groups`) with `flags`. Refused when
/// the groups push to different remotes: one release goes to one place.
pub fn resolve(repo: &Repo, groups: &[usize], flags: Flags<'_>) -> Result<Safety, Refusal> {
    let guards = if flags.allow_branch.is_empty() {
        groups
            .iter()
            .filter_map(|&i| repo.groups.get(i))
            .map(|group| match &group.policy.cargo_release.allow_branch {
                Some(patterns) => AllowBranch {
                    patterns: patterns.clone(),
                    source: format!("`allow-branch` of group `{}`", group.name),
                },
                None => AllowBranch::default_patterns(),
            })
            .collect()
    } else {
        vec![AllowBranch {
            patterns: flags.allow_branch.to_vec(),
            source: "`--allow-branch`".to_string(),
        }]
    };
    let released = || groups.iter().filter_map(|&i| repo.groups.get(i));
    let sign_commit =
        flags.sign_commit || released().any(|g| g.policy.cargo_release.sign_commit == Some(true));
    let wanted = !flags.no_push
        && (flags.push || released().any(|g| g.policy.cargo_release.push == Some(true)));
    let push = if wanted {
        Some(push_to(repo, groups)?)
    } else {
        None
    };
    Ok(Safety {
        guards,
        sign_commit,
        push,
    })
}

/// The one remote of `groups` (`push-remote`, default `origin`) and their options, each once.
fn push_to(repo: &Repo, groups: &[usize]) -> Result<PushTo, Refusal> {
    let mut remote: Option<(&str, &str)> = None;
    let mut options: Vec<String> = Vec::new();
    for group in groups.iter().filter_map(|&i| repo.groups.get(i)) {
        let keys = &group.policy.cargo_release;
        let this = keys.push_remote.as_deref().unwrap_or("origin");
        match remote {
            Some((other, other_group)) if other != this => {
                return Err(Refusal {
                    message: format!(
                        "groups `{other_group}` and `{}` push to different remotes (`{other}` and `{this}`)",
                        group.name
                    ),
                    help: "give them the same `push-remote`, or release them one at a time"
                        .to_string(),
                });
            }
            Some(_) => {}
            None => remote = Some((this, &group.name)),
        }
        for option in keys.push_options() {
            if !options.contains(&option) {
                options.push(option);
            }
        }
    }
    Ok(PushTo {
        remote: remote.map_or("origin", |(r, _)| r).to_string(),
        options,
    })
}

impl Safety {
    /// Whether every guard allows a release from `branch`.
    pub fn check_branch(&self, branch: &str) -> Result<(), Refusal> {
        self.guards.iter().try_for_each(|g| g.check(branch))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(branch: &str, tags: &[&str], expected: &[&str]) {
        assert_eq!(refs(branch, tags), expected, "{branch} {tags:?}");
    }

    #[test]
    fn refs_are_spelled_in_full() {
        case(
            "main",
            &["v1.0.0"],
            &["refs/heads/main", "refs/tags/v1.0.0"],
        );
        case("main", &[], &["refs/heads/main"]);
        case("HEAD", &["v1.0.0"], &["refs/tags/v1.0.0"]);
        case(
            "release/1.x",
            &["a-v1", "b-v2"],
            &["refs/heads/release/1.x", "refs/tags/a-v1", "refs/tags/b-v2"],
        );
    }

    #[test]
    fn the_retry_command_is_shell_quoted() {
        let push = PushTo {
            remote: "my remote".to_string(),
            options: vec!["ci.skip".to_string()],
        };
        assert_eq!(
            push.command(&refs("main", &["v1.0.0"])),
            "git push --atomic --push-option=ci.skip 'my remote' refs/heads/main refs/tags/v1.0.0"
        );
    }
}
