//! Why loading stops: configuration errors, with where in which file.

use std::borrow::Cow;

use policy_schema::PolicyError;

use super::expand::ExpandError;
use super::source::SourceError;
use super::workspace::WorkspaceError;
use crate::diagnostic::{Diagnostic, Location};
use release_policy_editor::text::Position;

/// Something in the configuration or a manifest stops the tool before it plans anything.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("invalid policy in `{path}`{}: {error}", located_suffix(at.as_ref()))]
    Policy {
        path: String,
        at: Option<Located>,
        error: PolicyError,
    },
    #[error("invalid policy in `{path}`{}: {error}", located_suffix(at.as_ref()))]
    Discover {
        path: String,
        at: Option<Located>,
        error: ExpandError,
    },
    #[error("{message}")]
    Config {
        path: String,
        at: Option<Located>,
        message: String,
        help: Option<String>,
    },
}

/// Where in a file an error is: the file's text and the offending bytes.
#[derive(Debug, Clone)]
pub struct Located {
    pub text: String,
    pub offset: usize,
    pub len: usize,
}

impl Located {
    pub fn new(text: &str, offset: usize, len: usize) -> Located {
        Located {
            text: text.to_string(),
            offset,
            len,
        }
    }

    pub fn position(&self) -> Position {
        Position::of(&self.text, self.offset)
    }

    /// These bytes as a diagnostic's place in `path`.
    fn location<'a>(
        &'a self,
        title: Cow<'a, str>,
        path: &'a str,
        label: Cow<'a, str>,
    ) -> Location<'a> {
        Location {
            title,
            path,
            text: &self.text,
            offset: self.offset,
            len: self.len,
            label,
        }
    }
}

/// The header line of TOML table `[name]` in `text` (its first occurrence at the start of
/// a line), for an error about a key the table lacks.
pub(super) fn table_header(text: &str, name: &str) -> Option<Located> {
    let header = format!("[{name}]");
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t', '\u{feff}']);
        if trimmed.starts_with(&header) {
            let start = offset + (line.len() - trimmed.len());
            return Some(Located::new(text, start, header.len()));
        }
        offset += line.len();
    }
    None
}

fn located_suffix(located: Option<&Located>) -> String {
    located
        .map(|l| format!(" at {}", l.position()))
        .unwrap_or_default()
}

impl LoadError {
    pub fn help(&self) -> Option<String> {
        match self {
            LoadError::Workspace(_) => None,
            LoadError::Source(e) => e.help(),
            LoadError::Policy { error, .. } => error.help.clone(),
            LoadError::Discover { error, .. } => error.help(),
            LoadError::Config { help, .. } => help.clone(),
        }
    }

    pub(super) fn config(
        path: &str,
        at: Option<Located>,
        message: String,
        help: &str,
    ) -> LoadError {
        LoadError::Config {
            path: path.to_string(),
            at,
            message,
            help: Some(help.to_string()),
        }
    }
}

impl Diagnostic for LoadError {
    fn location(&self) -> Option<Location<'_>> {
        let title = Cow::Borrowed("invalid release policy");
        match self {
            LoadError::Source(e) => e.location(),
            LoadError::Policy {
                path,
                at: Some(at),
                error,
            } => Some(at.location(title, path, Cow::Owned(error.to_string()))),
            LoadError::Discover {
                path,
                at: Some(at),
                error,
            } => Some(at.location(title, path, Cow::Owned(error.to_string()))),
            LoadError::Config {
                path,
                at: Some(at),
                message,
                ..
            } => Some(at.location(Cow::Borrowed(message), path, Cow::Borrowed(""))),
            LoadError::Workspace(_)
            | LoadError::Policy { at: None, .. }
            | LoadError::Discover { at: None, .. }
            | LoadError::Config { at: None, .. } => None,
        }
    }

    fn help(&self) -> Option<String> {
        LoadError::help(self)
    }
}
