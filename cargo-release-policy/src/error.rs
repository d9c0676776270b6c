//! Why a command could not run, its exit code, and what each error shows ([`Diagnostic`]).

use crate::apply::ApplyError;
use crate::diagnostic::{self, Diagnostic, Location};
use crate::git::GitError;
use crate::load::LoadError;
use crate::plan::PlanError;
use crate::release::ReleaseError;
use release_policy_version::VersionError;

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("refusing to bump: {0}")]
    RefusedBump(VersionError),
    #[error("{message}")]
    Refused {
        message: String,
        help: Option<String>,
    },
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Release(#[from] ReleaseError),
    #[error(transparent)]
    Apply(#[from] ApplyError),
    #[error("{message}")]
    Usage {
        message: String,
        help: Option<String>,
    },
    /// A write would leave a field the policy expects unwritten: nothing is written.
    #[error("refusing to write: {message}; nothing was written")]
    Incomplete {
        message: String,
        help: Option<String>,
    },
}

impl Error {
    /// 1 for a refused operation, 2 for usage and configuration errors.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::RefusedBump(_)
            | Error::Refused { .. }
            | Error::Apply(_)
            | Error::Incomplete { .. }
            | Error::Release(ReleaseError::Refused { .. })
            | Error::Plan(
                PlanError::Version { .. }
                | PlanError::Pattern { .. }
                | PlanError::Requirement { .. },
            ) => 1,
            Error::Git(error) | Error::Release(ReleaseError::Git(error)) => match error {
                GitError::Command { .. } => 1,
                GitError::NotARepository { .. } => 2,
            },
            Error::Load(_)
            | Error::Plan(_)
            | Error::Usage { .. }
            | Error::Release(ReleaseError::Template(_) | ReleaseError::UntaggedVersion { .. }) => 2,
        }
    }

    /// The error as cargo prints it: with the source line when there is one.
    pub fn render(&self) -> String {
        diagnostic::render(self)
    }

    /// The module error this one carries, which says where it points and how to fix it.
    fn cause(&self) -> Option<&dyn Diagnostic> {
        match self {
            Error::Load(e) => Some(e),
            Error::Plan(e) => Some(e),
            Error::RefusedBump(e) => Some(e),
            Error::Git(e) => Some(e),
            Error::Release(e) => Some(e),
            Error::Apply(e) => Some(e),
            Error::Refused { .. } | Error::Usage { .. } | Error::Incomplete { .. } => None,
        }
    }
}

impl Diagnostic for Error {
    fn location(&self) -> Option<Location<'_>> {
        self.cause()?.location()
    }

    fn help(&self) -> Option<String> {
        match self {
            Error::Refused { help, .. }
            | Error::Usage { help, .. }
            | Error::Incomplete { help, .. } => help.clone(),
            _ => self.cause()?.help(),
        }
    }
}

// The diagnostics of errors whose modules are being moved by other changes: `repo`,
// `source`, `discover` and `workspace` into `load/` (where these impls then belong, beside
// their enums), `version` into a crate of its own (whose errors cannot know this crate's
// trait, so its impl stays on this side).

impl Diagnostic for VersionError {
    fn help(&self) -> Option<String> {
        VersionError::help(self)
    }
}
