//! Why a write was refused or failed, and what was left as it was.

use std::io;

use super::journal::JournalError;
use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("`{path}` changed on disk since it was read; nothing was written")]
    Changed { path: String },
    #[error("`{path}` is read-only; nothing was written")]
    ReadOnly { path: String },
    #[error("another run of `cargo release-policy` is writing this repository (`{lock}` is locked{}); nothing was written", holder.as_ref().map(|pid| format!(" by process {pid}")).unwrap_or_default())]
    Locked {
        lock: String,
        holder: Option<String>,
    },
    #[error("another run of `cargo release-policy` is writing this repository (`{lock}` is locked{}): its files are half-written until it ends", holder.as_ref().map(|pid| format!(" by process {pid}")).unwrap_or_default())]
    Busy {
        lock: String,
        holder: Option<String>,
    },
    #[error("failed to take the lock `{lock}`: {source}; nothing was written")]
    Lock { lock: String, source: io::Error },
    #[error("failed to write the journal `{journal}`: {source}; nothing was written")]
    Journal { journal: String, source: io::Error },
    #[error("the journal of an interrupted write, `{journal}`, is there; nothing was written")]
    Interrupted { journal: String },
    #[error("failed to write `{path}`: {source}; every file was put back as it was")]
    Write { path: String, source: io::Error },
    #[error("failed to write `{path}`: {source}; and putting back `{restore}` failed too: {restore_error}")]
    Restore {
        path: String,
        source: io::Error,
        restore: String,
        restore_error: io::Error,
        journal: String,
    },
    #[error("every file was written, but removing the journal `{journal}` failed: {source}")]
    Finish { journal: String, source: io::Error },
    #[error("a write was interrupted (its journal is `{journal}`), and {} changed since: {}; nothing was restored", if files.len() == 1 { "this file has" } else { "these files have" }, files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "))]
    Edited { journal: String, files: Vec<String> },
    #[error("a write was interrupted, but its journal `{journal}` cannot be read: {error}; nothing was restored")]
    Unreadable {
        journal: String,
        error: JournalError,
    },
    #[error("failed to put back `{path}` from the journal `{journal}` of an interrupted write: {source}")]
    Recover {
        journal: String,
        path: String,
        source: io::Error,
    },
}

impl ApplyError {
    /// How to fix it, when there is something to say.
    pub fn help(&self) -> Option<String> {
        match self {
            ApplyError::Changed { .. } => {
                Some("run the command again: it reads the files anew".to_string())
            }
            ApplyError::ReadOnly { path } => Some(format!(
                "make `{path}` writable (e.g. `chmod u+w`, or check it out for editing), then run again"
            )),
            ApplyError::Locked { .. } | ApplyError::Busy { .. } => Some(
                "wait for the other run to finish, then run again".to_string(),
            ),
            ApplyError::Interrupted { .. } => Some(
                "run `cargo release-policy recover` to put back what the interrupted write changed, then run again"
                    .to_string(),
            ),
            ApplyError::Restore { journal, .. } | ApplyError::Recover { journal, .. } => Some(format!(
                "the journal `{journal}` is kept: fix the cause, then run any command (or `cargo release-policy recover`) to put every file back"
            )),
            ApplyError::Finish { journal, .. } => Some(format!(
                "the write is complete and marked so in the journal: the next command removes `{journal}` without undoing anything"
            )),
            ApplyError::Edited { files, .. } => {
                let first = files.first().map_or("FILE", String::as_str);
                Some(format!(
                    "each file named holds neither its text from before the interrupted write nor the one that write gave it, and was not the file being written when it stopped: someone edited it since. Either put it back as it was (`git checkout -- {first}` gives its last committed text) and run again, which puts every file back; or run `cargo release-policy recover --keep-edited` to put every other file back and keep the edits; or `cargo release-policy recover --discard-edits` to put back every file, the edited ones included"
                ))
            }
            ApplyError::Unreadable { error, .. } => error.help(),
            ApplyError::Lock { .. } | ApplyError::Journal { .. } | ApplyError::Write { .. } => {
                None
            }
        }
    }
}

impl Diagnostic for ApplyError {
    fn help(&self) -> Option<String> {
        ApplyError::help(self)
    }
}
