//! The error of reading a policy table.

use std::ops::Range;

/// A policy table that cannot be read: invalid TOML, an unknown key, a value of the wrong type
/// or an invalid value, or a key set in both `release` and `release-policy`.
///
/// `span` is a byte range into the Cargo.toml text as given (a UTF-8 BOM included), so the
/// caller can print `path:line:col` and underline it. `message` is one lowercase sentence with
/// values in backticks; `help`, when present, says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PolicyError {
    /// What went wrong, for callers that match on it.
    pub kind: Box<PolicyErrorKind>,
    /// The message, e.g. ``unknown key `tag-nmae` in `workspace.metadata.release`, did you mean `tag-name`?``.
    pub message: String,
    /// The offending key or value, as a byte range into the original text.
    pub span: Range<usize>,
    /// How to fix it.
    pub help: Option<String>,
}

impl PolicyError {
    /// Byte offset of the offending key or value in the original text.
    pub fn offset(&self) -> usize {
        self.span.start
    }
}

/// The kind of a [`PolicyError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyErrorKind {
    /// The Cargo.toml is not valid TOML.
    Toml,
    /// A key the standard does not define.
    UnknownKey {
        /// The key as written, e.g. `tag-nmae`.
        key: String,
        /// The table holding it, e.g. `workspace.metadata.release` or
        /// `workspace.metadata.release.manifests[2]`.
        table: String,
        /// The closest known key, if one is close.
        suggestion: Option<String>,
    },
    /// A value of the wrong type.
    WrongType {
        /// The full path of the key, e.g. `workspace.metadata.release.tag-name`.
        key: String,
        /// What the standard expects, e.g. `a string`.
        expected: String,
        /// What the file has, e.g. `an integer`.
        found: &'static str,
    },
    /// A key set in both `[*.metadata.release]` and `[*.metadata.release-policy]`.
    DuplicateKey {
        /// The key, e.g. `tag-name`.
        key: String,
        /// Byte range of its first occurrence.
        first: Range<usize>,
    },
    /// A value of the right type that the standard does not allow (an empty path, an unknown
    /// placeholder, a bad label, `min` greater than `max`, …).
    InvalidValue {
        /// The full path of the key.
        key: String,
    },
}
