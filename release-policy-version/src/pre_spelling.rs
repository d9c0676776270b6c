//! How SemVer-spelled files write a pre-release: dotted (`1.5.0-rc.1`, the default) or
//! compact (`1.5.0-rc1`, a bare `2.6.0-dev` for dev 0), as projects whose own version parsers
//! expect one identifier do. Reading accepts both everywhere.

use std::fmt;

use crate::canonical::{Pre, Version};

/// The spelling of a labelled pre-release in SemVer files (Cargo, npm, NuGet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum PreSpelling {
    /// `1.5.0-rc.1`: SemVer orders the number as a number (`rc.9 < rc.10`).
    #[default]
    Dotted,
    /// `1.5.0-rc1`, `2.6.0-dev` for dev 0: one identifier, which SemVer orders as text
    /// (`rc10 < rc9`), so the monotonic rule judges what is written.
    Compact,
}

impl PreSpelling {
    pub fn name(self) -> &'static str {
        match self {
            PreSpelling::Dotted => "dotted",
            PreSpelling::Compact => "compact",
        }
    }

    /// `version` as a SemVer file writes it (with its build metadata).
    pub fn semver(self, version: &Version) -> String {
        match (self, &version.pre) {
            (PreSpelling::Compact, Some(pre)) if compactable(pre) => {
                let mut text = format!("{}-{}", version.release(), pre.label);
                match pre.number {
                    // dev 0 is the bare `-dev` such projects keep on their main branch
                    Some(0) if pre.label == "dev" => {}
                    Some(n) => text.push_str(&n.to_string()),
                    None => {}
                }
                if let Some(build) = &version.build {
                    text.push('+');
                    text.push_str(build);
                }
                text
            }
            _ => version.to_string(),
        }
    }
}

impl PreSpelling {
    /// The canonical version a file of this spelling reads back: compact writes dev 0 as the
    /// bare `-dev`, which reads back as the bare `dev`, so a bump to `dev.0` is that.
    #[must_use]
    pub fn normalize(self, mut version: Version) -> Version {
        if self == PreSpelling::Compact {
            if let Some(pre) = &mut version.pre {
                if pre.label == "dev" && pre.number == Some(0) {
                    pre.number = None;
                }
            }
        }
        version
    }
}

impl fmt::Display for PreSpelling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether `pre` has a compact spelling that reads back as itself: a label of letters only
/// (`x86.1` would read back as `x`, 861).
fn compactable(pre: &Pre) -> bool {
    pre.is_labelled() && !pre.label.is_empty() && pre.label.bytes().all(|b| b.is_ascii_alphabetic())
}
