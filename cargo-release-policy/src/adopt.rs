//! What `init` proposes for a repository it adopts, beyond the manifests [`crate::survey`]
//! finds: the leader when there is no `[workspace.package].version` ([`leader`]), the
//! version files written as text ([`version_files`]), the files an existing release tool
//! rewrites ([`crate::import`]), each checked against the leader's version before it is
//! listed ([`search`]) so that `check` passes right after `init`. Reads files; writes and
//! prints nothing.

pub mod cargo_release;
pub mod leader;
pub mod proposal;
pub mod search;
pub mod table;
pub mod version_files;

use std::fmt::Write as _;

use policy_schema::VersionFormat;

/// One `manifests` entry `init` writes, its path relative to the repository root until it
/// is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A manifest, by path (or glob).
    Path(String),
    /// A pattern entry.
    Pattern {
        path: String,
        search: String,
        format: VersionFormat,
    },
}

impl Entry {
    pub fn path(&self) -> &str {
        match self {
            Entry::Path(path) | Entry::Pattern { path, .. } => path,
        }
    }

    /// The entry as TOML, its path given as `path`.
    pub fn to_toml(&self, path: &str) -> String {
        match self {
            Entry::Path(_) => toml_string(path),
            Entry::Pattern { search, format, .. } => {
                let mut out = format!(
                    "{{ path = {}, search = {}",
                    toml_string(path),
                    toml_string(search)
                );
                if *format != VersionFormat::Semver {
                    let _ = write!(out, ", format = \"{}\"", format_name(*format));
                }
                out.push_str(" }");
                out
            }
        }
    }
}

/// The name of `format` in the policy table.
pub fn format_name(format: VersionFormat) -> &'static str {
    VersionFormat::ALL
        .iter()
        .find(|(_, f)| *f == format)
        .map_or("semver", |(name, _)| name)
}

/// A TOML string holding `text` (one spelling for `init`'s entries and suggestions).
pub use crate::survey::toml_string;
