//! Why a `manifests` entry cannot be expanded.

use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum ExpandError {
    #[error("`{pattern}` points outside the repository (`{root}`)")]
    Escapes { pattern: String, root: String },
    #[error("`{pattern}` matches no file")]
    NoMatch { pattern: String },
    #[error("`{pattern}` is not a valid glob: {message}")]
    BadGlob { pattern: String, message: String },
    #[error("`{path}` (matched by `{pattern}`) is not valid UTF-8: it cannot be read as a manifest's path")]
    NotUtf8 { pattern: String, path: String },
    #[error("`{path}` (matched by `{pattern}`) is a link to `{target}`, outside the repository")]
    LinkEscapes {
        pattern: String,
        path: String,
        target: String,
    },
}

impl ExpandError {
    pub fn help(&self) -> Option<String> {
        match self {
            ExpandError::Escapes { .. } | ExpandError::LinkEscapes { .. } => Some(
                "list only files inside the repository (the directory holding `.git`)".to_string(),
            ),
            ExpandError::NoMatch { .. } => Some(
                "fix the path (globs are relative to the Cargo.toml holding the table), or remove the entry"
                    .to_string(),
            ),
            ExpandError::NotUtf8 { .. } => Some(
                "rename it to a UTF-8 name, or exclude it (a `!` entry in `manifests`, or `exclude`)"
                    .to_string(),
            ),
            ExpandError::BadGlob { .. } => None,
        }
    }
}

impl Diagnostic for ExpandError {
    fn help(&self) -> Option<String> {
        ExpandError::help(self)
    }
}
