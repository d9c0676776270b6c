//! Git, driven through `xshell` (arguments are passed to `git` without a shell). With
//! `apply`, the only module that changes anything on disk.

use std::path::Path;

use xshell::{cmd, Shell};

use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// `help` says what the command needs git for, and how to do without.
    #[error("`{dir}` is not inside a git repository")]
    NotARepository { dir: String, help: &'static str },
    #[error("failed to run `git {args}`: {message}")]
    Command { args: String, message: String },
}

impl Diagnostic for GitError {
    fn help(&self) -> Option<String> {
        match self {
            GitError::NotARepository { help, .. } => Some((*help).to_string()),
            GitError::Command { .. } => None,
        }
    }
}

/// A git repository, entered at a directory of the workspace.
#[derive(Debug)]
pub struct Git {
    sh: Shell,
}

/// A file that differs from `HEAD` or the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirty {
    /// The two-letter `git status --porcelain` code.
    pub code: String,
    pub path: String,
}

impl Git {
    /// The repository holding `dir`; outside one, the error's help is `help` (what the
    /// command needs git for differs: `bump --commit`, `tag`, `--snapshot`).
    pub fn open(dir: &Path, help: &'static str) -> Result<Git, GitError> {
        let sh = Shell::new().map_err(|e| GitError::Command {
            args: "rev-parse".to_string(),
            message: e.to_string(),
        })?;
        sh.change_dir(dir);
        let inside = cmd!(sh, "git rev-parse --is-inside-work-tree")
            .quiet()
            .ignore_stderr()
            .read()
            .is_ok_and(|s| s.trim() == "true");
        if !inside {
            return Err(GitError::NotARepository {
                dir: dir.display().to_string(),
                help,
            });
        }
        Ok(Git { sh })
    }

