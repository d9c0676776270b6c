//! `allow-branch`: the branches a release may be made from, matched as cargo-release matches
//! them — each pattern a line of a gitignore file (`*` matches within one `/`-separated part,
//! `**` across them, a leading `!` takes a branch back out, the last matching line wins), a
//! branch allowed when it or one of its parent paths matches. Pure: the branch name comes
//! from [`crate::git::Git::current_branch`] (`HEAD` on a detached `HEAD`).

use ignore::gitignore::GitignoreBuilder;

/// cargo-release's default: every branch, but not a detached `HEAD`.
pub const DEFAULT: [&str; 2] = ["*", "!HEAD"];

/// The patterns in force and where they come from (shown when a branch is refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowBranch {
    pub patterns: Vec<String>,
    /// `--allow-branch`, `allow-branch` of a policy table, or cargo-release's default.
    pub source: String,
}

/// Why a branch may not be released from: the message and its help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub help: String,
}

impl AllowBranch {
    /// The default, `["*", "!HEAD"]`.
    pub fn default_patterns() -> AllowBranch {
        AllowBranch {
            patterns: DEFAULT.iter().map(ToString::to_string).collect(),
            source: "the default `allow-branch = [\"*\", \"!HEAD\"]`".to_string(),
        }
    }

    /// Whether a release may be made from `branch`; a refusal says which patterns refused it.
    pub fn check(&self, branch: &str) -> Result<(), Refusal> {
        let mut builder = GitignoreBuilder::new("");
        for pattern in &self.patterns {
            builder.add_line(None, pattern).map_err(|e| Refusal {
                message: format!("`{pattern}` in {} is not a valid pattern: {e}", self.source),
                help: "patterns are gitignore lines: `main`, `release/*`, `!wip/**`".to_string(),
            })?;
        }
        let matcher = builder.build().map_err(|e| Refusal {
            message: format!("the patterns of {} cannot be used: {e}", self.source),
            help: "patterns are gitignore lines: `main`, `release/*`, `!wip/**`".to_string(),
        })?;
        if matcher
            .matched_path_or_any_parents(branch, false)
            .is_ignore()
        {
            return Ok(());
        }
        let shown: Vec<String> = self.patterns.iter().map(|p| format!("`{p}`")).collect();
        let what = if branch == "HEAD" {
            "a detached HEAD (no branch)".to_string()
        } else {
            format!("branch `{branch}`")
        };
        Err(Refusal {
            message: format!(
                "cannot release from {what}: it does not match [{}] ({})",
                shown.join(", "),
                self.source
            ),
            help: if branch == "HEAD" {
                "check out the branch to release from (`git switch BRANCH`), or pass `--allow-branch HEAD`".to_string()
            } else {
                format!("switch to an allowed branch, add `{branch}` to `allow-branch`, or pass `--allow-branch {branch}`")
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(patterns: &[&str], branch: &str, allowed: bool) {
        let guard = AllowBranch {
            patterns: patterns.iter().map(ToString::to_string).collect(),
            source: "test".to_string(),
        };
        assert_eq!(
            guard.check(branch).is_ok(),
            allowed,
            "{patterns:?} on {branch}: {:?}",
            guard.check(branch)
        );
    }

    #[test]
    fn patterns_match_as_cargo_release_matches_them() {
        // The default: any branch, never a detached HEAD.
        case(&DEFAULT, "main", true);
        case(&DEFAULT, "feature/x", true);
        case(&DEFAULT, "HEAD", false);
        // A plain name.
        case(&["main"], "main", true);
        case(&["main"], "feature", false);
        case(&["main"], "HEAD", false);
        // Globs: `*` within a part, a parent path matching allows its children.
        case(&["release/*"], "release/1.x", true);
        case(&["release/*"], "release", false);
        case(&["release/*"], "feature/release", false);
        case(&["release-*"], "release-2.0", true);
        case(&["v[0-9]*"], "v2", true);
        case(&["v[0-9]*"], "vnext", false);
        case(&["release"], "release/1.x", true);
        // Negation: the last matching line wins.
        case(&["*", "!wip"], "wip", false);
        case(&["*", "!wip"], "main", true);
        case(&["*", "!wip/*"], "wip/a", false);
        case(&["!main", "*"], "main", true);
        // Nothing allowed.
        case(&[], "main", false);
        // `HEAD` itself allowed on purpose.
        case(&["HEAD"], "HEAD", true);
    }

    #[test]
    fn refusals_name_the_branch_the_patterns_and_the_way_out() {
        let refusal = AllowBranch::default_patterns().check("HEAD").unwrap_err();
        assert_eq!(
            refusal.message,
            "cannot release from a detached HEAD (no branch): it does not match [`*`, `!HEAD`] (the default `allow-branch = [\"*\", \"!HEAD\"]`)"
        );
        assert!(refusal.help.contains("--allow-branch HEAD"));
        let guard = AllowBranch {
            patterns: vec!["main".into()],
            source: "`allow-branch` of `Cargo.toml`".into(),
        };
        let refusal = guard.check("topic").unwrap_err();
        assert!(refusal.message.contains("branch `topic`"), "{refusal:?}");
        assert!(refusal.help.contains("--allow-branch topic"), "{refusal:?}");
    }
}
