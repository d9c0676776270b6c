//! Lossless editors, one module per file format.
//!
//! The contract every editor follows:
//!
//! * `read(text: &str) -> Result<Reading, EditorError>` is pure. It parses the file with a
//!   real parser for its format and reports every version-bearing value it owns as a
//!   [`Field`]: what the value means ([`FieldKind`]), a human key (`package.version`,
//!   `dependencies.core`), the value exactly as written, and the byte [`Span`](text::Span) of that value
//!   in the *original* text (inside the quotes; a UTF-8 BOM counted).
//! * Writing is [`rewrite`]: the planner picks new values for some fields, and the new text is
//!   the old text with exactly those spans replaced ([`crate::text::apply_splices`]). The
//!   result is read again through the same editor and every edited field must hold its new
//!   value, so an editor can never write a file it cannot read back.
//!
//! No editor re-serializes a document or runs a regular expression over a whole file, but for
//! the one a user writes: hatch's `[tool.hatch.version] pattern` ([`version_file::read_with`]).
//!
//! Files listed by a pattern entry ([`FileKind::Text`]) have no format of their own: their
//! reading depends on the entry's `search` as well as the text, so they are read by
//! [`text_pattern::read`] and rewritten with [`rewrite_with`], given that reader.
//!
//! ```
//! use release_policy_editor::{rewrite, FieldKind, FileKind};
//!
//! // Tabs, CRLF and the key order survive: only the bytes of the value change.
//! let text = "{\r\n\t\"name\": \"sdk\",\r\n\t\"version\": \"1.4.0\",\r\n\t\"dependencies\": { \"sdk-core\": \"^1.4.0\" }\r\n}";
//! let kind = FileKind::detect("package.json").expect("a manifest kind");
//! let reading = kind.read(text)?;
//! assert_eq!(reading.name.as_deref(), Some("sdk"));
//!
//! let version = reading.field(&FieldKind::Version).expect("a version field");
//! assert_eq!((version.value.as_str(), &text[version.span.start..version.span.end]), ("1.4.0", "1.4.0"));
//!
//! let out = rewrite(kind, text, &[(version, "1.5.0-beta.1")])?;
//! assert_eq!(out, text.replace("\"1.4.0\"", "\"1.5.0-beta.1\""));
//! # Ok::<(), release_policy_editor::EditorError>(())
//! ```
// The library is held to the workspace's panic lints (`Cargo.toml`: no index, slice or
// `panic!` without a `// proof:`); its unit tests may index and panic.
#![cfg_attr(
    test,
    allow(
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::panic,
        clippy::unreachable
    )
)]

pub mod cargo_lock;
pub mod cargo_toml;
pub mod cmake;
pub mod gemfile_lock;
pub mod gemspec;
pub mod go_mod;
pub mod gradle;
pub mod helm_chart;
mod json_span;
pub mod msbuild;
pub mod package_json;
pub mod package_lock;
pub mod pom;
pub mod pubspec;
pub mod pubspec_lock;
pub mod pyproject;
mod ruby_source;
pub mod ruby_version;
pub mod text_pattern;
pub mod uv_lock;
pub mod version_file;
mod version_pattern;
mod yaml_span;
pub mod zig_zon;

pub mod text;
pub mod toml_tree;

mod error;
mod fast_map;
mod kind;
mod reading;
mod rewrite;
#[cfg(test)]
mod testing;
mod toml_span;

pub use error::EditorError;
pub use kind::FileKind;
pub use reading::{DynamicVersion, Field, FieldKind, Note, Reading};
pub use rewrite::{rewrite, rewrite_with};