    fn read(command: xshell::Cmd<'_>, args: &str) -> Result<String, GitError> {
        let output = command
            .quiet()
            .ignore_status()
            .output()
            .map_err(|e| GitError::Command {
                args: args.to_string(),
                message: e.to_string(),
            })?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout)
                .trim_end()
                .to_string())
        } else {
            Err(GitError::Command {
                args: args.to_string(),
                message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
            })
        }
    }

    /// Tracked files that differ from `HEAD` (staged or not), among `paths` (all when empty).
    pub fn dirty(&self, paths: &[String]) -> Result<Vec<Dirty>, GitError> {
        let sh = &self.sh;
        let out = Self::read(
            cmd!(
                sh,
                "git status --porcelain --untracked-files=no -- {paths...}"
            ),
            "status --porcelain",
        )?;
        // `XY path`: two status letters, a space, the path (a line of another shape has no
        // `get` of both, and is not a dirty path).
        Ok(out
            .lines()
            .filter(|l| l.len() > 3)
            .filter_map(|l| {
                Some(Dirty {
                    code: l.get(..2)?.to_string(),
                    path: l.get(3..)?.to_string(),
                })
            })
            .collect())
    }

    /// Those of `paths` that are untracked and ignored (`.gitignore`, `info/exclude`):
    /// `git add` refuses them. A tracked file is never ignored.
    pub fn ignored(&self, paths: &[String]) -> Result<Vec<String>, GitError> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let sh = &self.sh;
        let output = cmd!(sh, "git check-ignore -- {paths...}")
            .quiet()
            .ignore_status()
            .output()
            .map_err(|e| GitError::Command {
                args: "check-ignore".to_string(),
                message: e.to_string(),
            })?;
        // Exit 0: some are ignored; 1: none is; anything else is an error.
        match output.status.code() {
            Some(0 | 1) => Ok(String::from_utf8_lossy(&output.stdout)
                .lines()
                .map(str::to_string)
                .collect()),
            _ => Err(GitError::Command {
                args: "check-ignore".to_string(),
                message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
            }),
        }
    }

    /// The commit `HEAD` points at.
    pub fn head(&self) -> Result<String, GitError> {
        let sh = &self.sh;
        Self::read(cmd!(sh, "git rev-parse --verify HEAD"), "rev-parse HEAD")
    }

    /// The commit a tag points at, if the tag exists.
    pub fn tag_commit(&self, name: &str) -> Result<Option<String>, GitError> {
        let sh = &self.sh;
        let reference = format!("refs/tags/{name}^{{commit}}");
        let output = cmd!(sh, "git rev-parse --quiet --verify {reference}")
            .quiet()
            .ignore_status()
            .output()
            .map_err(|e| GitError::Command {
                args: "rev-parse".to_string(),
                message: e.to_string(),
            })?;
        Ok(output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string()))
    }

    /// Whether `refs/tags/<name>` is a valid reference name (`git check-ref-format`).
    pub fn valid_tag_name(&self, name: &str) -> bool {
        let sh = &self.sh;
        let reference = format!("refs/tags/{name}");
        cmd!(sh, "git check-ref-format {reference}")
            .quiet()
            .ignore_stderr()
            .run()
            .is_ok()
    }

    /// Create a tag at `HEAD`: annotated with `message`, lightweight when it is empty, signed
    /// with `sign`.
    pub fn create_tag(&self, name: &str, message: &str, sign: bool) -> Result<(), GitError> {
        let sh = &self.sh;
        let command = match (message.is_empty(), sign) {
            // `--` before the name: whatever a template renders, git never reads it as an
            // option (`check_new_tag` refuses a leading `-` before any write as well).
            (true, false) => cmd!(sh, "git tag -- {name}"),
            (true, true) => cmd!(sh, "git tag --sign -m {name} -- {name}"),
            (false, false) => cmd!(sh, "git tag --annotate -m {message} -- {name}"),
            (false, true) => cmd!(sh, "git tag --sign -m {message} -- {name}"),
        };
        Self::read(command, &format!("tag {name}")).map(drop)
    }

    /// Delete the tag `name` (a multi-group release taking back its tags when a later one
    /// fails).
    pub fn delete_tag(&self, name: &str) -> Result<(), GitError> {
        let sh = &self.sh;
        Self::read(
            cmd!(sh, "git tag --delete {name}"),
            &format!("tag --delete {name}"),
        )
        .map(drop)
    }

    /// Commit exactly `paths` (staging them) with `message`, whatever else is staged; signed
    /// with git's configured key (`--gpg-sign`, whatever `gpg.format` says) with `sign`.
    /// Without `sign`, git's own `commit.gpgSign` still applies.
    pub fn commit(&self, paths: &[String], message: &str, sign: bool) -> Result<String, GitError> {
        let sh = &self.sh;
        Self::read(cmd!(sh, "git add -- {paths...}"), "add")?;
        let sign = sign.then_some("--gpg-sign");
        let committed = Self::read(
            cmd!(
                sh,
                "git commit --quiet {sign...} --only -m {message} -- {paths...}"
            ),
            "commit",
        );
        if let Err(error) = committed {
            // No commit (a signature that cannot be made, a hook that refused): nothing stays
            // staged by this step.
            let _ = self.unstage(paths);
            return Err(error);
        }
        self.head()
    }

    /// The branch `HEAD` is on, or `HEAD` when it is detached (cargo-release's name for it,
    /// which `allow-branch = ["*", "!HEAD"]` refuses).
    pub fn current_branch(&self) -> Result<String, GitError> {
        let sh = &self.sh;
        let output = cmd!(sh, "git symbolic-ref --quiet --short HEAD")
            .quiet()
            .ignore_status()
            .output()
            .map_err(|e| GitError::Command {
                args: "symbolic-ref HEAD".to_string(),
                message: e.to_string(),
            })?;
        match output.status.code() {
            Some(0) => Ok(String::from_utf8_lossy(&output.stdout).trim().to_string()),
            // Exit 1 without a message: `HEAD` names a commit, not a branch.
            Some(1) => Ok("HEAD".to_string()),
            _ => Err(GitError::Command {
                args: "symbolic-ref HEAD".to_string(),
                message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
            }),
        }
    }

    /// `git push --atomic [--push-option O]… REMOTE REFS…`: all the refs arrive, or none
    /// (a branch and its tag pushed together, as cargo-release pushes them).
    pub fn push(&self, remote: &str, refs: &[String], options: &[String]) -> Result<(), GitError> {
        let sh = &self.sh;
        let options: Vec<String> = options
            .iter()
            .map(|o| format!("--push-option={o}"))
            .collect();
        Self::read(
            cmd!(
                sh,
                "git push --quiet --atomic {options...} {remote} {refs...}"
            ),
            &format!("push {remote} {}", refs.join(" ")),
        )
        .map(drop)
    }

    /// Undo [`Git::commit`] of `paths`: move `HEAD` back one commit, keeping the working
    /// tree, and unstage `paths` (the commit staged them).
    pub fn uncommit(&self, paths: &[String]) -> Result<(), GitError> {
        let sh = &self.sh;
        Self::read(
            cmd!(sh, "git reset --quiet --soft HEAD~1"),
            "reset --soft HEAD~1",
        )?;
        self.unstage(paths)
    }

    /// Put the index entries of `paths` back to `HEAD`'s (after a `git add` whose commit did
    /// not happen).
    fn unstage(&self, paths: &[String]) -> Result<(), GitError> {
        let sh = &self.sh;
        Self::read(
            cmd!(sh, "git reset --quiet -- {paths...}"),
            "reset -- PATHS",
        )
        .map(drop)
    }

    /// The nearest tag reachable from `HEAD` whose name matches the glob `pattern`.
    pub fn last_tag(&self, pattern: &str) -> Result<Option<String>, GitError> {
        let sh = &self.sh;
        let output = cmd!(sh, "git describe --tags --abbrev=0 --match {pattern} HEAD")
            .quiet()
            .ignore_status()
            .output()
            .map_err(|e| GitError::Command {
                args: "describe".to_string(),
                message: e.to_string(),
            })?;
        Ok(output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string()))
    }

    /// How many commits `HEAD` is ahead of `tag`.
    pub fn height(&self, tag: &str) -> Result<u64, GitError> {
        let sh = &self.sh;
        let range = format!("{tag}..HEAD");
        let count = Self::read(cmd!(sh, "git rev-list --count {range}"), "rev-list --count")?;
        count.trim().parse().map_err(|_| GitError::Command {
            args: "rev-list --count".to_string(),
            message: format!("unexpected output `{count}`"),
        })
    }
}
