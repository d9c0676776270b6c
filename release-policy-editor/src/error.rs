//! A file that could not be read or edited.

use crate::text::Position;

/// A file could not be read or edited. The caller adds the path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EditorError {
    pub message: String,
    /// Byte offset in the original text, when the problem has a place.
    pub offset: Option<usize>,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
}

impl EditorError {
    pub fn new(message: impl Into<String>) -> Self {
        EditorError {
            message: message.into(),
            offset: None,
            help: None,
        }
    }

    #[must_use]
    pub fn at(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Line and column of the problem in `text`.
    pub fn position(&self, text: &str) -> Option<Position> {
        self.offset.map(|o| Position::of(text, o))
    }
}
